"""Plain text for logs and CI: the table view's sections, without boxes or colour.

Each section is a heading line followed by lines indented two spaces::

    result y  shape=[2, 2]  dtype=float32
       1.   2.5
      -3.   0.125

Values are aligned on the decimal point (:mod:`gradcli.render.numbers`); a matrix is
its rows, a vector one row (folded at the width), higher ranks one block per
``[i, :, :]`` slice, and ``...`` marks what summarising left out. Given a width (a
terminal's), a matrix wider than it is printed as blocks of whole columns, each headed
by its column indices, each row led by its row index; without one (pipes, files) the
layout never depends on the width, so scripts see one matrix row a line. Sections are separated
by one blank line. The graph is a listing in creation order (a topological order), one
node per line with its inputs by number, so deep graphs stay readable.

This module never imports rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gradcli.ad.tensor_str import scalar_float_str
from gradcli.render.numbers import (
    Grid,
    Section,
    format_error,
    format_shape,
    inline_tensor,
    location,
    tensor_grids,
)
from gradcli.render.summary import Gap, counts
from gradcli.results import (
    CheckResult,
    DerivativeResult,
    ExplainResult,
    GoldenReport,
    GraphNode,
    GraphResult,
    TensorData,
    raw_step,
)

__all__ = [
    "check_verdict",
    "count",
    "golden_verdict",
    "graph_listing",
    "render_plain",
    "tensor_lines",
]

ELIDED = "..."
INDENT = "  "
DEFAULT_WIDTH = 100


def count(n: int, noun: str) -> str:
    """``1 node``, ``3 nodes``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- tensors


