"""torch.nn and training programs, round 11: the shapes "Dive into Deep Learning", the
PyTorch tutorials and blog posts write (attention over bmm, BatchNorm from scratch,
parametrizations, checkpointing, ...).

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's, byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

PRELUDE = ("import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "torch.manual_seed(0)\n")

CASES = {
    # bmm below 400 products a batch is ATen's own loop (in k's order): d2l's masked
    # attention printed 2., 3., ... where PyTorch prints 2.0000 (its sums are not exact).
    "bmm-attention-weights": """
torch.set_printoptions(precision=10)
s = torch.randn(2, 1, 10)
s[0, 0, 2:] = -1e6
s[1, 0, 6:] = -1e6
w = F.softmax(s, dim=-1)
values = torch.arange(40, dtype=torch.float32).reshape(1, 10, 4).repeat(2, 1, 1)
print(torch.bmm(w, values))
print(torch.bmm(torch.full((2, 1, 10), 0.1), values))
for sa, sb in [((3, 2, 5), (3, 5, 4)), ((2, 3, 4, 5), (2, 3, 5, 6)), ((4,), (2, 4, 3)),
               ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (3, 4, 2)), ((2, 3, 4), (4,)),
               ((3, 20, 20), (3, 20, 4)), ((3, 1, 400), (3, 400, 3))]:
    a, b = torch.randn(*sa), torch.randn(*sb)
    print(torch.matmul(a, b).flatten()[-3:].tolist())
    if len(sa) == 3 and len(sb) == 3:
        print(torch.bmm(a, b).flatten()[:3].tolist(), torch.bmm(a, b).is_contiguous())
x = torch.randn(2, 3, 4, requires_grad=True)
w = torch.randn(2, 4, 5, requires_grad=True)
torch.bmm(x, w).pow(2).sum().backward()
print(x.grad, w.grad)
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = PRELUDE + CASES[name]
    assert gd_output(text) == torch_output(text)
