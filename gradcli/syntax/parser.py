"""Parse gd source into the AST: the syntax layer's entry points and whole-tree checks.

The parse itself is spread over rooms: `grammar` loads the one LALR parser and runs it,
`layout` (its postlexer) turns line breaks into Python's INDENT/DEDENT blocks and checks
brackets, indentation and reserved words as the tokens stream by, `builder` (its
callbacks) builds the AST as rules reduce, `strings` reads string literals and f-strings,
and `messages` words Lark's errors as Python's. Every failure, whatever the input, leaves
as a GdSyntaxError.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

from gradcli.errors import GdSourceLimitError, GdSyntaxError
from gradcli.limits import DEFAULT_LIMITS
from gradcli.source import Source, Span
from gradcli.syntax import ast as gd
from gradcli.syntax.context import ParseContext, nesting_limit, thread_state
from gradcli.syntax.grammar import run_parser

T = TypeVar("T")


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
        body = run_parser(text, ParseContext(mode="module"), "module")
        module = gd.Module(tuple(body), span=_text_span(text))
        _check_depth(module)
        _check_placement(module)
        return module

    saved = getattr(thread_state, "max_nesting", DEFAULT_LIMITS.max_nesting)
    thread_state.max_nesting = max_nesting
    try:
        return _guarded(build)
    finally:
        thread_state.max_nesting = saved


def parse_expression(text: str, *,
                     max_bytes: int = DEFAULT_LIMITS.max_program_size) -> gd.Expr:
    """Parse one expression (a bare `a, b` gives a Tuple); line breaks are ignored."""
    text = _checked_text(text, max_bytes)

    def build() -> gd.Expr:
        expr: gd.Expr = run_parser(text, ParseContext(mode="expression"), "expression")
        _check_depth(expr)
        return expr

    return _guarded(build)


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


# ------------------------------------------------------------ whole-tree checks

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


# Fields declared to hold only text or a literal's value never hold a node.
_LEAF_TYPES = frozenset({"Span", "str", "str | None", "tuple[str, ...]", "ConstantValue"})


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(
            f.name for f in gd.fields(cls) if str(f.type) not in _LEAF_TYPES
        )
    return names


def _check_depth(root: gd.Node) -> None:
    """Reject trees deeper than the nesting limit (later stages walk the tree recursively),
    walking with an explicit stack (no recursion)."""
    stack = [(root, 0)]
    pop, push = stack.pop, stack.append
    limit = nesting_limit()
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


_FUTURE_FEATURES = frozenset({"annotations", "division", "absolute_import", "print_function",
                              "unicode_literals", "generator_stop", "nested_scopes",
                              "generators", "with_statement"})


def _future_imports_first(module: gd.Module) -> set[int]:
    """The ids of the `from __future__ import ...` statements at the start of the program
    (after its docstring), where Python allows them; checks their feature names."""
    allowed: set[int] = set()
    for i, stmt in enumerate(module.body):
        if isinstance(stmt, gd.ImportFrom) and stmt.module == "__future__":
            for name in stmt.names:
                if name.name == "braces":
                    raise GdSyntaxError("not a chance", name.span)
                if name.name not in _FUTURE_FEATURES:
                    raise GdSyntaxError(f"future feature {name.name} is not defined",
                                        name.span)
            allowed.add(id(stmt))
        elif not (i == 0 and isinstance(stmt, gd.ExprStmt)
                  and isinstance(stmt.value, gd.Constant) and type(stmt.value.value) is str):
            break
    return allowed


def _check_placement(module: gd.Module) -> None:
    """`return` only inside a def, `break`/`continue` only inside a loop (of the same def),
    `from __future__ import` only at the start."""
    future = _future_imports_first(module)
    stack: list[tuple[tuple[gd.Stmt, ...], bool, bool]] = [(module.body, False, False)]
    while stack:
        body, in_function, in_loop = stack.pop()
        for stmt in body:
            if isinstance(stmt, gd.ImportFrom) and stmt.module == "__future__" and \
                    id(stmt) not in future:
                raise GdSyntaxError(
                    "from __future__ imports must occur at the beginning of the file",
                    stmt.span)
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
                stack.append((stmt.orelse, in_function, in_loop))
            elif isinstance(stmt, gd.With):
                stack.append((stmt.body, in_function, in_loop))
            elif isinstance(stmt, gd.Try):
                for block in (stmt.body, stmt.orelse, stmt.finalbody,
                              *(h.body for h in stmt.handlers)):
                    stack.append((block, in_function, in_loop))
            elif isinstance(stmt, gd.FunctionDef):
                stack.append((stmt.body, True, False))
            elif isinstance(stmt, gd.ClassDef):
                stack.append((stmt.body, False, False))
