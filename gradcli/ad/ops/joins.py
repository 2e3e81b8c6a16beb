"""Splits, joins and reorderings: split/chunk/tensor_split, the stack family, meshgrid,
broadcast_tensors, atleast_*d, repeat/tile/repeat_interleave, roll, rot90, fliplr/flipud,
movedim/swapaxes, narrow/select/unflatten, any/all and the triangle indices."""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, as_one_node, tensor_from_array
from gradcli.ad.kernels import indexing as KI
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.creation import _as_tensor, _creation_dtype, _shape_args
from gradcli.ad.ops.devices import torch_error
from gradcli.ad.ops.indexing import getitem_raw
from gradcli.ad.ops.selection import index_select_raw
from gradcli.ad.ops.shape import (
    _wrap_dim,
    cat,
    expand,
    flatten,
    flip,
    permute,
    reshape,
    transpose,
    unsqueeze,
)
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError

# -- splits ----------------------------------------------------------------------------


def _part(x: Tensor, dim: int, start: int, length: int, name: str, index: int) -> Tensor:
    return apply(_RULES["split_part"], (x,), {"dim": dim, "start": start, "length": length,
                                              "name": name, "index": index})


def type_name(v: Any) -> str:
    """The name PyTorch's argument parser gives a value's type (a program's class by its
    own name, a numpy value as numpy.int64)."""
    if type(v) is Tensor:
        return "Tensor"
    label = getattr(v, "type_label", None)  # a gd class's instance
    if callable(label):
        return str(label())
    name = getattr(v, "type_name", None)  # a numpy value
    if isinstance(name, str):
        return name
    return "NoneType" if v is None else type(v).__name__


def split_sizes_argument(v: Any, position: int) -> list[int]:
    """split_with_sizes's `split_sizes` as PyTorch's argument parser takes it: a list or
    tuple of ints (elements with __index__, one-element tensors), never a bool or float."""
    def refuse(what: str) -> GdRuntimeError:
        return GdRuntimeError(f"split_with_sizes(): argument 'split_sizes' (position "
                              f"{position}) must be tuple of ints, {what}",
                              py_type="TypeError")

    if not isinstance(v, (list, tuple)):
        raise refuse(f"not {type_name(v)}")
    sizes = []
    for i, e in enumerate(v):
        if type(e) is bool or type(e) is float:
            raise refuse(f"but found element of type {type_name(e)} at pos {i}")
        try:
            sizes.append(operator.index(e))
        except (TypeError, ValueError):
            raise refuse(f"but found element of type {type_name(e)} at pos {i}") from None
    return sizes


