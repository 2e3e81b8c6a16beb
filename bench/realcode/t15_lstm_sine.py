# A sequence model in the shape of the "LSTM for time series" blog posts: sliding windows of
# a sine wave, an LSTM with a linear head, Adam, MSE; the best weights kept with
# copy.deepcopy(model.state_dict()) and loaded back for the evaluation.
import copy
import math

import torch
import torch.nn as nn

torch.manual_seed(0)

seq_len = 8
t = torch.linspace(0, 4 * math.pi, 60)
wave = torch.sin(t)
xs = torch.stack([wave[i:i + seq_len] for i in range(len(wave) - seq_len)]).unsqueeze(-1)
ys = wave[seq_len:].unsqueeze(-1)
print(xs.shape, ys.shape)


class SineLSTM(nn.Module):
    def __init__(self, hidden_size=16, num_layers=2):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, num_layers=num_layers,
                            batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)
        return self.head(out[:, -1, :])


model = SineLSTM()
print(model)
print("parameters:", sum(p.numel() for p in model.parameters() if p.requires_grad))
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
criterion = nn.MSELoss()

best_loss = float("inf")
best_state = None
for epoch in range(12):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(xs), ys)
    loss.backward()
    optimizer.step()
    if loss.item() < best_loss:
        best_loss = loss.item()
        best_state = copy.deepcopy(model.state_dict())
    print(f"epoch {epoch:2d}  loss {loss.item():.6f}")

print(model.load_state_dict(best_state))
model.eval()
with torch.no_grad():
    preds = model(xs[:4])
print(preds.squeeze())
print(list(best_state.keys())[:4])
