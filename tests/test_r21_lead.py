"""Round 21, the lead's: what the merged tree's op fuzzer found (0-D transposes)."""

from __future__ import annotations

from pyrun import gd_output, torch_output

ZERO_DIM_TRANSPOSES = """
import torch
for x in (torch.tensor(5), torch.tensor(2.5), torch.ones(3), torch.ones(2, 3)):
    for attr in ("mT", "mH", "T", "H"):
        try:
            r = getattr(x, attr)
            print(attr, x.dim(), tuple(r.shape), r, r is x)
        except Exception as e:
            print(attr, x.dim(), "!ERR", type(e).__name__, str(e).splitlines()[0])
x = torch.tensor(2.0, requires_grad=True)
y = x.mT * 3 + x.H
y.backward()
print(y, x.grad, x.T.grad_fn.name(), x.mT is x)
"""


def test_zero_dim_transposes_are_the_identity_as_in_pytorch() -> None:
    """PyTorch 2.13: x.mT, x.mH, x.H of a 0-D tensor are x itself (with a deprecation
    warning), x.T a permute of no dims; gd refused mT, mH and H there."""
    assert gd_output(ZERO_DIM_TRANSPOSES) == torch_output(ZERO_DIM_TRANSPOSES)
