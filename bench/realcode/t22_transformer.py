import math

import torch
import torch.nn as nn

torch.manual_seed(0)


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class TinyTransformer(nn.Module):
    def __init__(self, vocab, d_model=16, nhead=2, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d_model, vocab)
        self.d_model = d_model

    def forward(self, src, mask):
        x = self.embed(src) * math.sqrt(self.d_model)
        x = self.pos(x)
        x = self.encoder(x, mask)
        return self.head(x)


vocab = 10
model = TinyTransformer(vocab)
print(model.encoder.layers[0].self_attn)
print(sum(p.numel() for p in model.parameters()), "parameters")
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
seq_len, batch = 6, 4
data = torch.randint(0, vocab, (seq_len + 1, batch))
src, tgt = data[:-1], data[1:]
mask = nn.Transformer.generate_square_subsequent_mask(seq_len)
print(mask)
for step in range(8):
    model.train()
    opt.zero_grad()
    out = model(src, mask)
    loss = loss_fn(out.view(-1, vocab), tgt.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
model.eval()
with torch.no_grad():
    logits = model(src, mask)
    probs = torch.softmax(logits[-1], dim=-1)
print(probs[0])
print(logits.argmax(-1))
