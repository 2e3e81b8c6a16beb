"""The standard-library modules real PyTorch code imports: `random`, `itertools`,
`functools` and `collections`, with Python's meaning, behind allow-lists.

Each is Python's own code over gd values (gd functions are callable from the host, as
`sorted(key=...)` calls them), so results and messages are CPython's. What a program
cannot reach: `random`'s generator object and `getstate`, a partial's or cache's
attributes, OrderedDict and deque internals (their methods are allow-listed in
pymethods). Infinite or huge iterators (`count()`, `product(range(10**6), repeat=6)`)
count what they give against the length cap, so `list(count())` stops with a limit
error instead of filling memory. `random` is one generator per run, seeded 0 at the
start of every run (Python seeds its own from the OS: a program that prints random
values seeds it, and `random.seed(0)` gives Python's numbers).
"""

from __future__ import annotations

import collections
import functools
import itertools
import random as pyrandom
from collections.abc import Callable, Iterator
from typing import Any

from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, numpy_ns
from gradcli.interp.values import Builtin, IteratorValue, Namespace, type_name

#: Items an iterator may give before the length cap is checked again.
_CHECK_EVERY = 1 << 16


def _guarded(it: Iterator[Any], what: str) -> Iterator[Any]:
    """it, counting its items against the length cap (a list that long is refused)."""
    for n, v in enumerate(it, 1):
        if not n % _CHECK_EVERY:
            limits.check_length(n, what)
        yield v


def _iterable(x: Any, what: str) -> Any:
    """What Python's iter(x) walks (a tensor's rows, an array's rows, ...), as the
    built-ins read it."""
    from gradcli.interp.pybuiltins import _items as iterable_items

    return iterable_items(x, what)


def _lazy(name: str, fn: Callable[..., Iterator[Any]]) -> Builtin:
    """itertools.<name>: Python's, over gd iterables, as a guarded lazy iterator."""
    kind = f"itertools.{name}"

    def call(*args: Any, **kwargs: Any) -> IteratorValue:
        return IteratorValue(kind, _guarded(fn(*args, **kwargs), f"itertools.{name}()"))

    call.__doc__ = f"itertools.{name}, Python's own"
    return Builtin(kind, call)


def _over(fn: Callable[..., Iterator[Any]], *iterable_at: int) -> Callable[..., Any]:
    """fn with its iterable arguments (positions; all when none given) read as Python
    reads them."""
    def call(*args: Any, **kwargs: Any) -> Iterator[Any]:
        args = tuple(_iterable(a, fn.__name__ + "()") if not iterable_at or i in iterable_at
                     else a for i, a in enumerate(args))
        return fn(*args, **kwargs)

    call.__name__ = fn.__name__
    return call


def _itertools() -> Namespace:
    it = itertools
    members = {
        name: _lazy(name, fn) for name, fn in (
            ("product", _over(it.product)), ("permutations", _over(it.permutations, 0)),
            ("combinations", _over(it.combinations, 0)),
            ("combinations_with_replacement", _over(it.combinations_with_replacement, 0)),
            ("chain", _over(it.chain)), ("islice", _over(it.islice, 0)),
            ("accumulate", _over(it.accumulate, 0)), ("zip_longest", _over(it.zip_longest)),
            ("count", it.count), ("cycle", _over(it.cycle, 0)), ("repeat", it.repeat),
            ("starmap", _over(it.starmap, 1)), ("takewhile", _over(it.takewhile, 1)),
            ("dropwhile", _over(it.dropwhile, 1)), ("compress", _over(it.compress)),
            ("filterfalse", _over(it.filterfalse, 1)), ("pairwise", _over(it.pairwise, 0)),
            ("groupby", _groupby))}
    return Namespace("itertools", members)


def _groupby(iterable: Any, key: Any = None) -> Iterator[Any]:
    """itertools.groupby: (key, group) pairs, each group a list (Python's group iterator
    shares the input; a list gives the same items in a loop)."""
    for k, group in itertools.groupby(_iterable(iterable, "groupby()"), key):
        yield k, IteratorValue("itertools._grouper", iter(list(group)))


# -- functools ------------------------------------------------------------------------------

