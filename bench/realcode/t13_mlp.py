import torch
import torch.nn as nn
torch.manual_seed(1)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
x = torch.randn(16, 4)
t = torch.randint(0, 3, (16,))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
for i in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(net(x), t)
    loss.backward()
    opt.step()
    print(i, round(loss.item(), 5))
print(net)
