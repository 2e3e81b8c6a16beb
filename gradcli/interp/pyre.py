"""`import re`: Python's regular expressions in gd (the normalizeString of the seq2seq
tutorial, parsing a log line), on str patterns and strings only.

Patterns and matches are Python's own objects behind gd wrappers (Pattern, Match) whose
attributes are allow-lists, as every attribute in gd is. A regular expression can take
exponential time in Python's backtracking engine (`(a+)+$`), inside one call no step check
sees: each matching call runs under an interval timer armed for what is left of the
command's time limit (CPython's engine checks for signals as it backtracks), so it ends
with gd's time-limit error. Whatever a call builds (sub's result, findall's list) is
counted against the string and list caps as it grows, never after.
"""

from __future__ import annotations

import contextlib
import re as host_re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from gradcli.ad.state import State
from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.interp import exceptions, limits
from gradcli.interp.values import BoundMethod, Builtin, GdObject, Namespace, type_name
from gradcli.limits import MAX_SEQUENCE

#: re.error (re.PatternError's older name), an Exception with Python's messages.
ERROR = exceptions.ExceptionClass("error", exceptions.CLASSES["Exception"])


class _Expired(BaseException):
    """Raised by the timer's signal handler inside a regular expression call."""


@contextlib.contextmanager
def _timed() -> Iterator[None]:
    """Run the body under an interval timer for the rest of the command's time limit, in
    CPU time as the limit is counted (in the main thread, where signals are delivered;
    elsewhere the body runs as it is)."""
    deadline = State.deadline
    if deadline is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    left = deadline - time.process_time()
    if left <= 0:
        left = 0.001

    def expire(signum: int, frame: Any) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, left)
    try:
        yield
    except _Expired:
        raise GdLimitError(
            f"time limit reached: the command ran for more than {State.time_limit:,g} s "
            "of CPU time",
            hint="a regular expression that backtracks without end? (nested repeats such "
            "as (a+)+)", limit="max_time") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _error(message: str, py_type: str = "TypeError") -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def _text(what: str, s: Any) -> str:
    if type(s) is not str:
        if type(s) in (int, float, bool) or s is None:
            raise _error(f"expected string or bytes-like object, got '{type_name(s)}'")
        raise _error(f"{what}: gd's re takes str values only, not {type_name(s)}")
    return s


def _compile(pattern: Any, flags: Any = 0) -> Pattern:
    if type(pattern) is Pattern:
        if flags:
            raise _error("cannot process flags argument with a compiled pattern",
                         "ValueError")
        return pattern
    _text("pattern", pattern)
    if not isinstance(flags, int):
        raise _error(f"unsupported operand type(s) for &: '{type_name(flags)}' and 'int'")
    try:
        return Pattern(host_re.compile(pattern, flags))
    except host_re.error as e:
        raise exceptions.ExceptionValue(ERROR, (str(e),)).raised(None) from None
    except (OverflowError, RecursionError, ValueError) as e:
        raise _error(str(e), "ValueError") from None


class _Budget:
    """What a call has built so far, against the string cap."""

    __slots__ = ("n", "what")

    def __init__(self, what: str) -> None:
        self.n = 0
        self.what = what

    def add(self, k: int) -> None:
        self.n += k
        if self.n > MAX_SEQUENCE:
            limits.check_length(self.n, self.what)


class Pattern(GdObject):
    """re.compile(...)'s result: a compiled regular expression."""

    __slots__ = ("p",)

    def __init__(self, p: host_re.Pattern[str]) -> None:
        self.p = p

    def get_attr(self, name: str) -> Any:
        if name in _PATTERN_DATA:
            return _PATTERN_DATA[name](self.p)
        fn = _PATTERN_METHODS.get(name)
        if fn is not None:
            return BoundMethod(self, name, fn)
        return _no_attribute("re.Pattern", name)

    def set_attr(self, name: str, value: Any) -> None:
        _no_attribute("re.Pattern", name, True)

    def del_attr(self, name: str) -> None:
        _no_attribute("re.Pattern", name, True)

    def gd_repr(self) -> str:
        return repr(self.p)

    def type_label(self) -> str:
        return "re.Pattern"

    def __eq__(self, other: object) -> bool:
        return type(other) is Pattern and other.p == self.p

    def __hash__(self) -> int:
        return hash(self.p)


