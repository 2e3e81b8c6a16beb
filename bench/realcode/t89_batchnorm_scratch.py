# d2l batch norm from scratch vs nn.BatchNorm1d
import torch
from torch import nn
torch.manual_seed(24)
def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not torch.is_grad_enabled():
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean.data, moving_var.data
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)
    def forward(self, X):
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        Y, self.moving_mean, self.moving_var = batch_norm(X, self.gamma, self.beta, self.moving_mean, self.moving_var, eps=1e-5, momentum=0.9)
        return Y
X = torch.randn(6, 3) * 3 + 1
bn = BatchNorm(3, 2)
ref = nn.BatchNorm1d(3)
y1 = bn(X); y2 = ref(X)
print(torch.allclose(y1, y2, atol=1e-5), bn.moving_mean, ref.running_mean)
y1.sum().backward()
print(bn.gamma.grad.abs().max() < 1e-5)
X4 = torch.randn(2, 3, 2, 2)
bn2 = BatchNorm(3, 4)
print(bn2(X4).mean(dim=(0, 2, 3)).abs().max() < 1e-6, bn2.moving_var.shape)
with torch.no_grad():
    print(bn(X).shape)
print(list(bn.state_dict().keys()), ref)
