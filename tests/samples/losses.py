"""Samples: the losses of gradcli/ad/ops/losses.py."""

import numpy as np

from samples import X, sample


def _signs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.choice([-1.0, 1.0], shape)


def _counts(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(0, 6, shape).astype(np.float64)


F = "torch.nn.functional."
for reduction in ("mean", "sum", "none"):
    sample(F + "margin_ranking_loss", X("m"), X("m"), X("m", domain=_signs, grad=False),
           reduction=reduction)
    sample(F + "hinge_embedding_loss", X("mn"), X("mn", domain=_signs, grad=False),
           reduction=reduction)
    sample(F + "poisson_nll_loss", X("mn"), X("mn", domain=_counts, grad=False),
           reduction=reduction)
    sample(F + "gaussian_nll_loss", X("mn"), X("mn"), X("mn", domain="positive"),
           reduction=reduction)
    sample(F + "triplet_margin_loss", X("mn"), X("mn"), X("mn"), reduction=reduction)
sample(F + "margin_ranking_loss", X("m"), X("m"), X("m", domain=_signs), margin=0.3)
sample(F + "hinge_embedding_loss", X("m"), X("m", domain=_signs), margin=2.0)
sample(F + "poisson_nll_loss", X("m", domain="positive"), X("m", domain=_counts),
       log_input=False)
sample(F + "poisson_nll_loss", X("m", domain="positive"), X("m", domain=_counts),
       log_input=False, full=True, reduction="none")
sample(F + "poisson_nll_loss", X("m"), X("m", domain=_counts), full=True)
sample(F + "gaussian_nll_loss", X("mn"), X("mn"), X("m", domain="positive"), full=True)
sample(F + "gaussian_nll_loss", X("mn"), X("mn"), X("m1", domain="positive"))
sample(F + "gaussian_nll_loss", X("mn"), X("mn"), 0.7, reduction="sum")
sample(F + "triplet_margin_loss", X("mn"), X("mn"), X("mn"), margin=0.5, p=1, swap=True)
sample(F + "triplet_margin_loss", X("n"), X("n"), X("n"), p=3)
