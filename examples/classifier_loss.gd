# A tiny linear classifier: F.linear, then F.cross_entropy with label smoothing.
#
# With label_smoothing=ε the target puts 1-ε on the true class and ε spread evenly
# over all classes; the gradient of the loss with respect to the logits is then
# softmax(logits) minus the smoothed target, averaged over the batch.
import torch
import torch.nn.functional as F

torch.manual_seed(0)

X = torch.randn(6, 4)                   # 6 samples, 4 features
labels = torch.tensor([0, 2, 1, 2, 0, 1])
W = (torch.randn(3, 4) * 0.1).requires_grad_()   # 3 classes
b = torch.zeros(3, requires_grad=True)

logits = F.linear(X, W, b)
print(logits.grad_fn)

loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
print("loss", loss)
loss.backward()
print("dL/dW", W.grad)
print("dL/db", b.grad)

# The same gradient by the formula: softmax - smoothed one-hot, over the batch.
with torch.no_grad():
    eps = 0.1
    target = F.one_hot(labels, 3).float() * (1 - eps) + eps / 3
    dlogits = (F.softmax(logits, dim=1) - target) / 6
    print("by hand", dlogits.t() @ X)
    print(torch.allclose(dlogits.t() @ X, W.grad))

# Other keywords: class weights, an ignored label, per-sample losses.
weight = torch.tensor([1.0, 2.0, 0.5])
print(F.cross_entropy(logits, labels, weight=weight))
print(F.cross_entropy(logits, labels, ignore_index=2, reduction="none"))
print(F.nll_loss(F.log_softmax(logits, dim=1), labels, reduction="sum"))

# Soft targets (class probabilities) are accepted as well.
probs = F.softmax(torch.randn(6, 3), dim=1)
print(F.cross_entropy(logits, probs))

# A few training steps of plain gradient descent.
for step in range(3):
    W.grad = None
    b.grad = None
    loss = F.cross_entropy(F.linear(X, W, b), labels, label_smoothing=0.1)
    loss.backward()
    with torch.no_grad():
        W -= 1.0 * W.grad
        b -= 1.0 * b.grad
    print(f"step {step}: loss {loss.item():.4f}")
