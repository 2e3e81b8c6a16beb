"""Round 21 (real): what real PyTorch programs nobody here wrote showed, each compared
with what PyTorch prints: the type of PyTorch's classes (`type(nn.Parameter)` is its
metaclass, `type(torch.optim.SGD)` is `type`), `isinstance(opt.state, defaultdict)`, a
program's own pruning method (a subclass of prune.BasePruningMethod, as the pruning
tutorial writes one), the meta device."""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# type(C) of PyTorch's classes: their metaclass where it is not `type` (before round 21,
# gd said <class 'function'> for every class gd builds with a constructor, and `type`
# for torch.Tensor); isinstance(C, type) of each; opt.state is a defaultdict.
TYPES_OF_CLASSES = """\
import collections
import abc
import torch
import torch.nn as nn
for T in [torch.Tensor, nn.Parameter, torch.FloatTensor, torch.LongTensor, torch.Size, torch.device, torch.Generator,
          nn.Module, nn.Linear, nn.Sequential, nn.ModuleList, nn.ParameterList, nn.ModuleDict, torch.optim.SGD, torch.optim.Adam, torch.optim.Optimizer,
          torch.optim.lr_scheduler.StepLR, torch.optim.lr_scheduler.LambdaLR, torch.autograd.Function, torch.utils.data.Dataset,
          torch.utils.data.DataLoader, torch.utils.data.TensorDataset, torch.distributions.Normal, nn.MSELoss,
          torch.no_grad, torch.enable_grad, collections.OrderedDict, collections.defaultdict, int, type, object, torch.nn.Buffer, torch.nn.Identity]:
    print(T, type(T), isinstance(T, type))
m = nn.Linear(2, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
print(isinstance(opt.state, collections.defaultdict), isinstance(opt.state, dict), type(opt.state))
class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
class Base(abc.ABC):
    pass
class Net(nn.Module):
    pass
print(type(Double), type(Base), type(Net), type(type(torch.Tensor)))
"""

# A program's own pruning method, as the PyTorch pruning tutorial writes it ('not
# supported' before round 21), combined with the built-in ones, and the hooks read back.
CUSTOM_PRUNING = """\
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
class FooBarPruningMethod(prune.BasePruningMethod):
    \"\"\"Prune every other entry in a tensor\"\"\"
    PRUNING_TYPE = 'unstructured'
    def compute_mask(self, t, default_mask):
        mask = default_mask.clone()
        mask.view(-1)[::2] = 0
        return mask
def foobar_unstructured(module, name):
    FooBarPruningMethod.apply(module, name)
    return module
torch.manual_seed(0)
model = nn.Linear(3, 4)
foobar_unstructured(model, name='bias')
print(model.bias_mask)
print(model.bias)
print(list(model.named_buffers())[0][0], len(model._forward_pre_hooks))
print(type(FooBarPruningMethod), isinstance(list(model._forward_pre_hooks.values())[0], prune.BasePruningMethod))
for hook in model._forward_pre_hooks.values():
    print(hook._tensor_name, type(hook).__name__)
print(model(torch.ones(2, 3)))
prune.l1_unstructured(model, 'bias', amount=1)
print(model.bias_mask, [type(h).__name__ for h in model._forward_pre_hooks.values()])
print([type(h).__name__ for h in list(model._forward_pre_hooks.values())[0]])
prune.remove(model, 'bias')
print(model.bias, prune.is_pruned(model))
print(FooBarPruningMethod().prune(torch.arange(6.)))
class Thresh(prune.BasePruningMethod):
    PRUNING_TYPE = 'unstructured'
    def __init__(self, threshold):
        self.threshold = threshold
    def compute_mask(self, tensor, default_mask):
        return (torch.abs(tensor) > self.threshold) * default_mask
m2 = nn.Linear(4, 3)
h = Thresh.apply(m2, 'weight', threshold=0.3)
print(m2.weight, m2.weight_mask.sum(), h.threshold, type(h).__name__)
m2(torch.ones(1, 4)).sum().backward()
print(m2.weight_orig.grad)
m3 = nn.Linear(3, 2)
prune.l1_unstructured(m3, 'weight', amount=2)
prune.ln_structured(m3, 'weight', amount=1, n=2, dim=0)
for hook in m3._forward_pre_hooks.values():
    if hook._tensor_name == "weight":
        break
print([type(h).__name__ for h in hook], [h.PRUNING_TYPE for h in hook], hook._pruning_methods[1].dim, hook._pruning_methods[0].amount)
print(prune.BasePruningMethod)
"""

