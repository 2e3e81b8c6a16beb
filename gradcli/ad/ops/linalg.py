"""Linear algebra: matrix products (mm, mv, dot, matmul and its dispatch, bmm, addmm, …,
einsum, tensordot, kron, multi_dot, matrix_power) and matrix parts (trace, tril/triu,
diagonal, diag_embed, cross)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of
from gradcli.ad.kernels.messages import broadcast_message
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.elementwise import clone, mul
from gradcli.ad.ops.reductions import sum as torch_sum
from gradcli.ad.ops.shape import (
    expand,
    flatten,
    permute,
    reshape,
    squeeze,
    t,
    transpose,
    unsqueeze,
    view,
)
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES as _RULES
from gradcli.ad.state import check_size, warn
from gradcli.errors import GdRuntimeError

# -- linear algebra ---------------------------------------------------------------------

def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix × matrix."""
    return apply(_RULES["mm"], (input, mat2))


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix × vector."""
    return apply(_RULES["mv"], (input, vec))


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Vector · vector."""
    return apply(_RULES["dot"], (input, tensor))


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Inner product over the last dims (dot for vectors, a·bᵀ for matrices, ...)."""
    a, b = _as_tensor(input), _as_tensor(other)
    if a.ndim == 0 or b.ndim == 0:
        return mul(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise GdRuntimeError("inner() the last dimension must match on both input tensors but "
                             f"got shapes {list(a.shape)} and {list(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """The @ operator, dispatched as PyTorch does (dot, mv, mm, or batched)."""
    a = input if type(input) is Tensor else _as_tensor(input)
    b = other if type(other) is Tensor else _as_tensor(other)
    na, nb = a.array.ndim, b.array.ndim
    if na == 0 or nb == 0:
        raise GdRuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if nb == 1:
        if na == 2:
            return apply(_RULES["mv"], (a, b))  # mv(a, b), one call less
        if na == 1:
            return dot(a, b)
    if na == 1 and nb == 2:
        return squeeze(mm(unsqueeze(a, 0), b), 0, dims_variant=True)
    if na == 2 and nb == 2:
        return mm(a, b)
    # Batched, including a vector against a batch of matrices: PyTorch's _matmul_impl,
    # step for step, so the graph has its nodes (grad_fn.next_functions) and a size
    # mismatch is reported by the mm, mv or bmm it reaches, in its words.
    try:
        batch = np.broadcast_shapes(a.shape[:-2] if na > 1 else (), b.shape[:-2] if nb > 1 else ())
    except ValueError:
        raise GdRuntimeError(broadcast_message(np.broadcast_to(0, a.shape[:-2]),
                                               np.broadcast_to(0, b.shape[:-2]))) from None
    check_size(math.prod(batch) * (a.shape[-2] if na > 1 else 1) * (b.shape[-1] if nb > 1 else 1))
    if _should_fold(a, b):
        return _folded_matmul(a, b)
    if na == 3 and nb == 3 and a.shape[0] != b.shape[0]:  # a batch of one that requires
        if a.shape[0] == 1 and a.requires_grad:           # grad is squeezed, not expanded
            return matmul(squeeze(a, 0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return matmul(a, squeeze(b, 0))
    return _bmm_matmul(a, b, tuple(batch))


def _unsafe_view(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """at::_unsafe_view of a contiguous product (UnsafeViewBackward0, no _base)."""
    return apply(_RULES["reshape"], (x,), {"shape": tuple(shape), "copy": True})


def _should_fold(a: Tensor, b: Tensor) -> bool:
    """PyTorch's should_fold: a side of 3 or more dims against a matrix or vector is
    multiplied as one mm/mv when the other side requires grad, or when folding its leading
    dims needs no copy."""
    a_larger = a.ndim >= b.ndim
    t1 = a.array if a_larger else np.swapaxes(b.array, -1, -2)
    if not (t1.ndim >= 3 and (b.ndim if a_larger else a.ndim) <= 2):
        return False
    if (b if a_larger else a).requires_grad:
        return True
    if a.ndim == 2:
        return False
    if t1.size == 0:
        return True
    st, sh, size = t1.strides, t1.shape, t1.itemsize
    return all(st[i] // size == (st[i + 1] // size) * sh[i + 1] for i in range(t1.ndim - 2))


def _folded_matmul(a: Tensor, b: Tensor) -> Tensor:
    swap = b.ndim > a.ndim
    t1 = transpose(b, -2, -1) if swap else a
    t2 = (t(a) if a.ndim == 2 else a) if swap else b
    out_shape = t1.shape[:-1]
    folded = reshape(t1, math.prod(out_shape), t1.shape[-1])
    if t2.ndim == 2:
        out = _unsafe_view(mm(folded, t2), (*out_shape, t2.shape[1]))
        return clone(transpose(out, -2, -1)) if swap else out
    return _unsafe_view(mv(folded, t2), out_shape)


def _bmm_matmul(a: Tensor, b: Tensor, batch: tuple[int, ...]) -> Tensor:
    n = a.shape[-2] if a.ndim > 1 else 1
    m2, p = (b.shape[-2], b.shape[-1]) if b.ndim > 1 else (b.shape[0], 1)
    count = math.prod(batch)
    a3 = reshape(expand(a, (*batch, n, a.shape[-1])), count, n, a.shape[-1])
    if b.ndim == 1:
        b3 = unsqueeze(reshape(expand(b, (*batch, m2)), count, m2), 2)
        out = squeeze(bmm(a3, b3), -1)
    else:
        out = bmm(a3, reshape(expand(b, (*batch, m2, p)), count, m2, p))
    shape = (*batch, *((n,) if a.ndim > 1 else ()), *((p,) if b.ndim > 1 else ()))
    return _unsafe_view(out, shape)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors."""
    for name, v in (("self", input), ("vec2", vec2)):
        if type(v) is Tensor and v.ndim != 1:
            raise GdRuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    # PyTorch's composite: input.reshape(-1, 1) * vec2 (MulBackward0 over ViewBackward0).
    return mul(reshape(_as_tensor(input), -1, 1), vec2)


