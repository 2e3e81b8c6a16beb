# blog-style char RNN cell from scratch: one-hot inputs, tanh recurrence, grad clipping by norm, compare to nn.RNNCell
import torch
import torch.nn as nn
torch.manual_seed(0)
vocab = sorted(set("hello world"))
stoi = {c: i for i, c in enumerate(vocab)}
text = "hello world"
V, Hd = len(vocab), 5
Wxh = (torch.randn(V, Hd) * 0.1).requires_grad_()
Whh = (torch.randn(Hd, Hd) * 0.1).requires_grad_()
bh = torch.zeros(Hd, requires_grad=True)
Why = (torch.randn(Hd, V) * 0.1).requires_grad_()
h = torch.zeros(1, Hd)
loss = 0.0
for a, b_ in zip(text[:-1], text[1:]):
    x = torch.nn.functional.one_hot(torch.tensor([stoi[a]]), V).float()
    h = torch.tanh(x @ Wxh + h @ Whh + bh)
    logits = h @ Why
    loss = loss + nn.functional.cross_entropy(logits, torch.tensor([stoi[b_]]))
loss = loss / (len(text) - 1)
loss.backward()
total = torch.nn.utils.clip_grad_norm_([Wxh, Whh, bh, Why], max_norm=0.01)
print(round(loss.item(), 5), total > 0, torch.cat([p.grad.flatten() for p in [Wxh, Whh, bh, Why]]).norm() <= 0.0100001)
cell = nn.RNNCell(V, Hd)
with torch.no_grad():
    cell.weight_ih.copy_(Wxh.T)
    cell.weight_hh.copy_(Whh.T)
    cell.bias_ih.zero_()
    cell.bias_hh.copy_(bh)
h1 = torch.zeros(1, Hd)
h2 = torch.zeros(1, Hd)
for a in text:
    x = torch.nn.functional.one_hot(torch.tensor([stoi[a]]), V).float()
    h1 = torch.tanh(x @ Wxh + h1 @ Whh + bh)
    h2 = cell(x, h2)
print(torch.allclose(h1, h2, atol=1e-6), vocab)
