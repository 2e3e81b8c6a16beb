"""Recording: `apply`, the one function that runs an op and records it on the tape.

Running an op through `apply` computes its forward kernel and, when grad mode is on
and an input requires grad, makes a `Node`: the rule, the inputs it saved (with their
versions, for the in-place check), and for each input the edge to follow backward
(the input's grad_fn, or the leaf itself). In forward mode it also computes the
output's tangent with the rule's JVP; under anomaly detection it checks the output.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from gradcli.ad.graph import (
    MULTI_OUTPUT_VIEWS,
    Node,
    Tensor,
    aliases,
    check_not_inference,
    check_view_grad_fn,
    is_inference,
    mark_batched,
    note_view,
    stale_view,
    tensor_from_array,
)
from gradcli.ad.kernels import TorchError
from gradcli.ad.kernels.iteration import dense, reorder_dimensions
from gradcli.ad.registry import RULES
from gradcli.ad.state import (
    MEMORY_CHECK_BYTES,
    POSITION,
    State,
    check_broadcast,
    check_memory,
    check_size,
    grad_mode,
)
from gradcli.errors import GdError, GdLimitError, GdRuntimeError

if TYPE_CHECKING:
    from gradcli.ad.registry import Rule

ndarray = np.ndarray
EMPTY: dict[str, Any] = {}


_BROADCASTING = frozenset(("binary", "elementwise", "loss"))
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
#: The Python numbers apply's 0-d scalar path takes (a bool goes to the kernel: `x - True`
#: is PyTorch's error there).
# The Python ints PyTorch's argument parser takes as a Scalar: int64's, then uint64's.
INT64_MIN = _INT_MIN = -(2 ** 63)
INT64_MAX = _INT64_MAX = 2 ** 63 - 1
_UINT_MAX = 2 ** 64 - 1
_FLOAT_RESULT = frozenset(("div", "true_divide"))  # integers in, a float out: no wrap


def scalar_in_range(v: int, other: Any) -> int:
    """A Python int operand past int64 as PyTorch's argument parser takes it: a uint64
    (2**63 ≤ v < 2**64) meets an integer or bool tensor as the int64 of its bits (wrapped:
    `t < 2**63` is `t < -2**63`), a float one as its value; beyond, PyTorch's
    OverflowError (x * 2**64), where numpy would take it as a float."""
    if v > _UINT_MAX:
        raise TorchError("int too big to convert", py_type="OverflowError")
    if v < _INT_MIN:
        raise TorchError("can't convert negative int to unsigned", py_type="OverflowError")
    if type(other) is ndarray and other.dtype.kind in "iub":
        return v - 2 ** 64
    return v
_new = object.__new__  # Tensor.__new__ and Node.__new__, one attribute lookup less


def input_layout(x: ndarray, out: Any) -> Any:
    """out, a unary elementwise op's result of x's shape, laid out as TensorIterator lays
    out the output for a non-contiguous x (x.t().sin() is transposed too), where a kernel
    that flattens gives C order and a ufunc numpy's own order."""
    if type(out) is not ndarray or out.shape != x.shape or x.ndim < 2:
        return out
    step = x.itemsize
    dims = sorted((s, n) for n, s in zip(x.shape, x.strides, strict=True) if n != 1)
    for stride, size in dims:
        if stride != step:  # gaps or a broadcast: the reordered dims' own layout
            axes = reorder_dimensions(x.shape, [x.strides])[::-1]  # slowest first
            laid = np.empty([x.shape[d] for d in axes], out.dtype).transpose(np.argsort(axes))
            break
        step *= size
    else:  # dense (a transposed or permuted x): x's own strides (its fast set-up)
        laid = np.empty_like(x, dtype=out.dtype)
    if laid.strides == out.strides:
        return out
    laid[...] = out
    return laid


def c_strided(a: ndarray) -> bool:
    """Whether a has exactly C order's strides (numpy's flag ignores sizes of 1; PyTorch's
    stride() shows them)."""
    step = a.itemsize
    for n, s in zip(reversed(a.shape), reversed(a.strides), strict=True):
        if s != step:
            return False
        step *= n
    return True


