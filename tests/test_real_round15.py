"""Real PyTorch code as tutorials write it (round 15): what float() of a tensor that
requires grad warns (d2l's `float(l.sum())` in every training loop), ..."""

from __future__ import annotations

import io

from pyrun import gd_output, torch_output

from gradcli.app import AppOptions, run
from gradcli.source import Source


def _warnings(text: str) -> list[str]:
    warnings: list[str] = []
    run(Source("prog.gd", text), AppOptions(write=io.StringIO().write, warn=warnings.append))
    return warnings


SCALAR = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
          "behavior.\nConsider using tensor.detach() first.")


def test_float_of_a_tensor_that_requires_grad_warns_once() -> None:
    # Tensor.__float__ (float(), and math's functions through it) warns, once per process
    # (TORCH_WARN_ONCE); int(), item(), bool() and f-string formats do not.
    program = ("import torch\nimport math\nx = torch.tensor(2.0, requires_grad=True)\n"
               "y = x * 3\nprint(y.item(), int(y), bool(y), f'{y:.2f}', float(y.detach()))\n"
               "print(math.sqrt(y))\nprint(float(y))\nprint(float(x))\n")
    assert _warnings(program) == [f"prog.gd:6: UserWarning: {SCALAR}\n  print(math.sqrt(y))\n"]
    assert _warnings(program.replace("print(math.sqrt(y))\n", "")) == [
        f"prog.gd:6: UserWarning: {SCALAR}\n  print(float(y))\n"]


LAYOUT = """\
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.rand(3, 4).t() + 0.5
for f in (torch.sin, torch.erf, torch.lgamma, torch.special.i0, torch.sinc, torch.expm1,
          torch.sigmoid, F.gelu, F.softplus, lambda t: t.clamp(0.6, 0.9)):
    y = f(x)
    print(y.stride(), y.is_contiguous())
y = torch.cos(x)
try:
    y.view(-1)
except RuntimeError as e:
    print(e)
print(y.reshape(-1).tolist() == y.contiguous().view(-1).tolist())
print(torch.exp(torch.ones(3, 1).expand(3, 4)).stride())
"""


def test_unary_ops_keep_their_inputs_layout() -> None:
    # TensorIterator gives a unary op's output its input's memory order: x.t().sin() is
    # transposed too (its stride(), is_contiguous(), and view() refusing it).
    expected = ("(1, 4) False\n" * 10 + "view size is not compatible with input tensor's size "
                "and stride (at least one dimension spans across two contiguous subspaces). "
                "Use .reshape(...) instead.\nTrue\n(4, 1)\n")
    assert gd_output(LAYOUT) == expected
    assert torch_output(LAYOUT) == expected


def test_slice_backward_copies_a_signed_zero() -> None:
    # PyTorch's slice and select backward copy the gradient into zeros (-0. stays -0.);
    # index_put_'s accumulate (advanced indexing) adds it (0 + -0. is 0.). Fuzz class (c).
    program = ("import torch\nx = torch.arange(6.0).reshape(2, 3).requires_grad_()\n"
               "for f in (lambda t: -t[::2], lambda t: -t[1], lambda t: -t[[0, 0]]):\n"
               "    x.grad = None\n"
               "    (f(x) * torch.zeros(3)).sum().backward()\n"
               "    print(x.grad)\n")
    expected = ("tensor([[-0., -0., -0.],\n        [0., 0., 0.]])\n"
                "tensor([[0., 0., 0.],\n        [-0., -0., -0.]])\n"
                "tensor([[0., 0., 0.],\n        [0., 0., 0.]])\n")
    assert gd_output(program) == expected
    assert torch_output(program) == expected


def test_a_number_to_a_0d_tensors_power_stays_0d() -> None:
    # pow(Scalar, Tensor)'s contiguous copy made a 0-d result 1-d (np.ascontiguousarray):
    # its gradient then summed back (SumBackward0 where PyTorch has MulBackward0)
    program = ("import torch\nx = torch.tensor(1.5, requires_grad=True)\ny = 2 ** x\n"
               "g, = torch.autograd.grad(y, x, create_graph=True)\n"
               "print(y, y.shape, g, g.grad_fn.name())\n")
    expected = ("tensor(2.8284, grad_fn=<PowBackward2>) torch.Size([]) "
                "tensor(1.9605, grad_fn=<MulBackward0>) MulBackward0\n")
    assert gd_output(program) == expected
    assert torch_output(program) == expected
