"""torch.cholesky (deprecated, with PyTorch's warning) and the matrix exponential."""

from __future__ import annotations

from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.surface import expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import warn

_CHOLESKY_DEPRECATED = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a "
    "future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\n"
    "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\n"
    "should be replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce "
    "equivalent results for all valid (symmetric positive definite) inputs.")


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """The Cholesky factor (PyTorch's deprecated spelling: it warns once, CholeskyBackward0)."""
    warn(_CHOLESKY_DEPRECATED, once=True)
    return apply(_RULES["cholesky_legacy"], (_as_tensor(input),), {"upper": upper})


def matrix_exp(input: Tensor) -> Tensor:
    """e^A of (a batch of) square matrices."""
    return apply(_RULES["matrix_exp"], (_as_tensor(input),))


expose(cholesky, "torch.cholesky", "Tensor.cholesky", family="linalg")
expose(matrix_exp, "torch.matrix_exp", "torch.linalg.matrix_exp", "Tensor.matrix_exp",
       family="linalg")
