# clip_grad_norm_, clip_grad_value_, gradient norms printed during training
import torch
import torch.nn as nn
torch.manual_seed(8)
model = nn.Sequential(nn.Linear(5, 10), nn.ReLU(), nn.Linear(10, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.5)
x = torch.randn(32, 5) * 10
y = torch.randn(32, 1) * 10
for step in range(4):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    after = torch.sqrt(sum(p.grad.norm() ** 2 for p in model.parameters()))
    print(step, f"{loss.item():.4f}", f"{total_norm.item():.4f}", f"{after.item():.4f}")
    opt.step()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
print(max(p.grad.abs().max().item() for p in model.parameters()))
print(torch.nn.utils.clip_grad_norm_([p for p in model.parameters()], 0.5, norm_type=float('inf')))
print(torch.nn.utils.clip_grad_norm_(model.parameters(), 1e-3, norm_type=1))
v = torch.nn.utils.parameters_to_vector(model.parameters())
print(v.shape)
torch.nn.utils.vector_to_parameters(torch.zeros_like(v), model.parameters())
print(model[2].bias)
print(torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]))
