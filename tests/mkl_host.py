"""What the MKL sweeps (tests/test_r2*_mkl.py) share: the torch side's copy of a factor.

Their fixture `avx512_host` (torch with PyTorch's two threads, on an Intel AVX-512 host
only) is in conftest.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest


def torch_copy(x: np.ndarray) -> Any:
    """x as a tensor of PyTorch's own (64-byte aligned, as programs' tensors are)."""
    torch = pytest.importorskip("torch")
    return torch.from_numpy(np.ascontiguousarray(x)).clone()
