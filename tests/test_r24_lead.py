"""Round 24, the lead's: an if/while test that compares a 0-d float tensor with a number
answers without making the bool tensor (interp.expressions' `condition`): the same truth as
the comparison's rule, for every operator, dtype and awkward number."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# Each comparison answered three ways: as an if test and a while test (the fast path), and
# as a value made and then tested (the rule's tensor). A line differs if any disagree.
COMPARISONS = """
import torch
values = [0.1, -0.0, 0.0, 1.0, 2.0, 16777216.0, 3e38, float('inf'), float('-inf'),
          float('nan'), 9007199254740992.0, -2.5]
numbers = [0.1, 0, -0.0, 1, 2, 16777217, 16777216, 3e38, 1e300, -1e300, float('inf'),
           float('nan'), 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, True, -2.5]
ops = ['<', '<=', '>', '>=', '==', '!=']
count = 0
for dtype in [torch.float32, torch.float64]:
    for v in values:
        x = torch.tensor(v, dtype=dtype)
        for b in numbers:
            for name in ops:
                if name == '<':
                    made = bool(x < b)
                    fast = True if x < b else False
                    while x < b:
                        break
                    else:
                        looped = False
                elif name == '<=':
                    made = bool(x <= b)
                    fast = True if x <= b else False
                elif name == '>':
                    made = bool(x > b)
                    fast = True if x > b else False
                elif name == '>=':
                    made = bool(x >= b)
                    fast = True if x >= b else False
                elif name == '==':
                    made = bool(x == b)
                    fast = True if x == b else False
                else:
                    made = bool(x != b)
                    fast = True if x != b else False
                if name == '<':
                    looped = True
                    while not (x < b):
                        looped = False
                        break
                    if looped != made:
                        print('while differs', dtype, v, b, name)
                if made != fast:
                    print('if differs', dtype, v, b, name)
                if made:
                    count += 1
print(count)
"""


def test_a_tested_comparison_is_the_comparison_rules_truth() -> None:
    out = gd_output(COMPARISONS)
    assert "differs" not in out
    assert out == torch_output(COMPARISONS)


# The fast path leaves the rest alone: a test that records an op (norm of a tensor that
# requires grad) is still an input-dependent condition, an empty tensor's truth is still
# PyTorch's error, and a tensor of several elements is still ambiguous.
EDGES = """
import torch
w = torch.tensor(1.0, requires_grad=True)
n = 0
while w * 2 < 100:
    w = w * 2
    n += 1
print(n, w)
i = torch.tensor(3)
print('int' if i > 2.5 else 'no', 'big' if torch.tensor(2**40) == 2**40 else 'no')
for t in [torch.tensor([]), torch.tensor([1.0, 2.0])]:
    try:
        if t < 1:
            print('?')
    except RuntimeError as e:
        print(e)
h = torch.tensor(1.0, dtype=torch.float16)
print('half' if h < 1.0001 else 'no')
"""


def test_tests_the_fast_path_does_not_take_are_unchanged() -> None:
    assert gd_output(EDGES) == torch_output(EDGES)


# A Python int operand beyond int64 and uint64 (x * 2**64): PyTorch's argument parser
# refuses it with an OverflowError, where numpy computed it as a float (a silent answer).
HUGE_INTS = """
import torch
x = torch.tensor(1.5)
n = torch.tensor([1, 2])
def iadd():
    y = x.clone()
    y += 2**64
    return y
cases = [lambda: x + 2**64, lambda: x * 2**63, lambda: x * (2**64 - 1), lambda: x * -(2**63),
         lambda: x * (-(2**63) - 1), lambda: x < 2**64, lambda: x == 2**70, lambda: 2**64 - x,
         lambda: x ** 2**64, lambda: 2**64 ** x, lambda: n * -(2**63 + 5), lambda: x / 2**64,
         lambda: x // 2**64, lambda: x % 2**64, lambda: torch.add(x, 2**64), lambda: n + 2**64,
         lambda: 10**20 * x, iadd, lambda: n - 2**63, lambda: n < 2**63, lambda: n * 2**63,
         lambda: n // (2**64 - 1), lambda: n / 2**63, lambda: 2**63 / n,
         lambda: n.clamp(max=2**63), lambda: n.int().clamp(max=2**40),
         lambda: n.short().fill_(2**40)]
for f in cases:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
"""


def test_python_ints_beyond_int64_and_uint64_are_refused_as_pytorch_refuses_them() -> None:
    assert gd_output(HUGE_INTS) == torch_output(HUGE_INTS)


# The same class through the argument parser: a Scalar parameter (clamp's max, full's
# fill value, masked_fill's value, alpha) takes int64's and uint64's range, an int
# parameter int64's (ValueError), a size or dims list refuses the element (TypeError: its
# first line; PyTorch's message goes on with a C++ stack).
HUGE_INT_ARGUMENTS = """
import torch
x = torch.tensor([1.0, 2.0])
m = torch.ones(2, 3)
cases = [lambda: x.sum(dim=2**64), lambda: x.sum(dim=2**63), lambda: torch.full((2,), 2**64),
         lambda: torch.full((2,), -(2**63) - 1), lambda: x.clamp(max=2**64),
         lambda: x.masked_fill(x > 0, 2**64), lambda: torch.where(x > 0, x, 2**64),
         lambda: x.add(1, alpha=2**64), lambda: x.pow(2**64), lambda: torch.pow(2**64, x),
         lambda: x.new_full((2,), 2**64), lambda: torch.arange(2**64), lambda: x.roll(2**64),
         lambda: x.clamp(min=-(2**63) - 1), lambda: torch.full((2,), 2**63)]
for f in cases:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
for f in [lambda: m.view(2**64), lambda: m.reshape(2, 2**63), lambda: torch.zeros(2**63),
          lambda: m.permute(0, 2**64), lambda: m.sum((0, 2**64))]:
    try:
        print(f())
    except TypeError as e:
        print(str(e).split(chr(10))[0])
"""


def test_python_ints_beyond_int64_as_arguments_are_refused_as_pytorch_refuses_them() -> None:
    assert gd_output(HUGE_INT_ARGUMENTS) == torch_output(HUGE_INT_ARGUMENTS)


def test_a_tested_comparison_still_tells_explain_it_depends_on_the_input() -> None:
    import json

    from click.testing import CliRunner

    from gradcli.cli import main

    prog = ("x = tensor(2.0)\nc = tensor(1.0)\ny = x * x + 3 * x\nif y > 5:\n    z = y * 2\n"
            "else:\n    z = y\nwhile c < 3:\n    c = c + 1\nz = z * c")
    r = CliRunner().invoke(main, ["explain", "-e", prog, "--wrt", "x", "--format", "json"])
    assert r.exit_code == 0, r.output
    control = json.loads(r.stdout)["control"]
    assert [(c["kind"], c["depends_on_input"]) for c in control] == [("if", True),
                                                                    ("while", False)]
