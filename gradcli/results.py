"""Plain result objects: what the app computes and the renderers print.

No live tensors or tape nodes here: values are numpy arrays, positions are numbers.
Renderers (gradcli/render) take these and produce table, plain or JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from gradcli.records import field, record


@record(frozen=True)
class TensorData:
    """A tensor's value: shape, dtype name and a numpy array (0-d for scalars)."""

    shape: tuple[int, ...]
    dtype: str
    value: np.ndarray

    @staticmethod
    def of(array: Any, dtype: str | None = None) -> TensorData:
        """From a numpy array (or anything array-like)."""
        a = np.asarray(array)
        name = dtype or ("bool" if a.dtype == np.bool_ else a.dtype.name)
        return TensorData(tuple(int(s) for s in a.shape), name, a)

    def to_json(self) -> dict[str, Any]:
        """{"shape", "dtype", "value"} with nested lists (NaN/inf as strings)."""
        return {"shape": list(self.shape), "dtype": self.dtype, "value": _json_value(self.value)}


def _json_value(a: np.ndarray) -> Any:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        return _nonfinite_to_str(a.tolist())
    return a.tolist()


def _nonfinite_to_str(v: Any) -> Any:
    if isinstance(v, list):
        return [_nonfinite_to_str(x) for x in v]
    if isinstance(v, float) and not np.isfinite(v):
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    return v


@record(frozen=True)
class Section:
    """One titled tensor in a text view: heading, the tensor, an optional explanatory note."""

    title: str
    tensor: TensorData
    note: str | None = None
    unused: bool = False  # --allow-unused: zeros for an input the result does not use


NOT_USED = " (not used)"


def _marked(sections: dict[str, Section], unused: frozenset[str],
            y: str | None = None) -> dict[str, Section]:
    """Sections of unused inputs titled "(not used)" and marked for JSON; with y, the note
    says what backward() leaves there instead (PyTorch leaves the .grad None)."""
    return {x: Section(sec.title + NOT_USED, sec.tensor,
                       sec.note if y is None else f"{y}.backward() leaves {x}.grad None",
                       True) if x in unused
            else sec for x, sec in sections.items()}


@record
class Field:
    """One JSON key of a derivative result: a number, one tensor, or one per --wrt input."""

    key: str
    value: int | Section | dict[str, Section]


@record
class DerivativeResult:
    """What eval, grad, jvp, vjp and jacobian return: the result, then titled sections.

    `fields` come after "result" and "result_name" in JSON order; `shown` lists the keys
    of those shown as text sections, in the order the table and plain views print them.
    Build one with `EvalResult`, `GradResult`, `JvpResult`, `VjpResult` or
    `JacobianResult`.
    """

    command: str
    result: TensorData
    result_name: str | None
    fields: list[Field]
    shown: tuple[str, ...]
    output: str = ""  # what the program printed

    def field(self, key: str) -> Any:
        """The value of one field (a number, a Section, or a dict of them)."""
        return next(f.value for f in self.fields if f.key == key)

    def __getattr__(self, key: str) -> Any:
        """A field by its JSON key, as plain values: `r.grads["x"]` is a TensorData."""
        for f in self.__dict__.get("fields", ()):
            if f.key == key:
                v = f.value
                if isinstance(v, Section):
                    return v.tensor
                return {x: s.tensor for x, s in v.items()} if isinstance(v, dict) else v
        raise AttributeError(f"{type(self).__name__} has no field {key!r}")

    def sections(self) -> list[Section]:
        """The titled tensors the text views show, in order (the result first)."""
        y = self.result_name
        out = [Section(f"result {y}" if y else "result", self.result)]
        for key in self.shown:
            value = self.field(key)
            out.extend(value.values() if isinstance(value, dict) else [value])
        return out


def superscript(n: int) -> str:
    """Superscript digits for derivative orders (``2`` -> ``²``)."""
    return str(n).translate(_SUPERSCRIPTS)


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _d(out: str, wrt: str, order: int = 1) -> str:
    if order == 1:
        return f"∂{out}/∂{wrt}"
    sup = superscript(order)
    return f"∂{sup}{out}/∂{wrt}{sup}"


