"""Rendering of results for output: tables, plain text, JSON, graph formats, errors.

Renderers take the plain objects of :mod:`gradcli.results` and return text without a
trailing newline; the CLI writes it. Only the table and tree views (and coloured
errors) import rich, and only when called: JSON and plain output stay fast to start.

* :func:`render` -- any result as ``"table" | "plain" | "json"``.
* :func:`render_graph` -- a graph as ``"tree" | "dot" | "mermaid" | "json"``
  (``"table"`` is the tree, ``"plain"`` a listing in creation order).
* :func:`render_error` -- a compiler-style diagnostic, or ``{"error": {...}}`` as JSON.
* :func:`render_output` -- what the program printed, as the "output" section (before an
  error).

PyTorch-identical tensor printing (the program's ``print``) is the tensor's own, in
``gradcli.ad.tensor_str``.
"""

from __future__ import annotations

from gradcli.results import ErrorInfo, GraphResult, PlotResult

__all__ = ["FORMATS", "GRAPH_FORMATS", "render", "render_error", "render_graph",
           "render_output"]

FORMATS = ("table", "plain", "json")
MIN_WIDTH = 20  # narrower terminals are laid out as if this wide (then wrapped by them)
GRAPH_FORMATS = ("tree", "dot", "mermaid", "json", "table", "plain")


def render(
    result: object,
    fmt: str,
    *,
    precision: int = 4,
    width: int | None = None,
    color: bool = False,
    full: bool = False,
) -> str:
    """Any result object (or ErrorInfo) as ``fmt`` text: "table", "plain" or "json".
    Long listings (graph, explain, check) show their first and last rows unless `full`."""
    if isinstance(result, ErrorInfo):
        return render_error(result, fmt, color=color)
    width = None if width is None else max(width, MIN_WIDTH)
    if isinstance(result, PlotResult):
        from gradcli.render.plot import render_plot

        return render_plot(result, fmt, precision=precision, width=width, color=color)
    if fmt == "json":
        from gradcli.render.json_out import render_json

        return render_json(result)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    from gradcli.render.summary import summarise, wrapped

    result, note = summarise(result, full)
    if fmt == "plain":
        from gradcli.render.plain import render_plain

        text = render_plain(result, precision=precision, width=width)
    else:
        from gradcli.render.table import render_table

        text = render_table(result, precision=precision, width=width, color=color)
    return text if note is None else f"{text}\n{wrapped(note, width)}"


def render_graph(
    result: GraphResult,
    fmt: str,
    *,
    precision: int = 4,
    width: int | None = None,
    color: bool = False,
    full: bool = False,
) -> str:
    """A graph as "tree" (rich), "dot", "mermaid", "json", or "plain" (a node listing);
    the tree and the listing show the first and last nodes of a long tape unless `full`."""
    width = None if width is None else max(width, MIN_WIDTH)
    if fmt in ("tree", "table"):
        from gradcli.render.summary import summarise, wrapped
        from gradcli.render.table import render_tree

        shown, note = summarise(result, full)
        text = render_tree(shown, precision=precision, width=width, color=color)
        return text if note is None else f"{text}\n{wrapped(note, width)}"
    if fmt == "dot":
        from gradcli.render.graph_formats import render_dot

        return render_dot(result, precision=precision)
    if fmt == "mermaid":
        from gradcli.render.graph_formats import render_mermaid

        return render_mermaid(result, precision=precision)
    if fmt in ("json", "plain"):
        return render(result, fmt, precision=precision, width=width, full=full)
    raise ValueError(f"unknown graph format {fmt!r} (expected one of {', '.join(GRAPH_FORMATS)})")


def render_output(output: str, fmt: str, *, width: int | None = None,
                  color: bool = False) -> str:
    """What the program printed, alone: the "output" section of ``fmt`` ("table" or
    "plain") that a result would carry (shown before an error, so it is never lost)."""
    if fmt == "plain":
        from gradcli.render.plain import _output_lines

        return "\n".join(_output_lines(output))
    from gradcli.render.console import DEFAULT_WIDTH, render_to_text
    from gradcli.render.table import _output_block

    return render_to_text([_output_block(output, width or DEFAULT_WIDTH)], width, color)


