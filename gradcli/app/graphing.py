"""`graph` and `explain`: the tape as numbered nodes, and the backward pass step by step."""

from __future__ import annotations

from typing import Any

from gradcli.ad import dtypes, ops
from gradcli.ad.engine import grad, run_backward
from gradcli.ad.functional import or_zeros
from gradcli.ad.tensor import Node, Tensor
from gradcli.app.inputs import AppOptions
from gradcli.app.running import compile_program, data, need_wrt, result_tensor, session
from gradcli.interp import ProgramResult
from gradcli.results import (
    ControlFlowInfo,
    ExplainFlow,
    ExplainResult,
    ExplainStep,
    GraphNode,
    GraphResult,
)
from gradcli.source import Source


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
    outputs: dict[Node, Tensor] = {}
    with session(opts, keep_buffers=True, on_record=outputs.__setitem__, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        tape = res.tape or []
        ids, order = _numbering(tape)
        y = res.value if type(res.value) is Tensor else None
        grads: dict[int, Tensor] = {}
        if values and y is not None and y.requires_grad and y.numel() == 1:
            targets = [t for t in outputs.values()] + [p for p, _ in order if type(p) is Tensor]
            with s.final_pass():
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
                    data(obj) if values else None,
                    data(grads[id(obj)]) if values and id(obj) in grads else None))
            else:
                out_t = outputs.get(obj)
                span = obj.span
                nodes.append(GraphNode(
                    i, res.node_names.get(obj), obj.op, obj.name,
                    out_t.shape if out_t is not None else (),
                    dtypes.name_of(out_t.dtype) if out_t is not None else "float32",
                    False, True, getattr(span, "line", None), getattr(span, "column", None),
                    data(out_t) if values and out_t is not None else None,
                    data(grads[id(obj)]) if values and id(obj) in grads else None))
        edges = []
        for node in tape:
            for p in node.parents:
                if p is not None:
                    edges.append((ids[id(p)], ids[id(node)]))
        result_id = None
        if y is not None:
            key = id(y.grad_fn) if y.grad_fn is not None else id(y)
            result_id = ids.get(key)
        hint = None
        if not nodes:
            candidates = [n for n, v in res.variables.items()
                          if type(v) is Tensor and v.dtype.kind == "f"]
            example = f"--wrt {candidates[0]}" if candidates else "--wrt NAME"
            hint = (f"nothing requires grad: name an input with {example}, or create it with "
                    "requires_grad=True")
        return GraphResult(nodes, edges, result_id, values, out.getvalue(), hint)


def explain(source: Source, opts: AppOptions) -> ExplainResult:
    """`explain`: the backward pass node by node, then the control flow taken."""
    need_wrt(opts, "explain")
    outputs: dict[Node, Tensor] = {}
    with session(opts, keep_buffers=True, on_record=outputs.__setitem__, source=source) as s:
        program, out = compile_program(source, opts, record_tape=True, track_names=True)
        res = program.run()
        y = result_tensor(res)
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
                target = p if type(p) is Tensor else outputs.get(p)
                c, summed = _unbroadcast(c, target.shape if target is not None else None)
                flows.append(ExplainFlow(pid, labels.get(pid, ""),
                                         f"grad_{_param(node, k)} = {rule}", data(c),
                                         pid in received, summed))
                received.add(pid)
            span = node.span
            steps.append(ExplainStep(ids[id(node)], labels.get(ids[id(node)], ""), node.op,
                                     node.name, getattr(span, "line", None),
                                     getattr(span, "column", None), data(g), flows))

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
        return ExplainResult(data(y), res.name, steps, grads, control, out.getvalue())


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


