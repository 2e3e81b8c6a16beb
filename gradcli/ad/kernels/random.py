"""Kernels of the random ops: the values are drawn by the op (gradcli.ad.rng) and handed
to the kernel as a parameter, so recording, replay and in-place writes see one array."""

from __future__ import annotations

from typing import Any

import numpy as np


def drawn(x: np.ndarray, values: np.ndarray, torch_name: str) -> Any:
    """The drawn values, in x's dtype (x.uniform_(), torch.bernoulli(p), ...)."""
    return np.asarray(values).astype(x.dtype, copy=False)


def drawn_values(x: np.ndarray, values: np.ndarray) -> Any:
    """A sampler's draws, in x's dtype (torch._standard_gamma(x))."""
    return np.asarray(values).astype(x.dtype, copy=False)
