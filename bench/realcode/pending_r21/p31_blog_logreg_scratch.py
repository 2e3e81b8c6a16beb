# blog-style logistic regression from scratch: sigmoid, BCE by hand vs F.binary_cross_entropy_with_logits, manual grads vs autograd
import torch
import torch.nn.functional as F
torch.manual_seed(0)
N = 50
X = torch.randn(N, 2, dtype=torch.float64)
y = ((X[:, 0] + 0.5 * X[:, 1]) > 0).double()
w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
def sigmoid(z):
    return 1 / (1 + torch.exp(-z))
for epoch in range(101):
    z = X @ w + b
    p = sigmoid(z)
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    loss.backward()
    manual_gw = X.T @ (p - y).detach() / N
    with torch.no_grad():
        if epoch % 25 == 0:
            print(epoch, round(loss.item(), 6), torch.allclose(manual_gw, w.grad))
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad.zero_()
    b.grad.zero_()
print(w, b)
print(F.binary_cross_entropy_with_logits(X @ w + b, y).item())
pred = (sigmoid(X @ w + b) > 0.5).double()
print('accuracy', (pred == y).float().mean().item())
