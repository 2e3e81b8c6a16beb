# Image-to-image generator pieces: ReflectionPad2d + InstanceNorm residual blocks, ConvTranspose upsampling, LSGAN MSE losses, ImagePool with random
import random
import torch
import torch.nn as nn
torch.manual_seed(80)
random.seed(80)
class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.block = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c), nn.ReLU(inplace=True),
                                   nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c))
    def forward(self, x):
        return x + self.block(x)
G = nn.Sequential(nn.ReflectionPad2d(2), nn.Conv2d(1, 4, 5), nn.InstanceNorm2d(4), nn.ReLU(True),
                  nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.InstanceNorm2d(8), nn.ReLU(True),
                  ResidualBlock(8),
                  nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.InstanceNorm2d(4), nn.ReLU(True),
                  nn.ReflectionPad2d(2), nn.Conv2d(4, 1, 5), nn.Tanh()).double()
D = nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.LeakyReLU(0.2, True), nn.Conv2d(4, 1, 4, 1, 1)).double()
class ImagePool:
    def __init__(self, size):
        self.size, self.images = size, []
    def query(self, imgs):
        out = []
        for img in imgs:
            img = img.unsqueeze(0)
            if len(self.images) < self.size:
                self.images.append(img); out.append(img)
            elif random.uniform(0, 1) > 0.5:
                i = random.randint(0, self.size - 1)
                tmp = self.images[i].clone(); self.images[i] = img; out.append(tmp)
            else:
                out.append(img)
        return torch.cat(out, 0)
pool = ImagePool(2)
crit = nn.MSELoss()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
real = torch.rand(2, 1, 8, 8, dtype=torch.float64) * 2 - 1
for it in range(3):
    fake = G(real)
    pred = D(fake)
    lossG = crit(pred, torch.ones_like(pred)) + 10 * nn.L1Loss()(fake, real)
    optG.zero_grad(); lossG.backward(); optG.step()
    f = pool.query(fake.detach())
    pr, pf = D(real), D(f)
    lossD = 0.5 * (crit(pr, torch.ones_like(pr)) + crit(pf, torch.zeros_like(pf)))
    optD.zero_grad(); lossD.backward(); optD.step()
    print(f"it {it} G {lossG.item():.6f} D {lossD.item():.6f} pool {len(pool.images)}")
print(fake.shape, pred.shape)
