"""torch.optim.lr_scheduler's ReduceLROnPlateau (the rate cut when a metric stops
improving), SequentialLR and ChainedScheduler (schedules in turn, or all at once), with
PyTorch's arithmetic and checks. Only the attributes named here reach a program.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, ClassVar

from gradcli.ad.graph import Tensor
from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions
from gradcli.interp import lr_scheduler as L
from gradcli.interp.optim_base import is_optimizer
from gradcli.interp.values import (
    BoundMethod,
    GdObject,
    private_name_error,
    to_repr,
    type_name,
)

_NO_METRICS = object()


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


class Composite(GdObject):
    """A scheduler that is not a schedule formula: its public attributes in `fields`."""

    __slots__ = ("fields", "kind", "optimizer")
    METHODS: ClassVar[dict[str, Callable[..., Any]]] = {}

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "optimizer":
            return self.optimizer
        if name in self.fields:
            return self.fields[name]
        method = self.METHODS.get(name)
        if method is not None:
            return BoundMethod(self, name, method)
        raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if not name.startswith("_") and name in self.fields:
            self.fields[name] = value
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
        """PyTorch's class of it."""
        return f"torch.optim.lr_scheduler.{self.kind}"

    def get_last_lr(self) -> list[Any]:
        """The learning rates the last step set, one per parameter group."""
        return list(self.fields["_last_lr"])

    def get_lr(self) -> None:
        """LRScheduler's get_lr, which these do not override: NotImplementedError."""
        raise exceptions.ExceptionValue(exceptions.CLASSES["NotImplementedError"],
                                        ()).raised(None)

    def state_dict(self) -> dict[str, Any]:
        """Its state: every attribute but the optimizer (and the schedulers' own)."""
        return {k: ([s.state_dict() for s in v] if k == "_schedulers" else v)
                for k, v in self.fields.items()}

    def load_state_dict(self, state_dict: Any) -> None:
        """Take a state_dict() back."""
        if type(state_dict) is not dict:
            raise GdRuntimeError(f"'{type_name(state_dict)}' object is not iterable",
                                 py_type="TypeError")
        for key, value in state_dict.items():
            if key == "_schedulers":
                for s, saved in zip(self.fields["_schedulers"], value, strict=False):
                    s.load_state_dict(saved)
            else:
                self.fields[key] = value


# -- ReduceLROnPlateau ------------------------------------------------------------------------

