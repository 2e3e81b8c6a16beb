"""torch.optim.LBFGS's step, as PyTorch's Python code computes it (lbfgs.py of 2.13).

The flat vectors are numpy arrays in the parameters' dtype; PyTorch's 0-dim tensors
(dot products, the step t once it is one) are `Scalar`s, which round every operation in
that dtype as a 0-dim tensor does when a Python float meets it; the Python floats stay
Python floats. Dot products and sums are the core's kernels, as gd's torch.dot and sum.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels.vml_avx512 import vml_sqrt
from gradcli.ad.optim import _add, _set
from gradcli.ad.tensor import enable_grad, no_grad
from gradcli.errors import GdRuntimeError

ndarray = np.ndarray


class Scalar:
    """A 0-dim tensor of LBFGS's arithmetic: Python floats cast to its dtype."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def _other(self, o: Any) -> Any:
        return o.v if type(o) is Scalar else self.v.dtype.type(o)

    def __add__(self, o: Any) -> Scalar:
        return Scalar(self.v + self._other(o))

    __radd__ = __add__

    def __sub__(self, o: Any) -> Scalar:
        return Scalar(self.v - self._other(o))

    def __rsub__(self, o: Any) -> Scalar:
        return Scalar(self._other(o) - self.v)

    def __mul__(self, o: Any) -> Scalar:
        return Scalar(self.v * self._other(o))

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> Scalar:
        with np.errstate(all="ignore"):
            return Scalar(self.v / self._other(o))

    def __rtruediv__(self, o: Any) -> Scalar:  # PyTorch: self.reciprocal() * other
        with np.errstate(all="ignore"):
            return Scalar((self.v.dtype.type(1) / self.v) * self._other(o))

    def __pow__(self, o: Any) -> Scalar:
        return Scalar(self.v * self.v if o == 2 else self.v ** self._other(o))

    def __neg__(self) -> Scalar:
        return Scalar(-self.v)

    def __abs__(self) -> Scalar:
        return Scalar(abs(self.v))

    def sqrt(self) -> Scalar:
        with np.errstate(all="ignore"):
            return Scalar(vml_sqrt(np.asarray(self.v)).reshape(())[()])

    def __lt__(self, o: Any) -> bool:
        return bool(self.v < self._other(o))

    def __le__(self, o: Any) -> bool:
        return bool(self.v <= self._other(o))

    def __gt__(self, o: Any) -> bool:
        return bool(self.v > self._other(o))

    def __ge__(self, o: Any) -> bool:
        return bool(self.v >= self._other(o))

    def __float__(self) -> float:
        return float(self.v)

    def tensor(self) -> Tensor:
        return Tensor(np.asarray(self.v))


def _dot(a: ndarray, b: ndarray) -> Scalar:
    return Scalar(ops.dot(Tensor(a), Tensor(b)).array[()])


def _absmax(a: ndarray) -> Scalar:
    return Scalar(np.abs(a).max())


def _alpha(t: Any) -> float:
    return float(t)


def _mul(a: ndarray, t: Any) -> ndarray:
    return a * (t.v if type(t) is Scalar else a.dtype.type(t))


def _cubic_interpolate(x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any,
                       bounds: Any = None) -> Any:
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = d2_square.sqrt()
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(obj_func: Callable[..., Any], x: Any, t: Any, d: ndarray, f: float,
                  g: ndarray, gtd: Any, c1: float = 1e-4, c2: float = 0.9,
                  tolerance_change: float = 1e-9, max_ls: int = 25) -> Any:
    d_norm = _absmax(d)
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket: list[Any] = []
    bracket_f: list[Any] = []
    bracket_g: list[Any] = []
    bracket_gtd: list[Any] = []
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                               bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                               bracket[1], bracket_f[1], bracket_gtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos] = bracket[low_pos]
                bracket_f[high_pos] = bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


class _Params:
    """The parameters as one flat vector: gathered gradients, steps along a direction."""

    def __init__(self, params: list[Tensor]) -> None:
        self.params = params

    def flat_grad(self) -> ndarray:
        views = [np.zeros(p.array.size, p.array.dtype) if p.grad is None
                 else p.grad.array.reshape(-1) for p in self.params]
        return np.concatenate(views)

    def add(self, step_size: Any, update: ndarray) -> None:
        offset = 0
        alpha = _alpha(step_size)
        for p in self.params:
            n = p.array.size
            _set(p, _add(p.array, update[offset:offset + n].reshape(p.array.shape), alpha))
            offset += n

    def clone(self) -> list[ndarray]:
        return [p.array.copy() for p in self.params]

    def restore(self, data: list[ndarray]) -> None:
        for p, x in zip(self.params, data, strict=True):
            _set(p, x)


def _loss(value: Any) -> float:
    try:
        return float(value)
    except TypeError:
        raise GdRuntimeError(f"float() argument must be a string or a real number, not "
                             f"'{type(value).__name__}'", py_type="TypeError") from None


