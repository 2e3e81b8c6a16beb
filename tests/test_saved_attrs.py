"""grad_fn._saved_<name>: the tensors a node saved, read as PyTorch's docs read them
("Saved tensors" in Autograd mechanics), against PyTorch's own output."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

PROGRAM = """import torch
torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))
print(x is y.grad_fn._saved_self)
print(y.grad_fn._saved_exponent)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))
print(y is y.grad_fn._saved_result)
w = torch.randn(5, requires_grad=True)
z = x * w
print(z.grad_fn._saved_self is x, z.grad_fn._saved_other is w)
z2 = x * 2
print(z2.grad_fn._saved_self, z2.grad_fn._saved_other)
z3 = x * 2.5
print(z3.grad_fn._saved_other)
q = x.sin()
print(q.grad_fn._saved_self is x)
t = x.tanh()
print(t.grad_fn._saved_result)
M = torch.randn(3, 5, requires_grad=True)
v = M @ x
print(v.grad_fn._saved_self is M, v.grad_fn._saved_vec is x)
try:
    print(z.grad_fn._saved_foo)
except AttributeError as e:
    print("AttributeError", e)
y = x.exp()
y.sum().backward()
try:
    y.grad_fn._saved_result
except RuntimeError as e:
    print("RuntimeError", str(e)[:60])
"""

EXPECTED = (
    'True\n'
    'True\n'
    '2\n'
    'True\n'
    'False\n'
    'True True\n'
    'None tensor(2)\n'
    'tensor(2.5000, dtype=torch.float64)\n'
    'True\n'
    'tensor([ 0.9123, -0.2853, -0.9747,  0.5142, -0.7949], grad_fn=<TanhBackward0>)\n'
    'True True\n'
    "AttributeError 'MulBackward0' object has no attribute '_saved_foo'\n"
    'RuntimeError Trying to backward through the graph a second time (or direc\n')


def test_saved_tensors_read_as_pytorch() -> None:
    assert gd_output(PROGRAM) == EXPECTED


def test_expected_is_what_pytorch_prints() -> None:
    assert torch_output(PROGRAM) == EXPECTED


@pytest.mark.parametrize(("attr", "message"), [
    ("_saved_foo", "'MulBackward0' object has no attribute '_saved_foo'"),
    ("_raw_saved_foo", "'MulBackward0' object has no attribute '_raw_saved_foo'"),
    ("_saved_self_", "'MulBackward0' object has no attribute '_saved_self_'"),
    ("_forward_cls", "names starting with '_' are private"),
    ("_saved_", "'MulBackward0' object has no attribute '_saved_'"),
])
def test_other_underscore_names_stay_closed(attr: str, message: str) -> None:
    out = gd_output(f"x = torch.ones(2, requires_grad=True)\nprint((x * x).grad_fn.{attr})\n")
    assert out.startswith("GdError") and message in out, out
