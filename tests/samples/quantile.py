"""Samples: quantile and nanquantile (gradcli/ad/ops/quantile.py)."""

import numpy as np

from samples import X, sample


def _with_nan(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    a = rng.standard_normal(shape)
    return np.where(rng.random(shape) < 0.3, np.nan, a)


for name in ("quantile", "nanquantile"):
    sample(f"torch.{name}", X("mn", domain="distinct"), 0.3)
    sample(f"torch.{name}", X("mn", domain="distinct"), 0.7, dim=1, keepdim=True)
    sample(f"torch.{name}", X("mnk", domain="distinct"), X("3", domain="prob", grad=False),
           dim=0)
    sample(f"torch.{name}", X("mn", domain="distinct", dtype="float32"), 0.5, 1)
for mode in ("lower", "higher", "nearest", "midpoint"):
    sample("torch.quantile", X("mn", domain="distinct"), 0.4, dim=-1, interpolation=mode)
sample("torch.nanquantile", X("mn", domain=_with_nan), 0.5, dim=1, grad=False)
sample("torch.quantile", X("mn", domain=_with_nan), X("2", domain="prob", grad=False),
       grad=False)
