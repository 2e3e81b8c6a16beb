"""Every unary float function of gradcli against the installed PyTorch, bit for bit.

    python bench/unary_sweep.py [--n 4099] [--only NAME ...] [--show K]

For float32 and float64: n inputs (uniform on a wide range and on the function's usual
domain, normal values, and the edge values: signed zeros, infinities, NaN, the dtype's
extremes, subnormals, overflow thresholds), n chosen not a multiple of any vector width
so the scalar tail is exercised; then the same values at length 37 (mostly tail) and as
a strided view (every other element). Prints the elements that differ per function,
dtype and layout. Needs torch (the `compare` extra); run from the tree's root.

What still differs here (round 16, AVX2 machine): the functions ATen hands to Intel MKL's
VML (vml.h's IMPLEMENT_VML_MKL: tan, asin, acos, atan, tanh, exp, log, log10, erf, erfc,
erfinv, sqrt float64, sin/cos float64) and those built on them (logit of dense inputs,
special.ndtr, tanhshrink). MKL is closed; gradcli rounds the double function. Measured
shapes of MKL's float32 error: tan's is smooth in x (a relative error up to 2.8e-8, zero
at 0, ~6.8e-7·x² near it: a low-degree approximation evaluated in double, recoverable as
vmltrig.py recovered sin/cos); exp's looks like noise of float32 arithmetic (no smooth
function of the reduced argument for tables of 1 to 256 entries explains its signs).
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

# name: (low, high) of the usual domain (the wide range is added to every function)
FUNCS = {
    "abs": (-5, 5), "neg": (-5, 5), "sin": (-6, 6), "cos": (-6, 6), "tan": (-1.5, 1.5),
    "asin": (-1, 1), "acos": (-1, 1), "atan": (-6, 6), "sinh": (-6, 6), "cosh": (-6, 6),
    "tanh": (-6, 6), "asinh": (-6, 6), "acosh": (1, 10), "atanh": (-1, 1), "exp": (-10, 10),
    "exp2": (-10, 10), "expm1": (-5, 5), "log": (0, 10), "log2": (0, 10), "log10": (0, 10),
    "log1p": (-1, 10), "sqrt": (0, 10), "rsqrt": (0, 10), "reciprocal": (-10, 10),
    "sigmoid": (-10, 10), "erf": (-4, 4), "erfc": (-4, 10), "erfinv": (-1, 1),
    "lgamma": (-5, 10), "digamma": (-5, 10), "sign": (-2, 2), "sgn": (-2, 2),
    "floor": (-5, 5), "ceil": (-5, 5), "round": (-5, 5), "trunc": (-5, 5), "frac": (-5, 5),
    "sinc": (-6, 6), "logit": (0, 1), "deg2rad": (-360, 360), "rad2deg": (-6, 6),
    "square": (-5, 5), "relu": (-5, 5), "nan_to_num": (-5, 5), "i0": (-10, 10),
    "special.erfcx": (-5, 30), "special.ndtr": (-6, 6), "special.ndtri": (0, 1),
    "special.log_ndtr": (-10, 5), "special.i0e": (-10, 10), "special.i1": (-10, 10),
    "special.i1e": (-10, 10), "special.entr": (0, 10), "special.expit": (-10, 10),
    "nn.functional.gelu": (-6, 6), "nn.functional.silu": (-10, 10),
    "nn.functional.mish": (-10, 10), "nn.functional.softplus": (-30, 30),
    "nn.functional.elu": (-5, 5), "nn.functional.selu": (-5, 5),
    "nn.functional.celu": (-5, 5), "nn.functional.leaky_relu": (-5, 5),
    "nn.functional.hardswish": (-5, 5), "nn.functional.hardsigmoid": (-5, 5),
    "nn.functional.hardtanh": (-2, 2), "nn.functional.logsigmoid": (-20, 20),
    "nn.functional.softsign": (-5, 5), "nn.functional.tanhshrink": (-5, 5),
    "nn.functional.relu6": (-2, 8), "nn.functional.softshrink": (-2, 2),
    "nn.functional.hardshrink": (-2, 2),
}
#: Extra spellings: (shown name, function name, keyword arguments)
VARIANTS = [("gelu(tanh)", "nn.functional.gelu", {"approximate": "tanh"})]


def inputs(lo: float, hi: float, n: int, dtype: str) -> np.ndarray:
    """n values of dtype: a quarter each uniform on [lo, hi], uniform on [-100, 100], normal,
    log-uniform of both signs; then the edge values in place of the first ones."""
    rng = np.random.default_rng(16)
    q = n // 4
    parts = [rng.uniform(lo, hi, q), rng.uniform(-100, 100, q), rng.normal(0, 2, q),
             np.exp(rng.uniform(-30, 6, n - 3 * q)) * rng.choice([-1, 1], n - 3 * q)]
    x = np.concatenate(parts).astype(dtype)
    info = np.finfo(dtype)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0,
                      float(info.max), float(-info.max), float(info.tiny),
                      float(info.tiny) / 8, -float(info.tiny) / 8, float(info.eps),
                      88.72, -87.34, 89.5, -103.9, 709.78, -708.4, 745.2, 1e-8, -1e-8,
                      0.84375, 1.25, 6.0, -6.0, 28.0, 2.857142857, 1e30, -1e30], dtype)
    x[:edges.size] = edges
    return x


def _torch_fn(name: str):
    import torch

    f = torch
    for part in name.split("."):
        f = getattr(f, part)
    return f


def _ours_fn(name: str):
    from gradcli.ad.ops.surface import SURFACE

    return SURFACE[f"torch.{name}"]


def differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where a and b differ in bits (any NaN equals any NaN)."""
    same = (a.view(np.uint8).reshape(a.size, -1) == b.view(np.uint8).reshape(b.size, -1)).all(1)
    return ~(same | (np.isnan(a) & np.isnan(b)).reshape(-1))


