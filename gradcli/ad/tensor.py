"""Tensors, tape nodes and the one function that runs and records an op.

A Tensor wraps a numpy array. Running an op through `apply` computes its forward
kernel and, when grad mode is on and an input requires grad, appends a `Node` to
the tape: the rule, the inputs it saved (with their versions, for the in-place
check), and for each input the edge to follow backward (the input's grad_fn, or
the leaf itself). Nodes are numbered in creation order, so creation order is a
topological order and the engine never needs recursion.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.kernels import TorchError
from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from gradcli.ad.rules import Rule

# numpy warnings (divide by zero, overflow, invalid) are not errors in PyTorch's
# semantics: 1/0 is inf. Silence them once, process-wide, instead of paying for an
# errstate context on every op.
np.seterr(all="ignore")

ndarray = np.ndarray
EMPTY: dict[str, Any] = {}


MEMORY_CHECK_BYTES = 32 << 20  # measure the process's memory after this many new bytes


class _State:
    """Process-wide autograd state: grad mode, forward-mode level, the tape, limits.

    One instance, `State`. Its fields are instance attributes because some are written
    all the time (seq per node, allocated per op, span per interpreted expression), and
    writing a *class* attribute invalidates CPython's attribute caches for every read of
    the class: each State.grad_enabled read after it took the slow path.
    """

    grad_enabled: bool = True
    forward_level: int = 0  # > 0 while tangents are being propagated (forward mode)
    seq: int = 0  # next node number
    tape: list[Node] | None = None  # when a list, every recorded node is appended to it
    max_elements: int = DEFAULT_LIMITS.max_elements  # cap on the elements of one tensor
    max_memory: int = DEFAULT_LIMITS.max_memory  # cap on the process's resident memory, bytes
    time_limit: float = 0.0  # seconds a command may run (Limits.max_time); 0: no limit
    deadline: float | None = None  # time.monotonic() past which work stops
    allocated: int = 0  # bytes allocated since memory was last measured
    detect_anomaly: bool = False
    # Saved tensors stay in memory after a backward that frees its graph, so the CLI can
    # differentiate the result again (Session.keep_buffers): a physical policy only.
    keep_buffers: bool = False
    # Inside Session.final_pass(): backward may go through logically freed nodes whose
    # buffers were kept (the CLI's own differentiation after the program ran).
    final_pass: bool = False
    in_backward: int = 0  # > 0 while the engine runs VJP rules
    on_record: Callable[[Node, Tensor], None] | None = None  # sees each new node and its output

    def __init__(self) -> None:
        for name, value in vars(_State).items():
            if not name.startswith("_"):
                setattr(self, name, value)


State = _State()


class _Position:
    """Where the interpreter is in the source: an opaque span stamped on each new node.

    The one slot of the core that the interpreter writes, on its hot path (a plain
    attribute store per expression); everything else goes through the core's API.
    """

    __slots__ = ("span",)

    def __init__(self) -> None:
        self.span: object = None


POSITION = _Position()


class Node:
    """One recorded op on the tape: the `grad_fn` of the tensor it produced."""

    __slots__ = (
        "freed",
        "inputs",
        "name",
        "out",
        "out_version",
        "params",
        "parents",
        "retained",
        "rule",
        "seq",
        "span",
        "versions",
    )

    def __init__(
        self,
        rule: Rule,
        inputs: tuple[Any, ...] | None,
        params: dict[str, Any],
        parents: tuple[Any, ...],
        versions: tuple[int, ...] | None,
    ) -> None:
        self.rule = rule
        # PyTorch's name for this node's class, e.g. MulBackward0. Fixed now: some names
        # depend on the inputs (RsubBackward1, PowBackward2), which backward frees.
        tn = rule.torch_name  # a name, or a function of the inputs and params
        self.name: str = tn if type(tn) is str else tn(inputs, params)
        self.inputs = inputs
        self.freed = False  # a backward without retain_graph went through (logical)
        self.params = params
        self.parents = parents
        self.versions = versions
        self.out: Tensor | None = None
        self.out_version = 0  # the version of `out` when saved (in-place ops save later ones)
        self.retained: Tensor | None = None
        self.seq = State.seq
        State.seq += 1
        self.span = POSITION.span

    @property
    def op(self) -> str:
        """Our lowercase op name, e.g. mul."""
        return self.rule.name

    def __repr__(self) -> str:
        return f"<{self.name} object>"


def _note_read() -> None:
    # A value that requires grad left the graph (.item(), .detach(), .data, float(x)):
    # advance the node counter so control flow testing it can tell it depends on an input
    # (explain's "depends on input?"). Gaps in node numbers are harmless.
    State.seq += 1


def _leaf_edge(t: Tensor) -> Any:
    fn = t.grad_fn
    return fn if fn is not None else t


class Tensor:
    """A numpy array with PyTorch's autograd attributes."""

    __slots__ = ("_vc", "_view", "array", "grad", "grad_fn", "requires_grad", "tangent")

    def __init__(self, array: Any, requires_grad: bool = False) -> None:
        if type(array) is not ndarray:
            array = np.asarray(array)
        self.array: np.ndarray = array
        self.requires_grad = requires_grad
        self.grad: Tensor | None = None
        self.grad_fn: Node | None = None
        self._vc = [0]  # version counter, shared with detach()ed aliases and views
        # (base, rule, params, version) when this tensor is a view of base's storage (x[0],
        # x.t()…); version: of the shared storage when the view's graph was last current
        self._view: tuple[Tensor, Rule, dict[str, Any], int] | None = None
        self.tangent: Tensor | None = None
        if requires_grad and array.dtype.kind != "f":
            raise GdRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )

    # -- attributes PyTorch users know ---------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The tensor's shape as a tuple."""
        return self.array.shape

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype (float32, float64, int64 or bool)."""
        return self.array.dtype

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self.array.ndim

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op."""
        return self.grad_fn is None

    @property
    def version(self) -> int:
        """How many in-place changes this tensor's storage has seen."""
        return self._vc[0]

    def numel(self) -> int:
        """Number of elements."""
        return int(self.array.size)

    def dim(self) -> int:
        """Number of dimensions."""
        return self.array.ndim

    def size(self, dim: int | None = None) -> Any:
        """The shape, or one dimension of it."""
        if dim is None:
            return self.array.shape
        return self.array.shape[dim]

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise GdRuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        if self.requires_grad:
            _note_read()
        return self.array.reshape(()).item()

    def tolist(self) -> Any:
        """The values as nested Python lists."""
        if self.requires_grad:
            _note_read()
        return self.array.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data (and version counter), outside the graph."""
        if self.requires_grad:
            _note_read()
        t = Tensor.__new__(Tensor)
        t.array = self.array
        t.requires_grad = False
        t.grad = None
        t.grad_fn = None
        t._vc = self._vc
        t._view = None
        t.tangent = None
        return t

    def detach_(self) -> Tensor:
        """Detach this tensor from the graph in place, making it a leaf."""
        self.grad_fn = None
        self.requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The data as a tensor outside the graph (its own version counter, as in PyTorch)."""
        t = self.detach()
        t._vc = [0]
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        self.array = value.array

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set requires_grad in place (only on leaves)."""
        if not requires_grad and self.grad_fn is not None:
            raise GdRuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach()."
            )
        if requires_grad and self.array.dtype.kind != "f":
            raise GdRuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep .grad of this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise GdRuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn.retained = self

    @property
    def retains_grad(self) -> bool:
        """Whether retain_grad() was called on this non-leaf."""
        fn = self.grad_fn
        return fn is not None and fn.retained is self

    def __repr__(self) -> str:
        from gradcli.ad.tensor_str import format_tensor

        fn = self.grad_fn
        return format_tensor(
            self.array,
            dtypes.name_of(self.array.dtype),
            requires_grad=self.requires_grad,
            grad_fn=None if fn is None else fn.name,
        )

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise GdRuntimeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __bool__(self) -> bool:
        if self.array.size != 1:
            raise GdRuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
            )
        return bool(self.array.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.array.dtype.kind not in "iub" or self.array.size != 1:
            raise GdRuntimeError(
                "only integer tensors of a single element can be converted to an index")
        return int(self.item())

    # Tensors are compared by identity in sets and dicts (== is elementwise).
    __hash__ = object.__hash__

    if TYPE_CHECKING:
        # Installed from ops.py at import (gradcli.ad.ops._install); declared for checkers.
        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __eq__(self, other: object) -> Tensor: ...  # type: ignore[override]
        def __ne__(self, other: object) -> Tensor: ...  # type: ignore[override]
        def __getitem__(self, index: Any) -> Tensor: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                     create_graph: bool = False, inputs: Any = None) -> None: ...
        def to(self, dtype: Any = None, **kw: Any) -> Tensor: ...
        def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor: ...


def tensor_from_array(array: np.ndarray) -> Tensor:
    """Wrap an array as a leaf tensor without copying (fast path, no checks)."""
    t = Tensor.__new__(Tensor)
    t.array = array
    t.requires_grad = False
    t.grad = None
    t.grad_fn = None
    t._vc = [0]
    t._view = None
    t.tangent = None
    return t


def check_size(n: int) -> None:
    """Raise the element-cap error for an allocation of n elements."""
    if n > State.max_elements:
        raise GdLimitError(
            f"tensor of {n:,} elements exceeds the limit of {State.max_elements:,} elements",
            hint="a tensor that large is rarely intended: check the sizes involved",
            limit="max_elements",
        )
    note_allocation(n * 8)


def _resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far, in bytes."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError):  # pragma: no cover - Windows
        return 0


def _page_size() -> int:
    try:
        import os

        return os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - Windows
        return 4096


_PAGE_SIZE = _page_size()


def check_memory() -> None:
    """Raise the memory-limit error if the process holds more than State.max_memory
    (and the time-limit error past State.deadline: both are checked at the same pace,
    every MEMORY_CHECK_BYTES of tensors and every few thousand steps)."""
    State.allocated = 0
    if State.deadline is not None and time.monotonic() > State.deadline:
        raise GdLimitError(
            f"time limit reached: the command ran for more than {State.time_limit:,.0f} s",
            hint="an endless or very long computation?", limit="max_time")
    used = _resident_bytes()
    if used > State.max_memory:
        raise GdLimitError(
            f"memory limit reached: the program holds {used / 2**20:,.0f} MiB, more than "
            f"the limit of {State.max_memory / 2**20:,.0f} MiB",
            hint="tensors kept alive (a growing list, or a graph that keeps growing: use "
            "no_grad() or detach()) add up",
            limit="max_memory",
        )


def note_allocation(nbytes: int) -> None:
    """Count new bytes; measure the process's memory every MEMORY_CHECK_BYTES."""
    State.allocated += nbytes
    if State.allocated > MEMORY_CHECK_BYTES:
        check_memory()


