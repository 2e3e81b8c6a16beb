"""The fast parse loop (gradcli/syntax/driver.py) gives what Lark's parser gives: the same
trees with the same spans on valid programs, the same errors (Lark's, worded the same) on
invalid ones."""

from __future__ import annotations

import contextlib
import json
import pathlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from syntax_trees import differences

from gradcli.errors import GdError
from gradcli.source import Source
from gradcli.syntax import grammar, parse, parse_expression
from gradcli.syntax.context import ParseContext, active_contexts

# bench/ is not installed: reach W7's program generator from the checkout, at the end of
# sys.path so the installed gradcli is still the one tested.
sys.path.append(str(pathlib.Path(__file__).resolve().parents[1]))
from bench.workloads.w7 import program_text

ROOT = pathlib.Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def _lark_only() -> Iterator[None]:
    """Parse with Lark's parser alone (no fast loop)."""
    fast = grammar._driver
    grammar._driver = lambda: None  # type: ignore[assignment]
    try:
        yield
    finally:
        grammar._driver = fast


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("ok", run())
    except GdError as err:
        return ("error", type(err).__name__, str(err), err.span, getattr(err, "hint", None))


def _same(text: str, expression: bool = False) -> str:
    """Parse both ways; assert equal outcomes and return "ok" or "error"."""
    def run() -> Any:
        return parse_expression(text) if expression else parse(Source("<t>", text))

    fast = _outcome(run)
    with _lark_only():
        slow = _outcome(run)
    if fast[0] == slow[0] == "ok":
        assert list(differences(fast[1], slow[1])) == []
    else:
        assert fast == slow
    return str(fast[0])


def test_the_fast_loop_is_in_use() -> None:
    assert grammar._driver() is not None


CORPUS = [
    "x = 1\n",
    "if a:\n    b = 1\nelif c:\n\tpass\nelse:\n    d = (1,\n  2)\n",
    "def f(a, *args, b=2, **kw):\n    '''doc\n    string'''\n    return a + \\\n        b\n",
    "@dec(1)\nclass C(Base):\n    x = 1\n",
    "try:\n    x = 1\nexcept ValueError as e:\n    pass\nelse:\n    y = 2\nfinally:\n    z = 3\n",
    "with no_grad() as g:\n    y = [i * 2 for i in range(3) if i if i > 0]\n",
    "d = {**a, 'k': v, 1: 2}\ns = {1, 2}\nc = {k: v for k, v in d.items()}\n",
    "a, *b = xs\n[c, d] = 1, 2\nx[1:2, ::3, ...] += 1\ndel x[0], y.z\n",
    "f'{x!r:>8} and {y:.3f} {{}}' \"plain\" f\"{f'{z}'}\"\n",
    "ﬁ = 1\nnamé = ﬁ\n",
    "lambda: 0\nlambda x, *y, z=1, **w: x if y else -z ** 2 @ ~w\n",
    "import torch\nimport torch.nn.functional as F, math\nfrom a.b import (c as d, e,)\n",
    "global g\nnonlocal h\nassert x, 'msg'\nraise\nraise E('x')\n",
    "x = 0x_1F + 0o7 + 0b1 + 1_000 + 1.5e-3 + .5 + 5. + 1e10 + 00\n",
    "while x < 3 <= y is not z not in w in v != u:\n    x += 1\n    continue\nelse:\n    pass\n",
    "sum(x for x in y)\nf(*a, k=1, **b)\n# comment only\n\n   \n",
    "x = 1; y = 2;\n",
    "if x:\n    if y:\n        if z:\n            pass\n  # odd comment\nw = 1",
    "def g(n):\n    yield\n    yield n, 1\n    x = y = yield n\n    r = yield from g(n)\n",
]

ERRORS = [
    "if x\n    y = 1\n", "x = (1,\n", "x = 1)\n", "  x = 1\n", "def f(x, x): pass\n",
    "x = $\n", "f(x for x in y, 1)\n", "a + 1 = 2\n", "x = 'abc\n", "f'{'\n", "x = 1 +\n",
    "if x:\ny = 1\n", "if x:\n        a\n    b\n", "x = 1 yield\n", "1 = x\n", "x = 007\n",
    "for x in y:\n\tif a:\n        pass\n", "print(f'{x!}')\n", "return 1\n", "break\n",
    "x = [" * 300, "f(" + "f'{" * 30,
]


@pytest.mark.parametrize("text", CORPUS)
def test_same_tree_and_spans_as_lark(text: str) -> None:
    assert _same(text) == "ok"


@pytest.mark.parametrize("text", ERRORS)
def test_same_errors_as_lark(text: str) -> None:
    assert _same(text) == "error"


def test_same_trees_on_examples_and_a_generated_program() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.gd"))]
    assert texts
    for text in [*texts, program_text(300)]:
        assert _same(text) == "ok"


def test_same_expressions() -> None:
    for text in ["a, b", "x[1:]\n+ 2", "f(\n1)", "(", "1 +", "lambda x: x"]:
        _same(text, expression=True)


_PIECES = st.lists(
    st.sampled_from([
        "x", "y", " ", "\n", "    ", "\t", "(", ")", "[", "]", "{", "}", ":", ",", "=", "+",
        "*", "**", ".", "1", "2.5", "'s'", "f'{x}'", "if ", "else ", "for ", " in ", "def ",
        "return ", "lambda ", "not ", " and ", "#c", "\\\n", "pass", "@", "-", "<", "==",
    ]),
    max_size=25,
).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_PIECES)
def test_same_outcome_on_python_like_text(text: str) -> None:
    _same(text)
    _same(text, expression=True)


