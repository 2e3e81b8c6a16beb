"""Autograd as tutorials teach and check it, compared with PyTorch's output (round 11):
the functional API's forward-mode strategies (jacobian's and hessian's
strategy="forward-mode": vectorize only, create_graph refused, the blocks recorded and
nested in lists), and detach_() of any view refused."""

from __future__ import annotations

import re

import pytest
from pyrun import gd_output, torch_output


def _torch(text: str) -> str:
    # gd prints a node without its address (deterministic output), PyTorch with it
    return re.sub(r" object at 0x[0-9a-f]+>", " object>", torch_output(text))


PROGRAMS = {
    "jacobian-forward-mode": """
from torch.autograd.functional import jacobian, hessian
torch.manual_seed(0)
a, b = torch.rand(2), torch.rand(2)
def f(x, y):
    return (x.pow(3) * y).sum()
print(hessian(f, (a, b), vectorize=True, outer_jacobian_strategy="forward-mode"))
print(hessian(lambda x: x.pow(3).sum(), a, vectorize=True, outer_jacobian_strategy="forward-mode"))
def g(x, y):
    return x * y, x + y
print(jacobian(g, (a, b), vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x: (x.sin(), x.cos()), a, vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x, y: 2 * x.exp() + 3 * y, (a, b), vectorize=True, strategy="forward-mode"))
x = torch.rand(2, 2, requires_grad=True)
print(jacobian(lambda x: x.sin().sum(0), x, vectorize=True, strategy="forward-mode"))
print(jacobian(lambda x, y: x.sin().sum(0) * y, (x, a), vectorize=True, strategy="forward-mode"))
print(hessian(lambda x: x.pow(3).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode"))
""",
    "jacobian-forward-mode-errors": """
from torch.autograd.functional import jacobian, hessian
a = torch.tensor([0.5, 1.5])
calls = [
    lambda: jacobian(lambda x: x.sin(), a, strategy="forward-mode"),
    lambda: hessian(lambda x: x.pow(3).sum(), a, outer_jacobian_strategy="forward-mode"),
    lambda: jacobian(lambda x: x.sin(), a, vectorize=True, strategy="forward-mode",
                     create_graph=True),
    lambda: jacobian(lambda x: x.sin(), a, strategy="fwd"),
    lambda: hessian(lambda x: x.sin().sum(), a, outer_jacobian_strategy="reverse"),
]
for call in calls:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
""",
    "detach-in-place-views": """
for make in [lambda: torch.ones(3), lambda: torch.ones(3, requires_grad=True),
             lambda: (torch.ones(3, requires_grad=True) * 2).detach()]:
    x = make()
    for f in [lambda: x[:2], lambda: x.view(3), lambda: x.detach(), lambda: x.reshape(3)]:
        v = f()
        try:
            v.detach_()
            print("ok", v._base is x, v.requires_grad)
        except RuntimeError as e:
            print(str(e)[:40])
y = torch.ones(3, requires_grad=True) * 2
y.detach_()
print(y.requires_grad, y.is_leaf, y.grad_fn)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name].lstrip("\n")
    assert gd_output(text) == _torch(text)
