"""Class (p)'s round-24 families (tests/fuzz/op_strategies.py draws them with its own):
what real code does that the other families never drew.

- chains of views, then an in-place op on the last view, then backward: CopySlices on
  the chain's base, version-counter errors (the base or a view saved for backward and
  modified after), views of multi-output ops, expanded views, reshape's copy-or-view,
  detach's shared version counter, item assignment through a view;
- integer and bool tensors (int64, int32, int8, uint8, bool) with Python floats, ints and
  bools in every binary op, with tensors of other dtypes (0-d and dimensioned), and
  through the reductions: promotion, the result's dtype, the kernels' dtype errors;
- tensors of extreme values printed: magnitudes that switch the repr to scientific
  notation, inf/nan/-0.0, subnormals, float16's range, large integers, bool, complex,
  summarised (more than 1000 elements).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from fuzz.op_strategies import BOOL, F32, F64, FLOATS, I64, Block, Shape, _float, tensor

# ---------------------------------------------------------------- views then in place


def _view_step(draw: st.DrawFn, shape: Shape) -> tuple[str, Shape]:
    """One view op valid for shape, and the view's shape."""
    nd = len(shape)
    options = ["unsqueeze"]
    if nd >= 2:
        options += ["transpose", "transpose", "permute", "diagonal"]
    if nd == 2:
        options += ["t", "t"]
    if nd >= 1 and shape[0] > 0:
        options += ["select", "narrow", "index0"]
    if nd >= 1 and shape[-1] > 1:
        options += ["step"]
    if 1 in shape:
        options += ["squeeze"]
    if nd >= 1:
        options += ["view", "reshape", "flatten", "detach", "unflatten"]
    name = draw(st.sampled_from(options))
    if name == "unsqueeze":
        d = draw(st.integers(-nd - 1, nd))
        w = d % (nd + 1)
        return f".unsqueeze({d})", (*shape[:w], 1, *shape[w:])
    if name == "transpose":
        i, j = draw(st.integers(0, nd - 1)), draw(st.integers(0, nd - 1))
        s = list(shape)
        s[i], s[j] = s[j], s[i]
        return f".transpose({i}, {j})", tuple(s)
    if name == "t":
        return ".t()", (shape[1], shape[0])
    if name == "permute":
        order = draw(st.permutations(list(range(nd))))
        return f".permute({', '.join(map(str, order))})", tuple(shape[k] for k in order)
    if name == "diagonal":
        n = min(shape[0], shape[1])
        return ".diagonal()", (*shape[2:], n)
    if name == "select":
        d = draw(st.integers(0, nd - 1))
        if shape[d] == 0:
            d = 0
        k = draw(st.integers(-shape[d], shape[d] - 1))
        return f".select({d}, {k})", shape[:d] + shape[d + 1:]
    if name == "index0":
        return "[0]", shape[1:]
    if name == "narrow":
        start = draw(st.integers(0, shape[0] - 1))
        length = draw(st.integers(0, shape[0] - start))
        return f".narrow(0, {start}, {length})", (length, *shape[1:])
    if name == "step":
        return "[..., ::2]", (*shape[:-1], (shape[-1] + 1) // 2)
    if name == "squeeze":
        d = shape.index(1)
        return f".squeeze({d})", shape[:d] + shape[d + 1:]
    if name in ("view", "reshape", "flatten"):  # view fails, reshape copies, if strided
        n = 1
        for k in shape:
            n *= k
        return {"view": ".view(-1)", "reshape": ".reshape(-1)",
                "flatten": ".flatten()"}[name], (n,)
    if name == "unflatten":
        return f".unflatten(-1, ({shape[-1]}, 1))", (*shape, 1)
    return ".detach()", shape


_SAVING = ["{x} * 1", "{x}.clone()", "{x}.exp()", "{x}.sigmoid()", "torch.tanh({x})",
           "{x}.relu()", "{x} * 1", "{x}.clone()"]

_IN_PLACE = ["mul_(2)", "add_(1.5)", "zero_()", "neg_()", "abs_()", "clamp_(-0.5, 0.5)",
             "sigmoid_()", "exp_()", "pow_(2)", "fill_(0.25)", "relu_()", "div_(-4)",
             "masked_fill_(v > 0, -0.0)", "sub_(v)", "mul_(v)", "copy_(OTHER)", "add_(OTHER)",
             "addcmul_(OTHER, OTHER, value=0.5)", "lerp_(OTHER, 0.25)", "SETITEM"]


def views_then_inplace(draw: st.DrawFn, b: Block) -> str:
    """A leaf's function, a chain of views of it, an in-place op on the last view; the
    base (its CopySlices) is the result, its gradients the leaf's."""
    shape = draw(st.sampled_from([(2, 3), (3, 4), (2, 3, 2), (4,), (1, 3), (3, 1, 2)]))
    x = tensor(draw, b, shape, _float(draw), grad=True, layout=False)
    b.lines.append(f"c = {draw(st.sampled_from(_SAVING)).format(x=x)}")
    chain, cur = [], shape
    for _ in range(draw(st.integers(1, 3))):
        step, cur = _view_step(draw, cur)
        chain.append(step)
    multi = draw(st.integers(0, 9))
    if multi == 0 and cur and cur[0] > 1:  # a view of a multi-output op
        head = draw(st.sampled_from(["unbind(0)[0]", "split(1)[0]", "chunk(2)[-1]"]))
        b.lines.append(f"v = c{''.join(chain)}.{head}")
        cur = cur[1:] if head.startswith("unbind") else (
            (1, *cur[1:]) if head.startswith("split") else (cur[0] // 2, *cur[1:]))
    elif multi == 1 and cur:  # an expanded view: overlapping elements
        b.lines.append(f"v = c{''.join(chain)}.unsqueeze(0).expand(2, *{cur})")
        cur = (2, *cur)
    else:
        b.lines.append(f"v = c{''.join(chain)}")
    if draw(st.integers(0, 2)) == 0:  # the view (or the base) saved for backward first
        b.lines.append(f"d = {draw(st.sampled_from(['v', 'c']))}"
                       f".{draw(st.sampled_from(['sin()', 'square()', 'mul(2)', 'exp()']))}")
        tail = " + d.sum()"
    else:
        tail = ""
    op = draw(st.sampled_from(_IN_PLACE))
    if "OTHER" in op:
        other = tensor(draw, b, cur[-1:] if cur and draw(st.booleans()) else cur,
                       draw(st.sampled_from(FLOATS)), layout=False)
        op = op.replace("OTHER", other)
    if op == "SETITEM":
        where = draw(st.sampled_from(["...", "0", "-1", "::2"]))
        value = draw(st.sampled_from(["2.0", "-0.0", "float('inf')"]))
        b.lines.append(f"v[{where}] = {value}")
    else:
        b.lines.append(f"v.{op}")
    b.lines.append("print(v.shape, v.is_contiguous(), c._version, v._version, "
                   "v._is_view(), v._base is c)")
    return "c" + tail


# ---------------------------------------------------------------- integers with floats

_INT_DTYPES = [I64, I64, BOOL, BOOL, "torch.int32", "torch.uint8", "torch.int8"]
_SCALARS = ["2.5", "-0.5", "3", "True", "False", "0", "-2", "1e10", "float('inf')",
            "float('nan')", "0.1", "-3.0", "7"]
_BINARY = ["{x} + {s}", "{s} + {x}", "{x} - {s}", "{s} - {x}", "{x} * {s}", "{x} / {s}",
           "{s} / {x}", "{x} // {s}", "{s} // {x}", "{x} % {s}", "{s} % {x}", "{x} ** {s}",
           "{s} ** {x}", "{x} & {s}", "{x} | {s}", "{x} ^ {s}", "{x} == {s}", "{x} < {s}",
           "{x} >= {s}", "torch.add({x}, {s}, alpha=2)", "torch.sub({x}, {s})",
           "torch.mul({x}, {s})", "torch.true_divide({x}, {s})", "torch.floor_divide({x}, {s})",
           "torch.remainder({x}, {s})", "torch.fmod({x}, {s})", "torch.pow({x}, {s})",
           "torch.xlogy({x}, {s})", "torch.where({x} > 0, {x}, {s})",
           "torch.where({x} > 0, {s}, {x})", "{x}.div({s}, rounding_mode='floor')",
           "{x}.div({s}, rounding_mode='trunc')", "torch.float_power({x}, {s})",
           "torch.maximum({x}, torch.tensor({s}))", "torch.minimum({x}, torch.tensor({s}))",
           "torch.fmin({x}, torch.tensor({s}))", "torch.atan2({x}, torch.tensor({s}))",
           "torch.copysign({x}, {s})", "torch.logaddexp({x}, torch.tensor({s}))",
           "torch.nextafter({x}, torch.tensor({s}))", "torch.eq({x}, {s})",
           "torch.isclose({x}, torch.tensor({s}))", "{x}.masked_fill({x} > 0, {s})"]
_REDUCE = ["sum()", "sum(-1)", "sum(dtype=torch.float64)", "prod()", "prod(-1)", "mean()",
           "mean(dtype=torch.float32)", "nansum()", "nanmean()", "std()", "var(-1)",
           "max()", "min(-1)", "amax(-1)", "argmax()", "argmin(-1)", "all()", "any(-1)",
           "count_nonzero()", "cumsum(-1)", "cumprod(-1)", "cummax(-1)", "logcumsumexp(-1)",
           "logsumexp(-1)", "norm()", "median()", "median(-1)", "nanmedian()", "mode(-1)",
           "kthvalue(1, -1)", "topk(1)", "sort(-1)", "argsort(-1)", "unique()",
           "softmax(-1)", "log_softmax(-1)", "softmax(-1, dtype=torch.float64)",
           "quantile(0.5)", "diff()", "aminmax()", "sum(())", "amax(())", "abs()", "neg()",
           "sign()", "sgn()", "sqrt()", "exp()", "floor()", "round()", "reciprocal()",
           "square()", "sigmoid()", "relu()", "bitwise_not()", "logical_not()", "clamp(0)",
           "clamp(True)", "clamp(0.5)", "positive()", "signbit()", "frac()", "trunc()",
           "float()", "half()", "bool()", "long()", "to(torch.int8)", "isnan()"]


def _int_tensor(draw: st.DrawFn, b: Block, shape: Shape) -> str:
    dt = draw(st.sampled_from(_INT_DTYPES))
    if dt in (I64, BOOL):
        return tensor(draw, b, shape, dt, layout=draw(st.booleans()))
    x = tensor(draw, b, shape, I64, lo=0 if dt == "torch.uint8" else -4, hi=5, layout=False)
    return f"{x}.to({dt})"


def ints_with_floats(draw: st.DrawFn, b: Block) -> str:
    """An integer or bool tensor with a Python number, another dtype's tensor, or through
    a reduction or unary op."""
    shape = draw(st.sampled_from([(3,), (2, 3), (), (0,), (2, 0), (4,)]))
    x = _int_tensor(draw, b, shape)
    form = draw(st.integers(0, 3))
    if form == 0:
        return draw(st.sampled_from(_BINARY)).format(x=x, s=draw(st.sampled_from(_SCALARS)))
    if form == 1:  # with a tensor of another dtype: dimensioned or 0-d, float or integer
        other_shape = draw(st.sampled_from([shape, (), shape[-1:]]))
        dt = draw(st.sampled_from([F32, F64, I64, BOOL]))
        y = tensor(draw, b, other_shape, dt)
        op = draw(st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "==", "<", "&"]))
        return f"{x} {op} {y}" if draw(st.booleans()) else f"{y} {op} {x}"
    red = draw(st.sampled_from(_REDUCE))
    return f"{x}.{red}"


# ---------------------------------------------------------------- extreme values printed

_FLOAT_VALUES = ["1e-10", "1e20", "-1e-05", "123456789.0", "100000000.0", "0.0001", "-0.0",
                 "float('inf')", "-float('inf')", "float('nan')", "3.0", "0.5", "1e-45",
                 "3.4e+38", "1e+300", "65504.0", "2.5e-08", "-7.25", "1000.0", "0.001",
                 "99999.5", "1e-05", "12345.678"]
_INT_VALUES = ["2**40", "-2**62", "9007199254740993", "0", "-1", "123456789", "2**63 - 1",
               "-2**63", "99999", "100000000"]
_COMPLEX_VALUES = ["1+2j", "-0.0-1e10j", "1e-10+0j", "complex(float('nan'), 1)",
                   "complex(float('inf'), -0.0)", "3.5-0.25j", "0j", "100000000+1j"]


def extreme_values(draw: st.DrawFn, b: Block) -> str:
    """A tensor of extreme values, printed (repr and tolist) after an op that keeps them."""
    kind = draw(st.sampled_from(["float", "float", "float", "int", "bool", "complex",
                                 "large"]))
    shape = draw(st.sampled_from([(), (3,), (2, 3), (5,), (2, 2, 2)]))
    n = 1
    for k in shape:
        n *= k
    name = f"a{b.n}"
    b.n += 1
    if kind == "large":  # summarised: more than 1000 elements
        v = draw(st.sampled_from(_FLOAT_VALUES))
        dt = draw(st.sampled_from(FLOATS))
        b.lines.append(f"{name} = torch.arange(1001, dtype={dt}) * {v}")
        return draw(st.sampled_from([name, f"{name}.reshape(7, 143)", f"{name}.flip(0)"]))
    pool = {"float": _FLOAT_VALUES, "int": _INT_VALUES, "bool": ["True", "False"],
            "complex": _COMPLEX_VALUES}[kind]
    values = [draw(st.sampled_from(pool)) for _ in range(n)]
    dt = {"float": draw(st.sampled_from([F32, F64, F32, "torch.float16"])), "int": I64,
          "bool": BOOL,
          "complex": draw(st.sampled_from(["torch.complex64", "torch.complex128"]))}[kind]
    lit = values[0] if not shape else "[" + ", ".join(values) + "]"
    b.lines.append(f"{name} = torch.tensor({lit}, dtype={dt})"
                   + (f".reshape{shape}" if len(shape) > 1 else ""))
    op = draw(st.sampled_from(["", "", " * 1", ".abs()", " / 3", ".double()", ".float()",
                               ".sum()", ".flatten()[::2]" if shape else "", " * 1e-8",
                               " + 0.5", ".neg()"]))
    if kind == "bool" and op in (".neg()", ".abs()"):
        op = ""
    return f"{name}{op}"


# ---------------------------------------------------------------- Python ints out of range

_HUGE = ["2**64", "2**63", "2**64 - 1", "-(2**63) - 1", "10**20", "-(10**19)"]
_HUGE_FORMS = ["{x} + {s}", "{s} * {x}", "{x} - {s}", "{x} / {s}", "{x} < {s}", "{x} == {s}",
               "{x} ** {s}", "torch.add({x}, {s})", "{x}.clamp(max={s})",
               "{x}.clamp(min={s})", "{x}.masked_fill({x} > 0, {s})",
               "torch.where({x} > 0, {x}, {s})",
               "torch.full((2,), {s})", "{x}.new_full((2,), {s})", "{x}.sum(dim={s})",
               "{x}.reshape(-1, {s})", "torch.zeros({s})"]


def huge_ints(draw: st.DrawFn, b: Block) -> str:
    """A Python int beyond int64 (or uint64) as an operand, a Scalar, an int or a size
    (round 24: numpy took them as floats where PyTorch's parser refuses them)."""
    shape = draw(st.sampled_from([(3,), (2, 2), ()]))
    dt = draw(st.sampled_from([F32, F64, I64]))
    x = tensor(draw, b, shape, dt)
    form = draw(st.sampled_from(_HUGE_FORMS))
    return form.format(x=x, s=draw(st.sampled_from(_HUGE)))


FAMILIES_R24: list[Callable[[st.DrawFn, Block], str]] = [
    views_then_inplace, views_then_inplace, ints_with_floats, ints_with_floats,
    extreme_values, huge_ints]
