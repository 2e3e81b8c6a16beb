"""Parse gd source into the AST: grammar loading, layout, tree→AST building, errors.

The only module that touches Lark. The LALR parser runs the AST builder as its
callbacks, so no parse tree is built (measured: a separate Transformer pass over
a tree costs 25% more), and it keeps every token, so each node's span runs from
its rule's first token to its last. One lexer serves every parser state, as
Python's tokenizer does, which also keeps the start-up regex compilation small.
A postlexer turns line breaks into Python's INDENT/DEDENT blocks and checks
brackets, indentation and reserved words as the tokens stream by. Every failure,
whatever the input, leaves as a GdSyntaxError.
"""

from __future__ import annotations

import bisect
import functools
import gc
import os
import re
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar, cast

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken
from lark.lark import PostLex

from gradcli.errors import GdSourceLimitError, GdSyntaxError
from gradcli.limits import DEFAULT_LIMITS
from gradcli.source import Source, Span
from gradcli.syntax import ast as gd

T = TypeVar("T")

MAX_INDENT_LEVELS = 100  # indented blocks inside one another, as CPython allows
MAX_FSTRING_NESTING = 8  # f-strings inside f-string fields

_PARSER_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "basic",
    "start": ["module", "expression"],
    "maybe_placeholders": True,
    "keep_all_tokens": True,
}

# Python keywords that gd leaves out, reported by name rather than as a stray word.
_UNSUPPORTED_KEYWORDS = frozenset(
    {
        "class",
        "try",
        "except",
        "finally",
        "raise",
        "yield",
        "global",
        "nonlocal",
        "del",
        "async",
        "await",
    }
)
_OPENING = {"LPAR": "(", "LSQB": "["}
_CLOSING = {"RPAR": "LPAR", "RSQB": "LSQB"}
_AUG_OPS = {symbol + "=": name for name, symbol in gd.BINARY_OPS.items()}
_BLOCK_KEYWORDS = {
    "IF": "'if' statement",
    "ELIF": "'elif' statement",
    "ELSE": "'else' statement",
    "WHILE": "'while' statement",
    "FOR": "'for' statement",
    "WITH": "'with' statement",
    "DEF": "function definition",
}


# ------------------------------------------------------------------ public API


class ParserBug(RuntimeError):
    """An unexpected failure inside the parser (a gradcli bug, exit 70)."""


def parse(source: Source, *, max_bytes: int = DEFAULT_LIMITS.max_program_size,
          max_nesting: int = DEFAULT_LIMITS.max_nesting) -> gd.Module:
    """Parse a gd program; raises GdSyntaxError (and nothing else) when it is not valid.

    max_nesting caps the tree's depth and the open brackets (indented blocks stay capped
    at MAX_INDENT_LEVELS, as in CPython); beyond either limit the error is a
    GdSourceLimitError.
    """
    text = _checked_text(source.text, max_bytes)

    def build() -> gd.Module:
        body = _run(text, _Context(mode="module"), "module")
        module = gd.Module(tuple(body), span=_text_span(text))
        _check_depth(module)
        _check_placement(module)
        return module

    saved = getattr(_local, "max_nesting", DEFAULT_LIMITS.max_nesting)
    _local.max_nesting = max_nesting
    try:
        return _guarded(build)
    finally:
        _local.max_nesting = saved


def _nesting() -> int:
    """The nesting limit of the parse in progress."""
    limit: int = getattr(_local, "max_nesting", DEFAULT_LIMITS.max_nesting)
    return limit


def parse_expression(text: str, *,
                     max_bytes: int = DEFAULT_LIMITS.max_program_size) -> gd.Expr:
    """Parse one expression (a bare `a, b` gives a Tuple); line breaks are ignored."""
    text = _checked_text(text, max_bytes)

    def build() -> gd.Expr:
        expr: gd.Expr = _run(text, _Context(mode="expression"), "expression")
        _check_depth(expr)
        return expr

    return _guarded(build)


# ------------------------------------------------------------- grammar loading


def _grammar_path() -> str:
    """gd.lark inside an installed wheel, else the repository's grammar/ folder."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "grammar", "gd.lark")
    if os.path.isfile(installed):
        return installed
    return os.path.join(os.path.dirname(package), "grammar", "gd.lark")


def _cache_dirs() -> Iterator[str]:
    """Where the analysed grammar may be cached, best first."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    yield os.path.join(base, "gradcli")
    yield os.path.join(tempfile.gettempdir(), f"gradcli-{_uid()}")


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def _private(path: str, *, folder: bool) -> bool:
    """Ours and writable by nobody else: the cache is a pickle, so loading it runs code."""
    try:
        if folder:
            os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return False
    if hasattr(os, "getuid") and (info.st_uid != _uid() or info.st_mode & 0o022):
        return False
    return not folder or os.access(path, os.W_OK)


