"""Loading the grammar (grammar/gd.lark) into the one LALR parser, cached on disk.

One lexer serves every parser state, as Python's tokenizer does, which also keeps the
start-up regex compilation small."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

from lark import Lark
from lark.exceptions import LarkError

from gradcli.errors import GdSourceLimitError
from gradcli.records import replace
from gradcli.source import Span
from gradcli.syntax import ast as gd
from gradcli.syntax.builder import Builder
from gradcli.syntax.cache import cache_dirs as _cache_dirs
from gradcli.syntax.cache import enabled as _cache_enabled
from gradcli.syntax.cache import grammar_path as _grammar_path
from gradcli.syntax.cache import private as _private
from gradcli.syntax.context import ParseContext, active_contexts
from gradcli.syntax.driver import Driver
from gradcli.syntax.layout import Layout
from gradcli.syntax.messages import translate
from gradcli.syntax.strings import MAX_FSTRING_NESTING

_PARSER_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "basic",
    "start": ["module", "expression"],
    "maybe_placeholders": True,
    "keep_all_tokens": True,
}


@functools.cache
def lalr_parser() -> Lark:
    """The one Lark parser of the process, loaded from Lark's on-disk cache when possible."""
    with open(_grammar_path(), encoding="utf-8") as f:
        text = f.read()
    runtime = {"transformer": Builder(parse_fstring_field), "postlex": Layout()}
    # Lark checks the grammar, the options and its own version against the file's header,
    # and rebuilds and rewrites it on any mismatch or a torn file; the name keeps Python
    # versions apart.
    name = f"gd-{sys.implementation.cache_tag}.lark-cache"
    for folder in _cache_dirs() if _cache_enabled() else ():
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
    for terminal in lalr_parser().terminals:
        if terminal.pattern.type == "str":
            names[terminal.name] = f"'{terminal.pattern.value}'"
    return names


@functools.cache
def _driver() -> Driver | None:
    try:
        return Driver(lalr_parser())
    except Exception:  # a grammar or Lark version the fast loop does not know: Lark's loop
        return None


def run_parser(text: str, ctx: ParseContext, start: str) -> Any:
    """Parse `text` from `start`: the fast loop first, Lark's parser (and its error
    messages) when the fast loop stops or is unavailable."""
    stack = active_contexts()
    driver = _driver()
    if driver is not None:
        stack.append(replace(ctx, brackets=[]))
        try:
            return driver.parse(text + "\n", start)
        except Exception:  # whatever stopped it, Lark's parser words it
            pass
        finally:
            stack.pop()
    stack.append(ctx)
    try:
        return lalr_parser().parse(text + "\n", start=start)
    except LarkError as exc:
        raise translate(exc, ctx, text, _terminal_spellings) from None
    finally:
        stack.pop()


def parse_fstring_field(source: str, line: int, column: int) -> gd.Expr:
    """Parse an f-string field's expression with tokens placed where it sits in the file."""
    if len(active_contexts()) > MAX_FSTRING_NESTING:
        raise GdSourceLimitError("f-strings nested too deeply", Span.point(line, column))
    ctx = ParseContext(mode="fstring", line_offset=line - 1, column_offset=column - 1)
    return run_parser(source, ctx, "expression")
