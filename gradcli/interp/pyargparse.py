"""`argparse` in gd: the ArgumentParser real training scripts open with.

Python's own argparse does the work, so parsing, help and usage text and error messages
are Python's byte for byte; gd wraps every object it hands to a program (parsers, actions,
argument groups, the subparsers action) in a GdObject that exposes argparse's public
methods and attributes only. What differs from a script run by Python:

- A gd program has no command line: parse_args() parses sys.argv[1:], which is [] (every
  option takes its default, as `python train.py` with no arguments would); parse_args([...])
  parses the list given. The default prog is the program's file name, as Python's
  sys.argv[0] gives it.
- Help is formatted for 80 columns, as Python does when stdout is no terminal (never the
  host's terminal width or COLUMNS: output is the same bytes everywhere).
- type= is any gd callable (int, float, a def, a lambda); a ValueError or TypeError it
  raises is argparse's "invalid ... value" error, argparse.ArgumentTypeError its own
  message. action= is one of argparse's action names or argparse.BooleanOptionalAction
  (a gd class as an Action is not supported), and nothing reads files
  (fromfile_prefix_chars, argparse.FileType).
- An argparse error (a missing required argument, an invalid choice, parser.error())
  prints argparse's usage and "PROG: error: MESSAGE" on standard error, as Python does,
  and ends the run as sys.exit(2) does in gd (SPEC 2.3: exit status 1, the message shown
  as a gd error; no `except` catches it). -h/--help in the parsed list prints the help and
  ends the run as a success, as sys.exit(0).
"""

from __future__ import annotations

import argparse as host
import posixpath
import sys as host_sys
from collections.abc import Callable
from typing import Any, ClassVar

from gradcli.ad.identity import object_repr
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import pysys
from gradcli.interp.exceptions import CLASSES, ExceptionClass, ExceptionValue, exception_of
from gradcli.interp.pysys import GdExitError, ProgramExit
from gradcli.interp.values import (
    Builtin,
    GdObject,
    Namespace,
    private_name_error,
    to_repr,
    to_str,
    type_name,
)

#: Python's help width when stdout is no terminal: shutil's 80 columns, less argparse's 2.
_WIDTH = 78

ARGUMENT_ERROR = ExceptionClass("ArgumentError", CLASSES["Exception"])
ARGUMENT_TYPE_ERROR = ExceptionClass("ArgumentTypeError", CLASSES["Exception"])


class ArgNamespace(GdObject):
    """argparse.Namespace: its attributes in the order they were set."""

    __slots__ = ("attrs",)
    has_vars = True  # vars(ns), ns.__dict__

    def __init__(self, **kwargs: Any) -> None:
        self.attrs: dict[str, Any] = dict(kwargs)

    def get_attr(self, name: str) -> Any:
        try:
            return self.attrs[name]
        except KeyError:
            raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                                 py_type="AttributeError") from None

    def set_attr(self, name: str, value: Any) -> None:
        if name.startswith("__") and name.endswith("__"):  # __class__, __dict__: Python's own
            raise private_name_error(name)
        self.attrs[name] = value

    def del_attr(self, name: str) -> None:
        if self.attrs.pop(name, _MISSING) is _MISSING:
            raise GdRuntimeError(name, py_type="AttributeError")

    def gd_repr(self) -> str:
        return "Namespace(" + ", ".join(f"{k}={to_repr(v)}" for k, v in self.attrs.items()) + ")"

    def type_label(self) -> str:
        return "Namespace"

    def __eq__(self, other: object) -> bool:
        return type(other) is ArgNamespace and other.attrs == self.attrs

    def __contains__(self, key: object) -> bool:
        return key in self.attrs

    def gd_deepcopy(self, copy: Callable[[Any], Any]) -> ArgNamespace:
        """copy.deepcopy (copy: of one value) and copy.copy (copy: the identity)."""
        return ArgNamespace(**{k: copy(v) for k, v in self.attrs.items()})

    __hash__ = None  # type: ignore[assignment]


_MISSING = object()


# -- calling into argparse -----------------------------------------------------------------


