"""Other spellings of ops gd has, as PyTorch 2.13 names them: torch.concatenate (cat),
torch.adjoint / x.adjoint() (x.mH), torch.detach_, x.get_device() / torch.get_device
(-1: the CPU), torch.asarray, x.pin_memory() (PyTorch's error without an accelerator)."""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import as_tensor, check_device
from gradcli.ad.ops.joins import mT
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError

_NO = object()


def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two dims (a real tensor's mT)."""
    return mT(input, "adjoint()")


def get_device(input: Tensor) -> int:
    """-1: a CPU tensor's device index."""
    return -1


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: Any = None,
            requires_grad: Any = _NO) -> Tensor:
    """torch.asarray: a tensor itself (no copy) when it already has the dtype, else a new
    tensor; requires_grad defaults to the tensor's own (with PyTorch's warning)."""
    check_device(device)
    if type(obj) is Tensor and requires_grad is _NO and obj.requires_grad:
        warn("torch.asarray: unspecified requires_grad now defaults to obj.requires_grad "
             "instead of False. Pass requires_grad=False explicitly to get the old behavior "
             "and silence this warning.", once=True)
    out = as_tensor(obj, dtype)
    if copy and out is obj:
        out = SURFACE["torch.clone"](obj)
    if requires_grad is not _NO and bool(requires_grad) != out.requires_grad:
        out = out.detach() if not requires_grad else out.detach().requires_grad_(True)
    return out


def pin_memory(input: Tensor, device: Any = None) -> Tensor:
    """x.pin_memory(): pinned memory needs an accelerator, which a CPU build has none of."""
    raise GdRuntimeError("Cannot access accelerator device when none is available.")


def register() -> None:
    """Declare the spellings (after the families they alias are declared)."""
    if "torch.concatenate" in SURFACE:
        return
    expose(SURFACE["torch.cat"], "torch.concatenate", family="shape")
    expose(adjoint, "torch.adjoint", "Tensor.adjoint", family="shape")
    expose(Tensor.detach_, "torch.detach_", family="shape")
    expose(get_device, "Tensor.get_device", "torch.get_device", family="creation")
    expose(asarray, "torch.asarray", family="creation")
    expose(pin_memory, "Tensor.pin_memory", family="creation")