# The meta device (refused before round 21): tensors with a shape and a dtype and no
# data, made by device='meta', x.to('meta'), module.to('meta'), a layer's device='meta'
# (its initialisation draws nothing); ops give meta tensors of the shapes PyTorch computes;
# what needs data fails with PyTorch's errors; to_empty() brings a module back.
META_DEVICE = """\
import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import stack_module_state, functional_call, vmap
t = torch.ones(2, 3, device='meta')
print(t, repr(t), str(t.device), t.is_meta, t.is_cpu, t.device == torch.device('meta'))
x = torch.randn(3, device='meta', requires_grad=True)
print(x, x * 2, (x * 2).sum())
print(torch.empty(0, device='meta'), torch.tensor(1.5, device='meta'), torch.zeros((), dtype=torch.int64, device='meta'))
print(torch.zeros_like(t), torch.empty_like(t).is_meta, torch.full((2,), 3.0, device='meta'), torch.arange(5, device='meta'))
print(t.shape, t.dtype, t.numel(), t.size(1), t[0].shape, t.t().shape, t.view(-1).shape, t.detach().is_meta, t.data.device)
for f in [lambda: t.item(), lambda: t.tolist(), lambda: t.numpy(), lambda: t.sum().item(), lambda: t.to('cpu'),
          lambda: bool(t.sum() > 0), lambda: float(t.sum()), lambda: t + torch.ones(3)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0])
print(t + torch.tensor(2.0), torch.cat([t, t]).shape, torch.stack([t, t]).shape, F.relu(t).device)
y = F.linear(torch.randn(4, 3, device='meta'), torch.empty(5, 3, device='meta', requires_grad=True))
print(y.shape, y.device, y.grad_fn is not None, torch.softmax(y, -1).shape, y.mean(0), y.argmax(1), torch.topk(y, 2)[0].shape)
torch.manual_seed(0)
print(torch.randn_like(t).is_meta, F.dropout(t, 0.3).is_meta, torch.rand_like(t).is_meta, torch.randn(2, device='meta'))
l = nn.Linear(3, 2, device='meta')
c = nn.Conv2d(1, 2, 3, device='meta')
print(l.weight, l.bias.device, c(torch.empty(1, 1, 5, 5, device='meta')).shape, torch.rand(2))
m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
m = m.to('meta')
print(m[0].weight.device, m[0].weight.is_meta, m[0].weight.requires_grad, m.state_dict()['2.bias'])
out = m(torch.empty(3, 4, device='meta'))
print(out.shape, out.device)
m.to_empty(device='cpu')
print(m[0].weight.device, m[0].weight.shape)
try:
    with torch.no_grad():
        l.weight.data = torch.ones(2, 3)
except RuntimeError as e:
    print(e)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
models = [MLP() for _ in range(3)]
params, buffers = stack_module_state(models)
base = copy.deepcopy(models[0]).to('meta')
def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))
x = torch.randn(5, 4)
out = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape, torch.allclose(out[1], models[1](x), atol=1e-6), base.fc1.weight.is_meta)
"""

# The private bases of PyTorch's layers (`nn.modules.batchnorm._BatchNorm`, `_ConvNd`,
# `_Loss`/`_WeightedLoss`, ...) and `torch.nn.modules` (refused before round 21), the
# isinstance/issubclass checks initialisation code makes with them and with other torch
# bases (`_LRScheduler` was every scheduler's base in gd; ExponentialFamily was missing;
# issubclass(TensorDataset, Dataset) was False).
LAYER_BASES = """\
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.modules.conv import _ConvNd
import torch.nn.modules.loss as L
from torch.utils.data import Dataset, TensorDataset, Subset, DataLoader
import torch.distributions as D
print(_BatchNorm, _ConvNd, L._WeightedLoss, nn.modules.Linear, nn.modules.linear.Linear is nn.Linear, nn.modules.module.Module)
print(nn.BatchNorm1d.__mro__)
print(nn.LazyConv2d.__mro__[-3:], nn.ConvTranspose2d.__bases__)
print(issubclass(nn.CrossEntropyLoss, L._Loss), issubclass(nn.MSELoss, L._WeightedLoss), isinstance(nn.BCELoss(), L._WeightedLoss))
print(issubclass(Subset, Dataset), issubclass(DataLoader, Dataset), issubclass(TensorDataset, TensorDataset), issubclass(D.Normal, D.Distribution), issubclass(D.Normal, D.ExponentialFamily), issubclass(D.Uniform, D.ExponentialFamily))
class MyDS(Dataset):
    pass
print(issubclass(MyDS, Dataset), isinstance(D.Gamma(1., 1.), D.ExponentialFamily), D.ExponentialFamily)
m = nn.BatchNorm2d(3)
print(isinstance(m, _BatchNorm), isinstance(nn.InstanceNorm1d(3), nn.modules.batchnorm._NormBase), isinstance(nn.LayerNorm(3), nn.modules.batchnorm._NormBase))
print(isinstance(nn.MaxPool2d(2), nn.modules.pooling._MaxPoolNd), isinstance(nn.Dropout(), nn.modules.dropout._DropoutNd), type(m).__bases__)
class Sched(torch.optim.lr_scheduler._LRScheduler):
    def get_lr(self):
        return [g['lr'] for g in self.optimizer.param_groups]
opt = torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1)
s = Sched(opt)
print(isinstance(s, torch.optim.lr_scheduler._LRScheduler), isinstance(s, torch.optim.lr_scheduler.LRScheduler), isinstance(torch.optim.lr_scheduler.StepLR(opt, 1), torch.optim.lr_scheduler._LRScheduler))
"""

