"""torch.utils.data (gradcli/interp/data.py) as small training loops use it.

Each program runs under gd with `import torch` and `torch.manual_seed(0)` in front, and
must print PyTorch 2.13's bytes, written here as literals (taken from PyTorch, and
checked against it again when PyTorch is installed, marked slow): batches as
default_collate makes them, every random draw of a shuffled or plain loader (a later
torch.randn in the program depends on them), random_split's permutation, a gd Dataset
subclass, and whole training loops over a DataLoader. Then PyTorch's error messages and
exception classes, and the sandbox: the data values expose nothing of the host.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from pyrun import unaddressed

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.interp import RunOptions, exceptions, run_source
from gradcli.source import Source

PRELUDE = "import torch\ntorch.manual_seed(0)\n"

#: name -> (program, what PyTorch prints).
CASES: dict[str, tuple[str, str]] = {
    "tensor_dataset_basics": ("""\
from torch.utils.data import TensorDataset
ds = TensorDataset(torch.arange(4.).view(2, 2), torch.arange(2.))
print(ds[0])
print(ds[0:2])
print(len(ds), ds[-1][1], ds[torch.tensor(1)])
x, y = ds.tensors
print(x.shape, y)
print(list(TensorDataset(torch.arange(3))))
""", """\
(tensor([0., 1.]), tensor(0.))
(tensor([[0., 1.],
        [2., 3.]]), tensor([0., 1.]))
2 tensor(1.) (tensor([2., 3.]), tensor(1.))
torch.Size([2, 2]) tensor([0., 1.])
[(tensor(0),), (tensor(1),), (tensor(2),)]
"""),
    "loader_sequential_batches": ("""\
from torch.utils.data import TensorDataset, DataLoader
ds = TensorDataset(torch.arange(10.).reshape(5, 2), torch.arange(5))
loader = DataLoader(ds, batch_size=2)
print(len(loader))
for batch in loader:
    print(type(batch).__name__, batch)
for i, (xb, yb) in enumerate(loader):
    print(i, xb.sum().item(), yb.tolist())
""", """\
3
list [tensor([[0., 1.],
        [2., 3.]]), tensor([0, 1])]
list [tensor([[4., 5.],
        [6., 7.]]), tensor([2, 3])]
list [tensor([[8., 9.]]), tensor([4])]
0 6.0 [0, 1]
1 22.0 [2, 3]
2 17.0 [4]
"""),
    "loader_drop_last_and_defaults": ("""\
import torch.utils.data as data
ds = data.TensorDataset(torch.arange(7))
print(len(data.DataLoader(ds)), len(data.DataLoader(ds, batch_size=3, drop_last=True)))
for (xb,) in data.DataLoader(ds, batch_size=3, drop_last=True):
    print(xb)
dl = data.DataLoader(ds, batch_size=3)
print(dl.batch_size, dl.drop_last, dl.num_workers, dl.pin_memory, dl.dataset is ds)
""", """\
7 2
tensor([0, 1, 2])
tensor([3, 4, 5])
3 False 0 False True
"""),
    "collate_numbers_strings_dicts": ("""\
from torch.utils.data import DataLoader
for b in DataLoader([1, 2, 3], batch_size=2):
    print(b)
for b in DataLoader([1.5, 2.0, 3.0], batch_size=2):
    print(b)
for b in DataLoader([True, False], batch_size=2):
    print(b)
for b in DataLoader([(1, 2.0), (3, 4.0)], batch_size=2):
    print(b)
for b in DataLoader([[1, 2.0], [3, 4.0]], batch_size=2):
    print(b)
for b in DataLoader([{"a": 1, "b": torch.ones(2)}] * 3, batch_size=2):
    print(b)
for b in DataLoader(["a", "b", "c"], batch_size=2):
    print(b)
for b in DataLoader(torch.arange(5), batch_size=2):
    print(b)
""", """\
tensor([1, 2])
tensor([3])
tensor([1.5000, 2.0000], dtype=torch.float64)
tensor([3.], dtype=torch.float64)
tensor([ True, False])
[tensor([1, 3]), tensor([2., 4.], dtype=torch.float64)]
[tensor([1, 3]), tensor([2., 4.], dtype=torch.float64)]
{'a': tensor([1, 1]), 'b': tensor([[1., 1.],
        [1., 1.]])}
{'a': tensor([1]), 'b': tensor([[1., 1.]])}
['a', 'b']
['c']
tensor([0, 1])
tensor([2, 3])
tensor([4])
"""),
    "batch_size_none_converts": ("""\
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.arange(3.), torch.arange(3))
for b in DataLoader(ds, batch_size=None):
    print(b)
