# torch.nn.grad conv gradient helpers vs autograd
import torch
import torch.nn.functional as F
torch.manual_seed(11)
x = torch.randn(2, 3, 7, requires_grad=True)
w = torch.randn(4, 3, 3, requires_grad=True)
y = F.conv1d(x, w, stride=2, padding=1)
go = torch.randn_like(y)
gx, gw = torch.autograd.grad(y, (x, w), go)
print(torch.allclose(torch.nn.grad.conv1d_input(x.shape, w, go, stride=2, padding=1), gx, atol=1e-5))
print(torch.allclose(torch.nn.grad.conv1d_weight(x, w.shape, go, stride=2, padding=1), gw, atol=1e-5))
x2 = torch.randn(1, 2, 5, 5, requires_grad=True)
w2 = torch.randn(3, 2, 3, 3, requires_grad=True)
y2 = F.conv2d(x2, w2, padding=1)
go2 = torch.ones_like(y2)
gx2, gw2 = torch.autograd.grad(y2, (x2, w2), go2)
print(torch.allclose(torch.nn.grad.conv2d_input(x2.shape, w2, go2, padding=1), gx2, atol=1e-5))
print(torch.allclose(torch.nn.grad.conv2d_weight(x2, w2.shape, go2, padding=1), gw2, atol=1e-5))
print(torch.nn.grad.conv2d_weight(x2, w2.shape, go2, padding=1).shape)
