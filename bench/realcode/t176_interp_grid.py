# image-ish ops: F.interpolate bilinear align_corners, nearest, F.pad modes, F.unfold patches, pixel_shuffle, grid_sample identity grid
import torch
import torch.nn.functional as F
x = torch.arange(16.).view(1, 1, 4, 4)
print(F.interpolate(x, scale_factor=0.5, mode='bilinear', align_corners=False))
print(F.interpolate(x, size=(3, 3), mode='bilinear', align_corners=True))
print(F.interpolate(torch.arange(4.).view(1, 1, 4), scale_factor=2, mode='nearest'))
print(F.pad(torch.arange(3.).view(1, 1, 3), (2, 1), mode='reflect'), F.pad(torch.ones(1, 2), (1, 1), value=-1))
p = F.unfold(x, kernel_size=2, stride=2)
print(p.shape, p[0, :, 0])
print(F.fold(p, output_size=(4, 4), kernel_size=2, stride=2).equal(x))
print(F.pixel_shuffle(torch.arange(8.).view(1, 4, 1, 2), 2))
theta = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
grid = F.affine_grid(theta, (1, 1, 4, 4), align_corners=False)
print(torch.allclose(F.grid_sample(x, grid, align_corners=False), x))
print(F.avg_pool2d(x, 2), F.max_pool2d(x, 2, return_indices=True)[1])
