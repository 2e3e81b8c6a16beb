# Seed tutorial 2, note 2: a tensor computed from a leaf that requires grad
# requires grad too (requires_grad propagates forward), and it is not a leaf.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

print(a.requires_grad, b.requires_grad, y.requires_grad)
print(a.is_leaf, b.is_leaf, y.is_leaf)

# A tensor computed only from tensors that do not require grad is a leaf
# with requires_grad False: nothing is recorded for it.
c = torch.ones(1) * 3
print(c.requires_grad, c.is_leaf, c.grad_fn)
