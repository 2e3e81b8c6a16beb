"""How many elements of PyTorch's elementwise math gradcli reproduces bit for bit, here.

    python bench/mathbits.py [--n 4000]

For each function (unary, and a few binary ones) and dtype: the elements (of n uniform
values on the function's domain, seeded) where `gradcli`'s value differs from `torch`'s,
and where PyTorch's own result depends on ATen's CPU capability (ATEN_CPU_CAPABILITY=default
vs this CPU's: 'vec' = ATen's vectorised code, whose SLEEF algorithms gradcli copies;
'' = Intel MKL's VML or the C library, closed or CPU-specific). Needs torch (the `compare` extra).
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys

import numpy as np

FUNCS = {  # name: domain (low, high)
    "sin": (-6, 6), "cos": (-6, 6), "tan": (-1.5, 1.5), "exp": (-10, 10), "expm1": (-5, 5),
    "log": (0.01, 10), "log1p": (-0.9, 10), "log2": (0.01, 10), "log10": (0.01, 10),
    "sqrt": (0, 10), "rsqrt": (0.01, 10), "tanh": (-6, 6), "sinh": (-6, 6), "cosh": (-6, 6),
    "sigmoid": (-10, 10), "atan": (-6, 6), "asin": (-1, 1), "acos": (-1, 1),
    "atanh": (-0.99, 0.99), "asinh": (-6, 6), "acosh": (1, 10), "erf": (-4, 4),
    "erfc": (-4, 4), "erfinv": (-0.99, 0.99), "exp2": (-10, 10), "lgamma": (0.1, 10),
    "digamma": (0.1, 10), "reciprocal": (0.1, 10),
    "special.erfcx": (-5, 30), "special.ndtri": (0, 1), "special.log_ndtr": (-10, 5),
    "special.i0": (-10, 10), "special.i1": (-10, 10), "sinc": (-6, 6),
    "special.entr": (0, 10),
}
BINARY = {  # name: (first argument's domain, second's)
    "pow": ((0, 5), (-3, 3)), "atan2": ((-6, 6), (-6, 6)), "logaddexp": ((-10, 10), (-10, 10)),
    "xlogy": ((-3, 3), (0.01, 10)), "hypot": ((-6, 6), (-6, 6)),
}


def _torch_values(dtype: str, n: int, capability: str | None) -> dict[str, bytes]:
    env = dict(os.environ)
    if capability:
        env["ATEN_CPU_CAPABILITY"] = capability
    code = (
        "import sys, torch, numpy as np\n"
        f"FUNCS = {FUNCS!r}\n"
        f"BINARY = {BINARY!r}\n"
        "def get(name):\n"
        "    f = torch\n"
        "    for part in name.split('.'):\n"
        "        f = getattr(f, part)\n"
        "    return f\n"
        "out = {}\n"
        "for name, domains in [*((k, (v,)) for k, v in FUNCS.items()), *BINARY.items()]:\n"
        "    rng = np.random.default_rng(0)\n"
        f"    xs = [torch.from_numpy(rng.uniform(lo, hi, {n}).astype('{dtype}'))\n"
        "          for lo, hi in domains]\n"
        "    out[name] = get(name)(*xs).numpy().tobytes().hex()\n"
        "print(repr(out))\n")
    text = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout
    return {k: bytes.fromhex(v) for k, v in ast.literal_eval(text).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from gradcli.ad.ops.surface import SURFACE
    from gradcli.ad.tensor import tensor_from_array

    print(f"{'function':<17} {'dtype':<8} {'differ':>7} {'of':>6}  path")
    total = {"float32": 0, "float64": 0}
    for dtype in ("float32", "float64"):
        here = _torch_values(dtype, args.n, None)
        default = _torch_values(dtype, args.n, "default")
        for name, domains in [*((k, (v,)) for k, v in FUNCS.items()), *BINARY.items()]:
            rng = np.random.default_rng(0)
            xs = [tensor_from_array(rng.uniform(lo, hi, args.n).astype(dtype))
                  for lo, hi in domains]
            ours = SURFACE[f"torch.{name}"](*xs).array
            theirs = np.frombuffer(here[name], dtype=dtype)
            same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
            path = "vec" if here[name] != default[name] else ""
            print(f"{name:<17} {dtype:<8} {int((~same).sum()):>7} {args.n:>6}  {path}")
            total[dtype] += int((~same).sum() == 0)
    count = len(FUNCS) + len(BINARY)
    print(f"bit for bit: float32 {total['float32']} of {count} functions, "
          f"float64 {total['float64']} of {count}")


if __name__ == "__main__":
    main()
