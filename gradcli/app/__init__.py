"""What each command computes: (source, options) → a result object. No click, no rich.

The CLI parses flags into `AppOptions`, calls one function here, and renders what
comes back. Every derivative is computed through the autograd core (nested reverse
mode for `grad --order N`, forward mode for `jvp`); only `check` uses finite
differences, on purpose.

Rooms: `inputs` (options, program text, --set values), `running` (run and the
derivative commands), `checking` (check), `graphing` (graph and explain), `plotting`
(plot), `golden` (test).
"""

from __future__ import annotations

from gradcli.app.checking import MAX_CHECK_ELEMENTS, check
from gradcli.app.golden import golden, golden_files, run_for_golden
from gradcli.app.graphing import explain, graph
from gradcli.app.inputs import (
    MAX_SET_FILE_BYTES,
    AppOptions,
    load_source,
    parse_set_value,
    parse_sets,
    parse_vector,
)
from gradcli.app.plotting import plot
from gradcli.app.running import (
    compile_program,
    derivative,
    evaluate,
    jacobian,
    jvp,
    nth_grad,
    run,
    session,
    vjp,
)

__all__ = [
    "MAX_CHECK_ELEMENTS", "MAX_SET_FILE_BYTES", "AppOptions", "check", "compile_program",
    "derivative", "evaluate", "explain", "golden", "golden_files", "graph", "jacobian", "jvp",
    "load_source", "nth_grad", "parse_set_value", "parse_sets", "parse_vector", "plot", "run",
    "run_for_golden", "session", "vjp",
]
