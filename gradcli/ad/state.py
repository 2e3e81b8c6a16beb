"""The core's process-wide state: grad mode, forward-mode level, the tape hook, limits.

One instance, `State`, and `POSITION` (the source span stamped on new nodes). Commands
set them through `gradcli.ad.session.Session`; grad mode through the context managers
below (no_grad, enable_grad, set_grad_enabled). The element, memory and time limits
are checked here, as allocations are counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.identity import object_repr
from gradcli.errors import GdLimitError
from gradcli.limits import DEFAULT_LIMITS

# numpy warnings (divide by zero, overflow, invalid) are not errors in PyTorch's
# semantics: 1/0 is inf. Silence them once, process-wide, instead of paying for an
# errstate context on every op. numpy's error state is per thread (a new thread starts
# from numpy's defaults), and gradcli runs its kernels on the main thread only (the hot
# kernels carry no errstate of their own since round 25): a kernel moved to a thread
# would need the setting there too.
np.seterr(all="ignore")

ndarray = np.ndarray
MEMORY_CHECK_BYTES = 32 << 20  # measure the process's memory after this many new bytes


class _State:
    """Process-wide autograd state: grad mode, forward-mode level, the tape, limits.

    One instance, `State`. Its fields are instance attributes because some are written
    all the time (seq per node, allocated per op, span per interpreted expression), and
    writing a *class* attribute invalidates CPython's attribute caches for every read of
    the class: each State.grad_enabled read after it took the slow path.
    """

    grad_enabled: bool = True
    forward_level: int = 0  # > 0 while tangents are being propagated (forward mode)
    # The level is the CLI's (`gradcli jvp`): the program sees no tangents and opens no level
    forward_hidden: bool = False
    seq: int = 0  # next node number
    # The node number current at the last in-place change of any tensor (bump_version):
    # nodes numbered below it may have saved a tensor changed since; the rest cannot, and
    # backward skips their version check.
    changed_at: int = 0
    tape: list[Any] | None = None  # when a list, every recorded node is appended to it
    max_elements: int = DEFAULT_LIMITS.max_elements  # cap on the elements of one tensor
    max_memory: int = DEFAULT_LIMITS.max_memory  # cap on the process's resident memory, bytes
    time_limit: float = DEFAULT_LIMITS.max_time  # seconds a command may run; 0: no limit
    deadline: float | None = None  # time.process_time() past which work stops (by Session)
    allocated: int = 0  # bytes allocated since memory was last measured
    detect_anomaly: bool = False
    # torch.autograd.detect_anomaly / set_detect_anomaly: PyTorch's backward nan check
    torch_anomaly: bool = False
    anomaly_check_nan: bool = True  # its check_nan (a setting of its own, as in PyTorch)
    saved_hooks: tuple[Any, ...] = ()  # torch.autograd.graph.saved_tensors_hooks, innermost last
    inference_mode: bool = False  # inside torch.inference_mode(): new tensors are inference
    # > 0 inside torch.func.vmap: an op's result is batched (the `batched` slot) when one
    # of its inputs is, and .item() or control flow on a batched tensor fails as in PyTorch
    vmapping: int = 0
    # True while vmap runs a sample again up to where its earlier run stopped (func.VmapCalls):
    # the program's print writes nothing (that output was printed the first time).
    muted: bool = False
    inference_seen: bool = False  # an inference tensor may exist (checked when recording)
    meta_seen: bool = False  # a meta-device tensor may exist (an op's result is one then)
    # torch.set_default_device('meta') / `with torch.device('meta'):` (ops/default_device.py)
    default_meta: bool = False
    # Saved tensors stay in memory after a backward that frees its graph, so the CLI can
    # differentiate the result again (Session.keep_buffers): a physical policy only.
    keep_buffers: bool = False
    # Inside Session.final_pass(): backward may go through logically freed nodes whose
    # buffers were kept (the CLI's own differentiation after the program ran).
    final_pass: bool = False
    # True while the engine runs VJP rules in a pass that records nothing and carries no
    # tangents (the engine sets it, and copies what it hands out as .grad or a grad()
    # result): such a pass only reads its cotangents, so an op may answer with a read-only
    # view or its input itself instead of a full-size copy (expand's broadcast, x ** 1).
    light_backward: bool = False
    on_record: Callable[[Any, Any], None] | None = None  # sees each new node and its output
    # Where PyTorch's user warnings go: (category, message, span) → None (Session.warn).
    on_warning: Callable[[str, str, object], None] | None = None
    warned: set[tuple[Any, ...]] | None = None  # warnings already given (per site, per command)
    # Backward hooks of leaf tensors: id → (tensor, hooks) (gradcli.ad.hooks; per command).
    leaf_hooks: dict[int, tuple[Any, list[Any]]]
    post_accumulate_hooks: dict[int, tuple[Any, list[Any]]]
    hook_ids: int = 0  # the next RemovableHandle's id (per command)

    def __init__(self) -> None:
        for name, value in vars(_State).items():
            if not name.startswith("_"):
                setattr(self, name, value)
        self.leaf_hooks = {}
        self.post_accumulate_hooks = {}


State = _State()


class _Position:
    """Where the interpreter is in the source: an opaque span stamped on each new node.

    The one slot of the core that the interpreter writes, on its hot path (a plain
    attribute store per expression); everything else goes through the core's API.
    """

    __slots__ = ("span",)

    def __init__(self) -> None:
        self.span: object = None


POSITION = _Position()


# PyTorch 2.13's warning texts (the "(Triggered internally at <C++ file>)" suffix, a place
# in PyTorch's build, is left out).
NONLEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information.")
COPY_CONSTRUCT = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
    "or sourceTensor.detach().clone().requires_grad_(True), rather than "
    "torch.tensor(sourceTensor).")
SCALAR_OF_REQUIRES_GRAD = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first.")
CREATE_GRAPH_CYCLE = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak.")


def warn(message: str, category: str = "UserWarning", *, once: bool = False) -> None:
    """Give a PyTorch user warning, once per source line as Python's warnings module does
    (once per command with `once`: PyTorch's TORCH_WARN_ONCE, or a warning PyTorch raises
    from one place inside its own library). The span is where the interpreter is."""
    sink = State.on_warning
    if sink is None:
        return
    span = POSITION.span
    key = (category, message) if once else (category, message, getattr(span, "line", None))
    seen = State.warned
    if seen is None:
        seen = State.warned = set()
    if key in seen:
        return
    seen.add(key)
    sink(category, message, span)


def nonleaf_grad(t: Any) -> Any:
    """t.grad as a program reads it: a non-leaf's missing .grad warns, as in PyTorch."""
    g = t.grad
    if g is None and t.grad_fn is not None and not t.retains_grad:
        warn(NONLEAF_GRAD)
    return g


