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

import importlib
from typing import Any

# Imported now: the function `golden` is named as its module is, which importing the
# module by any other way would leave as the package's attribute `golden`.
from gradcli.app.golden import golden, golden_files, run_for_golden

#: name -> the room (module) that defines it. A name is imported from its room the first
#: time it is looked up (PEP 562): `gradcli eval` loads no check, graph or plot code.
_ROOMS = {
    "MAX_CHECK_ELEMENTS": "checking", "check": "checking",
    "explain": "graphing", "graph": "graphing",
    "MAX_SET_FILE_BYTES": "inputs", "AppOptions": "inputs", "load_source": "inputs",
    "parse_set_value": "inputs", "parse_sets": "inputs", "parse_vector": "inputs",
    "plot": "plotting",
    "compile_program": "running", "derivative": "running", "evaluate": "running",
    "jacobian": "running", "jvp": "running", "nth_grad": "running", "run": "running",
    "session": "running", "vjp": "running",
}

__all__ = ["golden", "golden_files", "run_for_golden", *sorted(_ROOMS)]


def __getattr__(name: str) -> Any:
    room = _ROOMS.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{room}"), name)
    globals()[name] = value  # looked up once
    return value
