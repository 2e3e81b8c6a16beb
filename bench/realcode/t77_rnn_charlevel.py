# tiny char-level RNN with nn.RNN + embedding, teacher forcing, sampling by argmax
import torch
import torch.nn as nn
torch.manual_seed(14)
text = "hello world hello torch"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text])
class CharRNN(nn.Module):
    def __init__(self, V, H):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.rnn = nn.RNN(H, H, batch_first=True)
        self.out = nn.Linear(H, V)
    def forward(self, x, h=None):
        o, h = self.rnn(self.emb(x), h)
        return self.out(o), h
m = CharRNN(len(chars), 16)
opt = torch.optim.Adam(m.parameters(), lr=0.05)
for it in range(60):
    logits, _ = m(data[:-1].unsqueeze(0))
    loss = nn.functional.cross_entropy(logits.squeeze(0), data[1:])
    opt.zero_grad(); loss.backward(); opt.step()
    if it % 20 == 0:
        print(it, round(loss.item(), 4))
x = torch.tensor([[stoi['h']]])
h = None
out = 'h'
with torch.no_grad():
    for _ in range(10):
        logits, h = m(x, h)
        nxt = logits[0, -1].argmax().item()
        out += itos[nxt]
        x = torch.tensor([[nxt]])
print(repr(out), h.shape)
