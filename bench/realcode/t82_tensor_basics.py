# tensor basics a beginner prints: dtypes, views, indexing, broadcasting, in-place, numpy bridge
import torch
import numpy as np
t = torch.arange(12).reshape(3, 4)
print(t, t.dtype, t.shape, t.size(1), t.ndim, t.dim(), t.numel())
print(t[1], t[:, 1], t[1:, ::2], t[t > 5], t[[0, 2]], t[..., -1])
print(t.view(4, 3).stride(), t.t().is_contiguous(), t.t().contiguous().view(-1))
a = torch.ones(2, 3); b = torch.arange(3.)
print(a + b, a * b.unsqueeze(0), (a @ b.unsqueeze(1)).squeeze())
x = torch.zeros(3); x.add_(1); x[1] = 5
print(x, x.mean(), x.std(), x.var(unbiased=False), x.max(), x.argmax(), x.cumsum(0))
n = np.array([1.5, 2.5])
tn = torch.from_numpy(n)
tn += 1
print(n, tn, tn.numpy(), torch.as_tensor([1, 2]), torch.tensor(n).dtype)
print(torch.cat([t, t], 0).shape, torch.stack([b, b], 1), torch.where(b > 0, b, -b))
print(torch.eye(2), torch.full((2, 2), 7), torch.zeros_like(b), torch.rand(0))
print(t.float().mean(dim=0), t.sum(1, keepdim=True), t.max(dim=1))
print(b.tolist(), b[1].item(), int(b[2]), float(b.sum()), b.type(torch.int32), b.to(torch.float64))
print(torch.tensor([[1, 2], [3, 4]]).T.flatten(), torch.tensor(3.5).dtype, torch.tensor([True, False]).sum())
print(x.clamp(0, 2), x.abs().sqrt(), torch.round(torch.tensor([0.5, 1.5, 2.5])), torch.sort(torch.tensor([3, 1, 2])))
print(torch.tensor([1., 2.]).dtype is torch.float32, torch.get_default_dtype(), x.device, x.is_cuda)
