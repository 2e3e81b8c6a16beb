# per-sample gradients with torch.func (tutorial shape) vs a loop
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad
torch.manual_seed(32)
class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, 1)
        self.fc1 = nn.Linear(2 * 4 * 4, 3)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 1)
        x = torch.flatten(x, 1)
        return F.log_softmax(self.fc1(x), dim=1)
def loss_fn(predictions, targets):
    return F.nll_loss(predictions, targets)
model = SimpleCNN()
data = torch.randn(4, 1, 6, 6)
targets = torch.randint(3, (4,))
def compute_grad(sample, target):
    sample = sample.unsqueeze(0); target = target.unsqueeze(0)
    loss = loss_fn(model(sample), target)
    return torch.autograd.grad(loss, list(model.parameters()))
per_sample_grads = [compute_grad(data[i], targets[i]) for i in range(4)]
per_sample_grads = zip(*per_sample_grads)
per_sample_grads = [torch.stack(shards) for shards in per_sample_grads]
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}
def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0); targets = target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return loss_fn(predictions, targets)
ft = vmap(grad(compute_loss), in_dims=(None, None, 0, 0))(params, buffers, data, targets)
for g, ftg in zip(per_sample_grads, ft.values()):
    print(g.shape, torch.allclose(g, ftg, atol=3e-3, rtol=1e-5))
