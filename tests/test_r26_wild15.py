"""Round 26, short reproductions from bug reports and forum threads (gradients that are
None or NaN, ties in sort/argmax, dtype promotion, masks and advanced indexing, numpy
interplay): the classes the sample found, each as a small program of our own compared
with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, masked, torch_output

# An index holding a boolean (or integer) array next to an Ellipsis: the Ellipsis is
# found by identity, never by ==, which numpy would answer element by element.
_MASK_WITH_ELLIPSIS = """
import torch
t = torch.arange(12).view(1, 2, 2, 3)
m = torch.tensor([[True, False]])
print(t[m, ..., 1], t[m, ..., 0:2].shape, t[..., torch.tensor([0, 2])].shape)
print(t[torch.tensor([[0, 0], [0, 0]]), ..., 2])
x = torch.arange(6.).reshape(2, 3).requires_grad_()
y = x[torch.tensor([True, True]), ...]
y.sum().backward()
print(y, x.grad)
u = torch.zeros(2, 3)
u[torch.tensor([False, True]), ...] = 5.
print(u)
"""


def test_mask_beside_an_ellipsis_indexes() -> None:
    assert masked(gd_output(_MASK_WITH_ELLIPSIS)) == masked(torch_output(_MASK_WITH_ELLIPSIS))


# numpy 2's names of its scalar types: np.bool (the class np.bool_ is), and the C-named
# aliases of the sized types; each prints as Python prints the class it names.
_NUMPY_TYPE_ALIASES = """
import numpy as np
import torch
print(np.bool, np.bool_, np.byte, np.ubyte, np.short, np.ushort, np.intc, np.uintc)
print(np.long, np.ulong, np.longlong, np.ulonglong, np.intp, np.uintp, np.half, np.uint)
m = np.array([0, 3, 0, 1]).astype(np.bool)
print(m, m.dtype, torch.arange(4)[m], torch.from_numpy(m).dtype)
print(np.short(7), np.half(0.1), np.intc(-2) + 1, isinstance(np.bool(0), np.bool_))
print(np.zeros(2, dtype=np.intc).dtype, np.ones(2, np.ubyte).dtype)
"""


def test_numpy_2_scalar_type_names() -> None:
    assert masked(gd_output(_NUMPY_TYPE_ALIASES)) == masked(torch_output(_NUMPY_TYPE_ALIASES))


# F.batch_norm (so every BatchNorm module) refuses eps <= 0 when training and eps < 0 in
# eval, as PyTorch's Python function does, after its batch-size check; the torch.batch_norm
# op and instance norm take any eps.
_BATCH_NORM_EPS = """
import torch
import torch.nn.functional as F
x = torch.arange(12.).reshape(4, 3)
for training, eps in ((True, 0), (True, 0.0), (True, -0.5), (False, -2), (False, 0.0)):
    try:
        print(F.batch_norm(x, torch.zeros(3), torch.ones(3), training=training, eps=eps))
    except ValueError as e:
        print("ValueError:", e)
for m in (torch.nn.BatchNorm1d(3, eps=0.), torch.nn.BatchNorm2d(3, eps=-1e-3)):
    try:
        m(x if isinstance(m, torch.nn.BatchNorm1d) else x.reshape(1, 3, 2, 2))
    except ValueError as e:
        print("ValueError:", e)
try:
    F.batch_norm(torch.ones(1, 3), None, None, training=True, eps=0)
except ValueError as e:
    print("ValueError:", e)
print(torch.batch_norm(x, None, None, torch.zeros(3), torch.ones(3), True, 0.1, 0., False))
print(torch.nn.InstanceNorm1d(3, eps=0.)(x.reshape(1, 3, 4)))
"""


def test_batch_norm_refuses_a_nonpositive_eps_when_training() -> None:
    assert masked(gd_output(_BATCH_NORM_EPS)) == masked(torch_output(_BATCH_NORM_EPS))


# The argument checks of torch.nn.functional's Python functions: their exception types
# and words (hardtanh's bounds a ValueError, hardtanh_ unchecked; celu's alpha; which
# running statistic is missing in eval; soft targets refuse a non-negative ignore_index;
# embedding_bag's weight rank and mode).
_FUNCTIONAL_CHECKS = """
import torch
import torch.nn.functional as F
x = torch.tensor([[-2., 0.5, 3.]])
calls = [
    lambda: F.hardtanh(x, 1., -1.), lambda: F.hardtanh_(x.clone(), 1., -1.),
    lambda: F.celu(x, alpha=0.), lambda: F.batch_norm(x, None, torch.ones(3)),
    lambda: F.batch_norm(x, torch.zeros(3), None),
    lambda: F.cross_entropy(x, torch.full((1, 3), 0.25), ignore_index=2),
    lambda: F.cross_entropy(x, torch.full((1, 3), 0.25), ignore_index=-7),
    lambda: F.embedding_bag(torch.tensor([1, 0]), torch.ones(4), torch.tensor([0])),
    lambda: F.embedding_bag(torch.tensor([1, 0]), torch.ones(4, 2), torch.tensor([0]),
                            mode="median"),
]
for call in calls:
    try:
        print(call())
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)
"""


def test_functional_argument_checks_match() -> None:
    assert masked(gd_output(_FUNCTIONAL_CHECKS)) == masked(torch_output(_FUNCTIONAL_CHECKS))
