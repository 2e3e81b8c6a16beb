"""Narrow and wide terminals (issue 13, item 5): tables never cut a number.

Goldens in tests/golden/narrow/ (rewrite with GRADCLI_UPDATE_GOLDEN=1) hold the table
output of representative commands at COLUMNS=40, 60 and 100, and the plain text a
terminal of that width gets. Beside the goldens, every table is checked against the
same command's plain output off a terminal (the full data, one matrix row a line):
each number shown is whole and sits at its own row and column, every column not shown
is named by the note under its table, the row indices stay, and `check` keeps its
verdict column next to the index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gradcli.cli import main
from gradcli.render import render
from gradcli.render.numbers import elision_note
from gradcli.results import TensorData

GOLDEN = Path(__file__).parent / "golden" / "narrow"
UPDATE = os.environ.get("GRADCLI_UPDATE_GOLDEN") == "1"
ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "dumb"}

GRAD20 = """\
x = torch.linspace(-3.0, 3.0, 20, requires_grad=True)
y = (torch.sin(x) * x ** 3 + 1000.0 * x).sum()
y
"""
JAC68 = """\
x = torch.linspace(-2.0, 2.0, 8)
W = torch.arange(48.0).reshape(6, 8) / 7.0 - 3.0
y = torch.tanh(W @ x) * 100.0 + W @ (x * x)
y
"""
CHECK3 = """\
a = torch.tensor([0.5, -1.25, 2.0])
b = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
c = torch.tensor(0.75)
y = (torch.exp(a * c).sum() * b).pow(2).sum() + torch.sin(c)
y
"""
RANK3 = """\
x = (torch.arange(72.0).reshape(2, 3, 12) / 7.0).requires_grad_()
y = (x * x * 1.5).sum()
y
"""

CASES = {
    "grad20": (GRAD20, ["eval", "prog.gd", "--wrt", "x"]),
    "jacobian6x8": (JAC68, ["jacobian", "prog.gd", "--wrt", "x"]),
    "rank3": (RANK3, ["grad", "prog.gd", "--wrt", "x"]),
    "check3": (CHECK3, ["check", "prog.gd", "--wrt", "a", "--wrt", "b", "--wrt", "c"]),
    "explain": (CHECK3, ["explain", "prog.gd", "--wrt", "a", "--wrt", "c"]),
    "graph": (CHECK3, ["graph", "prog.gd", "--wrt", "a", "--values"]),
}
WIDTHS = (40, 60, 100)
NOTE = re.compile(r"^(\d+) of (\d+) columns not shown \((.*)\): widen the terminal or use "
                  r"--format plain/json$")
FLOAT = re.compile(r"^-?(\d+\.\d*|\d*\.\d+)(e[-+]\d+)?$|^-?\d+e[-+]\d+$")
CUT = re.compile(r"[\d.:]…|…[\d.]")


def gradcli(source: str, args: list[str], columns: int, fmt: str = "table",
            tmp: Path | None = None) -> str:
    """stdout of gradcli on the program, off a terminal, at COLUMNS=columns."""
    assert tmp is not None
    (tmp / "prog.gd").write_text(source)
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        flags = [] if fmt == "table" else ["--format", fmt]  # the default: tables, graph's tree
        r = CliRunner().invoke(main, [*args, *flags],
                               env={**ENV, "COLUMNS": str(columns)}, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    return r.stdout


#: A finite-difference error as check prints it (3 significant digits): its last digits
#: are the C library's and numpy's SIMD exp/sin on this CPU (AVX-512 or not), so the
#: goldens hold a mask of the same width where one stands.
_FD_ERROR = re.compile(r"\b\d\.\d\de[-+]\d\d\b")


def assert_golden(name: str, text: str) -> None:
    if name.startswith("check"):
        text = _FD_ERROR.sub("#.##e-##", text)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with GRADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


# --------------------------------------------------------------------------- reading tables


def tables(text: str) -> list[tuple[list[str], list[list[str]], list[str] | None]]:
    """Each boxed table: (headers, body rows of cells, the names/indices its note hides)."""
    lines = text.split("\n")
    found = []
    k = 0
    while k < len(lines):
        if not lines[k].startswith("╭"):
            k += 1
            continue
        header_parts: list[list[str]] = []
        rows: list[list[str]] = []
        in_header = True
        k += 1
        while not lines[k].startswith("╰"):
            line = lines[k]
            if line.startswith("├"):
                in_header = False
            elif line.startswith("│"):
                cells = [c.strip() for c in line.strip().strip("│").split("│")]
                (header_parts if in_header else rows).append(cells)
            k += 1
        if not rows:  # a table without a header row (a scalar)
            rows, header_parts = header_parts, []
        headers = [" ".join(p for p in parts if p) for parts in zip(*header_parts, strict=True)]
        k += 1
        note = ""
        if k < len(lines) and re.match(r"^\d+ of \d+ columns not shown", lines[k]):
            note = lines[k]
            while not note.endswith("plain/json"):
                k += 1
                note += " " + lines[k]
        hidden = None
        if note:
            m = NOTE.match(note)
            assert m, note
            hidden = _hidden(m.group(3))
            assert len(hidden) == int(m.group(1))
            shown = [h for h in headers if h not in ("", "…")]
            assert len(shown) + len(hidden) == int(m.group(2)), note
        found.append((headers, rows, hidden))
    return found


def _hidden(what: str) -> list[str]:
    out: list[str] = []
    for part in what.split(", "):
        if re.fullmatch(r"\d+–\d+", part):
            lo, hi = map(int, part.split("–"))
            out += [str(i) for i in range(lo, hi + 1)]
        else:
            out.append(part)
    return out


def plain_sections(plain: str) -> dict[str, list[list[str]]]:
    """Plain text off a terminal: each tensor section's heading -> its rows of values."""
    out: dict[str, list[list[str]]] = {}
    for block in plain.split("\n\n"):
        head, *body = block.split("\n")
        if "shape=" in head:
            out[head.split("  shape=")[0]] = [
                line.split() for line in body if line.strip() and not line.strip().startswith("(")
            ]
    return out


