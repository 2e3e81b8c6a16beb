"""Gradient checking: autograd against central finite differences, in float64.

- `check_grads(f, xs, order)`: forward mode (J·v) and reverse mode (uᵀ·J) against finite
  differences along random directions, plus the adjoint identity ⟨u, J v⟩ = ⟨Jᵀ u, v⟩;
  recursively, the function x ↦ ⟨u, J(x)·v⟩ is checked again for order ≥ 2 (as HIPS
  autograd's check_grads does).
- `check_rule(rule, inputs, params)`: one primitive's VJP and JVP in isolation.
- `check_node(node)`: the rule of one recorded tape node, at the values it saw, so a
  wrong program result can be traced to one op and source line.
- `numeric_jacobian(f, x)`: the full finite-difference Jacobian.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradcli.ad import functional as AF
from gradcli.ad import ops
from gradcli.ad.autograd import grad
from gradcli.ad.tensor import Node, Tensor, enable_grad, no_grad, tensor_from_array
from gradcli.errors import GdRuntimeError
from gradcli.records import record

EPS = 1e-6


@record
class Comparison:
    """One autograd-vs-numeric comparison."""

    what: str
    analytic: float
    numeric: float

    @property
    def abs_error(self) -> float:
        """|analytic − numeric|."""
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        """abs_error scaled by the larger magnitude (at least 1e-300 to stay finite)."""
        return self.abs_error / max(abs(self.analytic), abs(self.numeric), 1e-300)

    def ok(self, rtol: float, atol: float) -> bool:
        """Within atol + rtol·|numeric| (NaN never is)."""
        return within_tolerance(self.analytic, self.numeric, rtol, atol)


def within_tolerance(analytic: Any, numeric: Any, rtol: float, atol: float) -> bool:
    """The one tolerance rule: |analytic − numeric| ≤ atol + rtol·|numeric| everywhere
    (NaN never is)."""
    err = np.abs(np.asarray(analytic, dtype=np.float64) - np.asarray(numeric, dtype=np.float64))
    return bool(np.all(err <= atol + rtol * np.abs(numeric)))


@record
class CheckReport:
    """All comparisons made by one check."""

    comparisons: list[Comparison]
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        """Every comparison within tolerance."""
        return all(c.ok(self.rtol, self.atol) for c in self.comparisons)

    @property
    def max_abs_error(self) -> float:
        """The largest absolute error."""
        return max((c.abs_error for c in self.comparisons), default=0.0)

    @property
    def max_rel_error(self) -> float:
        """The largest relative error."""
        return max((c.rel_error for c in self.comparisons), default=0.0)

    def failures(self) -> list[Comparison]:
        """The comparisons out of tolerance."""
        return [c for c in self.comparisons if not c.ok(self.rtol, self.atol)]


def _f64(a: Any) -> Tensor:
    arr = a.array if isinstance(a, Tensor) else np.asarray(a)
    return tensor_from_array(np.array(arr, dtype=np.float64))


def _scalar_of(out: Any, u: Sequence[np.ndarray]) -> Tensor:
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total: Any = None
    for o, uu in zip(outs, u, strict=True):
        term = ops.sum(o * tensor_from_array(uu))
        total = term if total is None else total + term
    return total


def _outputs(f: Callable[..., Any], xs: Sequence[Tensor]) -> list[np.ndarray]:
    with no_grad():
        out = f(*xs)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [np.array(o.array, dtype=np.float64) for o in outs]


def _directional_fd(f: Callable[..., Any], xs: Sequence[np.ndarray],
                    vs: Sequence[np.ndarray], u: Sequence[np.ndarray], eps: float) -> float:
    # np.asarray: on 0-d arrays, x + eps·v is a numpy scalar, which kernels would take for
    # a Python number (and so compute in the default float32).
    plus = [tensor_from_array(np.asarray(x + eps * v)) for x, v in zip(xs, vs, strict=True)]
    minus = [tensor_from_array(np.asarray(x - eps * v)) for x, v in zip(xs, vs, strict=True)]
    fp = _outputs(f, plus)
    fm = _outputs(f, minus)
    return float(sum(np.sum(uu * (a - b)) for uu, a, b in zip(u, fp, fm, strict=True))
                 / (2 * eps))


def check_grads(f: Callable[..., Any], xs: Sequence[Any], order: int = 1,
                modes: Sequence[str] = ("fwd", "rev"), rtol: float = 1e-5, atol: float = 1e-6,
                eps: float = EPS, seed: int = 0) -> CheckReport:
    """Check f's derivatives up to `order` in forward and reverse mode (float64)."""
    rng = np.random.default_rng(seed)
    comps: list[Comparison] = []
    _check_level(f, [_f64(x).array for x in xs], order, modes, rng, eps, comps, 1)
    return CheckReport(comps, rtol, atol)


