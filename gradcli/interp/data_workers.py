"""DataLoader(num_workers=N) in one process, loading what PyTorch's N worker processes load.

PyTorch hands the batches of an epoch to its workers in turn (batch k to worker k % N);
each worker is a fork of the program made when `iter(loader)` runs, so it fetches from its
own copy of the dataset, with its own random state: torch.manual_seed(base + id),
random.seed(base + id) and numpy seeded from (base, id), where base is the seed the
iterator drew in the main process. The main process pulls indices from the sampler ahead of
the workers (prefetch_factor * N batches at `iter(loader)`, then one more per batch
received). Here each batch is fetched in the main process in the worker's place: that
worker's copy of the dataset, its generators swapped in for the fetch and out again, its
worker_init_fn called before its first fetch, so the batches, and the main process's random
numbers, are PyTorch's. What a forked worker changes outside its dataset copy (a global a
__getitem__ appends to) is not kept apart.
"""

from __future__ import annotations

import random as host_random
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import numpy_ns, pyrandom
from gradcli.interp.values import GdObject, to_str

_MASK32 = 0xFFFFFFFF


def numpy_seed(base_seed: int, worker_id: int) -> list[int]:
    """The four 32-bit words a worker seeds numpy with (PyTorch's hash of base seed and
    worker id, the seed-sequence mixing of numpy's SeedSequence)."""
    mult_a = [0x43B0D7E5]

    def hashed(value: int) -> int:
        value = (value ^ mult_a[0]) & _MASK32
        mult_a[0] = (mult_a[0] * 0x931E8875) & _MASK32
        value = (value * mult_a[0]) & _MASK32
        return (value ^ (value >> 16)) & _MASK32

    def mixed(x: int, y: int) -> int:
        r = ((0xCA01F9DD * x) - (0x4973F715 * y)) & _MASK32
        return (r ^ (r >> 16)) & _MASK32

    pool = [hashed(v) for v in (worker_id, base_seed & _MASK32, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mixed(pool[dst], hashed(pool[src]))
    mult_b = 0x8B51F9DD
    words = []
    for v in pool:
        v = (v ^ mult_b) & _MASK32
        mult_b = (mult_b * 0x58F38DED) & _MASK32
        v = (v * mult_b) & _MASK32
        words.append((v ^ (v >> 16)) & _MASK32)
    return words


class WorkerInfo(GdObject):
    """What torch.utils.data.get_worker_info() returns inside a worker."""

    __slots__ = ("dataset", "id", "num_workers", "seed")

    def __init__(self, worker_id: int, num_workers: int, seed: int, dataset: Any) -> None:
        self.id = worker_id
        self.num_workers = num_workers
        self.seed = seed
        self.dataset = dataset

    def get_attr(self, name: str) -> Any:
        if name in ("id", "num_workers", "seed", "dataset"):
            return getattr(self, name)
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError("Cannot assign attributes to WorkerInfo objects",
                             py_type="RuntimeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return (f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed}, "
                f"dataset={to_str(self.dataset)})")

    def type_label(self) -> str:
        return "WorkerInfo"


#: The worker whose fetch is running (get_worker_info() answers it), or None.
CURRENT: list[WorkerInfo | None] = [None]


class _Worker:
    """One worker's copy of the dataset and its random states between its fetches."""

    __slots__ = ("info", "np_state", "py_rng", "started", "torch_state")

    def __init__(self, info: WorkerInfo, base_seed: int) -> None:
        self.info = info
        self.torch_state: Any = None  # seeded at the first fetch
        self.py_rng = host_random.Random()
        self.py_rng.seed(info.seed, 2)
        self.np_state = np.random.RandomState(numpy_seed(base_seed, info.id))
        self.started = False


def _dataset_copy(dataset: Any) -> Any:
    """The dataset as a forked worker has it: a copy (the dataset itself when it cannot
    be copied)."""
    from gradcli.interp.nn_copy import deepcopy

    try:
        return deepcopy(dataset)
    except GdError:
        return dataset


class WorkerPool:
    """The N workers of one `iter(loader)`."""

    __slots__ = ("base_seed", "init_fn", "workers")

    def __init__(self, dataset: Any, num_workers: int, base_seed: int,
                 init_fn: Callable[[int], Any] | None) -> None:
        self.base_seed = base_seed
        self.init_fn = init_fn
        self.workers = [_Worker(WorkerInfo(i, num_workers, base_seed + i, _dataset_copy(dataset)),
                                base_seed) for i in range(num_workers)]

    def fetch(self, batch_no: int, fetch: Callable[[Any], Any]) -> Any:
        """fetch(worker's dataset) run as worker batch_no % N runs it."""
        w = self.workers[batch_no % len(self.workers)]
        gen = ops.generator()
        main_torch = gen.get_state()
        main_py = pyrandom._RNG.rng
        main_np = numpy_ns._STATE[0]
        if w.torch_state is None:
            gen.manual_seed(w.info.seed)
        else:
            gen.set_state(w.torch_state)
        pyrandom._RNG.rng = w.py_rng
        numpy_ns._STATE[0] = w.np_state
        CURRENT[0] = w.info
        try:
            if not w.started:
                w.started = True
                if self.init_fn is not None:
                    self.init_fn(w.info.id)
            return fetch(w.info.dataset)
        finally:
            CURRENT[0] = None
            w.torch_state = gen.get_state()
            w.np_state = numpy_ns._STATE[0]
            numpy_ns._STATE[0] = main_np
            pyrandom._RNG.rng = main_py
            gen.set_state(main_torch)


def batches(pool: WorkerPool, indices: Iterator[Any], prefetch: int,
            fetch: Callable[[Any, Any], Any]) -> Iterator[Any]:
    """The epoch's batches: `prefetch` index batches pulled from the sampler now (as
    iter(loader) does), then one more per batch delivered; fetch(dataset, index) in the
    batch's worker."""
    queue: deque[Any] = deque()
    for _ in range(prefetch):
        nxt = next(indices, _END)
        if nxt is _END:
            break
        queue.append(nxt)
    return _deliver(pool, indices, queue, fetch)


_END = object()


def _deliver(pool: WorkerPool, indices: Iterator[Any], queue: deque[Any],
             fetch: Callable[[Any, Any], Any]) -> Iterator[Any]:
    k = 0
    while queue:
        index = queue.popleft()
        nxt = next(indices, _END)
        if nxt is not _END:
            queue.append(nxt)
        yield pool.fetch(k, lambda ds, index=index: fetch(ds, index))
        k += 1
