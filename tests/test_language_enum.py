"""`enum` (Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique; str and int mixins; the
functional API) in gd: programs compared with CPython 3.11's output, and the sandbox around
enum classes and members."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_language_forms import gd_error, same_as_python
from test_sandbox_forms import outcome

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ["enum_basics.gd", "enum_mixins.gd", "enum_classes.gd", "enum_flags.gd"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_enum_programs_print_what_python_prints(name: str) -> None:
    program = (ROOT / "tests" / "programs" / name).read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # auto() after a str value
        got = same_as_python(program)
    assert got.count("\n") >= 10


def test_members_are_singletons_in_sets_dicts_and_copies() -> None:
    same_as_python(
        "import copy\nfrom enum import Enum\n"
        "class C(Enum):\n    A = 1\n    B = 2\n"
        "s = {C.A, C.A, C.B}\nprint(len(s), C.A in s, copy.copy(C.B) is C.B)\n"
        "print({C.A: [1], C.B: [2]}[C(2)], C.A in C, 1 in [m.value for m in C])\n")


@pytest.mark.parametrize(("program", "message"), [
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC(3)\n", "3 is not a valid C"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC['B']\n", "'B'"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC.A = 2\n",
     "cannot reassign member 'A'"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nclass D(C):\n    B = 2\n",
     "<enum 'D'> cannot extend <enum 'C'>"),
])
def test_pythons_errors(program: str, message: str) -> None:
    code, got, _ = gd_error(program)
    assert (code, got) == (4, message)


@pytest.mark.parametrize("program", [
    "x = C.A.__dict__", "x = C.__members__.__class__.__dict__", "x = C.A.attrs", "x = C.members",
    "x = C.A.cls", "x = C.mixin", "x = C.A.__class__.__dict__", "x = type(C).__mro__",
    "x = Enum.fn", "x = Enum.__subclasses__()", "x = C.A._value_",
])
def test_enum_classes_and_members_lead_nowhere(program: str) -> None:
    code, message, _ = outcome("from enum import Enum\nclass C(Enum):\n    A = 1\n"
                               + program + "\n")
    assert code == 4, message
