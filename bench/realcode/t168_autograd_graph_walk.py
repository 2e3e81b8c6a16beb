# inspecting the graph: grad_fn.next_functions walk, _saved_self, register_hook on tensors modifying grads, retain_grad on intermediates
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
z = y.exp().sum()
def walk(fn, depth=0):
    if fn is None:
        return
    print('  ' * depth + type(fn).__name__)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(z.grad_fn)
print(y.grad_fn._saved_other if hasattr(y.grad_fn, '_saved_other') else None, y.grad_fn._saved_self)
y.retain_grad()
h = x.register_hook(lambda g: g * 10)
z.backward()
print(y.grad, x.grad)
h.remove()
x.grad = None
(x * 3).exp().sum().backward()
print(x.grad)
a = torch.tensor(2.0, requires_grad=True)
b = a ** 2
b.register_hook(lambda g: print('grad at b:', g))
c = b * 5
c.backward()
print(a.grad, b.is_leaf, b.grad_fn.name(), c.grad_fn.next_functions)
