"""Object identity within one run: what id() returns, and the address Python prints in a
default repr (`<MulBackward0 object at 0x7f0000000010>`, `<function f at 0x…>`).

CPython prints an object's memory address, which changes from run to run. gd gives each
object an address of the same form the first time a run asks (by id() or by printing it):
0x7f0000000000 plus 16 for each object asked about before. The same program prints the
same addresses every run, and a comparison that masks addresses (as any comparison of
two Python runs must) sees PyTorch's text. Each object asked about is kept for the run,
so no two live objects share an address.
"""

from __future__ import annotations

from typing import Any

BASE = 0x7F00_0000_0000
STEP = 16


class Identities:
    """The run's table: id(object) -> (number, object), numbers from 1."""

    __slots__ = ("known",)

    def __init__(self) -> None:
        self.known: dict[int, tuple[int, Any]] = {}

    def address(self, obj: Any) -> int:
        """The object's address for this run (its id())."""
        entry = self.known.get(id(obj))
        if entry is None:
            entry = self.known[id(obj)] = (len(self.known) + 1, obj)
        return BASE + STEP * entry[0]

    def clear(self) -> None:
        """Forget every address (a new run)."""
        self.known.clear()


IDENTITIES = Identities()


def at(obj: Any) -> str:
    """" at 0x7f…": the address part of obj's default repr."""
    return f" at {IDENTITIES.address(obj):#x}"


def object_repr(qualname: str, obj: Any) -> str:
    """Python's default repr of an object: <qualname object at 0x…>."""
    return f"<{qualname} object at {IDENTITIES.address(obj):#x}>"
