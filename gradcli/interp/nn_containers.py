"""nn.ModuleDict, nn.ParameterList and nn.ParameterDict, as PyTorch's container.py has them.

ModuleDict keeps its modules as children (named by key, printed by Module's repr);
ParameterList and ParameterDict keep theirs as parameters named "0", "1", ... or by key, and
print them as PyTorch's extra_repr does (`(0): Parameter containing: [torch.float32 of size
2]`). Plain tensors given to them become Parameters, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import is_parameter
from gradcli.ad.tensor import Tensor
from gradcli.interp import limits
from gradcli.interp.classes import _error, key_error
from gradcli.interp.nn_layers import (
    MODULE_LIST,
    SEQUENTIAL,
    _append,
    _check_module,
    _extend,
    _index,
    _layer,
    index_of,
)
from gradcli.interp.nn_module import (
    ModuleInstance,
    _init,
    abc_iterable,
    add_methods,
    make_parameter,
    torch_typename,
)
from gradcli.interp.nn_state import StateDict
from gradcli.interp.operators import iterate
from gradcli.interp.values import IteratorValue, dtype_value, to_str, type_name


def _pairs(owner: str, given: Any) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a mapping or an iterable of pairs, as update() takes them:
    PyTorch's checks, an iterable (collections.abc's sense) of iterables of length 2."""
    if isinstance(given, dict):
        return list(given.items())
    if isinstance(given, ModuleInstance) and given.cls.name in ("ModuleDict", "ParameterDict"):
        return list(given.method("items")())
    if not abc_iterable(given):
        who = "ParametersDict" if owner == "ParameterDict" else owner  # PyTorch's spelling
        raise _error(f"{who}.update should be called with an iterable of key/value pairs, "
                     f"but got {type_name(given)}", "TypeError")
    out = []
    for j, pair in enumerate(iterate(limits.bounded(given, f"{owner}.update()"))):
        if not abc_iterable(pair):
            raise _error(f"{owner} update sequence element #{j} should be Iterable; is"
                         f"{type_name(pair)}", "TypeError")
        if type(pair) is Tensor and pair.ndim == 0:  # PyTorch's len(p) of it
            raise _error("len() of a 0-d tensor", "TypeError")
        items = list(iterate(pair))
        if len(items) != 2:
            raise _error(f"{owner} update sequence element #{j} has length {len(items)}; 2 "
                         "is required", "ValueError")
        out.append((items[0], items[1]))
    return out


# -- ModuleDict ----------------------------------------------------------------------------

def _mods(self: ModuleInstance) -> dict[str, Any]:
    return self.mods if self.mods is not None else {}


def _moduledict_init(self: ModuleInstance, modules: Any = None) -> None:
    _init(self)
    if modules is not None:
        _moduledict_update(self, modules)


def _moduledict_update(self: ModuleInstance, modules: Any) -> None:
    for key, m in _pairs("ModuleDict", modules):
        _moduledict_setitem(self, key, m)


def _moduledict_getitem(self: ModuleInstance, key: Any) -> Any:
    mods = _mods(self)
    if key not in mods:
        raise key_error(key)
    return mods[key]


def _moduledict_setitem(self: ModuleInstance, key: Any, module: Any) -> None:
    self.method("add_module")(key, _check_module("ModuleDict", module))


def _moduledict_pop(self: ModuleInstance, key: Any) -> Any:
    v = _moduledict_getitem(self, key)
    del _mods(self)[key]
    return v


MODULE_DICT = _layer("ModuleDict", "container", {
    "__init__": _moduledict_init, "__getitem__": _moduledict_getitem,
    "__setitem__": _moduledict_setitem, "__len__": lambda self: len(_mods(self)),
    "__iter__": lambda self: iter(list(_mods(self))),
    "keys": lambda self: _mods(self).keys(), "values": lambda self: _mods(self).values(),
    "items": lambda self: _mods(self).items(),
    "update": _moduledict_update, "pop": _moduledict_pop,
    "clear": lambda self: _mods(self).clear()})


# -- ParameterList and ParameterDict --------------------------------------------------------
# As container.py has them: an entry is set as an attribute (a Parameter registered, any other
# value a plain attribute); ParameterList counts its entries in `_size`, ParameterDict keeps
# its keys in order in `_keys`.

