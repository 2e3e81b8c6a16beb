# Seed tutorial 0 (d2l 2.3), exercise 1: the control-flow function f applied
# to a random MATRIX instead of a scalar.
#
# Now c = f(a) is not a scalar, and c.backward() alone would fail
# ("grad can be implicitly created only for scalar outputs").  backward needs
# a `gradient` argument v of c's shape; it then computes the vector-Jacobian
# product v^T (dc/da).  With v = ones this is the gradient of c.sum().
import torch


def f(a):
    b = a * 2
    while b.norm().item() < 1000:
        b = b * 2
    if b.sum().item() > 0:
        c = b
    else:
        c = 100 * b
    return c


torch.manual_seed(1)
a = torch.randn(2, 3, requires_grad=True)
c = f(a)
print(c)
c.backward(torch.ones_like(c))
print(a.grad)

# Every element was multiplied by the same factor k, so the gradient is k
# everywhere and equals c / a elementwise.
print(torch.allclose(a.grad, c / a))
