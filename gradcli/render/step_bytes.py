"""explain --full's table, a block of steps drawn straight into one byte buffer.

A 10⁵-iteration loop makes 4·10⁵ steps, 1.6·10⁶ table lines, 222 MB. `render.stream`'s
`_StepText.block_lines` makes each line a bytes object (their making, joining and freeing
was most of the drawing); here a block whose steps are all plain (every cell fitting its
column, ASCII but for the rule's, a flow or more, no tensor value, no "summed" note) is
laid out in a uint8 matrix instead, a few numpy copies per column: its bytes are exactly
`b"\\n".join(block_lines(...)) + b"\\n"`. Other blocks are left to `block_lines`.

A step with k flows is k + 2 lines: the rule between rows, its first flow's line, its
place's line ("MulBackward0  9:9"), its other flows' lines. A loop's steps repeat their
sizes with its body's period p: p steps side by side make a row of one size, the block's
rows a matrix written as it is; without a period, each step is a row of the largest
size, cut to its own size when joined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradcli.results import StepBlock

PERIODS = 64  # the longest loop period looked for
FLOWS = 8  # a block with a step of more flows is left to block_lines


def plain_block(b: StepBlock, rule: str, widths: Sequence[int],
                place: Callable[[tuple[str, Any, Any]], tuple[str, str, bool]],
                floats: Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]
                ) -> np.ndarray | bytes | None:
    """The block's lines, each ending in a newline, as bytes (or a uint8 array of them);
    None unless every step is plain. `place(b.places[k])`: the (text, table line, fits) of
    a place; `floats(values, width)`: the cells of 0-d values (an (n, width) uint8 matrix
    of ASCII, space-padded) and each one's length (more than `width`: no cell)."""
    n = len(b.node)
    if not n or b.summed or b.incoming_data or b.value_data:
        return None if n else b""
    starts = b.starts
    nflow = np.diff(starts)
    if int(nflow.max()) > FLOWS or not nflow.all():
        return None
    w0, w1, w2, w3, w4 = widths
    line = ("│ " + " │ ".join(" " * c for c in widths) + " │\n").encode()
    # the places of these steps, each's line (its text ASCII and fitting)
    kinds, at = np.unique(b.place, return_inverse=True)
    places = [place(b.places[k]) for k in kinds.tolist()]
    if not all(p[2] and p[0].isascii() for p in places):
        return None
    placed = np.frombuffer("".join(p[1] + "\n" for p in places).encode(),
                           np.uint8).reshape(-1, len(line))
    node = _text_cells(b.node, w0)
    to = b.to
    if b.accumulates.any():
        to = list(to)
        for j in np.flatnonzero(b.accumulates).tolist():
            to[j] += "  += sum"
    to_cells = _text_cells(to, w3)
    rules = _rule_cells(b.rule, w2)
    if node is None or to_cells is None or rules is None:
        return None
    rule_cells, extra = rules
    # the values' cells, made together (a step's incoming value is mostly one sent to it)
    values, length = floats(np.concatenate([b.incoming, b.value]), max(w1, w4))
    if not ((length[:n] <= w1).all() and (length[n:] <= w4).all()):
        return None
    inc, sent = values[:n, :w1], values[n:, :w4]
    sep = (rule + "\n").encode()
    # a step's bytes: the rule's line, its flows' and its place's lines (a rule text's
    # bytes beyond its characters widen its line)
    extras = np.zeros(len(extra) + 1, np.int64)
    np.cumsum(extra, out=extras[1:])
    size = len(sep) + (nflow + 1) * len(line) + extras[starts[1:]] - extras[starts[:-1]]
    cols = Columns(np.frombuffer(line, np.uint8), np.frombuffer(sep, np.uint8), placed,
                   np.cumsum([4, w0 + 5, w1 + 5, w2 + 5, w3 + 5]).tolist(), node, inc,
                   rule_cells, to_cells, sent, at.reshape(-1), starts, extra)
    period = _period(size, nflow, extra, starts)
    if not period:
        return cols.rows(np.arange(n), size, nflow)
    q = n // period
    body = cols.periodic(size[:period], nflow[:period], q)
    if q * period == n:
        return body
    return body.tobytes() + cols.rows(np.arange(q * period, n), size, nflow)


