"""PyTorch-identical text for tensors, computed from numpy arrays alone.

`format_tensor` reproduces ``repr(t)`` / ``str(t)`` of a dense CPU ``torch.Tensor``
(PyTorch 2.x, default dtype float32) character for character. The rules it follows,
as observed in PyTorch's printing code:

* One element formatter per tensor, chosen from the values that will actually be shown
  (the edge items only, when the tensor is summarised because it has more than
  ``threshold`` elements). Integer and bool values print as Python's ``str``.
* Floats look only at the *nonzero finite* values: if all are integral they print as
  ``"%.0f"`` plus a ``"."`` (``int mode``); scientific notation is used when
  max/min > 1000, max > 1e8 or min < 1e-4 (unless ``sci_mode`` forces it); otherwise
  fixed-point with ``precision`` decimals. Values are formatted as Python floats, so a
  float32 value prints via its exact double expansion, just as ``Tensor.item()`` gives.
* Every element is right-aligned to the widest nonzero finite element (zeros, nan and
  inf do not widen the column). Rows wrap at ``linewidth`` with
  ``(linewidth - indent) // (width + 2)`` elements per line; nested dimensions are
  separated by ``dim - 1`` newlines and indented under the opening bracket.
* Suffixes follow the data in the order size, dtype, grad_fn/requires_grad and move to
  a new line when they would overflow ``linewidth``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes as _dtypes
from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.limits import MAX_SEQUENCE

__all__ = [
    "TensorFormatError",
    "element_strings",
    "format_spec",
    "format_tensor",
    "format_tensor_spec",
    "format_value",
]

_PREFIX = "tensor("
_INDENT = len(_PREFIX)

# dtype name -> (numpy dtype, how PyTorch spells it)
_DTYPES: dict[str, tuple[np.dtype[Any], str]] = {
    "float32": (np.dtype(np.float32), "torch.float32"),
    "float64": (np.dtype(np.float64), "torch.float64"),
    "float16": (np.dtype(np.float16), "torch.float16"),
    "int64": (np.dtype(np.int64), "torch.int64"),
    "int32": (np.dtype(np.int32), "torch.int32"),
    "int16": (np.dtype(np.int16), "torch.int16"),
    "int8": (np.dtype(np.int8), "torch.int8"),
    "uint8": (np.dtype(np.uint8), "torch.uint8"),
    "bool": (np.dtype(np.bool_), "torch.bool"),
    "complex64": (np.dtype(np.complex64), "torch.complex64"),
    "complex128": (np.dtype(np.complex128), "torch.complex128"),
}

_UNSUPPORTED_SPEC = "unsupported format string passed to Tensor.__format__"


class TensorFormatError(TypeError, ValueError):
    """A format spec was applied to a tensor with more than zero dimensions.

    PyTorch raises ``TypeError`` here; this class is both a ``TypeError`` and a
    ``ValueError`` so callers may catch either.
    """


# --------------------------------------------------------------------------- elements


def _float_strings(
    values: list[float], finite_nonzero: np.ndarray, precision: int, sci_mode: bool | None
) -> list[str]:
    """Format float values with the one formatter PyTorch would pick for all of them."""
    if finite_nonzero.size == 0:
        # Nothing to measure: PyTorch stays in int mode (and width 1).
        return [_int_mode_str(v) for v in values]
    magnitudes = np.abs(finite_nonzero).astype(np.float64)
    smallest = float(magnitudes.min())
    largest = float(magnitudes.max())
    int_mode = bool((finite_nonzero == np.ceil(finite_nonzero)).all())
    if sci_mode is None:
        sci = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
    else:
        sci = sci_mode
    if sci:
        spec = f".{precision}e"
        strings = [format(v, spec) for v in values]
    elif int_mode:
        strings = [_int_mode_str(v) for v in values]
    else:
        spec = f".{precision}f"
        strings = [format(v, spec) for v in values]
    return strings


def _int_mode_str(v: float) -> str:
    """A float known to be integral (or non-finite) the way PyTorch's int mode prints it."""
    text = f"{v:.0f}"
    return text + "." if math.isfinite(v) else text


def scalar_float_str(v: float, precision: int, sci_mode: bool | None = None) -> str:
    """Format a lone float exactly as a one-element tensor's formatter would."""
    if v == 0.0 or not math.isfinite(v):
        return _int_mode_str(v)
    if sci_mode is None:
        magnitude = abs(v)
        sci = magnitude > 1.0e8 or magnitude < 1.0e-4
    else:
        sci = sci_mode
    if sci:
        return format(v, f".{precision}e")
    if v.is_integer():
        return _int_mode_str(v)
    return format(v, f".{precision}f")


