"""torch.nn.Module and torch.nn.Parameter for gd programs.

`nn.Module` is a ClassValue whose methods are NativeMethods: a gd `class Net(nn.Module)`
inherits them as it would a gd base class, and its instances are ModuleInstances, which
register Parameters and sub-Modules assigned to them in order (PyTorch's `_parameters`,
`_buffers` and `_modules`, which a program reads and edits as PyTorch's own dicts: gd dicts
of gd values, as an instance's __dict__ is). Calling a module calls its `forward`. A
Parameter is a Tensor flagged `param` (graph.is_parameter): it prints as `Parameter
containing:`, every op on it gives a plain tensor. The built-in layers (nn_layers.py) are
ModuleClasses made the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.graph import is_meta, is_parameter, mark_meta
from gradcli.ad.identity import at
from gradcli.ad.ops.devices import on_meta
from gradcli.ad.state import State, grad_mode, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import devices, module_hooks
from gradcli.interp.classes import (
    _MISSING,
    ClassValue,
    InstanceValue,
    NativeMethod,
    _bind,
    _error,
    _refuse_dunder,
)
from gradcli.interp.values import Builtin, FunctionBase, IteratorValue, type_name


def abc_iterable(v: Any) -> bool:
    """isinstance(v, collections.abc.Iterable), the test PyTorch's containers' extend makes:
    a tensor is iterable, a module or class instance is when its class has __iter__
    (ModuleList, Sequential, ModuleDict, ParameterList...), a number or None is not."""
    if isinstance(v, InstanceValue):
        return v.cls.find("__iter__") is not _MISSING
    if type(v) is Tensor:
        return True
    return v is not None and not isinstance(v, (int, float, complex))


def torch_typename(v: Any) -> str:
    """torch.typename(v), as PyTorch's nn messages name a value's type."""
    if type(v) is Tensor:
        return devices.legacy_name(v.array.dtype)
    return type_name(v)


# -- Parameter ---------------------------------------------------------------------------

def make_parameter(data: Any = None, requires_grad: Any = True) -> Tensor:
    """nn.Parameter(data, requires_grad=True): a leaf sharing data's storage."""
    if data is None:
        data = ops.members("torch")["empty"](0)
    if type(data) is not Tensor:
        raise GdRuntimeError(f"Parameter.__new__() argument 'data' must be Tensor, not "
                             f"{type_name(data)}", py_type="TypeError")
    p = data.detach()
    p.requires_grad_(bool(requires_grad))
    p.param = True
    return p


class ParameterClass(Builtin):
    """torch.nn.Parameter: a constructor that stands for the class."""

    __slots__ = ()
    is_class = True

    def __repr__(self) -> str:
        return "<class 'torch.nn.parameter.Parameter'>"


PARAMETER = ParameterClass("torch.nn.parameter.Parameter", make_parameter,
                           "nn.Parameter(data, requires_grad=True): a module's parameter")


# -- Buffer ------------------------------------------------------------------------------

#: The tensors nn.Buffer made this run (by id, with the tensor and its persistent flag):
#: PyTorch marks the tensor itself (`_is_buffer`); a module registers one assigned to it.
BUFFER_MARKS: dict[int, tuple[Tensor, bool]] = {}


def buffer_mark(t: Any) -> bool | None:
    """The persistent flag of a tensor nn.Buffer made, or None."""
    mark = BUFFER_MARKS.get(id(t))
    return mark[1] if mark is not None and mark[0] is t else None


def make_buffer(data: Any = None, *, persistent: Any = True) -> Tensor:
    """nn.Buffer(data=None, *, persistent=True): data detached, marked for registration."""
    if data is None:
        data = ops.members("torch")["empty"](0)
    if type(data) is not Tensor:
        raise GdRuntimeError(f"Buffer.__new__() argument 'data' must be Tensor, not "
                             f"{type_name(data)}", py_type="TypeError")
    t = data.detach()
    t.requires_grad_(data.requires_grad)
    BUFFER_MARKS[id(t)] = (t, bool(persistent))
    return t


class BufferClass(Builtin):
    """torch.nn.Buffer: a constructor that stands for the class."""

    __slots__ = ()
    is_class = True

    def instance_check(self, v: Any) -> bool:
        return type(v) is Tensor and buffer_mark(v) is not None

    def __repr__(self) -> str:
        return "<class 'torch.nn.parameter.Buffer'>"