def _grid_lines(grid: Grid, indent: str, width: int | None) -> list[str]:
    rows = grid.rows
    elided = any(c is None for row in rows for c in row)
    w = max(grid.cell_width, len(ELIDED) if elided else 0)
    if grid.kind == "vector":
        # Fold one long row at the width so a 500-element gradient stays readable.
        cells = rows[0]
        per_line = max(((width or DEFAULT_WIDTH) - len(indent) + 2) // (w + 2), 1)
        rows = [cells[i : i + per_line] for i in range(0, len(cells), per_line)]
    elif width is not None and len(indent) + len(grid.col_labels) * (w + 2) - 2 > width:
        return _column_blocks(grid, indent, width)
    lines = []
    for row in rows:
        lines.append(indent + "  ".join((ELIDED if c is None else c).rjust(w) for c in row))
    return [line.rstrip() for line in lines]


def _column_blocks(grid: Grid, indent: str, width: int) -> list[str]:
    """A matrix too wide for ``width`` as blocks of whole columns, one after another, each
    headed by its column indices, every row led by its row index (as R prints matrices)."""
    labels = [ELIDED if lbl is None else lbl for lbl in grid.col_labels]
    w = max(grid.cell_width, *(len(lbl) for lbl in labels), len(ELIDED))
    row_labels = [ELIDED if lbl is None else lbl for lbl in grid.row_labels]
    lw = max(len(lbl) for lbl in row_labels)
    per_block = max((width - len(indent) - lw) // (w + 2), 1)
    lines: list[str] = []
    for start in range(0, len(labels), per_block):
        cols = range(start, min(start + per_block, len(labels)))
        lines.append(indent + " " * lw + "".join("  " + labels[j].rjust(w) for j in cols))
        for label, row in zip(row_labels, grid.rows, strict=True):
            cells = "".join("  " + (ELIDED if row[j] is None else row[j]).rjust(w) for j in cols)
            lines.append(indent + label.rjust(lw) + cells)
    return [line.rstrip() for line in lines]


def tensor_lines(
    td: TensorData, precision: int, width: int | None, indent: str = INDENT
) -> list[str]:
    """A tensor's values as indented, aligned lines."""
    grids = tensor_grids(td, precision)
    if not grids:
        return [indent + "(empty: no elements)"]
    lines: list[str] = []
    for g in grids:
        if g.kind == "elided":
            lines.append(indent + ELIDED)
        elif g.title is not None:
            lines.append(indent + g.title)
            lines.extend(_grid_lines(g, indent + INDENT, width))
        else:
            lines.extend(_grid_lines(g, indent, width))
    return lines


def _heading(title: str, td: TensorData) -> str:
    return f"{title}  shape={format_shape(td.shape)}  dtype={td.dtype}"


def section_lines(section: Section, precision: int, width: int | None) -> list[str]:
    """Heading, values and note of one tensor section."""
    lines = [_heading(section.title, section.tensor)]
    lines += tensor_lines(section.tensor, precision, width)
    if section.note:
        lines.append(f"{INDENT}({section.note})")
    return lines


def _output_lines(output: str) -> list[str]:
    return ["output (printed by the program)"] + [
        (INDENT + line).rstrip() for line in output.rstrip("\n").split("\n")
    ]


# --------------------------------------------------------------------------- views


def check_verdict(result: CheckResult) -> tuple[bool, str]:
    """The last line of a check: (ok, text)."""
    total = len(result.checks) + len(result.nodes)
    if result.ok:
        return True, (
            f"OK: {count(len(result.checks), 'input')} and "
            f"{count(len(result.nodes), 'node rule')} agree with finite differences"
        )
    where = [f"w.r.t. {c.wrt}" for c in result.checks if not c.ok] + [
        f"{n.op} ({n.grad_fn}) at line {location(n.line, n.column)}"
        for n in result.nodes
        if not n.ok
    ]
    detail = "; ".join(where) if where else "see above"
    return False, f"FAILED: {len(where)} of {total} checks disagree: {detail}"


def golden_verdict(report: GoldenReport) -> tuple[bool, str]:
    """The last line of a golden report: (ok, "OK: 3 passed, 1 updated")."""
    counts: dict[str, int] = {}
    for case in report.cases:
        key = "passed" if case.status == "pass" else case.status if case.ok else "failed"
        counts[key] = counts.get(key, 0) + 1
    order = ["passed", "updated", "failed"]
    parts = [f"{counts[k]} {k}" for k in order if k in counts]
    parts += [f"{v} {k}" for k, v in sorted(counts.items()) if k not in order]
    text = ", ".join(parts) if parts else "no tests found"
    return report.ok, ("OK: " if report.ok else "FAILED: ") + text


def _columns(rows: list[list[str]], indent: str = INDENT) -> list[str]:
    """Rows of text cells padded into left-aligned columns two spaces apart."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _check_blocks(result: CheckResult, precision: int, width: int | None) -> list[list[str]]:
    rows = [["wrt", "max_abs_error", "max_rel_error", "result"]]
    rows += [
        [
            c.wrt,
            format_error(c.max_abs_error),
            format_error(c.max_rel_error),
            "ok" if c.ok else "FAIL",
        ]
        for c in result.checks
    ]
    blocks = [
        [
            "check  autograd vs central finite differences (float64)  "
            f"rtol={result.rtol:g}  atol={result.atol:g}",
            *_columns(rows),
        ]
    ]
    for c in result.checks:
        if c.ok:
            continue
        for title, td in (("autograd", c.analytic), ("finite differences", c.numeric)):
            if td is not None:
                blocks.append(
                    section_lines(Section(f"{title} ∂out/∂{c.wrt}", td), precision, width)
                )
    if result.nodes:
        rows = [["#", "op", "grad_fn", "at", "max_abs_error", "max_rel_error", "result"]]
        rows += [
            [
                f"#{n.id}",
                n.op,
                n.grad_fn,
                location(n.line, n.column),
                format_error(n.max_abs_error),
                format_error(n.max_rel_error),
                "ok" if n.ok else "FAIL",
            ]
            for n in result.nodes
        ]
        blocks.append(["rule checks  each tape node's derivative rule on its own", *_columns(rows)])
    blocks.append([check_verdict(result)[1]])
    return blocks


def _step_lines(result: ExplainResult, y: str, precision: int, width: int | None = None
                ) -> Iterator[str]:
    """The backward pass, line by line as the steps are read (a long tape streams: a whole
    listing from the app is read as plain tuples, results.RawStep, from its columns)."""
    from gradcli.render.stream import raw_steps

    yield "backward pass  from the result back to the inputs, newest node first"
    steps = result.steps
    rows: Iterable[Any] = (raw_steps(steps) if getattr(steps, "block", None) is not None
                           else steps)
    for step in rows:
        if type(step) is Gap:
            yield from step.lines(width, INDENT)
            continue
        node, grad_fn, line, column, incoming, flows = (
            step if type(step) is tuple else raw_step(step))
        yield f"{INDENT}{node}  {grad_fn}  line {location(line, column)}"
        yield f"{INDENT * 2}incoming ∂{y}/∂node = {_value(incoming, precision)}"
        if not flows:
            yield f"{INDENT * 2}(no inputs need a gradient)"
        for to, rule, value, accumulates, summed in flows:
            how = "+=" if accumulates else "="
            note = "  (summed with an earlier gradient)" if accumulates else ""
            if summed:
                note += f"  ({summed})"
            yield (f"{INDENT * 2}{rule}  ->  {to} {how} "
                   f"{_value(value, precision)}{note}")


def _value(value: Any, precision: int) -> str:
    """inline_tensor of a RawStep value (a float: a 0-d float tensor's)."""
    if type(value) is float:
        return scalar_float_str(value, precision)
    return inline_tensor(value, precision)


def _explain_blocks(result: ExplainResult, precision: int, width: int | None
                    ) -> list[Iterable[str]]:
    y = result.result_name or "out"
    title = f"result {y}" if result.result_name else "result"
    blocks: list[Iterable[str]] = [section_lines(Section(title, result.result), precision,
                                                 width)]
    blocks.append(_step_lines(result, y, precision, width))
    for x, g in result.grads.items():
        note = f"what {y}.backward() leaves in {x}.grad"
        blocks.append(section_lines(Section(f"gradient ∂{y}/∂{x}", g, note), precision, width))
    if result.control:
        rows = [["at", "kind", "what happened", "depends on input?"]]
        rows += [
            [location(c.line, c.column), c.kind, c.summary, "yes" if c.depends_on_input else "no"]
            for c in result.control
        ]
        blocks.append(["control flow  what each if/while/for did on this run", *_columns(rows)])
    else:
        blocks.append(["control flow  none: no if/while/for ran"])
    return blocks


def _golden_blocks(report: GoldenReport) -> list[list[str]]:
    rows = [["status", "path"]]
    rows += [[c.status if c.ok else c.status.upper(), c.path] for c in report.cases]
    blocks = [["golden tests", *_columns(rows)]]
    for c in report.cases:
        if not c.ok and c.diff:
            diff = [(INDENT + line).rstrip() for line in c.diff.rstrip("\n").split("\n")]
            blocks.append([f"diff  {c.path}", *diff])
    blocks.append([golden_verdict(report)[1]])
    return blocks


# --------------------------------------------------------------------------- graph


def node_text(node: GraphNode, inputs: list[int]) -> str:
    """One graph node on one line: ``#3 y = mul(#1, #2)  MulBackward0  [2, 2] float32 ...``."""
    if node.is_leaf:
        parts = [f"#{node.id} {node.name or '(constant)'}", "leaf"]
        if node.requires_grad:
            parts.append("requires_grad")
    else:
        args = ", ".join(f"#{i}" for i in inputs)
        call = f"{node.op}({args})"
        parts = [f"#{node.id} {node.name} = {call}" if node.name else f"#{node.id} {call}"]
        if node.grad_fn:
            parts.append(node.grad_fn)
        elif not node.requires_grad:
            parts.append("(no grad)")
    parts.append(f"{format_shape(node.shape)} {node.dtype}")
    if node.line is not None:
        parts.append(f"line {location(node.line, node.column)}")
    return "  ".join(parts)


def graph_listing(result: GraphResult, precision: int) -> list[str]:
    """Every node in creation order, inputs by number, the result marked."""
    return list(graph_listing_lines(result, precision))


def graph_listing_lines(result: GraphResult, precision: int, width: int | None = None
                        ) -> Iterator[str]:
    """graph_listing line by line as the nodes are read (a long tape streams); edges that
    are not a list come grouped by the node that used them, in creation order, as the
    app records them. A summary's Gaps are lines where the nodes left out were."""
    total, shown = counts(result.nodes)
    head = f"graph  {count(total, 'node')} in creation order"
    if shown < total:
        head += f" ({shown:,} shown)"
    if result.result_id is not None:
        head += f", result #{result.result_id}"
    yield head
    by_node: dict[int, list[int]] | None = None
    if isinstance(result.edges, list):  # any order
        by_node = {}
        for src, dst in result.edges:
            by_node.setdefault(dst, []).append(src)
    edges = iter(result.edges)
    edge = next(edges, None)
    for node in result.nodes:
        if type(node) is Gap:
            yield from node.lines(width, INDENT)
            continue
        if by_node is not None:
            inputs = by_node.get(node.id, [])
        else:
            inputs = []
            while edge is not None and edge[1] <= node.id:
                if edge[1] == node.id:
                    inputs.append(edge[0])
                edge = next(edges, None)
        line = INDENT + node_text(node, inputs)
        if node.id == result.result_id:
            line += "  <- result"
        yield line
        if result.show_values:
            extra = []
            if node.value is not None:
                extra.append(f"value {inline_tensor(node.value, precision)}")
            if node.grad is not None:
                extra.append(f"grad {inline_tensor(node.grad, precision)}")
            if extra:
                yield INDENT * 3 + "  ".join(extra)
    if not result.nodes:
        yield INDENT + "(no tensors were recorded)"
        if result.hint:
            yield f"hint: {result.hint}"


# --------------------------------------------------------------------------- entry point


def render_plain(result: object, *, precision: int = 4, width: int | None = None) -> str:
    """A result as plain aligned text (no trailing newline).

    With a ``width`` (a terminal's), matrices wider than it wrap into blocks of columns
    labelled with their indices; without one (pipes and files) every matrix row is one
    line. Vectors fold at the width (100 without one) either way; output that fits is
    the same at every width."""
    return "\n\n".join("\n".join(b) for b in plain_blocks(result, precision, width))


def plain_blocks(result: object, precision: int = 4, width: int | None = None
                 ) -> list[Iterable[str]]:
    """The blocks of a result's plain text, separated by a blank line; a long listing's
    block is read line by line (stream it: see render.stream)."""
    w = width
    blocks: list[Iterable[str]]
    if isinstance(result, DerivativeResult):
        blocks = [section_lines(s, precision, w) for s in result.sections()]
    elif isinstance(result, CheckResult):
        blocks = _check_blocks(result, precision, w)
    elif isinstance(result, ExplainResult):
        blocks = _explain_blocks(result, precision, w)
    elif isinstance(result, GoldenReport):
        blocks = _golden_blocks(result)
    elif isinstance(result, GraphResult):
        blocks = [graph_listing_lines(result, precision, w)]
    elif isinstance(result, TensorData):
        blocks = [section_lines(Section("value", result), precision, w)]
    else:
        raise TypeError(f"no plain view for {type(result).__name__}")
    output = getattr(result, "output", "")
    if output:
        blocks.insert(0, _output_lines(output))
    return blocks
