"""torch.optim.lr_scheduler for gd programs: StepLR, MultiStepLR, ExponentialLR, LambdaLR
and CosineAnnealingLR, with PyTorch's (chainable) formulas in Python floats, in its order,
so the learning rates are PyTorch's to the last bit.

A scheduler is a gd value (GdObject) that writes its optimizer's `param_groups[i]["lr"]`;
only the attributes in `_ATTRIBUTES` and the methods in `_METHODS` reach a program.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.identity import object_repr
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError
from gradcli.interp.optim_base import is_optimizer
from gradcli.interp.values import BoundMethod, Builtin, GdObject, private_name_error, type_name


def set_initial_lrs(groups: list[Any], last_epoch: int) -> None:
    """PyTorch's LRScheduler.__init__ on the groups: a fresh schedule records each group's
    lr as its initial_lr; a resumed one (last_epoch >= 0) needs them, with PyTorch's
    KeyError text."""
    if last_epoch == -1:
        for group in groups:
            lr = group["lr"]
            group.setdefault("initial_lr", lr.clone() if type(lr) is Tensor else lr)
        return
    for i, group in enumerate(groups):
        if "initial_lr" not in group:
            raise GdRuntimeError(
                f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                "scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're "
                "trying to resume training from a checkpoint but haven't properly loaded the "
                "optimizer state\n2. You're using last_epoch >= 0 for a fresh training run "
                "(not recommended)", py_type="KeyError")

class Scheduler(GdObject):
    """A learning-rate scheduler of one optimizer: PyTorch's LRScheduler bookkeeping
    (base_lrs, last_epoch, the step count, the last lrs); `rule` is its get_lr."""

    __slots__ = ("_last_lr", "_step_count", "base_lrs", "initial", "kind", "last_epoch",
                 "optimizer", "params")

    def __init__(self, kind: str, optimizer: Any, params: dict[str, Any],
                 last_epoch: int = -1) -> None:
        if not is_optimizer(optimizer):
            raise GdRuntimeError(f"{type_name(optimizer)} is not an Optimizer",
                                 py_type="TypeError")
        self.kind = kind
        self.optimizer = optimizer
        self.params = params
        groups = optimizer.param_groups
        set_initial_lrs(groups, last_epoch)
        self.base_lrs = [group["initial_lr"] for group in groups]
        self.last_epoch = last_epoch
        self.initial_step()

    def step(self, epoch: Any = None) -> None:
        """Move the schedule on one epoch and write the new lrs into the optimizer."""
        own = _STEPS.get(self.kind)
        if own is not None:
            own(self, epoch)
            return
        self._step_count += 1
        self.update_lr(epoch)

    def update_lr(self, epoch: Any = None) -> None:
        """The next epoch's lrs (or epoch's, by the closed form) into the optimizer."""
        if epoch is None:
            self.last_epoch += 1
            values = _RULES[self.kind](self)
        else:
            self.last_epoch = epoch
            values = _CLOSED_FORMS.get(self.kind, _RULES[self.kind])(self)
        self.write(values)

    def write(self, values: list[Any]) -> None:
        """Set each group's lr (a tensor lr in place); remember them as the last lrs."""
        groups = self.optimizer.param_groups
        if len(values) != len(groups):
            raise GdRuntimeError("zip() argument 2 is shorter than argument 1"
                                 if len(values) < len(groups) else
                                 "zip() argument 2 is longer than argument 1",
                                 py_type="ValueError")
        for group, lr in zip(groups, values, strict=True):
            if type(group["lr"]) is Tensor:
                group["lr"].array[...] = lr.item() if type(lr) is Tensor else lr
            else:
                group["lr"] = lr
        self._last_lr = lrs(self)

    def initial_step(self) -> None:
        """PyTorch's _initial_step: the step count reset, one step in initial mode."""
        self._step_count = 0
        self.initial = True
        try:
            self.step()
        finally:
            self.initial = False

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's state (PyTorch's: its attributes but the optimizer)."""
        state = {k: v for k, v in self.params.items()
                 if k not in ("lr_lambdas", "milestones", "scale_fn")}
        state.update(base_lrs=self.base_lrs, last_epoch=self.last_epoch,
                     _step_count=self._step_count, _is_initial=False,
                     _get_lr_called_within_step=False, _last_lr=self._last_lr)
        if "lr_lambdas" in self.params:
            state["lr_lambdas"] = [None] * len(self.params["lr_lambdas"])
        if "milestones" in self.params:
            state["milestones"] = dict(self.params["milestones"])
        if "scale_fn" in self.params:  # CyclicLR's: a function is not saved (PyTorch's None)
            state["_scale_fn_custom"] = None
        return state

    def load_state_dict(self, state_dict: Any) -> None:
        """Take a state_dict() back (its values replace the scheduler's)."""
        if type(state_dict) is not dict:
            raise GdRuntimeError(f"'{type_name(state_dict)}' object has no attribute "
                                 "'pop'" if self.kind == "LambdaLR" else
                                 "dictionary update sequence element #0 has length 1; 2 is "
                                 "required", py_type="TypeError")
        for key, value in state_dict.items():
            if key == "base_lrs":
                self.base_lrs = value
            elif key == "last_epoch":
                self.last_epoch = value
            elif key == "_step_count":
                self._step_count = value
            elif key == "_last_lr":
                self._last_lr = value
            elif key == "milestones":
                self.params["milestones"] = Counter(value)
            elif key in self.params and key != "lr_lambdas":
                self.params[key] = value

    def get_lr(self) -> list[Any]:
        """PyTorch's get_lr called by the program: the next step's formula on the current
        state (not the last lrs), with PyTorch's warning."""
        warn("To get the last learning rate computed by the scheduler, please use "
             "`get_last_lr()`.")
        return _RULES[self.kind](self)

    def get_last_lr(self) -> list[Any]:
        """The learning rates the last step set, one per parameter group."""
        return list(self._last_lr)

    # -- gd's view of it ---------------------------------------------------------------
    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "optimizer":
            return self.optimizer
        if name == "base_lrs":
            return self.base_lrs
        if name == "last_epoch":
            return self.last_epoch
        if name in self.params:  # lr_lambdas (the list) and milestones (the Counter) too
            return self.params[name]
        method = _METHODS.get(name)
        if method is not None:
            return BoundMethod(self, name, method)
        raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if name == "last_epoch":
            self.last_epoch = value
            return
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.kind}' value")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{self.kind}' value")

    def gd_repr(self) -> str:
        return object_repr(f"torch.optim.lr_scheduler.{self.kind}", self)

    def type_label(self) -> str:
        return self.kind

    @property
    def torch_type(self) -> str:
        """PyTorch's class of it: torch.optim.lr_scheduler.StepLR."""
        return f"torch.optim.lr_scheduler.{self.kind}"


