"""The standard-library modules real PyTorch code imports beside `random`, `itertools`,
`functools` and `dataclasses` (pyrandom, pyitertools, pydataclasses): `collections`
(pycollections), `warnings`, and numpy (numpy_ns), behind allow-lists.

`warnings.filterwarnings("ignore")` silences the rest of the run's warnings; the next run
shows them again.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError
from gradcli.interp import numpy_ns
from gradcli.interp.values import Builtin, Namespace

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


def _filterwarnings(action: Any, *args: Any, **kwargs: Any) -> None:
    """warnings.filterwarnings / simplefilter: "ignore" silences the run's warnings (gd
    keeps one filter: the messages and categories of a filter are not told apart); the
    other actions leave them as they are."""
    if action not in _ACTIONS:
        raise GdRuntimeError(f"invalid action: {action!r}", py_type="AssertionError")
    if action == "ignore" and type(State.warned) is not _Silenced:
        State.warned = _Silenced(State.warned)


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
    })


def reset() -> None:
    """A new run: `np.random` starts from seed 0 again, warnings are shown."""
    numpy_ns.reset()
    if type(State.warned) is _Silenced:
        State.warned = State.warned.shown


def namespaces() -> dict[str, Namespace]:
    """The importable standard-library modules (and numpy), by dotted name."""
    from gradcli.interp import pycollections

    return {"collections": pycollections.namespace(), "warnings": _warnings(),
            **numpy_ns.namespaces()}