def _as_parameter(value: Any) -> Any:
    if type(value) is Tensor and not is_parameter(value):
        return make_parameter(value)
    return value


def _size(self: ModuleInstance) -> int:
    return self.attrs.get("_size", 0)


def _keys(self: ModuleInstance) -> dict[str, None]:
    return self.attrs.setdefault("_keys", {})


def _parameterlist_init(self: ModuleInstance, values: Any = None) -> None:
    _init(self)
    self.attrs["_size"] = 0
    if values is not None:
        _parameterlist_extend(self, values)


def _parameterlist_append(self: ModuleInstance, value: Any) -> ModuleInstance:
    new_idx = _size(self)
    self.attrs["_size"] = new_idx + 1
    _parameterlist_setitem(self, new_idx, value)
    return self


def _parameterlist_extend(self: ModuleInstance, values: Any) -> ModuleInstance:
    if type(values) is Tensor or not abc_iterable(values):  # as PyTorch: a tensor refused
        raise _error("ParameterList.extend should be called with an iterable, but got "
                     + type_name(values), "TypeError")
    for v in list(iterate(limits.bounded(values, "ParameterList.extend()"))):
        _parameterlist_append(self, v)
    return self


def _parameterlist_getitem(self: ModuleInstance, idx: Any) -> Any:
    if type(idx) is slice:
        out = PARAMETER_LIST()
        for i in range(*idx.indices(_size(self))):
            _parameterlist_append(out, _parameterlist_getitem(self, i))
        return out
    return self.get_attr(str(index_of(idx, _size(self))))


def _parameterlist_setitem(self: ModuleInstance, idx: Any, value: Any) -> None:
    self.set_attr(str(index_of(idx, _size(self))), _as_parameter(value))


def _line(key: str, p: Any, dtype_of: Any) -> str:
    if type(p) is Tensor:
        size = "x".join(str(s) for s in p.shape)
        kind = "Parameter" if is_parameter(p) else "Tensor"
        return f"  ({key}): {kind} containing: [{dtype_of(p)} of size {size}]"
    return f"  ({key}): Object of type: {type_name(p)}"


def _list_entries(self: ModuleInstance) -> list[Any]:
    return [_parameterlist_getitem(self, i) for i in range(_size(self))]


def _list_extra(self: ModuleInstance) -> str:  # p.dtype names the type
    return "\n".join(_line(str(k), p, lambda t: repr(dtype_value(t.array.dtype)))
                     for k, p in enumerate(_list_entries(self)))


def _refuse_call(name: str) -> Any:
    def call(self: ModuleInstance, *args: Any, **kwargs: Any) -> Any:
        raise _error(f"{name} should not be called.", "RuntimeError")

    return call


PARAMETER_LIST = _layer("ParameterList", "container", {
    "__init__": _parameterlist_init, "__getitem__": _parameterlist_getitem,
    "__setitem__": _parameterlist_setitem, "__len__": _size,
    "__iter__": lambda self: iter(_list_entries(self)),
    "__iadd__": _parameterlist_extend, "append": _parameterlist_append,
    "extend": _parameterlist_extend, "extra_repr": _list_extra,
    "forward": _refuse_call("ParameterList")})


def _key_to_attr(key: Any) -> str:
    if type(key) is not str:
        raise _error("Index given to ParameterDict cannot be used as a key as it is not a "
                     f"string (type is '{type_name(key)}'). Open an issue on github if you "
                     "need non-string keys.", "TypeError")
    return key


def _parameterdict_init(self: ModuleInstance, parameters: Any = None) -> None:
    _init(self)
    self.attrs["_keys"] = {}
    if parameters is not None:
        _parameterdict_update(self, parameters)


def _parameterdict_update(self: ModuleInstance, parameters: Any) -> None:
    if type(parameters) is dict:  # a plain mapping: PyTorch takes its items sorted
        pairs = sorted(parameters.items())
    else:
        pairs = _pairs("ParameterDict", parameters)
    for key, v in pairs:
        _parameterdict_setitem(self, key, v)


def _parameterdict_setitem(self: ModuleInstance, key: Any, value: Any) -> None:
    _keys(self)[key] = None
    self.set_attr(_key_to_attr(key), _as_parameter(value))


