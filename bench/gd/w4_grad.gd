# W4 as `gradcli grad --order 2 --wrt x bench/gd/w4_grad.gd`: the result y, differentiated twice.
n = 100
x = linspace(-2, 2, n, dtype=float64)
y = (tanh(x) * x ** 2).sum()
