# saving/loading: state_dict to io.BytesIO with torch.save/torch.load, optimizer state_dict resume, checkpoint dict
import io
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
x, y = torch.randn(8, 3), torch.randn(8, 1)
for _ in range(3):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
ckpt = {'epoch': 3, 'model_state_dict': model.state_dict(), 'optimizer_state_dict': opt.state_dict(), 'loss': 0.5}
buf = io.BytesIO()
torch.save(ckpt, buf)
buf.seek(0)
loaded = torch.load(buf, weights_only=True)
model2 = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
opt2 = torch.optim.Adam(model2.parameters(), lr=0.01)
model2.load_state_dict(loaded['model_state_dict'])
opt2.load_state_dict(loaded['optimizer_state_dict'])
print(loaded['epoch'], loaded['loss'], list(loaded['optimizer_state_dict'].keys()))
print(loaded['optimizer_state_dict']['param_groups'][0]['params'], loaded['optimizer_state_dict']['state'][0]['step'])
for m, o in ((model, opt), (model2, opt2)):
    o.zero_grad()
    nn.functional.mse_loss(m(x), y).backward()
    o.step()
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))
