"""What torch.compile(module) returns: torch._dynamo's OptimizedModule around the module.

gd runs the module eagerly (the same values), inside the wrapper PyTorch puts around it: a
module with one child, `_orig_mod`, so it prints as `OptimizedModule((_orig_mod): ...)`,
its state_dict and named_parameters carry the `_orig_mod.` prefix (and loading the bare
module's state_dict into it fails as in PyTorch), every other attribute is the wrapped
module's (read, written, deleted), `training` included; an output that requires grad has
the compiled graph's node, CompiledFunctionBackward, as its grad_fn.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.interp.classes import _MISSING
from gradcli.interp.nn_layers import _layer
from gradcli.interp.nn_module import ModuleInstance, _init
from gradcli.interp.values import Builtin, FunctionBase

#: The wrapper's own attributes (OptimizedModule._opt_mod_attributes): the rest are the
#: wrapped module's.
_OWN = frozenset({"_orig_mod", "dynamo_ctx", "forward", "_forward", "get_compiler_config"})


def _orig(self: ModuleInstance) -> Any:
    return (self.mods or {}).get("_orig_mod")


class OptimizedInstance(ModuleInstance):
    """An OptimizedModule: its own attributes, then the wrapped module's (__getattr__)."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        orig = _orig(self)
        if orig is None or name in _OWN or (name != "training" and (
                name in self.attrs or self.cls.find(name) is not _MISSING)):
            return super().get_attr(name)
        return orig.get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        orig = _orig(self)
        if orig is None or name in _OWN or self.cls.find(name) is not _MISSING:
            super().set_attr(name, value)
        else:
            orig.set_attr(name, value)

    def del_attr(self, name: str) -> None:
        orig = _orig(self)
        if orig is None or name in _OWN or self.cls.find(name) is not _MISSING:
            super().del_attr(name)
        else:
            orig.del_attr(name)

    def __len__(self) -> int:
        return len(_orig(self))


def _mark(out: Any) -> Any:
    """The compiled graph's outputs: one CompiledFunctionBackward node over each."""
    if type(out) is Tensor and out.requires_grad:
        out = ops.members("Tensor")["view_as"](out, out)
        out.grad_fn.name = "CompiledFunctionBackward"
        return out
    if type(out) in (tuple, list):
        return type(out)(_mark(o) for o in out)
    if type(out) is dict:
        return {k: _mark(v) for k, v in out.items()}
    return out


def _init_optimized(self: ModuleInstance, mod: Any) -> None:
    _init(self)
    self.method("add_module")("_orig_mod", mod)


OPTIMIZED_MODULE = _layer("OptimizedModule", "", {
    "__init__": _init_optimized,
    "forward": lambda self, *args, **kwargs: _mark(_orig(self)(*args, **kwargs))})
OPTIMIZED_MODULE.qualname = "torch._dynamo.eval_frame.OptimizedModule"
OPTIMIZED_MODULE.instance_type = type("OptimizedModule", (OptimizedInstance,), {"__slots__": ()})


class CompiledFunction(Builtin):
    """What torch.compile(fn) gives for a gd function: it runs fn, its outputs that require
    grad get CompiledFunctionBackward; it prints as fn does."""

    __slots__ = ("wrapped",)

    def __init__(self, fn: Any) -> None:
        super().__init__(getattr(fn, "name", "function"),
                         lambda *args, **kwargs: _mark(fn(*args, **kwargs)), "compiled")
        self.wrapped = fn

    def __repr__(self) -> str:
        return repr(self.wrapped)


def compiled(obj: Any) -> Any:
    """torch.compile(obj): a module wrapped in an OptimizedModule, a gd function in a
    CompiledFunction, anything else itself."""
    if isinstance(obj, ModuleInstance):
        return OPTIMIZED_MODULE(obj)
    if isinstance(obj, FunctionBase):
        return CompiledFunction(obj)
    return obj
