"""Round 23, the lead's: the time limit counts CPU time (a loaded machine must not change a
program's outcome), and torch.tensor of lists that hold one row many times."""

from __future__ import annotations

import time

from click.testing import CliRunner
from pyrun import gd_output, torch_output

from gradcli.ad.session import Session
from gradcli.ad.state import State
from gradcli.cli import main
from gradcli.limits import DEFAULT_LIMITS
from gradcli.records import replace


def test_the_time_limit_is_counted_in_cpu_time() -> None:
    lim = replace(DEFAULT_LIMITS, max_time=7.0)
    with Session(limits=lim):
        assert State.deadline is not None
        left = State.deadline - time.process_time()
        assert 6.0 < left <= 7.0
    with Session(limits=replace(DEFAULT_LIMITS, max_time=0.0)):
        assert State.deadline is None


def test_a_runaway_loop_meets_the_cpu_time_limit() -> None:
    r = CliRunner().invoke(main, ["run", "-e", "x = ones(100)\nwhile True:\n    x = x * 1.0",
                                  "--max-time", "0.5", "--max-steps", str(10**12)])
    assert r.exit_code == 4
    assert "time limit reached: the command ran for more than 0.5 s of CPU time" in r.stderr


SHARED_ROWS = """
import torch
import numpy as np
row = [1.0, 2.0, 3.0]
t = torch.tensor([row] * 4)
print(t, t.shape)
inner = [np.float32(0.5), 2]
print(torch.tensor([inner, inner]), torch.tensor([inner, inner]).dtype)
deep = [[row, row], [row, row]]
print(torch.tensor(deep).sum(), torch.tensor((row, row)).shape)
a = np.arange(3.0)
print(torch.tensor([[a, a], [a, a]]).shape)
"""


def test_tensor_of_a_list_holding_one_row_many_times_is_pytorchs() -> None:
    assert gd_output(SHARED_ROWS) == torch_output(SHARED_ROWS)


def test_a_huge_list_of_one_shared_row_meets_the_element_cap() -> None:
    # 10⁴ references to one row of 10⁴: the row is walked once (it took ~11 s of CPU,
    # 10⁸ element checks, before the element cap was met).
    r = CliRunner().invoke(main, ["run", "-e", "x = tensor([[1.0] * 10**4] * 10**4)",
                                  "--max-memory", "1G"])
    assert r.exit_code == 4
    assert "tensor of 100,000,000 elements exceeds the limit of 50,000,000" in r.stderr
