"""PyTorch's ready queue, where the engine needs its exact order: a std::priority_queue of
(sequence number, node) that libstdc++ keeps as a binary max-heap. With leaf hooks
registered, every leaf's AccumulateGrad is an entry too, all with the same top key, so the
order in which leaves made ready together complete (and their hooks print) is the heap's
sift order, not insertion order. The engine (ad/engine.py) takes this queue on passes with
leaf hooks, where those ties show; other passes keep heapq's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gradcli.ad.graph import Node, Tensor

#: A leaf's key in the ready queue: before every node (PyTorch's AccumulateGrad has
#: sequence number UINT64_MAX).
LEAF = -float("inf")


def stl_push(heap: list[tuple[Any, Any]], entry: tuple[Any, Any]) -> None:
    """std::push_heap (libstdc++) of entry on a max-heap by sequence number (entries hold
    its negation, as heapq's do): PyTorch's ready queue, a std::priority_queue."""
    key = entry[0]
    hole = len(heap)
    heap.append(entry)
    while hole:
        parent = (hole - 1) >> 1
        if heap[parent][0] > key:  # comp(parent, value): parent's number is smaller
            heap[hole] = heap[parent]
            hole = parent
        else:
            break
    heap[hole] = entry


def stl_pop(heap: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """std::pop_heap (libstdc++'s __adjust_heap, then __push_heap): the top entry; equal
    keys (leaves) leave in the order this sift gives them, not in insertion order."""
    top = heap[0]
    value = heap.pop()
    n = len(heap)
    if not n:
        return top
    hole = 0
    child = 0
    while child < (n - 1) >> 1:
        child = 2 * (child + 1)
        if heap[child][0] > heap[child - 1][0]:  # comp(right, left): take the left
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if not n & 1 and child == (n - 2) >> 1:
        child = 2 * (child + 1)
        heap[hole] = heap[child - 1]
        hole = child - 1
    key = value[0]
    while hole:
        parent = (hole - 1) >> 1
        if heap[parent][0] > key:
            heap[hole] = heap[parent]
            hole = parent
        else:
            break
    heap[hole] = value
    return top


def hooked_leaf_edges(outputs: Sequence[Tensor]) -> dict[int, int]:
    """For each leaf: how many edges of the graph behind outputs lead to it (with leaf
    hooks, every leaf's AccumulateGrad takes its place in the ready queue)."""
    counts: dict[int, int] = {}
    stack = [o.grad_fn for o in outputs if o.grad_fn is not None]
    seen = set(stack)
    while stack:
        for p in stack.pop().parents:
            if type(p) is Node:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
            elif p is not None:
                counts[id(p)] = counts.get(id(p), 0) + 1
    return counts
