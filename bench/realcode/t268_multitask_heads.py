# Multi-task model returning dict outputs, weighted loss sum, per-head metrics, torch.stack of losses, uncertainty weighting params
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(79)
class MTL(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(4, 6), nn.ELU())
        self.heads = nn.ModuleDict({"cls": nn.Linear(6, 3), "reg": nn.Linear(6, 1), "multi": nn.Linear(6, 2)})
        self.log_vars = nn.Parameter(torch.zeros(3))
    def forward(self, x):
        h = self.trunk(x)
        return {k: head(h) for k, head in self.heads.items()}
m = MTL().double()
x = torch.randn(6, 4, dtype=torch.float64)
tc = torch.randint(0, 3, (6,)); tr = torch.randn(6, 1, dtype=torch.float64); tm = torch.randint(0, 2, (6, 2)).double()
opt = torch.optim.Adam(m.parameters(), lr=0.05)
for step in range(3):
    out = m(x)
    losses = torch.stack([F.cross_entropy(out["cls"], tc), F.mse_loss(out["reg"], tr), F.binary_cross_entropy_with_logits(out["multi"], tm)])
    total = (torch.exp(-m.log_vars) * losses + m.log_vars).sum()
    opt.zero_grad(); total.backward(); opt.step()
    print(step, {k: round(v, 5) for k, v in zip(["cls", "reg", "multi"], losses.tolist())}, f"{total.item():.6f}")
print(m.log_vars)
print({k: tuple(v.shape) for k, v in out.items()})
print(m.heads)
