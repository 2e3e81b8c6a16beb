"""The on-disk caches of the syntax layer: the analysed grammar and parsed programs.

A parsed program is stored as JSON (a string table, a float table and one flat list of
ints: the nodes in post-order, see "the file format" below) under a name hashed from its
text, the parse limits and a fingerprint of the code that parses (grammar, syntax layer,
Lark's version), so any change of either misses. Loading never runs code from the file:
the JSON is checked against a digest, then rebuilt node by node against the AST's own
field types, no deeper than the parse allows; anything unexpected (a torn, corrupted,
foreign or crafted file) is a miss and the program is parsed. Files are written whole and renamed
into place, and the folder is trimmed to MAX_FILES files and MAX_BYTES bytes, least
recently used first. GRADCLI_NO_CACHE=1 turns both caches off (nothing read or written).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from importlib.util import find_spec
from typing import Any

try:  # hashlib without OpenSSL's libcrypto, which importing hashlib loads: 12M of a cold
    from _blake2 import blake2b  # start's 763M instructions (1.5%, callgrind, round 21)
except ImportError:  # pragma: no cover (CPython always builds _blake2)
    from hashlib import blake2b

from gradcli.source import Span
from gradcli.syntax import ast as gd

FORMAT = "gradcli-ast 2"
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
    import tempfile

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


def lark_version_file() -> str | None:
    """Lark's __init__.py, which declares its version: read into cache keys, not imported
    (importing Lark takes longer than a cached parse or the cached tables save)."""
    spec = find_spec("lark")
    return spec.origin if spec is not None else None


@functools.cache
def _fingerprint() -> str:
    """A digest of everything a parse depends on besides the text and the limits."""
    digest = blake2b(f"{FORMAT}\0{sys.version}\0".encode(), digest_size=32)
    here = os.path.dirname(os.path.abspath(__file__))
    paths = sorted(os.path.join(here, name) for name in os.listdir(here) if name.endswith(".py"))
    paths += [grammar_path(), os.path.join(os.path.dirname(here), "source.py")]
    lark = lark_version_file()
    if lark is not None:
        paths.append(lark)
    for path in paths:
        with open(path, "rb") as f:
            digest.update(path.encode("utf-8", "surrogatepass") + b"\0" + f.read())
    return digest.hexdigest()


def _key(text: str, max_bytes: int, max_nesting: int) -> str:
    head = f"{_fingerprint()}\0{max_bytes}\0{max_nesting}\0"
    return blake2b((head + text).encode("utf-8", "surrogatepass"), digest_size=32).hexdigest()


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
        import tempfile

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
#
# The payload is JSON: [strings, floats, code], `code` a flat list of ints holding the
# nodes in post-order (children first), each as its class's tag, its fields LAST TO FIRST,
# then its spans (4 ints each). The reader pushes each node it builds on a stack, and a
# field of nodes takes them from the top (the last field's nodes are on top, hence the
# order; the items of one field stay in order). A field's ints, by its declared type:
#   Expr, Stmt...: none             Expr | None: 0 (None) or 1
#   tuple[Expr, ...]: the count     tuple[Expr | None, ...]: the count, then 0 or 1 each
#   str: its index in strings       str | None: -1 (None) or the index
#   tuple[str, ...]: the count, then each index
#   tuple[str | FormattedValue, ...]: the count, then -1 (a node) or the index each
#   ConstantValue: 0 None, 1 True, 2 False, 3 ..., 4 and the int, 5 and the index in floats,
#                  6 and the index in strings
# A stack (not references) means every node has exactly one parent: the data is a tree.


class _Bad(Exception):
    """The data is not a tree this version would have written."""


# Node classes by tag (sorted by name, so the tags follow ast.py, which the key covers).
_CLASSES: list[type] = sorted(gd.node_classes(), key=lambda cls: cls.__name__)
_TAGS = {cls: tag for tag, cls in enumerate(_CLASSES)}
_SPANS = ("span", "attr_span")
# Fields whose strings must be names from the AST's tables.
_CHOICES: dict[tuple[type, str], frozenset[Any]] = {
    (gd.BinOp, "op"): frozenset(gd.BINARY_OPS), (gd.AugAssign, "op"): frozenset(gd.BINARY_OPS),
    (gd.UnaryOp, "op"): frozenset(gd.UNARY_OPS), (gd.BoolOp, "op"): frozenset(gd.BOOL_OPS),
    (gd.Compare, "ops"): frozenset(gd.COMPARE_OPS),
    (gd.Param, "kind"): frozenset({"", "pos", "*", "**", "kw"}),
    (gd.FormattedValue, "conversion"): frozenset({None, "r", "s", "a"}),
}
# Field kinds.
_NODE, _NODE_OR_NONE, _NODES, _NODES_OR_NONE, _STR, _STR_OR_NONE, _STRS, _PARTS, _CONST = \
    range(9)
_NAMED = {cls.__name__: cls for cls in (*_CLASSES, gd.Expr, gd.Stmt)}


def _kind(annotation: str) -> tuple[int, type | None]:
    """A field's kind and node class, from its annotation in ast.py."""
    simple = {"str": _STR, "str | None": _STR_OR_NONE, "tuple[str, ...]": _STRS,
              "ConstantValue": _CONST}
    if annotation in simple:
        return simple[annotation], None
    if annotation == "tuple[str | FormattedValue, ...]":
        return _PARTS, gd.FormattedValue
    if annotation.startswith("tuple[") and annotation.endswith(" | None, ...]"):
        return _NODES_OR_NONE, _NAMED[annotation[len("tuple["): -len(" | None, ...]")]]
    if annotation.startswith("tuple[") and annotation.endswith(", ...]"):
        return _NODES, _NAMED[annotation[len("tuple["): -len(", ...]")]]
    if annotation.endswith(" | None"):
        return _NODE_OR_NONE, _NAMED[annotation[: -len(" | None")]]
    return _NODE, _NAMED[annotation]


