# torch.autograd.grad options: allow_unused, materialize_grads, grad_outputs, only_inputs, is_grads_batched
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0], requires_grad=True)
out = (x ** 2).sum()
print(torch.autograd.grad(out, [x, y], allow_unused=True, retain_graph=True))
print(torch.autograd.grad(out, [x, y], allow_unused=True, materialize_grads=True, retain_graph=True))
try:
    torch.autograd.grad(out, [x, y])
except RuntimeError as e:
    print(e)
z = x * torch.tensor([1.0, 10.0])
print(torch.autograd.grad(z, x, grad_outputs=torch.tensor([2.0, 3.0]), retain_graph=True))
print(torch.autograd.grad(z, x, torch.eye(2), is_grads_batched=True))
w = torch.ones(2, requires_grad=True)
try:
    torch.autograd.grad((w * 2), w)
except RuntimeError as e:
    print(e)
n = torch.tensor(1.0)
try:
    torch.autograd.grad(n * 2, n)
except RuntimeError as e:
    print(e)
print(torch.autograd.backward([x.sum(), y.sum()], [torch.tensor(1.0), torch.tensor(2.0)]), x.grad, y.grad)
x.grad = None
(x.sum() * 2).backward(inputs=[x])
print(x.grad)
