"""The state of a parse in progress, tokens and their positions, shared by every parsing
module.

A parse (of a program, an expression or an f-string field) pushes a `ParseContext` on a
per-thread stack while it runs, so the postlexer and the f-string code can see it."""

from __future__ import annotations

import threading
from typing import Any, cast

from gradcli.limits import DEFAULT_LIMITS
from gradcli.records import field, record
from gradcli.source import Span
from gradcli.syntax.ast import positional


@record(eq=False, slots=True)
class ParseContext:
    """What one parse (of a program or of an f-string field) knows while it runs."""

    mode: str  # "module", "expression" or "fstring"
    line_offset: int = 0  # f-string fields: where the field's text starts in the file
    column_offset: int = 0
    brackets: list[Token] = field(default_factory=list)
    previous: Token | None = None
    current: Token | None = None


class Token(str):
    """A token: its text, and where it is, as Lark's tokens are (the same attributes and
    constructor). The fast loop and the postlexer make these; Lark's lexer makes its own
    (lark.Token), which every parsing module reads the same way (see `is_token`)."""

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type",
                 "value")

    def __new__(cls, type: str, value: str, start_pos: int | None = None,
                line: int | None = None, column: int | None = None,
                end_line: int | None = None, end_column: int | None = None,
                end_pos: int | None = None) -> Token:
        tok = str.__new__(cls, value)
        tok.type, tok.value, tok.start_pos, tok.end_pos = type, value, start_pos, end_pos
        tok.line, tok.column, tok.end_line, tok.end_column = line, column, end_line, end_column
        return tok

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


def is_token(value: object) -> bool:
    """Whether a rule's child is a token, Lark's or ours: a str subclass (the builder's own
    strings, compare's operator names, are plain str)."""
    return isinstance(value, str) and value.__class__ is not str


thread_state = threading.local()

make_span = positional(Span)  # Span(...), ~3x faster (a parse builds one per node)


def active_contexts() -> list[ParseContext]:
    # A stack, because an f-string field is parsed while its program's parse is paused.
    stack: list[ParseContext] | None = getattr(thread_state, "stack", None)
    if stack is None:
        stack = thread_state.stack = []
    return stack


def nesting_limit() -> int:
    """The nesting limit of the parse in progress."""
    limit: int = getattr(thread_state, "max_nesting", DEFAULT_LIMITS.max_nesting)
    return limit


def start_of(tok: Token) -> tuple[int, int]:
    """Where a token starts (Lark types positions as optional; its lexer always sets them)."""
    return cast(int, tok.line), cast(int, tok.column)


def end_of(tok: Token) -> tuple[int, int]:
    """Where a token ends: line, and the column just after it."""
    return cast(int, tok.end_line), cast(int, tok.end_column)


def token_span(tok: Token) -> Span:
    t: Any = tok
    if t.end_line == t.line and t.end_column <= t.column:
        return Span.point(t.line, t.column)  # a zero-width INDENT or DEDENT
    return make_span(t.line, t.column, t.end_line, t.end_column)


def join_span(first: Any, last: Any) -> Span:
    """The span from the start of `first` to the end of `last` (tokens, nodes or parts)."""
    # Tokens (strs) and spans both carry line, column, end_line and end_column.
    a: Any = first if isinstance(first, str) else first.span
    b: Any = last if isinstance(last, str) else last.span
    return make_span(a.line, a.column, b.end_line, b.end_column)
