"""Round 22 (models): what model code nobody here wrote showed, each program compared
with what PyTorch prints. numpy's dtype limits (`np.finfo`, `np.iinfo`), which the
PyTorch REINFORCE and actor-critic examples read for their epsilon
(`eps = np.finfo(np.float32).eps.item()`): "module 'numpy' has no attribute 'finfo'"
before round 22. A module's `__version__` (`print(np.__version__)`, a notebook's first
cell): refused as a private name before round 22. `list(DataLoader(ChainDataset([...])))`
of streams without __len__: "object of type 'Stream' has no len()" before round 22 (list()
asks for a length hint, which Python gives up on at the TypeError). `train_ds + extra_ds`
(Dataset.__add__, a ConcatDataset; IterableDataset's a ChainDataset): "unsupported
operand type(s) for +" before round 22."""

# ruff: noqa: E501  (the programs are written as their authors wrote them)
from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# The REINFORCE example's normalisation of the discounted returns, as written there.
REINFORCE_EPS = """\
import numpy as np
import torch
torch.manual_seed(0)
eps = np.finfo(np.float32).eps.item()
rewards = [1.0, 0.0, 1.0, 1.0]
R, returns = 0, []
for r in rewards[::-1]:
    R = r + 0.99 * R
    returns.insert(0, R)
returns = torch.tensor(returns)
returns = (returns - returns.mean()) / (returns.std() + eps)
print(eps, returns)
print(torch.tensor([0.0]) + np.finfo(np.float32).eps)
"""

# Every attribute numpy's finfo and iinfo give, their printing (str is numpy's table,
# repr its one line), the dtype spellings numpy takes, and numpy's refusal of the wrong kind.
INFO_OBJECTS = """\
import numpy as np
for dt in [np.float16, np.float32, np.float64, float, 'float32', np.zeros(2).dtype, np.ones(1, np.float32).dtype]:
    fi = np.finfo(dt)
    print(fi.eps, fi.max, fi.min, fi.tiny, fi.smallest_normal, fi.resolution, fi.bits, fi.precision, fi.dtype)
    print(type(fi.eps), fi.eps * 2, fi.max.item(), fi.epsneg, fi.nmant, fi.nexp, fi.machep, fi.negep, fi.minexp, fi.maxexp)
print(np.finfo(np.float32))
print(repr(np.finfo(np.float64)), repr(np.iinfo(np.int16)))
for dt in [np.int8, np.int16, np.int32, np.int64, np.uint8, int, 'int64']:
    ii = np.iinfo(dt)
    print(ii.min, ii.max, ii.bits, ii.dtype, ii.kind, type(ii.max))
print(np.iinfo(np.int32))
try:
    np.finfo(np.int32)
except ValueError as e:
    print("ValueError", e)
try:
    np.iinfo(np.float32)
except ValueError as e:
    print("ValueError", e)
"""

# A setup cell's versions: numpy's is the numpy gd runs, the standard modules' this
# Python's; a module Python has none for raises Python's AttributeError, which code catches.
VERSIONS = """\
import json, csv, argparse, logging, re
import numpy as np
import torch
print(torch.__version__, np.__version__, json.__version__, csv.__version__, argparse.__version__, logging.__version__, re.__version__)
print(f"numpy {np.__version__}", tuple(int(v) for v in np.__version__.split('.')[:2]) >= (1, 20))
for mod in [np.random, np.linalg, torch.nn, json]:
    try:
        print(mod.__version__)
    except AttributeError as e:
        print("AttributeError", e)
"""

# Streams chained into one loader, with and without batching; len() of it is Python's
# TypeError, which code catches.
CHAINED_STREAMS = """\
import torch
from torch.utils.data import IterableDataset, DataLoader, ChainDataset
class Stream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end
    def __iter__(self):
        for i in range(self.start, self.end):
            yield torch.tensor([i, i * i], dtype=torch.float32)
class Sized(Stream):
    def __len__(self):
        return self.end - self.start
print(list(DataLoader(ChainDataset([Stream(0, 2), Stream(5, 6)]), batch_size=2)))
print(list(DataLoader(ChainDataset([Stream(0, 2), Stream(5, 6)]), batch_size=None)))
print([b.shape for b in DataLoader(ChainDataset([Sized(0, 3), Stream(5, 7)]), batch_size=2)])
loader = DataLoader(ChainDataset([Sized(0, 3), Sized(5, 8)]), batch_size=4)
print(len(loader), list(loader)[-1])
try:
    len(DataLoader(ChainDataset([Sized(0, 3), Stream(5, 6)])))
except TypeError as e:
    print("TypeError", e)
"""

# `+` of datasets: built-in ones, a program's Dataset and IterableDataset subclasses, a
# class's own __add__ winning, and ConcatDataset's error for an operand without len().
DATASET_ADD = """\
import torch
from torch.utils.data import IterableDataset, Dataset, DataLoader, TensorDataset, ConcatDataset, ChainDataset
class Stream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end
    def __iter__(self):
        for i in range(self.start, self.end):
            yield torch.tensor([i, i * i], dtype=torch.float32)
class Squares(Dataset):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        return torch.tensor(float(i * i))
c = Stream(0, 2) + Stream(4, 5)
print(type(c).__name__, list(DataLoader(c, batch_size=None)))
print(list(c + Stream(7, 8)))
a = TensorDataset(torch.arange(3.)); b = TensorDataset(torch.arange(10., 12.))
ab = a + b
print(type(ab).__name__, len(ab), ab[3], ab.cumulative_sizes)
s = Squares(3) + Squares(2)
print(type(s).__name__, len(s), [s[i] for i in range(len(s))])
t = Squares(2) + a + Squares(1)
print(len(t), t.cumulative_sizes, isinstance(t, ConcatDataset), [type(d).__name__ for d in t.datasets])
print(len(DataLoader(Squares(3) + Squares(4), batch_size=2)))
class WithAdd(Dataset):
    def __len__(self):
        return 1
    def __getitem__(self, i):
        return i
    def __add__(self, other):
        return "own add"
print(WithAdd() + Squares(1))
try:
    Squares(1) + 3
except TypeError as e:
    print("TypeError", e)
"""


@pytest.mark.parametrize("program", [REINFORCE_EPS, INFO_OBJECTS, VERSIONS, CHAINED_STREAMS,
                                     DATASET_ADD])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# numpy's info objects hand out their values only: nothing else of numpy is reachable.
@pytest.mark.parametrize("program", [
    "np.finfo(np.float32).__class__.__init__", "np.finfo(np.float32)._str_eps",
    "np.finfo(np.float32).__dict__['eps']", "np.finfo.__globals__", "np.iinfo(np.int8)._min_vals",
    "np.finfo(np.float32).dtype.type", "setattr(np.finfo(np.float32), 'eps', 1)",
])
def test_info_objects_lead_nowhere(program: str) -> None:
    out = gd_output(f"import numpy as np\nv = {program}\nprint(v)\n")
    assert out.startswith("GdError ") and "0x" not in out, out


# The stand-ins for tqdm, matplotlib and scikit-learn report the installed package's
# version (read from its metadata), as importing the real one would.
@pytest.mark.parametrize("module", ["tqdm", "matplotlib", "sklearn"])
def test_third_party_versions_are_the_installed_ones(module: str) -> None:
    pytest.importorskip(module)
    program = f"import {module}\nprint({module}.__version__)\n"
    assert gd_output(program) == torch_output(program)
