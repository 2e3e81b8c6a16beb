"""The default device: `torch.set_default_device('meta')` and `with torch.device('meta'):`.

PyTorch keeps the default in a function mode that hands `device=` to the factory
functions it lists (`torch.utils._device._device_constructors`) when a call gives none:
those make meta tensors then, while `zeros_like` & co. stay on their input's device and
ops follow their operands. gd's only device besides the CPU is the meta one, so the
default is a flag, `State.default_meta`, set per run (`torch.get_default_device()` reads
it); `register()` wraps the constructors' spellings in the surface table. A constructor
called under the meta default runs on the CPU with the random generators left as they
were (a meta tensor draws nothing, as in PyTorch) and its result becomes a meta tensor.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from gradcli.ad.graph import Tensor, mark_meta
from gradcli.ad.ops.creation import gen_of
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.state import State

#: PyTorch 2.13's factory functions that take the default device (its list, less the
#: sparse, nested and quantized constructors gd does not have).
CONSTRUCTORS = (
    "empty", "empty_permuted", "empty_strided", "ones", "arange", "bartlett_window",
    "blackman_window", "eye", "fft.fftfreq", "fft.rfftfreq", "full", "hamming_window",
    "hann_window", "kaiser_window", "linspace", "logspace", "rand", "randn", "randint",
    "randperm", "range", "tril_indices", "triu_indices", "zeros", "asarray", "tensor",
    "as_tensor", "scalar_tensor",
)


def on_default_device(fn: Callable[..., Any]) -> Callable[..., Any]:
    """fn, making a meta tensor when the default device is meta and no device= is given."""

    @functools.wraps(fn)
    def constructor(*args: Any, **kwargs: Any) -> Any:
        if not State.default_meta or kwargs.get("device") is not None:
            return fn(*args, **kwargs)
        gen = gen_of(kwargs.get("generator"))
        state = gen.get_state()
        try:
            out = fn(*args, **kwargs)
        finally:
            gen.set_state(state)
        return mark_meta(out) if type(out) is Tensor else out

    return constructor


def register() -> None:
    """Wrap the constructors' `torch.*` spellings (after every family declared its own)."""
    for name in CONSTRUCTORS:
        spelling = f"torch.{name}"
        fn = SURFACE.get(spelling)
        if fn is not None:
            SURFACE[spelling] = on_default_device(fn)
