"""What each command computes: (source, options) → a result object. No click, no rich.

The CLI parses flags into `AppOptions`, calls one function here, and renders what
comes back. Every derivative is computed through the autograd core (nested reverse
mode for `grad --order N`, forward mode for `jvp`); only `check` uses finite
differences, on purpose.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad import ops as F
from gradcli.ad.check import check_node
from gradcli.ad.engine import grad, run_backward
from gradcli.ad.forward import dual_level
from gradcli.ad.functional import _batched_rows
from gradcli.ad.tensor import Node, State, Tensor, check_size, tensor_from_array
from gradcli.errors import GdError, GdLimitError, GdRuntimeError, UsageError
from gradcli.interp import Program, ProgramResult, RunOptions
from gradcli.interp.values import type_name
from gradcli.limits import Limits
from gradcli.results import (
    CheckItem,
    CheckResult,
    ControlFlowInfo,
    EvalResult,
    ExplainFlow,
    ExplainResult,
    ExplainStep,
    GoldenCase,
    GoldenReport,
    GradResult,
    GraphNode,
    GraphResult,
    JacobianResult,
    JvpResult,
    TensorData,
    VjpResult,
)
from gradcli.source import Source

MAX_SOURCE_BYTES = 1_000_000
DEFAULT_MAX_TIME = 600.0  # seconds: a normal program never meets it; x @ x forever does
MAX_SET_FILE_BYTES = 256 << 20  # --set NAME=@file.json
MAX_CHECK_ELEMENTS = 100_000  # check's finite differences rerun the program 2× per element


@dataclass
class AppOptions:
    """Everything a command needs besides the program."""

    sets: list[str] = field(default_factory=list)  # raw --set NAME=VALUE
    wrt: list[str] = field(default_factory=list)
    of: str | None = None
    dtype: str | None = None
    seed: int | None = None
    max_steps: int | None = None
    max_depth: int | None = None
    max_elements: int | None = None
    max_memory: int | None = None  # bytes
    max_program_size: int | None = None  # bytes of program text
    max_nesting: int | None = None  # brackets and expression depth
    max_output: int | None = None  # characters the program may print
    max_time: float | None = None  # seconds (0: no limit; None: DEFAULT_MAX_TIME)
    detect_anomaly: bool = False
    write: Callable[[str], object] | None = None  # where program prints go (None: captured)
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total) for long work


# -- loading ------------------------------------------------------------------------------

def load_source(prog: str | None, expr: str | None, stdin: Any = None,
                max_bytes: int | None = None) -> Source:
    """The program from a path, '-' (standard input) or -e text, at most max_bytes
    (--max-program-size) long: never more is read, so /dev/zero is an error, not a hang."""
    limit = max_bytes or MAX_SOURCE_BYTES
    if expr is not None:
        if prog is not None:
            raise UsageError("give either PROG or -e EXPRESSION, not both")
        if len(expr) > limit // 4 and len(expr.encode("utf-8", "surrogatepass")) > limit:
            raise _too_large("the -e program", limit)
        return Source("<expr>", expr)
    if prog is None:
        raise UsageError("missing PROG (a .gd file, '-' for standard input, or -e 'EXPRESSION')")
    if prog == "-":
        data = (stdin or _stdin()).read(limit + 1)
        if len(data) > limit:
            raise _too_large("standard input", limit)
        return Source("<stdin>", _decode(data, "<stdin>") if isinstance(data, bytes) else data)
    path = Path(prog)
    if path.is_dir():
        raise UsageError(f"{prog} is a directory, not a program")
    try:
        size = path.stat().st_size
    except OSError:
        raise UsageError(f"no such file: {prog}") from None
    if size > limit:
        raise _too_large(f"{prog} ({size:,} bytes)", limit)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # a device or a pipe reports no size
    except OSError as e:
        raise UsageError(f"cannot read {prog}: {e.strerror}") from None
    if len(data) > limit:
        raise _too_large(prog, limit)
    return Source(prog, _decode(data, prog))


def _too_large(what: str, limit: int) -> GdError:
    from gradcli.errors import GdSourceLimitError

    return GdSourceLimitError(f"{what} is larger than the limit of {limit:,} bytes for a "
                              "program", hint="raise it with --max-program-size")


def _stdin() -> Any:
    import sys

    return sys.stdin.buffer


def _decode(data: bytes, name: str) -> str:
    from gradcli.errors import GdSyntaxError
    from gradcli.source import Span

    try:
        # A UTF-8 byte-order mark (Windows editors write one) is not part of the program,
        # as for Python.
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise GdSyntaxError(f"invalid UTF-8 (byte 0x{data[e.start]:02x}); gd programs are "
                            "UTF-8 text", Span(line, col, line, col + 1)) from None


def parse_set_value(name: str, text: str, wrt: bool) -> Any:
    """A --set value: a number, a nested list, any gd expression, @file.json or @file.npy."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            if path.suffix == ".npy":
                array = np.load(path, allow_pickle=False, mmap_mode="r")  # sized first
                check_size(array.size)
                value: Any = F.tensor(np.array(array))
            else:
                with path.open("rb") as f:  # at most MAX_SET_FILE_BYTES: never /dev/zero
                    data = f.read(MAX_SET_FILE_BYTES + 1)
                if len(data) > MAX_SET_FILE_BYTES:
                    raise UsageError(f"--set {name}: {path} is larger than "
                                     f"{MAX_SET_FILE_BYTES:,} bytes")
                value = json.loads(data)
        except OSError as e:
            raise UsageError(f"--set {name}: cannot read {path}: {e.strerror}") from None
        except (ValueError, TypeError) as e:
            raise UsageError(f"--set {name}: {path} is not valid: {e}") from None
        except RecursionError:
            raise UsageError(f"--set {name}: {path} is nested too deeply") from None
        except GdLimitError as e:
            raise UsageError(f"--set {name}: {path}: {e.message}") from None
    else:
        from gradcli.interp import run_source

        try:
            options = RunOptions(limits=Limits(max_steps=100_000))
            value = run_source(text, f"--set {name}", options).value
        except GdError as e:
            flag = f"{name} {text}" if name.startswith("--") else f"--set {name}={text}"
            raise UsageError(f"{flag}: {e.message}") from None
    if isinstance(value, (list, tuple)):
        try:
            value = F.tensor(list(value))
        except GdError as e:
            raise UsageError(f"--set {name}: {e.message}") from None
    if wrt and type(value) is Tensor and value.dtype.kind != "f":
        value = F.to_dtype(value, dtypes.default_dtype())
    if wrt and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = F.tensor(float(value))
    return value


