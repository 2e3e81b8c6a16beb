"""torch.utils.data's samplers and dataset combinators for gd programs: Sampler (a base
class), SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler,
BatchSampler; IterableDataset (a base class), ConcatDataset, ChainDataset, StackDataset.

Each sampler is PyTorch's sampler.py step by step, as a lazy generator drawing in the same
order from the same generator (a RandomSampler without one seeds a fresh generator from a
draw of the default one when its iteration starts), so seeded programs print the same.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.ops.random import multinomial
from gradcli.ad.rng import Generator
from gradcli.ad.tensor import Tensor
from gradcli.interp import operators
from gradcli.interp.classes import NATIVE_DUNDERS, ClassValue, InstanceValue
from gradcli.interp.data import (
    DATASET,
    DatasetValue,
    DataValue,
    _batches,
    _error,
    _generator,
    item,
    length,
)
from gradcli.interp.values import to_str


class SamplerValue(DataValue):
    """A built-in sampler: iterable (a new pass each time) with a length."""

    __slots__ = ()

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class SequentialSampler(SamplerValue):
    """SequentialSampler(data_source): 0, 1, ..., len - 1."""

    __slots__ = ("data_source",)
    KIND = "SequentialSampler"
    QUALNAME = "torch.utils.data.sampler.SequentialSampler"

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(length(self.data_source)))

    def __len__(self) -> int:
        return length(self.data_source)


SequentialSampler.ATTRS = {"data_source": lambda s: s.data_source}


class RandomSampler(SamplerValue):
    """RandomSampler(data_source, replacement=False, num_samples=None, generator=None)."""

    __slots__ = ("_num_samples", "data_source", "generator", "replacement")
    KIND = "RandomSampler"
    QUALNAME = "torch.utils.data.sampler.RandomSampler"

    def __init__(self, data_source: Any, replacement: Any = False, num_samples: Any = None,
                 generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if type(replacement) is not bool:
            raise _error("replacement should be a boolean value, but got replacement="
                         f"{to_str(replacement)}", "TypeError")
        n = self.num_samples
        if type(n) is not int or n <= 0:
            raise _error("num_samples should be a positive integer value, but got "
                         f"num_samples={to_str(n)}", "ValueError")
        if generator is not None:
            _generator(generator)

    @property
    def num_samples(self) -> Any:
        """The samples drawn per pass (len(data_source) unless given)."""
        return length(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = length(self.data_source)
        if self.generator is None:
            g = Generator(int(ops.generator().random_full((), "int64")))
        else:
            g = _generator(self.generator)
        total = self.num_samples
        if self.replacement:
            for _ in range(total // 32):
                yield from g.randint(0, n, (32,)).tolist()
            yield from g.randint(0, n, (total % 32,)).tolist()
        else:
            for _ in range(total // n):
                yield from g.randperm(n).tolist()
            yield from g.randperm(n).tolist()[:total % n]

    def __len__(self) -> int:
        return self.num_samples


RandomSampler.ATTRS = {"data_source": lambda s: s.data_source,
                       "replacement": lambda s: s.replacement,
                       "num_samples": lambda s: s.num_samples,
                       "generator": lambda s: s.generator}


class SubsetRandomSampler(SamplerValue):
    """SubsetRandomSampler(indices, generator=None): the indices in a random order."""

    __slots__ = ("generator", "indices")
    KIND = "SubsetRandomSampler"
    QUALNAME = "torch.utils.data.sampler.SubsetRandomSampler"

    def __init__(self, indices: Any, generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[Any]:
        order = _generator(self.generator).randperm(length(self.indices)).tolist()
        for i in order:
            yield item(self.indices, Tensor(np.asarray(i, dtype=np.int64)))

    def __len__(self) -> int:
        return length(self.indices)


SubsetRandomSampler.ATTRS = {"indices": lambda s: s.indices,
                             "generator": lambda s: s.generator}


class WeightedRandomSampler(SamplerValue):
    """WeightedRandomSampler(weights, num_samples, replacement=True, generator=None)."""

    __slots__ = ("generator", "num_samples", "replacement", "weights")
    KIND = "WeightedRandomSampler"
    QUALNAME = "torch.utils.data.sampler.WeightedRandomSampler"

    def __init__(self, weights: Any, num_samples: Any, replacement: Any = True,
                 generator: Any = None) -> None:
        if type(num_samples) is not int or num_samples <= 0:
            raise _error("num_samples should be a positive integer value, but got "
                         f"num_samples={to_str(num_samples)}", "ValueError")
        if type(replacement) is not bool:
            raise _error("replacement should be a boolean value, but got replacement="
                         f"{to_str(replacement)}", "ValueError")
        w = ops.as_tensor(weights, dtype=dtypes.float64)
        if w.ndim != 1:
            raise _error("weights should be a 1d sequence but given weights have shape "
                         f"{tuple(w.shape)}", "ValueError")
        self.weights = w
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        gen = None if self.generator is None else _generator(self.generator)
        drawn = multinomial(self.weights, self.num_samples, self.replacement,
                                generator=gen)
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


WeightedRandomSampler.ATTRS = {"weights": lambda s: s.weights,
                               "num_samples": lambda s: s.num_samples,
                               "replacement": lambda s: s.replacement,
                               "generator": lambda s: s.generator}


class BatchSampler(SamplerValue):
    """BatchSampler(sampler, batch_size, drop_last): the sampler's indices in lists."""

    __slots__ = ("batch_size", "drop_last", "sampler")
    KIND = "BatchSampler"
    QUALNAME = "torch.utils.data.sampler.BatchSampler"

    def __init__(self, sampler: Any, batch_size: Any, drop_last: Any) -> None:
        if type(batch_size) is not int or batch_size <= 0:
            raise _error("batch_size should be a positive integer value, but got "
                         f"batch_size={to_str(batch_size)}", "ValueError")
        if type(drop_last) is not bool:
            raise _error("drop_last should be a boolean value, but got "
                         f"drop_last={to_str(drop_last)}", "ValueError")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[Any]]:
        yield from _batches(iter(operators.iterate(self.sampler)), self.batch_size,
                            self.drop_last)

    def __len__(self) -> int:
        n = length(self.sampler)
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size


