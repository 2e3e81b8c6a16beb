# nn.RNN nonlinearity relu, bias=False, seq-first; nn.RNNCell/LSTMCell/GRUCell loops
import torch
import torch.nn as nn
torch.manual_seed(17)
rnn = nn.RNN(3, 4, num_layers=2, nonlinearity='relu', bias=False).double()
print(rnn)
x = torch.randn(5, 2, 3, dtype=torch.float64)
out, h = rnn(x)
print(out[-1], h.shape)
cell = nn.LSTMCell(3, 4).double()
hx = torch.zeros(2, 4, dtype=torch.float64); cx = torch.zeros(2, 4, dtype=torch.float64)
outs = []
for t in range(x.size(0)):
    hx, cx = cell(x[t], (hx, cx))
    outs.append(hx)
print(torch.stack(outs, dim=0).shape, hx[0])
g = nn.GRUCell(3, 4).double()
hg = g(x[0])
print(hg)
r = nn.RNNCell(3, 4, nonlinearity='tanh').double()
print(r(x[0], hg).sum().item())
print(g)