class Columns:
    """The cells of a block's steps (nodes, incoming values, places: one per step) and flows
    (rules, targets, values sent: one per flow) as uint8 matrices, and where each goes in a
    line: `offsets[k]` the byte column k starts at, `extra[f]` the bytes flow f's rule cell
    has beyond its width in characters (the columns after it start that much later)."""

    def __init__(self, line: np.ndarray, sep: np.ndarray, placed: np.ndarray,
                 offsets: list[int], node: np.ndarray, inc: np.ndarray, rule: np.ndarray,
                 to: np.ndarray, sent: np.ndarray, place: np.ndarray, starts: np.ndarray,
                 extra: np.ndarray) -> None:
        self.line, self.sep, self.placed, self.offsets = line, sep, placed, offsets
        self.node, self.inc, self.rule, self.to, self.sent = node, inc, rule, to, sent
        self.place, self.starts, self.extra = place, starts, extra

    def periodic(self, size: np.ndarray, nflow: np.ndarray, q: int) -> np.ndarray:
        """Steps 0 … q·p - 1 (p = len(size), a period of the steps' flows and sizes), p
        steps a row: the rows' bytes in order."""
        p = len(size)
        lc, lr = len(self.line), len(self.sep)
        ends = np.cumsum(size)
        out = np.empty((q, int(ends[-1])), np.uint8)
        every = slice(None)
        end = q * p
        per = int(self.starts[p])  # flows a period
        for j in range(p):
            steps = slice(j, end, p)  # views, not copies: phase j of each period
            first = int(self.starts[j])
            a = int(ends[j] - size[j])
            out[:, a:a + lr] = self.sep
            a += lr
            for r in range(int(nflow[j])):
                e = int(self.extra[first + r])
                self._line(out, every, a, e, slice(first + r, first + r + per * q, per),
                           steps if r == 0 else None)
                a += lc + e
                if r == 0:
                    out[:, a:a + lc] = self.placed[self.place[steps]]
                    a += lc
        return out.reshape(-1)

    def rows(self, steps: np.ndarray, size: np.ndarray, nflow: np.ndarray) -> bytes:
        """The steps, a row each (a line placed at once in the rows where it starts at the
        same byte), each row cut to its step's size: their bytes in order."""
        size, nflow = size[steps], nflow[steps]
        lc, lr = len(self.line), len(self.sep)
        width = int(size.max())
        out = np.empty((len(steps), width), np.uint8)
        first = self.starts[steps]
        out[:, :lr] = self.sep
        pos = np.full(len(steps), lr, np.int64)
        for r in range(int(nflow.max())):
            live = np.flatnonzero(nflow > r)
            e = self.extra[first[live] + r]
            key = pos[live] * (1 + int(e.max())) + e
            for k in np.unique(key).tolist():
                pick = live[key == k]
                self._line(out, pick, int(pos[pick[0]]), int(self.extra[first[pick[0]] + r]),
                           first[pick] + r, steps[pick] if r == 0 else None)
            pos[live] += lc + e
            if r == 0:
                for a in np.unique(pos).tolist():
                    pick = np.flatnonzero(pos == a)
                    out[pick, a:a + lc] = self.placed[self.place[steps[pick]]]
                pos += lc
        flat = out.tobytes()
        at = np.arange(len(steps)) * width
        return b"".join(map(flat.__getitem__, map(slice, at.tolist(), (at + size).tolist())))

    def _line(self, out: np.ndarray, rows: Any, a: int, e: int, flows: np.ndarray,
              steps: np.ndarray | None) -> None:
        """Flows' lines at byte a of out[rows] (their rule cells all e bytes more than
        their characters), with their steps' node and incoming cells when `steps` (a
        step's first flow), else those blank."""
        o, line = self.offsets, self.line
        w2 = o[3] - 5 - o[2]  # the rule column's width
        out[rows, a:a + o[2]] = line[:o[2]]
        if steps is not None:
            out[rows, a + o[0]:a + o[0] + self.node.shape[1]] = self.node[steps]
            out[rows, a + o[1]:a + o[1] + self.inc.shape[1]] = self.inc[steps]
        out[rows, a + o[2]:a + o[2] + w2 + e] = self.rule[flows, :w2 + e]
        a += e
        out[rows, a + o[2] + w2:a + len(line)] = line[o[2] + w2:]
        out[rows, a + o[3]:a + o[3] + self.to.shape[1]] = self.to[flows]
        out[rows, a + o[4]:a + o[4] + self.sent.shape[1]] = self.sent[flows]


def _period(size: np.ndarray, nflow: np.ndarray, extra: np.ndarray, starts: np.ndarray
            ) -> int:
    """The shortest p (up to PERIODS, at least two whole periods) in which the steps'
    sizes and flow counts and their flows' rule widths repeat; 0 if none."""
    n = len(size)
    for p in range(1, min(PERIODS, n // 2) + 1):
        if np.array_equal(size[p:], size[:-p]) and np.array_equal(nflow[p:], nflow[:-p]):
            f = int(starts[p])
            if np.array_equal(extra[f:], extra[:-f]):
                return p
    return 0


def _text_cells(texts: list[str], width: int) -> np.ndarray | None:
    """The texts as an (n, width) matrix of their ASCII bytes, space-padded; None if one is
    not ASCII or does not fit."""
    try:
        a = np.array(texts, dtype=f"S{width + 1}")  # numpy encodes str as ASCII
    except UnicodeEncodeError:
        return None
    cells = _padded(a, width + 1)
    if len(texts) and (cells[:, width] != 32).any():  # a character in the extra column
        return None
    return cells[:, :width]


def _rule_cells(texts: list[str], width: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The rule texts (few distinct: each made once) as cells: a matrix of each one's
    UTF-8, padded to `width` characters, and the bytes each has beyond `width`; None if one
    does not fit."""
    kinds: dict[str, int] = {}
    index = np.array([kinds.setdefault(t, len(kinds)) for t in texts], np.intp)
    if any(len(t) > width for t in kinds):
        return None
    made = [t.ljust(width).encode() for t in kinds]
    more = np.array([len(m) - width for m in made], np.int64)
    top = width + (int(more.max()) if made else 0)
    return _padded(np.array(made, dtype=f"S{top}"), top)[index], more[index]


def _padded(a: np.ndarray, width: int) -> np.ndarray:
    """A bytes array of dtype S{width} as an (n, width) uint8 matrix, NUL padding made
    spaces."""
    if not len(a):
        return np.zeros((0, width), np.uint8)
    m = a.view(np.uint8).reshape(len(a), width).copy()
    m[m == 0] = 32
    return m


def float_cells(texts: list[bytes], at: np.ndarray, width: int) -> np.ndarray:
    """Distinct texts (ASCII bytes, each at most `width`) as cells, picked by `at`."""
    return _padded(np.array(texts, dtype=f"S{width}"), width)[at]
