"""torch.nn.utils.rnn's packed sequences, as torch/nn/utils/rnn.py and ATen compute them.

A PackedSequence is PyTorch's named tuple (data, batch_sizes, sorted_indices,
unsorted_indices): `data` holds the time steps one after another, each with the
sequences still running at that step (`batch_sizes[t]` rows). pack_padded_sequence
gathers them from a padded batch in one op (PackPaddedSequenceBackward0), sorting the batch
by length first unless enforce_sorted; pad_packed_sequence scatters them back (CopySlices)
and restores the batch order (IndexSelectBackward0). nn_rnn runs RNN/LSTM/GRU over one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import ops
from gradcli.ad.ops.indexing import getitem_raw
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Builtin, type_name

T = ops.members("Tensor")
TORCH = ops.members("torch")

_QUALNAME = "torch.nn.utils.rnn.PackedSequence"


class PackedSequence(NamedTuple):
    """torch.nn.utils.rnn.PackedSequence: prints as PyTorch's named tuple."""

    data: Tensor
    batch_sizes: Any
    sorted_indices: Any
    unsorted_indices: Any
    torch_type = _QUALNAME  # what type(p) prints

    def gd_repr(self, field_repr: Any) -> str:
        body = ", ".join(f"{f}={field_repr(x)}" for f, x in zip(self._fields, self, strict=True))
        return f"PackedSequence({body})"

    @staticmethod
    def gd_attribute(obj: PackedSequence, name: str) -> Any:
        """Its methods: to/cpu and the dtype conversions move `data` only, as PyTorch's."""
        from gradcli.interp.values import BoundMethod

        if name == "is_cuda":
            return False
        if name in _CONVERSIONS:
            return BoundMethod(obj, name, lambda p, *a, **k: _converted(p, name, a, k))
        if name == "is_pinned":
            return BoundMethod(obj, name, lambda p: False)
        raise GdRuntimeError(f"'PackedSequence' object has no attribute '{name}'",
                             py_type="AttributeError")


_CONVERSIONS = ("to", "cpu", "double", "float", "half", "long", "int", "short", "char",
                "byte")


def _converted(p: PackedSequence, name: str, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> PackedSequence:
    """PackedSequence.to and the conversions built on it: `data` converted, the same
    PackedSequence back when `data` comes back as it was (cpu() on the CPU: `to`)."""
    data = T["to" if name == "cpu" else name](p.data, *args, **kwargs) \
        if args or kwargs or name != "cpu" else p.data
    return p if data is p.data else p._replace(data=data)


def _invert(perm: Any) -> Any:
    if perm is None:
        return None
    out = np.empty_like(perm.array)
    out[perm.array] = np.arange(perm.array.size)
    return Tensor(out)


def _new_packed(cls: Any, data: Any, batch_sizes: Any = None, sorted_indices: Any = None,
                unsorted_indices: Any = None) -> PackedSequence:
    """PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices), as
    _packed_sequence_init: unsorted_indices defaults to sorted_indices' inverse."""
    if unsorted_indices is None:
        unsorted_indices = _invert(sorted_indices)
    return PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices)


class PackedSequenceClass(Builtin):
    """torch.nn.utils.rnn.PackedSequence: its constructor, standing for the class."""

    __slots__ = ()
    is_class = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.fn(None, *args, **kwargs)  # (cls: Python's count includes it)
        except TypeError as e:  # Python's words, naming the named tuple's __new__
            raise GdRuntimeError(str(e), py_type="TypeError") from None

    def instance_check(self, v: Any) -> bool:
        return type(v) is PackedSequence

    def __repr__(self) -> str:
        return f"<class '{_QUALNAME}'>"


_new_packed.__qualname__ = "PackedSequence.__new__"
PACKED_SEQUENCE = PackedSequenceClass(_QUALNAME, _new_packed)


def _batch_sizes(lengths: np.ndarray) -> np.ndarray:
    steps = int(lengths[0])
    return (lengths[None, :] > np.arange(steps)[:, None]).sum(1).astype(np.int64)


