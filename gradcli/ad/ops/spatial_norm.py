"""Instance norm, local response norm and the channel-wise dropouts (dropout1d/2d/3d,
alpha_dropout, feature_alpha_dropout), as PyTorch composes them.

instance_norm is ATen's: the input viewed as one sample of N·C channels, batch_norm over
it with the statistics and affine parameters repeated N times, the running statistics
updated to the mean of their N copies. local_response_norm is PyTorch's Python function
(a padded average pool of the squares). The dropouts draw PyTorch's noise (one
bernoulli_(1 - p) draw per element, or per channel for the feature variants) from the
same generator in the same order, so seeded programs drop the same elements.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.ops import conv as C
from gradcli.ad.ops.creation import _as_tensor, gen_of
from gradcli.ad.ops.elementwise import add, div, mul, pow
from gradcli.ad.ops.joins import repeat
from gradcli.ad.ops.methods import INPLACE
from gradcli.ad.ops.nn import batch_norm, pad
from gradcli.ad.ops.pool import avg_pool3d
from gradcli.ad.ops.reductions import mean
from gradcli.ad.ops.shape import reshape, squeeze, unsqueeze, view
from gradcli.ad.ops.surface import expose
from gradcli.ad.state import no_grad, warn
from gradcli.errors import GdRuntimeError


def _repeat(t: Any, times: int) -> Any:
    return None if t is None else repeat(_as_tensor(t), times)


def _instance_norm(input: Tensor, weight: Any, bias: Any, running_mean: Any,
                   running_var: Any, use_input_stats: bool, momentum: float,
                   eps: float) -> Tensor:
    x = _as_tensor(input)
    b, c = x.shape[0], x.shape[1]
    rm, rv = _repeat(running_mean, b), _repeat(running_var, b)
    flat = reshape(x, (1, b * c, *x.shape[2:]))
    out = batch_norm(flat, rm, rv, _repeat(weight, b), _repeat(bias, b),
                     bool(use_input_stats), float(momentum), float(eps))
    with no_grad():
        for run, copies in ((running_mean, rm), (running_var, rv)):
            if run is not None:
                INPLACE["copy_"](run, mean(view(copies, (b, c)), 0))
    return view(out, x.shape)


def instance_norm(input: Tensor, running_mean: Any = None, running_var: Any = None,
                  weight: Any = None, bias: Any = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel of each sample over its spatial dims."""
    x = _as_tensor(input)
    if x.array.dtype.kind not in "fc":  # PyTorch's instance_norm is its batch_norm
        from gradcli.ad.ops.nn import check_norm_dtypes

        check_norm_dtypes("batch_norm", x)
    if use_input_stats and math.prod(x.shape[2:]) == 1:
        raise GdRuntimeError("Expected more than 1 spatial element when training, got input "
                             f"size torch.Size({list(x.shape)})", py_type="ValueError")
    return _instance_norm(x, weight, bias, running_mean, running_var, use_input_stats,
                          momentum, eps)