class Match(GdObject):
    """A match of a regular expression: its groups and where they are."""

    __slots__ = ("m", "pattern")

    def __init__(self, m: host_re.Match[str], pattern: Pattern) -> None:
        self.m = m
        self.pattern = pattern

    def get_attr(self, name: str) -> Any:
        if name == "re":
            return self.pattern
        if name in _MATCH_DATA:
            return _MATCH_DATA[name](self.m)
        fn = _MATCH_METHODS.get(name)
        if fn is not None:
            return BoundMethod(self, name, fn)
        return _no_attribute("re.Match", name)

    def set_attr(self, name: str, value: Any) -> None:
        _no_attribute("re.Match", name, True)

    def del_attr(self, name: str) -> None:
        _no_attribute("re.Match", name, True)

    def __getitem__(self, g: Any) -> Any:
        return _group_call(self.m.__getitem__, g)

    def gd_repr(self) -> str:
        return repr(self.m)

    def type_label(self) -> str:
        return "re.Match"

    def __bool__(self) -> bool:
        return True


def _no_attribute(kind: str, name: str, setting: bool = False) -> Any:
    from gradcli.interp.values import private_name_error

    if name.startswith("_"):
        raise private_name_error(name)
    if setting:
        raise _error(f"cannot set '{name}' attribute of immutable type '{kind}'")
    raise _error(f"'{kind}' object has no attribute '{name}'", "AttributeError")


def _group_call(fn: Callable[..., Any], *args: Any) -> Any:
    for g in args:
        if type(g) not in (int, str, bool):
            raise _error("no such group", "IndexError")
    try:
        return fn(*args)
    except IndexError as e:
        raise _error(str(e), "IndexError") from None


def _group(m: Match, *groups: Any) -> Any:
    return _group_call(m.m.group, *groups)


def _start(m: Match, group: Any = 0) -> int:
    return _group_call(m.m.start, group)  # type: ignore[no-any-return]


def _end(m: Match, group: Any = 0) -> int:
    return _group_call(m.m.end, group)  # type: ignore[no-any-return]


def _span(m: Match, group: Any = 0) -> tuple[int, int]:
    return _group_call(m.m.span, group)  # type: ignore[no-any-return]


def _expand(m: Match, template: Any) -> str:
    _text("template", template)
    try:
        return m.m.expand(template)
    except host_re.error as e:
        raise exceptions.ExceptionValue(ERROR, (str(e),)).raised(None) from None
    except IndexError as e:
        raise _error(str(e), "IndexError") from None


_MATCH_METHODS: dict[str, Callable[..., Any]] = {
    "group": _group, "start": _start, "end": _end, "span": _span, "expand": _expand,
    "groups": lambda m, default=None: m.m.groups(default),
    "groupdict": lambda m, default=None: m.m.groupdict(default),
}
_MATCH_DATA: dict[str, Callable[[Any], Any]] = {
    name: (lambda m, name=name: getattr(m, name))
    for name in ("string", "pos", "endpos", "lastindex", "lastgroup")}


_END = 2**62  # endpos's default: the end of the string


def _positions(s: str, pos: Any, endpos: Any) -> tuple[int, int]:
    for v in (pos, endpos):
        if type(v) not in (int, bool):
            raise _error(f"'{type_name(v)}' object cannot be interpreted as an integer")
    return int(pos), min(int(endpos), _END)


def _matcher(kind: str) -> Callable[..., Any]:
    def call(p: Pattern, string: Any, pos: Any = 0, endpos: Any = _END) -> Any:
        s = _text("string", string)
        a, b = _positions(s, pos, endpos)
        with _timed():
            m = getattr(p.p, kind)(s, a, b)
        return None if m is None else Match(m, p)

    call.__name__ = kind
    return call


def _finditer(p: Pattern, string: Any, pos: Any = 0, endpos: Any = _END
              ) -> Any:
    from gradcli.interp.values import IteratorValue

    s = _text("string", string)
    a, b = _positions(s, pos, endpos)
    it = p.p.finditer(s, a, b)

    def items() -> Iterator[Match]:
        while True:
            with _timed():
                m = next(it, None)
            if m is None:
                return
            yield Match(m, p)

    return IteratorValue("callable_iterator", items())


def _findall(p: Pattern, string: Any, pos: Any = 0, endpos: Any = _END
             ) -> list[Any]:
    s = _text("string", string)
    a, b = _positions(s, pos, endpos)
    out: list[Any] = []
    budget = _Budget("re.findall() result")
    it = p.p.finditer(s, a, b)
    groups = p.p.groups
    while True:
        with _timed():
            m = next(it, None)
        if m is None:
            return out
        if groups == 0:
            item: Any = m.group()
            budget.add(len(item) + 1)
        elif groups == 1:
            item = m.group(1) or ""
            budget.add(len(item) + 1)
        else:
            item = tuple(g or "" for g in m.groups())
            budget.add(sum(map(len, item)) + groups)
        out.append(item)


