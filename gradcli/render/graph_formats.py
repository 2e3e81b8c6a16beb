"""The graph as Graphviz DOT and Mermaid text (never imports rich).

Both draw data flowing left to right like micrograd's pictures: one node per tensor,
in creation order, labelled ``#id name`` / ``op (GradFn)`` or ``leaf`` / ``shape dtype``
/ ``line L:C`` (plus ``value`` and ``grad`` with ``--values``); leaves are boxes, ops
rounded, leaves that require grad are shaded, the result has a double border; edges go
from each input to the node that used it, once per use (``x * x`` draws two), in the
order they were recorded. Output is deterministic: same graph, same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator

from gradcli.render.numbers import format_shape, inline_tensor, location
from gradcli.results import GraphNode, GraphResult

__all__ = ["dot_lines", "mermaid_lines", "node_label_lines", "render_dot", "render_mermaid"]

# Pale blue for "a parameter you differentiate with respect to": the usual picture.
_LEAF_FILL = "#dbeafe"


def node_label_lines(node: GraphNode, precision: int, show_values: bool) -> list[str]:
    """The label of one node, line by line (shared by DOT and Mermaid)."""
    head = f"#{node.id}" + (f" {node.name}" if node.name else "")
    if node.is_leaf:
        kind = "leaf, requires_grad" if node.requires_grad else "leaf"
    elif node.grad_fn:
        kind = f"{node.op} ({node.grad_fn})"
    else:
        kind = f"{node.op} (no grad)"
    lines = [head, kind, f"{format_shape(node.shape)} {node.dtype}"]
    if node.line is not None:
        lines.append(f"line {location(node.line, node.column)}")
    if show_values:
        if node.value is not None:
            lines.append(f"value {inline_tensor(node.value, precision)}")
        if node.grad is not None:
            lines.append(f"grad {inline_tensor(node.grad, precision)}")
    return lines


def _dot_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(result: GraphResult, *, precision: int = 4) -> str:
    """Graphviz ``digraph`` text (no trailing newline)."""
    return "\n".join(dot_lines(result, precision=precision))


def dot_lines(result: GraphResult, *, precision: int = 4) -> Iterator[str]:
    """render_dot line by line, as the nodes are read (a long tape streams)."""
    yield from (
        "digraph gradcli {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [color="#555555"];',
    )
    for n in result.nodes:
        lines = node_label_lines(n, precision, result.show_values)
        # DOT's own "\n" escape separates label lines; escape the text first, then join.
        label = '"' + "\\n".join(_dot_string(x)[1:-1] for x in lines) + '"'
        attrs = [f"label={label}", "shape=box" if n.is_leaf else 'shape=box, style="rounded"']
        if n.is_leaf and n.requires_grad:
            attrs.append(f'style=filled, fillcolor="{_LEAF_FILL}"')
        if n.id == result.result_id:
            attrs.append("peripheries=2")
        yield f"  n{n.id} [{', '.join(attrs)}];"
    for src, dst in result.edges:
        yield f"  n{src} -> n{dst};"
    yield "}"


def _mermaid_text(s: str) -> str:
    # Mermaid labels are quoted strings with HTML entities; a bare quote would end them.
    return s.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;").replace(">", "&gt;")


def render_mermaid(result: GraphResult, *, precision: int = 4) -> str:
    """Mermaid ``flowchart LR`` text (no trailing newline)."""
    return "\n".join(mermaid_lines(result, precision=precision))


def mermaid_lines(result: GraphResult, *, precision: int = 4) -> Iterator[str]:
    """render_mermaid line by line, as the nodes are read (a long tape streams)."""
    yield "flowchart LR"
    params = []
    has_result = False
    for n in result.nodes:
        label = "<br/>".join(
            _mermaid_text(x) for x in node_label_lines(n, precision, result.show_values)
        )
        if n.is_leaf:
            yield f'  n{n.id}["{label}"]'
            if n.requires_grad:
                params.append(f"n{n.id}")
        else:
            yield f'  n{n.id}("{label}")'
        has_result = has_result or n.id == result.result_id
    for src, dst in result.edges:
        yield f"  n{src} --> n{dst}"
    if params:
        yield f"  classDef param fill:{_LEAF_FILL}"
        yield f"  class {','.join(params)} param"
    if result.result_id is not None and has_result:
        yield "  classDef result stroke-width:3px"
        yield f"  class n{result.result_id} result"