BUFFER = BufferClass("torch.nn.parameter.Buffer", make_buffer,
                     "nn.Buffer(data=None, *, persistent=True): a module's buffer")


# -- modules -----------------------------------------------------------------------------

class ModuleInstance(InstanceValue):
    """An nn.Module: plain attributes, then its class's, then its parameters, buffers and
    sub-modules (PyTorch's lookup order); None of them until Module.__init__ ran."""

    __slots__ = ("bufs", "hooks", "mods", "nonpersistent", "params")
    has_vars = False  # PyTorch's __dict__ holds _parameters, _modules...: gd has no such

    def __init__(self, cls: ClassValue) -> None:
        super().__init__(cls)
        self.hooks: module_hooks.ModuleHooks | None = None
        self.params: dict[str, Tensor | None] | None = None
        self.bufs: dict[str, Tensor | None] | None = None
        self.mods: dict[str, ModuleInstance | None] | None = None
        self.nonpersistent: set[str] = set()

    def get_attr(self, name: str) -> Any:
        _refuse_dunder(name)
        if name in self.attrs or self.cls.find(name) is not _MISSING:
            return super().get_attr(name)
        for table in (self.params, self.bufs, self.mods):
            if table is not None and name in table:
                return table[name]
        table = self.tables_by_name().get(name)
        if table is not None:  # PyTorch's own dicts, live: model._modules['fc'] = ...
            return table
        if self.params is not None and name in module_hooks.DICTS:  # m._forward_hooks
            return getattr(module_hooks.hooks_of(self), module_hooks.DICTS[name])
        if self.params is not None and name == "_is_full_backward_hook":
            return None if self.hooks is None else self.hooks.full
        from gradcli.interp.attributes import not_supported

        raise (not_supported(f"torch.nn.Module.{name}", f"Module.{name}")
               or _error(f"'{self.cls.name}' object has no attribute '{name}'",
                         "AttributeError"))

    def tables_by_name(self) -> dict[str, Any]:
        """The private dicts PyTorch keeps in a module's __dict__ (None before __init__)."""
        return {"_parameters": self.params, "_buffers": self.bufs, "_modules": self.mods,
                "_non_persistent_buffers_set": self.nonpersistent
                if self.params is not None else None}

    def _forget(self, name: str, *tables: dict[str, Any] | None) -> None:
        self.attrs.pop(name, None)
        for table in tables:
            if table is not None:
                table.pop(name, None)
        self.nonpersistent.discard(name)

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        if name in module_hooks.DICTS and self.params is not None and isinstance(value, dict) \
                and name not in self.attrs and self.cls.find(name) is _MISSING:
            setattr(module_hooks.hooks_of(self), module_hooks.DICTS[name], value)
            return
        params, mods, bufs = self.params, self.mods, self.bufs
        persistent = buffer_mark(value) if type(value) is Tensor else None
        if persistent is not None:  # an nn.Buffer: registered (again) under this name
            if bufs is None:
                raise _error("cannot assign buffer before Module.__init__() call",
                             "AttributeError")
            if name not in bufs:
                self._forget(name, params, mods)
            self.method("register_buffer")(name, value, persistent=persistent)
        elif type(value) is Tensor and is_parameter(value):
            if params is None or mods is None:
                raise _error("cannot assign parameters before Module.__init__() call",
                             "AttributeError")
            self._forget(name, bufs, mods)
            if name not in params and self.cls.find(name) is not _MISSING:
                # register_parameter's hasattr: a property (a parametrized tensor) or a
                # method of that name already answers
                raise _error(f"attribute '{name}' already exists", "KeyError")
            params[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise _error(f"cannot assign '{torch_typename(value)}' as parameter '{name}' "
                             "(torch.nn.Parameter or None expected)", "TypeError")
            params[name] = None
        elif isinstance(value, ModuleInstance):
            if params is None or mods is None:
                raise _error("cannot assign module before Module.__init__() call",
                             "AttributeError")
            self._forget(name, params, bufs)
            mods[name] = value
        elif mods is not None and name in mods:
            if value is not None:
                raise _error(f"cannot assign '{torch_typename(value)}' as child module "
                             f"'{name}' (torch.nn.Module or None expected)", "TypeError")
            mods[name] = None
        elif bufs is not None and name in bufs:
            if value is not None and type(value) is not Tensor:
                raise _error(f"cannot assign '{torch_typename(value)}' as buffer '{name}' "
                             "(torch.nn.Buffer, torch.Tensor or None expected)", "TypeError")
            bufs[name] = value
        else:
            super().set_attr(name, value)

    def del_attr(self, name: str) -> None:
        _refuse_dunder(name)
        for table in (self.params, self.bufs, self.mods):
            if table is not None and name in table:
                del table[name]
                self.nonpersistent.discard(name)
                return
        super().del_attr(name)

    def _dunder(self, name: str) -> Any:
        raw = self.cls.find(name)
        return raw if isinstance(raw, (FunctionBase, NativeMethod)) else None

    def method(self, name: str) -> Any:
        """self.name bound (a gd override or the built-in method)."""
        return self.get_attr(name)

    def super_repr(self) -> str:
        """super().__repr__() from a subclass's own __repr__: nn.Module's text."""
        return module_repr(self)

    def gd_repr(self) -> str:
        fn = self._dunder("__repr__")
        if fn is None:
            return module_repr(self)
        r = fn(self)
        if type(r) is not str:
            raise _error(f"__repr__ returned non-string (type {type_name(r)})", "TypeError")
        return r

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fn = self._dunder("__call__")
        if isinstance(fn, FunctionBase):
            return fn.invoke([self, *args], kwargs or None)  # type: ignore[attr-defined]
        if self.mods is None:
            raise _error(f"'{self.cls.name}' object has no attribute '_forward_hooks'",
                         "AttributeError")
        forward = _bind(self.cls.find("forward"), self, self.cls)
        if self.hooks is not None and self.hooks.any():
            return module_hooks.call(self, forward, args, kwargs)
        return forward(*args, **kwargs)

    def __setitem__(self, index: Any, value: Any) -> None:
        fn = self._dunder("__setitem__")
        if fn is None:
            raise _error(f"'{self.cls.name}' object does not support item assignment",
                         "TypeError")
        fn(self, index, value)

    def __iter__(self) -> Any:
        fn = self._dunder("__iter__")
        if fn is not None:
            return iter(fn(self))
        return super().__iter__()


def _started(m: ModuleInstance) -> tuple[dict[str, Any], dict[str, Any]]:
    if m.params is None or m.mods is None:
        raise _error(f"'{m.cls.name}' object has no attribute '_parameters'", "AttributeError")
    return m.params, m.mods


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def module_repr(m: ModuleInstance) -> str:
    """PyTorch's Module.__repr__: Name(extra_repr) or the children, indented."""
    extra = m.method("extra_repr")()
    if type(extra) is not str:
        raise _error(f"sequence item 0: expected str instance, {type_name(extra)} found",
                     "TypeError")
    extra_lines = extra.split("\n") if extra else []
    child_lines = [f"({key}): " + _addindent(repr_of(mod), 2)
                   for key, mod in (m.mods or {}).items()]
    lines = extra_lines + child_lines
    main = m.cls.name + "("
    if lines:
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        else:
            main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"


def repr_of(v: Any) -> str:
    """repr() of a child (None for a child set to None)."""
    from gradcli.interp.values import to_repr

    return to_repr(v)


# -- nn.Module's methods -------------------------------------------------------------------

def _init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
    if not isinstance(self, ModuleInstance):
        raise _error(f"descriptor '__init__' requires a 'Module' object but received a "
                     f"'{type_name(self)}'", "TypeError")
    if args or kwargs:
        given = next(iter(kwargs), None)
        raise _error(f"Module.__init__() got an unexpected keyword argument '{given}'"
                     if given else "Module.__init__() takes 1 positional argument but "
                     f"{len(args) + 1} were given", "TypeError")
    if self.params is None:
        self.params, self.bufs, self.mods = {}, {}, {}
    self.attrs["training"] = True


def _forward(self: ModuleInstance, *args: Any, **kwargs: Any) -> Any:
    err = GdRuntimeError(f'Module [{self.cls.name}] is missing the required "forward" '
                         "function", py_type="NotImplementedError")
    raise err


def named_modules_of(m: ModuleInstance, prefix: str = "", memo: set[int] | None = None,
                     remove_duplicate: bool = True) -> Iterator[tuple[str, ModuleInstance]]:
    """(dotted name, module) of m and every module below it, each once (or, without
    remove_duplicate, once per path to it: a module that contains itself is not entered
    again, where PyTorch recursed without end)."""
    memo = set() if memo is None else memo
    if id(m) in memo:
        return
    memo.add(id(m))
    yield prefix, m
    for name, child in _started(m)[1].items():
        if child is not None:
            yield from named_modules_of(child, prefix + ("." if prefix else "") + name, memo,
                                        remove_duplicate)
    if not remove_duplicate:
        memo.discard(id(m))


class ModuleGenerator(IteratorValue):
    """What model.parameters() and its friends return: a generator named as PyTorch's."""

    __slots__ = ("method",)

    def __new__(cls, method: str, it: Any) -> ModuleGenerator:
        return object.__new__(cls)

    def __init__(self, method: str, it: Any) -> None:
        super().__init__("generator", it)
        self.method = method

    def __repr__(self) -> str:
        return f"<generator object Module.{self.method}{at(self)}>"


ModuleGenerator.__name__ = "generator"  # as Python's own messages name it


def _generator(items: Any, method: str) -> IteratorValue:
    return ModuleGenerator(method, iter(list(items)))


def _named_parameters_list(self: ModuleInstance, prefix: str = "", recurse: bool = True,
                           remove_duplicate: bool = True) -> list[tuple[str, Tensor]]:
    mods = named_modules_of(self, prefix, remove_duplicate=remove_duplicate) if recurse \
        else iter([(prefix, self)])
    seen: set[int] = set()
    out = []
    for mod_prefix, mod in mods:
        for name, p in _started(mod)[0].items():
            if p is None or (remove_duplicate and id(p) in seen):
                continue
            seen.add(id(p))
            out.append((mod_prefix + ("." if mod_prefix else "") + name, p))
    return out


def _named_parameters(self: ModuleInstance, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> IteratorValue:
    return _generator(_named_parameters_list(self, prefix, recurse, remove_duplicate),
                      "named_parameters")


def parameters_of(m: ModuleInstance, recurse: bool = True) -> list[Tensor]:
    """The module's parameters, each once, in registration order."""
    return [p for _, p in _named_parameters_list(m, "", recurse)]


def _parameters(self: ModuleInstance, recurse: bool = True) -> IteratorValue:
    return _generator(parameters_of(self, recurse), "parameters")


def _named_children_list(self: ModuleInstance) -> list[tuple[str, ModuleInstance]]:
    seen: set[int] = set()
    out = []
    for name, child in _started(self)[1].items():
        if child is not None and id(child) not in seen:
            seen.add(id(child))
            out.append((name, child))
    return out


def _children(self: ModuleInstance) -> IteratorValue:
    return _generator((c for _, c in _named_children_list(self)), "children")


def _named_children(self: ModuleInstance) -> IteratorValue:
    return _generator(_named_children_list(self), "named_children")


def _modules(self: ModuleInstance) -> IteratorValue:
    return _generator((m for _, m in named_modules_of(self)), "modules")


def _named_modules(self: ModuleInstance, memo: Any = None, prefix: str = "",
                   remove_duplicate: bool = True) -> IteratorValue:
    return _generator(named_modules_of(self, prefix, remove_duplicate=remove_duplicate),
                      "named_modules")


def _zero_grad(self: ModuleInstance, set_to_none: bool = True) -> None:
    for p in parameters_of(self):
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            g = p.grad
            if g.grad_fn is not None:
                g.detach_()
            else:
                g.requires_grad_(False)
            ops.members("Tensor")["zero_"](g)


def _train(self: ModuleInstance, mode: Any = True) -> ModuleInstance:
    if type(mode) is not bool:
        raise GdRuntimeError("training mode is expected to be boolean",
                             py_type="ValueError")
    self.attrs["training"] = mode
    for child in _named_children_list(self):
        child[1].method("train")(mode)
    return self


def _eval(self: ModuleInstance) -> ModuleInstance:
    return self.method("train")(False)


def _requires_grad_(self: ModuleInstance, requires_grad: bool = True) -> ModuleInstance:
    for p in parameters_of(self):
        p.requires_grad_(bool(requires_grad))
    return self


def _convert(self: ModuleInstance, convert: Callable[[Tensor], Tensor]) -> ModuleInstance:
    """Module._apply: each parameter (and its grad) and buffer given converted data, in
    place."""
    for _, m in named_modules_of(self):
        for p in [*_started(m)[0].values(), *(m.bufs or {}).values()]:
            if p is None:
                continue
            with grad_mode(False):
                new = convert(p)
                p.array = new.array
                if is_meta(new):
                    mark_meta(p)
                if p.grad is not None:
                    g = convert(p.grad)
                    p.grad.array = g.array
                    if is_meta(g):
                        mark_meta(p.grad)
    return self


def _float_only(dtype: Any) -> Callable[[Tensor], Tensor]:
    return lambda t: ops.to_dtype(t, dtype) if t.array.dtype.kind == "f" else t


def _float(self: ModuleInstance) -> ModuleInstance:
    return _convert(self, _float_only(ops.dtypes_resolve("float32")))


def _double(self: ModuleInstance) -> ModuleInstance:
    return _convert(self, _float_only(ops.dtypes_resolve("float64")))


def _half(self: ModuleInstance) -> ModuleInstance:
    return _convert(self, _float_only(ops.dtypes_resolve("float16")))


def _type(self: ModuleInstance, dst_type: Any) -> ModuleInstance:
    """Module.type(dst_type): every parameter and buffer cast, integer ones too."""
    return _convert(self, lambda t: devices.tensor_type(t, dst_type))


def _float_or_complex(dtype: Any) -> Callable[[Tensor], Tensor]:
    """Module.to(dtype)'s cast: floating and complex tensors take the dtype (a complex
    parameter cast to a real dtype drops its imaginary part), integer ones keep theirs."""
    return lambda t: ops.to_dtype(t, dtype) if t.array.dtype.kind in "fc" else t


def _to(self: ModuleInstance, *args: Any, **kwargs: Any) -> ModuleInstance:
    empty = ops.members("torch")["empty"]
    probe = devices.tensor_to(empty(0, dtype=bool), *args, **kwargs)
    kind = probe.array.dtype.kind
    if kind == "b" and devices.tensor_to(empty(0), *args, **kwargs).array.dtype.kind == "b":
        kind = "?"  # an explicit torch.bool (no dtype given keeps each probe's own)
    if kind not in "bfc":
        raise GdRuntimeError("nn.Module.to only accepts floating point or complex dtypes, "
                             f"but got desired dtype={_dtype_name(probe)}",
                             py_type="TypeError")
    if kind == "c":
        warn("Complex modules are a new feature under active development whose design may "
             "change, and some modules might not work as expected when using complex "
             "tensors as parameters or buffers. Please file an issue at "
             "https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml if a "
             "complex module does not work as expected.")
    cast = None if kind == "b" else _float_or_complex(probe.array.dtype)
    if is_meta(probe):  # module.to('meta'): every parameter and buffer on the meta device
        return _convert(self, lambda t: mark_meta(ops.to_dtype(t, t.dtype) if cast is None
                                                  else cast(t)))
    return self if cast is None else _convert(self, cast)


def _to_empty(self: ModuleInstance, *, device: Any, recurse: bool = True) -> ModuleInstance:
    """module.to_empty(device=...): every parameter and buffer a new uninitialised tensor
    of its shape on the device (zeros here, for the CPU)."""
    meta = devices.tensor_to(ops.members("torch")["empty"](0), device)
    for _, m in named_modules_of(self) if recurse else [("", self)]:
        for p in [*_started(m)[0].values(), *(m.bufs or {}).values()]:
            if p is None:
                continue
            p.array = np.zeros_like(p.array)
            if is_meta(meta):
                mark_meta(p)
            elif is_meta(p):
                del p.meta
    return self


def _dtype_name(t: Tensor) -> str:
    from gradcli.interp.values import dtype_value

    return repr(dtype_value(t.array.dtype))


def _cpu(self: ModuleInstance) -> ModuleInstance:
    return self


def _cuda(self: ModuleInstance, device: Any = None) -> ModuleInstance:
    return devices.tensor_cuda(ops.members("torch")["empty"](0))


def _extra_repr(self: ModuleInstance) -> str:
    return ""


def _add_module(self: ModuleInstance, name: Any, module: Any) -> None:
    mods = _started(self)[1]
    if module is not None and not isinstance(module, ModuleInstance):
        raise _error(f"{torch_typename(module)} is not a Module subclass", "TypeError")
    if type(name) is not str:
        raise _error(f"module name should be a string. Got {type_name(name)}", "TypeError")
    if "." in name:
        raise _error(f"module name can't contain \".\", got: {name}", "KeyError")
    if name == "":
        raise _error('module name can\'t be empty string ""', "KeyError")
    if name in self.attrs and name not in mods:
        raise _error(f"attribute '{name}' already exists", "KeyError")
    mods[name] = module


def check_member_name(kind: str, name: Any) -> None:
    """register_parameter's and register_buffer's checks of the name (kind: 'parameter'
    or 'buffer'), in PyTorch's words."""
    if type(name) is not str:
        raise _error(f"{kind} name should be a string. Got {torch_typename(name)}",
                     "TypeError")
    if "." in name:
        raise _error(f'{kind} name can\'t contain "."', "KeyError")
    if name == "":
        raise _error(f'{kind} name can\'t be empty string ""', "KeyError")


def _register_parameter(self: ModuleInstance, name: Any, param: Any) -> None:
    params = _started(self)[0]
    check_member_name("parameter", name)
    if param is not None and not (type(param) is Tensor and is_parameter(param)):
        raise _error(f"cannot assign '{torch_typename(param)}' object to parameter '{name}' "
                     "(torch.nn.Parameter or None required)", "TypeError")
    if name in self.attrs and name not in params:
        raise _error(f"attribute '{name}' already exists", "KeyError")
    params[name] = param


def _apply_fn(self: ModuleInstance, fn: Any) -> ModuleInstance:
    for _, child in _named_children_list(self):
        child.method("apply")(fn)
    fn(self)
    return self


MODULE_METHODS: dict[str, Callable[..., Any]] = {
    "__init__": _init, "forward": _forward, "parameters": _parameters,
    "named_parameters": _named_parameters, "children": _children,
    "named_children": _named_children, "modules": _modules, "named_modules": _named_modules,
    "zero_grad": _zero_grad, "train": _train, "eval": _eval,
    "requires_grad_": _requires_grad_, "float": _float, "double": _double, "half": _half,
    "to": _to, "type": _type, "to_empty": _to_empty,
    "cpu": _cpu, "cuda": _cuda, "extra_repr": _extra_repr, "add_module": _add_module,
    "register_module": _add_module, "register_parameter": _register_parameter,
    "apply": _apply_fn, **module_hooks.METHODS,
}


def add_methods(cls: ClassValue, methods: dict[str, Callable[..., Any]]) -> None:
    """Give a built-in nn class more native methods (a family module's share of them)."""
    cls.attrs.update({key: NativeMethod(f"{cls.name}.{key}", fn)
                      for key, fn in methods.items()})


class ModuleClass(ClassValue):
    """A built-in nn class (nn.Module, nn.Linear, ...): prints with PyTorch's module path;
    its instances are ModuleInstances."""

    __slots__ = ("qualname",)

    def __init__(self, name: str, qualname: str, base: ClassValue | None,
                 methods: dict[str, Callable[..., Any]]) -> None:
        attrs: dict[str, Any] = {key: NativeMethod(f"{name}.{key}", fn)
                                 for key, fn in methods.items()}
        super().__init__(name, (base,) if base is not None else (), attrs, False)
        if base is None:
            self.instance_type = type(name, (ModuleInstance,), {"__slots__": ()})
        self.qualname = qualname

    def gd_repr(self) -> str:
        return f"<class '{self.qualname}'>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        device = kwargs.get("device")
        if not (on_meta(device) if device is not None else State.default_meta):
            return super().__call__(*args, **kwargs)
        # nn.Linear(..., device='meta'), or under the meta default device: parameters of
        # their shapes and no data, so their initialisation draws nothing (the generator
        # left as it was).
        from gradcli.ad.ops.creation import gen_of

        gen = gen_of(None)
        state = gen.get_state()
        default, State.default_meta = State.default_meta, False
        try:
            made = super().__call__(*args, **{**kwargs, "device": None})
        finally:
            State.default_meta = default
            gen.set_state(state)
        return _convert(made, lambda t: mark_meta(t.detach()))

    def get_attr(self, name: str) -> Any:
        if name == "__init__":  # nn.Module.__init__(self), as older tutorials write it
            init = self.find("__init__")
            return Builtin(init.name, init.fn, f"{init.name}(self, ...)")
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)  # shared by every run in the process: read-only in gd
        raise GdRuntimeError(f"cannot set attribute '{name}' of the built-in class "
                             f"'{self.qualname}' in gd", py_type="TypeError",
                             hint="subclass it and define the attribute there")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)


MODULE = ModuleClass("Module", "torch.nn.modules.module.Module", None, MODULE_METHODS)

# nn.Module's class attributes real code reads (PyTorch's values), and two small methods:
# _get_name() (the class's name, as reprs use it) and share_memory() (gd's tensors are in
# the one process already: the module itself).
MODULE.attrs.update({"dump_patches": False, "call_super_init": False, "_version": 1})
add_methods(MODULE, {"_get_name": lambda self: self.cls.name, "share_memory": lambda self: self})