_METHODS: dict[str, Callable[..., Any]] = {
    "step": Scheduler.step, "get_last_lr": Scheduler.get_last_lr, "get_lr": Scheduler.get_lr,
    "state_dict": Scheduler.state_dict, "load_state_dict": Scheduler.load_state_dict,
}


def lrs(s: Any) -> list[Any]:
    """Each group's lr (a tensor lr copied, as PyTorch's _param_groups_val_list)."""
    return [g["lr"].clone() if type(g["lr"]) is Tensor else g["lr"]
            for g in s.optimizer.param_groups]


# -- the schedules: get_lr (each step) and the closed form (step(epoch)) -------------------

def _lambda(s: Scheduler) -> list[Any]:
    return [base_lr * fn(s.last_epoch)
            for fn, base_lr in zip(s.params["lr_lambdas"], s.base_lrs, strict=True)]


def _step(s: Scheduler) -> list[Any]:
    if s.last_epoch == 0 or s.last_epoch % s.params["step_size"] != 0:
        return lrs(s)
    return [g["lr"] * s.params["gamma"] for g in s.optimizer.param_groups]


def _step_closed(s: Scheduler) -> list[Any]:
    p = s.params
    return [base_lr * p["gamma"] ** (s.last_epoch // p["step_size"]) for base_lr in s.base_lrs]


def _multistep(s: Scheduler) -> list[Any]:
    milestones = s.params["milestones"]
    if s.last_epoch not in milestones:
        return lrs(s)
    return [g["lr"] * s.params["gamma"] ** milestones[s.last_epoch]
            for g in s.optimizer.param_groups]


def _multistep_closed(s: Scheduler) -> list[Any]:
    passed = sum(n for m, n in s.params["milestones"].items() if m <= s.last_epoch)
    return [base_lr * s.params["gamma"] ** passed for base_lr in s.base_lrs]


def _exponential(s: Scheduler) -> list[Any]:
    if s.initial:
        return lrs(s)
    return [g["lr"] * s.params["gamma"] for g in s.optimizer.param_groups]


def _exponential_closed(s: Scheduler) -> list[Any]:
    return [base_lr * s.params["gamma"] ** s.last_epoch for base_lr in s.base_lrs]


def _cosine(s: Scheduler) -> list[Any]:
    t_max, eta_min, epoch = s.params["T_max"], s.params["eta_min"], s.last_epoch
    groups = s.optimizer.param_groups
    if s.initial:
        return lrs(s)
    if s._step_count == 1 and epoch > 0:
        return [eta_min + (base_lr - eta_min) * (1 + math.cos(epoch * math.pi / t_max)) / 2
                for base_lr in s.base_lrs]
    if (epoch - 1 - t_max) % (2 * t_max) == 0:
        return [g["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                for base_lr, g in zip(s.base_lrs, groups, strict=True)]
    return [(1 + math.cos(math.pi * epoch / t_max)) / (1 + math.cos(math.pi * (epoch - 1)
                                                                    / t_max))
            * (g["lr"] - eta_min) + eta_min for g in groups]


def _cosine_closed(s: Scheduler) -> list[Any]:
    t_max, eta_min = s.params["T_max"], s.params["eta_min"]
    return [eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * s.last_epoch / t_max)) / 2
            for base_lr in s.base_lrs]


_RULES: dict[str, Callable[[Scheduler], list[Any]]] = {
    "LambdaLR": _lambda, "StepLR": _step, "MultiStepLR": _multistep,
    "ExponentialLR": _exponential, "CosineAnnealingLR": _cosine,
}
_CLOSED_FORMS: dict[str, Callable[[Scheduler], list[Any]]] = {
    "LambdaLR": _lambda, "StepLR": _step_closed, "MultiStepLR": _multistep_closed,
    "ExponentialLR": _exponential_closed, "CosineAnnealingLR": _cosine_closed,
}
_KINDS: dict[str, type[Any]] = {
    kind: type(kind, (Scheduler,), {"__slots__": ()}) for kind in _RULES}
#: Schedulers whose step is their own (CosineAnnealingWarmRestarts).
_STEPS: dict[str, Callable[[Scheduler, Any], None]] = {}


def register(kind: str, rule: Callable[[Scheduler], list[Any]] | None = None,
             closed: Callable[[Scheduler], list[Any]] | None = None,
             step: Callable[[Scheduler, Any], None] | None = None,
             base: type[Any] = Scheduler) -> type[Any]:
    """A further kind of schedule (gradcli.interp.lr_schedules): its get_lr, closed form
    and own step where it has them; its class, named as PyTorch's."""
    if rule is not None:
        _RULES[kind] = rule
    if closed is not None:
        _CLOSED_FORMS[kind] = closed
    if step is not None:
        _STEPS[kind] = step
    cls = _KINDS[kind] = type(kind, (base,), {"__slots__": ()})
    return cls


# -- the constructors, with PyTorch's signatures ---------------------------------------------

def _lambda_lr(self: None, optimizer: Any, lr_lambda: Any, last_epoch: int = -1) -> Scheduler:
    if is_optimizer(optimizer):
        n = len(optimizer.param_groups)
        if not isinstance(lr_lambda, (list, tuple)):
            lambdas = [lr_lambda] * n
        elif len(lr_lambda) != n:
            raise GdRuntimeError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}",
                                 py_type="ValueError")
        else:
            lambdas = list(lr_lambda)
    else:
        lambdas = []
    return _KINDS["LambdaLR"]("LambdaLR", optimizer, {"lr_lambdas": lambdas}, last_epoch)


