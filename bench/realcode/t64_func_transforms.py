# torch.func: grad, vmap, jacrev, jacfwd, hessian, functional_call
import torch
from torch.func import grad, vmap, jacrev, jacfwd, hessian, functional_call, grad_and_value
torch.manual_seed(5)
f = lambda x: torch.sin(x).sum()
x = torch.randn(3)
print(grad(f)(x), torch.cos(x))
print(grad(grad(lambda x: torch.sin(x)))(torch.tensor(1.0)))
print(vmap(grad(lambda x: x ** 3))(torch.tensor([1.0, 2.0, 3.0])))
g, v = grad_and_value(lambda x: (x ** 2).sum())(x)
print(g, v)
def model(w, b, x):
    return torch.tanh(x @ w + b)
w = torch.randn(3, 2); b = torch.randn(2)
print(jacrev(model, argnums=(0, 1))(w, b, x)[1])
print(jacfwd(model)(w, b, x).shape)
print(hessian(lambda x: (x ** 3).sum())(x))
net = torch.nn.Linear(3, 1)
params = {k: v.detach() for k, v in net.named_parameters()}
def loss_fn(params, x, t):
    y = functional_call(net, params, (x,))
    return ((y - t) ** 2).mean()
xs = torch.randn(5, 3); ts = torch.randn(5, 1)
grads = grad(loss_fn)(params, xs, ts)
print({k: v.shape for k, v in grads.items()})
per = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, xs.unsqueeze(1), ts.unsqueeze(1))
print(per['weight'].shape, torch.allclose(per['weight'].mean(0), grads['weight'], atol=1e-6))
print(vmap(torch.dot)(torch.ones(4, 3), torch.arange(12.).reshape(4, 3)))
print(vmap(lambda a: a.sum(), in_dims=1)(torch.arange(6.).reshape(2, 3)))