def ger(input: Tensor, vec2: Tensor) -> Tensor:
    """torch.ger: the outer product (an alias of outer)."""
    return outer(input, vec2)


def trace(input: Tensor) -> Tensor:
    """Sum of a matrix's main diagonal."""
    return apply(_RULES["trace"], (_as_tensor(input),))


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product of (b, n, m) and (b, m, p) tensors."""
    return apply(_RULES["bmm"], (input, mat2))


def _scaled_product(name: str, input: Any, a: Tensor, b: Tensor, beta: Any,
                    alpha: Any) -> Tensor:
    return apply(_RULES[name], (_as_tensor(input), a, b), {"beta": beta, "alpha": alpha})


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1,
          alpha: Any = 1) -> Tensor:
    """beta·input + alpha·(mat1 @ mat2)."""
    return _scaled_product("addmm", input, mat1, mat2, beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta·input + alpha·(mat @ vec)."""
    return _scaled_product("addmv", input, mat, vec, beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
            alpha: Any = 1) -> Tensor:
    """beta·input + alpha·bmm(batch1, batch2)."""
    return _scaled_product("baddbmm", input, batch1, batch2, beta, alpha)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (on and below a diagonal) of (a batch of) matrices."""
    return apply(_RULES["tril"], (input,), {"diagonal": diagonal})


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (on and above a diagonal) of (a batch of) matrices."""
    return apply(_RULES["tril"], (input,), {"diagonal": diagonal, "upper": True})


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A diagonal of the (dim1, dim2) planes, as the last dim."""
    return apply(_RULES["diagonal"], (input,), {"offset": offset, "dim1": dim1, "dim2": dim2})


def linalg_diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """torch.linalg.diagonal: diagonal over the last two dims by default."""
    return diagonal(A, offset, dim1, dim2)


def diagonal_backward(g: Tensor, shape: tuple[int, ...], offset: int = 0, dim1: int = 0,
                      dim2: int = 1) -> Tensor:
    """zeros(shape) with g on the diagonal `diagonal(…, offset, dim1, dim2)` reads."""
    return apply(_RULES["diagonal_backward"], (g,),
                 {"shape": tuple(shape), "offset": offset, "dim1": dim1, "dim2": dim2})


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices with input's last dim on a diagonal of the (dim1, dim2) planes."""
    n = input.shape[-1] + (offset if offset >= 0 else -offset) if input.ndim else 1
    check_size(input.array.size * n)
    return apply(_RULES["diag_embed"], (input,), {"offset": offset, "dim1": dim1, "dim2": dim2})


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """Cross product of 3-vectors along dim; both of one dtype (PyTorch's kernel does not
    promote: a long tensor and a float one are its scalar-type error)."""
    a, b = _as_tensor(input), _as_tensor(other)
    if a.array.dtype != b.array.dtype:
        from gradcli.ad.graph import _torch_scalar_name as name

        raise GdRuntimeError(f"expected scalar type {name(a.array.dtype)} but found "
                             f"{name(b.array.dtype)}")
    return apply(_RULES["cross"], (a, b), {"dim": dim})


