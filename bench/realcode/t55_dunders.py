# Operators spelled as their methods: t.__add__(u), x.__len__(), d.__getitem__(k),
# l.__setitem__, (5).__add__(3): Python's protocol dunders of tensors and containers.
import torch
t = torch.tensor([1.0, 2.0, 3.0])
u = torch.tensor([4.0, 5.0, 6.0])
print(t.__len__(), t.__add__(u), t.__mul__(2), t.__getitem__(1), t.__radd__(1), t.__neg__())
print([1, 2, 3].__len__(), {'a': 1}.__getitem__('a'), (1, 2).__contains__(2), "ab".__len__())
print(t.__eq__(u), t.__lt__(u), t.__matmul__(u), t.__pow__(2), t.__rsub__(10), t.__truediv__(2))
d = {}
d.__setitem__('k', 5); print(d)
l = [3, 1]
print(l.__getitem__(0), (5).__add__(3), (2.5).__mul__(2), abs(-t), t.__abs__(), t.__bool__() if t.numel() == 1 else 'multi')
print(t.__iter__().__next__(), t.__contains__(2.0), t.__repr__(), t.__str__(), t.__format__('') )
