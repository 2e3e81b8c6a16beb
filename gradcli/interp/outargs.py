"""PyTorch's `out=` keyword: `torch.add(x, y, out=result)` writes the result into `result`
(resized if its shape differs, cast to its dtype where PyTorch allows) and returns it.

The op is computed as usual and then copied into the out tensor's storage (a view passed
as out= writes through to its base). As in PyTorch, out= refuses autograd (an argument or
the out tensor that requires grad) and a cast to a lower dtype category (a float result
into a long tensor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor, bump_version
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.ops.reductions import return_type
from gradcli.ad.state import State, warn
from gradcli.errors import GdRuntimeError
from gradcli.interp.schemas import SCHEMAS
from gradcli.interp.signatures import SIGNATURES
from gradcli.interp.values import type_name

_CATEGORY = {"b": 0, "i": 1, "u": 1, "f": 2}

# PyTorch 2.13's torch functions without out= (views, *_like creation, Python-written
# functions): torch.X(..., out=t) is their "unexpected keyword argument" (checked by calling
# each under PyTorch).
NO_OUT = frozenset((
    "allclose", "argsort", "as_tensor", "atleast_1d", "atleast_2d", "atleast_3d", "bincount",
    "block_diag", "broadcast_tensors", "broadcast_to", "cartesian_prod", "cdist", "chunk",
    "clone", "combinations", "corrcoef", "count_nonzero", "cov", "detach", "diag_embed",
    "diagflat", "diagonal", "dist", "dropout", "einsum", "empty_like", "equal", "flatten",
    "flip", "fliplr", "flipud", "full_like", "meshgrid", "movedim", "moveaxis", "narrow",
    "numel", "ones_like", "permute", "poisson", "rand_like", "randint_like", "randn_like",
    "repeat_interleave", "reshape", "result_type", "roll", "rot90", "select", "split",
    "squeeze", "std_mean", "var_mean", "swapaxes", "swapdims", "t", "tensor", "tensor_split",
    "tile", "trace", "transpose", "trapezoid", "tril_indices", "triu_indices", "unbind",
    "unflatten", "unique", "unique_consecutive", "unsqueeze", "vander", "zeros_like",
    "hsplit", "vsplit", "dsplit", "from_numpy", "is_tensor", "is_floating_point",
    "set_default_dtype", "get_default_dtype", "manual_seed", "Tensor", "view_as_real"))


def takes_out(spelling: str) -> bool:
    """Whether PyTorch's torch.X accepts out=: its signature says so (a function gd does not
    check has no signature here: PyTorch's tensor ops all take out=)."""
    if spelling.startswith("torch.nn.") or spelling.rpartition(".")[2] in NO_OUT:
        return False
    texts = SIGNATURES.get(spelling) or SCHEMAS.get(spelling)
    return texts is None or any("out=None" in t for t in texts)


def _tensors(values: Any) -> list[Tensor]:
    found = []
    for v in values:
        if type(v) is Tensor:
            found.append(v)
        elif type(v) in (list, tuple):
            found.extend(e for e in v if type(e) is Tensor)
    return found


def call(spelling: str, fn: Callable[..., Any], args: tuple[Any, ...],
         kwargs: dict[str, Any]) -> Any:
    """fn(*args, **kwargs) with kwargs' `out` taken out and the result written into it."""
    kwargs = dict(kwargs)
    out = kwargs.pop("out")
    if out is None:
        return fn(*args, **kwargs)
    outs = out if type(out) in (tuple, list) else (out,)
    name = spelling.rpartition(".")[2]
    for o in outs:
        if type(o) is not Tensor:
            raise GdRuntimeError(f"{name}(): argument 'out' must be Tensor, not "
                                 f"{type_name(o)}", py_type="TypeError")
    if State.grad_enabled and any(t.requires_grad for t in
                                  [*_tensors(args), *_tensors(kwargs.values()), *outs]):
        raise GdRuntimeError(f"{name}(): functions with out=... arguments don't support "
                             "automatic differentiation, but one of the arguments requires "
                             "grad.")
    result = fn(*args, **kwargs)
    results = tuple(result) if type(out) in (tuple, list) else (result,)
    if len(results) != len(outs):
        raise GdRuntimeError(f"{name}(): argument 'out' must be a tuple of {len(results)} "
                             "Tensors", py_type="TypeError")
    for o, r in zip(outs, results, strict=True):
        _write(o, r)
    if type(out) is Tensor:
        return out
    kind = getattr(type(result), "torch_kind", None)  # torch.return_types.max_out
    return tuple(outs) if kind is None else return_type(kind + "_out")(*outs)


def _write(out: Tensor, result: Tensor) -> None:
    src, dst = result.array.dtype, out.array.dtype
    if _CATEGORY[src.kind] > _CATEGORY[dst.kind]:
        raise GdRuntimeError(f"result type {scalar_name(src)} can't be cast to the desired "
                             f"output type {scalar_name(dst)}")
    if out.shape != result.shape:
        if out.array.size:
            warn(f"An output with one or more elements was resized since it had shape "
                 f"{list(out.shape)}, which does not match the required output shape "
                 f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
                 "release outputs will not be resized unless they have zero elements. You can "
                 "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                 "with t.resize_(0).")
        out.array = np.empty(result.shape, dst)
    out.array[...] = result.array
    bump_version(out)