def EvalResult(result: TensorData, result_name: str | None,
               grads: dict[str, TensorData], output: str = "",
               unused: frozenset[str] = frozenset()) -> DerivativeResult:
    """`eval`: the result's value and its gradient w.r.t. each --wrt input."""
    y = result_name or "out"
    sections = {x: Section(f"gradient {_d(y, x)}", g, f"what {y}.backward() leaves in {x}.grad")
                for x, g in grads.items()}
    sections = _marked(sections, unused, y)
    return DerivativeResult("eval", result, result_name, [Field("grads", sections)],
                            ("grads",), output)


def GradResult(result: TensorData, result_name: str | None, order: int,
               derivatives: dict[str, TensorData], output: str = "",
               unused: frozenset[str] = frozenset()) -> DerivativeResult:
    """`grad`: the N-th derivative, shape result.shape + N × x.shape."""
    y, n = result_name or "out", order
    sections = {}
    for x, d in derivatives.items():
        parts = (" + ".join([f"{y}.shape"] + [f"{x}.shape"] * n) if n <= 3
                 else f"{y}.shape + {n} × {x}.shape")
        sections[x] = Section(f"derivative of order {n} {_d(y, x, n)}", d, f"shape = {parts}")
    return DerivativeResult("grad", result, result_name,
                            [Field("order", order),
                             Field("derivatives", _marked(sections, unused))],
                            ("derivatives",), output)


def JvpResult(result: TensorData, result_name: str | None, jvp: TensorData,
              tangents: dict[str, TensorData], output: str = "",
              unused: frozenset[str] = frozenset()) -> DerivativeResult:
    """`jvp`: J·v (forward mode); unused when no --wrt input reaches the result."""
    none_used = bool(tangents) and set(tangents) <= unused
    jv = Section("jvp J·v" + (NOT_USED if none_used else ""), jvp,
                 "forward mode: how the result moves along v", none_used)
    return DerivativeResult(
        "jvp", result, result_name,
        [Field("jvp", jv),
         Field("tangents", _marked({x: Section(f"tangent v for {x}", t)
                                    for x, t in tangents.items()}, unused))],
        ("tangents", "jvp"), output)


def VjpResult(result: TensorData, result_name: str | None,
              vjp: dict[str, TensorData], cotangent: TensorData,
              output: str = "", unused: frozenset[str] = frozenset()) -> DerivativeResult:
    """`vjp`: vᵀ·J (reverse mode)."""
    y = result_name or "out"
    sections = {x: Section(f"vjp vᵀ·J w.r.t. {x}", g,
                           f"reverse mode: what {y}.backward(v) leaves in {x}.grad")
                for x, g in vjp.items()}
    return DerivativeResult(
        "vjp", result, result_name,
        [Field("vjp", _marked(sections, unused, y)),
         Field("cotangent", Section("cotangent v", cotangent))],
        ("cotangent", "vjp"), output)


def JacobianResult(result: TensorData, result_name: str | None,
                   jacobian: dict[str, TensorData], output: str = "",
                   unused: frozenset[str] = frozenset()) -> DerivativeResult:
    """`jacobian`: the full Jacobian, shape result.shape + x.shape."""
    y = result_name or "out"
    sections = {x: Section(f"jacobian {_d(y, x)}", j,
                           f"J[i…, j…] = ∂{y}[i…]/∂{x}[j…]; shape = {y}.shape + {x}.shape")
                for x, j in jacobian.items()}
    return DerivativeResult("jacobian", result, result_name,
                            [Field("jacobian", _marked(sections, unused))],
                            ("jacobian",), output)


@record
class CheckItem:
    """Whole-program check of one input: autograd vs central differences."""

    wrt: str
    max_abs_error: float
    max_rel_error: float
    ok: bool
    analytic: TensorData | None = None
    numeric: TensorData | None = None


