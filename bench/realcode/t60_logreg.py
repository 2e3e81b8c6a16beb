# Logistic regression with nn.Module, BCEWithLogitsLoss, accuracy
import torch
import torch.nn as nn
torch.manual_seed(1)
n = 200
X = torch.cat([torch.randn(n // 2, 2) + 2, torch.randn(n // 2, 2) - 2])
y = torch.cat([torch.ones(n // 2), torch.zeros(n // 2)]).unsqueeze(1)
class LogReg(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)
    def forward(self, x):
        return self.linear(x)
model = LogReg()
print(model)
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for it in range(50):
    opt.zero_grad()
    out = model(X)
    loss = crit(out, y)
    loss.backward()
    opt.step()
    if it % 10 == 9:
        acc = ((torch.sigmoid(out) > 0.5).float() == y).float().mean()
        print(it + 1, round(loss.item(), 5), acc.item())
for name, p in model.named_parameters():
    print(name, p.shape, p.data)
print(model.linear.weight.grad)
print(model.__class__.__name__, model.linear.__class__)
