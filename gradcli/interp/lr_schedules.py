"""More of torch.optim.lr_scheduler: MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR,
CyclicLR, OneCycleLR and CosineAnnealingWarmRestarts, each PyTorch's formula in Python
floats in its order (so the rates are PyTorch's to the last bit), on the bookkeeping of
gradcli.interp.lr_scheduler.Scheduler; ReduceLROnPlateau, SequentialLR and
ChainedScheduler are in gradcli.interp.lr_compose.
"""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.lr_scheduler import Scheduler, SchedulerClass, constructor, lrs, register
from gradcli.interp.optim_base import is_optimizer
from gradcli.interp.values import type_name


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def _check_optimizer(optimizer: Any) -> None:
    if not is_optimizer(optimizer):
        raise GdRuntimeError(f"{type_name(optimizer)} is not an Optimizer", py_type="TypeError")


def _groups(s: Scheduler) -> list[dict[str, Any]]:
    return s.optimizer.param_groups


# -- MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR ------------------------------------

def _multiplicative(s: Scheduler) -> list[Any]:
    if s.initial:
        return lrs(s)
    return [g["lr"] * fn(s.last_epoch)
            for fn, g in zip(s.params["lr_lambdas"], _groups(s), strict=True)]


def _constant(s: Scheduler) -> list[Any]:
    factor, total = s.params["factor"], s.params["total_iters"]
    if s.last_epoch == 0:
        return [g["lr"] * factor for g in _groups(s)]
    if s.last_epoch != total:
        return lrs(s)
    return [g["lr"] * (1.0 / factor) for g in _groups(s)]


def _constant_closed(s: Scheduler) -> list[Any]:
    factor, total = s.params["factor"], s.params["total_iters"]
    return [base_lr * (factor + (s.last_epoch >= total) * (1 - factor))
            for base_lr in s.base_lrs]


def _linear(s: Scheduler) -> list[Any]:
    start, end, total = (s.params[k] for k in ("start_factor", "end_factor", "total_iters"))
    if s.last_epoch == 0:
        return [g["lr"] * start for g in _groups(s)]
    if s.initial or s.last_epoch > total:
        return lrs(s)
    return [g["lr"] * (1.0 + (end - start) / (total * start + (s.last_epoch - 1)
                                              * (end - start)))
            for g in _groups(s)]


def _linear_closed(s: Scheduler) -> list[Any]:
    start, end, total = (s.params[k] for k in ("start_factor", "end_factor", "total_iters"))
    return [base_lr * (start + (end - start) * min(total, s.last_epoch) / total)
            for base_lr in s.base_lrs]


def _polynomial(s: Scheduler) -> list[Any]:
    total, power = s.params["total_iters"], s.params["power"]
    if s.initial or s.last_epoch > total:
        return lrs(s)
    decay = ((1.0 - s.last_epoch / total) / (1.0 - (s.last_epoch - 1) / total)) ** power
    return [g["lr"] * decay for g in _groups(s)]


def _polynomial_closed(s: Scheduler) -> list[Any]:
    total, power = s.params["total_iters"], s.params["power"]
    return [base_lr * (1.0 - min(total, s.last_epoch) / total) ** power
            for base_lr in s.base_lrs]


# -- CyclicLR and OneCycleLR (they cycle the momentum too) -----------------------------------

def _set_momentum(group: dict[str, Any], use_beta1: bool, value: Any) -> None:
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


def _scale(s: Scheduler, x: Any) -> Any:
    p = s.params
    if p["scale_fn"] is not None:
        return p["scale_fn"](x)
    if p["mode"] == "triangular":
        return 1.0
    if p["mode"] == "triangular2":
        return 1 / (2.0 ** (x - 1))
    return p["gamma"] ** x


def _cyclic(s: Scheduler) -> list[Any]:
    p = s.params
    cycle = math.floor(1 + s.last_epoch / p["total_size"])
    x = 1.0 + s.last_epoch / p["total_size"] - cycle
    if x <= p["step_ratio"]:
        scale_factor = x / p["step_ratio"]
    else:
        scale_factor = (x - 1) / (p["step_ratio"] - 1)
    at = cycle if p["scale_mode"] == "cycle" else s.last_epoch
    out = [base_lr + (max_lr - base_lr) * scale_factor * _scale(s, at)
           for base_lr, max_lr in zip(s.base_lrs, p["max_lrs"], strict=True)]
    if p["cycle_momentum"]:
        momentums = [max_m - (max_m - base_m) * scale_factor * _scale(s, at)
                     for base_m, max_m in zip(p["base_momentums"], p["max_momentums"],
                                              strict=True)]
        for group, m in zip(_groups(s), momentums, strict=True):
            _set_momentum(group, p["use_beta1"], m)
    return out


