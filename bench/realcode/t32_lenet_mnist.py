import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)
X = torch.randn(96, 1, 28, 28)
y = torch.randint(0, 10, (96,))
train_iter = data.DataLoader(data.TensorDataset(X, y), batch_size=32, shuffle=True)
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(3):
    for Xb, yb in train_iter:
        l = loss(net(Xb), yb)
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
    print(epoch, loss(net(X), y).mean().item())
net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))
Xs = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
for layer in net:
    Xs = layer(Xs)
    print(layer.__class__.__name__, 'output shape: \t', Xs.shape)


def init_weights2(m):
    if type(m) == nn.Linear or type(m) == nn.Conv2d:
        nn.init.xavier_uniform_(m.weight)


net.apply(init_weights2)
optimizer = torch.optim.SGD(net.parameters(), lr=0.9)
loss = nn.CrossEntropyLoss()
for epoch in range(2):
    net.train()
    for i, (Xb, yb) in enumerate(train_iter):
        optimizer.zero_grad()
        y_hat = net(Xb)
        l = loss(y_hat, yb)
        l.backward()
        optimizer.step()
        with torch.no_grad():
            acc = (y_hat.argmax(dim=1) == yb).sum().item()
        print(epoch, i, f'{l.item():.4f}', acc)
