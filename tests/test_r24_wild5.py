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


# numpy's dtypes as scientific scripts spell them: Python's types and dtype names as array
# method arguments (`x.astype(float)`, `.astype("float32")`, `sort(kind="stable")`), a
# dtype's attributes and its equality with np.float64, float and 'float64', np.dtype and
# the abstract scalar types issubdtype tests against.
_NUMPY_DTYPES = """
import numpy as np
a = np.array([[3.5, 1.25], [2.0, -1.0]])
print(a.astype(float), a.astype(int), a.astype(bool), a.astype(complex))
print(a.astype("float32").dtype, a.astype("i8").tolist(), a.reshape(4, order="F"))
b = a.copy()
b.sort(kind="stable")
print(b, a.argsort(kind="mergesort"))
d = a.dtype
print(d.name, d.itemsize, d.char, d == np.float64, d == float, d == "float64",
      d == "f8", d != np.float32, np.float64 == d, d == len)
print(np.dtype(float), repr(np.dtype("int32")), np.issubdtype(d, np.floating),
      np.issubdtype(np.array([1]).dtype, np.integer), np.promote_types(np.float32, np.int64),
      np.result_type(a, 1), np.zeros(2, dtype=np.dtype("int16")), np.complex64(1 + 2j))
try:
    a.astype("no-such-type")
except TypeError as e:
    print("TypeError", e)
"""


def test_numpy_dtypes_as_python_types_names_and_attributes() -> None:
    assert gd_output(_NUMPY_DTYPES) == torch_output(_NUMPY_DTYPES)


# More of numpy next to tensors: np.pad, the index helpers (triu_indices, tril_indices_from,
# indices, ix_), block, select, the signal windows, unwrap, array2string, isscalar,
# np.testing's assertions (their AssertionError the program's to catch) and np.errstate as
# a with block.
_NUMPY_EXTRA = """
import numpy as np
import numpy.testing as npt
from numpy.testing import assert_allclose
a = np.arange(6.0).reshape(2, 3)
print(np.pad(a, ((0, 1), (2, 0)), mode="edge"), np.pad(np.arange(3), 2, mode="reflect"))
print(np.pad(a, 1), np.triu_indices(4, 1), np.tril_indices_from(np.ones((3, 3))))
print(np.indices((2, 3))[1], np.ix_([0, 1], [1, 2])[1], np.select([a > 2, a <= 2], [a, -a]))
print(np.block([[np.eye(2), np.zeros((2, 1))]]), np.hanning(5), np.hamming(4), np.kaiser(4, 5.0))
print(np.unwrap([0.0, 3.5, 7.0]), np.array2string(np.linspace(0, 1, 4), precision=2),
      np.isscalar(np.float64(1.0)), np.isscalar([1]))
assert_allclose([1.0, 2.0], [1.0, 2.0 + 1e-12])
npt.assert_array_equal(np.arange(3), [0, 1, 2])
npt.assert_almost_equal(1.0, 1.0000001, decimal=5)
try:
    npt.assert_allclose(np.array([1.0, 2.0]), np.array([1.0, 2.5]), rtol=1e-3)
except AssertionError as e:
    print("AssertionError:", str(e).splitlines()[1])
with np.errstate(divide="ignore", invalid="ignore"):
    print(np.array([1.0, 0.0]) / np.array([0.0, 0.0]))
print(np.acos(np.array([0.5])), np.concat([a, a]).shape, np.hsplit(a, 3)[0],
      np.vander(np.array([1, 2, 3]), 3), np.resize(np.arange(3), (2, 4)),
      np.divmod(np.array([7, 8]), 3), np.fmod(-7, 3), np.polymul([1, 1], [1, -1]),
      np.isposinf(np.array([np.inf, 1.0])), np.atleast_3d(np.ones(2)).shape,
      np.broadcast_arrays(np.ones(2), np.ones((3, 1)))[0].shape, np.vecdot(a, a))
"""


def test_numpy_padding_index_helpers_windows_testing_errstate() -> None:
    assert gd_output(_NUMPY_EXTRA) == torch_output(_NUMPY_EXTRA)


# The new numpy surfaces take plain values only: no callback reaches numpy through them
# (an index trick's key, errstate's call=, array2string's formatter, an assertion's
# arguments), and an array method takes no object or text dtype by name.
HOSTILE_NUMPY = [
    ("np.mgrid[print]", "cannot take a 'builtin_function_or_method' value"),
    ("np.errstate(call=print)", "cannot take a 'builtin_function_or_method' value"),
    ("np.array2string(np.ones(2), formatter={'all': print})", "cannot take a 'dict' value"),
    ("np.testing.assert_allclose(print, 1)", "cannot take a 'builtin_function_or_method' value"),
    ("np.ones(2).astype('O')", "cannot take a 'str' value"),
    ("np.ones(2).astype('U3')", "cannot take a 'str' value"),
    ("np.ones(2).astype(len)", "cannot take a 'builtin_function_or_method' value"),
]


def test_new_numpy_surfaces_take_plain_values_only() -> None:
    for expr, message in HOSTILE_NUMPY:
        out = gd_output(f"import numpy as np\nprint({expr})\n")
        assert out.startswith("GdError") and message in out, (expr, out)
