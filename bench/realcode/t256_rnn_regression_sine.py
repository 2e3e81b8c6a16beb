# Time series windows with unfold, GRU regressor float32, MinMax scaling, Adam training, predictions list
import numpy as np
import torch
import torch.nn as nn
torch.manual_seed(64)
t = np.linspace(0, 4 * np.pi, 60)
series = np.sin(t).astype(np.float32)
mn, mx = series.min(), series.max()
scaled = (series - mn) / (mx - mn)
data = torch.from_numpy(scaled)
win = data.unfold(0, 6, 1)
X, y = win[:, :-1].unsqueeze(-1), win[:, -1:]
print(X.shape, y.shape, X.dtype)
class GRUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 4, batch_first=True)
        self.fc = nn.Linear(4, 1)
    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[:, -1, :])
model = GRUNet()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(5):
    opt.zero_grad()
    loss = nn.MSELoss()(model(X), y)
    loss.backward()
    opt.step()
    print(f"Epoch {epoch}, Loss: {loss.item():.4f}")
model.eval()
with torch.no_grad():
    preds = model(X[:3]).squeeze().tolist()
print([round(p * (mx - mn) + mn, 3) for p in preds])
