# Seeded randomness and dropout, bit for bit with PyTorch's CPU generator.
#
# After torch.manual_seed, randint, randperm and dropout's mask draw exactly the
# numbers PyTorch draws. Dropout in training mode zeroes each element with
# probability p and scales the rest by 1 / (1 - p): the graph records x * mask
# (MulBackward0), so the gradient is the mask itself. In eval mode (training=False)
# dropout returns its input unchanged.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device)

labels = torch.randint(0, 10, (8,))
order = torch.randperm(8)
print(labels, order)
print(labels[order])

x = torch.ones(2, 8, requires_grad=True, device=device)
y = F.dropout(x, p=0.25)
print(y)
y.sum().backward()
print(x.grad)

x.grad = None
z = F.dropout(x, p=0.25, training=False)
print(z is x)

w = torch.empty(3, 2).uniform_(-1.0, 1.0)
print(w)
