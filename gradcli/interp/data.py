"""torch.utils.data for gd programs: Dataset, TensorDataset, Subset, random_split, DataLoader.

The loader follows torch/utils/data (sampler.py, dataloader.py, _utils/collate.py) step by
step, as lazy generators in the same order, so it draws exactly what PyTorch draws: each
`iter(loader)` draws a base seed (`random_()` of a 0-d int64 tensor) from the loader's
generator or the default one; a shuffled loader, at its first batch, takes `randperm(n)`
from the loader's generator, or from a fresh generator seeded by one more such draw from
the default generator, and once the epoch's indices are used up one more (unused)
`randperm(n)`, as RandomSampler's `yield from randperm(n)[:0]` does. Batches are collated
as default_collate does (a tuple sample gives a list of stacked tensors). Every value is
made here, in order, so results equal PyTorch's; num_workers > 0 fetches each batch in
its worker's place (data_workers).

The values expose only the attributes in their tables (the sandbox): no `_private` name,
no dunder, no host method.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np

from gradcli.ad import dtypes, ops, state
from gradcli.ad.identity import object_repr
from gradcli.ad.rng import Generator
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import exceptions, operators
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.classes import ClassValue, InstanceValue
from gradcli.interp.values import (
    Builtin,
    GdObject,
    GeneratorValue,
    IteratorValue,
    Namespace,
    private_name_error,
    to_str,
    type_name,
)
from gradcli.suggest import did_you_mean

_UNSUPPORTED_HINT = "what gd supports is listed in README.md, section 'Values and built-ins'"


def _error(message: str, py_type: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def _unsupported(what: str, why: str) -> GdRuntimeError:
    return GdRuntimeError(f"'{what}' is not supported by gradcli ({why})",
                          hint=_UNSUPPORTED_HINT)


# -- the values ----------------------------------------------------------------------------

class DataValue(GdObject):
    """A torch.utils.data object: its public attributes from ATTRS, nothing else."""

    __slots__ = ()
    KIND = ""
    QUALNAME = ""  # PyTorch's name of the class: type(v) prints it
    ATTRS: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        getter = self.ATTRS.get(name)
        if getter is None:
            raise GdRuntimeError(f"'{self.KIND}' object has no attribute '{name}'",
                                 hint=did_you_mean(name, self.ATTRS), py_type="AttributeError")
        return getter(self)

    def set_attr(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.KIND}' value in gd")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr(self.QUALNAME, self)

    def type_label(self) -> str:
        return self.KIND


def length(dataset: Any) -> int:
    """len(dataset) as Python takes it (a tensor's first dimension, a gd class's __len__)."""
    try:
        return len(dataset)
    except TypeError:
        raise _error(f"object of type '{type_name(dataset)}' has no len()", "TypeError") \
            from None


def item(dataset: Any, index: Any) -> Any:
    """dataset[index] with gd's meaning of indexing."""
    if isinstance(dataset, GdObject) and not hasattr(type(dataset), "__getitem__"):
        raise _error(f"'{type_name(dataset)}' object is not subscriptable", "TypeError")
    return operators.get_item(dataset, index)


class DatasetValue(DataValue):
    """A built-in dataset: iterable as Python's sequence protocol walks it (self[0],
    self[1], ... until an IndexError), as a PyTorch dataset is."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Any]:
        i = 0
        while True:
            try:
                v = self[i]
            except IndexError:
                return
            except GdError as e:
                exc = exceptions.exception_of(e)
                if exc is not None and exc.cls.is_subclass_of(exceptions.CLASSES["IndexError"]):
                    return
                raise
            yield v
            i += 1


class TensorDataset(DatasetValue):
    """TensorDataset(*tensors): sample i is the tuple of each tensor's row i."""

    __slots__ = ("tensors",)
    KIND = "TensorDataset"
    QUALNAME = "torch.utils.data.dataset.TensorDataset"

    def __init__(self, tensors: tuple[Tensor, ...]) -> None:
        self.tensors = tensors

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return tuple(item(t, index) for t in self.tensors)


TensorDataset.ATTRS = {"tensors": lambda d: d.tensors}


