import torch


class Batches:
    """A hand-written iterator, as data utilities write them."""

    def __init__(self, data, size):
        self.data = data
        self.size = size
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= len(self.data):
            raise StopIteration
        out = self.data[self.i:self.i + self.size]
        self.i += self.size
        return out


class Count:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


data = torch.arange(10.0)
it = iter(data.split(4))
print(it.__next__())
print(next(it), it.__iter__() is it)
print(it.__next__())
try:
    it.__next__()
except StopIteration:
    print("done")
b = Batches(data, 3)
print(b.__next__(), b.__iter__() is b)
print([t.sum().item() for t in b])
g = (x * 2 for x in range(3))
print(g.__next__(), list(g.__iter__()))
m = map(torch.sin, [torch.tensor(0.0), torch.tensor(1.0)])
print(m.__next__(), next(m))
z = zip([1, 2], "ab")
print(z.__next__(), z.__iter__() is z)
print(int(Count(3)), float(Count(4)), range(Count(2)), [0, 1, 2][Count(1)])
print(torch.ones(Count(2), Count(3)).shape, data[Count(5)], data[Count(7):])
print(torch.zeros(2, 5)[:, Count(1):Count(4)].shape, data.new_zeros(Count(2)))
print(torch.Size([Count(2), 3]), torch.Size((True, torch.tensor(4))))
for bad in ([1.5], ["a"], [torch.tensor(2.0)]):
    try:
        torch.Size(bad)
    except TypeError as e:
        print(e)
print(data.view(Count(2), -1).shape, data.reshape(Count(5), Count(2)).shape)
print(torch.randn(Count(3), generator=torch.Generator().manual_seed(0)))
print(data.narrow(0, Count(2), Count(3)), torch.eye(Count(2)))
print(torch.nn.Linear(Count(3), Count(2)).weight.shape)
print(torch.full((Count(2),), 1.5), data.topk(Count(2)).values)
try:
    data[[Count(1), Count(2)]]
except RuntimeError as e:
    print(e)
