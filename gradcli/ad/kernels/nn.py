"""torch.nn.functional kernels: activations, their backward functions, and losses.

numpy in, numpy out, in the input's floating dtype (PyTorch's activations have no
integer kernels: their message is PyTorch's).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.kernels import clib as C
from gradcli.ad.kernels import elementwise as E
from gradcli.ad.kernels import mkl_avx512
from gradcli.ad.kernels.elementwise import sub, vec_exp
from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.half import via_float32
from gradcli.ad.kernels.linalg import _transposed, product
from gradcli.ad.kernels.messages import TorchError, not_implemented, scalar_name
from gradcli.ad.kernels.mkl_path import mkl_avx512 as _mkl_avx512
from gradcli.ad.kernels.nll_cascade import nll_cascade as _cascade
from gradcli.ad.kernels.onednn_conv import AVX512 as _ONEDNN_AVX512
from gradcli.ad.kernels.onednn_eltwise import dnnl_gelu_erf, dnnl_gelu_erf_backward
from gradcli.ad.kernels.reductions import mean, torch_sum
from gradcli.ad.kernels.vecmath import LIBM, VEC, kernel_loop, vexp, vlog1p

ndarray = np.ndarray


def _float(x: Any, kernel: str) -> ndarray:
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise not_implemented(kernel, x.dtype)
    return x


def _as(out: Any, like: ndarray) -> ndarray:
    return np.asarray(out).astype(like.dtype, copy=False)


# -- activations --------------------------------------------------------------------------
# Each is PyTorch's CPU kernel (aten/src/ATen/native/cpu/Activation.cpp) written once on
# arrays with the special functions of M: kernel_loop runs it with SLEEF's vector functions
# on whole pairs of vectors and the C library's on the rest, as cpu_kernel_vec does. A `fma`
# is where the compiler fuses PyTorch's a * b + c (the kernels are built with FMA).

_M_SQRT1_2 = 0.70710678118654752440
_M_SQRT2 = 1.41421356237309504880
_M_2_SQRTPI = 1.12837916709551257390
_KAPPA = 0.044715


@via_float32
def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> ndarray:
    """log(1 + e^(βx))/β, x itself where βx > threshold."""
    x = _float(x, "softplus_cpu")
    b, th = x.dtype.type(beta), x.dtype.type(threshold)

    def f(M: Any, a: ndarray) -> ndarray:
        ab = a * b
        with np.errstate(over="ignore"):
            return np.where(ab > th, a, M.log1p(M.exp(ab)) / b)

    return kernel_loop(f, x)


@via_float32
def softplus_backward(g: Any, x: Any, beta: float, threshold: float) -> ndarray:
    x = np.asarray(x)
    b, th = x.dtype.type(beta), x.dtype.type(threshold)

    def f(M: Any, a: ndarray, grad: Any) -> ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            z = M.exp(a * b)
            return np.where(a * b > th, grad, grad * z / (z + z.dtype.type(1)))

    return _as(kernel_loop(f, x, _as(g, x)), x)


def _gelu_inner(a: ndarray) -> ndarray:
    t_ = a.dtype.type
    return t_(_M_SQRT2 * _M_2_SQRTPI * 0.5) * fma(np.full(a.shape, t_(_KAPPA)), a * a * a, a)


@via_float32
def gelu(x: Any, approximate: str = "none") -> ndarray:
    """x · Φ(x) (approximate='tanh': PyTorch's tanh approximation), in x's dtype as
    PyTorch's kernel computes it."""
    x = _float(x, "GeluKernelImpl")
    t_ = x.dtype.type
    one, half = t_(1), t_(0.5)
    if approximate == "tanh":
        return kernel_loop(lambda M, a: half * a * (one + M.tanh(_gelu_inner(a))), x)
    if x.dtype == np.float32 and x.size > 1 and x.flags.c_contiguous:
        # oneDNN's (PyTorch's mkldnn path: use_mkldnn takes contiguous inputs only)
        return np.where(np.isnan(x), np.float32(np.nan), dnnl_gelu_erf(x, _ONEDNN_AVX512))
    return kernel_loop(lambda M, a: a * half * (one + M.erf(a * t_(_M_SQRT1_2))), x)


@via_float32
def gelu_backward(g: Any, x: Any, approximate: str = "none") -> ndarray:
    x = np.asarray(x)
    t_ = x.dtype.type
    one, half = t_(1), t_(0.5)
    if approximate == "tanh":
        def f(M: Any, a: ndarray, dy: Any) -> ndarray:
            th = M.tanh(_gelu_inner(a))
            inner_d = t_(_M_SQRT2 * _M_2_SQRTPI * 0.5) * fma(
                np.full(a.shape, t_(3) * t_(_KAPPA)), a * a, one)
            return dy * (half * (one + th) + half * a * fma(-th, th, one) * inner_d)
    elif x.dtype == np.float32 and x.size > 1 and x.flags.c_contiguous:  # oneDNN's
        g = np.broadcast_to(_as(g, x), np.broadcast_shapes(np.shape(g), x.shape))
        return dnnl_gelu_erf_backward(g, np.broadcast_to(x, g.shape))
    else:
        def f(M: Any, a: ndarray, dy: Any) -> ndarray:
            cdf = half * (one + M.erf(a * t_(_M_SQRT1_2)))
            pdf = t_(_M_2_SQRTPI * _M_SQRT1_2 * 0.5) * M.exp(a * a * t_(-0.5))
            # the vector loop's fmadd; the scalar loop rounds the product first
            return dy * (fma(a, pdf, cdf) if M is VEC else a * pdf + cdf)
    return _as(kernel_loop(f, x, _as(g, x)), x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> ndarray:
    """x where x > 0, else negative_slope · x."""
    x = _float(x, "leaky_relu_cpu")
    return _as(np.where(x > 0, x, x * negative_slope), x)


def leaky_relu_backward(g: Any, x: Any, negative_slope: float) -> ndarray:
    g = np.asarray(g)
    return _as(np.where(np.asarray(x) > 0, g, g * negative_slope), g)


@via_float32
def elu(x: Any, alpha: float = 1.0, scale: float = 1.0, input_scale: float = 1.0) -> ndarray:
    """scale · x where x > 0, else scale · α · (e^(x · input_scale) - 1): PyTorch's
    expm1(x · input_scale) · (α · scale), the coefficients in x's dtype."""
    x = _float(x, "elu_cpu")
    t_ = x.dtype.type
    neg, pos, ins = t_(alpha) * t_(scale), t_(scale), t_(input_scale)
    return kernel_loop(lambda M, a: np.where(a > 0, a * pos, M.expm1(a * ins) * neg), x)


@via_float32
def elu_backward(g: Any, x: Any, alpha: float, scale: float, input_scale: float) -> ndarray:
    x = np.asarray(x)
    t_ = x.dtype.type
    neg, pos, ins = t_(alpha) * t_(scale), t_(scale), t_(input_scale)

    def f(M: Any, b: ndarray, a: Any) -> ndarray:
        # the vectors blend on b > 0, the scalar loop tests b <= 0 (NaN: its a · scale)
        positive = ~(b <= 0) if M is LIBM else b > 0
        with np.errstate(over="ignore", invalid="ignore"):
            return np.where(positive, a * pos, a * ins * neg * M.exp(b * ins))

    return _as(kernel_loop(f, x, _as(g, x)), x)


@via_float32
def silu(x: Any) -> ndarray:
    """x · σ(x), as PyTorch's kernel rounds it: x / (1 + exp(-x)), exp Vectorized's."""
    x = _float(x, "silu_cpu")
    with np.errstate(over="ignore"):
        return _as(x / (x.dtype.type(1) + vec_exp(x, negate=True)), x)


@via_float32
def silu_backward(g: Any, x: Any) -> ndarray:
    """PyTorch's silu_backward: dy · σ · (1 + x(1 - σ)), σ = 1/(1 + e^-x)."""
    x = np.asarray(x)
    one = x.dtype.type(1)

    def f(M: Any, a: ndarray, dy: Any) -> ndarray:
        with np.errstate(over="ignore"):
            sig = one / (one + M.exp(-a))
        return dy * sig * fma(a, one - sig, one)

    return _as(kernel_loop(f, x, _as(g, x)), x)


@via_float32
def mish(x: Any) -> ndarray:
    """x · tanh(softplus(x)): PyTorch's x · tanh(log1p(e^x))."""
    x = _float(x, "mish_cpu")
    with np.errstate(over="ignore"):
        return kernel_loop(lambda M, a: a * M.tanh(M.log1p(M.exp(a))), x)


@via_float32
def mish_backward(g: Any, x: Any) -> ndarray:
    """PyTorch's mish_backward: dy · (tanh(sp) + x·σ(x)·(1 - tanh²(sp)))."""
    x = np.asarray(x)
    one = x.dtype.type(1)

    def f(M: Any, a: ndarray, dy: Any) -> ndarray:
        with np.errstate(over="ignore"):
            sig = one / (one + M.exp(-a))
            ts = M.tanh(M.log1p(M.exp(a)))
        return dy * fma(a * sig, fma(-ts, ts, one), ts)

    return _as(kernel_loop(f, x, _as(g, x)), x)


@via_float32
def log_sigmoid(x: Any) -> ndarray:
    """log σ(x): PyTorch's min(x, 0) - log1p(e^-|x|), every element in vectors."""
    x = _float(x, "log_sigmoid_cpu")
    return _as(np.minimum(x, 0) - vlog1p(vexp(-np.abs(x))), x)


@via_float32
def log_sigmoid_backward(g: Any, x: Any) -> ndarray:
    """PyTorch's log_sigmoid_backward from the forward's buffer b = e^-|x| (vectors):
    (max_deriv - sign · b/(1 + b)) · grad, max_deriv and sign by x's sign."""
    x = np.asarray(x)
    t_ = x.dtype.type
    b = vexp(-np.abs(x))

    def f(M: Any, a: ndarray, buf: ndarray, grad: Any) -> ndarray:
        neg = a < 0
        return fma(-np.where(neg, t_(1), t_(-1)), buf / (t_(1) + buf),
                   np.where(neg, t_(1), t_(0))) * grad

    return _as(kernel_loop(f, x, b, _as(g, x)), x)


def rrelu_noise(x: Any, lower: float, upper: float, training: bool, draw: Any) -> ndarray:
    """rrelu's multipliers: 1 where x > 0 (training: where x ≤ 0 is false); elsewhere
    (lower + upper)/2 in x's dtype, or while training one draw per element in memory order,
    lower + u·(upper - lower) in double from `draw(n)`'s uniform [0, 1) doubles (PyTorch's
    uniform_real_distribution<double> of the bounds as x's dtype holds them)."""
    x = _float(x, "rrelu_with_noise_cpu")
    t_ = x.dtype.type
    if not training:
        return np.where(x > 0, t_(1), t_((lower + upper) / 2))
    flat = np.ascontiguousarray(x).reshape(-1)
    neg = flat <= 0
    lo, hi = float(t_(lower)), float(t_(upper))
    noise = np.ones(flat.shape, x.dtype)
    noise[neg] = (draw(int(neg.sum())) * (hi - lo) + lo).astype(x.dtype)
    return noise.reshape(x.shape)


def rrelu(x: Any, noise: ndarray) -> ndarray:
    """x · noise (x itself where the noise is 1)."""
    x = np.asarray(x)
    return _as(x * noise, x)


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> ndarray:
    """x clipped into [min_val, max_val]."""
    x = np.asarray(x)
    if x.dtype == np.bool_:
        raise TorchError("Bool inputs not supported for hardtanh")
    # ATen's clamp of number bounds: min(max, max(min, x)), x itself where equal (-0.0)
    return _as(np.minimum(max_val, np.maximum(min_val, x)), x)


def hardtanh_backward(g: Any, x: Any, min_val: float, max_val: float) -> ndarray:
    g, x = np.asarray(g), np.asarray(x)
    # PyTorch's scalar loop: (x <= min || x >= max) ? 0 : grad (a NaN input passes the
    # gradient); its vector loop: (x > min & x < max) & grad (a NaN input gives 0), on the
    # elements in whole pairs of its AVX2 vectors (REGISTER_DISPATCH: no AVX-512 build)
    out = np.where((x <= min_val) | (x >= max_val), 0, g)
    nan = np.isnan(x) if x.dtype.kind == "f" else None
    if nan is not None and nan.any() and g.shape == x.shape:
        from gradcli.ad.kernels.vecmath import _vector_mask
        mask = _vector_mask(g, (x,), x.shape, avx512=False)
        if mask is not False:
            out = np.where(nan if mask is True else nan & mask, 0, out)
    return _as(out, g)


def hardsigmoid(x: Any) -> ndarray:
    """clip(x + 3, 0, 6) / 6, as PyTorch's kernel rounds it."""
    x = _float(x, "hardsigmoid_cpu")
    t_ = x.dtype.type
    return _as(np.minimum(np.maximum(x + t_(3), t_(0)), t_(6)) / t_(6), x)


def hardsigmoid_backward(g: Any, x: Any) -> ndarray:
    g, x = np.asarray(g), np.asarray(x)
    # PyTorch multiplies by (1.0f / 6.0f), a float constant, in every dtype.
    return _as(np.where((x > -3) & (x < 3), g * float(np.float32(1) / np.float32(6)), 0), g)


def hardswish(x: Any) -> ndarray:
    """x · clip(x + 3, 0, 6) / 6."""
    x = _float(x, "hardswish_cpu")
    return _as(x * np.clip(x + 3, 0, 6) / 6, x)


def hardswish_backward(g: Any, x: Any) -> ndarray:
    g, x = np.asarray(g), np.asarray(x)
    return _as(np.where(x <= -3, 0, np.where(x < 3, g * (x / 3 + 0.5), g)), g)


# -- losses -------------------------------------------------------------------------------

def reduce(l: ndarray, reduction: str) -> Any:
    """PyTorch's loss reductions: 'mean', 'sum' or 'none'."""
    if reduction == "mean":
        return mean(l)
    if reduction == "sum":
        return torch_sum(l)
    if reduction == "none":
        return l
    raise TorchError(f"{reduction} is not a valid value for reduction")


def iterated(loss: ndarray, *operands: Any) -> ndarray:
    """An elementwise loss laid out as TensorIterator lays out its operands' output (x.t()'s
    loss is transposed), so that its mean or sum runs in that memory order."""
    if loss.ndim > 1 and any(type(a) is ndarray and a.ndim > 1 and not a.flags.c_contiguous
                             for a in operands):
        from gradcli.ad.record import operands_layout  # (the elementwise ops' layout rule)

        return operands_layout(loss, operands)
    return loss


def mse_loss(a: ndarray, b: ndarray, reduction: str = "mean") -> Any:
    """Mean (or sum) of squared differences: TensorIterator's elementwise loss (laid out
    as its operands, a.t()'s transposed), then reduced in that memory order."""
    d = a - b
    return reduce(iterated(d * d, a, b), reduction)


def smooth_l1_loss(x: Any, y: Any, reduction: str = "mean", beta: float = 1.0) -> Any:
    """0.5 d²/β where |d| < β, else |d| - 0.5β (d = x - y)."""
    d = np.abs(np.asarray(x) - y)
    return reduce(iterated(_as(np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), d),
                           np.asarray(x), np.asarray(y)), reduction)


def huber_loss(x: Any, y: Any, reduction: str = "mean", delta: float = 1.0) -> Any:
    """0.5 d² where |d| < δ, else δ(|d| - 0.5δ) (d = x - y)."""
    x, y = np.asarray(x), np.asarray(y)
    if y.dtype.kind in "iub":  # an integer target: PyTorch computes in the input's dtype
        y = y.astype(x.dtype)
    d = np.abs(x - y)  # the common dtype, stored in the input's (as PyTorch)
    return reduce(iterated(_as(np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), x),
                           x, y), reduction)


