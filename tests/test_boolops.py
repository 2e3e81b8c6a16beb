"""`and` / `or` as Python evaluates them: each operand but the last is tested for truth
in turn; the last is the value, never tested (a tensor of several elements may end the
chain, as `print(...) or x * 4` does)."""

from __future__ import annotations

from pyrun import gd_output, torch_output

PROGRAM = """\
import torch
x = torch.tensor([1.0, 2.0])
y = print("side effect") or x * 4
print(y)
print(None or x, 0 and x, [] or (x,), 1 and 2 and x, 0 or 0.0 or x)
calls = []
def f(v):
    calls.append(v)
    return v
print(f(0) and f(1), f(1) or f(2), f(0) or f(0) or f(3), calls)
try:
    x or 1
except RuntimeError as e:
    print("RuntimeError", e)
try:
    print(x and 1)
except RuntimeError as e:
    print("RuntimeError", e)
print(torch.tensor(0.0) or "zero", torch.tensor([2.0]) and "one element")
"""


def test_and_or_never_test_their_last_operand() -> None:
    assert gd_output(PROGRAM) == torch_output(PROGRAM)
