# GRU/LSTM cells unrolled by hand over time vs full nn.LSTM, hidden state detach between chunks (truncated BPTT), h0/c0 shapes
import torch
import torch.nn as nn
torch.manual_seed(0)
lstm = nn.LSTM(3, 4, batch_first=True)
cell = nn.LSTMCell(3, 4)
with torch.no_grad():
    cell.weight_ih.copy_(lstm.weight_ih_l0)
    cell.weight_hh.copy_(lstm.weight_hh_l0)
    cell.bias_ih.copy_(lstm.bias_ih_l0)
    cell.bias_hh.copy_(lstm.bias_hh_l0)
x = torch.randn(2, 5, 3)
out, (h, c) = lstm(x)
hx, cx = torch.zeros(2, 4), torch.zeros(2, 4)
outs = []
for t in range(5):
    hx, cx = cell(x[:, t], (hx, cx))
    outs.append(hx)
print(torch.allclose(torch.stack(outs, 1), out, atol=1e-6), h.shape, c.shape)
gru = nn.GRU(3, 4, num_layers=2)
seq = torch.randn(6, 1, 3)
hidden = torch.zeros(2, 1, 4)
total = 0.0
for chunk in seq.split(2):
    hidden = hidden.detach()
    o, hidden = gru(chunk, hidden)
    loss = o.pow(2).mean()
    loss.backward()
    total += loss.item()
print(round(total, 5), gru.weight_hh_l1.grad.shape, hidden.requires_grad)
