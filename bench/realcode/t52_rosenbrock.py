# The Rosenbrock function minimised by SGD with momentum, Adam, RMSprop, Adagrad and
# L-BFGS with the strong-Wolfe line search; formatted results and LBFGS's param_groups.
import torch
def rosenbrock(xy):
    x, y = xy
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
for name, cls, kw in [("SGD", torch.optim.SGD, dict(lr=1e-3, momentum=0.9)),
                      ("Adam", torch.optim.Adam, dict(lr=0.05)),
                      ("RMSprop", torch.optim.RMSprop, dict(lr=1e-3)),
                      ("Adagrad", torch.optim.Adagrad, dict(lr=0.1))]:
    xy = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = cls([xy], **kw)
    for step in range(200):
        opt.zero_grad()
        loss = rosenbrock(xy)
        loss.backward()
        opt.step()
    print(f"{name:8s} x={xy[0].item():.6f} y={xy[1].item():.6f} f={rosenbrock(xy).item():.6e}")
xy = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([xy], lr=1, max_iter=50, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    l = rosenbrock(xy)
    l.backward()
    return l
for i in range(3):
    l = opt.step(closure)
    print(i, l.item(), xy.detach())
print(opt.state_dict()['param_groups'])
