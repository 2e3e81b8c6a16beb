"""Round 17, what training and autograd-teaching code does around the tape: hooks on a
layer's parameters (the order PyTorch's engine reaches them), a scheduler's get_lr()
called by the program, torch.func transforms of functions returning named tuples, and an
optimizer's hooks."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # Tensor hooks and post-accumulate hooks on nn.Linear's parameters: PyTorch reaches
    # the bias first (addmm's own edge), the weight through addmm's TBackward0.
    "linear_param_hook_order": """
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
for n, p in net.named_parameters():
    p.register_hook(lambda g, n=n: print("grad of", n, tuple(g.shape)))
net(torch.randn(5, 3)).mean().backward()
net(torch.randn(2, 3, 3)).sum().backward()
net(torch.randn(3)).sum().backward()
order = []
for n, p in net.named_parameters():
    p.register_post_accumulate_grad_hook(lambda p, n=n: order.append(n))
net(torch.randn(4, 3)).sum().backward()
print(order)
x = torch.randn(2, 3, requires_grad=True)
x.register_hook(lambda g: print("x", g.shape))
torch.nn.functional.linear(x, net[0].weight, net[0].bias).sum().backward()
""",
    # get_lr() called by the program: the next step's formula on the current state (a
    # StepLR at a multiple of its step size shows lr * gamma), with a warning; the
    # composite schedulers and ReduceLROnPlateau do not have one.
    "scheduler_get_lr": """
from torch.optim import lr_scheduler as ls
def mk():
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
def show(name, f, n=6):
    opt = mk()
    s = f(opt)
    out = []
    for i in range(n):
        opt.step()
        s.step()
        out.append([round(v, 8) for v in s.get_lr()])
    print(name, out, s.get_last_lr())
show("step", lambda o: ls.StepLR(o, 3, gamma=0.5))
show("multistep", lambda o: ls.MultiStepLR(o, [2, 5], 0.1))
show("exp", lambda o: ls.ExponentialLR(o, 0.9))
show("cos", lambda o: ls.CosineAnnealingLR(o, T_max=5, eta_min=0.001))
show("cosw", lambda o: ls.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01))
show("lambda", lambda o: ls.LambdaLR(o, lambda e: 0.95 ** e))
show("mult", lambda o: ls.MultiplicativeLR(o, lambda e: 0.9))
show("const", lambda o: ls.ConstantLR(o, factor=0.5, total_iters=3))
show("linear", lambda o: ls.LinearLR(o, start_factor=0.2, total_iters=4))
show("poly", lambda o: ls.PolynomialLR(o, total_iters=5, power=2.0))
show("cyclic", lambda o: ls.CyclicLR(o, 0.01, 0.1, step_size_up=3))
show("onecycle", lambda o: ls.OneCycleLR(o, max_lr=0.5, total_steps=10))
for name, f in [
        ("seq", lambda o: ls.SequentialLR(o, [ls.LinearLR(o, 0.1, total_iters=3),
                                              ls.ExponentialLR(o, 0.9)], milestones=[3])),
        ("chain", lambda o: ls.ChainedScheduler([ls.ConstantLR(o, factor=0.1, total_iters=2),
                                                 ls.ExponentialLR(o, gamma=0.9)])),
        ("plateau", lambda o: ls.ReduceLROnPlateau(o))]:
    try:
        print(name, f(mk()).get_lr())
    except Exception as e:
        print(name, type(e).__name__, e)
""",
    # vmap and the other transforms keep a named tuple's type (torch.return_types.max).
    "func_named_tuples": """
from torch.func import vmap, jacrev, grad
torch.manual_seed(0)
x = torch.randn(2, 3)
print(vmap(lambda x: x.max(0))(x))
print(vmap(lambda x: x.min(0))(x))
print(vmap(lambda x: torch.sort(x))(x))
print(vmap(lambda x: x.topk(2))(x))
print(vmap(torch.aminmax)(x))
r = vmap(lambda x: x.median(0))(x)
print(r.values, r.indices, type(r).__name__)
print(jacrev(lambda x: x.sort().values)(torch.tensor([3., 1., 2.])))
def f(x):
    m = x.max(0)
    return m.values.sum(), m
print(grad(f, has_aux=True)(x))
""",
    # An optimizer's hooks: step pre/post hooks (args hold the optimizer first, a
    # pre-hook may return new (args, kwargs); a subclass's own step is wrapped too), the
    # state_dict and load_state_dict hooks (prepend, replaced results), handles' remove.
    "optimizer_hooks": """
torch.manual_seed(0)
m = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
h1 = opt.register_step_pre_hook(lambda o, args, kwargs: print("pre", type(o).__name__, args,
                                                               kwargs))
