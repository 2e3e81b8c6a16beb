"""np.finfo / np.iinfo: numpy's limits of a dtype, as numpy gives and prints them.

RL and training code reads them for a stabilising epsilon
(`eps = np.finfo(np.float32).eps.item()`, the PyTorch REINFORCE example) or a clamp
bound (`np.iinfo(np.int64).max`). The attributes are numpy's own values (numpy scalars
of the dtype, as numpy returns them, so `.item()` works); nothing else of numpy's info
object is reachable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.errors import GdRuntimeError
from gradcli.interp.arrays import wrap
from gradcli.interp.values import Builtin, GdObject

#: the attributes a program reads, per kind (numpy's public ones that hold plain values)
_FINFO = frozenset({"bits", "dtype", "eps", "epsneg", "iexp", "machep", "max", "maxexp", "min",
                    "minexp", "negep", "nexp", "nmant", "precision", "resolution",
                    "smallest_normal", "smallest_subnormal", "tiny"})
_IINFO = frozenset({"bits", "dtype", "kind", "max", "min"})


class NumpyInfo(GdObject):
    """numpy's finfo or iinfo of one dtype (`kind` is 'finfo' or 'iinfo')."""

    __slots__ = ("info", "kind")

    def __init__(self, info: Any, kind: str) -> None:
        self.info = info
        self.kind = kind

    def get_attr(self, name: str) -> Any:
        if name in (_FINFO if self.kind == "finfo" else _IINFO):
            return wrap(getattr(self.info, name))
        return super().get_attr(name)

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.kind}' value in gd")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return repr(self.info)

    def gd_str(self) -> str:
        return str(self.info)

    def type_label(self) -> str:
        return self.kind


def members(arg: Any) -> dict[str, Builtin]:
    """np.finfo and np.iinfo; `arg` turns a gd value into what numpy takes (np.float32,
    x.dtype, float, 'float32')."""
    def finfo(dtype: Any) -> NumpyInfo:
        """np.finfo(dtype): the limits of a floating dtype, numpy's own."""
        return NumpyInfo(_checked(np.finfo, arg(dtype)), "finfo")

    def iinfo(dtype: Any) -> NumpyInfo:
        """np.iinfo(dtype): the limits of an integer dtype, numpy's own."""
        return NumpyInfo(_checked(np.iinfo, arg(dtype)), "iinfo")

    return {"finfo": Builtin("numpy.finfo", finfo, "numpy.finfo(dtype): a dtype's limits"),
            "iinfo": Builtin("numpy.iinfo", iinfo, "numpy.iinfo(dtype): a dtype's limits")}


def _checked(fn: Any, dtype: Any) -> Any:
    """fn(dtype), numpy's refusal of a dtype of the wrong kind as Python's ValueError."""
    try:
        return fn(dtype)
    except (TypeError, ValueError) as e:
        raise GdRuntimeError(str(e), py_type=type(e).__name__) from None
