"""`graph` and `explain`: the tape as numbered nodes, and the backward pass step by step."""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.autograd import grad
from gradcli.ad.engine import run_backward
from gradcli.ad.functional import or_zeros
from gradcli.ad.tensor import Node, State, Tensor
from gradcli.app.inputs import AppOptions
from gradcli.app.rows import LoopRun, Rows, loop_runs
from gradcli.app.running import compile_program, data, need_wrt, result_tensor, session
from gradcli.app.steps import StepLog
from gradcli.results import (
    ControlFlowInfo,
    ExplainResult,
    GraphNode,
    GraphResult,
)
from gradcli.source import Source


class Numbering:
    """Numbers in creation order for a tape's nodes and leaves, each leaf just before its
    first consumer (`order[k]` is the node or leaf numbered k). A node's number is read
    through its seq when the tape's seqs run without a gap (an array: no lookup in a dict
    of 10⁵ entries, which misses the cache every time), else from a dict."""

    def __init__(self, tape: list[Node]) -> None:
        self.order: list[Any] = []
        self.leaves: dict[int, int] = {}
        self.base = tape[0].seq if tape else 0
        self.pos = array("q")  # tape index -> number
        order, leaves, pos, base = self.order, self.leaves, self.pos, self.base
        gap = False
        for i, node in enumerate(tape):
            for p in node.parents:
                if p is not None and type(p) is Tensor and id(p) not in leaves:
                    leaves[id(p)] = len(order)
                    order.append(p)
            pos.append(len(order))
            order.append(node)
            if node.seq != base + i:
                gap = True
        self.nodes: dict[int, int] | None = None
        if gap:
            self.nodes = {id(node): pos[i] for i, node in enumerate(tape)}

    def function(self) -> Callable[[Any], int]:
        """number(obj) of a node on the tape or a leaf of it."""
        leaves = self.leaves
        nodes = self.nodes
        if nodes is not None:
            return lambda o: leaves[id(o)] if type(o) is Tensor else nodes[id(o)]
        pos, base = self.pos, self.base
        return lambda o: leaves[id(o)] if type(o) is Tensor else pos[o.seq - base]

    def by_seq(self) -> tuple[array[int], int, dict[int, int]] | None:
        """(pos, base, leaves) when a node's number is pos[node.seq - base] (no gap), for
        callers that read numbers inline; else None."""
        return None if self.nodes is not None else (self.pos, self.base, self.leaves)

    def get(self, obj: Any) -> int | None:
        """The number of obj (a node or a leaf), None when it is not on the tape."""
        if type(obj) is Tensor:
            return self.leaves.get(id(obj))
        if self.nodes is not None:
            return self.nodes.get(id(obj))
        k = getattr(obj, "seq", -1) - self.base
        if 0 <= k < len(self.pos) and self.order[self.pos[k]] is obj:
            return self.pos[k]
        return None


def _edges(tape: list[Node], number: Callable[[Any], int]) -> Rows[tuple[int, int]]:
    """(input id, node id) once per use, in recording order, held as two int arrays."""
    src = array("q")
    dst = array("q")
    for node in tape:
        me = number(node)
        for p in node.parents:
            if p is not None:
                src.append(number(p))
                dst.append(me)
    return Rows(len(src), lambda k: (src[k], dst[k]))


class _Frozen:
    """Once the program ran (`freeze`), the collector skips everything alive, the tape
    above all, and pauses: a view walks the tape and allocates (explain's backward pass
    keeps a tuple per node), and every collection would rescan it all (10⁶ objects for a
    10⁵-iteration loop) for no garbage. Undone on exit."""

    def __enter__(self) -> _Frozen:
        self.on = False
        self.enabled = gc.isenabled()
        return self

    def freeze(self) -> None:
        gc.freeze()
        gc.disable()
        self.on = True

    def __exit__(self, *exc: object) -> None:
        if self.on:
            gc.unfreeze()
            if self.enabled:
                gc.enable()


def graph(source: Source, opts: AppOptions, values: bool = False) -> GraphResult:
    """`graph`: every tape node, with names, PyTorch names, shapes and source positions
    (the node rows are built as they are read)."""
    with _Frozen() as frozen:
        return _graph(source, opts, values, frozen)


