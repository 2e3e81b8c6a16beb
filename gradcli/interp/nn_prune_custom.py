"""torch.nn.utils.prune.BasePruningMethod for a program's own pruning methods, as the
PyTorch pruning tutorial writes them:

    class FooBarPruningMethod(prune.BasePruningMethod):
        PRUNING_TYPE = 'unstructured'
        def compute_mask(self, t, default_mask): ...
    FooBarPruningMethod.apply(module, 'bias')

The subclass is a gd class; its instances are gd instances that nn_prune registers as the
module's forward pre-hook, as PyTorch registers the method object itself. The base gives
what torch/nn/utils/prune.py's BasePruningMethod gives: the class method `apply`, and
`apply_mask`, `prune`, `remove` and `__call__` (the hook: recompute module.name).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_prune
from gradcli.interp.classes import ClassMethod, ClassValue, InstanceValue, NativeMethod
from gradcli.interp.values import FunctionBase

_QUALNAME = "torch.nn.utils.prune.BasePruningMethod"


class _Dunder(FunctionBase):
    """A protocol method of the base (`__call__`) in the form gd instances call theirs."""

    __slots__ = ("fn", "name")

    def __init__(self, name: str, fn: Any) -> None:
        self.name = name
        self.fn = fn

    def invoke(self, args: list[Any], kwargs: dict[str, Any] | None) -> Any:
        return self.fn(*args, **(kwargs or {}))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {self.name}>"


class BaseClass(ClassValue):
    """prune.BasePruningMethod: prints with PyTorch's path, read-only."""

    __slots__ = ()
    abc_base = True  # PyTorch's is an abc.ABC: its subclasses' type is abc.ABCMeta

    def gd_repr(self) -> str:
        return f"<class '{_QUALNAME}'>"

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of the built-in class "
                             f"'{_QUALNAME}' in gd", py_type="TypeError")


def is_pruning_method(v: Any) -> bool:
    """Whether v is an instance of a program's subclass of BasePruningMethod."""
    return isinstance(v, InstanceValue) and BASE in v.cls.chain


def _name(self: InstanceValue) -> str:
    name = self.attrs.get("_tensor_name")
    if not isinstance(name, str):
        raise GdRuntimeError(f"'{self.cls.name}' object has no attribute '_tensor_name'",
                             py_type="AttributeError")
    return name


def _apply(cls: ClassValue, module: Any, name: str, *args: Any,
           importance_scores: Any = None, **kwargs: Any) -> Any:
    """cls.apply(module, name, *args, importance_scores=None, **kwargs): prune
    module.name with cls(*args, **kwargs); the method (PyTorch returns it)."""
    method = cls(*args, **kwargs)
    nn_prune._apply(module, name, method, importance_scores)
    return method


def _prune(self: InstanceValue, t: Tensor, default_mask: Any = None,
           importance_scores: Any = None) -> Tensor:
    """method.prune(t): t times the mask compute_mask gives."""
    scores = t if importance_scores is None else importance_scores
    default = ops.members("torch")["ones_like"](t) if default_mask is None else default_mask
    return ops.members("Tensor")["mul"](t, nn_prune.compute_mask(self, scores, default))


def _remove(self: InstanceValue, module: Any) -> None:
    nn_prune.remove(module, _name(self))


def _apply_mask(self: InstanceValue, module: Any) -> Tensor:
    return nn_prune.apply_mask(_name(self), module)


def _hook(self: InstanceValue, module: Any, inputs: Any) -> None:
    module.set_attr(_name(self), nn_prune.apply_mask(_name(self), module))


BASE = BaseClass("BasePruningMethod", (), {
    "apply": ClassMethod(_apply),
    "prune": NativeMethod("BasePruningMethod.prune", _prune),
    "remove": NativeMethod("BasePruningMethod.remove", _remove),
    "apply_mask": NativeMethod("BasePruningMethod.apply_mask", _apply_mask),
    "__call__": _Dunder("BasePruningMethod.__call__", _hook),
}, False)
BASE.qualname = "BasePruningMethod"
