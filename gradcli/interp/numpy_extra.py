"""More of numpy that scientific scripts reach for next to their tensors: padding, index
helpers (`triu_indices`, `indices`, `ix_`), `block`, `select`, signal windows (`hanning`...),
`unwrap`, arrays printed to a string, `np.testing`'s assertions and `np.errstate`.

Every function computes from plain arguments only (numpy_ns's `_call`: no callback, no
file); the ones whose result size is set by a number (`np.hanning(10**9)`,
`np.pad(a, 10**6)`) are size-checked before numpy allocates."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Builtin, GdObject, Namespace


def _pad_count(array: Any, pad_width: Any = 0, *args: Any, **kwargs: Any) -> int:
    """The number of elements np.pad will make."""
    try:
        shape = np.shape(array)
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (len(shape), 2))
        return math.prod(int(n) + int(w.sum()) for n, w in zip(shape, widths, strict=True))
    except (TypeError, ValueError):
        return 0  # numpy's own error follows


def _square_count(n: Any, k: Any = 0, m: Any = None) -> int:
    return 2 * int(n) * int(n if m is None else m) if isinstance(n, int) else 0


def _window_count(m: Any, *rest: Any) -> int:
    return int(m) if isinstance(m, (int, float)) else 0


# name -> the number of elements its result will hold, from its plain arguments
_SIZED: dict[str, Callable[..., int]] = {
    "pad": _pad_count,
    "indices": lambda dims, *a, **k: math.prod(int(d) for d in dims) * len(dims),
    "triu_indices": _square_count,
    "tril_indices": _square_count,
    "diag_indices": lambda n, ndim=2: int(n) * int(ndim),
    **dict.fromkeys(("hanning", "hamming", "blackman", "bartlett", "kaiser"), _window_count),
    "vander": lambda x, n=None, *a, **k: int(np.size(x)) * int(np.size(x) if n is None else n),
    "resize": lambda a, shape=0: math.prod(np.atleast_1d(np.asarray(shape, dtype=np.int64))),
}

# Functions whose results are no larger than their array arguments.
_PLAIN = ("ix_", "select", "block", "unwrap", "ascontiguousarray", "asfortranarray",
          "isscalar", "array2string", "format_float_positional", "format_float_scientific",
          "triu_indices_from", "tril_indices_from", "diag_indices_from",
          # numpy 2's spellings and the rest of its elementwise and shape functions
          "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "pow", "concat",
          "permute_dims", "matrix_transpose", "astype", "unstack", "atleast_3d",
          "broadcast_arrays", "broadcast_shapes", "hsplit", "vsplit", "dsplit", "rollaxis",
          "divmod", "fmod", "nextafter", "spacing", "invert", "bitwise_and", "bitwise_or",
          "bitwise_xor", "bitwise_not", "left_shift", "right_shift", "isneginf", "isposinf",
          "iscomplexobj", "isrealobj", "real_if_close", "sort_complex", "setxor1d",
          "extract", "compress", "matvec", "vecmat", "vecdot", "polyadd", "polysub",
          "polymul", "polydiv", "array_str", "array_repr", "base_repr", "binary_repr")

_TESTING = ("assert_allclose", "assert_array_equal", "assert_array_almost_equal",
            "assert_almost_equal", "assert_equal", "assert_array_less")


class ErrState(GdObject):
    """np.errstate(...): numpy's floating-point error handling, changed inside a `with`
    block only (numpy's own context manager)."""

    __slots__ = ("host",)
    gd_context = True  # `with np.errstate(...):` (values.is_context_manager)

    def __init__(self, host: Any) -> None:
        self.host = host

    def __enter__(self) -> ErrState:
        self.host.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool:
        self.host.__exit__(*exc)
        return False

    def type_label(self) -> str:
        return "errstate"


def members(call: Callable[..., Callable[..., Any]], sized: Callable[..., Callable[..., Any]],
            arg: Callable[[Any], Any]) -> dict[str, Any]:
    """The functions as numpy_ns makes its own (`call` wraps a numpy function over plain
    arguments, `sized` checks a size first, `arg` makes one argument plain)."""
    out: dict[str, Any] = {}
    for name, count in _SIZED.items():
        out[name] = Builtin(f"numpy.{name}", sized(call(getattr(np, name)), count))
    for name in _PLAIN:
        if hasattr(np, name):  # numpy 2's names (acos, concat, vecdot...) where it has them
            out[name] = Builtin(f"numpy.{name}", call(getattr(np, name)))

    def errstate(**kwargs: Any) -> ErrState:
        return ErrState(np.errstate(**{k: arg(v) for k, v in kwargs.items()}))

    out["errstate"] = Builtin("numpy.errstate", errstate,
                              "numpy.errstate(**kw): error handling inside a with block")
    out["testing"] = Namespace("numpy.testing", {
        name: Builtin(f"numpy.testing.{name}", _assertion(name, arg))
        for name in _TESTING})
    return out


def _assertion(name: str, arg: Callable[[Any], Any]) -> Callable[..., Any]:
    """np.testing.assert_*: numpy's comparison, its AssertionError (message and all) the
    program's to catch. numpy.testing (with unittest and subprocess: ~10 ms) is imported
    when a program first calls one, not at every start."""
    def check(*args: Any, **kwargs: Any) -> None:
        fn = getattr(np.testing, name)
        try:
            fn(*(arg(a) for a in args), **{k: arg(v) for k, v in kwargs.items()})
        except AssertionError as e:
            raise GdRuntimeError(str(e), py_type="AssertionError") from None

    check.__doc__ = f"numpy.testing.{name}, numpy's own"
    return check
