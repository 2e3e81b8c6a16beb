"""Long listings written as they are produced: `graph` and `explain` on a long tape.

A 10⁵-iteration loop records 4·10⁵ nodes. Their JSON (always complete) and their plain
text under --full are written row by row through `write`, so memory stays flat in the
number of rows printed: the bytes are exactly those of the non-streaming renderers.
explain's table under --full is drawn here as rich draws it (rich lays a 4·10⁵-row table
out in minutes). Short listings, summaries and coloured tables go through `render`.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

import numpy as np

from gradcli.ad.tensor_str import scalar_float_str
from gradcli.render.summary import HEAD, TAIL, collector_paused, wrapped
from gradcli.results import (
    ExplainResult,
    GraphResult,
    RawStep,
    StepBlock,
    TensorData,
    numbered,
    raw_step,
    step_block,
)

_string = encode_basestring_ascii
_INF = float("inf")

__all__ = ["stream_result", "write_json"]


def _listing(result: object) -> int:
    """The rows of a graph's or explain's listing (0 for other results)."""
    if isinstance(result, GraphResult):
        return len(result.nodes)
    if isinstance(result, ExplainResult):
        return len(result.steps)
    return 0


def stream_result(result: object, fmt: str, write: Callable[[str], Any], *,
                  precision: int = 4, width: int | None = None, color: bool = False,
                  full: bool = False) -> bool:
    """Write a long graph or explain listing in `fmt` ("json", a graph's "dot" and
    "mermaid"; with `full`, "plain", explain's uncoloured "table" and a graph's uncoloured
    "tree") through `write`, ending in a newline, and say so; False (nothing written) for
    anything else."""
    if _listing(result) <= HEAD + TAIL:
        return False
    with collector_paused():
        return _stream(result, fmt, write, precision, width, color, full)


def _stream(result: object, fmt: str, write: Callable[[str], Any], precision: int,
            width: int | None, color: bool, full: bool) -> bool:
    if fmt in ("tree", "table") and full and not color and isinstance(result, GraphResult):
        from gradcli.render.console import DEFAULT_WIDTH, render_to_text
        from gradcli.render.table import _output_block, graph_lines
        from gradcli.render.tree_text import tree_writer

        w = width or DEFAULT_WIDTH
        if result.output:  # what the program printed, above the tree (as render_tree)
            write(render_to_text([_output_block(result.output, w)], w, False) + "\n\n")
        lines = _Lines(write, w)
        fast = tree_writer(result)
        if fast is not None:
            fast(w, lines)
        else:
            graph_lines(result, precision, w, lines, plain=True)
        lines.flush()
        write("\n")
        return True
    if fmt in ("dot", "mermaid") and isinstance(result, GraphResult):
        from gradcli.render.graph_formats import dot_lines, mermaid_lines

        _write_lines((dot_lines if fmt == "dot" else mermaid_lines)(result, precision=precision),
                     write)
        write("\n")
        return True
    if fmt == "json":
        from gradcli.render.json_out import to_json

        write_json(to_json(result, lazy=True), write)
        write("\n")
        return True
    if fmt == "table" and full and not color and isinstance(result, ExplainResult):
        _explain_table(result, write, precision, width)
        return True
    if fmt == "plain" and full:
        from gradcli.render.plain import plain_blocks

        for k, block in enumerate(plain_blocks(result, precision, width)):
            if k:
                write("\n\n")
            _write_lines(block, write)
        write("\n")
        return True
    return False


SAMPLE = 256  # steps from each end of the listing whose cells set the column widths


def _explain_table(result: ExplainResult, write: Callable[[str], Any], precision: int,
                   width: int | None) -> None:
    """explain's tables, the backward pass's streamed: drawn as rich draws it (rounded
    box, uncoloured), the column widths set by the first and last SAMPLE steps' cells (a
    longer cell further on folds within its column) and fitted to the width."""
    from gradcli.records import replace
    from gradcli.render.console import DEFAULT_WIDTH
    from gradcli.render.table import render_table

    w = width or DEFAULT_WIDTH
    around = render_table(replace(result, steps=[]), precision=precision, width=w).split("\n")
    at = next(i for i, line in enumerate(around) if line.startswith("backward pass"))
    top = next(i for i in range(at + 1, len(around)) if around[i].startswith("╭"))
    end = next(i for i in range(top, len(around)) if around[i].startswith("╰"))
    y = result.result_name or "out"
    heads = ["node", f"incoming ∂{y}/∂node", "rule", "sends to", "value sent"]
    steps = result.steps
    n = len(steps)
    sample = range(n) if n <= 2 * SAMPLE else [*range(SAMPLE), *range(n - SAMPLE, n)]
    widths = [max(len(h), m) for h, m in zip(heads, (8, 8, 8, 6, 8), strict=True)]
    for i in sample:
        for row in _step_rows(steps[i], precision):
            for k, cell in enumerate(row):
                widths[k] = max(widths[k], *(len(x) for x in cell))
    widths = _fit(widths, w)
    lines = _Lines(write)
    for line in around[:top]:
        lines.append_text(line)
    rule = "├" + "┼".join("─" * (c + 2) for c in widths) + "┤"
    lines.append_text("╭" + "┬".join("─" * (c + 2) for c in widths) + "╮")
    lines.append_text(_row([[h] for h in heads], widths)[0])
    # The steps' lines end in a border (nothing to strip): made and written many thousand
    # at a time, column by column (see _StepText.block_lines).
    text = _StepText(precision, widths)
    for block in step_blocks(steps):
        data = text.block_bytes(block, rule)
        if data is None:
            lines.extend_bordered(text.block_lines(block, rule))
        else:
            lines.extend_data(data)
    lines.append_text("╰" + "┴".join("─" * (c + 2) for c in widths) + "╯")
    if text.accumulates:
        legend = "+= sum: the input already got a gradient from another use; the two are added"
        for line in wrapped(legend, w).split("\n"):
            lines.append_text(line)
    for line in around[end + 1:]:
        lines.append_text(line)
    lines.flush()
    write("\n")


BLOCK = 8192  # steps drawn at a time


def step_blocks(steps: Sequence[Any]) -> Iterator[StepBlock]:
    """explain's steps, in order, as results.StepBlock columns of up to BLOCK steps: from
    the app's `block` when the listing has one (no step objects built), else from each
    step converted."""
    block = getattr(steps, "block", None)
    for lo in range(0, len(steps), BLOCK):
        hi = min(lo + BLOCK, len(steps))
        yield block(lo, hi) if block is not None else step_block(
            [raw_step(s) for s in steps[lo:hi]])


def raw_steps(steps: Sequence[Any]) -> Iterator[RawStep]:
    """explain's steps, in order, as results.RawStep tuples."""
    for block in step_blocks(steps):
        for i in range(len(block.node)):
            yield block.raw(i)


