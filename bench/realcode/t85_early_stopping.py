# training loop with validation, early stopping, best model copy, tqdm-free progress print
import copy
import torch
import torch.nn as nn
torch.manual_seed(20)
X = torch.randn(200, 3)
y = X @ torch.tensor([1.0, -2.0, 0.5]) + 0.3 * torch.randn(200)
Xtr, Xva, ytr, yva = X[:150], X[150:], y[:150], y[150:]
model = nn.Sequential(nn.Linear(3, 20), nn.ReLU(), nn.Linear(20, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
best, best_state, patience, bad = float('inf'), None, 5, 0
history = {'train': [], 'val': []}
for epoch in range(200):
    model.train()
    perm = torch.randperm(150)
    for i in range(0, 150, 30):
        idx = perm[i:i + 30]
        loss = nn.functional.mse_loss(model(Xtr[idx]).squeeze(-1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        vl = nn.functional.mse_loss(model(Xva).squeeze(-1), yva).item()
    history['train'].append(loss.item()); history['val'].append(vl)
    if vl < best - 1e-4:
        best, bad = vl, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
        if bad >= patience:
            print(f"early stop at epoch {epoch}")
            break
model.load_state_dict(best_state)
print(f"best val {best:.5f}", len(history['val']))
print(min(history['val']) == best)
