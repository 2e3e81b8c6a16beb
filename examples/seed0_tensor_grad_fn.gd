# Seed tutorial 0 (d2l 2.3, the "Tensor" section): leaves, grad_fn and is_leaf.
import torch

# A tensor created directly by the user is a LEAF: it has no grad_fn.
x = torch.ones(2, 2, requires_grad=True)
print(x)
print(x.grad_fn)

# y is the result of an addition involving x, so it records the function that
# created it: grad_fn is an AddBackward0 node of the graph.
y = x + 2
print(y)
print(y.grad_fn)

print(x.is_leaf, y.is_leaf)

# Each operation adds a node: z's grad_fn is MulBackward0, out's MeanBackward0.
z = y * y * 3
out = z.mean()
print(z, out)

# out = mean(3 (x + 2)^2), so d out / dx = 6 (x + 2) / 4 = 4.5 at x = 1.
out.backward()
print(x.grad)
