# computational graph demo: y = w*x + b, intermediate grads, retain_graph, grad accumulation, zero_
import torch
x = torch.tensor(2.0)
w = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
z = y ** 2
z.backward(retain_graph=True)
print(w.grad, b.grad)
z.backward()
print(w.grad, b.grad)
w.grad.zero_(); b.grad.zero_()
z = (w * x + b) ** 2
dz_dw, dz_db = torch.autograd.grad(z, [w, b])
print(dz_dw, dz_db)
print(w.grad, w.is_leaf, y.is_leaf, y.requires_grad, x.requires_grad)
print(y)
print(z.grad_fn, z.grad_fn.next_functions)
try:
    print(y.grad)
except Exception as e:
    print(e)
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b2 = a ** 2
c = b2.mean()
c.backward()
print(a.grad, a.grad.data, a.grad.requires_grad)
print(torch.autograd.grad((a * a).sum(), a, create_graph=True))
v = torch.tensor([0.1, 1.0, 0.0001])
a.grad = None
(a * 2).backward(v)
print(a.grad)
