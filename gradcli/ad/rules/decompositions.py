"""Rules of matrix functions and decompositions: det, slogdet, inv, solve, cholesky, eigh,
svd, qr, pinv, with PyTorch's formulas (FunctionsManual.cpp: linalg_det_backward,
linalg_eig_backward/jvp, svd_backward/linalg_svd_jvp, linalg_qr_backward/jvp,
cholesky_backward/jvp, pinv_backward/jvp). A decomposition with several outputs is one
rule with a `part` parameter: each output is its own node named as PyTorch's shared one,
and as the VJP is linear in the outputs' cotangents, the gradients add up to PyTorch's."""

from __future__ import annotations

from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.kernels import decompositions as KD
from gradcli.ad.ops import decompositions as OD
from gradcli.ad.ops import linalg as OL
from gradcli.ad.ops import linalg_more as OM
from gradcli.ad.registry import Rule
from gradcli.ad.rules.base import need, register
from gradcli.errors import GdRuntimeError


def _mT(x: Tensor) -> Tensor:
    return ops.transpose(x, -1, -2)


def _col(x: Tensor) -> Tensor:
    return ops.unsqueeze(ops.unsqueeze(x, -1), -1)


def _diag_part(x: Tensor) -> Tensor:
    return OL.diag_embed(OL.diagonal(x, 0, -2, -1))


def _solve_right(a: Tensor, b: Tensor) -> Tensor:
    """X with X·A = B (PyTorch's solve_triangular(..., left=False) in these formulas)."""
    return _mT(OD.solve(_mT(a), _mT(b)))


def _gap(values: Tensor) -> Tensor:
    """E[i, j] = values[j] − values[i], with ones on the diagonal (PyTorch's Econj)."""
    e = ops.unsqueeze(values, -2) - ops.unsqueeze(values, -1)
    return e + ops.eye(values.shape[-1], dtype=values.dtype)


# -- det, slogdet, inv, solve ---------------------------------------------------------

def _det_vjp(g: Tensor, out: Tensor, a: Tensor) -> tuple[Any, ...]:
    # PyTorch's linalg_det_backward: det·A⁻ᵀ as the solve Aᵀ X = (grad·det) I, or, when
    # some matrix of the batch is singular, through the SVD: U diag(d·α·Π_{j≠i} σⱼ) Vh,
    # α = det U det Vh.
    d = g * out
    if not ops.sum(out == 0).item():
        return (OD.solve(_mT(a), _col(d) * ops.eye(a.shape[-1], dtype=a.dtype)),)
    u, s, vh = (OD.svd_part(a, True, p) for p in ("U", "S", "Vh"))
    alpha = OD.det(u) * OD.det(vh)
    n = s.shape[-1]
    others = ops.stack([ops.prod(ops.cat([ops.getitem(s, (Ellipsis, slice(0, i))),
                                          ops.getitem(s, (Ellipsis, slice(i + 1, n)))], -1),
                                 -1) for i in range(n)], -1)
    dd = ops.unsqueeze(d * alpha, -1) * others
    return (ops.matmul(u * ops.unsqueeze(dd, -2), vh),)


register(Rule(
    "det", "LinalgDetBackward0", KD.det, _det_vjp,
    lambda ts, out, a: out * ops.sum(_mT(OD.inv(a)) * ts[0], (-2, -1)),
    kind="general", doc="determinant", saves_out=True,
    formula=("grad · det · A⁻ᵀ",)))


def _slogdet_vjp(g: Tensor, out: Tensor, a: Tensor, part: str = "logabsdet") -> tuple[Any, ...]:
    return (None,) if part == "sign" else (_col(g) * _mT(OD.inv(a)),)


def _slogdet_jvp(ts: list[Any], out: Tensor, a: Tensor, part: str = "logabsdet") -> Any:
    if part == "sign":
        return ops.zeros_like(out)
    return ops.sum(_mT(OD.inv(a)) * ts[0], (-2, -1))


