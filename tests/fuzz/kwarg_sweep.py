"""The keyword sweep (r26): every keyword parameter of every op gd binds, at a value other
than its default, against PyTorch. `python -m fuzz.kwarg_sweep [PREFIX...]` from tests/.

The worst thing gd can do is accept a keyword and ignore it (round 25: linalg.pinv's
hermitian=True). For each spelling of the surface table (torch.X, torch.linalg.X,
torch.special.X, torch.fft.X, F.X, x.X(), x.X_()) this takes the spelling's sample
(tests/samples: the base call), collects the keyword parameters gd binds it with (the
parser signature argcheck checks it against, the implementing function's own
parameters) and PyTorch's own (a Python-level function's signature), draws non-default
values of each (flags both ways; names of modes from a table by parameter name), and
runs `op(base..., kw=value)` on float64 and float32 inputs, printing the result and the
inputs' gradients of a weighted sum, under PyTorch and under gd. Each differing case is
classified:

  ignored   gd prints what it prints without the keyword, PyTorch something else
  value     both succeed and print different things
  refused   gd fails where PyTorch succeeds
  accepted  gd succeeds where PyTorch fails
  class     both fail, with different exception classes
  message   both fail, gd's message claims to be PyTorch's and is not
  bits      both succeed, every differing number within printed-rounding distance
            (kernels' last bits: not the keyword's doing; not counted as differing)
  known     a pair of KNOWN below (a refusal on purpose; not counted as differing)
"""

from __future__ import annotations

import inspect
import keyword
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from samples import Index, Mask, Sample, X, draw_array, load

from fuzz import kwarg_modules
from fuzz.op_check import _same_error
from fuzz.print_check import run_gd, run_torch

