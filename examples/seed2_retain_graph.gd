# Seed tutorial 2, "automatic differentiation": calling backward twice.
#
# A backward pass frees the buffers the graph saved for it.  To run backward
# through the same graph again, the first call must pass retain_graph=True.
# The second call ADDS its gradient to w.grad: 5, then 5 + 5 = 10.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward(retain_graph=True)
print(w.grad)
y.backward()
print(w.grad)