def check_broadcast(arrays: list[Any]) -> None:
    """Refuse, before computing it, a broadcast whose result would exceed the element cap."""
    n = 1
    for a in arrays:
        if type(a) is ndarray:
            n *= a.size
    if n <= State.max_elements:  # the result of broadcasting never exceeds the inputs' product
        return
    try:
        shape = np.broadcast_shapes(*[a.shape for a in arrays if type(a) is ndarray])
    except ValueError:
        return  # the kernel reports the mismatch
    size = 1
    for d in shape:
        size *= d
    check_size(size)


_BROADCASTING = frozenset(("binary", "elementwise", "loss"))


def apply(rule: Rule, args: tuple[Any, ...], params: dict[str, Any] = EMPTY) -> Tensor:
    """Run one op: forward kernel, then record a node if any input requires grad."""
    # Unary and binary ops spelled out: this runs for every op, and per-op overhead is
    # what scalar and small-tensor programs pay (bench W1, W2).
    n = len(args)
    if n == 1:
        a = args[0]
        arrays = [a.array if type(a) is Tensor else a]
    elif n == 2:
        a, b = args
        x = a.array if type(a) is Tensor else a
        y = b.array if type(b) is Tensor else b
        arrays = [x, y]
        if ((x.size if type(x) is ndarray else 1) * (y.size if type(y) is ndarray else 1)
                > State.max_elements and rule.kind in _BROADCASTING):
            check_broadcast(arrays)
    else:
        arrays = [a.array if type(a) is Tensor else a for a in args]
        if rule.kind in _BROADCASTING and n > 1:
            check_broadcast(arrays)
    try:
        out = rule.forward(*arrays, **params)
    except GdRuntimeError:
        raise
    except TorchError as e:
        raise GdRuntimeError(str(e)) from None
    except np.exceptions.AxisError as e:
        raise GdRuntimeError(_dimension_message(e, arrays)) from None
    except (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError) as e:
        raise GdRuntimeError(rule.explain_failure(arrays, params, e)) from None
    except MemoryError:
        raise GdLimitError(f"out of memory computing '{rule.name}'",
                           hint="lower the sizes involved", limit="max_memory") from None
    if type(out) is not ndarray:
        out = np.asarray(out)
    if out.size > State.max_elements:
        check_size(out.size)
    State.allocated += out.nbytes
    if State.allocated > MEMORY_CHECK_BYTES:
        check_memory()
    t = Tensor.__new__(Tensor)
    t.array = out
    t.grad = None
    t.grad_fn = None
    t._vc = [0]
    t._view = None
    t.tangent = None
    t.requires_grad = False
    if rule.views and np.may_share_memory(out, arrays[0]):
        # numpy made a view: out aliases the input's storage, so an in-place change of
        # either changes both. They share the version counter (the saved-tensor check),
        # and out remembers its base, whose graph an in-place change of out must update.
        t._vc = args[0]._vc
        t._view = (args[0], rule, params, t._vc[0])
    if State.grad_enabled:
        if rule.differentiable and out.dtype.kind == "f":
            for a in args:
                if type(a) is Tensor and a.requires_grad:
                    _record(rule, args, params, t)
                    break
        else:
            for a in args:
                if type(a) is Tensor and a.requires_grad:
                    # Nothing to record (a comparison, say), but the output depends on a
                    # tensor that requires grad: advance the counter so control flow that
                    # tests it can tell (explain's "depends on input").
                    State.seq += 1
                    break
    if State.detect_anomaly:
        _check_finite(rule, t, arrays)
    if State.forward_level:
        _propagate_tangent(rule, args, params, t)
    return t


