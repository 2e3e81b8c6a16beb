# weight_norm / spectral_norm (parametrizations) on Linear and Conv, state_dict keys, training step
import torch
import torch.nn as nn
from torch.nn.utils import parametrizations
torch.manual_seed(33)
lin = parametrizations.weight_norm(nn.Linear(4, 3).double())
print(lin)
print(sorted(lin.state_dict().keys()))
print(lin.parametrizations.weight.original0.shape, lin.parametrizations.weight.original1.shape)
x = torch.randn(5, 4, dtype=torch.float64)
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
for i in range(3):
    opt.zero_grad()
    l = lin(x).pow(2).mean()
    l.backward()
    opt.step()
    print(i, f"{l.item():.10f}")
print(lin.weight.norm(dim=1))
sn = parametrizations.spectral_norm(nn.Linear(4, 4).double())
y = sn(x)
print(torch.linalg.matrix_norm(sn.weight, 2).item())
old = nn.utils.weight_norm(nn.Linear(3, 2))
print(sorted(n for n, _ in old.named_parameters()))
print(old.weight_g.shape, old.weight_v.shape)
