"""nn.InstanceNorm1d/2d/3d, nn.LocalResponseNorm and the channel-wise dropout modules
(Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout), as PyTorch's instancenorm.py,
normalization.py and dropout.py build them.

InstanceNorm is a _NormBase (nn_norm's init, with affine and track_running_stats off by
default): weight, bias and running statistics registered as BatchNorm registers them, and
forward is PyTorch's (its input checks, an unbatched input as a batch of one,
F.instance_norm with the running statistics when tracked).
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.state import warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_layers import _dropout_init, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance
from gradcli.interp.nn_norm import _norm_extra, _norm_init, _reset_parameters, _reset_running_stats

F = ops.members("torch.nn.functional")


def _instance_init(self: ModuleInstance, num_features: int, eps: float = 1e-05,
                   momentum: Any = 0.1, affine: bool = False,
                   track_running_stats: bool = False, device: Any = None, dtype: Any = None,
                   *, bias: bool = True) -> None:
    _norm_init(self, num_features, eps, momentum, affine, track_running_stats, device, dtype,
               bias=bias)


def _apply(self: ModuleInstance, input: Tensor) -> Tensor:
    momentum = _get(self, "momentum")
    return F["instance_norm"](
        input, _get(self, "running_mean"), _get(self, "running_var"), _get(self, "weight"),
        _get(self, "bias"), _get(self, "training") or not _get(self, "track_running_stats"),
        momentum if momentum is not None else 0.0, _get(self, "eps"))


def _instance_forward(n: int) -> Any:
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        if input.ndim not in (n + 1, n + 2):
            raise GdRuntimeError(f"expected {n + 1}D or {n + 2}D input (got {input.ndim}D "
                                 "input)", py_type="ValueError")
        feature = input.ndim - (n + 1)
        if input.shape[feature] != _get(self, "num_features"):
            if _get(self, "affine"):
                raise GdRuntimeError(f"expected input's size at dim={feature} to match "
                                     f"num_features ({_get(self, 'num_features')}), but got: "
                                     f"{input.shape[feature]}.", py_type="ValueError")
            warn(f"input's size at dim={feature} does not match num_features. You can "
                 "silence this warning by not passing in num_features, which is not used "
                 "because affine=False")
        if input.ndim == n + 1:
            return ops.squeeze(_apply(self, ops.unsqueeze(input, 0)), 0)
        return _apply(self, input)

    return forward


for _n in (1, 2, 3):
    _layer(f"InstanceNorm{_n}d", "instancenorm", {
        "__init__": _instance_init, "forward": _instance_forward(_n),
        "reset_running_stats": _reset_running_stats, "reset_parameters": _reset_parameters,
        "extra_repr": _norm_extra})


def _lrn_init(self: ModuleInstance, size: int, alpha: float = 1e-4, beta: float = 0.75,
              k: float = 1.0) -> None:
    _set(self, size=size, alpha=alpha, beta=beta, k=k)


_layer("LocalResponseNorm", "normalization", {
    "__init__": _lrn_init,
    "forward": lambda self, input: F["local_response_norm"](
        input, *(_get(self, a) for a in ("size", "alpha", "beta", "k"))),
    "extra_repr": lambda self: (f"{_get(self, 'size')}, alpha={_get(self, 'alpha')}, "
                                f"beta={_get(self, 'beta')}, k={_get(self, 'k')}")})


def _dropout_forward(fn: str, inplace: bool) -> Any:
    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        extra = (_get(self, "inplace"),) if inplace else ()
        return F[fn](input, _get(self, "p"), _get(self, "training"), *extra)

    return forward


for _name, _fn, _inplace in (("Dropout1d", "dropout1d", True), ("Dropout2d", "dropout2d", True),
                             ("Dropout3d", "dropout3d", True),
                             ("AlphaDropout", "alpha_dropout", False),
                             ("FeatureAlphaDropout", "feature_alpha_dropout", False)):
    _layer(_name, "dropout", {
        "__init__": _dropout_init, "forward": _dropout_forward(_fn, _inplace),
        "extra_repr": lambda s: f"p={_get(s, 'p')}, inplace={_get(s, 'inplace')}"})
