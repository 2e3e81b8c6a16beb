# A training script as blog posts write it: a progress bar over epochs, a loss curve
# plotted at the end (tqdm and matplotlib draw nothing on standard output).
import matplotlib
import torch
import torch.nn as nn
from tqdm import tqdm

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

torch.manual_seed(0)
X = torch.linspace(-1, 1, 64).unsqueeze(1)
y = 3 * X ** 2 - X + 0.5
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
history = []
for epoch in tqdm(range(60), desc="training"):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    history.append(loss.item())
    if epoch % 20 == 0:
        tqdm.write(f"epoch {epoch}: loss {loss.item():.4f}")
print(f"final loss {history[-1]:.4f}")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3))
ax1.plot(history)
ax1.set_yscale("log")
ax1.set_title("loss")
with torch.no_grad():
    ax2.scatter(X.numpy(), y.numpy(), s=5)
    ax2.plot(X.numpy(), model(X).numpy(), color="red")
plt.tight_layout()
plt.close(fig)
print(model(torch.tensor([[0.5]])).detach())