BatchSampler.ATTRS = {"sampler": lambda s: s.sampler, "batch_size": lambda s: s.batch_size,
                      "drop_last": lambda s: s.drop_last}


# -- the base classes a program subclasses ---------------------------------------------------

class BaseClass(ClassValue):
    """A torch.utils.data base class (Sampler, IterableDataset): a gd class derives from it
    and defines __iter__ (and __len__); shared by every program, so read-only."""

    __slots__ = ("kinds", "qualname")

    def __init__(self, name: str, qualname: str, kinds: tuple[type, ...]) -> None:
        super().__init__(name, (), {}, False)
        self.qualname = qualname
        self.kinds = kinds

    def set_attr(self, name: str, value: Any) -> None:
        raise _error(f"cannot set '{name}' attribute of immutable type '{self.name}' in gd",
                     "TypeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return f"<class '{self.qualname}'>"

    def instance_check(self, v: Any) -> bool:
        """isinstance(v, this class) of a built-in value (gd instances: their chain)."""
        return isinstance(v, self.kinds)


SAMPLER = BaseClass("Sampler", "torch.utils.data.sampler.Sampler", (SamplerValue,))


class ChainDataset(DataValue):
    """ChainDataset(datasets): the iterable datasets one after another."""

    __slots__ = ("datasets",)
    KIND = "ChainDataset"
    QUALNAME = "torch.utils.data.dataset.ChainDataset"

    def __init__(self, datasets: Any) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in operators.iterate(self.datasets):
            if not is_iterable_dataset(d):
                raise _error("ChainDataset only supports IterableDataset", "AssertionError")
            yield from operators.iterate(d)

    def __add__(self, other: Any) -> ChainDataset:
        return ChainDataset([self, other])

    def __len__(self) -> int:
        total = 0
        for d in operators.iterate(self.datasets):
            if not is_iterable_dataset(d):
                raise _error("ChainDataset only supports IterableDataset", "AssertionError")
            total += length(d)
        return total


ChainDataset.ATTRS = {"datasets": lambda d: d.datasets}

ITERABLE_DATASET = BaseClass("IterableDataset", "torch.utils.data.dataset.IterableDataset",
                             (ChainDataset,))


def _chain(self: Any, other: Any) -> ChainDataset:
    """IterableDataset.__add__: the two streams one after the other."""
    return ChainDataset([self, other])


def _concat(self: Any, other: Any) -> ConcatDataset:
    """Dataset.__add__: the two map-style datasets end to end."""
    return ConcatDataset([self, other])


def _dataset_add(self: Any, other: Any) -> Any:
    """ds + other for a map-style dataset (DatasetValue.__add__ too)."""
    return _concat(self, other)


NATIVE_DUNDERS[id(DATASET)] = {"__add__": _concat}
NATIVE_DUNDERS[id(ITERABLE_DATASET)] = {"__add__": _chain}
DatasetValue.__add__ = _dataset_add  # type: ignore[attr-defined]  # TensorDataset + ...


def is_iterable_dataset(v: Any) -> bool:
    """An IterableDataset: a ChainDataset or an instance of a gd subclass."""
    return isinstance(v, ChainDataset) or (isinstance(v, InstanceValue)
                                          and v.cls.is_subclass(ITERABLE_DATASET))


class ConcatDataset(DatasetValue):
    """ConcatDataset(datasets): map-style datasets end to end."""

    __slots__ = ("cumulative_sizes", "datasets")
    KIND = "ConcatDataset"
    QUALNAME = "torch.utils.data.dataset.ConcatDataset"

    def __init__(self, datasets: Any) -> None:
        self.datasets = list(operators.iterate(datasets))
        if not self.datasets:
            raise _error("datasets should not be an empty iterable", "AssertionError")
        for d in self.datasets:
            if is_iterable_dataset(d):
                raise _error("ConcatDataset does not support IterableDataset",
                             "AssertionError")
        sizes, total = [], 0
        for d in self.datasets:
            total += length(d)
            sizes.append(total)
        self.cumulative_sizes = sizes

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: Any) -> Any:
        if idx < 0:
            if -idx > len(self):
                raise _error("absolute value of index should not exceed dataset length",
                             "ValueError")
            idx = len(self) + idx
        i = bisect.bisect_right(self.cumulative_sizes, idx)
        if i >= len(self.datasets):
            raise _error("list index out of range", "IndexError")
        sample = idx if i == 0 else idx - self.cumulative_sizes[i - 1]
        return item(self.datasets[i], sample)


