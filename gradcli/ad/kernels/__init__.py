"""Forward kernels: numpy in, numpy out, PyTorch's dtype rules.

Every function here is the forward half of one primitive in `gradcli/ad/rules/`. They know
nothing of autograd. Arguments are numpy arrays or Python numbers (constants).

The package re-exports every kernel, so callers keep `from gradcli.ad import kernels as K`
and `K.add`, `K.TorchError`. Its modules import only downwards, with no cycle:

    messages     TorchError and PyTorch's words for failures (imports none of the others)
    elementwise  dtype promotion, binary/unary kernels, comparisons and logic
    bitwise      & | ^ ~ << >> of integer and bool tensors
    reductions   sums in PyTorch's order, mean/prod/extrema/norm, arg-reductions, softmax
    shape        reshape/expand/permute, cat/stack, indexing, diagonals
    linalg       mm/mv/dot/matmul and the losses
"""

from __future__ import annotations

from gradcli.ad.kernels.bitwise import (
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
)
from gradcli.ad.kernels.elementwise import (
    ARRAY_OUT,
    abs,
    add,
    ceil,
    clamp,
    clone,
    cos,
    div,
    eq,
    exp,
    fill,
    floor,
    floordiv,
    ge,
    gt,
    isfinite,
    isnan,
    le,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    lt,
    maximum,
    minimum,
    mod,
    mul,
    mul_temporary,
    ne,
    neg,
    pow,
    reciprocal,
    relu,
    result_type,
    round,
    sigmoid,
    sign,
    sin,
    sqrt,
    sub,
    tan,
    tanh,
    to_dtype,
    where,
)
from gradcli.ad.kernels.linalg import (
    dot,
    matmul,
    mm,
    mv,
)
from gradcli.ad.kernels.messages import (
    TorchError,
    broadcast_message,
    broadcast_message_all,
    empty_reduction_message,
    expand_message,
    failure_message,
    ndarray,
    not_implemented,
    scalar_name,
)
from gradcli.ad.kernels.reductions import (
    amax,
    amin,
    argmax,
    argmin,
    log_softmax,
    logsumexp,
    mean,
    norm,
    prod,
    scatter_along,
    softmax,
    sum,
    take_along,
    torch_sum,
)
from gradcli.ad.kernels.shape import (
    OVERLAP_MESSAGE,
    assign,
    cat,
    diag,
    diag_embed_like,
    expand,
    expanded_view,
    getitem,
    index_add_into,
    index_put,
    overlaps,
    owned_copy,
    permute,
    reshape,
    squeeze,
    stack,
    sum_to,
    transpose,
    unsqueeze,
)

__all__ = [
    "ARRAY_OUT", "OVERLAP_MESSAGE", "TorchError", "abs", "add", "amax", "amin", "argmax",
    "argmin", "assign",
    "bitwise_and", "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift",
    "bitwise_xor",
    "broadcast_message", "broadcast_message_all", "cat", "ceil",
    "clamp", "clone", "cos", "diag", "diag_embed_like", "div", "dot", "empty_reduction_message",
    "eq", "exp", "expand", "expand_message", "expanded_view", "failure_message", "fill", "floor",
    "floordiv", "ge",
    "getitem", "gt", "index_add_into", "index_put", "isfinite", "isnan", "le", "log", "log1p",
    "log_softmax", "logical_and", "logical_not", "logical_or", "logsumexp", "lt", "matmul",
    "maximum", "mean", "minimum", "mm", "mod", "mul", "mul_temporary", "mv",
    "ndarray", "ne", "neg", "norm", "not_implemented", "overlaps", "owned_copy", "permute",
    "pow", "prod",
    "reciprocal",
    "relu", "reshape", "result_type", "round", "scalar_name", "scatter_along", "sigmoid", "sign",
    "sin", "softmax", "sqrt", "squeeze", "stack", "sub", "sum", "sum_to", "take_along", "tan",
    "tanh", "to_dtype", "torch_sum", "transpose", "unsqueeze", "where"
]
