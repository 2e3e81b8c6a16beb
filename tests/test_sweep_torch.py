"""The registry-driven sweep: every op of gd's PyTorch surface against PyTorch itself.

For each spelling in `gradcli.ad.ops.surface.SURFACE` (torch.X, torch.linalg.X, F.X,
x.X(), x.X_()) and each of its samples (tests/samples/<family>.py), on shapes drawn by
hypothesis: the value, dtype, shape, grad_fn name and printing of every output; the
first and second derivatives (reverse mode, create_graph=True) and the forward-mode
JVP, all against torch 2.13 on the same inputs. `Tensor.X` is swept through the samples
of `torch.X` when both exist. Without torch only the coverage check runs.
"""

from __future__ import annotations

import functools
import string
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import UNTESTED, Index, Mask, Sample, X, draw_array, load

from gradcli.ad import autograd, forward
from gradcli.ad.ops import SURFACE
from gradcli.ad.tensor import Tensor
from gradcli.interp.values import DTYPE_VALUES

SAMPLES = load()
SWEEP = settings(max_examples=3, derandomize=True, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck))


def _covered_by_function(spelling: str) -> bool:
    """Tensor.X is swept with torch.X's samples (called as a method)."""
    if not spelling.startswith("Tensor."):
        return False
    return any(s.method and s.args and isinstance(s.args[0], (X, Index, Mask))
               for s in SAMPLES.get("torch." + spelling[7:], []))


def test_every_exposed_spelling_has_a_sample() -> None:
    missing = sorted(s for s in SURFACE
                     if s not in SAMPLES and s not in UNTESTED and not _covered_by_function(s))
    assert not missing, f"{len(missing)} exposed spellings have no sample in tests/samples: " \
        + ", ".join(missing)


def test_every_sample_names_an_exposed_spelling() -> None:
    stale = sorted(s for s in [*SAMPLES, *UNTESTED] if s not in SURFACE)
    assert not stale, f"samples for spellings that are not exposed: {stale}"


CASES = [pytest.param(spelling, i, id=f"{spelling}#{i}", marks=[
    pytest.mark.xfail(strict=True, reason=smp.known)] if smp.known else [])
    for spelling in sorted(SAMPLES) for i, smp in enumerate(SAMPLES[spelling])]


# -- building arguments -------------------------------------------------------------------

def _letters(smp: Sample) -> set[str]:
    found: set[str] = set()
    todo = [*smp.args, *smp.kwargs.values()]
    while todo:
        a = todo.pop()
        if isinstance(a, (tuple, list)):
            todo += a
        if isinstance(a, (X, Index, Mask)):
            found |= {c for c in a.shape if c in string.ascii_letters}
        if isinstance(a, Index) and isinstance(a.high, str):
            found.add(a.high)
    return found


class Pair:
    """The same argument on both sides."""

    def __init__(self, ours: Any, theirs: Any, leaf: bool = False) -> None:
        self.ours, self.theirs, self.leaf = ours, theirs, leaf


def _pair(arg: Any, sizes: dict[str, int], star: tuple[int, ...],
          rng: np.random.Generator, torch: Any) -> Pair:
    if isinstance(arg, (X, Index, Mask)):
        a = draw_array(arg, sizes, star, rng)
        grad = isinstance(arg, X) and arg.grad and a.dtype.kind == "f"
        ours = Tensor(a.copy())
        theirs = torch.from_numpy(a.copy())
        if grad:
            ours.requires_grad_(True)
            theirs.requires_grad_(True)
        return Pair(ours, theirs, grad)
    if isinstance(arg, str) and arg.startswith("torch.") and arg[6:] in DTYPE_VALUES:
        return Pair(DTYPE_VALUES[arg[6:]], getattr(torch, arg[6:]))
    if isinstance(arg, (tuple, list)) and any(isinstance(a, (X, Index, Mask)) for a in arg):
        parts = [_pair(a, sizes, star, rng, torch) for a in arg]
        pair = Pair(type(arg)(p.ours for p in parts), type(arg)(p.theirs for p in parts))
        pair.parts = parts  # type: ignore[attr-defined]
        return pair
    return Pair(arg, arg)


def _leaves(pairs: list[Pair]) -> list[Pair]:
    out = []
    for p in pairs:
        out += [p] if p.leaf else [q for q in getattr(p, "parts", []) if q.leaf]
    return out


def _torch_fn(torch: Any, spelling: str) -> Any:
    module, _, name = spelling.rpartition(".")
    if module == "Tensor":
        return getattr(torch.Tensor, name)
    return functools.reduce(getattr, module.split(".")[1:], torch).__getattribute__(name)


# -- comparing ----------------------------------------------------------------------------

