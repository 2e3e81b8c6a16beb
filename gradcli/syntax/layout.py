"""The postlexer: INDENT/DEDENT from line starts, bracket matching, reserved words."""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from gradcli.errors import GdSourceLimitError, GdSyntaxError
from gradcli.source import Span
from gradcli.syntax.context import (
    ParseContext,
    Token,
    active_contexts,
    end_of,
    nesting_limit,
    start_of,
    token_span,
)

MAX_INDENT_LEVELS = 100  # indented blocks inside one another, as CPython allows

# Python keywords that gd leaves out, reported by name rather than as a stray word.
UNSUPPORTED_KEYWORDS = frozenset({"async", "await"})
OPENING = {"LPAR": "(", "LSQB": "[", "LBRACE": "{"}
CLOSING = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}
# Python's soft keywords: names, except at the start of the statement they begin.
SOFT_KEYWORDS = {"match": "MATCH", "case": "CASE"}
_ASSIGNING = frozenset({"=", "lambda", ":=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=",
                        "|=", "^=", "&=", "<<=", ">>="})


def soft_keyword(word: str, rest: Iterable[tuple[str, str]]) -> bool:
    """Whether a line that starts with the name `match` or `case` is that statement, from
    the (kind, value) of the tokens after the name: a ':' outside brackets, with no
    assignment or `lambda` before it (`match = lambda: 0` is an assignment), not right
    after the name (`match: int = 3` is an annotation), and for `match` ending the line."""
    depth = 0
    first = True
    colon = False
    for kind, value in rest:
        if colon:
            return kind == "_NEWLINE"
        if kind in OPENING:
            depth += 1
        elif kind in CLOSING:
            depth -= 1
        elif depth == 0:
            if kind == "_NEWLINE" or value in _ASSIGNING:
                return False
            if kind == "COLON":
                if first:
                    return False
                if word == "case":
                    return True
                colon = True
        first = False
    return colon


class Layout:
    """Postlexer: INDENT/DEDENT from line starts, bracket matching, reserved words (Lark's
    PostLex, whose two members Lark reads)."""

    always_accept: tuple[str, ...] = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return _layout(stream, active_contexts()[-1])


def _layout(stream: Iterator[Token], ctx: ParseContext) -> Iterator[Token]:
    indents = [(0, 0)]  # (column with tabs to multiples of 8, column with tabs as 1)
    brackets = ctx.brackets
    in_module = ctx.mode == "module"
    shift = ctx.line_offset or ctx.column_offset
    first = True
    last: Token | None = None
    line_start = True  # the next token begins a statement (soft keywords)
    tokens = iter(stream)
    ahead: deque[Token] = deque()  # tokens read ahead to tell a soft keyword

    def peek() -> Iterator[tuple[str, str]]:
        i = 0
        while True:
            if i == len(ahead):
                more = next(tokens, None)
                if more is None:
                    return
                ahead.append(more)
            yield ahead[i].type, ahead[i].value
            i += 1

    while True:
        tok = ahead.popleft() if ahead else next(tokens, None)
        if tok is None:
            break
        if shift:
            _shift(tok, ctx)
        kind = tok.type
        if kind == "_NEWLINE":
            if brackets or not in_module:
                continue  # implicit line joining; expressions ignore line breaks
            first = False
            ctx.previous, ctx.current = ctx.current, tok
            last = tok
            line_start = True
            yield tok
            yield from indentation(tok, indents)
            continue
        if first:
            first = False
            if in_module and start_of(tok)[1] > 1:
                raise GdSyntaxError("unexpected indent", Span.point(*start_of(tok)))
        if kind in OPENING:
            brackets.append(tok)
            if len(brackets) > nesting_limit():  # 200 by default, as CPython's tokenizer allows
                raise GdSourceLimitError(
                    f"too deeply nested: more than {nesting_limit()} open brackets",
                    token_span(tok),
                    hint="split the expression", limit="max_nesting",
                )
        elif kind in CLOSING:
            if not brackets:
                raise GdSyntaxError(f"unmatched '{tok}'", token_span(tok))
            opening = brackets.pop()
            if opening.type != CLOSING[kind]:
                raise GdSyntaxError(
                    f"closing '{tok}' does not match '{opening}' opened at "
                    f"{opening.line}:{opening.column}",
                    token_span(tok),
                )
        elif kind == "NAME":
            tok = _check_name(tok)
            if line_start and in_module and tok.value in SOFT_KEYWORDS and \
                    soft_keyword(tok.value, peek()):
                tok = tok.update(type=SOFT_KEYWORDS[tok.value])
        line_start = False
        ctx.previous, ctx.current = ctx.current, tok
        last = tok
        yield tok
    if len(indents) > 1:
        line, column = (last.end_line, last.end_column) if last is not None else (1, 1)
        for _ in indents[1:]:
            yield Token("_DEDENT", "", 0, line, column, line, column, 0)


