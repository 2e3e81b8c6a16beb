# torch.func model ensembling tutorial, variant: vmap over stacked params with different minibatches, combine_state_for_ensemble style
import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import stack_module_state, functional_call, vmap
torch.manual_seed(0)
class SimpleMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 4)
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
num_models = 4
minibatches = torch.randn(num_models, 5, 8)
models = [SimpleMLP() for _ in range(num_models)]
minibatch = minibatches[0]
predictions1 = [model(minibatch) for model in models]
predictions_diff_minibatch_loop = [model(minibatch) for model, minibatch in zip(models, minibatches)]
params, buffers = stack_module_state(models)
base_model = copy.deepcopy(models[0])
base_model = base_model.to('meta')
def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))
predictions1_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
print(torch.allclose(predictions1_vmap, torch.stack(predictions1), atol=1e-3, rtol=1e-5))
predictions2_vmap = vmap(fmodel)(params, buffers, minibatches)
print(torch.allclose(predictions2_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5))
print(predictions2_vmap.shape, {k: tuple(v.shape) for k, v in params.items()}, base_model.fc1.weight.device)