def _step_rows(step: Any, precision: int) -> list[list[list[str]]]:
    """One step's table rows, each a list of cells, each cell its lines."""
    from gradcli.render.numbers import inline_tensor, location

    node = [numbered(step.id, step.label), f"{step.grad_fn}  {location(step.line, step.column)}"]
    incoming = [inline_tensor(step.incoming, precision)]
    if not step.flows:
        return [[node, incoming, ["(no input needs a gradient)"], [""], [""]]]
    rows = []
    for k, f in enumerate(step.flows):
        to = numbered(f.to_id, f.to_label) + ("  += sum" if f.accumulates else "")
        sent = [inline_tensor(f.value, precision)] + ([f.summed] if f.summed else [])
        rows.append([node if k == 0 else [""], incoming if k == 0 else [""], [f.rule], [to],
                     sent])
    return rows


class _StepText:
    """_step_rows laid out by _row for a long listing, from RawStep tuples: the same lines,
    with the strings that repeat from step to step (a node's grad_fn and place, the line
    under a row) made once, and 0-d values formatted fast. `accumulates`: whether some
    flow so far was a sum (the table's legend)."""

    def __init__(self, precision: int, widths: list[int]) -> None:
        self.precision = precision
        self.places: dict[tuple[Any, Any, Any], tuple[str, str, bool]] = {}
        self.widths = widths
        self.form = _form(tuple(widths))
        cells = [f"%-{c}s" for c in widths]
        self.pct = "│ " + " │ ".join(cells) + " │"  # faster than form
        self.pct_bytes = self.pct.encode()
        # a row's line with its first two cells empty
        self.rest = ("│ " + " │ ".join([" " * widths[0], " " * widths[1], *cells[2:]])
                     + " │").encode()
        self.fixed = f"%.{precision}f"
        self.sci = f"%.{precision}e"
        self.fixed_bytes = self.fixed.encode()
        self.sci_bytes = self.sci.encode()
        self.recent: dict[float, str] = {}
        self.accumulates = False

    def lines(self, step: RawStep, out: list[str]) -> None:
        """The step's table lines, appended to `out`."""
        self.extend((step,), out.extend)

    def extend(self, steps: Iterable[RawStep], emit: Callable[[list[str]], Any],
               rule: str | None = None) -> None:
        """The steps' table lines, each step's after `rule` (the line between rows), handed
        to `emit` many thousand at a time: as _row draws each of a step's rows, a row whose
        cells all fit their columns without _row's general folding. One loop over all
        steps, its state in locals: 4·10⁵ steps make 10⁶ lines."""
        w0, w1, w2, w3, w4 = widths = self.widths
        pct, form = self.pct, self.form
        inline, recent, places = self.inline, self.recent, self.places
        out: list[str] = []
        append = out.append
        accumulates = False
        for node, grad_fn, line, column, incoming, flows in steps:
            if rule is not None:
                append(rule)
            place = places.get((grad_fn, line, column))
            if place is None:
                place = self._place(grad_fn, line, column)
            # a float's text is usually one made for a recent step (inline keeps them)
            inc = recent.get(incoming) if type(incoming) is float else None
            if inc is None:
                inc = inline(incoming)
            if not flows:
                out += _row([[node, place[0]], [inc], ["(no input needs a gradient)"], [""],
                             [""]], widths, form)
                continue
            head_fits = len(node) <= w0 and place[2] and len(inc) <= w1
            first = True
            for to, text, value, acc, summed in flows:
                if acc:
                    to += "  += sum"
                sent = recent.get(value) if type(value) is float else None
                if sent is None:
                    sent = inline(value)
                if (len(to) > w3 or len(sent) > w4 or len(text) > w2
                        or (summed is not None and len(summed) > w4)
                        or (first and not head_fits)):
                    cells = [[sent, summed] if summed else [sent]]
                    out += _row([[node, place[0]] if first else [""],
                                 [inc] if first else [""], [text], [to], *cells], widths, form)
                elif first:
                    append(pct % (node, inc, text, to, sent))
                    append(pct % (place[0], "", "", "", summed) if summed else place[1])
                else:
                    append(pct % ("", "", text, to, sent))
                    if summed:
                        append(pct % ("", "", "", "", summed))
                if acc:
                    accumulates = True
                first = False
            if len(out) > 16384:
                emit(out)
                out = []
                append = out.append
        emit(out)
        if accumulates:
            self.accumulates = True

    def block_lines(self, block: StepBlock, rule: str) -> list[bytes]:
        """The block's table lines in UTF-8, each step's after `rule`: what `extend` draws
        step by step, drawn column by column. A step whose cells all fit (as `extend`'s
        one-line rows), with a flow and no "summed" note, is its rule, its first flow's
        line, its place's line and its other flows' lines: those lines are made in a few
        passes over the block, as bytes (each distinct value's text made once; a cell
        padded to its width in characters); any other step's lines are `extend`'s."""
        w0, w1, w2, w3, w4 = self.widths
        b = block
        n = len(b.node)
        starts = b.starts
        nflow = np.diff(starts)
        inc, inc_ok = self.texts(b.incoming, b.incoming_data, w1)
        sent, sent_ok = self.texts(b.value, b.value_data, w4)
        to = b.to
        if b.accumulates.any():
            self.accumulates = True
            to = list(to)
            for j in np.flatnonzero(b.accumulates).tolist():
                to[j] += "  += sum"
        kinds, at = np.unique(b.place, return_inverse=True)
        places = [self.places.get(b.places[k]) or self._place(*b.places[k])
                  for k in kinds.tolist()]
        node, node_ok = _cells(b.node, w0)
        to, to_ok = _cells(to, w3)
        rules, rule_ok = _cells(b.rule, w2, few=True)
        simple = (nflow > 0) & np.array([p[2] for p in places], bool)[at] & node_ok & inc_ok
        bad = ~(to_ok & sent_ok & rule_ok)
        if b.summed:
            bad[list(b.summed)] = True
        worse = np.zeros(len(bad) + 1, np.int64)
        np.cumsum(bad, out=worse[1:])
        simple &= worse[starts[1:]] == worse[starts[:-1]]
        # each step's lines: its rule and flows and place's line, or extend's
        count = nflow + 2
        others: dict[int, list[str]] = {}
        for i in np.flatnonzero(~simple).tolist():
            self.extend((b.raw(i),), others.setdefault(i, []).extend)
            count[i] = 1 + len(others[i])
        first = np.zeros(n + 1, np.int64)
        np.cumsum(count, out=first[1:])
        out = np.empty(int(first[-1]), object)
        out[first[:-1]] = rule.encode()
        for i, lines in others.items():
            out[first[i] + 1:first[i + 1]] = _objects([line.encode() for line in lines])
        steps = np.flatnonzero(simple)
        if len(steps):
            flows = starts[steps]  # their first flows
            out[first[steps] + 1] = _objects(list(map(self.pct_bytes.__mod__, zip(
                _pick(node, steps), _pick(inc, steps), _pick(rules, flows),
                _pick(to, flows), _pick(sent, flows), strict=True))))
            out[first[steps] + 2] = _objects([p[1].encode() for p in places])[at[steps]]
            # the other flows of those steps, each at its step's first line + 2 + r
            step = np.repeat(np.arange(n), nflow)
            r = np.arange(len(step)) - starts[step]
            more = np.flatnonzero(simple[step] & (r > 0))
            if len(more):
                out[first[step[more]] + 2 + r[more]] = _objects(list(map(self.rest.__mod__, zip(
                    _pick(rules, more), _pick(to, more), _pick(sent, more), strict=True))))
        return out.tolist()  # type: ignore[no-any-return]

    def block_bytes(self, block: StepBlock, rule: str) -> Any:
        """`block_lines` joined, each line ending in a newline, as bytes (or a uint8
        array of them) drawn straight into one buffer (render.step_bytes); None (nothing
        drawn) unless every step of the block is plain."""
        from gradcli.render.step_bytes import plain_block

        data = plain_block(block, rule, self.widths,
                           lambda p: self.places.get(p) or self._place(*p), self.cells)
        if data is not None and block.accumulates.any():
            self.accumulates = True
        return data

    def cells(self, values: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
        """`inline` of each float as a cell of a column `width` wide: an (n, width) uint8
        matrix of its ASCII text space-padded (each distinct value's text made once), and
        each text's length (one not ASCII: width + 1; a text longer than width: cut)."""
        from gradcli.render.step_bytes import float_cells

        v = values
        out = np.empty((len(v), width), np.uint8)
        length = np.empty(len(v), np.int64)
        normal = np.isfinite(v) & (v != 0.0)
        if normal.any():
            kinds, at = np.unique(v[normal], return_inverse=True)
            at = at.reshape(-1)
            text = self._float_texts(kinds)
            length[normal] = _lengths(text)[at]
            out[normal] = float_cells(text, at, width)
        special = ~normal
        if special.any():
            bits, at = np.unique(v[special].view(np.int64), return_inverse=True)
            at = at.reshape(-1)
            texts = [scalar_float_str(x, self.precision) for x in bits.view(np.float64).tolist()]
            length[special] = np.array([len(t) if t.isascii() else width + 1 for t in texts],
                                       np.int64)[at]
            out[special] = float_cells([t.encode() if t.isascii() else b"" for t in texts],
                                       at, width)
        return out, length

    def _float_texts(self, kinds: np.ndarray) -> list[bytes]:
        """inline's text of each finite nonzero float (ASCII)."""
        km = np.abs(kinds)
        sci = (km < 1.0e-4) | (km > 1.0e8)
        whole = ~sci & (kinds == np.trunc(kinds))
        fixed = ~sci & ~whole
        text = np.empty(len(kinds), object)
        text[sci] = _objects(list(map(self.sci_bytes.__mod__, kinds[sci].tolist())))
        text[whole] = _objects(list(map(b"%.0f.".__mod__, kinds[whole].tolist())))
        text[fixed] = _objects(list(map(self.fixed_bytes.__mod__, kinds[fixed].tolist())))
        return text.tolist()  # type: ignore[no-any-return]

    def texts(self, values: np.ndarray, data: dict[int, TensorData], width: int
              ) -> tuple[list[bytes], np.ndarray]:
        """`inline` of each value (values[k], a float, or data[k] where k is a key) as a
        cell of a column `width` wide (see _cells), and whether it fits; each distinct
        float's text made once."""
        v = values
        normal = np.isfinite(v) & (v != 0.0)
        if data:
            normal[list(data)] = False
        out = np.empty(len(v), object)
        # finite nonzero floats: as inline formats them (ASCII), each distinct value once
        kinds, at = np.unique(v[normal], return_inverse=True)
        text = _objects(self._float_texts(kinds))
        out[normal] = text[at]
        fits = np.ones(len(v), bool)
        if len(kinds):
            fits[normal] = _lengths(text.tolist())[at] <= width
        # zeros, infinities and NaNs (by their bits: 0.0 and -0.0 apart), the rest
        special = ~normal
        if data:
            special[list(data)] = False
        if special.any():
            bits, at = np.unique(v[special].view(np.int64), return_inverse=True)
            cells, ok = _cells([scalar_float_str(x, self.precision)
                                for x in bits.view(np.float64).tolist()], width)
            out[special] = _objects(cells)[at]
            fits[special] = ok[at]
        if data:
            from gradcli.render.numbers import inline_tensor

            keys = list(data)
            cells, ok = _cells([inline_tensor(td, self.precision) for td in data.values()],
                               width)
            out[keys] = _objects(cells)
            fits[keys] = ok
        return out.tolist(), fits

    def _place(self, grad_fn: str, line: Any, column: Any) -> tuple[str, str, bool]:
        """A node's second line in its cell ("MulBackward0  5:9"), the table line of that
        alone, and whether it fits its column."""
        from gradcli.render.numbers import location

        text = f"{grad_fn}  {location(line, column)}"
        place = (text, self.form.format(text, "", "", "", ""), len(text) <= self.widths[0])
        self.places[(grad_fn, line, column)] = place
        return place

    def inline(self, value: Any) -> str:
        """inline_tensor of a RawStep value: a float (a 0-d float tensor's) straight
        through PyTorch's one-element formatter, without building arrays; the text of a
        recent float is kept (a step's incoming value is what an earlier step sent)."""
        if type(value) is float:
            if value != 0.0 and value - value == 0.0:  # finite, not zero (-0.0 == 0.0)
                text = self.recent.get(value)
                if text is not None:
                    return text
                m = abs(value)
                if m < 1.0e-4 or m > 1.0e8:
                    text = self.sci % value
                elif value.is_integer():
                    text = f"{value:.0f}."
                else:
                    text = self.fixed % value
                if len(self.recent) >= 4096:
                    self.recent.clear()
                self.recent[value] = text
                return text
            return scalar_float_str(value, self.precision)
        from gradcli.render.numbers import inline_tensor

        return inline_tensor(value, self.precision)


def _lengths(texts: list[Any]) -> np.ndarray:
    """len of each text."""
    return np.fromiter(map(len, texts), np.int64, len(texts))


def _cells(texts: list[str], width: int, few: bool = False) -> tuple[list[bytes], np.ndarray]:
    """The texts in UTF-8 as cells of a column `width` characters wide, and whether each
    fits: an ASCII text as it is (a bytes %-{width}s pads it), any other padded to the
    width first (its bytes outnumber its characters). `few`: few distinct texts, each
    made once."""
    if few:
        made = {t: (t.encode() if t.isascii() else t.ljust(width).encode(), len(t) <= width)
                for t in set(texts)}
        cells = list(map(made.__getitem__, texts))
        return [c for c, _ in cells], np.array([ok for _, ok in cells], bool)
    return ([t.encode() if t.isascii() else t.ljust(width).encode() for t in texts],
            _lengths(texts) <= width)


def _objects(items: list[Any]) -> np.ndarray:
    """A 1-d object array of the items."""
    out = np.empty(len(items), object)
    out[:] = items
    return out


def _pick(items: list[Any], at: np.ndarray) -> list[Any]:
    """items[k] for each k in `at`."""
    return list(map(items.__getitem__, at.tolist()))


def _fit(widths: list[int], width: int) -> list[int]:
    """Column widths narrowed (the widest first, none below 6) until the table fits."""
    widths = list(widths)
    while sum(widths) + 3 * len(widths) + 1 > width:
        k = max(range(len(widths)), key=lambda i: widths[i])
        if widths[k] <= 6:
            break
        widths[k] -= 1
    return widths


def _row(cells: list[list[str]], widths: list[int], form: str | None = None) -> list[str]:
    """A table row's text lines: each cell's lines folded to its column, padded (`form`:
    _form(widths), when the caller has it)."""
    height = 1
    for cell, c in zip(cells, widths, strict=True):
        for line in cell:
            if len(line) > c:
                height = 0
                break
        if not height:
            break
        if len(cell) > height:
            height = len(cell)
    if not height:
        cells = [[line[j:j + c] for line in cell for j in range(0, max(len(line), 1), c)]
                 for cell, c in zip(cells, widths, strict=True)]
        height = max(len(cell) for cell in cells)
    if form is None:
        form = _form(tuple(widths))
    if height == 1:
        return [form.format(*[cell[0] for cell in cells])]
    return [form.format(*[cell[i] if i < len(cell) else "" for cell in cells])
            for i in range(height)]


@lru_cache(maxsize=8)
def _form(widths: tuple[int, ...]) -> str:
    return "│ " + " │ ".join(f"{{:<{c}}}" for c in widths) + " │"


class _Lines:
    """Where the tree's lines go as they are laid out: written, uncoloured, one a line."""

    def __init__(self, write: Callable[[str], Any], width: int | None = None) -> None:
        self.write = write
        self.width = width
        self.first = True
        self.chunk: list[str] = []
        self.write_bytes: Callable[[bytes], Any] | None = None

    def append(self, line: Any) -> None:
        from gradcli.render.table import fold_line

        long = self.width is not None and len(line.plain) > self.width
        for piece in fold_line(line, self.width) if long else (line,):
            self.append_text(piece.plain)

    def append_text(self, line: str) -> None:
        self.chunk.append(line.rstrip())
        if len(self.chunk) == 512:
            self.flush()

    def extend_bordered(self, lines: list[bytes]) -> None:
        """Lines in UTF-8 that end in a border (no trailing space to strip), written now."""
        if self.chunk:
            self.flush()
        if lines:
            if self.write_bytes is None:
                self.write_bytes = _bytes_writer(self.write)
            self.write_bytes((b"" if self.first else b"\n") + b"\n".join(lines))
            self.first = False

    def extend_data(self, data: Any) -> None:
        """Lines in UTF-8 that end in a border, each followed by a newline (bytes, or a
        uint8 array), written now."""
        if self.chunk:
            self.flush()
        if len(data):
            if self.write_bytes is None:
                self.write_bytes = _bytes_writer(self.write)
            if not self.first:
                self.write_bytes(b"\n")
            self.write_bytes(memoryview(data)[:-1])
            self.first = False

    def flush(self) -> None:
        if self.chunk:
            self.write(("" if self.first else "\n") + "\n".join(self.chunk))
            self.chunk.clear()
            self.first = False


def _bytes_writer(write: Callable[[str], Any]) -> Callable[[bytes], Any]:
    """Where UTF-8 text goes, given where text goes: under a UTF-8 text stream's own
    `write` (sys.stdout's), its binary buffer, the stream flushed first so that the order
    holds; else `write`, decoded."""
    stream = getattr(write, "__self__", None)
    if (isinstance(stream, io.TextIOWrapper) and os.linesep == "\n"
            and write == stream.write and codecs.lookup(stream.encoding).name == "utf-8"):
        buffer = stream.buffer

        def put(data: bytes) -> None:
            stream.flush()
            buffer.write(data)

        return put
    return lambda data: write(str(data, "utf-8"))


def _write_lines(lines: Iterable[str], write: Callable[[str], Any]) -> None:
    """The lines joined by newlines, written a few hundred at a time."""
    chunk: list[str] = []
    first = True
    for line in lines:
        chunk.append(line)
        if len(chunk) == 512:
            write(("" if first else "\n") + "\n".join(chunk))
            chunk.clear()
            first = False
    if chunk:
        write(("" if first else "\n") + "\n".join(chunk))


def _dumps(value: Any, indent: str) -> str:
    """json.dumps(value, allow_nan=False, indent=2) nested at `indent`: the same text,
    without the pure-Python encoder's per-item generators (json's C encoder does no
    indenting)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    inner = indent + "  "
    if kind is dict:
        if not value:
            return "{}"
        return ("{\n" + ",\n".join(f"{inner}{_string(k)}: {_dumps(v, inner)}"
                                    for k, v in value.items()) + f"\n{indent}}}")
    if kind is list:
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, allow_nan=False, indent=2).replace("\n", "\n" + indent)


def write_json(obj: dict[str, Any], write: Callable[[str], Any]) -> None:
    """`obj` as `render.json_out.dumps` would write it (indent 2, ASCII, no NaN), where a
    value that is an iterator is written item by item as a list."""
    write("{")
    for k, (key, value) in enumerate(obj.items()):
        write(("," if k else "") + "\n  " + json.dumps(key) + ": ")
        if isinstance(value, Iterator):
            _write_list(value, write)
        else:
            write(_dumps(value, "  "))
    write("\n}" if obj else "}")


def _write_list(items: Iterator[Any], write: Callable[[str], Any]) -> None:
    empty = True
    for item in items:
        write(("[" if empty else ",") + "\n    " + _dumps(item, "    "))
        empty = False
    write("[]" if empty else "\n  ]")