@functools.cache
def _parser() -> Lark:
    """The one Lark parser of the process, loaded from Lark's on-disk cache when possible."""
    with open(_grammar_path(), encoding="utf-8") as f:
        text = f.read()
    runtime = {"transformer": _Builder(), "postlex": _Layout()}
    # Lark checks the grammar, the options and its own version against the file's header,
    # and rebuilds and rewrites it on any mismatch or a torn file; the name keeps Python
    # versions apart.
    name = f"gd-{sys.implementation.cache_tag}.lark-cache"
    for folder in _cache_dirs():
        cached = os.path.join(folder, name)
        if _private(folder, folder=True) and (
            not os.path.exists(cached) or _private(cached, folder=False)
        ):
            return Lark(text, cache=cached, **_PARSER_OPTIONS, **runtime)
    return Lark(text, **_PARSER_OPTIONS, **runtime)


@functools.cache
def _terminal_spellings() -> dict[str, str]:
    """Terminal name → how a message shows it: "'('" for literal tokens."""
    names = {
        "NAME": "a name",
        "INTEGER": "a number",
        "FLOAT": "a number",
        "STRING": "a string",
        "_NEWLINE": "end of line",
        "_INDENT": "an indented block",
        "_DEDENT": "end of block",
        "$END": "end of input",
    }
    for terminal in _parser().terminals:
        if terminal.pattern.type == "str":
            names[terminal.name] = f"'{terminal.pattern.value}'"
    return names


# ---------------------------------------------------------------- parse context


@dataclass(eq=False, slots=True)
class _Context:
    """What one parse (of a program or of an f-string field) knows while it runs."""

    mode: str  # "module", "expression" or "fstring"
    line_offset: int = 0  # f-string fields: where the field's text starts in the file
    column_offset: int = 0
    brackets: list[Token] = field(default_factory=list)
    previous: Token | None = None
    current: Token | None = None


_local = threading.local()


def _contexts() -> list[_Context]:
    # A stack, because an f-string field is parsed while its program's parse is paused.
    stack: list[_Context] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _guarded(build: Callable[[], T]) -> T:
    """Run a whole parse, turning anything unexpected into a GdSyntaxError."""
    # A parse allocates many objects and frees almost none until it ends, so the cyclic
    # collector would only rescan them (a fifth of the time on long programs).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return build()
    except GdSyntaxError:
        raise
    except RecursionError as exc:
        raise GdSourceLimitError("program too deeply nested to parse") from exc
    except MemoryError as exc:
        raise GdSourceLimitError("program too large to parse") from exc
    except Exception as exc:
        # A bug in gradcli, not in the program: let it reach the CLI's internal-error path
        # (exit 70), never disguised as the user's syntax error.
        raise ParserBug(f"internal error while parsing: {exc!r}") from exc
    finally:
        if collecting:
            gc.enable()


def _run(text: str, ctx: _Context, start: str) -> Any:
    stack = _contexts()
    stack.append(ctx)
    try:
        return _parser().parse(text + "\n", start=start)
    except LarkError as exc:
        raise _translate(exc, ctx, text) from None
    finally:
        stack.pop()


def _checked_text(text: object, max_bytes: int) -> str:
    if not isinstance(text, str):
        raise GdSyntaxError(f"a program must be text, not {type(text).__name__}")
    if len(text) > max_bytes or (
        len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes
    ):
        raise GdSourceLimitError(
            f"program too large ({len(text.encode('utf-8', 'surrogatepass')):,} bytes; "
            f"the limit is {max_bytes:,})",
            hint="split the program", limit="max_program_size",
        )
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - text.rfind("\n", 0, nul)
        raise GdSyntaxError(
            "source contains a NUL byte; is this a binary file?", Span.point(line, column)
        )
    # One newline convention, so that line numbers agree with Source.line_text.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_span(text: str) -> Span:
    stripped = text.rstrip()
    if not stripped:
        return Span(1, 1, 1, 1)
    end_line = stripped.count("\n") + 1
    return Span(1, 1, end_line, len(stripped) - stripped.rfind("\n"))


# -------------------------------------------------------------------- layout


class _Layout(PostLex):
    """Postlexer: INDENT/DEDENT from line starts, bracket matching, reserved words."""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return _layout(stream, _contexts()[-1])


def _layout(stream: Iterator[Token], ctx: _Context) -> Iterator[Token]:
    indents = [(0, 0)]  # (column with tabs to multiples of 8, column with tabs as 1)
    brackets = ctx.brackets
    in_module = ctx.mode == "module"
    shift = ctx.line_offset or ctx.column_offset
    first = True
    last: Token | None = None
    for tok in stream:
        if shift:
            _shift(tok, ctx)
        kind = tok.type
        if kind == "_NEWLINE":
            if brackets or not in_module:
                continue  # implicit line joining; expressions ignore line breaks
            first = False
            ctx.previous, ctx.current = ctx.current, tok
            last = tok
            yield tok
            yield from _indentation(tok, indents)
            continue
        if first:
            first = False
            if in_module and _start(tok)[1] > 1:
                raise GdSyntaxError("unexpected indent", Span.point(*_start(tok)))
        if kind in _OPENING:
            brackets.append(tok)
            if len(brackets) > _nesting():  # 200 by default, as CPython's tokenizer allows
                raise GdSourceLimitError(
                    f"too deeply nested: more than {_nesting()} open brackets",
                    _token_span(tok),
                    hint="split the expression", limit="max_nesting",
                )
        elif kind in _CLOSING:
            if not brackets:
                raise GdSyntaxError(f"unmatched '{tok}'", _token_span(tok))
            opening = brackets.pop()
            if opening.type != _CLOSING[kind]:
                raise GdSyntaxError(
                    f"closing '{tok}' does not match '{opening}' opened at "
                    f"{opening.line}:{opening.column}",
                    _token_span(tok),
                )
        elif kind == "NAME":
            tok = _check_name(tok)
        ctx.previous, ctx.current = ctx.current, tok
        last = tok
        yield tok
    if len(indents) > 1:
        line, column = (last.end_line, last.end_column) if last is not None else (1, 1)
        for _ in indents[1:]:
            yield Token("_DEDENT", "", 0, line, column, line, column, 0)


