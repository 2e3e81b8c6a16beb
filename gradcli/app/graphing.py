"""`graph` and `explain`: the tape as numbered nodes, and the backward pass step by step."""

from __future__ import annotations

import gc
from array import array
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.engine import grad, run_backward
from gradcli.ad.functional import or_zeros
from gradcli.ad.tensor import Node, State, Tensor
from gradcli.app.inputs import AppOptions
from gradcli.app.rows import LoopRun, Rows, loop_runs
from gradcli.app.running import compile_program, data, need_wrt, result_tensor, session
from gradcli.results import (
    ControlFlowInfo,
    ExplainFlow,
    ExplainResult,
    ExplainStep,
    GraphNode,
    GraphResult,
    TensorData,
)
from gradcli.source import Source


def _numbering(tape: list[Node]) -> tuple[dict[int, int], list[Any]]:
    """Ids in creation order: each leaf just before its first consumer (order[id] is the
    node or leaf)."""
    ids: dict[int, int] = {}
    order: list[Any] = []
    for node in tape:
        for p in node.parents:
            if p is not None and type(p) is Tensor and id(p) not in ids:
                ids[id(p)] = len(order)
                order.append(p)
        ids[id(node)] = len(order)
        order.append(node)
    return ids, order


def _edges(tape: list[Node], ids: dict[int, int]) -> Rows[tuple[int, int]]:
    """(input id, node id) once per use, in recording order, held as two int arrays."""
    src = array("q")
    dst = array("q")
    for node in tape:
        me = ids[id(node)]
        for p in node.parents:
            if p is not None:
                src.append(ids[id(p)])
                dst.append(me)
    return Rows(len(src), lambda k: (src[k], dst[k]))


