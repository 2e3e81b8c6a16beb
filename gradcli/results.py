"""Plain result objects: what the app computes and the renderers print.

No live tensors or tape nodes here: values are numpy arrays, positions are numbers.
Renderers (gradcli/render) take these and produce table, plain or JSON text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
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


@dataclass
class EvalResult:
    """`eval`: the result's value and its gradient w.r.t. each --wrt input."""

    result: TensorData
    result_name: str | None
    grads: dict[str, TensorData]
    output: str = ""  # what the program printed


@dataclass
class GradResult:
    """`grad`: the N-th derivative, shape result.shape + N × x.shape."""

    result: TensorData
    result_name: str | None
    order: int
    derivatives: dict[str, TensorData]
    output: str = ""


@dataclass
class JvpResult:
    """`jvp`: J·v (forward mode)."""

    result: TensorData
    result_name: str | None
    jvp: TensorData
    tangents: dict[str, TensorData]
    output: str = ""


@dataclass
class VjpResult:
    """`vjp`: vᵀ·J (reverse mode)."""

    result: TensorData
    result_name: str | None
    vjp: dict[str, TensorData]
    cotangent: TensorData
    output: str = ""


@dataclass
class JacobianResult:
    """`jacobian`: the full Jacobian, shape result.shape + x.shape."""

    result: TensorData
    result_name: str | None
    jacobian: dict[str, TensorData]
    output: str = ""


@dataclass
class CheckItem:
    """Whole-program check of one input: autograd vs central differences."""

    wrt: str
    max_abs_error: float
    max_rel_error: float
    ok: bool
    analytic: TensorData | None = None
    numeric: TensorData | None = None


@dataclass
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


@dataclass
class CheckResult:
    """`check`: ok iff every comparison is within tolerance."""

    ok: bool
    checks: list[CheckItem]
    nodes: list[NodeCheck]
    rtol: float
    atol: float
    output: str = ""


@dataclass
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


@dataclass
class GraphResult:
    """`graph`: nodes in creation order and edges from inputs to outputs."""

    nodes: list[GraphNode]
    edges: list[tuple[int, int]]
    result_id: int | None
    show_values: bool = False
    output: str = ""


@dataclass
class ExplainFlow:
    """One cotangent flowing from a node to one of its inputs."""

    to_id: int
    to_label: str
    rule: str  # e.g. "grad_a = grad · b"
    value: TensorData
    accumulates: bool  # whether this input already received a cotangent (a sum)


@dataclass
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


@dataclass
class ControlFlowInfo:
    """What one if/while/for did."""

    kind: str
    line: int
    column: int
    summary: str  # "took the else branch (1×)", "4 iterations"
    depends_on_input: bool


@dataclass
class ExplainResult:
    """`explain`: the backward pass step by step, then the control flow taken."""

    result: TensorData
    result_name: str | None
    steps: list[ExplainStep]
    grads: dict[str, TensorData]
    control: list[ControlFlowInfo]
    output: str = ""


@dataclass
class GoldenCase:
    """One golden-output test file."""

    path: str
    ok: bool
    status: str  # "pass" | "fail" | "updated" | "error" | "missing"
    diff: str = ""


@dataclass
class GoldenReport:
    """`test`: every case and whether expectations were rewritten."""

    cases: list[GoldenCase]
    updated: bool = False

    @property
    def ok(self) -> bool:
        """Every case passed (or was updated)."""
        return all(c.ok for c in self.cases)


@dataclass
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
