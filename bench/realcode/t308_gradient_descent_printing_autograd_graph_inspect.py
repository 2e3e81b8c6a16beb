# --- gradient descent printing
import torch

def f(x, y):
    return x ** 2 + 3 * y ** 2 + x * y - 2 * x

x = torch.tensor(3.0, requires_grad=True)
y = torch.tensor(-2.0, requires_grad=True)
lr = 0.1
print("Step |    x     |    y     |   f(x,y)")
for step in range(0, 31):
    z = f(x, y)
    if step % 5 == 0:
        print("%4d | %8.4f | %8.4f | %10.6f" % (step, x.item(), y.item(), z.item()))
    z.backward()
    with torch.no_grad():
        x.sub_(lr * x.grad)
        y.sub_(lr * y.grad)
    x.grad.zero_()
    y.grad.zero_()
print(x, y)
print(f"min at ({x.item():.4f}, {y.item():.4f})")
print(x.grad, y.grad, x.data, y.detach())

# --- autograd graph inspect
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x.exp() * 2).sum()
print(y.grad_fn)
print(y.grad_fn.next_functions)
node = y.grad_fn
names = []
while node is not None:
    names.append(type(node).__name__)
    node = node.next_functions[0][0] if node.next_functions else None
print(names)
print(x.exp().grad_fn.name(), (x * 2).grad_fn.metadata)
z = x.exp()
print(z.grad_fn._saved_result if hasattr(z.grad_fn, "_saved_result") else None)
print(x.requires_grad, y.requires_grad, x.grad_fn, x.is_leaf, y.is_leaf)
print(y.dtype, y.device, y.shape, y.ndim, x.numel(), x.element_size())
