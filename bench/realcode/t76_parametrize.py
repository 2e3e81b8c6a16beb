# parametrizations: weight_norm, spectral_norm, custom parametrize.register_parametrization, orthogonal
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
torch.manual_seed(12)
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)
layer = nn.Linear(3, 3)
P.register_parametrization(layer, "weight", Symmetric())
A = layer.weight
print(torch.allclose(A, A.T), P.is_parametrized(layer), P.is_parametrized(layer, "bias"))
print(layer)
layer.weight.sum()
print(layer.parametrizations.weight.original.shape)
wn = nn.utils.parametrizations.weight_norm(nn.Linear(4, 2))
print([n for n, _ in wn.named_parameters()])
print(wn.parametrizations.weight.original0.shape, wn.parametrizations.weight.original1.shape)
sn = nn.utils.parametrizations.spectral_norm(nn.Linear(4, 4))
print(torch.linalg.matrix_norm(sn.weight, 2) < 1.01)
orth = nn.utils.parametrizations.orthogonal(nn.Linear(3, 3))
Q = orth.weight
print(torch.allclose(Q.T @ Q, torch.eye(3), atol=1e-5))
old = nn.utils.weight_norm(nn.Linear(2, 2))
print(sorted(n for n, _ in old.named_parameters()))
P.remove_parametrizations(layer, "weight")
print([n for n, _ in layer.named_parameters()])
