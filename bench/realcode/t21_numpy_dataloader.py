# A small MLP fitted to numpy data through a TensorDataset/DataLoader with Adam.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
np.random.seed(0)
torch.manual_seed(0)
x = np.linspace(-1, 1, 64).reshape(-1, 1).astype(np.float32)
y = (x ** 2 + 0.1 * np.random.randn(*x.shape)).astype(np.float32)
ds = TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
dl = DataLoader(ds, batch_size=16, shuffle=True)
net = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for epoch in range(30):
    total = 0.0
    for xb, yb in dl:
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    if epoch % 10 == 9:
        print(epoch + 1, round(total / len(ds), 5))
with torch.no_grad():
    pred = net(torch.tensor([[0.5]])).numpy()
print(pred, pred.shape, np.abs(pred - 0.25) < 0.2)
