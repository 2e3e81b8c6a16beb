"""Round 26, Chinese-language PyTorch tutorials and study notes (autograd basics, tensor
operations, losses explained with printed values, small training loops): the classes the
sample found, each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

# A scheduler's own settings are public attributes in PyTorch: LambdaLR's and
# MultiplicativeLR's lr_lambdas (the list of the functions, one per parameter group) and
# MultiStepLR's milestones (a collections.Counter of the epochs), beside StepLR's step_size
# and every scheduler's gamma, base_lrs and last_epoch.
_SCHEDULER_SETTINGS = """
import torch
from torch.optim import lr_scheduler
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.2)
def halve(epoch):
    return 0.5 ** epoch
lam = lr_scheduler.LambdaLR(opt, lr_lambda=halve)
print(len(lam.lr_lambdas), lam.lr_lambdas[0] is halve, lam.lr_lambdas[0](3))
mul = lr_scheduler.MultiplicativeLR(opt, lambda e: 0.9)
print(type(mul.lr_lambdas).__name__, len(mul.lr_lambdas), mul.lr_lambdas[0](7))
ms = lr_scheduler.MultiStepLR(opt, milestones=[6, 2, 6], gamma=0.1)
print(ms.milestones, ms.milestones[6], ms.milestones[4], sorted(ms.milestones))
print(type(ms.milestones).__name__, ms.gamma, ms.base_lrs, ms.last_epoch)
two = torch.optim.SGD([{"params": [w]}, {"params": [torch.ones(1, requires_grad=True)]}],
                      lr=1.0)
per_group = lr_scheduler.LambdaLR(two, [lambda e: 1.0, lambda e: 0.1 * (e + 1)])
print([f(2) for f in per_group.lr_lambdas])
for _ in range(3):
    two.step()
    per_group.step()
print(per_group.get_last_lr())
"""


@pytest.mark.parametrize("program", [_SCHEDULER_SETTINGS])
def test_scheduler_settings_are_attributes(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


# Module.to(dtype) takes a complex dtype as PyTorch does (with its UserWarning): floating
# and complex parameters and buffers take the dtype, integer buffers (BatchNorm's
# num_batches_tracked) keep theirs; back to a real dtype they drop the imaginary part.
# (Complex autograd is gradcli's documented limit, so no forward pass with grad here.)
_MODULE_TO_COMPLEX = """
import torch
import torch.nn as nn
torch.manual_seed(0)
lin = nn.Linear(2, 2, bias=None).to(torch.cdouble)
print(lin.weight)
m = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).to(torch.complex64)
print([(n, t.dtype) for n, t in m.state_dict().items()])
with torch.no_grad():
    m[0].bias.add_(1j)
    print(m[0].bias)
m.to(torch.float32)
print([(n, t.dtype) for n, t in m.state_dict().items()], m[0].bias)
m.to(dtype=torch.complex128)
print(m[0].weight.dtype, m[1].num_batches_tracked.dtype, m[1].running_var)
m.double()
print(m[0].weight.dtype)
with torch.no_grad():
    print(lin(torch.ones(3, 2, dtype=torch.cdouble)))
for bad in (torch.int32, torch.bool):
    try:
        nn.Linear(2, 2).to(bad)
    except TypeError as e:
        print(e)
"""


@pytest.mark.parametrize("program", [_MODULE_TO_COMPLEX])
def test_module_to_complex_dtype(program: str) -> None:
    assert masked(gd_output(program)) == masked(torch_output(program))


# torch.dist is norm(input - other): the subtraction promotes (a long tensor and a float
# one give a float distance, a 0-dim float against a long vector a float32), norm then
# refuses an integer difference in its own words; the gradient keeps each input's dtype.
_DIST_PROMOTES = """
import torch
a = torch.tensor([1, 1])
for other in (torch.zeros(2), torch.zeros(2, dtype=torch.float64), torch.tensor(0.5),
              torch.tensor([0, 0])):
    for p in (1, 2, float('inf'), 0, 3):
        try:
            r = a.dist(other, p)
            print(p, r, r.dtype)
        except RuntimeError as e:
            print(p, e)
x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
y = torch.tensor([0.5, -1.], requires_grad=True)
d = torch.dist(x, y)
d.backward()
print(d, x.grad, y.grad)
print(torch.dist(torch.tensor([3, 4], dtype=torch.int8), torch.tensor([0.5, 0.5],
                                                                      dtype=torch.float16)))
print(torch.dist(torch.tensor([1 + 1j, 2 - 1j]), torch.zeros(2)))
try:
    torch.dist(torch.tensor([True, False]), torch.tensor([0.25, 1.0]))
except RuntimeError as e:
    print(e)
"""

# F.cosine_similarity converts an integer (or bool) input to the inputs' common dtype,
# which must be floating (PyTorch's message when it is not).
_COSINE_SIMILARITY_INTEGER_INPUT = """
import torch
import torch.nn.functional as F
x = torch.tensor([[1., 2., 3.], [0., 1., 0.]], requires_grad=True)
s = F.cosine_similarity(x, torch.tensor([[1, 0, 1], [2, 2, 2]]))
s.sum().backward()
print(s, x.grad)
print(F.cosine_similarity(torch.tensor([1, 2, 3]), torch.tensor([1., 0., 0.5]), dim=0))
print(F.cosine_similarity(torch.tensor([True, False]),
                          torch.tensor([0.5, 0.5], dtype=torch.float64), dim=0))