def binary_cross_entropy(x: Any, y: Any, weight: Any = None, reduction: str = "mean") -> Any:
    """-(y log x + (1 - y) log(1 - x)), each log clamped at -100 as in PyTorch."""
    x = np.asarray(x)
    # PyTorch's loop checks each element's input, then its target, in [0, 1] (a nan is not)
    bad_x = ~((x >= 0) & (x <= 1))
    bad = bad_x | ~((np.asarray(y) >= 0) & (np.asarray(y) <= 1))
    if bad.any():
        first = np.flatnonzero(bad)[0]
        which = "input" if np.broadcast_to(bad_x, bad.shape).reshape(-1)[first] else "target"
        raise TorchError(f"all elements of {which} should be between 0 and 1")
    if x.dtype == np.float32:
        # PyTorch's kernel is a scalar loop calling std::log and std::log1p: in float32
        # the C library's logf and log1pf, whose last bits numpy's float32 loops miss
        # (fuzz class h: 1 element in 20).
        log_x, log_1mx = C.call("log", x, dtype=x.dtype), C.call("log1p", -x, dtype=x.dtype)
    else:
        log_x, log_1mx = np.log(x), np.log1p(-x)
    l = -(y * np.maximum(log_x, -100) + (1 - y) * np.maximum(log_1mx, -100))
    if weight is not None:
        l = l * weight
    return reduce(_as(l, x), reduction)


