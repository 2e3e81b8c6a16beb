"""String literals and f-strings: escapes, concatenation, and `{...}` fields.

An f-string field's expression is parsed by the parser itself; the builder passes that
parse in as `parse_field`, so this module does not import the parser."""

from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from collections.abc import Callable

from gradcli.errors import GdSyntaxError
from gradcli.source import Span
from gradcli.syntax import ast as gd
from gradcli.syntax.context import Token, join_span, start_of, token_span

# Parses an f-string field's expression placed at (line, column) of the file.
FieldParser = Callable[[str, int, int], gd.Expr]

MAX_FSTRING_NESTING = 8  # f-strings inside f-string fields

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
    line, column = start_of(tok)
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


def read_strings(tokens: list[Token], parse_field: FieldParser) -> gd.Constant | gd.FString:
    """Adjacent string literals, concatenated; an f-string anywhere makes an FString."""
    parts: list[str | gd.FormattedValue] = []
    formatted = False
    kinds = {"b" in _PREFIX.match(tok.value).group().lower()  # type: ignore[union-attr]
             for tok in tokens}
    if len(kinds) > 1:
        raise GdSyntaxError("cannot mix bytes and nonbytes literals",
                            join_span(tokens[0], tokens[-1]))
    if True in kinds:
        return _read_bytes(tokens)
    for tok in tokens:
        prefix = _PREFIX.match(tok.value).group().lower()  # type: ignore[union-attr]
        quote = 3 if tok.value[len(prefix) : len(prefix) + 3] in ('"""', "'''") else 1
        start, end = len(prefix) + quote, len(tok.value) - quote
        raw = "r" in prefix
        if "f" in prefix:
            formatted = True
            parts.extend(_fstring_parts(tok, start, end, raw, parse_field))
        else:
            body = tok.value[start:end]
            parts.append(body if raw else _unescape(tok, start, body))
    span = join_span(tokens[0], tokens[-1])
    if not formatted:
        return gd.Constant("".join(parts), span=span)  # type: ignore[arg-type]
    merged: list[str | gd.FormattedValue] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return gd.FString(tuple(merged), span=span)


def _read_bytes(tokens: list[Token]) -> gd.Constant:
    """Adjacent bytes literals (b'...', rb'...'): ASCII characters and the escapes bytes
    have (\\x.., octal, the simple ones; \\u, \\N and the rest keep their backslash)."""
    parts: list[bytes] = []
    for tok in tokens:
        prefix = _PREFIX.match(tok.value).group().lower()  # type: ignore[union-attr]
        quote = 3 if tok.value[len(prefix) : len(prefix) + 3] in ('"""', "'''") else 1
        start, end = len(prefix) + quote, len(tok.value) - quote
        body = tok.value[start:end]
        if not body.isascii():
            raise GdSyntaxError("bytes can only contain ASCII literal characters",
                                token_span(tok))
        if "r" not in prefix and "\\" in body:
            body = _BYTES_ESCAPE.sub(_bytes_escape, body)
        parts.append(body.encode("latin-1"))
    return gd.Constant(b"".join(parts), span=join_span(tokens[0], tokens[-1]))


_BYTES_ESCAPE = re.compile(r"\\(\n|[\\'\"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|.)", re.S)


def _bytes_escape(match: re.Match[str]) -> str:
    esc = match.group(1)
    if esc in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[esc]
    if esc[0] in "01234567":
        return chr(int(esc, 8) & 0xFF)
    if esc[0] == "x" and len(esc) == 3:
        return chr(int(esc[1:], 16))
    return match.group(0)


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


def _fstring_parts(tok: Token, start: int, end: int, raw: bool,
                   parse_field: FieldParser) -> list[str | gd.FormattedValue]:
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
            fields, i = _fstring_field(tok, i, end, raw, parse_field)
            parts.extend(fields)
            chunk_start = i
        elif char == "}":
            raise GdSyntaxError("f-string: single '}' is not allowed", _point(tok, i))
        else:
            chunk.append(char)
            i += 1
    flush()
    return parts


