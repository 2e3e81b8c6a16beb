"""Round 24, real numerical / probability scripts from public repositories (distributions,
Monte Carlo estimates, torch.func, linear algebra, statistics): the classes they found,
each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# Python's own consumers of an iterable, handed a tensor, walk its rows as PyTorch's
# Tensor.__iter__ gives them (iter(t.unbind(0)), each row a tensor with UnbindBackward0):
# Counter, dict.fromkeys, set.update, list.extend, deque, itertools, heapq, reduce.
# A 0-d tensor is no iterable (TypeError).
_HOST_ITERATION = """
import torch
import collections, itertools, heapq, functools
w = torch.tensor([0.5, 2.0, 0.5], requires_grad=True)
rows = w * 2
tally = collections.Counter(rows)
print(len(tally), list(tally.values()))
first = next(iter(tally))
print(first, first.grad_fn.name())
print(len(dict.fromkeys(rows, 0)))
seen = set()
seen.update(torch.tensor([4, 4, 1]))
print(len(seen))
acc = []
acc.extend(torch.arange(3))
print(acc)
print(collections.deque(torch.tensor([7, 8, 9]), maxlen=2))
print(list(itertools.chain(torch.ones(2), torch.zeros(1))))
print(list(itertools.islice(torch.arange(6), 1, 5, 2)))
print(heapq.nlargest(2, torch.tensor([3.0, 1.0, 2.0])))
print(functools.reduce(lambda a, b: a * b, torch.tensor([2.0, 3.0, 4.0])))
m = torch.arange(6).reshape(3, 2)
print(collections.Counter(tuple(r.tolist()) for r in m).most_common(1))
print(list(dict.fromkeys(m))[2])
for bad in (torch.tensor(3.0), torch.tensor(1)):
    try:
        collections.Counter(bad)
    except TypeError as e:
        print("TypeError", e)
"""


def test_python_consumers_iterate_a_tensor_by_rows() -> None:
    assert gd_output(_HOST_ITERATION) == torch_output(_HOST_ITERATION)


# numpy's index tricks, which scientific scripts use to build a grid before loading it into
# tensors (np.mgrid[-4:4:0.01, ...] then torch.Tensor(X)): mgrid (real steps and complex
# counts), ogrid, r_, c_, s_, index_exp; results numpy's own.
_NUMPY_INDEX_TRICKS = """
import numpy as np
import torch
Y, X = np.mgrid[0:1:0.25, 2:3:0.5]
print(X, Y, X.dtype)
rows, cols = np.mgrid[0:3, 0:2]
print(rows.shape, cols.tolist())
print(np.mgrid[-1:1:5j])
print(np.ogrid[0:3, 0:2])
print(np.r_[1:4, 0, 7], np.r_[np.array([1, 2]), np.array([3])])
print(np.c_[np.array([1, 2]), np.array([3, 4])])
print(np.s_[1:3], np.index_exp[::2], np.arange(10)[np.s_[2:8:3]])
z = torch.complex(torch.Tensor(X), torch.Tensor(Y))
print(z.dtype, z.shape, type(np.mgrid).__name__)
"""


def test_numpy_index_tricks_build_grids() -> None:
    assert gd_output(_NUMPY_INDEX_TRICKS) == torch_output(_NUMPY_INDEX_TRICKS)
