# Conv padding='same', padding_mode reflect/circular/replicate, dilation, ConvTranspose1d, Conv1d groups
import torch
import torch.nn as nn
torch.manual_seed(32)
x = torch.randn(1, 2, 7, 7, dtype=torch.float64)
for mode in ['zeros', 'reflect', 'replicate', 'circular']:
    c = nn.Conv2d(2, 2, 3, padding=1, padding_mode=mode).double()
    print(mode, c(x)[0, 0, 0])
c = nn.Conv2d(2, 3, 3, padding='same', dilation=2).double()
print(c, c(x).shape)
c1 = nn.Conv1d(4, 4, 5, padding='same', groups=2).double()
print(c1(torch.randn(2, 4, 9, dtype=torch.float64)).shape, c1.weight.shape)
ct = nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1).double()
s = torch.randn(1, 3, 5, dtype=torch.float64)
print(ct(s))
print(ct(s, output_size=[11]).shape)
v = nn.Conv2d(2, 2, (3, 1), stride=(2, 1), padding=(1, 0)).double()
print(v, v(x).shape)
print(nn.ReflectionPad2d((1, 0, 1, 0))(torch.arange(4.).view(1, 1, 2, 2)))
print(nn.ZeroPad2d(1)(torch.ones(1, 1, 1, 2)))
print(nn.ConstantPad1d((2, 1), 3.5)(torch.ones(1, 2)))
