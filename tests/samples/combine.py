"""Samples: block_diag, cartesian_prod, combinations, vander, trapezoid, cov, corrcoef
(gradcli/ad/ops/combine.py)."""

import numpy as np

from samples import X, sample


def _counts(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(1, 4, shape)


sample("torch.block_diag", X("mn"), X("k"), X(""))
sample("torch.block_diag", X("mn", dtype="float32"), X("kn", domain="int", dtype="int64"))
sample("torch.cartesian_prod", X("m"), X("n"))
sample("torch.cartesian_prod", X("m"), X("n"), X("k"))
sample("torch.combinations", X("m"))
sample("torch.combinations", X("4"), 3)
sample("torch.combinations", X("m"), r=2, with_replacement=True)
sample("torch.combinations", X("m", domain="int", dtype="int64"), r=0)
# PyTorch's own backward through torch.vander fails (its cumprod input is overwritten in
# place); gd refuses it too, with its own version numbers: values only.
sample("torch.vander", X("m"), grad=False)
sample("torch.vander", X("m"), N=4, increasing=True, grad=False)
sample("torch.vander", X("m", domain="int", dtype="int64"), 3)
sample("torch.linalg.vander", X("m3"))
sample("torch.linalg.vander", X("m"), N=4)
for name in ("trapezoid", "trapz"):
    sample(f"torch.{name}", X("mn"))
    sample(f"torch.{name}", X("mn"), X("n"))
    sample(f"torch.{name}", X("mn"), X("m"), dim=0)
sample("torch.trapezoid", X("mn"), dx=0.5, dim=0)
sample("torch.trapezoid", X("mn", domain="int", dtype="int64"))
sample("torch.cumulative_trapezoid", X("mn"))
sample("torch.cumulative_trapezoid", X("mn"), X("n"))
sample("torch.cumulative_trapezoid", X("mn"), dx=0.5, dim=0)
sample("torch.gradient", X("34"))
sample("torch.gradient", X("34"), spacing=2.0, dim=1, edge_order=2)
sample("torch.gradient", X("43", domain="int", dtype="int64"), dim=0)
sample("torch.cov", X("m3"))
sample("torch.cov", X("m4"), correction=0)
sample("torch.cov", X("4"))
sample("torch.cov", X("m3"), fweights=X("3", domain=_counts, dtype="int64"),
       aweights=X("3", domain="positive", grad=False))
sample("torch.cov", X("m3", domain="int", dtype="int64"))
sample("torch.corrcoef", X("m4"))
sample("torch.corrcoef", X("4"))
