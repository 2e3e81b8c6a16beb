"""`global` and `nonlocal`: the names a function body declares (found when it is
compiled), and the frame such a name lives in when the program runs."""

from __future__ import annotations

from gradcli.errors import GdRuntimeError, GdSyntaxError
from gradcli.interp.frame import Frame
from gradcli.source import Span
from gradcli.syntax import ast as A


def scope_of(f: Frame, name: str, kind: str | None, span: Span) -> Frame:
    """The frame a `global` (the module's) or `nonlocal` (the nearest enclosing function
    frame binding it) name lives in."""
    if kind == "global":
        while f.parent is not None:
            f = f.parent
        return f
    p = f.parent
    while p is not None and p.parent is not None:
        if name in p.vars:
            return p
        p = p.parent
    raise GdRuntimeError(f"no binding for nonlocal '{name}' found", span)


def scan_declarations(body: tuple[A.Stmt, ...], params: tuple[A.Param, ...]
                      ) -> dict[str, str]:
    """The `global` and `nonlocal` names of a function body (not of nested ones)."""
    found: dict[str, str] = {}
    stack = list(body)
    names = {p.name for p in params}
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (A.Global, A.Nonlocal)):
            kind = "global" if isinstance(stmt, A.Global) else "nonlocal"
            for n in stmt.names:
                if n in names:
                    raise GdSyntaxError(f"name '{n}' is parameter and {kind}", stmt.span)
                if found.get(n, kind) != kind:
                    raise GdSyntaxError(f"name '{n}' is nonlocal and global", stmt.span)
                found[n] = kind
        elif isinstance(stmt, (A.If, A.While, A.For, A.With, A.Try)):
            for block in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, block, ()))
            for h in getattr(stmt, "handlers", ()):
                stack.extend(h.body)
    return found
