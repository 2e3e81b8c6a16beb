"""Python's surface in gd, name by name: every public name of Python's `builtins` module
and every public method or attribute of Python's value types either resolves in gd or is
listed below with the reason it does not. A name added to Python, or removed from gd,
fails here until it is decided.
"""

from __future__ import annotations

import builtins
import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

_SANDBOX = "sandbox: a gd program reaches no code, namespace, file, terminal or process"
_NO_IO = "no files, sockets or processes in gd: no OS errors to catch"
_NO_WARNINGS = "gd's warnings module has the common categories only"

# Python built-in names gd does not define, and why (SPEC §3 for the sandbox).
MISSING_BUILTINS: dict[str, str] = {
    **dict.fromkeys(("eval", "exec", "compile", "globals", "locals", "input",
                     "breakpoint", "help", "exit", "quit", "copyright", "credits",
                     "license", "memoryview"), _SANDBOX),
    "aiter": "no async in gd", "anext": "no async in gd",
    "BaseExceptionGroup": "no except* in gd", "ExceptionGroup": "no except* in gd",
    # Every other exception class is gd's since round 21 (r21-names): OSError's kind, the
    # warning categories, SyntaxError's (named in `except`, raised by programs), SystemExit.
}

# One value of each Python type, and the public attributes of its type gd leaves out.
SAMPLES = {"list": "[1]", "str": "'a'", "dict": "{1: 2}", "set": "{1}", "tuple": "(1,)",
           "int": "(1)", "float": "(1.5)", "bool": "True", "frozenset": "frozenset([1])",
           "range": "range(3)", "slice": "slice(1, 2)"}
MISSING_ATTRIBUTES: dict[str, str] = {}


def _resolves(program: str) -> bool:
    try:
        run(Source("prog.gd", program), AppOptions(write=io.StringIO().write))
    except GdError:
        return False
    return True


def test_every_python_builtin_name_is_in_gd_or_listed_with_its_reason() -> None:
    names = [n for n in dir(builtins) if not n.startswith("_")]
    missing = {n for n in names if not _resolves(f"x = {n}")}
    assert missing == {n for n in MISSING_BUILTINS if n in names}


@pytest.mark.parametrize("type_name", SAMPLES)
def test_every_public_attribute_of_a_python_type_is_in_gd(type_name: str) -> None:
    expr = SAMPLES[type_name]
    names = [n for n in dir(getattr(builtins, type_name)) if not n.startswith("_")]
    missing = {n for n in names if not _resolves(f"x = ({expr}).{n}")}
    assert missing == {n for n in MISSING_ATTRIBUTES if n.startswith(f"{type_name}.")}
    # ... and on the type itself (str.upper, dict.fromkeys, float.fromhex)
    if type_name not in ("bool", "range", "slice"):
        assert not [n for n in names if n not in ("real", "imag", "numerator", "denominator")
                    and not _resolves(f"x = {type_name}.{n}")]