def assert_whole_numbers(table_text: str, plain: str) -> None:
    """No number in the table is cut, and every one is a number of the plain output."""
    assert not CUT.search(table_text), CUT.search(table_text)
    numbers = {t.strip("[],()") for t in re.split(r"[\s=]+", plain)}
    for token in re.split(r"[\s│╭╮╰╯├┤┬┴┼─]+", table_text):
        token = token.strip("[],()")
        if FLOAT.match(token):
            assert token in numbers, f"{token!r} is not a number of the plain output"


def assert_tensor_tables_match(table_text: str, plain: str) -> None:
    """Every tensor table shows its section's numbers at their row and column, indices
    included, and names every column it leaves out."""
    sections = plain_sections(plain)
    shapes = dict(re.findall(r"^(.*)  ·  shape \[([\d, ]*)\]", table_text, re.M))
    grids = [t for t in tables(table_text)
             if t[0] and all(re.fullmatch(r"\+?\d+|…|", h) for h in t[0])]
    shaped = [h for h, shape in shapes.items() if shape]  # scalars have no grid header
    assert len(grids) == len(shaped), (shaped, len(grids))
    for heading, (headers, rows, hidden) in zip(shaped, grids, strict=True):
        is_vector = "," not in shapes[heading]
        values = sections[heading]
        if is_vector:  # plain folds a long vector: one row of all its values
            values = [[v for row in values for v in row]]
        cols = headers[1:] if headers[0] == "" else headers
        if "…" in cols:
            assert hidden is not None, f"{heading}: columns elided without a note"
        elif hidden is None:
            hidden = []
        shown = [c for c in cols if c != "…"]
        if all(c.startswith("+") for c in shown):  # a folded vector: start index + offset
            flat = values[0]
            for row in rows:
                start = int(row[0])
                for c, cell in zip(shown, row[1:], strict=True):
                    if cell:
                        assert cell == flat[start + int(c)], (heading, start, c)
            continue
        n_cols = len(values[0])
        assert sorted(map(int, shown + (hidden or []))) == list(range(n_cols)), heading
        label_col = headers[0] == ""
        assert is_vector or label_col, f"{heading}: row indices are gone"
        for i, row in enumerate(rows):
            cells = row[1:] if label_col else row
            if label_col:
                assert row[0] == str(i), f"{heading}: row index {row[0]!r} at row {i}"
            for c, cell in zip(cols, cells, strict=True):
                if c != "…":
                    assert cell == values[i][int(c)], (heading, i, c)


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("case", list(CASES))
def test_tables_at_narrow_and_wide_widths(case: str, columns: int, tmp_path: Path) -> None:
    source, args = CASES[case]
    text = gradcli(source, args, columns, tmp=tmp_path)
    assert_golden(f"{case}_{columns}.txt", text)
    assert max(len(line) for line in text.split("\n")) <= columns, "wider than COLUMNS"
    plain = gradcli(source, args, columns, "plain", tmp=tmp_path)
    assert_whole_numbers(text, plain)
    if case in ("grad20", "jacobian6x8"):
        assert_tensor_tables_match(text, plain)


