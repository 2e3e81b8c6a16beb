"""Round 23, a fresh sample of autograd / optimisation / training scripts from public
repositories: each class they showed, as a small program of our own compared with what
PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# Loss modules built with the legacy size_average/reduce keywords (the Chinese course
# code's MSELoss(size_average=False)): PyTorch maps the pair to a reduction, whatever
# reduction= says, and only warns.
_LEGACY_LOSS_KEYWORDS = """
import torch
import torch.nn as nn
x = torch.tensor([[0.5], [1.5], [2.0]])
y = torch.tensor([[1.0], [1.0], [3.0]])
for sa, rd in ((False, None), (True, None), (None, False), (False, True), (True, False)):
    for cls in (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss):
        m = cls(size_average=sa, reduce=rd)
        print(cls.__name__, sa, rd, m.reduction, m(x, y))
p = torch.tensor([[0.2], [0.7], [0.9]])
t = torch.tensor([[0.0], [1.0], [1.0]])
print(nn.BCELoss(size_average=False)(p, t), nn.BCELoss(reduce=False)(p, t).shape)
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])
labels = torch.tensor([1, 2])
print(nn.CrossEntropyLoss(size_average=False)(logits, labels))
print(nn.NLLLoss(None, False)(logits.log_softmax(1), labels))
print(nn.MSELoss(size_average=False, reduction='mean')(x, y))
print(nn.MSELoss(size_average=False), nn.KLDivLoss(reduce=False).reduction)
"""

# PyTorch's deprecated overloads with the scale first (old hand-written optimizers:
# exp_avg.mul_(b1).add_(1 - b1, grad), addcmul_(1 - b2, g, g), p.data.add_(-lr, step)):
# the call of the current overload, the same values and gradients.
_SCALE_FIRST_OVERLOADS = """
import torch
g = torch.tensor([0.5, -1.0, 2.0])
m = torch.zeros(3)
v = torch.zeros(3)
p = torch.ones(3, requires_grad=True)
for step in range(3):
    m.mul_(0.9).add_(1 - 0.9, g)
    v.mul_(0.999).addcmul_(1 - 0.999, g, g)
    with torch.no_grad():
        p.data.add_(-0.01, m / (v.sqrt() + 1e-8))
        p.addcdiv_(-0.001, m, v + 1)
print(m, v, p)
w = torch.tensor([1.0, -2.0], requires_grad=True)
y = torch.addcmul(w, 0.5, w, w) + torch.add(w, 2, w) - w.sub(3, w) + w.addcdiv(2, w, w * w + 1)
y.sum().backward()
print(y, w.grad)
a = torch.arange(6.0).reshape(2, 3)
m1, m2 = torch.arange(4.0).reshape(2, 2), torch.arange(6.0).reshape(2, 3)
v1, v2 = torch.tensor([1.0, 2.0]), torch.tensor([0.5, 1.0, -1.0])
b1, b2 = torch.ones(2, 2, 2), torch.arange(12.0).reshape(2, 2, 3)
print(a.addmm(2, 3, m1, m2), torch.addmm(0.5, a, m1, m2), a.addr(2, v1, v2))
print(torch.addr(2, a, 3, v1, v2), a.addbmm(0.5, 2, b1, b2), torch.addbmm(2, a, b1, b2))
print(torch.ones(2).addmv(2, 3, m2, v2), torch.baddbmm(1, torch.zeros(2, 2, 3), 2, b1, b2))
c = a.clone()
c.addmm_(0.5, 2, m1, m2)
c.addr_(3, v1, v2)
c.addbmm_(2, b1, b2)
print(c, torch.tensor([3, 4]).add(2, torch.tensor([1, 1])))
"""

# A hand-written optimizer as older code writes it: imported from torch.optim.optimizer
# with the `required` default, the deprecated add_(alpha, other) update, its own state.
_OPTIMIZER_MODULE = """
import math
import torch
from torch.optim.optimizer import Optimizer, required
from torch.optim.sgd import SGD
from torch.optim.adam import Adam

class HeavyBall(Optimizer):
    def __init__(self, params, lr=required, momentum=0.0):
        if lr is not required and lr < 0.0:
            raise ValueError("bad lr {}".format(lr))
        super(HeavyBall, self).__init__(params, dict(lr=lr, momentum=momentum))

    def step(self, closure=None):
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                d_p = p.grad.data
                state = self.state[p]
                if 'buf' not in state:
                    state['buf'] = d_p.clone()
                else:
                    state['buf'].mul_(group['momentum']).add_(1, d_p)
                p.data.add_(-group['lr'], state['buf'])

print(required, SGD is torch.optim.SGD, Adam, Optimizer)
w = torch.tensor([2.0, -1.0], requires_grad=True)
try:
    HeavyBall([w])
except ValueError as e:
    print(e)
opt = HeavyBall([{'params': [w], 'lr': 0.1}], momentum=0.5)
for _ in range(4):
    opt.zero_grad()
    loss = (w ** 2).sum() + math.sin(1.0) * w[0]
    loss.backward()
    opt.step()
print(w, opt.defaults, sorted(opt.state[w]))
print(opt)
"""

# Names imported from their home modules: gradcheck from torch.autograd.gradcheck,
# Variable from torch.autograd.variable, FunctionCtx and the type-hint aliases (torch.types,
# torch.nn.common_types), the argument normalisers of torch.nn.modules.utils.
_HOME_MODULES = """
import torch
import torch.nn as nn
from torch.autograd.gradcheck import gradcheck, gradgradcheck
from torch.autograd.variable import Variable
from torch.autograd.function import Function, FunctionCtx
from torch.nn.modules.utils import _pair, _triple, _single, _quadruple, _ntuple
from torch.types import Number, _size, Device
from torch.nn.common_types import _size_2_t, _size_any_t, _ratio_any_t
print(_pair(3), _pair((1, 2)), _triple(2), _single([4]), _quadruple(1), _ntuple(5)(2))
print(_pair('ab'), torch.nn.modules.utils._pair(torch.tensor([1, 2])))
print(Number, _size, Device, _size_2_t, _size_any_t, _ratio_any_t, FunctionCtx, Variable)

class Cube(Function):
    @staticmethod
    def forward(ctx: FunctionCtx, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x * x * g

x = torch.linspace(-1.0, 2.0, 4, dtype=torch.double, requires_grad=True)
print(gradcheck(Cube.apply, (x,)), gradgradcheck(Cube.apply, (x,)))

class Window(nn.Module):
    def __init__(self, size: _size_2_t = 3, stride: Number = 1):
        super().__init__()
        self.size, self.stride = _pair(size), _pair(stride)

    def extra_repr(self):
        return f"size={self.size}, stride={self.stride}"

print(Window(), Window((3, 5), 2))
"""

_PROGRAMS = {
    "home_modules": _HOME_MODULES,
    "optimizer_module": _OPTIMIZER_MODULE,
    "legacy_loss_keywords": _LEGACY_LOSS_KEYWORDS,
    "scale_first_overloads": _SCALE_FIRST_OVERLOADS,
}


@pytest.mark.parametrize("name", sorted(_PROGRAMS))
def test_matches_pytorch(name: str) -> None:
    program = _PROGRAMS[name]
    assert gd_output(program) == torch_output(program)
