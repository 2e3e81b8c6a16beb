"""`collections` in gd: defaultdict, Counter and deque, Python's own classes, their
methods allow-listed in pymethods.METHODS (what a program may call on them), printed as
Python prints them. `collections.OrderedDict` is state_dict()'s class (nn_state), added to
this namespace by the registry."""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pymethods, pynamedtuple
from gradcli.interp.pybuiltins import CONTAINER_METHODS
from gradcli.interp.values import BoundMethod, Builtin, GdObject, Namespace, type_name

_DICT = CONTAINER_METHODS[dict]


def _methods(t: type, names: tuple[str, ...]) -> dict[str, Callable[..., Any]]:
    return {name: getattr(t, name) for name in names}


def _most_common(c: collections.Counter[Any], n: Any = None) -> list[Any]:
    return c.most_common(n)


def _elements(c: collections.Counter[Any]) -> Any:
    """Counter.elements(): each key as many times as its count, lazily (each item a step,
    as itertools' iterators are)."""
    from gradcli.interp.pyitertools import _lazy

    return _lazy("chain", c.elements())


def _dict_methods(t: type) -> dict[str, Callable[..., Any]]:
    """dict's allow-listed methods as the subclass t has them (OrderedDict's own keys(),
    in its order; copy() of the same class), size-guarded where dict's are."""
    return {name: fn if fn is not getattr(dict, name, None) else getattr(t, name)
            for name, fn in _DICT.items()}


def _register() -> None:
    """The classes' methods and data attributes, for attribute lookup (pymethods)."""
    dd, ct, dq = collections.defaultdict, collections.Counter, collections.deque
    pymethods.METHODS[dd] = _dict_methods(dd)
    pymethods.DATA[dd] = frozenset(("default_factory",))  # the program's own factory
    pymethods.METHODS[ct] = {**_dict_methods(ct), **_methods(ct, ("update", "subtract",
                                                                  "total")),
                             "elements": _elements, "most_common": _most_common}
    pymethods.METHODS[dq] = _methods(dq, (
        "append", "appendleft", "pop", "popleft", "extend", "extendleft", "rotate", "clear",
        "count", "index", "insert", "remove", "reverse", "copy"))
    pymethods.DATA[dq] = frozenset(("maxlen",))


_register()


def _defaultdict(default_factory: Any = None, *args: Any, **kwargs: Any) -> Any:
    """collections.defaultdict(factory, ...): a dict whose missing keys get factory()."""
    if default_factory is not None and not callable(default_factory):
        raise GdRuntimeError("first argument must be callable or None", py_type="TypeError")
    return collections.defaultdict(default_factory, *args, **kwargs)


def _deque(iterable: Any = (), maxlen: Any = None) -> collections.deque[Any]:
    """collections.deque(iterable, maxlen=None)."""
    if maxlen is not None and type(maxlen) is not int:
        raise GdRuntimeError("an integer is required", py_type="TypeError")
    if type(iterable) not in (list, tuple, range, str, collections.deque, Tensor):
        raise GdRuntimeError(f"deque() takes a list, tuple, range or tensor in gd, not "
                             f"{type_name(iterable)}", py_type="TypeError")
    return collections.deque(limits.bounded(iterable, "deque()"), maxlen)


def _bounded_first(cls: type, what: str) -> Callable[..., Any]:
    """cls(iterable or mapping, **kw) with the iterable checked against the size caps."""
    def make(*args: Any, **kwargs: Any) -> Any:
        return cls(*(limits.bounded(a, what) for a in args), **kwargs)

    make.__doc__ = cls.__doc__
    return make


def namespace() -> Namespace:
    """The `collections` module."""
    return Namespace("collections", {
        "defaultdict": Builtin("collections.defaultdict", _defaultdict),
        "Counter": Builtin("collections.Counter", _bounded_first(collections.Counter, "Counter()"),
                           "collections.Counter(iterable): counts of each item"),
        "deque": Builtin("collections.deque", _deque),
        "namedtuple": pynamedtuple.NAMEDTUPLE,
        "ChainMap": Builtin("collections.ChainMap", lambda *maps: _chain_map(*maps),
                            "collections.ChainMap(*maps): the dicts searched in order"),
    })


class _ChainView(GdObject):
    """ChainMap's keys(), values() and items(): live views over the chained mappings."""

    __slots__ = ("chain", "kind")

    def __init__(self, chain: ChainMap, kind: str) -> None:
        self.chain = chain
        self.kind = kind

    def __iter__(self) -> Any:
        chain = self.chain
        if self.kind == "keys":
            return iter(chain)
        if self.kind == "values":
            return (chain[k] for k in chain)
        return ((k, chain[k]) for k in chain)

    def __len__(self) -> int:
        return len(self.chain)

    def __contains__(self, item: Any) -> bool:
        return any(x is item or x == item for x in self)

    def set_attr(self, name: str, value: Any) -> None:
        self.get_attr(name)

    def del_attr(self, name: str) -> None:
        self.get_attr(name)

    def gd_repr(self) -> str:
        return f"{self.type_label()}({self.chain.gd_repr()})"

    def type_label(self) -> str:
        return {"keys": "KeysView", "values": "ValuesView", "items": "ItemsView"}[self.kind]


class ChainMap(GdObject, collections.ChainMap):  # type: ignore[type-arg]
    """collections.ChainMap(*maps): lookups search the dicts in order, writes go to the
    first; Python's own class (its methods are Python's), reached through get_attr."""

    QUALNAME = "collections.ChainMap"  # what type(cm) prints
    _METHODS = frozenset(("get", "pop", "popitem", "clear", "copy", "setdefault", "update",
                          "new_child"))

    def get_attr(self, name: str) -> Any:
        if name in ("maps", "parents"):
            return getattr(self, name)
        if name in ("keys", "values", "items"):
            return BoundMethod(self, name, lambda cm, kind=name: _ChainView(cm, kind))
        if name in self._METHODS:
            return BoundMethod(self, name, _chain_method(name))
        from gradcli.interp.attributes import private_name_error

        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"'ChainMap' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if name == "maps" and type(value) is list and all(isinstance(m, dict) for m in value):
            self.maps = value
            return
        self.get_attr(name)
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'ChainMap' value")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        from gradcli.interp.values import to_repr

        return f"ChainMap({', '.join(to_repr(m) for m in self.maps)})"

    def type_label(self) -> str:
        return "ChainMap"


def _chain_method(name: str) -> Callable[..., Any]:
    method = getattr(collections.ChainMap, name)

    def call(cm: ChainMap, *args: Any, **kwargs: Any) -> Any:
        for a in args:
            limits.bounded(a, f"ChainMap.{name}()") if name == "update" else None
        if name == "new_child" and args and not isinstance(args[0], dict) \
                and args[0] is not None:
            raise GdRuntimeError("ChainMap.new_child() takes a dict in gd", py_type="TypeError")
        return method(cm, *args, **kwargs)

    return call


def _chain_map(*maps: Any) -> ChainMap:
    """collections.ChainMap(*maps): the dicts (or ChainMaps), searched in order."""
    for m in maps:
        if not isinstance(m, (dict, ChainMap)):
            raise GdRuntimeError(f"ChainMap takes dicts in gd, not {type_name(m)}",
                                 py_type="TypeError")
    return ChainMap(*maps)
