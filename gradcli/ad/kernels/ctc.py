"""The CTC loss (Graves et al., 2006) as PyTorch's CPU kernels compute it (LossCTC.cpp):
the forward variables alpha over the extended target (a blank between every label and at
both ends), the per-sample negative log-likelihood, and the backward variables beta for
the gradient. In the input's dtype, with the kernels' operations in their order (a
three-way log-sum-exp around the largest term, 0 where all are -inf). exp and log of a
float32 are the float64 ones rounded (the C library's expf/logf, which PyTorch's scalar
loops call, differ from these in the last bit now and then; calling them element by
element through ctypes made the kernels ~10x slower). Vectorised over the batch and the
extended target, one step per time step.

The gradient is PyTorch's: with respect to log_probs it is exp(log_probs) - γ (the
posterior of each class at each time), which is the gradient of the logits when the
log_probs are log_softmax's output (PyTorch's documented assumption), not of log_probs as
free inputs; past a sample's input length it is 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

ndarray = np.ndarray


def _exp(a: ndarray) -> ndarray:
    return np.exp(a.astype(np.float64)).astype(a.dtype) if a.dtype == np.float32 else np.exp(a)


def _log(a: ndarray) -> ndarray:
    return np.log(a.astype(np.float64)).astype(a.dtype) if a.dtype == np.float32 else np.log(a)


def _lse3(a: ndarray, b: ndarray, c: ndarray) -> ndarray:
    """log(exp(a-m) + exp(b-m) + exp(c-m)) + m, m the largest (0 if all are -inf)."""
    m = np.maximum(np.maximum(a, b), c)
    m = np.where(m == -np.inf, m.dtype.type(0), m)
    return _log(_exp(a - m) + _exp(b - m) + _exp(c - m)) + m


def _lse2(a: ndarray, b: ndarray) -> ndarray:
    m = np.maximum(a, b)
    m = np.where(m == -np.inf, m.dtype.type(0), m)
    return _log(_exp(a - m) + _exp(b - m)) + m


class _Problem:
    """The extended targets of a batch and what both passes share."""

    def __init__(self, lp: ndarray, targets: ndarray, input_lengths: tuple[int, ...],
                 target_lengths: tuple[int, ...], blank: int) -> None:
        t_max, n, _ = lp.shape
        self.il = np.asarray(input_lengths, np.int64)
        self.tl = np.asarray(target_lengths, np.int64)
        s = 2 * int(self.tl.max(initial=0)) + 1
        prime = np.full((n, s), blank, np.int64)
        offset = 0
        for b in range(n):
            k = int(self.tl[b])
            row = targets[offset:offset + k] if targets.ndim == 1 else targets[b, :k]
            offset += k
            prime[b, 1:2 * k:2] = row
        self.prime = prime
        self.valid = np.arange(s)[None, :] < (2 * self.tl + 1)[:, None]
        skip = np.zeros((n, s), bool)
        skip[:, 2:] = prime[:, 2:] != prime[:, :-2]
        self.skip = skip
        # log_probs at each extended-target symbol: [T, N, S]
        self.lp_prime = lp[:, np.arange(n)[:, None], prime]
        self.neginf = lp.dtype.type(-np.inf)
        self.alpha = self._alpha(t_max, n, s)

    def _alpha(self, t_max: int, n: int, s: int) -> ndarray:
        ni = self.neginf
        la = np.full((max(t_max, 1), n, s), ni, self.lp_prime.dtype)
        if t_max == 0:
            return la
        la[0, :, 0] = self.lp_prime[0, :, 0]
        has = self.tl > 0
        if s > 1:
            la[0, has, 1] = self.lp_prime[0, has, 1]
        col = np.full((n, 1), ni, la.dtype)
        for t in range(1, t_max):
            prev = la[t - 1]
            la2 = np.concatenate([col, prev[:, :-1]], axis=1)
            la3 = np.where(self.skip, np.concatenate([col, col, prev[:, :-2]], axis=1)[:, :s],
                           ni)
            v = _lse3(prev, la2, la3) + self.lp_prime[t]
            la[t] = np.where(self.valid, v, ni)
        return la

    def nll(self) -> ndarray:
        n = self.prime.shape[0]
        out = np.empty(n, self.alpha.dtype)
        for b in range(n):
            il, k = int(self.il[b]), int(self.tl[b])
            if il == 0:
                out[b] = 0 if k == 0 else np.inf
                continue
            last = self.alpha[il - 1, b]
            if k == 0:
                out[b] = -last[0]
            else:
                out[b] = -_lse2(last[2 * k:2 * k + 1], last[2 * k - 1:2 * k])[0]
        return out


def _checked(lp: ndarray, targets: ndarray, input_lengths: Any, target_lengths: Any,
             blank: int) -> _Problem:
    return _Problem(lp, targets, tuple(int(v) for v in input_lengths),
                    tuple(int(v) for v in target_lengths), int(blank))


def ctc_loss(lp: ndarray, targets: ndarray, *, input_lengths: Any, target_lengths: Any,
             blank: int = 0, zero_infinity: bool = False) -> ndarray:
    """The negative log-likelihood of each sample: [N] from log_probs [T, N, C]."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _checked(lp, targets, input_lengths, target_lengths, blank).nll()


