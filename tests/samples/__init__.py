"""Samples for the registry-driven sweep against PyTorch (tests/test_sweep_torch.py).

Every spelling in gradcli.ad.ops.surface.SURFACE needs at least one sample here, or an
`untested(spelling, why)` line saying what covers it instead: the sweep fails listing
every spelling without one, so adding an op to the table adds it to the sweep.

One module per family (`tests/samples/linalg.py`, ...); every module in this package is
imported by `load()`. A sample is the op's arguments:

    sample("torch.trace", X("nn"))
    sample("torch.linalg.solve", X("nn", "spd"), X("nk"))
    sample("torch.sum", X("*"), dim=-1, keepdim=True)
    sample("torch.gather", X("nk"), 1, Index("nm", high="k"))
    sample("torch.randperm", 5, seed=0, grad=False)

Tensor arguments:
- `X(shape, domain="real", dtype="float64", grad=True)`: `shape` is a string of size
  letters (each letter a size drawn once per example, 1 to 3, shared by every argument of
  the sample), digits (a fixed size) and `*` (the sample's random shape, 0 to 3 dims,
  shared too); "" is 0-d. `domain` is a name in DOMAINS or a function (rng, shape) →
  array. `grad`: the tensor requires grad (float dtypes only).
- `Index(shape, high)`: an int64 tensor of indices in [0, high), `high` a size letter or int.
- `Mask(shape)`: a bool tensor.
Anything else (numbers, strings, tuples, dtypes as strings "torch.float32") is passed as
is to both sides.

Sample options: `grad` (compare first derivatives, default True), `order` (highest order
compared, default 2), `jvp` (compare forward mode, default True), `seed` (seed both
generators first: random ops), `method` (also call `x.op(...)` when `Tensor.op` is
exposed, default True), `atol`/`rtol`, `printing` (compare str() exactly, default True),
`known` (an open, named difference from PyTorch: the case is a strict xfail until fixed).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Domain = str | Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]


@dataclass(frozen=True)
class X:
    """A tensor argument."""

    shape: str = "*"
    domain: Domain = "real"
    dtype: str = "float64"
    grad: bool = True


@dataclass(frozen=True)
class Index:
    """An int64 index tensor with values in [0, high)."""

    shape: str
    high: str | int


@dataclass(frozen=True)
class Mask:
    """A bool tensor."""

    shape: str = "*"


@dataclass
class Sample:
    """One way to call an op, and what to compare."""

    spelling: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    grad: bool = True
    order: int = 2
    jvp: bool = True
    seed: int | None = None
    method: bool = True
    atol: float = 1e-7
    rtol: float = 1e-6
    printing: bool = True
    known: str = ""


SAMPLES: dict[str, list[Sample]] = {}
UNTESTED: dict[str, str] = {}


def sample(spelling: str, *args: Any, grad: bool = True, order: int = 2, jvp: bool = True,
           seed: int | None = None, method: bool = True, atol: float = 1e-7,
           rtol: float = 1e-6, printing: bool = True, known: str = "",
           **kwargs: Any) -> None:
    """Register one sample call of `spelling` (`known`: a difference from PyTorch that is
    known and open, what it is: the case is then a strict xfail)."""
    SAMPLES.setdefault(spelling, []).append(Sample(
        spelling, args, kwargs, grad=grad, order=order, jvp=jvp, seed=seed, method=method,
        atol=atol, rtol=rtol, printing=printing, known=known))


def untested(spelling: str, why: str) -> None:
    """`spelling` is not swept: `why` names what tests it instead."""
    UNTESTED[spelling] = why


def _spd(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    a = rng.standard_normal(shape)
    n = shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    n = int(np.prod(shape))
    vals = (np.arange(n) - n / 2 + 0.5) * 0.3 + rng.uniform(-0.1, 0.1, n)
    return rng.permutation(vals).reshape(shape)


def _nonzero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def _well_conditioned(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    n = shape[-1]
    return rng.standard_normal(shape) * 0.3 + np.eye(n) * 2.0


#: Named domains for X(...).
DOMAINS: dict[str, Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]] = {
    "real": lambda rng, s: rng.standard_normal(s),
    "positive": lambda rng, s: rng.uniform(0.5, 2.0, s),
    "unit": lambda rng, s: rng.uniform(-0.9, 0.9, s),
    "prob": lambda rng, s: rng.uniform(0.05, 0.95, s),
    "above1": lambda rng, s: rng.uniform(1.1, 3.0, s),
    "nonzero": _nonzero,
    "distinct": _distinct,
    "spd": _spd,
    "invertible": _well_conditioned,
    "int": lambda rng, s: rng.integers(-5, 6, s),
    "small_int": lambda rng, s: rng.integers(0, 4, s),
    "bool": lambda rng, s: rng.random(s) < 0.5,
}


def draw_array(arg: X | Index | Mask, sizes: dict[str, int], star: tuple[int, ...],
               rng: np.random.Generator) -> np.ndarray:
    """The array for one tensor argument."""
    shape = star if arg.shape == "*" else tuple(
        sizes[c] if c in sizes else int(c) for c in arg.shape)
    if isinstance(arg, Index):
        high = sizes[arg.high] if isinstance(arg.high, str) else arg.high
        return rng.integers(0, high, shape).astype(np.int64)
    if isinstance(arg, Mask):
        return np.asarray(rng.random(shape) < 0.5)
    make = DOMAINS[arg.domain] if isinstance(arg.domain, str) else arg.domain
    return np.asarray(make(rng, shape)).astype(arg.dtype)


def rule_cases() -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    """rule name → (inputs, params) of a node some sample records: how
    tests/test_ad_rules.py checks, against finite differences, the rules it has no
    hand-written case for. Sizes are 2 and `*` is (2, 3)."""
    from gradcli.ad.ops import SURFACE
    from gradcli.ad.state import State
    from gradcli.ad.tensor import Tensor
    from gradcli.interp.values import DTYPE_VALUES

    def ours(arg: Any, rng: np.random.Generator) -> Any:
        if isinstance(arg, (X, Index, Mask)):
            a = draw_array(arg, _TWOS, (2, 3), rng)
            t = Tensor(a)
            return t.requires_grad_(True) if isinstance(arg, X) and arg.grad \
                and a.dtype.kind == "f" else t
        if isinstance(arg, str) and arg.startswith("torch.") and arg[6:] in DTYPE_VALUES:
            return DTYPE_VALUES[arg[6:]]
        if isinstance(arg, (tuple, list)):
            return type(arg)(ours(a, rng) for a in arg)
        return arg

    found: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    saved = State.on_record

    def note(node: Any, out: Any) -> None:
        if node.rule.name not in found and node.inputs is not None:
            found[node.rule.name] = (tuple(node.inputs), dict(node.params))

    State.on_record = note
    try:
        for spelling, samples in sorted(load().items()):
            for smp in samples:
                if not smp.grad or spelling.endswith("_"):
                    continue
                rng = np.random.default_rng(0)
                args = [ours(a, rng) for a in smp.args]
                kwargs = {k: ours(v, rng) for k, v in smp.kwargs.items()}
                SURFACE[spelling](*args, **kwargs)
    finally:
        State.on_record = saved
    return found


_TWOS: dict[str, int] = dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2)


def load() -> dict[str, list[Sample]]:
    """Import every family module of this package; return the samples."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return SAMPLES