def _flat(r: Any) -> list[Any]:
    if isinstance(r, (tuple, list)):
        return [x for e in r for x in _flat(e)]
    return [r]


def _np(t: Any) -> np.ndarray:
    return t.detach().numpy(force=True) if hasattr(t, "detach") and not isinstance(t, Tensor) \
        else np.asarray(t.array)


def _same_values(ours: Any, theirs: Any, smp: Sample, what: str) -> None:
    if ours is None or theirs is None:
        a = np.zeros(0) if ours is None else _np(ours)
        b = np.zeros(0) if theirs is None else _np(theirs)
        assert not a.any() and not b.any(), f"{what}: one side is None, the other {a} {b}"
        return
    a, b = _np(ours), _np(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs torch {b.shape}"
    assert np.allclose(a, b, rtol=smp.rtol, atol=smp.atol, equal_nan=True), \
        f"{what}: {a} vs torch {b}"


def _same_outputs(ours: Any, theirs: Any, smp: Sample, what: str) -> None:
    fo, ft = _flat(ours), _flat(theirs)
    assert len(fo) == len(ft), f"{what}: {len(fo)} outputs vs torch's {len(ft)}"
    for i, (o, t) in enumerate(zip(fo, ft, strict=True)):
        w = f"{what} output {i}"
        if not isinstance(o, Tensor):
            assert not hasattr(t, "grad_fn"), f"{w}: {o!r} vs torch tensor {t}"
            assert o == t or (o != o and t != t), f"{w}: {o!r} vs torch {t!r}"
            continue
        assert str(t.dtype) == f"torch.{o.array.dtype.name}".replace("torch.bool_", "torch.bool"),\
            f"{w}: dtype {o.array.dtype} vs torch {t.dtype}"
        _same_values(o, t, smp, w)
        ours_fn = None if o.grad_fn is None else o.grad_fn.name
        theirs_fn = None if t.grad_fn is None else type(t.grad_fn).__name__
        assert ours_fn == theirs_fn, f"{w}: grad_fn {ours_fn} vs torch {theirs_fn}"
        if smp.printing:
            assert repr(o) == repr(t), f"{w}: printing\n{o!r}\nvs torch\n{t!r}"


def _differentiable(r: Any, ours: bool) -> list[int]:
    flat = _flat(r)
    return [i for i, t in enumerate(flat)
            if (isinstance(t, Tensor) if ours else hasattr(t, "grad_fn"))
            and t.requires_grad]


def _call(fn: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    return fn(*args, **kwargs)


@functools.cache
def _torch() -> Any:
    """torch, with forward AD's decompositions loaded (their first use warns about jit)."""
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with torch.autograd.forward_ad.dual_level():
            torch.autograd.forward_ad.make_dual(torch.zeros(1), torch.zeros(1))
    return torch


# -- the sweep ----------------------------------------------------------------------------

@pytest.mark.parametrize(("spelling", "index"), CASES)
@SWEEP
@given(data=st.data())
def test_op_matches_torch(spelling: str, index: int, data: st.DataObject) -> None:
    torch = _torch()
    smp = SAMPLES[spelling][index]
    sizes = {c: data.draw(st.integers(1, 3), label=c) for c in sorted(_letters(smp))}
    star = tuple(data.draw(st.lists(st.integers(1, 3), max_size=3), label="*"))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    pairs = [_pair(a, sizes, star, rng, torch) for a in smp.args]
    kw = {k: _pair(v, sizes, star, rng, torch) for k, v in smp.kwargs.items()}
    forms = [(spelling, SURFACE[spelling], _torch_fn(torch, spelling))]
    method = "Tensor." + spelling.rpartition(".")[2]
    # torch.linalg's functions are not the Tensor methods of their last name (Tensor.solve
    # and Tensor.lstsq are the removed torch.solve and torch.lstsq, raising as they do)
    if (spelling.startswith("torch.") and not spelling.startswith("torch.linalg.")
            and smp.method and method in SURFACE and pairs
            and isinstance(smp.args[0], (X, Index, Mask))):
        forms.append((method, SURFACE[method], _torch_fn(torch, method)))
    for name, ours_fn, torch_fn in forms:
        _sweep_one(torch, smp, name, ours_fn, torch_fn, pairs, kw, rng)


def _sweep_one(torch: Any, smp: Sample, name: str, ours_fn: Any, torch_fn: Any,
               pairs: list[Pair], kw: dict[str, Pair], rng: np.random.Generator) -> None:
    inplace = name.endswith("_")

    def run(side: str, args: list[Any]) -> Any:
        if smp.seed is not None:
            if side == "ours":
                from gradcli.ad import ops
                ops.manual_seed(smp.seed)
            else:
                torch.manual_seed(smp.seed)
        kwargs = {k: getattr(p, side) for k, p in kw.items()}
        if inplace:  # on a non-leaf copy, so the leaf's gradient flows through
            args = [args[0].clone(), *args[1:]] if hasattr(args[0], "clone") else args
        return _call(ours_fn if side == "ours" else torch_fn, args, kwargs)

    ours_args = [p.ours for p in pairs]
    theirs_args = [p.theirs for p in pairs]
    r_ours = run("ours", ours_args)
    r_theirs = run("theirs", theirs_args)
    _same_outputs(r_ours, r_theirs, smp, name)
    leaves = _leaves([*pairs, *kw.values()])
    if not smp.grad or not leaves:
        return
    outs_o = [_flat(r_ours)[i] for i in _differentiable(r_ours, True)]
    outs_t = [_flat(r_theirs)[i] for i in _differentiable(r_theirs, False)]
    assert len(outs_o) == len(outs_t), f"{name}: differentiable outputs differ"
    if not outs_o:
        return
    ins_o, ins_t = [p.ours for p in leaves], [p.theirs for p in leaves]
    deep = smp.order >= 2
    g_o, g_t = _grads(torch, outs_o, outs_t, ins_o, ins_t, rng, deep)
    for i, (a, b) in enumerate(zip(g_o, g_t, strict=True)):
        _same_values(a, b, smp, f"{name}: d/d(arg {i})")
    pick = [i for i, (a, b) in enumerate(zip(g_o, g_t, strict=True))
            if a is not None and b is not None and a.requires_grad and b.requires_grad]
    if deep and pick:
        h_o, h_t = _grads(torch, [g_o[i] for i in pick], [g_t[i] for i in pick],
                          ins_o, ins_t, rng, False)
        for i, (a, b) in enumerate(zip(h_o, h_t, strict=True)):
            _same_values(a, b, smp, f"{name}: second derivative, arg {i}")
    if smp.jvp and not inplace:
        _sweep_jvp(torch, smp, name, ours_fn, torch_fn, pairs, kw, leaves, rng)


def _grads(torch: Any, outs_o: list[Any], outs_t: list[Any], ins_o: list[Any],
           ins_t: list[Any], rng: np.random.Generator, create_graph: bool) -> tuple[Any, Any]:
    """Both sides' gradients of Σ v·out w.r.t. the inputs, for the same random v."""
    vs = [rng.standard_normal(o.shape) for o in outs_o]
    g_o = autograd.grad(outs_o, ins_o, allow_unused=True, create_graph=create_graph,
                      grad_outputs=[Tensor(v.astype(o.array.dtype))
                                    for v, o in zip(vs, outs_o, strict=True)])
    g_t = torch.autograd.grad(outs_t, ins_t, allow_unused=True, create_graph=create_graph,
                              grad_outputs=[torch.from_numpy(v).to(t.dtype)
                                            for v, t in zip(vs, outs_t, strict=True)])
    return g_o, g_t


def _sweep_jvp(torch: Any, smp: Sample, name: str, ours_fn: Any, torch_fn: Any,
               pairs: list[Pair], kw: dict[str, Pair], leaves: list[Pair],
               rng: np.random.Generator) -> None:
    tangents = {id(p): rng.standard_normal(p.ours.shape) for p in leaves}
    fwd = torch.autograd.forward_ad

    def dual(p: Pair, side: str) -> Any:
        if not p.leaf:
            parts = getattr(p, "parts", None)
            if parts:
                return type(getattr(p, side))(dual(q, side) for q in parts)
            return getattr(p, side)
        t = tangents[id(p)]
        if side == "ours":
            return forward.make_dual(p.ours.detach(), Tensor(t.astype(p.ours.array.dtype)))
        return fwd.make_dual(p.theirs.detach(), torch.from_numpy(t).to(p.theirs.dtype))

    with forward.dual_level():
        r_o = ours_fn(*[dual(p, "ours") for p in pairs],
                      **{k: dual(p, "ours") for k, p in kw.items()})
        t_o = [forward.unpack_dual(o)[1] if isinstance(o, Tensor) else None
               for o in _flat(r_o)]
    with fwd.dual_level():
        r_t = torch_fn(*[dual(p, "theirs") for p in pairs],
                       **{k: dual(p, "theirs") for k, p in kw.items()})
        t_t = [fwd.unpack_dual(o).tangent if hasattr(o, "grad_fn") else None
               for o in _flat(r_t)]
    for i, (a, b) in enumerate(zip(t_o, t_t, strict=True)):
        _same_values(a, b, smp, f"{name}: JVP of output {i}")
