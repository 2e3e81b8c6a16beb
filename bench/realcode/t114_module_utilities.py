# module utilities: named_parameters filtering, parameter counting table, get_submodule, register_module, deepcopy vs share
import torch
import torch.nn as nn
torch.manual_seed(43)
class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.LayerNorm(16), nn.Linear(16, 4))
    def forward(self, x):
        return self.net(x)
class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.dec = nn.Linear(4, 8)
        self.register_module('head', nn.Identity())
    def forward(self, x):
        return self.dec(self.enc(x))
m = AE()
print(m)
for n, p in m.named_parameters():
    print(f"{n:20s} {str(tuple(p.shape)):10s} {p.numel():5d}")
print(sum(p.numel() for p in m.parameters()), m.get_submodule('enc.net.2'), m.get_parameter('dec.bias').shape)
decay = [p for n, p in m.named_parameters() if p.ndim >= 2]
no_decay = [p for n, p in m.named_parameters() if p.ndim < 2]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': no_decay, 'weight_decay': 0.0}], lr=1e-3)
x = torch.randn(5, 8)
loss = nn.functional.mse_loss(m(x), x)
loss.backward(); opt.step()
print(round(loss.item(), 5), [len(g['params']) for g in opt.param_groups])
m.dec.weight = m.dec.weight
print(isinstance(m.enc.net[1], nn.GELU), m.enc.net[1], type(m.head).__name__)
print(m.training, m.enc.net[2].normalized_shape, m.enc.net[2].eps)
