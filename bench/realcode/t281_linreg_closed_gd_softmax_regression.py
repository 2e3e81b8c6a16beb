# --- linreg closed gd
import torch

torch.manual_seed(0)
X = torch.randn(50, 3)
w_true = torch.tensor([2.0, -3.4, 1.2])
y = X @ w_true + 4.2 + 0.01 * torch.randn(50)
Xb = torch.cat([X, torch.ones(50, 1)], dim=1)
w_closed = torch.linalg.inv(Xb.T @ Xb) @ Xb.T @ y
print("closed form", w_closed)
w = torch.zeros(3, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(100):
    pred = X @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if (epoch + 1) % 25 == 0:
        print(f"epoch {epoch + 1}, loss {loss.item():f}")
print("w", w, "b", b)
print("error in w", (w_true - w.reshape(w_true.shape)).abs().max().item() < 0.05)
r2 = 1 - ((X @ w + b - y) ** 2).sum() / ((y - y.mean()) ** 2).sum()
print(f"R^2 = {r2.item():.4f}")

# --- softmax regression
import torch
import torch.nn.functional as F

torch.manual_seed(0)
X = torch.randn(30, 4)
y = torch.randint(0, 3, (30,))
W = torch.zeros(4, 3, requires_grad=True)
b = torch.zeros(3, requires_grad=True)
def softmax(z):
    z = z - z.max(dim=1, keepdim=True).values
    e = z.exp()
    return e / e.sum(1, keepdim=True)
for epoch in range(50):
    P = softmax(X @ W + b)
    loss = -torch.log(P[torch.arange(30), y]).mean()
    loss.backward()
    with torch.no_grad():
        W -= 0.5 * W.grad; b -= 0.5 * b.grad
        W.grad.zero_(); b.grad.zero_()
print(loss)
print(F.cross_entropy(X @ W + b, y))
pred = (X @ W + b).argmax(1)
print(pred)
print("accuracy: {:.2%}".format((pred == y).float().mean().item()))
conf = torch.zeros(3, 3, dtype=torch.long)
for t, p in zip(y, pred):
    conf[t, p] += 1
print(conf)
print(torch.bincount(y * 3 + pred, minlength=9).reshape(3, 3))
