"""Class (p)'s round-23 families (tests/fuzz/op_strategies.py draws them with its own):
the classes round 23's fresh seeds and probes found, each drawn widely.

- empty tensors through the kernels' internal reshapes: norms, pools, unfold, chunk,
  topk(0), sort, searchsorted, cumulative ops, softmax over inputs with a zero-size dim;
- size arguments given as varargs to the methods that take one size (`x.squeeze(0, 2)`,
  `x.tile(2, 1)`, `x.count_nonzero(0, 1)`, permute/flip/repeat/view/expand);
- number bounds of clamp on integer and bool tensors (both bounds promote);
- rare binary ops' derivatives and overloads: nextafter, div(rounding_mode=None),
  binary_cross_entropy's target gradient, bce_with_logits' argument checks;
- reductions of 0-d tensors over dim 0/-1 given as ints and tuples;
- amin/amax/aminmax over tensors of tied signed zeros.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from fuzz.op_strategies import BOOL, F32, F64, FLOATS, I64, Block, _dim, _float, _kw, tensor

_EMPTY = [(0, 2, 4), (2, 0, 4), (2, 3, 0), (0, 3), (3, 0)]


def empty_inputs(draw: st.DrawFn, b: Block) -> str:
    """A function of an input with a zero-size dim (with its gradient)."""
    shape = draw(st.sampled_from(_EMPTY))
    x = tensor(draw, b, shape, _float(draw), layout=False)
    nd = len(shape)
    d = _dim(draw, nd)
    three = nd == 3
    names = ["topk0", "sort", "cumsum", "logcumsumexp", "softmax", "logsumexp", "chunk",
             "layer_norm", "searchsorted", "median", "amax", "norm"]
    if three:
        names += ["group_norm", "instance_norm", "avg_pool1d", "max_pool1d", "lp_pool1d",
                  "adaptive_avg_pool1d", "adaptive_max_pool1d", "interpolate"]
    name = draw(st.sampled_from(names))
    if name == "topk0":
        return f"{x}.topk(0, dim={d}{_kw(draw, {'largest': ['False']})})"
    if name == "sort":
        return f"torch.sort({x}, dim={d}{_kw(draw, {'descending': ['True']})})"
    if name in ("cumsum", "logcumsumexp", "softmax", "logsumexp", "amax", "norm"):
        return f"{x}.{name}({d})" if name != "norm" else f"{x}.norm(dim={d})"
    if name == "chunk":
        return f"{x}.chunk({draw(st.integers(1, 3))}, {d})"
    if name == "layer_norm":
        return f"F.layer_norm({x}, {shape[-1:]})"
    if name == "searchsorted":
        return f"torch.searchsorted({x}.sort(-1).values, {x})"
    if name == "median":
        return f"{x}.median({d})" if shape[d % nd] else f"{x}.median(0 if {d} else -1)"
    if name == "group_norm":
        return f"F.group_norm({x}, 1)"
    if name == "instance_norm":
        return f"F.instance_norm({x})"
    if name in ("avg_pool1d", "max_pool1d"):
        return f"F.{name}({x}, 2)"
    if name == "lp_pool1d":
        return f"F.lp_pool1d({x}, 2, 2)"
    if name.startswith("adaptive"):
        return f"F.{name}({x}, {draw(st.integers(1, 3))})"
    return f"F.interpolate({x}, size=3)"


def size_varargs(draw: st.DrawFn, b: Block) -> str:
    """A method whose one positional parameter is a size, given it as varargs."""
    shape = draw(st.sampled_from([(1, 2, 3, 1), (2, 1, 3), (1, 1, 2), (3, 1)]))
    x = tensor(draw, b, shape, draw(st.sampled_from([F32, F64, I64])))
    nd = len(shape)
    dims = draw(st.lists(st.integers(-nd, nd - 1), min_size=2, max_size=nd,
                         unique_by=lambda k: k % nd))
    args = ", ".join(map(str, dims))
    name = draw(st.sampled_from(["squeeze", "squeeze", "count_nonzero", "flip", "permute",
                                 "tile", "repeat", "view", "amax"]))
    if name == "permute":
        order = draw(st.permutations(list(range(nd))))
        return f"{x}.permute({', '.join(map(str, order))})"
    if name == "tile":
        reps = draw(st.lists(st.integers(1, 2), min_size=1, max_size=nd + 1))
        return f"{x}.tile({', '.join(map(str, reps))})"
    if name == "repeat":
        reps = draw(st.lists(st.integers(1, 2), min_size=nd, max_size=nd + 1))
        return f"{x}.repeat({', '.join(map(str, reps))})"
    if name == "view":
        return f"{x}.view({', '.join(str(k) for k in reversed(shape))})"
    if name == "amax":  # two ints: dim and keepdim (PyTorch's TypeError)
        return f"{x}.amax({args})"
    return f"{x}.{name}({args})"


_BOUNDS = ["0", "1", "-1", "0.5", "-0.5", "2.5", "True", "None"]


def number_bounds(draw: st.DrawFn, b: Block) -> str:
    """clamp/clip of an integer, bool or uint8 tensor with number bounds."""
    shape = draw(st.sampled_from([(4,), (2, 3), ()]))
    dt = draw(st.sampled_from([I64, I64, BOOL, "torch.uint8", "torch.int32", F32]))
    x = tensor(draw, b, shape, dt if dt != "torch.uint8" else I64, lo=0 if dt != I64 else -3)
    if dt == "torch.uint8":
        x = f"{x}.to(torch.uint8)"
    lo, hi = draw(st.sampled_from(_BOUNDS)), draw(st.sampled_from(_BOUNDS))
    if lo == hi == "None":
        hi = "2"
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"torch.clamp({x}, {lo}, {hi})"
    if form == 1:
        return f"{x}.clip(min={lo}, max={hi})"
    if form == 2:
        return f"{x}.clamp_min({hi if hi != 'None' else lo})"
    return f"{x}.clamp({lo}, {hi})"


def rare_binary(draw: st.DrawFn, b: Block) -> str:
    """nextafter, div with an explicit rounding_mode=None, binary_cross_entropy's target
    gradient, bce_with_logits with mismatched shapes and a pos_weight that requires grad."""
    shape = draw(st.sampled_from([(4,), (2, 3), (3, 1)]))
    dt = _float(draw)
    x = tensor(draw, b, shape, dt, grad=True)
    name = draw(st.sampled_from(["nextafter", "div", "bce", "bce", "bce_logits"]))
    if name == "nextafter":
        y = tensor(draw, b, draw(st.sampled_from([shape, (1,), ()])),
                   draw(st.sampled_from([dt, I64])), lo=-1, hi=1)
        return f"torch.nextafter({x}, {y})"
    if name == "div":
        other = draw(st.sampled_from(["0.1", "3", "-2.5"])) if draw(st.booleans()) \
            else tensor(draw, b, shape, draw(st.sampled_from(FLOATS)))
        return f"torch.div({x}, {other}, rounding_mode=None)"
    y = tensor(draw, b, shape, dt, grad=True)
    if name == "bce":
        kw = _kw(draw, {"reduction": ["'sum'", "'none'"], "weight": [f"{y}.detach().abs()"]})
        return f"F.binary_cross_entropy(torch.sigmoid({x}), torch.sigmoid({y}){kw})"
    t = draw(st.sampled_from([f"torch.sigmoid({y})", f"torch.sigmoid({y})[:1]",
                              "torch.tensor(0.5)"]))
    pw = draw(st.sampled_from(["None", f"{y}.abs()", f"{y}.detach().abs()"]))
    return f"F.binary_cross_entropy_with_logits({x}, {t}, pos_weight={pw})"


def scalar_dims(draw: st.DrawFn, b: Block) -> str:
    """A reduction of a 0-d tensor over dim 0/-1, as an int or in a tuple."""
    x = tensor(draw, b, (), _float(draw), layout=False)
    dim = draw(st.sampled_from(["0", "-1", "(0,)", "(-1,)", "()", "(0, -1)", "1", "(1,)"]))
    keep = _kw(draw, {"keepdim": ["True"]})
    name = draw(st.sampled_from(["logsumexp", "norm", "vector_norm", "amax", "amin", "sum",
                                 "mean", "nansum", "std"]))
    if name == "logsumexp":
        return f"torch.logsumexp({x}, {dim}{keep})"
    if name == "norm":
        return f"{x}.norm(dim={dim}{keep})"
    if name == "vector_norm":
        p = draw(st.sampled_from(["1", "2", "3", "float('inf')", "0.5"]))
        return f"torch.linalg.vector_norm({x}, {p}, dim={dim}{keep})"
    return f"{x}.{name}({dim}{keep})"


def zero_ties(draw: st.DrawFn, b: Block) -> str:
    """amin/amax/aminmax over tensors of tied signed zeros (and a few other values)."""
    shape = draw(st.sampled_from([(4,), (3, 4), (2, 3, 2), (40,)]))
    n = 1
    for k in shape:
        n *= k
    values = [draw(st.sampled_from(["0.0", "-0.0", "0.0", "-0.0", "1.0", "-1.0"]))
              for _ in range(n)]
    name = f"a{b.n}"
    b.n += 1
    dt = _float(draw)
    b.lines.append(f"{name} = torch.tensor([{', '.join(values)}], dtype={dt})"
                   f".reshape{shape}")
    nd = len(shape)
    d = _dim(draw, nd)
    form = draw(st.sampled_from(["amin", "amax", "aminmax", "amin_all", "amax_all"]))
    if form == "aminmax":
        return f"torch.aminmax({name}, dim={d})"
    if form.endswith("_all"):
        return f"{name}.{form[:4]}()"
    return f"{name}.{form}({d}{_kw(draw, {'keepdim': ['True']})})"


FAMILIES_R23: list[Callable[[st.DrawFn, Block], str]] = [
    empty_inputs, size_varargs, number_bounds, rare_binary, scalar_dims, zero_ties]
