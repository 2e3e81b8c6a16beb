"""A program's own transform: `class TanhTransform(torch.distributions.transforms.Transform)`
(SAC's squashed Gaussian) defining `_call`, `_inverse` and `log_abs_det_jacobian`, with
`sign`, `domain`, `codomain` and `bijective` as class attributes.

The gd instance holds a GdTransform (distributions_subclass): the built-in transform that
TransformedDistribution, `t(x)` and `t.inv` use, whose steps are the instance's methods, and
whose cache of one pair is PyTorch's (cache_size=1: the inverse of the value it just made is
the very input).
"""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.distributions_transforms import Transform


class GdTransform(Transform):
    """The built-in side of a program's Transform subclass: each step calls the gd
    instance's method."""

    __slots__ = ("owner",)

    def __init__(self, owner: Any, cache_size: Any = 0) -> None:
        super().__init__(cache_size)
        self.owner = owner

    def _method(self, name: str) -> Any:
        found = self.owner.cls.find(name)
        from gradcli.interp.distributions_subclass import _MISSING_CLASS

        if found is _MISSING_CLASS:
            raise GdRuntimeError(f"{self.owner.cls.name} has no {name}",
                                 py_type="NotImplementedError")
        return self.owner.get_attr(name)

    def call(self, x: Any) -> Any:
        return self._method("_call")(x)

    def inverse_of(self, y: Any) -> Any:
        return self._method("_inverse")(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return self._method("log_abs_det_jacobian")(x, y)

    def _class_value(self, name: str, default: Any) -> Any:
        from gradcli.interp.distributions_subclass import _MISSING_CLASS

        found = self.owner.cls.find(name)
        return default if found is _MISSING_CLASS else self.owner.get_attr(name)

    def sign_of(self) -> Any:
        return self._class_value("sign", 1)

    def get_attr(self, name: str) -> Any:
        if name in ("domain", "codomain", "bijective"):
            return self._class_value(name, super().get_attr(name))
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return f"{self.owner.cls.name}()"