print(len(DataLoader(ds, batch_size=None)))
""", """\
[tensor(0.), tensor(0)]
[tensor(1.), tensor(1)]
[tensor(2.), tensor(2)]
3
"""),
    "shuffle_two_epochs_then_randn": ("""\
from torch.utils.data import TensorDataset, DataLoader
ds = TensorDataset(torch.arange(10.).view(5, 2), torch.arange(5))
loader = DataLoader(ds, batch_size=2, shuffle=True)
for epoch in range(2):
    for xb, yb in loader:
        print(epoch, yb)
print(torch.randn(2))
""", """\
0 tensor([1, 4])
0 tensor([2, 3])
0 tensor([0])
1 tensor([2, 3])
1 tensor([4, 0])
1 tensor([1])
tensor([-1.0845, -1.3986])
"""),
    "unshuffled_epochs_draw_a_base_seed": ("""\
from torch.utils.data import DataLoader
loader = DataLoader(range(4), batch_size=2)
for epoch in range(3):
    print([b.tolist() for b in loader])
print(torch.rand(2))
""", """\
[[0, 1], [2, 3]]
[[0, 1], [2, 3]]
[[0, 1], [2, 3]]
tensor([0.4901, 0.8964])
"""),
    "shuffle_with_generator": ("""\
import torch.utils.data as data
ds = data.TensorDataset(torch.arange(6.), torch.arange(6))
g = torch.Generator().manual_seed(42)
dl = data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
for e in range(3):
    print([b[1].tolist() for b in dl])
print(torch.rand(1), g.initial_seed())
""", """\
[[4, 5, 0, 1], [2, 3]]
[[3, 0, 5, 4], [2, 1]]
[[5, 0, 1, 4], [3, 2]]
tensor([0.4963]) 42
"""),
    "shuffle_break_and_drop_last": ("""\
from torch.utils.data import DataLoader, TensorDataset
dl = DataLoader(TensorDataset(torch.arange(9)), batch_size=2, shuffle=True, drop_last=True)
for epoch in range(3):
    for i, (y,) in enumerate(dl, start=1):
        if i == 2:
            break
        print(epoch, i, y)
print(torch.randn(2))
""", """\
0 1 tensor([3, 4])
1 1 tensor([5, 7])
2 1 tensor([8, 4])
tensor([0.4033, 0.8380])
"""),
    "next_iter_and_len": ("""\
from torch.utils.data import DataLoader, TensorDataset
dl = DataLoader(TensorDataset(torch.randn(5, 2), torch.arange(5)), batch_size=2, shuffle=True)
xb, yb = next(iter(dl))
print(xb, yb)
it = iter(dl)
print(len(it), it)
print([y.tolist() for _, y in it])
print(next(it, "done"))
print(list(map(len, dl)), sum(1 for _ in dl))
print(dl)
""", """\
tensor([[-1.0845, -1.3986],
        [ 0.4033,  0.8380]]) tensor([2, 3])
3 <torch.utils.data.dataloader._SingleProcessDataLoaderIter object>
[[3, 4], [2, 1], [0]]
done
[2, 2, 2] 3
<torch.utils.data.dataloader.DataLoader object>
"""),
    "random_split_lengths_and_fractions": ("""\
