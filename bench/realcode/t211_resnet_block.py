# ResNet basic block with BatchNorm2d, downsample shortcut, train/eval
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(1)
class BasicBlock(nn.Module):
    expansion = 1
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion * planes))
    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)
blk = BasicBlock(2, 4, stride=2).double()
print(blk)
x = torch.randn(3, 2, 6, 6, dtype=torch.float64)
y = blk(x)
print(y.shape, y.sum().item())
y.mean().backward()
print(blk.conv1.weight.grad.abs().sum().item())
print(blk.bn1.running_mean, blk.bn1.num_batches_tracked)
blk.eval()
print(blk(x)[0, 0])
for name, buf in blk.named_buffers():
    print(name, tuple(buf.shape))
