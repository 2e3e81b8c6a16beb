# --- tensor math module
import math
import torch

t = torch.tensor(2.0)
print(math.sqrt(t), math.exp(torch.tensor(1.0)), math.log(torch.tensor([4.0])))
print(math.isclose(torch.tensor(0.1 + 0.2).item(), 0.3, rel_tol=1e-6), math.floor(torch.tensor(2.7)))
print(float(torch.tensor([3.5])), int(torch.tensor(3.9)), round(torch.tensor(2.567).item(), 2))
print(abs(torch.tensor(-1.5)), -torch.tensor(2), pow(torch.tensor(2.0), 3), divmod(7, 2))
print(max(torch.tensor([1.0, 5.0, 3.0])), min([torch.tensor(2.0), torch.tensor(1.0)]), sum(torch.tensor([1, 2, 3])))
print(sorted(torch.tensor([3, 1, 2]).tolist()), list(torch.tensor([1.0, 2.0])))
print(torch.tensor(math.pi), torch.tensor(math.inf), torch.tensor([math.nan, 1.0]).isnan())
print(math.prod([2, 3]), math.fsum([0.1] * 10), math.comb(5, 2), math.gamma(5.0))
print(torch.tensor(1e308, dtype=torch.float64) * 10, torch.tensor(3.0) / 0, torch.tensor(0.0) / 0)
print(torch.tensor(5) / torch.tensor(2), torch.tensor(5) // 2, torch.tensor(-5) // 2, 7 % torch.tensor(3))

# --- backward api variants
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)
y1 = (a * b).sum()
y2 = (a ** 2).sum() * b.sum()
torch.autograd.backward([y1, y2], grad_tensors=[torch.tensor(1.0), torch.tensor(0.5)])
print(a.grad, b.grad)
a.grad = None; b.grad = None
y = a * b
y.backward(gradient=torch.tensor([1.0, -1.0]))
print(a.grad, b.grad)
c = torch.tensor(2.0, requires_grad=True)
out = c ** 3
g1 = torch.autograd.grad(out, c, create_graph=True)[0]
g1.backward()
print(c.grad, g1)
d = torch.tensor([0.5, 1.5], requires_grad=True)
e = d.exp()
e.sum().backward(inputs=[d])
print(d.grad)
print(torch.autograd.grad(outputs=(d ** 2).sum(), inputs=d, only_inputs=True))
f = d * 1
f.retain_grad()
(f ** 2).sum().backward()
print(f.grad, f.is_leaf, d.grad)