def _raise_as_gd(e: Exception) -> GdRuntimeError:
    """A host exception argparse raised (a conflicting option, a bad keyword) as the gd
    error of the same Python class and message."""
    name = type(e).__name__
    err = GdRuntimeError(str(e), py_type=name if name in CLASSES else None)
    cls = {"ArgumentError": ARGUMENT_ERROR, "ArgumentTypeError": ARGUMENT_TYPE_ERROR}.get(name)
    if cls is not None:
        err.exception = ExceptionValue(cls, (str(e),), err)  # type: ignore[attr-defined]
    return err


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) of argparse: gd's own errors (from a type= callback) and exits
    pass through, argparse's exceptions become gd errors."""
    try:
        return fn(*args, **kwargs)
    except GdError:
        raise
    except RecursionError:
        raise
    except Exception as e:  # argparse's own exceptions, as gd errors
        raise _raise_as_gd(e) from None


class _GdType:
    """type= as argparse calls it: the gd callable, named as Python names it in
    "invalid int value" (its __name__); its ValueError/TypeError are Python's."""

    __slots__ = ("__name__", "fn")

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        name = getattr(fn, "name", None)
        self.__name__ = name.rsplit(".", 1)[-1] if type(name) is str else to_repr(fn)

    def __call__(self, text: str) -> Any:
        try:
            return self.fn(text)
        except GdError as e:
            exc = exception_of(e)
            if exc is None:
                raise
            if exc.cls.is_subclass_of(ARGUMENT_TYPE_ERROR):
                raise host.ArgumentTypeError(to_str(exc)) from None
            if exc.cls.is_subclass_of(CLASSES["ValueError"]) or exc.cls.is_subclass_of(
                    CLASSES["TypeError"]):
                raise ValueError(to_str(exc)) from None
            raise

    def __repr__(self) -> str:
        return to_repr(self.fn)


class _Parser(host.ArgumentParser):
    """Python's ArgumentParser, printing into the gd run and ending it as sys.exit does."""

    gd_why = ""

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message:
            return
        if file is None or file is host_sys.stderr:
            file = pysys.STDERR
        elif file is host_sys.stdout:
            file = pysys.STDOUT
        pysys.write(file, message)

    def exit(self, status: Any = 0, message: Any = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(to_str(message), host_sys.stderr)
        if status is None or (status == 0 and type(status) in (int, bool)):
            raise ProgramExit
        raise GdExitError(self.gd_why or f"the program called sys.exit({to_str(status)})")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.gd_why = to_str(message)
        super().error(message)


# -- formatter classes -----------------------------------------------------------------------

_FORMATTERS = {cls.__name__: cls for cls in (
    host.HelpFormatter, host.RawDescriptionHelpFormatter, host.RawTextHelpFormatter,
    host.ArgumentDefaultsHelpFormatter, host.MetavarTypeHelpFormatter)}


class FormatterClass(Builtin):
    """argparse.HelpFormatter and its kin: formatter_class= for a parser, or called (in a
    `formatter_class=lambda prog: argparse.HelpFormatter(prog, max_help_position=40)`)."""

    __slots__ = ("host",)
    is_class = True

    def __init__(self, name: str) -> None:
        super().__init__(f"argparse.{name}", self._make, f"argparse.{name}: a help formatter")
        self.host = _FORMATTERS[name]

    def _make(self, prog: Any, indent_increment: Any = 2, max_help_position: Any = 24,
              width: Any = None) -> Formatter:
        return Formatter(self, _call(self.host, prog, indent_increment, max_help_position,
                                     _WIDTH if width is None else width))

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


class Formatter(GdObject):
    """A help formatter a program made, for a formatter_class= callable to return."""

    __slots__ = ("cls", "host")

    def __init__(self, cls: FormatterClass, formatter: Any) -> None:
        self.cls, self.host = cls, formatter

    def get_attr(self, name: str) -> Any:
        raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a help formatter")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr(self.cls.name, self)

    def type_label(self) -> str:
        return self.cls.name.rsplit(".", 1)[-1]


def _formatter_factory(value: Any) -> Callable[..., Any]:
    """formatter_class= as argparse calls it (`formatter_class(prog=...)`)."""
    if type(value) is FormatterClass:
        return lambda prog: value.host(prog=prog, width=_WIDTH)
    if not callable(value):
        raise GdRuntimeError(f"'{type_name(value)}' object is not callable", py_type="TypeError")

    def make(prog: str) -> Any:
        made = value(prog=prog)
        if type(made) is not Formatter:
            raise GdRuntimeError("formatter_class= must give an argparse help formatter, "
                                 f"not {type_name(made)}", py_type="TypeError")
        return made.host

    return make


# -- the objects a program sees ------------------------------------------------------------


def _argument_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
    """add_argument's keywords as argparse takes them."""
    out = dict(kw)
    action = out.get("action")
    if action is BOOLEAN_OPTIONAL:
        out["action"] = host.BooleanOptionalAction
    elif action == "parsers":
        raise GdRuntimeError("action='parsers' is add_subparsers()'s own in gd",
                             py_type="ValueError")
    elif action is not None and type(action) is not str:
        raise GdRuntimeError("action= must be one of argparse's action names or "
                             "argparse.BooleanOptionalAction (an Action class of the "
                             "program's own is not supported by gradcli)")
    t = out.get("type")
    if t is not None and callable(t):
        out["type"] = _GdType(t)
    return out


class _Wrapper(GdObject):
    """A GdObject over an argparse object: the methods in METHODS, the attributes in DATA
    (SETTABLE ones may be set), nothing else."""

    __slots__ = ("host",)
    METHODS: ClassVar[dict[str, Callable[..., Any]]] = {}
    DATA: ClassVar[frozenset[str]] = frozenset()
    SETTABLE: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, obj: Any) -> None:
        self.host = obj

    def get_attr(self, name: str) -> Any:
        fn = self.METHODS.get(name)
        if fn is not None:
            return Builtin(f"{self.type_label()}.{name}",
                           lambda *a, **k: fn(self, *a, **k))
        if name in self.DATA:
            return _out(getattr(self.host, name))
        raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if name not in self.SETTABLE:
            raise GdRuntimeError(f"cannot set attribute '{name}' of an "
                                 f"'{self.type_label()}' value in gd")
        setattr(self.host, name, _GdType(value) if name == "type" and callable(value)
                else value)

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of an "
                             f"'{self.type_label()}' value in gd")

    def type_label(self) -> str:
        return type(self.host).__name__


