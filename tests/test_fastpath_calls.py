"""The hot loops' shortcuts are really taken: Python calls per loop step, counted.

A fast path that stops being taken fails no value test: the general path it skips gives
the same bytes, only slower. Round 9 found one so (an argument-check wrapper hid every
unary op from the interpreter's direct-rule lookup, four calls a step more for months).
So the number of Python function calls one step of bench W1 and W2 makes, forward and
backward, is pinned here: a count, not a time (deterministic on every machine).

A change that adds a call to these steps on purpose updates the budget below and says
why; one that removes calls lowers it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from gradcli.app import AppOptions, run
from gradcli.source import Source

BENCH = Path(__file__).resolve().parents[1] / "bench" / "gd"

#: Python calls per loop step (interpreter, recording, backward), measured 2026-12-05.
#: W1: 27 since 2026-12-06, three more: its float32 sin is MKL's polynomial on a Python
#: float (kernels/vmltrig.scalar: sin32 and scalar forward, scalar for cos backward).
#: W2: 24 since 2026-12-06 (29 before: n-d cotangents travel as arrays between nodes with
#: n-d VJPs, Rule.with_nd_vjp, no tensor made per cotangent).
#: W6: a jvp and a vjp call of its control-flow function, 908 since 2026-12-06 (1,086
#: before: a Tensor method call and a tensor-number comparison went through the runtime's
#: general call path and Tensor.__lt__; interp/calls.py and e_Compare take them directly).
BUDGETS = {"w1.gd": ("n = 10000", 27), "w2.gd": ("n = 1000", 24), "w6.gd": ("calls = 2000", 908)}


def _calls(text: str) -> int:
    """Python function calls made by `gradcli run` of the program (after a warm run)."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        run(Source("p.gd", text), AppOptions(write=io.StringIO().write))
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_calls_per_step_stay_within_budget(name: str) -> None:
    binding, budget = BUDGETS[name]
    text = (BENCH / name).read_text(encoding="utf-8")
    assert binding in text, f"{name} no longer binds {binding!r}"
    var = binding.split(" = ")[0]
    short, long = text.replace(binding, f"{var} = 20"), text.replace(binding, f"{var} = 40")
    _calls(short)  # caches, lazy imports and first-use work out of the way
    _calls(long)
    # (a check made every few thousand calls may land in one run and not the other: the
    # fraction it adds is not a call per step)
    per_step = (_calls(long) - _calls(short)) / 20
    assert int(per_step) <= budget, (
        f"{name}: {per_step:g} Python calls per loop step, the budget is {budget}: a "
        "shortcut of the interpreter, apply or the engine is no longer taken")
