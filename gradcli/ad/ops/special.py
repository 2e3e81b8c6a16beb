"""The special functions: lgamma, digamma, polygamma, entr, ndtr, log_ndtr, the modified
Bessel functions i0/i0e/i1/i1e, the incomplete gamma functions igamma/igammac, Hurwitz
zeta, erfcx and ndtri, with torch.special's aliases (gammaln, psi, gammainc, gammaincc)
and in-place methods."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.backward import mul_scalar
from gradcli.ad.ops.elementwise import to_dtype
from gradcli.ad.ops.math import erf
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError


def _type_name(x: Any) -> str:
    return "Tensor" if type(x) is Tensor else type(x).__name__


def _input(fname: str, x: Any) -> None:
    if type(x) is not Tensor:
        raise GdRuntimeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not "
                             f"{_type_name(x)}")


def _special(name: str, fname: str | None = None):
    def fn(input: Tensor) -> Tensor:
        _input(fname or name, input)
        return apply(_RULES[name], (input,))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} (differentiable to any order)."
    return fn


lgamma = _special("lgamma")
digamma = _special("digamma")
entr = _special("entr", "special_entr")
log_ndtr = _special("log_ndtr", "special_log_ndtr")
i0 = _special("i0")
i0e = _special("i0e", "special_i0e")
i1 = _special("i1", "special_i1")
i1e = _special("i1e", "special_i1e")
erfcx = _special("erfcx", "special_erfcx")
ndtri = _special("ndtri", "special_ndtri")


def zeta(input: Any, other: Any) -> Tensor:
    """torch.special.zeta(x, q): the Hurwitz zeta function (either may be a number)."""
    if type(input) is not Tensor and type(other) is not Tensor:
        raise GdRuntimeError(
            "special_zeta() received an invalid combination of arguments - got "
            f"({_type_name(input)}, {_type_name(other)}), but expected one of:\n"
            " * (Tensor input, Tensor other, *, Tensor out = None)\n"
            " * (Number self, Tensor other, *, Tensor out = None)\n"
            " * (Tensor input, Number other, *, Tensor out = None)\n", py_type="TypeError")
    return apply(_RULES["zeta"], (input, other))


def _incomplete_gamma(name: str, fname: str):
    def fn(input: Tensor, other: Tensor) -> Tensor:
        _input(fname, input)
        if type(other) is not Tensor:
            raise GdRuntimeError(f"{fname}(): argument 'other' (position 2) must be Tensor, "
                                 f"not {_type_name(other)}", py_type="TypeError")
        dt = dtypes.promote_pair(input.array.dtype, other.array.dtype)
        if dt.kind != "f":
            raise GdRuntimeError(f'"{name}_cpu" not implemented for '
                                 f"'{scalar_name(dt)}'", py_type="NotImplementedError")
        return apply(_RULES[name], (input, other))

    fn.__name__ = name
    fn.__doc__ = f"torch.{name}(a, x): the regularized incomplete gamma function."
    return fn


igamma = _incomplete_gamma("igamma", "igamma")
igammac = _incomplete_gamma("igammac", "igammac")
gammainc = _incomplete_gamma("igamma", "special_gammainc")
gammaincc = _incomplete_gamma("igammac", "special_gammaincc")


def _check_polygamma(n: Any, input: Any) -> None:
    if type(n) is not int:
        raise GdRuntimeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                             f"{_type_name(n)}")
    _input("polygamma", input)
    if n < 0:
        raise GdRuntimeError("polygamma(n, x) does not support negative n.")


def polygamma(n: int, input: Tensor) -> Tensor:
    """The n-th derivative of digamma."""
    _check_polygamma(n, input)
    return apply(_RULES["polygamma"], (input,), {"n": n})


def polygamma_method(input: Tensor, n: int) -> Tensor:
    """x.polygamma(n)."""
    return polygamma(n, input)


def polygamma_(input: Tensor, n: int) -> Tensor:
    """x.polygamma_(n): its own node in PyTorch (PolygammaBackward1)."""
    _check_polygamma(n, input)
    return record_inplace(input, apply(_RULES["polygamma"], (input,), {"n": n, "inplace": True}))


def ndtr(input: Tensor) -> Tensor:
    """Φ(x), PyTorch's composite (1 + erf(x/√2)) · 0.5."""
    _input("special_ndtr", input)
    if input.array.dtype.kind != "f":
        input = to_dtype(input, dtypes.default_dtype())
    z = erf(mul_scalar(input, math.sqrt(0.5)))
    return mul_scalar(apply(_RULES["add_scalar"], (z, 1)), 0.5)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("lgamma", "digamma", "i0"):
    _fn = globals()[_name]
    expose(_fn, f"torch.{_name}", f"Tensor.{_name}", family="special")
    expose(inplace_of(_fn), f"Tensor.{_name}_", family="special")
expose(lgamma, "torch.special.gammaln", family="special")
expose(digamma, "torch.special.digamma", "torch.special.psi", family="special")
expose(i0, "torch.special.i0", family="special")
for _name in ("i0e", "i1", "i1e", "entr", "ndtr", "log_ndtr", "erfcx", "ndtri", "zeta"):
    expose(globals()[_name], f"torch.special.{_name}", family="special")
expose(polygamma, "torch.polygamma", "torch.special.polygamma", family="special")
for _fn in (igamma, igammac):
    expose(_fn, f"torch.{_fn.__name__}", f"Tensor.{_fn.__name__}", family="special")
    expose(inplace_of(_fn), f"Tensor.{_fn.__name__}_", family="special")
expose(gammainc, "torch.special.gammainc", family="special")

expose(gammaincc, "torch.special.gammaincc", family="special")
expose(polygamma_method, "Tensor.polygamma", family="special")
expose(polygamma_, "Tensor.polygamma_", family="special")
