"""torch.Tensor(...), PyTorch's legacy constructor: creation, except that of one tensor it
is that tensor's alias (an x[...] view, so it lives above both creation and indexing)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.ops.creation import _copy, _new, tensor, zeros
from gradcli.ad.ops.indexing import getitem
from gradcli.ad.ops.surface import expose


def legacy_tensor(*args: Any, requires_grad: bool = False) -> Tensor:
    """torch.Tensor(...): float32 from data, or uninitialised (zeros) of a size. Of one
    tensor it is that tensor's alias (PyTorch's legacy constructor shares the storage,
    whatever the dtype, and records AliasBackward0 where the tensor requires grad)."""
    if len(args) == 1 and type(args[0]) is Tensor and not requires_grad:
        return tensor_alias(args[0])
    if len(args) == 1 and type(args[0]) is Tensor:
        return _copy(args[0], dtypes.float32, requires_grad)
    if len(args) == 1 and (type(args[0]) is list or type(args[0]) is tuple):
        return _new(list(args[0]), dtypes.float32, requires_grad)  # (a torch.Size: sizes)
    if len(args) == 1 and isinstance(args[0], np.ndarray):  # a numpy array's values
        return tensor(args[0], dtype=dtypes.float32, requires_grad=requires_grad)
    return zeros(*(args or (0,)), dtype=dtypes.float32, requires_grad=requires_grad)


def tensor_alias(x: Tensor) -> Tensor:
    """x[...]: a tensor on x's storage (AliasBackward0 when x requires grad)."""
    return getitem(x, Ellipsis)


expose(legacy_tensor, "torch.Tensor", family="creation")