# Per tag: the class, its positional constructor, its fields last to first as (position,
# name, kind, node class, allowed strings or None), its field count and span count; made
# on first use (a program holds a few of the classes).
Layout = tuple[type, Callable[..., Any], tuple[tuple[int, str, int, Any, Any], ...], int, int]
_LAYOUT: list[Layout | None] = [None] * len(_CLASSES)


def _layout(tag: int) -> Layout:
    entry = _LAYOUT[tag]
    if entry is None:
        cls = _CLASSES[tag]
        values = [f for f in gd.fields(cls) if f.name not in _SPANS]
        plan = tuple(reversed([(i, f.name, *_kind(str(f.type)), _CHOICES.get((cls, f.name)))
                               for i, f in enumerate(values)]))
        entry = _LAYOUT[tag] = (cls, gd.positional(cls), plan, len(values),
                                sum(name in _SPANS for name in cls._fields))
    return entry


def encode(module: gd.Module, key: str) -> bytes:
    """The file for a parsed program: a header line, a digest line, then JSON."""
    strings: dict[str, int] = {}
    floats: list[float] = []
    code: list[int] = []
    _emit(module, code, strings, floats)
    payload = json.dumps([list(strings), floats, code], separators=(",", ":")).encode("ascii")
    digest = blake2b(payload, digest_size=16).hexdigest()
    return f"{FORMAT} {key}\n{digest}\n".encode("ascii") + payload


