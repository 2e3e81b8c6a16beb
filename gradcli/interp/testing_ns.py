"""torch.testing.assert_close, as PyTorch 2.13's torch/testing/_comparison.py compares.

Derivative checks compare an autograd Jacobian with a finite-difference one this way. The
pairs it takes: None with None, bools, Python numbers (int/float/complex: their types must
match unless check_dtype=False), tensors (shape, then dtype unless check_dtype=False, then
the values by isclose in their common dtype), and lists/tuples and dicts of them, compared
item by item (a failure names the item: "The failure occurred for item [1]['w']"). The
default tolerances are the largest of the two dtypes' (float32 1.3e-6 / 1e-5, float64
1e-7 / 1e-7, integers and bool 0 / 0: "not equal" messages). Messages, the exception
classes and `msg=` (a string replaces the message, a function maps it) are PyTorch's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Builtin, Namespace, Size

# {dtype name: (rtol, atol)}: torch.testing._comparison._DTYPE_PRECISIONS
_PRECISIONS = {"float16": (0.001, 1e-5), "float32": (1.3e-6, 1e-5),
               "float64": (1e-7, 1e-7), "complex64": (1.3e-6, 1e-5),
               "complex128": (1e-7, 1e-7)}
# Python numbers' dtypes (NumberPair): int → int64, float → float64, complex → complex128
_NUMBER_DTYPES = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}


class _Mismatch(Exception):
    """A failed comparison: the Python exception's class, its message, the item's path."""

    def __init__(self, py_type: str, msg: str, path: tuple[Any, ...] = ()) -> None:
        super().__init__(msg)
        self.py_type, self.msg, self.path = py_type, msg, path


def _tolerances(names: list[str], rtol: Any, atol: Any,
                path: tuple[Any, ...]) -> tuple[float, float]:
    if (rtol is None) ^ (atol is None):
        raise _Mismatch("ValueError", "Both 'rtol' and 'atol' must be either specified or "
                        f"omitted, but got no {'rtol' if rtol is None else 'atol'}.", path)
    if rtol is not None:
        return rtol, atol
    pairs = [_PRECISIONS.get(n, (0.0, 0.0)) for n in names]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _diff_message(identifier: str, extra: str, abs_diff: Any, abs_idx: Any, atol: float,
                  rel_diff: Any, rel_idx: Any, rtol: float) -> str:
    """_make_mismatch_msg."""
    equality = rtol == 0 and atol == 0

    def line(kind: str, diff: Any, idx: Any, tol: float) -> str:
        text = (f"{kind.title()} difference: {diff}" if idx is None
                else f"Greatest {kind} difference: {diff} at index {idx}")
        return text + ("" if equality else f" (up to {tol} allowed)") + "\n"

    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n{extra.strip()}\n"
    msg += line("absolute", abs_diff, abs_idx, atol) + line("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _compare_numbers(actual: Any, expected: Any, rtol: Any, atol: Any, equal_nan: bool,
                     check_dtype: bool, path: tuple[Any, ...]) -> None:
    if check_dtype and type(actual) is not type(expected):
        raise _Mismatch("AssertionError", f"The (d)types do not match: {_cls(actual)} != "
                        f"{_cls(expected)}.", path)
    rtol, atol = _tolerances([_NUMBER_DTYPES[type(actual)], _NUMBER_DTYPES[type(expected)]],
                             rtol, atol, path)
    if actual == expected:
        return
    if equal_nan and actual != actual and expected != expected:
        return
    abs_diff = abs(actual - expected)
    finite = abs_diff == abs_diff and abs_diff != float("inf")
    if finite and abs_diff <= atol + rtol * abs(expected):
        return
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    raise _Mismatch("AssertionError", _diff_message(
        "Scalars", f"Expected {expected} but got {actual}.", abs_diff, None, atol,
        rel_diff, None, rtol), path)


def _cls(v: Any) -> str:
    return f"<class '{type(v).__name__}'>"


def _isclose(a: np.ndarray, e: np.ndarray, rtol: float, atol: float,
             equal_nan: bool) -> np.ndarray:
    """torch.isclose in the dtype: equal, or finite |a - e| <= atol + |rtol·e|."""
    if a.dtype == np.bool_:
        return a == e
    close = a == e
    if equal_nan and a.dtype.kind in "fc":
        close |= np.isnan(a) & np.isnan(e)
    if a.dtype.kind in "fc":
        with np.errstate(all="ignore"):
            err = np.abs(a - e)
            allowed = atol + np.abs(rtol * e)
            close |= np.isfinite(err) & (err <= allowed)
    elif rtol or atol:
        with np.errstate(all="ignore"):
            close |= np.abs(a.astype(np.float64) - e) <= atol + rtol * np.abs(e.astype(np.float64))
    return close


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _compare_tensors(actual: Tensor, expected: Tensor, rtol: Any, atol: Any, equal_nan: bool,
                     check_dtype: bool, path: tuple[Any, ...]) -> None:
    a, e = actual.array, expected.array
    if a.shape != e.shape:
        raise _Mismatch("AssertionError", "The values for attribute 'shape' do not match: "
                        f"{Size(a.shape)} != {Size(e.shape)}.", path)
    if check_dtype and a.dtype != e.dtype:
        raise _Mismatch("AssertionError", "The values for attribute 'dtype' do not match: "
                        f"{dtypes.torch_name(a.dtype)} != {dtypes.torch_name(e.dtype)}.", path)
    rtol, atol = _tolerances([dtypes.name_of(a.dtype), dtypes.name_of(e.dtype)], rtol, atol,
                             path)
    if a.dtype != e.dtype:
        common = dtypes.promote([a.dtype, e.dtype], [], [])
        a, e = a.astype(common), e.astype(common)
    matches = _isclose(a, e, rtol, atol, equal_nan)
    if matches.all():
        return
    if a.ndim == 0:
        raise _Mismatch("AssertionError", _diff_message(
            "Scalars", f"Expected {e.item()} but got {a.item()}.",
            *_scalar_diffs(a.item(), e.item(), rtol, atol)), path)
    af, ef, mf = a.reshape(-1), e.reshape(-1), matches.reshape(-1)
    if a.dtype.kind not in "fc":
        af, ef = af.astype(np.int64), ef.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(af - ef)
        abs_diff[mf] = 0
        rel_diff = abs_diff / np.abs(ef)  # int64 / int64: PyTorch's true division → float32
        if a.dtype.kind not in "fc":
            rel_diff = rel_diff.astype(dtypes.default_dtype())
        rel_diff[mf] = 0
    total = mf.size - int(mf.sum())
    extra = f"Mismatched elements: {total} / {mf.size} ({total / mf.size:.1%})"
    ai, ri = _argmax(abs_diff), _argmax(rel_diff)
    raise _Mismatch("AssertionError", _diff_message(
        "Tensor-likes", extra, abs_diff[ai].item(), _index(ai, a.shape), atol,
        rel_diff[ri].item(), _index(ri, a.shape), rtol), path)


def _scalar_diffs(actual: Any, expected: Any, rtol: float,
                  atol: float) -> tuple[Any, None, float, Any, None, float]:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return abs_diff, None, atol, rel_diff, None, rtol


def _argmax(x: np.ndarray) -> int:
    """torch.max(x, 0)'s index: the first NaN if any, else the first largest."""
    if x.dtype.kind in "fc":
        nans = np.flatnonzero(np.isnan(x))
        if nans.size:
            return int(nans[0])
    return int(np.argmax(x))


