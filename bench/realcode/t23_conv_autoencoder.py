# A tiny convolutional autoencoder in the shape of the usual "denoising autoencoder on
# MNIST-like images" tutorials: strided Conv2d encoder, ConvTranspose2d + Upsample decoder,
# trained a few steps with Adam on synthetic 12x12 "images" (a blurred blob per sample).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def make_images(n):
    yy, xx = torch.meshgrid(torch.arange(12.0), torch.arange(12.0), indexing="ij")
    centers = torch.rand(n, 2) * 8 + 2
    d2 = (yy - centers[:, 0].view(-1, 1, 1)) ** 2 + (xx - centers[:, 1].view(-1, 1, 1)) ** 2
    return torch.exp(-d2 / 8.0).unsqueeze(1)


class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1),   # 12 -> 6
            nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1),  # 6 -> 3
            nn.ReLU(),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1),  # 3 -> 6
            nn.ReLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),  # 6 -> 12
            nn.Conv2d(8, 1, 3, padding=1),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = ConvAutoencoder()
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

images = make_images(16)
noisy = (images + 0.2 * torch.randn_like(images)).clamp(0.0, 1.0)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for epoch in range(8):
    optimizer.zero_grad()
    recon = model(noisy)
    loss = F.mse_loss(recon, images)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.5f}")

with torch.no_grad():
    out = model(noisy[:1])
print(out.shape)
print(out[0, 0, 4:8, 4:8])
print(F.interpolate(out, size=(4, 4), mode="bilinear", align_corners=False)[0, 0])
