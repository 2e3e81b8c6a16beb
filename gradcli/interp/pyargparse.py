"""`argparse` in gd: the ArgumentParser real training scripts open with.

A gd program has no command line: parse_args() parses [] (every option takes its default,
as `python train.py` with no arguments would); parse_args([...]) parses the list given.
add_argument knows type=, default=, action= (store, store_true, store_false, store_const,
append, count, argparse.BooleanOptionalAction), choices=, nargs= (N, '?', '*', '+'),
required=, dest=, const=, help= and metavar=; add_argument_group() and
add_mutually_exclusive_group(required=) (with argparse's "not allowed with" error); error().
A parse error is argparse's message (a missing required argument, an invalid choice);
like Python's SystemExit no `except` catches it, and the run ends with exit 1. The result
is an argparse.Namespace: attribute access, vars(args), printed as Python does.
"""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.pysys import GdExitError
from gradcli.interp.values import Builtin, GdObject, Namespace, to_repr, to_str

_ACTIONS = ("store", "store_true", "store_false", "store_const", "append", "count",
            "help", "version", "boolean_optional")
_KEYWORDS = frozenset(("type", "default", "action", "choices", "help", "required", "nargs",
                       "dest", "const", "metavar", "version"))


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
            raise GdRuntimeError(f"'Namespace' object has no attribute '{name}'",
                                 py_type="AttributeError") from None

    def set_attr(self, name: str, value: Any) -> None:
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

    __hash__ = None  # type: ignore[assignment]


_MISSING = object()
#: argparse.BooleanOptionalAction, as add_argument's action= (--flag / --no-flag).
BOOLEAN_OPTIONAL = Builtin("argparse.BooleanOptionalAction", lambda *a, **k: None,
                           "argparse.BooleanOptionalAction: action= for a flag and its no- form")


class _Argument:
    __slots__ = ("action", "choices", "const", "default", "dest", "flags", "nargs",
                 "required", "type")

    def __init__(self, flags: tuple[str, ...], kw: dict[str, Any]) -> None:
        self.flags = flags
        self.action = kw.get("action", "store")
        self.type = kw.get("type")
        self.choices = kw.get("choices")
        self.nargs = kw.get("nargs")
        self.const = kw.get("const")
        positional = not flags[0].startswith("-")
        self.required = kw.get("required", positional and self.nargs not in ("?", "*"))
        if self.action == "boolean_optional":  # --flag / --no-flag
            self.flags = flags = (*flags, *(f"--no-{f[2:]}" for f in flags
                                            if f.startswith("--")))
        if self.action == "store_true":
            self.default = kw.get("default", False)
        elif self.action == "store_false":
            self.default = kw.get("default", True)
        else:
            self.default = kw.get("default")
        longs = [f for f in flags if f.startswith("--")]
        self.dest = kw.get("dest") or (flags[0] if positional else
                                       (longs or flags)[0].lstrip("-").replace("-", "_"))

    @property
    def positional(self) -> bool:
        return not self.flags[0].startswith("-")

    @property
    def shown(self) -> str:
        return self.dest if self.positional else "/".join(self.flags)


def _fail(message: str) -> GdExitError:
    return GdExitError(message)


class ArgumentParser(GdObject):
    """argparse.ArgumentParser(description=..., ...)."""

    __slots__ = ("arguments", "defaults", "description", "exclusive")

    def __init__(self, prog: Any = None, description: Any = None, **kwargs: Any) -> None:
        self.description = description
        self.arguments: list[_Argument] = []
        self.defaults: dict[str, Any] = {}
        self.exclusive: list[ArgumentGroup] = []  # the mutually exclusive groups

    def get_attr(self, name: str) -> Any:
        fn = _PARSER_METHODS.get(name)
        if fn is not None:
            return Builtin(f"ArgumentParser.{name}", lambda *a, **k: fn(self, *a, **k))
        if name == "description":
            return self.description
        raise GdRuntimeError(f"'ArgumentParser' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of an 'ArgumentParser' value")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return (f"ArgumentParser(prog='main.py', usage=None, description="
                f"{to_repr(self.description)}, formatter_class=<class "
                "'argparse.HelpFormatter'>, conflict_handler='error', add_help=True)")

    def type_label(self) -> str:
        return "ArgumentParser"


