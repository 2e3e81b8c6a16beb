"""The bitwise family: & | ^ << >> of integer and bool tensors (~ is with the elementwise
family's logic). Not differentiable: never recorded."""

from __future__ import annotations

from gradcli.ad import kernels as K
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import register

for _name, _kernel, _doc in (
    ("bitwise_and", K.bitwise_and, "a & b, bit by bit"),
    ("bitwise_or", K.bitwise_or, "a | b, bit by bit"),
    ("bitwise_xor", K.bitwise_xor, "a ^ b, bit by bit"),
    ("bitwise_left_shift", K.bitwise_left_shift, "a << b, bit by bit"),
    ("bitwise_right_shift", K.bitwise_right_shift, "a >> b, bit by bit"),
):
    register(Rule(_name, _name, _kernel, None, None, kind="nondifferentiable", doc=_doc))