#: Candidate values by parameter name (strings are source text).
BY_NAME: dict[str, tuple[str, ...]] = {
    "reduction": ("'none'", "'sum'", "'mean'"),
    "dim": ("0", "-1"),
    "keepdim": ("True",),
    "dtype": ("torch.float32", "torch.float64", "torch.int64"),
    "approximate": ("'tanh'",),
    "rounding_mode": ("'floor'", "'trunc'"),
    "interpolation": ("'lower'", "'higher'", "'nearest'", "'midpoint'"),
    "norm": ("'ortho'", "'forward'"),
    "UPLO": ("'U'",),
    "uplo": ("'U'",),
    "mode": ("'reduced'", "'complete'", "'r'", "'nearest'", "'bilinear'", "'reflect'",
             "'sum'", "'max'", "'mean'"),
    "padding_mode": ("'reflect'", "'replicate'", "'circular'", "'border'"),
    "align_corners": ("True", "False"),
    "ord": ("1", "2", "float('inf')", "-1", "'fro'", "'nuc'"),
    "p": ("1", "3", "0.5"),
    "side": ("'right'",),
    "driver": ("'gelsd'", "'gelsy'", "'gelss'"),
    "indexing": ("'xy'",),
    "correction": ("0", "2"),
    "unbiased": ("False",),
    "descending": ("True",),
    "stable": ("True",),
    "largest": ("False",),
    "sorted": ("False",),
    "return_inverse": ("True",),
    "return_counts": ("True",),
    "hermitian": ("True",),
    "full_matrices": ("False",),
    "upper": ("True",),
    "left": ("False",),
    "transpose": ("True",),
    "unitriangular": ("True",),
    "pivot": ("False",),
    "check_errors": ("True",),
    "compute_uv": ("False",),
    "some": ("False",),
    "eigenvectors": ("True",),
    "atol": ("0.5",),
    "rtol": ("0.5",),
    "rcond": ("0.5",),
    "tol": ("0.5",),
    "eps": ("0.5",),
    "equal_nan": ("True",),
    "right": ("True",),
    "out_int32": ("True",),
    "diagonal": ("1", "-1"),
    "offset": ("1", "-1"),
    "dim1": ("1",),
    "dim2": ("0",),
    "beta": ("0.5", "2"),
    "alpha": ("0.5", "2"),
    "value": ("0.5", "2"),
    "weight": ("0.5",),
    "ignore_index": ("0", "1"),
    "label_smoothing": ("0.2",),
    "margin": ("0.5",),
    "delta": ("0.5",),
    "log_input": ("False",),
    "full": ("True",),
    "threshold": ("0.5",),
    "inplace": ("True",),
    "training": ("True", "False"),
    "replacement": ("True",),
    "periodic": ("False",),
    "return_complex": ("True", "False"),
    "onesided": ("False",),
    "center": ("False",),
    "normalized": ("True",),
    "n": ("2", "4"),
    "s": ("(2, 2)",),
    "k": ("1", "2"),
    "decimals": ("1", "-1"),
    "exponent": ("2",),
    "min": ("-0.5",),
    "max": ("0.5",),
    "bins": ("3",),
    "density": ("True",),
    "edge_order": ("2",),
    "spacing": ("2.0",),
    "scale_grad_by_freq": ("True",),
    "max_norm": ("0.5",),
    "norm_type": ("1.0", "3.0"),
    "padding_idx": ("0",),
    "sparse": ("False",),
    "return_indices": ("True",),
    "ceil_mode": ("True",),
    "count_include_pad": ("False",),
    "divisor_override": ("2",),
    "stride": ("2",),
    "padding": ("1",),
    "dilation": ("2",),
    "groups": ("1",),
    "output_padding": ("1",),
    "scale_factor": ("2.0",),
    "size": ("4",),
    "recompute_scale_factor": ("True",),
    "antialias": ("True",),
    "is_causal": ("True",),
    "scale": ("0.5",),
    "dropout_p": ("0.0",),
    "enable_gqa": ("True",),
    "swap": ("True",),
    "zero_infinity": ("True",),
    "blank": ("1",),
    "log_target": ("True",),
    "pos_weight": ("torch.tensor(2.0, dtype=torch.float64)",),
    "memory_format": ("torch.contiguous_format", "torch.preserve_format"),
    "non_blocking": ("True",),
    "copy": ("True",),
    "assume_unique": ("True",),
    "invert": ("True",),
    "return_inverse_": ("True",),
    "accumulate": ("True",),
    "include_self": ("False",),
    "reduce": ("'sum'", "'prod'", "'amax'", "'mean'", "'add'", "'multiply'"),
    "lambd": ("0.2",),
    "negative_slope": ("0.3",),
    "min_val": ("-0.3",),
    "max_val": ("0.3",),
    "upscale_factor": ("2",),
    "downscale_factor": ("2",),
    "num_classes": ("5",),
    "tau": ("0.5",),
    "hard": ("True",),
    "generator": (),
    "out": (),
    "layout": (),
    "device": (),
    "pin_memory": (),
    "requires_grad": ("True",),
    "names": (),
}


#: (spelling, keyword) → why its difference stays: refusals on purpose (gd says it cannot,
#: rather than print something else) and PyTorch's own failures not mirrored. Classified
#: "known", not counted as differing.
KNOWN: dict[tuple[str, str], str] = {
    ("torch.gather", "sparse_grad"): "refused: sparse gradients (as embedding's sparse=True)",
    ("Tensor.gather", "sparse_grad"): "refused: sparse gradients (as embedding's sparse=True)",
    ("torch.nn.EmbeddingBag", "max_norm"): "refused: embedding_bag's max_norm",
    ("torch.nn.EmbeddingBag", "scale_grad_by_freq"): "refused: embedding_bag's option",
    ("torch.nn.functional.embedding_bag", "max_norm"): "refused: embedding_bag's max_norm",
    ("torch.nn.functional.embedding_bag", "scale_grad_by_freq"): "refused: its option",
    ("torch.linalg.lstsq", "rcond"): "refused past gelsy's cut (QR pivoting's estimate)",
    ("torch.linalg.cond", "p"): "PyTorch's own backward fails (an in-place inverse)",
}


