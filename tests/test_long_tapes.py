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
from gradcli.records import replace
from gradcli.render import render_graph
from gradcli.render.json_out import dumps, to_json
from gradcli.render.stream import stream_result, write_json
from gradcli.render.summary import HEAD, TAIL, find_repeats, summarise
from gradcli.results import CheckResult, GraphNode, GraphResult, NodeCheck

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


WHILE = ("x = tensor(0.5, requires_grad=True)\ny = x\ni = 0\nwhile i < 100:\n"
         "    y = y * 0.99\n    i += 1\ny\n")
NESTED = ("x = tensor(0.5, requires_grad=True)\ny = x\nfor j in range(20):\n"
          "    y = y * 2.0\n    for i in range(50):\n        y = sin(y)\ny\n")
ALTERNATING = ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(100):\n"
               "    if i % 2 == 0:\n        y = y * 0.99\n    else:\n        y = sin(y) + x\ny\n")
SEQUENCE = ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(50):\n"
            "    y = y * 0.99\nk = 0\nwhile k < 30:\n    y = cos(y)\n    k += 1\ny\n")
LOOPS = {"for": loop(100), "while": WHILE, "nested": NESTED, "alternating": ALTERNATING,
         "sequence": SEQUENCE}
VIEWS = [("graph", "plain"), ("graph", "tree"), ("explain", "plain"), ("explain", "table")]


@pytest.mark.parametrize("name", list(LOOPS))
@pytest.mark.parametrize("view,fmt", VIEWS)
def test_golden_loop_summaries(tmp_path: Any, name: str, view: str, fmt: str) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(LOOPS[name])
    r = cli(view, str(prog), "--wrt", "x", "--format", fmt)
    assert r.exit_code == 0
    _assert_golden(f"{name}_{view}_{fmt}", r.stdout)
    assert "not shown" in r.stdout and len(r.stdout.splitlines()) < 100


def _flat(*args: str) -> str:
    return " ".join(cli(*args).stdout.split())


def test_summary_names_the_loop_in_place(tmp_path: Any) -> None:
    prog = tmp_path / "loop.gd"
    prog.write_text(loop(100))
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout.splitlines()
    # The note stands where the nodes were: between iteration 1's last node and 100's first.
    at = next(k for k, line in enumerate(out) if line.startswith("  …"))
    assert out[at - 1].startswith("  #4 y = add(#1, #3)")
    assert out[at + 2].startswith("  #397 mul(#396)")
    assert (" ".join(" ".join(out[at:at + 2]).split()) ==
            "… iterations 2–99 of for at line 3: the same 4 nodes each (mul 4:9, sin 4:22, "
            "mul 4:22, add 4:9), #5–#396 not shown")
    assert out[0] == "graph  401 nodes in creation order (9 shown), result #400"
    explain = _flat("explain", str(prog), "--wrt", "x", "--format", "plain")
    assert ("#397 mul MulBackward0 line 4:9 incoming ∂out/∂node = 1. grad_a = grad · b -> "
            "#396 y = add = 0.9999 … iterations 2–99 of for at line 3: the same 4 steps each "
            "(add 4:9, mul 4:22, sin 4:22, mul 4:9), #396–#5 not shown #4 y = add") in explain


def test_while_loop_note_as_the_issue_words_it(tmp_path: Any) -> None:
    prog = tmp_path / "w.gd"
    prog.write_text(WHILE)
    assert ("… iterations 2–99 of while at line 4: the same 1 node each (mul 5:9), #2–#99 "
            "not shown") in _flat("graph", str(prog), "--wrt", "x", "--format", "plain")


def test_tree_tells_the_gap_where_an_input_went(tmp_path: Any) -> None:
    prog = tmp_path / "w.gd"
    prog.write_text(WHILE)
    out = cli("graph", str(prog), "--wrt", "x").stdout.splitlines()
    assert out == [
        "graph  ·  101 nodes (3 shown), from the result down to the leaves",
        "#100 y = mul  MulBackward0  [] float32  line 5:9",
        "└── … iterations 2–99 of while at line 4: the same 1 node each (mul 5:9), #2–#99 not "
        "shown",
        "    └── #1 y = mul  MulBackward0  [] float32  line 5:9",
        "        └── #0 x  leaf  requires_grad  [] float32",
    ]


def test_loop_with_a_branch_is_not_collapsed_wrongly(tmp_path: Any) -> None:
    # Iteration 51 takes the other branch: the iterations before and after it collapse
    # apart, and the differing iteration's node (a cos at line 5) is shown.
    body = "    if i == 50:\n        y = cos(y)\n    else:\n        y = y * 0.9999\n"
    prog = tmp_path / "branch.gd"
    prog.write_text(loop(100, body))
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout
    assert "#51 y = cos(#50)  CosBackward0  [] float32  line 5:13" in out
    flat = " ".join(out.split())
    assert "… iterations 2–49 of for at line 3: the same 1 node each (mul 7:13)" in flat
    assert "… iterations 53–99 of for at line 3: the same 1 node each (mul 7:13)" in flat