register(Rule(
    "slogdet", "LinalgSlogdetBackward0", KD.slogdet, _slogdet_vjp, _slogdet_jvp,
    kind="general", doc="sign or log|det| of a matrix (part=sign|logabsdet)",
    formula=("grad · A⁻ᵀ (logabsdet; the sign has no gradient)",)))
register(Rule(
    "inv", "LinalgInvExBackward0", KD.inv,
    lambda g, out, a: (-ops.matmul(_mT(out), ops.matmul(g, _mT(out))),),
    lambda ts, out, a: -ops.matmul(out, ops.matmul(ts[0], out)),
    kind="general", doc="matrix inverse", saves_inputs=False, saves_out=True,
    formula=("−A⁻ᵀ · grad · A⁻ᵀ",)))


def _vec(a: Tensor, b: Tensor) -> bool:
    return b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])


def _solve_vjp(g: Tensor, out: Tensor, a: Tensor, b: Tensor, left: bool = True,
               adjoint: bool = False) -> tuple[Any, ...]:
    # With C = A (or Aᵀ, adjoint): grad_B = C⁻ᵀ grad, by the LU of A as PyTorch's
    # backward takes it (its saved LU, transposed getrs).
    gb = OD.solve(a, g, left=left) if adjoint else OD.solve_adjoint(a, g, left=left)
    if not need(a):
        return (None, gb if need(b) else None)
    if not left:
        gc = -ops.matmul(_mT(out), gb)
    elif _vec(a, b):
        gc = -(ops.unsqueeze(gb, -1) * ops.unsqueeze(out, -2))
    else:
        gc = -ops.matmul(gb, _mT(out))
    return (_mT(gc) if adjoint else gc, gb if need(b) else None)


def _solve_jvp(ts: list[Any], out: Tensor, a: Tensor, b: Tensor, left: bool = True,
               adjoint: bool = False) -> Any:
    ta, tb = ts
    rhs = tb
    if ta is not None:
        tc = _mT(ta) if adjoint else ta
        if not left:
            prod = ops.matmul(out, tc)
        elif _vec(a, b):
            prod = ops.squeeze(ops.matmul(tc, ops.unsqueeze(out, -1)), -1)
        else:
            prod = ops.matmul(tc, out)
        rhs = -prod if rhs is None else rhs - prod
    return OD.solve_adjoint(a, rhs, left=left) if adjoint else OD.solve(a, rhs, left=left)


register(Rule(
    "solve", "LinalgSolveExBackward0", KD.solve, _solve_vjp, _solve_jvp,
    kind="general", doc="X with AX = B (or XA = B; adjoint: AᵀX = B, XAᵀ = B)",
    saves_out=True,
    formula=("−A⁻ᵀ grad Xᵀ", "A⁻ᵀ grad")))


# -- cholesky -------------------------------------------------------------------------

def _cholesky_vjp(g: Tensor, out: Tensor, a: Tensor, upper: bool = False) -> tuple[Any, ...]:
    # PyTorch's cholesky_backward: L⁻ᴴ Φ L⁻¹ by two triangular solves (MKL's trsm: its bits)
    low, gl = (_mT(out), _mT(g)) if upper else (out, g)
    ga = OL.tril(ops.matmul(_mT(low), gl))
    ga = 0.5 * (ga + _mT(OL.tril(ga, -1)))
    ga = OM.solve_triangular(_mT(low), ga, upper=True)
    return (OM.solve_triangular(low, ga, upper=False, left=False),)


def _cholesky_jvp(ts: list[Any], out: Tensor, a: Tensor, upper: bool = False) -> Any:
    low = _mT(out) if upper else out
    dl = OM.solve_triangular(low, ts[0], upper=False)
    dl = OM.solve_triangular(_mT(low), dl, upper=True, left=False)
    dl = OL.tril(dl) - 0.5 * _diag_part(dl)
    dl = ops.matmul(low, dl)
    return _mT(dl) if upper else dl


register(Rule(
    "cholesky", "LinalgCholeskyExBackward0", KD.cholesky, _cholesky_vjp, _cholesky_jvp,
    kind="general", doc="Cholesky factor of a positive-definite matrix", saves_out=True,
    formula=("L⁻ᴴ Φ(Lᴴ grad) L⁻¹, symmetrized",)))