def _one_cycle(s: Scheduler) -> list[Any]:
    p = s.params
    step_num = s.last_epoch
    if step_num > p["total_steps"]:
        raise _value_error(f"Tried to step {step_num} times. The specified number of total "
                           f"steps is {p['total_steps']}")
    anneal = _anneal_cos if p["_anneal_func_type"] == "cos" else _anneal_linear
    out = []
    phases = p["_schedule_phases"]
    for group in _groups(s):
        start_step = 0.0
        for i, phase in enumerate(phases):
            end_step = phase["end_step"]
            if step_num <= end_step or i == len(phases) - 1:
                pct = (step_num - start_step) / (end_step - start_step)
                lr = anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                if p["cycle_momentum"]:
                    momentum = anneal(group[phase["start_momentum"]],
                                      group[phase["end_momentum"]], pct)
                break
            start_step = phase["end_step"]
        out.append(lr)
        if p["cycle_momentum"]:
            _set_momentum(group, p["use_beta1"], momentum)
    return out


def _anneal_cos(start: Any, end: Any, pct: float) -> Any:
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: Any, end: Any, pct: float) -> Any:
    return (end - start) * pct + start


# -- CosineAnnealingWarmRestarts ---------------------------------------------------------------

def _warm_restarts(s: Scheduler) -> list[Any]:
    p = s.params
    return [p["eta_min"] + (base_lr - p["eta_min"])
            * (1 + math.cos(math.pi * p["T_cur"] / p["T_i"])) / 2 for base_lr in s.base_lrs]


def _warm_restarts_step(s: Scheduler, epoch: Any) -> None:
    p = s.params
    if epoch is None and s.last_epoch < 0:
        epoch = 0
    if epoch is None:
        epoch = s.last_epoch + 1
        p["T_cur"] = p["T_cur"] + 1
        if p["T_cur"] >= p["T_i"]:
            p["T_cur"] = p["T_cur"] % p["T_i"]
            p["T_i"] = p["T_i"] * p["T_mult"]
    else:
        if epoch < 0:
            raise _value_error(f"Expected non-negative epoch, but got {epoch}")
        if epoch >= p["T_0"]:
            if p["T_mult"] == 1:
                p["T_cur"] = epoch % p["T_0"]
            else:
                n = int(math.log(epoch / p["T_0"] * (p["T_mult"] - 1) + 1, p["T_mult"]))
                p["T_cur"] = epoch - p["T_0"] * (p["T_mult"] ** n - 1) / (p["T_mult"] - 1)
                p["T_i"] = p["T_0"] * p["T_mult"] ** n
        else:
            p["T_i"] = p["T_0"]
            p["T_cur"] = epoch
    s.last_epoch = math.floor(epoch)
    s.write(_warm_restarts(s))


_KINDS = {
    "MultiplicativeLR": register("MultiplicativeLR", _multiplicative),
    "ConstantLR": register("ConstantLR", _constant, _constant_closed),
    "LinearLR": register("LinearLR", _linear, _linear_closed),
    "PolynomialLR": register("PolynomialLR", _polynomial, _polynomial_closed),
    "CyclicLR": register("CyclicLR", _cyclic),
    "OneCycleLR": register("OneCycleLR", _one_cycle),
    "CosineAnnealingWarmRestarts": register("CosineAnnealingWarmRestarts", _warm_restarts,
                                            step=_warm_restarts_step),
}


def _make(kind: str, optimizer: Any, params: dict[str, Any], last_epoch: int) -> Scheduler:
    return _KINDS[kind](kind, optimizer, params, last_epoch)


# -- the constructors, with PyTorch's signatures and checks ----------------------------------