class ReduceLROnPlateau(Composite):
    """Cut the lrs by `factor` once the metric has not improved for `patience` steps."""

    __slots__ = ()

    def __init__(self, optimizer: Any, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr: Any = 0, eps: float = 1e-8) -> None:
        self.kind = "ReduceLROnPlateau"
        if factor >= 1.0:
            raise _value_error("Factor should be < 1.0.")
        if not is_optimizer(optimizer):
            raise GdRuntimeError(f"{type_name(optimizer)} is not an Optimizer",
                                 py_type="TypeError")
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != n:
                raise _value_error(f"expected {n} min_lrs, got {len(min_lr)}")
            default_min_lr, min_lrs = None, list(min_lr)
        else:
            default_min_lr, min_lrs = min_lr, [min_lr] * n
        if mode not in ("min", "max"):
            raise _value_error(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise _value_error(f"threshold mode {threshold_mode} is unknown!")
        worse = math.inf if mode == "min" else -math.inf
        self.fields: dict[str, Any] = {
            "factor": factor, "default_min_lr": default_min_lr, "min_lrs": min_lrs,
            "patience": patience, "cooldown": cooldown, "eps": eps, "last_epoch": 0,
            "_last_lr": L.lrs(self), "mode_worse": worse, "mode": mode,
            "threshold": threshold, "threshold_mode": threshold_mode, "best": worse,
            "cooldown_counter": 0, "num_bad_epochs": 0}

    def is_better(self, a: float, best: float) -> bool:
        f = self.fields
        if f["mode"] == "min" and f["threshold_mode"] == "rel":
            return a < best * (1.0 - f["threshold"])
        if f["mode"] == "min":
            return a < best - f["threshold"]
        if f["threshold_mode"] == "rel":
            return a > best * (f["threshold"] + 1.0)
        return a > best + f["threshold"]

    def step(self, metrics: Any = _NO_METRICS, epoch: Any = None) -> None:
        """One epoch's metric: count it as an improvement or not; maybe cut the lrs."""
        if metrics is _NO_METRICS:
            raise GdRuntimeError("ReduceLROnPlateau.step() missing 1 required positional "
                                 "argument: 'metrics'", py_type="TypeError")
        try:
            current = float(metrics)
        except ValueError as e:
            raise _value_error(str(e)) from None
        except TypeError:
            raise GdRuntimeError("float() argument must be a string or a real number, not "
                                 f"'{type_name(metrics)}'", py_type="TypeError") from None
        f = self.fields
        if epoch is None:
            epoch = f["last_epoch"] + 1
        f["last_epoch"] = epoch
        if self.is_better(current, f["best"]):
            f["best"] = current
            f["num_bad_epochs"] = 0
        else:
            f["num_bad_epochs"] += 1
        if f["cooldown_counter"] > 0:
            f["cooldown_counter"] -= 1
            f["num_bad_epochs"] = 0
        if f["num_bad_epochs"] > f["patience"]:
            self._reduce_lr()
            f["cooldown_counter"] = f["cooldown"]
            f["num_bad_epochs"] = 0
        f["_last_lr"] = L.lrs(self)

    def _reduce_lr(self) -> None:
        f = self.fields
        groups = self.optimizer.param_groups
        if len(groups) != len(f["min_lrs"]):
            if f["default_min_lr"] is None:
                raise GdRuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(f['min_lrs'])}), "
                    "usually due to a new param group being added to the optimizer. Please "
                    "modify the `min_lrs` field to match the length of the `optimizer` param "
                    "groups.")
            f["min_lrs"] = [f["default_min_lr"]] * len(groups)
        for i, group in enumerate(groups):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * f["factor"], f["min_lrs"][i])
            if old_lr - new_lr > f["eps"]:
                if type(group["lr"]) is Tensor:
                    group["lr"].array[...] = new_lr
                else:
                    group["lr"] = new_lr

    @property
    def in_cooldown(self) -> bool:
        """Whether the cooldown after a cut still runs."""
        return self.fields["cooldown_counter"] > 0

    def get_attr(self, name: str) -> Any:
        if name == "in_cooldown":
            return self.in_cooldown
        return super().get_attr(name)


ReduceLROnPlateau.METHODS = {
    "step": ReduceLROnPlateau.step, "get_last_lr": Composite.get_last_lr,
    "get_lr": Composite.get_lr,
    "state_dict": Composite.state_dict, "load_state_dict": Composite.load_state_dict,
}


# -- SequentialLR and ChainedScheduler -------------------------------------------------------

def _check_members(kind: str, optimizer: Any, schedulers: Any) -> list[Any]:
    schedulers = list(schedulers)
    for i, s in enumerate(schedulers):
        if not isinstance(s, (L.Scheduler, Composite)):
            raise GdRuntimeError(f"{kind} at index {i} should have `optimizer` as its "
                                 "attribute.", py_type="TypeError")
        if isinstance(s, ReduceLROnPlateau):
            raise _value_error(
                f"{kind} does not support `ReduceLROnPlateau` scheduler as it requires "
                "additional kwargs to be specified when calling `step`, but got one at index "
                f"{i} in the given schedulers sequence.")
        if optimizer is not s.optimizer:
            raise _value_error(
                f"{kind} expects all schedulers to belong to the same optimizer, but got "
                f"scheduler {s.kind} at index {i} has {to_repr(s.optimizer)}, which is "
                f"different from {type_name(optimizer)}.")
    return schedulers


def _undo(s: Any) -> None:
    if isinstance(s, Composite) and "_schedulers" in s.fields:
        for inner in s.fields["_schedulers"]:
            _undo(inner)
    elif isinstance(s, L.Scheduler):
        s.last_epoch -= 1
    elif isinstance(s, Composite) and "last_epoch" in s.fields:
        s.fields["last_epoch"] -= 1


