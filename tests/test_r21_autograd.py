"""Round 21, the autograd corners real code meets, against PyTorch: hooks on a view that is
then changed in place (PyTorch's CopySlices goes past the view's old grad_fn and every view
between it and its _base: their hooks and retain_grad see nothing of it; the views between
are regenerated from the base when read)."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # A hook on a view changed in place after: not called (the view's old grad_fn is off
    # the way); one registered after on the regenerated grad_fn: only when the gradient
    # goes through the view.
    "view_hook_then_inplace": """
x = torch.arange(4.0, requires_grad=True)
b = x * 1
v = b[:2]
v.register_hook(lambda g: print("view hook old", g))
v.mul_(3)
v.register_hook(lambda g: print("view hook new", g))
b.register_hook(lambda g: print("base hook", g))
(b * torch.tensor([1., 2, 3, 4])).sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[1:3]
v.register_hook(lambda g: print("old", g))
v.add_(1)
v.register_hook(lambda g: print("new", g))
(v * 5).sum().backward()
print(x.grad)
""",
    # A view of a view: the view between is bypassed too (its hooks, retain_grad), and
    # regenerated from the root when read (AsStridedBackward0, retain_grad following it).
    "views_between": """
x = torch.arange(6.0, requires_grad=True)
b = x * 1
u = b[1:]
v = u[:2]
u.register_hook(lambda g: print("u hook", g))
v.register_hook(lambda g: print("v hook", g))
b.register_hook(lambda g: print("b hook", g))
v.mul_(3)
(b * torch.arange(1., 7)).sum().backward()
print(x.grad)
b = x * 1
u = b.view(2, 3)
u.retain_grad()
v = u[0]
v.mul_(2)
b.sum().backward()
print(u.grad)
b = x * 1
u3 = b[1:]
u3.retain_grad()
v3 = u3[1:]
v3.retain_grad()
v3.mul_(2)
print(u3.grad_fn, v3.grad_fn)
(u3 * 2).sum().backward()
print(u3.grad, v3.grad)
b = x * 1
u4 = b[1:]
u4.retain_grad()
v4 = u4[1:]
v4.retain_grad()
v4.mul_(2)
(v4 * 2).sum().backward()
print(u4.grad, v4.grad)
""",
    # A use of the view before the change still goes through its old grad_fn (its hooks
    # see that part); the node's own hooks (grad_fn.register_hook / prehook) are bypassed
    # like the tensor's; x[i] = v through a view likewise.
    "old_uses_and_node_hooks": """
x = torch.arange(6.0, requires_grad=True)
b = x * 1
v = b[:3]
v.register_hook(lambda g: print("v hook", g))
w = v * 2
v.add_(w)
b.sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[2:4]
v.grad_fn.register_hook(lambda gi, go: print("post", gi, go))
v.grad_fn.register_prehook(lambda go: print("pre", go))
v[0] = 7.0
b.sum().backward()
print(x.grad)
x.grad = None
b = x * 1
v = b[:2]
v.retain_grad()
v.mul_(3)
(b * torch.arange(1., 7)).sum().backward()
print(v.grad, v.retains_grad, x.grad)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
