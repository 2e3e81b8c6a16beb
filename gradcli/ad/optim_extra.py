"""More of torch.optim's update rules (Adamax, NAdam, RAdam, Adadelta, Rprop, ASGD,
Adafactor), as
PyTorch's CPU single-tensor implementations compute them: the same in-place ops in the
same order, each rounded in the tensor's dtype (see gradcli.ad.optim for the helpers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import math as KM
from gradcli.ad.kernels import reductions as KR
from gradcli.ad.kernels.vml_avx512 import vml_sqrt
from gradcli.ad.optim import (
    State,
    _add,
    _addcdiv,
    _addcmul,
    _c,
    _count,
    _grads,
    _hyper,
    _lerp,
    _set,
    _step_tensor,
    _zeros_like,
)


def _betas(group: dict[str, Any], name: str = "betas") -> tuple[float, float]:
    a, b = (v.item() if type(v) is Tensor else v for v in group[name])
    return a, b


def _scalar(value: float) -> Tensor:
    """A 0-dim state tensor in the optimizers' scalar dtype (float64 under a float64
    default, else float32)."""
    return Tensor(np.asarray(dtypes.default_dtype().type(value)))


def _weight_decay(group: dict[str, Any], p: Tensor, g: np.ndarray, lr: float,
                  wd: float) -> np.ndarray:
    """L2 decay folded into the gradient, or decoupled (the parameter shrunk first)."""
    if wd == 0:
        return g
    if group.get("decoupled_weight_decay"):
        _set(p, p.array * _c(p.array, 1 - lr * wd))
        return g
    return _add(g, p.array, wd)


def adamax(group: dict[str, Any], state: State) -> None:
    """Adamax: Adam with the infinity norm."""
    lr, wd, eps = _hyper(group, "lr", "weight_decay", "eps")
    beta1, beta2 = _betas(group)
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), exp_avg=_zeros_like(p), exp_inf=_zeros_like(p))
        step = _count(s)
        if wd != 0:
            g = _add(g, p.array, wd)
        exp_avg, exp_inf = s["exp_avg"], s["exp_inf"]
        _set(exp_avg, _lerp(exp_avg.array, g, 1 - beta1))
        _set(exp_inf, exp_inf.array * _c(g, beta2))
        _set(exp_inf, np.maximum(exp_inf.array, np.abs(g) + _c(g, eps)))
        clr = lr / (1 - beta1 ** step)
        _set(p, _addcdiv(p.array, exp_avg.array, exp_inf.array, -clr))


def _moments(s: dict[str, Any], g: np.ndarray, beta1: float, beta2: float) -> None:
    exp_avg, exp_avg_sq = s["exp_avg"], s["exp_avg_sq"]
    _set(exp_avg, _lerp(exp_avg.array, g, 1 - beta1))
    _set(exp_avg_sq, exp_avg_sq.array * _c(g, beta2))
    _set(exp_avg_sq, _addcmul(exp_avg_sq.array, g, g, 1 - beta2))


def nadam(group: dict[str, Any], state: State) -> None:
    """NAdam: Adam with Nesterov momentum (and its momentum decay)."""
    lr, wd, eps, momentum_decay = _hyper(group, "lr", "weight_decay", "eps", "momentum_decay")
    beta1, beta2 = _betas(group)
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), mu_product=_scalar(1.0), exp_avg=_zeros_like(p),
                     exp_avg_sq=_zeros_like(p))
        step = _count(s)
        bias_correction2 = 1 - beta2 ** step
        g = _weight_decay(group, p, g, lr, wd)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product = s["mu_product"]
        _set(mu_product, mu_product.array * _c(mu_product.array, mu))
        _moments(s, g, beta1, beta2)
        with np.errstate(all="ignore"):
            denom = vml_sqrt(s["exp_avg_sq"].array / _c(g, bias_correction2)) + _c(g, eps)
        product = float(mu_product.array)
        mu_product_next = product * mu_next
        _set(p, _addcdiv(p.array, g, denom, -lr * (1.0 - mu) / (1.0 - product)))
        _set(p, _addcdiv(p.array, s["exp_avg"].array, denom,
                         (-lr * mu_next) / (1.0 - mu_product_next)))


def radam(group: dict[str, Any], state: State) -> None:
    """RAdam: Adam with the variance of its adaptive learning rate rectified."""
    lr, wd, eps = _hyper(group, "lr", "weight_decay", "eps")
    beta1, beta2 = _betas(group)
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), exp_avg=_zeros_like(p), exp_avg_sq=_zeros_like(p))
        step = _count(s)
        g = _weight_decay(group, p, g, lr, wd)
        _moments(s, g, beta1, beta2)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        corrected = s["exp_avg"].array / _c(g, bias_correction1)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        update = corrected * _c(g, lr)
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                    / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            with np.errstate(all="ignore"):
                root = vml_sqrt(s["exp_avg_sq"].array) + _c(g, eps)
                adaptive = (g.dtype.type(1) / root) * _c(g, bias_correction2 ** 0.5)
            update = update * adaptive * _c(g, rect)
        _set(p, _add(p.array, update, -1.0))


def adadelta(group: dict[str, Any], state: State) -> None:
    """Adadelta: steps scaled by the running RMS of past updates over that of gradients."""
    lr, rho, eps, wd = _hyper(group, "lr", "rho", "eps", "weight_decay")
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), square_avg=_zeros_like(p), acc_delta=_zeros_like(p))
        _count(s)
        if wd != 0:
            g = _add(g, p.array, wd)
        square_avg, acc_delta = s["square_avg"], s["acc_delta"]
        _set(square_avg, square_avg.array * _c(g, rho))
        _set(square_avg, _addcmul(square_avg.array, g, g, 1 - rho))
        e = _c(g, eps)
        std = vml_sqrt(square_avg.array + e)
        with np.errstate(all="ignore"):
            delta = (vml_sqrt(acc_delta.array + e) / std) * g
        _set(acc_delta, acc_delta.array * _c(g, rho))
        _set(acc_delta, _addcmul(acc_delta.array, delta, delta, 1 - rho))
        _set(p, _add(p.array, delta, -lr))


def rprop_state(p: Tensor, lr: float) -> dict[str, Any]:
    return {"step": _step_tensor(), "prev": _zeros_like(p),
            "step_size": Tensor(np.full_like(p.array, p.array.dtype.type(lr)))}


def rprop(group: dict[str, Any], state: State) -> None:
    """Rprop: per-element step sizes grown or shrunk by the gradient's sign changes."""
    etaminus, etaplus = _betas(group, "etas")
    step_size_min, step_size_max = _betas(group, "step_sizes")
    (lr,) = _hyper(group, "lr")
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(rprop_state(p, lr))
        _count(s)
        prev, step_size = s["prev"], s["step_size"]
        sign = np.array(np.sign(g * prev.array))
        t = g.dtype.type
        sign[sign > 0] = t(etaplus)
        sign[sign < 0] = t(etaminus)
        sign[sign == 0] = t(1)
        _set(step_size, step_size.array * sign)
        _set(step_size, np.minimum(np.maximum(step_size.array, t(step_size_min)),
                                   t(step_size_max)))
        g = np.array(g)
        g[sign == t(etaminus)] = 0
        _set(p, _addcmul(p.array, np.sign(g), step_size.array, -1))
        _set(prev, g)


