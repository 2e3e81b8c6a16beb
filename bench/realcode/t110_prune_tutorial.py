# the PyTorch pruning tutorial's calls on a LeNet: iterative pruning, structured after unstructured, global pruning, sparsity report
import torch
from torch import nn
import torch.nn.utils.prune as prune
import torch.nn.functional as F
torch.manual_seed(42)
class LeNet(nn.Module):
    def __init__(self):
        super(LeNet, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
model = LeNet()
module = model.conv1
print(list(module.named_parameters())[1])
print(list(module.named_buffers()))
prune.random_unstructured(module, name="weight", amount=0.3)
print([n for n, _ in module.named_parameters()])
print(list(module.named_buffers())[0][1][0])
print(module.weight[0])
print(module._forward_pre_hooks)
prune.l1_unstructured(module, name="bias", amount=3)
print(module.bias)
print(module._forward_pre_hooks)
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print(module.weight[:, 0, 0])
print(module.weight_mask.sum((1, 2, 3)))
print(model.state_dict().keys())
prune.remove(module, 'weight')
print(list(module.named_parameters())[1][0], [n for n, _ in module.named_buffers()])
new_model = LeNet()
for name, module in new_model.named_modules():
    if isinstance(module, torch.nn.Conv2d):
        prune.l1_unstructured(module, name='weight', amount=0.2)
    elif isinstance(module, torch.nn.Linear):
        prune.l1_unstructured(module, name='weight', amount=0.4)
print(dict(new_model.named_buffers()).keys())
model = LeNet()
parameters_to_prune = ((model.conv1, 'weight'), (model.conv2, 'weight'), (model.fc1, 'weight'), (model.fc2, 'weight'), (model.fc3, 'weight'))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3']:
    w = getattr(model, n).weight
    print("Sparsity in {}.weight: {:.2f}%".format(n, 100. * float(torch.sum(w == 0)) / float(w.nelement())))
total = sum(float(torch.sum(getattr(model, n).weight == 0)) for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'])
print("Global sparsity: {:.2f}%".format(100. * total / sum(getattr(model, n).weight.nelement() for n in ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'])))
out = model(torch.randn(1, 1, 32, 32) if False else torch.randn(2, 1, 26, 26))
print(out.shape, prune.is_pruned(model))
