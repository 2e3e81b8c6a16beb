# autograd mechanics notes: requires_grad propagation, is_leaf, retain_grad, hooks, no_grad, inference_mode
import torch
x = torch.randn(5, 5)
y = torch.randn(5, 5)
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad, b.is_leaf, z.is_leaf, b.grad_fn.next_functions)
w = torch.ones(3, requires_grad=True)
h = w * 2
h.retain_grad()
out = (h ** 2).sum()
hk = w.register_hook(lambda g: print("hook on w:", g))
h.register_hook(lambda g: g * 10)
out.backward()
print(h.grad, w.grad)
hk.remove()
with torch.no_grad():
    q = w * 2
print(q.requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    r = w * 2
print(r.requires_grad, r.is_inference(), torch.is_inference_mode_enabled())
@torch.no_grad()
def doubler(t):
    return t * 2
print(doubler(w).requires_grad)
torch.set_grad_enabled(False)
print((w * 3).requires_grad)
torch.set_grad_enabled(True)
d = w.detach()
d[0] = 5
print(w)
s = w.sum()
print(s.grad_fn.name(), s.grad_fn.next_functions[0][0].variable is w, s.grad_fn.next_functions[0][0].__class__.__name__)
try:
    s.backward(); s.backward()
except RuntimeError as e:
    print(str(e)[:90])
print(torch.ones(2, requires_grad=True).add_(1) if False else "skip")
lf = torch.ones(2, requires_grad=True)
try:
    lf.add_(1)
except RuntimeError as e:
    print(e)
