# MLP on synthetic spirals with nn.Sequential and CrossEntropyLoss, Adam
import math
import torch
import torch.nn as nn
torch.manual_seed(3)
N, K = 40, 3
X = torch.zeros(N * K, 2)
Y = torch.zeros(N * K, dtype=torch.long)
for c in range(K):
    idx = torch.arange(N * c, N * (c + 1))
    r = torch.linspace(0.0, 1, N)
    t = torch.linspace(c * 4, (c + 1) * 4, N) + torch.randn(N) * 0.2
    X[idx] = torch.stack((r * torch.sin(t), r * torch.cos(t)), dim=1)
    Y[idx] = c
model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, K))
opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-5)
loss_fn = nn.CrossEntropyLoss()
for t in range(100):
    y_pred = model(X)
    loss = loss_fn(y_pred, Y)
    score, predicted = torch.max(y_pred, 1)
    acc = (Y == predicted).sum().float() / len(Y)
    if t % 25 == 0:
        print("[EPOCH]: %i, [LOSS]: %.6f, [ACCURACY]: %.3f" % (t, loss.item(), acc))
    opt.zero_grad()
    loss.backward()
    opt.step()
print(model)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print(model[0].weight.grad.norm(), model[2].bias)
print(model.state_dict().keys())