def make_tensor_dataset(*tensors: Any) -> TensorDataset:
    """TensorDataset(*tensors): a dataset of the tensors' rows (equal first dimensions)."""
    if not tensors:
        raise _error("tuple index out of range", "IndexError")
    for t in tensors:
        if type(t) is not Tensor:
            raise _error(f"'{type_name(t)}' object has no attribute 'size'", "AttributeError")
        if not t.ndim:
            raise _error("Dimension specified as 0 but tensor has no dimensions", "IndexError")
    if any(t.shape[0] != tensors[0].shape[0] for t in tensors):
        raise _error("Size mismatch between tensors", "AssertionError")
    return TensorDataset(tensors)


class Subset(DatasetValue):
    """Subset(dataset, indices): the samples of dataset at indices."""

    __slots__ = ("dataset", "indices")
    KIND = "Subset"
    QUALNAME = "torch.utils.data.dataset.Subset"

    def __init__(self, dataset: Any, indices: Any) -> None:
        self.dataset = dataset
        self.indices = indices

    def __len__(self) -> int:
        return length(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if type(index) is list:
            return item(self.dataset, [item(self.indices, i) for i in index])
        return item(self.dataset, item(self.indices, index))


Subset.ATTRS = {"dataset": lambda s: s.dataset, "indices": lambda s: s.indices}


def random_split(dataset: Any, lengths: Any, generator: Any = None) -> list[Subset]:
    """random_split(dataset, lengths or fractions, generator=None): non-overlapping Subsets,
    from randperm(len(dataset)) as PyTorch draws it."""
    lengths = list(operators.iterate(lengths))
    total = sum(lengths)
    n = length(dataset)
    if math.isclose(total, 1) and total <= 1:
        sizes = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise _error(f"Fraction at index {i} is not between 0 and 1", "ValueError")
            sizes.append(math.floor(n * frac))
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
        for i, size in enumerate(lengths):
            if size == 0:
                state.warn(f"Length of split at index {i} is 0. This might result in an "
                           "empty dataset.")
    if sum(lengths) != n:
        raise _error("Sum of input lengths does not equal the length of the input dataset!",
                     "ValueError")
    indices = _generator(generator).randperm(int(sum(lengths))).tolist()
    out = []
    for offset, size in zip(itertools.accumulate(lengths), lengths, strict=True):
        out.append(Subset(dataset, indices[offset - size:offset]))
    return out


def _generator(g: Any) -> Generator:
    """The generator a `generator=` argument names (None and torch.manual_seed's result:
    the default one)."""
    if g is None or type(g) is GeneratorValue:
        return ops.generator()
    if not isinstance(g, Generator):
        raise _error(f"random_(): argument 'generator' must be torch.Generator, not "
                     f"{type_name(g)}", "TypeError")
    return g


# -- collation (torch/utils/data/_utils/collate.py) ----------------------------------------

_COLLATE_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, "
                  "dicts or lists; found {}")


def _class_of(v: Any) -> str:
    if v is None:
        return "<class 'NoneType'>"
    if isinstance(v, InstanceValue):
        return f"<class '__main__.{v.cls.name}'>"
    return f"<class '{type_name(v)}'>"


def default_collate(batch: Any) -> Any:
    """default_collate(batch): tensors stacked, numbers made tensors, tuples, lists and
    dicts collated member by member; strings stay the batch as given (a tuple of one
    column of tuple samples, as zip made it)."""
    given = batch
    batch = list(operators.iterate(batch))
    elem = batch[0]
    t = type(elem)
    if t is Tensor:
        return ops.stack(batch, 0)
    if t is ArrayValue and isinstance(elem.value, np.ndarray):
        if elem.value.dtype.kind in "OSU":
            raise _error(_COLLATE_ERROR.format(elem.value.dtype), "TypeError")
        return default_collate([ops.as_tensor(b.value) for b in batch])
    if t is float:
        return ops.tensor(batch, dtype=dtypes.float64)
    if t is int or t is bool:
        return ops.tensor(batch)
    if t is str:
        return given if type(given) in (list, tuple) else batch
    if t is dict:
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if t is tuple or t is list:
        size = len(elem)
        if not all(length(e) == size for e in batch[1:]):
            raise _error("each element in list of batch should be of equal size",
                         "RuntimeError")
        columns = zip(*(operators.iterate(e) for e in batch), strict=False)
        return [default_collate(c) for c in columns]
    raise _error(_COLLATE_ERROR.format(_class_of(elem)), "TypeError")


