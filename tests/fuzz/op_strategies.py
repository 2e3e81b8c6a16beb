"""Class (p) of the Trust fuzzer: the functions real code calls (round 21, "fuzz").

`op_programs()` draws small programs, valid gd and valid Python + PyTorch, each a few
blocks; a block makes fresh inputs and calls one function with random but valid
arguments, then prints the result's dtype, shape and value (repr and, where the last
bits are ours to match, tolist()) and the gradients of a random scalar function of it:

- inputs: 0-d to 4-d, empty dimensions, float32/float64/int64/bool where the function
  takes them, nan/inf/-0.0 planted, small integers (ties), and non-contiguous layouts
  (a permuted, step-sliced or expanded view of the leaf the gradients are taken of);
- torch.nn.functional: activations with their parameters, losses with reduction=,
  weight=, ignore_index=, label_smoothing=, normalize, pad modes, one_hot, interpolate,
  conv and pooling with stride/padding/dilation/groups/ceil_mode, embedding with
  padding_idx/max_norm, dropout in eval;
- Tensor methods: reductions over dim tuples with keepdim, cumulative ops, sort/topk/
  kthvalue/median/mode with ties, scatter/gather/index_* with duplicate indices,
  masked_*, where, clamp with tensor bounds, mixed-dtype and Python-scalar promotion,
  integer division and remainder signs, in-place ops on views, bitwise/logical ops,
  comparisons.

Each block runs in a try that prints `!ERR`, the exception's class and its first line:
fuzz.op_check compares those lines by class, and by message where gradcli's message
starts with PyTorch's words. Convolutions (matrix products: the last float bits come
from MKL/oneDNN, helper r21-mkl's subject) print the repr only (4 significant digits)
and their gradients rounded, a tolerance rather than bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import strategies as st

Shape = tuple[int, ...]
F32, F64, I64, BOOL = "torch.float32", "torch.float64", "torch.int64", "torch.bool"
FLOATS = [F32, F64]
SPECIALS = ["float('nan')", "float('inf')", "-float('inf')", "-0.0"]
SHAPES: list[Shape] = [(), (4,), (5,), (2, 3), (3, 1), (1, 4), (3, 4), (2, 3, 2), (2, 1, 3),
                       (0,), (2, 0), (3, 0, 2), (1, 2, 2, 3)]


@dataclass
class Block:
    """One call: the lines that make its inputs, the call, and what to print."""

    lines: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)  # the gradients are taken of these
    n: int = 0  # inputs made so far (names a0, a1...)
    exact: bool = True  # False: matrix products inside, print the repr only


def _count(shape: Shape) -> int:
    n = 1
    for k in shape:
        n *= k
    return n


def _nest(values: list[str], shape: Shape) -> str:
    if not shape:
        return values[0]
    if len(shape) == 1:
        return "[" + ", ".join(values) + "]"
    step = len(values) // shape[0] if shape[0] else 0
    return "[" + ", ".join(_nest(values[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def _value(draw: st.DrawFn, dtype: str, lo: int, hi: int) -> str:
    if dtype == BOOL:
        return draw(st.sampled_from(["True", "False"]))
    if dtype == I64:
        return str(draw(st.integers(lo, hi)))
    kind = draw(st.integers(0, 3))
    if kind == 0:  # small integers: ties
        return f"{draw(st.integers(lo, hi))}.0"
    if kind == 1:
        return repr(draw(st.integers(4 * lo, 4 * hi)) / 4)
    return repr(round(draw(st.floats(lo, hi, allow_nan=False)), draw(st.integers(1, 6))))


def literal(draw: st.DrawFn, shape: Shape, dtype: str, *, lo: int = -3, hi: int = 3,
            specials: bool = True) -> str:
    """torch.tensor(...) of shape and dtype (zeros for empty shapes with trailing dims)."""
    n = _count(shape)
    if n == 0:
        dims = ", ".join(map(str, shape))
        return f"torch.zeros({dims}, dtype={dtype})" \
            if shape else f"torch.zeros((), dtype={dtype})"
    values = [_value(draw, dtype, lo, hi) for _ in range(n)]
    if specials and dtype in FLOATS and draw(st.integers(0, 3)) == 0:
        for _ in range(draw(st.integers(1, 2))):
            values[draw(st.integers(0, n - 1))] = draw(st.sampled_from(SPECIALS))
    return f"torch.tensor({_nest(values, shape)}, dtype={dtype})"


def tensor(draw: st.DrawFn, b: Block, shape: Shape, dtype: str, *, grad: bool | None = None,
           layout: bool = True, **kw: object) -> str:
    """Make an input of shape and dtype in the block, maybe a non-contiguous view of a
    leaf that requires grad; returns its name."""
    name = f"a{b.n}"
    b.n += 1
    rg = (dtype in FLOATS and draw(st.integers(0, 3)) > 0) if grad is None else grad
    how = draw(st.sampled_from(["plain", "plain", "perm", "step", "expand"])) if layout \
        else "plain"
    nd = len(shape)
    if how == "perm" and nd >= 2:
        base, view = tuple(reversed(shape)), f".permute({', '.join(map(str, range(nd)[::-1]))})"
    elif how == "step" and nd >= 1 and shape[-1] > 0:
        base, view = (*shape[:-1], 2 * shape[-1]), "[..., ::2]"
    elif how == "expand" and any(k > 1 for k in shape):
        d = draw(st.sampled_from([i for i, k in enumerate(shape) if k > 1]))
        base = tuple(1 if i == d else k for i, k in enumerate(shape))
        view = f".expand({', '.join(map(str, shape))})"
    else:
        base, view = shape, ""
    lit = literal(draw, base, dtype, **kw)  # type: ignore[arg-type]
    if rg:
        b.lines.append(f"{name}_ = {lit}.requires_grad_()")
        b.leaves.append(f"{name}_")
        b.lines.append(f"{name} = {name}_{view}")
    else:
        b.lines.append(f"{name} = {lit}{view}")
    return name


def _dim(draw: st.DrawFn, nd: int) -> int:
    """A valid dim of an nd-d tensor, negative or not (0-d tensors take 0 and -1)."""
    k = max(nd, 1)
    return draw(st.integers(-k, k - 1))


def _shape(draw: st.DrawFn, nonempty: bool = False, min_nd: int = 0) -> Shape:
    return draw(st.sampled_from([s for s in SHAPES if len(s) >= min_nd
                                 and (not nonempty or _count(s) > 0)]))


def _float(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(FLOATS))


def _kw(draw: st.DrawFn, options: dict[str, list[str]]) -> str:
    """Some of the keyword arguments, each with one of its values."""
    out = []
    for k, vs in options.items():
        if draw(st.booleans()):
            out.append(f", {k}={draw(st.sampled_from(vs))}")
    return "".join(out)


# ---------------------------------------------------------------- nn.functional

ACTIVATIONS: dict[str, dict[str, list[str]]] = {
    "F.relu": {}, "F.relu6": {}, "F.selu": {}, "F.silu": {}, "F.mish": {},
    "F.softsign": {}, "F.tanhshrink": {}, "F.hardswish": {}, "F.hardsigmoid": {},
    "F.logsigmoid": {}, "F.sigmoid": {}, "F.tanh": {},
    "F.elu": {"alpha": ["0.5", "1.0", "2.0"]}, "F.celu": {"alpha": ["0.5", "1.0", "3.0"]},
    "F.leaky_relu": {"negative_slope": ["0.01", "0.2", "-0.5"]},
    "F.gelu": {"approximate": ["'none'", "'tanh'"]},
    "F.softplus": {"beta": ["1", "2", "0.5"], "threshold": ["20", "1", "5"]},
    "F.hardtanh": {"min_val": ["-1.0", "-0.5"], "max_val": ["1.0", "2.0"]},
    "F.hardshrink": {"lambd": ["0.5", "1.0"]}, "F.softshrink": {"lambd": ["0.5", "1.0"]},
    "F.rrelu": {"training": ["False"], "lower": ["0.1"], "upper": ["0.3"]},
    "F.dropout": {"p": ["0.5", "0.0"], "training": ["False"]},
    "F.alpha_dropout": {"p": ["0.3"], "training": ["False"]},
}


def activation(draw: st.DrawFn, b: Block) -> str:
    name = draw(st.sampled_from(sorted(ACTIVATIONS)))
    x = tensor(draw, b, _shape(draw), _float(draw))
    kw = _kw(draw, ACTIVATIONS[name])
    if name in ("F.dropout", "F.alpha_dropout", "F.rrelu") and "training" not in kw:
        kw += ", training=False"
    if name == "F.threshold":
        kw = ", 0.5, -1.0"
    return f"{name}({x}{kw})"


def softmaxes(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    x = tensor(draw, b, shape, _float(draw))
    name = draw(st.sampled_from(["F.softmax", "F.log_softmax", "F.softmin", "F.glu",
                                 "F.normalize", "F.threshold", "F.prelu"]))
    d = _dim(draw, len(shape))
    if name == "F.glu":
        return f"F.glu({x}, {d})"
    if name == "F.normalize":
        return f"F.normalize({x}{_kw(draw, {'p': ['1.0', '2', '3.0', '0.5'], 'dim': [str(d)]})})"
    if name == "F.threshold":
        return f"F.threshold({x}, {draw(st.sampled_from(['0.5', '0.0', '-1.0']))}, " \
               f"{draw(st.sampled_from(['-2.0', '0.0', '7.0']))})"
    if name == "F.prelu":
        c = shape[1] if len(shape) >= 2 else 1
        w = tensor(draw, b, (draw(st.sampled_from([1, c])),), _float(draw), layout=False)
        return f"F.prelu({x}, {w})"
    return f"{name}({x}, dim={d}{_kw(draw, {'dtype': [F64]})})"


LOSS_REDUCTIONS = ["'mean'", "'sum'", "'none'"]


def regression_loss(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    dt = _float(draw)
    x = tensor(draw, b, shape, dt)
    y = tensor(draw, b, draw(st.sampled_from([shape, shape[1:], ()])), dt)
    name = draw(st.sampled_from(["F.mse_loss", "F.l1_loss", "F.smooth_l1_loss",
                                 "F.huber_loss", "F.soft_margin_loss", "F.kl_div",
                                 "F.poisson_nll_loss", "F.binary_cross_entropy",
                                 "F.binary_cross_entropy_with_logits",
                                 "F.hinge_embedding_loss", "F.gaussian_nll_loss"]))
    extra = {"F.smooth_l1_loss": {"beta": ["1.0", "0.5", "0.0"]},
             "F.huber_loss": {"delta": ["1.0", "0.5", "2.0"]},
             "F.kl_div": {"log_target": ["True", "False"]},
             "F.poisson_nll_loss": {"log_input": ["True", "False"], "full": ["True"]},
             "F.hinge_embedding_loss": {"margin": ["1.0", "0.5"]},
             "F.gaussian_nll_loss": {"full": ["True"], "eps": ["1e-6"]}}.get(name, {})
    kw = _kw(draw, {"reduction": LOSS_REDUCTIONS + (["'batchmean'"] if name == "F.kl_div"
                                                    else []), **extra})
    if name == "F.binary_cross_entropy":
        w = f", weight={tensor(draw, b, shape[1:], dt)}.abs()" if draw(st.booleans()) else ""
        return f"F.binary_cross_entropy(torch.sigmoid({x}), torch.sigmoid({y}){w}{kw})"
    if name == "F.binary_cross_entropy_with_logits":
        pw = f", pos_weight={tensor(draw, b, shape[-1:], dt)}.abs()" \
            if draw(st.booleans()) else ""
        return f"F.binary_cross_entropy_with_logits({x}, torch.sigmoid({y}){pw}{kw})"
    if name == "F.gaussian_nll_loss":
        return f"F.gaussian_nll_loss({x}, {y}, {y}.abs() + 0.5{kw})"
    if name == "F.hinge_embedding_loss":
        return f"F.hinge_embedding_loss({x}, torch.sign({y}){kw})"
    return f"{name}({x}, {y}{kw})"


def class_loss(draw: st.DrawFn, b: Block) -> str:
    n, c = draw(st.sampled_from([(3, 4), (1, 3), (4, 2), (0, 3)]))
    extra = draw(st.sampled_from([(), (), (2,)]))
    dt = _float(draw)
    x = tensor(draw, b, (n, c, *extra), dt)
    ts = (n, *extra)
    target = f"a{b.n}"
    b.n += 1
    b.lines.append(f"{target} = {literal(draw, ts, I64, lo=0, hi=c - 1)}")
    # (no multi_margin_loss of an empty batch: PyTorch's mean of it reads uninitialised
    # memory, a different tiny number each run)
    name = draw(st.sampled_from(["F.cross_entropy", "F.nll_loss", "F.cross_entropy_p"]
                                + (["F.multi_margin_loss"] if n else [])))
    opts: dict[str, list[str]] = {"reduction": LOSS_REDUCTIONS}
    if name != "F.multi_margin_loss":
        opts["ignore_index"] = ["0", "1", "-100"]
    if draw(st.booleans()):
        w = tensor(draw, b, (c,), dt, layout=False, grad=False)
        opts["weight"] = [f"{w}.abs()"]
    if name == "F.cross_entropy_p":
        probs = tensor(draw, b, (n, c, *extra), dt)
        opts.pop("ignore_index")
        opts["label_smoothing"] = ["0.1", "0.0"]
        return f"F.cross_entropy({x}, torch.softmax({probs}, 1){_kw(draw, opts)})"
    if name == "F.cross_entropy":
        opts["label_smoothing"] = ["0.1", "0.25", "0.0"]
    if name == "F.nll_loss":
        x = f"F.log_softmax({x}, 1)"
    if name == "F.multi_margin_loss":
        opts["p"] = ["1", "2"]
        opts["margin"] = ["1.0", "0.5"]
        if extra:
            return f"F.multi_margin_loss({x}.flatten(1), {target}[:, 0]{_kw(draw, opts)})"
    return f"{name}({x}, {target}{_kw(draw, opts)})"


def pair_loss(draw: st.DrawFn, b: Block) -> str:
    shape = draw(st.sampled_from([(3, 4), (2, 3), (1, 5), (4,)]))
    dt = _float(draw)
    x1, x2 = tensor(draw, b, shape, dt), tensor(draw, b, shape, dt)
    name = draw(st.sampled_from(["F.cosine_similarity", "F.pairwise_distance",
                                 "F.margin_ranking_loss", "F.cosine_embedding_loss",
                                 "F.triplet_margin_loss", "F.multilabel_soft_margin_loss"]))
    if name == "F.cosine_similarity":
        kw = _kw(draw, {"dim": ["0", "-1"], "eps": ["1e-8", "0.5"]})
        return f"F.cosine_similarity({x1}, {x2}{kw})"
    if name == "F.pairwise_distance":
        kw = _kw(draw, {"p": ["1.0", "2.0", "3.0"], "eps": ["1e-6", "0.0"],
                        "keepdim": ["True"]})
        return f"F.pairwise_distance({x1}, {x2}{kw})"
    if name == "F.margin_ranking_loss":
        kw = _kw(draw, {"margin": ["0.0", "0.5"], "reduction": LOSS_REDUCTIONS})
        return f"F.margin_ranking_loss({x1}, {x2}, torch.sign({x1}.detach()){kw})"
    if name == "F.cosine_embedding_loss":
        t = "torch.tensor([1.0, -1.0, 1.0, -1.0])[:" + str(shape[0]) + "]" if len(shape) == 2 \
            else "torch.tensor(-1.0)"
        kw = _kw(draw, {"margin": ["0.0", "0.5"], "reduction": LOSS_REDUCTIONS})
        return f"F.cosine_embedding_loss({x1}, {x2}, {t}{kw})"
    if name == "F.triplet_margin_loss":
        x3 = tensor(draw, b, shape, dt)
        kw = _kw(draw, {"margin": ["1.0", "0.1"], "p": ["1", "2"], "swap": ["True"],
                        "reduction": LOSS_REDUCTIONS})
        return f"F.triplet_margin_loss({x1}, {x2}, {x3}{kw})"
    kw = _kw(draw, {"reduction": LOSS_REDUCTIONS})
    return f"F.multilabel_soft_margin_loss({x1}, ({x2} > 0).to({dt}){kw})"


def pad_and_friends(draw: st.DrawFn, b: Block) -> str:
    name = draw(st.sampled_from(["pad", "pad", "one_hot", "interpolate", "embedding"]))
    if name == "one_hot":
        shape = _shape(draw)
        t = f"a{b.n}"
        b.n += 1
        b.lines.append(f"{t} = {literal(draw, shape, I64, lo=0, hi=3)}")
        nc = draw(st.sampled_from(["", ", 4", ", -1", ", 6", ", num_classes=5"]))
        return f"F.one_hot({t}{nc})"
    if name == "embedding":
        nw, d = 5, draw(st.sampled_from([2, 3]))
        w = tensor(draw, b, (nw, d), _float(draw), layout=False, specials=False)
        idx = f"a{b.n}"
        b.n += 1
        b.lines.append(f"{idx} = {literal(draw, _shape(draw), I64, lo=0, hi=nw - 1)}")
        kw = _kw(draw, {"padding_idx": ["0", "2", "-1"], "max_norm": ["1.0", "2.5"],
                        "norm_type": ["1.0", "2.0"], "scale_grad_by_freq": ["True"]})
        if "max_norm" in kw:  # max_norm renormalises the weight in place: not a leaf's
            b.lines.append(f"{w} = {w}.detach().clone()")
            b.leaves.remove(w + "_") if w + "_" in b.leaves else None
            b.lines.append(f"{w}.requires_grad_()")
            b.leaves.append(w)
        return f"F.embedding({idx}, {w}{kw})"
    if name == "interpolate":
        nd = draw(st.sampled_from([1, 2]))
        shape = (1, 2, 3) if nd == 1 else (1, 1, 2, 3)
        x = tensor(draw, b, shape, _float(draw))
        modes = ["'nearest'", "'nearest-exact'", "'linear'" if nd == 1 else "'bilinear'"]
        if nd == 2:
            modes += ["'bicubic'", "'area'"]
        mode = draw(st.sampled_from(modes))
        size = draw(st.sampled_from(["scale_factor=2", "scale_factor=1.5", "size=5",
                                     "scale_factor=0.5", "size=2"]))
        ac = ", align_corners=True" if "ear" in mode or ("cubic" in mode and
                                                          draw(st.booleans())) else ""
        if "nearest" in mode or "area" in mode:
            ac = ""
        return f"F.interpolate({x}, {size}, mode={mode}{ac})"
    mode = draw(st.sampled_from(["'constant'", "'constant'", "'reflect'", "'replicate'",
                                 "'circular'"]))
    shape = draw(st.sampled_from([(4,), (2, 3), (1, 2, 4), (1, 1, 3, 3), (2, 3, 2)]))
    x = tensor(draw, b, shape, _float(draw) if mode != "'constant'"
               else draw(st.sampled_from([F32, F64, I64])))
    k = 2 if mode == "'constant'" else min(2, len(shape) - 1) if len(shape) > 1 else 1
    pads = [str(draw(st.integers(-1 if mode == "'constant'" else 0, 2)))
            for _ in range(2 * draw(st.integers(1, max(k, 1))))]
    value = f", value={draw(st.sampled_from(['0.5', '-1.0', '2']))}" \
        if mode == "'constant'" and draw(st.booleans()) else ""
    return f"F.pad({x}, ({', '.join(pads)},), mode={mode}{value})"


def conv_pool(draw: st.DrawFn, b: Block) -> str:
    nd = draw(st.sampled_from([1, 2]))
    c = draw(st.sampled_from([1, 2]))
    spatial = (5,) if nd == 1 else (4, 4)
    x = tensor(draw, b, (1, c, *spatial), _float(draw), specials=False)
    name = draw(st.sampled_from(["conv", "max_pool", "avg_pool", "adaptive_avg",
                                 "adaptive_max", "lp_pool"]))
    if name == "conv":
        b.exact = False
        groups = draw(st.sampled_from([1, c]))
        oc = draw(st.sampled_from([1, 2])) * groups
        xdt = b.lines[-1].split("dtype=")[-1].split(")")[0]
        w = tensor(draw, b, (oc, c // groups, *(2,) * nd), xdt, layout=False, specials=False)
        bias = f", {tensor(draw, b, (oc,), xdt, layout=False)}" if draw(st.booleans()) else ""
        kw = _kw(draw, {"stride": ["1", "2"], "padding": ["0", "1", "'same'"],
                        "dilation": ["1", "2"]})
        if "same" in kw:
            kw = kw.replace(", stride=2", "")
        return f"F.conv{nd}d({x}, {w}{bias}{kw}, groups={groups})"
    if name in ("adaptive_avg", "adaptive_max"):
        out = draw(st.sampled_from(["1", "2", "3"]))
        ri = ", return_indices=True" if name == "adaptive_max" and draw(st.booleans()) else ""
        return f"F.{name}_pool{nd}d({x}, {out}{ri})"
    k = draw(st.sampled_from([2, 3]))
    kw = _kw(draw, {"stride": ["1", "2"], "padding": ["0", "1"], "ceil_mode": ["True"]})
    if name == "max_pool":
        kw += _kw(draw, {"dilation": ["1", "2"], "return_indices": ["True"]})
        return f"F.max_pool{nd}d({x}, {k}{kw})"
    if name == "lp_pool":
        return f"F.lp_pool{nd}d({x}, {draw(st.sampled_from(['1', '2', '3.0']))}, {k})"
    kw += _kw(draw, {"count_include_pad": ["False"]})
    return f"F.avg_pool{nd}d({x}, {k}{kw})"


# ---------------------------------------------------------------- Tensor methods

REDUCTIONS = ["sum", "mean", "prod", "amax", "amin", "std", "var", "logsumexp", "norm",
              "nansum", "nanmean", "any", "all", "count_nonzero", "max", "min", "argmax",
              "argmin", "aminmax", "std_mean", "var_mean"]


def reduction(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    name = draw(st.sampled_from(REDUCTIONS))
    dt = draw(st.sampled_from(FLOATS * 3 + [I64, BOOL]))
    x = tensor(draw, b, shape, dt)
    nd = len(shape)
    form = draw(st.integers(0, 3))
    if form == 0 and name not in ("logsumexp", "std_mean", "var_mean"):
        return f"{x}.{name}()"
    if name in ("max", "min", "argmax", "argmin", "count_nonzero", "aminmax") or form == 1:
        dim = str(_dim(draw, nd))
    else:
        k = draw(st.integers(1, max(nd, 1)))
        dims = draw(st.lists(st.integers(-max(nd, 1), max(nd, 1) - 1), min_size=k,
                             max_size=k))
        dim = "(" + ", ".join(map(str, dims)) + ",)"
    kd = _kw(draw, {"keepdim": ["True", "False"]}) if name != "count_nonzero" else ""
    if name in ("std", "var", "std_mean", "var_mean"):
        kd += _kw(draw, {"correction": ["0", "1", "2"]})
    if name in ("sum", "mean", "prod", "nansum") and draw(st.integers(0, 3)) == 0:
        kd += f", dtype={draw(st.sampled_from([F64, F32, I64]))}"
    if name == "norm":
        kd += _kw(draw, {"p": ["1", "2", "float('inf')", "0", "3", "1.5", "0.5"]})
    if name in ("max", "min", "aminmax", "logsumexp", "std_mean", "var_mean") or \
            draw(st.integers(0, 3)) == 0:
        return f"torch.{name}({x}, dim={dim}{kd})" if name == "aminmax" else \
            f"torch.{name}({x}, {dim}{kd})"
    return f"{x}.{name}(dim={dim}{kd})" if draw(st.booleans()) else f"{x}.{name}({dim}{kd})"


def broadcast_reduction(draw: st.DrawFn, b: Block) -> str:
    """A reduction of an expanded view with a long broadcast (stride-0) dim, maybe
    transposed or step-sliced: summed in the order PyTorch's iterator walks it (sums,
    means, norms; the walk's threads split from 32768 elements)."""
    nd = draw(st.integers(1, 3))
    shape = tuple(draw(st.sampled_from([1, 2, 3, 5, 9])) for _ in range(nd))
    if 1 not in shape:
        shape = (1, *shape)
    x = tensor(draw, b, shape, _float(draw), layout=False)
    room = 120000 // max(1, _count(shape))
    big_dims: list[int] = []
    total = _count(shape)
    for k in shape:  # (the whole view under gradcli's 50M-element limit)
        if k == 1:
            k = draw(st.sampled_from([n for n in (7, 37, 300, 2500, 40000)
                                      if n <= room and total * n <= 20_000_000] or [7]))
            total *= k
        big_dims.append(k)
    big = tuple(big_dims)
    v = f"{x}.expand({', '.join(map(str, big))})"
    how = draw(st.sampled_from(["", "", ".transpose(0, -1)", "[::2]"]))
    v += how if len(big) > 1 or how != ".transpose(0, -1)" else ""
    # (logsumexp of a broadcast view is not drawn: exp(x - max)'s layout, which its sum
    # walks, is not modelled; float32 differs by ~3e-6)
    name = draw(st.sampled_from(["sum", "sum", "mean", "nansum", "norm", "var"]))
    n = len(big)
    if draw(st.booleans()):
        dim = ""
    else:
        dims = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
        dim = "(" + ", ".join(map(str, dims)) + ",)"
    if name == "norm":
        p = draw(st.sampled_from(["1", "2", "3", "1.5", "0.5"]))
        return f"{v}.norm({p}, {dim or None})"
    return f"{v}.{name}({dim})"