def check_size(n: int) -> None:
    """Raise the element-cap error for an allocation of n elements."""
    if n > State.max_elements:
        raise GdLimitError(
            f"tensor of {n:,} elements exceeds the limit of {State.max_elements:,} elements",
            hint="a tensor that large is rarely intended: check the sizes involved",
            limit="max_elements",
        )
    note_allocation(n * 8)


def _resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far, in bytes."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError):  # pragma: no cover - Windows
        return 0


def _page_size() -> int:
    try:
        import os

        return os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - Windows
        return 4096


_PAGE_SIZE = _page_size()


def check_memory() -> int:
    """Raise the memory-limit error if the process holds more than State.max_memory
    (and the time-limit error past State.deadline: both are checked at the same pace,
    every MEMORY_CHECK_BYTES of tensors and every few thousand steps). Returns the
    resident bytes measured."""
    State.allocated = 0
    if State.deadline is not None and time.process_time() > State.deadline:
        raise GdLimitError(
            f"time limit reached: the command ran for more than {State.time_limit:,g} s "
            "of CPU time",
            hint="an endless or very long computation?", limit="max_time")
    used = _resident_bytes()
    if used > State.max_memory:
        raise GdLimitError(
            f"memory limit reached: the program holds {used / 2**20:,.0f} MiB, more than "
            f"the limit of {State.max_memory / 2**20:,.0f} MiB",
            hint="tensors kept alive (a growing list, or a graph that keeps growing: use "
            "no_grad() or detach()) add up",
            limit="max_memory",
        )
    return used


def note_allocation(nbytes: int) -> None:
    """Count new bytes; measure the process's memory every MEMORY_CHECK_BYTES."""
    State.allocated += nbytes
    if State.allocated > MEMORY_CHECK_BYTES:
        check_memory()


def check_broadcast(arrays: list[Any]) -> None:
    """Refuse, before computing it, a broadcast whose result would exceed the element cap."""
    n = 1
    for a in arrays:
        if type(a) is ndarray:
            n *= a.size
    if n <= State.max_elements:  # the result of broadcasting never exceeds the inputs' product
        return
    try:
        shape = np.broadcast_shapes(*[a.shape for a in arrays if type(a) is ndarray])
    except ValueError:
        return  # the kernel reports the mismatch
    size = 1
    for d in shape:
        size *= d
    check_size(size)