def _parameterdict_getitem(self: ModuleInstance, key: Any) -> Any:
    return self.get_attr(_key_to_attr(key))


def _parameterdict_delitem(self: ModuleInstance, key: Any) -> None:
    del _keys(self)[key]
    self.del_attr(_key_to_attr(key))


def _parameterdict_pop(self: ModuleInstance, key: Any) -> Any:
    v = _parameterdict_getitem(self, key)
    _parameterdict_delitem(self, key)
    return v


def _parameterdict_popitem(self: ModuleInstance) -> tuple[str, Any]:
    if not _keys(self):
        raise _error("popitem(): dictionary is empty", "KeyError")
    k = next(reversed(_keys(self)))
    return k, _parameterdict_pop(self, k)


def _parameterdict_copy(self: ModuleInstance) -> ModuleInstance:
    return PARAMETER_DICT(StateDict((k, _parameterdict_getitem(self, k)) for k in _keys(self)))


def _parameterdict_setdefault(self: ModuleInstance, key: Any, default: Any = None) -> Any:
    if key not in _keys(self):
        _parameterdict_setitem(self, key, default)
    return _parameterdict_getitem(self, key)


def _parameterdict_or(self: ModuleInstance, other: Any) -> ModuleInstance:
    out = _parameterdict_copy(self)
    _parameterdict_update(out, other)
    return out


def _parameterdict_ior(self: ModuleInstance, other: Any) -> ModuleInstance:
    _parameterdict_update(self, other)
    return self


def _dict_items(self: ModuleInstance) -> list[tuple[str, Any]]:
    return [(k, _parameterdict_getitem(self, k)) for k in _keys(self)]


def _dict_extra(self: ModuleInstance) -> str:  # torch.typename(p) names it
    return "\n".join(_line(k, p, torch_typename) for k, p in _dict_items(self))


PARAMETER_DICT = _layer("ParameterDict", "container", {
    "__init__": _parameterdict_init, "__getitem__": _parameterdict_getitem,
    "__setitem__": _parameterdict_setitem, "__delitem__": _parameterdict_delitem,
    "__len__": lambda self: len(_keys(self)),
    "__iter__": lambda self: iter(list(_keys(self))),
    "__reversed__": lambda self: IteratorValue("dict_reversekeyiterator",
                                               iter(list(reversed(_keys(self))))),
    "__contains__": lambda self, key: key in _keys(self),
    "keys": lambda self: _keys(self).keys(),
    "values": lambda self: IteratorValue("generator", iter([v for _, v in _dict_items(self)])),
    "items": lambda self: IteratorValue("generator", iter(_dict_items(self))),
    "update": _parameterdict_update,
    "get": lambda self, key, default=None:
        _parameterdict_getitem(self, key) if key in _keys(self) else default,
    "fromkeys": lambda self, keys, default=None:
        PARAMETER_DICT([(k, default) for k in limits.bounded(keys, "fromkeys()")]),
    "setdefault": _parameterdict_setdefault, "copy": _parameterdict_copy,
    "clear": lambda self: [_parameterdict_delitem(self, k) for k in list(_keys(self))] and None,
    "pop": _parameterdict_pop, "popitem": _parameterdict_popitem,
    "__or__": _parameterdict_or, "__ror__": lambda self, other: _parameterdict_or(other, self),
    "__ior__": _parameterdict_ior, "extra_repr": _dict_extra,
    "forward": _refuse_call("ParameterDict")})


# -- Sequential's and ModuleList's list methods, as container.py writes them ----------------

def _more(cls: Any, methods: dict[str, Any]) -> None:
    """Methods added to a container class made in nn_layers (named as PyTorch's)."""
    for key, fn in methods.items():
        fn.__qualname__ = f"{cls.name}.{key}"
    add_methods(cls, methods)


def _type_str(v: Any) -> str:
    """str(type(v)), as PyTorch's container messages print a type."""
    from gradcli.interp.pybuiltins import _type

    return to_str(_type(v))


def _renumbered(self: ModuleInstance) -> None:
    """The keys 0, 1, ... again after a deletion (PyTorch rebuilds _modules)."""
    self.mods = StateDict((str(i), m) for i, m in enumerate((self.mods or {}).values()))


