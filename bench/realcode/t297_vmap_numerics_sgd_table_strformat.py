# --- vmap numerics
import torch
from torch.func import vmap, jacrev, hessian, jacfwd

def newton_sqrt(c):
    x = c
    for _ in range(8):
        x = 0.5 * (x + c / x)
    return x
cs = torch.tensor([2.0, 9.0, 0.25])
print(vmap(newton_sqrt)(cs))
def f(x):
    return torch.sin(x[0]) * x[1] ** 2
pts = torch.tensor([[0.0, 1.0], [1.0, 2.0], [torch.pi / 2, -1.0]])
print(vmap(jacrev(f))(pts))
print(vmap(hessian(f))(pts))
print(vmap(jacfwd(jacrev(f)))(pts)[1])
batch_mv = vmap(torch.mv)
print(batch_mv(torch.eye(2).repeat(3, 1, 1), pts[:, :2]))
print(vmap(lambda x: x.sum(), in_dims=1)(pts))
print(vmap(lambda x, y: x @ y, in_dims=(0, None))(pts, torch.tensor([1.0, 1.0])))
print(vmap(torch.dot)(pts, pts))

# --- sgd table strformat
import torch

torch.manual_seed(0)
X = torch.rand(20, 1) * 10
y = 3 * X + 2 + torch.randn(20, 1)
model = torch.nn.Linear(1, 1)
crit = torch.nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
header = "{:<6}{:>12}{:>10}{:>10}".format("epoch", "loss", "w", "b")
print(header)
print("=" * len(header))
for epoch in range(1, 101):
    opt.zero_grad()
    loss = crit(model(X), y)
    loss.backward()
    opt.step()
    if epoch % 20 == 0:
        w, b = model.weight.item(), model.bias.item()
        print("{:<6d}{:>12.5f}{:>10.4f}{:>10.4f}".format(epoch, loss.item(), w, b))
print(model.state_dict())
print(list(model.parameters()))
