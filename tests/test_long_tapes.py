"""Long tapes stay readable (issue 13 item 3) and stream (issue 12 W8): graph, explain and
check summarise a long listing by default (a loop's repeated iterations collapse, long
tables keep their first and last rows, check lists failures first), --full prints every
row, and long JSON / --full plain output is written row by row with the same bytes as the
non-streaming renderers.

Golden summaries live in tests/golden/summary/ (GRADCLI_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gradcli.cli import main
from gradcli.render import render_graph
from gradcli.render.json_out import dumps, to_json
from gradcli.render.stream import stream_result, write_json
from gradcli.render.summary import HEAD, TAIL, find_repeats, summarise
from gradcli.results import CheckResult, NodeCheck

GOLDEN = Path(__file__).parent / "golden" / "summary"
UPDATE = os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1"
BUDGET = 300  # lines of any default (summarised) view


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"},
                              catch_exceptions=False, prog_name="gradcli")


def loop(n: int, body: str = "    y = y * 0.9999 + sin(x) * 0.0001\n") -> str:
    return f"x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range({n}):\n{body}y\n"


def _runs(codes: list[int]) -> list[tuple[int, int, int]]:
    return [(r.start, r.period, r.count) for r in find_repeats(codes)]


# ------------------------------------------------------------------ recognising repetition

def test_one_loop_body_repeats() -> None:
    # A leaf, then 5 iterations of a 4-op body, then one more op.
    assert _runs([9] + [1, 2, 3, 4] * 5 + [7]) == [(1, 4, 5)]


def test_two_different_loops_are_two_runs() -> None:
    assert _runs([1, 2] * 4 + [3, 4, 5] * 3) == [(0, 2, 4), (8, 3, 3)]


def test_nested_loops_collapse_the_inner_body_per_outer_iteration() -> None:
    # Outer body: op 8, then an inner loop of 4 iterations of [1, 2], then op 9.
    outer = [8] + [1, 2] * 4 + [9]
    # The whole outer body repeats too: the outer repetition is the one found (shortest
    # block at the first row where any repeats), covering the inner ones.
    assert _runs(outer * 3) == [(0, 10, 3)]
    # Outer iterations that differ (inner loops of 4, 5, 6 iterations): each inner run on
    # its own, the outer ops between them stay.
    rows = [8] + [1, 2] * 4 + [9] + [8] + [1, 2] * 5 + [9] + [8] + [1, 2] * 6 + [9]
    assert _runs(rows) == [(1, 2, 4), (11, 2, 5), (23, 2, 6)]


def test_iterations_that_differ_are_not_collapsed_together() -> None:
    # An `if` inside: iteration 3 takes the other branch (op 5 instead of 2).
    rows = [1, 2] * 3 + [1, 5] + [1, 2] * 3
    runs = _runs(rows)
    assert runs == [(0, 2, 3), (8, 2, 3)]
    covered = {i for s, p, c in runs for i in range(s, s + p * c)}
    assert 6 not in covered and 7 not in covered  # the differing iteration stays apart


def test_too_few_repeats_are_left_alone() -> None:
    assert _runs([1, 2, 1, 2, 3]) == []


# ------------------------------------------------------------------ the views, summarised

def _assert_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing: run with GRADCLI_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs"


@pytest.mark.parametrize("view,fmt", [("graph", "plain"), ("graph", "tree"),
                                      ("explain", "plain"), ("explain", "table")])
def test_golden_loop_summaries(tmp_path: Any, view: str, fmt: str) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(100))
    args = [view, str(prog), "--wrt", "x", "--format", fmt]
    r = cli(*args)
    assert r.exit_code == 0
    _assert_golden(f"{view}_{fmt}", r.stdout)
    assert "repeated 98 more times" in " ".join(r.stdout.split())


def test_summary_names_the_repeated_block(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(100))
    out = " ".join(cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout.split())
    assert ("… #5–#396 not shown: the same 4 nodes (mul 4:9, sin 4:22, mul 4:22, add 4:9) "
            "repeated 98 more times") in out


def test_loop_with_a_branch_is_not_collapsed_wrongly(tmp_path: Any) -> None:
    # Iteration 50 takes the other branch: the runs before and after it collapse apart,
    # and the differing iteration's nodes (a cos at line 6) are shown.
    body = "    if i == 50:\n        y = cos(y)\n    else:\n        y = y * 0.9999\n"
    prog = tmp_path / "branch.gd"
    prog.write_text(loop(100, body))
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout
    assert "cos(#50)  CosBackward0  [] float32  line 5:13" in out
    flat = " ".join(out.split())
    assert "the same 1 node (mul 7:13) repeated 48 more times" in flat
    assert "the same 1 node (mul 7:13) repeated 47 more times" in flat


def test_nested_loops_collapse_at_both_levels(tmp_path: Any) -> None:
    prog = tmp_path / "nest.gd"
    prog.write_text("x = tensor(0.5, requires_grad=True)\ny = x\nfor j in range(20):\n"
                    "    y = y * 2.0\n    for i in range(50):\n        y = sin(y)\ny\n")
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout
    nodes = [line.split()[0] for line in out.splitlines() if line.startswith("  #")]
    assert nodes == ["#0", "#1", "#2", "#51", "#970", "#971", "#1020"]
    flat = " ".join(out.split())
    assert "#52–#969 not shown: the same 51 nodes (mul 4:9, 50 × sin 6:13) repeated 18" in flat
    assert "#3–#50 not shown: the same 1 node (sin 6:13) repeated 48 more times" in flat
    assert "#972–#1019 not shown: the same 1 node (sin 6:13) repeated 48 more times" in flat


def test_many_loops_keep_the_notes_short(tmp_path: Any) -> None:
    prog = tmp_path / "many.gd"
    body = "".join(f"for i in range(5):\n    y = y * {k + 2}.0\ny = sin(y)\n" for k in range(40))
    prog.write_text(f"x = tensor(0.5, requires_grad=True)\ny = x\n{body}y\n")
    out = " ".join(cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout.split())
    assert out.count("not shown: the same") == 12
    assert "… and 28 more repeated runs collapsed" in out


def _lines(*args: str) -> list[str]:
    r = cli(*args)
    assert r.exit_code == 0, r.stdout + r.stderr
    return r.stdout.splitlines()


def test_full_prints_every_node_and_step(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(200))  # 801 nodes: x and 4 per iteration; 800 backward steps
    graph = _lines("graph", str(prog), "--wrt", "x", "--format", "plain", "--full")
    assert len(graph) == 1 + 801 and graph[-1].endswith("<- result")
    explain = _lines("explain", str(prog), "--wrt", "x", "--format", "plain", "--full")
    steps = [line for line in explain if line.startswith("  #")]
    assert len(steps) == 800
    tree = _lines("graph", str(prog), "--wrt", "x", "--full")
    assert sum(1 for line in tree if "#" in line and "(see #" not in line) >= 801
    assert len(json.loads(cli("graph", str(prog), "--wrt", "x", "--format",
                              "json").stdout)["nodes"]) == 801


def test_streamed_json_is_the_same_bytes(tmp_path: Any) -> None:
    from gradcli import app
    from gradcli.app import load_source
    from gradcli.app.inputs import AppOptions

    prog = tmp_path / "loop.gd"
    prog.write_text(loop(30))
    source = load_source(str(prog), None)
    for compute in (app.graph, app.explain):
        result = compute(source, AppOptions(wrt=["x"]))
        buf = io.StringIO()
        write_json(to_json(result, lazy=True), buf.write)
        assert buf.getvalue() == dumps(to_json(result))
    graph = app.graph(source, AppOptions(wrt=["x"]))
    for fmt in ("tree", "plain", "dot", "mermaid"):
        buf = io.StringIO()
        assert stream_result(graph, fmt, buf.write, width=100, full=True)
        assert buf.getvalue() == render_graph(graph, fmt, width=100, full=True) + "\n"
    assert dumps({"a": [], "b": 1}) == _streamed({"a": iter([]), "b": 1})
    assert dumps({}) == _streamed({})


# Programs whose explain tables have every kind of row: several inputs, an input used
# twice (+= sum), broadcasting (summed over a dim), a node with no input needing a
# gradient, long labels; all longer than a summary.
EXPLAINED = {
    "chain": loop(40),
    "broadcast": ("a = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
                  "b = tensor([0.5, -1.0], requires_grad=True)\nt = a\n"
                  "for i in range(30):\n    t = t * b + a\n(t * t).sum()\n"),
    "two_inputs": ("x = tensor(0.5, requires_grad=True)\nw = tensor(2.0, requires_grad=True)\n"
                   "a_rather_long_variable_name = x\nfor i in range(25):\n"
                   "    a_rather_long_variable_name = tanh(a_rather_long_variable_name * w) + x\n"
                   "a_rather_long_variable_name\n"),
}


@pytest.mark.parametrize("name", list(EXPLAINED))
@pytest.mark.parametrize("fmt", ["table", "plain", "json"])
def test_streamed_explain_is_the_same_bytes(tmp_path: Any, name: str, fmt: str) -> None:
    from gradcli import app
    from gradcli.app import load_source
    from gradcli.app.inputs import AppOptions
    from gradcli.render import render

    prog = tmp_path / "p.gd"
    prog.write_text(EXPLAINED[name])
    wrt = ["x", "w"] if name == "two_inputs" else ["a", "b"] if name == "broadcast" else ["x"]
    result = app.explain(load_source(str(prog), None), AppOptions(wrt=wrt))
    assert len(result.steps) > HEAD + TAIL
    buf = io.StringIO()
    assert stream_result(result, fmt, buf.write, width=250, full=True)
    assert buf.getvalue() == render(result, fmt, width=250, full=True) + "\n"
    if fmt == "table":  # narrower than its cells: they fold within their columns
        buf = io.StringIO()
        assert stream_result(result, fmt, buf.write, width=60, full=True)
        lines = buf.getvalue().splitlines()
        assert max(len(line) for line in lines) <= 60
        starts = [line.split("│")[1].strip() for line in lines
                  if line.startswith("│ #") and line.count("│") == 6]
        assert starts == [f"#{s.id}" for s in result.steps] or len(starts) == len(
            result.steps)


def test_streamed_table_folds_what_does_not_fit() -> None:
    from gradcli.render.stream import _fit, _row

    assert _fit([30, 10, 40], 60) == [20, 10, 20]
    assert _row([["abcdefgh"], ["x"]], [3, 2]) == ["│ abc │ x  │", "│ def │    │",
                                                   "│ gh  │    │"]


def _streamed(obj: dict[str, Any]) -> str:
    buf = io.StringIO()
    write_json(obj, buf.write)
    return buf.getvalue()


def test_check_lists_failures_first() -> None:
    nodes = [NodeCheck(i, "mul", "MulBackward0", 3, 9, i not in (70, 90), 0.0, 0.0)
             for i in range(100)]
    shown, note = summarise(CheckResult(False, [], nodes, 1e-4, 1e-6), full=False)
    assert [n.id for n in shown.nodes[:2]] == [70, 90]
    assert len(shown.nodes) == HEAD + TAIL
    assert note is not None and "40 node checks not shown" in note


def test_check_of_a_long_loop_samples_each_op(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(3000))
    r = cli("check", str(prog), "--wrt", "x", "--format", "json")
    obj = json.loads(r.stdout)
    assert r.exit_code == 0 and obj["ok"] is True
    # Per op and source position: the first 4 (k = 0..3), every power of two from 4 to 2048
    # (10), the last.
    per_kind: dict[tuple[str, int], int] = {}
    for n in obj["nodes"]:
        per_kind[(n["op"], n["column"])] = per_kind.get((n["op"], n["column"]), 0) + 1
    assert per_kind == {("mul", 9): 15, ("sin", 22): 15, ("mul", 22): 15, ("add", 9): 15}
    assert obj["nodes_checkable"] == 12_000
    text = cli("check", str(prog), "--wrt", "x").stdout
    assert "rule checks: 60 of 12,000 nodes checked" in " ".join(text.split())


# ------------------------------------------------------------------ the line budget

def _budget(prog: Path, *limits: str) -> None:
    for view, fmts in (("graph", ("tree", "plain", "dot", "mermaid")),
                       ("explain", ("table", "plain")), ("check", ("table", "plain"))):
        for fmt in fmts:
            if fmt in ("dot", "mermaid"):
                continue  # drawings of the whole graph: no summary (see the README)
            lines = _lines(view, str(prog), "--wrt", "x", "--format", fmt, *limits)
            assert len(lines) < BUDGET, (view, fmt, len(lines))


def test_default_views_stay_under_the_line_budget(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(3000))
    _budget(prog)


def test_default_views_stay_under_the_line_budget_100k(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(100_000))
    # Under the default memory cap (2G); the time cap raised for a busy machine.
    _budget(prog, "--max-time", "3000")
