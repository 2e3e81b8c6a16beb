# autograd mechanics notes: requires_grad propagation, no_grad, inference_mode, in-place correctness checks, retain_graph
import torch
x = torch.randn(5, 5)
y = torch.randn(5, 5)
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad, b.grad_fn.name())
with torch.no_grad():
    c = z * 2
print(c.requires_grad, c.is_leaf)
with torch.inference_mode():
    d = z * 2
print(d.requires_grad, d.is_inference())
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
s = w.sigmoid()
s.sum().backward(retain_graph=True)
print(w.grad)
s.sum().backward()
print(w.grad)
v = torch.tensor([1.0, 2.0], requires_grad=True)
e = v.exp()
e.add_(1)
try:
    e.sum().backward()
except RuntimeError as err:
    print(str(err)[:80])
u = torch.tensor([0.5, 1.5], requires_grad=True)
out = u.sin()
out2 = out * 2
out.mul_(3) if False else None
g, = torch.autograd.grad(out2.sum(), u, create_graph=True)
print(g, g.requires_grad)
h, = torch.autograd.grad(g.sum(), u)
print(h)
