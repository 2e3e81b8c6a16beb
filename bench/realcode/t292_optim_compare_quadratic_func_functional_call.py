# --- optim compare quadratic
import torch

Q = torch.tensor([[10.0, 2.0], [2.0, 1.0]])
c = torch.tensor([1.0, -1.0])
def f(x):
    return 0.5 * x @ Q @ x - c @ x
print(f"{'optimizer':>10} {'f(x)':>12} {'x0':>10} {'x1':>10}")
for name, ctor in [("SGD", lambda p: torch.optim.SGD(p, lr=0.05)),
                   ("Momentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
                   ("Nesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
                   ("Adam", lambda p: torch.optim.Adam(p, lr=0.1)),
                   ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.01)),
                   ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.5))]:
    x = torch.zeros(2, requires_grad=True)
    opt = ctor([x])
    for _ in range(100):
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        opt.step()
    print(f"{name:>10} {f(x).item():12.6f} {x[0].item():10.5f} {x[1].item():10.5f}")
print(torch.linalg.solve(Q, c))

# --- func functional call
import torch
import torch.nn as nn
from torch.func import functional_call, grad, vmap, jacrev

torch.manual_seed(0)
model = nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)
y = torch.randn(5, 1)
def loss_fn(p, xb, yb):
    return ((functional_call(model, p, (xb,)) - yb) ** 2).mean()
g = grad(loss_fn)(params, x, y)
print({k: v.shape for k, v in g.items()})
print(g["weight"], g["bias"])
per = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, x.unsqueeze(1), y.unsqueeze(1))
print(per["weight"].shape, torch.allclose(per["weight"].mean(0), g["weight"]))
J = jacrev(lambda p: functional_call(model, p, (x,)))(params)
print(J["weight"].shape, J["bias"].squeeze())
new = {k: v - 0.1 * g[k] for k, v in params.items()}
print(loss_fn(params, x, y).item() > loss_fn(new, x, y).item())
print(functional_call(model, (params,), x[:2]))