print(torch.nn.CosineSimilarity(dim=0)(torch.tensor([1, 1]), torch.tensor([1., -1.])))
try:
    F.cosine_similarity(torch.tensor([1, 2]), torch.tensor([3, 4]), dim=0)
except RuntimeError as e:
    print(e)
"""

# The ops that do not promote two floating inputs of different dtypes say so as PyTorch
# does: cdist (its kernel, or the matmul form for many rows; float16 not implemented),
# linalg.cross / torch.cross, tensordot and inner.
_NO_PROMOTION_DTYPE_ERRORS = """
import torch
f = torch.tensor([[0.5, 1.], [2., 0.]])
cases = [
    lambda: torch.cdist(f, f.double()), lambda: torch.cdist(f.double(), f, 1.0),
    lambda: torch.cdist(torch.rand(30, 2), torch.rand(30, 2).double()),
    lambda: torch.cdist(torch.rand(30, 2), torch.rand(30, 2).double(), 1.0),
    lambda: torch.cdist(f.half(), f),
    lambda: torch.cdist(torch.tensor([[1, 2]]), f),
    lambda: torch.linalg.cross(torch.tensor([1, 2, 3]), torch.tensor([0.5, 1., 2.])),
    lambda: torch.cross(torch.tensor([1., 2, 3]), torch.tensor([1, 0, 0]), dim=0),
    lambda: torch.tensordot(f, f.double(), ([1], [0])),
    lambda: torch.inner(torch.tensor([1, 2]), torch.tensor([1., 2.])),
    lambda: torch.inner(torch.tensor(2), f),
]
for fn in cases:
    try:
        print(fn())
    except RuntimeError as e:
        print(e)
"""


@pytest.mark.parametrize("program", [_DIST_PROMOTES, _COSINE_SIMILARITY_INTEGER_INPUT,
                                     _NO_PROMOTION_DTYPE_ERRORS])
def test_mixed_dtype_distances(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# The normalization layers' dtypes as PyTorch's CPU kernels check them: an integer or bool
# input has no kernel (NotImplementedError naming it; gradcli printed INT_MIN or zeros), a
# weight, bias or running statistic of another dtype is a "mixed dtype" error unless the
# input is float16/bfloat16 and the parameters float32; pdist and matrix norms refuse
# integers in their own words.
_NORM_LAYER_DTYPES = """
import torch
import torch.nn.functional as F
x = torch.ones(2, 4)
cases = [
    lambda: F.layer_norm(x.long(), (4,)), lambda: F.layer_norm(x.int(), (4,)),
    lambda: F.layer_norm(x.bool(), (4,)), lambda: torch.nn.LayerNorm(4)(x.long()),
    lambda: F.layer_norm(x, (4,), torch.ones(4, dtype=torch.float64)),
    lambda: F.layer_norm(x.double(), (4,), torch.ones(4)),
    lambda: F.layer_norm(x.half(), (4,), torch.ones(4), torch.zeros(4)),
    lambda: F.layer_norm(x, (4,), None, torch.zeros(4, dtype=torch.float64)),
    lambda: torch.nn.LayerNorm(4).double()(x.double()),
    lambda: F.group_norm(torch.ones(2, 2, 3, dtype=torch.long), 1),
    lambda: torch.nn.GroupNorm(1, 2)(torch.ones(2, 2, 3, dtype=torch.long)),
    lambda: F.group_norm(torch.ones(2, 2, 3), 1, torch.ones(2, dtype=torch.float64)),
    lambda: F.batch_norm(x.long(), torch.zeros(4), torch.ones(4)),
    lambda: torch.nn.BatchNorm1d(4)(x.long()),
    lambda: F.batch_norm(x.double(), torch.zeros(4), torch.ones(4)),
    lambda: F.batch_norm(x, torch.zeros(4).double(), torch.ones(4).double()),
    lambda: torch.nn.BatchNorm1d(4).double()(x.double()),
    lambda: F.batch_norm(x.half(), torch.zeros(4), torch.ones(4), training=True),
    lambda: F.instance_norm(torch.ones(2, 2, 3, dtype=torch.int32)),
    lambda: F.rms_norm(x.long(), (4,)),
    lambda: F.pdist(torch.ones(3, 2, dtype=torch.long)),
    lambda: torch.linalg.matrix_norm(torch.ones(2, 2, dtype=torch.long)),
    lambda: torch.norm(torch.ones(2, 2, dtype=torch.long), 'nuc'),
]
for fn in cases:
    try:
        r = fn()
        print(r.dtype, r.sum().item())
    except (RuntimeError, NotImplementedError) as e:
        print(type(e).__name__, e)
"""


@pytest.mark.parametrize("program", [_NORM_LAYER_DTYPES])
def test_normalization_layer_dtypes(program: str) -> None:
    assert gd_output(program) == torch_output(program)
