"""torch.nn.utils.parametrizations.orthogonal, as torch/nn/utils/parametrizations.py does
it: an `_Orthogonal` parametrization (matrix_exp for a square matrix, householder
otherwise, or cayley) registered with unsafe=True; with trivialization (the default) its
buffer `base` holds the initial weight made orthogonal (QR, columns signed by R's
diagonal), the original starts as -I and the weight is `base @ map(original)`."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.ops.indexing import getitem
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import _get
from gradcli.interp.nn_module import MODULE, ModuleClass, ModuleInstance, _init
from gradcli.interp.values import Size, to_repr

T = ops.members("Tensor")
TORCH = ops.members("torch")
LINALG = ops.members("torch.linalg")
_MAPS = ("matrix_exp", "cayley", "householder")


def _mT(x: Tensor) -> Tensor:
    return T["transpose"](x, -2, -1)


def _householder_product(a: Tensor, tau: Tensor) -> Tensor:
    """The first k columns of H_1 … H_k, H_i = I - tau_i v_i v_iᵀ (v_i: column i of a below
    the diagonal, 1 on it), in gd's differentiable ops (one matrix)."""
    n, k = a.shape[-2], a.shape[-1]
    h = TORCH["eye"](n, dtype=a.dtype)
    for i in range(k):
        below = getitem(a, (slice(i + 1, None), i))
        v = TORCH["cat"]([TORCH["zeros"](i, dtype=a.dtype), TORCH["ones"](1, dtype=a.dtype),
                          below])
        hv = TORCH["mv"](h, v)
        h = T["sub"](h, T["mul"](TORCH["outer"](hv, v), getitem(tau, i)))
    return getitem(h, (slice(None), slice(None, k)))


def _make_orthogonal(a: Tensor) -> Tensor:
    q, r = LINALG["qr"](a)
    return T["mul"](q, T["unsqueeze"](T["sgn"](T["diagonal"](r, 0, -2, -1)), -2))


def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.shape[-2], q.shape[-1]
    eps = 10.0 * n * float(np.finfo(q.array.dtype).eps)
    return bool(TORCH["allclose"](T["matmul"](_mT(q), q), TORCH["eye"](k, dtype=q.dtype),
                                  atol=eps))


def _init_orth(self: ModuleInstance, weight: Tensor, orthogonal_map: str, *,
               use_trivialization: bool = True) -> None:
    _init(self)
    self.attrs["shape"] = Size(weight.shape)
    self.attrs["orthogonal_map"] = orthogonal_map
    if use_trivialization:
        self.method("register_buffer")("base", None)


def _forward(self: ModuleInstance, x: Tensor) -> Tensor:
    n, k = x.shape[-2], x.shape[-1]
    transposed = n < k
    if transposed:
        x, n, k = _mT(x), k, n
    kind = _get(self, "orthogonal_map")
    if kind in ("matrix_exp", "cayley"):
        x = T["tril"](x)
        if n != k:
            x = TORCH["cat"]([x, TORCH["zeros"](n, n - k, dtype=x.dtype)], dim=-1)
        a = T["sub"](x, _mT(x))
        if kind == "matrix_exp":
            q = TORCH["matrix_exp"](a)
        else:
            eye = TORCH["eye"](n, dtype=a.dtype)
            q = LINALG["solve"](TORCH["add"](eye, a, alpha=-0.5),
                                TORCH["add"](eye, a, alpha=0.5))
        if n != k:
            q = getitem(q, (Ellipsis, slice(None, k)))
    else:
        a = T["tril"](x, -1)
        tau = TORCH["div"](2.0, T["add"](T["sum"](T["mul"](a, a), -2), 1.0))
        q = _householder_product(a, tau)
        q = T["mul"](q, T["unsqueeze"](T["int"](T["diagonal"](x, 0, -2, -1)), -2))
    base = (self.bufs or {}).get("base")
    if "base" in (self.bufs or {}) and base is not None:
        q = T["matmul"](base, q)
    return _mT(q) if transposed else q


def _right_inverse(self: ModuleInstance, q: Tensor) -> Tensor:
    if tuple(q.shape) != tuple(_get(self, "shape")):
        raise GdRuntimeError(f"Expected a matrix or batch of matrices of shape "
                             f"{to_repr(_get(self, 'shape'))}. Got a tensor of shape "
                             f"{to_repr(Size(q.shape))}.", py_type="ValueError")
    if "base" not in (self.bufs or {}):
        raise GdRuntimeError("orthogonal without trivialization is not supported by gradcli",
                             py_type="NotImplementedError")
    with grad_mode(False):
        q_init = q
        n, k = q.shape[-2], q.shape[-1]
        if n < k:
            q, n, k = _mT(q), k, n
        if n == k:
            q = T["clone"](q) if _is_orthogonal(q) else _make_orthogonal(q)
        else:
            extra = TORCH["randn"](n, n - k, dtype=q.dtype)
            q = _make_orthogonal(TORCH["cat"]([q, extra], dim=-1))
        self.bufs["base"] = q  # type: ignore[index]
        neg_id = TORCH["zeros_like"](q_init)
        T["fill_"](T["diagonal"](neg_id, 0, -2, -1), -1.0)
    return neg_id


ORTHOGONAL = ModuleClass("_Orthogonal", "torch.nn.utils.parametrizations._Orthogonal", MODULE,
                         {"__init__": _init_orth, "forward": _forward,
                          "right_inverse": _right_inverse})


def orthogonal(module: ModuleInstance, name: str = "weight", orthogonal_map: Any = None, *,
               use_trivialization: bool = True) -> ModuleInstance:
    """torch.nn.utils.parametrizations.orthogonal."""
    from gradcli.interp.nn_parametrize import register_parametrization

    weight = module.get_attr(name) if (name in (module.params or {})
                                       or name in (module.bufs or {})) else None
    if type(weight) is not Tensor:
        raise GdRuntimeError(f"Module '{to_repr(module)}' has no parameter or buffer with "
                             f"name '{name}'", py_type="ValueError")
    if weight.ndim < 2:
        raise GdRuntimeError("Expected a matrix or batch of matrices. Got a tensor of "
                             f"{weight.ndim} dimensions.", py_type="ValueError")
    if weight.ndim > 2:
        raise GdRuntimeError("orthogonal of a batch of matrices is not supported by gradcli",
                             py_type="NotImplementedError")
    n, k = weight.shape[-2], weight.shape[-1]
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if n == k else "householder"
    if orthogonal_map not in _MAPS:
        raise GdRuntimeError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                             f'"householder". Got: {orthogonal_map}', py_type="ValueError")
    orth = ORTHOGONAL(weight, orthogonal_map, use_trivialization=use_trivialization)
    return register_parametrization(module, name, orth, unsafe=True)
