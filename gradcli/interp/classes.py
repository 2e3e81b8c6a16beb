"""gd classes: a `class` statement makes a ClassValue, calling it makes an InstanceValue.

Inheritance from `object`, other gd classes (several: Python's C3 method resolution
order, cooperative `super()`) or torch.autograd.Function; methods,
class and instance attributes, @staticmethod, @classmethod, @property (with .setter) and
`super()`. Among the dunder names a class may define Python's protocol methods
(dunders.PROTOCOL_DUNDERS: operators, comparisons, __hash__, containers, iteration,
conversions, __format__, __enter__/__exit__) and the descriptor protocol (__get__,
__set__, __delete__, __set_name__: dunders.DESCRIPTOR_DUNDERS); Python's machinery
calls them through the host methods of dunders.Protocols. Every attribute lookup goes
through `get_attr` here, never to the host object: dunder names (`__class__`,
`__dict__`, `mro`'s friends) are refused, `_private` names are ordinary gd attributes.
Instances print with the address ad/identity gives them
(`<__main__.Name object at 0x7f0000000010>`), the same every run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad.identity import at, object_repr
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import classdunders, exceptions, pyfuncattrs
from gradcli.interp.classattrs import (  # re-exported: where classes.Property was
    CachedProperty,
    ClassMethod,
    Property,
    StaticMethod,
    _error,
    _is_dunder,
    _refuse_dunder,
)
from gradcli.interp.dunders import (
    DESCRIPTOR_DUNDERS,
    INDEX,
    PROTOCOL_DUNDERS,
    Protocols,
    descriptor_call,
    is_data_descriptor,
    next_hash,
)
from gradcli.interp.values import (
    Builtin,
    FunctionBase,
    GdObject,
    GradModeDecorator,
    private_name_error,
    to_repr,
    type_name,
)
from gradcli.source import Span

_MISSING = object()
#: The operators a built-in base class gives its gd subclasses' instances (id of the
#: class -> dunder name -> fn(self, other)): torch.utils.data.Dataset's `+`.
NATIVE_DUNDERS: dict[int, dict[str, Callable[..., Any]]] = {}
# Class attributes with dunder names that only describe the class: __slots__ (the names
# an instance may set) and __match_args__ (the attributes a class pattern's positional
# sub-patterns name). __getstate__/__setstate__ only serve pickle (which gd programs never
# reach): kept as plain methods, so optimizers copied from torch.optim's source define.
_CLASS_DUNDERS = frozenset({"__slots__", "__match_args__", "__init_subclass__",
                            "__setattr__", "__delattr__", "__getstate__", "__setstate__",
                            *DESCRIPTOR_DUNDERS})
# The functions @abc.abstractmethod marked in this run, by id (each kept, so no id is
# reused); a class deriving from abc.ABC cannot be instantiated while one is its method.
ABSTRACT: dict[int, Any] = {}


def mark_abstract(fn: Any) -> Any:
    """@abc.abstractmethod: fn, marked (as Python sets fn.__isabstractmethod__)."""
    ABSTRACT[id(fn)] = fn
    return fn


def _is_abstract(v: Any) -> bool:
    if type(v) is Property:
        v = v.fget
    elif type(v) in (StaticMethod, ClassMethod):
        v = v.fn
    return ABSTRACT.get(id(v)) is v and v is not None


def key_error(key: Any) -> GdRuntimeError:
    """KeyError(key) for a missing key: str(e) is the key's repr, as in Python."""
    err = _error(to_repr(key), "KeyError")
    err.key = key
    return err


class NativeMethod:
    """A method of a built-in class (torch.nn.Module's) in a ClassValue's attributes: a
    Python function taking the instance first, bound as a gd method is."""

    __slots__ = ("fn", "name")

    def __init__(self, name: str, fn: Any) -> None:
        self.name = name
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {self.name}{at(self)}>"