# -- eigh -----------------------------------------------------------------------------

def _eigh_vjp(g: Tensor, out: Tensor, a: Tensor, UPLO: str = "L",
              part: str = "eigenvalues") -> tuple[Any, ...]:
    vecs = OD.eigh_part(a, UPLO, "eigenvectors")
    if part == "eigenvalues":
        return (ops.matmul(vecs * ops.unsqueeze(g, -2), _mT(vecs)),)
    vals = OD.eigh_part(a, UPLO, "eigenvalues")
    vhgv = ops.matmul(_mT(vecs), g)
    vhgv = 0.5 * (vhgv - _mT(vhgv))
    return (ops.matmul(vecs, ops.matmul(vhgv / _gap(vals), _mT(vecs))),)


def _eigh_jvp(ts: list[Any], out: Tensor, a: Tensor, UPLO: str = "L",
              part: str = "eigenvalues") -> Any:
    vecs = OD.eigh_part(a, UPLO, "eigenvectors")
    dp = ops.matmul(ops.matmul(_mT(vecs), ts[0]), vecs)
    if part == "eigenvalues":
        return OL.diagonal(dp, 0, -2, -1)
    vals = OD.eigh_part(a, UPLO, "eigenvalues")
    return ops.matmul(vecs, (dp - _diag_part(dp)) / _gap(vals))


register(Rule(
    "eigh", "LinalgEighBackward0", KD.eigh, _eigh_vjp, _eigh_jvp,
    kind="general", doc="eigenvalues or eigenvectors of a symmetric matrix",
    formula=("V (diag(gL) + skew(Vᵀ gV) / E) Vᵀ",)))


# -- svd ------------------------------------------------------------------------------

def _reduced_svd(a: Tensor, full_matrices: bool) -> tuple[Tensor, Tensor, Tensor]:
    u = OD.svd_part(a, full_matrices, "U")
    s = OD.svd_part(a, full_matrices, "S")
    vh = OD.svd_part(a, full_matrices, "Vh")
    k = s.shape[-1]
    if full_matrices:
        u = ops.getitem(u, (Ellipsis, slice(0, k)))
        vh = ops.getitem(vh, (Ellipsis, slice(0, k), slice(None)))
    return u, s, vh


def _svd_vjp(g: Tensor, out: Tensor, a: Tensor, full_matrices: bool = True,
             part: str = "S") -> tuple[Any, ...]:
    u, s, vh = _reduced_svd(a, full_matrices)
    m, n, k = a.shape[-2], a.shape[-1], s.shape[-1]
    if part == "S":
        return (ops.matmul(u, ops.unsqueeze(g, -1) * vh) if m >= n
                else ops.matmul(u * ops.unsqueeze(g, -2), vh),)
    e = _gap(s * s)
    if part == "U":
        if full_matrices:
            g = ops.getitem(g, (Ellipsis, slice(0, k)))
        uhgu = ops.matmul(_mT(u), g)
        ret = (uhgu - _mT(uhgu)) * (ops.unsqueeze(s, -2) / e)
        if m > n:
            ga = ops.matmul(u, ret)
            gusinv = g / ops.unsqueeze(s, -2)
            ga = ga + gusinv - ops.matmul(u, ops.matmul(_mT(u), gusinv))
            return (ops.matmul(ga, vh),)
    else:
        if full_matrices:
            g = ops.getitem(g, (Ellipsis, slice(0, k), slice(None)))
        vhgv = ops.matmul(vh, _mT(g))
        ret = ops.unsqueeze(s, -1) * ((vhgv - _mT(vhgv)) / e)
        if m < n:
            ga = ops.matmul(ret, vh)
            sinvgvh = g / ops.unsqueeze(s, -1)
            ga = ga + sinvgvh - ops.matmul(ops.matmul(sinvgvh, _mT(vh)), vh)
            return (ops.matmul(u, ga),)
    return (ops.matmul(u, ops.matmul(ret, vh)) if m >= n
            else ops.matmul(ops.matmul(u, ret), vh),)


