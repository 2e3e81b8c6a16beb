"""The boilerplate real scripts wrap around a model, as a CPU build of PyTorch runs it.

- `torch.compile` and `torch.jit.script` / `trace`: gd runs the program eagerly, so a
  compiled or scripted function is the function itself (the same values); a compiled
  module is wrapped in PyTorch's OptimizedModule (nn_compiled.py).
- Automatic mixed precision: `torch.autocast` / `torch.amp.autocast` /
  `torch.cuda.amp.autocast` and the GradScalers. CUDA's disable themselves on a CPU build,
  with PyTorch's warnings, and then change nothing: the scaler passes the loss through and
  its `step` is the optimizer's. The CPU's own autocast (bfloat16 matmuls) and an enabled
  CPU scaler are refused with a clear error: gd computes in float32/float64 only.
- `torch.__version__` and `torch.version`: the PyTorch gd follows, 2.13.0 (CPU build).

Every value here exposes only the attributes in its table (attributes.py asks
`gd_attribute`), nothing of the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError
from gradcli.interp import amp_scaler as S
from gradcli.interp.devices import CUDA
from gradcli.interp.values import BoundMethod, Builtin, ContextValue, Decorator, Namespace

VERSION = "2.13.0+cpu"
_NO_CUDA_AUTOCAST = "CUDA is not available or torch_xla is imported. Disabling autocast."
_CPU_HINT = ("gd computes in float32 and float64 only: drop the autocast/scaler, or pass "
             "enabled=False")


def _identity(obj: Any) -> Any:
    return obj


def _device_type(device_type: Any, what: str) -> str:
    if type(device_type) is not str:
        raise GdRuntimeError(f"{what}: expected `device_type` of type `str`, got: "
                             f"`{type(device_type).__name__}`", py_type="ValueError")
    return device_type.split(":")[0]


# -- torch.compile, torch.jit ---------------------------------------------------------------

def compile(model: Any = None, *, fullgraph: bool = False, dynamic: Any = None,
            backend: Any = "inductor", mode: Any = None, options: Any = None,
            disable: bool = False) -> Any:
    """torch.compile(model) / @torch.compile(...): the model or function itself (gd runs
    it eagerly: the same values)."""
    from gradcli.interp.nn_compiled import compiled

    if model is None:
        return Decorator("torch.compile", compiled, "the decorated function itself")
    return compiled(model)


def _jit_script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None,
                example_inputs: Any = None) -> Any:
    return obj


def _jit_trace(func: Any, example_inputs: Any = None, *args: Any, **kwargs: Any) -> Any:
    return func


def _jit_ignore(drop: Any = False, **kwargs: Any) -> Any:
    """@torch.jit.ignore and @torch.jit.ignore(drop=True): the function itself."""
    if callable(drop) and type(drop) is not bool:
        return drop
    return Decorator("torch.jit.ignore", _identity, "the decorated function itself")


JIT = Namespace("torch.jit", {
    "script": Decorator("torch.jit.script", _jit_script, "the function or module itself"),
    "trace": Decorator("torch.jit.trace", _jit_trace, "the function or module itself"),
    "ignore": Decorator("torch.jit.ignore", _jit_ignore, "the function itself"),
    "unused": Decorator("torch.jit.unused", _identity, "the function itself"),
    "export": Decorator("torch.jit.export", _identity, "the function itself"),
    "is_scripting": Builtin("torch.jit.is_scripting", lambda: False, "False"),
    "is_tracing": Builtin("torch.jit.is_tracing", lambda: False, "False"),
})


# -- automatic mixed precision -------------------------------------------------------------

class Autocast(ContextValue):
    """torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)."""

    __slots__ = ("enabled",)

    def __init__(self, device_type: Any, dtype: Any = None, enabled: Any = True,
                 cache_enabled: Any = None) -> None:
        kind = _device_type(device_type, "torch.autocast")
        if kind == "cuda" and enabled:
            warn(_NO_CUDA_AUTOCAST)
            enabled = False
        elif kind != "cpu" and enabled:
            warn(f"User provided device_type of '{kind}', but {kind.upper()} is not "
                 "available. Disabling")
            enabled = False
        self.enabled = bool(enabled)

    def __repr__(self) -> str:
        return object_repr("torch.amp.autocast_mode.autocast", self)

    def enter(self) -> Any:
        if self.enabled:
            raise GdRuntimeError("torch.autocast on the CPU (bfloat16 ops) is not supported "
                                 "by gradcli", hint=_CPU_HINT)
        return self

    def exit(self, exc: Any) -> bool:
        return False


Autocast.__name__ = "autocast"


def _cuda_autocast(enabled: Any = True, dtype: Any = None, cache_enabled: Any = True
                   ) -> Autocast:
    warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
         "`torch.amp.autocast('cuda', args...)` instead.", "FutureWarning")
    return Autocast("cuda", dtype, enabled, cache_enabled)


def _cpu_autocast(enabled: Any = True, dtype: Any = None, cache_enabled: Any = True
                  ) -> Autocast:
    warn("`torch.cpu.amp.autocast(args...)` is deprecated. Please use "
         "`torch.amp.autocast('cpu', args...)` instead.", "FutureWarning")
    return Autocast("cpu", dtype, enabled, cache_enabled)


class GradScaler:
    """torch.amp.GradScaler(device='cuda', ..., enabled=True), disabled: CUDA's disables
    itself on a CPU build (PyTorch's warning), and a disabled scaler changes nothing."""

    __slots__ = ("state",)
    torch_type = "torch.amp.grad_scaler.GradScaler"  # type(scaler)

    def __init__(self, device: Any = "cuda", init_scale: Any = 2.0**16,
                 growth_factor: Any = 2.0, backoff_factor: Any = 0.5,
                 growth_interval: Any = 2000, enabled: Any = True) -> None:
        kind = _device_type(device, "torch.amp.GradScaler")
        # enabled on the CPU: PyTorch's loss scaling (gradcli.interp.amp_scaler)
        self.state: S.ScalerState | None = None
        if enabled and kind == "cuda":
            warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                 "Disabling.")
        elif enabled and kind == "cpu":
            if not growth_factor > 1.0:
                raise GdRuntimeError("The growth factor must be > 1.0.",
                                     py_type="AssertionError")
            if not backoff_factor < 1.0:
                raise GdRuntimeError("The backoff factor must be < 1.0.",
                                     py_type="AssertionError")
            self.state = S.ScalerState(init_scale, growth_factor, backoff_factor,
                                       growth_interval)
        elif enabled:
            raise GdRuntimeError(f"an enabled GradScaler on '{kind}' is not supported by "
                                 "gradcli", hint=_CPU_HINT)

    def __repr__(self) -> str:
        return object_repr("torch.amp.grad_scaler.GradScaler", self)

    @staticmethod
    def gd_attribute(obj: GradScaler, name: str) -> Any:
        fn = (_SCALER_METHODS if obj.state is None else _ENABLED_METHODS).get(name)
        if fn is None:
            raise GdRuntimeError(f"'GradScaler' object has no attribute '{name}'",
                                 py_type="AttributeError")
        return BoundMethod(obj, name, fn)


