# Char-RNN sampling: temperature multinomial, top-k filtering, gumbel_softmax hard, argmax decoding
import torch
import torch.nn.functional as F
torch.manual_seed(55)
logits = torch.randn(2, 6)
print(F.gumbel_softmax(logits, tau=0.5))
h = F.gumbel_softmax(logits, tau=1.0, hard=True)
print(h, h.sum(1))
def top_k_logits(logits, k):
    v, ix = torch.topk(logits, k)
    out = logits.clone()
    out[out < v[:, [-1]]] = -float('Inf')
    return out
f = top_k_logits(logits, 3)
print(f)
probs = F.softmax(f / 0.7, dim=-1)
print(torch.multinomial(probs, num_samples=4, replacement=True))
chars = "abcdef"
out = []
idx = 0
for _ in range(10):
    w = torch.randn(6).div(0.8).exp()
    idx = torch.multinomial(w, 1)[0]
    out.append(chars[idx])
print("".join(out))
sorted_logits, sorted_indices = torch.sort(logits, descending=True)
cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
remove = cum > 0.8
remove[..., 1:] = remove[..., :-1].clone()
remove[..., 0] = 0
print(remove)
print(sorted_indices[remove])