def nll_index(shape: tuple[int, ...], target: ndarray) -> tuple[Any, ...]:
    """The numpy index that picks each target's class from an input of `shape`
    ((C,), (N, C) or (N, C, d1, ...))."""
    if len(shape) == 1:
        return (target,)
    grid = np.indices(target.shape, sparse=True)
    return (grid[0], target, *grid[1:])


def check_nll(shape: tuple[int, ...], target: ndarray, weight: Any, ignore_index: int) -> None:
    """PyTorch's checks of nll_loss's arguments, with its messages."""
    if len(shape) == 1:
        if target.ndim > 1:
            raise TorchError("0D or 1D target tensor expected, multi-target not supported")
    elif len(shape) == 2:
        if target.ndim != 1:
            raise TorchError("0D or 1D target tensor expected, multi-target not supported")
        if target.shape[0] != shape[0]:
            raise TorchError(f"Expected input batch_size ({shape[0]}) to match target "
                             f"batch_size ({target.shape[0]}).")
    elif tuple(target.shape) != (shape[0], *shape[2:]):
        raise TorchError(f"Expected target size {list((shape[0], *shape[2:]))}, got "
                         f"{list(target.shape)}")
    if len(shape) == 0:
        raise TorchError("input tensor should be 1D or 2D")
    if target.dtype not in (np.int64, np.uint8):
        raise TorchError("expected target dtype to be Long or Byte, but got "
                         f"{scalar_name(target.dtype)}")
    c = shape[0] if len(shape) == 1 else shape[1]
    if weight is not None and np.asarray(weight).size != c:
        raise TorchError(f"weight tensor should be defined either for all {c} classes or no "
                         f"classes but got weight tensor of shape: {list(np.shape(weight))}")
    bad = target[(target != ignore_index) & ((target < 0) | (target >= c))]
    if bad.size:
        raise TorchError(f"Target {int(bad.flat[0])} is out of bounds.")