def split_argument(v: Any, dim: Any) -> Any:
    """Tensor.split's dispatch (torch/_tensor.py): a tensor becomes int(t) when it can, an
    int splits in pieces of that size, anything else is split_with_sizes's sizes."""
    if type(v) is Tensor and v.numel() == 1:
        v = int(v)
    if type(v) is int:
        return v
    if type(v) is bool:
        types = f"Tensor, bool, {type_name(dim)}"
        marked = f"Tensor, !bool!, !{type_name(dim)}!"
        raise GdRuntimeError(
            f"split() received an invalid combination of arguments - got ({types}), but "
            "expected one of:\n * (Tensor input, int split_size, int dim = 0)\n      didn't "
            f"match because some of the arguments have invalid types: ({marked})\n * (Tensor "
            "input, tuple of ints split_size, int dim = 0)\n      didn't match because some "
            f"of the arguments have invalid types: ({marked})\n", py_type="TypeError")
    return split_sizes_argument(v, 2)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of split_size along dim (the last may be smaller), or of the given sizes:
    views (SplitBackward0 / SplitWithSizesBackward0, one node per piece)."""
    x = tensor
    split_size_or_sections = split_argument(split_size_or_sections, dim)
    if x.ndim == 0:
        raise GdRuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise GdRuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={sizes}")
        name = "SplitWithSizesBackward0"
    else:
        size = int(split_size_or_sections)
        if size < 0:
            raise GdRuntimeError(f"split expects split_size be non-negative, but got "
                                 f"split_size={size}")
        if size == 0 and n:
            raise GdRuntimeError("split_size can only be 0 if dimension size is 0, but got "
                                 f"dimension size of {n}")
        count = max(1, math.ceil(n / size)) if size else 1
        sizes = [min(size, n - i * size) for i in range(count)]
        name = "SplitBackward0"
    out = []
    start = 0
    for i, s in enumerate(sizes):
        out.append(_part(x, d, start, s, name, i))
        start += s
    as_one_node(out)
    return tuple(out)


def split_method(self: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """x.split(split_size, dim)."""
    return split(self, split_size, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most `chunks` pieces of equal size along dim (SplitBackward0)."""
    if chunks <= 0:
        raise GdRuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if input.ndim == 0:
        raise GdRuntimeError("chunk expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] == 0:  # PyTorch's chunk: `chunks` empty pieces, split_with_sizes
        return split(input, [0] * chunks, d)
    return split(input, max(1, math.ceil(input.shape[d] / chunks)), d)


def _slice_along(x: Tensor, d: int, start: int, stop: int) -> Tensor:
    return getitem_raw(x, (slice(None),) * d + (slice(start, stop),), "SliceBackward0")


def tensor_split(input: Tensor, indices_or_sections: Any = None, dim: int = 0,
                 sections: Any = None, indices: Any = None) -> tuple[Tensor, ...]:
    """Pieces along dim: `sections` nearly equal ones, or cut before each of `indices`
    (SliceBackward0 each)."""
    spec = next((s for s in (indices_or_sections, sections, indices) if s is not None), None)
    if input.ndim == 0:
        raise GdRuntimeError("tensor_split expected at least a 1-dimensional tensor, but got "
                             "a tensor with 0 dims")
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if type(spec) is Tensor:
        if spec.array.dtype != np.int64:
            from gradcli.ad.kernels.messages import scalar_name

            raise GdRuntimeError("tensor_split expected tensor_indices_or_sections to have "
                                 f"dtype of long, but got {scalar_name(spec.array.dtype)}")
        if spec.ndim > 1:
            raise GdRuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                                 "zero-dimensional or one-dimensional tensor, but got a "
                                 f"tensor with {spec.ndim} dims")
        spec = spec.array.tolist()
    if isinstance(spec, (list, tuple)):
        cuts = [0, *(int(i) for i in spec), n]
    else:
        k = int(spec)
        if k <= 0:
            raise GdRuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        cuts = [0]
        for i in range(k):
            cuts.append(cuts[-1] + q + (1 if i < r else 0))
    out = []
    for a, b in itertools.pairwise(cuts):
        a = min(max(a if a >= 0 else a + n, 0), n)
        b = min(max(b if b >= 0 else b + n, 0), n)
        out.append(_slice_along(input, d, a, max(a, b)))
    return tuple(out)


def _split_at(x: Tensor, spec: Any, d: int, fn: str) -> tuple[Tensor, ...]:
    if isinstance(spec, int) and (spec == 0 or x.shape[d] % spec):
        raise GdRuntimeError(
            f"torch.{fn} attempted to split along dimension {d}, but the size of the dimension "
            f"{x.shape[d]} is not divisible by the split_size {spec}!")
    return tensor_split(x, spec, d)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """tensor_split along dim 1 (dim 0 for a 1-D tensor)."""
    if input.ndim < 1:
        raise GdRuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but "
                             f"got a tensor with {input.ndim} dimensions!")
    return _split_at(input, indices_or_sections, 1 if input.ndim > 1 else 0, "hsplit")


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """tensor_split along dim 0 (at least 2-D)."""
    if input.ndim < 2:
        raise GdRuntimeError("torch.vsplit requires a tensor with at least 2 dimension, but "
                             f"got a tensor with {input.ndim} dimensions!")
    return _split_at(input, indices_or_sections, 0, "vsplit")


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """tensor_split along dim 2 (at least 3-D)."""
    if input.ndim < 3:
        raise GdRuntimeError("torch.dsplit requires a tensor with at least 3 dimension, but "
                             f"got a tensor with {input.ndim} dimensions!")
    return _split_at(input, indices_or_sections, 2, "dsplit")


# -- joins -----------------------------------------------------------------------------

def _tensors(args: Sequence[Any]) -> list[Tensor]:
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = args[0]
    return [_as_tensor(t) for t in args]


