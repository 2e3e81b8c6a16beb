# save/load state_dicts and checkpoints (torch.save into a BytesIO), copy.deepcopy of a model
import io
import copy
import torch
import torch.nn as nn
torch.manual_seed(9)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(8, 3)
model(x).sum().backward(); opt.step()
buf = io.BytesIO()
torch.save({'epoch': 3, 'model_state_dict': model.state_dict(), 'optimizer_state_dict': opt.state_dict(), 'loss': 0.25}, buf)
buf.seek(0)
ckpt = torch.load(buf)
print(ckpt['epoch'], ckpt['loss'], list(ckpt['model_state_dict'].keys()))
m2 = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
m2.load_state_dict(ckpt['model_state_dict'])
o2 = torch.optim.Adam(m2.parameters(), lr=1e-3)
o2.load_state_dict(ckpt['optimizer_state_dict'])
print(o2.state_dict()['state'][0]['step'], o2.param_groups[0]['lr'])
m2.eval(); model.eval()
print(torch.allclose(m2(x), model(x)), m2[1].running_mean, m2[1].num_batches_tracked)
m3 = copy.deepcopy(model)
m3[0].weight.data.zero_()
print(model[0].weight.abs().sum() > 0, m3[0].weight.sum())
sd = model.state_dict()
print(type(sd).__name__, sd['1.running_var'])
try:
    m2.load_state_dict({'0.weight': torch.zeros(4, 3)})
except RuntimeError as e:
    print(str(e).splitlines()[0])
print(m2.load_state_dict({'0.weight': torch.zeros(4, 3)}, strict=False))
