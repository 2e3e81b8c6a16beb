# torch.where gradients (nan-safe where trick), clamp/clip gradients at the boundaries, relu vs where, sign/abs at 0
import torch
x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
y = torch.where(x > 0, x ** 2, -x)
y.sum().backward()
print(y, x.grad)
x.grad = None
safe = torch.where(x > 0, x, torch.ones_like(x))
z = torch.where(x > 0, torch.log(safe), torch.zeros_like(x))
z.sum().backward()
print(z, x.grad)
x.grad = None
c = x.clamp(-1.0, 0.5)
c.sum().backward()
print(c, x.grad)
x.grad = None
x.clamp(min=0).sum().backward()
print(x.grad)
x.grad = None
torch.relu(x).sum().backward()
print(x.grad)
x.grad = None
(x.abs() + x.sign()).sum().backward()
print(x.grad)
print(torch.where(x > 0), torch.where(x > 0, 1, 0), torch.clip(x, max=1.0))
a = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.where(a > 1.5, a, 0.0), torch.maximum(a, torch.tensor(1.5)))
