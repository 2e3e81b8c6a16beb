# configure_optimizers: decay/no-decay groups by dim, param_groups inspection, add_param_group, optimizer repr
import torch
import torch.nn as nn
torch.manual_seed(47)
model = nn.Sequential(nn.Embedding(5, 4), nn.LayerNorm(4), nn.Linear(4, 4), nn.Linear(4, 2))
param_dict = {pn: p for pn, p in model.named_parameters() if p.requires_grad}
decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]
optim_groups = [{'params': decay_params, 'weight_decay': 0.1}, {'params': nodecay_params, 'weight_decay': 0.0}]
print(f"num decayed parameter tensors: {len(decay_params)}, with {sum(p.numel() for p in decay_params):,} parameters")
print(f"num non-decayed parameter tensors: {len(nodecay_params)}, with {sum(p.numel() for p in nodecay_params):,} parameters")
opt = torch.optim.AdamW(optim_groups, lr=3e-3, betas=(0.9, 0.95))
print(opt)
x = torch.randint(0, 5, (3, 2))
for i in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(f"{loss.item():.8f}")
extra = nn.Parameter(torch.ones(2))
opt.add_param_group({'params': [extra], 'lr': 0.5})
print(len(opt.param_groups), opt.param_groups[2]['lr'], opt.param_groups[2]['betas'])
for g in opt.param_groups:
    g['lr'] *= 0.5
print([g['lr'] for g in opt.param_groups])
sd = opt.state_dict()
print(sd['param_groups'][0]['params'], sd['param_groups'][1]['params'])
print(sorted(sd['state'][0].keys()), sd['state'][0]['step'])
