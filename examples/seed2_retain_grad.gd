# Seed tutorial 2, note 1: the gradient of a non-leaf is freed after backward
# unless you call retain_grad() on it before the backward pass.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
a.retain_grad()       # keep dy/da
b = torch.add(w, 1)   # b.grad will stay None
y = torch.mul(a, b)

y.backward()
print(w.grad, x.grad)
print(a.grad)         # dy/da = b = 2
print(b.grad is None)
