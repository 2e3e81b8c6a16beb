# --- eig stability
import torch

A = torch.tensor([[0.0, 1.0], [-2.0, -0.5]], dtype=torch.float64)
vals, vecs = torch.linalg.eig(A)
print(vals)
print(vals.real.max() < 0, vals.abs())
print(vecs.shape, vecs.dtype)
B = torch.tensor([[2.0, 1.0], [1.0, 2.0]])
w, v = torch.linalg.eig(B)
print(w, w.real)
print(torch.linalg.eigvals(torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)))
M = torch.tensor([[1.0, 0.1], [0.0, 0.9]], dtype=torch.float64)
rho = torch.linalg.eigvals(M).abs().max()
print("spectral radius", rho.item())
x = torch.tensor([1.0, 1.0], dtype=torch.float64)
for _ in range(50):
    x = M @ x
print(x)

# --- numpy mixed ops
import numpy as np
import torch

t = torch.tensor([1.0, 2.0, 3.0])
a = np.array([0.5, 0.5, 0.5])
print(t * 2.0, t + np.float64(1.5), torch.tensor(a) + t)
print((t.numpy() + a).dtype, torch.from_numpy(t.numpy() + a))
x = np.linspace(-1, 1, 5)
y = np.sin(x)
tx = torch.tensor(x, dtype=torch.float32)
print(tx, torch.tensor(y).dtype)
vals = [np.float64(0.25), np.float64(0.75)]
print(torch.tensor(vals), torch.tensor([np.float32(1.5)]))
print(np.array(t.tolist()) * 2, np.asarray(t).sum(), np.round(t.numpy(), 1))
coef = np.polyfit(x, 3 * x ** 2 + 1, 2)
print(np.round(coef, 6), torch.tensor(coef).dtype)
print(torch.tensor(np.arange(4)).dtype, torch.tensor(np.int32(3)).dtype)
print(f"{np.float64(1.23456):.3f}", float(np.mean(t.numpy())))
