"""Syntax error wording: Lark's exceptions become GdSyntaxErrors worded as Python's."""

from __future__ import annotations

from collections.abc import Callable

from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken

from gradcli.errors import GdSyntaxError
from gradcli.source import Span
from gradcli.syntax.ast import Starred
from gradcli.syntax.context import ParseContext, Token, end_of, is_token, start_of, token_span
from gradcli.syntax.layout import CLOSING

_BLOCK_KEYWORDS = {
    "IF": "'if' statement",
    "ELIF": "'elif' statement",
    "ELSE": "'else' statement",
    "WHILE": "'while' statement",
    "FOR": "'for' statement",
    "WITH": "'with' statement",
    "DEF": "function definition",
    "CLASS": "class definition",
}


def translate(exc: LarkError, ctx: ParseContext, text: str,
               spellings: Callable[[], dict[str, str]]) -> GdSyntaxError:
    """Turn a Lark exception into a GdSyntaxError with a span and a readable message;
    `spellings()` gives how each grammar terminal is shown."""
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(exc, ctx, text, spellings())
    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        if line == 1:
            column += ctx.column_offset
        line += ctx.line_offset
        where = Span.point(line, column)
        return _unexpected_character(exc.char, text, exc.pos_in_stream or 0, where)
    return GdSyntaxError(f"invalid syntax ({type(exc).__name__})")


def _unexpected_character(char: str, text: str, pos: int, where: Span) -> GdSyntaxError:
    if char in "'\"":
        triple = text[pos : pos + 3] == char * 3 or text[max(pos - 2, 0) : pos] == char * 2
        if triple and text[max(pos - 2, 0) : pos] == char * 2:
            where = Span.point(where.line, where.column - 2)
        kind = "triple-quoted string" if triple else "string"
        return GdSyntaxError(f"unterminated {kind}", where)
    if char.isdigit():
        return GdSyntaxError("invalid number literal", where)
    if char == "\\":
        return GdSyntaxError("unexpected character after line continuation character", where)
    if char.isprintable() and not char.isspace():
        return GdSyntaxError(f"invalid character '{char}'", where)
    return GdSyntaxError(f"invalid non-printable character U+{ord(char):04X}", where)


def _describe(tok: Token) -> str:
    kind = tok.type
    if kind in ("$END", "_NEWLINE", "_INDENT", "_DEDENT"):
        return {
            "$END": "end of input",
            "_NEWLINE": "end of line",
            "_INDENT": "indent",
            "_DEDENT": "dedent",
        }[kind]
    if kind == "NAME":
        return f"name '{tok}'"
    if kind in ("INTEGER", "FLOAT"):
        return f"number {tok}" if len(tok) <= 20 else "number"
    if kind == "STRING":
        return "string"
    return f"'{tok}'"


