# GAN-style alternating updates: detach the generator output for D step, requires_grad_(False) toggling, two optimizers, BCE labels
import torch
import torch.nn as nn
torch.manual_seed(0)
G = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
D = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
optG = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
crit = nn.BCEWithLogitsLoss()
real = torch.randn(16, 2) * 0.5 + 2.0
for step in range(5):
    z = torch.randn(16, 2)
    fake = G(z)
    optD.zero_grad()
    lossD = crit(D(real), torch.ones(16, 1)) + crit(D(fake.detach()), torch.zeros(16, 1))
    lossD.backward()
    optD.step()
    for p in D.parameters():
        p.requires_grad_(False)
    optG.zero_grad()
    lossG = crit(D(fake), torch.ones(16, 1))
    lossG.backward()
    optG.step()
    for p in D.parameters():
        p.requires_grad_(True)
    print(step, f"D {lossD.item():.4f}", f"G {lossG.item():.4f}", D[0].weight.grad is not None)
print(G(torch.zeros(1, 2)))
