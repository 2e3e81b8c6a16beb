# freezing layers for fine-tuning: requires_grad_(False), filter params, param groups with different lrs
import torch
import torch.nn as nn
torch.manual_seed(28)
backbone = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
head = nn.Linear(8, 2)
model = nn.Sequential(backbone, head)
for p in backbone.parameters():
    p.requires_grad = False
print(sum(p.numel() for p in model.parameters() if p.requires_grad), sum(p.numel() for p in model.parameters()))
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
x = torch.randn(10, 6); y = torch.randint(0, 2, (10,))
w0 = backbone[0].weight.clone()
for _ in range(5):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
print(torch.equal(w0, backbone[0].weight), backbone[0].weight.grad, round(loss.item(), 5))
backbone[2].requires_grad_(True)
opt = torch.optim.Adam([{'params': backbone[2].parameters(), 'lr': 1e-4}, {'params': head.parameters()}], lr=1e-2)
print([g['lr'] for g in opt.param_groups], len(opt.param_groups[0]['params']))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward(); opt.step()
print(backbone[2].weight.grad is not None, backbone[0].weight.grad)
for name, param in model.named_parameters():
    print(name, param.requires_grad)