def _step_lr(self: None, optimizer: Any, step_size: int, gamma: float = 0.1,
             last_epoch: int = -1) -> Scheduler:
    return _KINDS["StepLR"]("StepLR", optimizer, {"step_size": step_size, "gamma": gamma},
                            last_epoch)


def _multistep_lr(self: None, optimizer: Any, milestones: Any, gamma: float = 0.1,
                  last_epoch: int = -1) -> Scheduler:
    return _KINDS["MultiStepLR"]("MultiStepLR", optimizer,
                                 {"milestones": Counter(milestones), "gamma": gamma},
                                 last_epoch)


def _exponential_lr(self: None, optimizer: Any, gamma: float,
                    last_epoch: int = -1) -> Scheduler:
    return _KINDS["ExponentialLR"]("ExponentialLR", optimizer, {"gamma": gamma}, last_epoch)


def _cosine_lr(self: None, optimizer: Any, T_max: int, eta_min: float = 0.0,
               last_epoch: int = -1) -> Scheduler:
    return _KINDS["CosineAnnealingLR"]("CosineAnnealingLR", optimizer,
                                       {"T_max": T_max, "eta_min": eta_min}, last_epoch)


class SchedulerClass(Builtin):
    """torch.optim.lr_scheduler.<kind>: makes the scheduler, prints as PyTorch's class;
    Python's own argument errors name it as PyTorch does (StepLR.__init__())."""

    __slots__ = ()
    is_class = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.fn(None, *args, **kwargs)
        except TypeError as e:
            raise GdRuntimeError(str(e), py_type="TypeError") from None

    def instance_check(self, value: Any) -> bool:
        """isinstance(value, this class)."""
        return type(value) is _KINDS[self.name.rsplit(".", 1)[-1]]

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


def constructor(kind: str, fn: Callable[..., Any]) -> SchedulerClass:
    fn.__name__ = "__init__"
    fn.__qualname__ = f"{kind}.__init__"
    return SchedulerClass(f"torch.optim.lr_scheduler.{kind}", fn,
                          f"torch.optim.lr_scheduler.{kind}(optimizer, ...): PyTorch's "
                          f"{kind} learning-rate schedule")


#: torch.optim.lr_scheduler's members.
SCHEDULERS: dict[str, SchedulerClass] = {
    kind: constructor(kind, fn) for kind, fn in (
        ("LambdaLR", _lambda_lr), ("StepLR", _step_lr), ("MultiStepLR", _multistep_lr),
        ("ExponentialLR", _exponential_lr), ("CosineAnnealingLR", _cosine_lr))
}
