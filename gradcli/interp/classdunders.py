"""The dunder attributes that describe a class, as Python's: `__qualname__`
(`Outer.Inner`, `make.<locals>.Local`), `__module__`, `__doc__` (the body's docstring),
`__bases__` and `__mro__` (tuples of gd classes, ending at `object`), `__subclasses__()`
(the program's classes made from it, in order), for gd classes and
exception classes, and `__module__`/`__doc__` read through an instance.

Each value is a gd value (a string, None, a tuple of the classes gd already has);
nothing of the host class is reachable (`__dict__`, `__subclasses__`, `__class__` of a
class stay refused as every other dunder name is).
"""

from __future__ import annotations

import builtins
from typing import Any

MISSING = object()

#: The dunder names a class answers here; an instance answers INSTANCE_NAMES.
CLASS_NAMES = frozenset(("__qualname__", "__module__", "__doc__", "__bases__", "__mro__",
                         "__base__", "__subclasses__"))
INSTANCE_NAMES = frozenset(("__module__", "__doc__"))


def describe(cls: Any, qualname: str, doc: str | None) -> None:
    """Record a class statement's qualified name and docstring on the class it made (the
    kinds of class that keep them)."""
    if hasattr(type(cls), "qualname"):
        cls.qualname = qualname
        cls.docstring = doc
    if hasattr(type(cls), "subclasses"):
        cls.subclasses = []


def _object() -> Any:
    from gradcli.interp.builtins import registry

    return registry().bare["object"]


def _bases(cls: Any) -> tuple[Any, ...]:
    from gradcli.interp.classes import ClassValue

    if isinstance(cls, ClassValue):
        return tuple(b for b in cls.declared if b is not _object()) or (_object(),)
    return (cls.parent,) if cls.parent is not None else (_object(),)


def _mro(cls: Any) -> tuple[Any, ...]:
    """The classes in Python's method resolution order: a gd class's chain, then the
    built-in bases its classes name (abc.ABC, typing.Generic, collections.OrderedDict)."""
    from gradcli.interp.classes import ClassValue

    if isinstance(cls, ClassValue):
        named = [b for c in cls.chain for b in _bases(c) if not isinstance(b, ClassValue)]
        extra = [b for i, b in enumerate(named) if b not in named[:i]]
        return (*cls.chain, *(b for b in extra if b is not _object()), _object())
    chain = []
    while cls is not None:
        chain.append(cls)
        cls = cls.parent
    return (*chain, _object())


def _module(cls: Any) -> str:
    """A class's module: the program's (__main__), or, for a class gd builds in (whose
    repr names it: torch.utils.data.dataset.Dataset), the one its repr names."""
    from gradcli.interp.classes import ClassValue

    if getattr(cls, "subclasses", None) is not None or getattr(cls, "defined", False):
        return "__main__"  # made by a class statement (describe)
    shown = cls.gd_repr() if isinstance(cls, ClassValue) else repr(cls)
    name = shown.removeprefix("<class '").removesuffix("'>")
    return name.rpartition(".")[0] or "builtins"


def class_attribute(cls: Any, name: str) -> Any:
    """cls.name for one of CLASS_NAMES on a gd class or an exception class, else
    MISSING."""
    if name not in CLASS_NAMES:
        return MISSING
    defined = getattr(cls, "defined", True)  # an exception class of the program's
    if name == "__qualname__":  # a library class's qualname field is its dotted path
        return cls.qualname or cls.name if _module(cls) == "__main__" else cls.name
    if name == "__module__":
        return _module(cls)
    if name == "__doc__":
        if defined:
            return cls.docstring
        host = getattr(builtins, cls.name, None)  # Python's own exception class's text
        return host.__doc__ if isinstance(host, type) else None
    if name == "__bases__":
        return _bases(cls)
    if name == "__base__":
        return _bases(cls)[0]
    if name == "__subclasses__":
        from gradcli.interp.values import Builtin

        made = getattr(cls, "subclasses", None)  # a gd class's direct subclasses, in order
        if made is None:
            return MISSING  # an exception class's (Python's own hold host classes)
        return Builtin(f"{cls.name}.__subclasses__", lambda: list(made),
                       "the class's direct subclasses")
    return _mro(cls)


def instance_attribute(cls: Any, name: str) -> Any:
    """obj.name for one of INSTANCE_NAMES through the instance's class, else MISSING."""
    if name not in INSTANCE_NAMES:
        return MISSING
    return class_attribute(cls, name)
