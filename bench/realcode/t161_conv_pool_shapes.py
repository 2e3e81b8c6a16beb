# CNN shape bookkeeping: Conv2d stride/padding/dilation output size formula, MaxPool2d, AdaptiveAvgPool2d, Flatten, parameter counts
import torch
import torch.nn as nn
torch.manual_seed(0)
def out_size(n, k, s=1, p=0, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1
x = torch.randn(2, 3, 17, 17)
for k, s, p, d in [(3, 1, 1, 1), (5, 2, 0, 1), (3, 2, 2, 2), (4, 3, 1, 1)]:
    conv = nn.Conv2d(3, 4, k, stride=s, padding=p, dilation=d)
    y = conv(x)
    print(tuple(y.shape), out_size(17, k, s, p, d), sum(q.numel() for q in conv.parameters()))
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding='same'), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
                    nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(16, 10))
print(net(x).shape)
for layer in net:
    x = layer(x)
    print(layer.__class__.__name__, 'output shape:\t', x.shape)
print(nn.MaxPool2d(3, stride=2, ceil_mode=True)(torch.randn(1, 1, 8, 8)).shape, nn.AvgPool2d(2)(torch.ones(1, 1, 4, 4)))