h2 = opt.register_step_post_hook(lambda o, args, kwargs: print("post", len(o.param_groups)))
m(torch.randn(3, 2)).sum().backward()
opt.step()
h1.remove()
opt.step()
h2.remove()
opt.step()
opt.register_state_dict_pre_hook(lambda o: print("sd pre"))
opt.register_state_dict_post_hook(lambda o, sd: print("sd post", list(sd)))
sd = opt.state_dict()
opt.register_load_state_dict_pre_hook(lambda o, sd: print("load pre"))
opt.register_load_state_dict_post_hook(lambda o: print("load post"))
opt.load_state_dict(sd)
print(m.weight)
ema = torch.optim.swa_utils.AveragedModel(
    m, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9))
ema.update_parameters(m)
print(ema.n_averaged)
class M(torch.optim.Optimizer):
    def __init__(s, ps):
        super().__init__(ps, {})
    def step(s, closure=None):
        print('mystep', closure)
mo = M(m.parameters())
mo.register_step_pre_hook(lambda o, a, k: print('pre', a[1:], k))
mo.register_step_post_hook(lambda o, a, k: print('post', type(o).__name__))
mo.step()
mo.step(3)
mo.step(closure=4)
o = torch.optim.Adam(m.parameters())
o.register_step_pre_hook(lambda o, a, k: 5)
try:
    o.step()
except Exception as e:
    print(type(e).__name__, e)
o2 = torch.optim.Adam(m.parameters())
o2.register_step_pre_hook(
    lambda o, a, k: (a, {"closure": lambda: print("closure run") or torch.tensor(1.0)}))
print(o2.step())
o2.register_state_dict_post_hook(
    lambda o, sd: {"state": {}, "param_groups": sd["param_groups"], "extra": 1})
o2.register_state_dict_pre_hook(lambda o: print("first"), prepend=True)
print(list(o2.state_dict()))
print(o2.register_load_state_dict_pre_hook(lambda o, sd: None))
o2.load_state_dict(o2.state_dict())
print(mo.state_dict()['param_groups'])
""",
    # torch.func.replace_all_batch_norm_modules_ (batch norms, nested ones and subclasses
    # included, stop tracking running statistics) and functionalize (fn as it runs).
    "func_batch_norm_replaced": """
import torch.nn as nn
from torch.func import replace_all_batch_norm_modules_, functionalize
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(),
                    nn.Sequential(nn.Linear(4, 2), nn.BatchNorm1d(2, affine=False)))
print(net[1].running_mean, net[1].track_running_stats)
r = replace_all_batch_norm_modules_(net)
print(r is net)
print(net[1].running_mean, net[1].running_var, net[1].num_batches_tracked,
      net[1].track_running_stats)
print(net)
print(list(net.state_dict().keys()))
print(list(dict(net.named_buffers()).keys()))
x = torch.randn(5, 3)
print(net(x))
net.eval()
print(net(x))
print(functionalize(lambda a: a.add_(1) * 2)(torch.ones(2)))
class MyBN(nn.BatchNorm1d):
    pass
m = MyBN(3)
replace_all_batch_norm_modules_(m)
print(m.track_running_stats, m.running_mean)
""",
    # The per-sample-gradients tutorial with a batch norm made vmap-ready.
    "func_batch_norm_vmap": """
import torch.nn as nn
from torch.func import replace_all_batch_norm_modules_, vmap, functional_call, grad
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
replace_all_batch_norm_modules_(net)
params = {k: v.detach() for k, v in net.named_parameters()}
def loss(p, xb, yb):
    return ((functional_call(net, p, (xb,)) - yb) ** 2).mean()
xs = torch.randn(4, 2, 3)
ys = torch.randn(4, 2, 1)
g = vmap(grad(loss), in_dims=(None, 0, 0))(params, xs, ys)
print(g['1.weight'])
print(g['3.bias'])
""",
    # Optimizers of named parameters (PyTorch 2.5+): (name, tensor) pairs give each group
    # its param_names (printed, packed, kept by load_state_dict), with PyTorch's checks.
    "optimizer_named_params": """
torch.manual_seed(0)
m = torch.nn.Linear(2, 1)
opt = torch.optim.Adam(m.named_parameters(), lr=0.1)
print(opt)
m(torch.randn(3, 2)).sum().backward()
opt.step()
sd = opt.state_dict()
print(sd['param_groups'])
print(list(sd['state'].keys()))
opt2 = torch.optim.SGD(
    [{'params': [p for n, p in m.named_parameters() if 'bias' not in n], 'weight_decay': 0.1},
     {'params': [p for n, p in m.named_parameters() if 'bias' in n], 'weight_decay': 0.0}],
    lr=0.1)
