# manual backprop of a 2-layer net (karpathy style) checked against autograd
import torch
torch.manual_seed(16)
N, D, H, C = 8, 5, 6, 3
X = torch.randn(N, D, dtype=torch.float64)
Y = torch.randint(0, C, (N,))
W1 = torch.randn(D, H, dtype=torch.float64, requires_grad=True)
b1 = torch.zeros(H, dtype=torch.float64, requires_grad=True)
W2 = torch.randn(H, C, dtype=torch.float64, requires_grad=True)
b2 = torch.zeros(C, dtype=torch.float64, requires_grad=True)
hpre = X @ W1 + b1
h = torch.tanh(hpre)
logits = h @ W2 + b2
logit_maxes = logits.max(1, keepdim=True).values
norm_logits = logits - logit_maxes
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdims=True)
probs = counts / counts_sum
logprobs = probs.log()
loss = -logprobs[range(N), Y].mean()
for t in [hpre, h, logits, probs]:
    t.retain_grad()
loss.backward()
dlogits = torch.softmax(logits, 1).detach()
dlogits[range(N), Y] -= 1
dlogits /= N
dW2 = h.detach().T @ dlogits
db2 = dlogits.sum(0)
dh = dlogits @ W2.detach().T
dhpre = (1 - h.detach() ** 2) * dh
dW1 = X.T @ dhpre
db1 = dhpre.sum(0)
def cmp(s, dt, t):
    ex = torch.all(dt == t.grad).item()
    app = torch.allclose(dt, t.grad)
    maxdiff = (dt - t.grad).abs().max().item()
    print(f'{s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff < 1e-12}')
cmp('logits', dlogits, logits)
cmp('h', dh, h)
cmp('hpre', dhpre, hpre)
cmp('W2', dW2, W2)
cmp('b2', db2, b2)
cmp('W1', dW1, W1)
cmp('b1', db1, b1)
print(loss.item())
print(torch.nn.functional.cross_entropy(logits, Y).item())
