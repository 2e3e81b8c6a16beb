"""torch.linalg.lstsq and matrix_rank, ldexp, frexp and nextafter, group_norm."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels import floatbits as KF
from gradcli.ad.kernels import solvers as KS
from gradcli.ad.kernels.messages import not_implemented, scalar_name
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.decompositions import svdvals
from gradcli.ad.ops.elementwise import to
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.errors import GdRuntimeError


class LstsqResult(NamedTuple):
    """torch.return_types.linalg_lstsq."""

    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor
    torch_kind = "linalg_lstsq"


class FrexpResult(NamedTuple):
    """torch.return_types.frexp."""

    mantissa: Tensor
    exponent: Tensor
    torch_kind = "frexp"


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _empty(dtype: Any) -> Tensor:
    return tensor_from_array(np.zeros(0, dtype))


def _near_cut(a: np.ndarray, rcond: float) -> bool:
    """Whether a singular value of a matrix of the batch is within a factor of 10 of
    rcond·σ₁ or below it (gelsy's rank estimate could then differ from full rank)."""
    s = np.linalg.svd(a.astype(np.float64), compute_uv=False)
    return bool(np.any(s <= 10 * rcond * s.max(axis=-1, keepdims=True)))


def lstsq(input: Tensor, b: Tensor, rcond: Any = None, *, driver: Any = None) -> LstsqResult:
    """The least-squares solution of A X = B; residuals, rank and singular values as the
    CPU driver (gelsy by default) reports them."""
    A, B = _as_tensor(input), _as_tensor(b)
    if driver is not None and driver not in _DRIVERS:
        raise GdRuntimeError("torch.linalg.lstsq: parameter `driver` should be one of "
                             "(gels, gelsy, gelsd, gelss)")
    driver = driver or "gelsy"
    if A.ndim >= 2 and B.ndim >= 1 and A.array.dtype != B.array.dtype:
        raise GdRuntimeError("torch.linalg.lstsq: Expected input and other to have the same "
                             f"dtype, but got input's dtype {scalar_name(A.array.dtype)} and "
                             f"other's dtype {scalar_name(B.array.dtype)}")
    tol = None if rcond is None or driver == "gels" else float(rcond)
    if tol is not None and driver == "gelsy" and A.array.size and _near_cut(A.array, tol):
        # gelsy's rank is QR with column pivoting's condition estimate, not the
        # singular values': past the cut its solution is not the SVD's
        raise GdRuntimeError("torch.linalg.lstsq: an rcond that leaves the matrix rank-"
                             "deficient with the gelsy driver is not supported by gradcli "
                             "(driver='gelsd' or 'gelss' is)")
    X = apply(_RULES["linalg_lstsq"], (A, B), {"rcond": tol} if tol is not None else {})
    m, n = A.shape[-2:]
    dt = X.array.dtype
    rank = (tensor_from_array(KS.matrix_rank(A.array, None, tol)) if driver != "gels"
            else tensor_from_array(np.zeros(0, np.int64)))
    sv = svdvals(A).detach() if driver in ("gelsd", "gelss") else _empty(dt)
    full = m > n and driver != "gelsy" and bool(np.all(KS.matrix_rank(A.array, None, tol) == n))
    residuals = apply(_RULES["linalg_lstsq_residuals"], (A, B), {"full": full})
    return LstsqResult(X, residuals, rank, sv)


def matrix_rank(input: Tensor, tol: Any = None, hermitian: bool = False, *, atol: Any = None,
                rtol: Any = None) -> Tensor:
    """The number of singular values above max(atol, rtol·σ₁) (int64)."""
    A = _as_tensor(input)
    if tol is not None:
        atol, rtol = tol, 0.0
    atol, rtol = (float(v.array) if isinstance(v, Tensor) else v for v in (atol, rtol))
    if hermitian and A.ndim >= 2 and A.shape[-1] != A.shape[-2]:
        raise GdRuntimeError(f"linalg.eigh: A must be batches of square matrices, but they "
                             f"are {A.shape[-2]} by {A.shape[-1]} matrices")
    return tensor_from_array(KS.matrix_rank(A.array, atol, rtol, bool(hermitian)))


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """input · 2^other."""
    return apply(_RULES["ldexp"], (_as_tensor(input), _as_tensor(other)))


def frexp(input: Tensor) -> FrexpResult:
    """(mantissa, exponent) with input = mantissa · 2^exponent (exponent int32)."""
    x = _as_tensor(input)
    if x.array.dtype.kind != "f":
        raise GdRuntimeError("torch.frexp() only supports floating-point dtypes")
    return FrexpResult(apply(_RULES["frexp"], (x,)),
                       tensor_from_array(KF.frexp(x.array)[1]))


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """The next representable float after input towards other."""
    x, y = _as_tensor(input), _as_tensor(other)
    arrays = (x.array, y.array)  # a 0-d operand promotes only across categories
    dt = dtypes.promote([a.dtype for a in arrays if a.ndim], [a.dtype for a in arrays
                                                             if not a.ndim], [])
    if np.dtype(dt).kind in "biu":  # ATen's nextafter has float kernels only
        raise GdRuntimeError(str(not_implemented("nextafter_cpu", np.dtype(dt))),
                             py_type="NotImplementedError")
    return apply(_RULES["nextafter"], (to(x, dt), to(y, dt)))


def group_norm(input: Tensor, num_groups: int, weight: Any = None, bias: Any = None,
               eps: float = 1e-05) -> Tensor:
    """Normalize each of num_groups channel groups of each sample, then scale and shift
    per channel (NativeGroupNormBackward0)."""
    x = _as_tensor(input)
    if x.ndim < 2:
        raise GdRuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                             f"{x.ndim}")
    c = x.shape[1]
    if c % num_groups:
        raise GdRuntimeError(f"Expected number of channels in input to be divisible by "
                             f"num_groups, but got input of shape {list(x.shape)} and "
                             f"num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (_as_tensor(t).ndim != 1 or _as_tensor(t).numel() != c):
            raise GdRuntimeError(f"Expected {name} to be a vector of size equal to the number "
                                 f"of channels in input, but got {name} of shape "
                                 f"{list(_as_tensor(t).shape)} and input of shape "
                                 f"{list(x.shape)}")
    from gradcli.ad.ops.nn import check_norm_dtypes

    check_norm_dtypes("GroupNormKernelImpl", x, weight, bias, mixed=True)
    return apply(_RULES["group_norm"], (x, weight, bias),
                 {"groups": int(num_groups), "eps": float(eps)})


expose(lstsq, "torch.linalg.lstsq", family="linalg")
expose(matrix_rank, "torch.linalg.matrix_rank", family="linalg")
expose(ldexp, "torch.ldexp", "Tensor.ldexp", family="math")
expose(frexp, "torch.frexp", "Tensor.frexp", family="math")
expose(nextafter, "torch.nextafter", "Tensor.nextafter", family="math")
expose(group_norm, "torch.nn.functional.group_norm", family="nn")


def _torch_group_norm(input: Tensor, num_groups: int, weight: Any = None, bias: Any = None,
                      eps: float = 1e-05, cudnn_enabled: bool = True) -> Tensor:
    """torch.group_norm: F.group_norm with ATen's cudnn flag (ignored on the CPU)."""
    return group_norm(input, num_groups, weight, bias, eps)


expose(_torch_group_norm, "torch.group_norm", family="nn")
