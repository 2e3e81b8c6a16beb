"""`contextlib`, `abc` and `numbers` in gd.

contextlib.contextmanager turns a gd generator function into a context manager: the code
before its `yield` is __enter__ (the yielded value is what `as` binds), the code after it
__exit__; an exception of the `with` body is raised at the `yield` (a generator that
catches it swallows it), as in Python. nullcontext(value) and suppress(*classes) are
Python's. `abc.ABC` is a base that adds nothing and `abc.abstractmethod` marks nothing:
gd does not refuse to instantiate a class with abstract methods (Python's TypeError), the
one difference. `numbers.Number`, `Complex`, `Real`, `Rational` and `Integral` are for
isinstance(): Python's numbers and numpy's scalars are instances as in Python, a tensor is
none.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import classes, exceptions, pymethods
from gradcli.interp.generators import GdGenerator, _resume
from gradcli.interp.values import Builtin, ContextValue, Decorator, Namespace, type_name


class GeneratorContext(ContextValue):
    """What a @contextmanager function returns: its generator, run to the yield and on."""

    __slots__ = ("gen", "name")

    def __init__(self, gen: GdGenerator, name: str) -> None:
        self.gen = gen
        self.name = name

    def __repr__(self) -> str:
        return object_repr("contextlib._GeneratorContextManager", self)

    def enter(self) -> Any:
        try:
            return next(self.gen)
        except StopIteration:
            raise GdRuntimeError("generator didn't yield", py_type="RuntimeError") from None

    def exit(self, exc: Any) -> bool:
        if exc is None:
            try:
                next(self.gen)
            except StopIteration:
                return False
            raise GdRuntimeError("generator didn't stop", py_type="RuntimeError")
        error = exc.error if exc.error is not None else exc.raised(None)
        try:
            _resume(self.gen, lambda: self.gen.it.throw(error))
        except GdError as e:
            if e is error:
                return False  # not caught: the body's exception goes on
            if exceptions.exception_of(e) is not None and getattr(
                    e, "py_type", None) == "StopIteration":
                return True  # caught and the generator ended: swallowed
            raise
        raise GdRuntimeError("generator didn't stop after throw()", py_type="RuntimeError")


GeneratorContext.__name__ = "_GeneratorContextManager"


def _contextmanager(fn: Any) -> Builtin:
    """@contextlib.contextmanager over a gd generator function."""
    name = getattr(fn, "name", "function")

    def make(*args: Any, **kwargs: Any) -> GeneratorContext:
        gen = fn(*args, **kwargs)
        if type(gen) is not GdGenerator:
            raise GdRuntimeError(f"'{type_name(gen)}' object is not an iterator",
                                 py_type="TypeError")
        return GeneratorContext(gen, name)

    return Builtin(name, make, f"{name}(...): a context manager (@contextmanager)")


class NullContext(ContextValue):
    """contextlib.nullcontext(enter_result=None)."""

    __slots__ = ("value",)

    def __init__(self, enter_result: Any = None) -> None:
        self.value = enter_result

    def __repr__(self) -> str:
        return object_repr("contextlib.nullcontext", self)

    def enter(self) -> Any:
        return self.value

    def exit(self, exc: Any) -> bool:
        return False


NullContext.__name__ = "nullcontext"


class Suppress(ContextValue):
    """contextlib.suppress(*exceptions): the body's exceptions of these classes end the
    block quietly."""

    __slots__ = ("classes",)

    def __init__(self, *classes: Any) -> None:
        for c in classes:
            if type(c) is not exceptions.ExceptionClass:
                raise GdRuntimeError("catching classes that do not inherit from "
                                     "BaseException is not allowed", py_type="TypeError")
        self.classes = classes

    def __repr__(self) -> str:
        return object_repr("contextlib.suppress", self)

    def enter(self) -> Any:
        return None

    def exit(self, exc: Any) -> bool:
        return exc is not None and any(exc.cls.is_subclass_of(c) for c in self.classes)


Suppress.__name__ = "suppress"


class ExitStack(ContextValue):
    """contextlib.ExitStack(): context managers entered with enter_context() and functions
    given to callback(), exited last-first when the `with` block (or close()) ends."""

    __slots__ = ("exits",)

    def __init__(self) -> None:
        self.exits: list[Any] = []

    def __repr__(self) -> str:
        return object_repr("contextlib.ExitStack", self)

    def enter(self) -> Any:
        return self

    def exit(self, exc: Any) -> bool:
        swallowed = False
        while self.exits:
            if self.exits.pop()(None if swallowed else exc):
                swallowed = exc is not None
        return swallowed


ExitStack.__name__ = "ExitStack"


def _enter_context(stack: ExitStack, cm: Any) -> Any:
    if isinstance(cm, (classes.InstanceValue, ContextValue)):
        if isinstance(cm, classes.InstanceValue) and (
                cm._dunder("__enter__") is None or cm._dunder("__exit__") is None):
            raise GdRuntimeError(f"'{type_name(cm)}' object does not support the context "
                                 "manager protocol", py_type="TypeError")
        value = cm.enter()
        stack.exits.append(cm.exit)
        return value
    enter = getattr(cm, "__enter__", None) if hasattr(type(cm), "__exit__") else None
    if enter is None or not hasattr(type(cm), "__enter__"):
        raise GdRuntimeError(f"'{type_name(cm)}' object does not support the context manager "
                             "protocol", py_type="TypeError")
    value = enter()
    stack.exits.append(lambda exc: bool(cm.__exit__(None, None, None)))
    return value


def _callback(stack: ExitStack, fn: Any, *args: Any, **kwargs: Any) -> Any:
    if not callable(fn):
        raise GdRuntimeError("callback must be callable", py_type="TypeError")
    stack.exits.append(lambda exc: fn(*args, **kwargs) and False)
    return fn


pymethods.METHODS[ExitStack] = {
    "enter_context": _enter_context, "callback": _callback,
    "close": lambda stack: stack.exit(None) and None,
}
pymethods.DATA[ExitStack] = frozenset()


class _Class(Builtin):
    """A built-in that stands for a class (prints as <class 'abc.ABC'>)."""

    __slots__ = ()
    is_class = True

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


#: abc.ABC: a class statement treats it as `object` (classes.make_class).
ABC = _Class("abc.ABC", lambda: None, "abc.ABC: a base class for abstract classes")


#: The numeric tower's depth of each class: an Integral is also Rational, Real, ...
_TOWER = {"Number": 0, "Complex": 1, "Real": 2, "Rational": 3, "Integral": 4}


def _depth(x: Any) -> int:
    """How far down the tower x is (-1: no number at all)."""
    from gradcli.interp.arrays import ArrayValue

    if type(x) is ArrayValue and x.value.ndim == 0:
        x = x.value.dtype.kind  # a numpy scalar: numpy registers its types
        return {"i": 4, "u": 4, "f": 2, "c": 1}.get(x, -1)
    return {bool: 4, int: 4, float: 2, complex: 1}.get(type(x), -1)


class NumberClass(_Class):
    """numbers.Number & co.: abstract classes isinstance() tests against."""

    __slots__ = ("depth",)

    def __init__(self, name: str) -> None:
        super().__init__(f"numbers.{name}", self._make, f"numbers.{name}: an abstract class")
        self.depth = _TOWER[name]

    def _make(self, *args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError(f"Can't instantiate abstract class {self.name[8:]}",
                             py_type="TypeError")

    def instance_check(self, x: Any) -> bool:
        """isinstance(x, numbers.Real): x a number at least this far down the tower."""
        return _depth(x) >= self.depth


def namespaces() -> dict[str, Namespace]:
    """contextlib, abc and numbers."""
    return {
        "contextlib": Namespace("contextlib", {
            "contextmanager": Decorator("contextlib.contextmanager", _contextmanager),
            "nullcontext": Builtin("contextlib.nullcontext", NullContext,
                                   "contextlib.nullcontext(enter_result=None)"),
            "suppress": Builtin("contextlib.suppress", Suppress,
                                "contextlib.suppress(*exceptions)"),
            "ExitStack": Builtin("contextlib.ExitStack", ExitStack,
                                 "contextlib.ExitStack(): a stack of context managers"),
        }),
        "numbers": Namespace("numbers", {name: NumberClass(name) for name in _TOWER}),
        "abc": Namespace("abc", {
            "ABC": ABC,
            "abstractmethod": Decorator("abc.abstractmethod", classes.mark_abstract,
                                        "@abc.abstractmethod: a method subclasses must "
                                        "define"),
        }),
    }