def element_strings(shown: np.ndarray, precision: int, sci_mode: bool | None = None,
                    measured: np.ndarray | None = None) -> list[str]:
    """The elements (row-major) as PyTorch writes them, unpadded: one formatter chosen from
    all of them, or from ``measured`` (what PyTorch shows) when only some are written
    (``2.4691``, ``1.0000e+05``, ``3.``); ``str`` for ints and bools."""
    flat = shown.reshape(-1)
    if flat.dtype.kind == "f":
        every = flat if measured is None else measured.reshape(-1)
        return _float_strings(flat.tolist(), every[np.isfinite(every) & (every != 0)],
                              precision, sci_mode)
    return [str(v) for v in flat.tolist()]


def _padded_floats(flat: np.ndarray, precision: int,
                   sci_mode: bool | None) -> tuple[list[str], int]:
    """Float strings of one formatter, padded to its width (the widest nonzero finite)."""
    mask = np.isfinite(flat) & (flat != 0)
    strings = _float_strings(flat.tolist(), flat[mask], precision, sci_mode)
    width = 1
    for text, measured in zip(strings, mask.tolist(), strict=True):
        if measured and len(text) > width:
            width = len(text)
    return [text.rjust(width) for text in strings], width


def _complex_join(real: str, imag: str) -> str:
    """PyTorch's `a+bj`: the imaginary part's padding dropped, a sign always between."""
    imag = (imag + "j").lstrip()
    return real + imag if imag[0] in "+-" else real + "+" + imag


def _complex_cells(flat: np.ndarray, precision: int,
                   sci_mode: bool | None) -> tuple[list[str], int]:
    """Complex elements as PyTorch writes them: the real parts and the imaginary parts
    each with their own formatter; the width PyTorch wraps rows by is both widths + 1."""
    reals, w1 = _padded_floats(flat.real.reshape(-1), precision, sci_mode)
    imags, w2 = _padded_floats(flat.imag.reshape(-1), precision, sci_mode)
    return [_complex_join(r, i) for r, i in zip(reals, imags, strict=True)], w1 + w2 + 1


def _complex_scalar(value: complex, precision: int, sci_mode: bool | None) -> str:
    return _complex_join(scalar_float_str(value.real, precision, sci_mode),
                         scalar_float_str(value.imag, precision, sci_mode))


def _cells(shown: np.ndarray, precision: int, sci_mode: bool | None) -> tuple[list[str], int]:
    """Format the shown elements (row-major) and pad them to PyTorch's common width."""
    flat = shown.reshape(-1)
    if flat.dtype.kind == "c":
        return _complex_cells(flat, precision, sci_mode)
    if flat.dtype.kind == "f":
        return _padded_floats(flat, precision, sci_mode)
    strings = [str(v) for v in flat.tolist()]
    width = max(1, max(len(text) for text in strings))
    return [text.rjust(width) for text in strings], width


# --------------------------------------------------------------------------- layout


def _layout(
    cells: list[str],
    shape: tuple[int, ...],
    elided: tuple[bool, ...],
    indent: int,
    width: int,
    linewidth: int,
    edgeitems: int,
) -> str:
    """Nest the formatted cells into PyTorch's bracket, comma and newline layout."""
    if len(shape) == 1:
        items = cells
        if elided[0]:  # edgeitems from each end (negative: self[:e] and self[-e:])
            head = edgeitems if edgeitems > 0 else len(cells) // 2
            items = [*cells[:head], " ...", *cells[head:]]
        per_line = max(1, math.floor((linewidth - indent) / (width + 2)))
        if len(items) <= per_line:
            return "[" + ", ".join(items) + "]"
        rows = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(rows) + "]"
    step = len(cells) // shape[0]
    parts = [
        _layout(
            cells[i * step : (i + 1) * step],
            shape[1:],
            elided[1:],
            indent + 1,
            width,
            linewidth,
            edgeitems,
        )
        for i in range(shape[0])
    ]
    if elided[0]:
        parts.insert(edgeitems, "...")
    return "[" + ("," + "\n" * (len(shape) - 1) + " " * (indent + 1)).join(parts) + "]"