@pytest.mark.parametrize("case", list(CASES))
def test_plain_off_a_terminal_ignores_columns(case: str, tmp_path: Path) -> None:
    source, args = CASES[case]
    outputs = {gradcli(source, args, c, "plain", tmp=tmp_path) for c in (40, 60, 100, 200)}
    assert len(outputs) == 1, "plain output in a pipe changed with COLUMNS"
    assert_golden(f"{case}_plain.txt", outputs.pop())


def test_check_keeps_its_index_and_verdict_first_when_columns_go(tmp_path: Path) -> None:
    source, args = CASES["check3"]
    narrow = tables(gradcli(source, args, 40, tmp=tmp_path))
    headers, rows, hidden = narrow[1]  # the rule checks
    assert headers[:2] == ["#", "result"] and hidden == ["at", "max abs error", "max rel error"]
    assert [r[0] for r in rows] == [f"#{i}" for i in range(8)]
    assert all(r[1] == "ok" for r in rows)
    wide = tables(gradcli(source, args, 100, tmp=tmp_path))[1]
    assert wide[0] == ["#", "op", "grad_fn", "at", "max abs error", "max rel error", "result"]
    assert wide[2] is None


def test_wide_terminals_do_not_stretch(tmp_path: Path) -> None:
    """Past its natural width nothing widens (300 columns give what 1000 give), and every
    number shown at 100 is shown at 300."""
    def floats(text: str) -> list[str]:
        return sorted(t for t in re.split(r"[\s│\[\],]+", text) if FLOAT.match(t))

    for case, (source, args) in CASES.items():
        at300 = gradcli(source, args, 300, tmp=tmp_path)
        assert at300 == gradcli(source, args, 1000, tmp=tmp_path), case
        assert set(floats(gradcli(source, args, 100, tmp=tmp_path))) <= set(floats(at300)), case


# --------------------------------------------------------------------------- plain on a terminal


def _matrix() -> TensorData:
    a = (np.arange(48.0).reshape(6, 8) / 7.0 - 3.0) * 1000.0
    return TensorData(shape=[6, 8], dtype="float32", value=a.tolist())


@pytest.mark.parametrize("columns", WIDTHS)
def test_plain_on_a_terminal_wraps_matrices_into_indexed_column_blocks(columns: int) -> None:
    text = render(_matrix(), "plain", width=columns)
    assert_golden(f"matrix6x8_plain_{columns}.txt", text + "\n")
    assert max(len(line) for line in text.split("\n")) <= columns
    piped = render(_matrix(), "plain", width=None).split("\n")[1:]
    full = [line.split() for line in piped]
    if columns == 100:  # it fits: exactly what a pipe gets
        assert text.split("\n")[1:] == piped
        return
    seen: dict[tuple[int, int], str] = {}
    block_cols: list[int] = []
    for line in text.split("\n")[1:]:
        tokens = line.split()
        if line.startswith("   "):  # a block's header: its column indices
            block_cols = [int(t) for t in tokens]
            continue
        i = int(tokens[0])
        for j, cell in zip(block_cols, tokens[1:], strict=True):
            seen[i, j] = cell
    assert seen == {(i, j): full[i][j] for i in range(6) for j in range(8)}


