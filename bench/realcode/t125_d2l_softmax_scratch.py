# d2l 4.4 softmax regression from scratch: softmax, cross_entropy with fancy indexing, accuracy, Accumulator class
import torch
def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition
torch.manual_seed(0)
X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))
y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])
def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])
print(cross_entropy(y_hat, y))
def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())
print(accuracy(y_hat, y) / len(y))
class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n
    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]
    def reset(self):
        self.data = [0.0] * len(self.data)
    def __getitem__(self, idx):
        return self.data[idx]
W = torch.normal(0, 0.01, size=(4, 3), requires_grad=True)
b = torch.zeros(3, requires_grad=True)
Xs = torch.randn(30, 4)
ys = (Xs[:, 0] > 0).long() + (Xs[:, 1] > 0).long()
metric = Accumulator(3)
for epoch in range(5):
    for i in range(0, 30, 10):
        Xb, yb = Xs[i:i + 10], ys[i:i + 10]
        y_hat = softmax(torch.matmul(Xb.reshape((-1, W.shape[0])), W) + b)
        l = cross_entropy(y_hat, yb)
        l.mean().backward()
        with torch.no_grad():
            W -= 0.5 * W.grad
            b -= 0.5 * b.grad
            W.grad.zero_()
            b.grad.zero_()
        metric.add(float(l.sum()), accuracy(y_hat, yb), yb.numel())
    print(epoch, round(metric[0] / metric[2], 5), metric[1] / metric[2])
    metric.reset()