def nll_weights(shape: tuple[int, ...], target: ndarray, weight: Any,
                ignore_index: int, dtype: Any) -> ndarray:
    """Each target's class weight (0 where the target is ignore_index)."""
    keep = target != ignore_index
    safe = np.where(keep, target, 0)
    w = np.ones(safe.shape, dtype) if weight is None else np.asarray(weight)[safe].astype(dtype)
    return np.where(keep, w, np.zeros((), dtype))


def nll_loss(logp: Any, target: Any, weight: Any = None, reduction: str = "mean",
             ignore_index: int = -100) -> Any:
    """Negative log-likelihood of class indices (weighted; ignore_index contributes 0)."""
    logp, target = np.asarray(logp), np.asarray(target)
    check_nll(logp.shape, target, weight, ignore_index)
    if weight is None and logp.ndim == 2 and reduction in ("sum", "mean") \
            and (keep := target != ignore_index).all():
        # a classifier's batch: every row kept, each weight 1 (-x·1 is -x)
        l = -logp[np.arange(target.shape[0]), target]
        total, count = _cascade(l, l, keep, False)
        return _as(total if reduction == "sum" else total / count, logp)
    w = nll_weights(logp.shape, target, weight, ignore_index, logp.dtype)
    safe = np.where(target != ignore_index, target, 0)
    l = -logp[nll_index(logp.shape, safe)] * w
    l = np.where(target != ignore_index, l, 0)  # an ignored sample's loss is +0, never nan
    if reduction == "none":
        return _as(l, logp)
    if logp.ndim >= 2 and reduction in ("sum", "mean"):
        # PyTorch's nll_loss_out_frame (nll_loss2d's for (N, C, d...), rows in C order)
        total, weight_total = _cascade(l.reshape(-1), w.reshape(-1),
                                       (target != ignore_index).reshape(-1),
                                       weight is not None)
        if reduction == "sum":
            return _as(total, logp)
        return _as(total / weight_total, logp)
    if reduction == "sum":
        return torch_sum(_as(l, logp))
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return _as(np.sum(l) / np.sum(w), logp)
    return reduce(l, reduction)