def _compare(actual: Any, expected: Any, rtol: Any, atol: Any, equal_nan: bool,
             check_dtype: bool, path: tuple[Any, ...]) -> None:
    if actual is None or expected is None:
        if actual is None and expected is None:
            return
        raise _Mismatch("AssertionError", f"None mismatch: {actual} is not {expected}", path)
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise _Mismatch("AssertionError", "The length of the sequences mismatch: "
                            f"{len(actual)} != {len(expected)}", path)
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _compare(a, e, rtol, atol, equal_nan, check_dtype, (*path, i))
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        if set(actual) != set(expected):
            missing = sorted(set(expected) - set(actual), key=repr)
            extra = sorted(set(actual) - set(expected), key=repr)
            raise _Mismatch("AssertionError", "The keys of the mappings do not match:\n"
                            f"Missing keys in the actual mapping: {missing}\n"
                            f"Extra keys in the actual mapping: {extra}", path)
        keys = list(actual)
        with contextlib.suppress(TypeError):
            keys = sorted(keys)
        for k in keys:
            _compare(actual[k], expected[k], rtol, atol, equal_nan, check_dtype, (*path, k))
        return
    if type(actual) is bool and type(expected) is bool:
        if actual is not expected:
            raise _Mismatch("AssertionError", f"Booleans mismatch: {actual} is not {expected}",
                            path)
        return
    number = (int, float, complex)
    if (type(actual) in number and type(expected) in number):
        _compare_numbers(actual, expected, rtol, atol, equal_nan, check_dtype, path)
        return
    if type(actual) is Tensor and type(expected) is Tensor:
        _compare_tensors(actual, expected, rtol, atol, equal_nan, check_dtype, path)
        return
    raise _Mismatch("TypeError", "No comparison pair was able to handle inputs of type "
                    f"{_type_name(actual)} and {_type_name(expected)}.", path)


def _type_name(v: Any) -> str:
    if type(v) is Tensor:
        return "<class 'torch.Tensor'>"
    return _cls(v)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True,
                 rtol: Any = None, atol: Any = None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True,
                 check_layout: bool = True, check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """torch.testing.assert_close(actual, expected, *, rtol, atol, ...): raise
    AssertionError unless they are close."""
    try:
        _compare(actual, expected, rtol, atol, bool(equal_nan), bool(check_dtype), ())
    except _Mismatch as m:
        text = m.msg
        if isinstance(msg, str):
            text = msg
        else:
            if m.path:
                text += "\n\nThe failure occurred for item " + "".join(
                    str([item]) for item in m.path)
            if msg is not None:
                text = msg(text)
        raise GdRuntimeError(str(text), py_type=m.py_type) from None


def namespace() -> Namespace:
    """The torch.testing module."""
    return Namespace("torch.testing", {
        "assert_close": Builtin("torch.testing.assert_close", assert_close)})