def _dimension_message(e: np.exceptions.AxisError, arrays: list[Any]) -> str:
    """PyTorch's wording for a dim outside a tensor's range."""
    ndim = e.ndim if e.ndim is not None else next(
        (a.ndim for a in arrays if type(a) is ndarray), 0)
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    return (f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got "
            f"{e.axis})")


def _record(rule: Rule, args: tuple[Any, ...], params: dict[str, Any], t: Tensor) -> None:
    if len(args) == 1:
        # apply records only when an input is a tensor requiring grad: here, this one.
        a = args[0]
        if a._view is not None:
            _sync_view(a)
        fn = a.grad_fn
        parents: tuple[Any, ...] = (fn if fn is not None else a,)
        versions = (a._vc[0],) if rule.saves_inputs else None
    elif len(args) == 2:
        a, b = args
        ta = type(a) is Tensor
        tb = type(b) is Tensor
        if ta and a._view is not None:
            _sync_view(a)
        if tb and b._view is not None:
            _sync_view(b)
        parents = ((_leaf_edge(a) if a.requires_grad else None) if ta else None,
                   (_leaf_edge(b) if b.requires_grad else None) if tb else None)
        versions = ((a._vc[0] if ta else 0, b._vc[0] if tb else 0)
                    if rule.saves_inputs else None)
    else:
        for a in args:
            if type(a) is Tensor and a._view is not None:
                _sync_view(a)
        parents = tuple(
            (_leaf_edge(a) if a.requires_grad else None) if type(a) is Tensor else None
            for a in args
        )
        versions = (
            tuple(a._vc[0] if type(a) is Tensor else 0 for a in args)
            if rule.saves_inputs else None
        )
    node = Node(rule, args, params, parents, versions)
    if rule.saves_out:
        node.out = t
    t.grad_fn = node
    t.requires_grad = True
    if State.tape is not None:
        State.tape.append(node)
    if State.on_record is not None:
        State.on_record(node, t)