def _shift(tok: Token, ctx: _Context) -> None:
    """Move a token of an f-string field to its place in the file."""
    t: Any = tok  # Lark types positions as optional; its lexer always sets them
    if t.line == 1:
        t.column += ctx.column_offset
    if t.end_line == 1:
        t.end_column += ctx.column_offset
    t.line += ctx.line_offset
    t.end_line += ctx.line_offset


def _indentation(newline: Token, indents: list[tuple[int, int]]) -> Iterator[Token]:
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
    line, start = _end(newline)
    where = Span.point(line, start)
    top, top_alt = indents[-1]
    if column > top:
        if alt <= top_alt:
            raise _tab_error(where)
        if len(indents) > min(MAX_INDENT_LEVELS, _nesting()):
            raise GdSourceLimitError(
                f"too deeply nested: more than {min(MAX_INDENT_LEVELS, _nesting())} indented "
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
    if tok.value in _UNSUPPORTED_KEYWORDS:
        raise GdSyntaxError(f"'{tok}' is not supported in gd", _token_span(tok))
    if not tok.value.isascii():
        # Python reads identifiers in NFKC form (`ﬁ` and `fi` are one name) and checks
        # them after normalising; \w lets through marks that cannot start a name.
        name = unicodedata.normalize("NFKC", tok.value)
        if not name.isidentifier():
            for i, char in enumerate(tok.value):
                if not (char if i == 0 else "_" + char).isidentifier():
                    line, column = _start(tok)
                    where = Span.point(line, column + i)
                    raise GdSyntaxError(f"invalid character {_show_char(char)} in name", where)
            raise GdSyntaxError(f"invalid name {name!r}", _token_span(tok))
        tok = tok.update(value=name)
    return tok


# ------------------------------------------------------------------ AST builder


class _Part:
    """A value passed between grammar rules that is not an AST node (a name list…)."""

    __slots__ = ("span", "value")

    def __init__(self, value: Any, span: Span) -> None:
        self.value = value
        self.span = span


def _start(tok: Token) -> tuple[int, int]:
    """Where a token starts (Lark types positions as optional; its lexer always sets them)."""
    return cast(int, tok.line), cast(int, tok.column)


def _end(tok: Token) -> tuple[int, int]:
    """Where a token ends: line, and the column just after it."""
    return cast(int, tok.end_line), cast(int, tok.end_column)


def _token_span(tok: Token) -> Span:
    t: Any = tok
    if t.end_line == t.line and t.end_column <= t.column:
        return Span.point(t.line, t.column)  # a zero-width INDENT or DEDENT
    return Span(t.line, t.column, t.end_line, t.end_column)


def _join(first: Any, last: Any) -> Span:
    """The span from the start of `first` to the end of `last` (tokens, nodes or parts)."""
    # Tokens and spans both carry line, column, end_line and end_column.
    a: Any = first if isinstance(first, Token) else first.span
    b: Any = last if isinstance(last, Token) else last.span
    return Span(a.line, a.column, b.end_line, b.end_column)


def _last(children: list[Any]) -> Any:
    for child in reversed(children):
        if child is not None and not (isinstance(child, Token) and child.type[0] == "_"):
            return child
    raise AssertionError("a rule matched no tokens")


def _statements(children: list[Any]) -> list[gd.Stmt]:
    out: list[gd.Stmt] = []
    for child in children:
        if isinstance(child, gd.Stmt):
            out.append(child)
        elif isinstance(child, list):
            out.extend(child)
    return out


def _kind(node: gd.Expr) -> str:
    """How Python's messages name an expression that cannot be assigned to."""
    if isinstance(node, gd.Call):
        return "function call"
    if isinstance(node, gd.Constant):
        if node.value is None or isinstance(node.value, bool):
            return str(node.value)
        return "ellipsis" if node.value is Ellipsis else "literal"
    if isinstance(node, gd.FString):
        return "f-string expression"
    if isinstance(node, gd.Compare):
        return "comparison"
    if isinstance(node, gd.Lambda):
        return "lambda"
    if isinstance(node, gd.IfExp):
        return "conditional expression"
    if isinstance(node, gd.Slice):
        return "slice"
    return "expression"


def _check_target(node: gd.Expr) -> None:
    """Reject what cannot be assigned to: calls, literals, operators…"""
    stack = [node]
    while stack:
        target = stack.pop()
        if isinstance(target, gd.Tuple | gd.List):
            stack.extend(target.elts)
        elif not isinstance(target, gd.Name | gd.Attribute | gd.Subscript):
            raise GdSyntaxError(f"cannot assign to {_kind(target)}", target.span)


def _binary(op: str) -> Any:
    def build(self: _Builder, c: list[Any]) -> gd.BinOp:
        return gd.BinOp(op, c[0], c[2], span=_join(c[0], c[2]))

    return build


def _unary(op: str) -> Any:
    def build(self: _Builder, c: list[Any]) -> gd.UnaryOp:
        return gd.UnaryOp(op, c[-1], span=_join(c[0], c[-1]))

    return build


def _comparison(op: str) -> Any:
    def build(self: _Builder, c: list[Any]) -> str:
        return op

    return build


def _boolean(op: str) -> Any:
    def build(self: _Builder, c: list[Any]) -> gd.BoolOp:
        return gd.BoolOp(op, tuple(c[::2]), span=_join(c[0], c[-1]))

    return build


class _Builder:
    """Lark callbacks, one per rule or alias: the rule's children (all tokens kept) → AST."""

    # ------------------------------------------------------------ statements

    def module(self, c: list[Any]) -> list[gd.Stmt]:
        return _statements(c)

    def expression(self, c: list[Any]) -> gd.Expr:
        return c[0]

    def simple_stmts(self, c: list[Any]) -> list[gd.Stmt]:
        return _statements(c)

    def suite(self, c: list[Any]) -> tuple[gd.Stmt, ...]:
        return tuple(_statements(c))

    def expr_stmt(self, c: list[Any]) -> gd.ExprStmt:
        return gd.ExprStmt(c[0], span=c[0].span)

    def assign(self, c: list[Any]) -> gd.Assign:
        exprs = c[::2]
        for target in exprs[:-1]:
            _check_target(target)
        return gd.Assign(tuple(exprs[:-1]), exprs[-1], span=_join(c[0], c[-1]))

    def augassign(self, c: list[Any]) -> gd.AugAssign:
        target, op, value = c
        if isinstance(target, gd.Tuple | gd.List):
            kind = "tuple" if isinstance(target, gd.Tuple) else "list"
            raise GdSyntaxError(
                f"augmented assignment ('{op}') to a {kind} is not possible",
                target.span,
                hint="assign to each name on its own",
            )
        _check_target(target)
        return gd.AugAssign(target, _AUG_OPS[op.value], value, span=_join(target, value))

    def pass_stmt(self, c: list[Any]) -> gd.Pass:
        return gd.Pass(span=_token_span(c[0]))

    def break_stmt(self, c: list[Any]) -> gd.Break:
        return gd.Break(span=_token_span(c[0]))

    def continue_stmt(self, c: list[Any]) -> gd.Continue:
        return gd.Continue(span=_token_span(c[0]))

    def return_stmt(self, c: list[Any]) -> gd.Return:
        return gd.Return(c[1], span=_join(c[0], _last(c)))

    def assert_stmt(self, c: list[Any]) -> gd.Assert:
        return gd.Assert(c[1], c[3], span=_join(c[0], _last(c)))

    def import_stmt(self, c: list[Any]) -> list[gd.Stmt]:
        span = _join(c[0], c[-1])
        return [gd.Import(*part.value, span=span) for part in c[1::2]]

    def dotted_as_name(self, c: list[Any]) -> _Part:
        alias = c[2].value if c[2] is not None else None
        return _Part((c[0].value, alias), _join(c[0], _last(c)))

    def dotted_name(self, c: list[Any]) -> _Part:
        return _Part(".".join(t.value for t in c[::2]), _join(c[0], c[-1]))

    def from_import(self, c: list[Any]) -> gd.ImportFrom:
        names = tuple(x for x in c if isinstance(x, gd.ImportedName))
        return gd.ImportFrom(c[1].value, names, span=_join(c[0], _last(c)))

    def import_as_name(self, c: list[Any]) -> gd.ImportedName:
        alias = c[2].value if c[2] is not None else None
        return gd.ImportedName(c[0].value, alias, span=_join(c[0], _last(c)))

    def if_stmt(self, c: list[Any]) -> gd.If:
        orelse: tuple[gd.Stmt, ...] = c[-1] or ()
        for clause in reversed([x for x in c[4:] if isinstance(x, _Part)]):
            test, body = clause.value
            end = (orelse or body)[-1]
            orelse = (gd.If(test, body, orelse, span=_join(clause, end)),)
        body = c[3]
        return gd.If(c[1], body, orelse, span=_join(c[0], (orelse or body)[-1]))

    def elif_clause(self, c: list[Any]) -> _Part:
        return _Part((c[1], c[3]), _token_span(c[0]))

    def while_stmt(self, c: list[Any]) -> gd.While:
        return gd.While(c[1], c[3], span=_join(c[0], c[3][-1]))

    def for_stmt(self, c: list[Any]) -> gd.For:
        _check_target(c[1])
        return gd.For(c[1], c[3], c[5], span=_join(c[0], c[5][-1]))

    def with_stmt(self, c: list[Any]) -> gd.With:
        name = c[3].value if c[3] is not None else None
        return gd.With(c[1], name, c[5], span=_join(c[0], c[5][-1]))

    def decorated(self, c: list[Any]) -> gd.FunctionDef:
        return replace(c[-1], decorators=tuple(c[:-1]))

    def decorator(self, c: list[Any]) -> gd.Expr:
        return c[1]

    def funcdef(self, c: list[Any]) -> gd.FunctionDef:
        params = c[3] or ()
        return gd.FunctionDef(c[1].value, params, c[6], span=_join(c[0], c[6][-1]))

    def params(self, c: list[Any]) -> tuple[gd.Param, ...]:
        params = tuple(x for x in c if isinstance(x, gd.Param))
        seen: set[str] = set()
        defaulted = False
        for param in params:
            if param.name in seen:
                raise GdSyntaxError(f"duplicate parameter '{param.name}'", param.span)
            seen.add(param.name)
            if param.default is not None:
                defaulted = True
            elif defaulted:
                raise GdSyntaxError(
                    "parameter without a default follows parameter with a default", param.span
                )
        return params

    def param(self, c: list[Any]) -> gd.Param:
        return gd.Param(c[0].value, c[2], span=_join(c[0], _last(c)))

    # ----------------------------------------------------------- expressions

    def lambdef(self, c: list[Any]) -> gd.Lambda:
        return gd.Lambda(c[1] or (), c[3], span=_join(c[0], c[3]))

    def tuple_bare(self, c: list[Any]) -> gd.Tuple:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return gd.Tuple(elts, span=_join(c[0], _last(c)))

    def ifexp(self, c: list[Any]) -> gd.IfExp:
        return gd.IfExp(c[2], c[0], c[4], span=_join(c[0], c[4]))

    def compare(self, c: list[Any]) -> gd.Compare:
        return gd.Compare(c[0], tuple(c[1::2]), tuple(c[2::2]), span=_join(c[0], c[-1]))

    def call(self, c: list[Any]) -> gd.Call:
        args, keywords = c[2].value if c[2] is not None else ((), ())
        return gd.Call(c[0], args, keywords, span=_join(c[0], c[3]))

    def arguments(self, c: list[Any]) -> _Part:
        args: list[gd.Expr] = []
        keywords: list[gd.Keyword] = []
        for item in c:
            if isinstance(item, gd.Keyword):
                if any(k.name == item.name for k in keywords):
                    raise GdSyntaxError(f"keyword argument repeated: {item.name}", item.span)
                keywords.append(item)
            elif isinstance(item, gd.Expr):
                if keywords:
                    raise GdSyntaxError("positional argument follows keyword argument", item.span)
                args.append(item)
        return _Part((tuple(args), tuple(keywords)), _join(c[0], _last(c)))

    def keyword(self, c: list[Any]) -> gd.Keyword:
        return gd.Keyword(c[0].value, c[2], span=_join(c[0], c[2]))

    def subscript(self, c: list[Any]) -> gd.Subscript:
        return gd.Subscript(c[0], c[2], span=_join(c[0], c[3]))

    def slice(self, c: list[Any]) -> gd.Slice:
        present = [x for x in c if x is not None]
        return gd.Slice(c[0], c[2], c[4], span=_join(present[0], present[-1]))

    def attribute(self, c: list[Any]) -> gd.Attribute:
        return gd.Attribute(c[0], c[2].value, span=_join(c[0], c[2]), attr_span=_token_span(c[2]))

    def name(self, c: list[Any]) -> gd.Name:
        return gd.Name(c[0].value, span=_token_span(c[0]))

    def int_literal(self, c: list[Any]) -> gd.Constant:
        tok = c[0]
        try:
            value = int(tok.value, 0)
        except ValueError:
            raise GdSyntaxError(
                f"integer literal too large ({len(tok.value)} digits)", _token_span(tok)
            ) from None
        return gd.Constant(value, span=_token_span(tok))

    def float_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(float(c[0].value), span=_token_span(c[0]))

    def string_literal(self, c: list[Any]) -> gd.Constant | gd.FString:
        return _string(c)

    def none_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(None, span=_token_span(c[0]))

    def true_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(True, span=_token_span(c[0]))

    def false_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(False, span=_token_span(c[0]))

    def ellipsis_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(..., span=_token_span(c[0]))

    def paren(self, c: list[Any]) -> gd.Expr:
        # The parentheses belong to the expression's span: a caret then covers "(a + b)".
        return replace(c[1], span=_join(c[0], c[2]))

    def tuple_display(self, c: list[Any]) -> gd.Tuple:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return gd.Tuple(elts, span=_join(c[0], c[-1]))

    def list_display(self, c: list[Any]) -> gd.List:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return gd.List(elts, span=_join(c[0], c[-1]))


# One grammar alias per operator, named as in the AST's operator tables.
for _op in gd.BINARY_OPS:
    setattr(_Builder, _op, _binary(_op))
for _op in ("neg", "pos", "invert", "not"):
    setattr(_Builder, _op, _unary(_op))
for _op in gd.COMPARE_OPS:
    setattr(_Builder, _op, _comparison(_op))
for _op in gd.BOOL_OPS:
    setattr(_Builder, _op, _boolean(_op))


# ------------------------------------------------------ strings and f-strings

_PREFIX = re.compile(r"[a-zA-Z]*")
_SIMPLE_ESCAPES = {
    "\n": "",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}
_ESCAPE = re.compile(
    r"\\(\n|[\\'\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}"
    r"|N\{[^}\n]*\}|[xuUN]|.)",
    re.S,
)


def _position(tok: Token, offset: int) -> tuple[int, int]:
    """Line and column of character `offset` of a (possibly multi-line) token."""
    line, column = _start(tok)
    # Newline offsets once per token, then a bisection: counting them afresh for each
    # f-string field made a long f-string quadratic (333k fields: minutes).
    newlines = _newline_offsets(tok.value)
    before = bisect.bisect_left(newlines, offset)
    if before == 0:
        return line, column + offset
    return line + before, offset - newlines[before - 1]


@functools.lru_cache(maxsize=16)
def _newline_offsets(value: str) -> tuple[int, ...]:
    if "\n" not in value:
        return ()
    return tuple(m.start() for m in re.finditer("\n", value))


def _point(tok: Token, offset: int) -> Span:
    return Span.point(*_position(tok, offset))


def _string(tokens: list[Token]) -> gd.Constant | gd.FString:
    """Adjacent string literals, concatenated; an f-string anywhere makes an FString."""
    parts: list[str | gd.FormattedValue] = []
    formatted = False
    for tok in tokens:
        prefix = _PREFIX.match(tok.value).group().lower()  # type: ignore[union-attr]
        if "b" in prefix:
            raise GdSyntaxError("bytes literals are not supported in gd", _token_span(tok))
        quote = 3 if tok.value[len(prefix) : len(prefix) + 3] in ('"""', "'''") else 1
        start, end = len(prefix) + quote, len(tok.value) - quote
        raw = "r" in prefix
        if "f" in prefix:
            formatted = True
            parts.extend(_fstring_parts(tok, start, end, raw))
        else:
            body = tok.value[start:end]
            parts.append(body if raw else _unescape(tok, start, body))
    span = _join(tokens[0], tokens[-1])
    if not formatted:
        return gd.Constant("".join(parts), span=span)  # type: ignore[arg-type]
    merged: list[str | gd.FormattedValue] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return gd.FString(tuple(merged), span=span)


def _unescape(tok: Token, offset: int, body: str) -> str:
    """Decode backslash escapes as Python does (an unknown escape keeps its backslash)."""
    if "\\" not in body:
        return body

    def decode(match: re.Match[str]) -> str:
        esc = match.group(1)
        head = esc[0]
        if head in _SIMPLE_ESCAPES and len(esc) == 1:
            return _SIMPLE_ESCAPES[head]
        if head in "01234567":
            return chr(int(esc, 8))
        if head in "xuU" and len(esc) > 1:
            code = int(esc[1:], 16)
            if code > sys.maxunicode:
                raise GdSyntaxError(
                    "invalid Unicode escape: beyond U+10FFFF", _point(tok, offset + match.start())
                )
            return chr(code)
        if head == "N" and len(esc) > 1:
            try:
                return unicodedata.lookup(esc[2:-1])
            except KeyError:
                raise GdSyntaxError(
                    f"unknown Unicode character name {esc[2:-1]!r}",
                    _point(tok, offset + match.start()),
                ) from None
        if head in "xuUN":
            raise GdSyntaxError(
                f"truncated \\{head} escape in string", _point(tok, offset + match.start())
            )
        return match.group(0)

    return _ESCAPE.sub(decode, body)


def _fstring_parts(tok: Token, start: int, end: int, raw: bool) -> list[str | gd.FormattedValue]:
    """Split an f-string's body into literal text and parsed `{...}` fields."""
    text = tok.value
    parts: list[str | gd.FormattedValue] = []
    chunk_start = start
    chunk: list[str] = []

    def flush() -> None:
        literal = "".join(chunk)
        parts.append(literal if raw else _unescape(tok, chunk_start, literal))
        chunk.clear()

    i = start
    while i < end:
        char = text[i]
        if char == "\\" and not raw:
            if text.startswith("N{", i + 1):
                close = text.find("}", i, end)
                close = end - 1 if close < 0 else close
                chunk.append(text[i : close + 1])
                i = close + 1
            elif text[i + 1 : i + 2] in ("{", "}"):
                chunk.append(char)  # `\{` is a backslash, then a field (as in Python)
                i += 1
            else:
                chunk.append(text[i : i + 2])
                i += 2
        elif char == "{" and text[i + 1 : i + 2] == "{":
            chunk.append("{")
            i += 2
        elif char == "}" and text[i + 1 : i + 2] == "}":
            chunk.append("}")
            i += 2
        elif char == "{":
            flush()
            value, i = _fstring_field(tok, i, end, raw)
            parts.append(value)
            chunk_start = i
        elif char == "}":
            raise GdSyntaxError("f-string: single '}' is not allowed", _point(tok, i))
        else:
            chunk.append(char)
            i += 1
    flush()
    return parts


def _fstring_field(tok: Token, brace: int, end: int, raw: bool) -> tuple[gd.FormattedValue, int]:
    """Parse the field whose '{' is at `brace`; returns it and the index after its '}'."""
    text = tok.value
    i = brace + 1
    closers: list[str] = []
    quote = ""
    stop = -1
    while i < end:
        char = text[i]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "\\":
            raise GdSyntaxError(
                "f-string expression part cannot include a backslash", _point(tok, i)
            )
        elif char == "#":
            raise GdSyntaxError("f-string expression part cannot include '#'", _point(tok, i))
        elif char in "([{":
            closers.append({"(": ")", "[": "]", "{": "}"}[char])
        elif char in ")]}":
            if not closers:
                if char == "}":
                    stop = i
                    break
                raise GdSyntaxError(f"f-string: unmatched '{char}'", _point(tok, i))
            if closers.pop() != char:
                raise GdSyntaxError(f"f-string: mismatched '{char}'", _point(tok, i))
        elif not closers and ((char == "!" and text[i + 1 : i + 2] != "=") or char == ":"):
            stop = i
            break
        elif (
            not closers
            and char == "="
            and text[i + 1 : i + 2] in ("}", "!", ":")
            and text[i - 1] not in "=!<>"
        ):
            raise GdSyntaxError(
                "f-string '=' (self-documenting) fields are not supported in gd", _point(tok, i)
            )
        i += 1
    if stop < 0:
        raise GdSyntaxError("f-string: expecting '}'", _point(tok, brace))
    source = text[brace + 1 : stop]
    if not source.strip():
        raise GdSyntaxError("f-string: empty expression not allowed", _point(tok, brace))
    value = _parse_field(source, *_position(tok, brace + 1))

    conversion = None
    if text[stop] == "!":
        conversion = text[stop + 1 : stop + 2]
        if conversion not in ("r", "s", "a") or text[stop + 2 : stop + 3] not in (":", "}"):
            raise GdSyntaxError(
                "f-string: invalid conversion character; expected 's', 'r' or 'a'",
                _point(tok, stop + 1),
            )
        stop += 2
    format_spec = None
    if text[stop] == ":":
        close = stop + 1
        while close < end and text[close] not in "{}":
            close += 1
        if close >= end:
            raise GdSyntaxError("f-string: expecting '}'", _point(tok, brace))
        if text[close] == "{":
            raise GdSyntaxError(
                "nested fields in an f-string format spec are not supported in gd",
                _point(tok, close),
            )
        spec = text[stop + 1 : close]
        format_spec = spec if raw else _unescape(tok, stop + 1, spec)
        stop = close
    if text[stop] != "}":
        raise GdSyntaxError("f-string: expecting '}'", _point(tok, stop))
    line, column = _position(tok, brace)
    end_line, end_column = _position(tok, stop + 1)
    span = Span(line, column, end_line, end_column)
    return gd.FormattedValue(value, conversion, format_spec, span=span), stop + 1


def _parse_field(source: str, line: int, column: int) -> gd.Expr:
    """Parse an f-string field's expression with tokens placed where it sits in the file."""
    if len(_contexts()) > MAX_FSTRING_NESTING:
        raise GdSourceLimitError("f-strings nested too deeply", Span.point(line, column))
    ctx = _Context(mode="fstring", line_offset=line - 1, column_offset=column - 1)
    return _run(source, ctx, "expression")


# ------------------------------------------------------------ whole-tree checks

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(
            f.name for f in fields(cls) if f.name not in ("span", "attr_span")
        )
    return names


def _check_depth(root: gd.Node) -> None:
    """Reject trees deeper than the nesting limit (later stages walk the tree recursively),
    walking with an explicit stack (no recursion)."""
    stack = [(root, 0)]
    pop, push = stack.pop, stack.append
    limit = _nesting()
    while stack:
        node, depth = pop()
        if depth > limit:
            what = "expression" if isinstance(node, gd.Expr) else "program"
            raise GdSourceLimitError(
                f"{what} too deeply nested (more than {limit} levels)",
                node.span,
                hint="split it into several statements", limit="max_nesting",
            )
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, gd.Node):
                push((value, depth + 1))
            elif type(value) is tuple:
                for item in value:
                    if isinstance(item, gd.Node):
                        push((item, depth + 1))