def _fstring_field(tok: Token, brace: int, end: int, raw: bool, parse_field: FieldParser
                   ) -> tuple[list[str | gd.FormattedValue], int]:
    """Parse the field whose '{' is at `brace`; returns its parts (a self-documenting
    `{x=}` starts with its text "x=") and the index after its '}'."""
    text = tok.value
    i = brace + 1
    closers: list[str] = []
    quote = ""
    stop = -1
    equals = -1  # where a self-documenting field's '=' is
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
            and text[i + 1 :].lstrip(" ")[:1] in ("}", "!", ":")
            and text[i - 1] not in "=!<>"
        ):
            equals = i
        i += 1
    if stop < 0:
        raise GdSyntaxError("f-string: expecting '}'", _point(tok, brace))
    source = text[brace + 1 : equals if equals >= 0 else stop]
    if not source.strip():
        raise GdSyntaxError("f-string: empty expression not allowed", _point(tok, brace))
    value = parse_field(source, *_position(tok, brace + 1))

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
    nested = None
    if text[stop] == ":":
        close = stop + 1
        while close < end and text[close] not in "{}":
            close += 1
        if close < end and text[close] == "{":  # a spec with fields: {v:{w}.{p}f}
            nested, close = _nested_spec(tok, stop + 1, end, raw, parse_field)
        else:
            if close >= end:
                raise GdSyntaxError("f-string: expecting '}'", _point(tok, brace))
            spec = text[stop + 1 : close]
            format_spec = spec if raw else _unescape(tok, stop + 1, spec)
        stop = close
    if text[stop] != "}":
        raise GdSyntaxError("f-string: expecting '}'", _point(tok, stop))
    line, column = _position(tok, brace)
    end_line, end_column = _position(tok, stop + 1)
    span = Span(line, column, end_line, end_column)
    parts: list[str | gd.FormattedValue] = []
    if equals >= 0:
        # Python shows the field's text up to and after '=' as written, then the value's
        # repr() unless a conversion or a format spec says otherwise.
        parts.append(text[brace + 1 : stop if conversion is None and format_spec is None
                          and nested is None else _spec_start(text, equals)])
        if conversion is None and format_spec is None and nested is None:
            conversion = "r"
    parts.append(gd.FormattedValue(value, conversion, format_spec, nested, span=span))
    return parts, stop + 1


def _spec_start(text: str, equals: int) -> int:
    """Where a self-documenting field's `!conversion` or `:spec` starts."""
    i = equals + 1
    while text[i] == " ":
        i += 1
    return i


def _nested_spec(tok: Token, start: int, end: int, raw: bool,
                 parse_field: FieldParser) -> tuple[gd.FString, int]:
    """A format spec holding fields (`{w}.{p}f`), as an FString; returns it and the index of
    the field's closing '}'."""
    text = tok.value
    parts: list[str | gd.FormattedValue] = []
    i = chunk = start
    while i < end and text[i] != "}":
        if text[i] == "{":
            literal = text[chunk:i]
            parts.append(literal if raw else _unescape(tok, chunk, literal))
            fields, i = _fstring_field(tok, i, end, raw, parse_field)
            for field in fields:
                if isinstance(field, gd.FormattedValue) and field.nested_spec is not None:
                    raise GdSyntaxError("f-string: expressions nested too deeply",
                                        field.span)
            parts.extend(fields)
            chunk = i
        else:
            i += 1
    if i >= end:
        raise GdSyntaxError("f-string: expecting '}'", _point(tok, start))
    literal = text[chunk:i]
    parts.append(literal if raw else _unescape(tok, chunk, literal))
    merged = [p for p in parts if p != ""]
    span = Span(*_position(tok, start), *_position(tok, i))
    return gd.FString(tuple(merged), span=span), i