def parse_sets(items: list[str], wrt: list[str]) -> dict[str, Any]:
    """--set NAME=VALUE items, parsed."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        out[name] = parse_set_value(name, text.strip(), name in wrt)
    return out


def parse_vector(flag: str, text: str, like: Tensor | None = None) -> Tensor:
    """A --tangent / --cotangent value (same forms as --set), as a float tensor."""
    value = parse_set_value(flag, text, True)
    if type(value) is not Tensor:
        raise UsageError(f"{flag}: expected a number, a list or a tensor expression, "
                         f"got {type_name(value)}")
    if like is not None:
        if value.shape != like.shape:
            if value.numel() == 1 and like.numel() == 1:
                value = F.reshape(value, like.shape)
            else:
                raise UsageError(f"{flag} has shape {list(value.shape)} but must have shape "
                                 f"{list(like.shape)}")
        value = F.to(value, like.dtype)
    return value


# -- running ------------------------------------------------------------------------------

class _Session:
    """Global settings applied for one command, restored afterwards."""

    def __init__(self, opts: AppOptions, retain: bool) -> None:
        self.opts = opts
        self.retain = retain

    def __enter__(self) -> _Session:
        o = self.opts
        self.saved_memory = State.max_memory
        self.saved_time = (State.time_limit, State.deadline)
        if o.max_memory:
            State.max_memory = o.max_memory
        State.allocated = 0
        State.time_limit = DEFAULT_MAX_TIME if o.max_time is None else o.max_time
        State.deadline = time.monotonic() + State.time_limit if State.time_limit else None
        self.saved = (dtypes.DefaultDtype.value, State.max_elements, State.detect_anomaly,
                      State.retain_graphs, State.grad_enabled)
        if o.dtype:
            dtypes.set_default_dtype(o.dtype)
        if o.max_elements:
            State.max_elements = o.max_elements
        State.detect_anomaly = o.detect_anomaly
        State.retain_graphs = self.retain
        if o.seed is not None:
            F.manual_seed(o.seed)
        return self

    def __exit__(self, *exc: object) -> None:
        State.max_memory = self.saved_memory
        State.time_limit, State.deadline = self.saved_time
        (dtypes.DefaultDtype.value, State.max_elements, State.detect_anomaly,
         State.retain_graphs, State.grad_enabled) = self.saved


def compile_program(source: Source, opts: AppOptions, *, record_tape: bool = False,
                    track_names: bool = False,
                    tangents: dict[str, Tensor] | None = None) -> tuple[Program, io.StringIO]:
    """Compile with the options' inputs; program prints go to a buffer unless opts.write."""
    buffer = io.StringIO()
    run_opts = RunOptions(
        overrides=parse_sets(opts.sets, opts.wrt), wrt=list(opts.wrt),
        tangents=tangents or {}, result_name=opts.of, record_tape=record_tape,
        track_names=track_names, write=opts.write or buffer.write,
        limits=Limits().with_overrides(  # 0 or None: the default
            max_steps=opts.max_steps or None, max_depth=opts.max_depth or None,
            max_program_size=opts.max_program_size or None,
            max_nesting=opts.max_nesting or None, max_output=opts.max_output or None))
    if opts.progress is not None:
        report = opts.progress
        run_opts.on_steps = lambda n: report("running", n, 0)
    return Program.compile(source, run_opts), buffer


