"""JSON for scripts: SPEC §2.2 shapes, stable key order, no NaN (never imports rich).

A TENSOR is ``{"shape": [...], "dtype": "float32", "value": nested lists or a number}``;
non-finite floats are the strings ``"nan"``, ``"inf"``, ``"-inf"`` (JSON has no NaN),
and so are non-finite error magnitudes in ``check``. Keys may be added, never renamed.
Every object carries ``"output"`` (the program's printed text) only when non-empty.

* ``eval``: ``{"result", "result_name", "grads": {"x": TENSOR}}``
* ``grad``: ``{"result", "result_name", "order", "derivatives": {"x": TENSOR}}``
* ``jvp``: ``{"result", "result_name", "jvp", "tangents": {"x": TENSOR}}``
* ``vjp``: ``{"result", "result_name", "vjp": {"x": TENSOR}, "cotangent"}``
* ``jacobian``: ``{"result", "result_name", "jacobian": {"x": TENSOR}}``
* ``check``: ``{"ok", "checks": [{"wrt", "max_abs_error", "max_rel_error", "ok"
  (, "analytic", "numeric")}], "nodes": [{"id", "op", "grad_fn", "line", "column", "ok",
  "max_abs_error", "max_rel_error"}], "rtol", "atol"}``
* ``graph``: ``{"nodes": [{"id", "name", "op", "grad_fn", "shape", "dtype", "is_leaf",
  "requires_grad", "line", "column" (, "value", "grad")}], "edges": [{"from", "to"}],
  "result_id"}`` -- ``value``/``grad`` are TENSORs, present with ``show_values``
  (``--values``) when recorded.
* ``explain``: the backward pass in order, then the gradients and the control flow::

      {"result": TENSOR, "result_name": "y",
       "steps": [{"id", "label", "op", "grad_fn", "line", "column",
                  "incoming": TENSOR,              # ∂out/∂node arriving at this node
                  "flows": [{"to", "to_label",      # the input it flows to
                             "rule",               # e.g. "grad_a = grad · b"
                             "value": TENSOR,      # the cotangent sent to that input
                             "accumulates"}]}],    # true: summed with an earlier one
       "grads": {"x": TENSOR},
       "control": [{"kind", "line", "column", "summary", "depends_on_input"}]}

* ``test``: ``{"ok", "updated", "cases": [{"path", "status", "diff"}]}`` (``ok`` per case
  is added too).
* errors: ``{"error": {"kind", "message", "file", "line", "column" (, "end_column",
  "hint", "extra")}}``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from gradcli.results import (
    CheckResult,
    DerivativeResult,
    ErrorInfo,
    ExplainResult,
    GoldenReport,
    GraphResult,
    Section,
    TensorData,
)

__all__ = ["dumps", "error_to_json", "graph_to_json", "json_float", "render_json", "to_json"]


def dumps(obj: dict[str, Any]) -> str:
    """The one JSON encoding: indent 2, no NaN, ASCII-only (safe on any stdout encoding)."""
    return json.dumps(obj, allow_nan=False, indent=2)


def json_float(v: float) -> float | str:
    """A float for JSON: non-finite values become strings like TensorData.to_json does."""
    v = float(v)
    if math.isfinite(v):
        return v
    return "nan" if v != v else ("inf" if v > 0 else "-inf")


def _tensors(d: dict[str, TensorData]) -> dict[str, Any]:
    return {k: t.to_json() for k, t in d.items()}


def _with_output(obj: dict[str, Any], output: str) -> dict[str, Any]:
    if output:
        obj["output"] = output
    return obj


def graph_to_json(result: GraphResult, lazy: bool = False) -> dict[str, Any]:
    """The graph's JSON object (nodes in creation order, edges from input to output);
    `lazy`: its lists are iterators, built as a streaming writer reads them."""
    nodes = (_graph_node(result, n) for n in result.nodes)
    edges = ({"from": src, "to": dst} for src, dst in result.edges)
    obj = {
        "nodes": nodes if lazy else list(nodes),
        "edges": edges if lazy else list(edges),
        "result_id": result.result_id,
    }
    if result.hint:
        obj["hint"] = result.hint
    return _with_output(obj, result.output)


def _graph_node(result: GraphResult, n: Any) -> dict[str, Any]:
    """One graph node's JSON object."""
    node: dict[str, Any] = {
        "id": n.id,
        "name": n.name,
        "op": n.op,
        "grad_fn": n.grad_fn,
        "shape": list(n.shape),
        "dtype": n.dtype,
        "is_leaf": n.is_leaf,
        "requires_grad": n.requires_grad,
        "line": n.line,
        "column": n.column,
    }
    # Like the other graph views, values appear only with --values (show_values).
    if result.show_values and n.value is not None:
        node["value"] = n.value.to_json()
    if result.show_values and n.grad is not None:
        node["grad"] = n.grad.to_json()
    return node


