# ESPCN-style super resolution: conv then PixelShuffle; pixel_unshuffle roundtrip; tanh
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(7)
class ESPCN(nn.Module):
    def __init__(self, r=2):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5, padding=2)
        self.conv2 = nn.Conv2d(8, 4, 3, padding=1)
        self.conv3 = nn.Conv2d(4, r * r, 3, padding=1)
        self.ps = nn.PixelShuffle(r)
    def forward(self, x):
        x = torch.tanh(self.conv1(x))
        x = torch.tanh(self.conv2(x))
        return self.ps(self.conv3(x))
m = ESPCN().double()
lr = torch.rand(2, 1, 5, 5, dtype=torch.float64)
hr = torch.rand(2, 1, 10, 10, dtype=torch.float64)
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
for step in range(4):
    opt.zero_grad()
    loss = F.mse_loss(m(lr), hr)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.10f}")
z = torch.arange(16.).view(1, 4, 2, 2)
print(F.pixel_shuffle(z, 2))
print(torch.equal(F.pixel_unshuffle(F.pixel_shuffle(z, 2), 2), z))
print(nn.PixelUnshuffle(2)(torch.arange(16.).view(1, 1, 4, 4)).shape)