def one_hot(x: Any, num_classes: int = -1) -> ndarray:
    """int64 one-hot rows of class indices."""
    x = np.asarray(x)
    if x.dtype != np.int64:
        raise TorchError("one_hot is only applicable to index tensor of type LongTensor.")
    if x.size and x.min() < 0:
        raise TorchError("Class values must be non-negative.")
    if num_classes == -1:
        if x.size == 0:
            raise TorchError("Can not infer total number of classes from empty tensor.")
        num_classes = int(x.max()) + 1
    elif x.size and x.max() >= num_classes:
        raise TorchError("Class values must be smaller than num_classes.")
    return (x[..., None] == np.arange(num_classes)).astype(np.int64)


def bce_with_logits(z: Any, y: Any, weight: Any = None, pos_weight: Any = None,
                    reduction: str = "mean") -> Any:
    """Binary cross-entropy on logits, stable for any z (PyTorch's formula)."""
    z, y = np.asarray(z), np.asarray(y)
    if z.shape != y.shape:
        raise TorchError(f"Target size (torch.Size({list(y.shape)})) must be the same as input "
                         f"size (torch.Size({list(z.shape)}))", "ValueError")
    if y.dtype.kind == "b":
        sub(True, y)  # PyTorch's `1 - target` refuses a bool target, in its words
    if y.dtype.kind in "iu":  # (1 - target).mul_(input): a float into an integer tensor
        raise TorchError(f"result type {scalar_name(z.dtype)} can't be cast to the desired "
                         f"output type {scalar_name(y.dtype)}")
    softplus_neg = -log_sigmoid(z)  # ATen's at::log_sigmoid(input), its vector exp/log1p
    if pos_weight is not None:  # log_sigmoid(input).mul_(log_weight): input's dtype
        softplus_neg = _as(((pos_weight - 1) * y + 1) * softplus_neg, z)
    # (1 - target).mul_(input).sub_(...).mul_(weight): each step stored in target's dtype
    l = _as(_as((1 - y) * z, y) + softplus_neg, y)
    if weight is not None:
        l = _as(l * weight, y)
    return reduce(l, reduction)


def nll_safe_index(shape: tuple[int, ...], target: Any, ignore_index: int) -> tuple[Any, ...]:
    """nll_index with ignored targets pointing at class 0 (their weight is 0)."""
    target = np.asarray(target)
    return nll_index(shape, np.where(target != ignore_index, target, 0))


def nll_total_weight(shape: tuple[int, ...], target: Any, weight: Any,
                     ignore_index: int) -> float:
    """The sum of the targets' weights: a mean's divisor."""
    return float(np.sum(nll_weights(shape, np.asarray(target), weight, ignore_index,
                                    np.float64)))