from torch.utils.data import TensorDataset, random_split
ds = TensorDataset(torch.arange(10))
train, val = random_split(ds, [0.8, 0.2])
print(len(train), len(val), train.indices, val.indices, val[0], train.dataset is ds)
a, b, c = random_split(range(10), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
print(list(a), list(b), list(c))
x, y = random_split(ds, [7, 3])
print(x.indices, y.indices)
print(torch.randn(3))
""", """\
8 2 [4, 1, 7, 5, 3, 9, 0, 8] [6, 2] (tensor(6),) True
[2, 6, 1] [8, 4, 5] [0, 9, 3, 7]
[3, 9, 4, 2, 7, 8, 6] [0, 5, 1]
tensor([-0.2613,  1.0667,  0.4159])
"""),
    "subset_and_loader": ("""\
from torch.utils.data import DataLoader, Subset, TensorDataset
ds = TensorDataset(torch.arange(10.))
s = Subset(ds, [1, 3, 5])
print(len(s), s[0], s[[0, 2]], s.indices)
print([b for b in DataLoader(s, batch_size=2)])
print(isinstance(s, Subset), isinstance(ds, TensorDataset))
""", """\
3 (tensor(1.),) (tensor([1., 5.]),) [1, 3, 5]
[[tensor([1., 3.])], [tensor([5.])]]
True True
"""),
    "dataset_subclass": ("""\
from torch.utils.data import Dataset, DataLoader
class Squares(Dataset):
    def __init__(self, n):
        super().__init__()
        self.x = torch.arange(n, dtype=torch.float32)
    def __len__(self):
        return len(self.x)
    def __getitem__(self, i):
        return self.x[i], self.x[i] ** 2
ds = Squares(7)
dl = DataLoader(ds, batch_size=3, shuffle=True)
for xb, yb in dl:
    print(xb, yb)
print(len(dl), len(dl.dataset), isinstance(ds, Dataset))
print(Dataset, DataLoader)
""", """\
tensor([0., 4., 1.]) tensor([ 0., 16.,  1.])
tensor([5., 2., 6.]) tensor([25.,  4., 36.])
tensor([3.]) tensor([9.])
3 7 True
<class 'torch.utils.data.dataset.Dataset'> <class 'torch.utils.data.dataloader.DataLoader'>
"""),
    "dataset_subclass_dict_samples": ("""\
class Pairs(torch.utils.data.Dataset):
    def __init__(self):
        self.data = [(torch.tensor([float(i), float(i + 1)]), i % 2) for i in range(5)]
    def __len__(self):
        return len(self.data)
    def __getitem__(self, idx):
        x, label = self.data[idx]
        return {"x": x, "label": label}
for batch in torch.utils.data.DataLoader(Pairs(), batch_size=3):
    print(batch["x"], batch["label"])
""", """\
tensor([[0., 1.],
        [1., 2.],
        [2., 3.]]) tensor([0, 1, 0])
tensor([[3., 4.],
        [4., 5.]]) tensor([1, 0])
"""),
    "collate_fn": ("""\
from torch.utils.data import DataLoader
def collate(batch):
    return torch.stack([b[0] for b in batch]), torch.tensor([b[1] for b in batch])
data = [(torch.randn(2), i) for i in range(5)]
for x, y in DataLoader(data, batch_size=2, shuffle=True, collate_fn=collate):
    print(x.shape, y)
print(list(DataLoader([(1, 2.5), (2, 3.5)], batch_size=2, collate_fn=lambda b: b)))
""", """\
torch.Size([2, 2]) tensor([2, 3])
torch.Size([2, 2]) tensor([1, 0])
torch.Size([1, 2]) tensor([4])
[[(1, 2.5), (2, 3.5)]]
"""),
    "requires_grad_rows_stack": ("""\
from torch.utils.data import DataLoader, TensorDataset
x = torch.randn(3, 2, requires_grad=True)
for (b,) in DataLoader(TensorDataset(x), batch_size=2):
    print(b)
""", """\
tensor([[ 1.5410, -0.2934],
        [-2.1788,  0.5684]], grad_fn=<StackBackward0>)
tensor([[-1.0845, -1.3986]], grad_fn=<StackBackward0>)
"""),
    "training_loop_linear_regression": ("""\
from torch.utils.data import DataLoader, TensorDataset
X = torch.rand(40, 1) * 10
y = 2 * X + 1 + torch.randn(40, 1) * 0.1
loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True)
w = torch.randn(1, requires_grad=True)
b = torch.randn(1, requires_grad=True)
for epoch in range(4):
    epoch_loss = 0.0
    for xb, yb in loader:
        loss = torch.mean((xb * w + b - yb) ** 2)
        loss.backward()
        with torch.no_grad():
            w -= 0.01 * w.grad
            b -= 0.01 * b.grad
            w.grad.zero_()
            b.grad.zero_()
        epoch_loss += loss.item()
    print(f"Epoch {epoch}, Loss: {epoch_loss / len(loader):.4f}")
print(w, b)
print(torch.randn(1))
""", """\
Epoch 0, Loss: 0.3508
Epoch 1, Loss: 0.2746
Epoch 2, Loss: 0.2625
Epoch 3, Loss: 0.2471
tensor([2.1451], requires_grad=True) tensor([0.0843], requires_grad=True)
tensor([1.3232])
"""),
    "training_loop_softmax_classifier": ("""\
