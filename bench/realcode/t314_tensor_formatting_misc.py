# --- tensor formatting misc
import torch

x = torch.tensor([[1e-3, 2.5e4], [3.0, -4.0]])
print(x)
print(x.int(), x.long().tolist(), x.bool())
print(torch.tensor([1.0, float("inf"), float("-inf"), float("nan")]))
print(torch.tensor([0.000123, 0.5]), torch.tensor([123456.0, 1.0]))
print(torch.tensor([1, -200, 30000]), torch.tensor([[True, False]]))
print(torch.tensor(3.14159, dtype=torch.float64), torch.tensor([2.0], dtype=torch.float16))
print(torch.zeros(2, 3, dtype=torch.int32), torch.ones(0, 2))
print(torch.tensor([1e-10, 1e10]), torch.tensor([-0.0, 0.0]))
print(torch.arange(6).reshape(1, 2, 3))
print(repr(torch.tensor([1.5, 2.5]).requires_grad_()))
print(torch.tensor([100.0, 0.01]), torch.tensor([1000.0, 0.01]), torch.tensor([99999.0, 0.1]))
print(x.T, x.t().contiguous().is_contiguous(), x.stride())
print(f"{torch.tensor(1.23456789).item()}", str(torch.tensor(2.0).item()), torch.tensor(0.1).item())
print(torch.tensor([0.1, 0.2], dtype=torch.float64) * 3)
