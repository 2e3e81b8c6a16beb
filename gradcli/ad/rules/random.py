"""Random draws into a tensor (x.uniform_(), x.normal_(), torch.bernoulli(p), ...): the
values do not depend on the input's values, so the derivative is zero, as PyTorch's
UniformBackward0, NormalBackward0, BernoulliBackward0/1/2, RandomBackward0/1/2 and
ExponentialBackward0 say. Dropout needs no rule: it is x * mask (MulBackward0)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import random as KR
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import register
from gradcli.errors import GdRuntimeError


def _vjp(g: Tensor, out: Tensor, x: Tensor, values: Any, torch_name: str) -> tuple[Any]:
    if torch_name == "NotImplemented":  # torch.bernoulli(x, p) with a number p
        raise GdRuntimeError("derivative for aten::bernoulli is not implemented")
    return (ops.zeros_like(g),)


register(Rule(
    "random_fill", lambda inputs, params: params["torch_name"], KR.drawn, _vjp,
    lambda ts, out, x, values, torch_name: ops.zeros_like(ts[0]),
    kind="linear", doc="values drawn by the random generator (x.uniform_(), bernoulli(p))",
    saves_inputs=False))
