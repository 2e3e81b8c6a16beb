# A tiny two-layer perceptron trained by plain gradient descent.
#
# Each step is the whole training loop of deep learning in miniature:
#   1. forward pass: compute the loss, recording the graph;
#   2. loss.backward(): fill .grad of every parameter;
#   3. update the parameters under torch.no_grad() -- the update itself must
#      not be recorded, and an in-place change of a leaf that requires grad is
#      only allowed when recording is off;
#   4. zero the gradients, because backward() accumulates into .grad.
import torch
import torch.nn.functional as F

torch.manual_seed(0)

# 16 points in the plane; the label is 1 when x0 + x1 > 0 (a linearly
# separable toy problem).
X = torch.randn(16, 2)
y = (X[:, 0] + X[:, 1] > 0).float()

# Parameters: 2 -> 4 hidden units (tanh) -> 1 logit.  Scaling randn first and
# calling requires_grad_() afterwards keeps them leaves.
W1 = (torch.randn(2, 4) * 0.5).requires_grad_()
b1 = torch.zeros(4, requires_grad=True)
W2 = (torch.randn(4, 1) * 0.5).requires_grad_()
b2 = torch.zeros(1, requires_grad=True)
params = [W1, b1, W2, b2]
lr = 0.5


def forward(X):
    h = torch.tanh(X @ W1 + b1)
    return (h @ W2 + b2).squeeze(1)


for step in range(8):
    logits = forward(X)
    # binary_cross_entropy_with_logits = mean of -[y log s(z) + (1-y) log(1-s(z))],
    # computed stably from the logits z.
    loss = F.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    for p in params:
        p.grad.zero_()
    print(f"step {step}: loss {loss.item():.4f}")

# Evaluation needs no graph either.
with torch.no_grad():
    predictions = (forward(X) > 0).float()
    accuracy = (predictions == y).float().mean()
print("accuracy", accuracy)
print(W2.grad)
print(loss.grad_fn)
