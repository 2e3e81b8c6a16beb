"""collections.abc and numbers: the abstract classes real code tests values against
(`isinstance(batch, collections.abc.Mapping)`, `isinstance(lr, numbers.Number)`).

Each class answers isinstance() as Python does for the object the gd value stands for:
Python's own values (lists, dicts, numbers...) through the host class itself; a tensor
as torch.Tensor (Iterable, Sized, Reversible... not a Sequence); numpy values as numpy's;
an instance of a gd class by the methods its class defines (the one-method classes:
Iterable is `__iter__`, Sized `__len__`...), never a Sequence or Mapping (gd classes
cannot derive from these). A value of any other kind is refused rather than answered
wrongly."""

from __future__ import annotations

import builtins
import collections.abc as host_abc
import numbers as host_numbers
from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import classes
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.devices import Device
from gradcli.interp.nn_module import ModuleInstance
from gradcli.interp.pyreflect import _callable
from gradcli.interp.values import (
    CLASS_NAMES,
    Builtin,
    DType,
    FunctionBase,
    IteratorValue,
    Namespace,
    type_name,
)

_ATOMS = (DType, Device)

# Python's own types: their answers are the host class's.
_HOST_TYPES = (int, float, complex, bool, str, bytes, bytearray, list, tuple, dict, set,
               frozenset, range, type(None), slice, type({}.keys()), type({}.values()),
               type({}.items()), host_abc.Mapping, host_abc.Sequence, host_abc.Set)

# torch.Tensor's answers (PyTorch 2.13: it defines __iter__, __len__, __contains__,
# __reversed__ and __hash__, and is registered as none of them).
_TENSOR = frozenset(("Hashable", "Iterable", "Reversible", "Sized", "Container",
                     "Collection"))

# The classes whose isinstance() asks only for methods (`__subclasshook__`), and which.
_METHODS: dict[str, tuple[str, ...]] = {
    "Iterable": ("__iter__",), "Iterator": ("__iter__", "__next__"),
    "Reversible": ("__reversed__", "__iter__"), "Sized": ("__len__",),
    "Container": ("__contains__",), "Collection": ("__len__", "__iter__", "__contains__"),
    "Callable": ("__call__",), "Hashable": (),
}

ABC_NAMES = ("Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized",
             "Container", "Collection", "Callable", "Sequence", "MutableSequence", "Mapping",
             "MutableMapping", "Set", "MutableSet", "MappingView", "KeysView", "ItemsView",
             "ValuesView", "ByteString", "Awaitable", "Coroutine", "AsyncIterable",
             "AsyncIterator", "AsyncGenerator")
NUMBER_NAMES = ("Number", "Complex", "Real", "Rational", "Integral")


class AbstractClass(Builtin):
    """One of collections.abc's or numbers' classes: isinstance() and issubclass() only."""

    __slots__ = ("host",)
    is_class = True

    def __init__(self, module: str, name: str) -> None:
        super().__init__(f"{module}.{name}", self._instantiate,
                         f"{module}.{name}: an abstract class for isinstance()")
        self.host = getattr(host_abc if module == "collections.abc" else host_numbers, name)

    def _instantiate(self, *args: Any, **kwargs: Any) -> Any:
        tail = self.name.rpartition(".")[2]
        methods = sorted(getattr(self.host, "__abstractmethods__", ()))
        if not methods:
            raise GdRuntimeError(f"{self.name}() is not supported by gradcli")
        plural = "s" if len(methods) > 1 else ""
        raise GdRuntimeError(f"Can't instantiate abstract class {tail} with abstract "
                             f"method{plural} {', '.join(methods)}", py_type="TypeError")

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"

    def subclass_check(self, c: Any) -> bool:
        """issubclass(c, self) for Python's built-in types and torch.Tensor."""
        host = getattr(builtins, c.name, None) if isinstance(c, Builtin) else None
        if isinstance(host, type) and c.name in CLASS_NAMES:
            return issubclass(host, self.host)
        if isinstance(c, Builtin) and c.name == "torch.Tensor":
            return self.name.rpartition(".")[2] in _TENSOR
        raise GdRuntimeError(f"issubclass() of {c!r} and {self.name} is not supported by "
                             "gradcli")

    def instance_check(self, x: Any) -> bool:
        tail = self.name.rpartition(".")[2]
        if isinstance(x, _HOST_TYPES) and not isinstance(x, classes.InstanceValue):
            return isinstance(x, self.host)
        if type(x) is Tensor:
            return tail in _TENSOR
        if type(x) is ArrayValue:
            return isinstance(x.value, self.host)
        if self.name.startswith("numbers."):
            mixin = getattr(getattr(x, "cls", None), "mixin", None)  # IntEnum's members
            if mixin == "int":
                return True
            if mixin == "float":
                return tail in ("Number", "Complex", "Real")
            return False  # nothing else gd holds is registered as a number
        if isinstance(x, IteratorValue):
            return tail in ("Iterable", "Iterator", "Hashable") or (
                tail == "Generator" and x.kind == "generator")
        if tail == "Callable":
            return _callable(x)
        if isinstance(x, classes.InstanceValue) and isinstance(x, (dict, list, set)):
            # a gd class deriving from dict, list or set: what its base gives, or its methods
            if tail == "Hashable":  # Python's dict, list and set set __hash__ to None
                return x._dunder("__hash__") is not None
            if any(isinstance(x, b) and issubclass(b, self.host) for b in (dict, list, set)):
                return True
        if isinstance(x, classes.InstanceValue) and tail in _METHODS:
            if tail == "Hashable":
                return not (x._dunder("__eq__") is not None
                            and x._dunder("__hash__") is None)
            return all(_defines(x, m) for m in _METHODS[tail])
        if isinstance(x, classes.InstanceValue):
            return False  # a gd class is none of the others (it cannot derive from them)
        if tail == "Hashable":
            return True  # (gd's unhashable values are Python's lists, dicts and sets)
        if _callable(x) or isinstance(x, _ATOMS):
            return False  # functions, classes, dtypes and devices are no containers
        raise GdRuntimeError(f"isinstance() of a '{type_name(x)}' with {self.name} is not "
                             "supported by gradcli")


def _defines(x: classes.InstanceValue, method: str) -> bool:
    """Whether x's class has `method`: a gd method, or a built-in one of PyTorch's class
    (nn.Sequential and nn.ModuleList answer `in` through __iter__: no __contains__)."""
    found = x._dunder(method)
    if found is None:
        return False
    if method == "__contains__" and isinstance(x, ModuleInstance) and not isinstance(
            found, FunctionBase):
        return any(c.name in ("ModuleDict", "ParameterDict") for c in x.cls.chain)
    return True


_CLASSES = {(module, name): AbstractClass(module, name)
            for module, names in (("collections.abc", ABC_NAMES), ("numbers", NUMBER_NAMES))
            for name in names}


def abstract_class(module: str, name: str) -> AbstractClass:
    """collections.abc's or numbers' class `name` (typing's aliases check through it)."""
    return _CLASSES[module, name]


def namespaces() -> dict[str, Namespace]:
    """The `collections.abc` and `numbers` modules."""
    return {module: Namespace(module, {name: _CLASSES[module, name] for name in names})
            for module, names in (("collections.abc", ABC_NAMES), ("numbers", NUMBER_NAMES))}