def test_alternating_iterations_collapse_by_their_pattern(tmp_path: Any) -> None:
    prog = tmp_path / "alt.gd"
    prog.write_text(ALTERNATING)
    flat = _flat("graph", str(prog), "--wrt", "x", "--format", "plain")
    assert ("… iterations 3–98 of for at line 3: the same 2 iterations in turn, 3 nodes every 2 "
            "(mul 5:13, sin 7:13, add 7:13), #4–#147 not shown") in flat


def test_nested_loops_collapse_at_both_levels(tmp_path: Any) -> None:
    prog = tmp_path / "nest.gd"
    prog.write_text(NESTED)
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout
    nodes = [line.split()[0] for line in out.splitlines() if line.startswith("  #")]
    assert nodes == ["#0", "#1", "#2", "#51", "#970", "#971", "#1020"]
    flat = " ".join(out.split())
    assert ("… iterations 2–19 of for at line 3: the same 51 nodes each (mul 4:9, 50 × sin "
            "6:13), #52–#969 not shown") in flat
    assert ("… iterations 2–49 of for at line 5: the same 1 node each (sin 6:13), #3–#50 not "
            "shown") in flat
    assert "#972–#1019 not shown" in flat


def test_many_loops_keep_the_summary_short(tmp_path: Any) -> None:
    prog = tmp_path / "many.gd"
    body = "".join(f"for i in range(5):\n    y = y * {k + 2}.0\ny = sin(y)\n" for k in range(40))
    prog.write_text(f"x = tensor(0.5, requires_grad=True)\ny = x\n{body}y\n")
    out = cli("graph", str(prog), "--wrt", "x", "--format", "plain").stdout
    assert len(out.splitlines()) < HEAD + TAIL + 10
    flat = " ".join(out.split())
    assert "… 151 nodes not shown between the first 40 and the last 20 lines: 5 × mul at" in flat
    assert "iterations 2–4 of for at line 108: the same 1 node each (mul 109:9)" in flat


def test_without_loop_marks_repetition_is_found_on_the_rows() -> None:
    # A listing built without the interpreter's marks: today's detection, in place.
    nodes = [GraphNode(0, "x", "leaf", None, (), "float32", True, True, None, None)]
    nodes += [GraphNode(i, None, "sin", "SinBackward0", (), "float32", False, True, 4, 9)
              for i in range(1, 100)]
    result = GraphResult(nodes, [(i - 1, i) for i in range(1, 100)], 99)
    shown, note = summarise(result, full=False)
    assert note is None
    assert [getattr(n, "id", None) for n in shown.nodes] == [0, 1, None, 99]
    assert shown.nodes[2].text == ("… #2–#98 not shown: the same 1 node (sin 4:9) repeated 97 "
                                   "more times (a loop's body, once per iteration)")


def test_loop_marks_are_recorded_only_for_a_view() -> None:
    from gradcli.app.rows import loop_runs
    from gradcli.interp.runstate import RunOptions
    from gradcli.interp.runtime import Program
    from gradcli.source import Source

    src = Source("p.gd", NESTED.replace("20", "3").replace("50", "2"))
    plain = Program.compile(src, RunOptions())
    plain.run()
    assert len(plain.rt.loop_marks) == 0
    viewed = Program.compile(src, RunOptions(record_tape=True))
    res = viewed.run()
    marks = viewed.rt.loop_marks
    # (loop, iteration, node number) triples: the inner loop is control 0 (compiled
    # first), the outer control 1; an iteration number 0 marks where a run ended.
    assert [(marks[k], marks[k + 1]) for k in range(0, len(marks), 3)] == [
        (1, 1), (0, 1), (0, 2), (0, 0), (1, 2), (0, 1), (0, 2), (0, 0),
        (1, 3), (0, 1), (0, 2), (0, 0), (1, 0)]
    seqs = [node.seq for node in res.tape]
    runs = loop_runs(marks, ["for at line 5", "for at line 3"], seqs)
    assert runs is not None
    assert [(r.name, r.iterations) for r in runs] == [
        ("for at line 5", [(1, 1, 2), (2, 2, 3)]), ("for at line 5", [(1, 4, 5), (2, 5, 6)]),
        ("for at line 5", [(1, 7, 8), (2, 8, 9)]),
        ("for at line 3", [(1, 0, 3), (2, 3, 6), (3, 6, 9)])]


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
    # The same steps as a list of ExplainStep (no plain tuples from the app to read).
    listed = replace(result, steps=list(result.steps))
    assert buf.getvalue() == render(listed, fmt, width=250, full=True) + "\n"
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
