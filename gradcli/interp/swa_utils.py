"""torch.optim.swa_utils: AveragedModel (SWA and EMA averages of a model's parameters),
the averaging functions get_swa_avg_fn / get_ema_avg_fn / get_swa_multi_avg_fn /
get_ema_multi_avg_fn, and the SWALR schedule, as torch/optim/swa_utils.py computes them on
the CPU (there, with no multi_avg_fn, AveragedModel averages tensor by tensor with
get_swa_avg_fn; the multi functions lerp_ each tensor, as foreach_lerp_'s CPU loop does).
and update_bn (a pass over a loader recomputing BatchNorm's statistics).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_copy
from gradcli.interp.lr_scheduler import Scheduler, constructor, register
from gradcli.interp.nn_module import MODULE, ModuleClass, ModuleInstance, _init
from gradcli.interp.optim_base import is_optimizer
from gradcli.interp.values import Builtin, Namespace, type_name

T = ops.members("Tensor")
TORCH = ops.members("torch")


def _check_decay(decay: Any) -> None:
    if decay < 0.0 or decay > 1.0:
        raise GdRuntimeError(f"Invalid decay value {decay} provided. Please provide a value "
                             "in [0,1] range.", py_type="ValueError")


def _floating(t: Tensor) -> bool:
    return t.array.dtype.kind in "fc"


def get_ema_multi_avg_fn(decay: Any = 0.999) -> Builtin:
    """torch.optim.swa_utils.get_ema_multi_avg_fn(decay=0.999)."""
    _check_decay(decay)

    def ema_update(ema_params: Any, current_params: Any, num_averaged: Any) -> None:
        with grad_mode(False):
            if _floating(ema_params[0]):
                for e, c in zip(ema_params, current_params, strict=True):
                    T["lerp_"](e, c, 1 - decay)
            else:
                for e, c in zip(ema_params, current_params, strict=True):
                    T["copy_"](e, T["add"](T["mul"](e, decay), T["mul"](c, 1 - decay)))

    return Builtin("ema_update", ema_update)


def get_swa_multi_avg_fn() -> Builtin:
    """torch.optim.swa_utils.get_swa_multi_avg_fn()."""
    def swa_update(averaged: Any, current: Any, num_averaged: Any) -> None:
        with grad_mode(False):
            n = num_averaged.item() if type(num_averaged) is Tensor else num_averaged
            if _floating(averaged[0]):
                for a, c in zip(averaged, current, strict=True):
                    T["lerp_"](a, c, 1 / (n + 1))
            else:
                for a, c in zip(averaged, current, strict=True):
                    T["add_"](a, T["sub"](c, a), alpha=1.0 / (n + 1))

    return Builtin("swa_update", swa_update)


def get_ema_avg_fn(decay: Any = 0.999) -> Builtin:
    """torch.optim.swa_utils.get_ema_avg_fn(decay=0.999)."""
    _check_decay(decay)

    def ema_update(ema_param: Any, current_param: Any, num_averaged: Any) -> Any:
        with grad_mode(False):
            return T["add"](T["mul"](ema_param, decay), T["mul"](current_param, 1 - decay))

    return Builtin("ema_update", ema_update)


def get_swa_avg_fn() -> Builtin:
    """torch.optim.swa_utils.get_swa_avg_fn()."""
    def swa_update(averaged_param: Any, current_param: Any, num_averaged: Any) -> Any:
        with grad_mode(False):
            return T["add"](averaged_param, T["div"](T["sub"](current_param, averaged_param),
                                                     T["add"](num_averaged, 1)))

    return Builtin("swa_update", swa_update)


# -- AveragedModel ---------------------------------------------------------------------------

def _am_init(self: ModuleInstance, model: Any, device: Any = None, avg_fn: Any = None,
             multi_avg_fn: Any = None, use_buffers: bool = False) -> None:
    _init(self)
    if avg_fn is not None and multi_avg_fn is not None:
        raise GdRuntimeError("Only one of avg_fn and multi_avg_fn should be provided",
                             py_type="AssertionError")
    if not isinstance(model, ModuleInstance):
        raise GdRuntimeError(f"AveragedModel takes an nn.Module, not {type_name(model)}",
                             py_type="TypeError")
    self.set_attr("module", nn_copy.deepcopy(model))
    if device is not None:
        self.set_attr("module", self.get_attr("module").method("to")(device))
    self.method("register_buffer")("n_averaged", ops.tensor(np.asarray(0, np.int64)))
    self.set_attr("avg_fn", avg_fn)
    self.set_attr("multi_avg_fn", multi_avg_fn)
    self.set_attr("use_buffers", use_buffers)


def _tensors(m: ModuleInstance, buffers: bool) -> list[Tensor]:
    out = list(m.method("parameters")())
    return out + list(m.method("buffers")()) if buffers else out


def _by_dtype(pairs: list[tuple[Tensor, Tensor]]) -> list[list[tuple[Tensor, Tensor]]]:
    """_group_tensors_by_device_and_dtype on the CPU: the pairs by dtype, in order."""
    groups: dict[Any, list[tuple[Tensor, Tensor]]] = {}
    for a, m in pairs:
        groups.setdefault(a.array.dtype, []).append((a, m))
    return list(groups.values())


def _update_parameters(self: ModuleInstance, model: Any) -> None:
    use_buffers = bool(self.get_attr("use_buffers"))
    inner = self.get_attr("module")
    mine = _tensors(inner, True) if use_buffers else list(self.method("parameters")())
    theirs = _tensors(model, use_buffers)
    n = self.get_attr("n_averaged")
    pairs = [(a.detach(), m.detach()) for a, m in zip(mine, theirs, strict=False)]
    if int(n.item()) == 0:
        for a, m in pairs:
            T["copy_"](a, m)
    if int(n.item()) > 0:
        avg_fn, multi_avg_fn = self.get_attr("avg_fn"), self.get_attr("multi_avg_fn")
        if multi_avg_fn is not None or avg_fn is None:
            for group in _by_dtype(pairs):
                if multi_avg_fn is not None:
                    multi_avg_fn([a for a, _ in group], [m for _, m in group], n)
                else:
                    swa = get_swa_avg_fn()
                    for a, m in group:
                        T["copy_"](a, swa(a, m, n))
        else:
            for a, m in pairs:
                T["copy_"](a, avg_fn(a, m, n))
    if not use_buffers:
        for b_swa, b_model in zip(inner.method("buffers")(), model.method("buffers")(),
                                  strict=True):
            T["copy_"](b_swa.detach(), b_model.detach())
    T["add_"](n, 1)


AVERAGED_MODEL = ModuleClass("AveragedModel", "torch.optim.swa_utils.AveragedModel", MODULE, {
    "__init__": _am_init,
    "forward": lambda self, *args, **kwargs: self.get_attr("module")(*args, **kwargs),
    "update_parameters": _update_parameters,
})


# -- SWALR -------------------------------------------------------------------------------------

def _cosine_anneal(t: Any) -> Any:
    return (1 - math.cos(math.pi * t)) / 2


def _linear_anneal(t: Any) -> Any:
    return t


def _initial_lr(lr: Any, swa_lr: Any, alpha: Any) -> Any:
    if alpha == 1:
        return swa_lr
    return (lr - alpha * swa_lr) / (1 - alpha)


def _swalr(s: Scheduler) -> list[Any]:
    anneal_epochs = s.params["anneal_epochs"]
    anneal = _cosine_anneal if s.params["_anneal_strategy"] == "cos" else _linear_anneal
    groups = s.optimizer.param_groups
    step = s._step_count - 1
    if anneal_epochs == 0:
        step = max(1, step)
    prev_t = max(0, min(1, (step - 1) / max(1, anneal_epochs)))
    prev_alpha = anneal(prev_t)
    prev_lrs = [_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
    t = max(0, min(1, step / max(1, anneal_epochs)))
    alpha = anneal(t)
    return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs,
                                                                    strict=True)]


_SWALR = register("SWALR", _swalr)


def _swalr_init(self: None, optimizer: Any, swa_lr: Any, anneal_epochs: Any = 10,
                anneal_strategy: Any = "cos", last_epoch: int = -1) -> Scheduler:
    if not is_optimizer(optimizer):
        raise GdRuntimeError(f"{type_name(optimizer)} is not an Optimizer", py_type="TypeError")
    groups = optimizer.param_groups
    if isinstance(swa_lr, (list, tuple)):
        if len(swa_lr) != len(groups):
            raise GdRuntimeError(f"swa_lr must have the same length as optimizer.param_groups."
                                 f" optimizer.param_groups has {len(groups)} values, swa_lr "
                                 f"has {len(swa_lr)} values", py_type="ValueError")
        swa_lrs = list(swa_lr)
    else:
        swa_lrs = [swa_lr] * len(groups)
    for value, group in zip(swa_lrs, groups, strict=True):
        group["swa_lr"] = value
    if anneal_strategy not in ("cos", "linear"):
        raise GdRuntimeError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}", py_type="ValueError")
    if type(anneal_epochs) is not int or anneal_epochs < 0:
        raise GdRuntimeError(f"anneal_epochs must be equal or greater than 0, got "
                             f"{anneal_epochs}", py_type="ValueError")
    return _SWALR("SWALR", optimizer, {"_anneal_strategy": anneal_strategy,
                                       "anneal_epochs": anneal_epochs}, last_epoch)


_BATCH_NORMS = ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d")


def _update_bn(loader: Any, model: Any, device: Any = None) -> None:
    """torch.optim.swa_utils.update_bn: each BatchNorm's statistics reset, then one pass of
    the model in train mode over the loader (a batch's first item when it is a list or
    tuple) with momentum None (the cumulative average), then momenta and mode restored."""
    from gradcli.interp.nn_layers import LAYERS
    from gradcli.interp.operators import iterate

    bns = [LAYERS[n] for n in _BATCH_NORMS]
    with grad_mode(False):
        momenta = []
        for module in model.method("modules")():
            if isinstance(module, ModuleInstance) and any(module.cls.is_subclass(c)
                                                          for c in bns):
                module.method("reset_running_stats")()
                momenta.append((module, module.get_attr("momentum")))
        if not momenta:
            return
        was_training = model.get_attr("training")
        model.method("train")()
        for module, _ in momenta:
            module.set_attr("momentum", None)
        for batch in iterate(loader):
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            if device is not None:
                batch = T["to"](batch, device)
            model(batch)
        for module, momentum in momenta:
            module.set_attr("momentum", momentum)
        model.method("train")(was_training)


_SWALR_CLASS = constructor("SWALR", _swalr_init)
_SWALR_CLASS.name = "torch.optim.swa_utils.SWALR"


def namespace() -> Namespace:
    """torch.optim.swa_utils."""
    return Namespace("torch.optim.swa_utils", {
        "AveragedModel": AVERAGED_MODEL,
        "SWALR": _SWALR_CLASS,
        "get_ema_multi_avg_fn": Builtin("torch.optim.swa_utils.get_ema_multi_avg_fn",
                                        get_ema_multi_avg_fn),
        "get_swa_multi_avg_fn": Builtin("torch.optim.swa_utils.get_swa_multi_avg_fn",
                                        get_swa_multi_avg_fn),
        "get_ema_avg_fn": Builtin("torch.optim.swa_utils.get_ema_avg_fn", get_ema_avg_fn),
        "get_swa_avg_fn": Builtin("torch.optim.swa_utils.get_swa_avg_fn", get_swa_avg_fn),
        "update_bn": Builtin("torch.optim.swa_utils.update_bn", _update_bn),
    })
