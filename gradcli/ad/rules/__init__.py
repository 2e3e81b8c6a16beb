"""THE derivative table: every primitive's forward, VJP and JVP, side by side.

Each entry names the numpy kernel that computes the op, the reverse-mode rule (VJP:
given the cotangent `g` of the output, the cotangent of each input) and the
forward-mode rule (JVP: given the inputs' tangents, the output's tangent).

Rules are written only in our own differentiable ops (`ops.*` and Tensor operators),
never in numpy, so differentiating a rule is just running it with grad mode on:
that is what makes `create_graph=True`, derivatives of any order and forward-over-reverse
work for every op at every order. (No module of this package may import numpy: a test
checks.)

Beside its differentiable VJP, a hot rule may have an array VJP (Rule.with_array_vjp): the
same kernels the VJP's ops would run, in the same order, on the arrays, wrapped as tensors
once. It runs only in a backward pass that nothing records (State.light_backward, grad
mode off); create_graph, forward-over-reverse and every higher order run the
differentiable VJP, which stays the source of truth. tests/test_fastpath_vjp.py checks
the two equal, byte for byte, on the sweep's samples.

Conventions: `g` is the output cotangent, `out` the output (saved only when a rule
asks for it), `t` a tangent; a rule returns None for "no gradient" (a symbolic
zero). Broadcasting is not handled here: the engine sums cotangents back to each
input's shape centrally.

The table is one dict, `RULES`; its entries are written one module per family (the
builders they share are in `base`). Importing this package fills it.
"""

from __future__ import annotations

import gradcli.ad.rules.statistics  # noqa: F401  (the statistics family)
from gradcli.ad.ops.complex_ops import refuse_complex_ordering
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.rules import (  # noqa: F401  (each module fills RULES with its family)
    backward,
    bitwise,
    combine,
    compare,
    decompositions,
    elementwise,
    group_norm,
    indexing,
    linalg,
    linalg_extra,
    lu,
    math,
    nn,
    pointwise,
    random,
    reductions,
    shape,
    solvers,
    special,
    tensor_extras,
    upsample,
)
from gradcli.ad.rules.base import elementwise as elementwise_rule
from gradcli.ad.rules.base import linear, need

refuse_complex_ordering()  # complex inputs: an error where numpy would order them

__all__ = ["RULES", "Rule", "elementwise_rule", "linear", "need"]
