# Gradient checking by central finite differences vs autograd, and torch.autograd.gradcheck
import torch
torch.manual_seed(4)
def func(x, W):
    return torch.tanh(x @ W).pow(2).sum()
x = torch.randn(3, 4, dtype=torch.float64)
W = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
loss = func(x, W)
loss.backward()
num = torch.zeros_like(W)
eps = 1e-6
for i in range(W.shape[0]):
    for j in range(W.shape[1]):
        Wp = W.detach().clone(); Wp[i, j] += eps
        Wm = W.detach().clone(); Wm[i, j] -= eps
        num[i, j] = (func(x, Wp) - func(x, Wm)) / (2 * eps)
print(W.grad)
print(num)
rel = (W.grad - num).abs().max() / num.abs().max()
print("relative error < 1e-6:", bool(rel < 1e-6))
print(torch.allclose(W.grad, num, atol=1e-6))
from torch.autograd import gradcheck, gradgradcheck
inp = (torch.randn(3, 4, dtype=torch.double, requires_grad=True), torch.randn(4, 2, dtype=torch.double, requires_grad=True))
print(gradcheck(func, inp, eps=1e-6, atol=1e-4))
print(gradgradcheck(func, inp))
try:
    gradcheck(lambda a: a.float().sin(), (torch.randn(2, dtype=torch.double, requires_grad=True),))
except Exception as e:
    print(type(e).__name__)