class BoundGdMethod:
    """A gd function bound to an instance (or to a class, for a classmethod)."""

    __slots__ = ("fn", "obj")
    # method.__doc__, method.__name__...: the function's attributes, as Python forwards them
    gd_private_names = pyfuncattrs.READABLE
    py_type_name = "method"

    def __init__(self, obj: Any, fn: Any) -> None:
        self.obj = obj
        self.fn = fn

    @staticmethod
    def gd_attribute(method: BoundGdMethod, name: str) -> Any:
        fn = method.fn
        if not isinstance(fn, FunctionBase) or not hasattr(fn, "attrs"):
            raise private_name_error(name) if name.startswith("_") else _error(
                f"'method' object has no attribute '{name}'", "AttributeError")
        return pyfuncattrs.get(fn, name)  # Python's words: "'function' object has no ..."

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self.fn, FunctionBase):
            return self.fn.invoke([self.obj, *args], kwargs or None)  # type: ignore[attr-defined]
        return self.fn(self.obj, *args, **kwargs)  # a method under @torch.no_grad()

    def __repr__(self) -> str:
        from gradcli.interp.values import to_repr

        return f"<bound method {getattr(self.fn, 'name', '?')} of {to_repr(self.obj)}>"


def _own_protocol_method(cls: ClassValue, name: str) -> Any:
    """The gd function a program's class (or a gd base) defines for a protocol dunder
    (`__next__`, `__len__`, `__add__`, ...), or None: nothing else of a dunder name is
    reachable."""
    if name not in PROTOCOL_DUNDERS or name in ("__init__", "__post_init__"):
        return None
    raw = cls.find(name)
    return raw if isinstance(raw, FunctionBase) else None


def _bind(raw: Any, obj: Any, cls: ClassValue) -> Any:
    """What instance.name gives for a class attribute `raw`."""
    if isinstance(raw, (FunctionBase, GradModeDecorator, NativeMethod)):
        return BoundGdMethod(obj, raw)
    t = type(raw)
    if t is StaticMethod:
        return raw.fn
    if t is ClassMethod:
        return BoundGdMethod(cls, raw.fn)
    if t is Property:
        if raw.fget is None:
            raise _error("unreadable attribute", "AttributeError")
        return raw.fget(obj)
    if t is CachedProperty and isinstance(obj, InstanceValue):
        v = obj.attrs[raw.fn.name.rsplit(".", 1)[-1]] = raw.fn(obj)
        return v
    bind = getattr(t, "gd_bind", None)  # a descriptor (singledispatchmethod, pydescriptors)
    return raw if bind is None else bind(raw, obj, cls)


def _slot_names(chain: tuple[ClassValue, ...]) -> frozenset[str] | None:
    names: set[str] = set()
    for c in chain:
        declared = c.attrs.get("__slots__", _MISSING)
        if declared is _MISSING:
            return None
        names.update((declared,) if type(declared) is str else
                     (n for n in declared if type(n) is str))
    return None if "__dict__" in names else frozenset(names)


def _c3(seqs: list[list[ClassValue]]) -> list[ClassValue]:
    """C3 linearization: the merge of the bases' orders and the bases' list (Python's)."""
    out: list[ClassValue] = []
    seqs = [list(q) for q in seqs if q]
    while seqs:
        for q in seqs:
            head = q[0]
            if not any(head in other[1:] for other in seqs):
                break
        else:
            names = ", ".join(dict.fromkeys(q[0].name for q in seqs))
            raise _error("Cannot create a consistent method resolution\norder (MRO) for "
                         f"bases {names}", "TypeError")
        out.append(head)
        seqs = [q[1:] if q[0] is head else q for q in seqs]
        seqs = [q for q in seqs if q]
    return out


