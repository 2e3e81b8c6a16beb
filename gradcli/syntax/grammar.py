"""Loading the grammar (grammar/gd.lark): the fast loop's tables and, for what the loop
does not take (errors, unusual input), the one Lark LALR parser; both cached on disk.

One lexer serves every parser state, as Python's tokenizer does, which also keeps the
start-up regex compilation small. A valid program needs no Lark at all: the loop's
tables are plain data (JSON, keyed by the grammar, Lark's version and the format),
made from Lark's analysis once and read back by later processes; Lark (~20 ms to
import, more to load its parser) is imported only when its parser has to run."""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from gradcli.errors import GdSourceLimitError
from gradcli.records import replace
from gradcli.source import Span
from gradcli.syntax import ast as gd
from gradcli.syntax.builder import Builder
from gradcli.syntax.cache import blake2b, lark_version_file
from gradcli.syntax.cache import cache_dirs as _cache_dirs
from gradcli.syntax.cache import enabled as _cache_enabled
from gradcli.syntax.cache import grammar_path as _grammar_path
from gradcli.syntax.cache import private as _private
from gradcli.syntax.context import ParseContext, active_contexts
from gradcli.syntax.driver import Driver, tables_from_lark
from gradcli.syntax.layout import Layout
from gradcli.syntax.strings import MAX_FSTRING_NESTING

if TYPE_CHECKING:
    from lark import Lark

_PARSER_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "basic",
    "start": ["module", "expression"],
    "maybe_placeholders": True,
    "keep_all_tokens": True,
}
TABLES_FORMAT = "gradcli-tables 1"


@functools.cache
def lalr_parser() -> Lark:
    """The one Lark parser of the process, loaded from Lark's on-disk cache when possible."""
    from lark import Lark

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


def _tables_key() -> str:
    """What the tables depend on: the grammar, the options, Lark's version, and the code
    that reads and makes them (the driver and the builder)."""
    digest = blake2b(f"{TABLES_FORMAT}\0{sorted(_PARSER_OPTIONS.items())}\0".encode(),
                     digest_size=32)
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (_grammar_path(), lark_version_file(), os.path.join(here, "driver.py"),
                 os.path.join(here, "builder.py")):
        if path is not None:
            with open(path, "rb") as f:
                digest.update(f.read() + b"\0")
    return digest.hexdigest()


def _read_tables(path: str, key: str) -> dict[str, Any] | None:
    """The tables a file holds, if it is whole and for this key (else None)."""
    try:
        with open(path, "rb") as f:
            header, digest, payload = f.read().split(b"\n", 2)
        if header != f"{TABLES_FORMAT} {key}".encode("ascii") or \
                digest != blake2b(payload, digest_size=16).hexdigest().encode("ascii"):
            return None
        tables = json.loads(payload)
        return tables if isinstance(tables, dict) else None
    except (OSError, ValueError):
        return None


def _write_tables(folder: str, path: str, key: str, tables: dict[str, Any]) -> None:
    """Keep the tables for the next process (best effort: failures are ignored)."""
    import tempfile

    payload = json.dumps(tables, separators=(",", ":")).encode("ascii")
    digest = blake2b(payload, digest_size=16).hexdigest()
    try:
        fd, temporary = tempfile.mkstemp(prefix=".new-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(f"{TABLES_FORMAT} {key}\n{digest}\n".encode("ascii") + payload)
            os.replace(temporary, path)  # whole, or not at all
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return


def _tables() -> dict[str, Any]:
    """The fast loop's tables: from the on-disk cache, else from Lark (then stored)."""
    folder = next((f for f in _cache_dirs() if _private(f, folder=True)), None) \
        if _cache_enabled() else None
    if folder is not None:
        path = os.path.join(folder, f"gd-{sys.implementation.cache_tag}.tables")
        key = _tables_key()
        if os.path.exists(path) and _private(path, folder=False):
            tables = _read_tables(path, key)
            if tables is not None:
                return tables
    tables = tables_from_lark(lalr_parser())
    if folder is not None:
        _write_tables(folder, path, key, tables)
    return tables


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
    builder = Builder(parse_fstring_field)
    try:
        return Driver(_tables(), builder)
    except Exception:  # a damaged cache file: the tables again, from Lark
        pass
    try:
        return Driver(tables_from_lark(lalr_parser()), builder)
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
    from lark.exceptions import LarkError

    from gradcli.syntax.messages import translate

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