class Partial(Builtin):
    """functools.partial(fn, *args, **kwargs): callable; prints as Python's (no address)."""

    __slots__ = ("args", "keywords", "target")

    def __init__(self, fn: Any, *args: Any, **keywords: Any) -> None:
        if not callable(fn):
            raise GdRuntimeError("the first argument must be callable", py_type="TypeError")
        super().__init__("functools.partial", self._call, "functools.partial(func, ...)")
        self.target = fn
        self.args = args
        self.keywords = keywords

    def _call(self, *args: Any, **keywords: Any) -> Any:
        return self.target(*self.args, *args, **{**self.keywords, **keywords})

    def __repr__(self) -> str:
        inner = [repr(self.target), *map(repr, self.args),
                 *(f"{k}={v!r}" for k, v in self.keywords.items())]
        return f"functools.partial({', '.join(inner)})"


class Cached(Builtin):
    """A function under @functools.cache / @lru_cache: results kept by argument values
    (hashable ones, as Python requires); prints as the function."""

    __slots__ = ("maxsize", "results", "target")

    def __init__(self, fn: Any, maxsize: int | None = None) -> None:
        super().__init__(str(getattr(fn, "name", "function")), self._call, "cached")
        self.target = fn
        self.maxsize = maxsize
        self.results: collections.OrderedDict[Any, Any] = collections.OrderedDict()

    def _call(self, *args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            hash(key)
        except TypeError as e:
            raise GdRuntimeError(str(e), py_type="TypeError") from None
        if key in self.results:
            self.results.move_to_end(key)
            return self.results[key]
        value = self.target(*args, **kwargs)
        self.results[key] = value
        if self.maxsize is not None and len(self.results) > self.maxsize:
            self.results.popitem(last=False)
        return value

    def __repr__(self) -> str:
        return repr(self.target)


def _lru_cache(maxsize: Any = 128, typed: Any = False) -> Any:
    """functools.lru_cache(maxsize=128) as a decorator (or applied to a function)."""
    if callable(maxsize) and not isinstance(maxsize, bool):
        return Cached(maxsize, 128)
    if maxsize is not None and type(maxsize) is not int:
        raise GdRuntimeError("Expected first argument to be an integer, a callable, or None",
                             py_type="TypeError")
    return Builtin("functools.lru_cache.<decorator>",
                   lambda fn: Cached(fn, None if maxsize is None else max(maxsize, 0)))


def _reduce(fn: Any, iterable: Any, *initial: Any) -> Any:
    """functools.reduce(function, iterable[, initial]): Python's."""
    return functools.reduce(fn, _iterable(iterable, "reduce()"), *initial)


def _wraps(wrapped: Any, *args: Any, **kwargs: Any) -> Builtin:
    """functools.wraps(f): a decorator that leaves the wrapper as it is (gd functions
    carry no __name__/__doc__ for it to copy)."""
    return Builtin("functools.wraps.<decorator>", lambda fn: fn)


def _functools() -> Namespace:
    return Namespace("functools", {
        "reduce": Builtin("functools.reduce", _reduce),
        "partial": Builtin("functools.partial", Partial,
                           "functools.partial(func, *args, **keywords)"),
        "lru_cache": Builtin("functools.lru_cache", _lru_cache),
        "cache": Builtin("functools.cache", lambda fn: Cached(fn, None),
                         "functools.cache(fn): fn with its results kept"),
        "wraps": Builtin("functools.wraps", _wraps),
    })


# -- random ---------------------------------------------------------------------------------

#: This run's generator (replaced by reset()).
_RANDOM: list[pyrandom.Random] = [pyrandom.Random(0)]


def _seed(a: Any = None, version: Any = 2) -> None:
    """random.seed(a): Python's seeding of this run's generator (an int, float, str or
    bytes; None: seed 0 again, gd being deterministic)."""
    if a is not None and type(a) not in (int, float, str, bool):
        raise GdRuntimeError("The only supported seed types are: None, int, float, str, "
                             "bytes, and bytearray.", py_type="TypeError")
    _RANDOM[0].seed(0 if a is None else a, version)


def _choice(seq: Any) -> Any:
    """random.choice(seq): seq[randbelow(len(seq))], as Python indexes (a tensor's row)."""
    n = len(seq)
    if not n:
        raise GdRuntimeError("Cannot choose from an empty sequence", py_type="IndexError")
    return seq[_RANDOM[0].randrange(n)]


def _shuffle(x: Any) -> None:
    """random.shuffle(list): in place, Python's order."""
    if type(x) is not list:
        raise GdRuntimeError(f"random.shuffle takes a list in gd, not {type_name(x)}",
                             py_type="TypeError")
    _RANDOM[0].shuffle(x)


def _sample(population: Any, k: Any, *, counts: Any = None) -> list[Any]:
    """random.sample(population, k): k distinct items, Python's choice."""
    if type(population) not in (list, tuple, range, str):
        raise GdRuntimeError("Population must be a sequence.  For dicts or sets, use "
                             "sorted(d).", py_type="TypeError")
    limits.check_length(int(k), "random.sample()")
    return _RANDOM[0].sample(population, k, counts=counts)


def _choices(population: Any, weights: Any = None, *, cum_weights: Any = None,
             k: Any = 1) -> list[Any]:
    """random.choices(population, weights=None, *, cum_weights=None, k=1): Python's."""
    limits.check_length(int(k), "random.choices()")
    return _RANDOM[0].choices(population, weights, cum_weights=cum_weights, k=k)


def _random_module() -> Namespace:
    def method(name: str) -> Builtin:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(_RANDOM[0], name)(*args, **kwargs)

        call.__doc__ = f"random.{name}, Python's own"
        return Builtin(f"random.{name}", call)

    members: dict[str, Any] = {
        name: method(name) for name in (
            "random", "uniform", "randint", "randrange", "gauss", "normalvariate",
            "triangular", "betavariate", "expovariate", "gammavariate", "lognormvariate",
            "vonmisesvariate", "paretovariate", "weibullvariate", "getrandbits")}
    members.update({"seed": Builtin("random.seed", _seed),
                    "choice": Builtin("random.choice", _choice),
                    "choices": Builtin("random.choices", _choices),
                    "shuffle": Builtin("random.shuffle", _shuffle),
                    "sample": Builtin("random.sample", _sample)})
    return Namespace("random", members)


# -- warnings -------------------------------------------------------------------------------

_ACTIONS = ("default", "error", "ignore", "always", "all", "module", "once")


class _Silenced(set):  # type: ignore[type-arg]
    """State.warned while an "ignore" filter holds: every warning counts as given
    already. `shown`: the warnings given before, put back by reset()."""

    def __init__(self, shown: set[Any] | None) -> None:
        super().__init__()
        self.shown = shown

    def __contains__(self, key: object) -> bool:
        return True


def _filterwarnings(action: Any, *args: Any, **kwargs: Any) -> None:
    """warnings.filterwarnings / simplefilter: "ignore" silences the run's warnings (gd
    keeps one filter: the messages and categories of a filter are not told apart); the
    other actions leave them as they are."""
    if action not in _ACTIONS:
        raise GdRuntimeError(f"invalid action: {action!r}", py_type="AssertionError")
    if action == "ignore" and type(State.warned) is not _Silenced:
        State.warned = _Silenced(State.warned)


def _warn(message: Any, category: Any = None, stacklevel: Any = 1, *args: Any) -> None:
    """warnings.warn(message, category=UserWarning): on standard error, as gd's own."""
    name = getattr(category, "name", None) or "UserWarning"
    warn(str(message), name.rsplit(".", 1)[-1])


def _warnings() -> Namespace:
    return Namespace("warnings", {
        "filterwarnings": Builtin("warnings.filterwarnings", _filterwarnings),
        "simplefilter": Builtin("warnings.simplefilter", _filterwarnings,
                                "warnings.simplefilter(action): as filterwarnings"),
        "warn": Builtin("warnings.warn", _warn),
    })


def reset() -> None:
    """A new run: `random` and `np.random` start from seed 0 again, warnings are shown."""
    _RANDOM[0] = pyrandom.Random(0)
    numpy_ns.reset()
    if type(State.warned) is _Silenced:
        State.warned = State.warned.shown


def namespaces() -> dict[str, Namespace]:
    """The importable standard-library modules (and numpy), by dotted name."""
    from gradcli.interp import pycollections

    return {"random": _random_module(), "itertools": _itertools(),
            "functools": _functools(), "collections": pycollections.namespace(),
            "warnings": _warnings(),
            **numpy_ns.namespaces()}
