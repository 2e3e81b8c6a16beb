# W2 small tensors: a 1,000-step tanh chain on 64-vectors, backward of sum(h) to W and b.
n = 1000
mark = lambda: None
manual_seed(0)
h = ones(64)
W = 0.1 * randn(64, 64)
W.requires_grad_(True)
b = zeros(64, requires_grad=True)
mark()
for i in range(n):
    h = tanh(W @ h + b)
loss = h.sum()
mark()
loss.backward()
mark()
b.grad
