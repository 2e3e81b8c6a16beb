# Convolutional autoencoder with ConvTranspose2d output_padding, Sigmoid, MSE training
import torch
import torch.nn as nn
torch.manual_seed(3)
class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())
    def forward(self, x):
        return self.decoder(self.encoder(x))
m = AE().double()
x = torch.rand(2, 1, 8, 8, dtype=torch.float64)
print(m.encoder(x).shape, m(x).shape)
opt = torch.optim.Adam(m.parameters(), lr=1e-2)
for i in range(5):
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(x), x)
    loss.backward()
    opt.step()
    print(i, f"{loss.item():.8f}")
print(m)
