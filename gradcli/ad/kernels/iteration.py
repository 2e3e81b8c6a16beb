"""How PyTorch's TensorIterator orders a tensor's dims: the memory order its elementwise
kernels walk, and the layout it gives an output (kernels/vecmath's vector loop, dropout's
noise, a unary op's result)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def reorder_dimensions(shape: Sequence[int], strides: Sequence[Sequence[int]]) -> list[int]:
    """TensorIterator's reorder_dimensions for operands of these strides (one sequence an
    operand, 0 where broadcast) over `shape`: the dims innermost first. An insertion sort
    from the last dim; a broadcast stride defers to the next operand, equal strides put
    the smaller dim inside, and what no operand decides keeps its place."""
    ndim = len(shape)

    def should_swap(d0: int, d1: int) -> int:
        for st in strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    return sorted_dims(ndim, should_swap)


def sorted_dims(ndim: int, should_swap: Callable[[int, int], int]) -> list[int]:
    """The dims from innermost to outermost: PyTorch's insertion sort (TensorIterator's
    reorder_dimensions) from the reversed order, where should_swap(a, b) > 0 puts b
    before a, < 0 stops, and 0 (ambiguous) looks further."""
    perm = list(reversed(range(ndim)))
    for i in range(1, ndim):
        j = i
        for k in reversed(range(i)):
            c = should_swap(perm[k], perm[j])
            if c > 0:
                perm[k], perm[j] = perm[j], perm[k]
                j = k
            elif c < 0:
                break
    return perm


def dense(a: Any) -> bool:
    """Whether a numpy array's elements fill a block of memory with no gaps or overlaps
    (PyTorch's is_non_overlapping_and_dense)."""
    if a.flags.f_contiguous:
        return True
    step = a.dtype.itemsize
    dims = sorted((abs(s), n) for n, s in zip(a.shape, a.strides, strict=True) if n != 1)
    for stride, size in dims:
        if stride != step:
            return False
        step *= size
    return True
