"""Random ops beyond rand/randn/normal/randint (ops/creation.py): PyTorch's in-place
draws (random_, uniform_, normal_, exponential_, bernoulli_), bernoulli, multinomial,
randperm, randint_like and dropout, bit for bit with PyTorch's CPU generator (see
gradcli/ad/rng.py for how each turns generator words into values).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import record_inplace
from gradcli.ad.kernels.iteration import reorder_dimensions
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.creation import (
    _as_tensor,
    _creation_dtype,
    _leaf,
    _num,
    check_device,
    dtypes_resolve,
    gen_of,
    randint_values,
    torch_error,
)
from gradcli.ad.ops.elementwise import mul
from gradcli.ad.ops.methods import INPLACE
from gradcli.ad.ops.reductions import argmax
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.rng import Generator
from gradcli.errors import GdRuntimeError

_TORCH_TYPE = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}


def _type_name(x: Tensor) -> str:
    return _TORCH_TYPE.get(dtypes.name_of(x.array.dtype), dtypes.name_of(x.array.dtype))


def _need_float(x: Tensor, kernel: str, kinds: str = "f") -> None:
    if x.array.dtype.kind not in kinds:
        raise torch_error(f'"{kernel}" not implemented for \'{_type_name(x)}\'',
                          "NotImplementedError")


def _fill(x: Tensor, values: np.ndarray, torch_name: str) -> Tensor:
    """x holds `values` in place, recorded as PyTorch's random node (zero gradient)."""
    new = apply(RULES["random_fill"], (x,), {"values": values, "torch_name": torch_name})
    return record_inplace(x, new)


def _drawn(x: Tensor, draw: Any, like: np.ndarray | None = None) -> np.ndarray:
    """draw(shape)'s values for x, in the order PyTorch's kernel walks x's memory: a
    non-contiguous x (x.t().normal_()) is filled in TensorIterator's order (its dims by
    stride), so the i-th draw lands at the i-th element in memory, not in index order."""
    a = x.array
    if a.ndim < 2 or a.flags.c_contiguous:
        return draw(a.shape if like is None else like)
    order = reorder_dimensions(a.shape, [a.strides])[::-1]  # slowest first
    # (like: an operand of x's shape, the probabilities of bernoulli_, walked alike)
    arg = tuple(a.shape[d] for d in order) if like is None else like.transpose(order)
    return draw(arg).transpose(np.argsort(order))


def _fdtype(x: Tensor) -> str:
    return dtypes.name_of(x.array.dtype)


# -- in-place draws ---------------------------------------------------------------------

def uniform_(self: Tensor, from_: Any = 0.0, to: Any = 1.0, *,
             generator: Generator | None = None) -> Tensor:
    """Fill with uniform values in [from, to)."""
    _need_float(self, "check_uniform_bounds", "fc")
    lo, hi = float(_num(from_)), float(_num(to))
    if not lo <= hi:
        raise GdRuntimeError("uniform_ expects to return a [from, to) range, but found "
                             f"from={_g(from_)} > to={_g(to)}")
    dt = _fdtype(self)
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).uniform(lo, hi, sh, dt)),
                 "UniformBackward0")


def _g(v: Any) -> str:
    v = _num(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def normal_(self: Tensor, mean: Any = 0.0, std: Any = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with normal values."""
    _need_float(self, "normal_kernel_cpu", "fc")
    if not float(_num(std)) >= 0.0:
        raise GdRuntimeError(f"normal expects std >= 0.0, but found std {_g(std)}")
    # (not contiguous: PyTorch's serial kernel, one Box-Muller draw an element)
    serial = not self.array.flags.c_contiguous
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).normal(
        float(_num(mean)), float(_num(std)), sh, _fdtype(self), serial=serial)),
                 "NormalBackward0")


def exponential_(self: Tensor, lambd: Any = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
    """Fill with exponential values of rate lambd."""
    lam = float(_num(lambd))
    if not lam > 0.0:
        raise GdRuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_g(lambd)}")
    if self.array.dtype.kind != "f":
        raise GdRuntimeError("Exponential distribution is a continuous probability distribution."
                             f" dtype must be a floating point but you specified "
                             f"{_type_name(self)}")
    dt = _fdtype(self)
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).exponential(lam, sh, dt)),
                 "ExponentialBackward0")


def cauchy_(self: Tensor, median: Any = 0.0, sigma: Any = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with Cauchy values."""
    if self.array.dtype.kind != "f":
        raise GdRuntimeError("Cauchy distribution is a continuous probability distribution. "
                             f"dtype must be a floating point but you specified "
                             f"{_C_TYPES[_fdtype(self)]}")
    if not float(_num(sigma)) > 0.0:
        raise GdRuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_g(sigma)}")
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).cauchy(
        float(_num(median)), float(_num(sigma)), sh, _fdtype(self))),
                 "CauchyBackward0")


_C_TYPES = {"int64": "long int", "int32": "int", "bool": "bool"}


