"""torch.X settings that change nothing gd computes (threads, matmul precision, denormals,
warn-always), the random generator's state as PyTorch's bytes (get_rng_state /
set_rng_state), and the small predicates torch.typename, is_same_size, is_signed."""

from __future__ import annotations

import os
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor, torch_type_name
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Size, type_name


class Settings:
    """The values the setters keep, so the getters give them back (for one run: `reset`
    puts PyTorch's defaults back before each)."""

    threads: int | None = None
    interop: int | None = None
    precision = "highest"
    warn_always = False
    deterministic = False
    deterministic_warn_only = False


_DEFAULTS = {k: v for k, v in vars(Settings).items() if not k.startswith("_")}


def reset() -> None:
    """PyTorch's defaults, as a fresh process has them (the run starts)."""
    for k, v in _DEFAULTS.items():
        setattr(Settings, k, v)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """The intra-op thread count (the cores, until set)."""
    return Settings.threads if Settings.threads is not None else _cores()


def set_num_threads(int: Any) -> None:
    """Accepted; gd computes the same on any count."""
    n = _int_arg(int)
    if n <= 0:
        raise GdRuntimeError("set_num_threads expects a positive integer")
    Settings.threads = n


def _int_arg(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise GdRuntimeError(f"set_num_threads(): argument 'int' (position 1) must be int, not "
                             f"{type_name(v)}", py_type="TypeError")
    return v


def get_num_interop_threads() -> int:
    """The inter-op thread count (the cores, until set)."""
    return Settings.interop if Settings.interop is not None else _cores()


def set_num_interop_threads(int: Any) -> None:
    """Accepted; gd runs one op at a time."""
    n = _int_arg(int)
    if n <= 0:
        raise GdRuntimeError("Expected positive number of threads")
    Settings.interop = n


def get_float32_matmul_precision() -> str:
    """'highest' until set."""
    return Settings.precision


def set_float32_matmul_precision(precision: str) -> None:
    """Accepted ('highest', 'high', 'medium'); on a CPU every one computes in float32."""
    if precision not in ("highest", "high", "medium"):
        warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
             "setFloat32MatmulPrecision call has no effect.")
        return
    Settings.precision = precision


def set_flush_denormal(mode: bool) -> bool:
    """Whether flushing denormals is supported (it is on x86 CPUs: True); gd keeps them."""
    return True


def set_warn_always(b: bool) -> None:
    """Accepted: whether warnings repeat (gd gives each once per line, as Python does)."""
    Settings.warn_always = bool(b)


def is_warn_always_enabled() -> bool:
    """What set_warn_always last set (False)."""
    return Settings.warn_always


def use_deterministic_algorithms(mode: Any, *, warn_only: Any = False) -> None:
    """torch.use_deterministic_algorithms(mode): kept for the getters (gd is always
    deterministic)."""
    if type(mode) is not bool:
        raise GdRuntimeError("_set_deterministic_algorithms(): argument 'mode' (position 1) "
                             f"must be bool, not {type_name(mode)}", py_type="TypeError")
    Settings.deterministic = mode
    Settings.deterministic_warn_only = bool(warn_only) and mode


def are_deterministic_algorithms_enabled() -> bool:
    """What use_deterministic_algorithms last set (False)."""
    return Settings.deterministic


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """Whether use_deterministic_algorithms(True, warn_only=True) was set."""
    return Settings.deterministic_warn_only


def get_rng_state() -> Tensor:
    """The default generator's state: a uint8 tensor of 5056 bytes, PyTorch's layout."""
    return ops.tensor(ops.generator().get_state())


def set_rng_state(new_state: Any) -> None:
    """Restore the default generator from get_rng_state()'s bytes."""
    restore_state(ops.generator(), new_state)


def restore_state(gen: Any, new_state: Any) -> None:
    """Restore a generator (the default one, or a torch.Generator's set_state) from
    get_state()'s bytes, refused as PyTorch refuses what is not a ByteTensor."""
    if type(new_state) is not Tensor:
        raise GdRuntimeError(f"expected a torch.ByteTensor, but got {type_name(new_state)}",
                             py_type="TypeError")
    if new_state.array.dtype.name != "uint8":
        raise GdRuntimeError("RNG state must be a torch.ByteTensor", py_type="TypeError")
    gen.set_state(new_state.array)


