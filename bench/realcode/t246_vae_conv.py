# Conv VAE: encoder to mu/logvar, reparameterize with randn_like, decoder, BCE(sum)+KLD, train mode
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(52)
class VAE(nn.Module):
    def __init__(self, z=2):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.fc_mu = nn.Linear(4 * 4 * 4, z)
        self.fc_lv = nn.Linear(4 * 4 * 4, z)
        self.fc_dec = nn.Linear(z, 4 * 4 * 4)
        self.dec = nn.Sequential(nn.Unflatten(1, (4, 4, 4)), nn.ConvTranspose2d(4, 1, 4, 2, 1), nn.Sigmoid())
    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std
    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.fc_mu(h), self.fc_lv(h)
        z = self.reparameterize(mu, logvar)
        return self.dec(self.fc_dec(z)), mu, logvar
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 1, 8, 8), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD
model = VAE().double()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
data = torch.rand(4, 1, 8, 8, dtype=torch.float64)
model.train()
train_loss = 0
for batch_idx in range(3):
    optimizer.zero_grad()
    recon_batch, mu, logvar = model(data)
    loss = loss_function(recon_batch, data, mu, logvar)
    loss.backward()
    train_loss += loss.item()
    optimizer.step()
    print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(1, batch_idx * len(data), 12, 100. * batch_idx / 3, loss.item() / len(data)))
print('====> Epoch: {} Average loss: {:.4f}'.format(1, train_loss / 12))
with torch.no_grad():
    sample = torch.randn(2, 2, dtype=torch.float64)
    print(model.dec(model.fc_dec(sample)).shape)