def render_error(info: ErrorInfo, fmt: str = "table", *, color: bool = False) -> str:
    """An error as a compiler-style diagnostic (``fmt`` "table"/"plain") or JSON ("json").

    Text form: ``FILE:LINE:COL: error: MESSAGE``, the source line, a caret line
    ``^~~~`` under columns ``column`` to ``end_column`` (exclusive), then ``hint: ...``.
    Without a line it is ``FILE: error: MESSAGE``, without a file ``gradcli: error: ...``.
    """
    if fmt == "json":
        from gradcli.render.json_out import dumps, error_to_json

        return dumps(error_to_json(info))
    location, source, caret = _error_parts(info)
    lines = [f"{location}error: {info.message}"]
    if source is not None and caret is not None:
        lines += [source, caret]
    lines += call_chain_lines(info)
    if info.hint:
        lines.append(f"hint: {info.hint}")
    if not color:
        return "\n".join(lines)
    return _colored_error(info, location, source, caret)


_SHOWN_REPEATS = 3  # identical calls in a row shown before "… N more calls of f at ..."
_SHOWN_CALLS = 20  # at most this many lines of calls: the first and last halves


def call_chain_lines(info: ErrorInfo) -> list[str]:
    """``call chain (outermost first):``, one ``FILE:LINE:COL: source`` line per gd call
    that led to the error, ending at the failing line; recursion is collapsed."""
    if not info.calls:
        return []
    frames: list[str] = []
    for c in info.calls:
        where = f"{c['file'] or '<input>'}:{c['line']}:{c['column']}"
        frames += [f"  {where}: {c['source']}"] * min(c["count"], _SHOWN_REPEATS)
        if c["count"] > _SHOWN_REPEATS:
            more = c["count"] - _SHOWN_REPEATS
            frames.append(f"  \u2026 {more} more call{'s' if more != 1 else ''} "
                          f"of {c['function']} at {where}")
    if len(frames) > _SHOWN_CALLS:
        half = _SHOWN_CALLS // 2
        skipped = f"  \u2026 {len(frames) - 2 * half} more lines of calls"
        frames = [*frames[:half], skipped, *frames[-half:]]
    if info.line is not None and info.source_line is not None:
        frames.append(f"  {info.file or '<input>'}:{info.line}:{info.column}: "
                      f"{info.source_line.strip()}")
    return ["call chain (outermost first):", *frames]


def _error_parts(info: ErrorInfo) -> tuple[str, str | None, str | None]:
    """(``"FILE:LINE:COL: "`` prefix, source line, caret line) of a diagnostic."""
    if info.line is not None:
        where = f"{info.file or '<input>'}:{info.line}"
        if info.column is not None:
            where += f":{info.column}"
        location = where + ": "
    elif info.file:
        location = f"{info.file}: "
    else:
        location = "gradcli: "
    if info.source_line is None or info.line is None or info.column is None:
        return location, None, None
    source = info.source_line.rstrip("\r\n")
    start = max(info.column - 1, 0)
    end = info.end_column - 1 if info.end_column is not None else start + 1
    # One past the end of the line is a valid place to point (a missing ')' at EOL).
    end = min(max(end, start + 1), max(len(source) + 1, start + 1))
    # Copy tabs from the source so the caret lands under the same column in any terminal.
    pad = "".join("\t" if ch == "\t" else " " for ch in source[:start]).ljust(start)
    return location, source, pad + "^" + "~" * (end - start - 1)


def _colored_error(info: ErrorInfo, location: str, source: str | None, caret: str | None) -> str:
    from rich.text import Text

    from gradcli.render.console import render_to_text

    text = Text()
    text.append(location, style="bold")
    text.append("error:", style="bold red").append(" ").append(info.message, style="bold")
    if source is not None and caret is not None:
        text.append("\n" + source + "\n")
        text.append(caret, style="bold green")
    for line in call_chain_lines(info):
        text.append("\n" + line)
    if info.hint:
        text.append("\n").append("hint:", style="bold cyan").append(" " + info.hint)
    # Errors are never wrapped: a long message stays one line, like a compiler's.
    return render_to_text([text], 10_000, True)
