import torch

torch.manual_seed(3)
n = 40
X0 = torch.randn(n, 2) + torch.tensor([2.0, 2.0])
X1 = torch.randn(n, 2) - torch.tensor([2.0, 2.0])
X = torch.cat([X0, X1]).double()
y = torch.cat([torch.ones(n), torch.zeros(n)]).double()
w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
b = torch.zeros((), dtype=torch.float64, requires_grad=True)
for it in range(200):
    z = X @ w + b
    p = torch.sigmoid(z)
    loss = -(y * torch.log(p + 1e-12) + (1 - y) * torch.log(1 - p + 1e-12)).mean()
    gw, gb = torch.autograd.grad(loss, [w, b])
    with torch.no_grad():
        w -= 0.5 * gw
        b -= 0.5 * gb
    if it % 50 == 0:
        print(f"{it:4d} {loss.item():.8f}")
pred = (torch.sigmoid(X @ w + b) > 0.5).double()
acc = (pred == y).double().mean()
print("acc", acc.item(), "w", w.detach(), "b", b.item())
tp = ((pred == 1) & (y == 1)).sum().item()
fp = ((pred == 1) & (y == 0)).sum().item()
fn = ((pred == 0) & (y == 1)).sum().item()
print(tp, fp, fn, "precision", tp / max(tp + fp, 1), "recall", tp / max(tp + fn, 1))
bce = torch.nn.functional.binary_cross_entropy_with_logits(X @ w + b, y)
print(bce)
