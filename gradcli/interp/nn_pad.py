"""The padding modules (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad, 1- to
3-d), as PyTorch's padding.py builds them: `padding` is kept as a tuple of 2·n values (a
sequence as given, a number repeated), forward is F.pad with the module's mode, and each
prints as PyTorch's extra_repr does."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance

F = ops.members("torch.nn.functional")


def _padding(padding: Any, n: int) -> tuple[Any, ...]:
    return tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * n)


def _constant(n: int, zero: bool) -> dict[str, Any]:
    def init(self: ModuleInstance, padding: Any, value: Any = None) -> None:
        _set(self, value=0.0 if zero else value, padding=_padding(padding, n))

    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        return F["pad"](input, _get(self, "padding"), "constant", _get(self, "value"))

    def extra(self: ModuleInstance) -> str:
        if zero:
            return f"{_get(self, 'padding')}"
        return f"padding={_get(self, 'padding')}, value={_get(self, 'value')}"

    if zero:
        def zero_init(self: ModuleInstance, padding: Any) -> None:
            init(self, padding)

        return {"__init__": zero_init, "forward": forward, "extra_repr": extra}

    def constant_init(self: ModuleInstance, padding: Any, value: float) -> None:
        init(self, padding, value)

    return {"__init__": constant_init, "forward": forward, "extra_repr": extra}


def _moded(n: int, mode: str) -> dict[str, Any]:
    def init(self: ModuleInstance, padding: Any) -> None:
        _set(self, padding=_padding(padding, n))

    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        if mode == "circular" and input.ndim not in (n + 1, n + 2):
            raise GdRuntimeError(f"expected {n + 1}D or {n + 2}D input (got {input.ndim}D "
                                 "input)", py_type="ValueError")
        return F["pad"](input, _get(self, "padding"), mode)

    return {"__init__": init, "forward": forward,
            "extra_repr": lambda self: f"{_get(self, 'padding')}"}


for _n in (1, 2, 3):
    _layer(f"ZeroPad{_n}d", "padding", _constant(_n, True))
    _layer(f"ConstantPad{_n}d", "padding", _constant(_n, False))
    for _name, _mode in (("Reflection", "reflect"), ("Replication", "replicate"),
                         ("Circular", "circular")):
        _layer(f"{_name}Pad{_n}d", "padding", _moded(_n, _mode))