def _one_or_tuple(ts: list[Tensor], many: bool) -> Any:
    return tuple(ts) if many else ts[0]


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (a 0-d one viewed as shape (1,))."""
    ts = _tensors(tensors)
    out = [reshape(t, (1,)) if t.ndim == 0 else t for t in ts]
    return _one_or_tuple(out, len(ts) != 1 or isinstance(tensors[0], (list, tuple)))


def _at2(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return reshape(t, (1, 1))
    return unsqueeze(t, 0) if t.ndim == 1 else t


def _at3(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return reshape(t, (1, 1, 1))
    if t.ndim == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if t.ndim == 2 else t


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims (a 1-D one as a row)."""
    ts = _tensors(tensors)
    return _one_or_tuple([_at2(t) for t in ts],
                         len(ts) != 1 or isinstance(tensors[0], (list, tuple)))


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims."""
    ts = _tensors(tensors)
    return _one_or_tuple([_at3(t) for t in ts],
                         len(ts) != 1 or isinstance(tensors[0], (list, tuple)))


def hstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenated along dim 1 (dim 0 for 1-D tensors)."""
    ts = [atleast_1d(t) for t in _tensors([tensors])]
    return cat(ts, 0 if all(t.ndim == 1 for t in ts) else 1)


def vstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenated along dim 0, 1-D tensors as rows."""
    return cat([_at2(t) for t in _tensors([tensors])], 0)


def dstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenated along dim 2."""
    return cat([_at3(t) for t in _tensors([tensors])], 2)


def column_stack(tensors: Sequence[Any]) -> Tensor:
    """0-d and 1-D tensors as columns, concatenated along dim 1."""
    ts = [reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in _tensors([tensors])]
    return cat(ts, 1)


def broadcast_tensors(*tensors: Any) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape (ExpandBackward0)."""
    ts = _tensors(tensors)
    shape: tuple[int, ...] = ()
    for t in ts:
        shape = _broadcast_pair(shape, t.shape)
    return tuple(t if t.shape == shape else expand(t, shape) for t in ts)


def _broadcast_pair(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = max(len(a), len(b))
    a2, b2 = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    out = []
    for i, (p, q) in enumerate(zip(a2, b2, strict=True)):
        if p != q and p != 1 and q != 1:
            raise GdRuntimeError(f"The size of tensor a ({p}) must match the size of tensor b "
                                 f"({q}) at non-singleton dimension {i}")
        out.append(q if p == 1 else p)
    return tuple(out)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors ('ij': matrix indexing, 'xy': Cartesian)."""
    ts = _tensors(tensors)
    mode = "ij" if indexing is None else indexing
    if mode not in ("ij", "xy"):
        raise GdRuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but '
                             f"received: {mode}")
    for t in ts:
        if t.ndim > 1:
            raise GdRuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                                 f"but got: {t}")
    if any(t.array.dtype != ts[0].array.dtype for t in ts):  # PyTorch never promotes here
        raise GdRuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = mode == "xy" and len(ts) >= 2
    order = [1, 0, *range(2, len(ts))] if swap else list(range(len(ts)))
    grid = [ts[i] for i in order]
    shape = tuple(t.numel() for t in grid)
    out = []
    for k, t in enumerate(grid):
        view = [1] * len(grid)
        view[k] = shape[k]
        out.append(expand(reshape(t, tuple(view)), shape))
    if swap:
        out[0], out[1] = out[1], out[0]
    return tuple(out)


# -- repeats and reorderings -----------------------------------------------------------

def repeat(self: Tensor, *repeats: Any) -> Tensor:
    """x tiled repeats[i] times along each dim (RepeatBackward0)."""
    reps = _shape_args(repeats)
    if len(reps) < self.ndim:
        raise GdRuntimeError("Number of dimensions of repeat dims can not be smaller than "
                             "number of dimensions of tensor")
    if any(r < 0 for r in reps):
        raise GdRuntimeError(f"Trying to create tensor with negative dimension {min(reps)}: "
                             f"{list(reps)}")
    return apply(_RULES["repeat"], (self,), {"repeats": reps})


def repeat_method(self: Tensor, *repeats: Any, **kwargs: Any) -> Tensor:
    """x.repeat(*sizes) / x.repeat(repeats=...)."""
    if "repeats" in kwargs:
        return repeat(self, kwargs["repeats"])
    return repeat(self, *repeats)


