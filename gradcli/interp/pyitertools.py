"""`import itertools` and `import functools` (reduce, partial, cache, lru_cache, wraps,
cached_property, total_ordering).

Each itertools function returns a lazy iterator (an IteratorValue named as Python's type,
`<itertools.chain object>`) over Python's own itertools; every item one hands out is a
step of the running program, so `list(itertools.count())` stops at the step limit, and
the sizes of what product/permutations/combinations would make are checked first.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any

from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.interp import operators, pydispatch, pymethods
from gradcli.interp.classes import CachedProperty
from gradcli.interp.values import (
    Builtin,
    Decorator,
    FunctionBase,
    GdObject,
    IteratorValue,
    Namespace,
    to_repr,
)
from gradcli.limits import MAX_SEQUENCE

_STEP: list[Callable[[], None]] = []  # the running program's step counter (bind())


def bind(step: Callable[[], None]) -> None:
    """Count every item an itertools iterator hands out as a step of this run."""
    _STEP[:] = [step]


def _stepped(it: Iterator[Any]) -> Iterator[Any]:
    step = _STEP[0] if _STEP else None
    for item in it:
        if step is not None:
            step()
        yield item


def _lazy(kind: str, it: Iterator[Any]) -> IteratorValue:
    return IteratorValue(f"itertools.{kind}", _stepped(it))


def _iter(x: Any) -> Any:
    return operators.iterate(x)


def _count(start: Any = 0, step: Any = 1) -> IteratorValue:
    """itertools.count(start=0, step=1): start, start+step, ... without end."""
    return _lazy("count", itertools.count(start, step))


def _cycle(iterable: Any) -> IteratorValue:
    """itertools.cycle(iterable): its items over and over."""
    return _lazy("cycle", itertools.cycle(_iter(iterable)))


def _repeat(obj: Any, times: Any = None) -> IteratorValue:
    """itertools.repeat(object[, times]): the object again and again."""
    it = itertools.repeat(obj) if times is None else itertools.repeat(obj, times)
    return _lazy("repeat", it)


def _chain(*iterables: Any) -> IteratorValue:
    """itertools.chain(*iterables): their items one after the other."""
    return _lazy("chain", itertools.chain.from_iterable(_iter(x) for x in iterables))


def _chain_from_iterable(iterables: Any) -> IteratorValue:
    """itertools.chain.from_iterable(iterables): the items of each iterable it gives."""
    return _lazy("chain", itertools.chain.from_iterable(_iter(x) for x in _iter(iterables)))


class _ChainClass(Builtin):
    """itertools.chain, with its class method chain.from_iterable."""

    __slots__ = ()
    is_class = True

    @staticmethod
    def gd_attribute(obj: Any, name: str) -> Any:
        if name == "from_iterable":
            return Builtin("itertools.chain.from_iterable", _chain_from_iterable)
        raise GdRuntimeError(f"type object 'itertools.chain' has no attribute '{name}'",
                             py_type="AttributeError")


def _islice(iterable: Any, *args: Any) -> IteratorValue:
    """itertools.islice(iterable, stop) / (iterable, start, stop[, step])."""
    return _lazy("islice", itertools.islice(_iter(iterable), *args))


def _pools(iterables: tuple[Any, ...], what: str) -> list[tuple[Any, ...]]:
    pools = []
    for x in iterables:
        pool = tuple(_stepped(_iter(x)))
        if len(pool) > MAX_SEQUENCE:
            raise GdLimitError(f"{what} of {len(pool):,} items exceeds the limit")
        pools.append(pool)
    return pools


def _check_count(n: float, what: str) -> None:
    if n > MAX_SEQUENCE:
        raise GdLimitError(f"{what} would make {n:,} tuples, more than the limit of "
                           f"{MAX_SEQUENCE:,}", hint="iterate over fewer items")


def _product(*iterables: Any, repeat: Any = 1) -> IteratorValue:
    """itertools.product(*iterables, repeat=1): the cartesian product, as tuples."""
    pools = _pools(iterables, "itertools.product()") * repeat
    _check_count(math.prod(float(len(p)) for p in pools), "itertools.product()")
    return _lazy("product", itertools.product(*pools))


def _perm(n: int, k: int) -> float:
    """About n!/(n-k)! (from lgamma: never a huge exact integer)."""
    return 0.0 if k > n else math.exp(min(700.0, math.lgamma(n + 1) - math.lgamma(n - k + 1)))


def _comb(n: int, k: int) -> float:
    """About n!/(k!(n-k)!)."""
    return 0.0 if k > n else _perm(n, k) / math.exp(min(700.0, math.lgamma(k + 1)))


def _combinatoric(kind: str, count: Callable[[int, int], int]) -> Callable[..., Any]:
    make = getattr(itertools, kind)

    def fn(iterable: Any, r: Any = None) -> IteratorValue:
        (pool,) = _pools((iterable,), f"itertools.{kind}()")
        n = len(pool)
        k = n if r is None else r
        if type(k) is int and k >= 0:
            _check_count(count(n, k), f"itertools.{kind}()")
        return _lazy(kind, make(pool) if r is None else make(pool, r))

    fn.__doc__ = f"itertools.{kind}(iterable, r): r-length tuples of its items"
    return fn


def _accumulate(iterable: Any, func: Any = None, *, initial: Any = None) -> IteratorValue:
    """itertools.accumulate(iterable[, func, initial=None]): running totals."""
    add = operators.BINARY["add"]
    return _lazy("accumulate", itertools.accumulate(_iter(iterable), func or add,
                                                    initial=initial))


def _zip_longest(*iterables: Any, fillvalue: Any = None) -> IteratorValue:
    """itertools.zip_longest(*iterables, fillvalue=None): tuples to the longest."""
    return _lazy("zip_longest", itertools.zip_longest(*(_iter(x) for x in iterables),
                                                      fillvalue=fillvalue))


def _groupby(iterable: Any, key: Any = None) -> IteratorValue:
    """itertools.groupby(iterable, key=None): (key, group) of consecutive equal keys."""
    return _lazy("groupby", ((k, IteratorValue("itertools._grouper", g))
                             for k, g in itertools.groupby(_iter(iterable), key)))


def _starmap(function: Any, iterable: Any) -> IteratorValue:
    """itertools.starmap(function, iterable): function(*item) of each item."""
    return _lazy("starmap", (function(*_iter(args)) for args in _iter(iterable)))


def _predicate(kind: str) -> Callable[..., Any]:
    make = getattr(itertools, kind)

    def fn(predicate: Any, iterable: Any) -> IteratorValue:
        return _lazy(kind, make(lambda v: operators.truth(predicate(v)), _iter(iterable)))

    fn.__doc__ = f"itertools.{kind}(predicate, iterable), as Python's"
    return fn


def _filterfalse(predicate: Any, iterable: Any) -> IteratorValue:
    """itertools.filterfalse(predicate, iterable): the items predicate is false for."""
    test = operators.truth if predicate is None else (lambda v: operators.truth(predicate(v)))
    return _lazy("filterfalse", itertools.filterfalse(test, _iter(iterable)))


def _compress(data: Any, selectors: Any) -> IteratorValue:
    """itertools.compress(data, selectors): the items whose selector is true."""
    return _lazy("compress", itertools.compress(
        _iter(data), (operators.truth(s) for s in _iter(selectors))))


def _pairwise(iterable: Any) -> IteratorValue:
    """itertools.pairwise(iterable): overlapping pairs (a, b), (b, c), ..."""
    return _lazy("pairwise", itertools.pairwise(_iter(iterable)))


def _reduce(function: Any, iterable: Any, *initial: Any) -> Any:
    """functools.reduce(function, iterable[, initial]): fold the items left to right."""
    if len(initial) > 1:
        raise GdRuntimeError(f"reduce expected at most 3 arguments, got {2 + len(initial)}",
                             py_type="TypeError")
    try:
        return functools.reduce(function, _iter(iterable), *initial)
    except TypeError as e:
        if "empty iterable" in str(e):
            raise GdRuntimeError("reduce() of empty iterable with no initial value",
                                 py_type="TypeError") from None
        raise


class Partial(Builtin):
    """functools.partial(func, *args, **keywords): func with arguments filled in; its
    `func`, `args` and `keywords` are the program's own values."""

    __slots__ = ("args", "func", "keywords")
    named = False  # no __name__, as Python's partial objects
    torch_type = "functools.partial"  # what type(p) prints

    def __init__(self, func: Any, *args: Any, **keywords: Any) -> None:
        if not callable(func):
            raise GdRuntimeError("the first argument must be callable", py_type="TypeError")
        self.func, self.args, self.keywords = func, args, keywords
        super().__init__("functools.partial", self.call,
                         "functools.partial(func, *args, **keywords)")

    def call(self, *more: Any, **extra: Any) -> Any:
        return self.func(*self.args, *more, **{**self.keywords, **extra})

    def __repr__(self) -> str:
        parts = [to_repr(self.func), *map(to_repr, self.args),
                 *(f"{k}={to_repr(v)}" for k, v in self.keywords.items())]
        return f"functools.partial({', '.join(parts)})"


