"""torch.optim.Optimizer as a base class: a gd program's own optimizer.

`class MySGD(torch.optim.Optimizer)` calls `super().__init__(params, defaults)` and
writes `step`; its instances hold PyTorch's `param_groups`, `defaults` and `state` (the
same bookkeeping as the built-in optimizers, gradcli.interp.optim.Optimizer) and have
its methods (zero_grad, add_param_group, state_dict, load_state_dict), its printing and
its step's NotImplementedError. Anything else is an ordinary gd attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions, optim_hooks
from gradcli.interp.classes import ClassValue, InstanceValue, NativeMethod, _refuse_dunder
from gradcli.interp.optim import Optimizer, StateDict
from gradcli.interp.values import Builtin, type_name

_OWN = ("param_groups", "defaults", "state")


class OptimizerInstance(InstanceValue):
    """An instance of a gd subclass of torch.optim.Optimizer."""

    __slots__ = ("defaults", "hooks", "kind", "param_groups", "state")
    has_vars = False  # PyTorch's __dict__ holds its own bookkeeping: gd has no such dict

    def __init__(self, cls: ClassValue) -> None:
        super().__init__(cls)
        self.kind = cls.name  # as PyTorch's messages and printing name it
        self.hooks: Any = None
        self.defaults: Any = None
        self.param_groups: Any = None
        self.state: Any = None

    def get_attr(self, name: str) -> Any:
        if name in _OWN and name not in self.attrs:
            value = getattr(self, name)
            if value is not None:
                return value
        value = super().get_attr(name)
        if name == "step" and self.hooks is not None:
            # PyTorch wraps a subclass's step too (Optimizer._patch_step_function).
            step = value
            return Builtin(f"{self.kind}.step", lambda *args, **kwargs: optim_hooks.hooked_step(
                self, lambda _self, *a, **k: step(*a, **k), (self, *args), kwargs))
        return value

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        if name in _OWN:
            setattr(self, name, value)
            return
        super().set_attr(name, value)

    def gd_repr(self) -> str:
        fn = self._dunder("__repr__")
        if fn is not None or self.param_groups is None:
            return super().gd_repr()
        return Optimizer.gd_repr(self)  # type: ignore[arg-type]


def _init(self: OptimizerInstance, params: Any, defaults: Any) -> None:
    if not isinstance(self, OptimizerInstance):
        raise GdRuntimeError(f"'{type_name(self)}' object has no attribute 'defaults'",
                             py_type="AttributeError")
    if type(defaults) is not dict:
        raise GdRuntimeError(f"'{type(defaults).__name__}' object has no attribute 'items'",
                             py_type="AttributeError")
    self.state = StateDict()
    Optimizer.__init__(self, self.cls.name, params, defaults)  # type: ignore[arg-type]


def _step(self: OptimizerInstance, closure: Any = None) -> None:
    raise exceptions.ExceptionValue(exceptions.CLASSES["NotImplementedError"], ()).raised(None)


_METHODS: dict[str, Callable[..., Any]] = {
    "__init__": _init, "step": _step, "zero_grad": Optimizer.zero_grad,
    "add_param_group": Optimizer.add_param_group, "state_dict": Optimizer.state_dict,
    "load_state_dict": Optimizer.load_state_dict, **optim_hooks.METHODS,
}


class OptimizerBase(ClassValue):
    """torch.optim.Optimizer: built in, read-only; isinstance() knows the built-in
    optimizers as its instances too."""

    __slots__ = ()

    def __init__(self) -> None:
        attrs: dict[str, Any] = {key: NativeMethod(f"Optimizer.{key}", fn)
                                 for key, fn in _METHODS.items()}
        super().__init__("Optimizer", (), attrs, False)
        self.instance_type = type("Optimizer", (OptimizerInstance,), {"__slots__": ()})

    def gd_repr(self) -> str:
        return "<class 'torch.optim.optimizer.Optimizer'>"

    def get_attr(self, name: str) -> Any:
        if name == "__init__":  # torch.optim.Optimizer.__init__(self, params, defaults)
            return Builtin("Optimizer.__init__", _init, "Optimizer.__init__(self, params, "
                                                        "defaults)")
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        raise GdRuntimeError(f"cannot set attribute '{name}' of the built-in class "
                             "'torch.optim.optimizer.Optimizer' in gd", py_type="TypeError",
                             hint="subclass it and define the attribute there")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def instance_check(self, value: Any) -> bool:
        """isinstance(value, torch.optim.Optimizer): a built-in optimizer or a gd one."""
        return isinstance(value, (Optimizer, OptimizerInstance))

    def __call__(self, *args: Any, **kwargs: Any) -> InstanceValue:
        inst = self.instance_type(self)
        _init(inst, *args, **kwargs)
        return inst


OPTIMIZER = OptimizerBase()


def is_optimizer(value: Any) -> bool:
    """A built-in optimizer or an instance of a gd subclass of torch.optim.Optimizer."""
    return isinstance(value, (Optimizer, OptimizerInstance))
