"""`operator`, `heapq` and `bisect` in gd.

operator's functions are gd's own operators (a tensor's `operator.mul` records MulBackward0,
a gd class's `operator.add` calls its __add__); itemgetter/attrgetter/methodcaller go
through gd's indexing and attribute lookup (the sandbox's allow-lists), never the host's.
heapq and bisect are Python's own functions over gd lists, with the size caps.
"""

from __future__ import annotations

import bisect as host_bisect
import heapq as host_heapq
import operator as host_operator
from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import limits
from gradcli.interp.attributes import get_attribute
from gradcli.interp.operators import BINARY, COMPARE, del_item, get_item, set_item, truth
from gradcli.interp.values import Builtin, Namespace, to_repr, type_name

# operator.X -> gd's binary operator of that name (operators.BINARY's keys).
_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "truediv": "div",
           "floordiv": "floor_divide", "mod": "remainder", "pow": "pow", "matmul": "matmul",
           "or_": "bitwise_or", "xor": "bitwise_xor", "and_": "bitwise_and"}
_COMPARE = ("lt", "le", "gt", "ge", "eq", "ne")


class _Getter(Builtin):
    """itemgetter / attrgetter / methodcaller: a callable that prints as Python's does."""

    __slots__ = ("shown",)

    def __init__(self, name: str, fn: Callable[..., Any], shown: str) -> None:
        super().__init__(name, fn, f"{name}(...)")
        self.shown = shown

    def __repr__(self) -> str:
        return self.shown


def _itemgetter(*items: Any) -> _Getter:
    """operator.itemgetter(*items): obj -> obj[item] (a tuple for several)."""
    if not items:
        raise GdRuntimeError("itemgetter expected 1 argument, got 0", py_type="TypeError")

    def get(obj: Any) -> Any:
        if len(items) == 1:
            return get_item(obj, items[0])
        return tuple(get_item(obj, i) for i in items)

    return _Getter("operator.itemgetter", get,
                   f"operator.itemgetter({', '.join(to_repr(i) for i in items)})")


def _dotted(obj: Any, path: Any) -> Any:
    if type(path) is not str:
        raise GdRuntimeError("attribute name must be a string", py_type="TypeError")
    for part in path.split("."):
        obj = get_attribute(obj, part)
    return obj


def _attrgetter(*names: Any) -> _Getter:
    """operator.attrgetter(*names): obj -> obj.name (dotted names too)."""
    if not names:
        raise GdRuntimeError("attrgetter expected 1 argument, got 0", py_type="TypeError")
    for n in names:
        if type(n) is not str:
            raise GdRuntimeError("attribute name must be a string", py_type="TypeError")

    def get(obj: Any) -> Any:
        if len(names) == 1:
            return _dotted(obj, names[0])
        return tuple(_dotted(obj, n) for n in names)

    return _Getter("operator.attrgetter", get,
                   f"operator.attrgetter({', '.join(repr(n) for n in names)})")


def _methodcaller(name: Any, *args: Any, **kwargs: Any) -> _Getter:
    """operator.methodcaller(name, *args, **kwargs): obj -> obj.name(*args, **kwargs)."""
    if type(name) is not str:
        raise GdRuntimeError("method name must be a string", py_type="TypeError")
    shown = ", ".join([repr(name), *(to_repr(a) for a in args),
                       *(f"{k}={to_repr(v)}" for k, v in kwargs.items())])
    return _Getter("operator.methodcaller",
                   lambda obj: get_attribute(obj, name)(*args, **kwargs),
                   f"operator.methodcaller({shown})")


