# Seq2seq GRU encoder/decoder with teacher forcing using python random, greedy decoding
import random
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(13)
random.seed(13)
SOS, EOS, V, H = 0, 1, 7, 6
class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H)
    def forward(self, inp, hidden):
        embedded = self.embedding(inp).view(1, 1, -1)
        return self.gru(embedded, hidden)
class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H)
        self.out = nn.Linear(H, V)
    def forward(self, inp, hidden):
        output = F.relu(self.embedding(inp).view(1, 1, -1))
        output, hidden = self.gru(output, hidden)
        return F.log_softmax(self.out(output[0]), dim=1), hidden
enc, dec = Encoder().double(), Decoder().double()
eo = torch.optim.SGD(enc.parameters(), lr=0.1)
do = torch.optim.SGD(dec.parameters(), lr=0.1)
crit = nn.NLLLoss()
pairs = [([2, 3, 4], [4, 3, 2]), ([5, 6], [6, 5]), ([3, 3, 5], [5, 3, 3])]
for it in range(6):
    src, tgt = pairs[it % 3]
    src_t = torch.tensor(src + [EOS]).view(-1, 1)
    tgt_t = torch.tensor(tgt + [EOS]).view(-1, 1)
    eo.zero_grad(); do.zero_grad()
    h = torch.zeros(1, 1, H, dtype=torch.float64)
    for ei in range(src_t.size(0)):
        _, h = enc(src_t[ei], h)
    dec_in = torch.tensor([[SOS]])
    loss = 0
    teacher = True if random.random() < 0.5 else False
    for di in range(tgt_t.size(0)):
        out, h = dec(dec_in, h)
        loss += crit(out, tgt_t[di])
        if teacher:
            dec_in = tgt_t[di]
        else:
            topv, topi = out.topk(1)
            dec_in = topi.squeeze().detach()
            if dec_in.item() == EOS:
                break
    loss.backward()
    eo.step(); do.step()
    print(it, teacher, round(loss.item() / tgt_t.size(0), 6))
print(type(loss).__name__, loss.grad_fn.name())
