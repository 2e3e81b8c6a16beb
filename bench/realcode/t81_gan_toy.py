# toy 1-D GAN: two optimizers, detach, BCELoss, labels
import torch
import torch.nn as nn
torch.manual_seed(18)
G = nn.Sequential(nn.Linear(1, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
D = nn.Sequential(nn.Linear(1, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1), nn.Sigmoid())
optG = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
crit = nn.BCELoss()
real_label, fake_label = 1.0, 0.0
for i in range(30):
    real = torch.randn(16, 1) * 0.5 + 3
    D.zero_grad()
    label = torch.full((16, 1), real_label)
    errD_real = crit(D(real), label)
    errD_real.backward()
    noise = torch.randn(16, 1)
    fake = G(noise)
    label.fill_(fake_label)
    errD_fake = crit(D(fake.detach()), label)
    errD_fake.backward()
    optD.step()
    G.zero_grad()
    label.fill_(real_label)
    errG = crit(D(fake), label)
    errG.backward()
    optG.step()
    if i % 10 == 0:
        print('[%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f' % (i, (errD_real + errD_fake).item(), errG.item(), D(real).mean().item()))
print(G(torch.zeros(1, 1)))