CROSS_WITHOUT_DIM = (
    "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
    "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change "
    "to agree with that of linalg.cross in a future release.")


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """torch.cross: dim defaults to the first dim of size 3 (PyTorch's legacy rule, with its
    deprecation warning, once per run)."""
    if dim is None:
        warn(CROSS_WITHOUT_DIM, once=True)
        dim = next((d for d, n in enumerate(np.broadcast_shapes(input.shape, other.shape))
                    if n == 3), -1)
    return linalg_cross(input, other, dim=dim)


# -- einsum, tensordot, kron, multi_dot, matrix_power ---------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parse_einsum(equation: str, xs: list[Tensor]) -> tuple[str, list[Tensor]]:
    """An explicit equation without '...' (ellipsis dims get letters, broadcast by
    expanding the operands) and the operands."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(xs):
        raise GdRuntimeError("einsum(): more operands were provided than specified in the "
                             "equation" if len(xs) > len(subs) else
                             "einsum(): fewer operands were provided than specified in the "
                             "equation")
    for s in subs:
        for c in s.replace("...", ""):
            if c not in _LETTERS:
                raise GdRuntimeError(f"einsum(): invalid subscript given at index "
                                     f"{eq.index(c)} in the equation string, subscripts must "
                                     "be in [a-zA-Z]")
    free = [c for c in _LETTERS if c not in eq]
    nell = max((x.ndim - len(s.replace("...", "")) for s, x in zip(subs, xs, strict=True)
                if "..." in s), default=0)
    ell = "".join(free[:nell])
    ell_sizes = [1] * nell
    explicit: list[str] = []
    for s, x in zip(subs, xs, strict=True):
        if "..." in s:
            k = x.ndim - len(s.replace("...", ""))
            mine = ell[nell - k:]
            for j, n in enumerate(x.shape[s.index("..."):s.index("...") + k]):
                if n != 1:
                    ell_sizes[nell - k + j] = n
            s = s.replace("...", mine)
        if len(s) != x.ndim:
            raise GdRuntimeError(f"einsum(): the number of subscripts in the equation "
                                 f"({len(s)}) does not match the number of dimensions "
                                 f"({x.ndim}) for operand {len(explicit)}"
                                 + ("" if "..." in subs[len(explicit)] else
                                    " and no ellipsis was given"))
        explicit.append(s)
    sizes: dict[str, int] = dict(zip(ell, ell_sizes, strict=True))
    out: list[Tensor] = []
    for k, (s, x) in enumerate(zip(explicit, xs, strict=True)):
        mine: dict[str, int] = {}
        for c, n in zip(s, x.shape, strict=True):
            if c in ell:
                continue
            if mine.setdefault(c, n) != n:
                raise GdRuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but "
                                     f"the sizes don't match, {n} != {mine[c]}")
            if sizes.setdefault(c, n) != n and n != 1 and sizes[c] != 1:
                raise GdRuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} "
                                     "which does not broadcast with previously seen size "
                                     f"{sizes[c]}")
            sizes[c] = max(sizes[c], n)
        want = tuple(sizes[c] for c in s)
        out.append(x if x.shape == want else expand(x, want))
    if not arrow:
        letters = lhs.replace("...", "").replace(",", "")
        once = [c for c in sorted(set(letters)) if letters.count(c) == 1]
        rhs = ell + "".join(once)
    else:
        for c in rhs.replace("...", ""):
            if rhs.count(c) > 1:
                raise GdRuntimeError(f"einsum(): output subscript {c} appears more than once "
                                     "in the output")
            if c not in sizes:
                raise GdRuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                     "equation for any input operand")
        rhs = rhs.replace("...", ell)
    return ",".join(explicit) + "->" + rhs, out


def einsum(*args: Any) -> Tensor:
    """torch.einsum(equation, *operands) (operands may also be one list)."""
    if len(args) < 2:
        raise GdRuntimeError("einsum(): must specify the equation string and at least one "
                             "operand, or at least one operand and its subscripts list",
                             py_type="ValueError")
    if isinstance(args[0], Tensor):  # einsum(x, [0, 1], y, [1, 2], [0, 2]): sublists
        equation = ",".join("".join(_sublist_label(n) for n in sub) for sub in args[1::2])
        if len(args) % 2:
            equation += "->" + "".join(_sublist_label(n) for n in args[-1])
        args = (equation, *args[:len(args) - len(args) % 2:2])
    xs = [_as_tensor(x) for x in (args[1][0:] if len(args) == 2
                                  and isinstance(args[1], (list, tuple)) else args[1:])]
    _parse_einsum(args[0], xs)  # PyTorch's errors for a wrong equation
    return _einsum_steps(args[0], xs)


_ELLIPSIS = -1


def _sublist_label(n: Any) -> str:
    """A subscript of einsum's sublist form as its letter (0-25: A-Z, 26-51: a-z)."""
    if n is Ellipsis:
        return "..."
    if isinstance(n, int) and 0 <= n < 52:
        return chr(ord("A") + n) if n < 26 else chr(ord("a") + n - 26)
    raise GdRuntimeError("einsum(): subscript in subscript list is not within the valid range "
                         "[0, 52)", py_type="ValueError")