class ClassValue(GdObject):
    """A class made by a `class` statement."""

    __slots__ = ("abstract", "annotated", "attr_hooks", "attrs", "bases", "chain", "declared",
                 "docstring", "function_base", "generic", "host", "instance_type", "name",
                 "properties", "qualname", "slots", "subclasses")

    def __init__(self, name: str, bases: tuple[Any, ...], attrs: dict[str, Any],
                 function_base: bool, host: type | None = None) -> None:
        # Instances are of a subclass named as the gd class, so Python's own messages
        # ("bad operand type for abs(): 'A'") name it as Python would.
        # A subclass of a built-in class (torch.nn.Module) makes the instances it makes.
        # Several gd bases: Python's C3 order of the classes (its method resolution order)
        # and a host type deriving from each base's instance type, as Python's layout rules
        # allow (two built-in bases with their own instances are refused as Python does).
        gd_bases = [b for b in bases if isinstance(b, ClassValue)]
        mro = _c3([list(b.chain) for b in gd_bases] + [gd_bases])
        roots = tuple(b.instance_type for b in gd_bases) or (InstanceValue,)
        # A container base (`class Config(dict)`): instances are dicts too (pysubclass).
        self.host = host or next((b.host for b in gd_bases if b.host is not None), None)
        if host is not None:
            from gradcli.interp.pysubclass import ROOTS

            roots = (*(b.instance_type for b in gd_bases), ROOTS[host])
        host_ns: dict[str, Any] = {"__slots__": ()}
        if "__index__" in attrs:
            host_ns["__index__"] = INDEX
        try:
            self.instance_type = type(name, roots, host_ns)
        except TypeError:
            raise _error("multiple bases have instance lay-out conflict", "TypeError") from None
        self.name = name
        self.qualname = name  # Python's __qualname__ and docstring (classdunders.describe)
        self.docstring: str | None = None
        # The program's classes made from it (__subclasses__): a class statement's own
        # (classdunders.describe); None for the built-in classes every run shares.
        self.subclasses: list[ClassValue] | None = None
        self.declared: tuple[Any, ...] = bases  # the bases as written (__bases__)
        self.bases = bases
        self.attrs = attrs
        self.function_base = function_base  # torch.autograd.Function is in the chain
        # The class and its ancestors in Python's method resolution order (bases cannot
        # change in gd).
        self.chain: tuple[ClassValue, ...] = (self, *mro)
        # Whether the class itself has a @property: only where one is in the chain may a
        # class attribute win over an instance's own attribute.
        self.properties = any(type(v) is Property or is_data_descriptor(v)
                              for v in attrs.values())
        # Whether typing.Generic[T] is a base (or a base's): Box[int] is then the class.
        self.generic = any(b.generic for b in gd_bases)
        # The names the class body annotates (`x: int = 0`), in order: a dataclass's fields.
        self.annotated: tuple[str, ...] = ()
        # An abc.ABC class's abstract methods' names (None: not an ABC class).
        self.abstract: frozenset[str] | None = None
        # Whether the class or a base defines __setattr__ or __delattr__ (set_attribute).
        self.attr_hooks = any(n in c.attrs for c in self.chain
                              for n in ("__setattr__", "__delattr__"))
        # The attribute names an instance may hold when every class in the chain declares
        # __slots__ (none of them '__dict__'), else None: any name.
        self.slots = _slot_names(self.chain)

    def find(self, name: str) -> Any:
        """The raw class attribute (wrappers kept) through the chain, or _MISSING."""
        for c in self.chain:
            v = c.attrs.get(name, _MISSING)
            if v is not _MISSING:
                return v
        return _MISSING

    def lookup(self, name: str) -> Any | None:
        """An attribute through the class chain (a @staticmethod unwrapped), or None."""
        v = self.find(name)
        if v is _MISSING:
            return None
        return v.fn if type(v) is StaticMethod else v

    def is_subclass(self, other: ClassValue) -> bool:
        return other in self.chain

    def get_attr(self, name: str) -> Any:
        if name == "__name__":
            return self.name
        described = classdunders.class_attribute(self, name)  # __qualname__, __mro__ ...
        if described is not classdunders.MISSING:
            return described
        own = _own_protocol_method(self, name)
        if own is not None:  # Vec.__add__, Dataset.__len__: the class's own function
            return own
        _refuse_dunder(name)
        if name == "apply" and self.function_base:
            return self._apply()
        raw = self.find(name)
        if raw is _MISSING:
            raise _error(f"type object '{self.name}' has no attribute '{name}'",
                         "AttributeError")
        if type(raw) is StaticMethod:
            return raw.fn
        if type(raw) is ClassMethod:
            return BoundGdMethod(self, raw.fn)
        return raw.gd_bind(None, self) if isinstance(raw, InstanceValue) else raw

    def _apply(self) -> Builtin:
        cls = self

        def apply(*args: Any, **kwargs: Any) -> Any:
            from gradcli.interp import custom_function  # type: ignore[attr-defined]

            return custom_function.apply(cls, args, kwargs)

        return Builtin(f"{self.name}.apply", apply, f"{self.name}.apply(*args)")

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        if type(value) is Property:
            self.properties = True
        self.attrs[name] = value

    def del_attr(self, name: str) -> None:
        _refuse_dunder(name)
        if self.attrs.pop(name, _MISSING) is _MISSING:
            raise _error(f"type object '{self.name}' has no attribute '{name}'",
                         "AttributeError")

    def gd_repr(self) -> str:
        return f"<class '__main__.{self.qualname}'>"

    def type_label(self) -> str:
        return "type"

    def __call__(self, *args: Any, **kwargs: Any) -> InstanceValue:
        if self.abstract:
            s = "s" if len(self.abstract) > 1 else ""
            raise _error(f"Can't instantiate abstract class {self.name} with abstract "
                         f"method{s} {', '.join(sorted(self.abstract))}", "TypeError")
        if self.host is not None:
            from gradcli.interp.pysubclass import make_instance

            inst = make_instance(self, args, kwargs)
        else:
            inst = self.instance_type(self)
        init = self.find("__init__")
        if isinstance(init, FunctionBase):
            r = init.invoke([inst, *args], kwargs or None)  # type: ignore[attr-defined]
            if r is not None:
                raise _error(f"__init__() should return None, not '{type_name(r)}'",
                             "TypeError")
        elif type(init) is NativeMethod:
            init(inst, *args, **kwargs)
        elif self.host is not None:
            inst.super_attribute("__init__")(*args, **kwargs)
        elif args or kwargs:
            raise _error(f"{self.name}() takes no arguments", "TypeError")
        return inst


