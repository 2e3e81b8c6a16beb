"""Samples: bincount, histc, bucketize, searchsorted (gradcli/ad/ops/counting.py)."""

import numpy as np

from samples import Index, X, sample


def _sorted(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return np.sort(rng.standard_normal(shape), axis=-1)


sample("torch.bincount", Index("m", high=5))
sample("torch.bincount", Index("m", high=4), X("m"), minlength=6, grad=False)
sample("torch.bincount", Index("m", high=4), weights=X("m", dtype="float32"), grad=False)
sample("torch.histc", X())
sample("torch.histc", X(dtype="float32"), bins=5, min=-1.0, max=1.0)
sample("torch.histc", X("mn"), 3)
sample("torch.bucketize", X(), X("m", domain=_sorted))
sample("torch.bucketize", X("n"), X("m", domain=_sorted), right=True, out_int32=True)
sample("torch.searchsorted", X("m", domain=_sorted), X())
sample("torch.searchsorted", X("km", domain=_sorted), X("kn"), side="right")
sample("torch.searchsorted", X("m", domain=_sorted), 0.25)
