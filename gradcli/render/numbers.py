"""Rich-free building blocks shared by the table and plain views.

Number format of tensor values: PyTorch's own printing rule (``print(t)`` under
``torch.set_printoptions(precision=N)``, N = ``--precision``), element for element, so a
table cell reads exactly as the element does in PyTorch's output. One formatter per
tensor, chosen from the elements PyTorch would show (its edge items when summarised):
integral floats print as ``3.``, fixed point with ``precision`` decimals (``77.8066``),
scientific notation (``2.4691e+00``) when max/min > 1000, max > 1e8 or min < 1e-4 among
the nonzero finite values; ``nan``, ``inf``, ``-inf`` as they are; ints and bools as
Python's ``str``. The rule itself lives in :mod:`gradcli.ad.tensor_str`
(:func:`~gradcli.ad.tensor_str.element_strings`); this module only lays the strings out,
with float cells aligned on the point.

A lone number that is not a tensor element (a plot's samples and axes) uses
:func:`format_number`: ``precision`` significant digits (Python's ``g``).

Tensors are laid out as 2-D :class:`Grid` s (a scalar is one cell, a vector one row, a
matrix a grid, a higher-rank tensor one grid per ``[i, j, :, :]`` slice). Tensors with
more than ``SUMMARY_THRESHOLD`` elements are summarised like PyTorch: the first and last
``EDGE_ITEMS`` along every dimension, with ``None`` marking what was left out.

This module also names the sections every text view shows (:func:`tensor_sections`),
so the table and plain renderers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from gradcli.ad.tensor_str import element_strings
from gradcli.records import record
from gradcli.results import Section, TensorData, superscript

__all__ = [
    "EDGE_ITEMS",
    "SUMMARY_THRESHOLD",
    "Grid",
    "Section",
    "align_decimal",
    "elide_columns",
    "elision_note",
    "format_error",
    "format_number",
    "format_shape",
    "inline_tensor",
    "location",
    "superscript",
    "tensor_grids",
    "wrap_vector",
]

# PyTorch's defaults: summarise above 1000 elements, keeping 3 edge items per dimension.
SUMMARY_THRESHOLD = 1000
EDGE_ITEMS = 3


# --------------------------------------------------------------------------- numbers


def format_number(v: object, precision: int) -> str:
    """A lone number (not a tensor element) with ``precision`` significant digits; a float
    that shows no point or exponent gets PyTorch's trailing ``"."`` (``28.``)."""
    if isinstance(v, bool | np.bool_):
        return "True" if v else "False"
    if isinstance(v, int | np.integer):
        return str(int(v))
    f = float(v)  # type: ignore[arg-type]
    if f != f:
        return "nan"
    if f in (float("inf"), float("-inf")):
        return "inf" if f > 0 else "-inf"
    if f == 0.0:
        f = 0.0  # drop the sign of -0.0
    s = format(f, f".{max(precision, 1)}g")
    if "." not in s and "e" not in s:
        s += "."
    return s


def format_error(v: float) -> str:
    """An error magnitude (check results): always scientific, 3 significant digits."""
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return f"{v:.2e}"


def format_shape(shape: Sequence[int]) -> str:
    """A shape as a JSON-style list: ``[2, 3]``, ``[]`` for a scalar."""
    return "[" + ", ".join(str(s) for s in shape) + "]"




def align_decimal(strings: Sequence[str]) -> list[str]:
    """Pad number strings to one width with their decimal points (or exponents) lined up."""
    heads: list[str] = []
    tails: list[str] = []
    for s in strings:
        cut = len(s)
        for mark in (".", "e"):
            at = s.find(mark)
            if at != -1:
                cut = min(cut, at)
        heads.append(s[:cut])
        tails.append(s[cut:])
    head_w = max((len(h) for h in heads), default=0)
    tail_w = max((len(t) for t in tails), default=0)
    return [h.rjust(head_w) + t.ljust(tail_w) for h, t in zip(heads, tails, strict=True)]