def _step(scaler: GradScaler, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
    """A disabled scaler's step: the optimizer's (PyTorch's `return optimizer.step(...)`)."""
    from gradcli.interp.attributes import get_attribute

    return get_attribute(optimizer, "step")(*args, **kwargs)


_SCALER_METHODS: dict[str, Callable[..., Any]] = {
    "scale": lambda s, outputs: outputs,
    "unscale_": lambda s, optimizer: None,
    "step": _step,
    "update": lambda s, new_scale=None: None,
    "get_scale": lambda s: 1.0,
    "is_enabled": lambda s: False,
    "state_dict": lambda s: {},
    "load_state_dict": lambda s, state_dict: None,
    "get_growth_factor": lambda s: 2.0,
    "get_backoff_factor": lambda s: 0.5,
    "get_growth_interval": lambda s: 2000,
}


def _enabled_step(scaler: GradScaler, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
    from gradcli.interp.attributes import get_attribute

    return S.step(scaler.state, optimizer, args, kwargs, get_attribute(optimizer, "step"))


def _setter(field: str) -> Callable[..., None]:
    def set_value(s: GradScaler, value: Any) -> None:
        setattr(s.state, field, value)

    return set_value


_ENABLED_METHODS: dict[str, Callable[..., Any]] = {
    "scale": lambda s, outputs: S.scale(s.state, outputs),
    "unscale_": lambda s, optimizer: S.unscale_(s.state, optimizer),
    "step": _enabled_step,
    "update": lambda s, new_scale=None: S.update(s.state, new_scale),
    "get_scale": lambda s: S.get_scale(s.state),
    "is_enabled": lambda s: True,
    "state_dict": lambda s: S.state_dict(s.state),
    "load_state_dict": lambda s, state_dict: S.load_state_dict(s.state, state_dict),
    "get_growth_factor": lambda s: s.state.growth_factor,
    "get_backoff_factor": lambda s: s.state.backoff_factor,
    "get_growth_interval": lambda s: s.state.growth_interval,
    "set_growth_factor": _setter("growth_factor"),
    "set_backoff_factor": _setter("backoff_factor"),
    "set_growth_interval": _setter("growth_interval"),
}
GradScaler.__name__ = "GradScaler"


def _cuda_grad_scaler(init_scale: Any = 2.0**16, growth_factor: Any = 2.0,
                      backoff_factor: Any = 0.5, growth_interval: Any = 2000,
                      enabled: Any = True) -> GradScaler:
    warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
         "`torch.amp.GradScaler('cuda', args...)` instead.", "FutureWarning")
    return GradScaler("cuda", init_scale, growth_factor, backoff_factor, growth_interval,
                      enabled)


_AUTOCAST = Builtin("torch.autocast", Autocast, "a no-op context on a CPU build (CUDA's)")
_SCALER = Builtin("torch.amp.GradScaler", GradScaler, "disabled on a CPU build (CUDA's)")
AMP = Namespace("torch.amp", {"autocast": _AUTOCAST, "GradScaler": _SCALER})
CUDA_AMP = Namespace("torch.cuda.amp", {
    "autocast": Builtin("torch.cuda.amp.autocast", _cuda_autocast, "deprecated: a no-op"),
    "GradScaler": Builtin("torch.cuda.amp.GradScaler", _cuda_grad_scaler,
                          "deprecated: disabled on a CPU build"),
})
CPU_AMP = Namespace("torch.cpu.amp", {
    "autocast": Builtin("torch.cpu.amp.autocast", _cpu_autocast, "deprecated"),
})
CPU = Namespace("torch.cpu", {"amp": CPU_AMP,
                              "is_available": Builtin("torch.cpu.is_available", lambda: True,
                                                      "True: gd runs on the CPU")})

CUDA.members["amp"] = CUDA_AMP  # torch.cuda.amp.GradScaler
VERSION_NS = Namespace("torch.version", {"__version__": VERSION, "cuda": None, "hip": None,
                                         "debug": False})

#: torch.X members (builtins.py merges them into torch).
TORCH_MEMBERS: dict[str, Any] = {
    "compile": Decorator("torch.compile", compile, "the model or function itself (eager)"),
    "jit": JIT, "autocast": _AUTOCAST, "amp": AMP, "cpu": CPU, "version": VERSION_NS,
    "__version__": VERSION,
    "is_autocast_enabled": Builtin("torch.is_autocast_enabled", lambda *a: False, "False"),
}
#: Importable modules (`from torch.cuda.amp import GradScaler, autocast`).
MODULES: dict[str, Namespace] = {"torch.jit": JIT, "torch.amp": AMP, "torch.cuda.amp": CUDA_AMP,
                                 "torch.cpu": CPU, "torch.cpu.amp": CPU_AMP,
                                 "torch.version": VERSION_NS}