def _operator() -> Namespace:
    members: dict[str, Any] = {}
    for py_name, gd_name in _BINARY.items():
        members[py_name] = Builtin(f"operator.{py_name}", BINARY[gd_name],
                                   f"operator.{py_name}(a, b): as the operator")
    for name in _COMPARE:
        members[name] = Builtin(f"operator.{name}", COMPARE[name],
                                f"operator.{name}(a, b): as the comparison")
    unary = {"neg": host_operator.neg, "pos": host_operator.pos, "abs": abs,
             "invert": host_operator.invert, "inv": host_operator.invert,
             "index": host_operator.index}
    for name, fn in unary.items():
        members[name] = Builtin(f"operator.{name}", fn, f"operator.{name}(a)")
    members.update({
        "not_": Builtin("operator.not_", lambda a: not truth(a), "operator.not_(a)"),
        "truth": Builtin("operator.truth", truth, "operator.truth(a)"),
        "is_": Builtin("operator.is_", host_operator.is_, "operator.is_(a, b)"),
        "is_not": Builtin("operator.is_not", host_operator.is_not, "operator.is_not(a, b)"),
        "contains": Builtin("operator.contains", lambda a, b: COMPARE["in"](b, a),
                            "operator.contains(a, b): b in a"),
        "concat": Builtin("operator.concat", _concat),
        "getitem": Builtin("operator.getitem", get_item, "operator.getitem(a, b): a[b]"),
        "itemgetter": Builtin("operator.itemgetter", _itemgetter),
        "attrgetter": Builtin("operator.attrgetter", _attrgetter),
        "methodcaller": Builtin("operator.methodcaller", _methodcaller),
        "setitem": Builtin("operator.setitem", _setitem, "operator.setitem(a, b, c): a[b] = c"),
        "delitem": Builtin("operator.delitem", _delitem, "operator.delitem(a, b): del a[b]"),
        "lshift": Builtin("operator.lshift", BINARY["lshift"], "operator.lshift(a, b): a << b"),
        "rshift": Builtin("operator.rshift", BINARY["rshift"], "operator.rshift(a, b): a >> b"),
        "indexOf": Builtin("operator.indexOf", _index_of, "operator.indexOf(a, b)"),
        "countOf": Builtin("operator.countOf", _count_of, "operator.countOf(a, b)"),
        "length_hint": Builtin("operator.length_hint", _length_hint,
                               "operator.length_hint(obj, default=0)"),
        "call": Builtin("operator.call", lambda f, /, *args, **kwargs: f(*args, **kwargs),
                        "operator.call(f, /, *args, **kwargs): f(*args, **kwargs)"),
    })
    for py_name, gd_name in _IN_PLACE.items():
        members[py_name] = Builtin(f"operator.{py_name}", _in_place(py_name, gd_name),
                                   f"operator.{py_name}(a, b): a {py_name[1:]}= b; a")
    return Namespace("operator", members)


# operator.iX -> gd's operator of `a X= b` (the augmented assignment's own rules).
_IN_PLACE = {"iadd": "add", "isub": "sub", "imul": "mul", "itruediv": "div",
             "ifloordiv": "floor_divide", "imod": "remainder", "ipow": "pow",
             "imatmul": "matmul", "ior": "bitwise_or", "iand": "bitwise_and",
             "ixor": "bitwise_xor", "ilshift": "lshift", "irshift": "rshift",
             "iconcat": "add"}


def _in_place(py_name: str, gd_name: str) -> Callable[[Any, Any], Any]:
    """operator.iadd and its kin: what `a += b` does in gd (a tensor changes in place by
    PyTorch's rules, a list or set is mutated, a gd instance's __iadd__ runs), returning
    the result as Python's operator.iadd does."""
    from gradcli.ad.tensor import Tensor
    from gradcli.interp.attributes import TENSOR_METHODS
    from gradcli.interp.classes import InstanceValue
    from gradcli.interp.operators import INPLACE

    binary = BINARY[gd_name]
    host = getattr(host_operator, py_name)

    def fn(a: Any, b: Any) -> Any:
        if py_name == "iconcat" and not isinstance(a, (list, tuple, str)):
            raise GdRuntimeError(f"'{type_name(a)}' object can't be concatenated",
                                 py_type="TypeError")
        ta = type(a)
        if ta is Tensor and gd_name in INPLACE:
            TENSOR_METHODS[INPLACE[gd_name]](a, b)
            return a
        if ta is list and gd_name in ("add", "mul"):
            if gd_name == "add" and isinstance(b, (tuple, range, str)):
                b = list(limits.bounded(b, "list"))
            a[:] = binary(a, b)
            return a
        if (ta is set and gd_name in ("bitwise_or", "bitwise_and", "bitwise_xor", "sub")) or (
                ta is dict and gd_name == "bitwise_or") or isinstance(a, InstanceValue):
            return host(a, b)
        return binary(a, b)

    return fn


def _setitem(a: Any, b: Any, c: Any) -> None:
    set_item(a, b, c)


