"""A scope's variables and the signals statements return: the types the compiler's
closures and the runtime share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# A compiled expression: frame -> value; a statement: frame -> signal (None to go on,
# BREAK, CONTINUE or RETURN, the value then in frame.ret).
Expr = Callable[["Frame"], Any]
Stmt = Callable[["Frame"], Any]

BREAK = object()
CONTINUE = object()
RETURN = object()
MISSING = object()


class Frame:
    """Variables of one scope; lookups fall back to the defining scope, then built-ins."""

    __slots__ = ("parent", "ret", "vars")

    def __init__(self, parent: Frame | None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.ret: Any = None