def error_to_json(info: ErrorInfo) -> dict[str, Any]:
    """``{"error": {...}}`` for an error."""
    err: dict[str, Any] = {
        "kind": info.kind,
        "message": info.message,
        "file": info.file,
        "line": info.line,
        "column": info.column,
    }
    if info.end_column is not None:
        err["end_column"] = info.end_column
    if info.hint:
        err["hint"] = info.hint
    if info.extra:
        # Round-trip through JSON so an odd value (a tuple, a numpy scalar) cannot break dumps.
        err["extra"] = json.loads(json.dumps(info.extra, default=str, allow_nan=False))
    if info.calls:
        err["calls"] = [dict(c) for c in info.calls]
    return {"error": err}


def to_json(result: object, lazy: bool = False) -> dict[str, Any]:
    """The JSON-ready dict for any result object (SPEC §2.2 key order); `lazy`: a graph's
    nodes and edges and explain's steps are iterators (for a streaming writer)."""
    if isinstance(result, DerivativeResult):
        obj: dict[str, Any] = {"result": result.result.to_json(),
                               "result_name": result.result_name}
        for f in result.fields:
            obj[f.key] = _field(f.value)
    elif isinstance(result, CheckResult):
        obj = _check(result)
    elif isinstance(result, GraphResult):
        return graph_to_json(result, lazy)
    elif isinstance(result, ExplainResult):
        obj = _explain(result, lazy)
    elif isinstance(result, GoldenReport):
        return {
            "ok": result.ok,
            "updated": result.updated,
            "cases": [
                {"path": c.path, "status": c.status, "diff": c.diff, "ok": c.ok}
                for c in result.cases
            ],
        }
    elif isinstance(result, ErrorInfo):
        return error_to_json(result)
    elif isinstance(result, TensorData):
        return result.to_json()
    else:
        raise TypeError(f"no JSON form for {type(result).__name__}")
    return _with_output(obj, getattr(result, "output", ""))


def _section_json(section: Section) -> dict[str, Any]:
    """A section's tensor, with "unused": true for an input the result does not use."""
    obj = section.tensor.to_json()
    if section.unused:
        obj["unused"] = True
    return obj


def _field(value: int | Section | dict[str, Section]) -> Any:
    if isinstance(value, Section):
        return _section_json(value)
    if isinstance(value, dict):
        return {x: _section_json(section) for x, section in value.items()}
    return value


def _check(result: CheckResult) -> dict[str, Any]:
    checks = []
    for c in result.checks:
        item: dict[str, Any] = {
            "wrt": c.wrt,
            "max_abs_error": json_float(c.max_abs_error),
            "max_rel_error": json_float(c.max_rel_error),
            "ok": c.ok,
        }
        if c.analytic is not None:
            item["analytic"] = c.analytic.to_json()
        if c.numeric is not None:
            item["numeric"] = c.numeric.to_json()
        checks.append(item)
    nodes = [
        {
            "id": n.id,
            "op": n.op,
            "grad_fn": n.grad_fn,
            "line": n.line,
            "column": n.column,
            "ok": n.ok,
            "max_abs_error": json_float(n.max_abs_error),
            "max_rel_error": json_float(n.max_rel_error),
        }
        for n in result.nodes
    ]
    obj = {"ok": result.ok, "checks": checks, "nodes": nodes}
    if result.checkable is not None and result.checkable > len(result.nodes):
        obj["nodes_checkable"] = result.checkable  # `nodes` is a sample of these
    return {**obj, "rtol": json_float(result.rtol), "atol": json_float(result.atol)}


def _explain(result: ExplainResult, lazy: bool = False) -> dict[str, Any]:
    steps = (
        {
            "id": s.id,
            "label": s.label,
            "op": s.op,
            "grad_fn": s.grad_fn,
            "line": s.line,
            "column": s.column,
            "incoming": s.incoming.to_json(),
            "flows": [
                {
                    "to": f.to_id,
                    "to_label": f.to_label,
                    "rule": f.rule,
                    "value": f.value.to_json(),
                    "accumulates": f.accumulates,
                    **({"summed": f.summed} if f.summed else {}),
                }
                for f in s.flows
            ],
        }
        for s in result.steps
    )
    control = [
        {
            "kind": c.kind,
            "line": c.line,
            "column": c.column,
            "summary": c.summary,
            "depends_on_input": c.depends_on_input,
        }
        for c in result.control
    ]
    return {
        "result": result.result.to_json(),
        "result_name": result.result_name,
        "steps": steps if lazy else list(steps),
        "grads": _tensors(result.grads),
        "control": control,
    }


def render_json(result: object) -> str:
    """A result as JSON text (no trailing newline)."""
    return dumps(to_json(result))