def pack_padded_sequence(input: Any, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T x B x * or, batch first, B x T x *) of sequences of the
    given lengths."""
    if type(input) is not Tensor:
        raise GdRuntimeError(f"pack_padded_sequence(): argument 'input' must be Tensor, not "
                             f"{type_name(input)}", py_type="TypeError")
    lengths = Tensor(np.asarray(lengths.array if type(lengths) is Tensor else lengths,
                                dtype=np.int64))
    sorted_indices = None
    batch_dim = 0 if batch_first else 1
    if not enforce_sorted:
        lengths, sorted_indices = TORCH["sort"](lengths, descending=True)
        input = T["index_select"](input, batch_dim, sorted_indices)
    lens = lengths.array
    if lens.ndim != 1:
        raise GdRuntimeError("'lengths' argument should be a 1D CPU int64 tensor, but got "
                             f"{lens.ndim}D cpu Long tensor")
    if input.array.size == 0:
        raise GdRuntimeError("Cannot pack empty tensors.")
    batch = input.shape[batch_dim]
    if lens.size != batch:
        raise GdRuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                             f"{lens.size} (batch_size={batch})")
    if lens[-1] <= 0:
        raise GdRuntimeError("Length of all samples has to be greater than 0, but found an "
                             "element in 'lengths' that is <= 0")
    if np.any(np.diff(lens) > 0):
        raise GdRuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
            "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
            "pack_sequence to sidestep this requirement if you do not need ONNX "
            "exportability.")
    steps = input.shape[1 - batch_dim]
    if lens[0] > steps:
        raise GdRuntimeError(f"Expected sequence length to be at most {steps}, but got "
                             f"{int(lens[0])}")
    sizes = _batch_sizes(lens)
    t = np.repeat(np.arange(sizes.size), sizes)
    b = np.concatenate([np.arange(n) for n in sizes])
    data = getitem_raw(input, (b, t) if batch_first else (t, b),
                       "PackPaddedSequenceBackward0")
    return _new_packed(None, data, Tensor(sizes), sorted_indices)


def pad_packed_sequence(sequence: Any, batch_first: bool = False, padding_value: Any = 0.0,
                        total_length: Any = None) -> tuple[Tensor, Tensor]:
    """The padded batch and the lengths of a PackedSequence (inverse of packing)."""
    data, batch_sizes, _, unsorted = sequence
    sizes = batch_sizes.array
    steps = sizes.size
    if total_length is not None:
        if total_length < steps:
            raise GdRuntimeError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{steps}", py_type="ValueError")
    else:
        total_length = steps
    batch = int(sizes[0])
    out = TORCH["full"]((total_length, batch, *data.shape[1:]), padding_value,
                        dtype=data.dtype)
    offset = 0
    for step, n in enumerate(sizes.tolist()):
        out[step, :n] = data[offset:offset + n]
        offset += n
    if batch_first:
        out = T["transpose"](out, 0, 1)
    lengths = (sizes[None, :] > np.arange(batch)[:, None]).sum(1).astype(np.int64)
    lengths_t = Tensor(lengths)
    if unsorted is not None:
        out = T["index_select"](out, 0 if batch_first else 1, unsorted)
        lengths_t = Tensor(lengths[unsorted.array])
    return out, lengths_t


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of variable-length sequences (L_i x *)."""
    from gradcli.interp.nn_init import pad_sequence

    seqs = list(sequences)
    lengths = Tensor(np.asarray([s.shape[0] for s in seqs], dtype=np.int64))
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: Any) -> list[Tensor]:
    """The list of sequences a PackedSequence holds."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return [x[:int(n)] for x, n in zip(T["unbind"](padded, 0), lengths.array, strict=True)]


def unpad_sequence(padded_sequences: Tensor, lengths: Any,
                   batch_first: bool = False) -> list[Tensor]:
    """The list of sequences of a padded batch, each cut to its length (a boolean mask)."""
    if not batch_first:
        padded_sequences = T["transpose"](padded_sequences, 0, 1)
    idx = TORCH["arange"](padded_sequences.shape[1])
    lens = lengths.array if type(lengths) is Tensor else np.asarray(lengths)
    return [seq[T["lt"](idx, int(n))] for seq, n in
            zip(T["unbind"](padded_sequences, 0), lens, strict=True)]


def invert_permutation(permutation: Any) -> Any:
    """The inverse of a permutation of 0..n-1 (None stays None): arange scattered to it."""
    if permutation is None:
        return None
    out = TORCH["empty_like"](permutation)
    return T["scatter_"](out, 0, permutation, TORCH["arange"](permutation.shape[0]))


FUNCTIONS = {"pack_padded_sequence": pack_padded_sequence, "invert_permutation": invert_permutation,
             "pad_packed_sequence": pad_packed_sequence, "pack_sequence": pack_sequence,
             "unpack_sequence": unpack_sequence, "unpad_sequence": unpad_sequence}
