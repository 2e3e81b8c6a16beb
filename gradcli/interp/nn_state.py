"""nn.Module's buffers and state dicts: register_buffer, buffers, named_buffers,
state_dict and load_state_dict, as PyTorch's module.py does them.

`state_dict()` is an OrderedDict (it prints as PyTorch's does) of detached tensors that share
storage with the parameters and buffers; `load_state_dict` copies into them under no_grad and
gathers PyTorch's error texts (missing / unexpected keys, size mismatches) in its order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from gradcli.ad.graph import is_parameter
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pymethods, values
from gradcli.interp.classes import _MISSING, _error
from gradcli.interp.nn_module import (
    MODULE,
    ModuleInstance,
    _generator,
    add_methods,
    check_member_name,
    make_parameter,
    named_modules_of,
    torch_typename,
)
from gradcli.interp.values import GdObject, Size, private_name_error, to_repr, type_name


class StateDict(OrderedDict):  # type: ignore[type-arg]
    """What module.state_dict() returns: an OrderedDict, printed as Python prints one."""

    def __repr__(self) -> str:
        if not self:
            return "OrderedDict()"
        body = ", ".join(f"({to_repr(k)}, {to_repr(v)})" for k, v in self.items())
        return f"OrderedDict([{body}])"


StateDict.__name__ = "OrderedDict"
StateDict.torch_type = "collections.OrderedDict"  # type: ignore[attr-defined]  # type(sd)
pymethods.METHODS[StateDict] = {
    **{name: getattr(OrderedDict, name) for name in (
        "keys", "values", "items", "get", "pop", "popitem", "setdefault", "copy", "clear",
        "move_to_end")},
    "update": pymethods.METHODS[dict]["update"]}
for _view, _name in ((StateDict().keys(), "odict_keys"), (StateDict().values(), "odict_values"),
                     (StateDict().items(), "odict_items")):
    values._VIEWS[type(_view)] = _name


def ordered_dict(*args: Any, **kwargs: Any) -> StateDict:
    """collections.OrderedDict(mapping or pairs=(), **kwargs), as nn.Sequential takes it."""
    if len(args) > 1:
        raise _error(f"expected at most 1 argument, got {len(args)}", "TypeError")
    out = StateDict()
    if args:
        given = args[0]
        pairs = given.items() if isinstance(given, dict) else \
            limits.bounded(given, "OrderedDict()")
        for j, pair in enumerate(pairs):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise _error(f"dictionary update sequence element #{j} has length "
                             f"{len(pair) if isinstance(pair, (tuple, list)) else 1}; 2 is "
                             "required", "ValueError")
            out[pair[0]] = pair[1]
    out.update(kwargs)
    return out


class _OrderedDictClass(values.Builtin):
    """collections.OrderedDict: a constructor that stands for the class."""

    __slots__ = ()
    is_class = True

    def __repr__(self) -> str:
        return "<class 'collections.OrderedDict'>"


COLLECTIONS = values.Namespace("collections", {
    "OrderedDict": _OrderedDictClass("collections.OrderedDict", ordered_dict,
                                     "collections.OrderedDict(pairs): an ordered dict"),
})


def _class_text(v: Any) -> str:
    """str(type(v)) as PyTorch's messages spell it."""
    if type(v) is Tensor:
        return "<class 'torch.nn.parameter.Parameter'>" if is_parameter(v) \
            else "<class 'torch.Tensor'>"
    if isinstance(v, ModuleInstance):
        return f"<class '{v.cls.name}'>"
    if isinstance(v, StateDict):
        return "<class 'collections.OrderedDict'>"
    return f"<class '{type_name(v)}'>"


class IncompatibleKeys(GdObject, tuple):  # type: ignore[type-arg]
    """load_state_dict's result: PyTorch's _IncompatibleKeys named tuple."""

    __slots__ = ()

    def __new__(cls, missing: list[str], unexpected: list[str]) -> IncompatibleKeys:
        return tuple.__new__(cls, (missing, unexpected))

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "missing_keys":
            return self[0]
        if name == "unexpected_keys":
            return self[1]
        if name in ("count", "index"):
            return values.BoundMethod(self, name, getattr(tuple, name))
        raise _error(f"'_IncompatibleKeys' object has no attribute '{name}'", "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise _error("can't set attribute", "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        if not self[0] and not self[1]:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={to_repr(self[0])}, "
                f"unexpected_keys={to_repr(self[1])})")

    def type_label(self) -> str:
        return "_IncompatibleKeys"