def _propagate_tangent(rule: Rule, args: tuple[Any, ...], params: dict[str, Any],
                       t: Tensor) -> None:
    if not rule.differentiable or t.array.dtype.kind != "f":
        return  # before any other work: comparisons (while norm(b) < tol) are common
    for a in args:
        if type(a) is Tensor and a._view is not None:
            _sync_view(a)
    tangents = [a.tangent if type(a) is Tensor else None for a in args]
    for x in tangents:
        if x is not None:
            break
    else:
        return
    if not rule.sparse_tangents:
        # General rules get real zeros for float inputs without a tangent.
        tangents = [
            tan if tan is not None or type(a) is not Tensor or a.array.dtype.kind != "f"
            else tensor_from_array(np.zeros_like(a.array))
            for a, tan in zip(args, tangents, strict=True)
        ]
    level = State.forward_level
    anomaly = State.detect_anomaly
    State.forward_level = 0  # a JVP rule's own ops carry no tangents of their own
    State.detect_anomaly = False  # the rule's own ops are not the program's: check the result
    try:
        tan = rule.jvp(tangents, t, *args, **params)
    finally:
        State.forward_level = level
        State.detect_anomaly = anomaly
    if anomaly and tan is not None and not np.isfinite(tan.array).all():
        bad = "nan" if np.isnan(tan.array).any() else "inf"
        raise AnomalyError(
            f"anomaly detected: the forward-mode derivative (tangent) of '{rule.name}' is "
            f"{bad}{where_text(POSITION.span)}", POSITION.span, rule.name)
    if tan is not None:
        if tan.array.shape != t.array.shape:
            from gradcli.ad import ops

            tan = ops.expand(tan, t.array.shape)
        if tan.array.dtype != t.array.dtype:
            from gradcli.ad import ops

            tan = ops.to_dtype(tan, t.array.dtype)
    t.tangent = tan


