# Softmax regression from scratch (d2l 3.6 style)
import torch
torch.manual_seed(2)
num_inputs, num_outputs = 8, 3
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)
def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition
def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)
def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])
def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())
X = torch.randn(30, 8)
y = torch.randint(0, 3, (30,))
X_prob = softmax(torch.normal(0, 1, (2, 5)))
print(X_prob, X_prob.sum(1))
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
for epoch in range(3):
    for i in range(0, 30, 10):
        l = cross_entropy(net(X[i:i+10]), y[i:i+10])
        l.sum().backward()
        sgd([W, b], 0.1, 10)
    with torch.no_grad():
        train_l = cross_entropy(net(X), y)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}, acc {accuracy(net(X), y) / len(y):.3f}')
print(b)
