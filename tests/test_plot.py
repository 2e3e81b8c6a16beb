"""`gradcli plot`: the result and its derivatives along a sweep, as a terminal chart
(golden, at fixed widths), a tab-separated table, JSON, and figure files."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gradcli.app.plotting import jumps, series_names
from gradcli.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "plot"
ENV = {"NO_COLOR": "1", "COLUMNS": "100"}


def cli(*args: str, env: dict[str, Any] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env={**ENV, **(env or {})},
                              catch_exceptions=False, prog_name="gradcli")


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GRADCLI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"plot output differs from {path}"


@pytest.mark.parametrize("columns", [60, 100])
def test_chart_is_sized_to_columns(columns: int) -> None:
    r = cli("plot", "-e", "x = tensor(0.0); torch.tanh(x)", "--wrt", "x", "--from", "-3",
            "--to", "3", "--order", "2", "--points", "61", env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "\x1b[" not in r.stdout  # no colour off a terminal
    for label in ("y", "dy/dx", "d2y/dx2"):
        assert any(line.strip().endswith(label) or f" {label} " in line for line in lines), \
            label
    golden(f"tanh_order2_{columns}.txt", r.stdout)


def test_plain_is_a_tsv_table() -> None:
    r = cli("plot", "-e", "x = tensor(0.0); x ** 3", "--wrt", "x", "--from", "-1", "--to", "1",
            "--points", "5", "--order", "2", "--format", "plain")
    assert r.exit_code == 0, r.output
    assert r.stdout == ("x\ty\tdy/dx\td2y/dx2\n"
                        "-1.\t-1.\t3.\t-6.\n"
                        "-0.5\t-0.125\t0.75\t-3.\n"
                        "0.\t0.\t0.\t0.\n"
                        "0.5\t0.125\t0.75\t3.\n"
                        "1.\t1.\t3.\t6.\n")


def test_json_has_x_and_series() -> None:
    r = cli("plot", "-e", "x = tensor(0.0); y = x.sin()", "--wrt", "x", "--from", "0",
            "--to", "1", "--points", "3", "--format", "json")
    data = json.loads(r.stdout)
    assert data["x"] == [0.0, 0.5, 1.0]
    assert list(data["series"]) == ["y", "dy/dx"]
    assert data["series"]["y"][1] == pytest.approx(0.479425538604203, rel=1e-6)
    assert data["series"]["dy/dx"][1] == pytest.approx(0.8775825618903728, rel=1e-6)
    assert data["result_name"] == "y"
    assert data["marks"] == {"jump": [], "kink": []}


def test_relu_has_its_kink_and_control_flow_runs_per_point(tmp_path: Path) -> None:
    prog = tmp_path / "p.gd"
    prog.write_text("x = tensor(0.0)\nif x > 0:\n    y = x * 2\nelse:\n    y = x * 0.5\ny\n")
    r = cli("plot", str(prog), "--wrt", "x", "--from", "-1", "--to", "1", "--points", "41",
            "--format", "json")
    data = json.loads(r.stdout)
    assert data["marks"]["kink"] == [0.025]  # between the samples 0 and 0.05
    slopes = data["series"]["dy/dx"]
    assert slopes[0] == 0.5 and slopes[-1] == 2.0  # each point ran its own branch
    r = cli("plot", "-e", "x = tensor(0.0); torch.relu(x)", "--wrt", "x", "--from", "-1",
            "--to", "1", "--points", "41", env={"COLUMNS": "70"})
    assert "kinks (its derivative jumps) near x = 0.025" in r.stdout
    golden("relu_70.txt", r.stdout)


def test_a_jump_of_the_result_and_nan_gaps() -> None:
    r = cli("plot", "-e", "x = tensor(0.0); torch.log(x)", "--wrt", "x", "--from", "-1",
            "--to", "1", "--points", "5", "--order", "0", env={"COLUMNS": "60"})
    assert r.exit_code == 0, r.output
    assert "not finite at 3 of 5 points (-1. … 0.): gaps in the lines" in r.stdout
    assert jumps([0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 1, 1]) == [2.5]
    assert jumps([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == []


def test_direction_sweeps_a_tensor_input() -> None:
    r = cli("plot", "-e", "x = tensor([1.0, 2.0]); (x ** 2).sum()", "--wrt", "x", "--from",
            "-1", "--to", "1", "--points", "3", "--direction", "[1, 0]", "--order", "2",
            "--format", "plain")
    assert r.stdout == ("t\ty\tdy/dt\td2y/dt2\n-1.\t4.\t0.\t2.\n0.\t5.\t2.\t2.\n"
                        "1.\t8.\t4.\t2.\n")


def test_prints_of_the_program_are_shown_once() -> None:
    r = cli("plot", "-e", "x = tensor(1.0); print('hello'); x * 3", "--wrt", "x", "--from",
            "0", "--to", "1", "--points", "4", "--format", "json")
    assert json.loads(r.stdout)["output"] == "hello\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "0", "--to", "0"], "--from and --to must be two different finite numbers"),
    (["--from", "0", "--to", "1", "--points", "1"], "--points must be between 2 and 10,000"),
    (["--from", "0", "--to", "1", "--output", "f.txt"], "must end in .svg, .png or .pdf"),
])
def test_usage_errors(args: list[str], message: str) -> None:
    r = cli("plot", "-e", "x = tensor(0.0); x * 2", "--wrt", "x", *args)
    assert r.exit_code == 2
    assert message in r.stderr


def test_tensor_input_needs_a_direction_and_result_a_scalar() -> None:
    r = cli("plot", "-e", "x = tensor([1.0, 2.0]); x.sum()", "--wrt", "x", "--from", "0",
            "--to", "1")
    assert r.exit_code == 2 and "--direction V" in r.stderr
    r = cli("plot", "-e", "x = tensor(1.0); torch.stack([x, x])", "--wrt", "x", "--from", "0",
            "--to", "1")
    assert r.exit_code == 2 and "plot needs a scalar result" in r.stderr


def test_series_names() -> None:
    assert series_names(3) == ["y", "dy/dx", "d2y/dx2", "d3y/dx3"]
    assert series_names(1, "t") == ["y", "dy/dt"]


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_figure_files(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / f"fig{suffix}"
    args = ("plot", "-e", "x = tensor(0.0); torch.relu(x) + x.sin()", "--wrt", "x", "--from",
            "-2", "--to", "2", "--points", "41", "--output", str(out))
    r = cli(*args)
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.stderr
    data = out.read_bytes()
    if suffix == ".svg":
        root = ET.fromstring(data)
        paths = [e for e in root.iter() if e.tag.endswith("path")]
        assert len(paths) > 10
        lines = [e for e in root.iter() if e.tag.endswith("g")
                 and (e.get("id") or "").startswith("line2d")]
        assert len(lines) >= 3  # y, dy/dx and the kink marks (plus axis ticks)
    elif suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (800, 500)
    else:
        assert data.startswith(b"%PDF")
    first = data
    cli(*args)
    assert out.read_bytes() == first  # same input, same bytes
