"""The standard-library modules real PyTorch code imports beside `random`, `itertools`,
`functools` and `dataclasses` (pyrandom, pyitertools, pydataclasses): `collections`
(pycollections), `warnings`, and numpy (numpy_ns), behind allow-lists.

`warnings.filterwarnings("ignore")` silences the rest of the run's warnings; the next run
shows them again.
"""

from __future__ import annotations

import sys
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, numpy_ns
from gradcli.interp.values import Builtin, ContextValue, GdObject, Namespace, type_name

# -- warnings -------------------------------------------------------------------------------

_ACTIONS = ("default", "error", "ignore", "always", "all", "module", "once")


class _Silenced(set):  # type: ignore[type-arg]
    """State.warned while an "ignore" filter holds: every warning counts as given
    already. `shown`: the warnings given before, put back by reset()."""

    def __init__(self, shown: set[Any] | None) -> None:
        super().__init__()
        self.shown = shown

    def __contains__(self, key: object) -> bool:
        return True


class _Always(set):  # type: ignore[type-arg]
    """State.warned while an "always" filter holds: no warning counts as given already."""

    def __init__(self, shown: set[Any] | None) -> None:
        super().__init__()
        self.shown = shown

    def __contains__(self, key: object) -> bool:
        return False


def _filterwarnings(action: Any, *args: Any, **kwargs: Any) -> None:
    """warnings.filterwarnings / simplefilter: "ignore" silences the run's warnings,
    "always" shows each one every time (gd keeps one filter: the messages and categories
    of a filter are not told apart); the other actions leave them as they are."""
    if action not in _ACTIONS:
        raise GdRuntimeError(f"invalid action: {action!r}", py_type="AssertionError")
    kind = {"ignore": _Silenced, "always": _Always, "all": _Always}.get(action)
    if kind is not None and type(State.warned) is not kind:
        shown = State.warned
        State.warned = kind(getattr(shown, "shown", shown))


class WarningMessage(GdObject):
    """What catch_warnings(record=True) lists: a warning's message (an instance of its
    category), category, filename and line."""

    __slots__ = ("category", "filename", "lineno", "message")

    def __init__(self, category: str, text: str, filename: str, lineno: Any) -> None:
        from gradcli.interp import exceptions

        self.category = exceptions.CLASSES.get(category, exceptions.CLASSES["UserWarning"])
        self.message = self.category(text)
        self.filename = filename
        self.lineno = lineno

    def get_attr(self, name: str) -> Any:
        if name in ("category", "message", "filename", "lineno"):
            return getattr(self, name)
        if name in ("line", "file", "source"):
            return None
        from gradcli.interp.attributes import private_name_error

        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"'WarningMessage' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        self.get_attr(name)
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'WarningMessage' value")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return object_repr("warnings.WarningMessage", self)

    def gd_str(self) -> str:
        return (f"{{message : {self.message!r}, category : {self.category.name!r}, "
                f"filename : {self.filename!r}, lineno : {self.lineno}, line : None}}")

    def type_label(self) -> str:
        return "WarningMessage"


class CatchWarnings(ContextValue):
    """warnings.catch_warnings(record=False): the filters (and which warnings were given)
    as they were, back at the block's end; with record=True the block's warnings go into
    the list `as` names instead of standard error."""

    __slots__ = ("record", "saved")

    def __init__(self, *, record: Any = False, **_more: Any) -> None:
        self.record = bool(record)
        self.saved: tuple[Any, Any] | None = None

    def __repr__(self) -> str:
        return f"catch_warnings(record={self.record})"

    def enter(self) -> Any:
        self.saved = (State.warned, State.on_warning)
        if type(State.warned) not in (_Silenced, _Always):
            State.warned = set()  # Python's filters change: warned places warn again
        if not self.record:
            return None
        log: list[Any] = []
        from gradcli.interp import pysys

        name = pysys.ARGV[0] if pysys.ARGV else ""  # the program's path, as __file__

        def sink(category: str, message: str, span: Any) -> None:
            limits.check_length(len(log) + 1, "list")
            log.append(WarningMessage(category, message, name, getattr(span, "line", 0)))

        State.on_warning = sink
        return log

    def exit(self, exc: Any) -> bool:
        if self.saved is not None:
            State.warned, State.on_warning = self.saved
            self.saved = None
        return False


CatchWarnings.__name__ = "catch_warnings"


def _warn(message: Any, category: Any = None, stacklevel: Any = 1, *args: Any) -> None:
    """warnings.warn(message, category=UserWarning): on standard error, as gd's own."""
    name = getattr(category, "name", None) or "UserWarning"
    warn(str(message), name.rsplit(".", 1)[-1])


def _warnings() -> Namespace:
    return Namespace("warnings", {
        "filterwarnings": Builtin("warnings.filterwarnings", _filterwarnings),
        "simplefilter": Builtin("warnings.simplefilter", _filterwarnings,
                                "warnings.simplefilter(action): as filterwarnings"),
        "warn": Builtin("warnings.warn", _warn),
        "catch_warnings": Builtin("warnings.catch_warnings", CatchWarnings,
                                  "warnings.catch_warnings(record=False)"),
        "WarningMessage": Builtin("warnings.WarningMessage", WarningMessage),
    })


class _Collector:
    """The `gc` module a program sees: gd manages the host's collector itself (paused
    through a run), so `gc.collect()` frees nothing more and finds 0 objects, and
    `gc.disable()`/`enable()` change only what `isenabled()` answers."""

    enabled = True

    @staticmethod
    def collect(generation: Any = 2) -> int:
        """gc.collect(generation=2): 0 (gd frees a run's objects as they go)."""
        if type(generation) is not int:
            raise GdRuntimeError(f"'{type_name(generation)}' object cannot be interpreted "
                                 "as an integer", py_type="TypeError")
        if not 0 <= generation <= 2:
            raise GdRuntimeError("invalid generation", py_type="ValueError")
        return 0

    @staticmethod
    def set_enabled(on: bool) -> None:
        _Collector.enabled = on


def _gc() -> Namespace:
    return Namespace("gc", {
        "collect": Builtin("gc.collect", _Collector.collect),
        "enable": Builtin("gc.enable", lambda: _Collector.set_enabled(True),
                          "gc.enable(): isenabled() is True again"),
        "disable": Builtin("gc.disable", lambda: _Collector.set_enabled(False),
                           "gc.disable(): isenabled() is False"),
        "isenabled": Builtin("gc.isenabled", lambda: _Collector.enabled,
                             "gc.isenabled(): whether gc.disable() was undone"),
    })


def reset() -> None:
    """A new run: `np.random` starts from seed 0 again, warnings are shown, `gc` is
    enabled."""
    _Collector.enabled = True
    numpy_ns.reset()
    subclasses = sys.modules.get("gradcli.interp.distributions_subclass")
    if subclasses is not None:  # (loaded with the distributions, when a program uses them)
        subclasses.reset()
    if type(State.warned) in (_Silenced, _Always):
        State.warned = State.warned.shown


def namespaces() -> dict[str, Namespace]:
    """The importable standard-library modules (and numpy), by dotted name."""
    from gradcli.interp import pycollections

    return {"collections": pycollections.namespace(), "warnings": _warnings(), "gc": _gc(),
            **numpy_ns.namespaces()}