def log_normal_(self: Tensor, mean: Any = 1.0, std: Any = 2.0, *,
                generator: Generator | None = None) -> Tensor:
    """Fill with log-normal values (exp of normal(mean, std))."""
    _need_float(self, "log_normal_cpu")
    if not float(_num(std)) > 0.0:
        raise GdRuntimeError(f"log_normal_ expects std > 0.0, but found std={_g(std)}")
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).log_normal(
        float(_num(mean)), float(_num(std)), sh, _fdtype(self))),
                 "LogNormalBackward0")


def geometric_(self: Tensor, p: Any, *, generator: Generator | None = None) -> Tensor:
    """Fill with the number of Bernoulli(p) trials up to the first success."""
    pv = float(_num(p))
    if not 0.0 < pv < 1.0:
        raise GdRuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_g(p)}")
    return _fill(self, _drawn(self, lambda sh: gen_of(generator).geometric(pv, sh, _fdtype(self))),
                 "GeometricBackward0")


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """Poisson draws with the rates in input."""
    x = _as_tensor(input)
    _need_float(x, "poisson_cpu")
    if (x.array < 0).any():
        raise GdRuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return apply(RULES["random_fill"], (x,), {"values": gen_of(generator).poisson(x.array),
                                              "torch_name": "PoissonBackward0"})


def binomial(count: Tensor, prob: Tensor, generator: Generator | None = None) -> Tensor:
    """torch.binomial(count, prob): one Binomial(count, prob) draw per (broadcast) element."""
    n, p = _as_tensor(count), _as_tensor(prob)
    if n.array.dtype.kind != "f":
        raise GdRuntimeError("binomial only supports floating-point dtypes for count, got: "
                             f"{scalar_name(n.array.dtype)}", py_type="ValueError")
    if p.array.dtype != n.array.dtype:
        raise GdRuntimeError(f"Found dtype {scalar_name(p.array.dtype)} but expected "
                             f"{scalar_name(n.array.dtype)}")
    na, pa = np.broadcast_arrays(n.array, p.array)
    return apply(RULES["binomial"], (n, p), {"values": gen_of(generator).binomial(na, pa)})


def random_(self: Tensor, from_: Any = None, to: Any = None, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with integers: random_() over the dtype's range, random_(to) in [0, to),
    random_(from, to) in [from, to)."""
    g = gen_of(generator)
    dt = _fdtype(self)
    if from_ is None and to is None:
        return _fill(self, _drawn(self, lambda sh: g.random_full(sh, dt)), "RandomBackward2")
    name = "RandomBackward0"
    if to is None:
        from_, to, name = 0, from_, "RandomBackward1"
    elif from_ is None:
        from_, name = 0, "RandomBackward1"
    lo, hi = int(_num(from_)), int(_num(to))
    if dt == "bool" and not (lo >= 0 and hi <= 2):
        raise GdRuntimeError(f"{'from' if lo < 0 else 'to - 1'} is out of bounds for bool")
    return _fill(self, _drawn(self, lambda sh: g.randint(lo, hi, sh)), name)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill with 1 (probability p, a number or a tensor) or 0."""
    g = gen_of(generator)
    if type(p) is Tensor:
        _need_float(p, "bernoulli_tensor_cpu_p_")
        probs = np.broadcast_to(p.array, self.shape)
        return _fill(self, _drawn(self, g.bernoulli_tensor, probs), "BernoulliBackward1")
    pv = float(p)
    if not 0.0 <= pv <= 1.0:
        raise GdRuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_g(p)}")
    return _fill(self, _drawn(self, lambda sh: g.bernoulli_scalar(pv, sh)), "BernoulliBackward2")


def bernoulli(input: Any, p: Any = None, *, generator: Generator | None = None) -> Tensor:
    """Draws of 1 with probability input (or p, a number, for every element), else 0."""
    x = _as_tensor(input)
    g = gen_of(generator)
    if p is not None:
        pv = float(p)
        if not 0.0 <= pv <= 1.0:
            raise GdRuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_g(p)}")
        return apply(RULES["random_fill"], (x,), {"values": g.bernoulli_scalar(pv, x.shape),
                                                  "torch_name": "NotImplemented"})
    _need_float(x, "bernoulli_tensor_cpu_p_")
    if ((x.array < 0) | (x.array > 1) | np.isnan(x.array)).any():
        raise GdRuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)")
    return apply(RULES["random_fill"], (x,), {"values": g.bernoulli_tensor(x.array),
                                              "torch_name": "BernoulliBackward0"})


# -- sampling ---------------------------------------------------------------------------

