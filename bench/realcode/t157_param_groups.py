# optimizer param groups: different lr per layer, add_param_group, weight_decay exclusion for bias/norm, AdamW, zero_grad(set_to_none)
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 1))
decay, no_decay = [], []
for name, p in model.named_parameters():
    (no_decay if name.endswith('bias') or '1.' in name else decay).append(p)
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': no_decay, 'weight_decay': 0.0}], lr=1e-2)
print([len(g['params']) for g in opt.param_groups], [g['weight_decay'] for g in opt.param_groups])
x = torch.randn(5, 3)
for _ in range(3):
    opt.zero_grad(set_to_none=True)
    model(x).pow(2).mean().backward()
    opt.step()
print(model[0].bias, model[2].weight)
extra = nn.Parameter(torch.ones(2))
opt.add_param_group({'params': [extra], 'lr': 0.5})
print(len(opt.param_groups), opt.param_groups[2]['lr'], opt.param_groups[2]['betas'], opt.param_groups[2]['weight_decay'])
opt2 = torch.optim.SGD([{'params': model[0].parameters()}, {'params': model[2].parameters(), 'lr': 1e-3}], lr=1e-2, momentum=0.9)
print([g['lr'] for g in opt2.param_groups], opt2.defaults['momentum'])
model[0].weight.grad = None
print(model[0].weight.grad, model[2].weight.grad is None)
