"""group_norm's forward and backward as PyTorch's CPU kernels compute them. The forward
(GroupNormKernelImplInternal): layer_norm's row-wise statistics over each (sample, group),
rstd = 1/√(var + eps) taken in double, then per channel y = scale·x + bias with
scale = rstd·w, bias = -scale·mean + b, both multiply-adds contracted into FMAs as compiled
(measured against torch 2.13)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import normalization as KNorm
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vecmath import lanes, reduce_sum_lastdim


def _channel(x: Any) -> tuple[int, ...]:
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def group_norm(x: Any, w: Any, b: Any, groups: int, eps: float) -> Any:
    """(x - mean)/sqrt(var + eps) over each (sample, group), · w + b per channel."""
    x = np.asarray(x)
    dt = x.dtype
    if (dt != np.float32 and dt != np.float64) or not x.size:
        rows = x.reshape(x.shape[0], groups, math.prod(x.shape[1:]) // groups)
        y = KNorm.layer_norm(rows, None, None, (2,), eps).reshape(x.shape)
        if w is not None:
            y = y * np.asarray(w).reshape(_channel(x))
        if b is not None:
            y = y + np.asarray(b).reshape(_channel(x))
        return np.asarray(y, dt)
    n, c = x.shape[:2]
    mean, var = KNorm.rowwise_moments(x.reshape(n * groups, -1))
    rstd = (1 / np.sqrt(np.maximum(var, 0).astype(np.float64) + eps)).astype(dt)
    rows = x.reshape(n, groups, c // groups, -1)
    m = mean.reshape(n, groups, 1, 1)
    r = rstd.reshape(n, groups, 1, 1)
    if w is None and b is None:
        return ((rows - m) * r).reshape(x.shape)
    shape = (1, groups, c // groups, 1)
    scale = r * (np.ones(c, dt) if w is None else np.asarray(w, dt)).reshape(shape)
    bias = fma(-scale, m, (np.zeros(c, dt) if b is None else np.asarray(b, dt)).reshape(shape))
    return fma(scale, rows, bias).reshape(x.shape)


def group_norm_backward(g: Any, x: Any, w: Any, groups: int,
                        eps: float) -> tuple[Any, Any, Any] | None:
    """(dx, dw, db) of group_norm as PyTorch's CPU kernel (GroupNormBackwardKernelImpl)
    computes them for float32 and float64, else None, its multiply-adds contracted into FMAs
    as compiled (measured against torch 2.13). Per (sample, channel): ds = Σ g·x and db = Σ g
    as vec::reduce_all sums them (float64: the tail's products fused into the sum); per
    (sample, group): Σ ds·w and Σ db·w over whole vectors of channels in their lanes (added
    left to right), the rest one by one; c2 = (db·mean - ds)·rstd³/(D·HxW), c3 = -c2·mean -
    db·rstd/(D·HxW); dx = rstd·w·g + c2·x + c3; dw = Σₙ (ds - db·mean)·rstd, db = Σₙ db."""
    x = np.asarray(x)
    dt = x.dtype
    if (dt != np.float32 and dt != np.float64) or not x.size:
        return None
    n, c = x.shape[:2]
    d = c // groups
    xs = x.reshape(n, c, -1)
    hw = xs.shape[2]
    dy = np.asarray(g, dt).reshape(n, c, hw)
    mean, var = KNorm.rowwise_moments(x.reshape(n * groups, -1))
    rstd = (1 / np.sqrt(np.maximum(var, 0).astype(np.float64) + eps)).astype(dt)
    mean, rstd = mean.reshape(n, groups), rstd.reshape(n, groups)
    # double's compiled map2_reduce_all fuses the tail's products (as layer_norm's), float's not
    ds = KNorm.product_sum(dy, xs) if dt == np.float64 else reduce_sum_lastdim(dy * xs)
    db = reduce_sum_lastdim(dy)
    gam = np.ones(c, dt) if w is None else np.asarray(w, dt)
    k = lanes(dt)
    dsg, dbg = ds.reshape(n, groups, d), db.reshape(n, groups, d)
    gg = np.broadcast_to(gam.reshape(groups, d), dsg.shape)
    ds_acc = np.zeros((n, groups, k), dt)
    db_acc = np.zeros((n, groups, k), dt)
    for j in range(0, d // k * k, k):
        ds_acc = fma(dsg[..., j:j + k], gg[..., j:j + k], ds_acc)
        db_acc = fma(dbg[..., j:j + k], gg[..., j:j + k], db_acc)
    ds_val = np.zeros((n, groups), dt)
    db_val = np.zeros((n, groups), dt)
    for lane in range(k):
        ds_val = ds_val + ds_acc[..., lane]
        db_val = db_val + db_acc[..., lane]
    for j in range(d // k * k, d):
        ds_val = fma(dsg[..., j], gg[..., j], ds_val)
        db_val = fma(dbg[..., j], gg[..., j], db_val)
    s = dt.type(1) / dt.type(d * hw)
    c2 = fma(db_val, mean, -ds_val) * rstd * rstd * rstd * s
    c3 = fma(-(db_val * rstd), s, -c2 * mean)
    shape = (n, groups, d, hw)
    c1 = np.broadcast_to((rstd[:, :, None] * gam.reshape(groups, d))[..., None], shape)
    xg = xs.reshape(shape)
    dx = fma(c1, dy.reshape(shape), c2[..., None, None] * xg) + c3[..., None, None]
    mb, rb = np.repeat(mean, d, axis=1), np.repeat(rstd, d, axis=1)
    dgamma = np.zeros(c, dt)
    for i in range(n):
        dgamma = fma(fma(-db[i], mb[i], ds[i]), rb[i], dgamma)
    return dx.reshape(x.shape), dgamma, np.cumsum(db, axis=0)[-1]
