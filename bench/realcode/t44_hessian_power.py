# Curvature of a small net's loss: gradients with create_graph, Hessian-vector products,
# power iteration for the top eigenvalue, the last layer's full Hessian row by row, and a
# Gauss-Newton diagonal from per-sample gradients.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.Softplus(), nn.Linear(8, 1))
X = torch.randn(20, 3)
y = torch.randn(20, 1)
params = [p for p in model.parameters()]

def loss_fn():
    return nn.functional.mse_loss(model(X), y)

loss = loss_fn()
grads = torch.autograd.grad(loss, params, create_graph=True)
flat_g = torch.cat([g.reshape(-1) for g in grads])
print("n params", flat_g.numel(), "grad norm", flat_g.norm().item())
v = [torch.randn_like(p) for p in params]
gv = sum((g * vi).sum() for g, vi in zip(grads, v))
hv = torch.autograd.grad(gv, params, retain_graph=True)
print([h.shape for h in hv])
print(hv[2])

# power iteration for top Hessian eigenvalue
vec = [torch.randn_like(p) for p in params]
for it in range(10):
    norm = torch.sqrt(sum((x ** 2).sum() for x in vec))
    vec = [x / norm for x in vec]
    gv = sum((g * x).sum() for g, x in zip(grads, vec))
    Hv = torch.autograd.grad(gv, params, retain_graph=True)
    eig = sum((h * x).sum() for h, x in zip(Hv, vec)).item()
    vec = [h.detach() for h in Hv]
    if it % 3 == 0:
        print(it, round(eig, 5))
# full Hessian of last layer
w_last = params[2]
g_last = grads[2].reshape(-1)
H = torch.stack([torch.autograd.grad(g_last[i], w_last, retain_graph=True)[0].reshape(-1) for i in range(g_last.numel())])
print(H.shape, torch.allclose(H, H.T, atol=1e-6))
print(torch.linalg.eigvalsh(H)[-3:])
# Gauss-Newton diagonal via per-sample gradients
diag = torch.zeros_like(w_last)
for i in range(5):
    out = model(X[i:i + 1])
    (gi,) = torch.autograd.grad(out.sum(), w_last)
    diag += gi ** 2
print(diag / 5)
