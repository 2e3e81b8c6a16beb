"""How PyTorch's TensorIterator orders a tensor's dims: the memory order its elementwise
kernels walk, and the layout it gives an output (kernels/vecmath's vector loop, dropout's
noise, a unary op's result)."""

from __future__ import annotations

from collections.abc import Sequence


def reorder_dimensions(shape: Sequence[int], strides: Sequence[Sequence[int]]) -> list[int]:
    """TensorIterator's reorder_dimensions for operands of these strides (one sequence an
    operand, 0 where broadcast) over `shape`: the dims innermost first. An insertion sort
    from the last dim; a broadcast stride defers to the next operand, equal strides put
    the smaller dim inside, and what no operand decides keeps its place."""
    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))

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

    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm
