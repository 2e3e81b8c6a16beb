# numerics users hit: softmax stability with large logits, logsumexp, log1p/expm1 precision, float32 vs float64 sums, sigmoid saturation grads
import torch
big = torch.tensor([1000.0, 1001.0, 1002.0])
print(torch.softmax(big, 0), torch.exp(big) / torch.exp(big).sum())
print(torch.logsumexp(big, 0), torch.log(torch.exp(big).sum()))
small = torch.tensor([1e-10, 1e-5], dtype=torch.float64)
print(torch.log1p(small), torch.log(1 + small), torch.expm1(small))
v = torch.full((10000,), 0.1)
print(v.sum(), v.double().sum(), sum(v.tolist()))
s = torch.tensor([-100.0, 0.0, 100.0], requires_grad=True)
torch.sigmoid(s).sum().backward()
print(s.grad, torch.nn.functional.logsigmoid(s), torch.nn.functional.softplus(s))
print(torch.tensor(1e38) * 10, torch.tensor(1e-45), torch.tensor(0.1) + torch.tensor(0.2) == torch.tensor(0.3))
print(torch.finfo(torch.float32).eps, torch.tensor(1.0) + torch.finfo(torch.float32).eps / 2 == 1.0)
