# W3 BLAS-bound: loss = sum((A @ B)²) for n×n matrices, backward to A and B.
n = 1000
dtype = float64
mark = lambda: None
manual_seed(0)
A = randn(n, n, dtype=dtype, requires_grad=True)
B = randn(n, n, dtype=dtype, requires_grad=True)
mark()
C = A @ B
loss = (C ** 2).sum()
mark()
loss.backward()
mark()
loss