def _svd_jvp(ts: list[Any], out: Tensor, a: Tensor, full_matrices: bool = True,
             part: str = "S") -> Any:
    u, s, vh = _reduced_svd(a, full_matrices)
    da = ts[0]
    m, n = a.shape[-2], a.shape[-1]
    v = _mT(vh)
    dp = (ops.matmul(_mT(u), ops.matmul(da, v)) if m >= n
          else ops.matmul(ops.matmul(_mT(u), da), v))
    ds = OL.diagonal(dp, 0, -2, -1)
    if part == "S":
        return ds
    dp = dp - OL.diag_embed(ds)
    e = _gap(s * s)
    if part == "U":
        x = dp * ops.unsqueeze(s, -2)
        du = ops.matmul(u, (x + _mT(x)) / e)
        if m > n:
            davsinv = ops.matmul(da, v / ops.unsqueeze(s, -2))
            du = du + davsinv - ops.matmul(u, ops.matmul(_mT(u), davsinv))
            if full_matrices:
                du = ops.cat([du, ops.zeros(*du.shape[:-1], m - n, dtype=du.dtype)], -1)
        return du
    x = dp * ops.unsqueeze(s, -1)
    dvh = -ops.matmul((x + _mT(x)) / e, vh)
    if m < n:
        uhdasinv = ops.matmul(_mT(u) / ops.unsqueeze(s, -1), da)
        dvh = dvh + uhdasinv - ops.matmul(ops.matmul(uhdasinv, v), vh)
        if full_matrices:
            dvh = ops.cat([dvh, ops.zeros(*dvh.shape[:-2], n - m, n, dtype=dvh.dtype)], -2)
    return dvh


register(Rule(
    "svd", "LinalgSvdBackward0", KD.svd, _svd_vjp, _svd_jvp,
    kind="general", doc="U, S or Vh of a matrix's singular value decomposition",
    formula=("U (skew(Uᵀ gU) S / E + diag(gS) + S skew(Vᵀ gV) / E) Vᴴ",)))


# -- qr -------------------------------------------------------------------------------

def _qr_square_vjp(q: Tensor, r: Tensor, gq: Any, gr: Any) -> Tensor:
    """PyTorch's m ≥ n case: [gQ + Q syminvadj(triu(gR Rᴴ − Qᴴ gQ))] R⁻ᴴ."""
    ga = None if gr is None else ops.matmul(gr, _mT(r))
    if gq is not None:
        qg = ops.matmul(_mT(q), gq)
        ga = -qg if ga is None else ga - qg
    assert ga is not None
    up = OL.triu(ga)
    ga = ops.matmul(q, up + _mT(up) - _diag_part(up))
    if gq is not None:
        ga = ga + gq
    return _solve_right(_mT(r), ga)


def _qr_vjp(g: Tensor, out: Tensor, a: Tensor, mode: str = "reduced",
            part: str = "Q") -> tuple[Any, ...]:
    m, n = a.shape[-2], a.shape[-1]
    if mode == "r":
        raise GdRuntimeError(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
            "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
            "through linalg.qr.")
    if mode == "complete" and m > n:
        raise GdRuntimeError("The QR decomposition is not differentiable when mode='complete'"
                             " and nrows > ncols.")
    q = OD.qr_part(a, mode, "Q")
    r = OD.qr_part(a, mode, "R")
    gq, gr = (g, None) if part == "Q" else (None, g)
    if m >= n:
        return (_qr_square_vjp(q, r, gq, gr),)
    # A = Q [R1 R2] with A1 = Q R1 a square QR and R2 = Qᵀ A2.
    head, tail = (Ellipsis, slice(0, m)), (Ellipsis, slice(m, None))
    r1 = ops.getitem(r, head)
    if gr is None:
        ga1 = _qr_square_vjp(q, r1, gq, None)
        return (ops.cat([ga1, ops.zeros(*ga1.shape[:-1], n - m, dtype=ga1.dtype)], -1),)
    gr1, gr2 = ops.getitem(gr, head), ops.getitem(gr, tail)
    ga1 = _qr_square_vjp(q, r1, ops.matmul(ops.getitem(a, tail), _mT(gr2)), gr1)
    return (ops.cat([ga1, ops.matmul(q, gr2)], -1),)


