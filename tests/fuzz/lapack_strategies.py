"""Class (p) of the Trust sweeps: MKL's LAPACK on small matrices (round 22's models,
kernels/mkl_lapack_*.py). Seeded random float32/float64 matrices of order 2-16, built
without a matrix product (M + Mᵀ + 3n·I is positive definite by Gershgorin's bound, so the
Cholesky programs do not lean on the matrix products' own models), one op of the family
printed whole with tolist() (bit for bit). Only where MKL's AVX-512 path runs and the
kernel is recovered: other hosts keep numpy's LAPACK, whose bits PyTorch's MKL does not
promise."""

from __future__ import annotations

from hypothesis import strategies as st

#: (op, the sizes it is recovered for: None = 2..16); {A}: general, {S}: SPD, {L}: its
#: Cholesky factor, {B}: n×k right-hand sides, {b}: n×1.
LAPACK_OPS: list[tuple[str, range | None]] = [
    ("torch.linalg.cholesky({S})", None),
    ("torch.linalg.cholesky({S}, upper=True)", None),
    ("torch.cholesky_solve({B}, {L})", None),
    ("torch.cholesky_solve({b}, {L})", None),
    ("torch.linalg.solve_triangular({L}, {B}, upper=False)", None),
    ("torch.linalg.solve_triangular({L}.mT, {b}, upper=True)", None),
    ("torch.linalg.solve_triangular({L}, {B}.mT, upper=False, left=False)", None),
    ("torch.linalg.lu_factor({A})", range(2, 17)),
    ("torch.linalg.det({A})", None),
    ("torch.linalg.slogdet({A})", None),
    ("torch.linalg.solve({A}, {b})", None),
    ("torch.linalg.solve({A}, {B})", None),
    ("torch.linalg.inv({A})", None),
    ("torch.linalg.solve({A}, {B}.mT, left=False)", None),
    ("torch.linalg.qr({A})", None),
    ("torch.linalg.qr({A}[..., :, :2], mode='complete')", None),
    ("torch.linalg.eigh({A} + {A}.mT)", range(2, 3)),
    ("torch.linalg.eigvalsh({A} + {A}.mT)", range(2, 3)),
]


@st.composite
def lapack_programs(draw: st.DrawFn) -> str:
    """One op of LAPACK_OPS on seeded random inputs of a size its model covers."""
    op, sizes = draw(st.sampled_from(LAPACK_OPS))
    n = draw(st.sampled_from(list(sizes or range(2, 17))))
    k = draw(st.integers(2, 4))
    dtype = draw(st.sampled_from(["torch.float32", "torch.float64"]))
    batch = draw(st.sampled_from(["", "2, "]))
    seed = draw(st.integers(0, 2**16))
    lines = [
        "import torch",
        f"g = torch.Generator().manual_seed({seed})",
        f"A = torch.randn({batch}{n}, {n}, generator=g, dtype={dtype})",
        f"S = A + A.mT + {3 * n} * torch.eye({n}, dtype={dtype})",
        "L = torch.linalg.cholesky(S)",
        f"B = torch.randn({batch}{n}, {k}, generator=g, dtype={dtype})",
        f"b = torch.randn({batch}{n}, 1, generator=g, dtype={dtype})",
    ]
    call = op.format(A="A", S="S", L="L", B="B", b="b")
    lines.append(f"r = {call}")
    lines.append("print([t.tolist() for t in r] if isinstance(r, tuple) else r.tolist())")
    return "\n".join(lines) + "\n"