# -- buffers -------------------------------------------------------------------------------

def _bufs(m: ModuleInstance) -> dict[str, Tensor | None]:
    if m.bufs is None:
        raise _error(f"'{m.cls.name}' object has no attribute '_buffers'", "AttributeError")
    return m.bufs


def _has_attr(m: ModuleInstance, name: str) -> bool:
    return (name in m.attrs or m.cls.find(name) is not _MISSING
            or any(name in t for t in (m.params or {}, m.bufs or {}, m.mods or {})))


def _register_buffer(self: ModuleInstance, name: Any, tensor: Any,
                     persistent: bool = True) -> None:
    if self.bufs is None:
        raise _error("cannot assign buffer before Module.__init__() call", "AttributeError")
    check_member_name("buffer", name)
    if _has_attr(self, name) and name not in self.bufs:
        raise _error(f"attribute '{name}' already exists", "KeyError")
    if tensor is not None and type(tensor) is not Tensor:
        raise _error(f"cannot assign '{torch_typename(tensor)}' object to buffer '{name}' "
                     "(torch Tensor or None required)", "TypeError")
    self.bufs[name] = tensor
    if persistent:
        self.nonpersistent.discard(name)
    else:
        self.nonpersistent.add(name)


def _named_buffers_list(self: ModuleInstance, prefix: str = "", recurse: bool = True,
                        remove_duplicate: bool = True) -> list[tuple[str, Tensor]]:
    mods = named_modules_of(self, prefix, remove_duplicate=remove_duplicate) if recurse \
        else iter([(prefix, self)])
    seen: set[int] = set()
    out = []
    for mod_prefix, mod in mods:
        for name, b in _bufs(mod).items():
            if b is None or (remove_duplicate and id(b) in seen):
                continue
            seen.add(id(b))
            out.append((mod_prefix + ("." if mod_prefix else "") + name, b))
    return out


def _named_buffers(self: ModuleInstance, prefix: str = "", recurse: bool = True,
                   remove_duplicate: bool = True) -> Any:
    return _generator(_named_buffers_list(self, prefix, recurse, remove_duplicate),
                      "named_buffers")


def _buffers(self: ModuleInstance, recurse: bool = True) -> Any:
    return _generator((b for _, b in _named_buffers_list(self, "", recurse)), "buffers")


# -- state_dict ----------------------------------------------------------------------------

def _state_dict(self: ModuleInstance, *args: Any, destination: Any = None, prefix: str = "",
                keep_vars: bool = False) -> Any:
    if args:
        raise GdRuntimeError("positional arguments of state_dict() are deprecated in "
                             "PyTorch: pass destination=, prefix=, keep_vars= by keyword")
    dest = StateDict() if destination is None else destination
    if not isinstance(dest, dict):
        raise _error(f"'{type_name(dest)}' object does not support item assignment",
                     "TypeError")
    for name, p in (self.params or {}).items():
        if p is not None:
            dest[prefix + name] = p if keep_vars else p.detach()
    for name, b in _bufs(self).items():
        if b is not None and name not in self.nonpersistent:
            dest[prefix + name] = b if keep_vars else b.detach()
    for name, child in (self.mods or {}).items():
        if child is not None:
            child.method("state_dict")(destination=dest, prefix=prefix + name + ".",
                                       keep_vars=keep_vars)
    return dest


def _local_state(m: ModuleInstance) -> dict[str, Tensor]:
    state = {k: v for k, v in (m.params or {}).items() if v is not None}
    state.update({k: v for k, v in _bufs(m).items()
                  if v is not None and k not in m.nonpersistent})
    return state


