# meta device and shapes without data: module.to('meta'), to_empty, torch.empty(device='meta'), is_meta
import torch
import torch.nn as nn
m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
m = m.to('meta')
print(m[0].weight.device, m[0].weight.is_meta, m[0].weight.requires_grad)
out = m(torch.empty(3, 4, device='meta'))
print(out.shape, out.device)
m.to_empty(device='cpu')
print(m[0].weight.device, m[0].weight.shape)
t = torch.ones(2, 3, device='meta')
print(t)
print((t @ torch.ones(3, 5, device='meta')).shape, t.sum().shape)
print(torch.device('meta').type, torch.empty(2, device='meta').is_meta)
