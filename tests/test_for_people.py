"""Small helps for people (issue 13): graph suggests --wrt when nothing was recorded, and
eval without --wrt differentiates the program's own leaves that require grad."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from gradcli.cli import main


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"},
                              catch_exceptions=False, prog_name="gradcli")


def test_graph_with_nothing_recorded_suggests_wrt() -> None:
    prog = "x = tensor(2.0); y = x * x + 3 * x"
    hint = ("hint: nothing requires grad: name an input with --wrt x, or create it with "
            "requires_grad=True")
    for fmt in ("tree", "plain"):
        r = cli("graph", "-e", prog, "--format", fmt)
        assert r.exit_code == 0
        assert hint in r.stdout.splitlines()
    data = json.loads(cli("graph", "-e", prog, "--format", "json").stdout)
    assert data["nodes"] == [] and data["hint"] == hint[len("hint: "):]
    r = cli("graph", "-e", prog, "--wrt", "x", "--format", "plain")
    assert "hint:" not in r.stdout and "MulBackward0" in r.stdout


def test_eval_without_wrt_differentiates_the_programs_own_leaves() -> None:
    prog = ("x = tensor(2.0, requires_grad=True); w = tensor(1.0, requires_grad=True); "
            "c = tensor(5.0, requires_grad=True); y = w * x * x + 3 * x")
    data = json.loads(cli("eval", "-e", prog, "--format", "json").stdout)
    # dy/dx = 2wx + 3 = 7, dy/dw = x² = 4; c is not reached, so not listed
    assert data["grads"] == {"x": {"shape": [], "dtype": "float32", "value": 7.0},
                             "w": {"shape": [], "dtype": "float32", "value": 4.0}}
    r = cli("eval", "-e", prog)
    assert "gradient ∂y/∂x" in r.stdout and "gradient ∂y/∂w" in r.stdout
    # nothing requires grad, or a non-scalar result: the value alone, as before
    assert json.loads(cli("eval", "-e", "x = tensor(2.0); x * x", "--format",
                          "json").stdout)["grads"] == {}
    assert json.loads(cli("eval", "-e", "x = tensor([1.0, 2.0], requires_grad=True); x * 2",
                          "--format", "json").stdout)["grads"] == {}


def test_explain_shows_the_broadcast_reduction_as_its_own_step() -> None:
    prog = ("x = tensor([[1.0, 2.0], [3.0, 4.0]]); b = tensor([1.0, 1.0]); "
            "y = ((x + b) ** 2).sum()")
    data = json.loads(cli("explain", "-e", prog, "--wrt", "b", "--format", "json").stdout)
    to_b = [f for s in data["steps"] for f in s["flows"] if f["to_label"] == "b"]
    assert len(to_b) == 1
    # d/db Σ(x + b)² = Σ over rows of 2(x + b): [2·(2+4), 2·(3+5)] = [12, 16], shape [2]
    assert to_b[0]["value"] == {"shape": [2], "dtype": "float32", "value": [12.0, 16.0]}
    assert to_b[0]["summed"] == "summed over dim 0 (broadcast)"
    table = cli("explain", "-e", prog, "--wrt", "b").stdout
    assert "summed over dim 0" in table
    assert "+= sum" not in table  # the legend only when something was summed twice
    plain = cli("explain", "-e", prog, "--wrt", "b", "--format", "plain").stdout
    assert "->  #0 b = [12., 16.]  (summed over dim 0 (broadcast))" in plain
    twice = cli("explain", "-e", "x = tensor(2.0); y = x * x", "--wrt", "x").stdout
    assert "+= sum: the input already got a gradient" in twice


def test_shell_completion_as_the_readme_says() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    script = Path(sys.executable).parent / "gradcli"
    if not script.exists():
        pytest.skip("the gradcli script is not installed beside this Python")
    env = {**os.environ, "_GRADCLI_COMPLETE": "bash_complete", "COMP_WORDS": "gradcli ev",
           "COMP_CWORD": "1"}
    out = subprocess.run([str(script)], env=env, capture_output=True, check=False)
    assert out.stdout.decode().split() == ["plain,eval"]


LOOP = ("x = tensor(1.0, requires_grad=True)\ny = x\ni = 0\nwhile i < 3000:\n"
        "    y = y * 1.0001 + 0.001\n    i += 1\ny\n")


def test_long_tapes_are_summarised_unless_full(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(LOOP)
    # The loop's 3,000 iterations are the same 2 nodes: the first and last are shown.
    note = ("… iterations 2–2,999 of while at line 4: the same 2 nodes each (mul 5:9, add "
            "5:9), #3–#5998 not shown")
    for fmt in ("tree", "plain"):
        out = cli("graph", str(prog), "--format", fmt).stdout
        assert len(out.splitlines()) < 200
        assert note in " ".join(out.split())
    assert len(cli("graph", str(prog), "--format", "plain", "--full").stdout.splitlines()) > 6000
    assert len(json.loads(cli("graph", str(prog), "--format", "json").stdout)["nodes"]) == 6001
    explain = cli("explain", str(prog), "--wrt", "x").stdout
    assert len(explain.splitlines()) < 300
    assert "iterations 2–2,999 of while at line 4: the same 2 steps each (add 5:9, mul" in (
        " ".join(cli("explain", str(prog), "--wrt", "x", "--format", "plain").stdout.split()))
    assert "not shown" not in cli("explain", str(prog), "--wrt", "x", "--full").stdout
    check = cli("check", str(prog), "--wrt", "x", "--format", "plain")
    assert check.exit_code == 0 and len(check.stdout.splitlines()) < 200
    assert "rule checks: 30 of 6,000 nodes checked" in " ".join(check.stdout.split())


CHAIN = ("def inner(a):\n"
         "    return a @ tensor([1.0, 2.0, 3.0])\n"
         "\n"
         "def outer(a):\n"
         "    print('in outer')\n"
         "    return inner(a) * 2\n"
         "\n"
         "x = tensor([1.0, 2.0])\n"
         "print('before')\n"
         "y = outer(x).sum()\n")
# torch 2.13: torch.tensor([1., 2.]) @ torch.tensor([1., 2., 3.])
MATMUL_1D = ("inconsistent tensor size, expected tensor [2] and src [3] to have the same number "
             "of elements, but got 2 and 3 elements respectively")
ERROR = (f"chain.gd:2:12: error: {MATMUL_1D}\n"
         "    return a @ tensor([1.0, 2.0, 3.0])\n"
         "           ^~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
         "call chain (outermost first):\n"
         "  chain.gd:10:5: y = outer(x).sum()\n"
         "  chain.gd:6:12: return inner(a) * 2\n"
         "  chain.gd:2:12: return a @ tensor([1.0, 2.0, 3.0])\n")
SECTION = {"table": "output  ·  printed by the program\n  before\n  in outer\n",
           "plain": "output (printed by the program)\n  before\n  in outer\n"}
COMMANDS = [["eval", "--wrt", "x"], ["grad", "--wrt", "x"], ["jvp", "--wrt", "x", "--tangent",
            "[1, 0]"], ["vjp", "--wrt", "x", "--cotangent", "1"], ["jacobian", "--wrt", "x"],
            ["graph", "--wrt", "x"], ["check", "--wrt", "x"], ["explain", "--wrt", "x"],
            ["plot", "--wrt", "x", "--from", "0", "--to", "1", "--direction", "[1, 0]"]]


def test_what_was_printed_is_kept_on_error_under_every_command_and_format(
        tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chain.gd").write_text(CHAIN)
    r = cli("run", "chain.gd")  # run streams the prints as they happen
    assert (r.exit_code, r.stdout, r.stderr) == (4, "before\nin outer\n", ERROR)
    for args in [["run"], *COMMANDS]:
        r = cli(*args[:1], "chain.gd", *args[1:], "--format", "json")
        data = json.loads(r.stdout)
        assert (r.exit_code, data["output"]) == (4, "before\nin outer\n"), args
        assert data["error"]["message"] == MATMUL_1D
        assert [c["source"] for c in data["error"]["calls"]] == ["y = outer(x).sum()",
                                                                 "return inner(a) * 2"]
        for fmt in ("table", "plain"):
            shown = "tree" if args[0] == "graph" and fmt == "table" else fmt
            r = cli(*args[:1], "chain.gd", *args[1:], "--format", shown)
            assert r.exit_code == 4 and r.stderr == ERROR, (args, fmt)
            assert r.stdout == (SECTION[fmt] if args != ["run"] else "before\nin outer\n")


def test_a_failed_assert_says_its_message_and_condition() -> None:
    r = cli("eval", "-e", "x = tensor(2.0)\nprint('checked')\nassert x < 1, 'x too big'\nx",
            "--wrt", "x", "--format", "plain")
    assert r.exit_code == 1
    assert r.stdout == "output (printed by the program)\n  checked\n"
    assert r.stderr == ("<expr>:3:8: error: assertion failed: x too big (x < 1)\n"
                        "assert x < 1, 'x too big'\n"
                        "       ^~~~~\n")