def _unexpected_token(exc: UnexpectedToken, ctx: ParseContext, text: str,
                      spellings: dict[str, str]) -> GdSyntaxError:
    tok = exc.token
    kind = tok.type
    expected = set(exc.expected or ())
    here = token_span(tok)
    if kind == "_INDENT":
        return GdSyntaxError("unexpected indent", here)
    if "_INDENT" in expected:
        after = _block_opener(exc)
        return GdSyntaxError(
            f"expected an indented block{after}", here, hint="indent the body of the block"
        )
    if ctx.brackets:
        opening = ctx.brackets[-1]
        if kind == "$END" or (tok.line > opening.line and _starts_line(text, tok, ctx)):
            closing = {"LPAR": ")", "LSQB": "]", "LBRACE": "}"}[opening.type]
            return GdSyntaxError(
                f"unclosed '{opening}' opened at {opening.line}:{opening.column}",
                token_span(opening),
                hint=f"close it with '{closing}'",
            )
        if kind in CLOSING and CLOSING[kind] != opening.type:
            return GdSyntaxError(
                f"closing '{tok}' does not match '{opening}' opened at "
                f"{opening.line}:{opening.column}",
                here,
            )
    before = ctx.previous if ctx.current is tok else ctx.current
    at_end = kind in ("_NEWLINE", "$END", "_DEDENT")
    if at_end and before is not None and before is not tok and before.type != "_NEWLINE":
        # Point just after the last real token, where the missing piece belongs.
        here = Span.point(*end_of(before))
    if kind == "YIELD":
        return GdSyntaxError("'yield' inside an expression is not supported in gd", here,
                             hint="yield as a statement (yield v, yield from it) or as the "
                             "value of an assignment (x = yield v)")
    if ctx.mode == "fstring" and kind == "$END":
        return GdSyntaxError("f-string: incomplete expression before '}'", here)
    if kind in ("_NEWLINE", "$END") and "COLON" in expected:
        return GdSyntaxError("expected ':'", here)
    stack = getattr(exc.state, "value_stack", None) or []
    starred = _starred_before(stack)
    if starred is not None:  # `*a` alone, where no tuple, list, set or call takes it apart
        where = starred
        if kind == "EQUAL":
            return GdSyntaxError("starred assignment target must be in a list or tuple", where)
        if kind == "FOR":
            return GdSyntaxError("iterable unpacking cannot be used in comprehension", where)
        return GdSyntaxError("can't use starred expression here", where)
    if kind == "EQUAL":
        return GdSyntaxError("unexpected '='; did you mean '=='?", here)
    if (kind == "COMMA" and _in_generator(exc)) or (
            kind == "FOR" and ctx.brackets and ctx.brackets[-1].type == "LPAR"):
        return GdSyntaxError("generator expression must be parenthesized", here)
    unsupported = _unsupported_construct(before) if tok.value in ("*", "**") else None
    if unsupported:
        return GdSyntaxError(f"{unsupported} not supported in gd", here)
    message = f"unexpected {_describe(tok)}"
    wanted = sorted({spellings[name] for name in expected if name in spellings})
    if 0 < len(wanted) <= 3:
        message += "; expected " + " or ".join(wanted)
    return GdSyntaxError(message, here)


def _unsupported_construct(before: Token | None) -> str | None:
    """Name the Python construct a misplaced token most likely starts, if gd lacks it."""
    if before is not None and before.type == "IMPORT":
        return "'import *' is"
    return None


def _starred_before(stack: list[object]) -> Span | None:
    """Where the `*a` just read starts, if the parser has just read one."""
    if stack and isinstance(stack[-1], Starred):
        return stack[-1].span
    if len(stack) >= 2 and is_token(stack[-2]) and stack[-2].type == "STAR":
        return token_span(stack[-2])
    return None


def _in_generator(exc: UnexpectedToken) -> bool:
    """Whether the parser is inside the clauses of a generator expression in parentheses."""
    stack = getattr(exc.state, "value_stack", None) or []
    seen_for = False
    for value in reversed(stack):
        if is_token(value) and value.type in ("FOR", "LPAR", "LSQB", "LBRACE"):
            if value.type != "FOR":
                return seen_for and value.type == "LPAR"
            seen_for = True
    return False


def _starts_line(text: str, tok: Token, ctx: ParseContext) -> bool:
    """Whether `tok` is the first token on its line (so the line before was left open)."""
    if ctx.mode == "fstring":
        return False
    _, column = start_of(tok)
    return not _line_text(text, tok)[: column - 1].strip()


def _line_text(text: str, tok: Token) -> str:
    number, _ = start_of(tok)
    lines = text.split("\n", number)
    return lines[number - 1] if number - 1 < len(lines) else ""


def _block_opener(exc: UnexpectedToken) -> str:
    """The " after 'if' statement on line 3" of a message, from the parser's stack."""
    stack = getattr(exc.state, "value_stack", None) or []
    for value in reversed(stack):
        if is_token(value) and value.type in _BLOCK_KEYWORDS:
            return f" after {_BLOCK_KEYWORDS[value.type]} on line {value.line}"
    return ""
