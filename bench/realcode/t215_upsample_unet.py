# Tiny U-Net: double conv, maxpool down, bilinear Upsample and ConvTranspose up, skip concat
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(6)
class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))
    def forward(self, x):
        return self.net(x)
class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = DoubleConv(1, 4)
        self.down = nn.Sequential(nn.MaxPool2d(2), DoubleConv(4, 8))
        self.up1 = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
        self.conv1 = DoubleConv(12, 4)
        self.up2 = nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)
        self.outc = nn.Conv2d(4, 2, kernel_size=1)
    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down(x1)
        u = self.up1(x2)
        diffY = x1.size()[2] - u.size()[2]
        diffX = x1.size()[3] - u.size()[3]
        u = F.pad(u, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = self.conv1(torch.cat([x1, u], dim=1))
        t = self.up2(x2)
        return self.outc(x), t.shape
m = UNet().double()
x = torch.randn(1, 1, 9, 9, dtype=torch.float64)
y, s = m(x)
print(y.shape, s)
print(y[0, 1, 0])
F.cross_entropy(y, torch.randint(0, 2, (1, 9, 9))).backward()
print(m.outc.weight.grad.flatten())
print(F.interpolate(torch.arange(4.).view(1, 1, 2, 2), scale_factor=2, mode='nearest'))
print(F.interpolate(torch.arange(4.).view(1, 1, 2, 2), size=(3, 3), mode='bilinear', align_corners=False))
