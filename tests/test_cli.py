"""The command line (SPEC §2): exit codes, stdout vs stderr, JSON shapes, golden text output.

Most tests drive `gradcli.cli.main` through click's CliRunner (stdout and stderr are
separate streams in click ≥ 8.2), with COLUMNS=100 and no terminal, so tables have no
colour and a fixed width. A few run the installed entry point as a subprocess: standard
input, byte-identical output between processes, and colour on a real pseudo-terminal.

Golden files live in tests/golden/cli/; rewrite them with GRADCLI_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gradcli.ad.rules import RULES
from gradcli.cli import main

GOLDEN = Path(__file__).parent / "golden" / "cli"
UPDATE = os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1"
ENV = {"COLUMNS": "100", "NO_COLOR": None, "FORCE_COLOR": None, "TERM": "dumb"}
ANSI = re.compile(r"\x1b\[")

SEED_DOT = "x = arange(4.0)\ny = 2 * dot(x, x)"
SEED_WHILE = "x = tensor([0.5, -1.2, 0.03])\ny = x * 2\nwhile y.data.norm() < 1000:\n" \
             "    y = y * 2\ny"
GRAPH_PROG = "x = ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()"


def cli(*args: str, input: str | bytes | None = None, env: dict[str, Any] | None = None) -> Result:
    """Invoke gradcli in-process; stdout and stderr stay separate."""
    runner = CliRunner()
    return runner.invoke(main, list(args), input=input, env={**ENV, **(env or {})},
                         catch_exceptions=False, prog_name="gradcli")


@pytest.fixture
def prog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Write a .gd file (in a temp dir that becomes the cwd); returns its relative path."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "prog.gd") -> str:
        (tmp_path / name).write_text(text if text.endswith("\n") else text + "\n")
        return name

    return write


# ================================================================ exit code 0


def test_exit_0_run_prints_the_programs_output_on_stdout(prog: Any) -> None:
    r = cli("run", prog("x = arange(4.0)\nprint(2 * dot(x, x))\nprint('done')"))
    assert r.exit_code == 0
    assert r.stdout == "tensor(28.)\ndone\n" and r.stderr == ""


def test_prog_as_path_stdin_and_expression_give_the_same_output(prog: Any) -> None:
    text = "x = tensor([1.0, 2.0], requires_grad=True)\nprint((x * x).sum())"
    by_path = cli("run", prog(text))
    by_stdin = cli("run", "-", input=text)
    by_expr = cli("run", "-e", text)
    assert by_path.exit_code == by_stdin.exit_code == by_expr.exit_code == 0
    assert by_path.stdout == by_stdin.stdout == by_expr.stdout == \
        "tensor(5., grad_fn=<SumBackward0>)\n"


def test_expression_statements_separated_by_semicolons() -> None:
    r = cli("eval", "-e", "x = arange(4.0); y = 2 * dot(x, x)", "--wrt", "x", "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["grads"]["x"]["value"] == [0.0, 4.0, 8.0, 12.0]


def test_set_binds_inputs_for_every_command(prog: Any) -> None:
    p = prog(SEED_DOT)
    r = cli("eval", p, "--set", "x=[1, 2]", "--wrt", "x", "--format", "json")
    out = strict_json(r.stdout)
    assert out["result"]["value"] == 10.0 and out["grads"]["x"]["value"] == [4.0, 8.0]
    r = cli("eval", p, "--set", "x=arange(3.0) * 2", "--of", "x", "--format", "json")
    assert strict_json(r.stdout)["result"]["value"] == [0.0, 2.0, 4.0]


def test_dtype_and_seed_flags() -> None:
    r = cli("eval", "-e", "x = arange(2.0)\nx / 3", "--dtype", "float64", "--format", "json")
    assert strict_json(r.stdout)["result"]["dtype"] == "float64"
    a = cli("eval", "-e", "randn(2)", "--seed", "5", "--format", "json")
    b = cli("eval", "-e", "randn(2)", "--seed", "5", "--format", "json")
    assert a.stdout == b.stdout and a.exit_code == 0


# ================================================================ exit code 1


def test_exit_1_failed_assert_in_the_program(prog: Any) -> None:
    p = prog("x = tensor([1.0, 2.0])\nprint('before')\nassert x.sum() > 5, 'sum too small'")
    r = cli("run", p)
    assert r.exit_code == 1
    assert r.stdout == "before\n"
    assert r.stderr.startswith("prog.gd:3:8: error: assertion failed: sum too small (x.sum() > 5)\n"
                               "assert x.sum() > 5, 'sum too small'\n"
                               "       ^")


def test_exit_1_check_mismatch_from_a_broken_rule(prog: Any) -> None:
    rule = RULES["tanh"]
    original = rule.vjp
    assert original is not None
    rule.vjp = lambda *a, **k: tuple(None if c is None else c * 2 for c in original(*a, **k))
    try:
        r = cli("check", prog("x = tensor([0.5, 1.5])\ny = tanh(x) * x\ny.sum()"), "--wrt", "x",
                "--format", "json")
    finally:
        rule.vjp = original
    assert r.exit_code == 1 and r.stderr == ""
    out = strict_json(r.stdout)
    assert out["ok"] is False and out["checks"][0]["ok"] is False
    bad = [n for n in out["nodes"] if not n["ok"]]
    assert [(n["op"], n["line"]) for n in bad] == [("tanh", 2)]


def test_exit_1_check_mismatch_at_a_kink() -> None:
    r = cli("check", "-e", "x = tensor([0.0, 1.0])\nrelu(x).sum()", "--wrt", "x")
    assert r.exit_code == 1 and r.stderr == ""


def test_exit_1_golden_test_failure_and_0_after_update(prog: Any) -> None:
    prog("print(1 + 1)", "two.gd")
    Path("two.out").write_text("3\n")
    r = cli("test", "two.gd")
    assert r.exit_code == 1 and "two.gd" in r.stdout and "+2" in r.stdout
    assert cli("test", "two.gd", "--update").exit_code == 0
    assert Path("two.out").read_text() == "2\n"
    assert cli("test", "two.gd").exit_code == 0


# ================================================================ exit code 2


@pytest.mark.parametrize(("args", "needle"), [
    (["run", "--nope", "-e", "1"], "No such option '--nope'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["grad", "-e", "x = tensor(1.0)\nx", "--wrt", "x", "--order", "0"], "--order"),
    (["grad", "-e", "x = tensor(1.0)\nx", "--wrt", "x", "--order", "abc"], "--order"),
    (["eval", "-e", "1", "--dtype", "float16"], "--dtype"),
    (["jvp", "-e", "x = tensor(1.0)\nx", "--wrt", "x"], "--tangent"),
    (["graph", "-e", "1", "--format", "svg"], "--format"),
])
def test_exit_2_bad_flags_are_click_usage_errors(args: list[str], needle: str) -> None:
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "Usage: " in r.stderr and needle in r.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["run", "no_such_file.gd"], "no such file: no_such_file.gd"),
    (["run", "."], ". is a directory, not a program"),
    (["run"], "missing PROG"),
    (["run", "prog.gd", "-e", "1"], "give either PROG or -e EXPRESSION, not both"),
    (["eval", "prog.gd", "--set", "x"], "--set expects NAME=VALUE, got 'x'"),
    (["eval", "prog.gd", "--set", "x=[1,"], "--set x=[1,:"),
    (["eval", "prog.gd", "--set", "x=@missing.json"], "--set x: cannot read missing.json"),
    (["eval", "prog.gd", "--wrt", "q"],
     "--wrt q: the program never assigns 'q' (outside functions)"),
    (["eval", "prog.gd", "--of", "nothing"], "--of nothing: the program has no variable"),
    (["grad", "prog.gd"], "Missing option '--wrt'"),
    (["eval", "prog.gd", "--wrt", "q=2"],
     "--wrt q: the program never assigns 'q' (outside functions)"),
    (["eval", "prog.gd", "--wrt", "x=[1, 2, 3, 4]", "--set", "x=[0, 1, 2, 3]"],
     "--wrt x=[1, 2, 3, 4] and --set both give x a value"),
    (["eval", "prog.gd", "--wrt", "=2"], "--wrt expects NAME or NAME=VALUE, got '=2'"),
    (["test", "nowhere"], "no such file or directory: nowhere"),
])
def test_exit_2_usage_errors(prog: Any, args: list[str], message: str) -> None:
    prog(SEED_DOT)
    r = cli(*args)
    assert r.exit_code == 2, r.stderr
    assert r.stdout == ""
    assert message in r.stderr


def test_exit_2_wrt_on_a_non_leaf_names_the_line(prog: Any) -> None:
    r = cli("eval", prog("x = arange(4.0, requires_grad=True)\ny = x * 2\nz = y.sum()"),
            "--wrt", "y")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("prog.gd:2:1: error: --wrt y: y is not a leaf: it is computed by "
                               "MulBackward0\ny = x * 2\n^")


def test_exit_2_usage_error_as_json_goes_to_stdout() -> None:
    r = cli("eval", "-e", "x = 1.0", "--wrt", "q", "--format", "json")
    assert r.exit_code == 2 and r.stderr == ""
    err = strict_json(r.stdout)["error"]
    assert err["kind"] == "usage" and "--wrt q" in err["message"]


# ================================================================ exit code 3


def test_exit_3_syntax_error_with_caret(prog: Any) -> None:
    r = cli("run", prog("x = 1\ny = (x +\nprint(y)"))
    assert r.exit_code == 3 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert re.match(r"prog\.gd:\d+:\d+: error: ", lines[0])
    line, col = map(int, lines[0].split(":")[1:3])
    src = ["x = 1", "y = (x +", "print(y)"][line - 1]
    assert lines[1] == src
    assert lines[2].startswith(" " * (col - 1) + "^")
    assert "Traceback" not in r.stderr


def test_exit_3_syntax_error_exact_text() -> None:
    r = cli("run", "-e", "x = (1")
    assert r.exit_code == 3
    assert r.stderr == ("<expr>:1:5: error: unclosed '(' opened at 1:5\n"
                        "x = (1\n"
                        "    ^\n"
                        "hint: close it with ')'\n")


def test_exit_3_syntax_error_as_json() -> None:
    r = cli("run", "-e", "x = (1", "--format", "json")
    assert r.exit_code == 3 and r.stderr == ""
    err = strict_json(r.stdout)["error"]
    check(err, ERROR)
    assert (err["kind"], err["line"], err["column"]) == ("syntax", 1, 5)


def test_exit_3_invalid_utf8(prog: Any) -> None:
    Path("bad.gd").write_bytes(b"x = 1\n\xff\n")
    r = cli("run", "bad.gd")
    assert r.exit_code == 3
    assert r.stderr == ("bad.gd:2:1: error: invalid UTF-8 (byte 0xff); gd programs are UTF-8 "
                        "text\n\ufffd\n^\n")


# ================================================================ exit code 4


@pytest.mark.parametrize(("text", "first_line", "source_line", "caret"), [
    ("x = ones(2)\ny = ones(3)\nz = x + y",
     "prog.gd:3:5: error: The size of tensor a (2) must match the size of tensor b (3) at "
     "non-singleton dimension 0", "z = x + y", "    ^~~~~"),
    ("x = tensor([1.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
     "prog.gd:4:1: error: Trying to backward through the graph a second time (or directly "
     "access saved tensors after they have already been freed).", "y.backward()",
     "^~~~~~~~~~~~"),
    ("w = tensor([1.0], requires_grad=True)\nw.add_(1)",
     "prog.gd:2:1: error: a leaf Variable that requires grad is being used in an in-place "
     "operation.", "w.add_(1)", "^~~~~~~~~"),
])
def test_exit_4_runtime_errors_with_pytorch_wording(prog: Any, text: str, first_line: str,
                                                    source_line: str, caret: str) -> None:
    r = cli("run", prog(text))
    assert r.exit_code == 4 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith(first_line)
    assert lines[1] == source_line and lines[2] == caret
    assert "Traceback" not in r.stderr


def test_exit_4_limit_reached() -> None:
    r = cli("run", "-e", "while True:\n    pass", "--max-steps", "1000")
    assert r.exit_code == 4 and "step limit reached" in r.stderr


NINE_COMMANDS = (["run"], ["eval", "--wrt", "x"], ["grad", "--wrt", "x"],
                 ["jvp", "--wrt", "x", "--tangent", "[1, 0]"],
                 ["vjp", "--wrt", "x", "--cotangent", "1"], ["jacobian", "--wrt", "x"],
                 ["graph"], ["check", "--wrt", "x"], ["explain", "--wrt", "x"])


def test_exit_4_runtime_error_in_every_command() -> None:
    bad = "x = tensor([1.0, 2.0])\ny = (x * ones(3)).sum()"
    for args in NINE_COMMANDS:
        r = cli(args[0], "-e", bad, *args[1:])
        assert r.exit_code == 4, args
        assert r.stderr.startswith("<expr>:2:5: error: The size of tensor a (2) must match"), args


@pytest.mark.parametrize("args", NINE_COMMANDS, ids=lambda a: a[0])
def test_exit_4_second_backward_fails_under_every_command(args: list[str]) -> None:
    twice = ("x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
             "y.backward()\ny.backward()\ny")
    r = cli(args[0], "-e", twice, *args[1:])
    assert r.exit_code == 4, args
    assert r.stderr.startswith("<expr>:4:1: error: Trying to backward through the graph a "
                               "second time"), (args, r.stderr)


@pytest.mark.parametrize("command", ["eval", "grad", "check"])
def test_a_program_that_called_backward_is_still_differentiated(command: str) -> None:
    once = ("x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
            "y.backward()\nprint(x.grad)\ny")
    r = cli(command, "-e", once, "--wrt", "x", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = strict_json(r.stdout)
    key = {"eval": "grads", "grad": "derivatives", "check": "checks"}[command]
    assert key in out, out
    if command == "check":
        assert out["ok"] is True
    else:
        assert out[key]["x"]["value"] == [2.0, 4.0]


def test_runtime_error_as_json(prog: Any) -> None:
    r = cli("run", prog("x = ones(2)\ny = x + ones(3)"), "--format", "json")
    assert r.exit_code == 4 and r.stderr == ""
    out = strict_json(r.stdout)
    check(out, {"error": ERROR})
    assert out["error"]["kind"] == "runtime"
    assert (out["error"]["file"], out["error"]["line"], out["error"]["column"]) == \
        ("prog.gd", 2, 5)


def test_debug_adds_a_traceback_to_program_errors(prog: Any) -> None:
    r = cli("run", prog("x = ones(2)\ny = x + ones(3)"), "--debug")
    assert r.exit_code == 4 and "Traceback" in r.stderr
    assert r.stderr.startswith("prog.gd:2:5: error: ")


# ================================================================ exit code 70


@pytest.fixture
def broken_evaluate(monkeypatch: pytest.MonkeyPatch) -> None:
    from gradcli import app

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(app, "evaluate", boom)


def test_exit_70_internal_error_is_one_line(broken_evaluate: None) -> None:
    r = cli("eval", "-e", "x = 1.0")
    assert r.exit_code == 70 and r.stdout == ""
    assert r.stderr == ("gradcli: internal error: RuntimeError: kaboom (this is a bug in "
                        "gradcli; run again with --debug for the traceback)\n")


def test_exit_70_traceback_only_with_debug(broken_evaluate: None) -> None:
    r = cli("eval", "-e", "x = 1.0", "--debug")
    assert r.exit_code == 70
    assert "Traceback (most recent call last)" in r.stderr and "RuntimeError: kaboom" in r.stderr


# ================================================================ JSON shapes

TENSOR = {"shape": [int], "dtype": str, "value": "value"}
ERROR = {"kind": str, "message": str, "file": (str, type(None)), "line": (int, type(None)),
         "column": (int, type(None))}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json(text: str) -> Any:
    """Parse JSON, rejecting NaN / Infinity (not JSON)."""
    return json.loads(text, parse_constant=_reject_constant)


def _is_value(v: Any) -> bool:
    if isinstance(v, list):
        return all(_is_value(x) for x in v)
    if isinstance(v, str):
        return v in ("nan", "inf", "-inf")  # non-finite numbers, spelled as strings
    return isinstance(v, (int, float, bool))


class MapOf:
    """A JSON object whose every value has one schema (grads, derivatives, …)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema


def check(obj: Any, schema: Any, where: str = "$") -> None:
    """Keys and types. A dict schema requires its keys (more keys are allowed: SPEC 2.2)."""
    if schema == "value":
        assert _is_value(obj), f"{where}: not a number or nested list: {obj!r}"
    elif isinstance(schema, MapOf):
        assert isinstance(obj, dict) and obj, f"{where}: expected a non-empty object"
        for k, v in obj.items():
            check(v, schema.schema, f"{where}.{k}")
    elif isinstance(schema, dict):
        assert isinstance(obj, dict), f"{where}: expected an object"
        for key, sub in schema.items():
            assert key in obj, f"{where}: missing key {key!r}"
            check(obj[key], sub, f"{where}.{key}")
    elif isinstance(schema, list):
        assert isinstance(obj, list), f"{where}: expected an array"
        for i, item in enumerate(obj):
            check(item, schema[0], f"{where}[{i}]")
    else:
        assert isinstance(obj, schema), f"{where}: {obj!r} is not {schema}"
        if schema is int:
            assert not isinstance(obj, bool), f"{where}: bool where int expected"


NODE = {"id": int, "name": (str, type(None)), "op": str, "grad_fn": (str, type(None)),
        "shape": [int], "dtype": str, "is_leaf": bool, "requires_grad": bool}
