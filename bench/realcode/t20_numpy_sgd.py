# A linear model fitted to numpy-generated data with SGD, checked against a numpy gradient
# (the way blog posts mix numpy and torch).
import numpy as np
import torch
# numpy vs torch gradient check, typical blog code
np.random.seed(42)
X = np.random.randn(50, 3)
w_true = np.array([1.5, -2.0, 0.5])
y = X @ w_true + np.random.randn(50) * 0.1
X_t = torch.tensor(X, dtype=torch.float32)
y_t = torch.tensor(y, dtype=torch.float32)
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
losses = []
for i in range(50):
    opt.zero_grad()
    loss = torch.mean((X_t @ w - y_t) ** 2)
    loss.backward()
    opt.step()
    losses.append(loss.item())
print(np.round(w.detach().numpy(), 3))
print(f"final loss {losses[-1]:.5f}", len(losses), min(losses) == losses[-1])
grad_np = 2 * X.T @ (X @ np.zeros(3) - y) / len(y)
w2 = torch.zeros(3, requires_grad=True)
torch.mean((torch.tensor(X) @ w2.double() - torch.tensor(y)) ** 2).backward()
print(np.allclose(grad_np, w2.grad.numpy()), grad_np)
print(np.mean(losses[:5]), np.array(losses[:3]))
