# weight init: xavier_uniform_, kaiming_normal_ with fan_out, orthogonal_, calculate_gain, trunc_normal_, statistics of the results
import torch
import torch.nn as nn
torch.manual_seed(0)
w = torch.empty(64, 32)
nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('relu'))
print(round(w.std().item(), 4), round(w.abs().max().item(), 4))
nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')
print(round(w.std().item(), 4))
q = torch.empty(4, 4)
nn.init.orthogonal_(q)
print(torch.allclose(q @ q.T, torch.eye(4), atol=1e-5))
print(nn.init.calculate_gain('tanh'), nn.init.calculate_gain('leaky_relu', 0.2), nn.init.calculate_gain('selu'))
t = torch.empty(1000)
nn.init.trunc_normal_(t, std=0.02, a=-0.04, b=0.04)
print(t.abs().max().item() <= 0.04, round(t.std().item(), 4))
lin = nn.Linear(10, 5)
nn.init.zeros_(lin.bias)
nn.init.eye_(lin.weight[:, :5]) if False else None
print(lin.bias, nn.init._calculate_fan_in_and_fan_out(lin.weight) if hasattr(nn.init, '_calculate_fan_in_and_fan_out') else None)