def sweep(n: int, only: list[str] | None = None, show: int = 0) -> dict[tuple[str, str, str], int]:
    """{(function, dtype, layout): elements that differ}."""
    import warnings

    import torch

    from gradcli.ad.tensor import tensor_from_array

    warnings.filterwarnings("ignore")
    table = [(k, k, {}) for k in FUNCS] + VARIANTS
    result = {}
    for shown, name, kwargs in table:
        if only and shown not in only and name not in only:
            continue
        lo, hi = FUNCS[name]
        for dtype in ("float32", "float64"):
            x = inputs(lo, hi, n, dtype)
            for layout, arr in (("n", x), ("37", x[:37].copy()), ("strided", x[::2])):
                t = torch.from_numpy(x)[::2] if layout == "strided" else torch.from_numpy(arr)
                want = _torch_fn(name)(t, **kwargs).numpy()
                try:
                    got = np.asarray(_ours_fn(name)(tensor_from_array(arr), **kwargs).array)
                except Exception as e:
                    print(f"{shown:<26} {dtype:<8} {layout:<8} ERROR {type(e).__name__}: {e}")
                    result[(shown, dtype, layout)] = -1
                    continue
                bad = differ(got.reshape(-1), want.reshape(-1)) if got.shape == want.shape \
                    else np.ones(want.size, bool)
                result[(shown, dtype, layout)] = int(bad.sum())
                if bad.any() and show:
                    src = arr.reshape(-1)[bad][:show]
                    print(f"  {shown} {dtype} {layout}: x={src.tolist()} ours="
                          f"{got.reshape(-1)[bad][:show].tolist()} torch="
                          f"{want.reshape(-1)[bad][:show].tolist()}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4099)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--show", type=int, default=0, help="print K differing elements")
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = sweep(args.n, args.only, args.show)
    print(f"{'function':<26} {'dtype':<8} {'n':>6} {'37':>4} {'strided':>7}")
    names = dict.fromkeys(k[0] for k in result)
    for name in names:
        for dtype in ("float32", "float64"):
            r = [result.get((name, dtype, lay), 0) for lay in ("n", "37", "strided")]
            if any(r):
                print(f"{name:<26} {dtype:<8} {r[0]:>6} {r[1]:>4} {r[2]:>7}")
    exact = sum(1 for k, v in result.items() if v == 0)
    print(f"exact: {exact} of {len(result)} (function, dtype, layout) cases")


if __name__ == "__main__":
    main()
