# torch.func model ensembling: stack_module_state, functional_call, vmap over params
import copy
import torch
import torch.nn as nn
from torch.func import stack_module_state, functional_call, vmap
torch.manual_seed(31)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
models = [MLP() for _ in range(3)]
params, buffers = stack_module_state(models)
print({k: v.shape for k, v in params.items()})
base = copy.deepcopy(models[0]).to('meta')
def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))
x = torch.randn(5, 4)
out = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape, torch.allclose(out[1], models[1](x), atol=1e-6))
