# nn.Transformer full model on small toy copy task, 3 Adam steps, eval inference
import math
import torch
import torch.nn as nn
torch.manual_seed(16)
class Model(nn.Module):
    def __init__(self, V=6, d=8):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.tf = nn.Transformer(d_model=d, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d, V)
        self.d = d
    def forward(self, src, tgt):
        s = self.emb(src) * math.sqrt(self.d)
        t = self.emb(tgt) * math.sqrt(self.d)
        m = self.tf.generate_square_subsequent_mask(tgt.size(1)).to(torch.float64)
        return self.out(self.tf(s, t, tgt_mask=m))
m = Model().double()
src = torch.randint(2, 6, (3, 5))
tgt_in = torch.cat([torch.zeros(3, 1, dtype=torch.long), src[:, :-1]], 1)
opt = torch.optim.Adam(m.parameters(), lr=0.01)
for i in range(3):
    opt.zero_grad()
    logits = m(src, tgt_in)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 6), src.reshape(-1))
    loss.backward()
    opt.step()
    print(f"{i}: {loss.item():.8f}")
m.eval()
with torch.no_grad():
    print(m(src, tgt_in).argmax(-1))
