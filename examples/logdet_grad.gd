# d/dA log det A = A⁻ᵀ, the identity behind every Gaussian log-likelihood.
#
# logdet records LinalgSlogdetBackward0 inside a where (logdet is nan for a negative
# determinant): PyTorch's node is WhereBackward0.  Its gradient is inverse(A).T,
# which we print beside autograd's, and slogdet gives the same through its
# (sign, logabsdet) named tuple.
import torch

A = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], requires_grad=True)
y = torch.logdet(A)
print(y)
y.backward()
print(A.grad)
print(torch.inverse(A).T)
print(torch.allclose(A.grad, torch.inverse(A).T))

# The determinant's own gradient is det(A)·A⁻ᵀ (Jacobi's formula).
A.grad = None
d = torch.det(A)
d.backward()
print(d)
print(A.grad)
print(d.detach() * torch.linalg.inv(A).T)

# slogdet: the sign has no gradient; log|det| has A⁻ᵀ again, here for a matrix
# with a negative determinant (logdet would be nan).
B = torch.tensor([[0.0, 2.0], [1.0, 0.5]], requires_grad=True)
result = torch.linalg.slogdet(B)
print(result)
result.logabsdet.backward()
print(B.grad)
print(torch.logdet(B))

# Batched, and second order: the Hessian-vector product of logdet along V is
# -A⁻ᵀ Vᵀ A⁻ᵀ.
C = torch.stack([A.detach(), 2 * A.detach()]).requires_grad_()
g, = torch.autograd.grad(torch.logdet(C).sum(), C, create_graph=True)
V = torch.ones(2, 3, 3)
hv, = torch.autograd.grad((g * V).sum(), C)
print(hv)
Ci = torch.linalg.inv(C.detach())
print(-(Ci.mT @ V.mT @ Ci.mT))
