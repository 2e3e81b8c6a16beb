"""torch.utils.checkpoint: checkpoint and checkpoint_sequential for gd programs.

Checkpointing trades memory for a second forward during backward. gd keeps what PyTorch
would free, but runs the function again where PyTorch does, so what it prints, appends or
updates (a BatchNorm's running statistics, a module hook) happens as often as in PyTorch:

- the reentrant variant (the default, with a warning) is PyTorch's CheckpointFunction: its
  forward runs the function under no_grad, its node (CheckpointFunctionBackward) runs it
  again on detached inputs with grad enabled and backpropagates through that;
- the non-reentrant one runs the function with grad as is, its nodes keep what they save
  through saved-tensor hooks, and the first backward read of a saved tensor runs the
  function again (once per backward pass), stopping as soon as it saved as many tensors
  as the forward did (early_stop, PyTorch's default). Its gradients are the first run's.

Both rerun with the RNG state the forward began with (preserve_rng_state), the state after
the backward's rerun being what it was before it (PyTorch's fork_rng).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.autograd import backward as engine_backward
from gradcli.ad.saved_hooks import saved_tensors_hooks
from gradcli.ad.state import State, grad_mode, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import custom_function as CF
from gradcli.interp.nn_layers import LAYERS
from gradcli.interp.nn_module import ModuleInstance, _named_children_list
from gradcli.interp.values import Builtin, Namespace

_EXPLICIT = ("the use_reentrant parameter should be passed explicitly. Starting in PyTorch "
             "2.9, calling checkpoint without use_reentrant will raise an exception. "
             "use_reentrant=False is recommended, but if you need to preserve the current "
             "default behavior, you can pass use_reentrant=True. Refer to docs for more "
             "details on the differences between the two variants.")
_KEYWORDS = ("context_fn", "determinism_check", "debug")


def _reentrant(use_reentrant: Any, where: str) -> bool:
    if use_reentrant is None:
        warn(f"{where}: {_EXPLICIT}")
        return True
    return bool(use_reentrant)


class _ForkedRng:
    """torch.random.fork_rng with the forward's state set: the generator as before after."""

    __slots__ = ("saved", "state")

    def __init__(self, state: Any) -> None:
        self.state = state
        self.saved: Any = None

    def __enter__(self) -> None:
        if self.state is not None:
            self.saved = ops.generator().get_state()
            ops.generator().set_state(self.state)

    def __exit__(self, *exc: object) -> None:
        if self.state is not None:
            ops.generator().set_state(self.saved)


def _rng_state(preserve: Any) -> Any:
    return ops.generator().get_state() if preserve else None


# -- the reentrant variant: PyTorch's CheckpointFunction ------------------------------------

def _cf_forward(ctx: Any, run_function: Any, preserve_rng_state: Any, *args: Any) -> Any:
    if not any(type(a) is Tensor and a.requires_grad for a in args):
        warn("None of the inputs have requires_grad=True. Gradients will be None")
    ctx.attrs.update(run_function=run_function, rng=_rng_state(preserve_rng_state),
                     inputs=[None if type(a) is Tensor else a for a in args])
    ctx.save_for_backward(*[a for a in args if type(a) is Tensor])
    return run_function(*args)  # Function.apply runs forward under no_grad


def _cf_backward(ctx: Any, *grads: Any) -> tuple[Any, ...]:
    inputs = list(ctx.attrs["inputs"])
    tensors = iter(ctx.saved_tensors())
    for i, a in enumerate(inputs):
        if a is None:
            inputs[i] = next(tensors)
    with _ForkedRng(ctx.attrs["rng"]):
        detached = []
        for a in inputs:
            if type(a) is Tensor:
                d = a.detach()
                d.requires_grad_(a.requires_grad)
                a = d
            detached.append(a)
        with grad_mode(True):
            outputs = ctx.attrs["run_function"](*detached)
    outputs = (outputs,) if type(outputs) is Tensor else outputs
    pairs = [(o, g) for o, g in zip(outputs, grads, strict=False)
             if type(o) is Tensor and o.requires_grad]
    if not pairs:
        raise GdRuntimeError("none of output has requires_grad=True, this checkpoint() is "
                             "not necessary")
    engine_backward([o for o, _ in pairs], [g for _, g in pairs])
    return (None, None, *[d.grad if type(d) is Tensor else None for d in detached])


class _CheckpointFunction:
    """torch.utils.checkpoint.CheckpointFunction, as custom_function.apply takes a class."""

    __slots__ = ()
    name = "CheckpointFunction"
    bases = (CF.FUNCTION_BASE,)
    def lookup(self, name: str) -> Any:
        return {"forward": _cf_forward, "backward": _cf_backward}.get(name)


CHECKPOINT_FUNCTION = _CheckpointFunction()


# -- the non-reentrant variant: saved-tensor hooks that rerun the function ------------------

class _StopRecomputation(BaseException):
    """Raised by the rerun's pack hook once it saved what the forward did (early stop): a
    BaseException, so that no `except` of the program's (gd catches GdErrors) stops it."""


class _Frame:
    """One non-reentrant checkpoint: the function, its arguments, how many tensors the
    forward saved, and how many of them backward has read (a pass reads each once: the
    first read of a pass reruns the function)."""

    __slots__ = ("args", "early_stop", "fn", "kwargs", "packed", "reads", "rng")

    def __init__(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any], rng: Any,
                 early_stop: bool) -> None:
        self.fn, self.args, self.kwargs, self.rng = fn, args, kwargs, rng
        self.early_stop = early_stop
        self.packed = 0
        self.reads = 0

    def pack(self, x: Tensor) -> Tensor:
        self.packed += 1
        return x

    def unpack(self, x: Tensor) -> Tensor:
        if self.reads % self.packed == 0:
            self.recompute()
        self.reads += 1
        return x

    def recompute(self) -> None:
        count = [0]

        def pack(x: Tensor) -> Tensor:
            count[0] += 1
            if self.early_stop and count[0] == self.packed:
                raise _StopRecomputation
            return x

        try:
            with _ForkedRng(self.rng), saved_tensors_hooks(pack, lambda x: x), \
                    grad_mode(True):
                self.fn(*self.args, **self.kwargs)
        except _StopRecomputation:
            pass


def _without_reentrant(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                       preserve_rng_state: Any, early_stop: Any) -> Any:
    if not State.grad_enabled:
        return function(*args, **kwargs)
    frame = _Frame(function, args, kwargs, _rng_state(preserve_rng_state), bool(early_stop))
    with saved_tensors_hooks(frame.pack, frame.unpack):
        return function(*args, **kwargs)


def checkpoint(function: Any, *args: Any, use_reentrant: Any = None,
               preserve_rng_state: bool = True, early_stop: Any = True,
               **kwargs: Any) -> Any:
    """torch.utils.checkpoint.checkpoint(function, *args, use_reentrant=None, **kwargs)."""
    reentrant = _reentrant(use_reentrant, "torch.utils.checkpoint")
    if not reentrant:
        for key in _KEYWORDS:
            kwargs.pop(key, None)
        return _without_reentrant(function, args, kwargs, preserve_rng_state, early_stop)
    if kwargs:
        raise GdRuntimeError("Unexpected keyword arguments: " + ",".join(kwargs),
                             py_type="ValueError")
    return CF.apply(CHECKPOINT_FUNCTION, (function, preserve_rng_state, *args))


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
