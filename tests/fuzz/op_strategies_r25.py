"""Class (p)'s round-25 families (tests/fuzz/op_strategies.py draws them with its own):
what real code does that the other families never drew.

- writes into expanded tensors: masked_fill_, index_fill_, index_put_, tril_/triu_,
  fill_/zero_, fill_diagonal_, item assignment (mask, ints, tensors of another dtype, values
  with leading dims of size 1), with and without a graph (PyTorch writes every element
  sharing memory with a written one, and its CopySlices fails in backward);
- reductions with keepdim=, dtype=, correction= and dim= as keywords in unusual orders,
  over non-contiguous views (permuted, stepped, expanded), empty dims included;
- nn modules called on odd shapes and dtypes: unbatched and empty batches, float64
  inputs to float32 modules, integer indices of other widths; forward, then the
  gradients of the input and of the module's weight (module forward + backward through
  the functional twins).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from fuzz.op_strategies import F32, F64, FLOATS, Block, Shape, _dim, tensor

# ---------------------------------------------------------------- writes into expanded tensors

_EXPANDED_WRITES = [
    "v.masked_fill_(v > 0, {f})", "v.masked_fill_(v < 0, torch.tensor({f}))",
    "v.index_fill_({d}, torch.tensor([0]), {f})", "v.index_fill_(-1, torch.tensor([-1, 0]), {f})",
    "v.index_put_((torch.tensor([0]),), torch.tensor({f}))",
    "v.index_put_((v > 0,), torch.tensor({f}))", "v.tril_()", "v.triu_(1)", "v.tril_(-1)",
    "v.fill_({f})", "v.zero_()", "v.fill_diagonal_({f})", "v.fill_diagonal_({f}, wrap=True)",
    "v[v > 0] = {f}", "v[0, 1] = {f}", "v[:, 0] = {f}", "v[torch.tensor([0])] = {f}",
    "v[torch.tensor([0])] = torch.tensor({f}, dtype=torch.float64)",
    "v[0] = torch.tensor([[{f}]])", "v[0, 0] = torch.tensor([{f}])", "v.clamp_(0)",
    "v.index_put_((torch.tensor([0, 1]),), torch.tensor({f}), accumulate=True)"]


def expanded_writes(draw: st.DrawFn, b: Block) -> str:
    """An in-place write into an expanded view of a clone, then the clone (and backward)."""
    n = draw(st.integers(2, 4))
    x = tensor(draw, b, (n,), draw(st.sampled_from(FLOATS)), layout=False)
    rows = draw(st.integers(2, 3))
    b.lines.append(f"c = {x}.clone()")
    b.lines.append(f"v = c.unsqueeze(0).expand({rows}, {n})")
    form = draw(st.sampled_from(_EXPANDED_WRITES))
    b.lines.append(form.format(f=draw(st.sampled_from(["2.0", "-0.0", "0.5", "7"])),
                               d=draw(st.sampled_from([0, 1, -1]))))
    b.lines.append("print(v.tolist(), c._version)")
    return "c"


# ---------------------------------------------------------------- reductions with keywords

_REDUCTIONS = {
    "sum": ["dim", "keepdim", "dtype"], "mean": ["dim", "keepdim", "dtype"],
    "nansum": ["dim", "keepdim", "dtype"], "prod": ["dim1", "keepdim", "dtype"],
    "std": ["dim", "keepdim", "correction"], "var": ["dim", "keepdim", "correction"],
    "amax": ["dim", "keepdim"], "amin": ["dim", "keepdim"], "logsumexp": ["dim", "keepdim"],
    "norm": ["p", "dim", "keepdim", "dtype"], "argmax": ["dim1", "keepdim"],
    "count_nonzero": ["dim"], "cumsum": ["dim1!", "dtype"], "var_mean": ["dim", "keepdim"],
    "aminmax": ["dim1", "keepdim"], "nanmean": ["dim", "keepdim", "dtype"],
}


def keyword_reductions(draw: st.DrawFn, b: Block) -> str:
    """A reduction with its keywords in a drawn order over a non-contiguous view."""
    shape = draw(st.sampled_from([(2, 3), (3, 1, 2), (2, 0), (4,), (2, 3, 2)]))
    dt = draw(st.sampled_from(FLOATS))
    x = tensor(draw, b, shape, dt)
    view = draw(st.sampled_from(["", ".transpose(0, -1)", ".flip(0)", ".unsqueeze(1)"]))
    x = f"{x}{view}"
    nd = len(shape) + (1 if view == ".unsqueeze(1)" else 0)
    name = draw(st.sampled_from(sorted(_REDUCTIONS)))
    kws = []
    for k in _REDUCTIONS[name]:
        if not k.endswith("!") and draw(st.booleans()):
            continue
        k = k.rstrip("!")
        if k == "dim":
            dims = draw(st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=2,
                                 unique_by=lambda d: d % nd))
            kws.append(f"dim={dims[0] if len(dims) == 1 and draw(st.booleans()) else tuple(dims)}")
        elif k == "dim1":
            kws.append(f"dim={_dim(draw, nd)}")
        elif k == "keepdim":
            kws.append(f"keepdim={draw(st.booleans())}")
        elif k == "dtype":
            kws.append(f"dtype={draw(st.sampled_from([F64, F32, 'torch.float16']))}")
        elif k == "correction":
            kws.append(f"correction={draw(st.sampled_from([0, 1, 2]))}")
        elif k == "p":
            kws.append("p=" + draw(st.sampled_from(["1", "2", "float('inf')", "3"])))
    kws = draw(st.permutations(kws)) if kws else kws
    if draw(st.booleans()) and name not in ("count_nonzero", "var_mean"):
        return f"{x}.{name}({', '.join(kws)})"
    return f"torch.{name}({', '.join([x, *kws])})"


# ---------------------------------------------------------------- nn modules on odd inputs

_MODULES: list[tuple[str, list[tuple[Shape, str]]]] = [
    ("torch.nn.Linear(3, 2)", [((3,), ""), ((0, 3),), ((2, 1, 3), ""), ((2, 3), "double"),
                               ((2, 4), "")]),
    ("torch.nn.Linear(3, 2, bias=False)", [((2, 3), ""), ((3,), "")]),
    ("torch.nn.Conv1d(2, 3, 2)", [((2, 5), ""), ((1, 2, 5), ""), ((0, 2, 5), ""),
                                  ((1, 2, 1), ""), ((1, 2, 4), "double")]),
    ("torch.nn.LayerNorm(3)", [((2, 3), ""), ((3,), ""), ((0, 3), ""), ((2, 4), "")]),
    ("torch.nn.LayerNorm([2, 3], elementwise_affine=False)", [((1, 2, 3), ""), ((2, 3), "")]),
    ("torch.nn.BatchNorm1d(3)", [((2, 3), ""), ((1, 3), ""), ((2, 3, 4), ""), ((0, 3), "")]),
    ("torch.nn.GroupNorm(2, 4)", [((2, 4, 3), ""), ((1, 4), ""), ((2, 3, 3), "")]),
    ("torch.nn.Embedding(5, 2)", [((3,), "long"), ((2, 2), "int"), ((0,), "long"),
                                  ((3,), "float")]),
    ("torch.nn.Softmax(dim=-1)", [((2, 3), ""), ((0, 3), ""), ((3,), "")]),
    ("torch.nn.Flatten(0)", [((2, 3), ""), ((3,), "")]),
    ("torch.nn.MaxPool1d(2)", [((2, 5), ""), ((1, 2, 1), "")]),
    ("torch.nn.Bilinear(2, 3, 1)", [((2, 2), "bi"), ((2,), "bi")]),
    ("torch.nn.PReLU()", [((2, 3), ""), ((3,), ""), ((), "")]),
    ("torch.nn.Dropout(0.0)", [((2, 3), "")]),
]


def module_calls(draw: st.DrawFn, b: Block) -> str:
    """An nn module on an odd input: shapes it takes unbatched or empty, dtypes it refuses;
    the gradients of the input and of the module's first parameter."""
    module, cases = draw(st.sampled_from(_MODULES))
    case = draw(st.sampled_from(cases))
    shape, how = case[0], (case[1] if len(case) > 1 else "")
    b.lines.append(f"torch.manual_seed({draw(st.integers(0, 3))})")
    b.lines.append(f"m = {module}")
    if draw(st.booleans()) and "Norm" in module:
        b.lines.append("m.eval()")
    if how in ("long", "int"):
        n = 1
        for k in shape:
            n *= k
        b.lines.append(f"a{b.n} = (torch.arange({n}) % 5).reshape({shape})"
                       + (".int()" if how == "int" else ""))
        x = f"a{b.n}"
        b.n += 1
    else:
        dt = F64 if how == "double" else F32
        x = tensor(draw, b, shape, dt)
    b.lines.append("p = list(m.parameters())[:1]")
    b.leaves.append("*p")
    if any(k in module for k in ("Linear", "Conv", "Bilinear")):  # matrix products: rounded
        b.exact = False
    if how == "bi":
        y = tensor(draw, b, (*shape[:-1], 3), F32)
        return f"m({x}, {y})"
    return f"m({x})"


FAMILIES_R25: list[Callable[[st.DrawFn, Block], str]] = [
    expanded_writes, keyword_reductions, keyword_reductions, module_calls, module_calls]
