"""torch.optim's update rules, as PyTorch's CPU single-tensor implementations compute them.

Each rule updates one parameter group in place, outside the graph (as under no_grad):
the parameters' storage is written and its version bumped once per in-place op PyTorch
applies to it, so a saved tensor's version check after `step()` reads as in PyTorch.
Every operation rounds in the tensor's dtype in PyTorch's order: a Python-float
hyperparameter is cast to the dtype first, `add(b, alpha=)`, `addcmul` and `lerp` are
fused multiply-adds, and sqrt is MKL's (kernels/fused.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, bump_version
from gradcli.ad.kernels import math as KM
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vml_avx512 import vml_sqrt

ndarray = np.ndarray
State = dict[Tensor, dict[str, Any]]


def _hyper(group: dict[str, Any], *names: str) -> list[Any]:
    """The group's hyperparameters; a one-element tensor as its Python number (PyTorch's
    single-tensor code takes lr.item())."""
    return [v.item() if type(v) is Tensor else v for v in (group[n] for n in names)]


def _c(like: ndarray, value: float) -> ndarray:
    """A Python-float scalar as PyTorch passes it to a kernel: rounded to the dtype."""
    return np.asarray(like.dtype.type(value))


def _add(a: ndarray, b: ndarray, alpha: float) -> ndarray:
    """a.add(b, alpha=alpha): fma(b, alpha, a)."""
    return fma(b, _c(b, alpha), a)


def _addcmul(x: ndarray, t1: ndarray, t2: ndarray, value: float) -> ndarray:
    """x.addcmul(t1, t2, value=value): fma(value·t1, t2, x)."""
    return fma(_c(t1, value) * t1, t2, x)


def _addcdiv(x: ndarray, t1: ndarray, t2: ndarray, value: float) -> ndarray:
    """x.addcdiv(t1, t2, value=value): x + (value·t1)/t2."""
    return x + (_c(t1, value) * t1) / t2


def _lerp(a: ndarray, b: ndarray, weight: float) -> ndarray:
    """a.lerp(b, weight): torch.lerp's kernel (fma(w, b - a, a) below a weight of 1/2,
    else fma(w - 1, b - a, b))."""
    return KM.lerp(a, b, weight)


def _set(t: Tensor, value: ndarray) -> None:
    """t's storage takes value in place (one in-place op: its version moves on)."""
    t.array[...] = value
    bump_version(t)


def _grads(group: dict[str, Any]) -> list[tuple[Tensor, ndarray]]:
    """(param, grad) of the group's parameters that have a grad (negated if maximize)."""
    out = []
    for p in group["params"]:
        if p.grad is not None:
            g = p.grad.array
            out.append((p, -g if group["maximize"] else g))
    return out


def _step_tensor() -> Tensor:
    """A parameter's step count: tensor(0.) in the default float dtype."""
    return Tensor(np.zeros((), dtypes.default_dtype()))


def _zeros_like(p: Tensor) -> Tensor:
    return Tensor(np.zeros_like(p.array))


def _count(state: dict[str, Any]) -> float:
    """step += 1 on the parameter's step tensor; its new value as a Python float."""
    step = state["step"]
    _set(step, step.array + step.array.dtype.type(1))
    return float(step.array)


def sgd(group: dict[str, Any], state: State) -> None:
    """SGD with momentum, dampening, Nesterov, weight decay and maximize."""
    lr, wd, momentum = _hyper(group, "lr", "weight_decay", "momentum")
    for p, g in _grads(group):
        if wd != 0:
            g = _add(g, p.array, wd)
        if momentum != 0:
            buf = state.setdefault(p, {}).get("momentum_buffer")
            if buf is None:
                buf = state[p]["momentum_buffer"] = Tensor(g.copy())
            else:
                _set(buf, _add(buf.array * _c(buf.array, momentum), g, 1 - group["dampening"]))
            g = _add(g, buf.array, momentum) if group["nesterov"] else buf.array
        _set(p, _add(p.array, g, -lr))


