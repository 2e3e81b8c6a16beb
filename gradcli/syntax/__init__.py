"""The gd syntax layer: source text → AST (with spans) and back.

The parser (and Lark, its grammar and tables) loads on the first parse: a program found
in the parse cache, the common case for a re-run, never needs it."""

from typing import Any

from gradcli.syntax.unparse import unparse

__all__ = ["parse", "parse_expression", "unparse"]


def __getattr__(name: str) -> Any:
    if name in ("parse", "parse_expression"):
        from gradcli.syntax import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