def _subn(p: Pattern, repl: Any, string: Any, count: Any = 0) -> tuple[str, int]:
    s = _text("string", string)
    if type(count) not in (int, bool):
        raise _error(f"'{type_name(count)}' object cannot be interpreted as an integer")
    budget = _Budget("string")
    budget.add(len(s))
    if callable(repl) and type(repl) is not str:
        def replace(m: host_re.Match[str]) -> str:
            r = repl(Match(m, p))
            if type(r) is not str:
                raise _error(f"expected str instance, {type_name(r)} found")
            budget.add(len(r))
            return r
    else:
        template = _text("repl", repl)
        if "\\" not in template:  # a literal: no group to expand
            def replace(m: host_re.Match[str]) -> str:
                budget.add(len(template))
                return template
        else:
            def replace(m: host_re.Match[str]) -> str:
                r = m.expand(template)
                budget.add(len(r))
                return r
    try:
        with _timed():
            return p.p.subn(replace, s, count)
    except host_re.error as e:
        raise exceptions.ExceptionValue(ERROR, (str(e),)).raised(None) from None
    except IndexError as e:
        raise _error(str(e), "IndexError") from None


def _sub(p: Pattern, repl: Any, string: Any, count: Any = 0) -> str:
    return _subn(p, repl, string, count)[0]


def _split(p: Pattern, string: Any, maxsplit: Any = 0) -> list[Any]:
    s = _text("string", string)
    if type(maxsplit) not in (int, bool):
        raise _error(f"'{type_name(maxsplit)}' object cannot be interpreted as an integer")
    if (p.p.groups + 1) * (len(s) + 1) > MAX_SEQUENCE:  # each piece and its groups
        limits.check_length((p.p.groups + 1) * (len(s) + 1), "re.split() result")
    with _timed():
        return p.p.split(s, maxsplit)


_PATTERN_METHODS: dict[str, Callable[..., Any]] = {
    "search": _matcher("search"), "match": _matcher("match"),
    "fullmatch": _matcher("fullmatch"), "findall": _findall, "finditer": _finditer,
    "sub": _sub, "subn": _subn, "split": _split,
}
_PATTERN_DATA: dict[str, Callable[[Any], Any]] = {
    "pattern": lambda p: p.pattern, "flags": lambda p: p.flags, "groups": lambda p: p.groups,
    "groupindex": lambda p: dict(p.groupindex),
}


def _module_function(name: str, nargs: int) -> Callable[..., Any]:
    """re.NAME(pattern, *args, flags=0): the pattern compiled, then its method NAME."""
    method = _PATTERN_METHODS[name]

    def call(pattern: Any, *args: Any, flags: Any = 0, **kwargs: Any) -> Any:
        if len(args) > nargs:  # flags given by position
            *args, flags = args  # type: ignore[assignment]
        return method(_compile(pattern, flags), *args, **kwargs)

    call.__doc__ = f"re.{name}(pattern, ...): Python's re.{name}"
    return call


def _escape(pattern: Any) -> str:
    """re.escape(pattern): pattern with its special characters escaped."""
    return host_re.escape(_text("pattern", pattern))


def namespace() -> Namespace:
    """The `re` module."""
    members: dict[str, Any] = {
        "compile": Builtin("re.compile", _compile, "re.compile(pattern, flags=0)"),
        "escape": Builtin("re.escape", _escape),
        "purge": Builtin("re.purge", lambda: None, "re.purge(): nothing to clear in gd"),
        "error": ERROR,
        **{name: Builtin(f"re.{name}", _module_function(name, n)) for name, n in (
            ("search", 1), ("match", 1), ("fullmatch", 1), ("findall", 1), ("finditer", 1),
            ("sub", 3), ("subn", 3), ("split", 2))},
    }
    for name in ("I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "A",
                 "ASCII", "U", "UNICODE", "NOFLAG", "L", "LOCALE"):
        members[name] = getattr(host_re, name)
    return Namespace("re", members)


def namespaces() -> dict[str, Namespace]:
    return {"re": namespace()}


for _cls, _name in ((Pattern, "Pattern"), (Match, "Match")):
    _cls.__name__ = _name
