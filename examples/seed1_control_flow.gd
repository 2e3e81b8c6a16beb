# Seed tutorial 1 (d2l), section 4: gradients through Python control flow.
#
# The number of while-loop iterations and the branch of the if depend on the
# value of a; autograd differentiates the path that actually ran.  For any a,
# f(a) = k * a with k a piecewise constant, so d = f(a) has gradient k = d / a.
import torch


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


# The tutorial's a is unseeded; seed it for a reproducible output.
torch.manual_seed(0)
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a)
print(d)
print(a.grad)
print(a.grad == d / a)