pymethods.METHODS[Partial] = {}
pymethods.DATA[Partial] = frozenset(("func", "args", "keywords"))


class Cached(Builtin):
    """What functools.cache / lru_cache make of fn: its results kept per arguments (every
    result: gd never evicts, the values are the same), with cache_info() and
    cache_clear()."""

    __slots__ = ("hits", "maxsize", "misses", "results", "wrapped")

    def __init__(self, fn: Any, maxsize: Any) -> None:
        if not callable(fn):
            raise GdRuntimeError("the first argument must be callable", py_type="TypeError")
        self.wrapped, self.maxsize = fn, maxsize
        self.results: dict[Any, Any] = {}
        self.hits = self.misses = 0
        super().__init__(getattr(fn, "name", "function"), self.call,
                         "a function with a results cache")

    def call(self, *args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(kwargs.items())) if kwargs else args
        if key in self.results:
            self.hits += 1
            return self.results[key]
        self.misses += 1
        r = self.results[key] = self.wrapped(*args, **kwargs)
        return r

    def cache_info(self) -> Any:
        return _cache_info_class()(self.hits, self.misses, self.maxsize,
                                   min(len(self.results), self.maxsize or len(self.results)))

    def cache_clear(self) -> None:
        self.results.clear()
        self.hits = self.misses = 0