from torch.utils.data import DataLoader, TensorDataset
import torch.nn.functional as F
X = torch.randn(30, 4)
y = torch.randint(0, 3, (30,))
loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True)
W = torch.zeros(4, 3, requires_grad=True)
b = torch.zeros(3, requires_grad=True)
for epoch in range(3):
    correct = 0
    total_loss = 0.0
    for batch_idx, (xb, yb) in enumerate(loader):
        logits = xb @ W + b
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        with torch.no_grad():
            W -= 0.5 * W.grad
            b -= 0.5 * b.grad
        W.grad.zero_()
        b.grad.zero_()
        total_loss += loss.item() * xb.size(0)
        correct += (logits.argmax(1) == yb).sum().item()
    n = len(loader.dataset)
    print(f"epoch {epoch + 1} loss={total_loss / n:.4f} acc={correct / n:.3f}")
""", """\
epoch 1 loss=1.1023 acc=0.400
epoch 2 loss=0.9484 acc=0.600
epoch 3 loss=0.9280 acc=0.433
"""),
    "default_collate_function": ("""\
import torch.utils.data as tud
print(tud.default_collate([(1, 2.0), (3, 4.0)]))
print(tud.default_collate([torch.ones(2), torch.zeros(2)]))
print(tud.default_convert((1, [2, 3])))
print(tud.get_worker_info())
""", """\
[tensor([1, 3]), tensor([2., 4.], dtype=torch.float64)]
tensor([[1., 1.],
        [0., 0.]])
[1, [2, 3]]
None
"""),
}

#: name -> (program, PyTorch's exception class, its message).
ERRORS: dict[str, tuple[str, str, str]] = {
    "size_mismatch": ("""\
from torch.utils.data import TensorDataset
TensorDataset(torch.ones(3), torch.ones(4))
""", 'AssertionError',
        'Size mismatch between tensors'),
    "batch_size_zero": ("""\
from torch.utils.data import DataLoader
DataLoader([1, 2], batch_size=0)
""", 'ValueError',
        'batch_size should be a positive integer value, but got batch_size=0'),
    "batch_size_float": ("""\
from torch.utils.data import DataLoader
DataLoader([1, 2], batch_size=2.0)
""", 'ValueError',
        'batch_size should be a positive integer value, but got batch_size=2.0'),
    "drop_last_int": ("""\
from torch.utils.data import DataLoader
DataLoader([1, 2], drop_last=1)
""", 'ValueError',
        'drop_last should be a boolean value, but got drop_last=1'),
    "none_and_drop_last": ("""\
from torch.utils.data import DataLoader
DataLoader([1, 2], batch_size=None, drop_last=True)
""", 'ValueError',
        'batch_size=None option disables auto-batching and is mutually exclusive with drop_last'),
    "negative_workers": ("""\
from torch.utils.data import DataLoader
DataLoader([1, 2], num_workers=-1)
""", 'ValueError',
        'num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.'),
    "empty_shuffle": ("""\
from torch.utils.data import DataLoader
DataLoader([], shuffle=True)
""", 'ValueError',
        'num_samples should be a positive integer value, but got num_samples=0'),
    "persistent_workers": ("""\
from torch.utils.data import DataLoader
DataLoader([1], persistent_workers=True)
""", 'ValueError',
        'persistent_workers option needs num_workers > 0'),
    "split_sum": ("""\
from torch.utils.data import random_split
random_split(range(5), [2, 2])
""", 'ValueError',
        'Sum of input lengths does not equal the length of the input dataset!'),
    "split_fraction": ("""\
from torch.utils.data import random_split
random_split(range(5), [1.5, -0.5])
""", 'ValueError',
        'Fraction at index 0 is not between 0 and 1'),
    "ragged_lists": ("""\
from torch.utils.data import DataLoader
for b in DataLoader([[1, 2], [3]], batch_size=2):
    pass
""", 'RuntimeError',
        'each element in list of batch should be of equal size'),
    "collate_none": ("""\
from torch.utils.data import DataLoader
for b in DataLoader([None, None], batch_size=2):
    pass
""", 'TypeError',
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found <class 'NoneType'>"),
    "stack_sizes": ("""\
from torch.utils.data import DataLoader
for b in DataLoader([torch.ones(2), torch.ones(3)], batch_size=2):
    pass
""", 'RuntimeError',
        'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1'),
    "index_out_of_range": ("""\
from torch.utils.data import TensorDataset
TensorDataset(torch.ones(3))[3]
""", 'IndexError',
        'index 3 is out of bounds for dimension 0 with size 3'),
    "old_next_method": ("""\
