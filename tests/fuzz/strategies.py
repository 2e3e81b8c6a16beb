"""Hypothesis strategies for gd programs (issue 6's fuzzers).

- `gd_programs()`: random *well-formed* programs over the whole language: statements,
  blocks, functions, every operator, built-ins with right and wrong arities, attributes,
  indexing, f-strings, imports, limits-prone expressions. They parse; most run; many
  fail at run time on purpose (bad types, shapes, names): the invariant is only that
  gradcli always ends cleanly.
- `mutated_examples()`: byte-level mutations of the example programs (flips, cuts,
  duplications, insertions of tricky tokens and bytes).
- `torch_programs()`: well-typed programs of our op set with shapes tracked (
  broadcasting, matmul, reductions, views, control flow on values, functions), written
  with `torch.` names only so that the same text is valid Python + PyTorch; they end
  with a first and a second derivative, for the differential fuzzer.
- the "Trust" classes (tests/test_fuzz_trust.py), small programs that print what they
  compute: `builtin_programs()` (Python built-ins on tensors), `tower_programs()`
  (grad of grad ... past the polynomial degree), `reshape_programs()` (view/reshape/
  flatten/contiguous after transposes, permutes, expand, step slicing),
  `creation_programs()` (arange/linspace/logspace/full/eye, values printed exactly),
  `loader_programs()` (torch.utils.data loaders: batches and the generator draws) and
  `cli_cases()` (programs that call backward() themselves, --set in every value form on
  every form of first binding, with the SPEC 2.1 oracle).

The CI profile (`fuzz_settings()`) is derandomized with a modest number of examples;
GRADCLI_FUZZ_EXAMPLES=N raises it on demand.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def fuzz_settings(ci_examples: int, **extra: Any) -> settings:
    """Derandomized in CI (the same cases every run); GRADCLI_FUZZ_EXAMPLES=N for more
    (then random, and N examples per fuzz test)."""
    more = os.environ.get("GRADCLI_FUZZ_EXAMPLES")
    return settings(
        max_examples=int(more) if more else ci_examples,
        derandomize=not more,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        **extra,
    )


# ============================================================ random well-formed programs

NAMES = ["x", "y", "z", "w", "a", "b", "i", "n", "s", "t", "f", "g"]
FUNCS_OK = ["ones", "zeros", "arange", "tensor", "randn", "rand", "eye", "full", "linspace",
            "sin", "cos", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "sum",
            "mean", "max", "min", "prod", "norm", "matmul", "mm", "dot", "cat", "stack",
            "reshape", "transpose", "softmax", "log_softmax", "clamp", "where", "maximum",
            "len", "range", "float", "int", "round", "list", "tuple", "str", "zip",
            "enumerate", "print", "manual_seed", "jacobian", "hessian", "jvp", "vjp", "grad",
            "backward", "detach", "clone", "ones_like", "zeros_like", "no_grad", "isnan",
            "allclose", "mse_loss", "cross_entropy", "binary_cross_entropy_with_logits",
            "torch.sin", "torch.autograd.grad", "F.relu", "math.sqrt", "math.factorial",
            "torch.linalg.norm", "outer", "diag", "broadcast_to", "unsqueeze", "squeeze"]
FUNCS_BAD = ["nosuch", "getattr", "open", "eval", "type", "torch.load", "F.nosuch"]
METHODS = ["sum", "mean", "max", "min", "backward", "item", "tolist", "detach", "clone",
           "reshape", "view", "t", "transpose", "permute", "unsqueeze", "squeeze", "size",
           "numel", "dim", "requires_grad_", "retain_grad", "zero_", "add_", "mul_", "sub_",
           "exp", "log", "abs", "pow", "norm", "softmax", "float", "double", "long",
           "expand", "flatten", "append", "extend", "pop", "upper", "format", "join",
           "split", "replace", "nosuch", "__class__", "fn"]
ATTRS = ["grad", "shape", "T", "data", "requires_grad", "is_leaf", "grad_fn", "dtype", "ndim",
         "real", "values", "indices", "nosuch", "__dict__"]
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "@"]
CMPOPS = ["<", "<=", ">", ">=", "==", "!=", "is", "is not", "in", "not in"]


def _ints() -> st.SearchStrategy[str]:
    return st.one_of(st.integers(-3, 6).map(str),
                     st.sampled_from(["10**10", "10**100", "2**62", "-1", "0", "10**10**10",
                                      "0x1f", "1_000"]))


def _floats() -> st.SearchStrategy[str]:
    return st.one_of(
        st.floats(-5, 5, allow_nan=False, width=32).map(lambda v: repr(float(v))),
        st.sampled_from(["1e308 * 10", "math.nan", "-math.inf", "-0.0", "1e-320",
                         "2.5", "0.1"]))


def _strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF,
                              exclude_characters="\\'\"{}"), max_size=8).map(repr),
        st.sampled_from(["'{}'", "'{0}'", "'%d'", "'{0.real}'", "'a' * 3", "'\\n'"]))


def _shape_args() -> st.SearchStrategy[str]:
    return st.lists(st.integers(0, 4), min_size=0, max_size=3).map(
        lambda dims: ", ".join(map(str, dims)))


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0, plain: bool = False) -> str:
    """A syntactically valid gd expression (semantically anything); `plain` ones have no
    string literal (they go inside f-string fields, where Python 3.11 allows no quotes)."""
    leaves = [
        st.sampled_from(NAMES), _ints(), _floats(), *([] if plain else [_strings()]),
        st.sampled_from(["True", "False", "None", "...", "torch.pi", "math.pi",
                         "torch.float64", "torch"]),
        _shape_args().map(lambda a: f"ones({a})"),
        _shape_args().map(lambda a: f"randn({a})"),
        st.integers(0, 6).map(lambda n: f"arange({n}.0)"),
        st.lists(_floats(), min_size=1, max_size=4).map(
            lambda vs: f"tensor([{', '.join(vs)}], requires_grad=True)"),
        st.lists(st.lists(st.integers(-3, 3).map(str), min_size=2, max_size=2),
                 min_size=1, max_size=3).map(
            lambda rows: "tensor([" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "])"),
    ]
    if depth >= 3:
        return draw(st.one_of(leaves))
    sub = expressions(depth + 1, plain)
    kind = draw(st.integers(0, 13))
    if kind <= 2:
        return draw(st.one_of(leaves))
    if kind == 3:
        return f"({draw(sub)} {draw(st.sampled_from(BINOPS))} {draw(sub)})"
    if kind == 4:
        return f"({draw(sub)} {draw(st.sampled_from(CMPOPS))} {draw(sub)})"
    if kind == 5:
        op = draw(st.sampled_from(["-", "+", "not "]))
        return f"({op}{draw(sub)})"
    if kind == 6:
        fn = draw(st.one_of(st.sampled_from(FUNCS_OK), st.sampled_from(FUNCS_BAD)))
        args = draw(st.lists(sub, max_size=3))
        kw = draw(st.sampled_from(["", "dim=0", "keepdim=True", "requires_grad=True",
                                   "dtype=torch.float64", "create_graph=True"]))
        return f"{fn}({', '.join([*args, kw] if kw else args)})"
    if kind == 7:
        method = draw(st.sampled_from(METHODS))
        args = draw(st.lists(sub, max_size=2))
        return f"({draw(sub)}).{method}({', '.join(args)})"
    if kind == 8:
        return f"({draw(sub)}).{draw(st.sampled_from(ATTRS))}"
    if kind == 9:
        index = draw(st.one_of(sub, st.sampled_from(["0", "-1", ":", "1:", "::2", "..., 0",
                                                     ":, 0", "None", "0, 0"])))
        return f"{draw(sub)}[{index}]"
    if kind == 10:
        items = draw(st.lists(sub, max_size=4))
        return draw(st.sampled_from([f"[{', '.join(items)}]",
                                     f"({', '.join(items)}{',' if len(items) == 1 else ''})"]))
    if kind == 11:
        if plain:
            return draw(st.one_of(leaves))
        spec = draw(st.sampled_from(["", ":.3f", "!r", ":>6", ":e", ":,"]))
        return f"f'v={{{draw(expressions(depth + 1, True))}{spec}}}'"
    if kind == 12:
        return f"({draw(sub)} if {draw(sub)} else {draw(sub)})"
    return f"(lambda {draw(st.sampled_from(['', 'q', 'q, r=1']))}: {draw(sub)})"


@st.composite
def _block(draw: st.DrawFn, depth: int, in_loop: bool, in_def: bool) -> list[str]:
    n = draw(st.integers(1, 3 if depth else 8))
    lines: list[str] = []
    for _ in range(n):
        lines.extend(draw(statements(depth, in_loop, in_def)))
    return lines


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def statements(draw: st.DrawFn, depth: int = 0, in_loop: bool = False,
               in_def: bool = False) -> list[str]:
    """One statement (a list of lines, nested blocks indented)."""
    expr = expressions()
    name = st.sampled_from(NAMES)
    kinds = ["assign", "assign", "assign", "expr", "print", "aug", "unpack", "setattr",
             "setitem", "assert", "import"]
    if depth < 2:
        kinds += ["if", "while", "for", "def", "with"]
    if in_loop:
        kinds += ["break", "continue"]
    if in_def:
        kinds += ["return"]
    kind = draw(st.sampled_from(kinds))
    if kind == "assign":
        return [f"{draw(name)} = {draw(expr)}"]
    if kind == "expr":
        return [draw(expr)]
    if kind == "print":
        return [f"print({', '.join(draw(st.lists(expr, max_size=3)))})"]
    if kind == "aug":
        return [f"{draw(name)} {draw(st.sampled_from(['+=', '-=', '*=', '/=']))} {draw(expr)}"]
    if kind == "unpack":
        return [f"{draw(name)}, {draw(name)} = {draw(expr)}"]
    if kind == "setattr":
        attr = draw(st.sampled_from(["grad", "requires_grad", "data", "shape", "nosuch"]))
        return [f"{draw(name)}.{attr} = {draw(expr)}"]
    if kind == "setitem":
        return [f"{draw(name)}[{draw(st.sampled_from(['0', ':', '1:', '-1']))}] = {draw(expr)}"]
    if kind == "assert":
        return [f"assert {draw(expr)}, 'failed'"]
    if kind == "import":
        return [draw(st.sampled_from(["import torch", "import math",
                                      "import torch.nn.functional as F",
                                      "from torch.autograd import grad",
                                      "from torch import sin as s"]))]
    if kind == "break":
        return ["break"]
    if kind == "continue":
        return ["continue"]
    if kind == "return":
        return [f"return {draw(expr)}"]
    if kind == "if":
        lines = [f"if {draw(expr)}:", *_indent(draw(_block(depth + 1, in_loop, in_def)))]
        if draw(st.booleans()):
            lines += [f"elif {draw(expr)}:", *_indent(draw(_block(depth + 1, in_loop, in_def)))]
        if draw(st.booleans()):
            lines += ["else:", *_indent(draw(_block(depth + 1, in_loop, in_def)))]
        return lines
    if kind == "while":
        return [f"while {draw(expr)}:", *_indent(draw(_block(depth + 1, True, in_def)))]
    if kind == "for":
        it = draw(st.one_of(expr, st.integers(0, 5).map(lambda k: f"range({k})")))
        return [f"for {draw(name)} in {it}:", *_indent(draw(_block(depth + 1, True, in_def)))]
    if kind == "def":
        params = draw(st.sampled_from(["", "q", "q, r", "q, r=2"]))
        deco = draw(st.sampled_from(["", "@no_grad()", "@torch.enable_grad()"]))
        body = draw(_block(depth + 1, False, True))
        return [*([deco] if deco else []), f"def {draw(name)}({params}):", *_indent(body)]
    ctx = draw(st.sampled_from(["no_grad()", "torch.enable_grad()", "set_grad_enabled(False)"]))
    return [f"with {ctx}:", *_indent(draw(_block(depth + 1, in_loop, in_def)))]


@st.composite
def gd_programs(draw: st.DrawFn) -> str:
    """A random well-formed gd program that starts by binding the usual names."""
    prelude = ["import math", "x = tensor([0.5, -1.5, 2.0], requires_grad=True)",
               "y = ones(2, 3)", "z = 3", "s = 'text'", "w = [1, 2.5, x]", "a = arange(4.0)",
               "b = [1, 2]", "i = 0", "n = 2.5", "t = (1, 2)", "def f(q=1):", "    return q",
               "g = lambda q: q * 2"]
    body = draw(_block(0, False, False))
    return "\n".join(prelude + body) + "\n"


# ============================================================ mutations of the examples

def example_programs() -> list[bytes]:
    """The example programs, the seed corpus of the mutation fuzzer."""
    return [p.read_bytes() for p in sorted(EXAMPLES_DIR.glob("*.gd"))]


TRICKY = [b"(", b")", b"[", b"]", b"'''", b"'", b'"', b"f'{", b"}", b"\t", b"\x00", b"\xff",
          b"\xc3", b"\xe2\x80\xae", b"\x1b[2J", b"\r", b"\n    ", b"\n", b"\\\n", b"def ",
          b"lambda: ", b"**", b"@", b"10**10**10", b"while True:\n    pass\n", b"import os\n",
          b".__class__", b"[0]", b"(" * 300, b"-" * 300, b"#", b"\xef\xbb\xbf", b" if 1 else ",
          b"yield ", b"ones(10**5, 10**5)", b"x.backward()", b"nan", b"9" * 5000, b"\x7f"]


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """An example program after 1-6 byte-level mutations."""
    corpus = example_programs()
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 6))
        at = draw(st.integers(0, len(data)))
        if op == 0 and data:  # flip a byte
            i = min(at, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == 1:  # cut a range
            data[at:at + draw(st.integers(1, 40))] = b""
        elif op == 2:  # insert a tricky token
            data[at:at] = draw(st.sampled_from(TRICKY))
        elif op == 3:  # duplicate a slice
            n = draw(st.integers(1, 200))
            data[at:at] = data[at:at + n]
        elif op == 4:  # insert random bytes
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == 5:  # truncate
            del data[at:]
        else:  # splice a line from another example
            other = draw(st.sampled_from(corpus)).splitlines(keepends=True)
            if other:
                data[at:at] = draw(st.sampled_from(other))
    return bytes(data)


# ============================================================ well-typed torch programs

Shape = tuple[int, ...]


@dataclass
class _Gen:
    """State of one well-typed program being built."""

    draw: st.DrawFn
    lines: list[str] = field(default_factory=list)
    vars: dict[str, Shape] = field(default_factory=dict)  # float64 tensors, shapes known
    dependent: set[str] = field(default_factory=set)  # names that depend on x
    counter: int = 0

    def new(self, shape: Shape, dep: bool) -> str:
        self.counter += 1
        name = f"v{self.counter}"
        self.vars[name] = shape
        if dep:
            self.dependent.add(name)
        return name

    def pick(self, pred: Any = None) -> str:
        names = [n for n, s in self.vars.items() if pred is None or pred(s)] or ["x"]
        # Prefer recent names that depend on x: deeper graphs.
        dep = [n for n in names if n in self.dependent]
        pool = dep[-4:] if dep and self.draw(st.integers(0, 3)) else names
        return self.draw(st.sampled_from(pool))

    def literal(self, shape: Shape) -> str:
        n = 1
        for d in shape:
            n *= d
        values = self.draw(st.lists(
            st.integers(-200, 200).filter(lambda v: v != 0).map(lambda v: v / 100),
            min_size=n, max_size=n, unique=True))
        return _nest(values, shape)


def _nest(values: list[float], shape: Shape) -> str:
    if not shape:
        return repr(values[0])
    step = len(values) // shape[0] if shape[0] else 0
    return "[" + ", ".join(_nest(values[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def _const(g: _Gen, shape: Shape) -> str:
    return f"torch.tensor({g.literal(shape)}, dtype=torch.float64)"


def _broadcast_partner(g: _Gen, shape: Shape) -> Shape:
    """A shape that broadcasts against `shape` (ones in random places, dims dropped)."""
    keep = g.draw(st.integers(0, len(shape)))
    tail = shape[len(shape) - keep:]
    return tuple(1 if g.draw(st.booleans()) else d for d in tail)


def _bshape(a: Shape, b: Shape) -> Shape:
    n = max(len(a), len(b))
    a2, b2 = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    return tuple(max(x, y) for x, y in zip(a2, b2, strict=True))


UNARY = ["torch.sin({})", "torch.cos({})", "torch.tanh({})", "torch.sigmoid({})",
         "torch.exp(torch.tanh({}))", "torch.relu({})", "torch.abs({})", "{} ** 2", "{} ** 3",
         "torch.sqrt({0} * {0} + 1)", "torch.log({0} * {0} + 1)", "{0} / ({0} * {0} + 1)",
         "({0} * {0} + 1) ** 0.5", "-{}", "{}.sin()", "{}.exp().log()", "torch.square({})",
         "torch.clamp({}, min=-0.5, max=0.7)", "{}.tanh() * 3", "torch.neg({})",
         "torch.sigmoid({}) * 2"]
BINARY = ["{} + {}", "{} - {}", "{} * {}", "{} / ({} ** 2 + 1)", "torch.maximum({}, {})",
          "torch.minimum({}, {})", "torch.where({0} > {1}, {0}, {1})", "torch.add({}, {})",
          "torch.mul({}, {})", "{0} * torch.sigmoid({1})",
          # alpha: one fused multiply-add, one node (round 9: it was mul then add)
          "torch.add({}, {}, alpha=0.3)", "torch.sub({}, {}, alpha=-1.7)",
          "({0}).add({1}, alpha=2.5)",
          # tensor bounds are inputs: ClampBackward0's min/max gradients, equal bounds
          # included (round 10: min == max sent the gradient to min, PyTorch to neither)
          "torch.clamp({}, min={})", "torch.clamp({}, max={})",
          "torch.clamp({0}, {1} - 0.5, {1} + 0.5)", "torch.clamp({0}, {1}, {1})",
          "{}.clamp_min({})", "torch.clip({0}, max={1} * 0.5)",
          "torch.rsub({}, {}, alpha=0.5)"]


def _step(g: _Gen) -> None:
    """Append one well-typed statement."""
    d = g.draw
    kind = d(st.integers(0, 19))
    if kind <= 2:  # unary elementwise
        a = g.pick()
        expr = d(st.sampled_from(UNARY)).format(a)
        g.lines.append(f"{g.new(g.vars[a], a in g.dependent)} = {expr}")
    elif kind <= 5:  # binary, broadcasting with a variable or a constant
        a = g.pick()
        sa = g.vars[a]
        compatible = [n for n, s in g.vars.items() if n != a and _broadcasts(sa, s)]
        if compatible and d(st.booleans()):
            b = d(st.sampled_from(compatible))
            sb, bexpr, bdep = g.vars[b], b, b in g.dependent
        else:
            sb = _broadcast_partner(g, sa)
            bexpr, bdep = _const(g, sb), False
        expr = d(st.sampled_from(BINARY)).format(a, bexpr)
        if d(st.booleans()):
            expr = d(st.sampled_from(BINARY)).format(bexpr, a)
        g.lines.append(f"{g.new(_bshape(sa, sb), a in g.dependent or bdep)} = {expr}")
    elif kind == 6:  # reductions
        a = g.pick()
        sa = g.vars[a]
        if not sa or d(st.integers(0, 3)) == 0:
            fn = d(st.sampled_from(["{}.sum()", "{}.mean()", "(({0} ** 2).sum() + 1).sqrt()",
                                    "torch.logsumexp({}.reshape(-1), 0)", "{}.amax()",
                                    "{}.prod()"]))
            g.lines.append(f"{g.new((), a in g.dependent)} = {fn.format(a)}")
        else:
            dim = d(st.integers(-len(sa), len(sa) - 1))
            keep = d(st.booleans())
            fn = d(st.sampled_from(["{}.sum({}, keepdim={})", "{}.mean({}, keepdim={})",
                                    "torch.amax({}, {}, keepdim={})",
                                    "torch.logsumexp({}, {}, keepdim={})",
                                    "{}.max({}, keepdim={}).values",
                                    "{}.prod({}, keepdim={})",
                                    "torch.softmax({}, {}) * {}",
                                    "torch.log_softmax({}, {}) * {}"]))
            out = list(sa)
            if "softmax" in fn:
                keep_s = "1" if keep else "2"
                g.lines.append(f"{g.new(sa, a in g.dependent)} = {fn.format(a, dim, keep_s)}")
                return
            if keep:
                out[dim] = 1
            else:
                del out[dim]
            g.lines.append(f"{g.new(tuple(out), a in g.dependent)} = {fn.format(a, dim, keep)}")
    elif kind == 7:  # views and shape changes
        a = g.pick(lambda s: len(s) >= 1)
        sa = g.vars[a]
        choice = d(st.integers(0, 6))
        if choice == 0:
            n = 1
            for x in sa:
                n *= x
            g.lines.append(f"{g.new((n,), a in g.dependent)} = {a}.reshape(-1)")
        elif choice == 1 and len(sa) >= 2:
            perm = d(st.permutations(range(len(sa))))
            g.lines.append(f"{g.new(tuple(sa[i] for i in perm), a in g.dependent)} = "
                           f"{a}.permute({', '.join(map(str, perm))})")
        elif choice == 2:
            dim = d(st.integers(0, len(sa)))
            g.lines.append(f"{g.new((*sa[:dim], 1, *sa[dim:]), a in g.dependent)} = "
                           f"{a}.unsqueeze({dim})")
        elif choice == 3 and sa[0] > 1:
            g.lines.append(f"{g.new(sa[1:], a in g.dependent)} = {a}[1]")
        elif choice == 4 and sa[-1] > 1:
            g.lines.append(f"{g.new((*sa[:-1], (sa[-1] + 1) // 2), a in g.dependent)} = "
                           f"{a}[..., ::2]")
        elif choice == 5:
            g.lines.append(f"{g.new((2, *sa), a in g.dependent)} = "
                           f"torch.stack([{a}, {a} * 2])")
        else:
            g.lines.append(f"{g.new((sa[0] * 2, *sa[1:]), a in g.dependent)} = "
                           f"torch.cat([{a}, torch.sin({a})], 0)")
    elif kind == 8:  # matrix products with a constant
        a = g.pick(lambda s: 1 <= len(s) <= 3)
        sa = g.vars[a]
        k = sa[-1]
        m = d(st.integers(1, 3))
        if len(sa) == 1 and d(st.booleans()):
            g.lines.append(f"{g.new((), a in g.dependent)} = torch.dot({a}, {_const(g, (k,))})")
        else:
            rhs = _const(g, (k, m))
            g.lines.append(f"{g.new((*sa[:-1], m), a in g.dependent)} = {a} @ {rhs}")
    elif kind == 9:  # an if on a value (thresholds off the 0.01 grid of the data: float
        # rounding in a sum must not decide the branch)
        a = g.pick()
        e1 = d(st.sampled_from(UNARY)).format(a)
        e2 = d(st.sampled_from(UNARY)).format(a)
        name = g.new(g.vars[a], a in g.dependent)
        g.lines += [f"if {a}.sum() > {d(st.sampled_from(['0.005', '0.505', '-0.995']))}:",
                    f"    {name} = {e1}", "else:", f"    {name} = {e2}"]
    elif kind == 10:  # a while loop on a value, bounded
        a = g.pick()
        name = g.new(g.vars[a], a in g.dependent)
        g.lines += [f"{name} = {a} * 1.0", "k = 0",
                    f"while k < 4 and {name}.abs().sum() < "
                    f"{d(st.sampled_from(['5.005', '20.005']))}:",
                    f"    {name} = {name} * 1.5 + 0.1", "    k += 1"]
    elif kind == 11:  # a for loop
        a = g.pick()
        name = g.new(g.vars[a], a in g.dependent)
        g.lines += [f"{name} = {a}", f"for i in range({d(st.integers(1, 3))}):",
                    f"    {name} = {name} + torch.sin({name}) * (i + 1)"]
    elif kind == 12:  # a function
        a = g.pick()
        body = d(st.sampled_from(UNARY)).format("q")
        fname = f"fn{g.counter}"
        g.lines += [f"def {fname}(q, scale=2.0):", f"    return {body} * scale"]
        g.lines.append(f"{g.new(g.vars[a], a in g.dependent)} = {fname}({a})")
    elif kind == 13:  # in-place on a non-leaf copy
        a = g.pick()
        name = g.new(g.vars[a], a in g.dependent)
        op = d(st.sampled_from(["{0}.mul_(2)", "{0}.add_(1)", "{0} += 1", "{0} *= {0}",
                                "{0}.clamp_(-1, 1)"]))
        g.lines += [f"{name} = {a} * 1.0", op.format(name)]
    elif kind == 14:  # indexing assignment on a copy
        a = g.pick(lambda s: len(s) >= 1 and s[0] >= 2)
        sa = g.vars[a]
        name = g.new(sa, a in g.dependent)
        g.lines += [f"{name} = {a}.clone()", f"{name}[0] = {name}[1] * 3"]
    elif kind == 16:  # more views: transpose, expand, flatten, squeeze
        a = g.pick(lambda s: len(s) >= 1)
        sa = g.vars[a]
        dep = a in g.dependent
        choice = d(st.integers(0, 3))
        if choice == 0 and len(sa) >= 2:
            i, j = d(st.permutations(range(len(sa))))[:2]
            out = list(sa)
            out[i], out[j] = out[j], out[i]
            g.lines.append(f"{g.new(tuple(out), dep)} = {a}.transpose({i}, {j})")
        elif choice == 1:
            g.lines.append(f"{g.new((2, *sa), dep)} = {a}.unsqueeze(0).expand(2, "
                           f"{', '.join(['-1'] * len(sa))})")
        elif choice == 2:
            n = 1
            for k in sa:
                n *= k
            g.lines.append(f"{g.new((n,), dep)} = {a}.flatten()")
        else:
            kept = tuple(k for k in sa if k != 1)
            g.lines.append(f"{g.new(kept, dep)} = {a}.squeeze()")
    elif kind == 17:  # advanced indexing: an index tensor, a boolean mask
        a = g.pick(lambda s: len(s) >= 1)
        sa = g.vars[a]
        dep = a in g.dependent
        if d(st.booleans()):
            idx = d(st.lists(st.integers(0, sa[0] - 1), min_size=1, max_size=4))
            g.lines.append(f"{g.new((len(idx), *sa[1:]), dep)} = "
                           f"{a}[torch.tensor({idx})]")
        else:
            g.lines.append(f"{g.new((), dep)} = {a}[{a} > 0].sum()")
    elif kind == 18:  # values outside the graph: no_grad, detach
        a = g.pick()
        sa = g.vars[a]
        name = g.new(sa, a in g.dependent)
        how = d(st.sampled_from(["with torch.no_grad():\n    c{n} = {a} * 2\n{v} = {a} * c{n}",
                                 "{v} = {a} * {a}.detach()",
                                 "{v} = {a} + {a}.detach() ** 2"]))
        g.lines += how.format(n=g.counter, a=a, v=name).split("\n")
    elif kind == 19:  # the functional API on a gd function
        a = g.pick(lambda s: len(s) == 1 and s[0] <= 4)
        sa = g.vars[a]
        fname = f"fn{g.counter}"
        body = d(st.sampled_from(UNARY)).format("q")
        g.lines += [f"def {fname}(q):", f"    return ({body}).sum()"]
        api = d(st.sampled_from(["jac", "hess", "vjp", "jvp"]))
        if api == "jac":
            g.lines.append(f"{g.new(sa, False)} = torch.autograd.functional.jacobian("
                           f"{fname}, {a}.detach())")
        elif api == "hess":
            g.lines.append(f"{g.new(sa + sa, False)} = torch.autograd.functional.hessian("
                           f"{fname}, {a}.detach())")
        elif api == "vjp":
            name = g.new(sa, False)
            g.lines.append(f"_, {name} = torch.autograd.functional.vjp({fname}, {a}.detach(), "
                           "torch.tensor(1.5, dtype=torch.float64))")
        else:
            name = g.new((), False)
            g.lines.append(f"_, {name} = torch.autograd.functional.jvp({fname}, {a}.detach(), "
                           f"{_const(g, sa)})")
    else:  # losses and norms
        a = g.pick(lambda s: len(s) >= 1)
        sa = g.vars[a]
        fn = d(st.sampled_from([
            f"torch.nn.functional.mse_loss({a}, {_const(g, sa)})",
            f"torch.nn.functional.binary_cross_entropy_with_logits({a}, torch.sigmoid("
            f"{_const(g, sa)}))",
            # Shifted: the second derivative of a norm at exactly 0 is a known divergence
            # (test_fuzz_torch.py::test_known_divergence_norm_at_zero).
            f"torch.linalg.norm({a} + 0.25)", f"torch.norm({a} * 1.5 - 0.25)"]))
        g.lines.append(f"{g.new((), a in g.dependent)} = {fn}")


def _broadcasts(a: Shape, b: Shape) -> bool:
    return all(x == y or x == 1 or y == 1 for x, y in zip(reversed(a), reversed(b),
                                                          strict=False))


@st.composite
def torch_programs(draw: st.DrawFn) -> str:
    """A well-typed program valid in gd and in Python + PyTorch; its variables `out`
    (a scalar), `g` (d out/dx, with create_graph) and `h` (the gradient of a random
    projection of g: a Hessian-vector product) are compared."""
    shape = draw(st.sampled_from([(3,), (2, 3), (4,), (2, 2), (3, 1), (2, 1, 3)]))
    g = _Gen(draw)
    x = "x"
    g.vars[x] = shape
    g.dependent.add(x)
    g.lines.append("import torch")
    g.lines.append(f"x = torch.tensor({g.literal(shape)}, dtype=torch.float64, "
                   "requires_grad=True)")
    for _ in range(draw(st.integers(2, 9))):
        _step(g)
    dep = [n for n in g.vars if n in g.dependent and n != "x"] or ["x"]
    parts = draw(st.lists(st.sampled_from(dep), min_size=1, max_size=3, unique=True))
    terms = [draw(st.sampled_from(["{}.sum()", "({} ** 2).mean()", "torch.tanh({}).sum()"]))
             .format(p) for p in parts]
    g.lines.append("out = " + " + ".join(terms) + " + (x * x).sum() * 0.5")
    if draw(st.booleans()):  # .grad accumulates over backward calls
        g.lines += ["out.backward(retain_graph=True)", "out.backward(retain_graph=True)",
                    "acc = x.grad * 1.0"]
    g.lines.append("g, = torch.autograd.grad(out, [x], create_graph=True)")
    g.lines.append(f"proj = torch.tensor({g.literal(shape)}, dtype=torch.float64)")
    g.lines.append("s = (g * proj).sum()")
    g.lines.append("h, = torch.autograd.grad(s, [x])")
    return "\n".join(g.lines) + "\n"


# ============================================================ the "Trust" classes
# Small programs, one class of wrong answer users found each, valid Python + PyTorch, that
# print what they compute (values, dtype, requires_grad and grad_fn names through the
# tensor repr): the differential tests compare the printed text with PyTorch's.

_DTYPES = ["torch.float32", "torch.float64", "torch.int64", "torch.bool"]


def _values(draw: st.DrawFn, n: int, dtype: str) -> list[Any]:
    if dtype == "torch.bool":
        return draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if dtype == "torch.int64":
        return draw(st.lists(st.integers(-5, 9), min_size=n, max_size=n))
    return [v / 4 for v in draw(st.lists(st.integers(-12, 20), min_size=n, max_size=n))]


@st.composite
def tensor_literal(draw: st.DrawFn, shapes: tuple[Shape, ...] = ((), (3,), (2, 3), (1,),
                                                                 (0,), (2, 1))) -> str:
    """`torch.tensor(...)` of a random shape and dtype, requiring grad at random (floats)."""
    shape = draw(st.sampled_from(shapes))
    dtype = draw(st.sampled_from(_DTYPES))
    n = 1
    for k in shape:
        n *= k
    values = _values(draw, n, dtype)
    data = _nest(values, shape) if n else "[" * len(shape) + "]" * len(shape)
    rg = ", requires_grad=True" if "float" in dtype and draw(st.booleans()) else ""
    dt = "" if dtype == "torch.float32" and draw(st.booleans()) else f", dtype={dtype}"
    return f"torch.tensor({data}{dt}{rg})"


BUILTIN_CALLS = ["sum(t)", "sum(t, {n})", "sum(t, start={n})", "sum(t, t)", "max(t)",
                 "min(t)", "max(t, {n})", "min({n}, t)", "abs(t)", "pow(t, {k})",
                 "pow({n}, t)", "pow(t, {k}, 5)", "round(t)", "round(t, 1)", "len(t)",
                 "float(t)", "int(t)", "bool(t)", "sorted(t)", "sorted(t, reverse=True)",
                 "any(t)", "all(t)", "list(t)", "divmod(t, {n})", "divmod({n}, t)",
                 "tuple(t)", "max(t, key=abs)", "sum([t, t])", "sum(t) * 2", "abs(-t)",
                 "sum(list(t))", "float(t) + 1", "int(t) // 2", "t.sum() + sum(t)",
                 "len(list(t))", "max(list(t))", "sorted(list(t))",
                 # and/or test every operand but the last (a tensor last is never tested)
                 "{n} or t", "{n} and t", "None or t * 2", "[] or [t]", "t or {n}",
                 "t and {n}", "not t", "({n} or t) * 2", "{n} and {k} and t"]


@st.composite
def builtin_programs(draw: st.DrawFn) -> str:
    """Class (a): a bare Python built-in applied to a tensor, printed."""
    t = draw(tensor_literal())
    call = draw(st.sampled_from(BUILTIN_CALLS)).format(
        n=draw(st.sampled_from(["0", "1", "2", "-1", "0.5", "2.5"])),
        k=draw(st.sampled_from(["0", "1", "2", "3", "0.5", "-1"])))
    return f"import torch\nt = {t}\nr = {call}\nprint(r)\n"


# f-string fields as tutorials write them: self-documenting (=), conversions, specs with
# fields; t a tensor, s its 0-d sum, lst a list holding both.
FSTRING_FIELDS = ["{t=}", "{t = }", "{t!r}", "{t!s:>8}", "{s=:.{p}f}", "{s:.{p}f}",
                  "{s:{w}.{p}e}", "{s=!s}", "{lst=}", "{s.item()=:.3g}", "{t.shape=}",
                  "{t.dtype=}", "{s:>{w}}", "{s * 2 = :.2f}", "{s!r:^{w}}"]


@st.composite
def fstring_programs(draw: st.DrawFn) -> str:
    """Class (f): f-string fields (=, !r, nested specs) of tensors, printed."""
    t = draw(tensor_literal())
    fields = draw(st.lists(st.sampled_from(FSTRING_FIELDS), min_size=1, max_size=3))
    p, w = draw(st.integers(0, 6)), draw(st.integers(0, 12))
    return (f"import torch\nt = {t}\ns = t.sum()\nlst = [s, t]\np = {p}\nw = {w}\n"
            f"print(f\"{' | '.join(fields)}\")\n")


# Building blocks of f(x) for the derivative towers: polynomial ones (the tower ends in
# zeros, then None with allow_unused, or an error without it), and transcendental ones.
TOWER_UNARY = ["{} ** 2", "{} ** 3", "torch.pow({}, 2)", "torch.square({})", "{0} * {0}",
               "torch.relu({})", "torch.clamp({}, -1.0, 1.0)", "torch.maximum({}, c)",
               "torch.tanh({})", "torch.sigmoid({})", "torch.exp({})", "{} * 3.0",
               "{} + c", "torch.abs({})", "{}.sum()", "{}.mean()", "-{}", "{} / 2.0",
               "torch.minimum({0}, {0} * 2.0)", "{}.sum() * c", "torch.sin({})"]


@st.composite
def tower_programs(draw: st.DrawFn) -> str:
    """Class (b): grad of grad of ... (create_graph=True) past f's polynomial degree, each
    level printed (values, requires_grad, grad_fn name)."""
    shape = draw(st.sampled_from([(), (3,), (2,)]))
    n = 1
    for k in shape:
        n *= k
    xs = _nest(_values(draw, n, "torch.float64"), shape)
    cs = _nest(_values(draw, n, "torch.float64"), shape)
    expr = "x"
    for _ in range(draw(st.integers(1, 3))):
        expr = "(" + draw(st.sampled_from(TOWER_UNARY)).format(expr) + ")"
    unused = draw(st.sampled_from(["", ", allow_unused=True"]))
    levels = draw(st.integers(2, 6))
    return (f"import torch\nx = torch.tensor({xs}, dtype=torch.float64, requires_grad=True)\n"
            f"c = torch.tensor({cs}, dtype=torch.float64)\ny = {expr}\nprint(y)\n"
            f"g = y\nfor k in range({levels}):\n"
            f"    g, = torch.autograd.grad(g.sum(), x, create_graph=True{unused})\n"
            "    print(k, g)\n"
            "    if g is None:\n        break\n"
            "    print(g.requires_grad, g.is_leaf)\n")


UNARY_LAYOUT_OPS = ["torch.sin", "torch.exp", "torch.sigmoid", "torch.erf", "torch.lgamma",
                    "torch.expm1", "torch.abs", "torch.nn.functional.gelu", "torch.sinc",
                    "torch.special.i0", "torch.tanh", "torch.neg"]


@st.composite
def reshape_programs(draw: st.DrawFn) -> str:
    """Class (c): view/reshape/flatten/contiguous (or a seeded dropout) after transposes,
    permutes, expand, step slicing; the values, grad_fn names, is_contiguous and errors
    printed."""
    shape = draw(st.sampled_from([(2, 3), (3, 4), (2, 3, 2), (4,), (2, 2, 2)]))
    n = 1
    for k in shape:
        n *= k
    rg = draw(st.sampled_from(["", ".requires_grad_()"]))
    dims = ", ".join(map(str, shape))
    lines = ["import torch", f"x = torch.arange({n}.0).reshape({dims}){rg}", "v = x"]
    cur = list(shape)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 5))
        if kind == 0 and len(cur) >= 2:
            i, j = draw(st.permutations(range(len(cur))))[:2]
            lines.append(f"v = v.transpose({i}, {j})")
            cur[i], cur[j] = cur[j], cur[i]
        elif kind == 1 and len(cur) >= 2:
            perm = draw(st.permutations(range(len(cur))))
            lines.append(f"v = v.permute({', '.join(map(str, perm))})")
            cur = [cur[p] for p in perm]
        elif kind == 2 and len(cur) <= 3:
            lines.append(f"v = v.unsqueeze(0).expand(2, {', '.join(['-1'] * len(cur))})")
            cur = [2, *cur]
        elif kind == 3:
            d = draw(st.integers(0, len(cur) - 1))
            lines.append(f"v = v[{':, ' * d}::2]")
            cur[d] = (cur[d] + 1) // 2
        elif kind == 4 and len(cur) == 2:
            lines.append("v = v.t()")
            cur.reverse()
        else:
            if len(cur) >= 2:
                lines.append("v = v.mT")
                cur[-1], cur[-2] = cur[-2], cur[-1]
            else:  # an offset view
                lines.append("v = v[1:]")
                cur[0] = max(cur[0] - 1, 0)
    if draw(st.booleans()):
        # a unary op's result takes v's memory order (TensorIterator), broadcast axes aside
        lines.append(f"v = {draw(st.sampled_from(UNARY_LAYOUT_OPS))}(v)")
        # (a size-1 dim's stride is arbitrary: PyTorch's copies a view's, 0 after expand)
        lines.append("print([s for s, n in zip(v.stride(), v.shape) if n != 1], "
                     "v.is_contiguous())")
    total = 1
    for k in cur:
        total *= k
    factors = [f for f in range(1, total + 1) if total % f == 0] or [1]  # empty: 0 elements
    f = draw(st.sampled_from(factors))
    target = draw(st.sampled_from([f"{f}, -1", "-1", f"-1, {f}", f"{f}, {total // f}",
                                   f"{total}", f"{f}, 1, -1"]))
    lines.append(draw(st.sampled_from(["print(v.shape)", "print(v.shape)",
                                       "print(v.is_contiguous(), v.shape)"])))
    final = draw(st.sampled_from([f"v.view({target})", f"v.reshape({target})", "v.flatten()",
                                  "v.flatten(1)" if len(cur) >= 2 else "v.flatten(0)",
                                  f"v.contiguous().view({target})", "v.contiguous()",
                                  f"torch.reshape(v, ({target},))", "v.view(-1)",
                                  f"v.view({target}).is_contiguous()",
                                  f"v.reshape({target}).is_contiguous()",
                                  f"v.reshape({target}).view(-1)", "v.flatten().view(-1)",
                                  f"v.reshape({target}).sum(0)",
                                  # dropout's noise follows v's memory layout (ATen's
                                  # empty_like keeps infer_dense_strides of v's strides)
                                  "torch.nn.functional.dropout(v, 0.5)"]))
    if "dropout" in final:
        lines.insert(1, f"torch.manual_seed({draw(st.integers(0, 99))})")
    lines += [f"r = {final}", "print(r)"]
    if rg and "is_contiguous" not in final:  # the gradient flows back through the views
        lines += ["(r * torch.arange(r.numel()).reshape(r.shape)).sum().backward()",
                  "print(x.grad)"]
    return "\n".join(lines) + "\n"


def _num(draw: st.DrawFn) -> str:
    return draw(st.one_of(st.integers(-6, 6).map(str),
                          st.integers(-60, 60).map(lambda v: repr(v / 10)),
                          st.sampled_from(["0.1", "1e-3", "3.3", "-2.7", "1 / 3", "0.7"])))


@st.composite
def creation_programs(draw: st.DrawFn) -> str:
    """Class (d): arange/linspace/logspace/full/eye values, printed exactly (tolist)."""
    dt = draw(st.sampled_from(["", ", dtype=torch.float32", ", dtype=torch.float64"]))
    kind = draw(st.integers(0, 4))
    if kind == 0:
        a, b = _num(draw), _num(draw)
        step = draw(st.sampled_from(["0.1", "0.3", "1", "2", "0.25", "1 / 3", "0.7", "-0.3",
                                     "-1", "0.05", "1.5"]))
        call = draw(st.sampled_from([f"torch.arange({a}, {b}, {step}{dt})",
                                     f"torch.arange({b}{dt})", f"torch.arange({a}, {b}{dt})"]))
    elif kind == 1:
        call = (f"torch.linspace({_num(draw)}, {_num(draw)}, "
                f"{draw(st.integers(0, 12))}{dt})")
    elif kind == 2:
        base = draw(st.sampled_from(["", ", base=2", ", base=2.5", ", base=10.0", ", base=0.5"]))
        call = (f"torch.logspace({_num(draw)}, {_num(draw)}, "
                f"{draw(st.integers(0, 9))}{base}{dt})")
    elif kind == 3:
        shape = draw(st.sampled_from(["(3,)", "(2, 2)", "()", "[2]", "(1, 3)"]))
        call = f"torch.full({shape}, {_num(draw)}{dt})"
    else:
        m = draw(st.sampled_from(["", ", 2", ", 4", ", 0"]))
        call = f"torch.eye({draw(st.integers(0, 4))}{m}{dt})"
    return f"import torch\nr = {call}\nprint(r.dtype, r.shape)\nprint(r.tolist())\nprint(r)\n"


@st.composite
def loader_programs(draw: st.DrawFn) -> str:
    """Class (g): torch.utils.data loaders over a few epochs (plain or shuffled, a
    generator or the default one, drop_last, an epoch cut short, a random_split first):
    every batch as default_collate makes it, then draws that depend on every earlier one."""
    n = draw(st.integers(1, 9))
    data = draw(st.sampled_from([
        "TensorDataset(torch.arange(N * 2.).view(N, 2), torch.arange(N))", "list(range(N))",
        "[i / 2 for i in range(N)]", "[(i, i / 4) for i in range(N)]", "torch.arange(N)",
        "TensorDataset(torch.randn(N, 1))"])).replace("N", str(n))
    size = draw(st.sampled_from(["1", "2", "3", "4", "None", str(n)]))
    shuffle = draw(st.booleans())
    drop_last = size != "None" and draw(st.booleans())
    gen = draw(st.sampled_from(["", ", generator=g"]))
    lines = ["import torch", "from torch.utils.data import DataLoader, TensorDataset, "
             "random_split", f"torch.manual_seed({draw(st.integers(0, 2**31))})",
             f"g = torch.Generator().manual_seed({draw(st.integers(0, 99))})", f"ds = {data}"]
    if draw(st.booleans()):
        k = draw(st.integers(0, n))
        lines.append(f"ds = random_split(ds, [{k}, {n - k}]{gen})[{draw(st.integers(0, 1))}]")
    lines += [f"dl = DataLoader(ds, batch_size={size}, shuffle={shuffle}, "
              f"drop_last={drop_last}{gen})", "print(len(dl))",
              f"for e in range({draw(st.integers(1, 3))}):",
              "    for i, b in enumerate(dl):", "        print(e, i, b)"]
    if draw(st.booleans()):
        lines += [f"        if i == {draw(st.integers(0, 2))}:", "            break"]
    lines.append("print(torch.randn(2), torch.rand(1, generator=g))")
    return "\n".join(lines) + "\n"


@st.composite
def numpy_programs(draw: st.DrawFn) -> str:
    """Class (n): data made with numpy (seeded np.random, linspace, arange, arrays), taken
    into torch (from_numpy, tensor with a dtype, as_tensor), differentiated, and brought
    back (.numpy(), tolist, numpy reductions), every step printed."""
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(1, 5))
    made = draw(st.sampled_from([
        f"np.random.randn({n})", f"np.random.rand({n})", f"np.linspace(-1, 1, {n})",
        f"np.arange({n}) / 3", f"np.random.uniform(-2, 2, size={n})",
        f"np.random.normal(0, 1, ({n},))", f"np.array([{', '.join(_num(draw) for _ in range(n))}])",
        f"np.random.randint(-3, 4, size={n}) * 0.5"]))
    cast = draw(st.sampled_from(["", ".astype(np.float32)", ".astype(np.float64)"]))
    into = draw(st.sampled_from([
        "torch.from_numpy(a)", "torch.tensor(a)", "torch.tensor(a, dtype=torch.float32)",
        "torch.as_tensor(a)", "torch.from_numpy(a).float()"]))
    # Full digits only of IEEE-exact arithmetic: float64 sin/exp/tanh are numpy's, which
    # miss PyTorch's last bit for some inputs (README, Numerics); those print rounded.
    exact = draw(st.booleans())
    op = draw(st.sampled_from(["x * x", "(x ** 3).sum() * x", "x * 2 - x / 4", "x.abs() + 1",
                               "x.relu() * x"] if exact else
                              ["torch.sin(x) * 2", "torch.exp(-x) + x", "x.tanh() * 0.5",
                               "torch.sigmoid(x)"]))
    back = draw(st.sampled_from([
        "x.grad.numpy()", "x.grad.tolist()", "x.grad.numpy().sum()",
        "np.mean(x.grad.numpy())", "x.detach().numpy() * 2"] if exact else [
        "np.round(x.grad.numpy(), 3)", "np.allclose(x.grad.numpy(), x.grad.numpy())",
        "x.detach().numpy() * 2"]))
    return (f"import numpy as np\nimport torch\nnp.random.seed({seed})\n"
            f"a = {made}{cast}\nprint(a, a.dtype)\nx = {into}.requires_grad_(True)\n"
            f"y = {op}\ny.sum().backward()\nprint(x.grad)\nprint({back})\n"
            "print(np.random.rand(2))\n")


@dataclass(frozen=True)
class CliCase:
    """Class (e): a program that may call backward() itself, and a `--set x=...` of some
    value form for its first binding of x (SPEC 2.1)."""

    text: str  # the program (valid Python + PyTorch)
    binding: str  # its first binding of x, a line of text
    form: str  # that binding's form: tensor_rg, tensor, float, int, list
    value: str | None  # the --set value as typed (None: no --set; "@value.json": a file)
    json_text: str | None  # the content of value.json, for "@value.json"
    oracle: str | None  # the binding with the value substituted as SPEC 2.1 says, as
    # Python + PyTorch; None where SPEC 2.1 leaves the outcome open (a list given for a
    # number, ...): then only the agreement between commands is checked
    backwards: int  # how many y.backward() the program calls (2: must fail, exit 4)


# (typed value, its Python value or None for an expression, kind)
SET_VALUES: list[tuple[str, Any, str]] = [
    ("2", 2, "number"), ("2.5", 2.5, "number"), ("-1", -1, "number"),
    ("[1, 2, 3]", [1, 2, 3], "list"), ("[0.5, 1.5]", [0.5, 1.5], "list"),
    ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]], "nested"),
    ("[[0.5], [-1.5]]", [[0.5], [-1.5]], "nested"),
    ("torch.arange(3.0)", None, "expression"), ("torch.ones(2) * 3", None, "expression"),
    ("2 + 1", 3, "expression"), ("torch.tensor([1.5, 2.5])", None, "expression"),
    ("@value.json", [0.25, 4.0], "file"), ("@value.json", 1.75, "file"),
    ("@value.json", [[1, 2]], "file"),
]


def _oracle_binding(form: str, dtype: str, value: str, python: Any) -> str | None:
    if form in ("tensor_rg", "tensor"):
        rg = form == "tensor_rg"
        if python is None:  # a tensor expression: its value, the program's dtype and grad
            return f"x = torch.as_tensor({value}, dtype={dtype}).detach().requires_grad_({rg})"
        return f"x = torch.tensor({python!r}, dtype={dtype}, requires_grad={rg})"
    if form == "float" and isinstance(python, (int, float)):
        return f"x = {float(python)!r}"
    if form == "int" and isinstance(python, int):
        return f"x = {python!r}"
    if form == "list" and isinstance(python, list):
        return f"x = {python!r}"
    return None


def make_cli_case(form: str, dtype: str, backwards: int,
                  value: tuple[str, Any, str] | None) -> CliCase:
    """The class (e) case of a binding form, a dtype (for tensor forms), how many
    y.backward() calls, and a SET_VALUES entry (None: no --set)."""
    dt = "" if dtype == "torch.float32" else f", dtype={dtype}"
    binding, use = {
        "tensor_rg": (f"x = torch.tensor([1.0, 2.0]{dt}, requires_grad=True)",
                      "x.double().sum()"),
        "tensor": (f"x = torch.tensor([1.0, -2.0, 0.5]{dt})", "x.double().sum()"),
        "float": ("x = 1.5", "torch.tensor(x, dtype=torch.float64).sum()"),
        "int": ("x = 3", "torch.tensor(x, dtype=torch.float64).sum()"),
        "list": ("x = [1.0, 2.0]", "torch.tensor(x, dtype=torch.float64).sum()"),
    }[form]
    lines = ["import torch", binding,
             "w = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)",
             "print(x)", f"xs = {use}",
             "y = (torch.sin(w) * w).sum() * (1 + xs * xs)"]
    lines += ["y.backward()"] * backwards
    if backwards:
        lines.append("print(w.grad)")
    lines.append("y")
    text = "\n".join(lines) + "\n"
    if value is None:
        return CliCase(text, binding, form, None, None, binding, backwards)
    typed, python, kind = value
    json_text = json.dumps(python) if kind == "file" else None
    oracle = _oracle_binding(form, dtype, typed, python)
    return CliCase(text, binding, form, typed, json_text, oracle, backwards)


@st.composite
def cli_cases(draw: st.DrawFn) -> CliCase:
    """Class (e): a program that calls backward() 0, 1 or 2 times (2: must fail), with a
    --set of x in one of the SET_VALUES forms (or none) on a binding of each form."""
    form = draw(st.sampled_from(["tensor_rg", "tensor", "float", "int", "list"]))
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    backwards = draw(st.sampled_from([0, 1, 1, 2]))
    value = None if draw(st.integers(0, 5)) == 0 else draw(st.sampled_from(SET_VALUES))
    return make_cli_case(form, dtype, backwards, value)


#: Class (h)'s printed quantities: activations as whole lists, losses as .item().
LOSS_PRINTS = [
    "print(torch.softmax(x, -1).tolist())", "print(F.softmax(x, dim=1).sum().item())",
    "print(torch.log_softmax(x, -1).tolist())", "print(F.log_softmax(x, 0).tolist())",
    "print(torch.sigmoid(x).tolist())", "print(F.silu(x).tolist())",
    "print(F.cross_entropy(x, y).item())", "print(F.cross_entropy(x, y, reduction='sum').item())",
    "print(F.nll_loss(torch.log_softmax(x, 1), y).item())",
    "print(F.binary_cross_entropy(torch.sigmoid(x), (x > 0).to(x.dtype)).item())",
    # the activations (r11: SLEEF on whole vector pairs, the C library's float or double
    # functions on the tail, as PyTorch's cpu_kernel_vec)
    "print(F.softplus(x).tolist())", "print(F.elu(x).tolist())", "print(F.mish(x).tolist())",
    "print(F.logsigmoid(x).tolist())", "print(F.gelu(x, approximate='tanh').tolist())",
    "print(torch.sinh(x).tolist(), torch.cosh(x).tolist())", "print(torch.expm1(x).tolist())",
    "print(F.hardsigmoid(x).tolist())", "print(torch.exp2(x).tolist())",
    # the losses' values with soft targets t, and their gradients (r16: BCE's C library
    # logf/log1pf and its backward's division by n). Not poisson_nll_loss: its exp is
    # MKL's float32 vsExp, whose last bits gd does not have (about 1 input in 100); not
    # smooth_l1_loss's gradient with a beta other than 1 (its kernel's vector and scalar
    # formulas, not yet measured: round 16's closing note)
    "print(F.binary_cross_entropy(torch.sigmoid(x), t).item())",
    "print(grad(F.binary_cross_entropy(torch.sigmoid(xr), t), xr)[0].tolist())",
    "print(grad(F.binary_cross_entropy_with_logits(xr, t), xr)[0].tolist())",
    "print(grad(F.cross_entropy(xr, y, label_smoothing=0.1), xr)[0].tolist())",
    "print(grad(F.kl_div(F.log_softmax(xr, 1), F.softmax(t, 1), reduction='batchmean'), "
    "xr)[0].tolist())",
    "print(grad(F.huber_loss(xr, t, delta=0.5), xr)[0].tolist())",
    "print(grad(F.mse_loss(xr, t), xr)[0].tolist())",
    # softmax along dim 0 (r19: each PyTorch thread's share of the positions has its own
    # scalar tail) and the normalisations with their gradients (r19: GroupNorm's float64
    # backward, batch_norm's odd planes and batches of two, Welford's unequal merges)
    "print(F.softmax(x, 0).tolist())", "print(grad((F.softmax(xr, 0) * t).sum(), xr)[0].tolist())",
    "print(F.batch_norm(torch.cat([x, 1 - x]), None, None, training=True).tolist())",
    "print(grad((F.batch_norm(torch.cat([xr, 1 - xr]), None, None, training=True)"
    " * torch.cat([t, t])).sum(), xr)[0].tolist())",
    "print(grad((F.layer_norm(xr, (xr.shape[-1],)) * t).sum(), xr)[0].tolist())",
    "print(grad((F.group_norm(xr.unsqueeze(1), 1).squeeze(1) * t).sum(), xr)[0].tolist())",
]


@st.composite
def loss_programs(draw: st.DrawFn) -> str:
    """Class (h): softmax, sigmoid, silu, the losses (and their gradients) and the
    activations of seeded random logits, printed whole (`.item()`, `.tolist()`): PyTorch's
    values to the last bit, at every size (the vector loop and its scalar tail)."""
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    rows, n = draw(st.integers(1, 70)), draw(st.integers(2, 40))
    scale = draw(st.sampled_from(["1", "3", "10"]))
    lines = ["import torch", "import torch.nn.functional as F",
             f"torch.manual_seed({draw(st.integers(0, 10_000))})",
             f"x = torch.randn({rows}, {n}, dtype={dtype}) * {scale}",
             f"y = torch.randint(0, {n}, ({rows},))",
             "t = torch.rand_like(x)", "xr = x.clone().requires_grad_()",
             "grad = torch.autograd.grad"]
    lines += draw(st.lists(st.sampled_from(LOSS_PRINTS), min_size=1, max_size=3, unique=True))
    return "\n".join(lines) + "\n"


#: Class (k): the ops PyTorch's CPU kernels compute with a fused multiply-add.
FMA_PRINTS = [
    "print(torch.add(a, b, alpha=c).tolist())", "print(torch.sub(a, b, alpha=c).tolist())",
    "print(torch.addcmul(a, b, d, value=c).tolist())",
    "print(torch.addcdiv(a, b, d.abs() + 1, value=c).tolist())",
    "print(torch.lerp(a, b, c).tolist())", "print(torch.lerp(a, b, w).tolist())",
    "print(torch.sinh(a).tolist())", "print(torch.sigmoid(b).tolist())",
    "print(torch.expm1(a).tolist(), torch.log1p(w).tolist())",
]


@st.composite
def fma_programs(draw: st.DrawFn) -> str:
    """Class (k): fused multiply-add kernels (add and sub with alpha, addcmul, addcdiv,
    lerp, and SLEEF's polynomials in sinh, sigmoid, expm1, log1p) on 1..140 elements
    (each side of gradcli's BLAS path for them, 2..128) with zeros of both signs, tiny,
    huge and infinite values planted: PyTorch's bits, -0.0 included (tolist() shows it)."""
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    n = draw(st.integers(1, 140))
    special = draw(st.lists(st.sampled_from(["0.0", "-0.0", "1e-30", "-1e-300", "float('inf')",
                                             "-2.5", "1.0"]), min_size=0, max_size=4))
    lines = ["import torch", f"torch.manual_seed({draw(st.integers(0, 10_000))})",
             f"a = torch.randn({n}, dtype={dtype}) * {draw(st.sampled_from(['1', '1e-3', '30']))}",
             f"b = torch.randn({n}, dtype={dtype})",
             f"d = torch.randn({n}, dtype={dtype})",
             f"w = torch.rand({n}, dtype={dtype})",
             f"c = {draw(st.sampled_from(['0.5', '-1.0', '3.0', '-0.0', '1e-3']))}"]
    for k, v in enumerate(special):
        target = "abd"[k % 3]
        lines.append(f"{target}[{draw(st.integers(0, n - 1))}] = {v}")
    lines += draw(st.lists(st.sampled_from(FMA_PRINTS), min_size=1, max_size=3, unique=True))
    return "\n".join(lines) + "\n"


#: Class (l): math ops whose last bits come from the kernel's own formula: SLEEF's
#: functions on whole vector pairs and the C library's on the tail (logaddexp, logaddexp2,
#: atan2, hypot), or the C library's float functions element by element (xlogy, sinc,
#: asinh, acosh, i0, i1, digamma, entr for float32); lgamma (SLEEF's, both dtypes);
#: erfcx, ndtri, log_ndtr (ATen's formulas in the input's dtype); tensor-by-tensor pow
#: (SLEEF's; C's pow, log1p and atanh at their poles on the tail) and broadcast binary ops
#: (TensorIterator's rows decide the scalar tails);
#: prod's vector order; addmm/addmv
#: with beta and alpha where MKL's kernel starts from beta·c and adds in order; matrix
#: products with n < 12 and nn.Linear(k, 7)'s gradients (round 17).
MATH_PRINTS = [
    "print(torch.logaddexp(a, b).tolist())", "print(torch.logaddexp2(a, b).tolist())",
    "print(torch.atan2(a, b).tolist())", "print(torch.hypot(a, b).tolist())",
    "print(torch.xlogy(a, b.abs()).tolist())", "print(torch.special.xlog1py(a, w).tolist())",
    "print(torch.sinc(a).tolist())", "print(torch.asinh(a).tolist(), torch.acosh(b).tolist())",
    "print(torch.special.i0(a).tolist(), torch.special.i1(b).tolist())",
    "print(torch.special.i0e(a).tolist(), torch.special.i1e(b).tolist())",
    "print(torch.digamma(a).tolist())", "print(torch.special.entr(w).tolist())",
    "print(torch.special.log_ndtr(a.clamp(min=-1)).tolist())",
    "print(torch.lgamma(a).tolist(), torch.lgamma(w).tolist())",
    "print(torch.special.erfcx(a).tolist(), torch.special.ndtri(w).tolist())",
    "print(torch.special.log_ndtr(a).tolist())",
    "print(torch.pow(w * 3, b).tolist(), (w + 0.5).pow(b[:1]).tolist(), (2 ** a).tolist())",
    "print(torch.pow(w.reshape(-1, 1) + 0.1, b[:3]).tolist(), "
    "torch.atan2(a.reshape(-1, 1), b[:3]).tolist(), torch.pow(w.t(), b).tolist())",
    "print(torch.logaddexp(a, b[:1]).tolist(), torch.atan2(a[:1], b).tolist())",
    # the C library's scalar loop at poles (planted zeros and -1s): pow(0, -3), log1p(-1)
    "print(torch.pow(a.abs(), b).tolist(), torch.log1p(a).tolist(), "
    "torch.atanh(a.clamp(-1, 1)).tolist())",
    # float32 sin/cos whatever the dtype (MKL's polynomial, kernels/vmltrig; float64's MKL
    # path is not reproduced), large arguments, a strided view and the backward pass
    "x = a.float().requires_grad_()\nprint(torch.sin(x).tolist(), torch.cos(b.float() * 40)"
    ".tolist(), torch.sin(x[::2] * 7).tolist())\ntorch.sin(x).sum().backward()\n"
    "print(x.grad.tolist())",
    "print((w + 0.5).prod().item(), (w + 0.5).reshape(1, -1).prod(1).tolist())",
    "print(torch.addmm(C, M, N, beta=be, alpha=al).tolist())",
    "print(torch.addmm(C[0], M.t().contiguous().t(), N, beta=be, alpha=al).tolist())",
    "print(torch.addmv(C[:, 0].repeat(2), torch.cat([M, M * 0.5]).t().contiguous().t(), "
    "N[:, 0], beta=be, alpha=al).tolist())",
    # (round 17) MKL's gemm of a row-major b with n < 12, a row's peeled columns
    # (kernels/mkl_gemm.peeled_columns); nn.Linear(k, 7)'s gradients in ATen's
    # orientation (the weight's is gᵀ @ x; the rows past a block of four, peeled)
    "print((M @ N).tolist(), (M.t() @ C).tolist())",
    "Wt = torch.randn(7, M.shape[1], requires_grad=True)\nxf = M.float().requires_grad_()\n"
    "y = torch.nn.functional.linear(xf, Wt)\ny.backward(y.detach() * 0.5 + 0.25)\n"
    "print(y.tolist(), Wt.grad.tolist(), xf.grad.tolist())",
]


@st.composite
def math_programs(draw: st.DrawFn) -> str:
    """Class (l): the math ops of MATH_PRINTS on 1..140 elements (the vector loop's pairs
    and the scalar tail), at scales from 1e-3 to 100, with zeros of both signs, infinities
    and NaN planted: PyTorch's bits, printed with tolist()."""
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    n = draw(st.integers(1, 140))
    special = draw(st.lists(st.sampled_from(["0.0", "-0.0", "float('inf')", "-float('inf')",
                                             "float('nan')", "1.0", "-1.0", "1e-40"]),
                            min_size=0, max_size=3))
    lines = ["import torch", f"torch.manual_seed({draw(st.integers(0, 10_000))})",
             f"a = torch.randn({n}, dtype={dtype}) * "
             f"{draw(st.sampled_from(['1', '1e-3', '3', '30', '100']))}",
             f"b = torch.randn({n}, dtype={dtype}) * {draw(st.sampled_from(['1', '2', '50']))}",
             f"w = torch.rand({n}, dtype={dtype})"]
    # addmm's shapes: n of 2, 4 or 8 (or one row), where MKL's order is known for every k
    # up to 40 (other n: a known gap, see kernels/linalg._addmm_small)
    r, inner = draw(st.integers(1, 9)), draw(st.integers(2, 40))
    c = draw(st.sampled_from([2, 4, 8] if r > 1 else [1, 2, 3, 5, 8, 16]))
    lines += [f"M = torch.randn({r}, {inner}, dtype={dtype})",
              f"N = torch.randn({inner}, {c}, dtype={dtype})",
              f"C = torch.randn({r}, {c}, dtype={dtype})",
              f"be = {draw(st.sampled_from(['1.0', '0.0', '0.5', '0.3', '-1.5']))}",
              f"al = {draw(st.sampled_from(['1.0', '2.0', '0.3', '-0.7']))}"]
    for k, v in enumerate(special):
        lines.append(f"{'ab'[k % 2]}[{draw(st.integers(0, n - 1))}] = {v}")
    lines += draw(st.lists(st.sampled_from(MATH_PRINTS), min_size=1, max_size=3, unique=True))
    return "\n".join(lines) + "\n"


#: Class (i): distributions, each as a constructor of seeded-random parameters.
DISTRIBUTIONS = [
    "Normal(p(3), q(3))", "Exponential(q(3))", "Laplace(p(3), q(3))", "Cauchy(p(3), q(3))",
    "HalfNormal(q(3))", "LogNormal(p(3), q(3))", "Poisson(q(3) * 4)",
    "Geometric(probs=torch.sigmoid(p(3)))", "Bernoulli(logits=p(3))",
    "Categorical(logits=p(2, 3))", "OneHotCategorical(logits=p(2, 3))",
    "Gamma(q(3), q(3))", "Beta(q(3), q(3))", "Dirichlet(q(2, 3))", "Chi2(q(3) * 3)",
    "StudentT(q(3) * 3, p(3), q(3))",
    "MixtureSameFamily(Categorical(logits=p(4)), Normal(p(4), q(4)))",
    "Independent(Normal(p(2, 3), q(2, 3)), 1)",
    "MultivariateNormal(p(2), scale_tril=torch.tril(p(2, 2), -1) + torch.diag(q(2)))",
    "MultivariateNormal(p(3), covariance_matrix=spd(3))",
]
DISTRIBUTION_PRINTS = [
    "print(d.sample((2,)))", "print(d.entropy())", "print(d.log_prob(d.sample()))",
    "print(d.mean, d.variance)", "print(d, d.batch_shape, d.event_shape)",
    "print(kl_divergence(d, d2))",
]


@st.composite
def distribution_programs(draw: st.DrawFn) -> str:
    """Class (i): torch.distributions with seeded random parameters (float32 or float64):
    samples (PyTorch's draws), densities, moments, reprs and kl_divergence printed."""
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    kind = draw(st.sampled_from(DISTRIBUTIONS))
    lines = ["import torch",
             "from torch.distributions import (Bernoulli, Beta, Categorical, Cauchy, Chi2, "
             "Dirichlet, Exponential, Gamma, Geometric, HalfNormal, Independent, Laplace, "
             "LogNormal, MixtureSameFamily, MultivariateNormal, Normal, OneHotCategorical, "
             "Poisson, StudentT, kl_divergence)",
             f"torch.manual_seed({draw(st.integers(0, 10_000))})",
             f"def p(*s): return torch.randn(*s, dtype={dtype})",
             f"def q(*s): return torch.rand(*s, dtype={dtype}) + 0.5",
             "def spd(n):\n    a = p(n, n)\n    return a @ a.T + n * torch.eye(n, dtype=a.dtype)",
             f"d = {kind}", f"d2 = {kind}"]
    lines += draw(st.lists(st.sampled_from(DISTRIBUTION_PRINTS), min_size=1, max_size=4,
                           unique=True))
    return "\n".join(lines) + "\n"


@st.composite
def linalg_ex_programs(draw: st.DrawFn) -> str:
    """Class (j): linalg's *_ex functions on matrices that may fail (singular, not
    positive definite, batched): their info and results, as LAPACK gives them."""
    n = draw(st.integers(1, 4))
    entries = draw(st.lists(st.integers(-3, 3), min_size=n * n * 2, max_size=n * n * 2))
    rows = [entries[i * n:(i + 1) * n] for i in range(2 * n)]
    a = f"torch.tensor({rows[:n]}, dtype=torch.float64)"
    b = f"torch.tensor({rows[n:]}, dtype=torch.float64)"
    call = draw(st.sampled_from([
        "torch.linalg.cholesky_ex(A @ A.T - B)", "torch.linalg.cholesky_ex(torch.stack([A, B]))",
        "torch.linalg.cholesky_ex(A, upper=True)", "torch.linalg.inv_ex(A).info",
        "torch.linalg.solve_ex(A, B).info"]))
    return "\n".join(["import torch", f"A = {a}", f"B = {b}", f"print({call})"]) + "\n"


@st.composite
def conv_programs(draw: st.DrawFn) -> str:
    """Class (m): float32 convolutions (F.conv1d/2d/3d) that oneDNN runs on its direct
    AVX-512 kernel (kernels/onednn_conv.py): seeded random inputs, 1-3 images, 1-20
    channels, kernels of 2-4 with padding short of them, strides and dilations; the
    output and, where the kernel PyTorch's oneDNN picks is the modelled one, the
    gradients (input: stride 1; weight and bias: no dilation, each pad 0 or short of the
    kernel less one), printed whole with tolist() (bit for bit)."""
    nd = draw(st.integers(1, 3))
    n = draw(st.integers(2, 3))
    c, co = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    k = [draw(st.integers(2, 4 if nd < 3 else 3)) for _ in range(nd)]
    s = [draw(st.integers(1, 2)) for _ in range(nd)]
    d = [draw(st.integers(1, 2)) if draw(st.integers(0, 3)) == 0 else 1 for _ in range(nd)]
    p = [draw(st.integers(0, kk - 1)) for kk in k]
    sp = [max(draw(st.integers(4, 9 if nd < 3 else 5)), (kk - 1) * dd + 1)
          for kk, dd in zip(k, d, strict=True)]
    bias = draw(st.booleans())
    out = [(z + 2 * q - (kk - 1) * dd - 1) // ss + 1
           for z, q, kk, dd, ss in zip(sp, p, k, d, s, strict=True)]
    cells, positions = 1, 1
    for kk, o in zip(k, out, strict=True):
        cells, positions = cells * kk, positions * o
    # within kernels/onednn_conv.MAX_PRODUCTS (2**18): past it gradcli keeps the matrix
    # product's values
    while n * co * positions * c * cells > 1 << 18:
        c, co = max(1, c // 2), max(1, co - 1)
    tup = lambda v: f"({', '.join(map(str, v))},)"  # noqa: E731
    lines = ["import torch", "import torch.nn.functional as F",
             f"torch.manual_seed({draw(st.integers(0, 10_000))})",
             f"x = torch.randn({n}, {c}, {', '.join(map(str, sp))}, requires_grad=True)",
             f"w = torch.randn({co}, {c}, {', '.join(map(str, k))}, requires_grad=True)",
             f"b = torch.randn({co}, requires_grad=True)" if bias else "b = None",
             f"y = F.conv{nd}d(x, w, b, {tup(s)}, {tup(p)}, {tup(d)})",
             "y.backward(torch.randn_like(y))", "print(y.tolist())"]
    if all(v == 1 for v in s):
        lines.append("print(x.grad.tolist())")
    direct_weights = (all(v == 1 for v in d) and (c <= 3 or c >= 16 or nd < 3)
                      and all(q == 0 or q < kk - 1 for q, kk in zip(p, k, strict=True)))
    if direct_weights and -(-n // 2) * positions <= 2048:  # MAX_STEPS
        lines.append("print(w.grad.tolist())")
        if bias:
            lines.append("print(b.grad.tolist())")
    return "\n".join(lines) + "\n"