@via_float32
def linear(x: Any, w: Any, b: Any) -> ndarray:
    """x @ wᵀ + b for a matrix x (PyTorch's addmm), with addmm's shape message."""
    x, w = np.asarray(x), np.asarray(w)
    if w.ndim != 2 or x.shape[1] != w.shape[1]:
        raise TorchError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} "
                         f"and {'x'.join(map(str, w.shape[::-1]))})")
    if _mkl_avx512() and x.ndim == 2 and w.ndim == 2 and x.shape[1] == w.shape[1]:
        out = mkl_avx512.addmm(b, x, w.T, 1, 1, False, _transposed(w.T))  # the bias is C
        if out is not None:
            return out
    out = product(x, w.T) if x.dtype == w.dtype else x @ w.T  # PyTorch's order where known
    try:
        return (out + b).astype(out.dtype, copy=False)
    except ValueError:
        raise TorchError(f"The expanded size of the tensor ({out.shape[1]}) must match the "
                         f"existing size ({np.shape(b)[-1]}) at non-singleton dimension 1.  "
                         f"Target sizes: {list(out.shape)}.  Tensor sizes: "
                         f"{list(np.shape(b))}") from None


def nll_loss_backward(g: Any, logp: Any, target: Any, weight: Any = None,
                      reduction: str = "mean", ignore_index: int = -100) -> ndarray:
    """PyTorch's nll_loss_backward: -grad · w (/ Σw for a mean) at each target class."""
    logp, target = np.asarray(logp), np.asarray(target)
    if weight is None and logp.ndim == 2 and reduction in ("sum", "mean") \
            and (target != ignore_index).all():
        # a classifier's batch: -grad (/ N for a mean) at each row's target
        grad = np.asarray(g, logp.dtype).reshape(())
        if reduction == "mean":
            grad = grad / logp.dtype.type(target.shape[0])
        out = np.zeros(logp.shape, logp.dtype)
        out[np.arange(target.shape[0]), target] = -grad
        return out
    w = nll_weights(logp.shape, target, weight, ignore_index, logp.dtype)
    if reduction in ("mean", "sum") and logp.ndim >= 1:
        # -(grad / total_weight) (the forward's cascade sum of the weights), times each
        # sample's weight
        grad = np.asarray(g, logp.dtype).reshape(())
        if reduction == "mean":
            keep = (target != ignore_index).reshape(-1)
            # unweighted: the kept rows' count (the cascade's weights are not summed)
            weight_total = (np.count_nonzero(keep) if weight is None else
                            _cascade(w.reshape(-1), w.reshape(-1), keep, True)[1])
            grad = grad / logp.dtype.type(weight_total)
        rows = -grad if weight is None else w * -grad
        rows = np.where(target != ignore_index, rows, logp.dtype.type(0))
    else:
        rows = np.broadcast_to(np.asarray(g, logp.dtype), target.shape) * -w
    # PyTorch stores each sample's value at its target (a zero grad's -0.0 stays -0.0) and
    # skips the ignored samples: one position per sample, no sums
    out = np.zeros(logp.shape, logp.dtype)
    keep = target != ignore_index
    index = nll_index(logp.shape, np.where(keep, target, 0))
    index = tuple(np.broadcast_to(i, target.shape)[keep] for i in index)
    out[index] = np.broadcast_to(rows, target.shape)[keep]
    return out


# -- padding ----------------------------------------------------------------------------


def constant_pad(x: Any, pad: tuple[int, ...], value: float = 0.0) -> ndarray:
    """PyTorch's constant_pad_nd: pairs of (before, after) from the last dim backwards;
    a negative amount crops."""
    x = np.asarray(x)
    n = len(pad) // 2
    widths = [(0, 0)] * (x.ndim - n) + [
        (max(pad[2 * i], 0), max(pad[2 * i + 1], 0)) for i in reversed(range(n))]
    out = np.pad(x, widths, mode="constant", constant_values=value)
    crop = [slice(None)] * (x.ndim - n) + [
        slice(-min(pad[2 * i], 0), out.shape[x.ndim - 1 - i] + min(pad[2 * i + 1], 0))
        for i in reversed(range(n))]
    return np.ascontiguousarray(out[tuple(crop)])


def pad_index(shape: tuple[int, ...], pad: tuple[int, ...], mode: str) -> tuple[Any, ...]:
    """The numpy index that reads a reflect/replicate/circular padding of `shape`."""
    n = len(pad) // 2
    parts = []
    for d, size in enumerate(shape):
        i = len(shape) - 1 - d
        if i >= n:
            parts.append(np.arange(size))
            continue
        before, after = pad[2 * i], pad[2 * i + 1]
        pos = np.arange(-before, size + after)
        if mode == "reflect":
            period = 2 * (size - 1) if size > 1 else 1
            pos = np.abs(pos) % period
            pos = np.where(pos >= size, period - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, size - 1)
        else:
            pos = pos % size
        parts.append(pos)
    return np.ix_(*parts)


