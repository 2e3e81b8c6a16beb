"""Debugging that helps: an error inside a gd function shows the chain of calls that led
there (text and JSON, recursion collapsed), and a failed `assert` shows its message and
its condition's source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gradcli.cli import main

ENV = {"COLUMNS": "100", "NO_COLOR": None, "FORCE_COLOR": None, "TERM": "dumb"}

SHAPES = """\
def g(x, y):
    return x + y

def f(a, b):
    return g(a, b) * 2

a = tensor([1.0, 2.0, 3.0])
b = tensor([1.0, 2.0])
y = f(a, b)
"""

SHAPES_TEXT = (
    "prog.gd:2:12: error: The size of tensor a (3) must match the size of tensor b (2) "
    "at non-singleton dimension 0\n"
    """\
    return x + y
           ^~~~~
call chain (outermost first):
  prog.gd:9:5: y = f(a, b)
  prog.gd:5:12: return g(a, b) * 2
  prog.gd:2:12: return x + y
""")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV, catch_exceptions=False,
                              prog_name="gradcli")


@pytest.fixture
def prog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)

    def write(text: str) -> str:
        (tmp_path / "prog.gd").write_text(text)
        return "prog.gd"

    return write


# ================================================================ call chain


@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_an_error_inside_functions_shows_the_call_chain_outermost_first(prog: Any,
                                                                         fmt: str) -> None:
    r = cli("run", prog(SHAPES), "--format", fmt)
    assert r.exit_code == 4
    assert r.stdout == ""
    assert r.stderr == SHAPES_TEXT


def test_the_call_chain_under_other_commands(prog: Any) -> None:
    r = cli("eval", prog(SHAPES.replace("tensor([1.0, 2.0, 3.0])",
                                        "tensor([1.0, 2.0, 3.0], requires_grad=True)")),
            "--wrt", "a")
    assert r.exit_code == 4
    assert r.stderr == SHAPES_TEXT


def test_json_errors_carry_the_calls(prog: Any) -> None:
    r = cli("run", prog(SHAPES), "--format", "json")
    assert r.exit_code == 4
    err = json.loads(r.stdout)["error"]
    assert err["kind"] == "runtime" and (err["line"], err["column"]) == (2, 12)
    assert err["calls"] == [
        {"file": "prog.gd", "line": 9, "column": 5, "source": "y = f(a, b)",
         "function": "f", "count": 1},
        {"file": "prog.gd", "line": 5, "column": 12, "source": "return g(a, b) * 2",
         "function": "g", "count": 1},
    ]


def test_an_error_outside_any_function_has_no_call_chain(prog: Any) -> None:
    text = "a = tensor([1.0, 2.0, 3.0])\ny = a + tensor([1.0, 2.0])\n"
    r = cli("run", prog(text))
    assert r.stderr == (
        "prog.gd:2:5: error: The size of tensor a (3) must match the size of tensor b (2) "
        "at non-singleton dimension 0\n"
        "y = a + tensor([1.0, 2.0])\n"
        "    ^~~~~~~~~~~~~~~~~~~~~~\n")
    assert "calls" not in json.loads(cli("run", "prog.gd", "--format", "json").stdout)["error"]


def test_a_bad_call_is_reported_at_its_call_site_with_the_calls_before_it(prog: Any) -> None:
    text = "def f(x):\n    return x\n\ndef g():\n    return f(1, 2)\n\ng()\n"
    r = cli("run", prog(text))
    assert r.exit_code == 4
    assert r.stderr == (
        "prog.gd:5:12: error: f() takes 1 positional argument but 2 were given\n"
        "    return f(1, 2)\n"
        "           ^~~~~~~\n"
        "call chain (outermost first):\n"
        "  prog.gd:7:1: g()\n"
        "  prog.gd:5:12: return f(1, 2)\n")


def test_recursion_past_the_limit_collapses_the_repeated_calls(prog: Any) -> None:
    r = cli("run", prog("def f(n):\n    return f(n + 1)\n\ny = f(0)\n"))
    assert r.exit_code == 4
    assert r.stderr == (
        "prog.gd:2:12: error: maximum recursion depth (200) exceeded in f()\n"
        "    return f(n + 1)\n"
        "           ^~~~~~~~\n"
        "call chain (outermost first):\n"
        "  prog.gd:4:5: y = f(0)\n"
        "  prog.gd:2:12: return f(n + 1)\n"
        "  prog.gd:2:12: return f(n + 1)\n"
        "  prog.gd:2:12: return f(n + 1)\n"
        "  \u2026 196 more calls of f at prog.gd:2:12\n"
        "  prog.gd:2:12: return f(n + 1)\n"
        "hint: raise it with --max-depth if the recursion is intended\n")
    calls = json.loads(cli("run", "prog.gd", "--format", "json").stdout)["error"]["calls"]
    assert [(c["line"], c["function"], c["count"]) for c in calls] == [(4, "f", 1), (2, "f", 199)]


def test_mutual_recursion_shows_a_bounded_number_of_lines(prog: Any) -> None:
    text = ("def even(n):\n    return odd(n + 1)\n\ndef odd(n):\n    return even(n + 1)\n\n"
            "even(0)\n")
    r = cli("run", prog(text))
    assert r.exit_code == 4
    lines = r.stderr.splitlines()
    chain = lines[lines.index("call chain (outermost first):") + 1:-1]
    assert chain[:3] == ["  prog.gd:7:1: even(0)", "  prog.gd:2:12: return odd(n + 1)",
                         "  prog.gd:5:12: return even(n + 1)"]
    assert chain[10] == "  \u2026 180 more lines of calls"
    assert len(chain) == 22 and chain[-1].startswith("  prog.gd:")
    assert lines[-1] == "hint: raise it with --max-depth if the recursion is intended"


def test_a_caught_error_leaves_no_trace_behind(prog: Any) -> None:
    text = ("def f(x):\n    return x + tensor([1.0, 2.0])\n\n"
            "try:\n    f(tensor([1.0, 2.0, 3.0]))\nexcept RuntimeError:\n    print('caught')\n")
    r = cli("run", prog(text))
    assert (r.exit_code, r.stdout, r.stderr) == (0, "caught\n", "")


# ================================================================ assert


def test_a_failed_assert_shows_its_message_and_condition(prog: Any) -> None:
    text = ("def check(x):\n    assert x > 0, \"x must be positive\"\n    return x\n\n"
            "check(1)\ncheck(-2)\n")
    r = cli("run", prog(text))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == (
        "prog.gd:2:12: error: assertion failed: x must be positive (x > 0)\n"
        "    assert x > 0, \"x must be positive\"\n"
        "           ^~~~~\n"
        "call chain (outermost first):\n"
        "  prog.gd:6:1: check(-2)\n"
        "  prog.gd:2:12: assert x > 0, \"x must be positive\"\n")


def test_a_failed_assert_without_a_message_shows_its_condition(prog: Any) -> None:
    r = cli("run", prog("x = tensor([1.0, -2.0])\nassert (x>0).sum()==len(x)\n"))
    assert r.exit_code == 1
    assert r.stderr == (
        "prog.gd:2:8: error: assertion failed: (x > 0).sum() == len(x)\n"
        "assert (x>0).sum()==len(x)\n"
        "       ^~~~~~~~~~~~~~~~~~~\n")


def test_a_failed_assert_in_json(prog: Any) -> None:
    r = cli("run", prog("n = 3\nassert n % 2 == 0, f'{n} is odd'\n"), "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout) == {"output": "", "error": {
        "kind": "assertion", "message": "assertion failed: 3 is odd (n % 2 == 0)",
        "file": "prog.gd", "line": 2, "column": 8, "end_column": 18}}


def test_an_empty_assert_message_shows_the_condition_alone(prog: Any) -> None:
    r = cli("run", prog("assert 1 > 2, ''\n"))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == "prog.gd:1:8: error: assertion failed: 1 > 2"


def test_a_caught_assertion_error_holds_only_the_programs_message(prog: Any) -> None:
    # Python: AssertionError('nope') and AssertionError(); the condition is gradcli's addition.
    text = ("try:\n    assert 1 == 2, 'nope'\nexcept AssertionError as e:\n    print(repr(e))\n"
            "try:\n    assert 1 == 2\nexcept AssertionError as e:\n    print(repr(e))\n")
    r = cli("run", prog(text))
    assert (r.exit_code, r.stdout) == (0, "AssertionError('nope')\nAssertionError()\n")
