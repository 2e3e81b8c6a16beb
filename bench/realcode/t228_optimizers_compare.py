# Same tiny regression with several optimizers, printing final losses
import torch
import torch.nn as nn
torch.manual_seed(22)
X = torch.randn(16, 3, dtype=torch.float64)
w_true = torch.tensor([[1.5], [-2.0], [0.5]], dtype=torch.float64)
Y = X @ w_true + 0.1
def run(opt_cls, **kw):
    torch.manual_seed(0)
    model = nn.Linear(3, 1).double()
    opt = opt_cls(model.parameters(), **kw)
    for _ in range(20):
        opt.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.item()
for name, cls, kw in [("SGD", torch.optim.SGD, dict(lr=0.1)),
                      ("SGDm", torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3)),
                      ("Adam", torch.optim.Adam, dict(lr=0.1, amsgrad=True)),
                      ("AdamW", torch.optim.AdamW, dict(lr=0.1)),
                      ("RMSprop", torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
                      ("Adagrad", torch.optim.Adagrad, dict(lr=0.5, lr_decay=0.01)),
                      ("Adadelta", torch.optim.Adadelta, dict(lr=1.0)),
                      ("Adamax", torch.optim.Adamax, dict(lr=0.1)),
                      ("NAdam", torch.optim.NAdam, dict(lr=0.1)),
                      ("RAdam", torch.optim.RAdam, dict(lr=0.1)),
                      ("ASGD", torch.optim.ASGD, dict(lr=0.05)),
                      ("Rprop", torch.optim.Rprop, dict(lr=0.01))]:
    print(f"{name:10s} {run(cls, **kw):.10e}")