def _list_delitem(self: ModuleInstance, idx: Any) -> None:
    keys = list(self.mods or {})
    for key in (keys[idx] if type(idx) is slice else [keys[_index(self, idx)]]):
        self.del_attr(key)
    _renumbered(self)


def _list_setitem(self: ModuleInstance, idx: Any, module: Any) -> None:
    self.set_attr(list(self.mods or {})[_index(self, idx)], module)


def _list_pop(self: ModuleInstance, key: Any) -> Any:
    v = self._dunder("__getitem__")(self, key)
    _list_delitem(self, key)
    return v


def _seq_operand(self: ModuleInstance, other: Any) -> list[Any]:
    if not (isinstance(other, ModuleInstance) and other.cls.is_subclass(SEQUENTIAL)):
        raise _error("add operator supports only objects of Sequential class, but "
                     f"{_type_str(other)} is given.", "ValueError")
    return [m for m in (other.mods or {}).values()]


def _seq_add(self: ModuleInstance, other: Any) -> ModuleInstance:
    ret = SEQUENTIAL()
    for m in [*(self.mods or {}).values(), *_seq_operand(self, other)]:
        _append(ret, m)
    return ret


def _seq_iadd(self: ModuleInstance, other: Any) -> ModuleInstance:
    offset = len(self.mods or {})
    for i, m in enumerate(_seq_operand(self, other)):
        self.method("add_module")(str(i + offset), m)
    return self


def _factor(self: ModuleInstance, other: Any) -> int:
    if type(other) is not int and type(other) is not bool:
        raise _error(f"unsupported operand type(s) for *: {_type_str(self)} and "
                     f"{_type_str(other)}", "TypeError")
    if other <= 0:
        raise _error(f"Non-positive multiplication factor {other} for {_type_str(self)}",
                     "ValueError")
    return int(other)


def _seq_mul(self: ModuleInstance, other: Any) -> ModuleInstance:
    ret = SEQUENTIAL()
    for m in list((self.mods or {}).values()) * _factor(self, other):
        ret.method("add_module")(str(len(ret.mods or {})), m)
    return ret


def _seq_imul(self: ModuleInstance, other: Any) -> ModuleInstance:
    mods = list((self.mods or {}).values())
    for m in mods * (_factor(self, other) - 1):
        self.method("add_module")(str(len(self.mods or {})), m)
    return self


def _seq_insert(self: ModuleInstance, index: Any, module: Any) -> ModuleInstance:
    if not isinstance(module, ModuleInstance):
        raise _error("module should be of type: <class 'torch.nn.modules.module.Module'>",
                     "AssertionError")
    mods = self.mods if self.mods is not None else {}
    n = len(mods)
    if not -n <= index <= n:
        raise _error(f"Index out of range: {index}", "IndexError")
    index = index + n if index < 0 else index
    for i in range(n, index, -1):
        mods[str(i)] = mods[str(i - 1)]
    mods[str(index)] = module
    return self


def _seq_extend(self: ModuleInstance, sequential: Any) -> ModuleInstance:
    for m in list(iterate(limits.bounded(sequential, "Sequential.extend()"))):
        _append(self, m)
    return self


def _list_add(self: ModuleInstance, other: Any) -> ModuleInstance:
    ret = MODULE_LIST()
    mods = [*(self.mods or {}).values(), *limits.bounded(other, "ModuleList.__add__()")]
    for i, m in enumerate(mods):
        ret.method("add_module")(str(i), m)
    return ret


def _contains(self: ModuleInstance, m: Any) -> bool:
    return any(c is m or c == m for c in (self.mods or {}).values())


_more(SEQUENTIAL, {"__setitem__": _list_setitem, "__delitem__": _list_delitem,
                   "pop": _list_pop, "__add__": _seq_add, "__iadd__": _seq_iadd,
                   "__mul__": _seq_mul, "__rmul__": _seq_mul, "__imul__": _seq_imul,
                   "insert": _seq_insert, "extend": _seq_extend, "__contains__": _contains})
_more(MODULE_LIST, {"__add__": _list_add, "__iadd__": _extend, "__contains__": _contains})
_more(MODULE_DICT, {"__delitem__": lambda self, key: _mods(self).__delitem__(key),
                    "__contains__": lambda self, key: key in _mods(self)})