def cumulative(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    name = draw(st.sampled_from(["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp",
                                 "diff", "flip", "roll"]))
    dt = draw(st.sampled_from(FLOATS * 2 + [I64, BOOL])) if name != "logcumsumexp" \
        else _float(draw)
    x = tensor(draw, b, shape, dt)
    d = _dim(draw, len(shape))
    if name == "diff":
        return f"torch.diff({x}{_kw(draw, {'n': ['1', '2'], 'dim': [str(d)]})})"
    if name == "flip":
        return f"{x}.flip({d})"
    if name == "roll":
        return f"{x}.roll({draw(st.integers(-3, 3))}, {d})"
    dtk = f", dtype={F64}" if name in ("cumsum", "cumprod") and draw(st.booleans()) else ""
    return f"{x}.{name}({d}{dtk})" if draw(st.booleans()) else f"torch.{name}({x}, dim={d}{dtk})"


def ordering(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    dt = draw(st.sampled_from(FLOATS * 2 + [I64]))
    x = tensor(draw, b, shape, dt, lo=-1, hi=1)  # few distinct values: ties
    nd = len(shape)
    d = _dim(draw, nd)
    size = shape[d] if shape else 1
    name = draw(st.sampled_from(["sort", "argsort", "topk", "kthvalue", "median", "median0",
                                 "nanmedian", "mode", "msort", "unique", "quantile"]))
    if name in ("median", "median0", "nanmedian") and ".expand(" in b.lines[-1]:
        # PyTorch 2.13's median of an expanded (stride-0) view reads memory it does not
        # own (tensor([1]).expand(4).median(0) prints garbage): a copy instead
        b.lines[-1] += ".contiguous()"
    if name == "sort":
        return f"torch.sort({x}, dim={d}{_kw(draw, {'descending': ['True'], 'stable': ['True']})})"
    if name == "argsort":
        return f"{x}.argsort(dim={d}{_kw(draw, {'descending': ['True'], 'stable': ['True']})})"
    if name == "topk":
        k = draw(st.integers(0, max(size, 0)))
        kw = _kw(draw, {"largest": ["False"], "sorted": ["True", "False"]})
        return f"{x}.topk({k}, dim={d}{kw})"
    if name == "kthvalue":
        k = draw(st.integers(1, max(size, 1)))
        return f"{x}.kthvalue({k}, {d}{_kw(draw, {'keepdim': ['True']})})"
    if name == "median0":
        return f"{x}.median()"
    if name in ("median", "nanmedian", "mode"):
        return f"{x}.{name}({d}{_kw(draw, {'keepdim': ['True']})})"
    if name == "msort":
        return f"torch.msort({x})"
    if name == "quantile":
        kw = _kw(draw, {"dim": [str(d)], "interpolation": ["'lower'", "'nearest'",
                                                           "'midpoint'"]})
        return f"torch.quantile({x}.to({F64}), {draw(st.sampled_from(['0.5', '0.25', '0.9']))}{kw})"
    kw = _kw(draw, {"sorted": ["True"], "return_inverse": ["True"], "return_counts": ["True"],
                    "dim": [str(d)]})
    return f"torch.unique({x}{kw})"


def indexing(draw: st.DrawFn, b: Block) -> str:
    shape = draw(st.sampled_from([(4,), (3, 4), (2, 3), (2, 3, 2)]))
    nd = len(shape)
    d = _dim(draw, nd)
    size = shape[d]
    dt = draw(st.sampled_from(FLOATS * 2 + [I64]))
    x = tensor(draw, b, shape, dt)
    name = draw(st.sampled_from(["gather", "scatter", "scatter_add", "scatter_reduce",
                                 "index_select", "index_add", "index_copy", "index_fill",
                                 "index_put", "take", "take_along_dim"]))
    k = draw(st.integers(1, 4))
    idx1 = "torch.tensor([" + ", ".join(str(draw(st.integers(0, size - 1)))
                                        for _ in range(k)) + "])"
    if name in ("index_select", "index_fill"):
        if name == "index_select":
            return f"{x}.index_select({d}, {idx1})"
        return f"{x}.index_fill({d}, {idx1}, {draw(st.sampled_from(['-1', '2.5']))})"
    if name in ("index_add", "index_copy"):
        sshape = tuple(k if i == (d % nd) else s for i, s in enumerate(shape))
        src = tensor(draw, b, sshape, dt)
        alpha = ", alpha=2" if name == "index_add" and draw(st.booleans()) else ""
        return f"{x}.{name}({d}, {idx1}, {src}{alpha})"
    if name == "index_put":
        v = tensor(draw, b, (k, *shape[1:]) if draw(st.booleans()) else (), dt)
        acc = _kw(draw, {"accumulate": ["True", "False"]})
        return f"{x}.index_put(({idx1},), {v}{acc})"
    if name == "take":
        n = _count(shape)
        return f"torch.take({x}, torch.tensor([{draw(st.integers(-n, n - 1))}, 0, {n - 1}]))"
    ishape = tuple(draw(st.integers(1, s)) for s in shape)
    index = f"a{b.n}"
    b.n += 1
    b.lines.append(f"{index} = {literal(draw, ishape, I64, lo=0, hi=size - 1)}")
    if name == "gather":
        return f"torch.gather({x}, {d}, {index})"
    if name == "take_along_dim":
        return f"torch.take_along_dim({x}, {x}.argsort(dim={d}), dim={d})"
    src = tensor(draw, b, ishape, dt)
    if name == "scatter":
        red = _kw(draw, {"reduce": ["'add'", "'multiply'"]})
        if draw(st.booleans()):
            return f"{x}.scatter({d}, {index}, {draw(st.sampled_from(['1.5', '-2', '0']))}{red})"
        return f"{x}.scatter({d}, {index}, {src}{red})"
    if name == "scatter_add":
        return f"{x}.scatter_add({d}, {index}, {src})"
    red = draw(st.sampled_from(["'sum'", "'prod'", "'mean'", "'amax'", "'amin'"]))
    kw = _kw(draw, {"include_self": ["False", "True"]})
    return f"{x}.scatter_reduce({d}, {index}, {src}, {red}{kw})"


def masking(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    dt = draw(st.sampled_from(FLOATS * 2 + [I64]))
    x = tensor(draw, b, shape, dt)
    mshape = draw(st.sampled_from([shape, shape[1:], ()]))
    m = f"a{b.n}"
    b.n += 1
    b.lines.append(f"{m} = {literal(draw, mshape, BOOL)}")
    name = draw(st.sampled_from(["masked_fill", "masked_fill_t", "masked_select", "where",
                                 "where_s", "masked_scatter", "clamp", "clamp_t", "clamp_s"]))
    if name == "masked_fill":
        v = draw(st.sampled_from(["0.5", "-1", "float('-inf')", "True"]))
        return f"{x}.masked_fill({m}, {v})"
    if name == "masked_fill_t":
        v = draw(st.sampled_from(["2.5", "-3", "False"]))
        return f"{x}.masked_fill({m}, torch.tensor({v}))"
    if name == "masked_select":
        return f"torch.masked_select({x}, {m})"
    if name == "masked_scatter":
        src = tensor(draw, b, (max(_count(shape), 1) + 2,), dt)
        return f"{x}.masked_scatter({m}, {src})"
    y = tensor(draw, b, draw(st.sampled_from([shape, shape[1:], ()])),
               draw(st.sampled_from([*FLOATS, I64])))
    if name == "where":
        return f"torch.where({m}, {x}, {y})"
    if name == "where_s":
        s = draw(st.sampled_from(["0.5", "-2", "float('nan')", "True"]))
        return f"torch.where({m}, {x}, {s})" if draw(st.booleans()) else \
            f"torch.where({m}, {s}, {x})"
    if name == "clamp_t":
        lo_hi = draw(st.sampled_from(["min", "max", "both"]))
        if lo_hi == "both":
            z = tensor(draw, b, draw(st.sampled_from([shape, ()])), dt)
            return f"torch.clamp({x}, {y}, {z})"
        return f"{x}.clamp({lo_hi}={y})"
    if name == "clamp_s":
        return f"{x}.clamp_(min={draw(st.sampled_from(['0', '-0.5', '1']))})" \
            if dt == I64 or not b.leaves else f"{x}.clip({draw(st.sampled_from(['0', '-0.5']))}, 1)"
    lo = draw(st.sampled_from(["-1", "-0.5", "None", "0", "float('nan')"]))
    hi = draw(st.sampled_from(["1", "0.5", "None", "-1"]))
    return f"torch.clamp({x}, {lo}, {hi})"


BINARY = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>", "==", "!=", "<",
          "<=", ">", ">="]
BINARY_FUNCS = ["torch.add", "torch.sub", "torch.mul", "torch.div", "torch.floor_divide",
                "torch.remainder", "torch.fmod", "torch.pow", "torch.maximum", "torch.minimum",
                "torch.fmax", "torch.fmin", "torch.atan2", "torch.logical_and",
                "torch.logical_or", "torch.logical_xor", "torch.bitwise_and", "torch.eq",
                "torch.isclose", "torch.true_divide", "torch.lerp", "torch.copysign",
                "torch.hypot", "torch.xlogy", "torch.nextafter"]
SCALARS = ["2", "-3", "0", "2.5", "-0.5", "True", "False", "float('inf')", "float('nan')",
           "-0.0", "7"]


def arithmetic(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    dt = draw(st.sampled_from([F32, F64, I64, I64, BOOL]))
    x = tensor(draw, b, shape, dt, lo=-7, hi=7)
    form = draw(st.integers(0, 3))
    if form == 0:  # a Python scalar on either side
        op = draw(st.sampled_from(BINARY))
        s = draw(st.sampled_from(SCALARS))
        if op == "**" and s in ("True", "False"):  # PyTorch's internal assert (a bug) on
            s = "2"  # the gradient of a bool base's power
        return f"{x} {op} {s}" if draw(st.booleans()) else f"{s} {op} {x}"
    yshape = draw(st.sampled_from([shape, shape[1:], (), (1,) * len(shape)]))
    y = tensor(draw, b, yshape, draw(st.sampled_from([F32, F64, I64, BOOL])), lo=-7, hi=7)
    if form == 1:
        return f"{x} {draw(st.sampled_from(BINARY))} {y}"
    name = draw(st.sampled_from(BINARY_FUNCS))
    if name == "torch.div":
        kw = _kw(draw, {"rounding_mode": ["'floor'", "'trunc'", "None"]})
        return f"torch.div({x}, {y}{kw})"
    if name in ("torch.add", "torch.sub") and draw(st.booleans()):
        return f"{name}({x}, {y}, alpha={draw(st.sampled_from(['2', '-1', '0.5']))})"
    if name == "torch.lerp":
        return f"torch.lerp({x}, {y}, {draw(st.sampled_from(['0.5', '0.25', '2.0']))})"
    return f"{name}({x}, {y})"


UNARY = ["abs", "neg", "sign", "sgn", "trunc", "floor", "ceil", "round", "frac", "sqrt",
         "rsqrt", "exp", "expm1", "log", "log1p", "log2", "reciprocal", "square",
         "bitwise_not", "logical_not", "isnan", "isinf", "isfinite", "signbit",
         "nan_to_num", "positive", "relu", "sigmoid", "tanh", "erf", "exp2", "float",
         "long", "bool", "double", "int", "half", "clone", "nonzero", "tril", "triu",
         "t", "mT", "flatten", "squeeze", "unsqueeze", "ravel", "numel", "dim", "size",
         "stride", "is_contiguous", "repeat_interleave", "cumsum"]


def unary(draw: st.DrawFn, b: Block) -> str:
    shape = _shape(draw)
    dt = draw(st.sampled_from([F32, F64, F32, I64, BOOL]))
    x = tensor(draw, b, shape, dt, lo=-5, hi=5)
    name = draw(st.sampled_from(UNARY))
    if name == "round" and draw(st.booleans()):
        return f"{x}.round(decimals={draw(st.sampled_from(['1', '2', '-1']))})"
    if name == "nan_to_num":
        kw = _kw(draw, {"nan": ["0.0", "-1.5"], "posinf": ["9.0"], "neginf": ["-9.0"]})
        return f"torch.nan_to_num({x}{kw})"
    if name in ("tril", "triu"):
        return f"{x}.{name}({draw(st.integers(-2, 2))})"
    if name in ("unsqueeze", "squeeze", "size", "stride", "cumsum"):
        return f"{x}.{name}({_dim(draw, len(shape))})"
    if name == "mT":
        return f"{x}.mT"
    if name == "repeat_interleave":
        times = draw(st.integers(0, 3))
        kw = _kw(draw, {"dim": [str(_dim(draw, len(shape)))]})
        return f"{x}.repeat_interleave({times}{kw})"
    return f"{x}.{name}()" if draw(st.booleans()) or name in (
        "float", "long", "bool", "double", "int", "half", "numel", "dim", "is_contiguous",
        "clone", "ravel", "flatten", "positive") else f"torch.{name}({x})"


INPLACE = ["add_(1.5)", "mul_(-2)", "clamp_(min=0)", "zero_()", "fill_(3)", "neg_()",
           "div_(2)", "sub_(0.5)", "copy_(torch.tensor(7.0))", "relu_()", "sigmoid_()",
           "abs_()", "pow_(2)", "exp_()", "masked_fill_(torch.tensor(True), 0.25)",
           "floor_divide_(2)", "remainder_(2)", "t_()", "unsqueeze_(0)", "squeeze_()",
           "clamp_(max=torch.tensor(0.5))", "addcmul_(torch.tensor(2.0), torch.tensor(3.0))",
           "lerp_(torch.tensor(1.0), 0.5)"]


def inplace_view(draw: st.DrawFn, b: Block) -> str:
    shape = draw(st.sampled_from([(4,), (2, 3), (3, 4), (2, 2, 2)]))
    dt = draw(st.sampled_from([F32, F64, F32, I64]))
    x = tensor(draw, b, shape, dt)
    view = draw(st.sampled_from(["[0]", "[1:]", "[::2]", "[..., -1]", ".t()" if len(shape) == 2
                                 else "[0]", ".view(-1)", ".diagonal()" if len(shape) > 1
                                 else "[:2]", ".narrow(0, 1, 1)", ".unsqueeze(0)",
                                 ".select(-1, 0)", ".transpose(0, -1)", "[:, None]"]))
    op = draw(st.sampled_from(INPLACE))
    b.lines.append(f"c = {x}.clone() * 1")
    b.lines.append(f"v = c{view}")
    b.lines.append(f"v.{op}")
    b.lines.append("print(v.shape, v.is_contiguous())")
    return "c"


FAMILIES: list[Callable[[st.DrawFn, Block], str]] = [
    activation, softmaxes, regression_loss, class_loss, pair_loss, pad_and_friends,
    conv_pool, reduction, reduction, broadcast_reduction, cumulative, ordering, ordering,
    indexing, indexing, masking, arithmetic, arithmetic, unary, inplace_view]

SCALAR_FUNCS = ["(o * w).sum()", "(o * w).sum()", "o.sum()", "(o * o).mean()",
                "o.abs().sum()", "(o * w).sum() + o.sum() * 0.5"]


@st.composite
def op_block(draw: st.DrawFn) -> list[str]:
    """Lines of one block: inputs, the call, what it prints (in a try)."""
    b = Block()
    family = draw(st.sampled_from(FAMILIES))
    call = family(draw, b)
    body = [*b.lines, f"r = {call}"]
    body.append("o = r if isinstance(r, torch.Tensor) else r[0]"
                " if isinstance(r, tuple) and len(r) and isinstance(r[0], torch.Tensor) else None")
    body.append("print(type(r).__name__, o is None or (o.dtype, tuple(o.shape), "
                "o.requires_grad))")
    if b.exact:
        body.append("print(r)")
        body.append("print(o.tolist() if o is not None and o.dim() else r)")
    else:  # matrix products: 4 digits, and the gradients rounded below
        body.append("print(r)")
    if b.leaves:
        leaves = ", ".join(b.leaves)
        body.append("if o is not None and o.requires_grad:")
        body.append("    w = torch.arange(o.numel(), dtype=o.dtype).reshape(o.shape) * 0.25 - 1")
        body.append(f"    gs = torch.autograd.grad({draw(st.sampled_from(SCALAR_FUNCS))}, "
                    f"[{leaves}], allow_unused=True)")
        if b.exact:
            body.append("    print([None if g is None else g.tolist() for g in gs])")
        else:
            body.append("    print([None if g is None else g.mul(1e4).round().tolist()"
                        " for g in gs])")
    lines = ["try:"] + ["    " + s for s in body]
    lines += ["except Exception as e:",
              "    print('!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])"]
    return lines


@st.composite
def op_programs(draw: st.DrawFn, max_blocks: int = 3) -> str:
    """Class (p): a few blocks, each one function of nn.functional or a Tensor method."""
    lines = ["import torch", "import torch.nn.functional as F"]
    for _ in range(draw(st.integers(1, max_blocks))):
        lines += draw(op_block())
    return "\n".join(lines) + "\n"


# Round 23's families (fuzz/op_strategies_r23.py), drawn with the others.
from fuzz.op_strategies_r23 import FAMILIES_R23  # noqa: E402  (it imports this module)

FAMILIES += FAMILIES_R23

# Round 24's families (fuzz/op_strategies_r24.py): views then in-place, integers with
# floats, extreme values printed.
from fuzz.op_strategies_r24 import FAMILIES_R24  # noqa: E402  (it imports this module)

FAMILIES += FAMILIES_R24

# Round 25's families (fuzz/op_strategies_r25.py): writes into expanded tensors, reductions
# with keywords over non-contiguous views, nn modules on odd inputs.
from fuzz.op_strategies_r25 import FAMILIES_R25  # noqa: E402  (it imports this module)

FAMILIES += FAMILIES_R25
