"""Tensor methods and torch functions of round 9's breadth: small-dtype conversions
(byte, char, short, half), ..."""

from __future__ import annotations

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.ops.elementwise import to
from gradcli.ad.ops.surface import expose


def byte(self: Tensor) -> Tensor:
    """x.byte(): x as uint8 (values wrap as a C cast does)."""
    return to(self, dtypes.uint8)


def char(self: Tensor) -> Tensor:
    """x.char(): x as int8."""
    return to(self, dtypes.int8)


def short(self: Tensor) -> Tensor:
    """x.short(): x as int16."""
    return to(self, dtypes.int16)


def half(self: Tensor) -> Tensor:
    """x.half(): x as float16."""
    return to(self, dtypes.float16)


expose(byte, "Tensor.byte", family="creation")
expose(char, "Tensor.char", family="creation")
expose(short, "Tensor.short", family="creation")
expose(half, "Tensor.half", family="creation")
