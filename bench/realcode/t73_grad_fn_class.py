# walking the graph: grad_fn class names, next_functions, type(), __class__ on tensors and values
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).exp().sum()
print(y.grad_fn.__class__.__name__, type(y.grad_fn).__name__)
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.__class__.__name__)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(y.grad_fn)
print(x.__class__, (3).__class__, "s".__class__.__name__, [1].__class__, {}.__class__.__name__, 2.5.__class__)
print(x.__class__ is torch.Tensor, x.__class__ == type(x), x.dtype.__class__, torch.nn.Linear(1, 1).__class__)
print(torch.nn.Parameter(torch.ones(1)).__class__.__name__, x.shape.__class__, (1, 2).__class__.__name__)
print(None.__class__, True.__class__, y.grad_fn.__class__.__module__ if False else '')
class A:
    pass
print(A().__class__.__name__, A.__name__, type(A()).__qualname__)
print(type(x).__name__, x.__class__.__qualname__, x.grad_fn.__class__ if x.grad_fn else None)
