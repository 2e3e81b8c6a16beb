# torch.func: vmap over batch, jacrev/jacfwd, hessian, grad with argnums and has_aux, functional_call with a dict
import torch
from torch.func import vmap, jacrev, jacfwd, hessian, grad, functional_call
torch.manual_seed(0)
def f(x):
    return x.sin().sum() + (x ** 2).prod()
x = torch.randn(3)
print(grad(f)(x), jacrev(f)(x))
print(hessian(f)(x))
def g(x, y):
    return (x * y).sum(), x.detach()
gx, aux = grad(g, argnums=0, has_aux=True)(x, torch.ones(3))
print(gx, aux)
print(grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, 2 * x))
J = jacfwd(lambda v: torch.stack([v[0] * v[1], v[1].exp(), v.sum()]))(x)
print(J)
batch = torch.randn(4, 3)
print(vmap(f)(batch))
print(vmap(grad(f))(batch).shape)
model = torch.nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
def loss_fn(p, inp):
    return functional_call(model, p, (inp,)).pow(2).mean()
per_sample = vmap(grad(loss_fn), in_dims=(None, 0))(params, batch.unsqueeze(1))
print({k: v.shape for k, v in per_sample.items()})