JSON_CASES: dict[str, tuple[list[str], Any]] = {
    "eval": (["eval", "-e", SEED_DOT, "--wrt", "x"], {"result": TENSOR, "grads": MapOf(TENSOR)}),
    "grad": (["grad", "-e", "x = tensor([1.0, 2.0])\n(x ** 3).sum()", "--wrt", "x",
              "--order", "2"], {"result": TENSOR, "order": int, "derivatives": MapOf(TENSOR)}),
    "jvp": (["jvp", "-e", SEED_WHILE, "--wrt", "x", "--tangent", "[0.1, 1.0, 0.0001]"],
            {"result": TENSOR, "jvp": TENSOR}),
    "vjp": (["vjp", "-e", SEED_WHILE, "--wrt", "x", "--cotangent", "[0.1, 1.0, 0.0001]"],
            {"result": TENSOR, "vjp": MapOf(TENSOR)}),
    "jacobian": (["jacobian", "-e", "x = tensor([1.0, 2.0])\nx ** 2", "--wrt", "x"],
                 {"result": TENSOR, "jacobian": MapOf(TENSOR)}),
    "check": (["check", "-e", "x = tensor([0.5, 1.5])\n(tanh(x) * x ** 2).sum()", "--wrt", "x"],
              {"ok": bool, "checks": [{"wrt": str, "max_abs_error": float,
                                       "max_rel_error": float}]}),
    "graph": (["graph", "-e", GRAPH_PROG], {"nodes": [NODE], "edges": [{"from": int,
                                                                         "to": int}]}),
}


