"""The rules of interpolation (F.interpolate's nearest, nearest-exact, linear, bilinear,
trilinear and bicubic modes: UpsampleLinear1DBackward0, UpsampleBilinear2DBackward0,
UpsampleTrilinear3DBackward0, UpsampleBicubic2DBackward0) and of its backward
(…BackwardBackward0, under create_graph). The two are each other's adjoint, so each one's
VJP and JVP is the other or itself; both compute as torch's kernels round
(kernels/upsample.py), at every order."""

from __future__ import annotations

from typing import Any

from gradcli.ad.kernels import upsample as KU
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules.base import register


def _forward_params(p: dict[str, Any]) -> dict[str, Any]:
    return {"size": p["size"], "in_shape": p["in_shape"], "scales": p["scales"],
            "align_corners": p["align_corners"], "mode": p["mode"], "name": p["name"]}


def _up(t: Any, p: dict[str, Any]) -> Any:
    return apply(RULES["upsample_linear"], (t,), _forward_params(p))


def _down(t: Any, p: dict[str, Any]) -> Any:
    return apply(RULES["upsample_linear_backward"], (t,), _forward_params(p))


register(Rule(
    "upsample_linear", lambda inputs, p: p["name"],
    lambda x, size, in_shape, scales, align_corners, mode, name: KU.forward(
        x, list(size), list(scales), align_corners, mode),
    lambda g, out, x, **p: (_down(g, p),),
    lambda ts, out, x, **p: _up(ts[0], p),
    kind="linear", doc="interpolation along the spatial dims (F.interpolate)",
    saves_inputs=False, torch_keeps=False, formula=("upsample_linear_backward(grad)",)))

register(Rule(
    "upsample_linear_backward",
    lambda inputs, p: p["name"].replace("Backward0", "BackwardBackward0"),
    lambda g, size, in_shape, scales, align_corners, mode, name: KU.backward(
        g, tuple(in_shape), list(scales), align_corners, mode),
    lambda g, out, x, **p: (_up(g, p),),
    lambda ts, out, x, **p: _down(ts[0], p),
    kind="linear", doc="the adjoint of interpolation (its gradient)",
    saves_inputs=False, torch_keeps=False, formula=("upsample_linear(grad)",)))
