"""How often gradcli's small linear-algebra kernels give PyTorch's (MKL's LAPACK) bits.

Run from the tree root: `python bench/lapack_sweep.py [--count N] [--ops cholesky,...]`.
For each op, dtype and order n = 2..16 it draws `count` random problems (SPD matrices
X Xᵀ + n·I in float64, cast; their Cholesky factors; standard-normal right-hand sides),
computes the result with torch (the ground truth, CPU) and with gradcli's kernels twice:
`before`, MKL's AVX-512 models switched off (GRADCLI_MKL_PATH=avx2: numpy's LAPACK, as on
AMD hosts) and `after`, the models on (on an Intel AVX-512 host), and prints how many
results are bit-identical. A cell of the kernels the models do not cover shows the same
counts twice. Ops: cholesky (lower), cholesky_upper, trsm_L1 (solve_triangular, lower,
one column, the factor as PyTorch returns it), trsm_U1r (upper, one column, row-major),
trsm_L3 (three columns), cholesky_solve1 and cholesky_solve3 (one and three columns);
lu_factor, det, slogdet (log|det|), solve1, solve3 and solve9 (linalg.solve, one, three
and nine columns), inv of standard-normal matrices, solve_adjoint1/3/9 (the transposed
getrs: lu_solve(adjoint=True), as solve's gradient), solve_left3 (left=False), qr_Q and
qr_R (linalg.qr, reduced); eigvalsh and eigh_vectors of M + Mᵀ."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree's gradcli

from gradcli.ad.kernels import decompositions as KD
from gradcli.ad.kernels import linalg_extra as KX
from gradcli.ad.kernels import linalg_tri as KT
from gradcli.ad.kernels import lu as KLU
from gradcli.ad.kernels import mkl_path

Case = tuple[Callable[[], torch.Tensor], Callable[[], np.ndarray]]


def spd(n: int, count: int, dt: torch.dtype, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(count, n, n, generator=g, dtype=torch.float64)
    return (x @ x.mT + n * torch.eye(n, dtype=torch.float64)).to(dt)


def case(op: str, n: int, count: int, dt: torch.dtype, seed: int) -> Case:
    a = spd(n, count, dt, seed)
    low = torch.linalg.cholesky(a)  # column-major, as PyTorch returns it
    g = torch.Generator().manual_seed(seed + 1)
    k = 9 if op.endswith("9") else 3 if op.endswith("3") else 1
    b = torch.randn(count, n, k, generator=g, dtype=torch.float64).to(dt)
    an, ln, bn = a.numpy(), low.numpy(), b.numpy()
    if op == "cholesky":
        return (lambda: low), (lambda: KD.cholesky(an))
    if op == "cholesky_upper":
        return (lambda: torch.linalg.cholesky(a, upper=True)), (lambda: KD.cholesky(an, True))
    if op in ("trsm_L1", "trsm_L3"):
        return ((lambda: torch.linalg.solve_triangular(low, b, upper=False)),
                (lambda: KT.solve_triangular(ln, bn, upper=False)))
    if op == "trsm_U1r":
        up = low.mT.contiguous()
        return ((lambda: torch.linalg.solve_triangular(up, b, upper=True)),
                (lambda: KT.solve_triangular(up.numpy(), bn, upper=True)))
    if op in ("cholesky_solve1", "cholesky_solve3"):
        return (lambda: torch.cholesky_solve(b, low)), (lambda: KX.cholesky_solve(bn, ln))
    g = torch.Generator().manual_seed(seed + 2)
    m = torch.randn(count, n, n, generator=g, dtype=torch.float64).to(dt)
    mn = m.numpy()
    if op == "lu_factor":
        return (lambda: torch.linalg.lu_factor(m)[0]), (lambda: KLU.lu_factor(mn))
    if op == "det":
        return (lambda: torch.linalg.det(m)), (lambda: KD.det(mn))
    if op == "slogdet":
        return (lambda: torch.linalg.slogdet(m)[1]), (lambda: KD.slogdet(mn))
    if op in ("solve1", "solve3", "solve9"):
        return (lambda: torch.linalg.solve(m, b)), (lambda: KD.solve(mn, bn))
    if op in ("solve_adjoint1", "solve_adjoint3", "solve_adjoint9"):
        lu, piv = torch.linalg.lu_factor(m)
        return ((lambda: torch.linalg.lu_solve(lu, piv, b, adjoint=True)),
                (lambda: KD.solve(mn, bn, adjoint=True)))
    if op == "solve_left3":
        return ((lambda: torch.linalg.solve(m, b.mT, left=False)),
                (lambda: KD.solve(mn, np.swapaxes(bn, -1, -2), left=False)))
    if op in ("qr_Q", "qr_R"):
        i = 0 if op == "qr_Q" else 1
        return (lambda: torch.linalg.qr(m)[i]), (lambda: KD.qr(mn, part=op[-1]))
    if op == "inv":
        return (lambda: torch.linalg.inv(m)), (lambda: KD.inv(mn))
    sym = m + m.mT
    sn = sym.numpy()
    if op == "eigvalsh":
        return (lambda: torch.linalg.eigvalsh(sym)), (lambda: KD.eigh(sn))
    if op == "eigh_vectors":
        return (lambda: torch.linalg.eigh(sym)[1]), (lambda: KD.eigh(sn, part="eigenvectors"))
    raise SystemExit(f"unknown op {op}")


def matches(want: torch.Tensor, got: np.ndarray) -> int:
    w = want.numpy()
    return int((np.asarray(got) == w).reshape(w.shape[0], -1).all(axis=1).sum())


def run(path: str, fn: Callable[[], np.ndarray]) -> np.ndarray:
    os.environ[mkl_path.ENV] = path
    mkl_path.mkl_avx512.cache_clear()
    try:
        return fn()
    finally:
        os.environ.pop(mkl_path.ENV, None)
        mkl_path.mkl_avx512.cache_clear()


OPS = ("cholesky", "cholesky_upper", "trsm_L1", "trsm_U1r", "trsm_L3", "cholesky_solve1",
       "cholesky_solve3", "lu_factor", "det", "slogdet", "solve1", "solve3", "solve9", "inv",
       "solve_adjoint1", "solve_adjoint3", "solve_adjoint9", "solve_left3", "qr_Q", "qr_R",
       "eigvalsh",
       "eigh_vectors")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--sizes", default="2-16")
    args = ap.parse_args()
    lo, _, hi = args.sizes.partition("-")
    sizes = range(int(lo), int(hi or lo) + 1)
    if not mkl_path.runs_avx512(*mkl_path.cpuinfo()):
        print("note: not MKL's AVX-512 path here; `after` is what this host computes")
    total = [0, 0, 0]
    for op in args.ops.split(","):
        for dt in (torch.float64, torch.float32):
            cells = []
            for n in sizes:
                want, mine = case(op, n, args.count, dt, 1000 * n + 7)
                truth = want()
                before = matches(truth, run("avx2", mine))
                after = matches(truth, run("avx512", mine))
                total[0] += before
                total[1] += after
                total[2] += args.count
                cells.append(f"{n}:{before}>{after}")
            print(f"{op:16s} {str(dt)[6:]:8s} " + " ".join(cells), flush=True)
    print(f"total: before {total[0]}/{total[2]}, after {total[1]}/{total[2]} bit-identical")


if __name__ == "__main__":
    main()