def torch_instance_norm(input: Tensor, weight: Any, bias: Any, running_mean: Any,
                        running_var: Any, use_input_stats: bool, momentum: float, eps: float,
                        cudnn_enabled: bool) -> Tensor:
    """torch.instance_norm: ATen's argument order, every argument given."""
    return _instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                          momentum, eps)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """x / (k + alpha · mean of x² over `size` neighbouring channels)^beta."""
    x = _as_tensor(input)
    if x.ndim < 3:
        raise GdRuntimeError(f"Expected 3D or higher dimensionality                          "
                             f"input (got {x.ndim} dimensions)", py_type="ValueError")
    if x.numel() == 0:
        return x
    sq = mul(x, x)
    if x.ndim == 3:
        sq = pad(unsqueeze(sq, 1), (0, 0, size // 2, (size - 1) // 2))
        sq = squeeze(C.avg_pool2d(sq, (size, 1), stride=1), 1)
    else:
        sq = view(sq, (x.shape[0], 1, x.shape[1], x.shape[2], -1))
        sq = pad(sq, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        sq = view(squeeze(avg_pool3d(sq, (size, 1, 1), stride=1), 1), x.shape)
    return div(x, pow(add(mul(sq, alpha), k), beta))


# -- dropouts ------------------------------------------------------------------------------------

_ALPHA = 1.7580993408473766


def _dropout_impl(input: Tensor, p: float, train: bool, inplace: bool, feature: bool,
                  alpha: bool) -> Tensor:
    """ATen's _dropout_impl: noise per element (per channel for feature dropout)."""
    x = _as_tensor(input)
    if p < 0 or p > 1:
        raise GdRuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not train or x.numel() == 0:
        return x
    dt = x.array.dtype
    if p == 1:
        zero = Tensor(np.zeros((), dtype=dt))
        return INPLACE["mul_"](x, zero) if inplace else mul(x, zero)
    if feature and x.ndim < 2:
        raise GdRuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = (x.shape[0], x.shape[1], *(1,) * (x.ndim - 2)) if feature else x.shape
    noise = gen_of(None).bernoulli_scalar(1.0 - p, shape).astype(dt)
    if not alpha:
        scaled = Tensor(noise / np.asarray(1.0 - p, dtype=dt))
        return INPLACE["mul_"](x, scaled) if inplace else mul(x, scaled)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    b = Tensor((noise - dt.type(1)) * dt.type(_ALPHA * a) + dt.type(_ALPHA * a * p))
    scaled = Tensor(noise * dt.type(a))
    if inplace:
        return INPLACE["add_"](INPLACE["mul_"](x, scaled), b)
    return add(mul(x, scaled), b)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise GdRuntimeError(f"dropout probability has to be between 0 and 1, but got {p}",
                             py_type="ValueError")


def _feature_nd(input: Tensor, p: float, training: bool, inplace: bool, n: int) -> Tensor:
    x = _as_tensor(input)
    _check_p(p)
    if n == 1 and x.ndim not in (2, 3):
        raise GdRuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    if n > 1 and x.ndim not in (n + 1, n + 2):
        warn(f"dropout{n}d: Received a {x.ndim}-D input to dropout{n}d, which is deprecated "
             "and will result in an error in a future release. To retain the behavior and "
             f"silence this warning, please use dropout instead. Note that dropout{n}d "
             f"exists to provide channel-wise dropout on inputs with {n} spatial dimensions, "
             "a channel dimension, and an optional batch dimension (i.e. "
             f"{n + 1}D or {n + 2}D inputs).")
    if n == 2 and x.ndim == 3:
        warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
             "dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
             "is the channel dim. This behavior will change in a future release to interpret "
             "the input as one without a batch dimension, i.e. shape (C, H, W). To maintain "
             "the 1D channel-wise dropout behavior, please switch to using dropout1d instead.")
    # PyTorch's unbatched test: dropout1d's input is 2-D; dropout3d's anything but 5-D (a
    # deprecated 2-D or 3-D one too, as its code has it); dropout2d never adds a batch dim.
    unbatched = x.ndim == 2 if n == 1 else (n == 3 and x.ndim != 5)
    if unbatched and not inplace:
        return squeeze(_dropout_impl(unsqueeze(x, 0), p, training, False, True, False), 0)
    return _dropout_impl(x, float(p), bool(training), bool(inplace), True, False)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) with probability p, scale the rest by 1/(1-p)."""
    return _feature_nd(input, p, training, inplace, 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) with probability p, scale the rest."""
    return _feature_nd(input, p, training, inplace, 2)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) with probability p, scale the rest."""
    return _feature_nd(input, p, training, inplace, 3)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """SELU-preserving dropout: dropped elements go to the negative saturation value."""
    _check_p(p)
    return _dropout_impl(input, float(p), bool(training), bool(inplace), False, True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """alpha_dropout of whole channels."""
    _check_p(p)
    return _dropout_impl(input, float(p), bool(training), bool(inplace), True, True)


def _aten(feature: bool, alpha: bool, inplace: bool) -> Any:
    def fn(input: Tensor, p: float, train: bool) -> Tensor:
        return _dropout_impl(input, float(p), bool(train), inplace, feature, alpha)

    fn.__doc__ = "ATen's dropout variant: (input, p, train)."
    return fn


F = "torch.nn.functional."
for _name in ("instance_norm", "local_response_norm", "dropout1d", "dropout2d", "dropout3d",
              "alpha_dropout", "feature_alpha_dropout"):
    expose(globals()[_name], F + _name, family="nn")
expose(torch_instance_norm, "torch.instance_norm", family="nn")
for _name, _feature, _alpha in (("feature_dropout", True, False),
                                ("alpha_dropout", False, True),
                                ("feature_alpha_dropout", True, True),
                                ("dropout", False, False)):
    if _name != "dropout":
        expose(_aten(_feature, _alpha, False), f"torch.{_name}", family="nn")
    expose(_aten(_feature, _alpha, True), f"torch.{_name}_", family="nn")
