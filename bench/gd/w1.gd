# W1 scalar tape: 10,000 iterations of 4 recorded ops each (mul, sin, mul, add), then backward.
# The benchmark binds `n` and `mark` (a timer) over the first assignments below; run alone,
# `gradcli run bench/gd/w1.gd` does the same work with mark() a no-op.
n = 10000
mark = lambda: None
x = tensor(0.5, requires_grad=True)
y = x
mark()
for i in range(n):
    y = y * 0.9999 + sin(x) * 0.0001
mark()
y.backward()
mark()
x.grad
