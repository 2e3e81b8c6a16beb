# Bahdanau (additive) attention decoder step with bmm, softmax weights, encoder outputs, masked_fill of pads
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(51)
class Attention(nn.Module):
    def __init__(self, enc_hid, dec_hid):
        super().__init__()
        self.attn = nn.Linear(enc_hid * 2 + dec_hid, dec_hid)
        self.v = nn.Linear(dec_hid, 1, bias=False)
    def forward(self, hidden, encoder_outputs, mask):
        src_len = encoder_outputs.shape[0]
        hidden = hidden.unsqueeze(1).repeat(1, src_len, 1)
        encoder_outputs = encoder_outputs.permute(1, 0, 2)
        energy = torch.tanh(self.attn(torch.cat((hidden, encoder_outputs), dim=2)))
        attention = self.v(energy).squeeze(2)
        attention = attention.masked_fill(mask == 0, -1e10)
        return F.softmax(attention, dim=1)
enc = nn.GRU(4, 3, bidirectional=True).double()
fc = nn.Linear(6, 5).double()
att = Attention(3, 5).double()
src = torch.randn(6, 2, 4, dtype=torch.float64)
outs, hidden = enc(src)
hidden = torch.tanh(fc(torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1)))
mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
a = att(hidden, outs, mask)
print(a)
weighted = torch.bmm(a.unsqueeze(1), outs.permute(1, 0, 2))
print(weighted.shape, weighted.squeeze(1))
weighted.sum().backward()
print(att.v.weight.grad)
