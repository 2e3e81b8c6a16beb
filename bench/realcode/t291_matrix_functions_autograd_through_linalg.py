# --- matrix functions
import torch

A = torch.tensor([[4.0, 1.0], [2.0, 3.0]], dtype=torch.float64)
print(torch.linalg.det(A), torch.det(A), torch.linalg.slogdet(A))
print(torch.linalg.inv(A))
print(torch.linalg.matrix_exp(A * 0.1))
print(torch.linalg.matrix_power(A, 3))
print(torch.linalg.norm(A), torch.linalg.norm(A, ord=2), torch.linalg.norm(A, "nuc"), torch.linalg.matrix_norm(A, ord=1))
ev = torch.linalg.eigvals(A)
print(ev, ev.real.sort().values)
print(torch.trace(A), torch.diag(A), torch.triu(A), torch.tril(A, -1))
S = A @ A.T
L, Q = torch.linalg.eigh(S)
print(L)
print(torch.allclose(Q @ torch.diag(L) @ Q.T, S))
print(torch.kron(torch.eye(2), A))
print(torch.linalg.vector_norm(torch.tensor([3.0, 4.0]), ord=1), torch.linalg.vector_norm(torch.tensor([3.0, 4.0])))
print(torch.linalg.cross(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0])))
print(torch.outer(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])), torch.inner(A[0], A[1]))

# --- autograd through linalg
import torch

torch.manual_seed(0)
A = torch.randn(3, 3, dtype=torch.float64)
A = (A @ A.T + 3 * torch.eye(3, dtype=torch.float64)).requires_grad_()
b = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
x = torch.linalg.solve(A, b)
x.sum().backward()
print(x)
print(A.grad)
B = A.detach().clone().requires_grad_()
torch.logdet(B).backward()
print(torch.allclose(B.grad, torch.linalg.inv(B.detach()).T))
C = A.detach().clone().requires_grad_()
L = torch.linalg.cholesky(C)
L.diagonal().log().sum().mul(2).backward()
print(C.grad.diagonal())
D = A.detach().clone().requires_grad_()
w, V = torch.linalg.eigh(D)
w.max().backward()
print(w, D.grad.diagonal())
print(torch.autograd.gradcheck(lambda M: torch.linalg.det(M), (A.detach().clone().requires_grad_(),)))
