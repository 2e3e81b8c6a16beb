"""One command's settings for the autograd core, entered as a context.

The app builds a `Session` per command and enters it; leaving restores what was
there before. Nothing outside the core writes the core's `State`: this is the one
door. Fields:

* `limits` — the command's `Limits` (the core enforces max_elements, max_memory and
  max_time; the interpreter reads the others from the same object).
* `dtype`, `seed`, `precision`, `detect_anomaly` — as the CLI's flags say.
* `keep_buffers` — a *physical* policy: saved tensors stay in memory after a backward
  pass that PyTorch would have freed, so the CLI can differentiate the result again
  at the end. The *logical* freeing is unchanged under every command: a program's own
  second backward through a freed graph fails with PyTorch's message.
* `on_record` — a hook that sees each new node and its output (graph, explain, check).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.rng import DEFAULT_SEED
from gradcli.ad.state import POSITION, State
from gradcli.ad.tensor_str import DEFAULT_PRINT_OPTIONS, PRINT_OPTIONS
from gradcli.limits import DEFAULT_LIMITS, Limits
from gradcli.records import field, record
from gradcli.source import Source

#: numpy's print options in a new process: where every command's np.set_printoptions starts.
NUMPY_PRINT_DEFAULTS: dict[str, Any] = {
    "edgeitems": 3, "threshold": 1000, "floatmode": "maxprec", "precision": 8,
    "suppress": False, "linewidth": 75, "nanstr": "nan", "infstr": "inf", "sign": "-",
    "formatter": None, "legacy": False, "override_repr": None}


@record
class Session:
    """Settings for one command; `with Session(...):` applies them to the core."""

    limits: Limits = DEFAULT_LIMITS
    dtype: str | None = None
    seed: int | None = None
    precision: int | None = None  # the print precision the program starts with (None: 4)
    detect_anomaly: bool = False
    keep_buffers: bool = False
    on_record: Callable[[Any, Any], None] | None = None
    # Where PyTorch's user warnings are written (the command's stderr; None: dropped), as
    # Python's warnings module prints them: "FILE:LINE: UserWarning: text" and the line.
    warn: Callable[[str], object] | None = None
    source: Source | None = None  # the program, for the file name and line of a warning
    _saved: tuple[Any, ...] | None = field(default=None, repr=False)

    def __enter__(self) -> Session:
        self._saved = (dtypes.DefaultDtype.value, State.max_elements, State.max_memory,
                       State.time_limit, State.deadline, State.allocated, State.detect_anomaly,
                       State.keep_buffers, State.final_pass, State.grad_enabled,
                       State.on_record, State.tape, State.forward_level, State.on_warning,
                       State.warned, State.leaf_hooks, State.post_accumulate_hooks,
                       State.torch_anomaly, State.inference_mode, State.inference_seen,
                       State.anomaly_check_nan, State.saved_hooks, PRINT_OPTIONS.snapshot(),
                       np.get_printoptions())
        lim = self.limits
        State.max_elements = lim.max_elements
        State.max_memory = lim.max_memory
        State.allocated = 0
        State.time_limit = lim.max_time
        # CPU time (the process's, all its threads), not the wall clock: a program's outcome
        # must not depend on how loaded the machine is (a CI host running many jobs).
        State.deadline = time.process_time() + lim.max_time if lim.max_time else None
        State.detect_anomaly = self.detect_anomaly
        State.keep_buffers = self.keep_buffers
        State.final_pass = False
        State.on_record = self.on_record
        State.on_warning = self._emit if self.warn is not None else None
        State.warned = set()
        State.leaf_hooks = {}
        State.post_accumulate_hooks = {}
        State.hook_ids = 0
        State.torch_anomaly = State.inference_mode = State.inference_seen = False
        State.meta_seen = State.default_meta = False
        State.anomaly_check_nan = True
        State.saved_hooks = ()
        PRINT_OPTIONS.restore(DEFAULT_PRINT_OPTIONS)  # torch.set_printoptions: per command
        np.set_printoptions(**NUMPY_PRINT_DEFAULTS)  # and numpy's (np.set_printoptions)
        if self.precision is not None:
            PRINT_OPTIONS.precision = self.precision
        if self.dtype:
            dtypes.set_default_dtype(self.dtype)
        # Every command starts from the same random state (--seed, else PyTorch's fresh
        # generator's), as a new process would: a --batch line or a second command in
        # one process does not see the numbers an earlier one drew.
        ops.manual_seed(DEFAULT_SEED if self.seed is None else self.seed)
        return self

    def _emit(self, category: str, message: str, span: object) -> None:
        assert self.warn is not None
        name = self.source.name if self.source is not None else "<program>"
        line = getattr(span, "line", None)
        text = f"{name}:{line if line is not None else 0}: {category}: {message}\n"
        code = self.source.line_text(line).strip() if self.source and line else ""
        if code:
            text += f"  {code}\n"
        self.warn(text)

    def final_pass(self) -> contextlib.AbstractContextManager[None]:
        """The CLI's own differentiation after the program ran: it may go through graphs
        the program's backward freed logically (their buffers were kept)."""
        return final_pass()

    def __exit__(self, *exc: object) -> None:
        assert self._saved is not None
        (dtypes.DefaultDtype.value, State.max_elements, State.max_memory, State.time_limit,
         State.deadline, State.allocated, State.detect_anomaly, State.keep_buffers,
         State.final_pass, State.grad_enabled, State.on_record, State.tape,
         State.forward_level, State.on_warning, State.warned, State.leaf_hooks,
         State.post_accumulate_hooks, State.torch_anomaly, State.inference_mode,
         State.inference_seen, State.anomaly_check_nan, State.saved_hooks,
         printing, numpy_printing) = self._saved
        PRINT_OPTIONS.restore(printing)
        np.set_printoptions(**numpy_printing)
        State.meta_seen = State.default_meta = False
        self._saved = None


class recording:
    """Append every node recorded inside the block to `tape` (None: record none)."""

    def __init__(self, tape: list[Any] | None) -> None:
        self.tape = tape

    def __enter__(self) -> list[Any] | None:
        self.prev = State.tape
        State.tape = self.tape
        return self.tape

    def __exit__(self, *exc: object) -> None:
        State.tape = self.prev
        POSITION.span = None


@contextlib.contextmanager
def final_pass() -> Iterator[None]:
    """Inside: backward and grad may go through nodes a backward without retain_graph
    freed logically, as long as their saved tensors were kept (keep_buffers). Outside it
    such a node fails with PyTorch's message, under every session."""
    prev = State.final_pass
    State.final_pass = True
    try:
        yield
    finally:
        State.final_pass = prev