class AnomalyError(GdRuntimeError):
    """A NaN or infinity appeared (raised only when anomaly detection is on).

    Its span is the source position of the op that produced it (for the backward
    pass too: the op whose gradient went bad), and the message names op and line.
    """

    def __init__(self, message: str, node_span: object = None, op: str = "",
                 hint: str | None = None) -> None:
        super().__init__(message, node_span if getattr(node_span, "line", None) else None,
                         hint or _anomaly_hint(op))
        self.node_span = node_span
        self.op = op


_ANOMALY_CAUSES = {
    "log": "log of zero or of a negative number",
    "log1p": "log1p of -1 or less",
    "sqrt": "sqrt of a negative number (or its gradient at 0)",
    "div": "a division by zero (0/0 is nan)",
    "pow": "a negative base to a fractional power, or 0 to a negative power",
    "exp": "exp overflowing (its argument is above ~88 in float32)",
    "reciprocal": "1/0",
    "norm": "the gradient of a norm at 0",
}


def _anomaly_hint(op: str) -> str:
    cause = _ANOMALY_CAUSES.get(op)
    return (f"the usual cause is {cause}; " if cause else "") + \
        "print the op's inputs to see the values that produced it"


def where_text(span: object) -> str:
    """' at line L:C' for a span, '' when there is none."""
    line = getattr(span, "line", None)
    return f" at line {line}:{getattr(span, 'column', 0)}" if line else ""


def _check_finite(rule: Rule, t: Tensor, arrays: list[Any] | None = None) -> None:
    a = t.array
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        bad = "nan" if np.isnan(a).any() else "inf"
        given = ""
        if arrays and any(type(x) is ndarray and x.dtype.kind == "f" and not np.isfinite(x).all()
                          for x in arrays):
            given = " (an input already held nan or inf: it came from a constant or an input)"
        raise AnomalyError(
            f"anomaly detected: '{rule.name}' produced {bad} in the forward pass"
            f"{where_text(POSITION.span)}{given}", POSITION.span, rule.name)


def record_inplace(target: Tensor, result: Tensor) -> Tensor:
    """Make `target` hold `result` in place: PyTorch's in-place op semantics.

    The result was computed out of place (and recorded with edges to the target's
    old history); its data is written into the target's storage, the version is
    bumped, and the target takes over the result's grad_fn.
    """
    node = result.grad_fn
    if (
        target.requires_grad
        and target.grad_fn is None
        and State.grad_enabled
    ):
        raise GdRuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.",
            hint="wrap the update in `with no_grad():`, or work on x.detach() / x.data",
        )
    if target._view is not None and State.grad_enabled:
        root = target
        while root._view is not None:
            root = root._view[0]
        if root.requires_grad and root.grad_fn is None:
            raise GdRuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.",
                hint="wrap the update in `with no_grad():`, or work on x.detach() / x.data",
            )
    tdtype = target.array.dtype
    rarr = result.array
    if rarr.dtype != tdtype and not np.can_cast(rarr.dtype, tdtype, "same_kind"):
        raise GdRuntimeError(
            f"result type {_torch_scalar_name(rarr.dtype)} can't be cast to the desired "
            f"output type {_torch_scalar_name(tdtype)}"
        )
    if (rarr.shape != target.array.shape
            and np.broadcast_shapes(rarr.shape, target.array.shape) != target.array.shape):
        raise GdRuntimeError(
            f"output with shape {list(target.array.shape)} doesn't match the broadcast "
            f"shape {list(np.broadcast_shapes(rarr.shape, target.array.shape))}"
        )
    if node is not None and node.inputs is not None and node.rule.saves_inputs:
        # The op saved the target's *old* value as `self`: keep a private copy of it,
        # since the storage is about to be overwritten. The target passed again as
        # another input (`a.mul_(a)`, `a.div_(a)`) stays the live tensor, so backward
        # finds it modified and fails as PyTorch does.
        node.inputs = tuple(
            _snapshot(a) if a is target and i == 0 else a for i, a in enumerate(node.inputs)
        )
    target.array[...] = rarr
    target._vc[0] += 1
    if node is not None:
        if node.rule.saves_out:
            node.out = target
            node.out_version = target._vc[0]
        target.grad_fn = node
        target.requires_grad = True
    target.tangent = result.tangent
    if target._view is not None:
        target._view = (*target._view[:3], target._vc[0])  # its graph is the newest now
    if target._view is not None and (
        (State.grad_enabled and target.requires_grad)
        or (State.forward_level and target.tangent is not None)
    ):
        _rebase(target)
    return target


