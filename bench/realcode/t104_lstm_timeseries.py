# LSTM time-series forecasting on a sine wave: sliding windows, train, autoregressive forecast
import math
import torch
import torch.nn as nn
torch.manual_seed(36)
series = torch.sin(torch.linspace(0, 8 * math.pi, 120))
def windows(s, w):
    xs = torch.stack([s[i:i + w] for i in range(len(s) - w)])
    ys = s[w:]
    return xs.unsqueeze(-1), ys.unsqueeze(-1)
X, Y = windows(series, 10)
print(X.shape, Y.shape)
class Forecaster(nn.Module):
    def __init__(self, hidden=12):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 1)
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])
model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(40):
    pred = model(X)
    loss = nn.MSELoss()(pred, Y)
    opt.zero_grad(); loss.backward(); opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d} loss {loss.item():.5f}")
window = series[-10:].clone()
preds = []
with torch.no_grad():
    for _ in range(5):
        p = model(window.view(1, 10, 1)).item()
        preds.append(round(p, 3))
        window = torch.cat([window[1:], torch.tensor([p])])
print(preds)
