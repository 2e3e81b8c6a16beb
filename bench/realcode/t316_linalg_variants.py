# --- linalg variants
import torch

A = torch.tensor([[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]], dtype=torch.float64)
print(torch.linalg.solve(A, B))
print(torch.linalg.solve(A, B.T, left=False))
L = torch.linalg.cholesky(A)
print(torch.cholesky_solve(B, L))
U = torch.linalg.cholesky(A, upper=True)
print(torch.cholesky_solve(B, U, upper=True))
print(torch.linalg.solve_triangular(L, B, upper=False, unitriangular=False))
print(torch.linalg.eigh(A, UPLO="U").eigenvalues)
print(torch.linalg.multi_dot([A, A, B]))
print(torch.linalg.inv_ex(A).info, torch.linalg.solve_ex(A, B).info)
print(torch.linalg.matrix_rank(B), torch.linalg.det(A).item())
print(torch.linalg.lstsq(B, torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64).unsqueeze(1), driver="gelsd").solution.squeeze())
print(torch.linalg.vecdot(A[0], A[1]), torch.linalg.diagonal(A))