def tile(input: Tensor, dims: Any) -> Tensor:
    """x repeated along each dim, dims padded with leading 1s (RepeatBackward0)."""
    reps = _shape_args((dims,))
    reps = (1,) * (input.ndim - len(reps)) + reps
    return repeat(input, reps)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None,
                      output_size: int | None = None) -> Tensor:
    """Each element (slice along dim) repeated: an int count (a flattened copy without
    dim), or per element from a tensor of counts (IndexSelectBackward0)."""
    if repeats is None:  # torch.repeat_interleave(counts): indices repeated by counts
        counts = _counts(input, alone=True)  # the indices in the counts' dtype
        _allocated(counts, output_size)
        return tensor_from_array(np.repeat(np.arange(counts.size), counts).astype(counts.dtype))
    x = flatten(input) if dim is None else input
    d = 0 if dim is None else _wrap_dim(dim, input.ndim)
    if type(repeats) is Tensor and repeats.array.dtype.kind not in "iu":
        raise torch_error(f'"repeat_interleave_cpu" not implemented for '
                          f"'{scalar_name(repeats.array.dtype)}'", "NotImplementedError")
    if (type(repeats) is Tensor and repeats.numel() != 1) or isinstance(repeats, (list, tuple)):
        counts = _counts(repeats) if type(repeats) is Tensor else \
            np.asarray(repeats).reshape(-1)
        if counts.size != x.shape[d]:
            raise GdRuntimeError("repeats must have the same size as input along dim, but got "
                                 f"repeats.size(0) = {counts.size} and input.size({d}) = "
                                 f"{x.shape[d]}")
        if type(repeats) is Tensor:
            _allocated(counts, output_size)
        index = np.repeat(np.arange(counts.size), counts).astype(np.int64)
        return index_select_raw(x, d, index)
    r = int(repeats.item() if type(repeats) is Tensor else repeats)
    if r < 0:
        raise GdRuntimeError("Repeats must be non-negative")
    if output_size is not None:
        if type(repeats) is Tensor:
            _allocated(np.full(x.shape[d], r), output_size)
        elif output_size != r * x.shape[d]:
            raise GdRuntimeError(f"repeat_interleave: Invalid output_size, expected "
                                 f"{r * x.shape[d]} but got {output_size}")
    u = unsqueeze(x, d + 1)
    shape = list(u.shape)
    shape[d + 1] = r
    # ATen's: the expanded input cloned contiguous, then viewed (ViewBackward0)
    from gradcli.ad.ops.memory_format import CONTIGUOUS
    from gradcli.ad.ops.memory_format import clone as clone_as
    return flatten(clone_as(expand(u, tuple(shape)), memory_format=CONTIGUOUS), d, d + 1)


def _allocated(counts: np.ndarray, output_size: Any) -> None:
    """A tensor of counts with output_size: ATen's kernel checks the total it was given."""
    if output_size is not None and int(counts.sum()) != output_size:
        raise GdRuntimeError("allocated size does not match required size")


def _counts(repeats: Tensor, alone: bool = False) -> np.ndarray:
    """repeat_interleave's tensor of counts: 1-D (or one value), integers, none negative
    (alone: the counts-only form, which words a 2-D tensor its own way)."""
    c = repeats.array
    if c.dtype.kind not in "iu":
        raise torch_error(f'"repeat_interleave_cpu" not implemented for '
                          f"'{scalar_name(c.dtype)}'", "NotImplementedError")
    if c.ndim > 1:
        raise GdRuntimeError("repeat_interleave only accept 1D vector as repeat" if alone
                             else "repeats must be 0-dim or 1-dim tensor")
    if (c < 0).any():
        raise GdRuntimeError("repeats can not be negative")
    return c.reshape(-1)


