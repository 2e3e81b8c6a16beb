# Seed tutorial 4: torch.autograd.backward versus torch.autograd.grad.
#
#   torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None,
#                           create_graph=False)
# accumulates gradients into the .grad of the leaves, while
#   torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None,
#                       create_graph=False)
# RETURNS the gradients (a tuple, one per input) and leaves .grad alone.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
c = torch.mul(a, b)

# retain_graph=True keeps the graph so we can differentiate c again below.
c.backward(retain_graph=True)

# dc/dw = b + a = 2 + 3
print(w.grad)
# dc/dx = b = 2
print(x.grad)

# The same gradients, returned instead of accumulated.
dw, dx = torch.autograd.grad(c, (w, x))
print(dw, dx)
print(w.grad)   # unchanged by grad()

# grad_tensors / grad_outputs weight the outputs: 3 * dc/dw.
print(torch.autograd.grad(torch.mul(a, b), w, grad_outputs=torch.tensor([3.])))
