"""PyTorch 2.13's parser signatures of the torch functions and Tensor methods gd exposes
without a hand-written entry in signatures.py: the strings PyTorch's generated bindings
give its PythonArgParser (read from libtorch_python.so, each spelling's overloads in the
order PyTorch's own "expected one of" message lists them, `|hidden` for its deprecated
forms), held in schemas.txt, a line per overload. Data only: argcheck.py parses it;
signatures.py's entries take precedence.
"""

from __future__ import annotations

#: Tensor methods PyTorch binds without arguments (METH_NOARGS): `x.exp(1)` is
#: "TensorBase.exp() takes no arguments (1 given)".
NO_ARGS = frozenset((
    "abs", "abs_", "acos", "acos_", "acosh", "acosh_", "arccos", "arccos_", "arccosh",
    "arccosh_", "arcsin", "arcsin_", "arcsinh", "arcsinh_", "arctan", "arctan_", "arctanh",
    "arctanh_", "argwhere", "asin", "asin_", "asinh", "asinh_", "atan", "atan_", "atanh",
    "atanh_", "bitwise_not", "ceil", "ceil_", "corrcoef", "cos", "cos_", "cosh", "cosh_",
    "deg2rad", "deg2rad_", "det", "digamma", "digamma_", "erf", "erf_", "erfc", "erfc_",
    "erfinv", "erfinv_", "exp", "exp2", "exp2_", "exp_", "expm1", "expm1_", "fix", "fix_",
    "fliplr", "flipud", "floor", "floor_", "frac", "frac_", "frexp", "i0", "i0_", "inverse",
    "isfinite", "isinf", "isnan", "isneginf", "isposinf", "lgamma", "lgamma_", "log",
    "log10", "log10_", "log1p", "log1p_", "log2", "log2_", "log_", "logdet", "logical_not",
    "matrix_exp", "msort", "neg", "neg_", "negative", "positive", "rad2deg", "rad2deg_",
    "ravel", "reciprocal", "reciprocal_", "relu", "relu_", "rsqrt", "rsqrt_", "sgn", "sgn_",
    "sigmoid", "sigmoid_", "sign", "sign_", "signbit", "sin", "sin_", "sinc", "sinc_",
    "sinh", "sinh_", "slogdet", "sqrt", "sqrt_", "square", "square_", "t", "tan", "tan_",
    "tanh", "tanh_", "trace", "trunc", "trunc_", "zero_",
))


def _parse() -> dict[str, tuple[str, ...]]:
    import os

    table: dict[str, list[str]] = {}
    with open(os.path.join(os.path.dirname(__file__), "schemas.txt"), encoding="utf-8") as f:
        text = f.read()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        spelling, _, sig = line.partition(" ")
        table.setdefault(spelling, []).append(sig)
    return {k: tuple(v) for k, v in table.items()}


#: Spelling → its overloads, PyTorch's signature strings.
SCHEMAS: dict[str, tuple[str, ...]] = _parse()
