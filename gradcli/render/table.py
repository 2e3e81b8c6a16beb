"""Rich tables and trees for people: the default ``--format table`` view.

Each tensor gets a heading line (``gradient ∂y/∂x  ·  shape [4]  ·  float32``), a boxed
grid of its values (column indices on top, row indices at the left, one grid per
``[i, :, :]`` slice above rank 2), and a dim note saying what it means. Numbers follow
:mod:`gradcli.render.numbers`. Grids wider than the console keep their first and last
columns with ``…`` between them and a note naming the columns left out (``--format
json`` has everything); every other table is fitted by ``console.fit_to_width``, so no
number is ever cut.

Importing this module imports rich; :mod:`gradcli.render` only does so for tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gradcli.render.console import DEFAULT_WIDTH, render_to_text
from gradcli.render.numbers import (
    Grid,
    Section,
    elide_columns,
    elision_note,
    format_error,
    format_shape,
    inline_tensor,
    location,
    tensor_grids,
    wrap_vector,
)
from gradcli.render.plain import check_verdict, count, golden_verdict
from gradcli.render.summary import Gap, counts
from gradcli.results import (
    CheckResult,
    DerivativeResult,
    ExplainResult,
    GoldenReport,
    GraphNode,
    GraphResult,
    TensorData,
)

__all__ = ["render_table", "render_tree"]

# Styles only show with colour on; with colour off the console has no colour system.
HEADING = "bold"
META = "dim"
NOTE = "dim italic"
INDEX = "dim"
OK = "bold green"
BAD = "bold red"
ROW_ELIDED = "⋮"
COL_ELIDED = "…"


# --------------------------------------------------------------------------- tensors


def _heading(title: str, td: TensorData | None = None) -> Text:
    text = Text().append(title, style=HEADING)
    if td is not None:
        text.append(f"  ·  shape {format_shape(td.shape)}  ·  {td.dtype}", style=META)
    return text


def _grid_table(grid: Grid, width: int) -> tuple[Table, list[str | None] | None]:
    """A boxed grid, and the column labels it kept if the width made it drop some (else
    None); too-wide vectors fold into rows, too-wide matrices lose middle columns."""
    label_w = max((len(lbl) for lbl in grid.row_labels if lbl), default=0)
    if grid.kind == "vector":
        cell_w = max(grid.cell_width, max(len(c or "") for c in grid.col_labels))
        per_row = max((width - 1 - (len(str(len(grid.col_labels))) + 3)) // (cell_w + 3), 1)
        grid = wrap_vector(grid, per_row)
        label_w = max((len(lbl) for lbl in grid.row_labels if lbl), default=0)
    cell_w = max([grid.cell_width, *(len(c or "") for c in grid.col_labels)])
    fit = (width - 1 - ((label_w + 3) if label_w else 0)) // (cell_w + 3)
    kept: list[str | None] | None = None
    if len(grid.col_labels) > fit:
        grid = elide_columns(grid, max(fit - 1, 2))
        kept = grid.col_labels

    # Cells arrive decimal-aligned; pad everything to the column width ourselves, because
    # rich's right-justify strips the trailing spaces that line the decimal points up.
    col_w = max([grid.cell_width, *(len(c or "") for c in grid.col_labels)])
    table = Table(box=box.ROUNDED, show_header=grid.kind != "scalar", header_style=INDEX)
    has_labels = any(grid.row_labels)
    if has_labels:
        table.add_column("", style=INDEX, no_wrap=True)
    n_cols = max(len(grid.col_labels), 1)
    for j in range(n_cols):
        label = grid.col_labels[j] if grid.col_labels else ""
        table.add_column((COL_ELIDED if label is None else label).rjust(col_w), no_wrap=True)
    for label, row in zip(grid.row_labels or [""], grid.rows, strict=True):
        row_elided = all(c is None for c in row)
        cells = [
            ((ROW_ELIDED if row_elided else COL_ELIDED) if c is None else c).rjust(col_w)
            for c in row
        ]
        if has_labels:
            cells = [(ROW_ELIDED if label is None else label).rjust(label_w), *cells]
        table.add_row(*cells)
    return table, kept


def tensor_block(td: TensorData, precision: int, width: int) -> RenderableType:
    """A tensor's values as a grid (or one grid per trailing 2-D slice), with a note
    naming the columns the width left out."""
    grids = tensor_grids(td, precision)
    if not grids:
        return Text("(empty: no elements)", style=NOTE)
    parts: list[RenderableType] = []
    kept: list[str | None] | None = None
    for g in grids:
        if g.kind == "elided":
            parts.append(Text(ROW_ELIDED, style=INDEX))
            continue
        if g.title is not None:
            parts.append(Text(g.title, style=INDEX))
        table, kept_here = _grid_table(g, width)
        parts.append(table)
        kept = kept_here or kept  # every slice of a tensor keeps the same columns
    if kept is not None:
        n = td.shape[-1]
        seen = {int(lbl) for lbl in kept if lbl is not None}
        parts.append(Text(elision_note([i for i in range(n) if i not in seen], n), style=NOTE))
    return parts[0] if len(parts) == 1 else Group(*parts)


def section_block(section: Section, precision: int, width: int) -> RenderableType:
    """Heading, values and the dim note of one tensor section."""
    parts: list[RenderableType] = [
        _heading(section.title, section.tensor),
        tensor_block(section.tensor, precision, width),
    ]
    if section.note:
        parts.append(Text(section.note, style=NOTE))
    return Group(*parts)


def _spaced(blocks: Iterable[RenderableType]) -> list[RenderableType]:
    """Blocks with one blank line between them."""
    out: list[RenderableType] = []
    for b in blocks:
        if out:
            out.append(Text(""))
        out.append(b)
    return out


def _output_block(output: str, width: int) -> RenderableType:
    # Folded at spaces only: a word or number longer than the width stays whole.
    lines = [
        "  " + piece.plain
        for line in output.rstrip("\n").split("\n")
        for piece in fold_line(Text(line), width - 2)
    ]
    return Group(
        Text().append("output", style=HEADING).append("  ·  printed by the program", style=META),
        Text("\n".join(lines), no_wrap=True, overflow="ignore"),
    )


# --------------------------------------------------------------------------- views


def _ok_text(ok: bool, good: str = "ok", bad: str = "FAIL") -> Text:
    return Text(good, style=OK) if ok else Text(bad, style=BAD)


def _check_blocks(result: CheckResult, precision: int, width: int) -> list[RenderableType]:
    blocks: list[RenderableType] = []
    inputs = Table(box=box.ROUNDED, header_style=HEADING)
    for name in ("wrt", "max abs error", "max rel error", "result"):
        inputs.add_column(name, justify="right" if "error" in name else "left", min_width=4)
    for item in result.checks:
        inputs.add_row(
            item.wrt,
            format_error(item.max_abs_error),
            format_error(item.max_rel_error),
            _ok_text(item.ok),
        )
    blocks.append(
        Group(
            Text()
            .append("check", style=HEADING)
            .append("  ·  autograd vs central finite differences (float64)", style=META),
            inputs,
            Text(
                f"tolerance: |error| ≤ atol + rtol·|numeric|, "
                f"rtol {result.rtol:g}, atol {result.atol:g}",
                style=NOTE,
            ),
        )
    )
    for item in result.checks:
        if item.ok:
            continue
        for title, td in (("autograd", item.analytic), ("finite differences", item.numeric)):
            if td is not None:
                blocks.append(
                    section_block(Section(f"{title} ∂out/∂{item.wrt}", td), precision, width)
                )
    if result.nodes:
        nodes = Table(box=box.ROUNDED, header_style=HEADING)
        for name, justify, min_width in (
            ("#", "right", 2),
            ("op", "left", 4),
            ("grad_fn", "left", 6),
            ("at", "left", 3),
            ("max abs error", "right", 8),
            ("max rel error", "right", 8),
            ("result", "left", 4),
        ):
            # On a narrow terminal headers and names wrap; no column shrinks below its values.
            nodes.add_column(name, justify=justify, min_width=min_width)  # type: ignore[arg-type]
        for n in result.nodes:
            nodes.add_row(
                f"#{n.id}",
                n.op,
                n.grad_fn,
                location(n.line, n.column),
                format_error(n.max_abs_error),
                format_error(n.max_rel_error),
                _ok_text(n.ok),
            )
        blocks.append(
            Group(
                Text()
                .append("rule checks", style=HEADING)
                .append("  ·  each tape node's derivative rule on its own", style=META),
                nodes,
            )
        )
    blocks.append(_verdict(result))
    return blocks


def _verdict(result: CheckResult) -> Text:
    ok, line = check_verdict(result)
    return Text(line, style=OK if ok else BAD)


def _explain_blocks(result: ExplainResult, precision: int, width: int) -> list[RenderableType]:
    y = result.result_name or "out"
    blocks: list[RenderableType] = [
        section_block(
            Section(f"result {y}" if result.result_name else "result", result.result),
            precision,
            width,
        )
    ]
    steps = Table(box=box.ROUNDED, header_style=HEADING)
    # Everything may wrap, values most readily: on a narrow terminal no column vanishes.
    steps.add_column("node", min_width=8)
    steps.add_column(f"incoming ∂{y}/∂node", min_width=8)
    steps.add_column("rule", min_width=8)
    steps.add_column("sends to", min_width=6)
    steps.add_column("value sent", min_width=8)
    for step in result.steps:
        if type(step) is Gap:  # steps a summary left out: a row where they were
            ids = f"#{step.first}–#{step.last}" if step.first != step.last else f"#{step.first}"
            steps.add_row(Text(f"… {ids}\nnot shown", style=INDEX), "",
                          Text(step.about or step.text, style=NOTE), "", "",
                          end_section=True)
            continue
        node = Text().append(f"#{step.id} ", style=INDEX).append(step.label)
        node.append(f"\n{step.grad_fn}  {location(step.line, step.column)}", style=META)
        incoming = inline_tensor(step.incoming, precision)
        if not step.flows:
            note = Text("(no input needs a gradient)", style=NOTE)
            steps.add_row(node, incoming, note, "", "", end_section=True)
            continue
        for k, flow in enumerate(step.flows):
            to = Text().append(f"#{flow.to_id} ", style=INDEX).append(flow.to_label)
            if flow.accumulates:
                to.append("  += sum", style="yellow")
            sent = Text(inline_tensor(flow.value, precision))
            if flow.summed:
                sent.append(f"\n{flow.summed}", style=NOTE)
            steps.add_row(
                node if k == 0 else "",
                incoming if k == 0 else "",
                flow.rule,
                to,
                sent,
                end_section=k == len(step.flows) - 1,
            )
    blocks.append(
        Group(
            Text()
            .append("backward pass", style=HEADING)
            .append("  ·  from the result back to the inputs, newest node first", style=META),
            steps,
            *([Text("+= sum: the input already got a gradient from another use; the two are "
                    "added", style=NOTE)]
              if any(f.accumulates for step in result.steps if type(step) is not Gap
                     for f in step.flows) else []),
        )
    )
    for x, g in result.grads.items():
        blocks.append(
            section_block(
                Section(f"gradient ∂{y}/∂{x}", g, f"what {y}.backward() leaves in {x}.grad"),
                precision,
                width,
            )
        )
    if result.control:
        flow_table = Table(box=box.ROUNDED, header_style=HEADING)
        flow_table.add_column("at", no_wrap=True)
        flow_table.add_column("kind", no_wrap=True)
        flow_table.add_column("what happened")
        flow_table.add_column("depends on input?")
        for c in result.control:
            flow_table.add_row(
                location(c.line, c.column),
                c.kind,
                c.summary,
                Text("yes", style="yellow") if c.depends_on_input else Text("no"),
            )
        blocks.append(
            Group(
                Text()
                .append("control flow", style=HEADING)
                .append("  ·  what each if/while/for did on this run", style=META),
                flow_table,
                Text(
                    "only the path taken is differentiated; an input-dependent condition "
                    "can switch paths",
                    style=NOTE,
                ),
            )
        )
    else:
        blocks.append(
            Text()
            .append("control flow", style=HEADING)
            .append("  ·  none: no if/while/for ran", style=META)
        )
    return blocks


def _golden_blocks(report: GoldenReport) -> list[RenderableType]:
    table = Table(box=box.ROUNDED, header_style=HEADING)
    table.add_column("status", no_wrap=True)
    table.add_column("path")
    styles = {"pass": OK, "updated": "bold yellow"}
    for case in report.cases:
        status = case.status if case.ok else case.status.upper()
        table.add_row(Text(status, style=styles.get(case.status, BAD)), case.path)
    blocks: list[RenderableType] = [Group(Text("golden tests", style=HEADING), table)]
    for case in report.cases:
        if case.ok or not case.diff:
            continue
        diff = Text()
        for line in case.diff.rstrip("\n").split("\n"):
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
            diff.append(line + "\n", style=style)
        diff.rstrip()
        blocks.append(Group(Text(f"diff  {case.path}", style=HEADING), diff))
    ok, line = golden_verdict(report)
    blocks.append(Text(line, style=OK if ok else BAD))
    return blocks


# --------------------------------------------------------------------------- graph tree


def _node_label(node: GraphNode, precision: int, show_values: bool,
                T: Any = Text) -> list[Text]:
    """A node's line (``#3 y = mul  MulBackward0  [2, 2] float32  line 4:5``), then values
    (as `T`: rich's Text, or _PlainText where no colour is drawn)."""
    text = T().append(f"#{node.id} ", style=INDEX)
    if node.is_leaf:
        text.append(node.name or "(constant)", style=HEADING)
        text.append("  leaf", style="green")
        if node.requires_grad:
            text.append("  requires_grad", style="yellow")
    else:
        if node.name:
            text.append(node.name, style=HEADING).append(" = ")
        text.append(node.op, style="cyan")
        if node.grad_fn:
            text.append(f"  {node.grad_fn}", style="magenta")
        elif not node.requires_grad:
            text.append("  (no grad)", style=META)
    text.append(f"  {format_shape(node.shape)} {node.dtype}", style=META)
    if node.line is not None:
        text.append(f"  line {location(node.line, node.column)}", style=META)
    lines = [text]
    if show_values:
        parts = []
        if node.value is not None:
            parts.append(f"value {inline_tensor(node.value, precision)}")
        if node.grad is not None:
            parts.append(f"grad {inline_tensor(node.grad, precision)}")
        if parts:
            lines.append(T("  ".join(parts), style="blue"))
    return lines


def _ref_label(node: GraphNode, T: Any = Text) -> list[Text]:
    short = node.name or node.op
    return [T().append(f"{short} ", style=META).append(f"(see #{node.id})", style=INDEX)]


class _PlainText:
    """The part of rich's Text the tree uses, without styles: 10⁵ lines of an uncoloured
    tree are laid out without building rich objects (the same characters)."""

    __slots__ = ("plain",)

    def __init__(self, text: str = "", style: Any = None) -> None:
        self.plain = text

    def append(self, text: str, style: Any = None) -> _PlainText:
        self.plain += text
        return self

    def append_text(self, other: Any) -> _PlainText:
        self.plain += other.plain
        return self

    def __getitem__(self, cut: slice) -> _PlainText:
        return _PlainText(self.plain[cut])

    def rstrip(self) -> None:
        self.plain = self.plain.rstrip()


def fold_line(text: Text, width: int) -> list[Text]:
    """Break a one-line Text at spaces so each piece fits ``width``; a word longer than
    the width stays whole on its own line (a number is never cut)."""
    pieces: list[Text] = []
    width = max(width, 8)
    while len(text.plain) > width:
        lead = len(text.plain) - len(text.plain.lstrip(" "))  # indentation is not a break
        cut = text.plain.rfind(" ", lead + 1, width + 1)
        if cut <= lead:
            cut = text.plain.find(" ", max(width, lead + 1))
            if cut <= lead:
                break
        head, rest = text[:cut], text[cut:]
        head.rstrip()
        pieces.append(head)
        text = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
    pieces.append(text)
    return pieces


# Tree guides as rich draws them; drawn here because rich's Tree costs ~0.25 ms a line.
_FORK, _LAST, _PIPE, _SPACE = "├── ", "└── ", "│   ", "    "


class _TreeBuilder:
    """Lays the graph out as tree lines, expanding each node once and cutting deep chains."""

    def __init__(self, result: GraphResult, precision: int, width: int,
                 plain: bool = False) -> None:
        self.result = result
        self.T: Any = _PlainText if plain else Text  # plain: no colour is drawn
        self.precision = precision
        self.width = width
        nodes = result.nodes
        # A summary's Gaps: the nodes left out, told once where an input shown is among them.
        self.gaps: list[Gap] = []
        if isinstance(nodes, list) and any(type(n) is Gap for n in nodes):
            self.gaps = [n for n in nodes if type(n) is Gap]
            nodes = [n for n in nodes if type(n) is not Gap]
        self.nodes = nodes
        self.told: set[int] = set()  # gaps told (by index in self.gaps)
        # Numbered 0..n-1 in order (a whole tape): the sequence is its own index, read
        # node by node; otherwise (a summary's subset) a dict.
        in_order = not nodes or (nodes[0].id == 0 and nodes[-1].id == len(nodes) - 1)
        self.by_id: Any = nodes if in_order else {n.id: n for n in nodes}
        self.inputs: dict[int, list[int]] = {}
        self.consumed: set[int] = set()
        for src, dst in result.edges:
            self.inputs.setdefault(dst, []).append(src)
            self.consumed.add(src)
        for g in self.gaps:
            self.consumed.update(g.inputs)
        # Past this depth the guides eat the line: the subtree restarts as its own tree.
        self.max_depth = max(4, (width - 48) // 4)
        self.seen: set[int] = set()
        self.pending: list[int] = []

    def _emit(self, out: list[Text], label: list[Text], first: str, rest: str) -> None:
        for k, line in enumerate(label):
            prefix = first if k == 0 else rest
            for j, piece in enumerate(fold_line(line, self.width - len(prefix))):
                guide = prefix if k == 0 and j == 0 else rest
                # Text() then append: a Text's own style would tint the whole line.
                out.append(self.T().append(guide, style=INDEX).append_text(piece))

    def grow(self, root_id: int, continued: bool, out: list[Text]) -> None:
        """Lines of one tree from root_id; subtrees past the depth limit go to pending."""
        root = self.by_id[root_id]
        if continued:
            label = [
                self.T()
                .append(f"#{root.id} ", style=INDEX)
                .append(f"{root.name or root.op} (continued)", style=META)
            ]
        else:
            label = _node_label(root, self.precision, self.result.show_values, self.T)
        kids = self.inputs.get(root_id, [])
        # Continuation lines (values, folded text) sit under the label, as rich's Tree does.
        self._emit(out, label, "", "")
        self.seen.add(root_id)
        # An explicit stack, not recursion: a 10⁴-step loop makes a 10⁴-deep chain.
        stack = [(i, "", k == len(kids) - 1, 1) for k, i in reversed(list(enumerate(kids)))]
        while stack:
            node_id, prefix, last, depth = stack.pop()
            first = prefix + (_LAST if last else _FORK)
            inner = prefix + (_SPACE if last else _PIPE)
            if self.gaps and node_id not in self.by_id:
                label, kids = self._gap_label(node_id)
                self._emit(out, [label], first, inner)
                stack.extend((i, inner, k == len(kids) - 1, depth + 1)
                             for k, i in reversed(list(enumerate(kids))))
                continue
            node = self.by_id[node_id]
            if node_id in self.seen:
                self._emit(out, _ref_label(node, self.T), first, inner)
                continue
            self.seen.add(node_id)
            kids = self.inputs.get(node_id, [])
            label = _node_label(node, self.precision, self.result.show_values, self.T)
            self._emit(out, label, first, inner)
            if kids and depth >= self.max_depth:
                note = self.T(f"… inputs of #{node_id} continue below", style=META)
                self._emit(out, [note], inner + _LAST, inner + _SPACE)
                self.pending.append(node_id)
                continue
            stack.extend(
                (i, inner, k == len(kids) - 1, depth + 1)
                for k, i in reversed(list(enumerate(kids)))
            )

    def _gap_label(self, node_id: int) -> tuple[Text, list[int]]:
        """An input a summary left out: the first time its gap's line and the gap's own
        inputs shown (under it), then a reference."""
        k = next((k for k, g in enumerate(self.gaps) if g.holds(node_id)), None)
        if k is None:
            return self.T(f"#{node_id} (not shown)", style=META), []
        if k in self.told:
            return self.T(f"#{node_id} (not shown: in #{self.gaps[k].first}–"
                          f"#{self.gaps[k].last})", style=META), []
        self.told.add(k)
        return self.T(self.gaps[k].text, style=NOTE), list(self.gaps[k].inputs)

    def untold(self, out: list[Text]) -> None:
        """The gaps no input shown led to, newest first, each with its inputs."""
        for k in range(len(self.gaps) - 1, -1, -1):
            if k in self.told:
                continue
            self.told.add(k)
            out.append(Text(""))
            self._emit(out, [self.T(self.gaps[k].text, style=NOTE)], "", "")
            kids = [i for i in self.gaps[k].inputs if i not in self.seen]
            self.forest(kids, out)

    def forest(self, roots: Iterable[int], out: list[Text]) -> None:
        """Trees for each root not yet shown, each followed by its cut-off continuations."""
        for r in roots:
            if r in self.seen:
                continue
            self.grow(r, False, out)
            while self.pending:
                self.grow(self.pending.pop(0), True, out)


def graph_lines(result: GraphResult, precision: int, width: int,
                out: Any = None, plain: bool = False) -> list[Text]:
    """The graph as tree lines from the result down to the leaves (each node expanded once);
    appended to `out` if given (anything with an append: a long tree streams); `plain`:
    lines that are only read as .plain (no colour)."""
    b = _TreeBuilder(result, precision, width, plain)
    out = [] if out is None else out
    total, shown = counts(result.nodes)
    nodes = count(total, "node") + (f" ({shown:,} shown)" if shown < total else "")
    out.append(
        Text()
        .append("graph", style=HEADING)
        .append(f"  ·  {nodes}, from the result down to the leaves", style=META)
    )
    if not result.nodes:
        out.append(Text("(no tensors were recorded)", style=NOTE))
        if result.hint:
            out.append(Text(f"hint: {result.hint}", style=NOTE))
        return out
    newest_first = (range(len(b.nodes) - 1, -1, -1) if not isinstance(b.by_id, dict)
                    else [n.id for n in reversed(b.nodes)])
    if result.result_id is not None and result.result_id in newest_first:
        roots = [result.result_id]
    else:
        roots = [i for i in newest_first if i not in b.consumed]
    b.forest(roots, out)
    b.untold(out)
    # Every node not under the result hangs below some unused sink: show those too.
    rest = [i for i in newest_first if i not in b.consumed and i not in b.seen]
    if rest:
        out.append(Text(""))
        out.append(
            Text()
            .append("also recorded", style=HEADING)
            .append("  ·  computed but not used by the result", style=META)
        )
        b.forest(rest, out)
    return out


# --------------------------------------------------------------------------- entry points


def render_table(
    result: object, *, precision: int = 4, width: int | None = None, color: bool = False
) -> str:
    """A result as rich tables (text, no trailing newline)."""
    w = width or DEFAULT_WIDTH
    blocks: list[RenderableType]
    if isinstance(result, DerivativeResult):
        blocks = [section_block(s, precision, w) for s in result.sections()]
    elif isinstance(result, CheckResult):
        blocks = _check_blocks(result, precision, w)
    elif isinstance(result, ExplainResult):
        blocks = _explain_blocks(result, precision, w)
    elif isinstance(result, GoldenReport):
        blocks = _golden_blocks(result)
    elif isinstance(result, GraphResult):
        return render_tree(result, precision=precision, width=width, color=color)
    elif isinstance(result, TensorData):
        blocks = [section_block(Section("value", result), precision, w)]
    else:
        raise TypeError(f"no table view for {type(result).__name__}")
    output = getattr(result, "output", "")
    if output:
        blocks.insert(0, _output_block(output, w))
    return render_to_text(_spaced(blocks), w, color)


def render_tree(
    result: GraphResult, *, precision: int = 4, width: int | None = None, color: bool = False
) -> str:
    """A graph as a tree from the result down to the leaves (text, no trailing newline)."""
    w = width or DEFAULT_WIDTH
    # Headings and notes fold like the tree's own lines (those fit already).
    lines = [piece for line in graph_lines(result, precision, w, plain=not color)
             for piece in fold_line(line, w)]
    if result.output:
        out_plain = render_to_text([_output_block(result.output, w)], w, color)
        head = out_plain + "\n\n"
    else:
        head = ""
    if not color:
        # Lines are laid out and folded already: without colour the text is just that.
        return head + "\n".join(line.plain.rstrip() for line in lines)
    body = Text("\n").join(lines)
    body.no_wrap = True
    return head + render_to_text([body], w, color)