@record
class NodeCheck:
    """One tape node's rule checked on its own."""

    id: int
    op: str
    grad_fn: str
    line: int | None
    column: int | None
    ok: bool
    max_abs_error: float
    max_rel_error: float


@record
class CheckResult:
    """`check`: ok iff every comparison is within tolerance."""

    ok: bool
    checks: list[CheckItem]
    nodes: list[NodeCheck]
    rtol: float
    atol: float
    output: str = ""
    checkable: int | None = None  # nodes with a rule to check (`nodes` holds a sample)


@record
class GraphNode:
    """A tensor in the graph: a recorded op's output, or a leaf."""

    id: int
    name: str | None  # the variable it was bound to, if any
    op: str  # our op name ("leaf" for leaves)
    grad_fn: str | None  # PyTorch's name, e.g. MulBackward0 (None for leaves)
    shape: tuple[int, ...]
    dtype: str
    is_leaf: bool
    requires_grad: bool
    line: int | None
    column: int | None
    value: TensorData | None = None
    grad: TensorData | None = None


@record
class GraphResult:
    """`graph`: nodes in creation order and edges from inputs to outputs."""

    nodes: list[GraphNode]
    edges: list[tuple[int, int]]
    result_id: int | None
    show_values: bool = False
    output: str = ""
    hint: str | None = None  # what to do when nothing was recorded


@record
class ExplainFlow:
    """One cotangent flowing from a node to one of its inputs."""

    to_id: int
    to_label: str
    rule: str  # e.g. "grad_a = grad · b"
    value: TensorData  # what the input receives (summed back to its shape)
    accumulates: bool  # whether this input already received a cotangent (a sum)
    summed: str | None = None  # "summed over dim 0 (broadcast)" when broadcasting was undone


@record
class ExplainStep:
    """One node of the backward pass."""

    id: int
    label: str  # e.g. "y = mul(a, b)"
    op: str
    grad_fn: str
    line: int | None
    column: int | None
    incoming: TensorData
    flows: list[ExplainFlow]


# An explain step in the plain form a long listing streams in (render.stream reads it
# without building records): (node, grad_fn, line, column, incoming, flows), each flow
# (to, rule, value, accumulates, summed), where node and to are a number and its label as
# every listing shows them ("#12 y = mul", made once a number); a value is a float for a
# 0-d float tensor (its text depends on its value alone), else its TensorData.
RawFlow = tuple[str, str, "float | TensorData", bool, "str | None"]
RawStep = tuple[str, str, "int | None", "int | None", "float | TensorData", list[RawFlow]]


def numbered(k: int, label: str) -> str:
    """Number k and its label as listings show them: "#12 y = mul"."""
    return f"#{k} {label}"


def numbered_all(ks: Iterable[int], labels: Iterable[str]) -> list[str]:
    """`numbered` of each number and its label."""
    return [f"#{k} {label}" for k, label in zip(ks, labels, strict=True)]


def raw_step(step: ExplainStep) -> RawStep:
    """An ExplainStep as a RawStep (0-d float values as floats)."""
    return (numbered(step.id, step.label), step.grad_fn, step.line, step.column,
            _raw(step.incoming),
            [(numbered(f.to_id, f.to_label), f.rule, _raw(f.value), f.accumulates, f.summed)
             for f in step.flows])


def _raw(td: TensorData) -> float | TensorData:
    a = td.value
    if type(a) is np.ndarray and a.ndim == 0 and a.dtype.char in "efd":  # float16, 32, 64
        return float(a)
    return td


