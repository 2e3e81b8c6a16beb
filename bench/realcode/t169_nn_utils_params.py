# nn.utils: parameters_to_vector/vector_to_parameters, weight_norm/spectral_norm via parametrizations, fuse and count, clip with foreach
import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters
from torch.nn.utils.parametrizations import weight_norm, spectral_norm
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
v = parameters_to_vector(m.parameters())
print(v.shape, v[:3])
vector_to_parameters(torch.arange(float(v.numel())), m.parameters())
print(m[0].weight, m[1].bias)
wn = weight_norm(nn.Linear(3, 2))
print([n for n, _ in wn.named_parameters()])
print(wn.parametrizations.weight.original0.shape, wn.parametrizations.weight.original1.shape)
sn = spectral_norm(nn.Linear(4, 4))
sn.train()
for _ in range(5):
    sn(torch.randn(1, 4))
print(round(torch.linalg.matrix_norm(sn.weight, ord=2).item(), 3))
print(type(wn.parametrizations).__name__, nn.utils.parametrize.is_parametrized(wn))