@pytest.mark.parametrize("name", list(JSON_CASES))
def test_json_output_has_the_spec_shape(name: str) -> None:
    args, schema = JSON_CASES[name]
    r = cli(*args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    out = strict_json(r.stdout)
    check(out, schema)


def test_json_values_and_shapes_follow_the_result() -> None:
    out = strict_json(cli(*JSON_CASES["grad"][0], "--format", "json").stdout)
    assert out["order"] == 2 and out["result"] == {"shape": [], "dtype": "float32",
                                                   "value": 9.0}
    d = out["derivatives"]["x"]
    assert d["shape"] == [2, 2] and d["value"] == [[6.0, 0.0], [0.0, 12.0]]
    out = strict_json(cli(*JSON_CASES["vjp"][0], "--format", "json").stdout)
    assert out["vjp"]["x"]["shape"] == [3]
    assert [round(v, 4) for v in out["vjp"]["x"]["value"]] == [102.4, 1024.0, 0.1024]
    out = strict_json(cli(*JSON_CASES["graph"][0], "--format", "json").stdout)
    assert [(e["from"], e["to"]) for e in out["edges"]] == [(0, 1), (1, 2), (1, 2), (2, 3),
                                                            (3, 4)]
    assert [(n["name"], n["grad_fn"], n["line"]) for n in out["nodes"]] == [
        ("x", None, None), ("y", "AddBackward0", 2), (None, "MulBackward0", 3),
        ("z", "MulBackward0", 3), ("out", "MeanBackward0", 4)]


def test_json_with_nan_and_inf_is_still_strict_json() -> None:
    r = cli("eval", "-e", "x = tensor([0.0, 1.0, -1.0])\nlog(x) * tensor([1.0, 1.0, 1.0])",
            "--format", "json")
    assert r.exit_code == 0
    out = strict_json(r.stdout)
    check(out, {"result": TENSOR})
    assert out["result"]["value"][0] == "-inf" and out["result"]["value"][2] == "nan"
    assert "NaN" not in r.stdout and "Infinity" not in r.stdout


def test_json_keys_are_stable_between_runs() -> None:
    a = cli(*JSON_CASES["eval"][0], "--format", "json").stdout
    b = cli(*JSON_CASES["eval"][0], "--format", "json").stdout
    assert a == b and list(strict_json(a)) == list(strict_json(b))


# ================================================================ golden text output

GOLDEN_CASES: dict[str, list[str]] = {
    "eval_table": ["eval", "-e", SEED_DOT, "--wrt", "x"],
    "eval_plain": ["eval", "-e", SEED_DOT, "--wrt", "x", "--format", "plain"],
    "eval_matrix_table": ["eval", "-e", "W = arange(6.0).reshape(2, 3) / 7\nout = (W * W).sum()",
                          "--wrt", "W"],
    "eval_precision_plain": ["eval", "-e", "x = tensor([1.0, 2.0]) / 3\nx", "--format", "plain",
                             "--precision", "6"],
    "grad_order2_table": ["grad", "-e", "x = tensor([0.5, 1.5])\n(tanh(x) * x ** 2).sum()",
                          "--wrt", "x", "--order", "2"],
    "grad_order2_plain": ["grad", "-e", "x = tensor([0.5, 1.5])\n(tanh(x) * x ** 2).sum()",
                          "--wrt", "x", "--order", "2", "--format", "plain"],
    "jvp_table": ["jvp", "-e", SEED_WHILE, "--wrt", "x", "--tangent", "[0.1, 1.0, 0.0001]"],
    "vjp_plain": ["vjp", "-e", SEED_WHILE, "--wrt", "x", "--cotangent", "[0.1, 1.0, 0.0001]",
                  "--format", "plain"],
    "jacobian_table": ["jacobian", "-e", "x = tensor([1.0, 2.0])\ny = x ** 2 + x.sum()",
                       "--wrt", "x"],
    "jacobian_plain": ["jacobian", "-e", "x = tensor([1.0, 2.0])\ny = x ** 2 + x.sum()",
                       "--wrt", "x", "--format", "plain"],
    "graph_tree": ["graph", "-e", GRAPH_PROG],
    "graph_values_tree": ["graph", "-e", GRAPH_PROG, "--values"],
    "graph_dot": ["graph", "-e", GRAPH_PROG, "--format", "dot"],
    "graph_mermaid": ["graph", "-e", GRAPH_PROG, "--format", "mermaid"],
    "graph_plain": ["graph", "-e", GRAPH_PROG, "--format", "plain"],
    "check_table": ["check", "-e", "x = tensor([0.5, 1.5])\n(tanh(x) * x ** 2).sum()",
                    "--wrt", "x"],
    "check_failed_plain": ["check", "-e", "x = tensor([0.0, 1.0])\nrelu(x).sum()", "--wrt", "x",
                           "--format", "plain"],
    "explain_table": ["explain", "-e", "x = tensor(2.0)\ny = x * x + 3 * x", "--wrt", "x"],
    "explain_control_plain": ["explain", "-e", SEED_WHILE.replace("y.data.norm()", "y.norm()")
                              + ".sum()", "--wrt", "x", "--format", "plain"],
    "run_prints": ["run", "-e", "x = ones(2, 2, requires_grad=True)\nprint(x)\ny = x + 2\n"
                   "print(y.grad_fn)\nprint(f'{(y * y).mean():.3f}')"],
    "error_syntax": ["run", "-e", "x = 1 +"],
    "error_runtime": ["run", "-e", "x = ones(2)\ny = x + ones(3)"],
    "error_usage": ["eval", "-e", "x = 1.0", "--wrt", "q"],
    "error_nonscalar_eval": ["eval", "-e", "x = tensor([1.0, 2.0])\ny = x * 2", "--wrt", "x"],
}


def _transcript(args: list[str], r: Result) -> str:
    return (f"$ gradcli {shlex.join(args)}\n[exit {r.exit_code}]\n[stdout]\n{r.stdout}"
            f"[stderr]\n{r.stderr}")


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/cli/NAME.txt (GRADCLI_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing: run with GRADCLI_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert text == path.read_text(encoding="utf-8"), \
        f"{path.name} differs (GRADCLI_UPDATE_GOLDEN=1 to accept the new output)"


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_golden_output(name: str) -> None:
    args = GOLDEN_CASES[name]
    r = cli(*args)
    assert not ANSI.search(r.stdout) and not ANSI.search(r.stderr), "colour without a terminal"
    if "dot" not in args and "mermaid" not in args:  # graph languages are not wrapped
        assert all(len(line) <= 100 for line in r.stdout.splitlines()), "wider than COLUMNS"
    assert_golden(name, _transcript(args, r))


def test_golden_test_command_report(prog: Any) -> None:
    prog("print(tensor([1.0, 2.0]) * 2)", "a_pass.gd")
    Path("a_pass.out").write_text("tensor([2., 4.])\n")
    prog("print(1 + 1)", "b_fail.gd")
    Path("b_fail.out").write_text("3\n")
    prog("print('new')", "c_missing.gd")
    for fmt in ("table", "plain"):
        args = ["test", ".", "--format", fmt]
        r = cli(*args)
        assert r.exit_code == 1
        assert_golden(f"test_report_{fmt}", _transcript(args, r))


def test_golden_files_have_no_strays() -> None:
    """Every golden file belongs to a case (a renamed case leaves no stale file behind)."""
    names = {f"{n}.txt" for n in GOLDEN_CASES} | {
        "test_report_table.txt", "test_report_plain.txt",
        "explain_full_loop.txt", "explain_full_mixed.txt"}  # (test_explain_full_golden's)
    assert {p.name for p in GOLDEN.glob("*.txt")} <= names


def test_output_width_follows_columns() -> None:
    args = ["eval", "-e", "x = arange(30.0) * 1.5\nx"]
    wide = cli(*args, env={"COLUMNS": "160"}).stdout
    narrow = cli(*args, env={"COLUMNS": "60"}).stdout
    assert max(map(len, narrow.splitlines())) <= 60
    assert max(map(len, wide.splitlines())) <= 160
    assert wide != narrow


# ================================================================ determinism

EVERY_COMMAND = [
    ["run", "-e", "x = ones(2, requires_grad=True)\nprint((x * 2).grad_fn, x)"],
    *[[*v[0]] for v in JSON_CASES.values()],
    ["explain", "-e", "x = tensor(2.0)\ny = x * x + 3 * x", "--wrt", "x"],
    ["graph", "-e", GRAPH_PROG, "--format", "dot"],
    ["graph", "-e", GRAPH_PROG, "--format", "mermaid"],
    ["graph", "-e", GRAPH_PROG, "--values"],
]


@pytest.mark.parametrize("fmt", ["table", "plain", "json"])
@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: a[0])
def test_output_is_byte_identical_between_runs(args: list[str], fmt: str) -> None:
    if "--format" in args:  # graph's own --format (dot, mermaid) chose already
        if fmt != "table":
            pytest.skip("the format is part of the command")
        extra: list[str] = []
    else:
        extra = ["--format", fmt] if fmt != "table" or args[0] != "graph" else []
    first, second = cli(*args, *extra), cli(*args, *extra)
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stderr_bytes == second.stderr_bytes
    assert not ANSI.search(first.stdout)


# ================================================================ real processes

GRADCLI = [sys.executable, "-m", "gradcli"]


def _proc(args: list[str], *, input: bytes | None = None, env: dict[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    base.update({"COLUMNS": "100"}, **(env or {}))
    return subprocess.run([*GRADCLI, *args], input=input, capture_output=True, env=base,
                          cwd=cwd, timeout=120, check=False)


def test_process_stdin_and_byte_identical_output() -> None:
    text = f"{SEED_DOT}\nprint(y)\n".encode()
    a = _proc(["eval", "-", "--wrt", "x"], input=text)
    b = _proc(["eval", "-", "--wrt", "x"], input=text)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stderr == b.stderr == b""
    assert b"\x1b[" not in a.stdout
    assert b"tensor(28., grad_fn=<MulBackward0>)\n" in a.stdout  # the program's print


def test_process_exit_codes_and_streams(tmp_path: Path) -> None:
    (tmp_path / "bad.gd").write_text("x = ones(2)\ny = x + ones(3)\n")
    r = _proc(["run", "bad.gd"], cwd=tmp_path)
    assert r.returncode == 4 and r.stdout == b""
    assert r.stderr.startswith(b"bad.gd:2:5: error: The size of tensor a (2)")
    r = _proc(["run", "-e", "x = (1"])
    assert r.returncode == 3 and r.stderr.startswith(b"<expr>:1:5: error: ")
    r = _proc(["run", "missing.gd"], cwd=tmp_path)
    assert r.returncode == 2 and b"no such file" in r.stderr


def test_version() -> None:
    r = cli("--version")
    assert r.exit_code == 0 and r.stdout.startswith("gradcli, version ")


def test_help_documents_the_exit_codes() -> None:
    r = cli("--help")  # once, in the main help; each command points there
    assert r.exit_code == 0
    for code in ("0  success", "1  an assert", "2  usage error", "3  syntax error",
                 "4  runtime error", "70 internal error"):
        assert code in r.stdout
    sub = cli("run", "--help").stdout
    assert "Exit codes: see gradcli --help." in sub and "0  success" not in sub


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run gradcli with stdout on a pseudo-terminal; what it wrote there."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    base.update({"COLUMNS": "100", "TERM": "xterm-256color"}, **env)
    try:
        proc = subprocess.Popen([*GRADCLI, *args], stdout=slave, stderr=subprocess.DEVNULL,
                                env=base)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
    finally:
        os.close(master)
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_and_no_color_honoured() -> None:
    args = ["eval", "-e", SEED_DOT, "--wrt", "x"]
    coloured = _on_a_terminal(args, {})
    assert b"\x1b[" in coloured
    plain = _on_a_terminal(args, {"NO_COLOR": "1"})
    assert plain and b"\x1b[" not in plain
    flag = _on_a_terminal([*args, "--no-color"], {})
    assert flag and b"\x1b[" not in flag


# ================================================================ error data → CLI words


def test_limit_and_input_errors_are_worded_from_their_data() -> None:
    from gradcli.cli import format_error
    from gradcli.errors import GdInputError, GdLimitError

    e = GdLimitError("step limit reached: more than 10 loop iterations and calls",
                     hint="an endless loop?", limit="max_steps")
    assert format_error(e, None) == (
        "gradcli: error: step limit reached: more than 10 loop iterations and calls\n"
        "hint: an endless loop? raise the limit with --max-steps N\n")
    memory = GdLimitError("out of memory", hint="free some tensors", limit="max_memory")
    assert format_error(memory, None).endswith(
        "hint: free some tensors; raise the limit with --max-memory\n")
    named = GdLimitError("too big", hint="raise it with --max-elements", limit="max_elements")
    assert format_error(named, None).endswith("hint: raise it with --max-elements\n")
    e2 = GdInputError("the program never assigns 'x' (outside functions)", role="wrt",
                      name="x")
    assert format_error(e2, None) == ("gradcli: error: --wrt x: the program never assigns "
                                      "'x' (outside functions)\n")


def test_exit_status_is_carried_by_the_error_classes() -> None:
    import click

    from gradcli import errors
    from gradcli.cli import exit_status

    assert exit_status(errors.GdAssertionError("a")) == 1
    assert exit_status(errors.UsageError("u")) == 2
    assert exit_status(errors.GdInputError("i", role="set", name="x")) == 2
    assert exit_status(errors.GdSyntaxError("s")) == 3
    assert exit_status(errors.GdSourceLimitError("big", limit="max_program_size")) == 4
    assert exit_status(errors.GdRuntimeError("r")) == 4
    assert exit_status(errors.GdLimitError("l")) == 4
    assert exit_status(click.UsageError("bad flag")) == 2
    assert exit_status(RuntimeError("bug")) == 70