class grad_mode:
    """Context manager setting grad mode (no_grad, enable_grad, set_grad_enabled)."""

    __slots__ = ("enabled", "prev")

    def __init__(self, enabled: bool) -> None:
        self.enabled = bool(enabled)
        self.prev = State.grad_enabled

    def __enter__(self) -> None:
        self.prev = State.grad_enabled
        State.grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        State.grad_enabled = self.prev


def no_grad() -> grad_mode:
    """Context: record nothing."""
    return grad_mode(False)


def enable_grad() -> grad_mode:
    """Context: record again."""
    return grad_mode(True)


class _set_grad_mode(grad_mode):
    """set_grad_enabled's result: the mode was set on creation, the context restores the
    mode from before that (so __enter__ must not capture the new mode as the old one)."""

    __slots__ = ()

    def __enter__(self) -> None:
        State.grad_enabled = self.enabled


def set_grad_enabled(flag: bool) -> grad_mode:
    """Set grad mode now; also usable as a context manager that restores it."""
    mode = _set_grad_mode(flag)
    State.grad_enabled = bool(flag)
    return mode


def is_grad_enabled() -> bool:
    """Whether ops are being recorded."""
    return State.grad_enabled


class inference_mode(grad_mode):
    """torch.inference_mode(mode=True): no grad, and the tensors made inside are inference
    tensors (a context manager, and a decorator through grad_mode)."""

    __slots__ = ("mode", "prev_inference")

    def __init__(self, mode: bool = True) -> None:
        super().__init__(not mode and State.grad_enabled)
        self.mode = bool(mode)
        self.prev_inference = State.inference_mode

    def __enter__(self) -> None:
        self.prev = State.grad_enabled
        self.prev_inference = State.inference_mode
        # PyTorch's InferenceMode guard sets grad mode to `not mode`: inference_mode(False)
        # turns grad mode on even inside no_grad() or inference_mode().
        State.grad_enabled = not self.mode
        if self.mode:
            State.inference_seen = True
        State.inference_mode = self.mode

    def __exit__(self, *exc: object) -> None:
        State.grad_enabled = self.prev
        State.inference_mode = self.prev_inference

    def __repr__(self) -> str:
        return object_repr("torch.autograd.grad_mode.inference_mode", self)


def is_inference_mode_enabled() -> bool:
    """Whether inference mode is on."""
    return State.inference_mode


ANOMALY_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime "
                   "and should only be enabled for debugging.")


class detect_anomaly(grad_mode):
    """torch.autograd.detect_anomaly(check_nan=True): a backward node that returns nan
    fails with PyTorch's message, inside the block (check_nan=False: the mode without
    that check)."""

    __slots__ = ("check_nan", "prev_anomaly")

    def __init__(self, check_nan: bool = True) -> None:
        super().__init__(State.grad_enabled)
        self.check_nan = bool(check_nan)
        self.prev_anomaly = (State.torch_anomaly, State.anomaly_check_nan)
        warn(ANOMALY_WARNING)

    def __enter__(self) -> None:
        self.prev_anomaly = (State.torch_anomaly, State.anomaly_check_nan)
        State.torch_anomaly, State.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc: object) -> None:
        State.torch_anomaly, State.anomaly_check_nan = self.prev_anomaly

    def __repr__(self) -> str:
        return object_repr(f"torch.autograd.anomaly_mode.{type(self).__name__}", self)


class set_detect_anomaly(detect_anomaly):
    """torch.autograd.set_detect_anomaly(mode, check_nan=True): set now; as a context
    manager, restore the mode from before on exit."""

    __slots__ = ("mode",)

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        grad_mode.__init__(self, State.grad_enabled)
        self.mode = bool(mode)
        self.check_nan = bool(check_nan)
        self.prev_anomaly = (State.torch_anomaly, State.anomaly_check_nan)
        State.torch_anomaly, State.anomaly_check_nan = self.mode, self.check_nan

    def __enter__(self) -> None:
        State.torch_anomaly, State.anomaly_check_nan = self.mode, self.check_nan


def is_anomaly_enabled() -> bool:
    """Whether torch's anomaly detection is on."""
    return State.torch_anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """Whether torch's anomaly detection checks backward's results for nan."""
    return State.anomaly_check_nan