pymethods.METHODS[Cached] = {"cache_info": Cached.cache_info, "cache_clear": Cached.cache_clear}
pymethods.DATA[Cached] = frozenset()


@functools.cache
def _cache_info_class() -> Any:
    from gradcli.interp.pynamedtuple import namedtuple

    return namedtuple("CacheInfo", ["hits", "misses", "maxsize", "currsize"],
                      module="functools")


def _memoized(fn: Any, maxsize: Any = None) -> Builtin:
    """fn with its results kept per arguments (functools.cache / lru_cache's wrapper)."""
    return Cached(fn, maxsize)


def _lru_cache(maxsize: Any = 128, typed: Any = False) -> Any:
    """functools.lru_cache(maxsize=128) as a decorator (bare or called): the function with
    its results kept (every result: gd never evicts, the values are the same)."""
    if callable(maxsize) and not isinstance(maxsize, bool):
        return Cached(maxsize, 128)
    return Decorator("functools.lru_cache", lambda fn: Cached(fn, maxsize))


def _wraps(wrapped: Any, *args: Any, **kwargs: Any) -> Decorator:
    """functools.wraps(wrapped): a decorator giving the wrapper the wrapped function's
    __name__, __qualname__, __doc__ and own attributes, and __wrapped__ (pyfuncattrs)."""
    def update(fn: Any) -> Any:
        from gradcli.interp import pyfuncattrs

        pyfuncattrs.copy_wrapped(fn, wrapped)
        return fn

    return Decorator("functools.wraps", update)