from torch.utils.data import DataLoader
iter(DataLoader([1])).next()
""", 'AttributeError',
        "'_SingleProcessDataLoaderIter' object has no attribute 'next'"),
}

#: Attempts to reach the host through the data values: each is a clean gd error.
HOSTILE: list[tuple[str, str]] = [
    ("ds.__dict__", r"'__dict__' is not accessible in gd"),
    ("ds.__class__.__dict__", r"'__dict__' is not accessible in gd"),
    ("ds._tensors", r"'_tensors' is not accessible in gd"),
    ("ds.__getitem__", r"'__getitem__' is not accessible in gd"),
    ("ds.tensors.__class__.__dict__", r"'__dict__' is not accessible in gd"),
    ("ds.KIND", r"'TensorDataset' object has no attribute 'KIND'"),
    ("ds.ATTRS", r"'TensorDataset' object has no attribute 'ATTRS'"),
    ("loader._index_sampler", r"'_index_sampler' is not accessible in gd"),
    ("loader.__iter__", r"'__iter__' is not accessible in gd"),
    ("loader.collate_fn", r"'DataLoader' object has no attribute 'collate_fn'"),
    ("loader._collate", r"'_collate' is not accessible in gd"),
    ("loader.shuffle", r"'DataLoader' object has no attribute 'shuffle'"),
    ("iter(loader).it", r"'_SingleProcessDataLoaderIter' object has no attribute 'it'"),
    ("iter(loader).loader", r"object has no attribute 'loader'"),
    ("iter(loader).gi_frame", r"object has no attribute 'gi_frame'"),
    ("iter(loader).__next__.__self__", r"'__self__' is not accessible in gd"),  # r18: it.__next__
    ("split[0].__dict__", r"'__dict__' is not accessible in gd"),
    ("split[0]._dataset", r"'_dataset' is not accessible in gd"),
    ("data.DataLoader.fn", r"object has no attribute 'fn'"),
    ("data.DataLoader.kind", r"object has no attribute 'kind'"),
    ("data.Dataset.__subclasses__()", r"'__subclasses__' is not accessible in gd"),
    ("data.Dataset.attrs", r"type object 'Dataset' has no attribute 'attrs'"),
    ("data.random_split.__globals__", r"'__globals__' is not accessible in gd"),
    ('getattr(loader, "_index_sampler")', r"'_index_sampler' is not accessible in gd"),
    ('getattr(ds, "__class__").__dict__', r"'__dict__' is not accessible in gd"),
    ('"{0.__class__.__dict__}".format(ds)', r"'__dict__' is not accessible in gd"),
    ("vars(ds)", r"vars"),
    ("ds.tensors = ()", r"cannot set attribute 'tensors'"),
    ("ds.__class__ = int", r"'__class__' is not accessible in gd"),
    ("loader.batch_size = 3",
     r"batch_size attribute should not be set after DataLoader is initialized"),
    ("loader.anything = 3", r"cannot set attribute 'anything'"),
    ('setattr(loader, "_sampler", 1)', r"'_sampler' is not accessible in gd"),
    ("del loader.dataset", r"dataset attribute should not be set"),
    ("data.Dataset.__len__ = len", r"immutable type 'Dataset'"),
    ("data.Dataset.x = 1", r"cannot set 'x' attribute of immutable type 'Dataset'"),
    ("data.DataLoader = print", r"cannot set attribute 'DataLoader'"),
    ("list(data.DataLoader(ds, sampler=print))", r"is not iterable|has no len\(\)"),
    ("data.RandomSampler(ds).__dict__", r"'__dict__' is not accessible in gd"),
    ("data.RandomSampler(ds)._num_samples", r"'_num_samples' is not accessible in gd"),
    ("data.BatchSampler(ds, 2, False).sampler = 1", r"cannot set attribute 'sampler'"),
    ("data.IterableDataset.x = 1", r"immutable type 'IterableDataset'"),
    ("data.Sampler.__iter__ = len", r"immutable type 'Sampler'"),
    ("data.ConcatDataset([ds]).datasets.__class__.__dict__", r"not accessible in gd"),
    ("import torch.utils.data.distributed", r"'torch.utils.data.distributed' is not supported"),
]
_HOSTILE_SETUP = ("import torch.utils.data as data\nds = data.TensorDataset(torch.ones(4))\n"
                  "loader = data.DataLoader(ds, batch_size=2)\n"
                  "split = data.random_split(ds, [2, 2])\n")


def gd_output(program: str) -> str:
    out: list[str] = []
    run_source(PRELUDE + program, "prog.gd", RunOptions(write=out.append))
    return "".join(out)


@pytest.mark.parametrize("name", list(CASES))
def test_prints_what_pytorch_prints(name: str) -> None:
    program, expected = CASES[name]
    assert unaddressed(gd_output(program)) == expected


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_are_pytorchs(name: str) -> None:
    program, py_type, message = ERRORS[name]
    with pytest.raises(GdError) as info:
        gd_output(program)
    err = info.value
    assert err.message == message
    exc = exceptions.exception_of(err)
    assert exc is not None and exc.cls.name == py_type
    assert err.span is not None and err.span.line > 2  # the program's line, not the prelude


@pytest.mark.parametrize("expr,pattern", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_data_values_expose_nothing_of_the_host(expr: str, pattern: str) -> None:
    with pytest.raises(GdError) as info:
        gd_output(_HOSTILE_SETUP + expr)
    err = info.value
    assert err.kind == "runtime" and err.span is not None
    assert re.search(pattern, err.message), err.message


def test_caught_errors_are_pythons_classes() -> None:
    program = """\
