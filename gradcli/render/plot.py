"""`plot` results: a terminal line chart (plotext), a tab-separated table, or JSON; and
figure files through matplotlib (the optional `gradcli[plot]` extra).

The chart is plotext's, sized to the width given (the terminal's, or COLUMNS off one),
with a legend; NaN values are gaps, kinks are marked `x` on the curve, and colour only
when asked for.
"""

from __future__ import annotations

import math
import re
from typing import Any

from gradcli.render.numbers import format_number
from gradcli.results import PlotResult

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHART_HEIGHT = 20


def render_plot(result: PlotResult, fmt: str, *, precision: int = 4, width: int | None = None,
                color: bool = False) -> str:
    """The plot as "table" (a chart), "plain" (TSV) or "json"."""
    if fmt == "json":
        from gradcli.render.json_out import dumps
        from gradcli.render.json_out import json_float as number

        return dumps({"wrt": result.wrt, "result_name": result.result_name,
                      "x": [number(v) for v in result.x],
                      "series": {k: [number(v) for v in vs] for k, vs in result.series.items()},
                      "marks": {k: [number(v) for v in vs] for k, vs in result.marks.items()},
                      "output": result.output})
    if fmt == "plain":
        return tsv(result, precision)
    return chart(result, width or 80, color)


def tsv(result: PlotResult, precision: int = 4) -> str:
    """A header line, then one tab-separated row per point (gnuplot and spreadsheets)."""
    x = result.wrt if result.direction is None else "t"
    lines = ["\t".join([x, *result.series])]
    for i, xv in enumerate(result.x):
        row = [xv, *(vs[i] for vs in result.series.values())]
        lines.append("\t".join(_num(v, precision) for v in row))
    return "\n".join(lines)


def _num(v: float, precision: int) -> str:
    return format_number(v, precision)


def chart(result: PlotResult, width: int, color: bool) -> str:
    """A unicode line chart of every series, with axes, legend and the kinks marked."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(max(width, 30), CHART_HEIGHT)
    plt.theme("pro" if color else "clear")
    xs = result.x
    for name, ys in result.series.items():
        for k, (sx, sy) in enumerate(_segments(xs, ys)):
            plt.plot(sx, sy, marker="braille", label=name if k == 0 else None)
    ys0 = next(iter(result.series.values()))
    for kind, at in result.marks.items():
        points = [(x, _at(xs, ys0, x)) for x in at]
        points = [(x, y) for x, y in points if math.isfinite(y)]
        if points:
            plt.scatter([p[0] for p in points], [p[1] for p in points],
                        marker="x" if kind == "kink" else "o", label=kind)
    x_label = (result.wrt if result.direction is None
               else f"t  ({result.wrt} = {result.wrt}0 + t·v)")
    plt.xlabel(x_label)
    text = plt.build()
    if not color:
        text = _ANSI.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    nans = [x for x, *vals in zip(xs, *result.series.values(), strict=True)
            if any(not math.isfinite(v) for v in vals)]
    if nans:
        lines.append(f"not finite at {len(nans)} of {len(xs)} points "
                     f"({_span(nans)}): gaps in the lines")
    for kind, words in (("jump", "the result jumps"), ("kink", "its derivative jumps")):
        at = result.marks.get(kind, [])
        if at:
            shown = ", ".join(format_number(x, 4) for x in at[:8])
            lines.append(f"{kind}s ({words}) near {result.wrt if result.direction is None else 't'}"
                         f" = {shown}{' …' if len(at) > 8 else ''}")
    if result.output:
        lines = ["output (first point):", *result.output.rstrip("\n").splitlines(), "", *lines]
    return "\n".join(lines)


def _segments(xs: list[float], ys: list[float]) -> list[tuple[list[float], list[float]]]:
    """The runs of finite values (a NaN or an infinity breaks the line)."""
    out: list[tuple[list[float], list[float]]] = []
    cur: tuple[list[float], list[float]] = ([], [])
    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(y):
            cur[0].append(x)
            cur[1].append(y)
        elif cur[0]:
            out.append(cur)
            cur = ([], [])
    if cur[0]:
        out.append(cur)
    return out


def _at(xs: list[float], ys: list[float], x: float) -> float:
    """ys at the sample nearest to x."""
    i = min(range(len(xs)), key=lambda j: abs(xs[j] - x))
    return ys[i]


def _span(vals: list[float]) -> str:
    lo, hi = min(vals), max(vals)
    return format_number(lo, 4) if lo == hi else f"{format_number(lo, 4)} … {format_number(hi, 4)}"


def write_figure(result: PlotResult, path: str) -> None:
    """Write the plot to an .svg, .png or .pdf file with matplotlib."""
    try:
        import matplotlib
    except ImportError:
        from gradcli.errors import UsageError

        raise UsageError(f"writing {path} needs matplotlib, which is not installed",
                         hint="pip install 'gradcli[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Same input, same bytes: fixed SVG ids, no creation date.
    with matplotlib.rc_context({"svg.hashsalt": "gradcli"}):
        _draw(plt, result, path)


def _draw(plt: Any, result: PlotResult, path: str) -> None:
    fig: Any = plt.figure(figsize=(8, 5), dpi=100)
    try:
        ax = fig.add_subplot(1, 1, 1)
        for name, ys in result.series.items():
            ax.plot(result.x, [v if math.isfinite(v) else float("nan") for v in ys],
                    label=name)
        ys0 = next(iter(result.series.values()))
        for kind, at in result.marks.items():
            if at:
                ax.plot(at, [_at(result.x, ys0, x) for x in at],
                        "x" if kind == "kink" else "o", color="black", label=kind)
        ax.set_xlabel(result.wrt if result.direction is None else "t")
        ax.grid(True, alpha=0.3)
        ax.legend()
        metadata = ({"Date": None} if path.endswith(".svg") else
                    {"CreationDate": None} if path.endswith(".pdf") else None)
        fig.savefig(path, metadata=metadata)
    finally:
        plt.close(fig)
