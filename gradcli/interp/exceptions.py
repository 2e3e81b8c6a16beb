"""Python's exception classes in gd: `try`/`except`/`raise`, and which class an error is.

An error a program can catch is a GdRuntimeError (or a failed `assert`) that PyTorch or
Python would raise too: its class is `py_type` where the raiser recorded it, else read
from the message as PyTorch words it. Limit errors, syntax errors, input errors and gd's
own refusals ("... is not supported by gradcli", "... in gd") are never caught: they pass
through every `except`, bare `except:` and `except Exception:` included.
"""

from __future__ import annotations

import re
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.errors import GdAssertionError, GdError, GdLimitError, GdRuntimeError
from gradcli.interp.values import Builtin, FunctionBase, GdObject, StrValue, to_repr, to_str
from gradcli.source import Span


class ExceptionClass(Builtin):
    """A Python exception class: called, it makes an ExceptionValue. A gd class deriving
    from one may define methods (__init__, __str__, ...) and class attributes: `attrs`."""

    __slots__ = ("attrs", "defined", "docstring", "parent", "qualname")
    is_class = True

    def __init__(self, name: str, parent: ExceptionClass | None,
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__(name, self._make, f"{name}(*args): Python's exception class")
        self.parent = parent
        self.attrs = attrs or {}
        # Made by the program's class statement: its exceptions take attributes (e.step).
        self.defined = attrs is not None
        self.qualname = name  # Python's __qualname__ and docstring (classdunders.describe)
        self.docstring: str | None = None

    @staticmethod
    def gd_attribute(cls: ExceptionClass, name: str) -> Any:
        """E.name: a class attribute of the program's exception class (methods as plain
        functions), else Python's AttributeError."""
        v = cls.find(name)
        if v is None:
            raise GdRuntimeError(f"type object '{cls.name}' has no attribute '{name}'",
                                 py_type="AttributeError")
        return v

    def find(self, name: str, after: ExceptionClass | None = None) -> Any:
        """A class attribute through the chain (past `after`, for super()), or None."""
        c: ExceptionClass | None = self
        if after is not None:
            while c is not None and c is not after:
                c = c.parent
            c = c.parent if c is not None else None
        while c is not None:
            if name in c.attrs:
                return c.attrs[name]
            c = c.parent
        return None

    def _make(self, *args: Any, **kwargs: Any) -> ExceptionValue:
        value = ExceptionValue(self, args)
        init = self.find("__init__")
        if isinstance(init, FunctionBase):
            init.invoke([value, *args], kwargs or None)  # type: ignore[attr-defined]
        elif kwargs:
            raise GdRuntimeError(f"{self.name}() takes no keyword arguments")
        return value

    def is_subclass_of(self, other: ExceptionClass) -> bool:
        c: ExceptionClass | None = self
        while c is not None:
            if c is other:
                return True
            c = c.parent
        return False

    def __repr__(self) -> str:
        return f"<class '__main__.{self.qualname}'>" if self.defined else \
            f"<class '{self.name}'>"


def _classes() -> dict[str, ExceptionClass]:
    out: dict[str, ExceptionClass] = {}
    for name, parent in [
        ("BaseException", None), ("Exception", "BaseException"),
        ("ArithmeticError", "Exception"), ("ZeroDivisionError", "ArithmeticError"),
        ("OverflowError", "ArithmeticError"), ("LookupError", "Exception"),
        ("IndexError", "LookupError"), ("KeyError", "LookupError"),
        ("RuntimeError", "Exception"), ("NotImplementedError", "RuntimeError"),
        ("ValueError", "Exception"), ("TypeError", "Exception"),
        ("AssertionError", "Exception"), ("AttributeError", "Exception"),
        ("NameError", "Exception"), ("StopIteration", "Exception"),
        # what scripts name in `except` around files, imports and Ctrl-C (gd raises
        # ModuleNotFoundError for an import it does not have, see runstate.import_error)
        ("KeyboardInterrupt", "BaseException"), ("GeneratorExit", "BaseException"),
        ("RecursionError", "RuntimeError"), ("UnboundLocalError", "NameError"),
        ("FloatingPointError", "ArithmeticError"), ("MemoryError", "Exception"),
        ("EOFError", "Exception"), ("ImportError", "Exception"),
        ("ModuleNotFoundError", "ImportError"), ("OSError", "Exception"),
        ("FileNotFoundError", "OSError"), ("FileExistsError", "OSError"),
        ("PermissionError", "OSError"), ("IsADirectoryError", "OSError"),
        ("NotADirectoryError", "OSError"), ("TimeoutError", "OSError"),
        ("ConnectionError", "OSError"), ("UnicodeError", "ValueError"),
        ("UnicodeDecodeError", "UnicodeError"), ("UnicodeEncodeError", "UnicodeError"),
        ("Warning", "Exception"), ("UserWarning", "Warning"),
        ("DeprecationWarning", "Warning"), ("FutureWarning", "Warning"),
        ("RuntimeWarning", "Warning"), ("PendingDeprecationWarning", "Warning"),
        # The rest of Python's built-in classes (bench/api_coverage.py's builtins): raised
        # and caught by gd programs as any other; SystemExit raised ends the run as
        # sys.exit does (stmt_forms.s_Raise), and no `except` catches it.
        ("SystemExit", "BaseException"), ("SyntaxError", "Exception"),
        ("IndentationError", "SyntaxError"), ("TabError", "IndentationError"),
        ("SystemError", "Exception"), ("ReferenceError", "Exception"),
        ("BufferError", "Exception"), ("StopAsyncIteration", "Exception"),
        ("BlockingIOError", "OSError"), ("ChildProcessError", "OSError"),
        ("InterruptedError", "OSError"), ("ProcessLookupError", "OSError"),
        ("BrokenPipeError", "ConnectionError"), ("ConnectionAbortedError", "ConnectionError"),
        ("ConnectionRefusedError", "ConnectionError"),
        ("ConnectionResetError", "ConnectionError"), ("UnicodeTranslateError", "UnicodeError"),
        ("SyntaxWarning", "Warning"), ("ImportWarning", "Warning"),
        ("UnicodeWarning", "Warning"), ("BytesWarning", "Warning"),
        ("ResourceWarning", "Warning"), ("EncodingWarning", "Warning"),
    ]:
        out[name] = ExceptionClass(name, out[parent] if parent else None)
    return out


CLASSES = _classes()
CLASSES["IOError"] = CLASSES["EnvironmentError"] = CLASSES["OSError"]  # Python's aliases
#: torch.linalg.LinAlgError, a RuntimeError; `type(e).__name__` is PyTorch's _LinAlgError.
LINALG_ERROR = ExceptionClass("_LinAlgError", CLASSES["RuntimeError"])
#: torch.autograd.GradcheckError, a RuntimeError (gradcheck's failure).
GRADCHECK_ERROR = ExceptionClass("GradcheckError", CLASSES["RuntimeError"])
_TORCH_CLASSES = {c.name: c for c in (LINALG_ERROR, GRADCHECK_ERROR)}


class ExceptionValue(StrValue):
    """An exception object: its class and args, and the error it stands for once raised."""

    __slots__ = ("args", "attrs", "cause", "cls", "context", "error", "made",
                 "suppress_context")

    def __init__(self, cls: ExceptionClass, args: tuple[Any, ...],
                 error: GdError | None = None) -> None:
        self.cls = cls
        self.args = args
        self.error = error
        self.made = error is None  # made by the program (not an error gd or PyTorch raised)
        self.attrs: dict[str, Any] = {}
        # Python's chain: `raise ... from cause` sets __cause__ (and __suppress_context__);
        # a `raise` inside an `except` block sets __context__ to the exception handled.
        self.cause: ExceptionValue | None = None
        self.context: ExceptionValue | None = None
        self.suppress_context = False

    def chain_attribute(self, name: str) -> Any:
        """e.__cause__, e.__context__, e.__suppress_context__, e.__traceback__ (None until
        raised, then a TracebackValue: gd keeps no frames)."""
        if name == "__cause__":
            return self.cause
        if name == "__context__":
            return self.context
        if name == "__traceback__":
            span = getattr(self.error, "span", None)
            return None if self.error is None else TracebackValue(
                span.line if span is not None else 0)
        return self.suppress_context

    def get_attr(self, name: str) -> Any:
        """e.name: args, the instance's attributes, its class's (methods bound)."""
        if name == "args":
            return self.args
        if name in self.attrs:
            return self.attrs[name]
        v = self.cls.find(name)
        if v is None and name == "value" and self.cls.is_subclass_of(CLASSES["StopIteration"]):
            return self.args[0] if self.args else None  # a generator's return value
        if v is None:
            raise GdRuntimeError(f"'{self.cls.name}' object has no attribute '{name}'",
                                 py_type="AttributeError")
        return _bound(self, v)

    def set_attr(self, name: str, value: Any) -> None:
        if name == "args":
            if type(value) not in (tuple, list):
                raise GdRuntimeError("args must be a tuple or list in gd", py_type="TypeError")
            self.args = tuple(value)
        else:
            self.attrs[name] = value

    def _own(self, name: str) -> Any:
        fn = self.cls.find(name)
        return fn if isinstance(fn, FunctionBase) else None

    def __str__(self) -> str:
        fn = self._own("__str__")
        if fn is not None:
            text = fn.invoke([self], None)  # type: ignore[attr-defined]
            if type(text) is not str:
                raise GdRuntimeError(f"__str__ returned non-string (type {type(text).__name__})",
                                     py_type="TypeError")
            return text
        if not self.args:
            return ""
        if len(self.args) == 1:
            if self.made and self.cls.is_subclass_of(CLASSES["KeyError"]):
                return to_repr(self.args[0])  # str(KeyError("k")) is "'k'"
            return to_str(self.args[0])
        return to_repr(self.args)

    def __repr__(self) -> str:
        fn = self._own("__repr__")
        if fn is not None:
            return to_str(fn.invoke([self], None))  # type: ignore[attr-defined]
        return f"{self.cls.name}({', '.join(to_repr(a) for a in self.args)})"

    def raised(self, span: Span) -> GdError:
        """The error that `raise` of this value propagates."""
        if self.error is None:
            text = str(self)
            err = GdRuntimeError(f"{self.cls.name}: {text}" if text else self.cls.name, span)
            err.py_type = self.cls.name
            err.exception = self  # type: ignore[attr-defined]
            self.error = err
        return self.error


class TracebackValue(GdObject):
    """e.__traceback__ of a raised exception: what traceback.print_exception(type(e), e,
    e.__traceback__) is given. Only its tb_lineno (where it was raised) is readable."""

    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line

    def get_attr(self, name: str) -> Any:
        if name == "tb_lineno":
            return self.line
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"'traceback' object has no attribute '{name}'",
                             py_type="AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr("traceback", self)

    def type_label(self) -> str:
        return "traceback"


def _bound(obj: ExceptionValue, v: Any) -> Any:
    if isinstance(v, FunctionBase):
        from gradcli.interp.classes import BoundGdMethod

        return BoundGdMethod(obj, v)
    return v


class ExceptionSuper(GdObject):
    """super() in an exception class's method: BaseException.__init__ sets args."""

    __slots__ = ("cls", "obj")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"'super' object has no attribute '{name}'",
                             py_type="AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return f"<super: <class '{self.cls.name}'>, <{self.cls.name} object>>"

    def type_label(self) -> str:
        return "super"

    def __init__(self, cls: ExceptionClass, obj: ExceptionValue) -> None:
        self.cls = cls
        self.obj = obj

    def get_attr(self, name: str) -> Any:
        v = self.obj.cls.find(name, after=self.cls)
        if v is not None:
            return _bound(self.obj, v)
        if name == "__init__":
            obj = self.obj

            def init(*args: Any, **kwargs: Any) -> None:
                obj.args = args

            return Builtin("BaseException.__init__", init, "BaseException.__init__(*args)")
        if name == "__str__":
            obj = self.obj
            return Builtin("BaseException.__str__", lambda: ExceptionValue.__str__(
                _plain_view(obj)), "BaseException.__str__()")
        raise GdRuntimeError(f"'super' object has no attribute '{name}'",
                             py_type="AttributeError")


def _plain_view(obj: ExceptionValue) -> ExceptionValue:
    """The exception as BaseException prints it (no gd __str__)."""
    view = ExceptionValue(obj.cls.parent or obj.cls, obj.args, obj.error)
    while view.cls.attrs and view.cls.parent is not None:
        view.cls = view.cls.parent
    view.made = obj.made
    return view


# PyTorch's and Python's wording of the errors that are not RuntimeError, checked in order
# (patterns `re` compiles when a caught error first needs them, not at every start).
_BY_MESSAGE = [
    ("ZeroDivisionError", r"division by zero|modulo by zero"),
    ("NotImplementedError", r"^\"\w+\" not implemented for '|^Trying to use forward AD with "),
    ("IndexError", r"out of range|out of bounds|Expected reduction dim \d+ to have non-zero|"
                   r"^shape mismatch: indexing tensors could not be broadcast|"
                   r"Expected reduction dim to be specified for input\.numel\(\) == 0\.$"),
    ("ValueError", r"only one element tensors can be converted|could not convert|"
                   r"invalid literal|math domain error|values to unpack|not in list|"
                   r"not in tuple|substring not found|Expected input batch_size"),
    ("OverflowError", r"math range error|cannot convert float infinity"),
    ("AttributeError", r"has no attribute"),
    ("NameError", r"^name '.*' is not defined"),
    ("TypeError", r"unsupported operand|not supported between instances|is not callable|"
                  r"is not iterable|is not subscriptable|unexpected keyword argument|"
                  r"positional argument|len\(\) of a 0-d tensor|iteration over a 0-d tensor|"
                  r"invalid combination of arguments|can only concatenate|"
                  r"can't multiply sequence|bad operand type|doesn't define __round__|"
                  r"must be .*, not "),
]
# gd's own refusals: not errors PyTorch would raise, so a program may not catch them.
_GD_REFUSAL = r"is not supported by gradcli|\bin gd\b"


#: The dunder attributes of an exception a program may read (exception chains).
CHAIN_ATTRIBUTES = frozenset(("__cause__", "__context__", "__suppress_context__",
                              "__traceback__"))


def stop_iteration(stop: StopIteration) -> GdRuntimeError:
    """The gd error for Python's StopIteration at an iterator's end: a StopIteration with
    the generator's return value as its args (none when it returned None), as Python's."""
    err = GdRuntimeError("StopIteration", py_type="StopIteration")
    value = stop.value
    err.exception = ExceptionValue(  # type: ignore[attr-defined]
        CLASSES["StopIteration"], () if value is None else (value,), err)
    return err


def exception_of(err: GdError) -> ExceptionValue | None:
    """The exception object a `try` sees for this error, or None if it may not be caught;
    the same object each time it is asked (`e.__context__ is e2` for the `e` caught)."""
    exc = getattr(err, "exception", None)
    if exc is not None:
        return exc  # type: ignore[no-any-return]
    exc = _exception_of(err)
    if exc is not None:
        err.exception = exc  # type: ignore[attr-defined]
    return exc


def _exception_of(err: GdError) -> ExceptionValue | None:
    if isinstance(err, GdAssertionError):
        text = err.assert_message
        return ExceptionValue(CLASSES["AssertionError"], (text,) if text is not None else (), err)
    if type(err) is not GdRuntimeError or isinstance(err, GdLimitError):
        return None
    exc = getattr(err, "exception", None)
    if exc is not None:
        return exc
    if re.search(_GD_REFUSAL, err.message):
        return None
    name = getattr(err, "py_type", None)
    if name == "KeyError":  # args (key,) for a missing key, else (message,), as Python's
        exc = ExceptionValue(CLASSES[name], (getattr(err, "key", err.message),), err)
        exc.made = True  # str(e) is the repr of its one argument, as for KeyError(key)
        return exc
    if name in _TORCH_CLASSES:
        return ExceptionValue(_TORCH_CLASSES[name], (err.message,), err)
    if name not in CLASSES:
        name = next((c for c, pattern in _BY_MESSAGE if re.search(pattern, err.message)),
                    "RuntimeError")
    return ExceptionValue(CLASSES[name], (err.message,), err)


def is_error(err: GdError, name: str) -> bool:
    """Whether a `try` would see this error as Python's exception class `name` (or a
    subclass): `is_error(e, "AttributeError")` is "no such attribute"."""
    exc = exception_of(err)
    return exc is not None and exc.cls.is_subclass_of(CLASSES[name])


def matches(exc: ExceptionValue, spec: Any, span: Span) -> bool:
    """Whether `except spec` catches exc (spec a class or a tuple of classes)."""
    specs = spec if type(spec) is tuple else (spec,)
    for s in specs:
        if type(s) is not ExceptionClass:
            err = GdRuntimeError("catching classes that do not inherit from BaseException "
                                 "is not allowed", span)
            err.py_type = "TypeError"
            raise err
    return any(exc.cls.is_subclass_of(s) for s in specs)


# The running program's errors being handled by `except` blocks (innermost last) and its
# source: what traceback.format_exc() and print_exc() show (pytraceback).
_RUN: list[Any] = [[], None]


def bind_run(handling: list[GdError], source: Any) -> None:
    """A run starts: its `except` blocks' list and its source."""
    _RUN[:] = [handling, source]


def run_handling() -> list[GdError]:
    return _RUN[0]  # type: ignore[no-any-return]


def run_source() -> Any:
    return _RUN[1]
