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
from gradcli.interp.nn_layers import _check_module, _layer
from gradcli.interp.nn_module import ModuleInstance, _init, make_parameter, torch_typename
from gradcli.interp.values import dtype_value, type_name


def _pairs(owner: str, given: Any) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a mapping or an iterable of pairs, as update() takes them."""
    if isinstance(given, dict):
        return list(given.items())
    if isinstance(given, ModuleInstance) and given.cls.name in ("ModuleDict", "ParameterDict"):
        return list(given.method("items")())
    if type(given) is Tensor or isinstance(given, (int, float, ModuleInstance)):
        raise _error(f"{owner}.update should be called with an iterable of key/value pairs, "
                     f"but got {torch_typename(given)}", "TypeError")
    out = []
    for j, pair in enumerate(limits.bounded(given, f"{owner}.update()")):
        if not isinstance(pair, (list, tuple)):
            raise _error(f"{owner} update sequence element #{j} should be Iterable; is"
                         f"{type_name(pair)}", "TypeError")
        if len(pair) != 2:
            raise _error(f"{owner} update sequence element #{j} has length {len(pair)}; 2 is "
                         "required", "ValueError")
        out.append((pair[0], pair[1]))
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


_layer("ModuleDict", "container", {
    "__init__": _moduledict_init, "__getitem__": _moduledict_getitem,
    "__setitem__": _moduledict_setitem, "__len__": lambda self: len(_mods(self)),
    "__iter__": lambda self: iter(list(_mods(self))),
    "keys": lambda self: _mods(self).keys(), "values": lambda self: _mods(self).values(),
    "items": lambda self: _mods(self).items(),
    "update": _moduledict_update, "pop": _moduledict_pop,
    "clear": lambda self: _mods(self).clear()})


# -- ParameterList and ParameterDict --------------------------------------------------------

def _params(self: ModuleInstance) -> dict[str, Any]:
    return self.params if self.params is not None else {}


def _as_parameter(value: Any) -> Any:
    if type(value) is Tensor and not is_parameter(value):
        return make_parameter(value)
    return value


def _store(self: ModuleInstance, name: str, value: Any) -> None:
    value = _as_parameter(value)
    if type(value) is Tensor:
        self.set_attr(name, value)
    else:
        _params(self).pop(name, None)
        self.attrs[name] = value
    self.attrs.setdefault("_order", [])
    if name not in self.attrs["_order"]:
        self.attrs["_order"].append(name)


def _entries(self: ModuleInstance) -> list[tuple[str, Any]]:
    order = self.attrs.get("_order", [])
    return [(k, _params(self)[k] if k in _params(self) else self.attrs[k]) for k in order]


def _parameterlist_init(self: ModuleInstance, values: Any = None) -> None:
    _init(self)
    if values is not None:
        _parameterlist_extend(self, values)


def _parameterlist_append(self: ModuleInstance, value: Any) -> ModuleInstance:
    _store(self, str(len(_entries(self))), value)
    return self


def _parameterlist_extend(self: ModuleInstance, values: Any) -> ModuleInstance:
    if type(values) is Tensor or isinstance(values, (int, float, ModuleInstance)):
        raise _error("ParameterList.extend should be called with an iterable, but got "
                     + type_name(values), "TypeError")
    for v in list(limits.bounded(values, "ParameterList.extend()")):
        _parameterlist_append(self, v)
    return self


def _parameterlist_getitem(self: ModuleInstance, idx: Any) -> Any:
    entries = _entries(self)
    if type(idx) is slice:
        out = PARAMETER_LIST()
        for _, v in entries[idx]:
            _parameterlist_append(out, v)
        return out
    return entries[_index_of(self, idx, len(entries))][1]


def _index_of(self: ModuleInstance, idx: Any, n: int) -> int:
    if type(idx) is not int and type(idx) is not bool and type(idx) is not Tensor:
        raise _error(f"{self.cls.name} indices must be integers or slices, not "
                     f"{type_name(idx)}", "TypeError")
    i = int(idx)
    if not -n <= i < n:
        raise _error(f"index {i} is out of range", "IndexError")
    return i % n


def _parameterlist_setitem(self: ModuleInstance, idx: Any, value: Any) -> None:
    _store(self, str(_index_of(self, idx, len(_entries(self)))), value)


def _line(key: str, p: Any, dtype_of: Any) -> str:
    if type(p) is Tensor:
        size = "x".join(str(s) for s in p.shape)
        kind = "Parameter" if is_parameter(p) else "Tensor"
        return f"  ({key}): {kind} containing: [{dtype_of(p)} of size {size}]"
    return f"  ({key}): Object of type: {type_name(p)}"


def _list_extra(self: ModuleInstance) -> str:  # p.dtype names the type
    return "\n".join(_line(k, p, lambda t: repr(dtype_value(t.array.dtype)))
                     for k, p in _entries(self))


def _dict_extra(self: ModuleInstance) -> str:  # torch.typename(p) names it
    return "\n".join(_line(k, p, torch_typename) for k, p in _entries(self))


PARAMETER_LIST = _layer("ParameterList", "container", {
    "__init__": _parameterlist_init, "__getitem__": _parameterlist_getitem,
    "__setitem__": _parameterlist_setitem, "__len__": lambda self: len(_entries(self)),
    "__iter__": lambda self: iter([v for _, v in _entries(self)]),
    "append": _parameterlist_append, "extend": _parameterlist_extend,
    "extra_repr": _list_extra})


def _parameterdict_init(self: ModuleInstance, parameters: Any = None) -> None:
    _init(self)
    if parameters is not None:
        _parameterdict_update(self, parameters)


def _parameterdict_update(self: ModuleInstance, parameters: Any) -> None:
    for key, v in _pairs("ParametersDict", parameters):
        _parameterdict_setitem(self, key, v)


def _parameterdict_setitem(self: ModuleInstance, key: Any, value: Any) -> None:
    if type(key) is not str:
        raise _error(f"parameter name should be a string. Got {torch_typename(key)}",
                     "TypeError")
    _store(self, key, value)


def _parameterdict_getitem(self: ModuleInstance, key: Any) -> Any:
    for k, v in _entries(self):
        if k == key:
            return v
    # PyTorch's ParameterDict looks the key up as an attribute
    raise _error(f"'ParameterDict' object has no attribute '{key}'", "AttributeError")


def _parameterdict_pop(self: ModuleInstance, key: Any) -> Any:
    v = _parameterdict_getitem(self, key)
    self.attrs["_order"].remove(key)
    _params(self).pop(key, None)
    self.attrs.pop(key, None)
    return v


PARAMETER_DICT = _layer("ParameterDict", "container", {
    "__init__": _parameterdict_init, "__getitem__": _parameterdict_getitem,
    "__setitem__": _parameterdict_setitem, "__len__": lambda self: len(_entries(self)),
    "__iter__": lambda self: iter([k for k, _ in _entries(self)]),
    "keys": lambda self: [k for k, _ in _entries(self)],
    "values": lambda self: [v for _, v in _entries(self)],
    "items": lambda self: _entries(self), "update": _parameterdict_update,
    "pop": _parameterdict_pop, "extra_repr": _dict_extra})