ConcatDataset.ATTRS = {"datasets": lambda d: d.datasets,
                       "cumulative_sizes": lambda d: d.cumulative_sizes}


class StackDataset(DatasetValue):
    """StackDataset(*datasets) or (**datasets): sample i is the tuple (or dict) of each
    dataset's sample i."""

    __slots__ = ("_length", "datasets")
    KIND = "StackDataset"
    QUALNAME = "torch.utils.data.dataset.StackDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            if kwargs:
                raise _error("Supported either ``tuple``- (via ``args``) or``dict``- (via "
                             "``kwargs``) like input/output, but both types are given.",
                             "ValueError")
            self._length = length(args[0])
            if any(self._length != length(d) for d in args):
                raise _error("Size mismatch between datasets", "ValueError")
            self.datasets: Any = args
        elif kwargs:
            values = list(kwargs.values())
            self._length = length(values[0])
            if any(self._length != length(d) for d in values):
                raise _error("Size mismatch between datasets", "ValueError")
            self.datasets = kwargs
        else:
            raise _error("At least one dataset should be passed", "ValueError")

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        if type(self.datasets) is dict:
            return {k: item(d, index) for k, d in self.datasets.items()}
        return tuple(item(d, index) for d in self.datasets)


StackDataset.ATTRS = {"datasets": lambda d: d.datasets}


def classes() -> dict[str, Any]:
    """These members of torch.utils.data (their classes, printing as PyTorch's)."""
    from gradcli.interp.data import DataClass

    made: dict[str, Any] = {"Sampler": SAMPLER, "IterableDataset": ITERABLE_DATASET}
    for kind, doc in (
            (SequentialSampler, "SequentialSampler(data_source): indices in order"),
            (RandomSampler, "RandomSampler(data_source, replacement=False, num_samples=None, "
                            "generator=None): indices in a random order"),
            (SubsetRandomSampler, "SubsetRandomSampler(indices, generator=None)"),
            (WeightedRandomSampler, "WeightedRandomSampler(weights, num_samples, "
                                    "replacement=True, generator=None)"),
            (BatchSampler, "BatchSampler(sampler, batch_size, drop_last): index batches"),
            (ConcatDataset, "ConcatDataset(datasets): datasets end to end"),
            (ChainDataset, "ChainDataset(datasets): iterable datasets one after another"),
            (StackDataset, "StackDataset(*datasets, **datasets): samples side by side")):
        made[kind.KIND] = DataClass(kind, kind, doc)
    return made
