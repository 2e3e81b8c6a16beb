"""Trust: iteration, unbind, expand's layout, flip and dim checks are PyTorch's.

1. Iterating a tensor is `iter(t.unbind(0))` (Tensor.__iter__): `for r in t`, unpacking,
   list/tuple, and Python's max/min/sorted/enumerate/zip/sum give items with grad_fn
   UnbindBackward0; torch.unbind / t.unbind(dim); in-place on an unbind output with grad is
   PyTorch's error.
2. x.expand(...) is a view with stride 0 on its broadcast dims: not contiguous, view()
   refuses what PyTorch refuses, reshape/flatten copy (UnsafeViewBackward0 after
   CloneBackward0), x's in-place changes show through, and writing overlapping elements
   is PyTorch's error.
3. reversed(t) is t.flip(0) (FlipBackward0); unsqueeze/flatten check their dims.

Each program's expected text is what PyTorch 2.13 prints ("!Type: first line" when it
raises); the differential test checks the literals against the installed torch.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

T = "import torch\n"

#: (key, program, what PyTorch prints, or "!ExceptionType: message's first line")
CASES: list[tuple[str, str, str]] = [
    ('iterate-for',
     't = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n'
     'for r in t:\n'
     '    print(r)\n',
     'tensor([1., 2.], grad_fn=<UnbindBackward0>)\n'
     'tensor([3., 4.], grad_fn=<UnbindBackward0>)\n'),
    ('iterate-unpack',
     't = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n'
     'a, b = t\n'
     'print(a, b)\n',
     'tensor([1., 2.], grad_fn=<UnbindBackward0>) tensor([3., 4.], '
     'grad_fn=<UnbindBackward0>)\n'),
    ('iterate-list-tuple',
     't = torch.tensor([1.0, 2.0], requires_grad=True)\n'
     'print(list(t), tuple(t))\n',
     '[tensor(1., grad_fn=<UnbindBackward0>), tensor(2., '
     'grad_fn=<UnbindBackward0>)] (tensor(1., grad_fn=<UnbindBackward0>), '
     'tensor(2., grad_fn=<UnbindBackward0>))\n'),
    ('iterate-builtins',
     't = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)\n'
     'print(max(t), min(t), sorted(t))\n'
     'print(list(enumerate(t))[0], list(zip(t, t))[1])\n',
     'tensor(3., grad_fn=<UnbindBackward0>) tensor(1., '
     'grad_fn=<UnbindBackward0>) [tensor(1., grad_fn=<UnbindBackward0>), '
     'tensor(2., grad_fn=<UnbindBackward0>), tensor(3., grad_fn=<UnbindBackward0>)]\n'
     '(0, tensor(3., grad_fn=<UnbindBackward0>)) (tensor(1., '
     'grad_fn=<UnbindBackward0>), tensor(1., grad_fn=<UnbindBackward0>))\n'),
    ('iterate-sum',
     't = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n'
     's = sum(t)\n'
     'print(s)\n'
     's.sum().backward()\n'
     'print(t.grad)\n',
     'tensor([4., 6.], grad_fn=<AddBackward0>)\n'
     'tensor([[1., 1.],\n'
     '        [1., 1.]])\n'),
    ('unbind-forms',
     't = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)\n'
     'print(torch.unbind(t, 1))\n'
     'print(t.unbind(dim=-2))\n',
     '(tensor([1., 4.], grad_fn=<UnbindBackward0>), tensor([2., 5.], '
     'grad_fn=<UnbindBackward0>), tensor([3., 6.], grad_fn=<UnbindBackward0>))\n'
     '(tensor([1., 2., 3.], grad_fn=<UnbindBackward0>), tensor([4., 5., 6.], '
     'grad_fn=<UnbindBackward0>))\n'),
    ('unbind-grad',
     't = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n'
     'x, y = torch.unbind(t, 1)\n'
     'z = (x * x * y).sum()\n'
     'g, = torch.autograd.grad(z, t, create_graph=True)\n'
     'print(g.detach())\n'
     'h, = torch.autograd.grad(g.sum(), t)\n'
     'print(h)\n',
     'tensor([[ 4.,  1.],\n'
     '        [24.,  9.]])\n'
     'tensor([[ 6.,  2.],\n'
     '        [14.,  6.]])\n'),
    ('unbind-dim-range',
     'print(torch.unbind(torch.ones(2, 3), 2))\n',
     '!IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('unbind-0d',
     'print(torch.tensor(1.0).unbind())\n',
     '!IndexError: Dimension specified as 0 but tensor has no dimensions'),
    ('unbind-inplace',
     't = torch.ones(2, 2, requires_grad=True)\n'
     'p, q = t * 1\n'
     'q.mul_(2)\n',
     '!RuntimeError: Output 1 of Unbind is a view and is being modified inplace. '
     'This view is the output of a function that returns multiple views. Such '
     'functions do not allow the output views to be modified inplace. You should '
     'replace the inplace operation by an out-of-place one.'),
    ('unbind-inplace-no-grad',
     't = torch.zeros(2, 2)\n'
     'p, q = t\n'
     'p.add_(1)\n'
     'print(t)\n',
     'tensor([[1., 1.],\n'
     '        [0., 0.]])\n'),
    ('expand-not-contiguous',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'print(y.is_contiguous(), y.clone().is_contiguous(), '
     'y.contiguous().is_contiguous())\n',
     'False True True\n'),
    ('expand-view-fails',
     'x = torch.arange(6.0).reshape(2, 3)\n'
     'print(x.unsqueeze(0).expand(2, -1, -1).view(4, 3))\n',
     "!RuntimeError: view size is not compatible with input tensor's size and "
     'stride (at least one dimension spans across two contiguous subspaces). Use '
     '.reshape(...) instead.'),
    ('expand-view-fails-2',
     'w = torch.tensor([1.0, 2.0])\n'
     'print(w.expand(3, 2).view(6))\n',
     "!RuntimeError: view size is not compatible with input tensor's size and "
     'stride (at least one dimension spans across two contiguous subspaces). Use '
     '.reshape(...) instead.'),
    ('expand-view-ok',
     'w = torch.tensor([1.0, 2.0], requires_grad=True)\n'
     'print(w.expand(1, 2).view(2), w.expand(3, 2).view(3, 2))\n',
     'tensor([1., 2.], grad_fn=<ViewBackward0>) tensor([[1., 2.],\n'
     '        [1., 2.],\n'
     '        [1., 2.]], grad_fn=<ViewBackward0>)\n'),
    ('expand-reshape',
     'x = torch.arange(6.0, requires_grad=True).reshape(2, 3)\n'
     'z = x.unsqueeze(0).expand(2, -1, -1).reshape(4, 3)\n'
     'print(z.grad_fn.name(), z.grad_fn.next_functions[0][0].name())\n'
     'print(x.unsqueeze(0).expand(2, -1, -1).flatten(0, 1).grad_fn.name())\n',
     'UnsafeViewBackward0 CloneBackward0\n'
     'UnsafeViewBackward0\n'),
    ('expand-shares-storage',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'x.add_(10)\n'
     'print(y)\n',
     'tensor([[10., 11., 12.],\n'
     '        [10., 11., 12.]])\n'),
    ('expand-write-overlap',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'y.add_(1)\n',
     '!RuntimeError: unsupported operation: more than one element of the '
     'written-to tensor refers to a single memory location. Please clone() the '
     'tensor before performing the operation.'),
    ('expand-write-slice-overlap',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'y[:, 0] = 7\n',
     '!RuntimeError: unsupported operation: more than one element of the '
     'written-to tensor refers to a single memory location. Please clone() the '
     'tensor before performing the operation.'),
    ('expand-write-row',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'y[0] = 5\n'
     'print(x, y)\n',
     'tensor([5., 5., 5.]) tensor([[5., 5., 5.],\n'
     '        [5., 5., 5.]])\n'),
    ('expand-write-row-grad',
     'x = torch.ones(3, requires_grad=True)\n'
     'y = x * 2\n'
     'z = y.expand(2, 3)\n'
     'z[0] = 5\n'
     'print(y, z)\n'
     'z.sum().backward()\n'
     'print(x.grad)\n',
     'tensor([5., 5., 5.], grad_fn=<CopySlices>) tensor([[5., 5., 5.],\n'
     '        [5., 5., 5.]], grad_fn=<AsStridedBackward0>)\n'
     'tensor([0., 0., 0.])\n'),
    ('expand-zero',
     'x = torch.arange(3.0)\n'
     'y = x.expand(2, 3)\n'
     'y.zero_()\n'
     'print(x)\n',
     'tensor([0., 0., 0.])\n'),
    ('expand-grad',
     'w = torch.tensor(3.0, requires_grad=True)\n'
     'y = w.expand(2, 2)\n'
     '(y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()\n'
     'print(w.grad, y.reshape(4))\n',
     'tensor(10.) tensor([3., 3., 3., 3.], grad_fn=<ReshapeAliasBackward0>)\n'),
    ('flip',
     'x = torch.arange(6.0).reshape(2, 3).requires_grad_()\n'
     'print(reversed(x), x.flip(0, 1).grad_fn.name(), x.flip([-1]).is_contiguous())\n'
     'print(reversed(torch.tensor(2.0)), list(reversed(x))[0])\n'
     '(x.flip(1) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()\n'
     'print(x.grad)\n',
     'tensor([[3., 4., 5.],\n'
     '        [0., 1., 2.]], grad_fn=<FlipBackward0>) FlipBackward0 True\n'
     'tensor(2.) tensor([3., 4., 5.], grad_fn=<UnbindBackward0>)\n'
     'tensor([[3., 2., 1.],\n'
     '        [3., 2., 1.]])\n'),
    ('flip-int-dims',
     'print(torch.flip(torch.ones(2), 0))\n',
     "!TypeError: flip(): argument 'dims' (position 2) must be tuple of ints, not int"),
    ('flip-repeated',
     'print(torch.ones(2, 2).flip(0, -2))\n',
     '!RuntimeError: dim 0 appears multiple times in the list of dims'),
    ('unsqueeze-range',
     'print(torch.ones(2, 3).unsqueeze(-4))\n',
     '!IndexError: Dimension out of range (expected to be in range of [-3, 2], '
     'but got -4)'),
    ('flatten-range',
     'print(torch.ones(2, 3).flatten(2))\n',
     '!IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('flatten-order',
     'print(torch.ones(2, 3).flatten(1, 0))\n',
     '!RuntimeError: flatten() has invalid args: start_dim cannot come after end_dim'),
    ('flatten-0d',
     'print(torch.tensor(2.0).flatten(-1), torch.tensor(2.0).flatten(0, 0))\n',
     'tensor([2.]) tensor([2.])\n'),
]


def run_gd(text: str) -> str:
    """What gradcli prints, then "!message" if it fails (the message's first line)."""
    printed: list[str] = []
    try:
        run(Source("prog.gd", T + text), AppOptions(write=printed.append))
    except GdError as e:
        return "".join(printed) + "!" + e.message.splitlines()[0]
    return "".join(printed)


def _strip_type(expected: str) -> str:
    # gradcli's errors carry PyTorch's message, not Python's exception type.
    head, bang, tail = expected.partition("!")
    return head + bang + tail.split(": ", 1)[1] if bang else expected


@pytest.mark.parametrize("text,expected", [pytest.param(p, e, id=k) for k, p, e in CASES])
def test_gradcli_prints_what_torch_prints(text: str, expected: str) -> None:
    assert run_gd(text) == _strip_type(expected)


@pytest.mark.parametrize("text,expected", [pytest.param(p, e, id=k) for k, p, e in CASES])
def test_literals_are_what_torch_prints(text: str, expected: str) -> None:
    torch = pytest.importorskip("torch")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(T + text, "prog.py", "exec"), {"torch": torch})
    except Exception as e:
        said = f"{out.getvalue()}!{type(e).__name__}: {str(e).splitlines()[0]}"
    else:
        said = out.getvalue()
    assert said == expected
