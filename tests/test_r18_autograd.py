"""Round 18, autograd: the order PyTorch's engine runs leaves made ready together (its
ready queue is a std::priority_queue, and every AccumulateGrad has the same, largest,
sequence number: ties leave in libstdc++'s heap order), vmap's errors for .item() and
data-dependent control flow on batched tensors, and torch.autograd.graph's names."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # Five leaves of one stack node: PyTorch pops a, c, e, b, d (the heap's order).
    "leaves_of_one_node": """
ts = [torch.tensor(float(i), requires_grad=True) for i in range(7)]
for i, t in enumerate(ts):
    t.register_hook(lambda g, i=i: print("hook", i, g))
    t.register_post_accumulate_grad_hook(lambda p, i=i: print("post", i, p.grad))
for n in (2, 3, 4, 5, 7):
    (torch.stack(ts[:n]) * torch.arange(float(n))).sum().backward()
    print("--")
z = torch.cat([t.reshape(1) for t in ts[:4]])
z.grad_fn.register_hook(lambda gi, go: print("node", len(gi)))
z.grad_fn.register_prehook(lambda go: print("pre", go))
z.sum().backward()
""",
    # Hooked and unhooked leaves together (every AccumulateGrad is in the queue), leaves
    # of different nodes, a leaf reached twice, grad() with inputs.
    "mixed_leaves": """
ws = [torch.tensor(float(i + 1), requires_grad=True) for i in range(6)]
for i in (0, 2, 3, 5):
    ws[i].register_hook(lambda g, i=i: print("leaf", i, g))
y = torch.stack([ws[0], ws[1], ws[2], ws[3] * ws[4], ws[5]]).prod() + ws[0] * ws[3]
y.backward()
tot = ws[0] * ws[1] + ws[2] * ws[3]
(tot * ws[1] + ws[3]).backward()
print(torch.autograd.grad(torch.stack(ws).sum(), [ws[5], ws[0], ws[2]]))
m = torch.stack(ws).sum(0, keepdim=True) * 2
m.register_hook(lambda g: print("m", g))
print(torch.autograd.grad(m.sum(), ws))
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