def _to_state(v: Any) -> Any:
    if type(v) is Scalar:
        return v.tensor()
    if type(v) is np.ndarray:
        return Tensor(v)
    if type(v) is list:
        return [_to_state(x) for x in v]
    return v


def _from_state(v: Any) -> Any:
    if type(v) is Tensor:
        return Scalar(v.array[()]) if v.array.ndim == 0 else v.array.copy()
    if type(v) is list:
        return [_from_state(x) for x in v]
    return v


def step(group: dict[str, Any], state: dict[str, Any], closure: Any) -> Any:
    """One LBFGS step (up to max_iter iterations); returns the closure's first loss."""
    if closure is None:
        raise GdRuntimeError("LBFGS.step() missing 1 required positional argument: "
                             "'closure'", py_type="TypeError")

    def evaluate() -> Any:
        with enable_grad():
            return closure()

    with no_grad():
        return _step(group, state, evaluate)


def _step(group: dict[str, Any], state: dict[str, Any], closure: Callable[[], Any]) -> Any:
    lr = group["lr"].item() if type(group["lr"]) is Tensor else group["lr"]
    max_iter, max_eval = group["max_iter"], group["max_eval"]
    tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
    line_search_fn, history_size = group["line_search_fn"], group["history_size"]
    params = _Params(group["params"])
    state.setdefault("func_evals", 0)
    state.setdefault("n_iter", 0)
    orig_loss = closure()
    loss = _loss(orig_loss)
    current_evals = 1
    state["func_evals"] += 1
    flat_grad = params.flat_grad()
    if _absmax(flat_grad) <= tolerance_grad:
        return orig_loss
    saved = {k: _from_state(state.get(k)) for k in (
        "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "al")}
    d, t = saved["d"], saved["t"]
    old_dirs, old_stps, ro = saved["old_dirs"], saved["old_stps"], saved["ro"]
    h_diag, prev_flat_grad, al = saved["H_diag"], saved["prev_flat_grad"], saved["al"]
    prev_loss = state.get("prev_loss")
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        state["n_iter"] += 1
        if state["n_iter"] == 1:
            d = -flat_grad
            old_dirs, old_stps, ro = [], [], []
            h_diag = 1
        else:
            y = flat_grad - prev_flat_grad
            s = _mul(d, t)
            ys = _dot(y, s)
            if ys > 1e-10:
                if len(old_dirs) == history_size:
                    old_dirs.pop(0)
                    old_stps.pop(0)
                    ro.pop(0)
                old_dirs.append(y)
                old_stps.append(s)
                ro.append(1.0 / ys)
                h_diag = ys / _dot(y, y)
            num_old = len(old_dirs)
            if al is None:
                al = [None] * history_size
            q = -flat_grad
            for i in range(num_old - 1, -1, -1):
                al[i] = _dot(old_stps[i], q) * ro[i]
                q = _add(q, old_dirs[i], -_alpha(al[i]))
            r = _mul(q, h_diag)
            for i in range(num_old):
                be_i = _dot(old_dirs[i], r) * ro[i]
                r = _add(r, old_stps[i], _alpha(al[i] - be_i))
            d = r
        prev_flat_grad = flat_grad.copy()
        prev_loss = loss
        if state["n_iter"] == 1:
            t = min(1.0, 1.0 / Scalar(ops.sum(Tensor(np.abs(flat_grad))).array[()])) * lr
        else:
            t = lr
        gtd = _dot(flat_grad, d)
        if gtd > -tolerance_change:
            break
        ls_func_evals = 0
        if line_search_fn is not None:
            if line_search_fn != "strong_wolfe":
                raise GdRuntimeError("only 'strong_wolfe' is supported")
            x_init = params.clone()

            def obj_func(x: Any, t: Any, d: ndarray) -> tuple[float, ndarray]:
                params.add(t, d)
                value = _loss(closure())
                grad = params.flat_grad()
                params.restore(x)
                return value, grad

            loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
            params.add(t, d)
            opt_cond = _absmax(flat_grad) <= tolerance_grad
        else:
            params.add(t, d)
            opt_cond = False
            if n_iter != max_iter:
                loss = _loss(closure())
                flat_grad = params.flat_grad()
                opt_cond = _absmax(flat_grad) <= tolerance_grad
                ls_func_evals = 1
        current_evals += ls_func_evals
        state["func_evals"] += ls_func_evals
        if n_iter == max_iter or current_evals >= max_eval or opt_cond:
            break
        if _absmax(_mul(d, t)) <= tolerance_change:
            break
        if abs(loss - prev_loss) < tolerance_change:
            break
    if al is not None:
        state["al"] = _to_state(al)
    state.update(d=_to_state(d), t=_to_state(t), old_dirs=_to_state(old_dirs),
                 old_stps=_to_state(old_stps), ro=_to_state(ro), H_diag=_to_state(h_diag),
                 prev_flat_grad=_to_state(prev_flat_grad), prev_loss=prev_loss)
    return orig_loss
