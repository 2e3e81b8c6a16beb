# nn.Module training with TensorDataset/DataLoader/random_split, eval loop, state_dict
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader, random_split
torch.manual_seed(6)
X = torch.randn(120, 4)
y = (X[:, 0] * 2 - X[:, 1] + 0.5 * X[:, 2] > 0).long()
ds = TensorDataset(X, y)
train_ds, val_ds = random_split(ds, [100, 20])
print(len(train_ds), len(val_ds), train_ds[0])
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=32)
class Net(nn.Module):
    def __init__(self, d_in, d_h, d_out):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(d_in, d_h)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(d_h, d_out)
    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))
model = Net(4, 16, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    total = 0.0
    for xb, yb in train_dl:
        pred = model(xb)
        loss = loss_fn(pred, yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
        total += loss.item() * xb.size(0)
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_dl)
    print(f"epoch {epoch}: train loss {total / len(train_dl.dataset):.4f}, val acc {correct / len(val_ds):.2f}")
sd = model.state_dict()
print(list(sd.keys()), sd['fc2.bias'])
m2 = Net(4, 16, 2)
print(m2.load_state_dict(sd))
print(torch.equal(m2.fc1.weight, model.fc1.weight), len(train_dl), next(iter(val_dl))[0].shape)
print(opt.state_dict()['param_groups'])
