"""Memory formats: torch.contiguous_format, torch.channels_last (NHWC strides of an NCHW
tensor), torch.channels_last_3d (NDHWC) and torch.preserve_format, and the ops that take
`memory_format=` (contiguous, is_contiguous, clone, to, empty and the *_like creators).

A tensor's layout is its numpy array's: channels_last is the NHWC copy transposed back to
NCHW, so x.stride() and x.is_contiguous(...) read PyTorch's numbers off the array, and
elementwise ops (numpy's order 'K') keep the layout as PyTorch's TensorIterator does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.kernels.iteration import sorted_dims
from gradcli.ad.ops import layout, shape
from gradcli.ad.ops.devices import torch_error
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


class MemoryFormat:
    """torch.memory_format: one of the four layouts a tensor can be asked for."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    __str__ = __repr__


MemoryFormat.__name__ = "torch.memory_format"  # as Python's messages name its type
CONTIGUOUS = MemoryFormat("contiguous_format")
CHANNELS_LAST = MemoryFormat("channels_last")
CHANNELS_LAST_3D = MemoryFormat("channels_last_3d")
PRESERVE = MemoryFormat("preserve_format")
#: torch.X for each format.
FORMATS = {f.name: f for f in (CONTIGUOUS, CHANNELS_LAST, CHANNELS_LAST_3D, PRESERVE)}

# The dims from the outermost to the innermost in memory, and the rank each format needs.
_ORDER = {CHANNELS_LAST: (0, 2, 3, 1), CHANNELS_LAST_3D: (0, 2, 3, 4, 1)}


def _format(op: str, memory_format: Any) -> MemoryFormat:
    """The format a `memory_format=` argument names (None: preserve_format), or
    PyTorch's argument error."""
    if memory_format is None:
        return PRESERVE
    if type(memory_format) is not MemoryFormat:
        raise torch_error(f"{op}(): argument 'memory_format' must be torch.memory_format, "
                          f"not {type(memory_format).__name__}", "TypeError")
    return memory_format


def _check_rank(fmt: MemoryFormat, ndim: int) -> None:
    order = _ORDER.get(fmt)
    if order is not None and ndim != len(order):
        raise GdRuntimeError(f"required rank {len(order)} tensor to use {fmt.name} format")


def laid_out(a: np.ndarray, fmt: MemoryFormat) -> np.ndarray:
    """A copy of `a` in the layout `fmt` gives (preserve_format: `a`'s own when `a` is
    dense, else row-major, as PyTorch's empty_like)."""
    _check_rank(fmt, a.ndim)
    order = _ORDER.get(fmt)
    if order is None:
        return a.copy(order="K" if fmt is PRESERVE and _dense(a) else "C")
    return np.ascontiguousarray(a.transpose(order)).transpose(np.argsort(order))


def _empty_like(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Uninitialised memory for a tensor like `a` (preserve_format's layout): a's own
    strides when a is dense, else dense ones in the order of a's (c10's
    infer_dense_strides)."""
    steps = [s // a.itemsize for s in a.strides]
    if not _dense(a):
        steps = _dense_steps(a.shape, steps)
    buffer = np.empty(a.size, dtype)
    return np.lib.stride_tricks.as_strided(
        buffer, a.shape, [s * buffer.itemsize for s in steps])


def _dense_steps(sizes: tuple[int, ...], steps: list[int]) -> list[int]:
    """c10's infer_dense_strides: the dims sorted by stride (innermost first; a smaller
    size first on a tie, 0 strides where they are), then dense strides in that order."""
    def should_swap(d0: int, d1: int) -> int:
        if steps[d0] == 0 or steps[d1] == 0:
            return 0
        if steps[d0] != steps[d1]:
            return -1 if steps[d0] < steps[d1] else 1
        return 1 if sizes[d0] > sizes[d1] else 0

    perm = sorted_dims(len(sizes), should_swap)
    out, step = [0] * len(sizes), 1
    for d in perm:
        out[d] = step
        if sizes[d] > 1:
            step *= sizes[d]
    return out


def _dense(a: np.ndarray) -> bool:
    """Whether `a`'s elements fill a block of memory without gaps or overlaps (PyTorch's
    is_non_overlapping_and_dense), so that a copy can keep its strides."""
    if any(s < 0 for s in a.strides):
        return False
    steps = sorted((s, n) for s, n in zip(a.strides, a.shape, strict=True) if n != 1)
    expected = a.itemsize
    for step, n in steps:
        if step != expected:
            return False
        expected *= n
    return True


def is_laid_out(x: Tensor, fmt: MemoryFormat) -> bool:
    """x.is_contiguous(memory_format=fmt), as c10's compute_*_contiguous: dims of size 1
    have any stride."""
    order = _ORDER.get(fmt)
    if order is None:
        return bool(x.array.flags.c_contiguous)
    if x.ndim != len(order):
        return False
    strides, expected = layout.strides(x), 1
    for d in reversed(order):
        if x.shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= x.shape[d]
    return True


def is_contiguous(input: Tensor, memory_format: Any = None) -> bool:
    """Whether x's strides are those of the format (row-major by default)."""
    fmt = _format("is_contiguous", memory_format)
    return is_laid_out(input, CONTIGUOUS if fmt is PRESERVE else fmt)


