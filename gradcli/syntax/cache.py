"""The on-disk caches of the syntax layer: the analysed grammar and parsed programs.

A parsed program is stored as JSON of plain lists, strings and numbers under a name
hashed from its text, the parse limits and a fingerprint of the code that parses
(grammar, syntax layer, Lark's version), so any change of either misses. Loading never
runs code from the file: the JSON is checked against a digest, then rebuilt node by node
against the AST's own field types; anything unexpected (a torn, corrupted, foreign or
crafted file) is a miss and the program is parsed. Files are written whole and renamed
into place, and the folder is trimmed to MAX_FILES files and MAX_BYTES bytes, least
recently used first. GRADCLI_NO_CACHE=1 turns both caches off (nothing read or written).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import lark

from gradcli.source import Span
from gradcli.syntax import ast as gd

FORMAT = "gradcli-ast 1"
MAX_FILES = 256
MAX_BYTES = 64 << 20
_FOLDER = "programs"


def enabled() -> bool:
    """False when GRADCLI_NO_CACHE is set to anything but "" or "0"."""
    return os.environ.get("GRADCLI_NO_CACHE", "") in ("", "0")


def grammar_path() -> str:
    """gd.lark inside an installed wheel, else the repository's grammar/ folder."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "grammar", "gd.lark")
    if os.path.isfile(installed):
        return installed
    return os.path.join(os.path.dirname(package), "grammar", "gd.lark")


