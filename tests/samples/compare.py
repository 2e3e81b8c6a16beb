"""Samples: comparison functions and aliases, isinf family, signbit, logical_xor,
heaviside, fmax/fmin, ravel, diff (gradcli/ad/ops/compare.py)."""

import numpy as np

from samples import Mask, X, sample


def _specials(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    pool = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 1.5, -2.0])
    return rng.choice(pool, shape)


def _with_nan(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    a = rng.standard_normal(shape)
    return np.where(rng.random(shape) < 0.3, np.nan, a)


for name in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal",
             "less_equal", "not_equal"):
    sample(f"torch.{name}", X(domain="small_int"), X(domain="small_int"))
    sample(f"torch.{name}", X("mn", domain="small_int"), 1.0)
for name in ("isinf", "isposinf", "isneginf", "signbit"):
    sample(f"torch.{name}", X(domain=_specials))
    sample(f"torch.{name}", X(domain="int", dtype="int64"))
sample("torch.logical_xor", Mask(), Mask())
sample("torch.logical_xor", X(domain="small_int"), X("*", domain="small_int", dtype="int64"))
sample("torch.heaviside", X(domain="small_int"), X(), grad=False)
sample("torch.heaviside", X("mn", domain="small_int", dtype="int64"),
       X("n", domain="int", dtype="int64"))
sample("Tensor.heaviside_", X(domain="small_int"), X(), grad=False)
for name in ("fmax", "fmin"):
    sample(f"torch.{name}", X(domain="distinct"), X(domain="distinct"))
    sample(f"torch.{name}", X("mn", domain=_with_nan), X("n", domain=_with_nan))
    sample(f"torch.{name}", X(domain="small_int"), X(domain="small_int"))
    sample(f"torch.{name}", X(domain="int", dtype="int64"), X(dtype="float32"))
sample("torch.ravel", X())
sample("torch.diff", X("m"))
sample("torch.diff", X("mn"), n=2, dim=0)
sample("torch.diff", X("mn"), 1, -1, X("m2"), X("m1"))
sample("torch.diff", X("m"), n=0)
sample("torch.diff", X("m"), n=5)
sample("torch.diff", Mask("mn"))
sample("torch.diff", X("m", domain="int", dtype="int64"), prepend=X("1", dtype="float32"))
