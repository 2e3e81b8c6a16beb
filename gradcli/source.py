"""Source text and positions: what every error points into."""

from __future__ import annotations

from gradcli.records import record


@record(frozen=True, slots=True)
class Span:
    """A region of source text; lines and columns are 1-based, the end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(line: int, column: int) -> Span:
        """A one-character span at a position."""
        return Span(line, column, line, column + 1)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@record(frozen=True, slots=True)
class Source:
    """A program's text and the name it is reported under (a path, `<stdin>` or `<expr>`)."""

    name: str
    text: str

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline ('' when out of range)."""
        # Only \n ends a line, as the parser counts them (splitlines() would also break
        # at \f, \x1c or \u2028 and misplace carets).
        lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if 1 <= line <= len(lines):
            return lines[line - 1]
        return ""
