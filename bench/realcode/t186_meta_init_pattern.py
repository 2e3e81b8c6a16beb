# deferred init on the meta device: build the model on meta, count params without memory, to_empty then reset_parameters, load a state_dict with assign=True
import torch
import torch.nn as nn
torch.manual_seed(0)
with torch.no_grad():
    big = nn.Sequential(nn.Linear(64, 128, device='meta'), nn.ReLU(), nn.Linear(128, 10, device='meta'))
print(sum(p.numel() for p in big.parameters()), big[0].weight.device, big[0].weight.is_meta)
print(big[0].weight)
x = torch.empty(4, 64, device='meta')
print(big(x).shape, big(x).device)
big.to_empty(device='cpu')
for m in big.modules():
    if isinstance(m, nn.Linear):
        m.reset_parameters()
print(big[0].weight.device, big[2].bias.shape, torch.isfinite(big[0].weight).all())
ref = nn.Linear(3, 2)
meta_lin = nn.Linear(3, 2, device='meta')
meta_lin.load_state_dict(ref.state_dict(), assign=True)
print(meta_lin.weight.device, torch.equal(meta_lin.weight, ref.weight), meta_lin.weight.is_meta)
print(torch.empty(2, 3, device='meta').new_empty((4,)).shape, torch.empty_like(torch.empty(3, device='meta')).device)