def ctc_loss_backward(g: ndarray, lp: ndarray, targets: ndarray, *, input_lengths: Any,
                      target_lengths: Any, blank: int = 0,
                      zero_infinity: bool = False) -> ndarray:
    """PyTorch's ctc_loss_backward_cpu: exp(lp) - exp(log Σ alpha·beta + nll - lp),
    times the sample's cotangent g[b]; 0 past the input length (and for an infinite loss
    under zero_infinity)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = _checked(lp, targets, input_lengths, target_lengths, blank)
        nll = p.nll()
        t_max, n, _ = lp.shape
        s = p.prime.shape[1]
        ni = p.neginf
        la = p.alpha
        lb = np.full_like(la, ni)
        acc = np.full(lp.shape, ni, lp.dtype)  # log Σ alpha·beta per class
        for b in range(n):
            il, k = int(p.il[b]), int(p.tl[b])
            if il == 0:
                continue
            lb[il - 1, b, 2 * k] = lp[il - 1, b, blank]
            acc[il - 1, b, blank] = la[il - 1, b, 2 * k] + lb[il - 1, b, 2 * k]
            if k > 0:
                cp = p.prime[b, 2 * k - 1]
                lb[il - 1, b, 2 * k - 1] = lp[il - 1, b, cp]
                acc[il - 1, b, cp] = la[il - 1, b, 2 * k - 1] + lb[il - 1, b, 2 * k - 1]
        col = np.full((n, 1), ni, lp.dtype)
        bs = np.arange(n)
        skip_next = np.zeros((n, s), bool)
        skip_next[:, :-2] = p.prime[:, 2:] != p.prime[:, :-2]
        for t in range(t_max - 2, -1, -1):
            active = (t < p.il - 1)[:, None] & p.valid
            nxt = lb[t + 1]
            lb2 = np.concatenate([nxt[:, 1:], col], axis=1)
            lb3 = np.where(skip_next, np.concatenate([nxt[:, 2:], col, col], axis=1)[:, :s], ni)
            v = _lse3(nxt, lb2, lb3) + p.lp_prime[t]
            lb[t] = np.where(active, v, lb[t])
            lab = la[t] + lb[t]
            for j in range(s - 1, -1, -1):
                rows = active[:, j]
                if not rows.any():
                    continue
                cls = p.prime[rows, j]
                cur = acc[t, bs[rows], cls]
                new = lab[rows, j]
                acc[t, bs[rows], cls] = np.where(cur == -np.inf, new, _lse2(cur, new))
        res = (_exp(lp) - _exp(acc + nll[None, :, None] - lp)) * g.astype(lp.dtype)[None, :, None]
        keep = np.arange(t_max)[:, None] < p.il[None, :]
        if zero_infinity:
            keep = keep & (nll != np.inf)[None, :]
        return np.where(keep[:, :, None], res, lp.dtype.type(0))