def _multiplicative_lr(self: None, optimizer: Any, lr_lambda: Any,
                       last_epoch: int = -1) -> Scheduler:
    _check_optimizer(optimizer)
    n = len(optimizer.param_groups)
    if not isinstance(lr_lambda, (list, tuple)):
        lambdas = [lr_lambda] * n
    elif len(lr_lambda) != n:
        raise _value_error(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
    else:
        lambdas = list(lr_lambda)
    for fn in lambdas:
        if not callable(fn):
            raise GdRuntimeError(f"lr_lambda should be a function, but got {type_name(fn)}",
                                 py_type="TypeError")
    return _make("MultiplicativeLR", optimizer, {"lr_lambdas": lambdas}, last_epoch)


def _constant_lr(self: None, optimizer: Any, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> Scheduler:
    if factor > 1.0 or factor < 0:
        raise _value_error("Constant multiplicative factor expected to be between 0 and 1.")
    return _make("ConstantLR", optimizer, {"factor": factor, "total_iters": total_iters},
                 last_epoch)


def _linear_lr(self: None, optimizer: Any, start_factor: float = 1.0 / 3,
               end_factor: float = 1.0, total_iters: int = 5,
               last_epoch: int = -1) -> Scheduler:
    if start_factor > 1.0 or start_factor <= 0:
        raise _value_error("Starting multiplicative factor expected to be greater than 0 and "
                           "less or equal to 1.")
    if end_factor > 1.0 or end_factor < 0:
        raise _value_error("Ending multiplicative factor expected to be between 0 and 1.")
    return _make("LinearLR", optimizer, {"start_factor": start_factor,
                                         "end_factor": end_factor,
                                         "total_iters": total_iters}, last_epoch)


def _polynomial_lr(self: None, optimizer: Any, total_iters: int = 5, power: float = 1.0,
                   last_epoch: int = -1) -> Scheduler:
    return _make("PolynomialLR", optimizer, {"total_iters": total_iters, "power": power},
                 last_epoch)


def _per_group(name: str, optimizer: Any, value: Any) -> list[Any]:
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise _value_error(f"{name} must have the same length as optimizer.param_groups. "
                               f"{name} has {len(value)} values, param_groups has {n}.")
        values = list(value)
    else:
        values = [value] * n
    return [v.clone() if type(v) is Tensor else v for v in values]


def _momentum_setup(optimizer: Any, base_momentum: Any, max_momentum: Any,
                    last_epoch: int) -> tuple[bool, list[Any], list[Any]]:
    defaults = optimizer.defaults
    if "momentum" not in defaults and "betas" not in defaults:
        raise _value_error("optimizer must support momentum or beta1 with `cycle_momentum` "
                           "option enabled")
    use_beta1 = "betas" in defaults
    bases = _per_group("base_momentum", optimizer, base_momentum)
    maxes = _per_group("max_momentum", optimizer, max_momentum)
    if last_epoch == -1:
        for m, b, group in zip(maxes, bases, optimizer.param_groups, strict=True):
            _set_momentum(group, use_beta1, m)
            group["max_momentum"] = m
            group["base_momentum"] = b
    return use_beta1, bases, maxes


def _cyclic_lr(self: None, optimizer: Any, base_lr: Any, max_lr: Any,
               step_size_up: int = 2000, step_size_down: Any = None,
               mode: str = "triangular", gamma: float = 1.0, scale_fn: Any = None,
               scale_mode: str = "cycle", cycle_momentum: bool = True,
               base_momentum: float = 0.8, max_momentum: float = 0.9,
               last_epoch: int = -1) -> Scheduler:
    _check_optimizer(optimizer)
    base_lrs = _per_group("base_lr", optimizer, base_lr)
    if last_epoch == -1:
        for lr, group in zip(base_lrs, optimizer.param_groups, strict=True):
            if type(group["lr"]) is Tensor:
                group["lr"].array[...] = lr.item() if type(lr) is Tensor else lr
            else:
                group["lr"] = lr
    max_lrs = _per_group("max_lr", optimizer, max_lr)
    up = float(step_size_up)
    down = float(step_size_down) if step_size_down is not None else up
    if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
        raise _value_error("mode is invalid and scale_fn is None")
    if scale_fn is None:
        scale_mode = "iterations" if mode == "exp_range" else "cycle"
    params: dict[str, Any] = {
        "max_lrs": max_lrs, "total_size": up + down, "step_ratio": up / (up + down),
        "mode": mode, "gamma": gamma, "scale_mode": scale_mode,
        "cycle_momentum": cycle_momentum, "scale_fn": scale_fn}
    if cycle_momentum:
        use_beta1, bases, maxes = _momentum_setup(optimizer, base_momentum, max_momentum,
                                                  last_epoch)
        params.update(use_beta1=use_beta1, base_momentums=bases, max_momentums=maxes)
    s = _make("CyclicLR", optimizer, params, last_epoch)
    s.base_lrs = base_lrs
    return s


def _one_cycle_lr(self: None, optimizer: Any, max_lr: Any, total_steps: Any = None,
                  epochs: Any = None, steps_per_epoch: Any = None, pct_start: float = 0.3,
                  anneal_strategy: str = "cos", cycle_momentum: bool = True,
                  base_momentum: Any = 0.85, max_momentum: Any = 0.95,
                  div_factor: float = 25.0, final_div_factor: float = 1e4,
                  three_phase: bool = False, last_epoch: int = -1) -> Scheduler:
    _check_optimizer(optimizer)
    if total_steps is not None:
        if type(total_steps) is not int or total_steps <= 0:
            raise _value_error(f"Expected positive integer total_steps, but got {total_steps}")
    elif epochs is not None and steps_per_epoch is not None:
        if type(epochs) is not int or epochs <= 0:
            raise _value_error(f"Expected positive integer epochs, but got {epochs}")
        if type(steps_per_epoch) is not int or steps_per_epoch <= 0:
            raise _value_error("Expected positive integer steps_per_epoch, but got "
                               f"{steps_per_epoch}")
        total_steps = epochs * steps_per_epoch
    else:
        raise _value_error("You must define either total_steps OR (epochs AND "
                           "steps_per_epoch)")

    def phase(end: Any, lr0: str, lr1: str, m0: str, m1: str) -> dict[str, Any]:
        return {"end_step": end, "start_lr": lr0, "end_lr": lr1, "start_momentum": m0,
                "end_momentum": m1}

    if three_phase:
        phases = [phase(float(pct_start * total_steps) - 1, "initial_lr", "max_lr",
                        "max_momentum", "base_momentum"),
                  phase(float(2 * pct_start * total_steps) - 2, "max_lr", "initial_lr",
                        "base_momentum", "max_momentum"),
                  phase(total_steps - 1, "initial_lr", "min_lr", "max_momentum",
                        "max_momentum")]
    else:
        phases = [phase(float(pct_start * total_steps) - 1, "initial_lr", "max_lr",
                        "max_momentum", "base_momentum"),
                  phase(total_steps - 1, "max_lr", "min_lr", "base_momentum",
                        "max_momentum")]
    if pct_start < 0 or pct_start > 1 or type(pct_start) is not float:
        raise _value_error(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    if anneal_strategy not in ("cos", "linear"):
        raise _value_error("anneal_strategy must be one of 'cos' or 'linear', instead got "
                           f"{anneal_strategy}")
    max_lrs = _per_group("max_lr", optimizer, max_lr)
    if last_epoch == -1:
        for i, group in enumerate(optimizer.param_groups):
            group["initial_lr"] = max_lrs[i] / div_factor
            group["max_lr"] = max_lrs[i]
            group["min_lr"] = group["initial_lr"] / final_div_factor
    params: dict[str, Any] = {"total_steps": total_steps, "_schedule_phases": phases,
                              "_anneal_func_type": anneal_strategy,
                              "cycle_momentum": cycle_momentum}
    if cycle_momentum:
        use_beta1, _, _ = _momentum_setup(optimizer, base_momentum, max_momentum, last_epoch)
        params["use_beta1"] = use_beta1
    return _make("OneCycleLR", optimizer, params, last_epoch)


def _warm_restarts_lr(self: None, optimizer: Any, T_0: int, T_mult: int = 1,
                      eta_min: float = 0.0, last_epoch: int = -1) -> Scheduler:
    if type(T_0) is not int or T_0 <= 0:
        raise _value_error(f"Expected positive integer T_0, but got {T_0}")
    if type(T_mult) is not int or T_mult < 1:
        raise _value_error(f"Expected integer T_mult >= 1, but got {T_mult}")
    if type(eta_min) not in (float, int):
        raise _value_error(f"Expected float or int eta_min, but got {eta_min} of type "
                           f"<class '{type_name(eta_min)}'>")
    return _make("CosineAnnealingWarmRestarts", optimizer,
                 {"T_0": T_0, "T_i": T_0, "T_mult": T_mult, "eta_min": eta_min,
                  "T_cur": last_epoch}, last_epoch)


#: These members of torch.optim.lr_scheduler.
SCHEDULERS: dict[str, SchedulerClass] = {
    kind: constructor(kind, fn) for kind, fn in (
        ("MultiplicativeLR", _multiplicative_lr), ("ConstantLR", _constant_lr),
        ("LinearLR", _linear_lr), ("PolynomialLR", _polynomial_lr), ("CyclicLR", _cyclic_lr),
        ("OneCycleLR", _one_cycle_lr), ("CosineAnnealingWarmRestarts", _warm_restarts_lr))
}