ISINSTANCE_CHECKS = """\
# isinstance/issubclass checks real code makes: module types in init loops, Optimizer/LRScheduler bases, Dataset, Distribution, Parameter vs Tensor, types of containers
import collections
import torch
import torch.nn as nn
from torch.utils.data import Dataset, TensorDataset, DataLoader
model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
for m in model.modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        print('init', type(m).__name__)
    elif isinstance(m, nn.modules.batchnorm._BatchNorm):
        print('bn', m.num_features)
opt = torch.optim.Adam(model.parameters())
sched = torch.optim.lr_scheduler.StepLR(opt, 1)
print(isinstance(opt, torch.optim.Optimizer), isinstance(sched, torch.optim.lr_scheduler.LRScheduler), isinstance(sched, torch.optim.lr_scheduler._LRScheduler))
p = next(model.parameters())
print(isinstance(p, torch.Tensor), isinstance(p, nn.Parameter), isinstance(p.data, nn.Parameter), type(p.data).__name__)
ds = TensorDataset(torch.zeros(2))
print(isinstance(ds, Dataset), isinstance(DataLoader(ds), DataLoader), issubclass(TensorDataset, Dataset))
d = torch.distributions.Normal(0., 1.)
print(isinstance(d, torch.distributions.Distribution), isinstance(d, torch.distributions.ExponentialFamily))
print(issubclass(nn.Linear, nn.Module), issubclass(nn.ReLU, nn.Linear), isinstance(model, nn.Module), isinstance(model[0], nn.modules.conv._ConvNd))
print(type(model.parameters()).__name__, type(model.named_parameters()).__name__, type(model.state_dict()).__name__, type(opt.param_groups).__name__)
print(type(torch.float32), type(p.shape), isinstance(p.shape, tuple), type(torch.nn.functional).__name__, type(torch.no_grad()).__name__)
print(isinstance(opt.state, collections.defaultdict), type(opt.state_dict()['state']).__name__, isinstance(model.state_dict(), collections.OrderedDict))
print(callable(model), callable(torch.relu), hasattr(model, 'weight'), hasattr(model[0], 'weight'), getattr(model[4], 'out_features', None))
"""

# nn.EmbeddingBag.from_pretrained (a missing name before round 21).
EMBEDDING_BAG_PRETRAINED = """\
import torch
import torch.nn as nn
b = nn.EmbeddingBag.from_pretrained(torch.arange(10.).view(5, 2), freeze=False, mode='max', padding_idx=1)
print(b, b.weight.requires_grad, b(torch.tensor([[1, 2], [3, 4]])))
try:
    nn.EmbeddingBag.from_pretrained(torch.ones(3))
except AssertionError as e:
    print('assert', e)
"""


@pytest.mark.parametrize("program", [TYPES_OF_CLASSES, CUSTOM_PRUNING, META_DEVICE, LAYER_BASES,
                                     ISINSTANCE_CHECKS, EMBEDDING_BAG_PRETRAINED],
                         ids=["types_of_classes", "custom_pruning", "meta_device", "layer_bases",
                              "isinstance_checks", "embedding_bag_pretrained"])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# The metaclasses type() now names, and the base class of a program's pruning methods,
# lead nowhere of the host.
@pytest.mark.parametrize("program", [
    "type(nn.Parameter).__mro__", "type(torch.Tensor).__subclasses__()", "type(torch.Tensor)()",
    "type(nn.Parameter).__dict__", "prune.BasePruningMethod.__dict__",
    "prune.BasePruningMethod.__call__.__globals__", "prune.BasePruningMethod.apply.__func__",
    "P().__call__.__globals__", "P().__call__.fn", "P.apply.__self__.__init__.__globals__",
    "prune.BasePruningMethod.__bases__[0].__subclasses__()", "P.__mro__[1].__dict__",
    "nn.modules.__dict__", "nn.modules.batchnorm._BatchNorm.__subclasses__()",
    "nn.modules.batchnorm._BatchNorm.__init__.__globals__", "nn.BatchNorm1d.__mro__[1].__dict__",
    "torch.distributions.ExponentialFamily.__init__.__globals__",
    "torch.distributions.ExponentialFamily.subclass_check", "nn.modules.conv._ConvNd.__call__.__globals__",
    "torch.empty(2, device='meta').array", "torch.empty(2, device='meta').meta",
])
def test_types_lead_nowhere(program: str) -> None:
    text = ("import torch\nimport torch.nn as nn\nimport torch.nn.utils.prune as prune\n"
            "class P(prune.BasePruningMethod):\n    PRUNING_TYPE = 'unstructured'\n"
            f"v = {program}\nprint(v)\n")
    out = gd_output(text)
    assert out.startswith("GdError ") and "0x" not in out, out
