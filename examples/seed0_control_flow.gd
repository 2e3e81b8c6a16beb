# Seed tutorial 0 (d2l 2.3), section 2.3.3: gradients through Python control flow.
#
# Autograd is define-by-run: the tape records only the operations that actually
# ran.  Here how many times the while loop doubles b, and which branch of the
# if is taken, both depend on the value of the input a -- yet the gradient is
# still well defined for the path that was taken.
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


# The tutorial draws an unseeded random number; we seed the generator so that
# the output is reproducible (and identical to PyTorch's).  Seed 4 draws a
# negative a, so -- as in the tutorial -- the else branch runs: c = 100 * b.
torch.manual_seed(4)
a = torch.normal(2, 3, size=(1, 1))
print(a)
a.requires_grad_(True)

# set_grad_enabled(True) is a context manager that switches recording on
# (it is already on by default; set_grad_enabled(False) would switch it off).
with torch.set_grad_enabled(True):
    c = f(a)
c.backward()
print(a.grad)

# Whatever path was taken, f(a) = k * a for some constant k that depends on a
# only through the control flow.  So dc/da = k = c / a.
print(a.grad == c / a)
