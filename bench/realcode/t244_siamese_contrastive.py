# Siamese network with shared encoder, pairwise_distance, contrastive loss, cosine_similarity, cdist
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(50)
class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(5, 8), nn.PReLU(), nn.Linear(8, 3))
    def forward(self, a, b):
        return self.enc(a), self.enc(b)
class ContrastiveLoss(nn.Module):
    def __init__(self, margin=2.0):
        super().__init__()
        self.margin = margin
    def forward(self, o1, o2, label):
        d = F.pairwise_distance(o1, o2, keepdim=True)
        return torch.mean((1 - label) * torch.pow(d, 2) + label * torch.pow(torch.clamp(self.margin - d, min=0.0), 2))
net = Siamese().double()
crit = ContrastiveLoss()
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
a = torch.randn(6, 5, dtype=torch.float64); b = torch.randn(6, 5, dtype=torch.float64)
lab = torch.tensor([[0.], [1.], [0.], [1.], [1.], [0.]], dtype=torch.float64)
for i in range(4):
    opt.zero_grad()
    o1, o2 = net(a, b)
    l = crit(o1, o2, lab)
    l.backward()
    opt.step()
    print("Epoch {}\n Current loss {}\n".format(i, l.item()))
print(F.cosine_similarity(o1, o2))
print(torch.cdist(o1, o2).shape, torch.cdist(o1[:2], o2[:3], p=1))
print(net.enc[1].weight)
