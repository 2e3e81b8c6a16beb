# Special functions and their derivatives, first and second order.
#
# d/dx erf(x) = 2/sqrt(pi) * exp(-x^2), and differentiating once more gives
# -2x times that.  At x = 0.5: 0.8788 and -0.8788.
import torch

x = torch.tensor(0.5, requires_grad=True)
y = torch.erf(x)
d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x)
print(y)
print(d1)
print(d2)

# erfinv undoes erf, and its derivative is the reciprocal of erf's.
z = torch.special.erfinv(y)
dz, = torch.autograd.grad(z, x)
print(z, dz)

# atan2(y, x) is the angle of the point (x, y); its gradient is
# (x, -y) / (x^2 + y^2) with respect to (y, x).
p = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
q = torch.tensor([1.0, 1.0, -3.0], requires_grad=True)
angle = torch.atan2(p, q)
print(angle)
angle.sum().backward()
print(p.grad)
print(q.grad)

# The sigmoid's inverse is the logit: their composition is the identity, so
# the derivative is 1 everywhere.
s = torch.tensor([0.25, 0.5, 0.9], dtype=torch.float64, requires_grad=True)
back = torch.special.expit(torch.logit(s))
print(back)
print(torch.autograd.grad(back.sum(), s)[0])

# Stable log-sum-exp of two terms, and its gradient: the softmax weights.
a = torch.tensor([0.0, 10.0, -5.0], requires_grad=True)
b = torch.tensor([1.0, 10.0, 100.0], requires_grad=True)
lse = torch.logaddexp(a, b)
print(lse)
ga, gb = torch.autograd.grad(lse.sum(), [a, b])
print(ga, gb)

# xlogy is 0 where x is 0, even at y = 0 (where x * log(y) would be nan):
# the entropy term of a distribution with a zero.  Its gradient there is
# still nan, as in PyTorch: the y-side term x / y is 0 / 0.
prob = torch.tensor([0.0, 0.25, 0.75], requires_grad=True)
entropy = -torch.xlogy(prob, prob).sum()
print(entropy)
entropy.backward()
print(prob.grad)

# Hyperbolic functions: cosh^2 - sinh^2 = 1, asinh undoes sinh; sinc(0) = 1.
h = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
print(torch.cosh(h) ** 2 - torch.sinh(h) ** 2)
print(torch.asinh(torch.sinh(h)))
print(torch.sinc(torch.tensor([0.0, 0.5, 1.0])))
