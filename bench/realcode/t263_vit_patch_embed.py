# Vision Transformer: patch embedding via Conv2d stride=patch, cls token, pos embedding parameter, einops-free reshape, TransformerEncoder, head on cls
import torch
import torch.nn as nn
torch.manual_seed(73)
class ViT(nn.Module):
    def __init__(self, img=8, patch=4, dim=8, depth=1, heads=2, n_classes=3):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, dim, kernel_size=patch, stride=patch)
        n = (img // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * .02)
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, dropout=0.0, activation='gelu', batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)
        nn.init.trunc_normal_(self.cls_token, std=.02)
    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(self.norm(x[:, 0]))
m = ViT().double()
x = torch.randn(2, 1, 8, 8, dtype=torch.float64)
print(m(x))
print(sum(p.numel() for p in m.parameters() if p.requires_grad))
opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3)
for i in range(3):
    loss = nn.functional.cross_entropy(m(x), torch.tensor([0, 2]), label_smoothing=0.1)
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    print(i, f"{loss.item():.8f}", f"{sched.get_last_lr()[0]:.6e}")
