"""torch.utils.checkpoint: checkpoint and checkpoint_sequential for gd programs.

Checkpointing trades memory for a second forward during backward; gd keeps the graph, so
the function runs once and its values and gradients are PyTorch's. What a program sees of
the variant is PyTorch's: the non-reentrant one's output carries the function's own
grad_fn, the reentrant one's (the default, with a warning) a CheckpointFunctionBackward
node, and without an input that requires grad it runs under no_grad ("Gradients will be
None"). The RNG state is as after one forward (PyTorch forks it for the recomputation).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import grad_mode, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import LAYERS
from gradcli.interp.nn_module import ModuleInstance, _named_children_list
from gradcli.interp.values import Builtin, Namespace

_EXPLICIT = ("the use_reentrant parameter should be passed explicitly. Starting in PyTorch "
             "2.9, calling checkpoint without use_reentrant will raise an exception. "
             "use_reentrant=False is recommended, but if you need to preserve the current "
             "default behavior, you can pass use_reentrant=True. Refer to docs for more "
             "details on the differences between the two variants.")
_KEYWORDS = ("context_fn", "determinism_check", "debug", "early_stop")


def _reentrant(use_reentrant: Any, where: str) -> bool:
    if use_reentrant is None:
        warn(f"{where}: {_EXPLICIT}")
        return True
    return bool(use_reentrant)


def _mark(out: Any) -> Any:
    """The reentrant variant's outputs: one CheckpointFunctionBackward node over them."""
    if type(out) is Tensor and out.requires_grad:
        out = ops.members("Tensor")["view_as"](out, out)
        out.grad_fn.name = "CheckpointFunctionBackward"
        return out
    if type(out) is tuple:
        return tuple(_mark(o) for o in out)
    return out


def checkpoint(function: Any, *args: Any, use_reentrant: Any = None,
               preserve_rng_state: bool = True, **kwargs: Any) -> Any:
    """torch.utils.checkpoint.checkpoint(function, *args, use_reentrant=None, **kwargs)."""
    reentrant = _reentrant(use_reentrant, "torch.utils.checkpoint")
    if not reentrant:
        for key in _KEYWORDS:
            kwargs.pop(key, None)
        return function(*args, **kwargs)
    if kwargs:
        raise GdRuntimeError("Unexpected keyword arguments: " + ",".join(kwargs),
                             py_type="ValueError")
    if not any(type(a) is Tensor and a.requires_grad for a in args):
        warn("None of the inputs have requires_grad=True. Gradients will be None")
        with grad_mode(False):
            return function(*args)
    return _mark(function(*args))


def checkpoint_sequential(functions: Any, segments: int, input: Any, use_reentrant: Any = None,
                          **kwargs: Any) -> Any:
    """torch.utils.checkpoint.checkpoint_sequential: all but the last of `segments` runs of
    consecutive functions checkpointed, the last run as is."""
    reentrant = _reentrant(use_reentrant, "torch.utils.checkpoint.checkpoint_sequential")
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise GdRuntimeError("Unexpected keyword arguments: " + ",".join(kwargs),
                             py_type="ValueError")
    if isinstance(functions, ModuleInstance) and LAYERS["Sequential"] in functions.cls.chain:
        functions = [m for _, m in _named_children_list(functions)]
    functions = list(functions)

    def run(start: int, end: int) -> Any:
        def forward(x: Any) -> Any:
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=reentrant,
                           preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)


def namespace() -> Namespace:
    """The torch.utils.checkpoint module."""
    return Namespace("torch.utils.checkpoint", {
        "checkpoint": Builtin("torch.utils.checkpoint.checkpoint", checkpoint),
        "checkpoint_sequential": Builtin("torch.utils.checkpoint.checkpoint_sequential",
                                         checkpoint_sequential)})