def roll_raw(x: Tensor, shifts: tuple[int, ...], dims: tuple[int, ...]) -> Tensor:
    """roll with wrapped dims (the rules' form)."""
    return apply(_RULES["roll"], (x,), {"shifts": shifts, "dims": dims})


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Elements shifted cyclically along dims; without dims, of the flattened tensor
    (RollBackward0)."""
    s = (shifts,) if isinstance(shifts, int) else tuple(int(v) for v in shifts)
    d = () if dims is None else ((dims,) if isinstance(dims, int) else tuple(dims))
    if not d and len(s) != 1:
        raise GdRuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:0")
    if d and len(s) != len(d):
        raise GdRuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, "
                             f"dims:{len(d)}")
    return roll_raw(input, s, tuple(_wrap_dim(v, input.ndim) for v in d))


def rot90_raw(x: Tensor, k: int, dims: tuple[int, int]) -> Tensor:
    """rot90 with wrapped dims."""
    return apply(_RULES["rot90"], (x,), {"k": k % 4, "dims": dims})


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """input rotated by k quarter turns from dims[0] towards dims[1] (Rot90Backward0)."""
    dd = list(dims)
    if len(dd) != 2:
        raise GdRuntimeError(f"expected total rotation dims == 2, but got dims = {len(dd)}")
    if input.ndim < 2:
        raise GdRuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    a, b = _wrap_dim(dd[0], input.ndim), _wrap_dim(dd[1], input.ndim)
    if a == b:
        raise GdRuntimeError("expected rotation dims to be different, but got dim0 = "
                             f"{a} and dim1 = {b}")
    return rot90_raw(input, k, (a, b))


def fliplr(input: Tensor) -> Tensor:
    """Columns in reverse order (FlipBackward0)."""
    if input.ndim < 2:
        raise GdRuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:
    """Rows in reverse order (FlipBackward0)."""
    if input.ndim < 1:
        raise GdRuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Dims moved from source to destination positions, the others in order
    (PermuteBackward0)."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise GdRuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should "
            f"contain the same number of dims as destination ({dst} dims)")
    n = input.ndim
    s = [_wrap_dim(v, n) for v in src]
    t = [_wrap_dim(v, n) for v in dst]
    for name, dims in (("source", s), ("destination", t)):
        if len(set(dims)) != len(dims):
            raise GdRuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    order = [-1] * n
    for a, b in zip(s, t, strict=True):
        order[b] = a
    rest = iter(d for d in range(n) if d not in s)
    order = [next(rest) if o == -1 else o for o in order]
    return permute(input, tuple(order))


def mT(input: Tensor, attribute: str = "mT") -> Tensor:
    """x.mT / x.mH (real tensors): the last two dims swapped (TransposeBackward0); of a
    0-D tensor the tensor itself, with PyTorch's deprecation warning."""
    if not input.ndim:
        _zero_dim_warning(attribute)
        return input
    if input.ndim < 2:
        raise GdRuntimeError(f"tensor.{attribute} is only supported on matrices or batches of "
                             f"matrices. Got {input.ndim}-D tensor.")
    return transpose(input, -2, -1)


def _conjugated(t: Tensor) -> Tensor:
    """A complex tensor's conjugate (complex tensors carry no graph); a real one itself."""
    return tensor_from_array(np.conj(t.array)) if t.dtype.kind == "c" else t


def mH(input: Tensor) -> Tensor:
    """x.mH: the conjugate transpose of the last two dims (for real tensors, x.mT)."""
    return _conjugated(mT(input, "mH"))


def _zero_dim_warning(attribute: str) -> None:
    """PyTorch 2.13's warning for x.mT, x.mH, x.H of a 0-D tensor (the identity there)."""
    warn(f"Tensor.{attribute} is deprecated on 0-D tensors. "
         + ("This function is the identity in these cases." if attribute == "mT"
            else "Consider using x.conj()."), once=True)


