"""The on-disk parse cache (gradcli/syntax/cache.py): a second run of an unchanged program
reads its tree instead of parsing; the tree is the same, spans included; any unreadable,
foreign or crafted file is a silent miss; GRADCLI_NO_CACHE=1 writes nothing; concurrent
writers never leave a torn file; the folder stays bounded."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from syntax_trees import differences

from gradcli.app import run_for_golden
from gradcli.cli import format_error
from gradcli.interp import Program, RunOptions, runtime
from gradcli.source import Source
from gradcli.syntax import ast as gd
from gradcli.syntax import cache, grammar, parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.gd"))
LIMITS = (RunOptions().limits.max_program_size, RunOptions().limits.max_nesting)

TRICKY = '''\
import torch
from math import pi as PI
x = torch.tensor([1.0, 2.0], requires_grad=True)
d = {**{}, 'k': x, None: ...}
s = f"{x.sum()!r:>30} {{}} \\ud800" + 'é'
big = 123456789012345678901234567890 + 0x_ff + 1e999 * 0
y = x[..., ::2].sum() if not x is None and 1 < 2 <= 3 else -x
def f(a, *args, b=2, **kw):
    """doc"""
    global g
    try:
        return a @ a
    except (ValueError, TypeError) as e:
        raise
    finally:
        pass
@f
class C(object):
    z = lambda *q: [i for i in q if i]
with torch.no_grad() as ng:
    del d['k']
for i, *rest in [(1, 2, 3)]:
    y += i
    continue
y
'''


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    # Only the XDG folder (not the shared temporary folder that is the fallback).
    monkeypatch.setattr(cache, "cache_dirs", lambda: iter([str(tmp_path / "xdg" / "gradcli")]))
    monkeypatch.delenv("GRADCLI_NO_CACHE", raising=False)
    runtime._PARSED.clear()
    yield
    runtime._PARSED.clear()


def _folder(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "xdg" / "gradcli" / "programs"


def _files(tmp_path: pathlib.Path) -> list[pathlib.Path]:
    folder = _folder(tmp_path)
    return sorted(folder.iterdir()) if folder.exists() else []


class _Parses:
    """Counts the parses Program.compile makes (it imports the parser when it needs it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from gradcli.syntax import parser

        self.count = 0
        real = parser.parse

        def counting(*args: Any, **kwargs: Any) -> gd.Module:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(parser, "parse", counting)


def _compile(text: str) -> Program:
    runtime._PARSED.clear()
    return Program.compile(Source("prog.gd", text), RunOptions())


def test_second_compile_of_the_same_text_does_not_parse(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _Parses(monkeypatch)
    first = _compile(TRICKY)
    assert parses.count == 1 and len(_files(tmp_path)) == 1
    second = _compile(TRICKY)
    assert parses.count == 1
    assert list(differences(first.module, second.module)) == []
    _compile(TRICKY + "\n# changed\n")
    assert parses.count == 2 and len(_files(tmp_path)) == 2


def test_cli_run_twice_parses_once(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "prog.gd"
    program.write_text("x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
                       "y.backward()\nprint(y, x.grad)\n")
    parses = _Parses(monkeypatch)
    outputs = []
    for _ in range(2):
        runtime._PARSED.clear()
        outputs.append(run_for_golden(program, format_error))
    assert parses.count == 1
    assert outputs[0] == outputs[1] == (
        "tensor(5., grad_fn=<SumBackward0>) tensor([2., 4.])\n")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_print_the_same_from_the_cache(
        path: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT)
    monkeypatch.setenv("GRADCLI_NO_CACHE", "1")
    runtime._PARSED.clear()
    uncached = run_for_golden(relative, format_error)
    assert _files(tmp_path) == []
    monkeypatch.delenv("GRADCLI_NO_CACHE")
    parses = _Parses(monkeypatch)
    outputs = []
    for _ in range(2):  # the first run writes the cache, the second reads it
        runtime._PARSED.clear()
        outputs.append(run_for_golden(relative, format_error))
    assert parses.count == 1
    assert outputs == [uncached, uncached]
    assert uncached == path.with_suffix(".out").read_text(encoding="utf-8")


def test_error_positions_are_the_same_from_the_cache(tmp_path: pathlib.Path) -> None:
    text = "x = tensor([1.0, 2.0])\ny = x +  undefined_name\n"
    with pytest.raises(Exception) as first:
        _compile(text).run()
    assert len(_files(tmp_path)) == 1
    with pytest.raises(Exception) as second:
        _compile(text).run()
    assert str(first.value) == str(second.value)
    assert first.value.span == second.value.span == second.value.span.__class__(2, 10, 2, 24)


@pytest.mark.parametrize("path", [*EXAMPLES, None], ids=[*(p.stem for p in EXAMPLES), "tricky"])
def test_round_trip_keeps_every_field_and_span(path: pathlib.Path | None) -> None:
    text = TRICKY if path is None else path.read_text(encoding="utf-8")
    module = parse(Source("p", text))
    back = cache.decode(cache.encode(module, "k"), "k", LIMITS[1])
    assert back is not None
    assert list(differences(module, back)) == []


def test_round_trip_of_every_node_kind() -> None:
    """Every field kind of the format, in one program (f-string parts, dict keys that are
    None, name tuples, constants of each type, attribute spans, deep expressions)."""
    text = TRICKY + (
        "def g():\n    nonlocal q\n    global r, s\n"
        "z = [f'{a!s:>8}{b!r}' for a, *b in {1: 2}.items() if a]\n"
        "w = {**d, None: 2.5, 'k': True, 7: False, 8: None, 9: ..., 10: -0.0}\n"
        "v = (lambda *a, k=1, **kw: a)(*z, **w)[1:2:3].real\nu = " + "-" * 150 + "1\n"
        "t = 1 < 2 != 3 in z not in w is u is not v\n"
        "q = b'\\x00\\xffa' rb'\\n' + b''\n"
    )
    module = parse(Source("p", text))
    back = cache.decode(cache.encode(module, "k"), "k", LIMITS[1])
    assert back is not None
    assert list(differences(module, back)) == []
    kinds = {type(node) for node in gd.walk(back)}
    assert {gd.FString, gd.FormattedValue, gd.Dict, gd.Nonlocal, gd.Global, gd.Lambda,
            gd.Slice, gd.Attribute, gd.Compare, gd.Try, gd.ClassDef} <= kinds


def _stored(tmp_path: pathlib.Path, text: str = TRICKY) -> pathlib.Path:
    _compile(text)
    (path,) = _files(tmp_path)
    return path


def _miss_then_rewritten(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch,
                         path: pathlib.Path) -> None:
    assert cache.load(TRICKY, *LIMITS) is None
    parses = _Parses(monkeypatch)
    program = _compile(TRICKY)  # falls back to parsing, silently
    assert parses.count == 1
    assert program.module == parse(Source("p", TRICKY))
    assert cache.load(TRICKY, *LIMITS) is not None  # and the good file is back


def _rewrite(path: pathlib.Path, payload: bytes, header: bytes | None = None) -> None:
    """A file whose digest matches its (crafted) payload."""
    first = header if header is not None else path.read_bytes().split(b"\n", 1)[0]
    digest = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
    path.write_bytes(first + b"\n" + digest + b"\n" + payload)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "flipped", "version",
                                    "foreign", "directory"])
def test_unreadable_files_are_silent_misses(
        damage: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _stored(tmp_path)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(5000))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "flipped":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "version":
        path.write_bytes(data.replace(cache.FORMAT.encode(), b"gradcli-ast 0", 1))
    elif damage == "foreign":  # another program's (valid) file under this program's name
        other = cache.encode(parse(Source("p", "y = 2\n")), "0" * 64)
        path.write_bytes(other)
    else:
        path.unlink()
        path.mkdir()
    if damage != "directory":
        _miss_then_rewritten(tmp_path, monkeypatch, path)
    else:
        assert cache.load(TRICKY, *LIMITS) is None
        assert _compile(TRICKY).module == parse(Source("p", TRICKY))


CRAFTED = [
    b"[]", b"{}", b"null", b'"text"', b"[999]", b"[-1]", b"[0.5]", b'["Module"]',
    b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON reader goes
    b'{"__class__": "os.system", "args": ["echo hi"]}',
    b"NaN", b"1e999999", b"9" * 10_000,
]


@pytest.mark.parametrize("payload", CRAFTED, ids=range(len(CRAFTED)))
def test_crafted_payloads_never_load(payload: bytes, tmp_path: pathlib.Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = _stored(tmp_path)
    _rewrite(path, payload)
    _miss_then_rewritten(tmp_path, monkeypatch, path)


def _tags() -> dict[str, int]:
    return {cls.__name__: tag for cls, tag in cache._TAGS.items()}


SPAN = [1, 1, 1, 2]


def _payload(*records: list[Any], strings: tuple[Any, ...] = ("x",),
             floats: tuple[Any, ...] = ()) -> list[Any]:
    """A payload in the file format (see cache.py): nodes in post-order, fields last first."""
    return [list(strings), list(floats), [item for record in records for item in record]]


def _program(*records: list[Any], statements: int = 1, **tables: Any) -> list[Any]:
    """Records ending in `statements` statements, as the body of a Module."""
    return _payload(*records, [_tags()["Module"], statements, *SPAN], **tables)


def _crafted_trees() -> list[Any]:
    t = _tags()
    name = [t["Name"], 0, *SPAN]  # Name("x")
    stmt = [t["ExprStmt"], *SPAN]  # of the node below it

    def constant(*value: Any) -> list[Any]:
        return [t["Constant"], *value, *SPAN]

    return [
        _program(name, name, [t["BinOp"], 1, *SPAN], stmt, strings=("x", "evil")),  # unknown op
        _program(name, name, name, [t["Compare"], 2, 2, 1, 2, *SPAN], stmt,
                 strings=("x", "lt", "xx")),  # an unknown comparison
        _program(name, stmt, stmt),  # a statement where an expression belongs
        _program(name),  # an expression where a statement belongs
        _program([t["Name"], 1, *SPAN], stmt),  # a string index out of range
        _program([t["Name"], -1, *SPAN], stmt),  # a negative string index
        _program([t["Name"], 0, 1, 1, 1, "2"], stmt),  # a string in a span
        _program([t["Name"], 0, 1, 1, 1, 2.0], stmt),  # a float in a span
        _program([t["Name"], 0, 1, 1, 1, True], stmt),  # a boolean in a span
        _program([t["Name"], 0, 1, 1, 1]),  # a short span at the end
        _program(constant(9), stmt),  # an unknown constant kind
        _program(constant(5, 0), stmt, floats=(1,)),  # an int among the floats
        _program(constant(5, 3), stmt, floats=(1.5,)),  # a float index out of range
        _program(constant(6, -1), stmt),  # a negative string index in a constant
        _program([t["Param"], 1, 0, 0, *SPAN], [t["Name"], 2, *SPAN], [t["Lambda"], 1, *SPAN],
                 stmt, strings=("p", "weird", "x")),  # an unknown parameter kind
        _payload(name),  # not a module at all
        _program(name, stmt, [t["Module"], 1, *SPAN], name, stmt),  # two programs
        _program(name, stmt, statements=2),  # more statements than there are
        _program(name, name, [t["Dict"], 1, 1, 2, *SPAN], stmt),  # a key mark neither 0 nor 1
        _program([-1, 0, *SPAN], stmt),  # a negative tag
        _program([len(t), 0, *SPAN], stmt),  # a tag past the last class
        _program(*_deep(t, 400), stmt),  # beyond --max-nesting
        [["x"], [], {"code": 1}],
        [["x"], [], [0], "extra"],
        [[7], [], []],
    ]


def _deep(t: dict[str, int], depth: int) -> list[list[Any]]:
    """`-(-(...x))`: a Name, then `depth` UnaryOps (op "neg" at string 1)."""
    return [[t["Name"], 0, *SPAN]] + [[t["UnaryOp"], 1, 1, 1, 1, 2]] * depth


@pytest.mark.parametrize("index", range(len(_crafted_trees())))
def test_crafted_trees_never_load(index: int, tmp_path: pathlib.Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _stored(tmp_path)
    _rewrite(path, json.dumps(_crafted_trees()[index]).encode())
    _miss_then_rewritten(tmp_path, monkeypatch, path)


def test_a_well_formed_file_loads(tmp_path: pathlib.Path) -> None:
    """The crafted cases above fail for their flaw alone: the same writer, no flaw, loads."""
    path = _stored(tmp_path)
    t = _tags()
    deep = _program(*_deep(t, 10), [t["ExprStmt"], *SPAN], strings=("x", "neg"))
    _rewrite(path, json.dumps(deep).encode())
    loaded = cache.load(TRICKY, *LIMITS)
    assert loaded is not None and loaded == parse(Source("p", "-" * 10 + "x\n"))
    unknown = _program(*_deep(t, 1), [t["ExprStmt"], *SPAN], strings=("x", "evil"))
    _rewrite(path, json.dumps(unknown).encode())
    assert cache.load(TRICKY, *LIMITS) is None


def test_disabled_cache_never_writes(tmp_path: pathlib.Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADCLI_NO_CACHE", "1")
    parses = _Parses(monkeypatch)
    _compile(TRICKY)
    _compile(TRICKY)
    assert parses.count == 2
    assert not (tmp_path / "xdg").exists()


def test_a_folder_others_can_write_is_not_used(tmp_path: pathlib.Path) -> None:
    folder = _folder(tmp_path)
    folder.mkdir(parents=True, mode=0o700)
    folder.chmod(0o777)
    _compile(TRICKY)
    assert list(folder.iterdir()) == []
    assert cache.load(TRICKY, *LIMITS) is None


def test_concurrent_writers_leave_whole_files(tmp_path: pathlib.Path) -> None:
    texts = [TRICKY, "x = 1\n", TRICKY + "z = 3\n"]
    modules = [parse(Source("p", text)) for text in texts]
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for _ in range(15):
                cache.store(texts[i % 3], *LIMITS, modules[i % 3])
                loaded = cache.load(texts[i % 3], *LIMITS)
                assert loaded is None or list(differences(loaded, modules[i % 3])) == []
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_files(tmp_path)) == 3  # no temporary file left behind
    for text, module in zip(texts, modules, strict=True):
        loaded = cache.load(text, *LIMITS)
        assert loaded is not None and list(differences(loaded, module)) == []


def test_the_folder_stays_bounded(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_FILES", 8)
    texts = [f"x = {i}\n" for i in range(20)]
    for i, text in enumerate(texts):
        cache.store(text, *LIMITS, parse(Source("p", text)))
        stamp = (i + 1) * 10**9  # distinct times, in order, whatever the clock's resolution
        os.utime(_folder(tmp_path) / cache._key(text, *LIMITS), ns=(stamp, stamp))
    assert len(_files(tmp_path)) <= 8
    assert cache.load(texts[-1], *LIMITS) is not None  # the newest stays
    assert cache.load(texts[0], *LIMITS) is None  # the oldest went first


def test_disabled_cache_also_leaves_the_grammar_in_memory(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "grammar-cache"
    monkeypatch.setattr(grammar, "_cache_dirs", lambda: iter([str(folder)]))
    monkeypatch.setenv("GRADCLI_NO_CACHE", "1")
    parser = grammar.lalr_parser.__wrapped__()
    assert parser.terminals and not folder.exists()
    monkeypatch.delenv("GRADCLI_NO_CACHE")
    grammar.lalr_parser.__wrapped__()
    assert [p.suffix for p in folder.iterdir()] == [".lark-cache"]
