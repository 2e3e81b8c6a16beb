# skip-gram-ish word embeddings with nn.Embedding, negative sampling via logsigmoid, cosine similarity
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(34)
corpus = "the quick brown fox jumps over the lazy dog the fox".split()
vocab = sorted(set(corpus))
w2i = {w: i for i, w in enumerate(vocab)}
pairs = [(w2i[corpus[i]], w2i[corpus[j]]) for i in range(len(corpus)) for j in range(max(0, i - 2), min(len(corpus), i + 3)) if i != j]
print(len(vocab), len(pairs), pairs[:4])
class SkipGram(nn.Module):
    def __init__(self, V, D):
        super().__init__()
        self.inp = nn.Embedding(V, D)
        self.out = nn.Embedding(V, D)
    def forward(self, c, o, neg):
        vc = self.inp(c)
        pos = F.logsigmoid((vc * self.out(o)).sum(-1))
        negs = F.logsigmoid(-(self.out(neg) @ vc.unsqueeze(-1)).squeeze(-1)).sum(-1)
        return -(pos + negs).mean()
m = SkipGram(len(vocab), 5)
opt = torch.optim.SGD(m.parameters(), lr=0.5)
c = torch.tensor([p[0] for p in pairs]); o = torch.tensor([p[1] for p in pairs])
for ep in range(20):
    neg = torch.randint(0, len(vocab), (len(pairs), 3))
    loss = m(c, o, neg)
    opt.zero_grad(); loss.backward(); opt.step()
print(round(loss.item(), 4))
E = m.inp.weight.detach()
sim = F.cosine_similarity(E[w2i['fox']].unsqueeze(0), E, dim=1)
print([vocab[i] for i in sim.argsort(descending=True)[:3].tolist()])
print(m.inp, m.inp.weight.shape, m.inp(torch.tensor([0, 1])).shape)