def adam(group: dict[str, Any], state: State) -> None:
    """Adam and AdamW (decoupled weight decay), with amsgrad and maximize."""
    lr, wd, eps = _hyper(group, "lr", "weight_decay", "eps")
    beta1, beta2 = (b.item() if type(b) is Tensor else b for b in group["betas"])
    amsgrad = group["amsgrad"]
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), exp_avg=_zeros_like(p), exp_avg_sq=_zeros_like(p))
            if amsgrad:
                s["max_exp_avg_sq"] = _zeros_like(p)
        exp_avg, exp_avg_sq = s["exp_avg"], s["exp_avg_sq"]
        step = _count(s)
        if wd != 0:
            if group.get("decoupled_weight_decay"):
                _set(p, p.array * _c(p.array, 1 - lr * wd))
            else:
                g = _add(g, p.array, wd)
        _set(exp_avg, _lerp(exp_avg.array, g, 1 - beta1))
        sq = exp_avg_sq.array * _c(g, beta2)
        _set(exp_avg_sq, _addcmul(sq, g, g, 1 - beta2))
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        second = exp_avg_sq
        if amsgrad:
            second = s["max_exp_avg_sq"]
            _set(second, np.maximum(second.array, exp_avg_sq.array))
        denom = vml_sqrt(second.array) / _c(g, bias_correction2_sqrt) + _c(g, eps)
        _set(p, _addcdiv(p.array, exp_avg.array, denom, -step_size))


def rmsprop(group: dict[str, Any], state: State) -> None:
    """RMSprop, centered or not, with momentum, weight decay and maximize."""
    lr, alpha, eps, wd, momentum = _hyper(group, "lr", "alpha", "eps", "weight_decay",
                                          "momentum")
    for p, g in _grads(group):
        s = state.setdefault(p, {})
        if not s:
            s.update(step=_step_tensor(), square_avg=_zeros_like(p))
            if momentum > 0:
                s["momentum_buffer"] = _zeros_like(p)
            if group["centered"]:
                s["grad_avg"] = _zeros_like(p)
        _count(s)
        if wd != 0:
            g = _add(g, p.array, wd)
        square_avg = s["square_avg"]
        _set(square_avg, _addcmul(square_avg.array * _c(g, alpha), g, g, 1 - alpha))
        if group["centered"]:
            grad_avg = s["grad_avg"]
            _set(grad_avg, _lerp(grad_avg.array, g, 1 - alpha))
            avg = vml_sqrt(_addcmul(square_avg.array, grad_avg.array, grad_avg.array, -1))
        else:
            avg = vml_sqrt(square_avg.array)
        avg = avg + _c(g, eps)
        if momentum > 0:
            buf = s["momentum_buffer"]
            _set(buf, _addcdiv(buf.array * _c(g, momentum), g, avg, 1))
            _set(p, _add(p.array, buf.array, -lr))
        else:
            _set(p, _addcdiv(p.array, g, avg, -lr))


def adagrad_state(p: Tensor, initial_accumulator_value: float) -> dict[str, Any]:
    """Adagrad's state of a parameter, made when the optimizer is."""
    total = np.full_like(p.array, p.array.dtype.type(initial_accumulator_value))
    return {"step": _step_tensor(), "sum": Tensor(total)}


def adagrad(group: dict[str, Any], state: State) -> None:
    """Adagrad with learning-rate decay, weight decay and maximize."""
    lr, wd, eps, lr_decay = _hyper(group, "lr", "weight_decay", "eps", "lr_decay")
    for p, g in _grads(group):
        s = state.setdefault(p, adagrad_state(p, group["initial_accumulator_value"]))
        step = _count(s)
        if wd != 0:
            g = _add(g, p.array, wd)
        clr = lr / (1 + (step - 1) * lr_decay)
        total = s["sum"]
        _set(total, _addcmul(total.array, g, g, 1))
        std = vml_sqrt(total.array) + _c(g, eps)
        _set(p, _addcdiv(p.array, g, std, -clr))


RULES = {"SGD": sgd, "Adam": adam, "AdamW": adam, "RMSprop": rmsprop, "Adagrad": adagrad}
