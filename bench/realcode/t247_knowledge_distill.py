# Knowledge distillation: teacher/student, KLDiv with temperature T^2 scaling, hard label CE mixing
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(53)
teacher = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3)).double()
student = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3)).double()
teacher.eval()
opt = torch.optim.SGD(student.parameters(), lr=0.1, momentum=0.9)
X = torch.randn(10, 6, dtype=torch.float64); y = torch.randint(0, 3, (10,))
T, alpha = 2.0, 0.7
for ep in range(4):
    with torch.no_grad():
        t_logits = teacher(X)
    s_logits = student(X)
    soft_targets = nn.functional.softmax(t_logits / T, dim=-1)
    soft_prob = nn.functional.log_softmax(s_logits / T, dim=-1)
    soft_loss = torch.sum(soft_targets * (soft_targets.log() - soft_prob)) / soft_prob.size()[0] * (T ** 2)
    kd = F.kl_div(soft_prob, soft_targets, reduction='batchmean') * T * T
    hard = F.cross_entropy(s_logits, y)
    loss = alpha * kd + (1 - alpha) * hard
    opt.zero_grad(); loss.backward(); opt.step()
    print(f"{ep} soft={soft_loss.item():.8f} kd={kd.item():.8f} hard={hard.item():.8f}")
print(F.kl_div(soft_prob, soft_targets.log(), reduction='batchmean', log_target=True))