def _delitem(a: Any, b: Any) -> None:
    del_item(a, b)


def _index_of(a: Any, b: Any) -> int:
    for i, v in enumerate(limits.bounded(a, "sequence")):
        if v is b or truth(COMPARE["eq"](v, b)):
            return i
    raise GdRuntimeError("sequence.index(x): x not in sequence", py_type="ValueError")


def _count_of(a: Any, b: Any) -> int:
    return sum(1 for v in limits.bounded(a, "sequence")
               if v is b or truth(COMPARE["eq"](v, b)))


def _length_hint(obj: Any, default: Any = 0) -> int:
    try:
        return len(obj)
    except TypeError:
        return host_operator.length_hint(obj, default)


def _concat(a: Any, b: Any) -> Any:
    """operator.concat(a, b): a + b for sequences."""
    if type(a) not in (list, tuple, str):
        raise GdRuntimeError(f"'{type_name(a)}' object can't be concatenated",
                             py_type="TypeError")
    return BINARY["add"](a, b)


# -- heapq, bisect --------------------------------------------------------------------------


def _list_first(module: str, name: str, fn: Callable[..., Any]) -> Builtin:
    def call(heap: Any, *args: Any, **kwargs: Any) -> Any:
        if type(heap) is not list:
            raise GdRuntimeError(f"{name}() argument 1 must be list, not {type_name(heap)}"
                                 if module == "heapq" else
                                 f"'{type_name(heap)}' object is not a list in gd",
                                 py_type="TypeError")
        return fn(heap, *args, **kwargs)

    call.__doc__ = (fn.__doc__ or "").strip().split("\n")[0]
    return Builtin(f"{module}.{name}", call)


def _largest(name: str, fn: Callable[..., Any]) -> Builtin:
    def call(n: Any, iterable: Any, key: Any = None) -> Any:
        return fn(n, limits.bounded(iterable, f"heapq.{name}()"), key=key)

    call.__doc__ = (fn.__doc__ or "").strip().split("\n")[0]
    return Builtin(f"heapq.{name}", call)


def _heappush(heap: list[Any], item: Any) -> None:
    """Push item onto heap, maintaining the heap invariant."""
    limits.check_length(len(heap) + 1, "list")
    host_heapq.heappush(heap, item)


def _merge(*iterables: Any, key: Any = None, reverse: Any = False) -> Any:
    """heapq.merge(*iterables, key=None, reverse=False): the sorted inputs merged, lazily
    (each item a step)."""
    from gradcli.interp import operators
    from gradcli.interp.pyitertools import _stepped
    from gradcli.interp.values import IteratorValue

    its = [operators.iterate(x) for x in iterables]
    return IteratorValue("generator", _stepped(host_heapq.merge(*its, key=key,
                                                                reverse=bool(reverse))))


def _insort(fn: Callable[..., Any]) -> Callable[..., Any]:
    def insort(a: list[Any], x: Any, *args: Any, **kwargs: Any) -> None:
        limits.check_length(len(a) + 1, "list")
        fn(a, x, *args, **kwargs)

    insort.__doc__ = fn.__doc__
    return insort


def namespaces() -> dict[str, Namespace]:
    """operator, heapq and bisect."""
    heapq = Namespace("heapq", {
        "heapify": _list_first("heapq", "heapify", host_heapq.heapify),
        "heappush": _list_first("heapq", "heappush", _heappush),
        "heappop": _list_first("heapq", "heappop", host_heapq.heappop),
        "heappushpop": _list_first("heapq", "heappushpop", host_heapq.heappushpop),
        "heapreplace": _list_first("heapq", "heapreplace", host_heapq.heapreplace),
        "nlargest": _largest("nlargest", host_heapq.nlargest),
        "nsmallest": _largest("nsmallest", host_heapq.nsmallest),
        "merge": Builtin("heapq.merge", _merge,
                         "heapq.merge(*iterables, key=None, reverse=False)"),
    })
    bisect = Namespace("bisect", {
        **{name: _list_first("bisect", name, getattr(host_bisect, name))
           for name in ("bisect_left", "bisect_right", "bisect")},
        **{name: _list_first("bisect", name, _insort(getattr(host_bisect, name)))
           for name in ("insort_left", "insort_right", "insort")},
    })
    return {"operator": _operator(), "heapq": heapq, "bisect": bisect}