# --------------------------------------------------------------------------- tensor layout


@record(frozen=True)
class Grid:
    """A 2-D block of aligned cells; ``None`` in labels or cells marks summarised-away items.

    ``kind`` is ``"scalar"`` (one cell, no labels), ``"vector"`` (one row, column labels
    are indices), ``"matrix"`` (row and column labels), or ``"elided"`` (stands for
    slices of a higher-rank tensor left out by summarising; no cells).
    ``title`` is the slice index (``"[0, :, :]"``) for slices of higher-rank tensors.
    """

    kind: str
    title: str | None
    row_labels: list[str | None]
    col_labels: list[str | None]
    rows: list[list[str | None]]

    @property
    def cell_width(self) -> int:
        """Width of every cell (all cells of one tensor share it)."""
        return max((len(c) for row in self.rows for c in row if c is not None), default=0)


def _shown(n: int, summarise: bool) -> list[int | None]:
    if summarise and n > 2 * EDGE_ITEMS:
        return [*range(EDGE_ITEMS), None, *range(n - EDGE_ITEMS, n)]
    return list(range(n))


def _cells(a: np.ndarray, shown: list[list[int | None]], precision: int) -> np.ndarray:
    """Formatted, aligned strings for the kept sub-array (object array, same rank as a)."""
    sub = a[np.ix_(*_kept(shown))] if a.ndim else a
    flat = element_strings(sub, precision)
    if a.dtype.kind == "f":
        flat = align_decimal(flat)
    else:
        width = max((len(s) for s in flat), default=0)
        flat = [s.rjust(width) for s in flat]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(sub.shape)


def _kept(shown: list[list[int | None]]) -> list[list[int]]:
    """The indices actually shown along each dimension (summarised gaps dropped)."""
    return [[i for i in idx if i is not None] for idx in shown]


def _positions(idx: list[int | None]) -> list[int | None]:
    """Map displayed indices to positions in the kept sub-array (None stays None)."""
    out: list[int | None] = []
    k = 0
    for i in idx:
        if i is None:
            out.append(None)
        else:
            out.append(k)
            k += 1
    return out


def tensor_grids(td: TensorData, precision: int) -> list[Grid]:
    """Lay a tensor out as grids: one for rank ≤ 2, one per trailing 2-D slice above."""
    a = np.asarray(td.value)
    if a.size == 0:
        return []
    summarise = a.size > SUMMARY_THRESHOLD
    shown = [_shown(n, summarise) for n in a.shape]
    cells = _cells(a, shown, precision)
    if a.ndim == 0:
        return [Grid("scalar", None, [], [], [[str(cells[()])]])]
    if a.ndim == 1:
        labels = [None if i is None else str(i) for i in shown[0]]
        row = [None if p is None else str(cells[p]) for p in _positions(shown[0])]
        return [Grid("vector", None, [""], labels, [row])]
    row_idx, col_idx = shown[-2], shown[-1]
    row_pos, col_pos = _positions(row_idx), _positions(col_idx)
    row_labels = [None if i is None else str(i) for i in row_idx]
    col_labels = [None if i is None else str(i) for i in col_idx]
    grids: list[Grid] = []
    for lead in _leading(shown[:-2]):
        if lead is None:
            grids.append(Grid("elided", None, [], [], []))
            continue
        title = None
        block = cells
        if lead:
            title = "[" + ", ".join(str(i) for i, _ in lead) + ", :, :]"
            block = cells[tuple(p for _, p in lead)]
        rows: list[list[str | None]] = []
        for rp in row_pos:
            if rp is None:
                rows.append([None] * len(col_pos))
            else:
                rows.append([None if cp is None else str(block[rp, cp]) for cp in col_pos])
        grids.append(Grid("matrix", title, list(row_labels), list(col_labels), rows))
    return grids