def _label(c: str) -> int:
    # PyTorch numbers labels A-Z then a-z: contracted dims are ordered by these numbers.
    return ord(c) - ord("A") if c.isupper() else ord(c) - ord("a") + 26


def _einsum_steps(equation: str, xs: list[Tensor]) -> Tensor:
    """einsum as PyTorch computes it (ATen's einsum), step by step in recorded ops, so the
    graph has its nodes (grad_fn.next_functions) and the values its rounding: each operand
    gets its repeated labels' diagonals, its missing dims unsqueezed and is permuted to
    (output dims, contracted dims); then, left to right, pairs are contracted by
    _sumproduct_pair (dims only one operand has summed first), and the contracted dims
    are dropped by a view (one operand: summed)."""
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    op_labels = [[_ELLIPSIS if p == "" else _label(p) for p in _split_labels(sub)]
                 for sub in lhs.split(",")]
    count: dict[int, int] = {}
    ell_num_dim = 0
    for labels, x in zip(op_labels, xs, strict=True):
        for s in labels:
            if s == _ELLIPSIS:
                ell_num_dim = max(ell_num_dim, x.ndim - (len(labels) - 1))
            else:
                count[s] = count.get(s, 0) + 1
    perm_index_of: dict[int, int] = {}
    ell_index, ell_in_output, n = 0, False, 0
    if not arrow:
        n, ell_in_output = ell_num_dim, True
        for s in sorted(count):
            if count[s] == 1:
                perm_index_of[s], n = n, n + 1
    else:
        for p in _split_labels(rhs):
            if p == "":
                ell_index, n, ell_in_output = n, n + ell_num_dim, True
            else:
                perm_index_of[_label(p)], n = n, n + 1
    out_num_dim = n
    if not ell_in_output:
        ell_index, n = n, n + ell_num_dim
    for s in sorted(count):
        if s not in perm_index_of:
            perm_index_of[s], n = n, n + 1
    dim_counts = [0] * n
    ops: list[Tensor] = []
    for labels, x in zip(op_labels, xs, strict=True):
        op, perm, dim = x, [-1] * n, 0
        for s in labels:
            if s == _ELLIPSIS:
                for j in range(ell_num_dim - (x.ndim - (len(labels) - 1)), ell_num_dim):
                    dim_counts[ell_index + j] += op.shape[dim] != 1
                    perm[ell_index + j], dim = dim, dim + 1
            elif perm[perm_index_of[s]] == -1:
                dim_counts[perm_index_of[s]] += op.shape[dim] != 1
                perm[perm_index_of[s]], dim = dim, dim + 1
            else:  # a repeated label: its diagonal, moved to where the label was first
                prev = perm[perm_index_of[s]]
                op = diagonal(op, 0, prev, dim)
                op = permute(op, [*range(prev), op.ndim - 1, *range(prev, op.ndim - 1)])
        for k in range(n):
            if perm[k] == -1:
                op = unsqueeze(op, dim)
                perm[k], dim = dim, dim + 1
        ops.append(permute(op, perm))
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims: list[int] = []
        a_sum: list[int] = []
        b_sum: list[int] = []
        for d in range(out_num_dim, n):
            if a.shape[d] != 1 and b.shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:
                if a.shape[d] != 1:
                    a_sum.append(d)
                    dim_counts[d] = 0
                elif b.shape[d] != 1:
                    b_sum.append(d)
                    dim_counts[d] = 0
        if a_sum:
            a = torch_sum(a, a_sum, True)
        if b_sum:
            b = torch_sum(b, b_sum, True)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims))
    if n > out_num_dim:
        if len(xs) > 1:
            return view(ops[0], ops[0].shape[:out_num_dim])
        return torch_sum(ops[0], list(range(out_num_dim, n)))
    return ops[0]