def _load_one(m: ModuleInstance, sd: dict[Any, Any], prefix: str, versioned: bool,
              assign: bool, missing: list[str], unexpected: list[str],
              errors: list[str]) -> None:
    """Module._load_from_state_dict of one module (strict bookkeeping always on)."""
    if not versioned and m.attrs.get("track_running_stats") is True and \
            "num_batches_tracked" in _bufs(m):  # BatchNorm's state dicts before version 2
        sd.setdefault(prefix + "num_batches_tracked", _bufs(m)["num_batches_tracked"])
    local = _local_state(m)
    for name, param in local.items():
        key = prefix + name
        if key not in sd:
            missing.append(key)
            continue
        given = sd[key]
        if type(given) is not Tensor:
            errors.append(f'While copying the parameter named "{key}", expected torch.Tensor '
                          f"or Tensor-like object from checkpoint but received "
                          f"{_class_text(given)}")
            continue
        if param.ndim == 0 and given.ndim == 1:
            given = given[0]
        if tuple(given.shape) != tuple(param.shape):
            errors.append(f"size mismatch for {key}: copying a param with shape "
                          f"{to_repr(Size(given.shape))} from checkpoint, the shape in current "
                          f"model is {to_repr(Size(param.shape))}.")
            continue
        with grad_mode(False):
            if assign:
                if is_parameter(param) and not is_parameter(given):
                    given = make_parameter(given, param.requires_grad)
                m.set_attr(name, given)
            else:
                param.copy_(given)
    for key in sd:
        if type(key) is not str or not key.startswith(prefix):
            continue
        head = key[len(prefix):].split(".", 1)
        if (len(head) > 1 and head[0] not in (m.mods or {})) or \
                (len(head) == 1 and head[0] not in local):
            unexpected.append(key)


def _load_state_dict(self: ModuleInstance, state_dict: Any, strict: bool = True,
                     assign: bool = False) -> IncompatibleKeys:
    if not isinstance(state_dict, dict):
        raise _error(f"Expected state_dict to be dict-like, got {_class_text(state_dict)}.",
                     "TypeError")
    limits.bounded(state_dict, "load_state_dict()")
    versioned = isinstance(state_dict, StateDict)
    sd = dict(state_dict)
    missing: list[str] = []
    unexpected: list[str] = []
    errors: list[str] = []

    def load(m: ModuleInstance, prefix: str) -> None:
        child_sd = {k: v for k, v in sd.items() if type(k) is str and k.startswith(prefix)} \
            if prefix else sd
        _load_one(m, child_sd, prefix, versioned, assign, missing, unexpected, errors)
        for name, child in (m.mods or {}).items():
            if child is not None:
                load(child, prefix + name + ".")

    load(self, "")
    if strict:
        if unexpected:
            errors.insert(0, "Unexpected key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in missing) + ". ")
    if errors:
        raise GdRuntimeError(f"Error(s) in loading state_dict for {self.cls.name}:\n\t"
                             + "\n\t".join(errors))
    return IncompatibleKeys(missing, unexpected)


# -- get_submodule / get_parameter / get_buffer ----------------------------------------------

def _lookup(m: ModuleInstance, item: str) -> Any:
    if not _has_attr(m, item):
        raise _error(f"{m.cls.name} has no attribute `{item}`", "AttributeError")
    return m.get_attr(item)


def _get_submodule(self: ModuleInstance, target: str) -> ModuleInstance:
    if target == "":
        return self
    mod = self
    for item in target.split("."):
        found = _lookup(mod, item)
        if not isinstance(found, ModuleInstance):
            raise _error(f"`{item}` is not an nn.Module", "AttributeError")
        mod = found
    return mod


def _get_parameter(self: ModuleInstance, target: str) -> Tensor:
    path, _, name = target.rpartition(".")
    p = _lookup(_get_submodule(self, path), name)
    if not (type(p) is Tensor and is_parameter(p)):
        raise _error(f"`{name}` is not an nn.Parameter", "AttributeError")
    return p


def _get_buffer(self: ModuleInstance, target: str) -> Tensor:
    path, _, name = target.rpartition(".")
    mod = _get_submodule(self, path)
    b = _lookup(mod, name)
    if name not in _bufs(mod):
        raise _error(f"`{name}` is not a buffer", "AttributeError")
    return b


METHODS: dict[str, Callable[..., Any]] = {
    "get_submodule": _get_submodule, "get_parameter": _get_parameter,
    "get_buffer": _get_buffer,
    "register_buffer": _register_buffer, "buffers": _buffers,
    "named_buffers": _named_buffers, "state_dict": _state_dict,
    "load_state_dict": _load_state_dict,
}
add_methods(MODULE, METHODS)
