# Mini-batch training with torch.utils.data, draw for draw as in PyTorch.
#
# A TensorDataset pairs the rows of X and y; random_split divides it with PyTorch's
# permutation; a DataLoader with shuffle=True gives a new order each epoch (default
# collate: a list [xb, yb] of stacked rows). Every epoch draws from the generator as
# PyTorch's loader does, so the torch.randn after the loop prints the same numbers.
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
X = torch.linspace(-1, 1, 20).unsqueeze(1)
y = 3 * X - 0.5 + 0.1 * torch.randn(20, 1)

dataset = TensorDataset(X, y)
print(len(dataset), dataset[0])

train_set, val_set = random_split(dataset, [16, 4])
print(val_set.indices)

loader = DataLoader(train_set, batch_size=5, shuffle=True)
xb, yb = next(iter(loader))
print(len(loader), xb.shape, yb.shape)

w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(5):
    total = 0.0
    for xb, yb in loader:
        loss = ((xb * w + b - yb) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.3 * w.grad
            b -= 0.3 * b.grad
            w.grad.zero_()
            b.grad.zero_()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: train loss {total / len(train_set):.5f}")

with torch.no_grad():
    val_x, val_y = next(iter(DataLoader(val_set, batch_size=len(val_set))))
    print(f"val loss {((val_x * w + b - val_y) ** 2).mean().item():.5f}")
print(w, b)
print(torch.randn(2))
