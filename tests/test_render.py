"""Tests for gradcli.render: JSON shapes, golden table/plain/graph text, errors, lazy rich.

Golden files live in tests/golden/render/ (one per result and format, rendered at width
100 without colour). After an intended change of the output, regenerate them with

    GRADCLI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py

and review the diff (`git diff tests/golden/render`) before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gradcli.render import FORMATS, render, render_error, render_graph
from gradcli.render.numbers import align_decimal, format_number, tensor_grids
from gradcli.results import (
    CheckItem,
    CheckResult,
    ControlFlowInfo,
    ErrorInfo,
    EvalResult,
    ExplainFlow,
    ExplainResult,
    ExplainStep,
    GoldenCase,
    GoldenReport,
    GradResult,
    GraphNode,
    GraphResult,
    JacobianResult,
    JvpResult,
    NodeCheck,
    TensorData,
    VjpResult,
)

GOLDEN = Path(__file__).parent / "golden" / "render"
UPDATE = os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1"
WIDTH = 100


def t(value: Any, dtype: str = "float32") -> TensorData:
    """A TensorData of the given numpy dtype."""
    return TensorData.of(np.asarray(value, dtype=np.dtype(dtype)))


# --------------------------------------------------------------------------- results


def seed_eval() -> EvalResult:
    """The seed example: x = arange(4.0); y = 2·xᵀx = 28, ∂y/∂x = 4x."""
    x = np.arange(4.0)
    return EvalResult(t(2 * x @ x), "y", {"x": t(4 * x)})


def matrix_eval() -> EvalResult:
    """y = (a * b).sum() with 2×2 a, b: each gradient is the other matrix."""
    a = np.array([[1.0, -2.5], [0.125, 3.0]])
    b = np.array([[0.1, 1 / 3], [-1e-5, 2.0]])
    return EvalResult(t((a * b).sum()), "y", {"a": t(b), "b": t(a)})


def rank3_float64_eval() -> EvalResult:
    """A 3-D float64 gradient, shown as [i, :, :] slices."""
    x = np.arange(24.0).reshape(2, 3, 4) / 8
    return EvalResult(t((x**2).sum() / 2, "float64"), "s", {"x": t(x, "float64")})


def odd_values_eval() -> EvalResult:
    """NaN/inf, an empty tensor, a bool and an int tensor, and printed output."""
    return EvalResult(
        t([np.nan, np.inf, -np.inf, 1.5]),
        None,
        {
            "e": t(np.zeros((0, 3)), "float64"),
            "mask": t([[True, False], [False, True]], "bool"),
            "n": t(np.arange(6).reshape(2, 3), "int64"),
            "z": t(-0.0),
        },
        output="tensor([nan, inf, -inf, 1.5000])\ndone\n",
    )


def large_eval() -> EvalResult:
    """Summarised (over 1000 elements) matrix and vector, a long vector that folds."""
    return EvalResult(
        t(np.arange(2000.0).reshape(40, 50), "float64"),
        "big",
        {
            "w": t(np.linspace(0.0, 1.0, 30), "float64"),
            "v": t(np.arange(1500.0), "float64"),
            "u": t(np.arange(80.0).reshape(2, 40) * 1000.5, "float64"),
        },
    )


def hessian_grad() -> GradResult:
    """d²/dx² of 2·xᵀx: 4·I."""
    return GradResult(t(28.0), "y", 2, {"x": t(4 * np.eye(4))})


def jvp_result() -> JvpResult:
    """y = x ** 2 at x = [1, 2, 3] along v = [1, 0, 0]."""
    return JvpResult(t([1.0, 4.0, 9.0]), "y", t([2.0, 0.0, 0.0]), {"x": t([1.0, 0.0, 0.0])})


def vjp_result() -> VjpResult:
    """y = x ** 2 at x = [1, 2, 3] with cotangent v = [1, 1, 1]."""
    return VjpResult(t([1.0, 4.0, 9.0]), "y", {"x": t([2.0, 4.0, 6.0])}, t([1.0, 1.0, 1.0]))


def jacobian_result() -> JacobianResult:
    """y = W @ x with W 2×3: the Jacobian is W."""
    w = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return JacobianResult(t(w @ np.ones(3)), "y", {"x": t(w)})


def check_ok() -> CheckResult:
    """Every comparison within tolerance."""
    return CheckResult(
        True,
        [CheckItem("x", 1.19e-07, 2.3e-08, True)],
        [
            NodeCheck(1, "t", "TBackward0", 2, 9, True, 0.0, 0.0),
            NodeCheck(2, "mm", "MmBackward0", 2, 9, True, 3.1e-10, 1.2e-11),
            NodeCheck(4, "mul", "MulBackward0", 2, 5, True, 4.7e-07, 1.1e-08),
        ],
        rtol=1e-5,
        atol=1e-8,
    )


def check_failed() -> CheckResult:
    """A wrong rule for pow: the input and the node both fail; one error is NaN."""
    return CheckResult(
        False,
        [
            CheckItem(
                "x", 0.5, 0.04, False, t([0.0, 4.0, 8.0, 12.5]), t([0.0, 4.0, 8.0, 12.0], "float64")
            )
        ],
        [
            NodeCheck(1, "pow", "PowBackward0", 3, 5, False, 0.5, float("nan")),
            NodeCheck(2, "sum", "SumBackward0", 3, 5, True, 0.0, 0.0),
        ],
        rtol=1e-5,
        atol=1e-8,
    )


def seed_graph(show_values: bool = False) -> GraphResult:
    """The seed program `x = arange(4.0).reshape(4, 1)`, `y = 2 * mm(x.T, x)`."""
    x = np.arange(4.0).reshape(4, 1)
    nodes = [
        GraphNode(0, "x", "leaf", None, (4, 1), "float32", True, True, 1, 1, t(x), t(4 * x)),
        GraphNode(
            1, None, "t", "TBackward0", (1, 4), "float32", False, True, 2, 12, t(x.T), t(4 * x.T)
        ),
        GraphNode(
            2,
            None,
            "mm",
            "MmBackward0",
            (1, 1),
            "float32",
            False,
            True,
            2,
            9,
            t([[14.0]]),
            t([[2.0]]),
        ),
        GraphNode(3, None, "leaf", None, (), "int64", True, False, 2, 5, t(2, "int64"), None),
        GraphNode(
            4,
            "y",
            "mul",
            "MulBackward0",
            (1, 1),
            "float32",
            False,
            True,
            2,
            5,
            t([[28.0]]),
            t([[1.0]]),
        ),
        GraphNode(5, "z", "neg", "NegBackward0", (4, 1), "float32", False, True, 3, 5, t(-x), None),
    ]
    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (2, 4), (0, 5)]
    return GraphResult(nodes, edges, 4, show_values=show_values)


def seed_explain() -> ExplainResult:
    """The backward pass of the seed program, with a loop and a branch."""
    return ExplainResult(
        t(28.0),
        "y",
        [
            ExplainStep(
                4,
                "y = mul(2, m)",
                "mul",
                "MulBackward0",
                3,
                5,
                t([[1.0]]),
                [ExplainFlow(2, "m", "grad_b = grad · a", t([[2.0]]), False)],
            ),
            ExplainStep(
                2,
                "m = mm(xt, x)",
                "mm",
                "MmBackward0",
                2,
                5,
                t([[2.0]]),
                [
                    ExplainFlow(1, "xt", "grad_a = grad @ bᵀ", t([[0.0, 2.0, 4.0, 6.0]]), False),
                    ExplainFlow(
                        0, "x", "grad_b = aᵀ @ grad", t([[0.0], [2.0], [4.0], [6.0]]), False
                    ),
                ],
            ),
            ExplainStep(
                1,
                "xt = t(x)",
                "t",
                "TBackward0",
                2,
                8,
                t([[0.0, 2.0, 4.0, 6.0]]),
                [ExplainFlow(0, "x", "grad_a = gradᵀ", t([[0.0], [2.0], [4.0], [6.0]]), True)],
            ),
        ],
        {"x": t([[0.0], [4.0], [8.0], [12.0]])},
        [
            ControlFlowInfo("while", 4, 1, "4 iterations", True),
            ControlFlowInfo("if", 6, 1, "took the else branch (1×)", False),
        ],
    )


def golden_report() -> GoldenReport:
    """One pass, one failure with a diff, one updated."""
    diff = "--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n-y = 28.\n+y = 29.\n x\n"
    return GoldenReport(
        [
            GoldenCase("examples/seed.gd", True, "pass"),
            GoldenCase("examples/hessian.gd", False, "fail", diff),
            GoldenCase("examples/new.gd", True, "updated"),
        ],
        updated=True,
    )


RESULTS = {
    "eval_seed": seed_eval,
    "eval_matrix": matrix_eval,
    "eval_rank3_float64": rank3_float64_eval,
    "eval_odd_values": odd_values_eval,
    "eval_large": large_eval,
    "grad_hessian": hessian_grad,
    "jvp": jvp_result,
    "vjp": vjp_result,
    "jacobian": jacobian_result,
    "check_ok": check_ok,
    "check_failed": check_failed,
    "explain": seed_explain,
    "test_report": golden_report,
}

GRAPH_FORMATS = ["tree", "plain", "dot", "mermaid"]


# --------------------------------------------------------------------------- golden text


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/render/NAME (rewrite it under GRADCLI_UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with GRADCLI_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text + "\n" == expected, f"output differs from {path}"


@pytest.mark.parametrize("fmt", ["table", "plain"])
@pytest.mark.parametrize("name", sorted(RESULTS))
def test_text_matches_golden(name: str, fmt: str) -> None:
    # Plain goldens are what a pipe gets: no width (tests/test_narrow.py covers terminals).
    width = WIDTH if fmt == "table" else None
    text = render(RESULTS[name](), fmt, precision=4, width=width, color=False)
    assert "\x1b" not in text
    assert not text.endswith("\n")
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert_golden(f"{name}.{fmt}.txt", text)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
@pytest.mark.parametrize("values", [False, True], ids=["bare", "values"])
def test_graph_matches_golden(fmt: str, values: bool) -> None:
    text = render_graph(seed_graph(values), fmt, precision=4, width=WIDTH, color=False)
    assert "\x1b" not in text
    suffix = "_values" if values else ""
    assert_golden(f"graph{suffix}.{fmt}.txt", text)


@pytest.mark.parametrize("name", sorted(RESULTS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_twice_gives_identical_bytes(name: str, fmt: str) -> None:
    first = render(RESULTS[name](), fmt, width=WIDTH).encode()
    second = render(RESULTS[name](), fmt, width=WIDTH).encode()
    assert first == second


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_table_lines_fit_the_width(name: str) -> None:
    for width in (60, 100):
        text = render(RESULTS[name](), "table", width=width)
        assert max(len(line) for line in text.split("\n")) <= width


def test_color_only_when_asked() -> None:
    assert "\x1b" in render(seed_eval(), "table", color=True)
    assert "\x1b" not in render(seed_eval(), "table", color=False)
    assert "\x1b" not in render_graph(seed_graph(), "tree", color=False)


def test_seed_values_read_as_expected() -> None:
    plain = render(seed_eval(), "plain")
    assert plain.split("\n")[:2] == ["result y  shape=[]  dtype=float32", "  28."]
    assert "   0.   4.   8.  12." in plain
    table = render(seed_eval(), "table")
    assert "│  0. │  4. │  8. │ 12. │" in table


def test_precision_is_significant_digits() -> None:
    r = EvalResult(t(1 / 3, "float64"), "y", {})
    assert render(r, "plain", precision=2).split("\n")[1] == "  0.33"
    assert render(r, "plain", precision=6).split("\n")[1] == "  0.333333"


def test_deep_chain_tree_stays_within_width() -> None:
    # A loop makes a long chain; the tree restarts instead of running off the right edge.
    n = 300
    nodes = [GraphNode(0, "x", "leaf", None, (), "float32", True, True, 1, 1)]
    nodes += [
        GraphNode(i, None, "mul", "MulBackward0", (), "float32", False, True, 3, 9)
        for i in range(1, n)
    ]
    edges = [(i - 1, i) for i in range(1, n)]
    g = GraphResult(nodes, edges, n - 1)
    text = render_graph(g, "tree", width=WIDTH, full=True)
    assert max(len(line) for line in text.split("\n")) <= WIDTH
    assert "(continued)" in text
    assert all(f"#{i} " in text for i in range(n))
    assert len(render_graph(g, "plain", full=True).split("\n")) == n + 1
    # by default: the repeated node once at each end, and a note (wrapped to the width too)
    short = render_graph(g, "tree", width=WIDTH)
    assert max(len(line) for line in short.split("\n")) <= WIDTH
    assert "the same 1 node (mul 3:9) repeated 297 more times" in " ".join(short.split())


# --------------------------------------------------------------------------- JSON

TENSOR_KEYS = {"shape", "dtype", "value"}


def loads_strict(text: str) -> Any:
    """json.loads that rejects NaN/Infinity tokens (what allow_nan=False guarantees)."""

    def reject(token: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=reject)


def test_json_eval_seed() -> None:
    obj = loads_strict(render(seed_eval(), "json"))
    assert list(obj) == ["result", "result_name", "grads"]
    assert obj["result"] == {"shape": [], "dtype": "float32", "value": 28.0}
    assert obj["result_name"] == "y"
    assert obj["grads"] == {"x": {"shape": [4], "dtype": "float32", "value": [0.0, 4.0, 8.0, 12.0]}}


def test_json_keys_per_result() -> None:
    expected = {
        "eval_matrix": ["result", "result_name", "grads"],
        "grad_hessian": ["result", "result_name", "order", "derivatives"],
        "jvp": ["result", "result_name", "jvp", "tangents"],
        "vjp": ["result", "result_name", "vjp", "cotangent"],
        "jacobian": ["result", "result_name", "jacobian"],
        "check_ok": ["ok", "checks", "nodes", "rtol", "atol"],
        "explain": ["result", "result_name", "steps", "grads", "control"],
        "test_report": ["ok", "updated", "cases"],
    }
    for name, keys in expected.items():
        assert list(loads_strict(render(RESULTS[name](), "json"))) == keys, name


def test_json_derivative_tensors() -> None:
    obj = loads_strict(render(hessian_grad(), "json"))
    assert obj["order"] == 2
    assert obj["derivatives"]["x"]["shape"] == [4, 4]
    assert set(obj["derivatives"]["x"]) == TENSOR_KEYS
    assert set(loads_strict(render(jvp_result(), "json"))["jvp"]) == TENSOR_KEYS
    assert set(loads_strict(render(vjp_result(), "json"))["vjp"]["x"]) == TENSOR_KEYS
    assert loads_strict(render(jacobian_result(), "json"))["jacobian"]["x"]["value"] == [
        [1.0, 2.0, 3.0],
        [4.0, 5.0, 6.0],
    ]


def test_json_non_finite_and_odd_values() -> None:
    obj = loads_strict(render(odd_values_eval(), "json"))
    assert obj["result"]["value"] == ["nan", "inf", "-inf", 1.5]
    assert obj["result_name"] is None
    assert obj["grads"]["e"] == {"shape": [0, 3], "dtype": "float64", "value": []}
    assert obj["grads"]["mask"]["value"] == [[True, False], [False, True]]
    assert obj["grads"]["n"]["value"] == [[0, 1, 2], [3, 4, 5]]
    assert obj["output"] == "tensor([nan, inf, -inf, 1.5000])\ndone\n"
    assert "output" not in loads_strict(render(seed_eval(), "json"))


def test_json_check() -> None:
    obj = loads_strict(render(check_failed(), "json"))
    assert obj["ok"] is False
    assert list(obj["checks"][0])[:4] == ["wrt", "max_abs_error", "max_rel_error", "ok"]
    assert obj["checks"][0]["analytic"]["value"] == [0.0, 4.0, 8.0, 12.5]
    node = obj["nodes"][0]
    assert list(node) == [
        "id",
        "op",
        "grad_fn",
        "line",
        "column",
        "ok",
        "max_abs_error",
        "max_rel_error",
    ]
    assert node["max_rel_error"] == "nan"
    ok = loads_strict(render(check_ok(), "json"))
    assert ok["ok"] is True and set(ok["checks"][0]) == {
        "wrt",
        "max_abs_error",
        "max_rel_error",
        "ok",
    }


def test_json_graph() -> None:
    for fmt_call in (lambda g: render(g, "json"), lambda g: render_graph(g, "json")):
        obj = loads_strict(fmt_call(seed_graph()))
        assert list(obj) == ["nodes", "edges", "result_id"]
        assert list(obj["nodes"][0]) == [
            "id",
            "name",
            "op",
            "grad_fn",
            "shape",
            "dtype",
            "is_leaf",
            "requires_grad",
            "line",
            "column",
        ]
        assert obj["edges"][:2] == [{"from": 0, "to": 1}, {"from": 1, "to": 2}]
        assert obj["result_id"] == 4
    with_values = loads_strict(render_graph(seed_graph(True), "json"))
    assert with_values["nodes"][0]["value"]["shape"] == [4, 1]
    assert with_values["nodes"][0]["grad"]["value"] == [[0.0], [4.0], [8.0], [12.0]]
    assert "grad" not in with_values["nodes"][3]


def test_json_explain_and_report() -> None:
    obj = loads_strict(render(seed_explain(), "json"))
    step = obj["steps"][1]
    assert list(step) == ["id", "label", "op", "grad_fn", "line", "column", "incoming", "flows"]
    assert list(step["flows"][0]) == ["to", "to_label", "rule", "value", "accumulates"]
    assert obj["steps"][2]["flows"][0]["accumulates"] is True
    assert list(obj["control"][0]) == ["kind", "line", "column", "summary", "depends_on_input"]
    report = loads_strict(render(golden_report(), "json"))
    assert report["ok"] is False
    assert [c["status"] for c in report["cases"]] == ["pass", "fail", "updated"]
    assert list(report["cases"][0])[:3] == ["path", "status", "diff"]


# --------------------------------------------------------------------------- errors


def span_error(**kw: Any) -> ErrorInfo:
    """A runtime error on line 3, columns 5 up to (not including) 9."""
    base: dict[str, Any] = dict(
        kind="runtime",
        message="shape mismatch: mul of [2, 3] and [4]",
        file="prog.gd",
        line=3,
        column=5,
        end_column=9,
        source_line="y = a * b + 1",
        hint="check the shapes with print(a.shape)",
    )
    base.update(kw)
    return ErrorInfo(**base)


def test_error_text_is_a_compiler_diagnostic() -> None:
    expected = textwrap.dedent(
        """\
        prog.gd:3:5: error: shape mismatch: mul of [2, 3] and [4]
        y = a * b + 1
            ^~~~
        hint: check the shapes with print(a.shape)"""
    )
    for fmt in ("table", "plain"):
        assert render_error(span_error(), fmt, color=False) == expected
    assert render(span_error(), "plain") == expected


def test_error_text_variants() -> None:
    assert render_error(span_error(hint=None, end_column=None), "plain").split("\n") == [
        "prog.gd:3:5: error: shape mismatch: mul of [2, 3] and [4]",
        "y = a * b + 1",
        "    ^",
    ]
    # Tabs are copied so the caret lines up; a span past the end stops one past the line.
    tabbed = span_error(source_line="\tfoo(", column=5, end_column=40, hint=None)
    assert render_error(tabbed, "plain").split("\n")[1:] == ["\tfoo(", "\t   ^~"]
    no_line = span_error(line=None, column=None, source_line=None, hint=None)
    assert render_error(no_line, "plain") == "prog.gd: error: shape mismatch: mul of [2, 3] and [4]"
    usage = ErrorInfo("usage", "no such file: nope.gd", None, None, None)
    assert render_error(usage, "plain") == "gradcli: error: no such file: nope.gd"


def test_error_color() -> None:
    colored = render_error(span_error(), "table", color=True)
    assert "\x1b[" in colored
    assert "error:" in colored and "^~~~" in colored


def test_error_json() -> None:
    obj = loads_strict(render_error(span_error(), "json", color=False))
    assert list(obj) == ["error"]
    assert list(obj["error"])[:5] == ["kind", "message", "file", "line", "column"]
    assert obj["error"]["line"] == 3 and obj["error"]["column"] == 5
    assert obj["error"]["hint"] == "check the shapes with print(a.shape)"
    bare = loads_strict(render(ErrorInfo("internal", "boom", None, None, None), "json"))
    assert bare == {
        "error": {"kind": "internal", "message": "boom", "file": None, "line": None, "column": None}
    }


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (28.0, "28."),
        (0.0, "0."),
        (-0.0, "0."),
        (1 / 3, "0.3333"),
        (np.float32(0.1), "0.1"),
        (1e-5, "1e-05"),
        (123456.0, "1.235e+05"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (np.int64(7), "7"),
        (True, "True"),
        (np.bool_(False), "False"),
    ],
)
def test_format_number(value: object, text: str) -> None:
    assert format_number(value, 4) == text


def test_align_decimal() -> None:
    assert align_decimal(["1.", "-12.5", "0.125"]) == ["  1.   ", "-12.5  ", "  0.125"]


def test_summarised_grids_keep_edges() -> None:
    (grid,) = tensor_grids(t(np.arange(2000.0).reshape(40, 50), "float64"), 4)
    assert grid.row_labels == ["0", "1", "2", None, "37", "38", "39"]
    assert grid.col_labels[3] is None and grid.rows[3] == [None] * 7
    slices = tensor_grids(t(np.zeros((10, 10, 11))), 4)
    assert [g.title for g in slices][:3] == ["[0, :, :]", "[1, :, :]", "[2, :, :]"]
    assert slices[3].kind == "elided" and len(slices) == 7


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(seed_eval(), "yaml")
    with pytest.raises(ValueError, match="unknown graph format"):
        render_graph(seed_graph(), "svg")


# --------------------------------------------------------------------------- lazy rich


def test_json_and_plain_do_not_import_rich() -> None:
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        from gradcli.results import EvalResult, ErrorInfo, TensorData
        import gradcli.render.json_out, gradcli.render.plain, gradcli.render.graph_formats
        from gradcli.render import render, render_error
        r = EvalResult(TensorData.of(np.float32(28.0)), "y", {"x": TensorData.of(np.arange(4.0))})
        render(r, "json"); render(r, "plain")
        render_error(ErrorInfo("usage", "bad", None, None, None), "plain", color=False)
        render_error(ErrorInfo("usage", "bad", None, None, None), "json", color=False)
        loaded = sorted(m for m in sys.modules if m == "rich" or m.startswith("rich."))
        assert not loaded, loaded
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
