# __class__ on values in generic helper code: type dispatch tables, isinstance, repr helpers
import torch
def describe(v):
    cls = v.__class__
    if cls is torch.Tensor:
        return f"Tensor{tuple(v.shape)}"
    if cls in (int, float):
        return f"{cls.__name__}:{v}"
    if cls is list:
        return "[" + ", ".join(describe(e) for e in v) + "]"
    return cls.__name__
print(describe([1, 2.5, torch.zeros(2, 3), "s", None, (1,), {'a': 1}]))
handlers = {int: lambda v: v * 2, str: lambda v: v.upper()}
print([handlers[x.__class__](x) for x in [3, "ab"]])
class Meter:
    def __init__(self):
        self.n = 0
    def __repr__(self):
        return f"{self.__class__.__name__}(n={self.n})"
class Sub(Meter):
    pass
print(Meter(), Sub(), Sub().__class__.__bases__ if False else '', isinstance(Sub(), Meter))
print(torch.zeros(1).__class__.__name__, torch.nn.Parameter(torch.zeros(1)).__class__.__name__, torch.nn.ReLU().__class__.__name__)
print((1.5).__class__(2), "x".__class__(5), [].__class__((1, 2)), torch.tensor(1).__class__)
d = torch.float32.__class__
print(d, torch.device('cpu').__class__, torch.Size([1]).__class__.__name__)
print(type(torch.ones(1).grad_fn), torch.ones(1, requires_grad=True).sum().grad_fn.__class__.__name__)