def _shift(tok: Token, ctx: ParseContext) -> None:
    """Move a token of an f-string field to its place in the file."""
    t: Any = tok  # Lark types positions as optional; its lexer always sets them
    if t.line == 1:
        t.column += ctx.column_offset
    if t.end_line == 1:
        t.end_column += ctx.column_offset
    t.line += ctx.line_offset
    t.end_line += ctx.line_offset


def indentation(newline: Token, indents: list[tuple[int, int]]) -> Iterator[Token]:
    """INDENT or DEDENT tokens for the line after `newline`, checked as CPython does."""
    indent = newline.value[newline.value.rfind("\n") + 1 :]
    column = alt = 0
    for char in indent:
        if char == " ":
            column, alt = column + 1, alt + 1
        elif char == "\t":
            column, alt = (column // 8 + 1) * 8, alt + 1
        else:  # a form feed resets the count, as in CPython
            column = alt = 0
    line, start = end_of(newline)
    where = Span.point(line, start)
    top, top_alt = indents[-1]
    if column > top:
        if alt <= top_alt:
            raise _tab_error(where)
        if len(indents) > min(MAX_INDENT_LEVELS, nesting_limit()):
            raise GdSourceLimitError(
                f"too deeply nested: more than {min(MAX_INDENT_LEVELS, nesting_limit())} indented "
                "blocks", where, hint="move inner blocks into functions",
            )
        indents.append((column, alt))
        yield Token("_INDENT", indent, 0, line, start, line, start, 0)
        return
    levels = len(indents)
    while column < indents[levels - 1][0]:
        levels -= 1
    if column != indents[levels - 1][0]:
        raise GdSyntaxError("unindent does not match any outer indentation level", where)
    if alt != indents[levels - 1][1]:
        raise _tab_error(where)
    for _ in range(len(indents) - levels):
        indents.pop()
        yield Token("_DEDENT", "", 0, line, start, line, start, 0)


def _tab_error(where: Span) -> GdSyntaxError:
    return GdSyntaxError(
        "inconsistent use of tabs and spaces in indentation",
        where,
        hint="indent with spaces only",
    )


def _check_name(tok: Token) -> Token:
    if tok.value in UNSUPPORTED_KEYWORDS:
        raise GdSyntaxError(f"'{tok}' is not supported in gd", token_span(tok))
    if not tok.value.isascii():
        # Python reads identifiers in NFKC form (`ﬁ` and `fi` are one name) and checks
        # them after normalising; \w lets through marks that cannot start a name.
        name = unicodedata.normalize("NFKC", tok.value)
        if not name.isidentifier():
            for i, char in enumerate(tok.value):
                if not (char if i == 0 else "_" + char).isidentifier():
                    line, column = start_of(tok)
                    where = Span.point(line, column + i)
                    raise GdSyntaxError(f"invalid character {show_char(char)} in name", where)
            raise GdSyntaxError(f"invalid name {name!r}", token_span(tok))
        tok = tok.update(value=name)
    return tok


def show_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X}"
