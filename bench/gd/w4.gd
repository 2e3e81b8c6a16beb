# W4 Hessian: the n×n Hessian of f(x) = sum(tanh(x)·x²) in float64, `reps` times.
n = 100
reps = 5
mark = lambda: None
def f(x):
    return (tanh(x) * x ** 2).sum()
x = linspace(-2, 2, n, dtype=float64)
for r in range(reps):
    mark()
    H = hessian(f, x)
mark()
H
