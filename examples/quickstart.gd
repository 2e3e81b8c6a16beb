# y = 2·xᵀx, the first example of every autograd tutorial: dy/dx = 4x.
x = arange(4.0)
y = 2 * dot(x, x)
print(y)
