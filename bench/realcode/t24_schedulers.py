import torch
import torch.nn as nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

torch.manual_seed(0)

# y = sin(3x) + noise, fitted by a small MLP
X = torch.linspace(-1, 1, 64).unsqueeze(1)
Y = torch.sin(3 * X) + 0.05 * torch.randn(64, 1)
dataset = TensorDataset(X, Y)
g = torch.Generator().manual_seed(42)
loader = DataLoader(dataset, batch_size=16, sampler=RandomSampler(dataset, generator=g))

model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
loss_fn = nn.MSELoss()

# phase 1: SGD with momentum under a one-cycle schedule
epochs = 6
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=epochs,
                                            steps_per_epoch=len(loader))
for epoch in range(epochs):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
    print(f"epoch {epoch}: loss {total / len(loader):.6f} lr {sched.get_last_lr()[0]:.6f} "
          f"momentum {opt.param_groups[0]['momentum']:.4f}")

# phase 2: NAdam, the rate cut when the full-batch loss plateaus
opt = torch.optim.NAdam(model.parameters(), lr=0.01)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1, threshold=0.02)
for epoch in range(8):
    for xb, yb in loader:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
    with torch.no_grad():
        full = loss_fn(model(X), Y).item()
    plateau.step(full)
    print(epoch, round(full, 6), plateau.get_last_lr())
print(model(torch.tensor([[0.5]])).item())
