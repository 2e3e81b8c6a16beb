# tiny VAE on random data: reparameterisation, KL term, binary_cross_entropy
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(17)
class VAE(nn.Module):
    def __init__(self, d=12, h=8, z=2):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc21 = nn.Linear(h, z)
        self.fc22 = nn.Linear(h, z)
        self.fc3 = nn.Linear(z, h)
        self.fc4 = nn.Linear(h, d)
    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)
    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std
    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))
    def forward(self, x):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x, reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD
data = (torch.rand(32, 12) > 0.5).float()
model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(1, 6):
    recon, mu, logvar = model(data)
    loss = loss_function(recon, data, mu, logvar)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, loss.item() / len(data)))
with torch.no_grad():
    sample = model.decode(torch.randn(2, 2))
print(sample.shape, sample.min() >= 0)