def _norm(x: ndarray, reduction: str) -> float:
    return 1.0 / x.size if reduction == "mean" and x.size else 1.0


def smooth_l1_loss_backward(g: Any, x: Any, y: Any, reduction: str = "mean",
                            beta: float = 1.0) -> ndarray:
    """PyTorch's smooth_l1_loss_backward: grad · clip((x - y)/β, -1, 1) (/ n for a mean)."""
    x = np.asarray(x)
    d = np.clip((x - y) / beta, -1, 1)
    return _as(d * _norm(d, reduction) * g, x)


def huber_loss_backward(g: Any, x: Any, y: Any, reduction: str = "mean",
                        delta: float = 1.0) -> ndarray:
    """PyTorch's huber_loss_backward: grad · clip(x - y, -δ, δ) (/ n for a mean)."""
    x, y = np.asarray(x), np.asarray(y)
    if y.dtype != x.dtype:
        raise TorchError(f"Found dtype {scalar_name(y.dtype)} but expected "
                         f"{scalar_name(x.dtype)}")
    d = np.clip(x - y, -delta, delta)
    return _as(d * _norm(d, reduction) * g, x)


_BCE_EPSILON = np.float32(1e-12)


def binary_cross_entropy_backward(g: Any, x: Any, y: Any, weight: Any = None,
                                  reduction: str = "mean") -> ndarray:
    """PyTorch's binary_cross_entropy_backward: grad · (x - y)/max((1 - x)x, 1e-12)."""
    x = np.asarray(x)
    # PyTorch's EPSILON is the float 1e-12 (9.9999999600419e-13), in float64 too
    d = g * (x - y) / np.maximum((1 - x) * x, _BCE_EPSILON)
    if weight is not None:
        d = d * weight
    if reduction == "mean" and x.size:
        d = d / x.size  # PyTorch's grad_input.div_(numel): a quotient, not a product by 1/n
    return _as(d, x)


def embedding_pad_mask(index: Any, padding_idx: int) -> ndarray:
    """Where an embedding's indices are padding_idx, broadcastable to its output."""
    return (np.asarray(index) == padding_idx)[..., None]


def embedding(w: Any, index: Any, padding_idx: Any = None, by_freq: bool = False) -> ndarray:
    """The rows of w at the indices (a new array)."""
    return np.asarray(w)[np.asarray(index)]


def np_bincount_rows(index: Any, rows: int) -> ndarray:
    """Per index position, how often its index occurs (the shape of index)."""
    idx = np.asarray(index)
    return np.bincount(idx.ravel(), minlength=rows)[idx]


def soft_margin_loss(x: Any, y: Any, reduction: str = "mean") -> Any:
    """PyTorch's soft_margin_loss: neg_out(input).mul_(target).exp_().log1p_(), reduced."""
    x = np.asarray(x)
    return reduce(_as(E.log1p(E.exp(_as(E.mul(E.neg(x), y), x))), x), reduction)


def soft_margin_loss_backward(g: Any, x: Any, y: Any, reduction: str = "mean") -> ndarray:
    """PyTorch's soft_margin_loss_backward: z = exp(-target · input), then
    target · z · (-norm) / (z + 1) · grad, each step rounded (norm 1/n for a mean)."""
    x = np.asarray(x)
    z = _as(E.exp(E.mul(E.neg(np.asarray(y)), x)), x)
    grad = _as(E.mul(_as(E.mul(y, z), x), -_norm(x, reduction)), x)
    return _as(E.mul(E.div(grad, E.add(z, 1)), g), x)