def _out(value: Any) -> Any:
    """An attribute of an argparse object as a program sees it."""
    if type(value) is _GdType:
        return value.fn
    if isinstance(value, host.ArgumentParser):
        return ArgumentParser(value)
    if isinstance(value, host.Action):
        return Action(value)
    if type(value) is list:  # the same list where nothing in it changes (a default's)
        items = [_out(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if type(value) is dict:
        table = {k: _out(v) for k, v in value.items()}
        return value if all(table[k] is v for k, v in value.items()) else table
    if type(value).__module__ == "argparse":
        return to_repr(value)  # nothing else of argparse reaches a program
    return value


class Action(_Wrapper):
    """What add_argument returns: argparse's Action (dest, default, help... readable)."""

    __slots__ = ()
    DATA = frozenset(("option_strings", "dest", "nargs", "const", "default", "type",
                      "choices", "required", "help", "metavar"))
    SETTABLE = DATA - {"option_strings", "nargs"}

    def gd_repr(self) -> str:
        return repr(self.host)


class Group(_Wrapper):
    """add_argument_group() and add_mutually_exclusive_group(): add_argument adds to the
    parser, in this group's help section (or exclusion)."""

    __slots__ = ()
    DATA = frozenset(("title", "description", "required"))
    SETTABLE = frozenset(("title", "description", "required"))

    def gd_repr(self) -> str:
        return object_repr(f"argparse.{self.type_label()}", self)


class SubParsers(_Wrapper):
    """What add_subparsers() returns: add_parser(name, help=..., aliases=[...])."""

    __slots__ = ()
    DATA = frozenset(("dest", "required", "metavar", "help", "choices"))
    SETTABLE = frozenset(("dest", "required", "metavar", "help"))

    def gd_repr(self) -> str:
        return repr(self.host)


class ArgumentParser(_Wrapper):
    """argparse.ArgumentParser(description=..., ...)."""

    __slots__ = ("formatter_class",)
    DATA = frozenset(("prog", "usage", "description", "epilog", "add_help", "allow_abbrev",
                      "exit_on_error", "prefix_chars", "argument_default",
                      "conflict_handler"))
    SETTABLE = DATA

    def __init__(self, parser: Any, formatter_class: Any = None) -> None:
        super().__init__(parser)
        self.formatter_class = formatter_class or FORMATTERS["HelpFormatter"]

    def get_attr(self, name: str) -> Any:
        if name == "formatter_class":
            return self.formatter_class
        return super().get_attr(name)

    def gd_repr(self) -> str:
        p = self.host
        return (f"ArgumentParser(prog={to_repr(p.prog)}, usage={to_repr(p.usage)}, "
                f"description={to_repr(p.description)}, formatter_class="
                f"{to_repr(self.formatter_class)}, conflict_handler="
                f"{to_repr(p.conflict_handler)}, add_help={to_repr(p.add_help)})")

    def type_label(self) -> str:
        return "ArgumentParser"


def _parser_kwargs(kw: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """ArgumentParser's (and add_parser's) keywords as argparse takes them, and the
    formatter_class a program gave."""
    out = dict(kw)
    if out.get("fromfile_prefix_chars") is not None:
        raise GdRuntimeError("fromfile_prefix_chars= is not supported by gradcli (gd "
                             "programs read no argument files)")
    parents = out.get("parents")
    if parents is not None:
        if type(parents) not in (list, tuple) or any(type(p) is not ArgumentParser
                                                    for p in parents):
            raise GdRuntimeError("parents= takes a list of ArgumentParser", py_type="TypeError")
        out["parents"] = [p.host for p in parents]
    fc = out.pop("formatter_class", None)
    out["formatter_class"] = _formatter_factory(fc or FORMATTERS["HelpFormatter"])
    return out, fc


def _new_parser(*args: Any, **kwargs: Any) -> ArgumentParser:
    """argparse.ArgumentParser(prog=None, usage=None, description=None, ...)."""
    names = ("prog", "usage", "description", "epilog", "parents", "formatter_class",
             "prefix_chars", "fromfile_prefix_chars", "argument_default",
             "conflict_handler", "add_help", "allow_abbrev", "exit_on_error")
    if len(args) > len(names):
        raise GdRuntimeError(f"ArgumentParser.__init__() takes from 1 to {len(names) + 1} "
                             f"positional arguments but {len(args) + 1} were given",
                             py_type="TypeError")
    for name, value in zip(names, args, strict=False):
        if name in kwargs:
            raise GdRuntimeError(f"ArgumentParser.__init__() got multiple values for "
                                 f"argument '{name}'", py_type="TypeError")
        kwargs[name] = value
    if kwargs.get("prog") is None:
        kwargs["prog"] = posixpath.basename(to_str(pysys.ARGV[0]))
    kw, fc = _parser_kwargs(kwargs)
    return ArgumentParser(_call(_Parser, **kw), fc)


def _add_argument(c: _Wrapper, *flags: Any, **kw: Any) -> Action:
    return Action(_call(c.host.add_argument, *flags, **_argument_kwargs(kw)))


def _add_group(c: _Wrapper, *args: Any, **kw: Any) -> Group:
    return Group(_call(c.host.add_argument_group, *args, **kw))


def _add_exclusive(c: _Wrapper, *args: Any, **kw: Any) -> Group:
    return Group(_call(c.host.add_mutually_exclusive_group, *args, **kw))


def _add_subparsers(p: ArgumentParser, **kw: Any) -> SubParsers:
    if "parser_class" in kw or "action" in kw:
        raise GdRuntimeError("add_subparsers(parser_class=/action=) is not supported by "
                             "gradcli")
    return SubParsers(_call(p.host.add_subparsers, **kw))


def _add_parser(s: SubParsers, name: Any, **kw: Any) -> ArgumentParser:
    kw, fc = _parser_kwargs(kw)
    return ArgumentParser(_call(s.host.add_parser, name, **kw), fc)


def _arg_list(args: Any) -> list[str]:
    if args is None:
        return [to_str(a) for a in pysys.ARGV[1:]]
    if type(args) not in (list, tuple) or any(type(a) is not str for a in args):
        raise GdRuntimeError("parse_args() takes a list of strings", py_type="TypeError")
    return list(args)


def _parse(p: ArgumentParser, method: str, args: Any = None, namespace: Any = None) -> Any:
    if namespace is not None and type(namespace) is not ArgNamespace:
        raise GdRuntimeError("namespace= takes an argparse.Namespace in gd",
                             py_type="TypeError")
    start = host.Namespace(**(namespace.attrs if namespace is not None else {}))
    result = _call(getattr(p.host, method), _arg_list(args), start)
    ns, extras = result if type(result) is tuple else (result, None)
    out = namespace if namespace is not None else ArgNamespace()
    out.attrs.update({k: _out(v) for k, v in vars(ns).items()})
    return out if extras is None else (out, list(extras))


def _print(p: ArgumentParser, what: str, file: Any = None) -> None:
    text = _call(getattr(p.host, f"format_{what}"))
    p.host._print_message(text, host_sys.stdout if file is None else file)


def _exit(p: ArgumentParser, status: Any = 0, message: Any = None) -> None:
    p.host.exit(status, message)


def _get_default(c: _Wrapper, dest: Any) -> Any:
    return _out(_call(c.host.get_default, dest))


def _set_defaults(c: _Wrapper, **kw: Any) -> None:
    c.host.set_defaults(**kw)


_CONTAINER_METHODS: dict[str, Callable[..., Any]] = {
    "add_argument": _add_argument,
    "add_argument_group": _add_group,
    "add_mutually_exclusive_group": _add_exclusive,
    "set_defaults": _set_defaults,
    "get_default": _get_default,
}
Group.METHODS = _CONTAINER_METHODS
SubParsers.METHODS = {"add_parser": _add_parser}
ArgumentParser.METHODS = {
    **_CONTAINER_METHODS,
    "add_subparsers": _add_subparsers,
    "parse_args": lambda p, args=None, namespace=None: _parse(p, "parse_args", args,
                                                              namespace),
    "parse_known_args": lambda p, args=None, namespace=None: _parse(
        p, "parse_known_args", args, namespace),
    "parse_intermixed_args": lambda p, args=None, namespace=None: _parse(
        p, "parse_intermixed_args", args, namespace),
    "parse_known_intermixed_args": lambda p, args=None, namespace=None: _parse(
        p, "parse_known_intermixed_args", args, namespace),
    "format_help": lambda p: _call(p.host.format_help),
    "format_usage": lambda p: _call(p.host.format_usage),
    "print_help": lambda p, file=None: _print(p, "help", file),
    "print_usage": lambda p, file=None: _print(p, "usage", file),
    "error": lambda p, message: p.host.error(to_str(message)),
    "exit": _exit,
}

#: argparse.BooleanOptionalAction, as add_argument's action= (--flag / --no-flag).
BOOLEAN_OPTIONAL = Builtin("argparse.BooleanOptionalAction", lambda *a, **k: None,
                           "argparse.BooleanOptionalAction: action= for a flag and its no- form")
FORMATTERS = {name: FormatterClass(name) for name in _FORMATTERS}


def vars_of(obj: Any) -> dict[str, Any] | None:
    """vars(args) of an argparse.Namespace (its live attribute dict), else None."""
    return obj.attrs if type(obj) is ArgNamespace else None


def namespaces() -> dict[str, Namespace]:
    """argparse."""
    def namespace(**kwargs: Any) -> ArgNamespace:
        """argparse.Namespace(**kwargs)."""
        return ArgNamespace(**kwargs)

    return {"argparse": Namespace("argparse", {
        "ArgumentParser": Builtin("argparse.ArgumentParser", _new_parser),
        "Namespace": Builtin("argparse.Namespace", namespace),
        **FORMATTERS,
        "BooleanOptionalAction": BOOLEAN_OPTIONAL,
        "ArgumentError": ARGUMENT_ERROR,
        "ArgumentTypeError": ARGUMENT_TYPE_ERROR,
        "SUPPRESS": host.SUPPRESS, "OPTIONAL": host.OPTIONAL,
        "ZERO_OR_MORE": host.ZERO_OR_MORE, "ONE_OR_MORE": host.ONE_OR_MORE,
        "REMAINDER": host.REMAINDER,
    })}
