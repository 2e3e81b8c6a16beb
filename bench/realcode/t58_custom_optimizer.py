# A custom torch.optim.Optimizer subclass (per-parameter state, momentum buffer, closure
# under enable_grad), its repr and state_dict, add_param_group.
import torch
from torch.optim import Optimizer
class MySGD(Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.0):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        defaults = dict(lr=lr, momentum=momentum)
        super().__init__(params, defaults)
    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state['step'] = 0
                    state['buf'] = torch.zeros_like(p)
                state['step'] += 1
                buf = state['buf']
                buf.mul_(group['momentum']).add_(p.grad)
                p.add_(buf, alpha=-group['lr'])
        return loss
torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
opt = MySGD(model.parameters(), lr=0.1, momentum=0.9)
print(opt)
X = torch.randn(16, 3); y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
for i in range(5):
    def closure():
        opt.zero_grad()
        l = torch.nn.functional.mse_loss(model(X), y)
        l.backward()
        return l
    l = opt.step(closure)
    print(i, f"{l.item():.6f}")
print(opt.state[model.weight]['step'], list(opt.state_dict()['state'].keys()), opt.state_dict()['param_groups'])
try:
    MySGD(model.parameters(), lr=-1)
except ValueError as e:
    print("ValueError:", e)
opt.add_param_group({'params': [torch.zeros(2, requires_grad=True)], 'lr': 0.5})
print(len(opt.param_groups), opt.param_groups[1]['momentum'])
