# 3D conv on small video clips: Conv3d, BatchNorm3d, MaxPool3d, AdaptiveAvgPool3d
import torch
import torch.nn as nn
torch.manual_seed(8)
model = nn.Sequential(
    nn.Conv3d(2, 4, kernel_size=(3, 3, 3), padding=(1, 1, 1)),
    nn.BatchNorm3d(4), nn.ReLU(),
    nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2)),
    nn.Conv3d(4, 4, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool3d((1, 1, 1)),
    nn.Flatten(),
    nn.Linear(4, 3)).double()
clip = torch.randn(2, 2, 4, 6, 6, dtype=torch.float64)
out = model(clip)
print(out)
print(model[3](model[2](model[1](model[0](clip)))).shape)
loss = nn.CrossEntropyLoss()(out, torch.tensor([2, 0]))
loss.backward()
print(loss.item())
print(model[0].bias.grad)
print(model)
