# CIFAR-style CNN on random images, tutorial shape: conv-relu-pool x2, flatten, fc, train a few steps
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 6, 3)
        self.fc1 = nn.Linear(6 * 2 * 2, 10)
        self.fc2 = nn.Linear(10, 3)
    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
net = Net().double()
print(net)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
inputs = torch.randn(8, 3, 14, 14, dtype=torch.float64)
labels = torch.randint(0, 3, (8,))
for epoch in range(3):
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    print(f'[{epoch + 1}] loss: {loss.item():.6f}')
_, predicted = torch.max(net(inputs), 1)
print(predicted, (predicted == labels).sum().item())
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
