# LSTM language model with tied weights, truncated BPTT with hidden detach (repackage_hidden), perplexity
import math
import torch
import torch.nn as nn
torch.manual_seed(38)
class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nlayers, dropout=0.2):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, ninp, nlayers, dropout=dropout)
        self.decoder = nn.Linear(ninp, ntoken)
        self.decoder.weight = self.encoder.weight
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        self.nlayers, self.nhid = nlayers, ninp
    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output).view(-1, self.decoder.out_features)
        return nn.functional.log_softmax(decoded, dim=1), hidden
    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))
def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)
data = torch.randint(0, 10, (13, 2))
model = RNNModel(10, 6, 2).double()
print(len(list(model.parameters())), sum(p.numel() for p in model.parameters()))
crit = nn.NLLLoss()
hidden = model.init_hidden(2)
lr = 1.0
for i in range(0, data.size(0) - 1, 4):
    seq_len = min(4, len(data) - 1 - i)
    inp, target = data[i:i + seq_len], data[i + 1:i + 1 + seq_len].reshape(-1)
    model.zero_grad()
    hidden = repackage_hidden(hidden)
    output, hidden = model(inp, hidden)
    loss = crit(output, target)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-lr)
    print(f"| batch {i:3d} | loss {loss.item():5.2f} | ppl {math.exp(loss.item()):8.2f}")
print(hidden[0].shape, hidden[0].requires_grad)