def graph(source: Source, opts: AppOptions, values: bool = False) -> GraphResult:
    """`graph`: every tape node, with names, PyTorch names, shapes and source positions
    (the node rows are built as they are read)."""
    outputs: dict[Node, Tensor] = {}
    with session(opts, keep_buffers=True, on_record=outputs.__setitem__, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        tape = res.tape or []
        ids, order = _numbering(tape)
        y = res.value if type(res.value) is Tensor else None
        grads: dict[int, Tensor] = {}
        if values and y is not None and y.requires_grad and y.numel() == 1:
            targets = [t for t in outputs.values()] + [p for p in order if type(p) is Tensor]
            with s.final_pass():
                gs = grad(y, targets, retain_graph=True, allow_unused=True)
            for t, g in zip(targets, gs, strict=True):
                if g is not None:
                    grads[id(t.grad_fn) if t.grad_fn is not None else id(t)] = g
        leaf_names = res.leaf_names
        node_names = res.node_names

        def row(i: int) -> GraphNode:
            obj = order[i]
            if type(obj) is Tensor:
                name = leaf_names.get(id(obj), (None,))[0]
                return GraphNode(
                    i, name, "leaf", None, obj.shape, _dtype_name(obj.dtype), True,
                    obj.requires_grad, None, None,
                    data(obj) if values else None,
                    data(grads[id(obj)]) if values and id(obj) in grads else None)
            out_t = outputs.get(obj)
            span = obj.span
            return GraphNode(
                i, node_names.get(obj), obj.op, obj.name,
                out_t.shape if out_t is not None else (),
                _dtype_name(out_t.dtype) if out_t is not None else "float32",
                False, True, getattr(span, "line", None), getattr(span, "column", None),
                data(out_t) if values and out_t is not None else None,
                data(grads[id(obj)]) if values and id(obj) in grads else None)

        edges = _edges(tape, ids)
        result_id = None
        if y is not None:
            key = id(y.grad_fn) if y.grad_fn is not None else id(y)
            result_id = ids.get(key)
        hint = None
        if not order:
            candidates = [n for n, v in res.variables.items()
                          if type(v) is Tensor and v.dtype.kind == "f"]
            example = f"--wrt {candidates[0]}" if candidates else "--wrt NAME"
            hint = (f"nothing requires grad: name an input with {example}, or create it with "
                    "requires_grad=True")
        def key(i: int) -> tuple[Any, ...]:
            obj = order[i]
            if type(obj) is Tensor:
                return ("leaf", None, None)
            span = obj.span
            return (obj.op, getattr(span, "line", None), getattr(span, "column", None))

        # Each row's node number (a leaf: its first consumer's), to place loop iterations.
        seqs = array("q", bytes(8 * len(order)))
        nxt = State.seq
        for i in range(len(order) - 1, -1, -1):
            if type(order[i]) is not Tensor:
                nxt = order[i].seq
            seqs[i] = nxt
        loops = _loops(program, res, seqs, False)
        return GraphResult(Rows(len(order), row, key, loops), edges, result_id, values,
                           out.getvalue(), hint)


def explain(source: Source, opts: AppOptions) -> ExplainResult:
    """`explain`: the backward pass node by node, then the control flow taken."""
    need_wrt(opts, "explain")
    frozen: list[bool] = []
    try:
        return _explain(source, opts, frozen)
    finally:
        if frozen:
            gc.unfreeze()


def _explain(source: Source, opts: AppOptions, frozen: list[bool]) -> ExplainResult:
    outputs: dict[Node, Tensor] = {}
    with session(opts, keep_buffers=True, on_record=outputs.__setitem__, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        # The tape stays alive through the observed backward pass, which allocates a
        # record per node: the collector skips the tape meanwhile (each collection would
        # rescan it all).
        gc.freeze()
        frozen.append(True)
        y = result_tensor(res)
        tape = res.tape or []
        ids, order = _numbering(tape)
        # One compact record per backward step (the node, its incoming gradient's array,
        # and per input: id, rule, cotangent array, accumulates, broadcast note); the step
        # rows are built from them when read.
        records: list[tuple[Node, Any, list[tuple[int, str, Any, bool, str | None]]]]
        records = []
        received: set[int] = set()

        rules: dict[tuple[Any, int, int], str] = {}  # "grad_a = grad · b" by rule and input

        def observe(node: Node, g: Tensor, cots: tuple[Any, ...]) -> None:
            flows = []
            parents = node.parents
            for k, (p, c) in enumerate(zip(parents, cots, strict=False)):
                if p is None or c is None:
                    continue
                pid = ids[id(p)]
                key = (node.rule, k, len(parents))
                rule = rules.get(key)
                if rule is None:
                    formula = node.rule.formula
                    rules[key] = rule = (f"grad_{_param(node, k)} = "
                                         + (formula[k] if k < len(formula)
                                            else f"vjp of {node.op}"))
                target = p if type(p) is Tensor else outputs.get(p)
                summed = None
                if target is not None and c.shape != target.shape:
                    c, summed = _unbroadcast(c, target.shape)
                flows.append((pid, rule, c.array, pid in received, summed))
                received.add(pid)
            records.append((node, g.array, flows))

        def label(i: int) -> str:
            obj = order[i]
            if type(obj) is Tensor:
                return res.leaf_names.get(id(obj), (None,))[0] or "leaf"
            name = res.node_names.get(obj)
            return f"{name} = {obj.op}" if name else obj.op

        def step(i: int) -> ExplainStep:
            node, g, flows = records[i]
            span = node.span
            me = ids[id(node)]
            return ExplainStep(me, label(me), node.op, node.name, getattr(span, "line", None),
                               getattr(span, "column", None), _data(g),
                               [ExplainFlow(pid, label(pid), rule, _data(c), acc, summed)
                                for pid, rule, c, acc, summed in flows])

        xs = [res.inputs[n] for n in opts.wrt]
        v = None
        if y.numel() != 1:
            v = ops.ones_like(y)
        captured: dict[int, Tensor] = {}
        if y.requires_grad:
            with s.final_pass():
                captured = run_backward([y], None if v is None else [v], True, False, xs,
                                        observe) or {}
        # Where the result does not depend on an input, its gradient is zero (as `eval` says).
        gs = or_zeros([captured.get(id(x)) for x in xs], xs)
        grads = {n: data(g) for n, g in zip(opts.wrt, gs, strict=True)}
        control = [_control_info(c) for c in res.control if c.evaluations or c.iterations]
        def key(i: int) -> tuple[Any, ...]:
            span = records[i][0].span
            return (records[i][0].op, getattr(span, "line", None), getattr(span, "column", None))

        loops = _loops(program, res, [r[0].seq for r in records], True)
        return ExplainResult(data(y), res.name, Rows(len(records), step, key, loops), grads,
                             control, out.getvalue())


def _loops(program: Any, res: Any, seqs: Any, newest_first: bool) -> list[LoopRun] | None:
    """The loops the run went through, in the rows of a listing (see rows.loop_runs)."""
    names = [f"{c.kind} at line {c.span.line}" for c in res.control]
    return loop_runs(program.rt.loop_marks, names, seqs, newest_first)


_NAMES: dict[Any, str] = {}  # dtype -> its name: numpy's dtype.name is slow per row


def _dtype_name(dtype: np.dtype) -> str:
    name = _NAMES.get(dtype)
    if name is None:
        _NAMES[dtype] = name = dtypes.name_of(dtype)
    return name


def _data(a: np.ndarray) -> TensorData:
    """data() of a tensor's array, for one row of a long listing."""
    return TensorData(a.shape, _dtype_name(a.dtype), a)


def _unbroadcast(c: Tensor, shape: tuple[int, ...] | None) -> tuple[Tensor, str | None]:
    """A cotangent as its input receives it: summed over the dims broadcasting added or
    stretched (as the engine does), with those dims in words."""
    if shape is None or c.shape == tuple(shape):
        return c, None
    lead = c.ndim - len(shape)
    dims = [*range(lead), *(lead + i for i, n in enumerate(shape)
                             if n == 1 and c.shape[lead + i] != 1)]
    if lead < 0 or not dims:
        return c, None
    words = ", ".join(str(d) for d in dims)
    return (ops.sum_to(c, tuple(shape)),
            f"summed over dim{'s' if len(dims) > 1 else ''} {words} (broadcast)")


def _param(node: Node, k: int) -> str:
    names = "ab" if len(node.parents) == 2 else "x"
    if len(node.parents) > 2:
        return f"input{k}"
    return names[k] if k < len(names) else f"input{k}"


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