@record
class StepBlock:
    """A run of explain's steps in columns, as render.stream's batched table reads them:
    the RawStep fields of every step (and of every flow) side by side. Step i's flows are
    starts[i]..starts[i+1] (starts[0] is 0); a value is its float in `incoming` or
    `value`, unless its position is a key of `incoming_data` or `value_data` (its
    TensorData: not a 0-d float tensor). `place[i]` indexes `places`, the steps' (grad_fn,
    line, column)."""

    node: list[str]
    place: np.ndarray  # int64, one per step
    places: list[tuple[str, int | None, int | None]]
    incoming: np.ndarray  # float64, one per step
    incoming_data: dict[int, TensorData]
    starts: np.ndarray  # int64, one per step and one more
    to: list[str]
    rule: list[str]
    value: np.ndarray  # float64, one per flow
    value_data: dict[int, TensorData]
    accumulates: np.ndarray  # bool, one per flow
    summed: dict[int, str]

    def raw(self, i: int) -> RawStep:
        """Step i as a RawStep."""
        a, b = int(self.starts[i]), int(self.starts[i + 1])
        grad_fn, line, column = self.places[self.place[i]]
        return (self.node[i], grad_fn, line, column,
                self.incoming_data.get(i, float(self.incoming[i])),
                [(self.to[j], self.rule[j], self.value_data.get(j, float(self.value[j])),
                  bool(self.accumulates[j]), self.summed.get(j)) for j in range(a, b)])


def step_block(steps: list[RawStep]) -> StepBlock:
    """RawStep tuples as a StepBlock."""
    places: dict[tuple[str, int | None, int | None], int] = {}
    place = [places.setdefault(s[1:4], len(places)) for s in steps]  # type: ignore[arg-type]
    flows = [f for s in steps for f in s[5]]
    incoming_data = {i: s[4] for i, s in enumerate(steps) if type(s[4]) is not float}
    value_data = {j: f[2] for j, f in enumerate(flows) if type(f[2]) is not float}
    return StepBlock(
        [s[0] for s in steps], np.array(place, np.int64), list(places),
        np.array([0.0 if i in incoming_data else s[4] for i, s in enumerate(steps)],
                 np.float64), incoming_data,
        np.cumsum([0, *(len(s[5]) for s in steps)], dtype=np.int64),
        [f[0] for f in flows], [f[1] for f in flows],
        np.array([0.0 if j in value_data else f[2] for j, f in enumerate(flows)],
                 np.float64), value_data,
        np.array([f[3] for f in flows], bool),
        {j: f[4] for j, f in enumerate(flows) if f[4]})


@record
class ControlFlowInfo:
    """What one if/while/for did."""

    kind: str
    line: int
    column: int
    summary: str  # "took the else branch (1×)", "4 iterations"
    depends_on_input: bool


@record
class ExplainResult:
    """`explain`: the backward pass step by step, then the control flow taken."""

    result: TensorData
    result_name: str | None
    steps: list[ExplainStep]
    grads: dict[str, TensorData]
    control: list[ControlFlowInfo]
    output: str = ""


@record
class GoldenCase:
    """One golden-output test file."""

    path: str
    ok: bool
    status: str  # "pass" | "fail" | "updated" | "error" | "missing"
    diff: str = ""


@record
class GoldenReport:
    """`test`: every case and whether expectations were rewritten."""

    cases: list[GoldenCase]
    updated: bool = False

    @property
    def ok(self) -> bool:
        """Every case passed (or was updated)."""
        return all(c.ok for c in self.cases)


@record
class ErrorInfo:
    """An error as the CLI reports it."""

    kind: str
    message: str
    file: str | None
    line: int | None
    column: int | None
    end_column: int | None = None
    source_line: str | None = None
    hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The gd calls that led to the error, outermost first: {"file", "line", "column",
    # "source", "function", "count"} (count: that many identical calls in a row).
    calls: list[dict[str, Any]] = field(default_factory=list)


@record
class PlotResult:
    """What `plot` returns: the result and its first derivatives sampled along a sweep.

    `x` are the sweep's points (the input's values, or t for X0 + t·V along
    `direction`); `series` maps "y", "dy/dx", "d2y/dx2", … to one value per point (NaN
    where the program's value is not a number); `marks["jump"]` are where the result
    jumps, `marks["kink"]` where its first derivative does."""

    wrt: str
    x: list[float]
    series: dict[str, list[float]]
    marks: dict[str, list[float]]
    result_name: str | None = None
    direction: TensorData | None = None
    output: str = ""  # what the program printed (first point only)
