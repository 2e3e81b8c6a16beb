# d2l 12 (optimisation): gradient descent on f(x)=x^2 and a 2-D quadratic, momentum, adagrad, rmsprop by hand
import math
import torch
def f(x):
    return x ** 2
def f_grad(x):
    return 2 * x
def gd(eta, f_grad):
    x = 10.0
    results = [x]
    for i in range(10):
        x -= eta * f_grad(x)
        results.append(float(x))
    print(f'epoch 10, x: {x:f}')
    return results
print(gd(0.2, f_grad)[:4])
def f_2d(x1, x2):
    return x1 ** 2 + 2 * x2 ** 2
def train_2d(trainer, steps=20):
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f'epoch {i + 1}, x1: {float(x1):f}, x2: {float(x2):f}')
    return results
eta = 0.1
def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 2 * x1, x2 - eta * 4 * x2, 0, 0)
train_2d(gd_2d)
def momentum_2d(x1, x2, v1, v2):
    v1 = beta * v1 + 0.2 * x1
    v2 = beta * v2 + 4 * x2
    return x1 - eta * v1, x2 - eta * v2, v1, v2
eta, beta = 0.6, 0.5
train_2d(momentum_2d)
def adagrad_2d(x1, x2, s1, s2):
    eps = 1e-6
    g1, g2 = 0.2 * x1, 4 * x2
    s1 += g1 ** 2
    s2 += g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2
eta = 0.4
train_2d(adagrad_2d)
def rmsprop_2d(x1, x2, s1, s2):
    g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6
    s1 = gamma * s1 + (1 - gamma) * g1 ** 2
    s2 = gamma * s2 + (1 - gamma) * g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2
eta, gamma = 0.4, 0.9
train_2d(rmsprop_2d)
x = torch.tensor([-5.0, -2.0], requires_grad=True)
opt = torch.optim.Adagrad([x], lr=0.4)
for _ in range(20):
    opt.zero_grad()
    loss = 0.1 * x[0] ** 2 + 2 * x[1] ** 2
    loss.backward()
    opt.step()
print(x)