def _emit(node: gd.Node, code: list[int], strings: dict[str, int], floats: list[float]) -> None:
    """Append a node's children, then the node itself, to code."""
    cls, _, plan, _, spans = _layout(_TAGS[type(node)])
    for _, name, kind, _, _ in reversed(plan):  # children first, in field order
        value = getattr(node, name)
        if kind == _NODE or (kind == _NODE_OR_NONE and value is not None):
            _emit(value, code, strings, floats)
        elif kind in (_NODES, _NODES_OR_NONE, _PARTS):
            for item in value:
                if isinstance(item, gd.Node):
                    _emit(item, code, strings, floats)
    code.append(_TAGS[cls])
    for _, name, kind, _, _ in plan:
        value = getattr(node, name)
        if kind == _NODE_OR_NONE:
            code.append(0 if value is None else 1)
        elif kind == _NODES:
            code.append(len(value))
        elif kind == _NODES_OR_NONE:
            code.append(len(value))
            code += [0 if item is None else 1 for item in value]
        elif kind == _STR or (kind == _STR_OR_NONE and value is not None):
            code.append(strings.setdefault(value, len(strings)))
        elif kind == _STR_OR_NONE:
            code.append(-1)
        elif kind == _STRS:
            code.append(len(value))
            code += [strings.setdefault(item, len(strings)) for item in value]
        elif kind == _PARTS:
            code.append(len(value))
            code += [strings.setdefault(item, len(strings)) if type(item) is str else -1
                     for item in value]
        elif kind == _CONST:
            code += _constant(value, strings, floats)
    for name in _SPANS[:spans]:
        span = getattr(node, name)
        code += (span.line, span.column, span.end_line, span.end_column)


def _constant(value: Any, strings: dict[str, int], floats: list[float]) -> list[int]:
    if value is None or type(value) is bool:
        return [{None: 0, True: 1, False: 2}[value]]
    if value is Ellipsis:
        return [3]
    if type(value) is int:
        return [4, value]
    if type(value) is float:
        floats.append(value)
        return [5, len(floats) - 1]
    if type(value) is str:
        return [6, strings.setdefault(value, len(strings))]
    if type(value) is bytes:  # a bytes literal, its bytes as the code points 0-255
        return [7, strings.setdefault(value.decode("latin-1"), len(strings))]
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def decode(data: bytes, key: str, max_nesting: int) -> gd.Module | None:
    """The program a file holds, or None if it is not exactly what `encode` wrote for key."""
    header, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if header != f"{FORMAT} {key}".encode("ascii"):
        return None
    if digest != blake2b(payload, digest_size=16).hexdigest().encode("ascii"):
        return None
    try:
        strings, floats, code = json.loads(payload)
        if type(strings) is not list or type(floats) is not list or type(code) is not list \
                or not set(map(type, strings)) <= {str} or not set(map(type, floats)) <= {float} \
                or not set(map(type, code)) <= {int}:
            return None
        return _rebuild(strings, floats, code, max_nesting)
    except (_Bad, ValueError, TypeError, IndexError, RecursionError):
        return None


