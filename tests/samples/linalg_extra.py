"""Samples: torch.cholesky and the matrix exponential (gradcli/ad/ops/linalg_extra.py).
matrix_exp is a Padé approximant, not PyTorch's Taylor polynomial: equal to 1e-12."""

import warnings

from samples import X, sample

try:  # torch.cholesky warns once per process (TORCH_WARN_ONCE): spend it here, not in a case
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.cholesky(torch.eye(1))
except ImportError:
    pass

sample("torch.cholesky", X("nn", "spd"), jvp=False)
sample("torch.cholesky", X("knn", "spd"), upper=True, jvp=False)
sample("torch.matrix_exp", X("nn"), rtol=1e-12, atol=1e-12)
sample("torch.matrix_exp", X("knn", dtype="float32"), rtol=1e-5, atol=1e-6)
sample("torch.linalg.matrix_exp", X("nn", domain=lambda rng, s: 3 * rng.standard_normal(s)),
       rtol=1e-12, atol=1e-12)
