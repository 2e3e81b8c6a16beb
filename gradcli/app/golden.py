"""`test`: golden-output tests, each prog.gd run and compared with prog.out beside it."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from gradcli.app.inputs import AppOptions, load_source
from gradcli.app.running import run
from gradcli.errors import GdError, UsageError
from gradcli.records import replace
from gradcli.results import GoldenCase, GoldenReport
from gradcli.source import Source

if TYPE_CHECKING:
    from pathlib import Path


def golden_files(paths: list[str]) -> Iterator[Path]:
    """Every .gd file under the given paths, sorted."""
    from pathlib import Path  # here: every command imports this module, few use it

    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(path.rglob("*.gd"))
        elif path.suffix == ".gd" and path.exists():
            yield path
        else:
            raise UsageError(f"no such file or directory: {p}" if not path.exists()
                             else f"{p} is not a .gd file")


def run_for_golden(path: Path, render_error: Callable[[GdError, Source], str],
                   opts: AppOptions | None = None) -> str:
    """What `gradcli run PATH` (with the options of `opts`) prints: stdout, then any error
    as the CLI shows it."""
    buffer = io.StringIO()
    # Errors name the file by its basename, so expectations don't depend on the cwd.
    source = Source(path.name, "")
    opts = replace(opts or AppOptions(), write=buffer.write, progress=None, warn=None)
    try:
        source = Source(path.name, load_source(str(path), None,
                                               max_bytes=opts.limits.max_program_size).text)
        run(source, opts)
    except GdError as e:
        buffer.write(render_error(e, source))
    return buffer.getvalue()


def golden(paths: list[str], update: bool, render_error: Callable[[GdError, Source], str],
           opts: AppOptions | None = None) -> GoldenReport:
    """`test`: run each prog.gd (under `opts`) and compare with prog.out beside it."""
    cases = []
    files = list(golden_files(paths))
    if not files:
        raise UsageError("no .gd files found under " + ", ".join(paths))
    for path in files:
        expected_path = path.with_suffix(".out")
        actual = run_for_golden(path, render_error, opts)
        shown = os.path.relpath(path)
        if expected_path.exists():
            expected = expected_path.read_text(encoding="utf-8")
            if expected == actual:
                cases.append(GoldenCase(shown, True, "pass"))
                continue
            if update:
                expected_path.write_text(actual, encoding="utf-8")
                cases.append(GoldenCase(shown, True, "updated"))
                continue
            import difflib

            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                fromfile=str(expected_path), tofile="actual"))
            cases.append(GoldenCase(shown, False, "fail", diff))
        elif update:
            expected_path.write_text(actual, encoding="utf-8")
            cases.append(GoldenCase(shown, True, "updated"))
        else:
            cases.append(GoldenCase(shown, False, "missing",
                                    f"no {expected_path.name}; create it with --update"))
    return GoldenReport(cases, update)
