# Less common layers: RMSNorm, GLU, Mish/SiLU/Hardswish/Softplus(beta), Softmax2d, LocalResponseNorm, CosineSimilarity, PairwiseDistance, Upsample bicubic/trilinear
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(67)
x = torch.randn(2, 4, 3, 3, dtype=torch.float64)
print(nn.RMSNorm([3, 3]).double()(x)[0, 0])
print(nn.RMSNorm(3, eps=1e-6, elementwise_affine=False)(x)[1, 1])
print(nn.GLU(dim=1)(x).shape, F.glu(x[:, :, 0, 0], -1))
for act in [nn.Mish(), nn.SiLU(), nn.Hardswish(), nn.Softplus(beta=2, threshold=5), nn.Hardtanh(-0.5, 0.5), nn.CELU(0.5), nn.SELU(), nn.Softsign(), nn.Tanhshrink(), nn.LogSigmoid(), nn.Hardsigmoid(), nn.Threshold(0.1, -1.0)]:
    print(act, act(x[0, 0, 0]))
print(nn.Softmax2d()(x)[0, :, 0, 0])
print(nn.LocalResponseNorm(2)(x)[0, 1, 1])
print(nn.CosineSimilarity(dim=1)(x[:, :, 0, 0], x[:, :, 1, 1]))
print(nn.PairwiseDistance(p=1)(x[:, :, 0, 0], x[:, :, 1, 1]))
print(nn.Upsample(scale_factor=2, mode='bicubic', align_corners=False)(x)[0, 0, 0])
v = torch.randn(1, 1, 2, 2, 2, dtype=torch.float64)
print(nn.Upsample(size=(3, 3, 3), mode='trilinear')(v)[0, 0, 1])
print(F.interpolate(x[:, :, 0], scale_factor=1.5, mode='linear')[0, 0])
print(nn.Upsample(scale_factor=2, mode='nearest-exact')(x[:, :1, :2, :2])[0, 0])
