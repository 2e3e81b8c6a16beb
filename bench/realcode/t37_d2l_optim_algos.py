import math
import numpy as np
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


results = gd(0.2, f_grad)
print(results[:4])
c = torch.tensor(0.15 * np.pi)


def f2(x):
    return x * torch.cos(c * x)


def f2_grad(x):
    return torch.cos(c * x) - c * x * torch.sin(c * x)


x = torch.tensor(10.0)
for i in range(10):
    x -= 2 * f2_grad(x)
print(x)


def train_2d(trainer, steps=20, f_grad=None):
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):
        if f_grad:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2, f_grad)
        else:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f'epoch {i + 1}, x1: {float(x1):f}, x2: {float(x2):f}')
    return results


def f_2d(x1, x2):
    return x1 ** 2 + 2 * x2 ** 2


def f_2d_grad(x1, x2):
    return (2 * x1, 4 * x2)


def gd_2d(x1, x2, s1, s2, f_grad):
    g1, g2 = f_grad(x1, x2)
    return (x1 - eta * g1, x2 - eta * g2, 0, 0)


eta = 0.1
train_2d(gd_2d, f_grad=f_2d_grad)
torch.manual_seed(0)


def sgd_2d(x1, x2, s1, s2, f_grad):
    g1, g2 = f_grad(x1, x2)
    g1 += torch.normal(0.0, 1, (1,)).item()
    g2 += torch.normal(0.0, 1, (1,)).item()
    eta_t = eta * lr()
    return (x1 - eta_t * g1, x2 - eta_t * g2, 0, 0)


def constant_lr():
    return 1


def exponential_lr():
    global t
    t += 1
    return math.exp(-0.1 * t)


t = 1
lr = constant_lr
print(train_2d(sgd_2d, steps=50, f_grad=f_2d_grad)[-1])
t = 1
lr = exponential_lr
print(train_2d(sgd_2d, steps=50, f_grad=f_2d_grad)[-1])
eta = 0.4


def f_2d_b(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2


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
torch.manual_seed(1)
X = torch.randn(100, 5)
true_w = torch.randn(5, 1)
y = X @ true_w + 0.1 * torch.randn(100, 1)


def init_states(name):
    shape = (5, 1)
    if name == 'adadelta':
        return [(torch.zeros(shape), torch.zeros(shape)), (torch.zeros(1), torch.zeros(1))]
    if name == 'adam':
        return [(torch.zeros(shape), torch.zeros(shape)), (torch.zeros(1), torch.zeros(1))]
    return [torch.zeros(shape), torch.zeros(1)]


def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        with torch.no_grad():
            v[:] = hyperparams['momentum'] * v + p.grad
            p[:] -= hyperparams['lr'] * v
        p.grad.data.zero_()


def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        with torch.no_grad():
            s[:] += torch.square(p.grad)
            p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
        p.grad.data.zero_()


def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        with torch.no_grad():
            s[:] = gamma * s + (1 - gamma) * torch.square(p.grad)
            p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
        p.grad.data.zero_()


def adadelta(params, states, hyperparams):
    rho, eps = hyperparams['rho'], 1e-5
    for p, (s, delta) in zip(params, states):
        with torch.no_grad():
            s[:] = rho * s + (1 - rho) * torch.square(p.grad)
            g = (torch.sqrt(delta + eps) / torch.sqrt(s + eps)) * p.grad
            p[:] -= g
            delta[:] = rho * delta + (1 - rho) * g * g
        p.grad.data.zero_()


def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
            s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
            p[:] -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyperparams['t'] += 1


for name, fn, hp in [('momentum', sgd_momentum, {'lr': 0.01, 'momentum': 0.9}),
                     ('adagrad', adagrad, {'lr': 0.1}),
                     ('rmsprop', rmsprop, {'lr': 0.01, 'gamma': 0.9}),
                     ('adadelta', adadelta, {'rho': 0.9}),
                     ('adam', adam, {'lr': 0.01, 't': 1})]:
    w = torch.normal(0.0, 0.01, size=(5, 1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    states = init_states(name)
    for epoch in range(2):
        for i in range(0, 100, 10):
            l = ((X[i:i + 10] @ w + b - y[i:i + 10]) ** 2 / 2).mean()
            l.backward()
            fn([w, b], states, hp)
    print(name, f'{((X @ w + b - y) ** 2 / 2).mean().item():.6f}', w.flatten())