class ArgumentGroup(GdObject):
    """What add_argument_group() and add_mutually_exclusive_group() return: its
    add_argument adds to the parser (an exclusive group also keeps which it added)."""

    __slots__ = ("dests", "exclusive", "parser", "required", "title")

    def __init__(self, parser: ArgumentParser, exclusive: bool, title: Any = None,
                 required: Any = False) -> None:
        self.parser, self.exclusive, self.title = parser, exclusive, title
        self.required = bool(required)
        self.dests: list[_Argument] = []
        if exclusive:
            parser.exclusive.append(self)

    def get_attr(self, name: str) -> Any:
        if name == "add_argument":
            return Builtin("add_argument", self.add_argument)
        if name in ("add_argument_group", "add_mutually_exclusive_group"):
            fn = _PARSER_METHODS[name]
            return Builtin(name, lambda *a, **k: fn(self.parser, *a, **k))
        if name in ("title", "required"):
            return getattr(self, name)
        raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def add_argument(self, *flags: Any, **kw: Any) -> None:
        if self.exclusive and kw.get("required"):
            raise GdRuntimeError("mutually exclusive arguments must be optional",
                                 py_type="ValueError")
        arg = _add_argument(self.parser, *flags, **kw)
        if self.exclusive and arg is not None:
            self.dests.append(arg)

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of an argument group")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return f"<argparse.{self.type_label()} object>"

    def type_label(self) -> str:
        return "_MutuallyExclusiveGroup" if self.exclusive else "_ArgumentGroup"


def _check_exclusive(p: ArgumentParser, seen: dict[str, _Argument]) -> None:
    for group in p.exclusive:
        used = [a for a in seen.values() if a in group.dests]
        if len(used) > 1:
            raise _fail(f"argument {used[1].shown}: not allowed with argument "
                        f"{used[0].shown}")
        if group.required and not used:
            names = " ".join(a.shown if a.positional else a.flags[0] for a in group.dests)
            raise _fail(f"one of the arguments {names} is required")


def _add_argument(p: ArgumentParser, *flags: Any, **kw: Any) -> _Argument | None:
    if not flags or any(type(f) is not str or not f for f in flags):
        raise GdRuntimeError("add_argument() needs option strings or a positional name",
                             py_type="TypeError")
    for k in kw:
        if k not in _KEYWORDS:
            raise GdRuntimeError(f"_StoreAction.__init__() got an unexpected keyword argument "
                                 f"'{k}'", py_type="TypeError")
    action = kw.get("action", "store")
    if action is BOOLEAN_OPTIONAL:
        action = "boolean_optional"
        kw = {**kw, "action": action}
    elif action == "boolean_optional" or action not in _ACTIONS:
        raise GdRuntimeError(f"unknown action {to_repr(action)}", py_type="ValueError")
    if action in ("help", "version"):
        return None
    t = kw.get("type")
    if t is not None and not callable(t):
        raise GdRuntimeError(f"{to_repr(t)} is not callable", py_type="ValueError")
    arg = _Argument(tuple(flags), kw)
    if any(a.dest == arg.dest and a.positional and arg.positional for a in p.arguments):
        raise GdRuntimeError(f"argument {arg.dest}: conflicting option string",
                             py_type="ValueError")
    p.arguments.append(arg)
    return arg


def _convert(arg: _Argument, text: Any) -> Any:
    if arg.type is None or type(text) is not str:
        value = text
    else:
        try:
            value = arg.type(text)
        except GdRuntimeError as e:
            if getattr(e, "py_type", None) not in ("ValueError", "TypeError", None):
                raise
            name = getattr(arg.type, "name", "value")
            raise _fail(f"argument {arg.shown}: invalid {name} value: {to_repr(text)}"
                        ) from None
        except (ValueError, TypeError):
            name = getattr(arg.type, "name", "value")
            raise _fail(f"argument {arg.shown}: invalid {name} value: {to_repr(text)}"
                        ) from None
    if arg.choices is not None and value not in arg.choices:
        choices = ", ".join(to_repr(c) for c in arg.choices)
        raise _fail(f"argument {arg.shown}: invalid choice: {to_repr(value)} "
                    f"(choose from {choices})")
    return value


def _take(arg: _Argument, rest: list[str]) -> tuple[Any, int]:
    """The value of an option or positional from the words that follow it."""
    n = arg.nargs
    if arg.action in ("store_true", "store_false", "store_const", "count",
                      "boolean_optional"):
        return None, 0
    words = []
    for w in rest:
        if w.startswith("-") and len(w) > 1 and not _number(w):
            break
        words.append(w)
    if n is None:
        if not words:
            raise _fail(f"argument {arg.shown}: expected one argument")
        return _convert(arg, words[0]), 1
    if n == "?":
        if not words:
            return arg.const, 0
        return _convert(arg, words[0]), 1
    if n in ("*", "+"):
        if n == "+" and not words:
            raise _fail(f"argument {arg.shown}: expected at least one argument")
        return [_convert(arg, w) for w in words], len(words)
    if type(n) is int:
        if len(words) < n:
            raise _fail(f"argument {arg.shown}: expected {n} arguments")
        return [_convert(arg, w) for w in words[:n]], n
    raise GdRuntimeError("invalid nargs value", py_type="ValueError")


def _number(w: str) -> bool:
    try:
        float(w)
    except ValueError:
        return False
    return True


