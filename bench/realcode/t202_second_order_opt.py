# Newton's method with autograd (grad with create_graph, hessian via double backward), LBFGS closure on Rosenbrock
import torch
def rosen(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
p = torch.tensor([-1.0, 1.0], dtype=torch.float64, requires_grad=True)
for it in range(6):
    f = rosen(p)
    g, = torch.autograd.grad(f, p, create_graph=True)
    H = torch.stack([torch.autograd.grad(g[i], p, retain_graph=True)[0] for i in range(2)])
    with torch.no_grad():
        p -= torch.linalg.solve(H, g)
    print(it, f"{f.item():.6e}", p.detach().numpy().round(6))
q = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([q], lr=1, max_iter=50, history_size=10, line_search_fn='strong_wolfe')
def closure():
    opt.zero_grad()
    loss = rosen(q)
    loss.backward()
    return loss
for _ in range(3):
    l = opt.step(closure)
print(f"{l.item():.4e}", q.detach().round(decimals=4))
