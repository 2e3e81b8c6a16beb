"""Cotangents: how the backward pass sums them and hands them out.

Two cotangents of one tensor are summed (`summed`: in place once the pass owns the sum,
`added`: where the fast paths hold them as numpy scalars or arrays, `plus`: PyTorch's
zero tensors); a cotangent the fast paths hold as a number or an array becomes a tensor
where others take it (`as_tensor`, `nd_cotangent`); a zero tensor is shown as zeros
(`shown`); a leaf's gradient becomes its .grad (`accumulate`, stealing an `unshared` one
as PyTorch's AccumulateGrad does).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor, bump_version, tensor_from_array
from gradcli.ad.ops import backward as B
from gradcli.ad.ops.layout import like_layout
from gradcli.ad.state import MEMORY_CHECK_BYTES, State, check_memory, grad_mode
from gradcli.errors import GdRuntimeError

ndarray = np.ndarray


def unshared(g: Tensor) -> bool:
    """Whether nothing but the caller holds g and its array (CPython reference counts).

    Such a cotangent can become a leaf's .grad without a copy, as PyTorch's AccumulateGrad
    steals an unshared gradient; W3 copied two 1000x1000 gradients here. Expected counts:
    g: the caller's variable, this parameter, getrefcount's argument; its array: g's slot,
    `a`, the argument. A view (base) or a read-only array is never taken.
    """
    a = g.array
    return (sys.getrefcount(g) == 3 and sys.getrefcount(a) == 3 and a.base is None
            and a.flags.writeable)


def summed(owned: set[int] | None, prev: Tensor, g: Tensor) -> Tensor:
    """prev + g for two cotangents of one tensor.

    Without create_graph nothing is recorded, so the first sum is a new array this pass
    owns (its id in `owned`) and later ones are added into it in place: a leaf used in
    every step of a loop (W2's weights, W1's x) gets one buffer instead of a new array per
    step.
    """
    if B.ZEROS and B.is_zero_tensor(prev) and B.is_zero_tensor(g):
        return plus(prev, g)
    pa = prev.array
    ga = g.array
    if owned is None or pa.shape != ga.shape or pa.dtype != ga.dtype:
        return prev + g
    if id(prev) in owned:
        if pa.ndim:
            np.add(pa, ga, out=pa)
        else:
            # 0-d: the same IEEE addition on numpy scalars of the dtype, at a fraction of
            # the cost of numpy's 0-d out= path (bench W1: x's gradient, once per step).
            pa[()] = pa[()] + ga[()]
        return prev
    s = np.add(pa, ga, out=K.ARRAY_OUT)
    t = tensor_from_array(s if type(s) is np.ndarray else np.asarray(s))
    owned.add(id(t))
    return t


def plus(a: Tensor, b: Tensor) -> Tensor:
    """a + b for two cotangents; two zero tensors add to one (PyTorch's add_zerotensor)."""
    if B.ZEROS and B.is_zero_tensor(a) and B.is_zero_tensor(b):
        return B.as_zero_tensor(a + b) if State.grad_enabled else a
    return a + b


def shown(g: Tensor) -> Tensor:
    """A cotangent as handed out: a zero tensor shows as zeros (0., not -0.), with the
    graph it was recorded in."""
    if not (B.ZEROS and B.is_zero_tensor(g)):
        return g
    if g.grad_fn is None:
        g = ops.zeros_like(g)
    else:
        g.array = np.zeros(g.shape, g.dtype)
    g.zero = True  # (still PyTorch's zero tensor where the user meets it)
    return g


def added(owned: set[int] | None, prev: Any, c: Any) -> Any:
    """prev + c for cotangents that may be numpy scalars (see engine._loop): summed for tensors."""
    if type(prev) is not Tensor:
        if type(c) is not Tensor:
            return prev + c
        prev = as_tensor(prev)
    elif type(c) is not Tensor:
        c = as_tensor(c)
    return summed(owned, prev, c)


def as_tensor(s: Any) -> Tensor:
    """A cotangent held as a numpy scalar or an array (see engine._loop's scalar and n-d VJPs),
    as the tensor the array VJP would have made (a tensor stays as it is)."""
    if type(s) is Tensor:
        return s
    return tensor_from_array(s.__array__())


def nd_cotangent(c: Any, xa: np.ndarray) -> Any:
    """An n-d VJP's cotangent for an input whose array is xa: as it is (counted against
    the memory limit as a tensor would be) when it has xa's shape and dtype; otherwise
    summed to xa's shape and cast to its dtype as the tensor path does, a tensor."""
    if type(c) is not ndarray:
        c = np.asarray(c)
    state = State
    state.allocated += c.nbytes
    if state.allocated > MEMORY_CHECK_BYTES:
        check_memory()
    if c.shape != xa.shape or c.dtype is not xa.dtype:
        t = tensor_from_array(c)
        if c.shape != xa.shape:
            t = ops.sum_to(t, xa.shape)
        if t.array.dtype != xa.dtype:
            t = ops.to_dtype(t, xa.dtype)
        return t
    return c


def accumulate(t: Tensor, g: Tensor, create_graph: bool, steal: bool = False,
                first: str = "CopyBackwards") -> None:
    if t.grad is not None and hasattr(t.grad, "zero") and not create_graph:
        raise GdRuntimeError(B.ZERO_IMMUTABLE)  # (AccumulateGrad's grad += new_grad)
    if t.grad is None:
        if create_graph:
            # PyTorch's AccumulateGrad stores a recorded copy of the first gradient
            # (empty_strided(...).copy_(g)): x.grad prints grad_fn=<CopyBackwards>
            # (`first`: a retained non-leaf's is a clone, CloneBackward0).
            with grad_mode(True):
                t.grad = ops.clone(g)
            if t.grad.grad_fn is not None:
                t.grad.grad_fn.name = first
        else:
            a = g.array if steal else g.array.copy()
            if a.strides != t.array.strides:  # PyTorch's layout contract: the leaf's strides
                a = like_layout(a, t.array)
            t.grad = tensor_from_array(a)
            if hasattr(g, "zero"):
                t.grad.zero = True
    elif create_graph:
        t.grad = t.grad + g
    else:
        cur = t.grad.array
        if cur.shape == g.array.shape:
            cur += g.array
            bump_version(t.grad)
        else:
            t.grad = tensor_from_array(cur + g.array)