def adaptive_avg_pool(x: Any, out: tuple[int, ...]) -> ndarray:
    """adaptive_avg_pool{2,3}d's forward as cpu_adaptive_avg_pool rounds it: each window
    [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) per spatial dim summed cell by cell (row-major) from 0 in the
    dtype, then divided by each window size in turn (sum / kh / kw)."""
    x = np.asarray(x)
    k = len(out)
    spatial = x.shape[-k:]
    lead = x.shape[:-k]
    res = np.empty((*lead, *out), x.dtype)
    wins = [[((i * n) // o, -(-((i + 1) * n) // o)) for i in range(o)]
            for n, o in zip(spatial, out, strict=True)]
    for pos in np.ndindex(*out):
        span = [wins[d][pos[d]] for d in range(k)]
        cells = math.prod(b - a for a, b in span)  # explicit: lead may hold a 0
        window = x[(..., *(slice(a, b) for a, b in span))].reshape(*lead, cells)
        # (+ 0: the sum starts from +0.0, so a window of -0.0 sums to +0.0)
        total = np.cumsum(window, axis=-1, dtype=x.dtype)[..., -1] + x.dtype.type(0)
        for a, b in span:
            total = (total / x.dtype.type(b - a)).astype(x.dtype)
        res[(..., *pos)] = total
    return res


def embedding_backward_by_freq(g: Any, index: Any, rows: int) -> ndarray:
    """embedding_dense_backward with scale_grad_by_freq: each index's gradient row added
    into its weight row in order, `w[k] += g[i] · (1/count[k])` (add_ with alpha: one
    fma; the scale 1/count taken in double, then in the dtype)."""
    g = np.asarray(g)
    idx = np.asarray(index).ravel()
    flat = g.reshape(idx.size, g.shape[-1])  # (the embedding dim: no -1, idx may be empty)
    scale = (1.0 / np.bincount(idx, minlength=rows)[idx]).astype(g.dtype)
    order = np.argsort(idx, kind="stable")
    starts = np.searchsorted(idx[order], np.arange(rows))
    rank = np.empty(idx.size, np.int64)
    rank[order] = np.arange(idx.size) - starts[idx[order]]
    out = np.zeros((rows, flat.shape[1]), g.dtype)
    for r in range(int(rank.max()) + 1 if idx.size else 0):
        sel = np.nonzero(rank == r)[0]
        cells = idx[sel]
        out[cells] = fma(flat[sel], np.broadcast_to(scale[sel][:, None], flat[sel].shape),
                         out[cells])
    return out


# -- multi_margin_loss (ATen's loops: MultiMarginCriterion.cpp) ---------------------------

def _margins(x: ndarray, ys: ndarray, p: int, margin: float, weight: Any
             ) -> tuple[ndarray, ndarray]:
    """Each row's terms z = margin - x[y] + x[d] (or z²), times w[y], and where they count
    (d ≠ y, z > 0; a NaN counts nowhere)."""
    n, c = x.shape
    t_ = x.dtype.type
    with np.errstate(invalid="ignore", over="ignore"):
        z = (t_(margin) - x[np.arange(n), ys][:, None]) + x
        keep = (np.arange(c)[None, :] != ys[:, None]) & (z > 0)
    return z, keep


def multi_margin_loss(x: Any, ys: Any, p: int = 1, margin: float = 1.0, weight: Any = None,
                      reduction: str = "mean") -> ndarray:
    """Σ_{d ≠ y, z > 0} z^p · w[y], divided by C, per row (x: (N, C)); the rows summed in
    double for 'sum' and 'mean' (then divided by N), as multi_margin_loss_cpu does."""
    x, target = np.asarray(x), np.asarray(ys)
    x, ys = _rows(x, target)
    t_ = x.dtype.type
    z, keep = _margins(x, ys, p, margin, weight)
    with np.errstate(invalid="ignore", over="ignore"):
        h = z if p == 1 else z * z
        if weight is not None:
            h = h * np.asarray(weight, x.dtype)[ys][:, None]
        h = np.where(keep, h, t_(0))
        per = np.zeros(x.shape[0], x.dtype)
        for d in range(x.shape[1]):  # in order, from 0
            per = per + h[:, d]
        per = per / t_(x.shape[1])
    if reduction == "none":
        return per.reshape(target.shape)  # the target's shape (0-d for one 1-d sample)
    total = 0.0
    for v in per.tolist():
        total += v
    if reduction == "mean":  # (no rows: PyTorch returns an unset buffer; 0/0 here)
        total = total / x.shape[0] if x.shape[0] else math.nan
    return np.asarray(total, x.dtype)


def multi_margin_loss_backward(g: Any, x: Any, ys: Any, p: int = 1, margin: float = 1.0,
                               weight: Any = None, reduction: str = "mean") -> ndarray:
    """ATen's multi_margin_loss_backward: h = 1/C (1/(N·C) for a mean), or 2·h·z for p = 2,
    times w[y], at each counted term, minus their sum (from 0, in order) at the target, 0
    elsewhere; all of it times the incoming gradient (0 times it: a signed zero)."""
    shape = np.shape(x)
    x, ys = _rows(np.asarray(x), np.asarray(ys))
    t_ = x.dtype.type
    n, c = x.shape
    z, keep = _margins(x, ys, p, margin, weight)
    step = t_(1.0 / (n * c)) if reduction == "mean" else t_(1.0 / c)
    with np.errstate(invalid="ignore", over="ignore"):
        h = np.full(x.shape, step) if p == 1 else (t_(2) * step) * z
        if weight is not None:
            h = h * np.asarray(weight, x.dtype)[ys][:, None]
        grad = np.where(keep, h, t_(0))
        at_target = np.zeros(n, x.dtype)
        for d in range(c):
            at_target = at_target - grad[:, d]
        grad[np.arange(n), ys] = at_target
        go = np.asarray(g, x.dtype)
        go = go if reduction != "none" or go.ndim == 0 else go.reshape(-1)[:, None]
        return (grad * go).reshape(shape)


def _rows(x: ndarray, ys: ndarray) -> tuple[ndarray, ndarray]:
    """x as (N, C) rows and the targets flat (a 1-d x is one row)."""
    c = x.shape[-1] if x.ndim else 1
    return x.reshape(-1, c), ys.reshape(-1)
