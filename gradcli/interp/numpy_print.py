"""numpy's print options in gd: `np.set_printoptions`, `np.get_printoptions` and the
`with np.printoptions(...)` block.

numpy prints gd's arrays itself, so these are numpy's own options and numpy checks them
(its TypeError and ValueError, its warning for an unknown `legacy`). What gd adds: only
plain values go in (no `formatter` or `override_repr`: functions numpy would call back),
widths, precisions and the nan/inf strings are capped as format specs are, and every run
starts from numpy's defaults, the host's options coming back when it ends (Session).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from gradcli.ad.identity import object_repr
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits
from gradcli.interp.values import Builtin, ContextValue

_CALLBACKS = ("formatter", "override_repr")
_NUMBERS = ("precision", "edgeitems", "linewidth")


def _checked(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The options as numpy takes them, after gd's own checks."""
    for name in _CALLBACKS:
        if kwargs.get(name) is not None:
            raise GdRuntimeError(f"numpy.set_printoptions: {name} (a function numpy calls "
                                 "back) is not supported in gd")
    out: dict[str, Any] = {}
    for name, value in kwargs.items():
        if value is not None and type(value) not in (int, float, bool, str):
            raise GdRuntimeError(f"numpy.set_printoptions: {name} must be a number or a "
                                 f"string, not a gd {type(value).__name__} value",
                                 py_type="TypeError")
        if name in _NUMBERS and type(value) is int:
            limits.check_format_spec(str(abs(value)))
        if type(value) is str:
            limits.check_length(len(value), "string")
        out[name] = value
    return out


def set_printoptions(precision: Any = None, threshold: Any = None, edgeitems: Any = None,
                     linewidth: Any = None, suppress: Any = None, nanstr: Any = None,
                     infstr: Any = None, formatter: Any = None, sign: Any = None,
                     floatmode: Any = None, *, legacy: Any = None,
                     override_repr: Any = None) -> None:
    """numpy.set_printoptions, numpy's own (no formatter/override_repr callbacks)."""
    options = _checked({
        "precision": precision, "threshold": threshold, "edgeitems": edgeitems,
        "linewidth": linewidth, "suppress": suppress, "nanstr": nanstr, "infstr": infstr,
        "formatter": formatter, "sign": sign, "floatmode": floatmode, "legacy": legacy,
        "override_repr": override_repr})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.set_printoptions(**options)
    for w in caught:  # numpy's UserWarning for an unknown legacy mode, as gd warns
        warn(str(w.message), w.category.__name__)


def get_printoptions() -> dict[str, Any]:
    """numpy.get_printoptions(): the current options as a new dict."""
    return dict(np.get_printoptions())


class PrintOptions(ContextValue):
    """`with np.printoptions(**options) as opts:` the options for the block (opts: them
    all, as get_printoptions gives), the earlier ones back after it."""

    __slots__ = ("options", "saved")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.options = (args, kwargs)
        self.saved: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return object_repr("contextlib._GeneratorContextManager", self)

    def enter(self) -> Any:
        self.saved = np.get_printoptions()
        args, kwargs = self.options
        set_printoptions(*args, **kwargs)
        return get_printoptions()

    def exit(self, exc: Any) -> bool:
        if self.saved is not None:
            np.set_printoptions(**self.saved)
            self.saved = None
        return False


def members() -> dict[str, Builtin]:
    """The numpy namespace's printing members."""
    return {
        "set_printoptions": Builtin("numpy.set_printoptions", set_printoptions),
        "get_printoptions": Builtin("numpy.get_printoptions", get_printoptions),
        "printoptions": Builtin("numpy.printoptions", PrintOptions,
                                "numpy.printoptions(**options): a with block's options"),
    }