def _fast_loop_alone(text: str) -> Any:
    """The fast loop's own result (no fallback to Lark's parser): raises where it stops."""
    driver = grammar._driver()
    assert driver is not None
    stack = active_contexts()
    stack.append(ParseContext(mode="module"))
    try:
        return driver.parse(text + "\n", "module")
    finally:
        stack.pop()


def test_the_fast_loop_itself_parses_every_valid_program() -> None:
    """Valid programs never fall back to Lark's parser (which would be correct, but slow)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.gd"))]
    non_ascii_names = [t for t in CORPUS if "ﬁ" in t]  # the postlexer rewrites those: Lark
    for text in [*texts, *(t for t in CORPUS if t not in non_ascii_names), program_text(300)]:
        body = _fast_loop_alone(text.replace("\r\n", "\n"))
        assert [type(s) for s in body] == [type(s) for s in parse(Source("<t>", text)).body]


def test_the_fast_loop_runs_no_lark_callback_machinery() -> None:
    from lark.parse_tree_builder import ChildFilter

    driver = grammar._driver()
    assert driver is not None
    callbacks = [action[2] for row in driver.states.values() for action in row.values()
                 if not isinstance(action, int) and action[2] is not None]
    assert callbacks and not any(isinstance(c, ChildFilter) for c in callbacks)


_INDENTS = st.sampled_from(["", " ", "  ", "    ", "        ", "\t", "\t ", " \t", "\f"])
_LINES = st.lists(
    st.tuples(_INDENTS, st.sampled_from(["if x:", "for i in y:", "def f(a):", "x = 1",
                                         "pass", "return a", "# note", "", "else:",
                                         "while (a,\n b):", "y = [\n1]"])),
    max_size=12,
)


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_same_outcome_on_random_indentation(lines: list[tuple[str, str]]) -> None:
    _same("".join(indent + line + "\n" for indent, line in lines))


def test_positional_constructors_build_the_same_nodes() -> None:
    from gradcli.source import Span
    from gradcli.syntax import ast as gd

    span, other = Span(1, 2, 3, 4), Span(5, 6, 7, 8)
    for cls in gd.node_classes():
        names = [f.name for f in gd.fields(cls)]
        values = [span if n == "span" else other if n == "attr_span" else f"v{i}"
                  for i, n in enumerate(names)]
        fast = gd.positional(cls)(*values)
        slow = cls(**dict(zip(names, values, strict=True)))
        assert type(fast) is cls and fast == slow
        assert [getattr(fast, n) for n in names] == values
        with pytest.raises(AttributeError):
            fast.span = other  # still frozen
    made = gd.positional(Span)(1, 2, 3, 4)
    assert type(made) is Span and made == span and hash(made) == hash(span)


# -- the loop's tables: plain data, cached on disk, so a valid program needs no Lark -----

def test_the_tables_are_plain_data_cached_whole_and_rebuilt_when_damaged(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradcli.syntax.driver import tables_from_lark

    monkeypatch.setattr(grammar, "_cache_dirs", lambda: iter([str(tmp_path)]))
    monkeypatch.delenv("GRADCLI_NO_CACHE", raising=False)
    want = tables_from_lark(grammar.lalr_parser())
    assert json.loads(json.dumps(want)) == want
    assert grammar._tables() == want  # made from Lark's parser, and written
    (path,) = tmp_path.glob("*.tables")
    whole = path.read_bytes()

    def no_lark() -> None:
        raise AssertionError("Lark's parser was loaded")

    with monkeypatch.context() as m:
        m.setattr(grammar, "lalr_parser", no_lark)
        assert grammar._tables() == want  # read back, without Lark
    header, digest, payload = whole.split(b"\n", 2)
    for damaged in (whole[: len(whole) // 2],  # torn
                    header + b"\n" + digest + b"\n" + payload.replace(b"NAME", b"NAMF", 1),
                    header.replace(b"tables", b"tablez") + b"\n" + digest + b"\n" + payload,
                    b"not a table file"):
        path.write_bytes(damaged)
        assert grammar._tables() == want  # from Lark again, and rewritten
        assert path.read_bytes() == whole


def _in_a_fresh_process(code: str, cache: pathlib.Path) -> str:
    import os
    import subprocess

    import gradcli

    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": str(pathlib.Path(gradcli.__file__).resolve().parent.parent)}
    env.pop("GRADCLI_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout


def test_a_valid_program_parses_without_importing_lark(tmp_path: pathlib.Path) -> None:
    code = ("import sys\nfrom gradcli.source import Source\nfrom gradcli.syntax import parse\n"
            "tree = parse(Source('p', 'x = [i * 2 for i in range(3)]\\nif x:\\n\\ty = f(x)\\n'))\n"
            "print(type(tree.body[1]).__name__, 'lark' in sys.modules)\n"
            "try:\n    parse(Source('p', 'x = (1,\\n'))\n"
            "except Exception as e:\n    print(e, 'lark' in sys.modules)\n")
    first = _in_a_fresh_process(code, tmp_path)  # makes the tables (from Lark)
    assert first.splitlines()[0] == "If True"
    second = _in_a_fresh_process(code, tmp_path)
    assert second.splitlines()[0] == "If False"  # the cached tables: no Lark
    # An error is worded by Lark's parser, imported then, as before.
    assert second.splitlines()[1:] == first.splitlines()[1:]
    assert second.splitlines()[1] == "unclosed '(' opened at 1:5 True"