def _split_labels(sub: str) -> list[str]:
    """An operand's subscripts one by one, "" for its ellipsis."""
    head, ell, tail = sub.partition("...")
    return [*head, *([""] if ell else []), *tail]


def _sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list[int]) -> Tensor:
    """(left * right).sum(sum_dims, keepdim=True) as ATen's sumproduct_pair computes it:
    both permuted and reshaped to (both, left only, summed) and (both, summed, right
    only), multiplied by bmm, viewed back and permuted to the original dims."""
    if not sum_dims:
        return mul(left, right)
    lro: list[int] = []
    lo: list[int] = []
    ro: list[int] = []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                sum_size *= left.shape[i]
            elif sl:
                left = torch_sum(left, i, True)
            elif sr:
                right = torch_sum(right, i, True)
        elif sl and sr:
            lro.append(i)
            lro_size *= left.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    out_size = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo]
                + [1] * len(sum_dims) + [right.shape[d] for d in ro])
    order = lro + lo + sum_dims + ro
    operm = [0] * len(order)
    for k, d in enumerate(order):
        operm[d] = k
    left = reshape(permute(left, order), (lro_size, lo_size, sum_size))
    right = reshape(permute(right, lro + sum_dims + ro + lo), (lro_size, sum_size, ro_size))
    return permute(view(bmm(left, right), out_size), operm)


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract a's last (or listed) dims with b's first (or listed) ones, as PyTorch's
    tensordot: a contracted dim of size 1 on one side is summed first; the rest is one mm
    of the permuted, flattened sides, or (nothing left uncontracted) one dot."""
    if isinstance(dims, int):
        if dims < 0:
            raise GdRuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(da) != len(db):
        raise GdRuntimeError("both dimension lists should have same length")
    if a.array.dtype != b.array.dtype:  # no promotion (torch.inner's message too)
        raise GdRuntimeError("both inputs should have same dtype")
    t1, t2, csize = a, b, 1
    for x, y in zip(da, db, strict=True):
        s1, s2 = a.shape[x], b.shape[y]
        if s2 == 1:  # a broadcast dim is summed right away
            t1 = torch_sum(t1, x, True)
        elif s1 == 1:
            t2 = torch_sum(t2, y, True)
        elif s1 != s2:
            raise GdRuntimeError(f"contracted dimensions need to match, but first has size "
                                 f"{s1} in dim {x} and second has size {s2} in dim {y}")
        else:
            csize *= s1
    da = [d % a.ndim for d in da]
    db = [d % b.ndim for d in db]
    ka = [d for d in range(a.ndim) if d not in da]
    kb = [d for d in range(b.ndim) if d not in db]
    size1 = math.prod(t1.shape[d] for d in ka)
    size2 = math.prod(t2.shape[d] for d in kb)
    rsizes = [t1.shape[d] for d in ka] + [t2.shape[d] for d in kb]
    t1, t2 = permute(t1, *ka, *da), permute(t2, *db, *kb)
    if size1 != 1 or size2 != 1:
        return reshape(mm(reshape(t1, size1, csize), reshape(t2, csize, size2)), *rsizes)
    if t1.array.flags.c_contiguous and t2.array.flags.c_contiguous:
        return reshape(dot(flatten(t1), flatten(t2)), *rsizes)
    return reshape(torch_sum(mul(squeeze(t1), squeeze(t2))), *rsizes)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product, as PyTorch's KronImpl: each side _unsafe_view-ed to interleaved
    unit dims, multiplied, and the product _unsafe_view-ed (UnsafeViewBackward0 each)."""
    a, b = _as_tensor(input), _as_tensor(other)
    n = max(a.ndim, b.ndim)
    sa = (1,) * (n - a.ndim) + a.shape
    sb = (1,) * (n - b.ndim) + b.shape
    inter_a = tuple(s for d in sa for s in (d, 1))
    inter_b = tuple(s for d in sb for s in (1, d))
    prod = mul(_unsafe_view(a, inter_a), _unsafe_view(b, inter_b))
    return _unsafe_view(prod, tuple(x * y for x, y in zip(sa, sb, strict=True)))