def _body(
    arr: np.ndarray,
    precision: int,
    linewidth: int,
    sci_mode: bool | None,
    threshold: float,
    edgeitems: int,
) -> str:
    """The bracketed contents of a non-empty tensor (everything between the parentheses)."""
    summarize = arr.size > threshold
    if summarize and not edgeitems:
        return "[...]"
    if summarize and edgeitems < 0 and arr.ndim > 1:  # no rows to stack: PyTorch's error
        raise GdRuntimeError("stack expects a non-empty TensorList")
    if arr.size == 1:
        # Fast path: one element needs no column measuring, wrapping or eliding.
        value = arr.reshape(-1)[0].item()
        if arr.dtype.kind == "f":
            text = scalar_float_str(float(value), precision, sci_mode)
        elif arr.dtype.kind == "c":
            text = _complex_scalar(value, precision, sci_mode)
        else:
            text = str(value)
        return "[" * arr.ndim + text + "]" * arr.ndim
    elided = tuple(summarize and n > 2 * edgeitems for n in arr.shape)
    shown = arr
    if any(elided):
        keep = [  # Python's slices self[:e] and self[-e:] (a negative e: all but e)
            np.concatenate((np.arange(n)[:edgeitems], np.arange(n)[-edgeitems:]))
            if cut else np.arange(n)
            for n, cut in zip(arr.shape, elided, strict=True)
        ]
        shown = arr[np.ix_(*keep)]
    cells, width = _cells(shown, precision, sci_mode)
    return _layout(cells, shown.shape, elided, _INDENT, width, linewidth, edgeitems)


def _with_suffixes(text: str, suffixes: list[str], linewidth: int) -> str:
    """Append ', suffix' items, breaking onto an indented line where PyTorch does."""
    pieces = [text]
    # PyTorch's measure of the last line is two more than its length; keep that quirk.
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > linewidth:
            pieces.append(",\n" + " " * _INDENT + suffix)
            last_line = _INDENT + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_line += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


# --------------------------------------------------------------------------- print options


class PrintOptions:
    """torch.set_printoptions's state: what format_tensor uses when not told otherwise."""

    __slots__ = ("edgeitems", "linewidth", "precision", "sci_mode", "threshold")

    def __init__(self) -> None:
        self.precision = 4
        self.threshold: float = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode: bool | None = None

    def snapshot(self) -> tuple[Any, ...]:
        """The options as a tuple (restore() takes it back)."""
        return (self.precision, self.threshold, self.edgeitems, self.linewidth, self.sci_mode)

    def restore(self, saved: tuple[Any, ...]) -> None:
        """Put back a snapshot."""
        (self.precision, self.threshold, self.edgeitems, self.linewidth,
         self.sci_mode) = saved


PRINT_OPTIONS = PrintOptions()
DEFAULT_PRINT_OPTIONS = PrintOptions().snapshot()
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80),
             "full": (4, math.inf, 3, 80)}


def _option(value: Any, kinds: tuple[type, ...]) -> Any:
    """An option as PyTorch keeps it (as given: a precision of 2.5 or 'a' fails when a
    float is formatted, with Python's words), where it is a plain value of these kinds;
    other values as the number they stand for. An int past the format cap is refused."""
    if type(value) not in kinds:
        value = int(value)
    if type(value) is int and abs(value) > MAX_SEQUENCE:
        raise GdLimitError(f"print option {value:,} exceeds the limit of {MAX_SEQUENCE:,}")
    return value


def set_printoptions(precision: Any = None, threshold: Any = None, edgeitems: Any = None,
                     linewidth: Any = None, profile: str | None = None,
                     sci_mode: Any = None) -> None:
    """torch.set_printoptions: as PyTorch's (a profile first, then each option given, kept
    as given; sci_mode is always set)."""
    opts = PRINT_OPTIONS
    if profile is not None and profile in _PROFILES:
        opts.precision, opts.threshold, opts.edgeitems, opts.linewidth = _PROFILES[profile]
    if precision is not None:
        opts.precision = _option(precision, (int, bool, float, str))
    if threshold is not None:
        opts.threshold = threshold
    if edgeitems is not None:
        opts.edgeitems = _option(edgeitems, (int, bool))
    if linewidth is not None:
        opts.linewidth = _option(linewidth, (int, bool, float))
    opts.sci_mode = None if sci_mode is None else bool(sci_mode)


# --------------------------------------------------------------------------- public API


