# Tabular model: categorical embeddings list + continuous BatchNorm, concatenation, dropout, BCEWithLogits, sigmoid threshold metrics
import torch
import torch.nn as nn
torch.manual_seed(74)
class TabularModel(nn.Module):
    def __init__(self, emb_szs, n_cont, out_sz, layers, p=0.4):
        super().__init__()
        self.embeds = nn.ModuleList([nn.Embedding(ni, nf) for ni, nf in emb_szs])
        self.emb_drop = nn.Dropout(p)
        self.bn_cont = nn.BatchNorm1d(n_cont)
        layerlist = []
        n_emb = sum((nf for ni, nf in emb_szs))
        n_in = n_emb + n_cont
        for i in layers:
            layerlist.append(nn.Linear(n_in, i))
            layerlist.append(nn.ReLU(inplace=True))
            layerlist.append(nn.BatchNorm1d(i))
            layerlist.append(nn.Dropout(p))
            n_in = i
        layerlist.append(nn.Linear(layers[-1], out_sz))
        self.layers = nn.Sequential(*layerlist)
    def forward(self, x_cat, x_cont):
        embeddings = []
        for i, e in enumerate(self.embeds):
            embeddings.append(e(x_cat[:, i]))
        x = torch.cat(embeddings, 1)
        x = self.emb_drop(x)
        x_cont = self.bn_cont(x_cont)
        x = torch.cat([x, x_cont], 1)
        return self.layers(x)
cat_szs = [3, 5, 2]
emb_szs = [(size, min(50, (size + 1) // 2)) for size in cat_szs]
print(emb_szs)
model = TabularModel(emb_szs, 2, 1, [6, 4], p=0.2).double()
print(model)
x_cat = torch.stack([torch.randint(0, s, (10,)) for s in cat_szs], 1)
x_cont = torch.randn(10, 2, dtype=torch.float64)
y = torch.randint(0, 2, (10, 1)).double()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
crit = nn.BCEWithLogitsLoss()
for i in range(4):
    opt.zero_grad()
    loss = crit(model(x_cat, x_cont), y)
    loss.backward()
    opt.step()
    print(f'epoch: {i:3}  loss: {loss.item():10.8f}')
model.eval()
with torch.no_grad():
    probs = torch.sigmoid(model(x_cat, x_cont))
preds = (probs > 0.5).float()
tp = ((preds == 1) & (y == 1)).sum().item()
print(f"acc {(preds == y).float().mean().item():.3f} tp {tp}")