def _rebuild(strings: list[str], floats: list[float], code: list[int],
             max_nesting: int) -> gd.Module:
    """The tree `code` describes (every value checked against its field's type)."""
    stack: list[Any] = []
    heights: list[int] = []  # of the nodes on the stack: no deeper than the limit
    pop, push, pop_height, push_height = stack.pop, stack.append, heights.pop, heights.append
    tags = len(_LAYOUT)
    i, end = 0, len(code)
    name, make_name = _TAGS[gd.Name], _layout(_TAGS[gd.Name])[1]
    constant, make_constant = _TAGS[gd.Constant], _layout(_TAGS[gd.Constant])[1]
    make_span = gd.positional(Span)
    while i < end:
        tag = code[i]
        i += 1
        if tag == name:  # names and literals, half the nodes, take the short way
            index = code[i]
            if index < 0:
                raise _Bad("string")
            push(make_name(strings[index], make_span(*code[i + 1: i + 5])))
            push_height(0)
            i += 5
            continue
        if tag == constant:
            value, i = _read_constant(code, i, strings, floats)
            push(make_constant(value, make_span(*code[i: i + 4])))
            push_height(0)
            i += 4
            continue
        if not 0 <= tag < tags:
            raise _Bad("unknown node")
        _, make, plan, count, spans = _LAYOUT[tag] or _layout(tag)
        args: list[Any] = [None] * count
        height = 0
        for position, _, kind, want, choices in plan:
            if kind == _NODE:
                value = pop()
                if not isinstance(value, want):
                    raise _Bad("wrong node")
                below = pop_height()
                if below >= height:
                    height = below + 1
            elif kind == _STR:
                index = code[i]
                i += 1
                if index < 0:
                    raise _Bad("string")
                value = strings[index]
            elif kind in (_NODES, _NODES_OR_NONE, _PARTS):
                n = code[i]
                i += 1
                marks: list[int] = []
                if kind == _NODES:
                    taken = n
                else:
                    marks = code[i: i + n]
                    i += n
                    if len(marks) != n:
                        raise _Bad("short")
                    taken = marks.count(1 if kind == _NODES_OR_NONE else -1)
                if not 0 <= taken <= len(stack):
                    raise _Bad("count")
                nodes = stack[len(stack) - taken:]
                if not all(isinstance(node, want) for node in nodes):
                    raise _Bad("wrong node")
                if taken:
                    below = max(heights[len(heights) - taken:])
                    if below >= height:
                        height = below + 1
                    del stack[-taken:], heights[-taken:]
                if kind == _NODES:
                    value = tuple(nodes)
                elif kind == _NODES_OR_NONE:
                    if not set(marks) <= {0, 1}:
                        raise _Bad("mark")
                    items = iter(nodes)
                    value = tuple([next(items) if mark else None for mark in marks])
                else:
                    if min(marks, default=0) < -1:
                        raise _Bad("string")
                    items = iter(nodes)
                    value = tuple([next(items) if mark == -1 else strings[mark] for mark in marks])
            elif kind == _CONST:
                value, i = _read_constant(code, i, strings, floats)
            elif kind == _NODE_OR_NONE:
                mark = code[i]
                i += 1
                if mark == 0:
                    value = None
                elif mark == 1:
                    value = pop()
                    if not isinstance(value, want):
                        raise _Bad("wrong node")
                    below = pop_height()
                    if below >= height:
                        height = below + 1
                else:
                    raise _Bad("mark")
            elif kind == _STR_OR_NONE:
                index = code[i]
                i += 1
                if index < -1:
                    raise _Bad("string")
                value = None if index == -1 else strings[index]
            else:  # _STRS
                n = code[i]
                indices = code[i + 1: i + 1 + n]
                i += 1 + n
                if n < 0 or len(indices) != n or min(indices, default=0) < 0:
                    raise _Bad("strings")
                value = tuple([strings[index] for index in indices])
            if choices is not None and not (
                    set(value) <= choices if type(value) is tuple else value in choices):
                raise _Bad("unknown operator")
            args[position] = value
        if height > max_nesting:
            raise _Bad("too deep")
        if spans == 1:
            push(make(*args, make_span(*code[i: i + 4])))
            i += 4
        else:
            push(make(*args, make_span(*code[i: i + 4]), make_span(*code[i + 4: i + 8])))
            i += 8
        push_height(height)
    if len(stack) != 1 or type(stack[0]) is not gd.Module:
        raise _Bad("not one program")
    module: gd.Module = stack[0]
    return module


def _read_constant(code: list[int], i: int, strings: list[str], floats: list[float]
                   ) -> tuple[Any, int]:
    kind = code[i]
    if 0 <= kind <= 3:
        return (None, True, False, ...)[kind], i + 1
    index = code[i + 1]
    if kind == 4:
        return index, i + 2
    if index < 0 or kind not in (5, 6, 7):
        raise _Bad("constant")
    if kind == 7:
        return strings[index].encode("latin-1"), i + 2
    return (floats if kind == 5 else strings)[index], i + 2