@dataclass
class Case:
    """One (spelling, keyword, value, dtype) program and what the base call prints."""

    spelling: str
    keyword: str
    value: str
    dtype: str
    text: str
    base: str


@dataclass
class Result:
    case: Case
    kind: str  # "" when the two agree
    why: str


def _emit(arg: Any, rng: np.random.Generator, dtype: str, names: list[str],
          lines: list[str], grads: list[str]) -> str:
    """Source text for one sample argument (a tensor becomes a named variable)."""
    if isinstance(arg, (X, Index, Mask)):
        a = draw_array(arg, _SIZES, (2, 3), rng)
        name = f"a{len(names)}"
        names.append(name)
        if isinstance(arg, X):
            d = arg.dtype if arg.dtype != "float64" else dtype
            grad = arg.grad and d.startswith("float")
            lines.append(f"{name} = torch.tensor({a.tolist()!r}, dtype=torch.{d}"
                         + (", requires_grad=True)" if grad else ")"))
            if grad:
                grads.append(name)
        elif isinstance(arg, Index):
            lines.append(f"{name} = torch.tensor({a.tolist()!r}, dtype=torch.int64)")
        else:
            lines.append(f"{name} = torch.tensor({a.tolist()!r}, dtype=torch.bool)")
        return name
    if isinstance(arg, str) and arg.startswith("torch."):
        return arg
    if isinstance(arg, tuple):
        inner = [_emit(a, rng, dtype, names, lines, grads) for a in arg]
        return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
    if isinstance(arg, list):
        return "[" + ", ".join(_emit(a, rng, dtype, names, lines, grads) for a in arg) + "]"
    if isinstance(arg, float) and not np.isfinite(arg):
        return f"float('{arg}')"
    return repr(arg)


_SIZES: dict[str, int] = dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)

_SHOW = """\
def show(r, leaves):
    items = list(r) if isinstance(r, (tuple, list)) else [r]
    for v in items:
        print(v)
    outs = [v for v in items if isinstance(v, torch.Tensor) and v.requires_grad
            and v.is_floating_point() and v.numel() > 0]
    if outs:
        total = 0
        for v in outs:
            w = torch.linspace(0.5, 1.5, v.numel(), dtype=v.dtype).reshape(v.shape)
            total = total + (v * w).sum()
        total.backward()
        for t in leaves:
            print(t.grad)
"""


def program(smp: Sample, spelling: str, dtype: str, kw: dict[str, str]) -> str:
    """The program calling `spelling` with the sample's arguments and `kw` (source text)."""
    rng = np.random.default_rng(0)
    names: list[str] = []
    lines: list[str] = ["import torch", "import torch.nn.functional as F", _SHOW]
    grads: list[str] = []
    args = [_emit(a, rng, dtype, names, lines, grads) for a in smp.args]
    kwargs = {k: _emit(v, rng, dtype, names, lines, grads) for k, v in smp.kwargs.items()}
    kwargs.update(kw)
    module, _, name = spelling.rpartition(".")
    if module == "Tensor":
        if not args:
            return ""
        self_ = args[0] + (".clone()" if name.endswith("_") and args[0] in grads else "")
        call = f"{self_}.{name}(" + ", ".join(
            [*args[1:], *(f"{k}={v}" for k, v in kwargs.items())]) + ")"
    else:
        fn = spelling.replace("torch.nn.functional.", "F.")
        if name.endswith("_") and args and args[0] in grads:
            args[0] += ".clone()"
        call = f"{fn}(" + ", ".join([*args, *(f"{k}={v}" for k, v in kwargs.items())]) + ")"
    seed = f"    torch.manual_seed({smp.seed if smp.seed is not None else 0})\n"
    lines.append("try:\n" + seed + f"    show({call}, [{', '.join(grads)}])\n"
                 "except Exception as e:\n"
                 "    print('!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])")
    return "\n".join(lines) + "\n"


