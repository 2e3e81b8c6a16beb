"""PyTorch modules programs import a few names from, besides the packages that hold them:
torch.autograd.gradcheck and torch.autograd.variable (gradcheck and Variable by their
home modules), the type-hint modules torch.types and torch.nn.common_types (aliases that
only print), and torch.nn.modules.utils (_single, _pair, _triple, _quadruple, _ntuple: the
argument normalisers hand-written layers reuse).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import pybuiltins
from gradcli.interp.pytyping import TypingForm
from gradcli.interp.values import Builtin, Namespace, Size

# torch.types's aliases as PyTorch 2.13 prints them (the ones type hints use).
_TYPES = {
    "Number": "int | float | bool",
    "_Number": "int | float | bool",
    "_size": "torch.Size | list[int] | tuple[int, ...]",
    "Device": "torch.device | str | int | None",
    "_TensorOrTensors": "torch.Tensor | collections.abc.Sequence[torch.Tensor]",
    "IntLikeType": "int | torch.SymInt",
    "FloatLikeType": "float | torch.SymFloat",
    "BoolLikeType": "bool | torch.SymBool",
}
# torch.nn.common_types's (typing.Union forms there).
_COMMON = {f"_size_{n}_t": f"typing.Union[int, tuple[{', '.join(['int'] * n)}]]"
           for n in range(1, 7)}
_COMMON |= {
    "_size_any_t": "typing.Union[int, tuple[int, ...]]",
    "_size_2_opt_t": "typing.Union[int, NoneType, tuple[typing.Optional[int], "
                     "typing.Optional[int]]]",
    "_size_any_opt_t": "typing.Union[int, NoneType, tuple[typing.Optional[int], ...]]",
    "_ratio_2_t": "typing.Union[float, tuple[float, float]]",
    "_ratio_3_t": "typing.Union[float, tuple[float, float, float]]",
    "_ratio_any_t": "typing.Union[float, tuple[float, ...]]",
    "_tensor_list_t": "typing.Union[torch.Tensor, tuple[torch.Tensor, ...]]",
}


def _iterable(x: Any) -> bool:
    """isinstance(x, collections.abc.Iterable) for gd's values."""
    if type(x) in (tuple, list, Size, str, dict, set, frozenset, range, Tensor):
        return True
    try:
        pybuiltins._iter(x)
    except GdRuntimeError:
        return False
    return True


def _ntuple(n: Any, name: str = "parse") -> Builtin:
    """torch.nn.modules.utils._ntuple(n): x as a tuple, repeated n times unless iterable."""

    def parse(x: Any) -> tuple[Any, ...]:
        """x as a tuple: an iterable's items, else x repeated."""
        if _iterable(x):
            return pybuiltins._tuple(x)
        return (x,) * n

    return Builtin(name, parse)


def namespaces(autograd: Namespace) -> dict[str, Namespace]:
    """The modules, by name (torch.nn.modules.utils joins torch.nn.modules' members)."""
    members = autograd.members
    utils = {"_ntuple": Builtin("torch.nn.modules.utils._ntuple", _ntuple)}
    for n, name in ((1, "_single"), (2, "_pair"), (3, "_triple"), (4, "_quadruple")):
        utils[name] = _ntuple(n, name)
    return {
        "torch.autograd.gradcheck": Namespace("torch.autograd.gradcheck", {
            "gradcheck": members["gradcheck"], "gradgradcheck": members["gradgradcheck"]}),
        "torch.autograd.variable": Namespace("torch.autograd.variable",
                                             {"Variable": members["Variable"]}),
        "torch.types": Namespace("torch.types",
                                 {k: TypingForm(v) for k, v in _TYPES.items()}),
        "torch.nn.common_types": Namespace("torch.nn.common_types",
                                           {k: TypingForm(v) for k, v in _COMMON.items()}),
        "torch.nn.modules.utils": Namespace("torch.nn.modules.utils", utils),
    }
