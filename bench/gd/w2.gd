# W2 small tensors: a 1,000-step tanh chain on 64-vectors, backward of sum(h) to W and b.
# The benchmark binds n, m (the width: W9 sweeps it) and mark over the first assignments.
# W's scale 0.8/sqrt(m) is 0.1 at m = 64 and keeps the chain as contracting at any width.
n = 1000
m = 64
mark = lambda: None
manual_seed(0)
h = ones(m)
W = 0.8 * m ** -0.5 * randn(m, m)
W.requires_grad_(True)
b = zeros(m, requires_grad=True)
mark()
for i in range(n):
    h = tanh(W @ h + b)
loss = h.sum()
mark()
loss.backward()
mark()
b.grad