class InstanceValue(Protocols, GdObject):
    """An instance of a gd class: its own attributes, then its class's."""

    # No __slots__: an instance of a class deriving from dict or list is also a host dict
    # (list), whose layout a slotted base would conflict with (pysubclass).
    singleton = False  # an enum member (pyenum) is its own copy
    # vars(obj) and obj.__dict__ give `attrs`, a dict of gd values (not for a module).
    has_vars = True

    def __init__(self, cls: ClassValue) -> None:
        self.cls = cls
        self.attrs: dict[str, Any] = {}
        self.hash_id = next_hash()

    def get_attr(self, name: str) -> Any:
        if name in classdunders.INSTANCE_NAMES:  # obj.__module__, obj.__doc__
            return classdunders.class_attribute(self.cls, name)
        own = _own_protocol_method(self.cls, name)
        if own is not None:  # it.__next__(), obj.__len__(): the class's own method, bound
            return BoundGdMethod(self, own)
        _refuse_dunder(name)
        cls = self.cls
        if not any(c.properties for c in cls.chain):
            v = self.attrs.get(name, _MISSING)
            if v is not _MISSING:
                return v
        raw = cls.find(name)
        if type(raw) is Property or is_data_descriptor(raw):
            return _bind(raw, self, self.cls)
        v = self.attrs.get(name, _MISSING)
        if v is not _MISSING:
            return v
        if raw is _MISSING and name == "apply" and cls.function_base:
            return cls._apply()  # Function.apply is a classmethod: reachable on an instance
        if raw is _MISSING:
            host = getattr(self, "host_attribute", None)  # a container's method (pysubclass)
            found = None if host is None else host(name)
            if found is not None:
                return found
            fallback = self._dunder("__getattr__")
            if fallback is not None:  # Python's last resort for a missing attribute
                return fallback(self, name)
            raise _error(f"'{self.cls.name}' object has no attribute '{name}'",
                         "AttributeError")
        return _bind(raw, self, self.cls)

    def set_attr(self, name: str, value: Any) -> None:
        if name == "__dict__" and value is self and isinstance(value, dict):
            self.attrs = value  # class AttrDict(dict): self.__dict__ = self (pysubclass)
            return
        _refuse_dunder(name)
        raw = self.cls.find(name)
        if type(raw) is Property:
            if raw.fset is None:
                raise _error(f"property '{name}' of '{self.cls.name}' object has no setter",
                             "AttributeError")
            raw.fset(self, value)
            return
        if descriptor_call(raw, "__set__", self, value):  # a data descriptor's __set__
            return
        slots = self.cls.slots
        if slots is not None and name not in slots:  # as Python's slotted instances
            if raw is not _MISSING:
                raise _error(f"'{self.cls.name}' object attribute '{name}' is read-only",
                             "AttributeError")
            raise _error(f"'{self.cls.name}' object has no attribute '{name}'",
                         "AttributeError")
        self.attrs[name] = value

    def del_attr(self, name: str) -> None:
        _refuse_dunder(name)
        raw = self.cls.find(name)
        if type(raw) is Property:
            if raw.fdel is None:
                raise _error(f"property '{name}' of '{self.cls.name}' object has no deleter",
                             "AttributeError")
            raw.fdel(self)
            return
        if descriptor_call(raw, "__delete__", self):
            return
        if self.attrs.pop(name, _MISSING) is _MISSING:
            raise _error(f"'{self.cls.name}' object has no attribute '{name}'",
                         "AttributeError")

    def _dunder(self, name: str) -> Any:
        raw = self.cls.find(name)
        if isinstance(raw, FunctionBase):
            return raw
        if raw is _MISSING and NATIVE_DUNDERS:  # a built-in base's operator (Dataset +)
            for c in self.cls.chain:
                fn = NATIVE_DUNDERS.get(id(c), {}).get(name)
                if fn is not None:
                    return fn
        return None

    def gd_bind(self, obj: Any, cls: ClassValue) -> Any:
        """This instance as a class attribute read through obj (None: the class): its
        __get__(obj, cls) if its class defines one (a descriptor), else itself."""
        get = self._dunder("__get__")
        return self if get is None else get(self, obj, cls)

    def gd_repr(self) -> str:
        fn = self._dunder("__repr__")
        if fn is None:
            host_repr = getattr(self, "host_repr", None)  # a container's (pysubclass)
            if host_repr is not None:
                return host_repr()  # type: ignore[no-any-return]
            return object_repr(f"__main__.{self.cls.qualname}", self)
        return _text(fn(self), "__repr__")

    def gd_str(self) -> str:
        fn = self._dunder("__str__")
        return self.gd_repr() if fn is None else _text(fn(self), "__str__")

    def type_label(self) -> str:
        return self.cls.name

    # Python's protocols, for len(), obj[i], obj(...), truth and iteration.
    def __len__(self) -> int:
        fn = self._dunder("__len__")
        if fn is None:
            raise _error(f"object of type '{self.cls.name}' has no len()", "TypeError")
        n = fn(self)
        if type(n) is not int and type(n) is not bool:
            raise _error(f"'{type_name(n)}' object cannot be interpreted as an integer",
                         "TypeError")
        if n < 0:
            raise _error("__len__() should return >= 0", "ValueError")
        return int(n)

    def __bool__(self) -> bool:
        fn = self._dunder("__bool__")
        if fn is not None:
            r = fn(self)
            if type(r) is not bool:
                raise _error(f"__bool__ should return bool, returned {type_name(r)}",
                             "TypeError")
            return r
        return self._dunder("__len__") is None or len(self) != 0

    def __getitem__(self, index: Any) -> Any:
        fn = self._dunder("__getitem__")
        if fn is None:
            raise _error(f"'{self.cls.name}' object is not subscriptable", "TypeError")
        return fn(self, index)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fn = self._dunder("__call__")
        if fn is None and self.cls.function_base:
            # torch.autograd.Function.__call__: only the legacy (instance) style called one
            raise _error(_LEGACY_FUNCTION, "RuntimeError")
        if fn is None:
            raise _error(f"'{self.cls.name}' object is not callable", "TypeError")
        return fn.invoke([self, *args], kwargs or None)

    def _items(self) -> Any:
        # The old sequence protocol: obj[0], obj[1], ... until IndexError.
        i = 0
        while True:
            try:
                v = self[i]
            except GdError as e:
                exc = exceptions.exception_of(e)
                if exc is not None and exc.cls.is_subclass_of(exceptions.CLASSES["IndexError"]):
                    return
                raise
            yield v
            i += 1


