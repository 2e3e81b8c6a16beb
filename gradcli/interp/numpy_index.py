"""numpy's index tricks: `np.mgrid`, `np.ogrid`, `np.r_`, `np.c_`, `np.s_`,
`np.index_exp`. Objects a program subscripts with slices (`np.mgrid[-4:4:0.01, -4:4:0.01]`,
the grid scientific scripts build before loading it into tensors); the result is numpy's own,
its size checked against the cap before numpy allocates it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.state import check_size
from gradcli.interp.arrays import plain, wrap
from gradcli.interp.values import GdObject

# numpy's class names for the objects, as repr() shows them.
_CLASSES = {"mgrid": "MGridClass", "ogrid": "OGridClass", "r_": "RClass", "c_": "CClass",
            "s_": "IndexExpression", "index_exp": "IndexExpression"}


def _slice_count(s: slice) -> int:
    """How many values a slice of an index trick makes: a complex step is a count
    (numpy's `5j`), a real one a stride from start to stop."""
    step = s.step
    if isinstance(step, complex):
        return int(abs(step))
    start = 0 if s.start is None else s.start
    stop = 0 if s.stop is None else s.stop
    step = 1 if step is None else step
    try:
        if not step or not all(math.isfinite(float(v)) for v in (start, stop, step)):
            return 0
        return max(0, math.ceil((float(stop) - float(start)) / float(step)))
    except (TypeError, ValueError):
        return 0


def _size(name: str, key: Any) -> int:
    """The number of elements numpy's result will hold, before it is made."""
    parts = key if isinstance(key, tuple) else (key,)
    counts = [_slice_count(p) if isinstance(p, slice) else int(np.size(p)) for p in parts
              if not isinstance(p, str)]
    if name == "mgrid":
        return math.prod(counts) * len(counts)
    return sum(counts)


class IndexTrick(GdObject):
    """One of numpy's index-trick objects; subscripting it runs numpy's."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __getitem__(self, key: Any) -> Any:
        key = plain(key)
        if self.name in ("s_", "index_exp"):
            return getattr(np, self.name)[key]
        check_size(_size(self.name, key))
        out = getattr(np, self.name)[key]
        if isinstance(out, list):  # ogrid: one array per axis
            return [wrap(a) for a in out]
        return wrap(out)

    def type_label(self) -> str:
        return _CLASSES[self.name]

    def __repr__(self) -> str:
        return f"<numpy.lib._index_tricks_impl.{_CLASSES[self.name]} object>"


def members() -> dict[str, IndexTrick]:
    """The index tricks by their numpy names."""
    return {name: IndexTrick(name) for name in _CLASSES}
