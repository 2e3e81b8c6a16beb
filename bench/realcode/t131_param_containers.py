# ParameterList, ParameterDict, ModuleDict, Sequential slicing and OrderedDict construction, add_module, insert/append/extend
import torch
import torch.nn as nn
from collections import OrderedDict
torch.manual_seed(0)
class MyModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.params = nn.ParameterList([nn.Parameter(torch.randn(2, 2)) for i in range(3)])
        self.pdict = nn.ParameterDict({'left': nn.Parameter(torch.ones(2)), 'right': nn.Parameter(torch.zeros(2))})
        self.choices = nn.ModuleDict({'conv': nn.Conv1d(1, 1, 1), 'lin': nn.Linear(2, 2)})
    def forward(self, x, choice):
        for p in self.params:
            x = x @ p
        return self.choices[choice](x) + self.pdict['left']
m = MyModule()
print(m)
print(m(torch.ones(1, 2), 'lin').shape, len(m.params), list(m.pdict.keys()), 'conv' in m.choices)
seq = nn.Sequential(OrderedDict([('fc1', nn.Linear(3, 4)), ('act', nn.ReLU()), ('fc2', nn.Linear(4, 2)), ('out', nn.Sigmoid())]))
print(seq[:2])
print(seq[-1], seq.fc1, len(seq))
seq.add_module('extra', nn.Identity())
seq.append(nn.Tanh())
print([n for n, _ in seq.named_children()])
ml = nn.ModuleList([nn.ReLU()])
ml.extend([nn.Tanh(), nn.Sigmoid()])
ml.insert(1, nn.GELU())
print(ml)
del seq[0]
print(seq)