def run(source: Source, opts: AppOptions) -> ProgramResult:
    """`run`: execute; the program's prints go to opts.write."""
    with _Session(opts, retain=False):
        program, _ = compile_program(source, opts)
        return program.run()


def _result_tensor(res: ProgramResult) -> Tensor:
    v = res.value
    if v is None:
        raise UsageError("the program has no result: end it with an expression, or name the "
                         "result with --of NAME")
    if type(v) is Tensor:
        return v
    if isinstance(v, (int, float)) and not isinstance(v, str):
        return F.tensor(v)
    raise UsageError(f"the result{' ' + res.name if res.name else ''} is a {type_name(v)}, "
                     "not a tensor", hint="name a tensor with --of NAME")


def _data(t: Tensor) -> TensorData:
    return TensorData.of(t.array, dtypes.name_of(t.dtype))


def _need_wrt(opts: AppOptions, command: str) -> None:
    if not opts.wrt:
        raise UsageError(f"{command} needs --wrt NAME (the input to differentiate with "
                         "respect to)")


def _grads(y: Tensor, xs: list[Tensor], v: Tensor | None = None, *,
           create_graph: bool = False) -> list[Tensor]:
    if not y.requires_grad:
        return [tensor_from_array(np.zeros(x.shape, x.dtype)) for x in xs]
    gs = grad(y, xs, v, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return [tensor_from_array(np.zeros(x.shape, x.dtype)) if g is None else g
            for g, x in zip(gs, xs, strict=True)]


def evaluate(source: Source, opts: AppOptions) -> EvalResult:
    """`eval`: the result and its gradient w.r.t. each --wrt input."""
    with _Session(opts, retain=True):
        program, out = compile_program(source, opts)
        res = program.run()
        y = _result_tensor(res)
        grads: dict[str, TensorData] = {}
        if opts.wrt:
            if y.numel() != 1:
                raise UsageError(
                    f"eval --wrt needs a scalar result, but {res.name or 'the result'} has "
                    f"shape {list(y.shape)}",
                    hint="use `gradcli vjp --cotangent V` for vᵀJ (what y.backward(v) gives), "
                    "`gradcli jacobian` for the full Jacobian, or reduce it (y.sum())")
            xs = [res.inputs[n] for n in opts.wrt]
            for n, g in zip(opts.wrt, _grads(y, xs), strict=True):
                grads[n] = _data(g)
        return EvalResult(_data(y), res.name, grads, out.getvalue())


def derivative(y: Tensor, x: Tensor, order: int,
               progress: Callable[[str, int, int], None] | None = None) -> Tensor:
    """The order-N derivative of y w.r.t. x, shape y.shape + N × x.shape (nested reverse)."""
    size = y.numel() * x.numel() ** order
    if size > State.max_elements:  # before the passes: their number grows as fast
        raise GdLimitError(
            f"the order-{order} derivative would have {size:,} elements, more than the limit "
            f"of {State.max_elements:,}", hint="lower --order, or raise --max-elements")
    d = y
    for k in range(order):
        last = k == order - 1
        flat_n = d.numel()
        # The last level records nothing: when the graph allows it, all of its rows come
        # from one backward pass with the identity as a stack of cotangents.
        batched = _batched_rows(d, (x,), flat_n, not last)
        if batched is not None:
            d = batched[0]
            continue
        rows = []
        for i in range(flat_n):
            if progress is not None and flat_n > 64:
                progress(f"order {k + 1}: reverse passes", i, flat_n)
            e = np.zeros(flat_n, d.dtype)
            e[i] = 1
            rows.append(_grads(d, [x], tensor_from_array(e.reshape(d.shape)),
                               create_graph=not last)[0])
        if len(rows) == 1:
            # A scalar's derivative is its one row: no stack/view nodes in the next level's
            # graph (they would keep it off the batched path).
            row = rows[0]
            d = row if row.shape == d.shape + x.shape else F.reshape(row, d.shape + x.shape)
            continue
        stacked = F.stack(rows, 0) if rows else tensor_from_array(np.zeros((0, *x.shape), x.dtype))
        d = F.reshape(stacked, d.shape + x.shape)
    return d


def nth_grad(source: Source, opts: AppOptions, order: int) -> GradResult:
    """`grad --order N`."""
    _need_wrt(opts, "grad")
    if order < 1:
        raise UsageError(f"--order must be at least 1, got {order}")
    with _Session(opts, retain=True):
        program, out = compile_program(source, opts)
        res = program.run()
        y = _result_tensor(res)
        derivs = {n: _data(derivative(y, res.inputs[n], order, opts.progress))
                  for n in opts.wrt}
        return GradResult(_data(y), res.name, order, derivs, out.getvalue())


def jvp(source: Source, opts: AppOptions, tangents: list[str]) -> JvpResult:
    """`jvp`: forward mode, J·v with v given per --wrt input."""
    _need_wrt(opts, "jvp")
    if len(tangents) != len(opts.wrt):
        raise UsageError(f"jvp needs one --tangent per --wrt ({len(opts.wrt)}), got "
                         f"{len(tangents)}")
    with _Session(opts, retain=True):
        vs = {n: parse_vector("--tangent", t) for n, t in zip(opts.wrt, tangents, strict=True)}
        with dual_level():
            program, out = compile_program(source, opts, tangents=vs)
            res = program.run()
            y = _result_tensor(res)
            tan = y.tangent
            jv = tan if tan is not None else tensor_from_array(np.zeros(y.shape, y.dtype))
            y.tangent = None
        return JvpResult(_data(y), res.name, _data(jv),
                         {n: _data(v) for n, v in vs.items()}, out.getvalue())


def vjp(source: Source, opts: AppOptions, cotangent: str) -> VjpResult:
    """`vjp`: reverse mode, vᵀ·J (what y.backward(v) leaves in x.grad)."""
    _need_wrt(opts, "vjp")
    with _Session(opts, retain=True):
        program, out = compile_program(source, opts)
        res = program.run()
        y = _result_tensor(res)
        v = parse_vector("--cotangent", cotangent, y)
        xs = [res.inputs[n] for n in opts.wrt]
        gs = _grads(y, xs, v)
        return VjpResult(_data(y), res.name, {n: _data(g) for n, g in zip(opts.wrt, gs,
                                                                          strict=True)},
                         _data(v), out.getvalue())


def jacobian(source: Source, opts: AppOptions) -> JacobianResult:
    """`jacobian`: the full Jacobian, one reverse pass per output element."""
    _need_wrt(opts, "jacobian")
    with _Session(opts, retain=True):
        program, out = compile_program(source, opts)
        res = program.run()
        y = _result_tensor(res)
        jac = {n: _data(derivative(y, res.inputs[n], 1, opts.progress)) for n in opts.wrt}
        return JacobianResult(_data(y), res.name, jac, out.getvalue())


# -- check ------------------------------------------------------------------------------

def check(source: Source, opts: AppOptions, eps: float = 1e-6, rtol: float = 1e-4,
          atol: float = 1e-6) -> CheckResult:
    """`check`: autograd vs central differences (float64), and every node's rule alone."""
    _need_wrt(opts, "check")
    with _Session(opts, retain=True):
        dtypes.set_default_dtype("float64")
        program, out = compile_program(source, opts, record_tape=True)
        res = program.run()
        y = _result_tensor(res)
        items = []
        for name in opts.wrt:
            x = res.inputs[name]
            analytic = derivative(y, x, 1).array.astype(np.float64)
            base = x.array.astype(np.float64)
            numeric = _fd_jacobian(program, name, base, y.shape, eps, opts.progress)
            err = np.abs(analytic - numeric)
            scale = np.maximum(np.abs(numeric), np.abs(analytic))
            ok = bool(np.all(err <= atol + rtol * np.abs(numeric)))
            rel = float(np.max(err / np.maximum(scale, 1e-12))) if err.size else 0.0
            items.append(CheckItem(name, float(err.max()) if err.size else 0.0, rel, ok,
                                   TensorData.of(analytic), TensorData.of(numeric)))
        nodes = _check_nodes(res.tape or [])
        ok = all(i.ok for i in items) and all(n.ok for n in nodes)
        return CheckResult(ok, items, nodes, rtol, atol, out.getvalue())


def _fd_jacobian(program: Program, name: str, base: np.ndarray, out_shape: tuple[int, ...],
                 eps: float, progress: Callable[[str, int, int], None] | None) -> np.ndarray:
    overrides = program.options.overrides
    saved = overrides.get(name, _MISSING)
    wrt = program.rt.wrt
    program.rt.wrt = set()  # finite differences need no graph
    program.options.record_tape = False
    flat = base.reshape(-1)
    if flat.size > MAX_CHECK_ELEMENTS:
        raise GdLimitError(
            f"check runs the program twice per element of {name}, which has {flat.size:,} "
            f"elements (the limit is {MAX_CHECK_ELEMENTS:,})",
            hint=f"check a smaller input (--set {name}=randn(10)), or use eval/grad")
    jac = np.zeros((*out_shape, flat.size))
    budget = program.options.limits.max_steps  # the reruns share one step limit
    try:
        for i in range(flat.size):
            vals = []
            for sign in (1.0, -1.0):
                xp = flat.copy()
                xp[i] += sign * eps
                overrides[name] = tensor_from_array(xp.reshape(base.shape))
                r = program.run()
                budget -= r.steps + 1
                if budget < 0:
                    raise GdLimitError(
                        f"step limit reached: the {2 * flat.size:,} runs of finite differences "
                        f"for {name} need more than {program.options.limits.max_steps:,} loop "
                        "iterations and calls", hint="check a smaller input, or raise "
                        "--max-steps")
                vals.append(np.asarray(_result_tensor(r).array, dtype=np.float64))
            if vals[0].shape != tuple(out_shape):
                raise GdRuntimeError("the result's shape changes when the input is perturbed")
            jac[..., i] = (vals[0] - vals[1]) / (2 * eps)
            if progress is not None:
                progress(f"finite differences for {name}", i + 1, flat.size)
    finally:
        program.rt.wrt = wrt
        if saved is _MISSING:
            overrides.pop(name, None)
        else:
            overrides[name] = saved
    return jac.reshape(tuple(out_shape) + base.shape)


_MISSING = object()


def _check_nodes(tape: list[Node]) -> list[Any]:
    from gradcli.results import NodeCheck

    out = []
    for i, node in enumerate(tape):
        if not node.rule.differentiable or node.inputs is None:
            continue
        if not any(isinstance(a, Tensor) and a.dtype.kind == "f" for a in node.inputs):
            continue
        span = node.span
        try:
            rep = check_node(node, seed=i)
            ok, ae, re_ = rep.ok, rep.max_abs_error, rep.max_rel_error
        except GdError:
            ok, ae, re_ = False, float("nan"), float("nan")
        out.append(NodeCheck(i, node.op, node.name, getattr(span, "line", None),
                             getattr(span, "column", None), ok, ae, re_))
    return out


# -- graph and explain --------------------------------------------------------------------

def _numbering(tape: list[Node]) -> tuple[dict[int, int], list[tuple[Any, int]]]:
    """Ids in creation order: each leaf just before its first consumer."""
    ids: dict[int, int] = {}
    order: list[tuple[Any, int]] = []
    for node in tape:
        for p in node.parents:
            if p is not None and type(p) is Tensor and id(p) not in ids:
                ids[id(p)] = len(order)
                order.append((p, len(order)))
        ids[id(node)] = len(order)
        order.append((node, len(order)))
    return ids, order


def graph(source: Source, opts: AppOptions, values: bool = False) -> GraphResult:
    """`graph`: every tape node, with names, PyTorch names, shapes and source positions."""
    with _Session(opts, retain=True):
        outputs: dict[Node, Tensor] = {}
        prev = State.on_record
        State.on_record = lambda node, t: outputs.__setitem__(node, t)
        try:
            program, out = compile_program(source, opts, record_tape=True, track_names=True)
            res = program.run()
        finally:
            State.on_record = prev
        tape = res.tape or []
        ids, order = _numbering(tape)
        y = res.value if type(res.value) is Tensor else None
        grads: dict[int, Tensor] = {}
        if values and y is not None and y.requires_grad and y.numel() == 1:
            targets = [t for t in outputs.values()] + [p for p, _ in order if type(p) is Tensor]
            gs = grad(y, targets, retain_graph=True, allow_unused=True)
            for t, g in zip(targets, gs, strict=True):
                if g is not None:
                    grads[id(t.grad_fn) if t.grad_fn is not None else id(t)] = g
        nodes = []
        for obj, i in order:
            if type(obj) is Tensor:
                name = res.leaf_names.get(id(obj), (None,))[0]
                nodes.append(GraphNode(
                    i, name, "leaf", None, obj.shape, dtypes.name_of(obj.dtype), True,
                    obj.requires_grad, None, None,
                    _data(obj) if values else None,
                    _data(grads[id(obj)]) if values and id(obj) in grads else None))
            else:
                out_t = outputs.get(obj)
                span = obj.span
                nodes.append(GraphNode(
                    i, res.node_names.get(obj), obj.op, obj.name,
                    out_t.shape if out_t is not None else (),
                    dtypes.name_of(out_t.dtype) if out_t is not None else "float32",
                    False, True, getattr(span, "line", None), getattr(span, "column", None),
                    _data(out_t) if values and out_t is not None else None,
                    _data(grads[id(obj)]) if values and id(obj) in grads else None))
        edges = []
        for node in tape:
            for p in node.parents:
                if p is not None:
                    edges.append((ids[id(p)], ids[id(node)]))
        result_id = None
        if y is not None:
            key = id(y.grad_fn) if y.grad_fn is not None else id(y)
            result_id = ids.get(key)
        return GraphResult(nodes, edges, result_id, values, out.getvalue())


def explain(source: Source, opts: AppOptions) -> ExplainResult:
    """`explain`: the backward pass node by node, then the control flow taken."""
    _need_wrt(opts, "explain")
    with _Session(opts, retain=True):
        outputs: dict[Node, Tensor] = {}
        prev = State.on_record
        State.on_record = lambda node, t: outputs.__setitem__(node, t)
        try:
            program, out = compile_program(source, opts, record_tape=True, track_names=True)
            res = program.run()
        finally:
            State.on_record = prev
        y = _result_tensor(res)
        tape = res.tape or []
        ids, order = _numbering(tape)
        labels = _labels(order, res)
        steps: list[ExplainStep] = []
        received: set[int] = set()

        def observe(node: Node, g: Tensor, cots: tuple[Any, ...]) -> None:
            flows = []
            formula = node.rule.formula
            for k, (p, c) in enumerate(zip(node.parents, cots, strict=False)):
                if p is None or c is None:
                    continue
                pid = ids[id(p)]
                rule = formula[k] if k < len(formula) else f"vjp of {node.op}"
                flows.append(ExplainFlow(pid, labels.get(pid, ""),
                                         f"grad_{_param(node, k)} = {rule}", _data(c),
                                         pid in received))
                received.add(pid)
            span = node.span
            steps.append(ExplainStep(ids[id(node)], labels.get(ids[id(node)], ""), node.op,
                                     node.name, getattr(span, "line", None),
                                     getattr(span, "column", None), _data(g), flows))

        xs = [res.inputs[n] for n in opts.wrt]
        v = None
        if y.numel() != 1:
            v = tensor_from_array(np.ones(y.shape, y.dtype))
        grads: dict[str, TensorData] = {}
        if y.requires_grad:
            captured = run_backward([y], None if v is None else [v], True, False, xs, observe)
            assert captured is not None
            for n, x in zip(opts.wrt, xs, strict=True):
                g = captured.get(id(x))
                grads[n] = _data(g if g is not None else tensor_from_array(
                    np.zeros(x.shape, x.dtype)))
        else:
            # The result does not depend on any input: its gradient is zero (as `eval` says).
            grads = {n: _data(tensor_from_array(np.zeros(x.shape, x.dtype)))
                     for n, x in zip(opts.wrt, xs, strict=True)}
        control = [_control_info(c) for c in res.control if c.evaluations or c.iterations]
        return ExplainResult(_data(y), res.name, steps, grads, control, out.getvalue())


def _param(node: Node, k: int) -> str:
    names = "ab" if len(node.parents) == 2 else "x"
    if len(node.parents) > 2:
        return f"input{k}"
    return names[k] if k < len(names) else f"input{k}"


def _labels(order: list[tuple[Any, int]], res: ProgramResult) -> dict[int, str]:
    labels: dict[int, str] = {}
    for obj, i in order:
        if type(obj) is Tensor:
            name = res.leaf_names.get(id(obj), (None,))[0]
            labels[i] = name or "leaf"
        else:
            name = res.node_names.get(obj)
            labels[i] = f"{name} = {obj.op}" if name else obj.op
    return labels


def _control_info(c: Any) -> ControlFlowInfo:
    if c.kind == "if":
        names = ["if"] + [f"elif #{i}" for i in range(1, len(c.branches) - (1 if c.has_else
                                                                              else 0))]
        if c.has_else:
            names.append("else")
        parts = [f"{n} branch {k}×" for n, k in zip(names, c.branches, strict=True) if k]
        summary = "took " + ", ".join(parts) if parts else "no branch taken"
    else:
        runs = c.iterations
        if len(runs) == 1:
            summary = f"{runs[0]} iteration{'s' if runs[0] != 1 else ''}"
        else:
            summary = f"ran {len(runs)}×, {sum(runs)} iterations in all ({_brief(runs)})"
    return ControlFlowInfo(c.kind, c.span.line, c.span.column, summary, c.depends_on_input)


def _brief(runs: list[int]) -> str:
    shown = ", ".join(str(r) for r in runs[:5])
    return shown + (", …" if len(runs) > 5 else "")


# -- golden tests -----------------------------------------------------------------------

def golden_files(paths: list[str]) -> Iterator[Path]:
    """Every .gd file under the given paths, sorted."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(path.rglob("*.gd"))
        elif path.suffix == ".gd" and path.exists():
            yield path
        else:
            raise UsageError(f"no such file or directory: {p}" if not path.exists()
                             else f"{p} is not a .gd file")


def run_for_golden(path: Path, render_error: Callable[[GdError, Source], str]) -> str:
    """What `gradcli run PATH` prints (stdout, then any error as the CLI shows it)."""
    buffer = io.StringIO()
    # Errors name the file by its basename, so expectations don't depend on the cwd.
    source = Source(path.name, "")
    try:
        source = Source(path.name, load_source(str(path), None).text)
        run(source, AppOptions(write=buffer.write))
    except GdError as e:
        buffer.write(render_error(e, source))
    return buffer.getvalue()


def golden(paths: list[str], update: bool,
           render_error: Callable[[GdError, Source], str]) -> GoldenReport:
    """`test`: run each prog.gd and compare with prog.out beside it."""
    cases = []
    files = list(golden_files(paths))
    if not files:
        raise UsageError("no .gd files found under " + ", ".join(paths))
    for path in files:
        expected_path = path.with_suffix(".out")
        actual = run_for_golden(path, render_error)
        shown = os.path.relpath(path)
        if expected_path.exists():
            expected = expected_path.read_text(encoding="utf-8")
            if expected == actual:
                cases.append(GoldenCase(shown, True, "pass"))
                continue
            if update:
                expected_path.write_text(actual, encoding="utf-8")
                cases.append(GoldenCase(shown, True, "updated"))
                continue
            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                fromfile=str(expected_path), tofile="actual"))
            cases.append(GoldenCase(shown, False, "fail", diff))
        elif update:
            expected_path.write_text(actual, encoding="utf-8")
            cases.append(GoldenCase(shown, True, "updated"))
        else:
            cases.append(GoldenCase(shown, False, "missing",
                                    f"no {expected_path.name}; create it with --update"))
    return GoldenReport(cases, update)