def cache_dirs() -> Iterator[str]:
    """Where the caches may live, best first."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    yield os.path.join(base, "gradcli")
    yield os.path.join(tempfile.gettempdir(), f"gradcli-{_uid()}")


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def private(path: str, *, folder: bool) -> bool:
    """Ours and writable by nobody else (the grammar cache is a pickle: loading runs code)."""
    try:
        if folder:
            os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return False
    if hasattr(os, "getuid") and (info.st_uid != _uid() or info.st_mode & 0o022):
        return False
    return not folder or os.access(path, os.W_OK)


def _folder() -> str | None:
    for base in cache_dirs():
        if private(base, folder=True):
            path = os.path.join(base, _FOLDER)
            if private(path, folder=True):
                return path
    return None


@functools.cache
def _fingerprint() -> str:
    """A digest of everything a parse depends on besides the text and the limits."""
    digest = hashlib.sha256(f"{FORMAT}\0{lark.__version__}\0{sys.version}\0".encode())
    here = os.path.dirname(os.path.abspath(__file__))
    paths = sorted(os.path.join(here, name) for name in os.listdir(here) if name.endswith(".py"))
    paths += [grammar_path(), os.path.join(os.path.dirname(here), "source.py")]
    for path in paths:
        with open(path, "rb") as f:
            digest.update(path.encode("utf-8", "surrogatepass") + b"\0" + f.read())
    return digest.hexdigest()


def _key(text: str, max_bytes: int, max_nesting: int) -> str:
    head = f"{_fingerprint()}\0{max_bytes}\0{max_nesting}\0"
    return hashlib.sha256((head + text).encode("utf-8", "surrogatepass")).hexdigest()


# ------------------------------------------------------------------- load and store


def load(text: str, max_bytes: int, max_nesting: int) -> gd.Module | None:
    """The program parsed earlier with these limits, or None (a miss, whatever the cause)."""
    if not enabled():
        return None
    try:
        folder = _folder()
        if folder is None:
            return None
        key = _key(text, max_bytes, max_nesting)
        path = os.path.join(folder, key)
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
        module = decode(data, key, max_nesting)
        if module is not None:
            os.utime(path)  # recently used: the last to be trimmed
        return module
    except Exception:  # a cache that cannot be read is a miss
        return None


def store(text: str, max_bytes: int, max_nesting: int, module: gd.Module) -> None:
    """Keep a parsed program for the next run (best effort: failures are ignored)."""
    if not enabled():
        return
    try:
        folder = _folder()
        if folder is None:
            return
        key = _key(text, max_bytes, max_nesting)
        data = encode(module, key)
        if len(data) > MAX_BYTES:
            return
        fd, temporary = tempfile.mkstemp(prefix=".new-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, os.path.join(folder, key))  # whole, or not at all
        except BaseException:
            os.unlink(temporary)
            raise
        _trim(folder)
    except Exception:
        return


def _trim(folder: str) -> None:
    """Remove the least recently used files beyond MAX_FILES or MAX_BYTES."""
    entries = []
    with os.scandir(folder) as scan:
        for entry in scan:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            entries.append((info.st_mtime_ns, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    if len(entries) <= MAX_FILES and total <= MAX_BYTES:
        return
    entries.sort()
    count = len(entries)
    for _, size, path in entries:
        if count <= MAX_FILES * 3 // 4 and total <= MAX_BYTES * 3 // 4:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        count -= 1
        total -= size


# ------------------------------------------------------------------ the file format


class _Bad(Exception):
    """The data is not a tree this version would have written."""


# Node classes by tag (sorted by name, so the tags follow ast.py, which the key covers).
_CLASSES: list[type] = sorted(
    (cls for cls in vars(gd).values()
     if isinstance(cls, type) and is_dataclass(cls) and issubclass(cls, gd.Node)),
    key=lambda cls: cls.__name__,
)
_TAGS = {cls: tag for tag, cls in enumerate(_CLASSES)}
_SPANS = ("span", "attr_span")
# Per class: its fields but the spans, in order (the spans are last, keyword-only).
_FIELDS = {cls: [f for f in fields(cls) if f.name not in _SPANS] for cls in _CLASSES}
_SPAN_FIELDS = {cls: [f.name for f in fields(cls) if f.name in _SPANS] for cls in _CLASSES}
# Fields whose strings must be names from the AST's tables.
_CHOICES: dict[tuple[type, str], frozenset[Any]] = {
    (gd.BinOp, "op"): frozenset(gd.BINARY_OPS), (gd.AugAssign, "op"): frozenset(gd.BINARY_OPS),
    (gd.UnaryOp, "op"): frozenset(gd.UNARY_OPS), (gd.BoolOp, "op"): frozenset(gd.BOOL_OPS),
    (gd.Compare, "ops"): frozenset(gd.COMPARE_OPS),
    (gd.Param, "kind"): frozenset({"", "*", "**", "kw"}),
    (gd.FormattedValue, "conversion"): frozenset({None, "r", "s", "a"}),
}
_SCALARS = (int, float, str, bool, type(None))


def encode(module: gd.Module, key: str) -> bytes:
    """The file for a parsed program: a header line, a digest line, then JSON."""
    payload = json.dumps(_encode(module), separators=(",", ":")).encode("ascii")
    digest = hashlib.blake2b(payload, digest_size=16).hexdigest()
    return f"{FORMAT} {key}\n{digest}\n".encode("ascii") + payload


def _encode(value: Any) -> Any:
    """A node as [tag, field..., line, column, end_line, end_column (per span)]."""
    if isinstance(value, gd.Node):
        cls = type(value)
        out: list[Any] = [_TAGS[cls]]
        out += [_encode(getattr(value, f.name)) for f in _FIELDS[cls]]
        for name in _SPAN_FIELDS[cls]:
            span = getattr(value, name)
            out += (span.line, span.column, span.end_line, span.end_column)
        return out
    if type(value) is tuple:
        return [_encode(item) for item in value]
    if value is Ellipsis:
        return {"...": None}
    if type(value) not in _SCALARS:
        raise TypeError(f"cannot store {type(value).__name__} in the cache")
    return value


def decode(data: bytes, key: str, max_nesting: int) -> gd.Module | None:
    """The program a file holds, or None if it is not exactly what `encode` wrote for key."""
    header, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if header != f"{FORMAT} {key}".encode("ascii"):
        return None
    if digest != hashlib.blake2b(payload, digest_size=16).hexdigest().encode("ascii"):
        return None
    try:
        module = _MODULE(json.loads(payload), max_nesting + 50)
    except (_Bad, ValueError, TypeError, RecursionError):
        return None
    return module if type(module) is gd.Module else None


# A reader turns decoded JSON into a field's value, checking it against the field's type;
# `depth` is how many nodes deeper it may still go.
Reader = Callable[[Any, int], Any]


def _node_reader(want: type, nullable: bool = False, strings: bool = False) -> Reader:
    """The reader of a node of class `want` (or a subclass), or None, or a string."""

    def read(data: Any, depth: int) -> Any:
        if type(data) is not list:
            if (data is None and nullable) or (strings and type(data) is str):
                return data
            raise _Bad("not a node")
        if not data or depth < 0:
            raise _Bad("empty or too deep")
        tag = data[0]
        if type(tag) is not int or not 0 <= tag < len(_LAYOUT):
            raise _Bad("unknown node")
        cls, make, readers, checks, size = _LAYOUT[tag]
        if len(data) != size or not issubclass(cls, want):
            raise _Bad("wrong node")
        depth -= 1
        args = [reader(item, depth) for reader, item in zip(readers, data[1:], strict=False)]
        for index, choices in checks:
            value = args[index]
            if not (set(value) <= choices if type(value) is tuple else value in choices):
                raise _Bad("unknown operator")
        count = len(readers)
        line, column, end_line, end_column = data[count + 1: count + 5]
        if type(line) is not int or type(column) is not int or type(end_line) is not int \
                or type(end_column) is not int:
            raise _Bad("span")
        if size == count + 5:
            return make(*args, _span(line, column, end_line, end_column))
        line2, column2, end_line2, end_column2 = data[count + 5:]
        if type(line2) is not int or type(column2) is not int or type(end_line2) is not int \
                or type(end_column2) is not int:
            raise _Bad("span")
        return make(*args, _span(line, column, end_line, end_column),
                    _span(line2, column2, end_line2, end_column2))

    return read


def _constant(data: Any, depth: int) -> Any:
    if type(data) in _SCALARS:
        return data
    if data == {"...": None}:
        return ...
    raise _Bad("constant")


def _string(nullable: bool) -> Reader:
    def read(data: Any, depth: int) -> Any:
        if type(data) is str or (data is None and nullable):
            return data
        raise _Bad("not a string")

    return read


def _tuple(inner: Reader) -> Reader:
    def read(data: Any, depth: int) -> tuple[Any, ...]:
        if type(data) is not list:
            raise _Bad("not a tuple")
        return tuple([inner(item, depth) for item in data])

    return read


def _reader(kind: str) -> Reader:
    """The reader of a field declared as `kind` (an annotation in ast.py)."""
    if kind == "ConstantValue":
        return _constant
    if kind.startswith("tuple[") and kind.endswith(", ...]"):
        return _tuple(_reader(kind[len("tuple["): -len(", ...]")]))
    options = {part.strip() for part in kind.split("|")}
    nullable, strings = "None" in options, "str" in options
    nodes = [_NAMED[name] for name in options - {"None", "str"}]
    if not nodes:
        return _string(nullable)
    (want,) = nodes
    return _node_reader(want, nullable, strings)


_NAMED = {cls.__name__: cls for cls in (*_CLASSES, gd.Expr, gd.Stmt)}
_LAYOUT = [
    (cls, gd.positional(cls), tuple(_reader(str(f.type)) for f in _FIELDS[cls]),
     [(i, _CHOICES[cls, f.name]) for i, f in enumerate(_FIELDS[cls]) if (cls, f.name) in _CHOICES],
     1 + len(_FIELDS[cls]) + 4 * len(_SPAN_FIELDS[cls]))
    for cls in _CLASSES
]
_MODULE = _node_reader(gd.Module)
_span = gd.positional(Span)