def asgd_state(p: Tensor, lr: float) -> dict[str, Any]:
    return {"step": _step_tensor(), "eta": _scalar(lr), "mu": _scalar(1.0),
            "ax": _zeros_like(p)}


def asgd(group: dict[str, Any], state: State) -> None:
    """Averaged SGD: SGD with a decaying step size and a running average of the iterates."""
    lr, lambd, alpha, t0, wd = _hyper(group, "lr", "lambd", "alpha", "t0", "weight_decay")
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(asgd_state(p, lr))
        step = _count(s)
        if wd != 0:
            g = _add(g, p.array, wd)
        eta, mu, ax = s["eta"], s["mu"], s["ax"]
        eta_value = float(eta.array)
        _set(p, p.array * _c(p.array, 1 - lambd * eta_value))
        _set(p, _add(p.array, g, -eta_value))
        if float(mu.array) != 1:
            _set(ax, ax.array + (p.array - ax.array) * mu.array.astype(p.array.dtype))
        else:
            _set(ax, p.array)
        _set(eta, eta.array.dtype.type(lr / ((1 + lambd * lr * step) ** alpha)))
        _set(mu, mu.array.dtype.type(1 / max(1, step - t0)))


def adafactor_state(p: Tensor, g: np.ndarray) -> dict[str, Any]:
    """A matrix's factored second moments (a row and a column), a vector's whole one."""
    if g.ndim > 1:
        row, col = list(g.shape), list(g.shape)
        row[-1], col[-2] = 1, 1
        return {"step": _step_tensor(), "row_var": Tensor(np.zeros(row, g.dtype)),
                "col_var": Tensor(np.zeros(col, g.dtype))}
    return {"step": _step_tensor(), "variance": _zeros_like(p)}


def adafactor(group: dict[str, Any], state: State) -> None:
    """Adafactor: the second moment factored into row and column means, the update's RMS
    clipped at d, steps relative to the parameter's RMS (_single_tensor_adafactor)."""
    wd, d, beta2_decay = _hyper(group, "weight_decay", "d", "beta2_decay")
    lr = group["lr"]
    if type(lr) is Tensor:  # a 0-d tensor: min(lr, ·), alpha and 1 - lr·wd stay in its dtype
        lr = lr.array.dtype.type(lr.array.reshape(()))
    eps1, eps2 = group["eps"]
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(adafactor_state(p, g))
        if eps1 is None:
            eps1 = float(np.finfo(p.array.dtype).eps)
        step = _count(s)
        one_minus_beta2_t = step ** beta2_decay
        rho_t = min(lr, 1 / (step ** 0.5))
        alpha = max(eps2, float(KR.norm(p.array)) / (p.array.size ** 0.5)) * rho_t
        if wd != 0:
            _set(p, p.array * _c(p.array, 1 - lr * wd))
        t = g.dtype.type
        if g.ndim > 1:
            row_var, col_var = s["row_var"], s["col_var"]
            r = KR.norm(g, 2, -1, True)
            _set(row_var, _lerp(row_var.array, (r * r) / t(g.shape[-1]), one_minus_beta2_t))
            c = KR.norm(g, 2, -2, True)
            _set(col_var, _lerp(col_var.array, (c * c) / t(g.shape[-2]), one_minus_beta2_t))
            var = row_var.array * col_var.array  # row_var @ col_var: an outer product
            with np.errstate(all="ignore"):
                var = var / np.maximum(KR.mean(row_var.array, -2, True), t(eps1))
        else:
            variance = s["variance"]
            _set(variance, _lerp(variance.array, g * g, one_minus_beta2_t))
            var = variance.array.copy()
        update = KM.rsqrt(np.maximum(var, t(eps1 * eps1))) * g
        denom = max(1.0, float(KR.norm(update)) / ((update.size ** 0.5) * d))
        _set(p, _add(p.array, update, -alpha / denom))


RULES = {"Adamax": adamax, "NAdam": nadam, "RAdam": radam, "Adadelta": adadelta,
         "Rprop": rprop, "ASGD": asgd, "Adafactor": adafactor}
