"""Round 26, sequence models and attention written from scratch or with nn.RNN / nn.LSTM /
nn.GRU / nn.MultiheadAttention / nn.Transformer: the classes the sample found, each as a
small program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# F.scaled_dot_product_attention without dropout on 4-D inputs runs PyTorch's CPU flash
# kernel: blocked products, exp_u20 over whole vectors, the double exp on the row's tail,
# lane-order sums, the output times the sum's reciprocal. Its values print to the last
# bit only when computed that way (eval-mode nn.MultiheadAttention and the Transformer
# layers go through it too); a float mask is scaled and added in one fused step.
_FLASH_VALUES = """
import torch
import torch.nn.functional as F
torch.manual_seed(3)
torch.set_printoptions(precision=10)
for (b, h, l, s, d) in [(2, 3, 5, 5, 7), (1, 2, 19, 19, 6), (3, 4, 40, 40, 64), (1, 1, 9, 37, 5)]:
    q, k, v = torch.randn(b, h, l, d), torch.randn(b, h, s, d), torch.randn(b, h, s, d)
    print(F.scaled_dot_product_attention(q, k, v).flatten()[:12])
    print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.randn(l, s)).sum(-1)[0, 0])
    print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.rand(b, 1, l, s) > 0.4)[0, 0])
    if l == s:
        print(F.scaled_dot_product_attention(q, k, v, is_causal=True)[-1, -1])
qd = torch.randn(2, 2, 6, 3, dtype=torch.float64)
print(F.scaled_dot_product_attention(qd, qd, qd, is_causal=True))
mha = torch.nn.MultiheadAttention(8, 2).eval()
x = torch.randn(6, 2, 8)
mask = torch.nn.Transformer.generate_square_subsequent_mask(6)
print(mha(x, x, x, attn_mask=mask, need_weights=False)[0])
q = torch.randn(1, 2, 4, 3, requires_grad=True)
out = F.scaled_dot_product_attention(q, q, q)
print(out.grad_fn.name())
out.pow(2).sum().backward()
print(q.grad.shape)
"""


@pytest.mark.parametrize("program", [_FLASH_VALUES])
def test_flash_attention_values_to_the_last_bit(program: str) -> None:
    assert gd_output(program) == torch_output(program)
