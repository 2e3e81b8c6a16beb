"""torch.optim.lr_scheduler.LRScheduler (and its old name _LRScheduler) as a base class: a
gd program's own schedule.

`class Warmup(LRScheduler)` sets its fields, calls `super().__init__(optimizer,
last_epoch)` and writes `get_lr`; the bookkeeping is PyTorch's (initial_lr in each
group, base_lrs, last_epoch, _step_count, _last_lr, the initial step), kept in the
instance's own attributes as PyTorch keeps them in its __dict__, so the program reads and
writes them as it would there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions
from gradcli.interp.classes import ClassValue, InstanceValue, NativeMethod, _refuse_dunder
from gradcli.interp.lr_scheduler import Scheduler, set_initial_lrs
from gradcli.interp.optim_base import is_optimizer
from gradcli.interp.values import Builtin, FunctionBase, type_name


def _lrs(optimizer: Any) -> list[Any]:
    return [g["lr"].clone() if type(g["lr"]) is Tensor else g["lr"]
            for g in optimizer.param_groups]


def _init(self: InstanceValue, optimizer: Any, last_epoch: int = -1) -> None:
    if not isinstance(self, SchedulerInstance):
        raise GdRuntimeError(f"'{type_name(self)}' object has no attribute 'optimizer'",
                             py_type="AttributeError")
    if not is_optimizer(optimizer):
        raise GdRuntimeError(f"{type_name(optimizer)} is not an Optimizer", py_type="TypeError")
    a = self.attrs
    a["optimizer"] = optimizer
    groups = optimizer.param_groups
    set_initial_lrs(groups, last_epoch)
    a["base_lrs"] = [g["initial_lr"].clone() if type(g["initial_lr"]) is Tensor
                     else g["initial_lr"] for g in groups]
    a["last_epoch"] = last_epoch
    a["_step_count"] = 0
    a["_is_initial"] = True
    try:
        self.get_attr("step")()
    finally:
        a["_is_initial"] = False


def _step(self: InstanceValue, epoch: Any = None) -> None:
    a = self.attrs
    a["_step_count"] = a.get("_step_count", 0) + 1
    a["_get_lr_called_within_step"] = True
    try:
        if epoch is None:
            a["last_epoch"] = a["last_epoch"] + 1
            values = self.get_attr("get_lr")()
        else:
            a["last_epoch"] = epoch
            closed = isinstance(self.cls.find("_get_closed_form_lr"), FunctionBase)
            values = self.get_attr("_get_closed_form_lr" if closed else "get_lr")()
    finally:
        a["_get_lr_called_within_step"] = False
    groups = a["optimizer"].param_groups
    values = list(values)
    if len(values) != len(groups):
        raise GdRuntimeError("zip() argument 2 is shorter than argument 1"
                             if len(values) < len(groups) else
                             "zip() argument 2 is longer than argument 1", py_type="ValueError")
    for group, lr in zip(groups, values, strict=True):
        if type(group["lr"]) is Tensor:
            group["lr"].array[...] = lr.item() if type(lr) is Tensor else lr
        else:
            group["lr"] = lr
    a["_last_lr"] = _lrs(a["optimizer"])


def _get_lr(self: InstanceValue) -> None:
    raise exceptions.ExceptionValue(exceptions.CLASSES["NotImplementedError"], ()).raised(None)


def _get_last_lr(self: InstanceValue) -> Any:
    return self.attrs["_last_lr"]


def _state_dict(self: InstanceValue) -> dict[str, Any]:
    return {k: v for k, v in self.attrs.items() if k != "optimizer"}


def _load_state_dict(self: InstanceValue, state_dict: Any) -> None:
    if type(state_dict) is not dict:
        raise GdRuntimeError("dictionary update sequence element #0 has length 1; 2 is "
                             "required", py_type="TypeError")
    self.attrs.update(state_dict)


_METHODS: dict[str, Callable[..., Any]] = {
    "__init__": _init, "step": _step, "get_lr": _get_lr, "get_last_lr": _get_last_lr,
    "state_dict": _state_dict, "load_state_dict": _load_state_dict,
}


class SchedulerInstance(InstanceValue):
    """An instance of a gd subclass of LRScheduler."""

    __slots__ = ()
    has_vars = False  # PyTorch's __dict__ holds its own bookkeeping: gd has no such dict

    def gd_repr(self) -> str:
        if self._dunder("__repr__") is not None:
            return super().gd_repr()
        return object_repr(f"__main__.{self.cls.name}", self)


class SchedulerBase(ClassValue):
    """torch.optim.lr_scheduler.LRScheduler: built in and read-only; isinstance() knows
    the built-in schedulers as its instances too."""

    __slots__ = ("qualname",)

    def __init__(self, name: str) -> None:
        attrs: dict[str, Any] = {key: NativeMethod(f"{name}.{key}", fn)
                                 for key, fn in _METHODS.items()}
        super().__init__(name, (), attrs, False)
        self.instance_type = type(name, (SchedulerInstance,), {"__slots__": ()})
        self.qualname = f"torch.optim.lr_scheduler.{name}"

    def gd_repr(self) -> str:
        return f"<class '{self.qualname}'>"

    def get_attr(self, name: str) -> Any:
        if name == "__init__":
            return Builtin(f"{self.name}.__init__", _init,
                           f"{self.name}.__init__(self, optimizer, last_epoch=-1)")
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        raise GdRuntimeError(f"cannot set attribute '{name}' of the built-in class "
                             f"'{self.qualname}' in gd", py_type="TypeError",
                             hint="subclass it and define the attribute there")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def instance_check(self, value: Any) -> bool:
        """isinstance(value, LRScheduler): a built-in scheduler or a gd one; for the
        deprecated _LRScheduler (a subclass of LRScheduler no built-in derives from), only
        a program's subclass of it."""
        from gradcli.interp.lr_compose import Composite

        if self.name == "_LRScheduler":
            return isinstance(value, SchedulerInstance) and self in value.cls.chain
        return isinstance(value, (Scheduler, Composite, SchedulerInstance))


#: torch.optim.lr_scheduler.LRScheduler and _LRScheduler.
LR_SCHEDULER = SchedulerBase("LRScheduler")
OLD_LR_SCHEDULER = SchedulerBase("_LRScheduler")