def typename(obj: Any) -> str:
    """A tensor's legacy type name ('torch.FloatTensor'), else its type's name."""
    if type(obj) is Tensor:
        return torch_type_name(obj)
    return type_name(obj)


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have one shape."""
    return input.shape == other.shape


def is_signed(input: Tensor) -> bool:
    """Whether the dtype is signed (not bool or uint8)."""
    return input.array.dtype.kind in "fi"


def broadcast_shapes(*shapes: Any) -> Size:
    """The shape the given shapes broadcast to (PyTorch's words when they do not)."""
    dims: list[tuple[int, ...]] = []
    for s in shapes:
        t = (s,) if isinstance(s, int) else tuple(s)
        if any(type(d) is not int for d in t):
            raise GdRuntimeError("broadcast_shapes: a shape is ints", py_type="TypeError")
        if any(d < 0 for d in t):
            raise GdRuntimeError("Attempting to broadcast a dimension with negative length!",
                                 py_type="ValueError")
        dims.append(t)
    out: list[int] = []
    for i, t in enumerate(dims):
        n = max(len(out), len(t))
        a = [1] * (n - len(out)) + out
        b = [1] * (n - len(t)) + list(t)
        for k in range(n):
            if a[k] != b[k] and a[k] != 1 and b[k] != 1:
                raise GdRuntimeError(
                    f"Attempting to broadcast a dimension of length {b[k]} at {k - n}! "
                    f"Mismatching argument at index {i} had {t}; but expected shape should "
                    f"be broadcastable to {a}")
            a[k] = a[k] if b[k] == 1 else b[k]
        out = a
    return Size(out)


def thread_safe_generator() -> None:
    """torch.thread_safe_generator(): a DataLoader thread worker's own generator, None
    elsewhere (gd's loaders run in the main process: always None, the global generator)."""
    return None


MEMBERS: dict[str, Any] = {
    "broadcast_shapes": broadcast_shapes, "thread_safe_generator": thread_safe_generator,
    "get_num_threads": get_num_threads, "set_num_threads": set_num_threads,
    "get_num_interop_threads": get_num_interop_threads,
    "set_num_interop_threads": set_num_interop_threads,
    "get_float32_matmul_precision": get_float32_matmul_precision,
    "set_float32_matmul_precision": set_float32_matmul_precision,
    "set_flush_denormal": set_flush_denormal, "set_warn_always": set_warn_always,
    "is_warn_always_enabled": is_warn_always_enabled,
    "use_deterministic_algorithms": use_deterministic_algorithms,
    "are_deterministic_algorithms_enabled": are_deterministic_algorithms_enabled,
    "is_deterministic_algorithms_warn_only_enabled":
        is_deterministic_algorithms_warn_only_enabled,
    "get_rng_state": get_rng_state, "set_rng_state": set_rng_state,
    "typename": typename, "is_same_size": is_same_size, "is_signed": is_signed,
}


class ForkRng:
    """torch.random.fork_rng(): `with` it, the default generator's state is put back at
    the end (the CPU's: gd has no other device)."""

    gd_context = True  # `with torch.random.fork_rng():` (values.is_context_manager)
    torch_type = "contextlib._GeneratorContextManager"

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.state: Any = None

    def __enter__(self) -> None:
        if self.enabled:
            self.state = ops.generator().get_state()
        return None

    def __exit__(self, *exc: Any) -> bool:
        if self.enabled:
            restore_state(ops.generator(), ops.tensor(self.state))
        return False


def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: Any = None) -> ForkRng:
    """torch.random.fork_rng(devices=None, enabled=True): a context manager restoring the
    random state at its end."""
    if device_type not in (None, "cpu", "cuda", "meta"):
        raise GdRuntimeError(f"torch has no module of `{device_type}`, you should register "
                             "a module by `torch._register_device_module`.")
    if devices is not None and list(devices):
        raise GdRuntimeError("Torch not compiled with CUDA enabled",
                             py_type="AssertionError")
    return ForkRng(bool(enabled) and device_type != "meta")


# torch.random's own names (the rest are torch's: manual_seed, seed, get_rng_state...).
RANDOM_NAMES = ("manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
                "default_generator", "Generator", "thread_safe_generator")