def _update_wrapper(wrapper: Any, wrapped: Any, *args: Any, **kwargs: Any) -> Any:
    """functools.update_wrapper(wrapper, wrapped): what @wraps(wrapped) does to wrapper,
    returning it."""
    return _wraps(wrapped)(wrapper)


# functools.WRAPPER_ASSIGNMENTS / WRAPPER_UPDATES: Python's tuples (what wraps copies).
WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__",
                       "__annotations__")  # Python 3.11's (gd's Python)
WRAPPER_UPDATES = ("__dict__",)


class KeyWrapper(GdObject):
    """What functools.cmp_to_key(cmp)(obj) gives: a sort key comparing through cmp(a, b)
    (negative, zero or positive), as Python's functools.KeyWrapper."""

    __slots__ = ("cmp", "obj")

    def __init__(self, cmp: Any, obj: Any) -> None:
        self.cmp, self.obj = cmp, obj

    def _sign(self, other: Any) -> Any:
        if type(other) is not KeyWrapper:
            raise GdRuntimeError("other argument must be K instance", py_type="TypeError")
        return self.cmp(self.obj, other.obj)

    def __lt__(self, other: Any) -> bool:
        return operators.truth(self._sign(other) < 0)

    def __gt__(self, other: Any) -> bool:
        return operators.truth(self._sign(other) > 0)

    def __le__(self, other: Any) -> bool:
        return operators.truth(self._sign(other) <= 0)

    def __ge__(self, other: Any) -> bool:
        return operators.truth(self._sign(other) >= 0)

    def __eq__(self, other: object) -> bool:
        return operators.truth(self._sign(other) == 0)

    __hash__ = None  # type: ignore[assignment]  # as Python's: a key is unhashable

    def set_attr(self, name: str, value: Any) -> None:
        self.get_attr(name)  # Python's refusal: no attributes to set

    def del_attr(self, name: str) -> None:
        self.get_attr(name)

    def gd_repr(self) -> str:
        return "<functools.KeyWrapper object>"

    def type_label(self) -> str:
        return "functools.KeyWrapper"


def _cmp_to_key(mycmp: Any) -> Builtin:
    """functools.cmp_to_key(cmp): the key function sorted/min/max take (key=...)."""
    if not callable(mycmp):
        raise GdRuntimeError("the first argument must be callable", py_type="TypeError")
    return _KeyFunction("functools.KeyWrapper", lambda obj: KeyWrapper(mycmp, obj))


class _KeyFunction(Builtin):
    """cmp_to_key's result: a callable with no __name__ (Python's is a KeyWrapper too)."""

    __slots__ = ()
    named = False


def _tee(iterable: Any, n: Any = 2) -> tuple[IteratorValue, ...]:
    """itertools.tee(iterable, n=2): n independent iterators over the same items."""
    if type(n) is not int:
        raise GdRuntimeError(f"'{type(n).__name__}' object cannot be interpreted as an "
                             "integer", py_type="TypeError")
    if n < 0:
        raise GdRuntimeError("n must be >= 0", py_type="ValueError")
    if n > MAX_SEQUENCE:
        raise GdLimitError(f"itertools.tee() would make {n} iterators")
    return tuple(_lazy("_tee", it) for it in itertools.tee(_iter(iterable), n))