def _text(r: Any, what: str) -> str:
    if type(r) is not str:
        raise _error(f"{what} returned non-string (type {type_name(r)})", "TypeError")
    return r


class SuperValue(GdObject):
    """`super()` inside a method: attributes from the classes after `cls` in obj's chain."""

    __slots__ = ("cls", "obj")

    def __init__(self, cls: ClassValue, obj: Any) -> None:
        self.cls = cls
        self.obj = obj

    def get_attr(self, name: str) -> Any:
        owner = self.obj.cls if isinstance(self.obj, InstanceValue) else self.obj
        chain = owner.chain if isinstance(owner, ClassValue) else ()
        start = chain.index(self.cls) + 1 if self.cls in chain else len(chain)
        for c in chain[start:]:
            raw = c.attrs.get(name, _MISSING)
            if raw is not _MISSING:
                if isinstance(raw, FunctionBase) and not isinstance(self.obj, InstanceValue) \
                        and name != "__init_subclass__":  # (implicitly a class method)
                    return raw
                return _bind(raw, self.obj, owner)
        if name == "__init_subclass__":
            return Builtin("object.__init_subclass__", _object_init_subclass,
                           "object.__init_subclass__()")
        host = getattr(self.obj, "super_attribute", None)  # a container's (pysubclass)
        found = None if host is None else host(name)
        if found is not None:
            return found
        if name in OBJECT_ATTR_METHODS and isinstance(self.obj, InstanceValue):
            inst, method = self.obj, OBJECT_ATTR_METHODS[name]
            return Builtin(f"object.{name}", lambda *args: method(inst, *args))
        if name == "__init__":
            return Builtin("object.__init__", _object_init, "object.__init__(self)")
        if name in ("__repr__", "__str__") and isinstance(self.obj, InstanceValue):
            obj = self.obj
            base_repr = getattr(obj, "super_repr", None)  # nn.Module's own (nn_module)
            if base_repr is not None:
                return Builtin(f"Module.{name}", lambda: base_repr())
            return Builtin(f"object.{name}", lambda: object_repr(f"__main__.{obj.cls.name}", obj))
        default = _OBJECT_METHODS.get(name)
        if default is not None and isinstance(self.obj, InstanceValue):
            inst = self.obj
            return Builtin(f"object.{name}", lambda *args: default(inst, *args))
        _refuse_dunder(name)
        raise _error(f"'super' object has no attribute '{name}'", "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        raise _error(f"'super' object has no attribute '{name}'", "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return f"<super: <class '{self.cls.name}'>, <{self.cls.name} object>>"

    def type_label(self) -> str:
        return "super"


# What super().__eq__(other) and the like reach at the end of a gd class's chain:
# object's own methods (identity, and NotImplemented for the orderings).
_OBJECT_METHODS: dict[str, Any] = {
    "__eq__": lambda s, o: True if s is o else NotImplemented,
    "__ne__": lambda s, o: False if s is o else NotImplemented,
    "__hash__": lambda s: s.hash_id,
    **dict.fromkeys(("__lt__", "__le__", "__gt__", "__ge__"), lambda s, o: NotImplemented),
}


def _object_setattr(obj: Any, name: Any, value: Any) -> None:
    """object.__setattr__(obj, name, value): the attribute stored, no __setattr__ hook."""
    if not isinstance(obj, InstanceValue) or type(name) is not str:
        raise _error("object.__setattr__ takes a gd instance and a string in gd", "TypeError")
    obj.set_attr(name, value)


def _object_delattr(obj: Any, name: Any) -> None:
    """object.__delattr__(obj, name): the attribute deleted, no __delattr__ hook."""
    if not isinstance(obj, InstanceValue) or type(name) is not str:
        raise _error("object.__delattr__ takes a gd instance and a string in gd", "TypeError")
    obj.del_attr(name)


# object.__setattr__ and object.__delattr__ (also what super().__setattr__ reaches).
OBJECT_ATTR_METHODS: dict[str, Any] = {"__setattr__": _object_setattr,
                                       "__delattr__": _object_delattr}


def _object_init_subclass(**kwargs: Any) -> None:
    if kwargs:
        raise _error("object.__init_subclass__() takes no keyword arguments", "TypeError")


def _object_init(*args: Any, **kwargs: Any) -> None:
    if args or kwargs:
        raise _error("object.__init__() takes exactly one argument (the instance to "
                     "initialize)", "TypeError")


class PlainObject(GdObject):
    """What object() makes: no attributes at all."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        _refuse_dunder(name)
        raise _error(f"'object' object has no attribute '{name}'", "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        _refuse_dunder(name)
        raise _error(f"'object' object has no attribute '{name}'", "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr("object", self)

    def type_label(self) -> str:
        return "object"


def make_object() -> PlainObject:
    """object(): a featureless object."""
    return PlainObject()


def super_of(cls: Any = None, obj: Any = None) -> SuperValue:
    """super(cls, obj); the argument-less super() inside a method is compiled in place."""
    if cls is None:
        raise _error("super(): no arguments", "RuntimeError")
    if not isinstance(cls, ClassValue):
        raise _error(f"super() argument 1 must be a type, not {type_name(cls)}", "TypeError")
    if not ((isinstance(obj, InstanceValue) and obj.cls.is_subclass(cls))
            or (isinstance(obj, ClassValue) and obj.is_subclass(cls))):
        raise _error("super(type, obj): obj must be an instance or subtype of type",
                     "TypeError")
    return SuperValue(cls, obj)


def make_class(name: str, bases: list[Any], attrs: dict[str, Any], span: Span,
               annotated: tuple[str, ...] = ()) -> ClassValue | exceptions.ExceptionClass:
    """The class a `class` statement defines, from its bases and its body's names; a
    class deriving from an exception class is a new exception class (its methods plain
    functions of the exception object)."""
    if len(bases) == 1 and type(bases[0]) is exceptions.ExceptionClass:
        if any(isinstance(v, (StaticMethod, ClassMethod, Property)) for v in attrs.values()):
            raise GdRuntimeError("@staticmethod, @classmethod and @property on exception "
                                 "classes are not supported in gd", span)
        return exceptions.ExceptionClass(name, bases[0], attrs)
    for base in bases:
        subclass = getattr(base, "subclass", None)
        if subclass is not None:  # enum.Enum, typing.NamedTuple: their own kind of class
            made: Any = subclass(name, bases, attrs, span, annotated)
            return made
    from gradcli.interp.distributions import DistributionClass
    from gradcli.interp.distributions_subclass import base_class
    from gradcli.interp.pysubclass import HOST_BASES

    bases = [base_class(b) if isinstance(b, DistributionClass) else b for b in bases]
    hosts = [HOST_BASES[b.name] for b in bases
             if isinstance(b, Builtin) and b.name in HOST_BASES]
    host = hosts[0] if hosts else next(
        (b.host for b in bases if isinstance(b, ClassValue) and b.host is not None), None)
    for key in attrs:
        if key == "__missing__" and host is not None and issubclass(host, dict):
            continue  # dict's hook for a missing key (pysubclass)
        if _is_dunder(key) and key not in PROTOCOL_DUNDERS and key not in _CLASS_DUNDERS:
            raise GdRuntimeError(
                f"defining '{key}' is not supported in gd classes", span,
                hint="a gd class may define __init__ and Python's protocol methods: "
                "operators, comparisons, __hash__, __len__, __getitem__, __contains__, "
                "__iter__/__next__, __call__, __repr__/__str__/__format__, __bool__, "
                "__enter__/__exit__, __getattr__, __get__/__set__/__set_name__")
    # __slots__: an instance of a class whose chain declares it everywhere refuses other
    # attribute names, as Python's (ClassValue.slots); the tuple itself is out of reach.
    if "__eq__" in attrs and "__hash__" not in attrs:
        attrs["__hash__"] = None  # as Python: defining __eq__ alone makes it unhashable
    kept: list[Any] = []
    function_base = False
    for base in bases:
        if isinstance(base, ClassValue):
            function_base = function_base or base.function_base
            kept.append(base)
        elif isinstance(base, Builtin) and base.name in ("object", "abc.ABC"):
            continue  # abc.ABC adds nothing in gd (pyclassmods)
        elif isinstance(base, Builtin) and base.name in HOST_BASES:
            continue  # a container: the instances are containers too (pysubclass)
        elif getattr(base, "ignored_base", False):
            continue  # typing.Generic[T], typing.Protocol (pytyping)
        elif _is_function_base(base):
            function_base = True
            kept.append(base)
        else:
            shown = base.name if isinstance(base, Builtin) else f"a {type_name(base)} value"
            raise GdRuntimeError(
                f"a gd class can inherit only from object, a gd class or "
                f"torch.autograd.Function (or an exception class), not from {shown} in gd",
                span)
    if len(set(hosts)) > 1:
        raise GdRuntimeError("multiple bases have instance lay-out conflict", span,
                             py_type="TypeError")
    if len(set(map(id, kept))) < len(kept):
        raise GdRuntimeError(f"duplicate base class {kept[0].name}", span,
                             py_type="TypeError")
    try:
        cls = ClassValue(name, tuple(kept), attrs, function_base, hosts[0] if hosts else None)
    except GdError as e:
        raise e.at(span) from None
    cls.annotated = annotated
    cls.declared = tuple(bases)
    for base in kept:
        if isinstance(base, ClassValue) and base.subclasses is not None:
            base.subclasses.append(cls)
    for key, v in attrs.items():  # type.__new__ tells each descriptor its name
        descriptor_call(v, "__set_name__", cls, key)
    cls.generic = cls.generic or any(getattr(b, "ignored_base", False)
                                     and str(b).startswith("typing.Generic") for b in bases)
    for base in cls.chain[1:]:  # a base's __init_subclass__ (a class method) sees cls
        hook = base.attrs.get("__init_subclass__", _MISSING)
        if hook is not _MISSING:
            _bind(hook, cls, cls)()
            break
    if any(isinstance(b, Builtin) and b.name == "abc.ABC" for b in bases) or any(
            b.abstract is not None for b in kept if isinstance(b, ClassValue)):
        inherited = {n for b in kept if isinstance(b, ClassValue) for n in b.abstract or ()}
        cls.abstract = frozenset({k for k, v in attrs.items() if _is_abstract(v)} | {
            n for n in inherited if _is_abstract(cls.find(n))})
    return cls


_LEGACY_FUNCTION = (
    "Legacy autograd function with non-static forward method is deprecated. Please use "
    "new-style autograd function with static forward method. (Example: "
    "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")


def _is_function_base(base: Any) -> bool:
    try:
        from gradcli.interp import custom_function  # type: ignore[attr-defined]
    except ImportError:
        return False
    return base is custom_function.FUNCTION_BASE


# Python's names for these types, which its own messages use ("'type' object ...").
for _cls, _name in ((ClassValue, "type"), (BoundGdMethod, "method"), (SuperValue, "super"),
                    (Property, "property"), (PlainObject, "object"),
                    (StaticMethod, "staticmethod"), (ClassMethod, "classmethod")):
    _cls.__name__ = _name
