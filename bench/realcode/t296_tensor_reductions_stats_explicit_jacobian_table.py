# --- tensor reductions stats
import torch

torch.manual_seed(0)
x = torch.randn(6, 4)
print(x.mean(0), x.std(0), x.var(1, unbiased=False))
print(torch.std_mean(x, dim=0))
print(torch.var_mean(x, 1, correction=0))
print(x.median(), x.median(0), x.quantile(0.25), torch.quantile(x, torch.tensor([0.1, 0.9]), dim=0))
print(x.nanmean(), torch.nanmedian(torch.tensor([1.0, float("nan"), 3.0])))
print(x.max(1), x.amax(0), x.aminmax())
print(torch.corrcoef(x.T)[0])
print(torch.histc(x, bins=4, min=-2, max=2))
h = torch.histogram(x.flatten(), bins=3)
print(h.hist, h.bin_edges)
print(x.cummax(0).values[-1], torch.logcumsumexp(x[0], 0))
print(x.norm(dim=1), x.norm(p=1), x.sum(dtype=torch.float64))
z = (x - x.mean(0)) / x.std(0)
print(z.mean(0).abs().max() < 1e-6, z.std(0))

# --- explicit jacobian table
import torch

def polar_to_cart(r_theta):
    r, th = r_theta
    return torch.stack([r * torch.cos(th), r * torch.sin(th)])

p = torch.tensor([2.0, torch.pi / 6], requires_grad=True)
out = polar_to_cart(p)
rows = []
for i in range(2):
    g, = torch.autograd.grad(out[i], p, retain_graph=True)
    rows.append(g)
J = torch.stack(rows)
print(J)
print("det J =", torch.det(J).item(), "r =", p[0].item())
print(torch.autograd.functional.jacobian(polar_to_cart, p.detach()))
eye = torch.eye(2)
J2 = torch.stack([torch.autograd.grad(out, p, grad_outputs=eye[i], retain_graph=True)[0] for i in range(2)])
print(torch.equal(J, J2))
Jb, = torch.autograd.grad(out, p, grad_outputs=eye, is_grads_batched=True)
print(Jb)