def _rebase(view: Tensor) -> None:
    """After an in-place change of a view, record that its base changed too.

    As PyTorch's CopySlices: the base's new value is its old one with the view's value
    written in, and so on up a chain of views. The data is already there (shared storage);
    the graph and, in forward mode, the tangent are not.
    """
    from gradcli.ad import ops

    while view._view is not None:
        base, rule, params, _ = view._view
        if rule.name == "getitem":
            value, index = view, params["index"]
        else:
            # reshape, transpose, permute, (un)squeeze cover their base, and their
            # transpose (the VJP) is their inverse.
            (value,) = rule.vjp(view, None, base, **params)
            index = (Ellipsis,)
        new = ops.index_put(base, value, index, "CopySlices")
        if new.grad_fn is not None:
            base.grad_fn = new.grad_fn
            base.requires_grad = True
        if State.forward_level:
            base.tangent = new.tangent
        if base._view is not None:
            base._view = (*base._view[:3], base._vc[0])
        view = base


def _sync_view(t: Tensor) -> None:
    """Bring a view's graph (and tangent) up to date after its storage changed in place
    through its base or another view: the view op again, on the base's current history
    (PyTorch regenerates a view's grad_fn the same way)."""
    assert t._view is not None
    base, rule, params, version = t._view
    if version == t._vc[0]:
        return
    t._view = (base, rule, params, t._vc[0])
    if t.grad_fn is None and t.tangent is None:
        return
    with grad_mode(True):  # the view's history must follow its base's, whatever the mode
        fresh = apply(rule, (base,), params)
    if fresh.grad_fn is not None:
        t.grad_fn = fresh.grad_fn
    if State.forward_level:
        t.tangent = fresh.tangent


def _snapshot(t: Tensor) -> Tensor:
    s = Tensor.__new__(Tensor)
    s.array = t.array.copy()
    s.requires_grad = t.requires_grad
    s.grad = None
    s.grad_fn = t.grad_fn
    s._vc = [t._vc[0]]
    s._view = None
    s.tangent = t.tangent
    return s


def _torch_scalar_name(dtype: np.dtype) -> str:
    return {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}.get(
        dtypes.name_of(dtype), str(dtype)
    )


def torch_type_name(t: Tensor) -> str:
    """PyTorch's legacy type name, e.g. torch.FloatTensor (used in error messages)."""
    return f"torch.{_torch_scalar_name(t.array.dtype)}Tensor"


class grad_mode:
    """Context manager setting grad mode (no_grad, enable_grad, set_grad_enabled)."""

    __slots__ = ("enabled", "prev")

    def __init__(self, enabled: bool) -> None:
        self.enabled = bool(enabled)
        self.prev = State.grad_enabled

    def __enter__(self) -> None:
        self.prev = State.grad_enabled
        State.grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        State.grad_enabled = self.prev


def no_grad() -> grad_mode:
    """Context: record nothing."""
    return grad_mode(False)


def enable_grad() -> grad_mode:
    """Context: record again."""
    return grad_mode(True)


class _set_grad_mode(grad_mode):
    """set_grad_enabled's result: the mode was set on creation, the context restores the
    mode from before that (so __enter__ must not capture the new mode as the old one)."""

    __slots__ = ()

    def __enter__(self) -> None:
        State.grad_enabled = self.enabled


def set_grad_enabled(flag: bool) -> grad_mode:
    """Set grad mode now; also usable as a context manager that restores it."""
    mode = _set_grad_mode(flag)
    State.grad_enabled = bool(flag)
    return mode


def is_grad_enabled() -> bool:
    """Whether ops are being recorded."""
    return State.grad_enabled
