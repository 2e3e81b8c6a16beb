"""Round 11: more of the plain Python around real PyTorch scripts (multi-item `with`,
instance `__dict__`, exception chains, logging, files the program writes and reads back,
the enum functional API and flags, argparse groups, ...): each program prints what Python
with PyTorch prints. The expected text is CPython's, held as a literal; it is also compared
live under torch.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

CASES: list[tuple[str, str, str]] = [
    ('with_several_items',
     """\
import contextlib
@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")
with tag("a") as a, tag("b"), tag("c") as c:
    print(a, c)
try:
    with tag("x"), tag("y") as y:
        raise ValueError(y)
except ValueError as e:
    print("caught", e)
""",
     """\
<a>
<b>
<c>
A C
</c>
</b>
</a>
<x>
<y>
</y>
</x>
caught Y
"""),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert torch_output(program) == expected
