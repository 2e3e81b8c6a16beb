# comparing torch.optim optimizers on the same regression problem
import torch
import torch.nn as nn
torch.manual_seed(30)
X = torch.randn(64, 3)
y = X @ torch.tensor([[1.0], [-1.0], [2.0]]) + 0.5
def train(opt_cls, **kw):
    torch.manual_seed(0)
    m = nn.Linear(3, 1)
    opt = opt_cls(m.parameters(), **kw)
    for _ in range(50):
        opt.zero_grad()
        l = nn.functional.mse_loss(m(X), y)
        l.backward()
        opt.step()
    return l.item()
for cls, kw in [(torch.optim.SGD, dict(lr=0.1)), (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
                (torch.optim.Adam, dict(lr=0.1)), (torch.optim.AdamW, dict(lr=0.1, weight_decay=0.01)),
                (torch.optim.RMSprop, dict(lr=0.01)), (torch.optim.Adagrad, dict(lr=0.5)),
                (torch.optim.Adamax, dict(lr=0.1)), (torch.optim.NAdam, dict(lr=0.1)), (torch.optim.RAdam, dict(lr=0.1)),
                (torch.optim.Adadelta, dict(lr=1.0)), (torch.optim.ASGD, dict(lr=0.1)), (torch.optim.Rprop, dict(lr=0.01))]:
    print(f"{cls.__name__:10s} {str(kw):40s} {train(cls, **kw):.6f}")
