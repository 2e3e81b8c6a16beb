"""`--batch FILE` for eval, grad, jvp, vjp, jacobian and check: one JSON line out per JSON
line in, in order; `--jobs N` forks N workers (each inherits what the lines need) and
keeps the order. The lines themselves are read and turned into --set bindings by
gradcli.app.batch."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

from gradcli.cli import Exit
from gradcli.cli_errors import error_info

_BATCH: dict[str, Any] = {}  # what each line needs; forked workers inherit it


def run_batch(compute: Callable[..., Any], source: Any, opts: Any, path: str, jobs: int,
              extra: dict[str, Any]) -> int:
    from gradcli.app.batch import numbered_lines

    if path == "-":
        lines = list(numbered_lines(sys.stdin))
    else:
        try:
            with open(path, encoding="utf-8") as f:
                lines = list(numbered_lines(f))
        except (OSError, UnicodeDecodeError) as e:
            from gradcli.errors import UsageError

            raise UsageError(f"--batch {path}: {getattr(e, 'strerror', None) or e}") from None
    opts.progress = None
    _BATCH.update(compute=compute, source=source, opts=opts, extra=extra)
    if jobs > 1 and len(lines) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(jobs, len(lines))) as pool:
            outcomes = list(pool.imap(_batch_line, lines,
                                      chunksize=max(1, len(lines) // (4 * jobs))))
    else:
        outcomes = map(_batch_line, lines)
    worst = Exit.OK
    for text, status in outcomes:
        sys.stdout.write(text + "\n")
        if status == "error":
            worst = Exit.RUNTIME
        elif status == "failed" and worst is Exit.OK:
            worst = Exit.FAILED
    return worst


def _batch_line(line: tuple[int, str]) -> tuple[str, str]:
    """One input line: (its JSON output line, "ok" | "failed" | "error")."""
    import json

    from gradcli.app.batch import line_sets, options_for
    from gradcli.errors import GdError
    from gradcli.render.json_out import error_to_json, to_json

    number, text = line
    captured = io.StringIO()
    try:
        opts = options_for(_BATCH["opts"], line_sets(text))
        opts.write = captured.write
        result = _BATCH["compute"](_BATCH["source"], opts, **_BATCH["extra"])
        result.output = captured.getvalue()
        status = "failed" if getattr(result, "ok", True) is False else "ok"
        return json.dumps(to_json(result), allow_nan=False), status
    except GdError as e:
        obj = {"input_line": number, **error_to_json(error_info(e, _BATCH["source"]))}
        if captured.getvalue():
            obj["output"] = captured.getvalue()
        return json.dumps(obj, allow_nan=False), "error"