def _check_placement(module: gd.Module) -> None:
    """`return` only inside a def, `break`/`continue` only inside a loop (of the same def)."""
    stack: list[tuple[tuple[gd.Stmt, ...], bool, bool]] = [(module.body, False, False)]
    while stack:
        body, in_function, in_loop = stack.pop()
        for stmt in body:
            if isinstance(stmt, gd.Return) and not in_function:
                raise GdSyntaxError("'return' outside function", stmt.span)
            if isinstance(stmt, gd.Break | gd.Continue) and not in_loop:
                word = "break" if isinstance(stmt, gd.Break) else "continue"
                raise GdSyntaxError(f"'{word}' outside loop", stmt.span)
            if isinstance(stmt, gd.If):
                stack.append((stmt.body, in_function, in_loop))
                stack.append((stmt.orelse, in_function, in_loop))
            elif isinstance(stmt, gd.While | gd.For):
                stack.append((stmt.body, in_function, True))
            elif isinstance(stmt, gd.With):
                stack.append((stmt.body, in_function, in_loop))
            elif isinstance(stmt, gd.FunctionDef):
                stack.append((stmt.body, True, False))


# ------------------------------------------------------------ error messages


def _translate(exc: LarkError, ctx: _Context, text: str) -> GdSyntaxError:
    """Turn a Lark exception into a GdSyntaxError with a span and a readable message."""
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(exc, ctx, text)
    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        if line == 1:
            column += ctx.column_offset
        line += ctx.line_offset
        where = Span.point(line, column)
        return _unexpected_character(exc.char, text, exc.pos_in_stream or 0, where)
    return GdSyntaxError(f"invalid syntax ({type(exc).__name__})")


