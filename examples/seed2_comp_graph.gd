# Seed tutorial 2 ("Autograd"), the computation graph of y = (x + w) * (w + 1).
#
#   a = x + w,   b = w + 1,   y = a * b
#
# w and x are LEAVES (created by the user); a, b and y are interior nodes,
# each remembering in grad_fn the operation that produced it.  The chain rule
# sums over both paths from y to w:
#   dy/dw = dy/da * da/dw + dy/db * db/dw = (w + 1) + (x + w) = 5
#   dy/dx = dy/da * da/dx                 = (w + 1)         = 2
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

# Backpropagate from y to every leaf.
y.backward()

print("is_leaf:\n", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
# Only leaves keep their gradient; the gradients of the interior nodes a, b, y
# are freed after the backward pass, so their .grad is None.  (PyTorch also
# warns on stderr about reading .grad of a non-leaf.)
print("gradient:\n", w.grad, x.grad, a.grad, b.grad, y.grad)
# Leaves have no grad_fn; each interior node has the backward function of
# the operation that created it.
print("grad_fn:\n", w.grad_fn, x.grad_fn, a.grad_fn, b.grad_fn, y.grad_fn)
