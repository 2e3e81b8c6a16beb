# --- func advanced
import torch
from torch.func import jacrev, jacfwd, vmap, grad, hessian

def f(x, y):
    return (x ** 2 * y).sum(), x * y
J, aux = jacrev(f, argnums=(0, 1), has_aux=True)(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))
print(J, aux)
print(jacrev(lambda x: x.sin(), chunk_size=1)(torch.tensor([0.1, 0.2])))
print(jacfwd(lambda x, y: x * y, argnums=1)(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
print(hessian(lambda x, y: (x * y ** 2).sum(), argnums=(0, 1))(torch.tensor([1.0]), torch.tensor([2.0])))
def loss(w, x):
    return (w * x).sum() ** 2
print(vmap(grad(loss), in_dims=(None, 0))(torch.tensor([1.0, -1.0]), torch.tensor([[1.0, 2.0], [3.0, 1.0]])))
print(vmap(lambda x: torch.randn_like(x) * 0 + x, randomness="same")(torch.ones(2, 2)))
d = vmap(lambda x: {"s": x.sum(), "m": x.max()})(torch.arange(6.0).view(2, 3))
print(d)
print(vmap(lambda x, y: (x + y, x - y), out_dims=(0, 1))(torch.ones(2, 3), torch.zeros(2, 3))[1].shape)
