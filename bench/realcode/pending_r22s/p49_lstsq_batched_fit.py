import torch

x = torch.linspace(0, 2, 9)
Y = torch.stack([1 + 2 * x, 3 - x, x ** 2])
A = torch.stack([torch.ones_like(x), x], 1)
sol = torch.linalg.lstsq(A.expand(3, 9, 2), Y.unsqueeze(-1)).solution
print(sol.squeeze(-1))
print(torch.linalg.lstsq(A, Y.T).solution)
res = Y.T - A @ torch.linalg.lstsq(A, Y.T).solution
print(res.pow(2).sum(0))
def polyfit(x, y, deg):
    V = torch.vander(x, deg + 1)
    return torch.linalg.lstsq(V.double(), y.double().unsqueeze(1)).solution.squeeze(1)
def polyval(p, x):
    out = torch.zeros_like(x)
    for c in p:
        out = out * x + c
    return out
p = polyfit(x, x ** 2 - 1, 2)
print(p, polyval(p, torch.tensor([0.0, 1.0, 3.0], dtype=torch.float64)))
