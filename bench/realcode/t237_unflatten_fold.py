# nn.Unflatten, nn.Flatten(start,end), F.unfold/fold patch extraction (im2col) conv equivalence, ChannelShuffle
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(40)
dec = nn.Sequential(nn.Linear(4, 2 * 3 * 3), nn.Unflatten(1, (2, 3, 3)), nn.ConvTranspose2d(2, 1, 2, stride=2)).double()
print(dec)
print(dec(torch.randn(5, 4, dtype=torch.float64)).shape)
print(nn.Flatten(0, 1)(torch.zeros(2, 3, 4)).shape, nn.Flatten(start_dim=2)(torch.zeros(2, 3, 4, 5)).shape)
x = torch.randn(1, 2, 4, 4, dtype=torch.float64)
w = torch.randn(3, 2, 2, 2, dtype=torch.float64)
cols = F.unfold(x, kernel_size=2, stride=2)
print(cols.shape)
out = (w.view(3, -1) @ cols).view(1, 3, 2, 2)
print(torch.allclose(out, F.conv2d(x, w, stride=2)))
print(F.fold(cols, output_size=(4, 4), kernel_size=2, stride=2).equal(x))
u = nn.Unfold(kernel_size=(2, 3), padding=1)
print(u(x).shape)
print(nn.ChannelShuffle(2)(torch.arange(4.).view(1, 4, 1, 1)).flatten())
print(x.unfold(2, 2, 1).shape)
