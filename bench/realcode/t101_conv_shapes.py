# conv output-shape helper functions users write, checked against layers; ConvTranspose, pooling, padding
import torch
import torch.nn as nn
def conv_out(h, k, s=1, p=0, d=1):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1
x = torch.randn(1, 3, 28, 28)
for k, s, p, d in [(3, 1, 1, 1), (5, 2, 2, 1), (3, 2, 0, 2), (7, 3, 3, 1)]:
    y = nn.Conv2d(3, 4, k, stride=s, padding=p, dilation=d)(x)
    print(tuple(y.shape), conv_out(28, k, s, p, d))
print(nn.MaxPool2d(2)(x).shape, nn.AvgPool2d(3, stride=2, padding=1)(x).shape, nn.AdaptiveAvgPool2d((1, 1))(x).shape)
print(nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1)(x).shape, nn.Upsample(scale_factor=2, mode='nearest')(x).shape)
print(nn.Conv2d(3, 6, 3, padding='same')(x).shape, nn.Conv2d(3, 6, 3, groups=3)(x).shape)
c = nn.Conv2d(3, 8, 3)
print(c, c.weight.shape, c.bias.shape, c.kernel_size, c.stride, c.padding)
print(nn.Conv1d(2, 4, 3)(torch.randn(5, 2, 10)).shape, nn.Conv3d(1, 2, 2)(torch.randn(1, 1, 4, 4, 4)).shape)
seq = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
print(seq(x).shape)
print(torch.nn.functional.pad(torch.ones(1, 1, 2, 2), (1, 1, 0, 1)).shape, nn.ZeroPad2d(1)(torch.ones(1, 1, 2, 2)).sum())
