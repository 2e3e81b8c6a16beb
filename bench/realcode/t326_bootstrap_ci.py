# --- bootstrap ci
import torch

g = torch.Generator().manual_seed(123)
data = torch.randn(50, generator=g) * 2 + 5
means = []
for _ in range(200):
    idx = torch.randint(0, 50, (50,), generator=g)
    means.append(data[idx].mean())
means = torch.stack(means)
lo, hi = torch.quantile(means, torch.tensor([0.025, 0.975]))
print(f"mean={data.mean():.4f} 95% CI=({lo:.4f}, {hi:.4f})")
print(means.std().item(), data.std().item() / 50 ** 0.5)
s = torch.sort(means).values
print(s[:3], s[-3:])
print(torch.histc(means, bins=5))