def format_tensor(
    data: np.ndarray,
    dtype: str,
    *,
    requires_grad: bool = False,
    grad_fn: str | None = None,
    precision: int | None = None,
    linewidth: int | None = None,
    sci_mode: bool | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    default_dtype: str | None = None,
    tangent: str | None = None,
    meta: bool = False,
) -> str:
    """Return exactly what ``repr(t)`` / ``str(t)`` prints for a CPU tensor of these values.

    The dtype suffix is left out for int64, bool and the default float dtype
    (``default_dtype``; None: the current one, ``torch.get_default_dtype()``), so after
    ``set_default_dtype(torch.float64)`` float64 tensors print bare and float32 ones
    show ``dtype=torch.float32``; an empty tensor shows every dtype but the default.
    Options not given come from PRINT_OPTIONS (torch.set_printoptions).
    """
    opts = PRINT_OPTIONS
    if precision is None:
        precision = opts.precision
    if linewidth is None:
        linewidth = opts.linewidth
    if sci_mode is None:
        sci_mode = opts.sci_mode
    if threshold is None:
        threshold = opts.threshold
    if edgeitems is None:
        edgeitems = opts.edgeitems
    try:
        np_dtype, torch_name = _DTYPES[dtype]
    except KeyError:
        raise ValueError(f"unsupported tensor dtype {dtype!r}") from None
    if default_dtype is None:
        default_dtype = _dtypes.name_of(_dtypes.default_dtype())
    default_complex = "complex128" if default_dtype == "float64" else "complex64"
    shows_dtype = dtype not in (default_dtype, default_complex, "int64", "bool")
    arr = np.asarray(data)
    if arr.dtype != np_dtype:
        arr = arr.astype(np_dtype)
    suffixes: list[str] = []
    if meta:  # a meta tensor: no values, its device, size and (not the default) dtype
        suffixes += ["device='meta'", f"size={tuple(arr.shape)}"]
        if dtype != default_dtype:
            suffixes.append(f"dtype={torch_name}")
        body = "..."
    elif arr.size == 0:
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        if dtype != default_dtype:
            suffixes.append(f"dtype={torch_name}")
        body = "[]"
    else:
        if edgeitems == 0:
            suffixes.append(f"size={tuple(arr.shape)}")
        if shows_dtype:
            suffixes.append(f"dtype={torch_name}")
        if arr.ndim == 0:
            _ = arr.size > threshold  # PyTorch compares for a 0-d tensor too (a str fails)
            value = arr.item()
            if arr.dtype.kind == "f":
                body = scalar_float_str(float(value), precision, sci_mode)
            elif arr.dtype.kind == "c":
                body = _complex_scalar(value, precision, sci_mode)
            else:
                body = str(value)
        else:
            body = _body(arr, precision, linewidth, sci_mode, threshold, edgeitems)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    if tangent is not None:  # a dual tensor inside forward_ad.dual_level(): f"{tangent}"
        suffixes.append(f"tangent={tangent}")
    if not suffixes:
        return _PREFIX + body + ")"
    return _with_suffixes(_PREFIX + body, suffixes, linewidth)


def format_value(v: object, tensor_repr: Callable[[object], str | None]) -> str:
    """Return what Python's ``print(v)`` shows, with tensors rendered by ``tensor_repr``."""
    text = tensor_repr(v)
    if text is not None:
        return text
    if isinstance(v, str):
        return v
    return _repr_value(v, tensor_repr)


def _repr_value(v: object, tensor_repr: Callable[[object], str | None]) -> str:
    """Python's ``repr`` of a value, recursing into tuples, lists and dicts."""
    text = tensor_repr(v)
    if text is not None:
        return text
    if isinstance(v, tuple) and type(v) is not tuple and hasattr(type(v), "_fields"):
        # a named tuple: Name(field=value, ...)
        return type(v).__name__ + "(" + ", ".join(
            f"{f}={_repr_value(x, tensor_repr)}" for f, x in zip(type(v)._fields, v, strict=True)
        ) + ")"
    if type(v) is tuple:
        if len(v) == 1:
            return "(" + _repr_value(v[0], tensor_repr) + ",)"
        return "(" + ", ".join(_repr_value(x, tensor_repr) for x in v) + ")"
    if type(v) is list:
        return "[" + ", ".join(_repr_value(x, tensor_repr) for x in v) + "]"
    if type(v) is dict:
        items = (
            _repr_value(k, tensor_repr) + ": " + _repr_value(x, tensor_repr) for k, x in v.items()
        )
        return "{" + ", ".join(items) + "}"
    return repr(v)


def format_spec(value: float | int, spec: str) -> str:
    """Format a Python number with a format spec, exactly as ``format(value, spec)``."""
    return format(value, spec)


def format_tensor_spec(data: np.ndarray, dtype: str, spec: str, **repr_kwargs: Any) -> str:
    """Mirror ``Tensor.__format__``: 0-d formats its item, else str() for "" or raise."""
    arr = np.asarray(data)
    if arr.ndim == 0:
        np_dtype = _DTYPES[dtype][0] if dtype in _DTYPES else arr.dtype
        return format(arr.astype(np_dtype, copy=False).item(), spec)
    if spec:
        raise TensorFormatError(_UNSUPPORTED_SPEC)
    return format_tensor(arr, dtype, **repr_kwargs)
