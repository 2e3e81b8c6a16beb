"""Comparing gd syntax trees field by field (the parse tests' shared helper)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gradcli.syntax import ast as gd


def differences(a: Any, b: Any, path: str = "tree") -> Iterator[str]:
    """Every difference between two trees, spans included (== ignores spans)."""
    if type(a) is not type(b):
        yield f"{path}: {type(a).__name__} vs {type(b).__name__}"
    elif isinstance(a, gd.Node):
        for f in gd.fields(a):
            yield from differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, tuple):
        if len(a) != len(b):
            yield f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b and not (a != a and b != b):  # NaN equals itself here
        yield f"{path}: {a!r} vs {b!r}"
