# linear algebra tutorial pieces: solve, lstsq normal equations, qr, svd low-rank, eigh of symmetric, det/slogdet, pinv, matrix_norm
import torch
torch.manual_seed(0)
A = torch.randn(4, 3, dtype=torch.float64)
b = torch.randn(4, 1, dtype=torch.float64)
sol = torch.linalg.lstsq(A, b).solution
ne = torch.linalg.solve(A.T @ A, A.T @ b)
print(torch.allclose(sol, ne), sol.flatten())
Q, R = torch.linalg.qr(A)
print(torch.allclose(Q @ R, A), R.diagonal().abs())
U, S, Vh = torch.linalg.svd(A, full_matrices=False)
print(S, torch.allclose(U @ torch.diag(S) @ Vh, A))
rank1 = S[0] * torch.outer(U[:, 0], Vh[0])
print(torch.linalg.matrix_norm(A - rank1), torch.sqrt((S[1:] ** 2).sum()))
M = A.T @ A
w, V = torch.linalg.eigh(M)
print(w, torch.allclose(V @ torch.diag(w) @ V.T, M))
print(torch.linalg.det(M), torch.linalg.slogdet(M))
print(torch.allclose(torch.linalg.pinv(A) @ A, torch.eye(3, dtype=torch.float64)), torch.linalg.matrix_rank(A))
print(torch.linalg.norm(A), torch.linalg.norm(A, ord='nuc'), torch.linalg.cond(M))
