# --- autograd grad accum detach
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
for i in range(3):
    y = (x ** 2).sum()
    y.backward()
    print(i, x.grad)
x.grad = None
y = x * 2
z = y.detach() * x
z.sum().backward()
print(x.grad)
x.grad.zero_()
with torch.no_grad():
    k = x * 5
print(k.requires_grad, k.grad_fn)
with torch.enable_grad():
    k2 = x * 5
print(k2.requires_grad)
@torch.no_grad()
def upd(p):
    return p * 2
print(upd(x).requires_grad)
w = x.clone()
w.register_hook(lambda g: g * 10)
(w * w).sum().backward()
print(x.grad)
print(torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((x * 2).requires_grad)
torch.set_grad_enabled(True)
with torch.inference_mode():
    q = x * 3
print(q.requires_grad, torch.is_inference_mode_enabled())

# --- softmax jacobian
import torch

z = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
s = torch.softmax(z, 0)
J = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, 0), z)
print(J)
analytic = torch.diag(s) - torch.outer(s, s)
print(torch.allclose(J, analytic.detach()), (J - analytic).abs().max())
print(J.sum(0), J.sum(1))
J2 = torch.autograd.functional.jacobian(lambda t: torch.log_softmax(t, 0), z)
print(J2)
from torch.func import jacrev
print(jacrev(lambda t: torch.nn.functional.normalize(t, dim=0))(z.detach()))