def test_plain_that_fits_is_the_same_at_every_width() -> None:
    small = TensorData(shape=[2, 3], dtype="float32", value=[[1.5, -2.0, 3.25], [4.0, 5.0, 6.0]])
    texts = {render(small, "plain", width=w) for w in (None, 40, 60, 100, 200)}
    assert texts == {"value  shape=[2, 3]  dtype=float32\n"
                     "   1.5000  -2.0000   3.2500\n"
                     "   4.0000   5.0000   6.0000"}


def test_elision_note_wording() -> None:
    assert elision_note(list(range(6, 16)), 20) == (
        "10 of 20 columns not shown (6–15): widen the terminal or use --format plain/json")
    assert elision_note([1, 2, 37, 38], 40).startswith("4 of 40 columns not shown (1–2, 37–38)")
    assert elision_note(["at", "max rel error"], 7) == (
        "2 of 7 columns not shown (at, max rel error): widen the terminal or use "
        "--format plain/json")


def test_plain_on_a_real_terminal_follows_columns() -> None:
    """Under a pseudo-terminal plain honours COLUMNS; the same command piped does not."""
    pty = pytest.importorskip("pty")
    prog = ["jacobian", "-e", JAC68, "--wrt", "x", "--format", "plain"]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"COLUMNS": "40", "TERM": "xterm-256color", "NO_COLOR": "1"})
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gradcli", *prog], stdout=slave,
                            stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    on_tty = b"".join(chunks).decode().replace("\r\n", "\n")
    piped = subprocess.run([sys.executable, "-m", "gradcli", *prog], capture_output=True,
                           env=env, check=True, timeout=120).stdout.decode()
    values = [ln for ln in on_tty.split("\n") if "shape=" not in ln and "(" not in ln]
    assert max(len(line) for line in values) <= 40  # headings and notes are single lines
    assert max(len(line) for line in piped.split("\n")) > 40  # one matrix row a line
    # The blocks hold the piped rows' numbers, each under its column index.
    assert "\n" + " " * 11 + "0" in on_tty and sorted(on_tty.split()) != sorted(piped.split())
    numbers = {t for t in piped.split() if FLOAT.match(t)}
    assert {t for t in on_tty.split() if FLOAT.match(t)} == numbers


def test_a_table_is_never_just_its_index() -> None:
    """A path longer than the terminal folds beside its status rather than vanish."""
    from gradcli.results import GoldenCase, GoldenReport

    path = "examples/a_very_long_file_name_for_the_golden_test_report.gd"
    text = render(GoldenReport([GoldenCase(path, True, "pass")]), "table", width=40)
    assert max(len(line) for line in text.split("\n")) <= 40
    assert "columns not shown" not in text
    [(headers, rows, hidden)] = tables(text)
    assert headers == ["status", "path"] and hidden is None
    assert rows[0][0] == "pass" and "".join(r[1] for r in rows) == path


@pytest.mark.parametrize("precision", ["2", "6"])
def test_precision_applies_to_tables_and_plain_alike(precision: str, tmp_path: Path) -> None:
    """--precision sets the digits of table cells, the same as plain's, at any width:
    PyTorch's printing rule (``print(x.grad)`` under set_printoptions(precision=N))."""
    source = "x = tensor([1.23456789, -25.5, 3000.125], requires_grad=True)\n(x * x).sum()\n"
    args = ["eval", "prog.gd", "--wrt", "x", "--precision", precision]
    plain = gradcli(source, args, 40, "plain", tmp=tmp_path)
    digits = {"2": ["2.47e+00", "-5.10e+01", "6.00e+03"],
              "6": ["2.469136e+00", "-5.100000e+01", "6.000250e+03"]}
    assert plain_sections(plain)["gradient ∂out/∂x"] == [digits[precision]]
    for columns in (40, 100):
        text = gradcli(source, args, columns, tmp=tmp_path)
        assert_whole_numbers(text, plain)
        assert_tensor_tables_match(text, plain)


@pytest.mark.parametrize("case", list(CASES))
def test_tiny_terminals_still_cut_no_number(case: str, tmp_path: Path) -> None:
    """Below 20 columns the layout is the 20-column one; numbers stay whole there too."""
    source, args = CASES[case]
    at20 = gradcli(source, args, 20, tmp=tmp_path)
    assert gradcli(source, args, 1, tmp=tmp_path) == at20
    assert_whole_numbers(at20, gradcli(source, args, 20, "plain", tmp=tmp_path))