def multi_dot(tensors: Any) -> Tensor:
    """A chain of matrix products (the first and last may be vectors)."""
    xs = [_as_tensor(x) for x in tensors]
    if len(xs) < 2:
        raise GdRuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(xs)}")
    first, last = xs[0].ndim == 1, xs[-1].ndim == 1
    if first:
        xs[0] = unsqueeze(xs[0], 0)
    if last:
        xs[-1] = unsqueeze(xs[-1], 1)
    for i, x in enumerate(xs):
        if x.ndim != 2:
            where = "first" if i == 0 else "last" if i == len(xs) - 1 else None
            raise GdRuntimeError(
                f"multi_dot(): the {where} tensor must be 1D or 2D but got {x.ndim}D"
                if where else f"multi_dot(): tensor {i} must be 2D but got {x.ndim}D")
    out = _chain_product(xs)
    shape = out.shape[int(first):2 - int(last)] if (first or last) else out.shape
    return view(out, *shape)


def _chain_product(xs: list[Tensor]) -> Tensor:
    """PyTorch's multi_dot order: two in turn; three by the cheaper parenthesization;
    more by the dynamic program of matrix_chain_order (fewest scalar multiplications, the
    first best split on ties)."""
    n = len(xs)
    if n == 2:
        return mm(xs[0], xs[1])
    if n == 3:
        a, b, c, d = xs[0].shape[0], xs[1].shape[0], xs[2].shape[0], xs[2].shape[1]
        if (a * c) * (b + d) > (b * d) * (a + c):
            return mm(xs[0], mm(xs[1], xs[2]))
        return mm(mm(xs[0], xs[1]), xs[2])
    p = [x.shape[0] for x in xs] + [xs[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] < 0 or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k

    def product(i: int, j: int) -> Tensor:
        if i == j:
            return xs[i]
        return mm(product(i, split[i][j]), product(split[i][j] + 1, j))

    return product(0, n - 1)


def matrix_power(input: Tensor, n: int) -> Tensor:
    """A square matrix (or batch) to an integer power, by PyTorch's binary decomposition."""
    from gradcli.ad.kernels.decompositions import check_matrix
    from gradcli.ad.ops.creation import eye
    from gradcli.ad.ops.decompositions import inv
    try:
        check_matrix(input.array, "linalg.matrix_power")
    except Exception as e:  # TorchError: PyTorch's words
        if input.array.dtype.kind == "f" or input.ndim < 2 or \
                input.shape[-1] != input.shape[-2]:
            raise GdRuntimeError(str(e), py_type=getattr(e, "py_type", None)) from None
    if n == 0:
        return SURFACE["Tensor.copy_"](clone(input),
                                       expand(eye(input.shape[-1], dtype=input.dtype),
                                              input.shape))
    if n == 1:
        return clone(input)
    a = input
    if n < 0:
        a, n = inv(input), -n
    if n == 1:
        return a
    if n == 2:
        return matmul(a, a)
    if n == 3:
        return matmul(matmul(a, a), a)
    z = result = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = a if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    assert result is not None
    return result


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σ x·y along dim (torch.linalg.vecdot, real)."""
    return torch_sum(mul(x, y), dim)


# -- PyTorch spellings ------------------------------------------------------------------

for _name in ("matmul", "mm", "mv", "dot"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="linalg")
expose(inner, "torch.inner", "Tensor.inner", family="linalg")
expose(outer, "torch.outer", "Tensor.outer", family="linalg")
for _name in ("ger", "trace", "bmm", "addmm", "addmv", "baddbmm", "tril", "triu", "diagonal",
              "diag_embed", "cross", "kron", "matrix_power"):
    expose(globals()[_name], f"torch.{_name}", f"Tensor.{_name}", family="linalg")
for _name in ("addmm", "addmv", "baddbmm"):
    expose(inplace_of(globals()[_name]), f"Tensor.{_name}_", family="linalg")


def _zeroed(upper: bool) -> Any:
    """Where tril_ (triu_) writes: the zeros outside its triangle."""
    def writes(x: Tensor, diagonal: int = 0) -> Any:
        off = np.arange(x.shape[-1]) - np.arange(x.shape[-2])[:, None]
        return off < diagonal if upper else off > diagonal
    return writes


expose(inplace_of(tril, _zeroed(False)), "Tensor.tril_", family="linalg")
expose(inplace_of(triu, _zeroed(True)), "Tensor.triu_", family="linalg")
expose(einsum, "torch.einsum", family="linalg")
expose(tensordot, "torch.tensordot", family="linalg")
expose(matmul, "torch.linalg.matmul", family="linalg")
expose(linalg_diagonal, "torch.linalg.diagonal", family="linalg")
expose(linalg_cross, "torch.linalg.cross", family="linalg")
expose(multi_dot, "torch.linalg.multi_dot", family="linalg")
expose(matrix_power, "torch.linalg.matrix_power", family="linalg")
expose(vecdot, "torch.linalg.vecdot", family="linalg")
