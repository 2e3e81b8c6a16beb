"""Round 17, the views' speed (issue 12, W8): each fast path of `check` equals the slow
path it replaced.

- `_check_nodes` groups node indices by an identity-based key, then samples per kind:
  the same nodes checked, the same results and count as the per-node counting it
  replaced (`reference_check_nodes`, the rule spelled out).
- `check(keep=...)` hands the runs' graphs to the caller instead of freeing them: the same
  result either way.
- check's recording run notes no loop marks (`mark_loops=False`): graph and explain still do.
- The CLI's bytes are the golden tests' (tests/golden) and test_cli's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gradcli.app import AppOptions, check, checking, compile_program, session
from gradcli.render import render
from gradcli.source import Source

PROGRAMS = {
    "w8 loop": "n = 300\nx = tensor(0.5, requires_grad=True)\ny = x\n"
               "for i in range(n):\n    y = y * 0.9999 + sin(x) * 0.0001\ny",
    "shapes change": "x = randn(4, requires_grad=True)\ns = x.sum() * 0\n"
                     "for i in range(70):\n    h = x[: (i % 4) + 1]\n"
                     "    s = s + (h * h).sum() * 0.01\ns",
    "dtypes change": "x = tensor([0.5, 1.5], requires_grad=True)\ns = x.sum() * 0\n"
                     "for i in range(40):\n"
                     "    v = x.double() if i % 3 == 0 else x\n"
                     "    s = s + (tanh(v) * 0.1).sum().float()\ns",
    "three inputs and ints": "x = tensor([0.5, -1.5, 2.0], requires_grad=True)\n"
                             "s = x.sum() * 0\nfor i in range(50):\n"
                             "    c = x > 0\n    w = where(c, x, x * 2)\n"
                             "    z = clamp(w, -1.0, 1.0) + addcmul(x, x, x, value=0.1)\n"
                             "    s = s + (z * (i % 5)).sum() + x.pow(2).sum()\ns",
    "no loop": "x = tensor(2.0, requires_grad=True)\ny = x * x + 3 * x\ny",
}


def reference_check_nodes(tape: list[Any]) -> tuple[list[Any], int]:
    """The rule: per kind (checking._kind_of), the k-th node is checked when k < 4, k is
    a power of two, or it is the kind's last; results in tape order."""
    per_kind: dict[Any, list[int]] = {}
    for i, node in enumerate(tape):
        if node.inputs is None:
            continue
        kind = checking._kind_of(node)
        if kind is not None:
            per_kind.setdefault(kind, []).append(i)
    chosen = sorted({i for where in per_kind.values() for k, i in enumerate(where)
                     if k < checking.ALWAYS_CHECKED or k & (k - 1) == 0
                     or k == len(where) - 1})
    return ([checking._check_one(i, tape[i]) for i in chosen],
            sum(len(w) for w in per_kind.values()))


def _opts(**kw: Any) -> AppOptions:
    return AppOptions(wrt=["x"], **kw)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_sampled_node_checks_equal_the_rule(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = checking._check_nodes
    seen: list[tuple[Any, Any]] = []

    def both(tape: list[Any]) -> tuple[list[Any], int]:
        got = fast(tape)
        seen.append((got, reference_check_nodes(tape)))
        return got

    monkeypatch.setattr(checking, "_check_nodes", both)
    res = check(Source("<t>", PROGRAMS[name]), _opts())
    (got, want), = seen
    assert got == want
    assert [n.id for n in got[0]] == sorted(n.id for n in got[0])
    assert res.checkable == want[1] > 0


def test_sampling_keeps_every_power_of_two_and_the_last() -> None:
    for n in (1, 2, 3, 4, 5, 8, 9, 100, 1025):
        ranks = checking._sampled_ranks(n)
        assert ranks == [k for k in range(n) if k < 4 or k & (k - 1) == 0]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_keeping_the_graphs_changes_nothing(name: str) -> None:
    src = Source("<t>", PROGRAMS[name])
    kept: list[Any] = []
    for fmt in ("json", "table"):
        assert (render(check(src, _opts(), keep=kept.append), fmt)
                == render(check(src, _opts()), fmt))
    *_, res = kept[0]
    assert res.tape  # the recorded run's graph, alive with the kept objects


def test_check_records_no_loop_marks_but_graph_does() -> None:
    src = Source("<t>", PROGRAMS["w8 loop"])
    marks = {}
    for mark in (True, False):
        with session(_opts(), source=src):
            program, _ = compile_program(src, _opts(), record_tape=True, mark_loops=mark)
            res = program.run()
            marks[mark] = len(program.rt.loop_marks)
            assert len(res.tape) == 4 * 300
    assert marks == {True: 3 * (300 + 1), False: 0}


def test_a_kind_seen_under_several_keys_is_sampled_as_one() -> None:
    """Keys are finer than kinds (a dtype equal to float64 but another object): the
    nodes of one kind pooled from several keys are sampled in tape order."""
    src = Source("<t>", PROGRAMS["w8 loop"])
    other = np.dtype("f8").newbyteorder("=")
    assert other == np.dtype("f8") and other is not np.dtype("f8")
    with session(_opts(), dtype="float64", keep_buffers=True, source=src):
        program, _ = compile_program(src, _opts(), record_tape=True)
        tape = program.run().tape
        for node in tape[1::7]:
            for t in node.inputs:
                if hasattr(t, "array") and t.array.dtype == other:
                    t.array = t.array.view(other)
        assert len(checking._nodes_by_key(tape)) > 4
        assert checking._check_nodes(tape) == reference_check_nodes(tape)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_in_a_process_keeps_its_graphs_and_prints_the_same(fmt: str) -> None:
    """A real process (cli.KEPT set: the graphs are kept, not freed) prints what the
    in-process command (nothing kept) prints, byte for byte, with the same exit code."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from click.testing import CliRunner

    from gradcli.cli import main

    args = ["check", "-e", PROGRAMS["three inputs and ints"], "--wrt", "x", "--format", fmt]
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    inproc = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run([sys.executable, "-m", "gradcli", *args], capture_output=True,
                          env={**os.environ, **env, "PYTHONPATH": root}, cwd=root,
                          timeout=300, check=False)
    assert proc.returncode == inproc.exit_code == 0, proc.stderr
    assert proc.stdout == inproc.stdout_bytes
