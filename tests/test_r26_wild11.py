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


# nn.RNNBase's members that code outside forward uses: all_weights (the parameters by
# layer and direction, read live), _flat_weights_names / _all_weights / _flat_weights,
# get_expected_hidden_size (and LSTM's get_expected_cell_size), check_input,
# check_hidden_size, check_forward_args and permute_hidden, with PyTorch's messages.
_RNN_BASE_MEMBERS = """
import torch
import torch.nn as nn
torch.manual_seed(1)
lstm = nn.LSTM(2, 5, num_layers=2, bidirectional=True, proj_size=3, batch_first=True)
print([[tuple(w.shape) for w in group] for group in lstm.all_weights])
print(lstm._flat_weights_names[:5], len(lstm._flat_weights), lstm._all_weights[-1])
for group in lstm.all_weights:
    for w in group:
        nn.init.constant_(w, 0.25)
print(lstm.bias_hh_l1_reverse[:3], lstm.weight_hr_l0[0])
x = torch.randn(4, 6, 2)
print(lstm.get_expected_hidden_size(x, None), lstm.get_expected_cell_size(x, None))
lstm.check_forward_args(x, (torch.zeros(4, 4, 3), torch.zeros(4, 4, 5)), None)
z = torch.zeros
for hidden in ((z(4, 4, 5), z(4, 4, 5)), (z(4, 4, 3), z(2, 4, 5))):
    try:
        lstm.check_forward_args(x, hidden, None)
    except RuntimeError as e:
        print(e)
for bad in (torch.randn(6, 2), torch.randn(4, 6, 2, dtype=torch.float64), torch.randn(4, 6, 3)):
    try:
        lstm.check_input(bad, None)
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)
rnn = nn.RNN(3, 2)
print(rnn.get_expected_hidden_size(torch.randn(5, 3), torch.tensor([2, 2, 1])))
try:
    rnn.check_hidden_size(torch.zeros(1, 2, 3), (1, 2, 2))
except RuntimeError as e:
    print(e)
print(rnn.permute_hidden(torch.arange(6.).view(1, 3, 2), torch.tensor([2, 0, 1])))
print(rnn.double().all_weights[0][0].dtype, rnn.all_weights[0][1] is rnn.weight_hh_l0)
"""

# MultiheadAttention.merge_masks: the padding mask alone (type 1), an attention mask
# viewed as (batch, heads, length, length) (type 2), or the two summed.
_MERGE_MASKS = """
import torch
import torch.nn as nn
mha = nn.MultiheadAttention(6, 3, batch_first=True)
q = torch.randn(2, 4, 6)
pad = torch.tensor([[0., 0., 0., float('-inf')], [0., float('-inf'), float('-inf'), float('-inf')]])
causal = nn.Transformer.generate_square_subsequent_mask(4)
print(mha.merge_masks(None, None, q), mha.merge_masks(None, pad, q)[1])
merged, kind = mha.merge_masks(causal, pad, q)
print(kind, merged.shape, merged[1, 2])
print(mha.merge_masks(torch.zeros(6, 4, 4), None, q)[0].shape)
"""


@pytest.mark.parametrize("program", [_RNN_BASE_MEMBERS, _MERGE_MASKS])
def test_rnn_base_and_attention_members(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# TransformerEncoderLayer / TransformerDecoderLayer run through their _sa_block,
# _mha_block and _ff_block methods: a subclass overriding one (to keep the attention
# weights, or to drop the feed-forward) changes what the layer computes, as in PyTorch.
_TRANSFORMER_BLOCKS = """
import torch
import torch.nn as nn
torch.manual_seed(2)
class KeepWeights(nn.TransformerEncoderLayer):
    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x, w = self.self_attn(x, x, x, attn_mask=attn_mask,
                              key_padding_mask=key_padding_mask, need_weights=True)
        self.kept = w.detach()
        return self.dropout1(x)
layer = KeepWeights(6, 2, dim_feedforward=12, dropout=0.0, batch_first=True)
x = torch.randn(2, 4, 6)
y = layer(x, src_mask=nn.Transformer.generate_square_subsequent_mask(4))
print(y[1, 2], layer.kept[0])
class NoFeedForward(nn.TransformerDecoderLayer):
    def _ff_block(self, x):
        return torch.zeros_like(x)
dec = NoFeedForward(6, 3, 12, 0.0, batch_first=True, norm_first=True)
print(dec(x, torch.randn(2, 3, 6))[0, 0])
plain = nn.TransformerDecoderLayer(6, 3, 12, 0.0, batch_first=True)
print(plain._mha_block(x, x, None, None).shape, plain._ff_block(x)[0, 0])
"""


@pytest.mark.parametrize("program", [_TRANSFORMER_BLOCKS])
def test_transformer_layers_call_their_blocks(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# torch.nn.utils.rnn.invert_permutation, the helper PackedSequence's indices come from.
_INVERT_PERMUTATION = """
import torch
from torch.nn.utils.rnn import invert_permutation, pack_sequence
p = torch.tensor([3, 0, 2, 1])
print(invert_permutation(p), invert_permutation(None), p[invert_permutation(p)])
packed = pack_sequence([torch.ones(2), torch.ones(4), torch.ones(1)], enforce_sorted=False)
print(torch.equal(invert_permutation(packed.sorted_indices), packed.unsorted_indices))
"""


@pytest.mark.parametrize("program", [_INVERT_PERMUTATION])
def test_invert_permutation(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# PackedSequence.cpu() (and .to / .float / ... that change nothing) give the same
# PackedSequence back, as PyTorch's `to` does; a real conversion gives a new one.
_PACKED_CONVERSIONS = """
import torch
from torch.nn.utils.rnn import pack_sequence
p = pack_sequence([torch.ones(3), torch.ones(2), torch.ones(1)])
for q in (p.cpu(), p.float(), p.to('cpu'), p.to(torch.float32), p.double(), p.long()):
    print(q is p, q.data.dtype, q.batch_sizes)
"""


@pytest.mark.parametrize("program", [_PACKED_CONVERSIONS])
def test_packed_sequence_conversions(program: str) -> None:
    assert gd_output(program) == torch_output(program)
