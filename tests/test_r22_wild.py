"""Round 22, real scripts from public repositories: the classes they found, each as a small
program of our own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# A loader with worker processes, the way tutorials batch a toy regression set: the batches
# (sampler order) are the main process's, so they equal a single-process loader's.
_WORKER_BATCHES = """
import torch
import torch.utils.data as tud
torch.manual_seed(7)
xs = torch.linspace(0, 1, 7)
pairs = tud.TensorDataset(xs, xs * 3)
for nw in (1, 2, 4):
    dl = tud.DataLoader(pairs, batch_size=3, shuffle=True, num_workers=nw)
    for epoch in range(2):
        for i, (a, b) in enumerate(dl):
            print(nw, epoch, i, a, b.numpy())
    print(dl.num_workers, dl.prefetch_factor, type(iter(dl)).__name__, len(dl))
print(torch.rand(2))
"""

# Samples drawn inside __getitem__: each worker has its own seeded generators (torch,
# random, numpy) and its own copy of the dataset, and worker_init_fn runs in it first.
_WORKER_RANDOMNESS = """
import random
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info
torch.manual_seed(1)
random.seed(2)
np.random.seed(3)

class Jitter(Dataset):
    def __init__(self):
        self.seen = []
    def __len__(self):
        return 5
    def __getitem__(self, k):
        self.seen.append(k)
        info = get_worker_info()
        who = -1 if info is None else info.id * 10 + info.num_workers
        return torch.randn(2) + k, random.randint(0, 99), float(np.random.uniform()), who

def start(worker_id):
    random.seed(1000 + worker_id)

data = Jitter()
for nw, init in ((0, None), (2, None), (3, start)):
    for x, r, u, who in DataLoader(data, batch_size=2, num_workers=nw, worker_init_fn=init):
        print(nw, x, r, u, who)
print(sorted(data.seen), get_worker_info(), torch.randn(1), random.random(), np.random.rand())
"""


@pytest.mark.parametrize("program", [_WORKER_BATCHES, _WORKER_RANDOMNESS],
                         ids=["batches", "randomness"])
def test_loader_workers_load_what_pytorch_workers_load(program: str) -> None:
    assert gd_output(program) == torch_output(program)


# numpy's functions given a tensor: the shape and size numpy reads from the object, the
# ufuncs and method-calling functions that hand a tensor back, and the reductions that
# fail inside the tensor's method with PyTorch's TypeError.
_NUMPY_OF_TENSORS = """
import numpy as np
import torch
w = torch.tensor([[0.5, -1.25], [2.0, 3.5]])
print(np.shape(w), np.ndim(w), np.shape(w)[0])
print(np.exp(w), np.maximum(w, 0), np.add(np.ones(2, dtype=np.float32), w[0]))
print(np.isnan(w), np.sqrt(torch.arange(4)))
print(np.clip(w, 0, 2), np.round(w, 1), np.argmax(w), np.cumsum(w), np.transpose(w))
print(np.reshape(w, (4,)), np.squeeze(w[None]))
print(np.sum(w.numpy()), np.mean([1.0, 2.0]), np.array(w), np.ravel(w), np.sort(w))
for f in (np.sum, np.mean, np.max, np.amin, np.prod):
    try:
        f(w)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    np.sum(w, axis=0)
except TypeError as e:
    print(e)
"""


def test_numpy_functions_of_tensors_as_numpy_treats_them() -> None:
    assert gd_output(_NUMPY_OF_TENSORS) == torch_output(_NUMPY_OF_TENSORS)


def test_numpy_reductions_gd_cannot_reproduce_are_refused() -> None:
    program = "import numpy as np\nimport torch\nprint(np.std(torch.ones(3)))\n"
    assert "'numpy.std' of a torch tensor is not supported" in gd_output(program)
