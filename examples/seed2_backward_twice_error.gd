# Companion to seed2_retain_graph.gd: the same two backward calls WITHOUT
# retain_graph=True.  The first backward frees the graph's saved tensors, so
# the second one fails with PyTorch's "Trying to backward through the graph a
# second time" error.  This program is expected to fail at the last line.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(w.grad)
y.backward()
