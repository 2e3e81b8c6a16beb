"""An enabled torch.amp.GradScaler("cpu"): PyTorch's loss scaling, as its grad_scaler.py
and the CPU kernels _amp_foreach_non_finite_check_and_unscale_ / _amp_update_scale_ do it.

scale(loss) multiplies by the scale (a float32 0-d tensor made at the first call, so the
product is recorded); unscale_(opt) multiplies each gradient by the float32 reciprocal and
notes a non-finite one; step(opt) unscales if the program did not, then steps unless a
gradient was inf/nan; update() backs the scale off after an inf, or grows it after
growth_interval clean steps. gd computes in float32/float64, so nothing is float16: the
scaling is the same arithmetic on the same values as PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.graph import Tensor, bump_version, tensor_from_array
from gradcli.errors import GdRuntimeError

READY, UNSCALED, STEPPED = 0, 1, 2


class ScalerState:
    """The enabled scaler's state: PyTorch's _scale, _growth_tracker and the per-optimizer
    stage and found-inf flags (keyed by the optimizer's id, holding it)."""

    __slots__ = ("backoff_factor", "growth_factor", "growth_interval", "init_scale",
                 "init_tracker", "per_opt", "scale", "tracker")

    def __init__(self, init_scale: Any, growth_factor: Any, backoff_factor: Any,
                 growth_interval: Any) -> None:
        self.init_scale = init_scale
        self.growth_factor = growth_factor
        self.backoff_factor = backoff_factor
        self.growth_interval = growth_interval
        self.init_tracker = 0
        self.scale: Tensor | None = None
        self.tracker: int | None = None
        self.per_opt: dict[int, list[Any]] = {}  # id → [optimizer, stage, found_inf]


def _runtime(message: str) -> GdRuntimeError:
    return GdRuntimeError(message)


def _check(s: ScalerState, funcname: str) -> Tensor:
    if s.scale is None:
        raise GdRuntimeError(f"Attempted {funcname} but _scale is None.  This may indicate your "
                             "script did not use scaler.scale(loss or outputs) earlier in the "
                             "iteration.", py_type="AssertionError")
    return s.scale


def scale(s: ScalerState, outputs: Any) -> Any:
    if type(outputs) is Tensor:
        if s.scale is None:
            s.scale = tensor_from_array(np.array(s.init_scale, np.float32))
            s.tracker = int(s.init_tracker)
        return ops.mul(outputs, s.scale)
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(scale(s, o) for o in outputs)
    raise GdRuntimeError("outputs must be a Tensor or an iterable of Tensors")


def _entry(s: ScalerState, optimizer: Any) -> list[Any]:
    entry = s.per_opt.get(id(optimizer))
    if entry is None:
        entry = s.per_opt[id(optimizer)] = [optimizer, READY, None]
    return entry


def unscale_(s: ScalerState, optimizer: Any) -> None:
    scale_t = _check(s, "unscale_")
    entry = _entry(s, optimizer)
    if entry[1] == UNSCALED:
        raise _runtime("unscale_() has already been called on this optimizer since the last "
                       "update().")
    if entry[1] == STEPPED:
        raise _runtime("unscale_() is being called after step().")
    inv = np.float32(1.0 / float(scale_t.array))  # scale.double().reciprocal().float()
    found = False
    for group in optimizer.param_groups:
        for p in group["params"]:
            g = p.grad
            if g is None:
                continue
            a = g.array
            if not np.isfinite(a).all():
                found = True
            if inv != 1:
                np.multiply(a, a.dtype.type(inv), out=a)
            bump_version(g)
    entry[2] = found
    entry[1] = UNSCALED


def step(s: ScalerState, optimizer: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
         opt_step: Any) -> Any:
    if "closure" in kwargs:
        raise _runtime("Closure use is not currently supported if GradScaler is enabled.")
    _check(s, "step")
    entry = _entry(s, optimizer)
    if entry[1] == STEPPED:
        raise _runtime("step() has already been called since the last update().")
    if entry[1] == READY:
        unscale_(s, optimizer)
    retval = None if entry[2] else opt_step(*args, **kwargs)
    entry[1] = STEPPED
    return retval


def update(s: ScalerState, new_scale: Any = None) -> None:
    scale_t = _check(s, "update")
    if new_scale is not None:
        value = new_scale.item() if type(new_scale) is Tensor else new_scale
        scale_t.array[...] = value
    else:
        found = [e[2] for e in s.per_opt.values() if e[2] is not None]
        if not found:
            raise GdRuntimeError("No inf checks were recorded prior to update.",
                                 py_type="AssertionError")
        # _amp_update_scale_'s CPU kernel, in float32
        # (the float scale times the double factor, rounded to float)
        cur = float(scale_t.array)
        if any(found):
            scale_t.array[...] = np.float32(cur * s.backoff_factor)
            s.tracker = 0
        else:
            done = int(s.tracker or 0) + 1
            if done == s.growth_interval:
                grown = np.float32(cur * s.growth_factor)
                if np.isfinite(grown):
                    scale_t.array[...] = grown
                done = 0
            s.tracker = done
        bump_version(scale_t)
    s.per_opt = {}


def get_scale(s: ScalerState) -> Any:
    return s.init_scale if s.scale is None else float(s.scale.array)


def state_dict(s: ScalerState) -> dict[str, Any]:
    return {"scale": get_scale(s), "growth_factor": s.growth_factor,
            "backoff_factor": s.backoff_factor, "growth_interval": s.growth_interval,
            "_growth_tracker": s.init_tracker if s.tracker is None else s.tracker}


def load_state_dict(s: ScalerState, sd: Any) -> None:
    if not sd:
        raise _runtime("The source state dict is empty, possibly because it was saved from a "
                       "disabled instance of GradScaler.")
    s.init_scale = sd["scale"]
    if s.scale is not None:
        s.scale.array[...] = sd["scale"]
    s.growth_factor = sd["growth_factor"]
    s.backoff_factor = sd["backoff_factor"]
    s.growth_interval = sd["growth_interval"]
    s.init_tracker = sd["_growth_tracker"]
    if s.tracker is not None:
        s.tracker = int(sd["_growth_tracker"])