def H(input: Tensor) -> Tensor:
    """x.H (a real matrix): its transpose (TransposeBackward0); of a 0-D tensor the tensor
    itself, with PyTorch's deprecation warning."""
    if not input.ndim:
        _zero_dim_warning("H")
        return _conjugated(input)
    if input.ndim != 2:
        raise GdRuntimeError("tensor.H is only supported on matrices (2-D tensors). Got "
                             f"{input.ndim}-D tensor."
                             + (" For batches of matrices, consider using tensor.mH"
                                if input.ndim > 2 else ""))
    return _conjugated(transpose(input, 0, 1))


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """transpose(axis0, axis1) (TransposeBackward0)."""
    return transpose(input, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """transpose(dim0, dim1) (TransposeBackward0)."""
    return transpose(input, dim0, dim1)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """The view of `length` elements from `start` along dim (SliceBackward0)."""
    if input.ndim == 0:
        raise GdRuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    st = int(start.item() if type(start) is Tensor else start)
    if not -n <= st <= n:
        raise GdRuntimeError(f"start out of range (expected to be in range of [{-n}, {n}], but "
                             f"got {st})")
    if st < 0:
        st += n
    if length < 0:
        raise GdRuntimeError("narrow(): length must be non-negative.")
    if st + length > n:
        raise GdRuntimeError(f"start ({st}) + length ({length}) exceeds dimension size ({n}).")
    return _slice_along(input, d, st, st + length)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The view at index along dim, that dim removed (SelectBackward0)."""
    if input.ndim == 0:
        raise GdRuntimeError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    i = int(index)
    if not -n <= i < n:
        raise GdRuntimeError(f"select(): index {i} out of range for tensor of size "
                             f"{list(input.shape)} at dimension {d}")
    return getitem_raw(input, (slice(None),) * d + (i % n,), "SelectBackward0")


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """dim split into sizes (one may be -1) (ViewBackward0)."""
    d = _wrap_dim(dim, input.ndim)
    s = list(_shape_args((sizes,)))
    n = input.shape[d]
    if s.count(-1) == 1:
        known = math.prod(v for v in s if v != -1)
        if known and n % known == 0:
            s[s.index(-1)] = n // known
    if math.prod(s) != n or -1 in s:
        raise GdRuntimeError(f"unflatten: Provided sizes {list(_shape_args((sizes,)))} don't "
                             f"multiply up to the size of dim {d} ({n}) in the input tensor")
    return reshape(input, (*input.shape[:d], *s, *input.shape[d + 1:]))


# -- boolean reductions and index grids ------------------------------------------------

def _logical(fn: Any, x: Tensor, dim: Any, keepdim: bool) -> Tensor:
    a = x.array
    # ATen keeps uint8 for uint8 inputs (0 or 1: the legacy byte masks), bool for the rest
    out_dt = np.dtype(np.uint8) if a.dtype == np.uint8 else np.dtype(np.bool_)
    if dim is None:  # keepdim=True keeps every dim, as size 1 (PyTorch's (1, 1) of a matrix)
        out = np.asarray(fn(a)).astype(out_dt)
        return tensor_from_array(out.reshape((1,) * a.ndim) if keepdim else out)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    wrapped = tuple(_wrap_dim(v, x.ndim) for v in dims)
    dup = next((v for i, v in enumerate(wrapped) if v in wrapped[:i]), None)
    if dup is not None:
        raise GdRuntimeError(f"dim {dup} appears multiple times in the list of dims")
    axes = wrapped if x.ndim else ()
    out = fn(a, axis=axes, keepdims=bool(keepdim)) if x.ndim else a.astype(bool)
    return tensor_from_array(np.asarray(out).astype(out_dt))


def any_(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether any element (along dim) is nonzero, as a bool tensor."""
    return _logical(np.any, _as_tensor(input), dim, keepdim)


def all_(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether every element (along dim) is nonzero, as a bool tensor."""
    return _logical(np.all, _as_tensor(input), dim, keepdim)


def _tri_indices(name: str, upper: bool, row: int, col: int, offset: int, dtype: Any,
                 requires_grad: bool) -> Tensor:
    dt = _creation_dtype(dtype, np.dtype(np.int64))
    if dt.kind not in "iu":  # ATen dispatches on the integer types only
        raise GdRuntimeError(f'"{name}" not implemented for \'{scalar_name(dt)}\'',
                             py_type="NotImplementedError")
    if requires_grad:
        raise GdRuntimeError(
            "Only Tensors of floating point and complex dtype can require gradients")
    return tensor_from_array(KI.tri_indices(row, col, offset, upper).astype(dt))


def triu_indices(row: int, col: int, offset: int = 0, dtype: Any = None,
                 requires_grad: bool = False, **_: Any) -> Tensor:
    """The (2, n) indices of the upper triangle of a row × col matrix."""
    return _tri_indices("triu_indices", True, row, col, offset, dtype, requires_grad)


def tril_indices(row: int, col: int, offset: int = 0, dtype: Any = None,
                 requires_grad: bool = False, **_: Any) -> Tensor:
    """The (2, n) indices of the lower triangle of a row × col matrix."""
    return _tri_indices("tril_indices", False, row, col, offset, dtype, requires_grad)


# -- PyTorch spellings ------------------------------------------------------------------

for _fn in (chunk, tensor_split, hsplit, vsplit, dsplit, roll, rot90, fliplr, flipud, movedim,
            swapaxes, swapdims, narrow, select, unflatten, tile, repeat_interleave):
    expose(_fn, f"torch.{_fn.__name__}", f"Tensor.{_fn.__name__}", family="shape")
expose(any_, "torch.any", "Tensor.any", family="shape")
expose(all_, "torch.all", "Tensor.all", family="shape")
expose(movedim, "torch.moveaxis", "Tensor.moveaxis", family="shape")
expose(split, "torch.split", family="shape")
expose(split_method, "Tensor.split", family="shape")
expose(repeat_method, "Tensor.repeat", family="shape")
for _fn in (atleast_1d, atleast_2d, atleast_3d, hstack, vstack, dstack, column_stack,
            broadcast_tensors, meshgrid, triu_indices, tril_indices):
    expose(_fn, f"torch.{_fn.__name__}", family="shape")
expose(vstack, "torch.row_stack", family="shape")
