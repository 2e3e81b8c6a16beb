# Linear regression from scratch (blog style): manual SGD with torch.no_grad
import torch
torch.manual_seed(0)
true_w = torch.tensor([2.0, -3.4])
true_b = 4.2
X = torch.randn(100, 2)
y = X @ true_w + true_b + 0.01 * torch.randn(100)
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(20):
    y_hat = X @ w + b
    loss = ((y_hat - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 5 == 0:
        print(f"epoch {epoch}, loss {loss.item():.6f}")
print(w, b)
print(w.data, b.item())
print(y_hat.grad_fn, loss.grad_fn.__class__.__name__)
print(type(w), w.__class__, w.__class__.__name__, type(loss.item()).__name__)
