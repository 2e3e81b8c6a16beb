# TensorDataset + random_split with seeded generator, DataLoader shuffle with generator, train/eval loop, accuracy
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, random_split
torch.manual_seed(21)
X = torch.randn(40, 4)
y = (X[:, 0] + X[:, 1] > 0).long()
ds = TensorDataset(X, y)
train_ds, val_ds = random_split(ds, [30, 10], generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds), train_ds.indices[:5])
g = torch.Generator()
g.manual_seed(0)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, generator=g)
val_loader = DataLoader(val_ds, batch_size=4)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        running += loss.item() * xb.size(0)
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in val_loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
    print(f"epoch {epoch+1}: train loss {running/len(train_ds):.4f} val acc {100*correct/len(val_ds):.1f}%")
print(len(train_loader), len(val_loader))
xb, yb = next(iter(train_loader))
print(xb.shape, yb)
