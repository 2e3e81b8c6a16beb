"""How often gradcli's matrix products give PyTorch's (MKL's) bits, by shape class.

Run from the tree root: `python bench/blas_sweep.py [--n N] [--seed S] [--dtype float32]`.
For random real-code shapes (nn.Linear's forward and both backward products, X @ W,
matrix @ vector, dot) it draws standard-normal factors, computes the product with torch
(the ground truth, CPU) and with gradcli's kernels, and prints the share of calls whose
every output is bit-identical, per class: the layout (nn = a @ b, nt = a @ bᵀ, tn = aᵀ @ b,
linear = x @ wᵀ + bias, mv / mvt = W @ v / Wᵀ @ v) and the shape (n = 1, n < 12, m a
multiple of 4 or not, k past 192)."""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree's gradcli

from gradcli.ad.kernels import linalg as KL
from gradcli.ad.kernels import nn as KN

MS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256)
KS = (1, 2, 3, 4, 5, 8, 10, 13, 16, 20, 28, 32, 50, 64, 100, 128, 200, 256, 784)
NS = (1, 2, 3, 4, 5, 8, 10, 12, 16, 20, 32, 50, 64, 100, 128, 256)
MAX_PRODUCTS = 1 << 21
FAILS: list | None = None


def shape_class(m: int, n: int, k: int) -> str:
    if n == 1:
        return "n=1"
    if k > 192:
        return "k>192"
    if n < 12:
        return "n<12"
    return "n>=12,m%4=0" if m % 4 == 0 else "n>=12,m%4!=0"


def _pair(layout: str, m: int, n: int, k: int, dt: np.dtype, rng: np.random.Generator):
    a = rng.standard_normal((m, k)).astype(dt)
    b = rng.standard_normal((k, n)).astype(dt)
    if layout in ("tn", "tt"):
        a = np.ascontiguousarray(a.T).T
    if layout in ("nt", "tt", "linear"):
        b = np.ascontiguousarray(b.T).T
    return a, b


def T(x: np.ndarray) -> torch.Tensor:
    """x as a tensor of PyTorch's own allocation (64-byte aligned, as programs' tensors
    are; MKL's kernels peel differently on other alignments), in x's layout."""
    t = torch.empty_strided(x.shape, tuple(s // x.itemsize for s in x.strides),
                            dtype=torch.from_numpy(x[:0]).dtype)
    t.copy_(torch.from_numpy(x))
    return t


def one(layout: str, m: int, n: int, k: int, dt: np.dtype, rng: np.random.Generator) -> bool:
    if layout in ("mv", "mvt"):
        a = rng.standard_normal((m, k)).astype(dt)
        if layout == "mvt":
            a = np.ascontiguousarray(a.T).T
        v = rng.standard_normal(k).astype(dt)
        ours = KL.mv(a, v)
        theirs = torch.mv(T(a), T(v)).numpy()
    elif layout == "dot":
        a = rng.standard_normal(k).astype(dt)
        v = rng.standard_normal(k).astype(dt)
        ours = np.asarray(KL.dot(a, v))
        theirs = torch.dot(T(a), T(v)).numpy()
    else:
        a, b = _pair(layout, m, n, k, dt, rng)
        ta, tb = T(a), T(b)
        if layout == "linear":
            bias = rng.standard_normal(n).astype(dt)
            w = np.ascontiguousarray(b.T)
            ours = KN.linear(a, w, bias)
            theirs = torch.nn.functional.linear(ta, T(w),
                                                T(bias)).numpy()
        else:
            ours = KL.mm(a, b)
            theirs = torch.mm(ta, tb).numpy()
    return ours.shape == theirs.shape and ours.tobytes() == theirs.tobytes()


def sweep(n_calls: int, seed: int, dtypes: list[str], layouts: list[str]) -> dict:
    rng = np.random.default_rng(seed)
    stats: dict = collections.defaultdict(lambda: [0, 0])
    for dname in dtypes:
        dt = np.dtype(dname)
        for layout in layouts:
            done = 0
            while done < n_calls:
                m, n, k = (int(rng.choice(MS)), int(rng.choice(NS)), int(rng.choice(KS)))
                if layout in ("mv", "mvt"):
                    n = 1
                if layout == "dot":
                    m = n = 1
                if m * n * k > MAX_PRODUCTS:
                    continue
                done += 1
                key = (dname, layout, "dot" if layout == "dot" else shape_class(m, n, k))
                s = stats[key]
                ok = one(layout, m, n, k, dt, rng)
                s[0] += ok
                s[1] += 1
                if not ok and FAILS is not None:
                    FAILS.append((dname, layout, m, n, k))
    return stats


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=400, help="calls per dtype and layout")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", action="append")
    p.add_argument("--layout", action="append")
    p.add_argument("--fails", action="store_true", help="list the shapes that missed")
    args = p.parse_args()
    global FAILS
    FAILS = [] if args.fails else None
    torch.set_num_threads(2)
    stats = sweep(args.n, args.seed, args.dtype or ["float32", "float64"],
                  args.layout or ["linear", "nn", "tn", "nt", "mv", "mvt", "dot"])
    for key in sorted(stats):
        ok, total = stats[key]
        print(f"{key[0]:8} {key[1]:7} {key[2]:14} {ok:5}/{total:<5} {100 * ok / total:6.1f}%")
    for miss in FAILS or ():
        print("missed", *miss)


if __name__ == "__main__":
    main()
