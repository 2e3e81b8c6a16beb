# views vs copies: view/reshape/contiguous/is_contiguous, expand vs repeat, stride(), unsqueeze broadcasting, data_ptr sharing, narrow/unfold
import torch
x = torch.arange(12.).view(3, 4)
t = x.t()
print(t.is_contiguous(), t.stride(), x.stride())
try:
    t.view(12)
except RuntimeError as e:
    print(str(e)[:60])
print(t.reshape(12), t.contiguous().view(-1).shape)
e = torch.tensor([1., 2., 3.]).unsqueeze(1).expand(3, 4)
print(e.stride(), e.shape, torch.tensor([1., 2., 3.]).repeat(2, 2))
v = x[1]
v[0] = 100.
print(x[1], v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr() if hasattr(v, 'untyped_storage') else None)
print(x.narrow(1, 1, 2), x.unfold(1, 2, 2).shape, torch.arange(6).unfold(0, 3, 1))
a = torch.randn(2, 1, 3)
b = torch.randn(4, 1)
print((a + b).shape, torch.broadcast_shapes((2, 1, 3), (4, 1)))
print(x.flatten().shape, x.movedim(0, 1).shape, x.view(2, 2, 3).permute(2, 0, 1).shape, x.squeeze().shape)
print(torch.stack([x, x], dim=-1).shape, torch.hstack([x, x]).shape, torch.vstack([x, x]).shape)
