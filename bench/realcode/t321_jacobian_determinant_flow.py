# --- jacobian determinant flow
import torch
from torch.autograd.functional import jacobian

def transform(z):
    return torch.stack([z[0] * torch.exp(z[1]), torch.tanh(z[1]) + 0.5 * z[0] ** 2])

z = torch.tensor([0.3, -0.4], dtype=torch.float64)
J = jacobian(transform, z)
sign, logabs = torch.linalg.slogdet(J)
print(J, sign, logabs)
zs = torch.randn(5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
Js = torch.func.vmap(torch.func.jacrev(transform))(zs)
print(Js.shape, torch.logdet(Js @ Js.mT)[:3])
print(torch.det(Js))
base = torch.distributions.MultivariateNormal(torch.zeros(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64))
print(base.log_prob(zs) - torch.log(torch.det(Js).abs()))
