"""The rule-table sweep: every differentiable primitive in `RULES`, checked against finite
differences in forward and reverse mode, to second order (third for elementwise ops).

The test iterates the table itself, so a new rule without a case generator here fails.
Inputs come from numpy (seeded by hypothesis) and stay away from the points where an op
is not differentiable: kinks (abs, relu, sign, clamp bounds), ties (max, min), the domain
edges of log/sqrt/pow, and the jumps of floor/ceil/round.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import samples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcli.ad import ops
from gradcli.ad import rules as rules_module
from gradcli.ad.check import check_grads, check_rule
from gradcli.ad.ops import linalg as OL
from gradcli.ad.rules import RULES, Rule
from gradcli.ad.tensor import Tensor, apply
from gradcli.errors import GdRuntimeError

Draw = Callable[[st.SearchStrategy[Any]], Any]
Case = tuple[tuple[Any, ...], dict[str, Any]]

SWEEP = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- value helpers


def T(a: Any) -> Tensor:
    """A float64 leaf tensor from array-like data."""
    return ops.tensor(np.asarray(a, dtype=np.float64))


def rng_of(draw: Draw) -> np.random.Generator:
    """A numpy generator seeded by hypothesis (so examples shrink and replay)."""
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def shape_of(draw: Draw, min_dims: int = 0, max_dims: int = 3, min_side: int = 1,
             max_side: int = 4) -> tuple[int, ...]:
    """A random shape (0-d included when min_dims is 0)."""
    n = draw(st.integers(min_dims, max_dims))
    return tuple(draw(st.integers(min_side, max_side)) for _ in range(n))


def broadcast_pair(draw: Draw, min_dims: int = 0, max_dims: int = 3
                   ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together (leading dims dropped, sides set to 1)."""
    full = shape_of(draw, min_dims, max_dims)

    def thin(shape: tuple[int, ...]) -> tuple[int, ...]:
        drop = draw(st.integers(0, len(shape)))
        kept = shape[drop:]
        return tuple(1 if draw(st.booleans()) and draw(st.booleans()) else s for s in kept)

    return thin(full), thin(full)


def normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal values."""
    return rng.standard_normal(shape)


def positive(rng: np.random.Generator, shape: tuple[int, ...], lo: float = 0.5,
             hi: float = 2.0) -> np.ndarray:
    """Values in [lo, hi]: away from 0 for log, sqrt, 1/x, pow bases."""
    return rng.uniform(lo, hi, shape)


def nonzero(rng: np.random.Generator, shape: tuple[int, ...], lo: float = 0.3,
            hi: float = 2.0) -> np.ndarray:
    """Values with |x| in [lo, hi] and a random sign: away from the kink at 0."""
    return rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 apart (no ties for max/min), with |x| at least 0.05."""
    n = math.prod(shape)
    vals = (np.arange(n) - n / 2 + 0.5) * 0.3 + rng.uniform(-0.1, 0.1, n)
    return rng.permutation(vals).reshape(shape)


def dim_of(draw: Draw, ndim: int) -> int:
    """A valid dim, negative ones included."""
    n = max(ndim, 1)
    return draw(st.integers(-n, n - 1))


def dims_of(draw: Draw, ndim: int) -> Any:
    """None, one dim, or a tuple of distinct dims (as given: some negative)."""
    choice = draw(st.sampled_from(["none", "int", "tuple"])) if ndim else "none"
    if choice == "none":
        return None
    if choice == "int":
        return dim_of(draw, ndim)
    picked = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(d - ndim if draw(st.booleans()) else d for d in picked)


def reduce_params(draw: Draw, ndim: int) -> dict[str, Any]:
    """dim/keepdim params as ops._dim_params builds them."""
    dim = dims_of(draw, ndim)
    keepdim = draw(st.booleans())
    if dim is None:
        return {"keepdim": True} if keepdim else {}
    return {"dim": dim, "keepdim": keepdim}


def node_of(out: Tensor) -> Case:
    """The (inputs, params) a public op recorded: builds cases for rules with odd params."""
    node = out.grad_fn
    assert node is not None and node.inputs is not None
    return tuple(node.inputs), dict(node.params)


def leaf(a: np.ndarray) -> Tensor:
    """A float64 leaf that requires grad (to record a node)."""
    return T(a).requires_grad_(True)


# --------------------------------------------------------------------------- case generators

CASES: dict[str, Callable[[Draw], Case]] = {}


def case(*names: str) -> Callable[[Callable[..., Case]], Callable[..., Case]]:
    """Register a case generator for rules; extra args are the rule's name."""

    def deco(fn: Callable[..., Case]) -> Callable[..., Case]:
        for n in names:
            CASES[n] = (lambda draw, n=n: fn(draw, n))
        return fn

    return deco


# Elementwise unary ops, each with a domain away from its singular points.
DOMAINS: dict[str, Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]] = {
    "exp": lambda r, s: r.uniform(-2, 2, s),
    "log": positive,
    "log1p": lambda r, s: r.uniform(-0.5, 2, s),
    "sqrt": positive,
    "sin": lambda r, s: r.uniform(-3, 3, s),
    "cos": lambda r, s: r.uniform(-3, 3, s),
    "tan": lambda r, s: r.uniform(-1.2, 1.2, s),
    "tanh": lambda r, s: r.uniform(-2, 2, s),
    "sigmoid": lambda r, s: r.uniform(-4, 4, s),
    "reciprocal": nonzero,
    "relu": nonzero,
    "abs": nonzero,
    "sign": nonzero,
    "sgn": nonzero,
    "floor": lambda r, s: r.integers(-3, 3, s) + r.uniform(0.1, 0.9, s),
    "ceil": lambda r, s: r.integers(-3, 3, s) + r.uniform(0.1, 0.9, s),
    "round": lambda r, s: r.integers(-3, 3, s) + r.uniform(0.1, 0.4, s) * r.choice([1, -1], s),
}


