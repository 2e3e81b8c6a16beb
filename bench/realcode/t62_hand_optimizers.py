# Optimisers written by hand: momentum, RMSProp, Adam on the Rosenbrock/quadratic
import torch
def f(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
def run(step_fn, n=200):
    p = torch.tensor([-1.5, 2.0], requires_grad=True)
    state = {}
    for i in range(n):
        loss = f(p)
        g, = torch.autograd.grad(loss, p)
        with torch.no_grad():
            step_fn(p, g, state, i)
    return p.detach(), f(p).item()
def momentum(p, g, s, i, lr=1e-4, beta=0.9):
    v = s.get('v', torch.zeros_like(p))
    v = beta * v + g
    s['v'] = v
    p.sub_(lr * v)
def rmsprop(p, g, s, i, lr=1e-2, alpha=0.99, eps=1e-8):
    sq = s.setdefault('sq', torch.zeros_like(p))
    sq.mul_(alpha).addcmul_(g, g, value=1 - alpha)
    p.addcdiv_(g, sq.sqrt().add_(eps), value=-lr)
def adam(p, g, s, i, lr=1e-2, b1=0.9, b2=0.999, eps=1e-8):
    m = s.setdefault('m', torch.zeros_like(p))
    v = s.setdefault('v', torch.zeros_like(p))
    m.mul_(b1).add_(g, alpha=1 - b1)
    v.mul_(b2).add_(g * g, alpha=1 - b2)
    mh = m / (1 - b1 ** (i + 1))
    vh = v / (1 - b2 ** (i + 1))
    p -= lr * mh / (vh.sqrt() + eps)
for name, fn in [('momentum', momentum), ('rmsprop', rmsprop), ('adam', adam)]:
    p, l = run(fn)
    print(f"{name:>10}: p={p.tolist()} loss={l:.6e}")