def _leading(
    shown: list[list[int | None]],
) -> Iterator[list[tuple[int, int]] | None]:
    """Index tuples (index, kept position) over leading dims; None for each elided run."""
    if not shown:
        yield []
        return
    first, rest = shown[0], shown[1:]
    for i, p in zip(first, _positions(first), strict=True):
        if i is None or p is None:
            yield None
            continue
        for tail in _leading(rest):
            yield None if tail is None else [(i, p), *tail]


def wrap_vector(grid: Grid, per_row: int) -> Grid:
    """Fold a long vector grid into rows of ``per_row`` cells labelled by start index."""
    cells = grid.rows[0]
    if per_row <= 0 or len(cells) <= per_row or None in grid.col_labels:
        return grid
    rows: list[list[str | None]] = []
    labels: list[str | None] = []
    for start in range(0, len(cells), per_row):
        chunk = cells[start : start + per_row]
        rows.append(chunk + [""] * (per_row - len(chunk)))
        labels.append(str(start))
    return Grid("matrix", grid.title, labels, [f"+{j}" for j in range(per_row)], rows)


def elide_columns(grid: Grid, keep: int) -> Grid:
    """Keep the first and last ``keep // 2`` columns (at least one each), eliding the middle."""
    n = len(grid.col_labels)
    if n <= keep or n <= 2:
        return grid
    half = max(keep // 2, 1)
    cols = [*range(half), -1, *range(n - half, n)]

    def pick(seq: Sequence[str | None]) -> list[str | None]:
        return [None if c == -1 else seq[c] for c in cols]

    return Grid(
        grid.kind,
        grid.title,
        list(grid.row_labels),
        pick(grid.col_labels),
        [pick(row) for row in grid.rows],
    )


ELISION_HINT = "widen the terminal or use --format plain/json"


def _ranges(indices: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` as ``1–3, 7``."""
    parts: list[str] = []
    run: list[int] = []
    for i in sorted(indices):
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [i]
    if run:
        parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(parts)


def elision_note(hidden: Sequence[int | str], total: int) -> str:
    """The one note under a table that lost columns to the width, for every command:
    ``10 of 20 columns not shown (6–15): widen the terminal or use --format plain/json``
    (tensor columns by index, other tables' columns by name)."""
    if all(isinstance(h, int) for h in hidden):
        what = _ranges([int(h) for h in hidden])
    else:
        what = ", ".join(str(h) for h in hidden)
    return f"{len(hidden)} of {total} columns not shown ({what}): {ELISION_HINT}"


def inline_tensor(td: TensorData, precision: int, threshold: int = 16) -> str:
    """A tensor on one line as nested brackets (``[[1., 2.], [3., 4.]]``), summarised early;
    each element reads as PyTorch prints it (the formatter chosen from what PyTorch shows)."""
    a = np.asarray(td.value)
    if a.ndim == 0:
        return element_strings(a, precision)[0]
    if a.size == 0:
        return "[" * a.ndim + "]" * a.ndim
    shown = [_shown(n, a.size > threshold) for n in a.shape]
    # PyTorch picks one formatter from the elements it shows (all, up to its threshold).
    measured = a[np.ix_(*_kept([_shown(n, a.size > SUMMARY_THRESHOLD) for n in a.shape]))]
    kept = a[np.ix_(*_kept(shown))]
    sub = np.empty(kept.size, dtype=object)
    sub[:] = element_strings(kept, precision, measured=measured)
    sub = sub.reshape(kept.shape)

    def nest(block: np.ndarray, dims: list[list[int | None]]) -> str:
        parts: list[str] = []
        for p in _positions(dims[0]):
            if p is None:
                parts.append("…")
            elif len(dims) == 1:
                parts.append(str(block[p]))
            else:
                parts.append(nest(block[p], dims[1:]))
        return "[" + ", ".join(parts) + "]"

    return nest(sub, shown)


def location(line: int | None, column: int | None) -> str:
    """``line:col`` (or ``line``, or ``-`` when unknown) for tables of nodes."""
    if line is None:
        return "-"
    return f"{line}:{column}" if column is not None else str(line)
