# nn.LSTM 2 layers, bidirectional, batch_first, with h0/c0, dropout between layers in eval
import torch
import torch.nn as nn
torch.manual_seed(11)
lstm = nn.LSTM(input_size=3, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True, dropout=0.2).double()
print(lstm)
for name, p in lstm.named_parameters():
    print(name, tuple(p.shape))
x = torch.randn(2, 5, 3, dtype=torch.float64)
h0 = torch.zeros(4, 2, 4, dtype=torch.float64)
c0 = torch.zeros(4, 2, 4, dtype=torch.float64)
lstm.eval()
out, (hn, cn) = lstm(x, (h0, c0))
print(out.shape, hn.shape, cn.shape)
print(out[:, -1, :4])
print(hn[-2])
print(torch.allclose(out[:, -1, :4], hn[-2]), torch.allclose(out[:, 0, 4:], hn[-1]))
out.sum().backward()
print(lstm.weight_hh_l1_reverse.grad.sum().item())
