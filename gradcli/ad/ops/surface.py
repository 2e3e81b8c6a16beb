"""PyTorch's spellings of every op: the one table of gd's tensor surface.

A family module declares its names once, next to the functions:

    expose(trace, "torch.trace", "Tensor.trace", family="linalg")

Spellings are `torch.X`, `torch.linalg.X`, `torch.special.X`, `torch.nn.functional.X` (a
function), `Tensor.X` (the method `x.X(...)`, called with the tensor first) and `Tensor.X_`
(the in-place method). The interpreter builds its namespaces and its method whitelist from
this table, the Tensor class gets its methods from it, and the README's list of supported
ops and the registry-driven sweep against PyTorch (tests/test_sweep_torch.py) read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Spelling → the function it calls.
SURFACE: dict[str, Callable[..., Any]] = {}
#: Spelling → its family (a README heading: "linalg", "reductions", ...).
FAMILY: dict[str, str] = {}

MODULES = ("torch", "torch.linalg", "torch.special", "torch.nn.functional", "torch.fft",
           "Tensor")


def expose(fn: F, *spellings: str, family: str) -> F:
    """Declare `fn` under each PyTorch spelling; returns fn (usable as a plain call)."""
    for spelling in spellings:
        module, _, name = spelling.rpartition(".")
        assert module in MODULES and name, spelling
        assert spelling not in SURFACE, f"{spelling} is exposed twice"
        SURFACE[spelling] = fn
        FAMILY[spelling] = family
    return fn


def public(*spellings: str, family: str) -> Callable[[F], F]:
    """Decorator form of `expose`."""

    def decorate(fn: F) -> F:
        return expose(fn, *spellings, family=family)

    return decorate


def members(module: str) -> dict[str, Callable[..., Any]]:
    """name → function of every spelling in one module ("torch", "Tensor", ...)."""
    prefix = module + "."
    return {s[len(prefix):]: fn for s, fn in SURFACE.items()
            if s.startswith(prefix) and "." not in s[len(prefix):]}