def operands_layout(out: ndarray, operands: Any) -> ndarray:
    """out, an elementwise op's result, laid out as TensorIterator lays out the output of
    these operands (in the op's order): its dims ordered by the first operand whose
    strides tell them apart (a broadcast dim defers to the next), so x.t() + y is
    transposed and y + x.t() is not."""
    shape = out.shape
    if all(type(a) is ndarray and a.shape == shape for a in operands):
        # TensorIterator's fast set-up (operands of one shape): all contiguous (sizes of
        # 1 aside) give a contiguous output, all of one dense layout that layout.
        if all(a.flags.c_contiguous for a in operands):
            return out if out.flags.c_contiguous else np.ascontiguousarray(out)
        first = operands[0]
        if all(a.strides == first.strides for a in operands) and dense(first):
            size = out.itemsize
            steps = tuple(st // first.itemsize * size for st in first.strides)
            if out.strides == steps or min(steps, default=0) < 0:
                return out
            laid = np.lib.stride_tricks.as_strided(np.empty(out.size, out.dtype), shape, steps)
            laid[...] = out
            return laid
    nd = len(shape)
    strides = []
    for a in operands:
        if type(a) is not ndarray or not a.ndim:
            continue
        k = nd - a.ndim
        st = [0] * nd
        for i, (size, step) in enumerate(zip(a.shape, a.strides, strict=True)):
            if size != 1 or shape[k + i] == 1:
                st[k + i] = step
        strides.append(st)
    order = reorder_dimensions(shape, strides)[::-1]  # slowest first
    if order == list(range(nd)):
        return out if out.flags.c_contiguous else np.ascontiguousarray(out)
    laid = np.empty([shape[d] for d in order], out.dtype).transpose(np.argsort(order))
    if laid.strides == out.strides:
        return out
    laid[...] = out
    return laid


def apply(rule: Rule, args: tuple[Any, ...], params: dict[str, Any] = EMPTY) -> Tensor:
    """Run one op: forward kernel, then record a node if any input requires grad."""
    # Unary and binary ops spelled out: this runs for every op, and per-op overhead is
    # what scalar and small-tensor programs pay (bench W1, W2). `rg`: an input requires
    # grad.
    try:
        n = len(args)
        if n == 2:
            a, b = args
            if type(a) is Tensor:
                x = a.array
                rg = a.requires_grad
            else:
                x = a
                rg = False
            if type(b) is Tensor:
                y = b.array
                rg = rg or b.requires_grad
            else:
                y = b
            sf = rule.scalar_forward
            out = None
            # + - * / of 0-d float32/float64 operands: the kernel's scalar path, taken here
            # (the same operation on the same numpy scalars: the same bits).
            if sf is not None and type(x) is ndarray and not x.ndim and not params and (
                    (dt := x.dtype) is _F64 or dt is _F32):
                if type(y) is ndarray:
                    if not y.ndim and y.dtype is dt:
                        out = sf(x[()], y[()]).__array__()
                elif (ty := type(y)) is float or (ty is int and _INT_MIN <= y <= _UINT_MAX):
                    out = sf(x[()], y).__array__()
            if out is None:
                if type(y) is int:
                    if not _INT_MIN <= y <= _INT64_MAX:
                        y = scalar_in_range(y, None if rule.name in _FLOAT_RESULT else x)
                elif type(x) is int and not _INT_MIN <= x <= _INT64_MAX:
                    x = scalar_in_range(x, None if rule.name in _FLOAT_RESULT else y)
                if rule.kind in _BROADCASTING and ((x.size if type(x) is ndarray else 1)
                                                   * (y.size if type(y) is ndarray else 1)
                                                   > State.max_elements):
                    check_broadcast([x, y])
                out = rule.forward(x, y, **params) if params else rule.forward(x, y)
                # (a number first, pow(2.5, x): the kernel's own layout, contiguous)
                if rule.iterated and type(out) is ndarray and out.ndim > 1 and type(
                        x) is ndarray and (
                        (x.ndim > 1 and (not x.flags.c_contiguous or 1 in x.shape))
                        or (type(y) is ndarray and y.ndim > 1
                            and (not y.flags.c_contiguous or 1 in y.shape))):
                    out = operands_layout(out, (x, y))
        elif n == 1:
            a = args[0]
            if type(a) is Tensor:
                x = a.array
                rg = a.requires_grad
            else:
                x = a
                rg = False
            out = rule.forward(x, **params) if params else rule.forward(x)
            if rule.keeps_layout and type(x) is ndarray and x.ndim > 1 and \
                    not x.flags.c_contiguous:
                out = input_layout(x, out)
        else:
            arrays = [a.array if type(a) is Tensor else a for a in args]
            if rule.kind in _BROADCASTING and n > 1:
                check_broadcast(arrays)
            rg = False
            for a in args:
                if type(a) is Tensor and a.requires_grad:
                    rg = True
                    break
            x = arrays[0] if arrays else None
            out = rule.forward(*arrays, **params)
            if rule.iterated and type(out) is ndarray and out.ndim > 1 and any(
                    type(a) is ndarray and a.ndim > 1
                    and (not a.flags.c_contiguous or 1 in a.shape) for a in arrays):
                out = operands_layout(out, arrays)
    except GdRuntimeError:
        raise
    except (TorchError, ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError,
            MemoryError) as e:
        raise _failure(rule, args, params, e) from None
    if type(out) is not ndarray:
        out = np.asarray(out)
    if rule.out_contiguous and out.ndim > 1 and (not out.flags.c_contiguous
                                                 or 1 in out.shape) and not c_strided(out):
        out = np.array(out, order="C")  # a new array: C strides, sizes of 1 included
    if out.size > State.max_elements:
        check_size(out.size)
    allocated = State.allocated + out.nbytes
    State.allocated = allocated
    if allocated > MEMORY_CHECK_BYTES:
        check_memory()
    t = _new(Tensor)
    t.array = out
    t.grad = None
    t._view = None
    t._tangent = None
    if rule.views and aliases(out, x):
        # numpy made a view: out aliases the input's storage, so an in-place change of
        # either changes both. They share the version counter (the saved-tensor check),
        # and out remembers its base, whose graph an in-place change of out must update.
        t._vc = args[0]._vc
        t._view = (args[0], rule, params, t._vc[0])
        if State.inference_seen and is_inference(args[0]):
            t.inference = True  # a view of an inference tensor is one, in any mode
        if not State.grad_enabled or hasattr(args[0], "view_mode"):
            note_view(t, args[0], rule.name in MULTI_OUTPUT_VIEWS)
    else:
        t._vc = [0]
    if State.meta_seen and any(type(a) is Tensor and hasattr(a, "meta") for a in args):
        check_meta_operands(args)
        t.meta = True  # an op of meta tensors gives one (its shape and dtype computed)
    if State.grad_enabled:
        if rg and rule.differentiable and (
                (dt := out.dtype) is _F32 or dt is _F64 or dt.kind == "f"):
            # Record the node (inlined: one call less per recorded op).
            if State.inference_seen and rule.saves_inputs:
                tn = rule.torch_name
                check_not_inference(args, tn if type(tn) is str else tn(args, params))
            if n == 2:
                a, b = args
                # An input's edge: its grad_fn, or the leaf itself (a Node is always true).
                if type(a) is Tensor:
                    if a._view is not None:
                        _sync_view(a)
                    pa = (a.grad_fn or a) if a.requires_grad else None
                    va = a._vc[0]
                else:
                    pa = None
                    va = 0
                if type(b) is Tensor:
                    if b._view is not None:
                        _sync_view(b)
                    parents: tuple[Any, ...] = (pa, (b.grad_fn or b) if b.requires_grad
                                                else None)
                    versions = (va, b._vc[0]) if rule.saves_inputs else None
                else:
                    parents = (pa, None)
                    versions = (va, 0) if rule.saves_inputs else None
            elif n == 1:
                # Recorded only when an input is a tensor requiring grad: here, this one.
                a = args[0]
                if a._view is not None:
                    _sync_view(a)
                parents = (a.grad_fn or a,)
                versions = (a._vc[0],) if rule.saves_inputs else None
            else:
                for a in args:
                    if type(a) is Tensor and a._view is not None:
                        _sync_view(a)
                parents = tuple(
                    (a.grad_fn or a) if type(a) is Tensor and a.requires_grad else None
                    for a in args)
                versions = (tuple(a._vc[0] if type(a) is Tensor else 0 for a in args)
                            if rule.saves_inputs else None)
            # Node(rule, args, params, parents, versions), its fields set here.
            node = _new(Node)
            node.rule = rule
            tn = rule.torch_name  # a name, or a function of the inputs and params
            node.name = tn if type(tn) is str else tn(args, params)
            node.inputs = args
            node.freed = False
            node.params = params
            node.parents = parents
            node.versions = versions
            node.retained = None
            node.hooks = None
            seq = State.seq
            node.seq = seq
            State.seq = seq + 1
            node.span = POSITION.span
            if rule.saves_out:
                node.out = t
                node.out_version = t._vc[0]
            else:
                node.out = None
                node.out_version = 0
            t.grad_fn = node
            t.requires_grad = True
            if State.tape is not None:
                State.tape.append(node)
            if State.on_record is not None:
                State.on_record(node, t)
        else:
            t.grad_fn = None
            t.requires_grad = False
            if rg:
                if out.dtype.kind == "c" and rule.differentiable:
                    raise GdRuntimeError(f"{rule.name} of a tensor that requires grad with a "
                                         "complex result is not supported by gradcli (it "
                                         "records no complex derivatives)")
                # Nothing to record (a comparison, say), but the output depends on a
                # tensor that requires grad: advance the counter so control flow that
                # tests it can tell (explain's "depends on input").
                State.seq += 1
    else:
        t.grad_fn = None
        # A view of a tensor that requires grad requires grad too (note_view).
        t.requires_grad = (t._view is not None and args[0].requires_grad
                           and out.dtype.kind == "f")
        if State.inference_mode and (t._view is None or is_inference(args[0])):
            t.inference = True  # made in torch.inference_mode() (not a normal one's view)
    if State.detect_anomaly:
        _check_finite(rule, t, [a.array if type(a) is Tensor else a for a in args])
    if State.forward_level:
        _propagate_tangent(rule, args, params, t)
    if State.vmapping:
        mark_batched(args, t)
    return t


def _failure(rule: Rule, args: tuple[Any, ...], params: dict[str, Any],
             e: Exception) -> GdError:
    """The gd error, in PyTorch's words, for an exception a kernel raised."""
    arrays = [a.array if type(a) is Tensor else a for a in args]
    if isinstance(e, TorchError):
        return GdRuntimeError(str(e), py_type=e.py_type)
    if isinstance(e, np.exceptions.AxisError):
        return GdRuntimeError(_dimension_message(e, arrays))
    if isinstance(e, (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError)):
        return GdRuntimeError(rule.explain_failure(arrays, params, e))
    return GdLimitError(f"out of memory computing '{rule.name}'",
                        hint="lower the sizes involved", limit="max_memory")


def _dimension_message(e: np.exceptions.AxisError, arrays: list[Any]) -> str:
    """PyTorch's wording for a dim outside a tensor's range."""
    ndim = e.ndim if e.ndim is not None else next(
        (a.ndim for a in arrays if type(a) is ndarray), 0)
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    return (f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got "
            f"{e.axis})")


def _propagate_tangent(rule: Rule, args: tuple[Any, ...], params: dict[str, Any],
                       t: Tensor) -> None:
    if not rule.differentiable or t.array.dtype.kind != "f":
        return  # before any other work: comparisons (while norm(b) < tol) are common
    tangents = []
    found = False
    for a in args:
        if type(a) is Tensor:
            if a._view is not None:
                _sync_view(a)
            tan = a._tangent
            found = found or tan is not None
            tangents.append(tan)
        else:
            tangents.append(None)
    if not found:
        return
    if ((rule.kind == "reduction" or rule.name in _LINEAR_REDUCTIONS)
            and _deferrable(args, tangents)):
        t._tangent = DeferredTangent(rule, args, params, tangents, t)
        return
    t._tangent = _tangent_of(rule, args, params, [
        x.value() if type(x) is DeferredTangent else x for x in tangents], t)


def _tangent_of(rule: Rule, args: tuple[Any, ...], params: dict[str, Any],
                tangents: list[Any], t: Tensor) -> Tensor | None:
    """The output's tangent by the rule's JVP (forward mode's one step)."""
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
        if tan.array.shape != t.array.shape:  # a JVP may give a broadcastable tangent
            check_size(math.prod(t.array.shape))
            tan = apply(RULES["expand"], (tan,), {"shape": t.array.shape})
        if tan.array.dtype != t.array.dtype:
            if not (FUNCTORCH.depth and _promoted_tangents(args, tangents)):
                tan = apply(RULES["to_dtype"], (tan,), {"dtype": t.array.dtype})
        elif (FUNCTORCH.depth and t.array.dtype == _F32 and not t.array.ndim
              and _wrapped_float(rule.name, args)):
            tan = apply(RULES["to_dtype"], (tan,), {"dtype": _F64})
    return tan


class FUNCTORCH:
    """torch.func.jvp and jacfwd running (depth > 0). functorch's forward mode neither
    keeps a Python float operand a wrapped number nor casts a tangent to its primal's
    dtype: a 0-d float32 tensor times, over, plus or minus a Python float has a float64
    tangent (state[0] * 9.81 in a pendulum's jacfwd), and the ops after it promote as
    their formulas do. torch.autograd.forward_ad and autograd.functional keep float32."""

    depth = 0


_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
# The Tensor overloads PyTorch calls with a Python number wrapped as a 0-d double tensor:
# rule name → which argument positions may be that number (x - 2.0 is sub's; 2.0 - x is
# rsub, whose tangent stays float32).
_WRAPPED = {"mul": (0, 1), "div": (1,), "add": (0, 1), "sub": (1,), "mul_scalar": (1,),
            "div_scalar": (1,), "add_scalar": (1,), "add_alpha": (1,), "sub_alpha": (1,)}


def _wrapped_float(name: str, args: tuple[Any, ...]) -> bool:
    where = _WRAPPED.get(name)
    if where is None:
        return False
    if name == "sub" and type(args[0]) is not Tensor:
        return False
    return any(i < len(args) and type(args[i]) is float for i in where)


def _promoted_tangents(args: tuple[Any, ...], tangents: list[Any]) -> bool:
    """Whether an input's tangent already has another dtype than its primal (functorch)."""
    return any(type(a) is Tensor and type(x) is Tensor and x.array.dtype != a.array.dtype
               for a, x in zip(args, tangents, strict=True))


# Forward mode defers the tangents of reductions: in `while b.norm() < tol` or
# `if x.sum() > 0` the reduction only feeds a comparison, and its JVP (norm's is five
# ops) is never needed. Their JVPs never raise, so deferring moves no error. A deferred
# tangent is computed when something reads it (Tensor.tangent, or an op consuming it).
# The reductions: rules of kind "reduction", and these two of kind "linear".
_LINEAR_REDUCTIONS = frozenset(("sum", "mean"))
_DEFER_MAX_ELEMENTS = 4096  # inputs copied for a deferral (larger: computed at once)
_DEFER_MAX_DEPTH = 32  # deferred tangents waiting on deferred tangents (bounds recursion)


def _deferrable(args: tuple[Any, ...], tangents: list[Any]) -> bool:
    """Whether t's tangent can wait: the JVP's ops would record nothing (no input or
    tangent requires grad) and need no anomaly check, and the inputs are small and
    C-contiguous (their copies then have the same layout, so the same kernels' paths)."""
    if State.detect_anomaly or State.inference_mode:
        return False
    size = 0
    for a, tan in zip(args, tangents, strict=True):
        if type(a) is Tensor:
            arr = a.array
            if a.requires_grad or not arr.flags.c_contiguous:
                return False
            size += arr.size
            if type(tan) is Tensor and (tan.requires_grad or not tan.array.flags.c_contiguous):
                return False
    return size <= _DEFER_MAX_ELEMENTS


class DeferredTangent:
    """A tangent not computed yet: the op, and private copies of the arrays its JVP reads
    (the inputs', the output's, the input tangents'), so a later in-place change of any of
    them changes nothing. `value()` computes it exactly as forward mode would have at the
    op (the same rule on the same values); `read()` gives the tensor's owner its own copy."""

    __slots__ = ("args", "depth", "out", "params", "result", "rule", "tangents", "tensors")

    def __init__(self, rule: Rule, args: tuple[Any, ...], params: dict[str, Any],
                 tangents: list[Any], t: Tensor) -> None:
        depth = 0
        for i, x in enumerate(tangents):
            if type(x) is Tensor:
                tangents[i] = x.array.copy()  # (an array here always stands for a tensor)
            elif type(x) is DeferredTangent:
                if x.depth >= _DEFER_MAX_DEPTH:
                    tangents[i] = x.value()
                    if tangents[i] is not None:
                        tangents[i] = tangents[i].array.copy()
                else:
                    depth = max(depth, x.depth + 1)
        self.rule: Rule | None = rule
        # Tensor inputs as copies of their arrays; `tensors`: which inputs were tensors.
        self.args = tuple(a.array.copy() if type(a) is Tensor else a for a in args)
        self.tensors = tuple(type(a) is Tensor for a in args)
        self.params = params
        self.tangents = tangents
        self.out = t.array.copy()
        self.depth = depth
        self.result: Tensor | None = None

    def value(self) -> Tensor | None:
        """The tangent (computed on the first call)."""
        rule = self.rule
        if rule is None:
            return self.result
        # The state at the op, as far as the rule's ops can tell: nothing required grad
        # (so nothing records), no anomaly check, not in inference mode.
        saved = (State.forward_level, State.grad_enabled, State.detect_anomaly,
                 State.inference_mode, State.light_backward)
        State.forward_level = 1
        State.grad_enabled = State.detect_anomaly = State.inference_mode = False
        State.light_backward = False
        try:
            tangents = [x.value() if type(x) is DeferredTangent
                        else tensor_from_array(x) if type(x) is ndarray else x
                        for x in self.tangents]
            args = tuple(tensor_from_array(a) if is_tensor else a
                         for a, is_tensor in zip(self.args, self.tensors, strict=True))
            self.result = _tangent_of(rule, args, self.params, tangents,
                                      tensor_from_array(self.out))
        finally:
            (State.forward_level, State.grad_enabled, State.detect_anomaly,
             State.inference_mode, State.light_backward) = saved
        self.rule = self.args = self.tangents = self.out = None  # type: ignore[assignment]
        return self.result

    def read(self) -> Tensor | None:
        """The tangent for the tensor that owns it: a copy, so that changing it in place
        does not change what the ops that consumed it before see."""
        v = self.value()
        if v is None:
            return None
        inference = State.inference_mode
        State.inference_mode = False  # made at the op, not where it is read
        try:
            return tensor_from_array(v.array.copy())
        finally:
            State.inference_mode = inference


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


def check_meta_operands(args: tuple[Any, ...]) -> None:
    """PyTorch's error for an op of a meta tensor and a CPU tensor of one dimension or more
    (a 0-d CPU tensor mixes with any device, as a number does)."""
    for a in args:
        if type(a) is Tensor and a.array.ndim and not hasattr(a, "meta"):
            raise GdRuntimeError("Tensor on device cpu is not on the expected device meta!")


def _sync_view(t: Tensor) -> None:
    """Bring a view's graph (and tangent) up to date after its storage changed in place
    through its base or another view: the view op again, on the base's current history
    (PyTorch regenerates a view's grad_fn the same way)."""
    assert t._view is not None
    base, rule, params, version = t._view
    if hasattr(t, "view_mode") or (version != t._vc[0] and rule.name in MULTI_OUTPUT_VIEWS):
        check_view_grad_fn(t)
    if version == t._vc[0]:
        return
    t._view = (base, rule, params, t._vc[0])
    if base._view is not None:
        _sync_view(base)
    if t.grad_fn is None and t.tangent is None and not base.requires_grad and (
            base._tangent is None):
        return
    with grad_mode(True):  # the view's history must follow its base's, whatever the mode
        fresh = apply(rule, (base,), params)
    if fresh.grad_fn is not None:
        fresh.grad_fn.name = "AsStridedBackward0"  # PyTorch regenerates it by as_strided
        if t.grad_fn is not None and t.grad_fn.retained is t:
            fresh.grad_fn.retained = t  # retain_grad() follows the tensor to its new node
        t.grad_fn = fresh.grad_fn
        t.requires_grad = True
    if State.forward_level:
        t.tangent = fresh.tangent


def current_grad_fn(t: Tensor) -> Node | None:
    """t.grad_fn as PyTorch reads it: a view whose storage changed in place since its
    graph was made takes its base's new history first (_sync_view); a view made in
    no_grad or inference mode then is PyTorch's error (check_view_grad_fn)."""
    if t._view is not None:
        _sync_view(t)
    return t.grad_fn


def grad_fn_name(t: Tensor) -> str | None:
    """The name t's repr shows as grad_fn=<...>, or None (PyTorch's `Invalid` where
    reading the grad_fn fails: stale_view)."""
    if t._view is not None:
        if stale_view(t):
            return "Invalid"
        _sync_view(t)
    fn = t.grad_fn
    return None if fn is None else fn.name
