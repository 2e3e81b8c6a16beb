# Mixup with np.random.beta and torch.randperm, cutout masks, Dropout2d/Dropout1d/AlphaDropout in train mode
import numpy as np
import torch
import torch.nn as nn
np.random.seed(54)
torch.manual_seed(54)
def mixup_data(x, y, alpha=1.0):
    lam = np.random.beta(alpha, alpha) if alpha > 0 else 1
    batch_size = x.size()[0]
    index = torch.randperm(batch_size)
    mixed_x = lam * x + (1 - lam) * x[index, :]
    return mixed_x, y, y[index], lam
x = torch.randn(4, 2, 3, 3)
y = torch.tensor([0, 1, 2, 1])
mx, ya, yb, lam = mixup_data(x, y)
print(lam, ya, yb)
print(mx[0, 0])
logits = torch.randn(4, 3, requires_grad=True)
crit = nn.CrossEntropyLoss()
loss = lam * crit(logits, ya) + (1 - lam) * crit(logits, yb)
print(loss)
mask = np.ones((3, 3), np.float32)
yy, xx = np.random.randint(3), np.random.randint(3)
mask[max(0, yy - 1):yy + 1, max(0, xx - 1):xx + 1] = 0.
print(torch.from_numpy(mask).expand_as(x[0]) * x[0])
print(nn.Dropout2d(0.5)(torch.ones(1, 4, 2, 2)))
print(nn.Dropout1d(0.5)(torch.ones(1, 4, 3)))
print(nn.AlphaDropout(0.5)(torch.ones(5)))
print(nn.FeatureAlphaDropout(0.5)(torch.ones(1, 3, 2)))