def _show_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X}"


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
    if char == "{":
        return GdSyntaxError("dict and set literals are not supported in gd", where)
    if char == "}":
        return GdSyntaxError("unmatched '}'", where)
    if char in "&|^" or text[pos : pos + 2] in ("<<", ">>"):
        op = text[pos : pos + 2] if text[pos : pos + 2] in ("<<", ">>") else char
        return GdSyntaxError(f"operator '{op}' is not supported in gd", where)
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


def _unexpected_token(exc: UnexpectedToken, ctx: _Context, text: str) -> GdSyntaxError:
    tok = exc.token
    kind = tok.type
    expected = set(exc.expected or ())
    here = _token_span(tok)
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
            closing = ")" if opening.type == "LPAR" else "]"
            return GdSyntaxError(
                f"unclosed '{opening}' opened at {opening.line}:{opening.column}",
                _token_span(opening),
                hint=f"close it with '{closing}'",
            )
        if kind in _CLOSING and _CLOSING[kind] != opening.type:
            return GdSyntaxError(
                f"closing '{tok}' does not match '{opening}' opened at "
                f"{opening.line}:{opening.column}",
                here,
            )
    before = ctx.previous if ctx.current is tok else ctx.current
    at_end = kind in ("_NEWLINE", "$END", "_DEDENT")
    if at_end and before is not None and before is not tok and before.type != "_NEWLINE":
        # Point just after the last real token, where the missing piece belongs.
        here = Span.point(*_end(before))
    if ctx.mode == "fstring" and kind == "$END":
        return GdSyntaxError("f-string: incomplete expression before '}'", here)
    if kind in ("_NEWLINE", "$END") and "COLON" in expected:
        return GdSyntaxError("expected ':'", here)
    if kind == "EQUAL":
        return GdSyntaxError("unexpected '='; did you mean '=='?", here)
    unsupported = _unsupported_construct(exc, ctx, text, before)
    if unsupported:
        return GdSyntaxError(f"{unsupported} not supported in gd", here)
    if (
        tok.value in ("<", ">")
        and before is not None
        and before.value == tok.value
        and (before.end_line, before.end_column) == (tok.line, tok.column)
    ):
        return GdSyntaxError(
            f"operator '{tok.value * 2}' is not supported in gd", _token_span(before)
        )
    message = f"unexpected {_describe(tok)}"
    spellings = _terminal_spellings()
    wanted = sorted({spellings[name] for name in expected if name in spellings})
    if 0 < len(wanted) <= 3:
        message += "; expected " + " or ".join(wanted)
    return GdSyntaxError(message, here)


