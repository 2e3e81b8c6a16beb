# The NumPy bridge: from_numpy sharing memory, torch.tensor copying, .numpy() views,
# numpy scalars in tensors, np.random.RandomState and the legacy global generator.
import numpy as np
import torch
a = np.array([[1.0, 2.0], [3.0, 4.0]])
t = torch.from_numpy(a)
print(t, t.dtype)
a[0, 0] = 10
print(t)
t2 = torch.tensor(a)
a[0, 0] = 1
print(t2[0, 0], torch.as_tensor(a).dtype)
x = torch.arange(6.).reshape(2, 3)
n = x.numpy()
n[0, 0] = -1
print(x, n.dtype, type(n).__name__)
print(np.array(x), np.asarray(torch.tensor([1, 2])))
print(torch.tensor(np.float32(2.5)), torch.tensor(np.int64(3)), torch.tensor([np.float64(1.5)]))
print(np.mean(x.numpy()), np.sum(np.arange(4)), x.numpy().sum(axis=0))
print(torch.from_numpy(np.arange(4, dtype=np.int32)).dtype, torch.from_numpy(np.ones(2, dtype=np.float16)).dtype)
y = torch.tensor([1.0, 2.0], requires_grad=True)
print(y.detach().numpy(), y.detach().cpu().numpy().tolist())
try:
    y.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
print(np.float32(0.1) + torch.tensor(0.2), type(np.float64(1.0) * torch.tensor(2.0)))
print(torch.tensor([1, 2]) + np.array([3, 4]) if False else 0)
print(np.random.RandomState(0).randn(3))
np.random.seed(0)
print(np.random.rand(2), np.random.randint(0, 10, 3))
