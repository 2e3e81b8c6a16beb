# Spatial transformer network: localization net -> theta, F.affine_grid, F.grid_sample bilinear/nearest, identity init
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(68)
class STN(nn.Module):
    def __init__(self):
        super().__init__()
        self.localization = nn.Sequential(nn.Conv2d(1, 2, kernel_size=3), nn.MaxPool2d(2, stride=2), nn.ReLU(True))
        self.fc_loc = nn.Sequential(nn.Linear(2 * 3 * 3, 8), nn.ReLU(True), nn.Linear(8, 3 * 2))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
    def forward(self, x):
        xs = self.localization(x)
        xs = xs.view(-1, 2 * 3 * 3)
        theta = self.fc_loc(xs).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        return F.grid_sample(x, grid, align_corners=False), theta
m = STN().double()
x = torch.randn(2, 1, 8, 8, dtype=torch.float64)
out, theta = m(x)
print(theta[0])
print(torch.allclose(out, x))
theta2 = torch.tensor([[[0.8, -0.2, 0.1], [0.3, 0.9, -0.1]]], dtype=torch.float64, requires_grad=True)
g = F.affine_grid(theta2, (1, 1, 4, 4), align_corners=True)
print(g[0, 0])
s = F.grid_sample(x[:1], g, mode='bilinear', padding_mode='border', align_corners=True)
print(s[0, 0])
s.sum().backward()
print(theta2.grad)
print(F.grid_sample(x[:1], g.detach(), mode='nearest', padding_mode='zeros', align_corners=False)[0, 0, 0])