def _graph(source: Source, opts: AppOptions, values: bool, frozen: _Frozen) -> GraphResult:
    outputs: dict[Node, Tensor] = {}
    with session(opts, keep_buffers=True, on_record=outputs.__setitem__, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        frozen.freeze()
        tape = res.tape or []
        numbering = Numbering(tape)
        order = numbering.order
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

        def fields(i: int) -> tuple[Any, ...]:
            obj = order[i]
            if type(obj) is Tensor:
                name = leaf_names.get(id(obj), (None,))[0]
                return (i, name, "leaf", None, obj.shape, _dtype_name(obj.dtype), True,
                        obj.requires_grad, None, None,
                        data(obj) if values else None,
                        data(grads[id(obj)]) if values and id(obj) in grads else None)
            out_t = outputs.get(obj)
            span = obj.span
            return (i, node_names.get(obj), obj.rule.name, obj.name,
                    out_t.shape if out_t is not None else (),
                    _dtype_name(out_t.dtype) if out_t is not None else "float32",
                    False, True, getattr(span, "line", None), getattr(span, "column", None),
                    data(out_t) if values and out_t is not None else None,
                    data(grads[id(obj)]) if values and id(obj) in grads else None)

        def row(i: int) -> GraphNode:
            return GraphNode(*fields(i))

        edges = _edges(tape, numbering.function())
        result_id = None
        if y is not None:
            result_id = numbering.get(y.grad_fn if y.grad_fn is not None else y)
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

        end = State.seq

        def loops() -> list[LoopRun] | None:
            # Each row's node number (a leaf: its first consumer's), to place iterations.
            seqs = array("q", bytes(8 * len(order)))
            nxt = end
            for i in range(len(order) - 1, -1, -1):
                if type(order[i]) is not Tensor:
                    nxt = order[i].seq
                seqs[i] = nxt
            return _loops(program, res, seqs, False)

        return GraphResult(Rows(len(order), row, key, loops, fields=fields), edges, result_id,
                           values,
                           out.getvalue(), hint)


def explain(source: Source, opts: AppOptions) -> ExplainResult:
    """`explain`: the backward pass node by node, then the control flow taken."""
    need_wrt(opts, "explain")
    with _Frozen() as frozen:
        return _explain(source, opts, frozen)


def _explain(source: Source, opts: AppOptions, frozen: _Frozen) -> ExplainResult:
    with session(opts, keep_buffers=True, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        frozen.freeze()
        y = result_tensor(res)
        tape = res.tape or []
        numbering = Numbering(tape)
        order = numbering.order
        leaf_names, node_names = res.leaf_names, res.node_names

        def labels(ks: Sequence[int]) -> list[str]:
            return [(leaf_names.get(id(o), _NO_NAME)[0] or "leaf") if type(o) is Tensor
                    else f"{name} = {o.rule.name}" if (name := node_names.get(o))
                    else o.rule.name
                    for o in map(order.__getitem__, ks)]

        # One step per backward node, its numbers kept in flat columns (see app.steps).
        log = StepLog(numbering.function(), len(order), labels, numbering.by_seq())
        xs = [res.inputs[n] for n in opts.wrt]
        v = None
        if y.numel() != 1:
            v = ops.ones_like(y)
        captured: dict[int, Tensor] = {}
        if y.requires_grad:
            with s.final_pass():
                captured = run_backward([y], None if v is None else [v], True, False, xs,
                                        log.observer()) or {}
        # Where the result does not depend on an input, its gradient is zero (as `eval` says).
        gs = or_zeros([captured.get(id(x)) for x in xs], xs)
        grads = {n: data(g) for n, g in zip(opts.wrt, gs, strict=True)}
        control = [_control_info(c) for c in res.control if c.evaluations or c.iterations]
        def loops() -> list[LoopRun] | None:
            return _loops(program, res, [order[k].seq for k in log.me], True)

        return ExplainResult(data(y), res.name, log.rows(order, loops), grads, control,
                             out.getvalue())


_NO_NAME = (None,)


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