def _unsupported_construct(
    exc: UnexpectedToken, ctx: _Context, text: str, before: Token | None
) -> str | None:
    """Name the Python construct a misplaced token most likely starts, if gd lacks it."""
    tok = exc.token
    kind = tok.type
    previous = before.type if before is not None else ""
    if kind == "FOR" and ctx.brackets:
        return "comprehensions are"
    if tok.value in ("*", "**") and previous == "IMPORT":
        return "'import *' is"
    if tok.value in ("*", "**") and previous in ("LPAR", "COMMA", "LAMBDA"):
        return "argument unpacking (*args, **kwargs) is"
    if kind == "MINUS" and previous == "RPAR" and _next_char(text, tok, ctx) == ">":
        return "return annotations ('->') are"
    if kind == "COLON" and previous == "NAME":
        stack = getattr(exc.state, "value_stack", None) or []
        for value in reversed(stack):
            if isinstance(value, Token) and value.type in ("RPAR", "DEF"):
                if value.type == "DEF":
                    return "parameter annotations are"
                break
        if "EQUAL" in (exc.expected or ()):
            return "variable annotations are"
    return None


def _next_char(text: str, tok: Token, ctx: _Context) -> str:
    if ctx.mode == "fstring":
        return ""
    _, column = _end(tok)
    return _line_text(text, tok)[column - 1 : column]


def _starts_line(text: str, tok: Token, ctx: _Context) -> bool:
    """Whether `tok` is the first token on its line (so the line before was left open)."""
    if ctx.mode == "fstring":
        return False
    _, column = _start(tok)
    return not _line_text(text, tok)[: column - 1].strip()


def _line_text(text: str, tok: Token) -> str:
    number, _ = _start(tok)
    lines = text.split("\n", number)
    return lines[number - 1] if number - 1 < len(lines) else ""


def _block_opener(exc: UnexpectedToken) -> str:
    """The " after 'if' statement on line 3" of a message, from the parser's stack."""
    stack = getattr(exc.state, "value_stack", None) or []
    for value in reversed(stack):
        if isinstance(value, Token) and value.type in _BLOCK_KEYWORDS:
            return f" after {_BLOCK_KEYWORDS[value.type]} on line {value.line}"
    return ""
