# Autograd in one page: record, backpropagate, read .grad.
#
# 1. Mark the inputs you want derivatives for with requires_grad=True.
# 2. Compute: every operation on them is recorded (define-by-run).
# 3. Call backward() on a scalar result: the chain rule runs backward through
#    the recorded operations and leaves d result / d input in input.grad.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor(0.5, requires_grad=True)

y = torch.exp(w * x)          # elementwise
loss = (y * y).sum()          # sum of exp(2 w x)
print(loss)

loss.backward()
# d loss / dx_i = 2 w exp(2 w x_i),   d loss / dw = sum 2 x_i exp(2 w x_i)
print(x.grad)
print(w.grad)

# Check against the formulas (computed without recording).
with torch.no_grad():
    print(torch.allclose(x.grad, 2 * w * torch.exp(2 * w * x)))
    print(torch.allclose(w.grad, (2 * x * torch.exp(2 * w * x)).sum()))

# The graph behind loss, from the top: each grad_fn links to its inputs'.
print(loss.grad_fn, y.grad_fn, x.is_leaf, y.is_leaf)
