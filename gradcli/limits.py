"""Every limit a command runs under, with its default, defined once.

Layer-neutral: imports nothing from gradcli, so the autograd core, the parser, the
interpreter, the app and the CLI's help text all read the same numbers. A limit's
field name is also its identity in errors (`GdLimitError.limit`); only the CLI turns
it into a flag name (`max_memory` → `--max-memory`).
"""

from __future__ import annotations

from typing import Any

from gradcli.records import fields, record, replace


@record(frozen=True, slots=True)
class Limits:
    """The safety limits of one command (each has a `--max-*` flag of the same name)."""

    # Measured (README "Limits and safety"): the examples and bench programs need at most
    # 250,000 steps and 1,000,000 graph nodes (W9's largest W1 sweep: 11-16 s, 647 MiB);
    # every runaway program measured stops within ~26 s at these defaults (a gd call costs
    # ~4 µs a step, a loop iteration 0.5-2 µs; only ops costing ~20 ms a step reach max_time).
    max_steps: int = 2_000_000  # loop iterations and calls
    max_depth: int = 200  # call depth of gd functions
    max_elements: int = 50_000_000  # elements of one tensor
    max_memory: int = 2 << 30  # bytes held by the process (2 GiB)
    max_program_size: int = 1_000_000  # bytes of program text
    max_nesting: int = 200  # brackets and expression depth, as CPython's parser allows
    max_output: int = 100_000_000  # characters a program may print
    max_time: float = 25.0  # seconds a command may run; 0: no limit

    def with_overrides(self, **values: Any) -> Limits:
        """A copy with the given fields replaced; None means "keep the default"."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


DEFAULT_LIMITS = Limits()
LIMIT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Limits))

# Caps on plain Python values (no flag: they guard single calls no step check interrupts).
MAX_SEQUENCE = 10_000_000  # items in a list or tuple, characters in a string
MAX_TENSOR_ITEMS = 1_000_000  # tensors made by list(t), enumerate(t), zip(t, …) of one tensor
MAX_INT_BITS = 100_000  # Python ints beyond this are a limit error (10**10**10 never hangs)


def flag_for(limit: str) -> str:
    """The command-line flag of a limit: `max_memory` → `--max-memory`."""
    return "--" + limit.replace("_", "-")
