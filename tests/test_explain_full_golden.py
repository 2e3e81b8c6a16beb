"""explain --full's streamed table pinned byte for byte across its batch boundaries: a
loop whose steps are drawn a block at a time (render/stream.py; plain blocks straight into
one buffer by render/step_bytes.py, a loop's period a row, a tail of steps after its last
whole period, the rest by block_lines), with the blocks made small so that a short program
crosses many. The golden files were written by the line-at-a-time drawing (before
render/step_bytes.py); GRADCLI_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gradcli.cli import main

GOLDEN = Path(__file__).parent / "golden" / "cli"
UPDATE = os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1"

PROGRAMS = {
    # W8's loop body: four steps an iteration (add with two flows, mul, sin, mul), x's
    # cotangent a sum from the second iteration on
    "explain_full_loop": "x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(60):\n"
                         "    y = y * 0.9999 + sin(x) * 0.0001\ny\n",
    # a body of another period, a division (a rule text of other bytes than characters),
    # float64 values, and a unicode name (its steps left to block_lines)
    "explain_full_mixed": "x = tensor(0.25, dtype=float64, requires_grad=True)\nλ = x\n"
                          "y = x\nfor i in range(25):\n    y = y * x - y / 3.0 + x\n"
                          "    if i % 7 == 3:\n        λ = λ * cos(y)\ny + λ\n",
}


@pytest.mark.parametrize("block", [7, 64, 8192])
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_explain_full_table(name: str, block: int, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    from gradcli.render import stream

    monkeypatch.setattr(stream, "BLOCK", block)
    prog = tmp_path / "loop.gd"
    prog.write_text(PROGRAMS[name], encoding="utf-8")
    r = CliRunner().invoke(main, ["explain", str(prog), "--wrt", "x", "--full"],
                           env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.write_text(r.stdout, encoding="utf-8")
    assert r.stdout == path.read_text(encoding="utf-8")
