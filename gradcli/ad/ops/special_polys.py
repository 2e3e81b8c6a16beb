"""torch.special's orthogonal polynomials: chebyshev_polynomial_t/u/v/w (and their
shifted_ forms), hermite_polynomial_h/he, laguerre_polynomial_l and legendre_polynomial_p of
(input, n), either of which may be a number; spherical_bessel_j0 and the modified Bessel
functions (modified_bessel_i0/i1/k0/k1, scaled_modified_bessel_k0/k1), bessel_j0/j1/y0/y1
and airy_ai. PyTorch computes them in the arguments' common float dtype (integers promote to
the default dtype, half is refused) and records no gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.bessel_special import BESSEL
from gradcli.ad.kernels.elementwise import result_type
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.kernels.polynomials import POLYNOMIALS, spherical_bessel_j0
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError

_NUMBER = (int, float, bool)


def _operand(v: Any) -> Any:
    return v.array if type(v) is Tensor else v


def _float_dtype(dt: np.dtype, name: str) -> np.dtype:
    """The computing dtype: integers and bools promote to the default dtype; half is
    refused, as ATen's AT_DISPATCH_FLOATING_TYPES refuses it."""
    if dt.kind in "biu":
        dt = dtypes.default_dtype()
    if dt not in (np.float32, np.float64):
        raise GdRuntimeError(f'"{name}_cpu" not implemented for \'{scalar_name(dt)}\'',
                             py_type="NotImplementedError")
    return dt


def _polynomial(name: str):
    kernel = POLYNOMIALS[name]
    fname = f"special_{name}"

    def fn(x: Any, n: Any, *, out: Any = None) -> Tensor:
        input = x
        if type(input) is not Tensor and type(n) is not Tensor:
            raise GdRuntimeError(
                f"{fname}() received an invalid combination of arguments - got "
                f"({type(input).__name__}, {type(n).__name__}), but expected one of:\n"
                " * (Tensor x, Tensor n, *, Tensor out = None)\n"
                " * (Number x, Tensor n, *, Tensor out = None)\n"
                " * (Tensor x, Number n, *, Tensor out = None)\n", py_type="TypeError")
        for v, what in ((input, "x"), (n, "n")):
            if type(v) is not Tensor and type(v) not in _NUMBER:
                raise GdRuntimeError(f"{fname}(): argument '{what}' must be Tensor, not "
                                     f"{type(v).__name__}", py_type="TypeError")
        a, b = _operand(input), _operand(n)
        dt = _float_dtype(result_type(a, b), name)
        x, nn = np.broadcast_arrays(np.asarray(a, dt), np.asarray(b, dt))
        with np.errstate(invalid="ignore"):
            degree = np.where(np.isfinite(nn), nn, -1).astype(np.int64)
        result = tensor_from_array(np.asarray(kernel(x.copy(), degree), dt))
        return result if out is None else out.copy_(result)

    fn.__name__ = name
    fn.__doc__ = f"torch.special.{name}(input, n): the degree-n polynomial at input."
    return fn


for _name in POLYNOMIALS:
    expose(_polynomial(_name), f"torch.special.{_name}", family="special")


def _unary(name: str, kernel: Any, arg: str):
    fname = f"special_{name}"

    def fn(*args: Any, out: Any = None, **kwargs: Any) -> Tensor:
        input = args[0] if args else kwargs.get(arg)
        if type(input) is not Tensor:
            raise GdRuntimeError(f"{fname}(): argument '{arg}' (position 1) must be Tensor, "
                                 f"not {type(input).__name__}", py_type="TypeError")
        dt = _float_dtype(input.array.dtype, name)
        result = tensor_from_array(np.asarray(kernel(input.array.astype(dt)), dt))
        return result if out is None else out.copy_(result)

    fn.__name__ = name
    fn.__doc__ = f"torch.special.{name}(input): elementwise, no gradient."
    return fn


for _name, _kernel in {"spherical_bessel_j0": spherical_bessel_j0, **BESSEL}.items():
    _arg = "x" if _name.startswith(("scaled", "spherical", "airy")) else "input"
    expose(_unary(_name, _kernel, _arg), f"torch.special.{_name}", family="special")