@case(*DOMAINS)
def _unary(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(DOMAINS[name](rng, shape_of(draw))),), {}


@case("neg", "clone", "linear_weight_t")
def _plain(draw: Draw, name: str) -> Case:
    return (T(normal(rng_of(draw), shape_of(draw))),), {}


@case("clamp")
def _clamp(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    c = draw(st.floats(0.5, 1.5))
    x = rng.uniform(-2.5, 2.5, shape)
    x = np.where(np.abs(np.abs(x) - c) < 0.15, 0.0, x)  # keep off the bounds
    bounds = draw(st.sampled_from(["both", "min", "max", "tensor"]))
    if bounds == "min":
        return (T(x),), {"min": -c}
    if bounds == "max":
        return (T(x),), {"max": c}
    if bounds == "tensor":
        return (T(x),), {"min": np.full((), -c), "max": np.full(shape[-1:], c)}
    return (T(x),), {"min": -c, "max": c}


def _operands(draw: Draw, make: Callable[[np.random.Generator, tuple[int, ...]], np.ndarray],
              make_b: Callable[[np.random.Generator, tuple[int, ...]], np.ndarray] | None = None,
              numbers: tuple[Any, ...] = (1.5, -0.75, 2, 3)) -> tuple[Any, Any]:
    """Two broadcastable tensors, or a tensor and a Python number (either side)."""
    rng = rng_of(draw)
    make_b = make_b or make
    sa, sb = broadcast_pair(draw)
    form = draw(st.sampled_from(["tt", "tt", "tt", "tn", "nt"]))
    a = T(make(rng, sa))
    b = T(make_b(rng, sb))
    if form == "tn":
        return a, draw(st.sampled_from(numbers))
    if form == "nt":
        return draw(st.sampled_from(numbers)), b
    return a, b


@case("add", "sub", "mul")
def _arith(draw: Draw, name: str) -> Case:
    return _operands(draw, normal), {}


@case("div")
def _div(draw: Draw, name: str) -> Case:
    return _operands(draw, normal, nonzero), {}


@case("pow")
def _pow(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    form = draw(st.sampled_from(["tt", "tt", "tn", "nt"]))
    sa, sb = broadcast_pair(draw)
    if form == "tn":
        # Number exponents: the special cases 0 and 1, integers, fractions, negatives.
        b = draw(st.sampled_from([0, 1, 2, 3, 0.5, -1.5, 2.5, -2]))
        return (T(positive(rng, sa)), b), {}
    if form == "nt":
        return (draw(st.sampled_from([2.0, 0.5, 3])), T(rng.uniform(-2, 2, sb))), {}
    return (T(positive(rng, sa)), T(rng.uniform(-2, 2, sb))), {}


@case("maximum", "minimum")
def _extremum(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    sa, sb = broadcast_pair(draw)
    a = normal(rng, sa)
    # Each b lies ≥ 0.1 above or below every a it can meet after broadcasting: no ties.
    lo, hi = (a.min(), a.max()) if a.size else (0.0, 0.0)
    side = rng.choice([-1.0, 1.0], sb)
    b = np.where(side > 0, hi + rng.uniform(0.1, 1.0, sb), lo - rng.uniform(0.1, 1.0, sb))
    form = draw(st.sampled_from(["tt", "tt", "tn", "nt"]))
    if form == "tn":
        return (T(distinct(rng, sa) + 0.05), 0.0), {}
    if form == "nt":
        return (0.0, T(distinct(rng, sb) + 0.05)), {}
    return (T(a), T(b)), {}


@case("where")
def _where(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    sc, sa = broadcast_pair(draw)
    sb = draw(st.sampled_from([sa, sc, ()]))
    c = ops.tensor(rng.random(sc) < 0.5)
    form = draw(st.sampled_from(["tt", "tt", "tn", "nt"]))
    a: Any = T(normal(rng, sa))
    b: Any = T(normal(rng, sb))
    if form == "tn":
        b = 0.5
    elif form == "nt":
        a = -1.25
    return (c, a, b), {}


@case("sum", "mean")
def _sum(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    return (T(normal(rng_of(draw), shape)),), reduce_params(draw, len(shape))


@case("prod")
def _prod(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    if x.size and draw(st.booleans()):
        x.reshape(-1)[draw(st.integers(0, x.size - 1))] = 0.0  # one exact zero
    params: dict[str, Any] = {}
    if shape and draw(st.booleans()):
        params = {"dim": dim_of(draw, len(shape)), "keepdim": draw(st.booleans())}
    return (T(x),), params


@case("amax", "amin")
def _amax(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    return (T(distinct(rng_of(draw), shape)),), reduce_params(draw, len(shape))


@case("max_all", "min_all")
def _extreme_all(draw: Draw, name: str) -> Case:
    return (T(distinct(rng_of(draw), shape_of(draw))),), {}


@case("max_dim", "min_dim", "take_along")
def _select(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    x = distinct(rng, shape)
    dim = dim_of(draw, len(shape))
    keepdim = draw(st.booleans())
    if name == "take_along":
        d = dim % len(shape)
        index = rng.integers(0, shape[d], (*shape[:d], 1, *shape[d + 1:]))
        return (T(x),), {"index": index, "dim": dim, "keepdim": keepdim}
    kind = "max" if name == "max_dim" else "min"
    out = ops.max(leaf(x), dim, keepdim) if kind == "max" else ops.min(leaf(x), dim, keepdim)
    return node_of(out.values)


@case("scatter_along")
def _scatter(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    dim = dim_of(draw, len(shape))
    d = dim % len(shape)
    keepdim = draw(st.booleans())
    index = rng.integers(0, shape[d], (*shape[:d], 1, *shape[d + 1:]))
    gshape = index.shape if keepdim else shape[:d] + shape[d + 1:]
    params = {"shape": shape, "index": index, "dim": dim, "keepdim": keepdim}
    return (T(normal(rng, gshape)),), params


@case("norm")
def _norm(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    p = draw(st.sampled_from([2.0, 1.0, 3.0, 1.5, math.inf, -math.inf, 0.0]))
    x = distinct(rng, shape) + 0.01 if p in (math.inf, -math.inf) else nonzero(rng, shape)
    if p in (math.inf, -math.inf):
        x = np.abs(x) * rng.choice([-1.0, 1.0], shape)  # distinct magnitudes, any sign
    params = {"p": p, **reduce_params(draw, len(shape))}
    return (T(x),), params


@case("logsumexp")
def _logsumexp(draw: Draw, name: str) -> Case:
    shape = shape_of(draw, min_dims=1)
    dim = dims_of(draw, len(shape))
    if dim is None:
        dim = dim_of(draw, len(shape))
    return (T(normal(rng_of(draw), shape)),), {"dim": dim, "keepdim": draw(st.booleans())}


@case("softmax", "log_softmax")
def _softmax(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    return (T(normal(rng_of(draw), shape)),), {"dim": dim_of(draw, len(shape))}


# PyTorch's backward primitives (gradcli.ad.ops.backward): two same-shape operands.
@case("threshold_backward")
def _threshold_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (T(normal(rng, shape)), T(nonzero(rng, shape))), {"threshold": 0}


@case("tanh_backward", "sigmoid_backward")
def _act_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (T(normal(rng, shape)), T(rng.uniform(0.05, 0.95, shape))), {}


# Activations' backward functions (gradcli.ad.rules.activations): grad and x. PyTorch has
# no derivative of hardsigmoid_backward in x: only its grad side is checked (an integer x).
ACTIVATION_BACKWARD = {
    "softplus_backward": {"beta": 1.5, "threshold": 2.0}, "gelu_backward": {},
    "leaky_relu_backward": {"negative_slope": 0.1}, "log_sigmoid_backward": {},
    "elu_backward": {"alpha": 1.5, "scale": 1.2, "input_scale": 0.7},
    "hardtanh_backward": {"min_val": -1.0, "max_val": 1.0}, "hardswish_backward": {},
    "hardsigmoid_backward": {}, "hardshrink_backward": {"lambd": 0.5},
    "softshrink_backward": {"lambd": 0.5},
}
#: Rules whose derivatives PyTorch does not implement past an order.
MAX_ORDER = {"hardsigmoid": 1, "multi_margin_loss": 1}  # (their backward: no derivative)


@case(*ACTIVATION_BACKWARD)
def _activation_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    x = nonzero(rng, shape) * 2
    if name == "hardsigmoid_backward":  # integer x: only grad varies
        return (T(normal(rng, shape)), ops.tensor(rng.integers(-5, 6, shape))), {}
    return (T(normal(rng, shape)), T(x)), ACTIVATION_BACKWARD[name]


@case("rrelu")
def _rrelu(draw: Draw, name: str) -> Case:
    """x · noise, a fixed noise (rrelu's slopes) away from x = 0."""
    rng = rng_of(draw)
    shape = shape_of(draw)
    x = nonzero(rng, shape)
    return (T(x),), {"noise": np.where(x > 0, 1.0, rng.uniform(0.125, 0.34, shape))}


@case("softmax_backward_data", "log_softmax_backward_data")
def _softmax_backward_data(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    out = rng.uniform(0.05, 0.95, shape)
    if name == "log_softmax_backward_data":
        out = np.log(out)
    return (T(normal(rng, shape)), T(out)), {"dim": dim_of(draw, len(shape))}


@case("masked_fill")
def _masked_fill(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (T(normal(rng, shape)),), {"mask": rng.random(shape) < 0.5, "value": 0.5}


@case("floordiv", "floordiv_", "asinh_", "acosh_", "atanh_", "unique_values")
def _no_derivative(draw: Draw, name: str) -> Case:
    # PyTorch records these nodes but has no derivative for them (NOT_IMPLEMENTED below).
    rng = rng_of(draw)
    shape = shape_of(draw)
    x = T(rng.uniform(1.1, 2.0, shape) if name == "acosh_" else rng.uniform(-0.9, 0.9, shape))
    if name == "unique_values":
        return (x,), {"values": np.unique(x.array), "fn": "_unique2"}
    return ((x, T(rng.uniform(0.5, 2.0, shape))) if name.startswith("floordiv") else (x,)), {}


@case("copy")
def _copy(draw: Draw, name: str) -> Case:
    # x.copy_(src): src broadcast to x's shape (sums back to src's).
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (T(normal(rng, shape)), T(normal(rng, shape[1:]))), {}


@case("mod")
def _mod(draw: Draw, name: str) -> Case:
    # Away from the jumps of a % b (where a / b is an integer).
    rng = rng_of(draw)
    shape = shape_of(draw)
    b = T(rng.uniform(1.0, 2.0, shape) * rng.choice([-1.0, 1.0], shape))
    a = T((rng.integers(-3, 3, shape) + rng.uniform(0.2, 0.8, shape)) * b.array)
    if draw(st.booleans()):
        return (a, draw(st.sampled_from([1.5, -2.0]))), {}
    return (a, b), {}


@case("igamma", "igammac", "zeta")
def _igamma(draw: Draw, name: str) -> Case:
    # The first argument requires grad: PyTorch's "not implemented" for it (the second's
    # derivative is checked against PyTorch's gradcheck in tests/test_tensor_round11.py
    # and by the sweep's samples).
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (leaf(rng.uniform(1.5, 3.0, shape)), T(rng.uniform(0.2, 4.0, shape))), {}


@case("masked_fill_value")
def _masked_fill_value(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    return (T(normal(rng, shape)), T(normal(rng, ()))), {"mask": rng.random(shape) < 0.5}


@case("mul_scalar", "div_scalar")
def _scalar_operand(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(normal(rng, shape_of(draw))), draw(st.sampled_from([2, -0.5, 3.0]))), {}


@case("mse_loss_backward")
def _mse_loss_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    g = normal(rng, shape if reduction == "none" else ())
    return (T(g), T(normal(rng, shape)), T(normal(rng, shape))), {"reduction": reduction}


@case("reshape")
def _reshape(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    n = math.prod(shape)
    target = draw(st.sampled_from([(n,), shape[::-1], (1, *shape), (n, 1)]))
    if n == 1:
        target = draw(st.sampled_from([(), (1,), (1, 1)]))
    return (T(normal(rng_of(draw), shape)),), {"shape": target}


@case("expand")
def _expand(draw: Draw, name: str) -> Case:
    target, small = broadcast_pair(draw)
    target = np.broadcast_shapes(target, small)
    return (T(normal(rng_of(draw), small)),), {"shape": target}


@case("sum_to")
def _sum_to(draw: Draw, name: str) -> Case:
    big, small = broadcast_pair(draw)
    big = np.broadcast_shapes(big, small)
    return (T(normal(rng_of(draw), big)),), {"shape": small}


@case("transpose")
def _transpose(draw: Draw, name: str) -> Case:
    shape = shape_of(draw, min_dims=1)
    x = T(normal(rng_of(draw), shape))
    if len(shape) == 1:
        return (x,), {"dim0": 0, "dim1": 0, "short": True}
    return (x,), {"dim0": dim_of(draw, len(shape)), "dim1": dim_of(draw, len(shape)),
                  "short": len(shape) == 2 and draw(st.booleans())}


@case("permute")
def _permute(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    dims = tuple(draw(st.permutations(range(len(shape)))))
    dims = tuple(d - len(shape) if draw(st.booleans()) else d for d in dims)
    return (T(normal(rng_of(draw), shape)),), {"dims": dims}


@case("squeeze")
def _squeeze(draw: Draw, name: str) -> Case:
    shape = tuple(draw(st.sampled_from([1, 1, 2, 3])) for _ in range(draw(st.integers(0, 4))))
    x = T(normal(rng_of(draw), shape))
    form = draw(st.sampled_from(["none", "int", "tuple"])) if shape else "none"
    if form == "none":
        return (x,), {"dim": None}
    if form == "int":
        return (x,), {"dim": dim_of(draw, len(shape))}
    return (x,), {"dim": dims_of(draw, len(shape)) or (0,), "dims_variant": True}


@case("unsqueeze")
def _unsqueeze(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    return (T(normal(rng_of(draw), shape)),), {"dim": draw(st.integers(0, len(shape)))}


@case("unbind")
def _unbind(draw: Draw, name: str) -> Case:
    shape = shape_of(draw, min_dims=1)
    dim = draw(st.integers(0, len(shape) - 1))
    x = T(normal(rng_of(draw), shape))
    return (x,), {"dim": dim, "index": draw(st.integers(0, shape[dim] - 1))}


@case("flip")
def _flip(draw: Draw, name: str) -> Case:
    shape = shape_of(draw)
    dims = draw(st.lists(st.integers(0, max(len(shape) - 1, 0)), unique=True, max_size=3))
    return (T(normal(rng_of(draw), shape)),), {"dims": tuple(dims)}


def index_of(draw: Draw, shape: tuple[int, ...], rng: np.random.Generator,
             unique: bool = False) -> Any:
    """A Python index for a tensor of this shape: ints, slices, None, ..., an int list
    (with repeats unless unique) or a boolean mask."""
    if draw(st.integers(0, 5)) == 0:
        return ops.tensor(rng.random(shape) < 0.6)
    parts: list[Any] = []
    advanced = False
    for side in shape:
        kind = draw(st.sampled_from(["int", "slice", "full", "list", "none"]))
        if kind == "list" and not advanced:
            advanced = True
            k = draw(st.integers(1, 4))
            parts.append(list(rng.permutation(side)[:k] if unique
                              else rng.integers(-side, side, k)))
        elif kind == "int":
            parts.append(draw(st.integers(-side, side - 1)))
        elif kind == "slice":
            start = draw(st.integers(-side, side - 1))
            parts.append(slice(start, draw(st.sampled_from([None, side, -1])),
                               draw(st.integers(1, 2))))
        elif kind == "none":
            parts.append(None)
            parts.append(slice(None))
        else:
            parts.append(slice(None))
    if parts and draw(st.booleans()):
        parts = [Ellipsis, *parts[len(parts) // 2:]] if draw(st.booleans()) else parts
    return tuple(parts) if len(parts) != 1 else parts[0]


@case("getitem")
def _getitem(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    x = normal(rng, shape)
    return node_of(ops.getitem(leaf(x), index_of(draw, shape, rng)))


@case("index_add_into")
def _index_add_into(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    y = ops.getitem(leaf(np.zeros(shape)), index_of(draw, shape, rng))
    inputs, p = node_of(y)  # the last node: basic indexing may have made a view before it
    return (T(normal(rng, tuple(y.shape))),), {"shape": tuple(inputs[0].shape),
                                               "index": p["index"]}


@case("index_put")
def _index_put(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    x = leaf(normal(rng, shape))
    idx = index_of(draw, shape, rng, unique=True)
    vshape = ops.getitem(x, idx).shape
    v: Any = draw(st.sampled_from(["tensor", "tensor", "number", "broadcast"]))
    if v == "number":
        v = 0.5
    elif v == "broadcast":
        v = leaf(normal(rng, vshape[-1:]))
    else:
        v = leaf(normal(rng, vshape))
    work = ops.clone(x)
    ops.setitem(work, idx, v)
    return node_of(work)


@case("diag")
def _diag(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    k = draw(st.integers(-2, 2))
    if draw(st.booleans()):
        return (T(normal(rng, (draw(st.integers(1, 4)),))),), {"diagonal": k, "embed": True}
    n, m = draw(st.integers(3, 4)), draw(st.integers(3, 4))
    return (T(normal(rng, (n, m))),), {"diagonal": k, "embed": False}


@case("diag_embed_like")
def _diag_embed_like(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    n, m = draw(st.integers(3, 4)), draw(st.integers(3, 4))
    k = draw(st.integers(-2, 2))
    length = np.diagonal(np.zeros((n, m)), k).shape[0]
    return (T(normal(rng, (length,))),), {"shape": (n, m), "diagonal": k}


@case("diagonal_backward")
def _diagonal_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = (draw(st.integers(1, 2)), draw(st.integers(2, 4)), draw(st.integers(2, 4)))
    offset = draw(st.integers(-1, 1))
    dim1, dim2 = draw(st.sampled_from([(1, 2), (0, 2), (2, 0), (-1, -2)]))
    gshape = np.diagonal(np.zeros(shape), offset, dim1 % 3, dim2 % 3).shape
    return (T(normal(rng, gshape)),), {"shape": shape, "offset": offset, "dim1": dim1,
                                       "dim2": dim2}


@case("to_dtype")
def _to_dtype(draw: Draw, name: str) -> Case:
    return (T(normal(rng_of(draw), shape_of(draw))),), {"dtype": np.dtype(np.float64)}


@case("fill")
def _fill(draw: Draw, name: str) -> Case:
    value = draw(st.sampled_from([0, 1.5, -2]))
    return (T(normal(rng_of(draw), shape_of(draw))),), {"value": value}


@case("cat", "stack")
def _cat(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    k = draw(st.integers(1, 3))
    if name == "stack":
        dim = draw(st.integers(-len(shape) - 1, len(shape)))
        return tuple(T(normal(rng, shape)) for _ in range(k)), {"dim": dim}
    dim = dim_of(draw, len(shape))
    d = dim % len(shape)
    xs = []
    for _ in range(k):
        s = list(shape)
        s[d] = draw(st.integers(1, 3))
        xs.append(T(normal(rng, tuple(s))))
    return tuple(xs), {"dim": dim}


@case("mm", "mv", "dot")
def _linalg(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    if name == "mm":
        return (T(normal(rng, (n, k))), T(normal(rng, (k, m)))), {}
    if name == "mv":
        return (T(normal(rng, (n, k))), T(normal(rng, (k,)))), {}
    return (T(normal(rng, (k,))), T(normal(rng, (k,)))), {}  # dot


@case("mse_loss", "bce_with_logits")
def _loss(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    target = rng.random(shape) if name == "bce_with_logits" else normal(rng, shape)
    return (T(rng.uniform(-3, 3, shape)), T(target)), {"reduction": reduction}


@case("nll_loss")
def _nll(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    c = draw(st.integers(1, 4))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    if draw(st.booleans()):
        logp = normal(rng, (c,))
        target = ops.tensor(np.asarray(rng.integers(0, c), dtype=np.int64))
        reduction = "sum" if reduction == "none" else reduction
    else:
        n = draw(st.integers(1, 4))
        logp = normal(rng, (n, c))
        target = ops.tensor(rng.integers(0, c, n).astype(np.int64))
    return (T(logp), target), {"reduction": reduction}


@case("smooth_l1_loss_backward", "huber_loss_backward", "binary_cross_entropy_backward")
def _loss_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    shape = shape_of(draw)
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    g = normal(rng, shape if reduction == "none" else ())
    if name == "binary_cross_entropy_backward":
        return (T(g), T(rng.uniform(0.2, 0.8, shape)), T(rng.uniform(0.05, 0.95, shape))), \
            {"reduction": reduction}
    x = distinct(rng, shape) * 3
    param = {"smooth_l1_loss_backward": "beta", "huber_loss_backward": "delta"}[name]
    d = (rng.choice([0.3, 1.7], shape) + rng.uniform(-0.1, 0.1, shape)) \
        * rng.choice([-1, 1], shape)  # inside and outside the quadratic zone, off the kink
    return (T(g), T(x), T(x + d)), {"reduction": reduction, param: 1.0}


@case("nll_loss_backward")
def _nll_backward(draw: Draw, name: str) -> Case:
    (logp, target), params = _nll(draw, "nll_loss")
    g = normal(rng_of(draw), tuple(target.shape) if params["reduction"] == "none" else ())
    return (T(g), logp, target), params


@case("ctc_loss")
def _ctc(draw: Draw, name: str) -> Case:
    # The inputs are logits here: the sweep checks ctc_loss through log_softmax, where
    # PyTorch's gradient (exp(log_probs) - γ) is the derivative (LOG_SOFTMAX_INPUT).
    rng = rng_of(draw)
    t, n, c = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(2, 4))
    lengths = tuple(int(v) for v in rng.integers(0, t // 2 + 1, n))  # 2·length frames
    targets = ops.tensor(rng.integers(1, c, (n, max(lengths))).astype(np.int64))
    return (T(normal(rng, (t, n, c))), targets), {
        "input_lengths": tuple(int(rng.integers(2 * k, t + 1)) if k else int(
            rng.integers(1, t + 1)) for k in lengths),
        "target_lengths": lengths, "blank": 0, "zero_infinity": False}


@case("ctc_loss_backward")
def _ctc_backward(draw: Draw, name: str) -> Case:
    (x, targets), params = _ctc(draw, "ctc_loss")
    g = normal(rng_of(draw), (x.shape[1],))
    return (T(g), ops.log_softmax(x, -1), targets), params


@case("multi_margin_loss_backward")
def _multi_margin_backward(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    g = normal(rng, (n,) if reduction == "none" else ())
    target = ops.tensor(rng.integers(0, c, n).astype(np.int64))
    return (T(g), T(normal(rng, (n, c))), target), {
        "p": draw(st.sampled_from([1, 2])), "margin": 1.0, "weight": None,
        "reduction": reduction}


@case("heaviside")
def _heaviside(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(normal(rng, (3,))), T(normal(rng, (3,)))), {}


@case("compare_into")
def _compare_into(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (leaf(normal(rng, (3,))), leaf(normal(rng, (3,)))), {"op": "lt"}


@case("bincount")
def _bincount(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (ops.tensor(rng.integers(0, 4, 5)), T(normal(rng, (5,)))), {"minlength": 0}


@case("standard_gamma")
def _standard_gamma(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(rng.uniform(0.5, 3.0, (3,))),), {"values": rng.uniform(0.2, 4.0, (3,))}


@case("standard_gamma_grad")
def _standard_gamma_grad(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(rng.uniform(0.5, 3.0, (3,))), T(rng.uniform(0.2, 4.0, (3,)))), {}


@case("binomial")
def _binomial(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    return (T(rng.uniform(1.0, 9.0, (3,)).round()), T(rng.uniform(0.1, 0.9, (3,)))), \
        {"values": rng.integers(0, 2, (3,)).astype(np.float64)}


@case("sample_dirichlet")
def _sample_dirichlet(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    values = rng.uniform(0.1, 1.0, (2, 3))
    return (T(rng.uniform(0.5, 3.0, (2, 3))),), {"values": values / values.sum(-1, keepdims=True)}


@case("dirichlet_grad")
def _dirichlet_grad(draw: Draw, name: str) -> Case:
    rng = rng_of(draw)
    alpha = rng.uniform(0.5, 3.0, (3,))
    return (T(rng.uniform(0.1, 0.9, (3,))), T(alpha), T(alpha + rng.uniform(0.5, 3.0, (3,)))), {}


# Non-differentiable rules: never recorded, whatever requires grad.
NONDIFF_INPUTS: dict[str, Callable[[np.random.Generator], tuple[Any, ...]]] = {
    **{n: (lambda r: (leaf(normal(r, (2, 3))), leaf(normal(r, (3,)))))
       for n in ("lt", "le", "gt", "ge", "eq", "ne")},
    **{n: (lambda r: (ops.tensor(r.random(3) < 0.5), ops.tensor(r.random(3) < 0.5)))
       for n in ("logical_and", "logical_or")},
    "logical_not": lambda r: (ops.tensor(r.random(3) < 0.5),),
    "bitwise_not": lambda r: (ops.tensor(r.integers(0, 5, 3)),),
    **{n: (lambda r: (ops.tensor(r.integers(0, 5, 3)), ops.tensor(r.integers(0, 5, 3))))
       for n in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
                 "bitwise_right_shift")},
    **{n: (lambda r: (leaf(normal(r, (2, 3))),))
       for n in ("isnan", "isfinite", "argmax", "argmin", "isinf", "isposinf", "isneginf",
                 "signbit")},
    "logical_xor": lambda r: (leaf(normal(r, (2, 3))), leaf(normal(r, (3,)))),
    **{n: (lambda r: (ops.tensor(r.integers(-9, 9, 3)), ops.tensor(r.integers(-9, 9, 3))))
       for n in ("gcd", "lcm")},
}

# --------------------------------------------------------------------------- the sweep

DIFFERENTIABLE = sorted(n for n, r in RULES.items() if r.differentiable)
@case("clamp_tensor_both", "clamp_tensor_min", "clamp_tensor_max")
def _clamp_tensor(draw: Draw, name: str) -> Case:
    # Tensor bounds are inputs (broadcast against x); x keeps off both bounds.
    rng = rng_of(draw)
    shape = shape_of(draw, min_dims=1)
    lo = rng.uniform(-1.5, -0.5, shape[-1:])
    hi = rng.uniform(0.5, 1.5, ())
    x = rng.uniform(-2.5, 2.5, shape)
    x = np.where((np.abs(x - lo) < 0.15) | (np.abs(x - hi) < 0.15), 0.0, x)
    bounds = {"both": (T(lo), T(hi)), "min": (T(lo),), "max": (T(hi),)}[name.rsplit("_", 1)[1]]
    return (T(x), *bounds), {}


@case("exact_value")
def _exact_value(draw: Draw, name: str) -> Case:
    # x computed as base, its values replaced by a kernel's: x's derivative
    rng = rng_of(draw)
    x = rng.normal(size=shape_of(draw))
    return (T(x),), {"value": x + 1e-7, "base": x.copy(),
                     "name": "NativeBatchNormBackwardBackward0"}


@case("conv_exact_input", "conv_exact_output")
def _conv_exact(draw: Draw, name: str) -> Case:
    # identities whose gradients a convolution's slot replaces with oneDNN's values (an
    # empty slot: the gradient as it comes, x's derivative)
    x = rng_of(draw).normal(size=shape_of(draw))
    params: dict[str, Any] = {"slot": {}}
    if name == "conv_exact_input":
        params["role"] = "input"
    return (T(x),), params


@case("soft_margin_loss_backward")
def _soft_margin_backward(draw: Draw, name: str) -> Case:
    # grad · d/dx log(1 + exp(-y x)) (PyTorch's soft_margin_loss_backward), in g and x
    rng = rng_of(draw)
    shape = shape_of(draw)
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    g = rng.normal(size=() if reduction != "none" else shape)
    return (T(g), T(rng.normal(size=shape)), T(np.sign(rng.normal(size=shape)))), {
        "reduction": reduction}


@case("upsample_linear", "upsample_linear_backward")
def _upsample_linear(draw: Draw, name: str) -> Case:
    # interpolation (2, 3) -> (4, 5) in each mode and its adjoint (its gradient)
    rng = rng_of(draw)
    mode = draw(st.sampled_from(["linear", "cubic", "nearest", "nearest-exact"]))
    params = {"size": (4, 5), "in_shape": (1, 2, 2, 3), "scales": (None, None),
              "align_corners": bool(draw(st.booleans())) and not mode.startswith("nearest"),
              "mode": mode, "name": "UpsampleBilinear2DBackward0"}
    shape = (1, 2, 2, 3) if name == "upsample_linear" else (1, 2, 4, 5)
    return (T(rng.normal(size=shape)),), params


#: Recorded (PyTorch has a node for them) but without a derivative: backward is an error.
NOT_IMPLEMENTED = {"floordiv", "floordiv_", "unique_values", "asinh_", "acosh_", "atanh_",
                   "heaviside", "bincount", "igamma", "igammac", "zeta", "standard_gamma_grad",
                   "dirichlet_grad", "ctc_loss_backward", "binomial",
                   "multi_margin_loss_backward"}
#: PyTorch's CTC gradient is that of the logits under log_softmax, not of free log_probs:
#: checked through x ↦ log_softmax(x), once (its backward has no derivative), in reverse.
LOG_SOFTMAX_INPUT = {"ctc_loss"}
#: A sample's derivative by implicit reparameterization: not the derivative of the drawn
#: values (fixed by the generator) but of the quantile they sit at, d F⁻¹(u; α) / dα.
#: Checked against PyTorch's bits and the inverse cdf's differences instead
#: (tests/test_distributions_extra.py).
IMPLICIT = {"standard_gamma", "sample_dirichlet"}
#: The rules with no hand-written case above are checked on a node a sweep sample
#: records (tests/samples): adding an op with its sample adds its rules here.
SAMPLE_CASES = {name: case for name, case in samples.rule_cases().items() if name not in CASES}
#: Ops of a symmetric matrix read one triangle, and PyTorch's gradient is the symmetric one:
#: checked through A ↦ (A + Aᵀ)/2, where the two agree.
SYMMETRIC_INPUT = {"cholesky", "cholesky_legacy", "eigh"}
#: Ops that read one triangle of a factor (input 1) whose gradient PyTorch gives for the
#: whole matrix (cholesky_solve's −(C + Cᵀ)L): checked through the factor's triangle, L ↦
#: tril(L), where the two agree.
TRIANGULAR_FACTOR = {"cholesky_solve"}
#: PyTorch has no forward-mode rule for these (the JVP is its refusal): reverse mode only.
REVERSE_ONLY = {"cholesky_legacy", "index_reduce", "multi_margin_loss"}
NONDIFFERENTIABLE = sorted(n for n, r in RULES.items() if not r.differentiable)


def _describe(rule: Rule, inputs: tuple[Any, ...], params: dict[str, Any], report: Any) -> str:
    shapes = [tuple(a.shape) if isinstance(a, Tensor) else a for a in inputs]
    lines = [f"{rule.name} inputs={shapes} params={params}"]
    for c in report.failures():
        lines.append(f"  {c.what}: analytic={c.analytic!r} numeric={c.numeric!r}")
    return "\n".join(lines)


def _case(name: str, data: st.DataObject) -> Case:
    if name in CASES:
        return CASES[name](data.draw)
    assert name in SAMPLE_CASES, \
        f"rule {name!r} has no case here and no sweep sample in tests/samples reaches it"
    inputs, params = SAMPLE_CASES[name]
    return tuple(a.detach() if isinstance(a, Tensor) else a for a in inputs), params


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@SWEEP
@given(data=st.data())
def test_rule_matches_finite_differences(name: str, data: st.DataObject) -> None:
    """Forward and reverse rules agree with central differences to order 2 (3 elementwise)."""
    inputs, params = _case(name, data)
    rule = RULES[name]
    if name in NOT_IMPLEMENTED:  # PyTorch's error, both ways
        for run in (lambda: rule.vjp(ops.ones_like(inputs[0]), None, *inputs, **params),
                    lambda: rule.jvp([ops.ones_like(inputs[0])], None, *inputs, **params)):
            with pytest.raises(GdRuntimeError, match=r"not implemented|not support"):
                run()
        return
    if name in IMPLICIT:
        pytest.skip("implicit reparameterization: see tests/test_distributions_extra.py")
    order = MAX_ORDER.get(name, 3 if rule.kind == "elementwise" else 2)
    if name in LOG_SOFTMAX_INPUT:
        report = check_grads(lambda a: apply(rule, (ops.log_softmax(a, -1), *inputs[1:]), params),
                             [inputs[0]], 1, modes=("rev",))
    elif name in SYMMETRIC_INPUT:
        report = check_grads(lambda a: apply(rule, ((a + ops.transpose(a, -1, -2)) / 2,), params),
                             [inputs[0]], order,
                             modes=("rev",) if name in REVERSE_ONLY else ("fwd", "rev"))
    elif name in TRIANGULAR_FACTOR:
        tri = OL.triu if params.get("upper") else OL.tril
        report = check_grads(lambda b, f: apply(rule, (b, tri(f)), params), list(inputs[:2]),
                             order)
    else:
        report = check_rule(rule, inputs, params, order=order,
                            modes=("rev",) if name in REVERSE_ONLY else ("fwd", "rev"))
    assert report.comparisons, "nothing was compared"
    assert report.ok, _describe(rule, inputs, params, report)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@settings(max_examples=5, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rule_records_its_node(name: str, data: st.DataObject) -> None:
    """Applying a rule to inputs that require grad records a node named like PyTorch's."""
    inputs, params = _case(name, data)
    rule = RULES[name]
    live = tuple(a.detach().requires_grad_(True)
                 if isinstance(a, Tensor) and a.dtype.kind == "f" else a for a in inputs)
    out = apply(rule, live, params)
    assert out.requires_grad and out.grad_fn is not None
    assert out.grad_fn.rule is rule
    tname = out.grad_fn.name
    assert isinstance(tname, str) and tname, tname
    assert not out.is_leaf


@pytest.mark.parametrize("name", NONDIFFERENTIABLE)
def test_nondifferentiable_rule_is_never_recorded(name: str) -> None:
    """Comparisons, logic and index ops give results outside the graph."""
    assert name in NONDIFF_INPUTS, f"rule {name!r} has no case in tests/test_ad_rules.py"
    inputs = NONDIFF_INPUTS[name](np.random.default_rng(0))
    out = apply(RULES[name], inputs, {})
    assert out.grad_fn is None and not out.requires_grad


# --------------------------------------------------------------------------- the table itself

KINDS = {"elementwise", "binary", "linear", "reduction", "general", "bilinear", "loss",
         "nondifferentiable"}


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_table_entry_is_complete(name: str) -> None:
    """Every rule: a kernel, a VJP and JVP (or none, if nondifferentiable), a doc line,
    PyTorch's name for its node, and a test case here."""
    rule = RULES[name]
    assert rule.name == name
    assert rule.kind in KINDS, rule.kind
    assert callable(rule.forward)
    assert isinstance(rule.doc, str) and rule.doc.strip(), "missing doc"
    assert "\n" not in rule.doc.strip(), "doc should be one line"
    assert callable(rule.torch_name) or (isinstance(rule.torch_name, str) and rule.torch_name)
    if rule.kind == "nondifferentiable":
        assert rule.vjp is None and rule.jvp is None and not rule.differentiable
        assert name in NONDIFF_INPUTS
    else:
        assert callable(rule.vjp), "missing VJP"
        assert callable(rule.jvp), "missing JVP"
        assert rule.differentiable
        assert name in CASES or name in SAMPLE_CASES, "missing case generator or sample"


def test_every_case_generator_names_a_rule() -> None:
    """No stale generators for rules that were removed or renamed."""
    assert set(CASES) <= set(RULES)
    assert set(NONDIFF_INPUTS) <= set(RULES)
    assert set(CASES) <= set(DIFFERENTIABLE)
    assert set(DIFFERENTIABLE) <= set(CASES) | set(SAMPLE_CASES)


@pytest.mark.parametrize("path", sorted(Path(rules_module.__file__).parent.glob("*.py")),
                         ids=lambda p: p.name)
def test_rules_modules_do_not_import_numpy(path: Path) -> None:
    """Rules are written in our differentiable ops only, so every order works."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
            imported += [f"{node.module}.{a.name}" for a in node.names]
    assert imported, "expected some imports"
    assert not [m for m in imported if m == "numpy" or m.startswith("numpy.")], imported
    assert "np" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
