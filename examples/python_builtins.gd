# Python's built-ins keep Python's meaning on tensors; torch.X and x.X() are torch's.
import torch

M = torch.tensor([[1., 2., 3.], [4., 5., 6.]])

# sum(M) is Python's sum: 0 + M[0] + M[1], adding the rows (dim 0).
print(sum(M))
print(sum(M, 10))            # the start value is added too
print(torch.sum(M), M.sum())  # torch's sum reduces every element

x = torch.tensor([1., -3., 2.], requires_grad=True)
s = sum(x)                   # 0 + x[0] + x[1] + x[2]
print(s, s.grad_fn.name())
s.backward()
print(x.grad)

# max and min walk dim 0 and compare the elements with > and <.
v = torch.tensor([1., 3., 2.])
print(max(v), min(v), torch.max(v))
print(max(2.5, v[0]), max([3, 7, 5]))

# abs(x) calls x.__abs__(), so it is recorded as AbsBackward0; pow(a, b) is a ** b.
a = abs(x)
print(a)
print(pow(x, 2), pow(2, 10))

# float(), int() and bool() need a tensor of one element.
print(float(torch.tensor(2.5)), int(torch.tensor([7.9])), bool(torch.tensor([0.])))
print(len(M), sorted(torch.tensor([3, 1, 2])), any(v > 2.5), all(v > 0))

# Comparing a tensor with None is just False, as for any object.
print(x == None, x != None, x is None)

# round() needs __round__, which tensors do not have: torch.round rounds a tensor.
print(round(2.567, 2), torch.round(torch.tensor([1.4, 2.6])))

# .numpy() gives a numpy array sharing the tensor's data; it prints as numpy prints.
n = x.detach().numpy()
print(n)
print(n.sum(), n.max(), n.shape, n.dtype, n.tolist())
print(n * 2 + 1, n > 0)
print(torch.from_numpy(n), torch.tensor(n * n))
