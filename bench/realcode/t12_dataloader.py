import torch
from torch.utils.data import TensorDataset, DataLoader
torch.manual_seed(0)
X = torch.linspace(0, 1, 32).unsqueeze(1)
Y = 2 * X + 1
loader = DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)
model = torch.nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    print(epoch, round(total, 6))
print(model.weight.data, model.bias.data)
