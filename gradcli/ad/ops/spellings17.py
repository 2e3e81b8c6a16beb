"""Round 17's PyTorch 2.13 spellings of things gd has: x.dim_order() (the dims from
outermost to innermost in memory, as torch._prims_common orders them), the deprecated
non-inplace x.resize / x.resize_as, x.volatile (always False, with PyTorch's warning),
x.cfloat() / x.cdouble() and the symbolic-shape helpers torch.sym_int & co. on plain
Python numbers."""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels.iteration import sorted_dims
from gradcli.ad.ops import layout
from gradcli.ad.ops import tensor_extras as TX
from gradcli.ad.ops.elementwise import to
from gradcli.ad.ops.memory_format import CHANNELS_LAST, CONTIGUOUS, is_laid_out
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError


def dim_order(self: Tensor, *, ambiguity_check: Any = False) -> tuple[int, ...]:
    """The dims from outermost to innermost in memory (torch._prims_common's order): a
    contiguous tensor's in order, a channels-last one's (0, 2, ..., 1), else an insertion
    sort of the dims by stride (a larger size first on a tie; 0 strides keep their order)."""
    strides, shape = layout.strides(self), self.shape
    if self.ndim < 2:
        return tuple(range(self.ndim))
    rowmajor, nhwc = is_laid_out(self, CONTIGUOUS), is_laid_out(self, CHANNELS_LAST)
    if rowmajor != nhwc:
        return tuple(range(self.ndim)) if rowmajor else (0, *range(2, self.ndim), 1)

    def should_swap(a: int, b: int) -> int:
        if strides[a] == 0 or strides[b] == 0:
            return 0
        if strides[a] == strides[b]:
            return 0 if shape[b] >= shape[a] else 1
        return -1 if strides[b] >= strides[a] else 1

    return tuple(reversed(sorted_dims(self.ndim, should_swap)))


def resize(self: Tensor, *sizes: Any) -> Tensor:
    """x.resize(*sizes): the deprecated non-inplace resize, a reshape of the same number of
    elements."""
    warn("non-inplace resize is deprecated")
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (list, tuple)) \
        else tuple(sizes)
    n = math.prod(shape)
    if n != self.numel():
        raise GdRuntimeError(
            f"requested resize to {'x'.join(map(str, shape))} ({n} elements in total), but "
            f"the given tensor has a size of {'x'.join(map(str, self.shape))} "
            f"({self.numel()} elements). autograd's resize can only change the shape of a "
            "given tensor, while preserving the number of elements. ")
    return SURFACE["Tensor.contiguous"](self).view(*shape)


def resize_as(self: Tensor, other: Tensor) -> Tensor:
    """x.resize_as(other): x.resize(other.size())."""
    return resize(self, tuple(other.shape))


def _volatile(x: Tensor) -> bool:
    warn("volatile was removed (Variable.volatile is always False)")
    return False


_NUMBERS = (int, float, bool)


def _number(op: str, *values: Any) -> None:
    """sym_max/sym_min's assertion on its arguments, in PyTorch's words."""
    for v in values:
        if type(v) not in _NUMBERS:
            raise GdRuntimeError(
                "expected (<class 'numpy.integer'>, <class 'numpy.floating'>, <class 'int'>, "
                f"<class 'float'>), got <class '{type(v).__name__}'>", py_type="AssertionError")


def _real(a: Any, message: str) -> None:
    """The TypeError Python's int(), float() or math.sqrt() gives a value that is not a
    number (what sym_int, sym_float and sym_sqrt call)."""
    if type(a) not in _NUMBERS:
        raise GdRuntimeError(message.format(type(a).__name__), py_type="TypeError")


def sym_int(a: Any) -> int:
    """torch.sym_int: int(a) for a Python number."""
    _real(a, "int() argument must be a string, a bytes-like object or a real number, "
             "not '{}'")
    return int(a)


def sym_float(a: Any) -> float:
    """torch.sym_float: float(a) for a Python number."""
    _real(a, "float() argument must be a string or a real number, not '{}'")
    return float(a)


def sym_max(a: Any, b: Any) -> Any:
    """torch.sym_max: max(a, b) for Python numbers."""
    _number("sym_max", a, b)
    return max(a, b)


def sym_min(a: Any, b: Any) -> Any:
    """torch.sym_min: min(a, b) for Python numbers."""
    _number("sym_min", a, b)
    return min(a, b)


def sym_not(a: Any) -> bool:
    """torch.sym_not: not a."""
    return not a


def sym_sqrt(a: Any) -> float:
    """torch.sym_sqrt: math.sqrt(a) for a Python number."""
    _real(a, "must be real number, not {}")
    return math.sqrt(a)


def sym_ite(b: Any, t: Any, f: Any) -> Any:
    """torch.sym_ite: t if b else f."""
    return t if b else f


def sym_sum(args: Any) -> Any:
    """torch.sym_sum: the sum of a sequence of numbers (from 0); a number itself as it is
    (PyTorch 2.13: sym_sum(2.0) is 2.0)."""
    if type(args) in _NUMBERS:
        return args
    total: Any = 0
    for a in args:
        total = total + a
    return total


def cfloat(self: Tensor) -> Tensor:
    """x.cfloat(): x as complex64 (x.to(torch.cfloat))."""
    return to(self, dtypes.complex64)


def cdouble(self: Tensor) -> Tensor:
    """x.cdouble(): x as complex128 (x.to(torch.cdouble))."""
    return to(self, dtypes.complex128)


def register() -> None:
    """Declare the spellings (after the families they build on)."""
    if "Tensor.dim_order" in SURFACE:
        return
    expose(dim_order, "Tensor.dim_order", family="shape")
    expose(resize, "Tensor.resize", family="shape")
    expose(resize_as, "Tensor.resize_as", family="shape")
    expose(cfloat, "Tensor.cfloat", family="creation")
    expose(cdouble, "Tensor.cdouble", family="creation")
    for fn in (sym_int, sym_float, sym_max, sym_min, sym_not, sym_sqrt, sym_ite, sym_sum):
        expose(fn, f"torch.{fn.__name__}", family="creation")
    TX.PROPERTIES["volatile"] = _volatile
