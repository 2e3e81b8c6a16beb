# --- np training compare
import numpy as np
import torch

rng = np.random.default_rng(42)
X = rng.normal(size=(30, 2))
y = (X[:, 0] - 2 * X[:, 1] > 0).astype(np.float64)
w = np.zeros(2)
b = 0.0
for it in range(100):
    z = X @ w + b
    p = 1 / (1 + np.exp(-z))
    gw = X.T @ (p - y) / len(y)
    gb = np.mean(p - y)
    w -= 0.5 * gw
    b -= 0.5 * gb
print("numpy", np.round(w, 6), round(b, 6))
Xt = torch.from_numpy(X)
yt = torch.from_numpy(y)
wt = torch.zeros(2, dtype=torch.float64, requires_grad=True)
bt = torch.zeros(1, dtype=torch.float64, requires_grad=True)
for it in range(100):
    loss = torch.nn.functional.binary_cross_entropy_with_logits(Xt @ wt + bt, yt)
    loss.backward()
    with torch.no_grad():
        wt -= 0.5 * wt.grad
        bt -= 0.5 * bt.grad
        wt.grad.zero_(); bt.grad.zero_()
print("torch", wt.detach().numpy().round(6), round(bt.item(), 6))
print(np.allclose(w, wt.detach().numpy(), atol=1e-6))
