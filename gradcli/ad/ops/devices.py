"""Devices, as PyTorch's CPU-only build has them: device strings parsed with PyTorch's
errors, and every device but the CPU refused. (Split from creation.py, whose ops take
device= and re-export these.)"""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError

_DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, "
                 "xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone")


def torch_error(message: str, py_type: str) -> GdRuntimeError:
    """A GdRuntimeError that a gd `except` sees as Python's class py_type."""
    return GdRuntimeError(message, py_type=py_type)


def parse_device(text: str) -> tuple[str, int | None]:
    """torch.device(text)'s type and index, with PyTorch's errors for a bad string."""
    kind, sep, index = text.partition(":")
    if kind not in _DEVICE_TYPES.split(", "):
        raise GdRuntimeError(f"Expected one of {_DEVICE_TYPES} device type at start of device "
                             f"string: {text}")
    if not sep:
        return kind, None
    if not index.isdigit() or (len(index) > 1 and index[0] == "0"):
        raise GdRuntimeError(f"Invalid device string: '{text}'")
    return kind, int(index)


def device_kind(device: Any) -> str:
    """The type of a device= value: a string, an index (CUDA's), or a torch.device."""
    if isinstance(device, bool) or device is None:
        raise GdRuntimeError(f"expected a device, got {type(device).__name__}")
    if isinstance(device, int):
        if device < 0:
            raise GdRuntimeError(f"Device index must not be negative, got {device}")
        return "cuda"
    if isinstance(device, str):
        return parse_device(device)[0]
    kind = getattr(device, "device_type", None)
    if not isinstance(kind, str):
        raise GdRuntimeError(f"expected a device, got {type(device).__name__}")
    return kind


def on_meta(device: Any) -> bool:
    """Whether device= names the meta device (shapes and dtypes, no data)."""
    return device is not None and device_kind(device) == "meta"


def check_device(device: Any) -> None:
    """Refuse a device other than the CPU as PyTorch's CPU build does."""
    if device is None:
        return
    kind = device_kind(device)
    if kind == "cuda":
        raise torch_error("Torch not compiled with CUDA enabled", "AssertionError")
    if kind == "mps":
        raise GdRuntimeError("PyTorch is not linked with support for mps devices")
    if kind != "cpu":
        raise GdRuntimeError(f"the '{kind}' device is not supported by gradcli (CPU only)")
