"""Count class (p)'s disagreements: `python -m fuzz.op_sweep N [SEED]` from tests/.

Draws N programs of op_programs() (the same N programs for the same SEED, default
0), runs each under Python + PyTorch and under gradcli, and prints each program that
differs with the first line that differs, then how many differ.
"""

from __future__ import annotations

import sys

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings

from fuzz.op_check import disagreement
from fuzz.op_strategies import op_programs
from fuzz.print_check import run_torch


def sweep(n: int, seed: int = 0) -> tuple[list[tuple[str, str]], int]:
    """The (program, why) of every disagreeing program among n drawn ones, and how many
    blocks fail under PyTorch (some on purpose, some the generator's own mistakes)."""
    found: list[tuple[str, str]] = []
    failed = [0]

    @hypothesis.seed(seed)
    @settings(max_examples=n, derandomize=False, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(op_programs())
    def run(text: str) -> None:
        problem = disagreement(text)
        failed[0] += run_torch(text)[0].count("!ERR ")
        if problem is not None:
            found.append((text, problem))

    run()
    return found, failed[0]


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    found, failed = sweep(n, seed)
    for text, why in found:
        print("=" * 70)
        print(text)
        print(why)
    print(f"{len(found)} of {n} programs differ ({failed} blocks fail under PyTorch)")