def _check_level(f: Callable[..., Any], xs: list[np.ndarray], order: int,
                 modes: Sequence[str], rng: np.random.Generator, eps: float,
                 comps: list[Comparison], level: int) -> None:
    outs = _outputs(f, [tensor_from_array(x) for x in xs])
    vs = [rng.standard_normal(x.shape) for x in xs]
    u = [rng.standard_normal(o.shape) for o in outs]
    numeric = _directional_fd(f, xs, vs, u, eps)
    tensors = [tensor_from_array(x.copy()) for x in xs]
    if "rev" in modes:
        with enable_grad():
            ts = [t.detach().requires_grad_(True) for t in tensors]
            out = f(*ts)
            s = _scalar_of(out, u)
            gs = grad(s, ts, allow_unused=True) if s.requires_grad else [None] * len(ts)
        analytic = sum(float(np.sum(g.array * v)) for g, v in zip(gs, vs, strict=True)
                       if g is not None)
        comps.append(Comparison(f"order {level} reverse ⟨Jᵀu, v⟩", analytic, numeric))
    if "fwd" in modes:
        _, tans = AF.jvp(f, tuple(tensors), tuple(tensor_from_array(v) for v in vs))
        tl = tans if isinstance(tans, tuple) else (tans,)
        analytic = sum(float(np.sum(t.array * uu)) for t, uu in zip(tl, u, strict=True))
        comps.append(Comparison(f"order {level} forward ⟨u, Jv⟩", analytic, numeric))
    if order > 1:
        # The next level differentiates x ↦ ⟨Jᵀu, v⟩, computed with create_graph.
        def g(*ys: Tensor) -> Tensor:
            with enable_grad():
                ts = [y if y.requires_grad else _leaf_keeping_tangent(y) for y in ys]
                s = _scalar_of(f(*ts), u)
                if not s.requires_grad:
                    return ops.sum(ts[0] * 0.0)
                gs = grad(s, ts, create_graph=True, allow_unused=True)
                total: Any = None
                for gg, v in zip(gs, vs, strict=True):
                    if gg is None:
                        continue
                    term = ops.sum(gg * tensor_from_array(v))
                    total = term if total is None else total + term
                return total if total is not None else ops.sum(ts[0] * 0.0)

        _check_level(g, xs, order - 1, modes, rng, eps, comps, level + 1)


def _leaf_keeping_tangent(y: Tensor) -> Tensor:
    # detach() drops tangents (as in PyTorch); this leaf keeps y's, for forward-over-reverse.
    d = y.detach()
    d.requires_grad = True
    d.tangent = y.tangent
    return d


def check_rule(rule: Any, inputs: Sequence[Any], params: dict[str, Any] | None = None,
               order: int = 1, modes: Sequence[str] = ("fwd", "rev"), rtol: float = 1e-5,
               atol: float = 1e-6, seed: int = 0) -> CheckReport:
    """Check one primitive's rules at given inputs (float tensors vary, others are fixed)."""
    from gradcli.ad.tensor import apply

    params = params or {}
    vary = [i for i, a in enumerate(inputs) if isinstance(a, Tensor) and a.dtype.kind == "f"]
    base = list(inputs)

    def f(*ys: Tensor) -> Tensor:
        args = list(base)
        for i, y in zip(vary, ys, strict=True):
            args[i] = y
        return apply(rule, tuple(args), params)

    return check_grads(f, [base[i] for i in vary], order, modes, rtol, atol, seed=seed)


def check_node(node: Node, rtol: float = 1e-4, atol: float = 1e-5, seed: int = 0) -> CheckReport:
    """Check a recorded node's rule at the values it was recorded with (float64 copies)."""
    if node.inputs is None:
        raise ValueError("the node's saved values were freed by backward")
    inputs = [
        _f64(a) if isinstance(a, Tensor) and a.dtype.kind == "f"
        else (a.detach() if isinstance(a, Tensor) else a)
        for a in node.inputs
    ]
    return check_rule(node.rule, inputs, node.params, 1, ("fwd", "rev"), rtol, atol, seed)


def numeric_jacobian(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, eps: float = EPS,
                     out_shape: tuple[int, ...] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Central-difference Jacobian of an array function, shape out.shape + x.shape.

    `out_shape`, when known, saves the run at x; `progress(done, total)` is called after
    each element. f(x + eps·e_i) runs before f(x − eps·e_i).
    """
    x = np.array(x, dtype=np.float64)
    if out_shape is None:
        out_shape = np.shape(np.asarray(f(x.copy()), dtype=np.float64))
    flat = x.reshape(-1)
    jac = np.zeros((*out_shape, flat.size))
    for i in range(flat.size):
        vals = []
        for sign in (1.0, -1.0):
            xs = flat.copy()
            xs[i] += sign * eps
            vals.append(np.asarray(f(xs.reshape(x.shape)), dtype=np.float64))
        if any(v.shape != tuple(out_shape) for v in vals):
            raise GdRuntimeError("the result's shape changes when the input is perturbed")
        jac[..., i] = (vals[0] - vals[1]) / (2 * eps)
        if progress is not None:
            progress(i + 1, flat.size)
    return jac.reshape(tuple(out_shape) + x.shape)
