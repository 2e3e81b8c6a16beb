# VAE pieces: encoder to mu/logvar, reparameterization trick, KL term closed form vs distributions.kl_divergence, BCE reconstruction, one optimizer step
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence
torch.manual_seed(0)
class VAE(nn.Module):
    def __init__(self, d=6, z=2):
        super().__init__()
        self.enc = nn.Linear(d, 8)
        self.mu = nn.Linear(8, z)
        self.logvar = nn.Linear(8, z)
        self.dec = nn.Sequential(nn.Linear(z, 8), nn.ReLU(), nn.Linear(8, d))
    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std
    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = self.reparameterize(mu, logvar)
        return torch.sigmoid(self.dec(z)), mu, logvar
vae = VAE()
x = torch.rand(4, 6)
recon, mu, logvar = vae(x)
bce = F.binary_cross_entropy(recon, x, reduction='sum')
kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
kl2 = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum()
print(bce, kld, torch.allclose(kld, kl2, atol=1e-5))
loss = bce + kld
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
opt.zero_grad()
loss.backward()
opt.step()
print(loss.item(), vae.mu.bias)
