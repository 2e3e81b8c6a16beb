# --- numpy bridge
import numpy as np
import torch

a = np.linspace(0, 1, 5)
t = torch.from_numpy(a)
print(t, t.dtype)
t2 = torch.tensor(a, dtype=torch.float32)
print(t2)
b = t.numpy()
b[0] = 100.0
print(t)
arr = np.array([[1, 2], [3, 4]], dtype=np.int64)
print(torch.as_tensor(arr), torch.as_tensor(arr).dtype)
x = torch.arange(6.0).reshape(2, 3)
print(np.mean(x.numpy()), np.std(x.numpy(), axis=0))
print(x.numpy() @ x.numpy().T)
y = torch.tensor(np.float64(2.5))
print(y, y.dtype)
z = torch.tensor([1.0, 2.0], requires_grad=True)
print(z.detach().numpy(), (z * 2).detach().cpu().numpy().tolist())
try:
    z.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
print(np.allclose(x.numpy(), np.arange(6).reshape(2, 3)))
print(torch.from_numpy(np.array([1.5, 2.5], dtype=np.float32)) * 2)

# --- printoptions
import torch

x = torch.tensor([1.123456789, 100.5, 1e-5, 12345.678])
print(x)
torch.set_printoptions(precision=2)
print(x)
torch.set_printoptions(precision=8)
print(x.double())
torch.set_printoptions(sci_mode=False)
print(x)
torch.set_printoptions(profile="default")
print(x)
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(20.0))
print(torch.arange(30).reshape(6, 5))
torch.set_printoptions(profile="default")
torch.set_printoptions(linewidth=40)
print(torch.linspace(0, 1, 12))
torch.set_printoptions(profile="default")
print(torch.tensor([1e10, 1.0]), torch.tensor([0.1, 1e-8]))
