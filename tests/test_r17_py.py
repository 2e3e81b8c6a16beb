"""Round 17: the Python of real PyTorch scripts. Built-ins print as PyTorch's and
Python's do (`print(torch.sin)`: `<built-in method sin of type object at 0x…>`); ...
Each program prints what Python with PyTorch prints; the expected text is CPython's, held
as a literal, and compared live under torch.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from pyrun import Case, literal_table

from gradcli.interp import builtin_reprs
from gradcli.interp.attributes import TENSOR_METHODS, get_attribute
from gradcli.interp.builtins import registry
from gradcli.interp.values import Builtin

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
TABLE = Path(builtin_reprs.__file__).with_name("builtin_reprs.txt")
HEADER = ("# The reprs of gd's built-ins in PyTorch 2.13 / CPython 3.11 that are not their "
          "module's usual kind\n# (see builtin_reprs.py): `spelling KIND [TEXT]`. Generated "
          "by tests/test_r17_py.py\n# (GRADCLI_UPDATE_GOLDEN=1 rewrites it).\n")


def _reachable() -> dict[str, tuple[Builtin, str]]:
    """gd's dotted built-ins that print by Builtin's own repr, each with what the same
    spelling prints in Python with PyTorch (addresses written 0x…)."""
    pytest.importorskip("torch")
    reg = registry()
    reg.load_all()
    found: dict[str, tuple[Builtin, str]] = {}
    for mod, ns in sorted(reg.modules.items()):
        try:
            real = importlib.import_module(mod)
        except ImportError:
            continue
        for name, v in sorted(ns.members.items()):
            if not isinstance(v, Builtin) or type(v).__repr__ is not Builtin.__repr__ \
                    or "." not in v.name or not hasattr(real, name):
                continue
            shown = _ADDRESS.sub(" at 0x…", repr(getattr(real, name)))
            if v.name not in found or f"{mod}.{name}" == v.name:
                found[v.name] = (v, shown)
    torch = importlib.import_module("torch")
    for name in sorted(TENSOR_METHODS):
        real = getattr(torch.Tensor, name, None)
        if real is not None and callable(real):
            v = get_attribute(reg.torch.members["Tensor"], name)
            found[v.name] = (v, _ADDRESS.sub(" at 0x…", repr(real)))
    return found


def test_builtins_print_as_pytorchs() -> None:
    """Every dotted built-in's repr is what the same spelling prints under PyTorch; with
    GRADCLI_UPDATE_GOLDEN=1 the table is rewritten from the real objects first."""
    found = _reachable()
    if os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1":
        lines = [builtin_reprs.encode(name, shown) for name, (_, shown) in sorted(found.items())]
        TABLE.write_text(HEADER + "".join(f"{x}\n" for x in lines if x), encoding="utf-8")
        builtin_reprs._table.cache_clear()
    wrong = [(name, _ADDRESS.sub(" at 0x…", repr(v)), shown)
             for name, (v, shown) in found.items()
             if _ADDRESS.sub(" at 0x…", repr(v)) != shown]
    assert not wrong, f"{len(wrong)} of {len(found)} differ: {wrong[:10]}"


def _type_name(t: type) -> str:
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def test_builtins_types_are_pytorchs() -> None:
    """type(F.relu) is function, type(torch.sin) builtin_function_or_method, ...: what
    the table's kind says is the real object's type (a class's metaclass and numpy's
    dispatchers aside)."""
    torch = pytest.importorskip("torch")
    wrong = []
    for name in _reachable():
        mod, _, attr = name.rpartition(".")
        if mod.startswith("numpy"):
            continue  # its functions print as functions but are dispatcher objects
        try:
            real = getattr(torch.Tensor if mod == "torch.Tensor" else
                           importlib.import_module(mod), attr)
        except (ImportError, AttributeError):
            continue
        shown = builtin_reprs.builtin_type(name)
        if shown in ("function", "builtin_function_or_method", "method_descriptor") \
                and shown != _type_name(type(real)):
            wrong.append((name, shown, _type_name(type(real))))
    assert not wrong, f"{len(wrong)} differ: {wrong[:10]}"