def _relaid(x: Tensor, fmt: MemoryFormat) -> Tensor:
    """A copy of x in the layout, in the graph as PyTorch's (CloneBackward0)."""
    _check_rank(fmt, x.ndim)
    out = apply(RULES["clone"], (x,))
    out.array = laid_out(x.array, fmt)
    return out


def contiguous(input: Tensor, memory_format: Any = None) -> Tensor:
    """x itself when already laid out as asked (row-major by default), else a copy that
    stays in the graph."""
    fmt = CONTIGUOUS if memory_format is None else _format("contiguous", memory_format)
    if fmt is CONTIGUOUS:
        return shape.contiguous(input)
    if is_contiguous(input, fmt):
        return input
    if fmt is PRESERVE:
        raise GdRuntimeError("preserve memory format is unsupported by the contiguous "
                             "operator")
    return _relaid(input, fmt)


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy that stays in the graph, keeping x's layout unless a format is asked for."""
    fmt = _format("clone", memory_format)
    if fmt is PRESERVE:
        return _plain_clone(input)
    return _relaid(input, fmt)


def with_format(op: str, made: Tensor, like: np.ndarray | None, memory_format: Any) -> Tensor:
    """`made` (a new leaf) laid out as `memory_format` asks: preserve_format (the
    default) takes `like`'s layout; None for `like` means row-major."""
    fmt = _format(op, memory_format)
    if fmt is PRESERVE:
        if like is None or [s // like.itemsize for s in like.strides] == [
                s // made.array.itemsize for s in made.array.strides]:
            return made
        out = _empty_like(like, made.array.dtype)
        out[...] = made.array
        made.array = out
        return made
    _check_rank(fmt, made.ndim)
    if fmt is not CONTIGUOUS:
        made.array = laid_out(made.array, fmt)
    return made


def _like(name: str) -> Any:
    original = _original(f"torch.{name}")

    def make(input: Any, *args: Any, memory_format: Any = None, **kwargs: Any) -> Tensor:
        out = original(input, *args, **kwargs)
        like = input.array if type(input) is Tensor else None
        return with_format(name, out, like, memory_format)

    make.__name__ = name
    make.__doc__ = original.__doc__
    return make


def _empty(*size: Any, memory_format: Any = None, **kwargs: Any) -> Tensor:
    """An uninitialised tensor of a size (zeros here), row-major or in the format asked."""
    out = _plain_empty(*size, **kwargs)
    if memory_format is not None and _format("empty", memory_format) is PRESERVE:
        raise GdRuntimeError("unsupported memory format Preserve")
    return with_format("empty", out, None, memory_format)


def to_format(x: Tensor, out: Tensor, memory_format: Any) -> Tensor:
    """x.to(..., memory_format=fmt) given `out`, x.to(...) without it: x itself when it is
    laid out so, else a copy in the layout (ToCopyBackward0, as PyTorch's _to_copy)."""
    fmt = _format("to", memory_format)
    if fmt is PRESERVE or (out is x and _suggested(x) is fmt):
        return out
    if out is x:
        out = apply(RULES["to_dtype"], (x,), {"dtype": x.array.dtype})
    out.array = laid_out(out.array, fmt)
    return out


def _suggested(x: Tensor) -> MemoryFormat:
    """x.suggest_memory_format() (what to() compares, not the exact layout): channels-last
    for a 4-d (5-d) tensor laid out so and not contiguous, else contiguous (a transposed
    matrix too)."""
    for fmt, n in ((CHANNELS_LAST, 4), (CHANNELS_LAST_3D, 5)):
        if x.ndim == n and is_laid_out(x, fmt) and not x.array.flags.c_contiguous:
            return fmt
    return CONTIGUOUS


def cast(x: Tensor, out: Tensor, memory_format: Any) -> Tensor:
    """x.float(memory_format=...) and the other dtype methods given x.to(dtype) (`out`)."""
    return out if memory_format is None else to_format(x, out, memory_format)


_ORIGINAL: dict[str, Any] = {}


def _original(spelling: str) -> Any:
    return _ORIGINAL[spelling]


def _plain_clone(x: Tensor) -> Tensor:
    return _original("torch.clone")(x)


def _plain_empty(*size: Any, **kwargs: Any) -> Tensor:
    return _original("torch.empty")(*size, **kwargs)


def register() -> None:
    """Give the spellings that take `memory_format=` their format-aware forms (after the
    families that declare them)."""
    if _ORIGINAL:
        return
    _ORIGINAL.update((s, SURFACE[s]) for s in ("torch.clone", "torch.empty", *(
        f"torch.{n}" for n in _LIKES)))
    for spelling, fn in (("Tensor.is_contiguous", is_contiguous),
                         ("Tensor.contiguous", contiguous), ("torch.clone", clone),
                         ("Tensor.clone", clone), ("torch.empty", _empty),
                         *((f"torch.{n}", _like(n)) for n in _LIKES)):
        assert spelling in SURFACE, spelling
        SURFACE[spelling] = fn


_LIKES = ("zeros_like", "ones_like", "empty_like", "full_like")
