"""Bitwise operations on integer and bool tensors: torch.bitwise_and/or/xor/not and the
& | ^ ~ << >> operators. PyTorch refuses floating tensors (NotImplementedError), and `~` of one
in its own words (TypeError)."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.elementwise import _binary, bitwise_not
from gradcli.ad.ops.surface import expose
from gradcli.errors import GdRuntimeError

bitwise_and = _binary("bitwise_and")
bitwise_or = _binary("bitwise_or")
bitwise_xor = _binary("bitwise_xor")
bitwise_left_shift = _binary("bitwise_left_shift")
bitwise_right_shift = _binary("bitwise_right_shift")


def invert(x: Tensor) -> Any:
    """The ~ operator (Tensor.__invert__): bitwise_not of integer and bool tensors."""
    if x.array.dtype.kind not in "biu":
        raise GdRuntimeError("~ (operator.invert) is only implemented on integer and "
                             "Boolean-type tensors", py_type="TypeError")
    return bitwise_not(x)


for _name in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
              "bitwise_right_shift"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="comparison")