def default_convert(data: Any) -> Any:
    """default_convert(data): numpy arrays made tensors, inside tuples, lists and dicts;
    a tuple becomes a list (batch_size=None loading)."""
    t = type(data)
    if t is ArrayValue:
        return ops.as_tensor(data.value)
    if t is dict:
        return {key: default_convert(v) for key, v in data.items()}
    if t is tuple or t is list:
        return [default_convert(d) for d in data]
    return data


# -- DataLoader ----------------------------------------------------------------------------

def _batches(indices: Iterator[int], batch_size: int, drop_last: bool) -> Iterator[list[int]]:
    """BatchSampler.__iter__."""
    if drop_last:
        for batch in zip(*[indices] * batch_size, strict=False):
            yield [*batch]
    else:
        batch = [*itertools.islice(indices, batch_size)]
        while batch:
            yield batch
            batch = [*itertools.islice(indices, batch_size)]


class LoaderIterator(IteratorValue):
    """What iter(loader) gives: the batches of one epoch."""

    __slots__ = ("loader",)
    QUALNAME = "torch.utils.data.dataloader._SingleProcessDataLoaderIter"

    def __new__(cls, *args: Any) -> LoaderIterator:
        return object.__new__(cls)

    def __init__(self, loader: DataLoader, it: Iterator[Any]) -> None:
        super().__init__(type(self).__name__, it)
        self.loader = loader

    def __len__(self) -> int:
        return len(self.loader)

    def __repr__(self) -> str:
        return object_repr(self.QUALNAME, self)


LoaderIterator.__name__ = "_SingleProcessDataLoaderIter"  # as Python's messages name it


class WorkersIterator(LoaderIterator):
    """What iter(loader) gives when the loader has workers."""

    __slots__ = ()
    QUALNAME = "torch.utils.data.dataloader._MultiProcessingDataLoaderIter"


WorkersIterator.__name__ = "_MultiProcessingDataLoaderIter"