class SequentialLR(Composite):
    """Schedulers in turn, switching at the milestones."""

    __slots__ = ()

    def __init__(self, optimizer: Any, schedulers: Any, milestones: Any,
                 last_epoch: int = -1) -> None:
        self.kind = "SequentialLR"
        if not isinstance(schedulers, (list, tuple)):
            raise GdRuntimeError(f"object of type '{type_name(schedulers)}' has no len()",
                                 py_type="TypeError")
        schedulers = list(schedulers)
        if len(schedulers) < 1:
            raise _value_error("SequentialLR expects at least one scheduler, but got no "
                               "scheduler.")
        schedulers = _check_members("SequentialLR", optimizer, schedulers)
        milestones = list(milestones)
        if len(milestones) != len(schedulers) - 1:
            raise _value_error(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                f"than the number of milestone points, but got number of schedulers "
                f"{len(schedulers)} and the number of milestones to be equal to "
                f"{len(milestones)}")
        self.optimizer = optimizer
        self.fields = {"_schedulers": schedulers, "_milestones": milestones,
                       "last_epoch": last_epoch + 1}
        for group in optimizer.param_groups:
            if type(group["lr"]) is Tensor:
                group["lr"].array[...] = float(group["initial_lr"])
            else:
                group["lr"] = group["initial_lr"]
        for s in schedulers:
            _undo(s)
        first = schedulers[bisect_right(milestones, 0)]
        first.initial_step()
        self.fields["_last_lr"] = first.get_last_lr()

    def step(self) -> None:
        """One epoch on the scheduler whose turn it is (a new one starts at epoch 0)."""
        f = self.fields
        f["last_epoch"] += 1
        idx = bisect_right(f["_milestones"], f["last_epoch"])
        scheduler = f["_schedulers"][idx]
        if idx > 0 and f["_milestones"][idx - 1] == f["last_epoch"]:
            scheduler.update_lr(0)
        else:
            scheduler.step()
        f["_last_lr"] = scheduler.get_last_lr()


class ChainedScheduler(Composite):
    """Every scheduler stepped at each step, in order."""

    __slots__ = ()

    def __init__(self, schedulers: Any, optimizer: Any = None) -> None:
        self.kind = "ChainedScheduler"
        schedulers = list(schedulers)
        if len(schedulers) < 1:
            raise _value_error("ChainedScheduler expects at least one scheduler to be "
                               "chained, but got no scheduler.")
        if optimizer is None:
            first = schedulers[0]
            if not isinstance(first, (L.Scheduler, Composite)):
                raise GdRuntimeError(f"'{type_name(first)}' object has no attribute "
                                     "'optimizer'", py_type="AttributeError")
            optimizer = first.optimizer
        schedulers = _check_members("ChainedScheduler", optimizer, schedulers)
        self.optimizer = optimizer
        self.fields = {"_schedulers": schedulers,
                       "_last_lr": L.lrs(schedulers[-1])}

    def step(self) -> None:
        """Step every scheduler."""
        for s in self.fields["_schedulers"]:
            s.step()
        self.fields["_last_lr"] = L.lrs(self.fields["_schedulers"][-1])


for _cls in (SequentialLR, ChainedScheduler):
    _cls.METHODS = {"step": _cls.step, "get_last_lr": Composite.get_last_lr,
                    "get_lr": Composite.get_lr,
                    "state_dict": Composite.state_dict,
                    "load_state_dict": Composite.load_state_dict}


def _constructor(kind: str, cls: type[Composite]) -> L.SchedulerClass:
    def make(self: None, *args: Any, **kwargs: Any) -> Composite:
        return cls(*args, **kwargs)

    L._KINDS[kind] = cls
    make.__name__ = "__init__"
    make.__qualname__ = f"{kind}.__init__"
    return L.SchedulerClass(f"torch.optim.lr_scheduler.{kind}", make,
                            f"torch.optim.lr_scheduler.{kind}: PyTorch's {kind}")


#: These members of torch.optim.lr_scheduler.
SCHEDULERS: dict[str, L.SchedulerClass] = {
    kind: _constructor(kind, cls) for kind, cls in (
        ("ReduceLROnPlateau", ReduceLROnPlateau), ("SequentialLR", SequentialLR),
        ("ChainedScheduler", ChainedScheduler))
}
