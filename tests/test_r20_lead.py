"""Round 20 (lead): behaviours pinned against PyTorch 2.13 (skipped without torch)."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # unpack_dual's primal of a computed dual tensor is PyTorch's _fw_primal view, a C++
    # node: the tensor prints grad_fn=<Identity>, name() is torch::autograd::Identity
    "unpack_dual_primal_node": """
import torch.autograd.forward_ad as fwAD
x = torch.tensor([1.0, 2.0], requires_grad=True)
v = torch.tensor([1.0, 0.5], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(x, v)
    p, t = fwAD.unpack_dual(d)
    print(p, t, p._is_view())
    y = d.exp()
    p, t = fwAD.unpack_dual(y)
    print(p, t, p.grad_fn.name(), p.grad_fn.next_functions[0][0].name())
    (p.sum() + t.sum()).backward()
    print(x.grad, v.grad)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    pytest.importorskip("torch")
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