def multinomial(input: Any, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Indices drawn from the rows of input (unnormalised probabilities)."""
    x = _as_tensor(input)
    n = int(num_samples)
    if x.ndim not in (1, 2):
        raise GdRuntimeError("prob_dist must be 1 or 2 dim")
    if x.array.dtype.kind != "f":
        raise GdRuntimeError("multinomial only supports floating-point dtypes for input, "
                             f"got: {_type_name(x)}")
    if n <= 0:
        raise GdRuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and n > x.shape[-1]:
        raise GdRuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    g = gen_of(generator)
    rows = x.shape[0] if x.ndim == 2 else 1
    if rows == 0:  # no rows: PyTorch returns the empty result and draws nothing
        return _leaf(np.zeros((0, n), np.int64))
    probs = x.array.reshape(rows, x.shape[-1])
    if replacement and n > 1:
        if (probs < 0).any():
            raise GdRuntimeError(
                "invalid multinomial distribution (encountering probability entry < 0)")
        if not np.isfinite(probs).all():
            raise GdRuntimeError("invalid multinomial distribution (encountering probability "
                                 "entry = infinity or NaN)")
        if (probs.sum(-1) <= 0).any():
            raise GdRuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        out = g.multinomial_with_replacement(probs, n)
    else:
        if not ((probs.max() < math.inf) & (probs.min() >= 0)):
            raise GdRuntimeError(
                "probability tensor contains either `inf`, `nan` or element < 0")
        if (probs.sum(-1) == 0).any():
            raise GdRuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = g.exponential(1.0, probs.shape, dtypes.name_of(probs.dtype))
        keys = probs / q
        if n == 1:
            out = argmax(Tensor(keys), -1, True).array
        else:  # topk: largest first, ties in index order
            out = np.argsort(-keys, axis=-1, kind="stable")[:, :n]
    return _leaf(out.reshape(*x.shape[:-1], n).astype(np.int64))


def randperm(n: Any, *, generator: Generator | None = None, dtype: Any = None,
             requires_grad: bool = False, device: Any = None, **_: Any) -> Tensor:
    """A random permutation of 0 … n-1."""
    check_device(device)
    dt = _creation_dtype(dtype, dtypes.int64)
    return _leaf(gen_of(generator).randperm(int(_num(n))).astype(dt), requires_grad)


def randint_like(input: Tensor, low: Any = 0, high: Any = None, *, dtype: Any = None,
                 requires_grad: bool = False, generator: Generator | None = None,
                 device: Any = None, **_: Any) -> Tensor:
    """Random integers in [low, high) shaped like input (randint_like(x, high) too)."""
    check_device(device)
    if high is None:
        low, high = 0, low
    dt = input.array.dtype if dtype is None else dtypes_resolve(dtype)
    values = randint_values(gen_of(generator), int(_num(low)), int(_num(high)), input.shape, dt)
    return _leaf(values.astype(dt), requires_grad)


# -- dropout ----------------------------------------------------------------------------

def _memory_order(draw: Any, arr: Any) -> Any:
    """draw(shape) laid out in arr's memory order: PyTorch fills empty_like(x), whose strides
    are ATen's infer_dense_strides of x's (a transposed input gets its noise transposed)."""
    if arr.ndim < 2 or arr.flags.c_contiguous:
        return draw(arr.shape)
    sizes = arr.shape
    perm = reorder_dimensions(sizes, [arr.strides])  # innermost first
    order = perm[::-1]  # outermost first
    return draw(tuple(sizes[d] for d in order)).transpose(np.argsort(order))


def _dropout(input: Tensor, p: float, train: bool, inplace: bool) -> Tensor:
    """PyTorch's CPU dropout: input itself when p == 0 or not training, else
    input * (bernoulli_(1 - p) / (1 - p)) (MulBackward0), input * 0 when p == 1."""
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        noise = Tensor(np.zeros((), dtype=input.array.dtype))
    elif getattr(input, "meta", False):  # no values, no draws: only the shape is computed
        noise = Tensor(np.asarray(1.0 / (1.0 - p), dtype=input.array.dtype))
    else:
        mask = _memory_order(lambda shape: gen_of(None).bernoulli_scalar(1.0 - p, shape),
                             input.array)
        dt = input.array.dtype
        noise = Tensor(mask.astype(dt) / np.asarray(1.0 - p, dtype=dt))
    return INPLACE["mul_"](input, noise) if inplace else mul(input, noise)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """torch.nn.functional.dropout: zero elements with probability p while training and
    scale the rest by 1 / (1 - p)."""
    if p < 0.0 or p > 1.0:
        raise torch_error(f"dropout probability has to be between 0 and 1, but got {p}",
                          "ValueError")
    return _dropout(input, float(p), bool(training), bool(inplace))


def torch_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """torch.dropout(input, p, train)."""
    if p < 0.0 or p > 1.0:
        raise GdRuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout(input, float(p), bool(train), False)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("uniform_", "normal_", "exponential_", "random_", "bernoulli_", "cauchy_",
              "log_normal_", "geometric_"):
    expose(globals()[_name], f"Tensor.{_name}", family="random")
expose(bernoulli, "torch.bernoulli", "Tensor.bernoulli", family="random")
expose(multinomial, "torch.multinomial", "Tensor.multinomial", family="random")
expose(randperm, "torch.randperm", family="random")
expose(poisson, "torch.poisson", family="random")
expose(binomial, "torch.binomial", family="random")
expose(randint_like, "torch.randint_like", family="random")
expose(dropout, "torch.nn.functional.dropout", family="random")
expose(torch_dropout, "torch.dropout", family="random")
