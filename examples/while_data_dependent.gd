# A while loop whose number of iterations depends on the data, differentiated.
#
# Heron's method computes sqrt(a) by repeating y <- (y + a / y) / 2 until
# y * y is close enough to a.  How many times the loop runs depends on a, and
# the tape records exactly the iterations that ran: backward then
# differentiates that unrolled chain.  At convergence the derivative of the
# loop's result approaches the derivative of sqrt, 1 / (2 sqrt(a)).
import torch


def heron_sqrt(a):
    y = a
    steps = 0
    # The condition is evaluated on values (.item()): it steers the
    # computation but is not itself differentiated.
    while abs((y * y - a).item()) > 1e-10:
        y = (y + a / y) / 2
        steps = steps + 1
    return y, steps


for value in [0.25, 2.0, 100.0, 1.0e6]:
    a = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    root, steps = heron_sqrt(a)
    root.backward()
    print(f"a = {value}: {steps} iterations, sqrt = {root.item():.6f}, "
          f"d sqrt/da = {a.grad.item():.6f}, exact {0.5 / root.item():.6f}")

# The derivative through a loop that stops after a data-dependent number of
# steps is exact for the function that was computed, which here differs from
# d sqrt / da by less than the tolerance of the stopping test.
a = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
root, steps = heron_sqrt(a)
root.backward()
print(a.grad)
print(torch.allclose(a.grad, 0.5 / torch.sqrt(a.detach())))
