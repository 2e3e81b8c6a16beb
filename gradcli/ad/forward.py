"""Forward mode: tangents ride along with primals through the table's JVP rules.

One dual level at a time (as `torch.autograd.forward_ad.dual_level`). Reverse mode
runs inside it unchanged, so forward-over-reverse (Hessian-vector products) is just
a backward pass whose saved inputs carry tangents.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.dtypes import torch_name as dtype_name
from gradcli.ad.graph import Tensor
from gradcli.ad.identity import object_repr
from gradcli.ad.state import State
from gradcli.errors import GdRuntimeError


class ProgramForwardAD(BaseException):
    """The program uses forward mode itself while the CLI's jvp level is open (its one
    level is taken): jvp computes J·v another way. A BaseException, so no `except` of the
    program's stops it."""


def _program_forward() -> None:
    """What a program's forward-mode call checks first: the CLI's level is not its own."""
    if State.forward_hidden:
        raise ProgramForwardAD


class dual_level:
    """Context manager: tangents attached inside it are propagated by every op."""

    def __enter__(self) -> dual_level:
        _program_forward()
        if State.forward_level:
            raise GdRuntimeError(
                "nested forward-mode levels are not supported; compute nested derivatives "
                "with reverse mode (grad with create_graph=True)")
        State.forward_level = 1
        return self

    def __exit__(self, *exc: object) -> None:
        State.forward_level = 0


class cli_dual_level(dual_level):
    """The jvp command's level: the program's prints show no tangents, and a program that
    uses forward mode itself raises ProgramForwardAD (as `gradcli run` it would work)."""

    def __enter__(self) -> cli_dual_level:
        super().__enter__()
        State.forward_hidden = True
        return self

    def __exit__(self, *exc: object) -> None:
        State.forward_hidden = False
        super().__exit__()


class program_dual_level(dual_level):
    """forward_ad.dual_level() as programs use it: `as` gives the level (0), a nested one
    fails with PyTorch's message."""

    def __enter__(self) -> int:  # type: ignore[override]
        return enter_dual_level()

    def __repr__(self) -> str:
        return object_repr("torch.autograd.forward_ad.dual_level", self)


def enter_dual_level() -> int:
    """forward_ad.enter_dual_level(): the new level (PyTorch has one: 0)."""
    _program_forward()
    if State.forward_level:
        raise GdRuntimeError("Nested forward mode AD is not supported at the moment")
    State.forward_level = 1
    return 0


def exit_dual_level(*, level: Any = None) -> None:
    """forward_ad.exit_dual_level(): leave the level (every tangent is dropped)."""
    _program_forward()
    if level is not None and level != State.forward_level - 1:
        raise GdRuntimeError("Trying to exit a forward AD level that was not the last one "
                             "that was created. This is not supported.")
    State.forward_level = 0


def make_dual(primal: Tensor, tangent: Tensor) -> Tensor:
    """A tensor sharing primal's data (and graph) that carries `tangent`."""
    _program_forward()
    if not State.forward_level:
        raise GdRuntimeError("Trying to create a dual Tensor for forward AD but no level "
                             "exists, make sure to enter_dual_level() first.")
    for what, t in (("primal", primal), ("tangent", tangent)):
        if t.dtype.kind != "f":
            raise GdRuntimeError(f"Expected {what} to be floating point or complex, but got: "
                                 f"{dtype_name(t.dtype)}", py_type="ValueError")
    if tangent.shape != primal.shape:
        raise GdRuntimeError(
            f"Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(primal.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}.")
    if primal.requires_grad and primal.grad_fn is not None:
        dual = ops.reshape(primal, primal.shape)
    else:
        dual = primal.detach()
        dual.requires_grad = primal.requires_grad
        if primal.requires_grad:
            dual = primal  # a leaf requiring grad must stay the same object for backward
    dual.tangent = tangent if tangent.dtype == primal.dtype else tangent.to(primal.dtype)  # type: ignore[attr-defined]
    return dual


def make_dual_view(tensor: Tensor, tangent: Tensor, *, level: Any = None) -> Tensor:
    """forward_ad.make_dual as programs call it: PyTorch's dual is a view of the primal, so
    a leaf that requires grad gives a ViewBackward0 node (gradients still reach the leaf)."""
    if State.forward_level and tensor.requires_grad and tensor.grad_fn is None:
        tensor = ops.reshape(tensor, tensor.shape)
    return make_dual(tensor, tangent)


class UnpackedDualTensor(tuple):
    """What unpack_dual returns: the named tuple (primal, tangent)."""

    __slots__ = ()
    _fields = ("primal", "tangent")

    @property
    def primal(self) -> Tensor:
        """The primal (a view of the dual tensor's data, without its tangent)."""
        return self[0]

    @property
    def tangent(self) -> Any:
        """The tangent, or None."""
        return self[1]


def unpack_dual(tensor: Tensor, *, level: Any = None) -> UnpackedDualTensor:
    """(primal, tangent or None) as the named tuple UnpackedDualTensor (no tangent outside
    a dual_level(): leaving it drops every tangent)."""
    _program_forward()
    if not State.forward_level or tensor.tangent is None:
        return UnpackedDualTensor((tensor, None))
    primal = tensor.detach() if tensor.grad_fn is None else ops.reshape(tensor, tensor.shape)
    if tensor.grad_fn is None:
        primal.requires_grad = tensor.requires_grad
    elif primal.grad_fn is not None:
        primal.grad_fn.name = "Identity"  # PyTorch's _fw_primal view prints so
    primal.tangent = None
    return UnpackedDualTensor((primal, tensor.tangent))