print(opt2.state_dict()['param_groups'])
opt3 = torch.optim.SGD([{'params': m.named_parameters()}], lr=0.1)
print(opt3.param_groups[0].keys())
n = torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5, foreach=True)
print(n)
g = torch.nn.utils.get_total_norm([p.grad for p in m.parameters()], norm_type=2.0)
torch.nn.utils.clip_grads_with_norm_(m.parameters(), 0.1, g)
print(m.weight.grad)
""",
    "optimizer_named_params_checks": """
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
for bad in [lambda: torch.optim.SGD([("a", m[0].weight), m[0].bias], lr=0.1),
            lambda: torch.optim.SGD([(m[0].weight,)], lr=0.1),
            lambda: torch.optim.SGD([("a", 3)], lr=0.1),
            lambda: torch.optim.SGD([{'params': m[0].named_parameters()},
                                     {'params': m[1].parameters()}], lr=0.1)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
o = torch.optim.SGD(m[0].parameters(), lr=0.1)
try:
    o.add_param_group({'params': m[1].named_parameters()})
except Exception as e:
    print(type(e).__name__, e)
on = torch.optim.AdamW(m.named_parameters(), lr=0.01)
m(torch.randn(4, 2)).sum().backward()
on.step()
ou = torch.optim.AdamW(m.parameters(), lr=0.01)
ou.load_state_dict(on.state_dict())
print(ou.param_groups[0].get('param_names'))
on2 = torch.optim.AdamW(m.named_parameters(), lr=0.01)
sd = ou.state_dict()
print(sd['param_groups'][0]['param_names'])
on2.load_state_dict(torch.optim.AdamW(m.parameters()).state_dict())
print(on2.param_groups[0]['param_names'], on2.param_groups[0]['lr'])
print(on2.state_dict()['param_groups'][0].keys())
""",
    # An enabled GradScaler on the CPU: the mixed-precision training loop's calls.
    "grad_scaler_cpu": """
torch.manual_seed(0)
m = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cpu", enabled=False)
x = torch.randn(4, 3)
for i in range(2):
    opt.zero_grad()
    with torch.autocast(device_type="cpu", enabled=False):
        loss = m(x).pow(2).mean()
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(i, loss.item(), scaler.get_scale(), scaler.is_enabled())
s2 = torch.amp.GradScaler("cpu", init_scale=4.0)
opt.zero_grad()
l = m(x).pow(2).mean()
s2.scale(l).backward()
print(m.bias.grad)
s2.step(opt)
s2.update()
print(s2.get_scale(), m.bias)
print(s2.state_dict())
""",
    # Its skipped step after an inf gradient, backoff and growth, errors, state dicts.
    "grad_scaler_cpu_infs": """
torch.manual_seed(0)
m = torch.nn.Linear(3, 2)
opt = torch.optim.Adam(m.parameters(), lr=0.01)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10, growth_interval=2,
                             growth_factor=3.0, backoff_factor=0.25)
print(scaler.get_scale(), scaler.state_dict())
x = torch.randn(5, 3)
for i in range(6):
    opt.zero_grad()
    out = m(x)
    loss = out.pow(2).mean() * (1e36 if i == 2 else 1.0)
    scaled = scaler.scale(loss)
    print(i, scaled.grad_fn.name(), scaled.item())
    scaled.backward()
    scaler.unscale_(opt)
    print(m.bias.grad)
    r = scaler.step(opt)
    scaler.update()
    print(i, r, scaler.get_scale(), scaler.state_dict()['_growth_tracker'], m.bias.data)
for bad in ["unscale2", "step2", "closure", "update_none"]:
    try:
        s = torch.amp.GradScaler("cpu")
        if bad == "update_none":
            s.update()
        loss = s.scale(m(x).sum())
        loss.backward()
        if bad == "unscale2":
            s.unscale_(opt); s.unscale_(opt)
        if bad == "step2":
            s.step(opt); s.step(opt)
        if bad == "closure":
            s.step(opt, closure=lambda: 1)
    except Exception as e:
        print(bad, type(e).__name__, e)
s = torch.amp.GradScaler("cpu")
print(s.scale([torch.tensor(1.0), (torch.tensor(2.0, dtype=torch.float64),)]))
s.update(128.0)
print(s.get_scale())
s2 = torch.amp.GradScaler("cpu")
s2.load_state_dict(scaler.state_dict())
print(s2.state_dict(), s2.get_growth_factor(), s2.is_enabled())
try:
    s2.load_state_dict(torch.amp.GradScaler("cpu", enabled=False).state_dict())
except Exception as e:
    print(type(e).__name__, e)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))
