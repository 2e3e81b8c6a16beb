# --- activation derivs table
import torch
import torch.nn.functional as F

xs = torch.linspace(-3, 3, 7, requires_grad=True)
acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu, "leaky": lambda t: F.leaky_relu(t, 0.1),
        "elu": F.elu, "gelu": F.gelu, "silu": F.silu, "softplus": F.softplus, "mish": F.mish}
print("x      " + " ".join(f"{v:7.2f}" for v in xs.tolist()))
for name, fn in acts.items():
    y = fn(xs)
    g, = torch.autograd.grad(y.sum(), xs)
    print(f"{name:7s}" + " ".join(f"{v:7.4f}" for v in g.tolist()))
g2 = torch.autograd.grad(torch.autograd.grad(F.gelu(xs).sum(), xs, create_graph=True)[0].sum(), xs)[0]
print(g2)