def _store(ns: dict[str, Any], arg: _Argument, value: Any) -> None:
    a = arg.action
    if a == "store_true":
        ns[arg.dest] = True
    elif a == "store_false":
        ns[arg.dest] = False
    elif a == "store_const":
        ns[arg.dest] = arg.const
    elif a == "count":
        ns[arg.dest] = (ns[arg.dest] or 0) + 1
    elif a == "append":
        ns[arg.dest] = [*(ns[arg.dest] or []), value]
    else:
        ns[arg.dest] = value


def _parse(p: ArgumentParser, args: Any = None, namespace: Any = None,
           known: bool = False) -> Any:
    if args is None:
        args = []
    if type(args) not in (list, tuple) or any(type(a) is not str for a in args):
        raise GdRuntimeError("parse_args() takes a list of strings", py_type="TypeError")
    values: dict[str, Any] = {}
    for arg in p.arguments:
        d = arg.default
        values[arg.dest] = _convert(arg, d) if type(d) is str and arg.type else d
    values.update(p.defaults)
    seen: dict[str, _Argument] = {}
    positionals = [a for a in p.arguments if a.positional]
    by_flag = {f: a for a in p.arguments if not a.positional for f in a.flags}
    extras: list[str] = []
    words = list(args)
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("-") and len(w) > 1 and not _number(w):
            flag, eq, attached = w.partition("=")
            arg = by_flag.get(flag)
            if arg is None:
                matches = [f for f in by_flag if f.startswith(flag) and flag.startswith("--")]
                arg = by_flag[matches[0]] if len(matches) == 1 else None
            if arg is None:
                extras.append(w)
                i += 1
                continue
            rest = [attached] if eq else words[i + 1:]
            value, used = _take(arg, rest)
            if arg.action == "boolean_optional":
                values[arg.dest] = not flag.startswith("--no-")
            else:
                _store(values, arg, value)
            seen[arg.dest] = arg
            i += 1 + (0 if eq else used)
        elif positionals:
            arg = positionals.pop(0)
            value, used = _take(arg, words[i:])
            values[arg.dest] = value
            seen[arg.dest] = arg
            i += max(used, 1)
        else:
            extras.append(w)
            i += 1
    _check_exclusive(p, seen)
    missing = [a.shown for a in p.arguments if a.required and a.dest not in seen]
    if missing:
        raise _fail(f"the following arguments are required: {', '.join(missing)}")
    if extras and not known:
        raise _fail(f"unrecognized arguments: {' '.join(extras)}")
    ns = namespace if type(namespace) is ArgNamespace else ArgNamespace()
    ns.attrs.update(values)
    return (ns, extras) if known else ns


def _error(p: ArgumentParser, message: Any) -> None:
    """parser.error(message): ends the run with the message (argparse exits, status 2)."""
    raise _fail(to_str(message))


def _set_defaults(p: ArgumentParser, **kwargs: Any) -> None:
    p.defaults.update(kwargs)


_PARSER_METHODS: dict[str, Any] = {
    "add_argument": _add_argument,
    "parse_args": lambda p, args=None, namespace=None: _parse(p, args, namespace),
    "parse_known_args": lambda p, args=None, namespace=None: _parse(p, args, namespace, True),
    "set_defaults": _set_defaults,
    "add_argument_group": lambda p, title=None, description=None, **kw: ArgumentGroup(
        p, False, title),
    "add_mutually_exclusive_group": lambda p, required=False: ArgumentGroup(
        p, True, required=required),
    "error": _error,
    "get_default": lambda p, dest: p.defaults.get(
        dest, next((a.default for a in p.arguments if a.dest == dest), None)),
}


def vars_of(obj: Any) -> dict[str, Any] | None:
    """vars(args) of an argparse.Namespace (its live attribute dict), else None."""
    return obj.attrs if type(obj) is ArgNamespace else None


def namespaces() -> dict[str, Namespace]:
    """argparse."""
    def parser(*args: Any, **kwargs: Any) -> ArgumentParser:
        """argparse.ArgumentParser(prog=None, description=None, ...)."""
        return ArgumentParser(*args, **kwargs)

    def namespace(**kwargs: Any) -> ArgNamespace:
        """argparse.Namespace(**kwargs)."""
        return ArgNamespace(**kwargs)

    cls = Builtin("argparse.ArgumentParser", parser)
    return {"argparse": Namespace("argparse", {
        "ArgumentParser": cls,
        "Namespace": Builtin("argparse.Namespace", namespace),
        "ArgumentDefaultsHelpFormatter": "argparse.ArgumentDefaultsHelpFormatter",
        "RawTextHelpFormatter": "argparse.RawTextHelpFormatter",
        "BooleanOptionalAction": BOOLEAN_OPTIONAL,
    })}