# functools.total_ordering: from the root ordering (Python's choice: the greatest name the
# class defines), each other one as Python's _gt_from_lt and friends derive it.
_DERIVED: dict[str, dict[str, Callable[[Any, Any, Any], Any]]] = {
    "__lt__": {"__gt__": lambda r, a, b: not r and a != b,
               "__le__": lambda r, a, b: r or a == b, "__ge__": lambda r, a, b: not r},
    "__le__": {"__ge__": lambda r, a, b: not r or a == b,
               "__lt__": lambda r, a, b: r and a != b, "__gt__": lambda r, a, b: not r},
    "__gt__": {"__lt__": lambda r, a, b: not r and a != b,
               "__ge__": lambda r, a, b: r or a == b, "__le__": lambda r, a, b: not r},
    "__ge__": {"__le__": lambda r, a, b: not r or a == b,
               "__gt__": lambda r, a, b: r and a != b, "__lt__": lambda r, a, b: not r},
}


def _total_ordering(cls: Any) -> Any:
    """@functools.total_ordering: the class's missing orderings from the one it defines."""
    from gradcli.interp.classes import ClassValue
    from gradcli.interp.pydataclasses import NativeFunction

    if not isinstance(cls, ClassValue):
        raise GdRuntimeError("total_ordering() should be called on a gd class",
                             py_type="TypeError")
    roots = [n for n in _DERIVED if isinstance(cls.find(n), FunctionBase)]
    if not roots:
        raise GdRuntimeError("must define at least one ordering operation: < > <= >=",
                             py_type="ValueError")
    root = max(roots)
    root_fn = cls.find(root)
    for name, derive in _DERIVED[root].items():
        if name in roots:
            continue

        def method(a: Any, b: Any, derive: Any = derive) -> Any:
            r = root_fn(a, b)
            if r is NotImplemented:
                return r
            return derive(operators.truth(r), a, b)

        cls.attrs[name] = NativeFunction(f"{cls.name}.{name}", method)
    return cls


def namespaces() -> dict[str, Namespace]:
    """The `itertools` and `functools` modules."""
    members: dict[str, Any] = {}
    for name, fn in (("chain", _chain),
            ("count", _count), ("cycle", _cycle), ("repeat", _repeat), ("islice", _islice),
            ("product", _product), ("accumulate", _accumulate),
            ("zip_longest", _zip_longest), ("groupby", _groupby), ("starmap", _starmap),
            ("takewhile", _predicate("takewhile")), ("dropwhile", _predicate("dropwhile")),
            ("filterfalse", _filterfalse), ("compress", _compress), ("pairwise", _pairwise),
            ("tee", _tee),
            ("permutations", _combinatoric("permutations", _perm)),
            ("combinations", _combinatoric("combinations", _comb)),
            ("combinations_with_replacement", _combinatoric(
                "combinations_with_replacement", lambda n, k: _comb(n + k - 1, k)))):
        members[name] = Builtin(f"itertools.{name}", fn)
    members["chain"] = _ChainClass("itertools.chain", _chain)
    functools_members = {"reduce": Builtin("functools.reduce", _reduce),
                         "partial": Builtin("functools.partial", Partial),
                         "cache": Decorator("functools.cache", _memoized),
                         "lru_cache": Decorator("functools.lru_cache", _lru_cache),
                         "wraps": Builtin("functools.wraps", _wraps),
                         "update_wrapper": Builtin("functools.update_wrapper",
                                                   _update_wrapper),
                         "WRAPPER_ASSIGNMENTS": WRAPPER_ASSIGNMENTS,
                         "WRAPPER_UPDATES": WRAPPER_UPDATES,
                         "cmp_to_key": Builtin("functools.cmp_to_key", _cmp_to_key),
                         "cached_property": Decorator("functools.cached_property",
                                                      CachedProperty),
                         "total_ordering": Decorator("functools.total_ordering",
                                                     _total_ordering),
                         "singledispatch": Decorator("functools.singledispatch",
                                                     pydispatch.SingleDispatch),
                         "singledispatchmethod": Decorator("functools.singledispatchmethod",
                                                           pydispatch.SingleDispatchMethod)}
    return {"itertools": Namespace("itertools", members),
            "functools": Namespace("functools", functools_members)}