def _qr_square_jvp(q: Tensor, r: Tensor, da: Tensor) -> tuple[Tensor, Tensor]:
    darinv = _solve_right(r, da)
    x = ops.matmul(_mT(q), darinv)
    x = OL.triu(x + _mT(x))
    dr = x - 0.5 * _diag_part(x)
    return darinv - ops.matmul(q, dr), ops.matmul(dr, r)


def _qr_jvp(ts: list[Any], out: Tensor, a: Tensor, mode: str = "reduced",
            part: str = "Q") -> Any:
    m, n = a.shape[-2], a.shape[-1]
    q = OD.qr_part(a, mode, "Q")
    r = OD.qr_part(a, mode, "R")
    if m >= n:
        dq, dr = _qr_square_jvp(q, r, ts[0])
        return dq if part == "Q" else dr
    head = (Ellipsis, slice(0, m))
    tail = (Ellipsis, slice(m, None))
    dq, dr1 = _qr_square_jvp(q, ops.getitem(r, head), ops.getitem(ts[0], head))
    if part == "Q":
        return dq
    dr2 = ops.matmul(_mT(q), ops.getitem(ts[0], tail) - ops.matmul(dq, ops.getitem(r, tail)))
    return ops.cat([dr1, dr2], -1)


register(Rule(
    "qr", "LinalgQrBackward0", KD.qr, _qr_vjp, _qr_jvp,
    kind="general", doc="Q or R of a matrix's QR decomposition",
    formula=("[gQ + Q syminvadj(triu(gR Rᴴ − Qᴴ gQ))] R⁻ᴴ",)))


# -- pinv -----------------------------------------------------------------------------

def _pinv_vjp(g: Tensor, out: Tensor, a: Tensor, rtol: Any = None,
              hermitian: bool = False, atol: Any = None) -> tuple[Any, ...]:
    m, n = a.shape[-2], a.shape[-1]
    p, ph, gh = out, _mT(out), _mT(g)
    if m <= n:
        k = ops.matmul(gh, p)
        kph = ops.matmul(k, ph)
        return (-_mT(ops.matmul(p, k)) + kph - ops.matmul(ops.matmul(a, p), kph)
                + ops.matmul(ops.matmul(ph, p), gh - ops.matmul(k, a)),)
    k = ops.matmul(p, gh)
    phk = ops.matmul(ph, k)
    return (-_mT(ops.matmul(k, p)) + ops.matmul(ops.matmul(gh - ops.matmul(a, k), p), ph)
            + phk - ops.matmul(ops.matmul(phk, p), a),)


def _pinv_jvp(ts: list[Any], out: Tensor, a: Tensor, rtol: Any = None,
              hermitian: bool = False, atol: Any = None) -> Any:
    m, n = a.shape[-2], a.shape[-1]
    p, ph, da = out, _mT(out), ts[0]
    dah = _mT(da)
    if m <= n:
        k = ops.matmul(ph, dah)
        return (ops.matmul(p, k - _mT(k) - ops.matmul(k, ops.matmul(a, p)))
                + ops.matmul(dah - ops.matmul(p, ops.matmul(a, dah)), ops.matmul(ph, p)))
    k = ops.matmul(p, da)
    kh = _mT(k)
    return (ops.matmul(kh - k - ops.matmul(ops.matmul(p, a), kh), p)
            + ops.matmul(ops.matmul(p, ph), dah - ops.matmul(ops.matmul(dah, a), p)))


register(Rule(
    "pinv", "LinalgPinvBackward0", KD.pinv, _pinv_vjp, _pinv_jvp,
    kind="general", doc="Moore-Penrose pseudo-inverse", saves_out=True,
    formula=("PyTorch's pinv_backward",)))