def keywords(spelling: str) -> dict[str, str]:
    """Keyword parameter name → its default (source text, "" when unknown) of every
    parameter gd's binding or PyTorch's own signature gives `spelling`."""
    from gradcli.ad.ops import SURFACE
    from gradcli.interp.argcheck import Signature
    from gradcli.interp.schemas import SCHEMAS
    from gradcli.interp.signatures import SIGNATURES

    found: dict[str, str] = {}
    for text in SIGNATURES.get(spelling) or SCHEMAS.get(spelling) or ():
        for p in Signature(text).params:
            if p.optional and p.name not in ("input", "self"):
                found.setdefault(p.name, p.default)
    fns: list[Any] = [SURFACE[spelling]]
    theirs = _torch_function(spelling)
    if theirs is not None:
        fns.append(theirs)
    for fn in fns:
        try:
            params = inspect.signature(fn).parameters.values()
        except (TypeError, ValueError):
            continue
        for p in params:
            if p.default is not inspect.Parameter.empty and not p.name.startswith("_"):
                found.setdefault(p.name, repr(p.default))
    return found


def _torch_function(spelling: str) -> Any:
    try:
        import torch
    except ImportError:  # pragma: no cover
        return None
    obj: Any = torch
    for part in spelling.replace("Tensor.", "Tensor.", 1).split(".")[1:] \
            if not spelling.startswith("Tensor.") else ["Tensor", spelling[7:]]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def values(name: str, default: str) -> tuple[str, ...]:
    """Non-default candidate values (source text) of a keyword parameter."""
    if name in BY_NAME:
        cands = BY_NAME[name]
    elif default in ("True", "False"):
        cands = ("False", "True")
    elif default in ("None", ""):
        cands = ("True", "1", "0.5")
    else:
        try:
            d = float(default)
        except ValueError:
            return ()
        cands = ("0", "2", "-1") if default.lstrip("-").isdigit() else ("0.5", "2.0")
        cands = tuple(c for c in cands if float(c) != d)
    return tuple(c for c in cands if c != default)


def _base_sample(spelling: str, samples: dict[str, list[Sample]]) -> tuple[Sample, str] | None:
    """The sample with the fewest arguments, and the spelling it is called with."""
    own = samples.get(spelling)
    if not own and spelling.startswith("Tensor."):
        own = [s for s in samples.get("torch." + spelling[7:], [])
               if s.args and isinstance(s.args[0], X)]
    if not own:
        return None
    return min(own, key=lambda s: (len(s.args) + len(s.kwargs))), spelling


def cases(prefixes: tuple[str, ...] = ()) -> Iterator[Case]:
    """Every (spelling, keyword, value, dtype) program of the sweep, in a fixed order."""
    from gradcli.ad.ops import SURFACE

    samples = load()
    for spelling in sorted(SURFACE):
        if prefixes and not spelling.startswith(prefixes):
            continue
        found = _base_sample(spelling, samples)
        if found is None:
            continue
        smp, _ = found
        for kw, default in sorted(keywords(spelling).items()):
            if kw in smp.kwargs or keyword.iskeyword(kw):  # x.uniform_(from=...): not Python
                continue
            for dtype in ("float64", "float32"):
                base = program(smp, spelling, dtype, {})
                if not base:
                    continue
                for v in values(kw, default):
                    yield Case(spelling, kw, v, dtype, program(smp, spelling, dtype, {kw: v}),
                               base)
    for name in sorted(kwarg_modules.MODULES):
        spelling = "torch.nn." + name
        if prefixes and not spelling.startswith(prefixes):
            continue
        for kw, default in sorted(kwarg_modules.keywords(name).items()):
            cands = kwarg_modules.CTOR.get(kw) or values(kw, default)
            for dtype in ("float64", "float32"):
                base = kwarg_modules.program(name, dtype, {})
                for v in cands:
                    if v != default:
                        yield Case(spelling, kw, v, dtype,
                                   kwarg_modules.program(name, dtype, {kw: v}), base)


_BASES: dict[str, tuple[str, str]] = {}