from torch.utils.data import DataLoader, TensorDataset
try:
    TensorDataset(torch.ones(3), torch.ones(4))
except AssertionError as e:
    print("assert", e)
try:
    DataLoader([1], batch_size=0)
except ValueError as e:
    print("value", e)
it = iter(DataLoader([1, 2]))
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print("stop")
"""
    assert gd_output(program) == (
        "assert Size mismatch between tensors\n"
        "value batch_size should be a positive integer value, but got batch_size=0\n"
        "tensor([1]) tensor([2])\nstop\n")


def test_refusals_cannot_be_caught() -> None:
    program = ("from torch.utils.data import DataLoader\ntry:\n"
               "    DataLoader([1], num_workers=2, multiprocessing_context='spawn')\n"
               "except Exception:\n    print('caught')\n")
    with pytest.raises(GdError, match="is not supported by gradcli"):
        gd_output(program)


def test_pin_memory_warns_as_pytorch_and_changes_nothing() -> None:
    warnings: list[str] = []
    out = io.StringIO()
    run(Source("prog.gd", PRELUDE + "from torch.utils.data import DataLoader\n"
               "dl = DataLoader([1, 2], batch_size=2, pin_memory=True)\n"
               "for e in range(2):\n    for b in dl:\n        print(b)\n"),
        AppOptions(write=out.write, warn=warnings.append))
    assert out.getvalue() == "tensor([1, 2])\ntensor([1, 2])\n"
    assert len(warnings) == 1  # once, as Python's warnings module shows it
    assert ("UserWarning: 'pin_memory' argument is set as true but no accelerator is found, "
            "then device pinned memory won't be used.") in warnings[0]


_TORCH_RUNNER = r"""
import contextlib, io, json, re, sys, warnings
warnings.simplefilter("ignore")
import torch
cases, errors = json.load(sys.stdin)
outputs, raised = {}, {}
for name, text in cases.items():
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(text, name, "exec"), {"__name__": "gd"})
    outputs[name] = re.sub(r" object at 0x[0-9a-fA-F]+>", " object>", buffer.getvalue())
for name, text in errors.items():
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(text, name, "exec"), {"__name__": "gd"})
        raised[name] = None
    except Exception as e:
        raised[name] = [type(e).__name__, str(e)]
json.dump([outputs, raised], sys.stdout)
"""


@pytest.fixture(scope="module")
def torch_data() -> tuple[dict[str, str], dict[str, list[str] | None]]:
    """Every program above under PyTorch (in a subprocess): stdout, or (class, message)."""
    pytest.importorskip("torch")
    programs = [{name: PRELUDE + p for name, (p, _) in CASES.items()},
                {name: PRELUDE + p for name, (p, _, _) in ERRORS.items()}]
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER], input=json.dumps(programs),
                          capture_output=True, text=True, timeout=300, check=True)
    outputs, raised = json.loads(proc.stdout)
    return outputs, raised


@pytest.mark.parametrize("name", list(CASES))
def test_literals_are_pytorchs_output(name: str, torch_data: tuple[dict, dict]) -> None:
    assert torch_data[0][name] == CASES[name][1]


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_literals_are_pytorchs(name: str, torch_data: tuple[dict, dict]) -> None:
    assert torch_data[1][name] == [ERRORS[name][1], ERRORS[name][2]]
