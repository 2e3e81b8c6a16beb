"""The one place a rich Console is built: to a string buffer, fixed width, colour on request.

Everything rich prints for gradcli goes through :func:`make_console` and comes back as
a string, so output is byte-identical between runs and never depends on the real
terminal (its size, ``FORCE_COLOR``, ``COLUMNS``, Jupyter, ...). The CLI decides the
width and whether to colour, and writes the string where it belongs.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.console import Console, RenderableType

DEFAULT_WIDTH = 100


def make_console(width: int | None, color: bool) -> Console:
    """A Console that renders into an in-memory buffer at ``width`` (default 100) columns."""
    return Console(
        file=io.StringIO(),
        width=width or DEFAULT_WIDTH,
        # No colour system at all when colour is off: not even bold escapes get out.
        color_system="auto" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        # Our renderables are built from Text objects: no markup parsing of user strings
        # (a variable named `[bold]`), no emoji codes, no guessing highlights.
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        # Without colour, ignore the environment entirely (FORCE_COLOR, TTY_* ...): the CLI
        # decides. With colour we are on a real terminal, whose TERM/COLORTERM pick the palette.
        _environ=None if color else {},
    )


def render_to_text(renderables: Iterable[RenderableType], width: int | None, color: bool) -> str:
    """Print renderables to a fresh console; the text, trailing spaces and newline removed."""
    console = make_console(width, color)
    for r in renderables:
        console.print(r)
    buffer = console.file
    assert isinstance(buffer, io.StringIO)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