def _outputs(text: str) -> tuple[str, str]:
    if text not in _BASES:
        t, t_err = run_torch(text)
        g, g_err = run_gd(text)
        if t_err is not None:
            t += f"!ERR {type(t_err).__name__} {t_err}"
        if g_err is not None:
            g += f"!ERR GdError {g_err.message}"
        _BASES[text] = (t, g)
    return _BASES[text]


_NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")


def _close(theirs: str, ours: str) -> bool:
    """Whether the two differ only in numbers, each within printed-rounding distance (a
    kernel's last bits, a mathematically zero gradient's rounding: not the keyword)."""
    if re.sub(r"\s+", "", _NUMBER.sub("#", theirs)) != re.sub(r"\s+", "", _NUMBER.sub("#", ours)):
        return False  # (a number's sign or format changes the printed padding)
    for x, y in zip(_NUMBER.findall(theirs), _NUMBER.findall(ours), strict=True):
        a, b = float(x), float(y)
        if a != b and not (abs(a - b) <= 1e-4 * max(1.0, abs(a))):
            return False
    return True


def _first_difference(theirs: str, ours: str) -> str:
    a, b = theirs.splitlines(), ours.splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"line {i + 1}:\n torch   {x[:300]!r}\n gradcli {y[:300]!r}"
    return f" torch   {theirs[-300:]!r}\n gradcli {ours[-300:]!r}"


def classify(case: Case) -> Result:
    """Run one case under both and say how they differ ("" when they agree)."""
    theirs, ours = _outputs(case.text)
    if theirs == ours:
        return Result(case, "", "")
    if (case.spelling, case.keyword) in KNOWN:
        return Result(case, "known", KNOWN[case.spelling, case.keyword])
    t_err = theirs.startswith("!ERR") or "\n!ERR" in theirs
    g_err = ours.startswith("!ERR") or "\n!ERR" in ours
    t_last = theirs.rstrip("\n").splitlines()[-1] if theirs.strip() else ""
    g_last = ours.rstrip("\n").splitlines()[-1] if ours.strip() else ""
    why = _first_difference(theirs, ours)
    if t_err and g_err:
        if t_last.split(" ")[1:2] != g_last.split(" ")[1:2]:
            return Result(case, "class", why)
        if not _same_error(t_last, g_last):
            return Result(case, "message", why)
        return Result(case, "", "")
    if g_err:
        return Result(case, "refused", why)
    if t_err:
        return Result(case, "accepted", why)
    t_base, g_base = _outputs(case.base)
    if ours == g_base and theirs != t_base:
        return Result(case, "ignored", why)
    return Result(case, "bits" if _close(theirs, ours) else "value", why)


def sweep(prefixes: tuple[str, ...] = (), every: int = 1, start: int = 0) -> list[Result]:
    """Classify every `every`-th case from `start` (all by default)."""
    return [classify(c) for i, c in enumerate(cases(prefixes)) if i % every == start % every]


def main(argv: list[str]) -> None:
    every = 1
    if argv and argv[0].startswith("--every="):
        every = int(argv.pop(0).split("=")[1])
    results = sweep(tuple(argv), every)
    bad = [r for r in results if r.kind and r.kind not in ("bits", "known")]
    counts: dict[str, int] = {}
    for r in bad:
        counts[r.kind] = counts.get(r.kind, 0) + 1
        c = r.case
        print("=" * 70)
        print(f"[{r.kind}] {c.spelling} {c.keyword}={c.value} ({c.dtype})")
        print(r.why)
    pairs = {(r.case.spelling, r.case.keyword) for r in results}
    bad_pairs = {(r.case.spelling, r.case.keyword) for r in bad}
    aside = {k: sum(r.kind == k for r in results) for k in ("bits", "known")}
    print(f"{len(results)} cases, {len(pairs)} (callable, keyword) pairs; "
          f"{len(bad)} cases differ in {len(bad_pairs)} pairs: {counts}; set aside: {aside}")


if __name__ == "__main__":
    main(sys.argv[1:])
