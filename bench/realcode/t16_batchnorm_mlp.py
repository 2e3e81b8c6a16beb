# A classifier in the shape of the course notebooks on normalisation: a two-moons-like
# dataset made with torch ops, an MLP with BatchNorm1d and Dropout, CrossEntropyLoss with
# label smoothing, SGD with momentum; train/eval switching, running statistics and the
# state dict at the end.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

n = 64
angle = torch.rand(n) * 3.1416
upper = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
lower = torch.stack([1 - torch.cos(angle), 0.5 - torch.sin(angle)], dim=1)
X = torch.cat([upper, lower]) + 0.1 * torch.randn(2 * n, 2)
y = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])


class Net(nn.Module):
    def __init__(self, hidden=16, p=0.2):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.bn1 = nn.BatchNorm1d(hidden)
        self.drop = nn.Dropout(p)
        self.fc2 = nn.Linear(hidden, 2)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        return self.fc2(self.drop(x))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)


net = Net()
net.apply(init_weights)
print(net)
criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)

for epoch in range(8):
    net.train()
    perm = torch.randperm(2 * n)
    total = 0.0
    for i in range(0, 2 * n, 32):
        idx = perm[i:i + 32]
        optimizer.zero_grad()
        loss = criterion(net(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    net.eval()
    with torch.no_grad():
        acc = (net(X).argmax(dim=1) == y).float().mean()
    print(f"epoch {epoch}: loss {total / (2 * n):.4f}  acc {acc.item():.3f}")

print(net.bn1.running_mean)
print(net.bn1.running_var)
print(net.bn1.num_batches_tracked)
print(net.training, net.drop.training)
for name, buf in net.named_buffers():
    print(name, tuple(buf.shape))
print(net.state_dict()["fc2.bias"])
