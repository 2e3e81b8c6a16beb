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