class DataLoader(DataValue):
    """DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler, ...): batches of a
    map-style dataset by its index sampler, or of an iterable dataset's items."""

    __slots__ = ("batch_sampler", "batch_size", "collate_fn", "dataset", "drop_last",
                 "generator", "iterable", "num_workers", "persistent", "pin_memory", "pool",
                 "prefetch_factor", "sampler", "shuffle", "timeout", "worker_init_fn")
    KIND = "DataLoader"
    QUALNAME = "torch.utils.data.dataloader.DataLoader"

    def __init__(self, dataset: Any, batch_size: Any, shuffle: bool, collate_fn: Any,
                 pin_memory: bool, drop_last: Any, generator: Any, sampler: Any = None,
                 batch_sampler: Any = None, iterable: bool = False, num_workers: int = 0,
                 worker_init_fn: Any = None, prefetch_factor: Any = None,
                 timeout: Any = 0) -> None:
        self.dataset = dataset
        self.num_workers = num_workers
        self.worker_init_fn = worker_init_fn
        self.prefetch_factor = prefetch_factor
        self.timeout = timeout
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.collate_fn = collate_fn
        self.pin_memory = pin_memory
        self.drop_last = drop_last
        self.generator = generator
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.iterable = iterable
        self.persistent = False  # persistent_workers=True: the pool outlives its epoch
        self.pool: Any = None

    @property
    def auto_collation(self) -> bool:
        """Whether samples are fetched and collated in batches."""
        return self.batch_sampler is not None or (self.iterable and self.batch_size is not None)

    def __len__(self) -> int:
        if self.iterable:
            d = self.dataset
            if isinstance(d, InstanceValue) and d.cls.lookup("__len__") is None:
                # Python's TypeError: list(loader) then takes no length hint, as there.
                raise TypeError(f"object of type '{d.cls.name}' has no len()")
            try:
                n = length(d)
            except GdRuntimeError as e:  # a ChainDataset of unsized streams: the same
                if e.py_type != "TypeError":
                    raise
                raise TypeError(e.message) from None
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return length(self.batch_sampler if self.auto_collation else self.sampler)

    def _indices(self) -> Iterator[Any]:
        """The index sampler's iterator, made as iter(loader) makes it (a program's own
        sampler runs its __iter__ now; the built-in ones start drawing at the first
        batch)."""
        return iter(operators.iterate(self.batch_sampler if self.auto_collation
                                      else self.sampler))

    def __iter__(self) -> LoaderIterator:
        indices = None if self.iterable else self._indices()
        if self.pin_memory:
            state.warn("'pin_memory' argument is set as true but no accelerator is found, "
                       "then device pinned memory won't be used.", once=True)
        if self.pool is not None:  # persistent workers: _reset, no new base seed drawn
            assert indices is not None
            return WorkersIterator(self, self._worker_batches(indices, 0))
        # _BaseDataLoaderIter's base seed
        base_seed = int(_generator(self.generator).random_full((), "int64"))
        if self.iterable:
            return LoaderIterator(self, self._iterable_batches())
        assert indices is not None
        if self.num_workers:
            return WorkersIterator(self, self._worker_batches(indices, base_seed))
        if not self.auto_collation:
            return LoaderIterator(self, (self._collate(item(self.dataset, i))
                                         for i in indices))
        return LoaderIterator(self, (self._collate([item(self.dataset, i) for i in b])
                                     for b in indices))

    def _worker_batches(self, indices: Iterator[Any], base_seed: int) -> Iterator[Any]:
        """The batches as num_workers worker processes load them (data_workers)."""
        from gradcli.interp import data_workers

        pool = self.pool or data_workers.WorkerPool(self.dataset, self.num_workers,
                                                    base_seed, self.worker_init_fn)
        if self.persistent:  # the workers, their dataset copies and random states stay;
            self.pool = pool  # each epoch starts again at worker 0
        if self.auto_collation:
            def fetch(ds: Any, b: Any) -> Any:
                return self._collate([item(ds, i) for i in b])
        else:
            def fetch(ds: Any, i: Any) -> Any:
                return self._collate(item(ds, i))
        return data_workers.batches(pool, indices, self.prefetch_factor * self.num_workers,
                                    fetch)

    def _iterable_batches(self) -> Iterator[Any]:
        it = iter(operators.iterate(self.dataset))
        if self.batch_size is None:
            for sample in it:
                yield self._collate(sample)
            return
        while True:
            batch = list(itertools.islice(it, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield self._collate(batch)

    def set_attr(self, name: str, value: Any) -> None:
        if name in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                    "persistent_workers"):
            raise _error(f"{name} attribute should not be set after DataLoader is "
                         "initialized", "ValueError")
        super().set_attr(name, value)

    def _collate(self, data: Any) -> Any:
        if self.collate_fn is not None:
            return self.collate_fn(data)
        return default_collate(data) if self.auto_collation else default_convert(data)


DataLoader.ATTRS = {
    "dataset": lambda d: d.dataset, "batch_size": lambda d: d.batch_size,
    "drop_last": lambda d: d.drop_last, "num_workers": lambda d: d.num_workers,
    "pin_memory": lambda d: d.pin_memory, "generator": lambda d: d.generator,
    "timeout": lambda d: d.timeout, "persistent_workers": lambda d: d.persistent,
    "prefetch_factor": lambda d: d.prefetch_factor, "sampler": lambda d: d.sampler,
    "worker_init_fn": lambda d: d.worker_init_fn,
    "batch_sampler": lambda d: d.batch_sampler,
}


def make_loader(dataset: Any, batch_size: Any = 1, shuffle: Any = None, sampler: Any = None,
                batch_sampler: Any = None, num_workers: Any = 0, collate_fn: Any = None,
                pin_memory: Any = False, drop_last: Any = False, timeout: Any = 0,
                worker_init_fn: Any = None, multiprocessing_context: Any = None,
                generator: Any = None, *, prefetch_factor: Any = None,
                persistent_workers: Any = False, pin_memory_device: Any = "",
                in_order: Any = True) -> DataLoader:
    """DataLoader(dataset, batch_size=1, shuffle=False, ..., drop_last=False,
    generator=None): single-process loading of a map-style dataset."""
    if num_workers < 0:
        raise _error("num_workers option should be non-negative; use num_workers=0 to "
                     "disable multiprocessing.", "ValueError")
    if timeout < 0:
        raise _error("timeout option should be non-negative", "ValueError")
    if num_workers > 0:
        _check_workers(dataset, prefetch_factor, persistent_workers, multiprocessing_context)
        if prefetch_factor is None:
            prefetch_factor = 2
    elif prefetch_factor is not None:
        raise _error("prefetch_factor option could only be specified in multiprocessing.let "
                     "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor "
                     "to None.", "ValueError")
    if persistent_workers and not num_workers:
        raise _error("persistent_workers option needs num_workers > 0", "ValueError")
    if multiprocessing_context is not None and not num_workers:
        raise _error("multiprocessing_context can only be used with multi-process loading "
                     "(num_workers > 0), but got num_workers=0", "ValueError")
    from gradcli.interp import data_samplers as S

    iterable = S.is_iterable_dataset(dataset)
    if iterable:
        if shuffle not in (False, None):
            raise _error("DataLoader with IterableDataset: expected unspecified shuffle "
                         f"option, but got shuffle={to_str(shuffle)}", "ValueError")
        if sampler is not None:
            raise _error("DataLoader with IterableDataset: expected unspecified sampler "
                         f"option, but got sampler={to_str(sampler)}", "ValueError")
        if batch_sampler is not None:
            raise _error("DataLoader with IterableDataset: expected unspecified "
                         f"batch_sampler option, but got batch_sampler={to_str(batch_sampler)}",
                         "ValueError")
    shuffle = operators.truth(shuffle) if shuffle is not None else False
    if sampler is not None and shuffle:
        raise _error("sampler option is mutually exclusive with shuffle", "ValueError")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise _error("batch_sampler option is mutually exclusive with batch_size, "
                         "shuffle, sampler, and drop_last", "ValueError")
        batch_size = None
        drop_last = False
    elif batch_size is None and drop_last:
        raise _error("batch_size=None option disables auto-batching and is mutually "
                     "exclusive with drop_last", "ValueError")
    if batch_size is not None:
        if type(batch_size) is not int or batch_size <= 0:
            raise _error(f"batch_size should be a positive integer value, but got "
                         f"batch_size={to_str(batch_size)}", "ValueError")
        if type(drop_last) is not bool:
            raise _error(f"drop_last should be a boolean value, but got "
                         f"drop_last={to_str(drop_last)}", "ValueError")
    if generator is not None:
        _generator(generator)
    if not iterable:
        if sampler is None:
            sampler = (S.RandomSampler(dataset, generator=generator) if shuffle
                       else S.SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None:
            batch_sampler = S.BatchSampler(sampler, batch_size, drop_last)
    loader = DataLoader(dataset, batch_size, shuffle, collate_fn, operators.truth(pin_memory),
                        drop_last, generator, sampler, batch_sampler, iterable, num_workers,
                        worker_init_fn, prefetch_factor, timeout)
    loader.persistent = bool(persistent_workers) and num_workers > 0
    return loader


def _check_workers(dataset: Any, prefetch_factor: Any, persistent_workers: Any,
                   multiprocessing_context: Any) -> None:
    """What gd's in-process worker loading (data_workers) does not reproduce."""
    from gradcli.interp import data_samplers as S

    why = "gd loads in one process what the workers would load"
    if S.is_iterable_dataset(dataset):
        raise _unsupported("DataLoader(IterableDataset, num_workers=...)", why)
    if prefetch_factor is not None and prefetch_factor < 0:
        raise _error("prefetch_factor option should be non-negative", "ValueError")
    if multiprocessing_context is not None:
        raise _unsupported("DataLoader(multiprocessing_context=...)", why)


def get_worker_info() -> Any:
    """get_worker_info(): in a loader's worker, its WorkerInfo; else None."""
    from gradcli.interp.data_workers import CURRENT

    return CURRENT[0]


# -- the classes as gd sees them -----------------------------------------------------------

class DataClass(Builtin):
    """A torch.utils.data class gd makes objects of: a constructor printing as the class."""

    __slots__ = ("kind",)
    is_class = True

    def __init__(self, kind: type[DataValue], fn: Callable[..., Any], doc: str = "") -> None:
        super().__init__(f"torch.utils.data.{kind.KIND}", fn, doc)
        self.kind = kind

    def instance_check(self, v: Any) -> bool:
        """isinstance(v, this class)."""
        return isinstance(v, self.kind)

    def subclass_check(self, c: Any) -> bool:
        """issubclass(c, this class) of another of these classes."""
        return isinstance(c, DataClass) and issubclass(c.kind, self.kind)

    def __repr__(self) -> str:
        return f"<class '{self.kind.QUALNAME}'>"


class DatasetClass(ClassValue):
    """torch.utils.data.Dataset: the base class of a gd dataset class (`class D(Dataset)`,
    defining __len__ and __getitem__). Shared by every program, so it cannot be changed."""

    __slots__ = ()

    def set_attr(self, name: str, value: Any) -> None:
        raise _error(f"cannot set '{name}' attribute of immutable type 'Dataset' in gd",
                     "TypeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return "<class 'torch.utils.data.dataset.Dataset'>"

    def instance_check(self, v: Any) -> bool:
        """isinstance(v, Dataset) of a built-in dataset (a gd class's instances: its chain)."""
        return isinstance(v, DatasetValue)

    def subclass_check(self, c: Any) -> bool:
        """issubclass(c, Dataset): a gd class deriving from it, or a built-in dataset class
        (TensorDataset, Subset...)."""
        if isinstance(c, ClassValue):
            return c.is_subclass(self)
        return isinstance(c, DataClass) and issubclass(c.kind, DatasetValue)


DATASET = DatasetClass("Dataset", (), {}, False)


def namespaces() -> dict[str, Namespace]:
    """torch.utils, torch.utils.data and its dataset and dataloader modules, by name."""
    classes = {
        "Dataset": DATASET,
        "TensorDataset": DataClass(TensorDataset, make_tensor_dataset),
        "Subset": DataClass(Subset, Subset,
                            "Subset(dataset, indices): the samples of dataset at indices"),
        "DataLoader": DataClass(DataLoader, make_loader),
    }
    from gradcli.interp.data_samplers import classes as more

    extra = more()
    classes.update(extra)
    functions = {name: Builtin(f"torch.utils.data.{name}", fn) for name, fn in (
        ("random_split", random_split), ("default_collate", default_collate),
        ("default_convert", default_convert), ("get_worker_info", get_worker_info))}
    dataset = Namespace("torch.utils.data.dataset", {
        "Dataset": DATASET, "TensorDataset": classes["TensorDataset"],
        **{k: extra[k] for k in ("IterableDataset", "ConcatDataset", "ChainDataset",
                                 "StackDataset")},
        "Subset": classes["Subset"], "random_split": functions["random_split"]})
    dataloader = Namespace("torch.utils.data.dataloader", {
        "DataLoader": classes["DataLoader"], "default_collate": functions["default_collate"],
        "default_convert": functions["default_convert"]})
    sampler = Namespace("torch.utils.data.sampler", {
        k: extra[k] for k in ("Sampler", "SequentialSampler", "RandomSampler",
                              "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler")})
    data = Namespace("torch.utils.data", {**classes, **functions, "dataset": dataset,
                                          "dataloader": dataloader, "sampler": sampler})
    return {"torch.utils": Namespace("torch.utils", {"data": data}), "torch.utils.data": data,
            "torch.utils.data.dataset": dataset, "torch.utils.data.dataloader": dataloader,
            "torch.utils.data.sampler": sampler}
