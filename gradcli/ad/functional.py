"""PyTorch's functional API (torch.autograd.functional) on our engine.

jacobian, hessian, vjp, jvp, hvp, vhp take a Python callable and tensors, with
PyTorch's argument and return conventions: a single tensor in gives a tensor out,
a tuple in gives a tuple out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.autograd import grad
from gradcli.ad.batched import batchable, batched_vjp
from gradcli.ad.forward import dual_level, make_dual
from gradcli.ad.func_outer import outer
from gradcli.ad.ops.joins import split
from gradcli.ad.tensor import State, Tensor, check_size, enable_grad, tensor_from_array
from gradcli.errors import GdRuntimeError

Func = Callable[..., Any]


def _tuple(x: Any, arg: str = "inputs", fn: str = "jacobian") -> tuple[bool, tuple[Tensor, ...]]:
    """PyTorch's _as_tuple: (was it a tuple, the tensors), with its messages."""
    is_tuple = isinstance(x, tuple)
    xs = x if is_tuple else (x,)
    for i, el in enumerate(xs):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg}"
            kind = type(el).__name__ if type(el).__module__ == "builtins" else "object"
            raise GdRuntimeError(
                f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but "
                f"the {where} has type <class '{kind}'>.", py_type="TypeError")
    return is_tuple, xs


def _validate_v(vs: tuple[Tensor, ...], other: tuple[Tensor, ...], is_tuple: bool) -> None:
    # PyTorch's _validate_v: v matches `other` (the outputs for vjp, else the inputs).
    if len(vs) != len(other):
        if is_tuple:
            raise GdRuntimeError(f"v is a tuple of invalid length: should be {len(other)} but "
                                 f"got {len(vs)}.")
        raise GdRuntimeError("The given v should contain a single Tensor.")
    for i, (v, o) in enumerate(zip(vs, other, strict=True)):
        if v.shape != o.shape:
            prepend = f"Entry {i} in " if is_tuple else ""
            raise GdRuntimeError(f"{prepend}v has invalid size: should be "
                                 f"torch.Size({list(o.shape)}) but got "
                                 f"torch.Size({list(v.shape)}).")


def _prepare(inputs: tuple[Tensor, ...], create_graph: bool) -> tuple[Tensor, ...]:
    out = []
    for x in inputs:
        if create_graph and x.requires_grad:
            out.append(ops.reshape(x, x.shape))  # stays connected to x's graph
        else:
            d = x.detach()
            if d.dtype.kind == "f":
                d.requires_grad = True
            out.append(d)
    return tuple(out)


def _call(func: Func, xs: tuple[Tensor, ...], fn: str = "jacobian"
          ) -> tuple[bool, tuple[Tensor, ...]]:
    return _tuple(func(*xs), "outputs of the user-provided function", fn)


def _check_strict(outs: tuple[Tensor, ...], xs: tuple[Tensor, ...] | None = None) -> None:
    """strict=True: every output must depend on the inputs (each input, given xs)."""
    for i, o in enumerate(outs):
        if not o.requires_grad:
            raise GdRuntimeError(f"Output {i} of the user-provided function does not require "
                                 "gradients. The outputs must be computed in a "
                                 "differentiable manner from the input when running in strict "
                                 "mode.")
        if xs is not None:
            gs = grad(o, xs, ops.ones_like(o), retain_graph=True, allow_unused=True)
            for k, g in enumerate(gs):
                if g is None:
                    raise GdRuntimeError(f"Output {i} of the user-provided function is "
                                         f"independent of input {k}. This is not allowed in "
                                         "strict mode.")


def _finish(ts: tuple[Any, ...], is_tuple: bool, create_graph: bool) -> Any:
    fixed = tuple(t if create_graph or t is None else t.detach() for t in ts)
    return fixed if is_tuple else fixed[0]


def zeros_for(x: Tensor) -> Tensor:
    """The gradient "none" stands for (a symbolic zero), made real: zeros shaped like x."""
    return tensor_from_array(np.zeros(x.shape, x.dtype))


def or_zeros(gs: Any, xs: Any) -> tuple[Tensor, ...]:
    """Each gradient, or zeros shaped like its input where it is None."""
    return tuple(zeros_for(x) if g is None else g for g, x in zip(gs, xs, strict=True))


def gradients(y: Tensor, xs: Any, v: Tensor | None = None, *,
              create_graph: bool = False) -> tuple[Tensor, ...]:
    """dy/dx (vᵀ·J with a cotangent v) for each x, zeros where y does not depend on x;
    y's graph is kept for later passes."""
    if not y.requires_grad:
        return tuple(zeros_for(x) for x in xs)
    gs = grad(y, xs, v, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return or_zeros(gs, xs)


def joint_blocks(outs: Any, xs: Any, create_graph: bool) -> list[tuple[Tensor, ...]]:
    """d out / d x for each output and input (out.shape + x.shape), each row from one
    backward pass through every output at once: the row's one-hot cotangent on its
    output, zeros on the others. So an output's block holds the others' zero
    contributions too (signed zeros: -0 + 0 is +0), as PyTorch's vectorized jacobian and
    torch.func.jacrev give for several outputs (they vmap one vjp of all the outputs)."""
    live = [k for k, o in enumerate(outs) if o.requires_grad]
    per: list[list[list[Tensor]]] = [[[] for _ in xs] for _ in outs]
    for k, out in enumerate(outs):
        n = out.numel()
        check_size(n * max((x.numel() for x in xs), default=1))
        for i in range(n):
            if not live:
                row = tuple(zeros_for(x) for x in xs)
            else:
                cots = []
                for j in live:
                    e = np.zeros(outs[j].numel(), outs[j].dtype)
                    if j == k:
                        e[i] = 1
                    cots.append(tensor_from_array(e.reshape(outs[j].shape)))
                row = or_zeros(grad([outs[j] for j in live], xs, cots, retain_graph=True,
                                    create_graph=create_graph, allow_unused=True), xs)
            for m, g in enumerate(row):
                per[k][m].append(g)
    return [tuple(ops.reshape(ops.stack(per[k][m], 0), out.shape + x.shape) if per[k][m]
                  else tensor_from_array(np.zeros(out.shape + x.shape, x.dtype))
                  for m, x in enumerate(xs)) for k, out in enumerate(outs)]


def nth_derivative(y: Tensor, x: Tensor, order: int,
                   progress: Callable[[str, int, int], None] | None = None) -> Tensor:
    """The order-N derivative of y w.r.t. x, shape y.shape + N × x.shape, by nested reverse
    mode: one pass per element of the previous order, or one batched pass when the graph
    allows it. `progress(what, done, total)` hears about long levels."""
    d = y
    for k in range(order):
        last = k == order - 1
        flat_n = d.numel()
        # The last level records nothing: when the graph allows it, all of its rows come
        # from one backward pass with the identity as a stack of cotangents.
        batched = _batched_rows(d, (x,), flat_n, not last)
        if batched is not None:
            d = batched[0]
            continue
        rows = []
        for i in range(flat_n):
            if progress is not None and flat_n > 64:
                progress(f"order {k + 1}: reverse passes", i, flat_n)
            e = np.zeros(flat_n, d.dtype)
            e[i] = 1
            rows.append(gradients(d, [x], tensor_from_array(e.reshape(d.shape)),
                                  create_graph=not last)[0])
        if len(rows) == 1:
            # A scalar's derivative is its one row: no stack/view nodes in the next level's
            # graph (they would keep it off the batched path).
            row = rows[0]
            d = row if row.shape == d.shape + x.shape else ops.reshape(row, d.shape + x.shape)
            continue
        stacked = (ops.stack(rows, 0) if rows
                   else tensor_from_array(np.zeros((0, *x.shape), x.dtype)))
        d = ops.reshape(stacked, d.shape + x.shape)
    return d


def _default_v(xs: tuple[Tensor, ...]) -> tuple[Tensor, ...]:
    # PyTorch's rule for jvp, hvp and vhp: v may be left out only for one 1-element input.
    if len(xs) != 1 or xs[0].numel() != 1:
        raise GdRuntimeError("The vector v can only be None if the input to the user-provided "
                             "function is a single Tensor with a single element.")
    return (ops.ones_like(xs[0]),)


def vjp(func: Func, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), vᵀ·J): reverse mode, what y.backward(v) leaves in x.grad."""
    in_tuple, xs = _tuple(inputs, "inputs", "vjp")
    with enable_grad():
        xs = _prepare(xs, create_graph)
        out_tuple, outs = _call(func, xs, "vjp")
        if strict:
            _check_strict(outs)
        if v is not None:
            vs = _tuple(v, "v", "vjp")[1]
            _validate_v(vs, outs, out_tuple)
        else:
            vs = None
            if len(outs) != 1 or outs[0].numel() != 1:
                raise GdRuntimeError("The vector v can only be None if the user-provided "
                                     "function returns a single Tensor with a single element.")
        diff = [o for o in outs if o.requires_grad]
        if diff:
            dv = None if vs is None else [vv for o, vv in zip(outs, vs, strict=True)
                                          if o.requires_grad]
            gs = grad(diff, xs, dv, retain_graph=create_graph, create_graph=create_graph,
                      allow_unused=True)
        else:
            gs = tuple(None for _ in xs)
    gs = or_zeros(gs, xs)
    return _finish(outs, out_tuple, create_graph), _finish(gs, in_tuple, create_graph)


def jvp(func: Func, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False, *, keep_outer: bool = False) -> tuple[Any, Any]:
    """(func(inputs), J·v): forward mode, tangents through the JVP rules. `keep_outer`
    (torch.func.jvp): results that depend on tensors requiring grad outside (parameters
    func closes over) keep their graph to them."""
    in_tuple, xs = _tuple(inputs, "inputs", "jvp")
    if v is not None:
        vs = _tuple(v, "v", "jvp")[1]
        _validate_v(vs, xs, in_tuple)
    else:
        vs = _default_v(xs)
    if create_graph:
        return _jvp_double_backward(func, xs, vs)
    with dual_level():
        duals = tuple(make_dual(x if create_graph else x.detach(), t)
                      for x, t in zip(xs, vs, strict=True))
        out_tuple, outs = _call(func, duals, "jvp")
        tangents = tuple(o.tangent if o.tangent is not None else zeros_for(o) for o in outs)
        for o in outs:
            o.tangent = None
    keep = create_graph or (keep_outer and outer((outs, tangents)))
    return _finish(outs, out_tuple, keep), _finish(tangents, out_tuple, keep)


def _jvp_double_backward(func: Func, xs: tuple[Tensor, ...], vs: tuple[Tensor, ...]
                         ) -> tuple[Any, Any]:
    """jvp with create_graph: PyTorch's double-backward trick, so the results are recorded
    (and named) as PyTorch's: J·v = d/du (uᵀ·J)·v for a dummy cotangent u."""
    with enable_grad():
        ys = _prepare(xs, True)
        out_tuple, outs = _call(func, ys, "jvp")
        us = tuple(_zeros_requiring_grad(o) for o in outs)
        pairs = [(o, u) for o, u in zip(outs, us, strict=True) if o.requires_grad]
        if pairs:
            gin = grad([o for o, _ in pairs], ys, [u for _, u in pairs], create_graph=True,
                       allow_unused=True)
        else:
            gin = tuple(None for _ in ys)
        gpairs = [(g, vv) for g, vv in zip(gin, vs, strict=True)
                  if g is not None and g.requires_grad]
        if gpairs:
            res = grad([g for g, _ in gpairs], list(us), [vv for _, vv in gpairs],
                       create_graph=True, allow_unused=True)
        else:
            res = tuple(None for _ in us)
    res = or_zeros(res, outs)
    return _finish(outs, out_tuple, True), _finish(res, out_tuple, True)


def _zeros_requiring_grad(t: Tensor) -> Tensor:
    z = zeros_for(t)
    if z.dtype.kind == "f":
        z.requires_grad = True
    return z


def jacobian(func: Func, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode", *,
             _outer_forward: bool = False) -> Any:
    """The Jacobian: shape out.shape + in.shape (nested tuples for tuple ins/outs)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise GdRuntimeError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                             'Hint: If your function has more outputs than inputs, '
                             '"forward-mode" tends to be more performant. Otherwise, prefer to '
                             'use "reverse-mode".', py_type="AssertionError")
    in_tuple, xs = _tuple(inputs, "inputs", "jacobian")
    if strategy == "forward-mode":
        if create_graph:
            raise GdRuntimeError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                 '`strategy="forward-mode"` are not supported together (yet). '
                                 "Please either set `create_graph=False` or "
                                 '`strategy="reverse-mode"`.', py_type="NotImplementedError")
        if strict:
            raise GdRuntimeError('torch.autograd.functional.jacobian: `strict=True` and '
                                 '`strategy="forward-mode"` are not supported together (yet). '
                                 'Please either set `strict=False` or '
                                 '`strategy="reverse-mode"`.')
        if not vectorize:
            raise GdRuntimeError("Computing Jacobian using forward-AD or forward-over-reverse "
                                 "Hessian isonly implemented for `vectorize=True`.",
                                 py_type="NotImplementedError")
        return _jacobian_forward(func, xs, in_tuple, _outer_forward)
    with enable_grad():
        xs = _prepare(xs, create_graph)
        out_tuple, outs = _call(func, xs, "jacobian")
        if strict:
            _check_strict(outs)
            if vectorize:
                raise GdRuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                                     "`vectorized=True` are not supported together. Please "
                                     "either set `strict=False` or `vectorize=False`.")
            _check_strict(outs, xs)
        rows: list[tuple[Tensor, ...]] = []
        if vectorize and len(outs) > 1:  # PyTorch's vmap over one vjp of all the outputs
            return _nest(joint_blocks(outs, xs, create_graph), in_tuple, out_tuple,
                         create_graph)
        for out in outs:
            n = out.numel()
            # The result's size, before n backward passes (or an n×n identity) are made.
            check_size(n * max((x.numel() for x in xs), default=1))
            batched = _batched_rows(out, xs, n, create_graph)
            if batched is not None:
                rows.append(batched)
                continue
            per_in: list[list[Tensor]] = [[] for _ in xs]
            for i in range(n):
                e = np.zeros(n, out.dtype)
                e[i] = 1
                row = gradients(out, xs, tensor_from_array(e.reshape(out.shape)),
                                create_graph=create_graph)
                for k, g in enumerate(row):
                    per_in[k].append(g)
            blocks = []
            for k, x in enumerate(xs):
                if n == 0:
                    blocks.append(tensor_from_array(np.zeros(out.shape + x.shape, x.dtype)))
                    continue
                stacked = ops.stack(per_in[k], 0) if per_in[k] else zeros_for(x)
                blocks.append(ops.reshape(stacked, out.shape + x.shape))
            rows.append(tuple(blocks))
    return _nest(rows, in_tuple, out_tuple, create_graph)


def _batched_rows(out: Tensor, xs: tuple[Tensor, ...], n: int,
                  create_graph: bool) -> tuple[Tensor, ...] | None:
    """All n rows of d out / d xs from one backward pass with the n one-hot cotangents
    stacked (the identity), when the graph allows it (batched.batchable); else None.

    A Hessian's gradient graph is usually elementwise ops only: W4's 100×100 Hessian
    took 100 reverse passes, now one pass over 100-row arrays.
    """
    if (create_graph or n < 2 or not out.requires_grad or out.dtype.kind != "f"
            or not all(x.requires_grad for x in xs) or not batchable(out)
            or n * n > State.max_elements):  # the identity would be too large: row by row
        return None
    eye = np.eye(n, dtype=out.dtype).reshape((n, *out.shape))
    gs = batched_vjp(out, xs, tensor_from_array(eye))
    return tuple(tensor_from_array(np.zeros(out.shape + x.shape, x.dtype)) if g is None
                 else ops.reshape(g, out.shape + x.shape) for g, x in zip(gs, xs, strict=True))


def _jacobian_forward(func: Func, xs: tuple[Tensor, ...], in_tuple: bool,
                      requires_grad: bool = False) -> Any:
    """PyTorch's _jacfwd (vectorize=True only; create_graph is refused): one forward pass
    per basis tangent of all the inputs, stacked on a leading dim, split per input, that
    dim moved last and reshaped (so the blocks are recorded, not detached, as PyTorch's
    are); they nest in lists, not tuples, where the inputs are a tuple (its
    _tuple_postprocess). requires_grad: hessian's forward-over-reverse marks the dual
    inputs as requiring grad, so the inner reverse pass sees them."""
    numels = [x.numel() for x in xs]
    total = sum(numels)
    per_out: list[list[Tensor]] = []
    outs: tuple[Tensor, ...] = ()
    out_tuple = False
    for j in range(total):
        e = np.zeros(total)
        e[j] = 1
        parts = np.split(e, np.cumsum(numels)[:-1])
        with dual_level():
            duals = []
            for x, part in zip(xs, parts, strict=True):
                d = make_dual(x, tensor_from_array(part.astype(x.dtype).reshape(x.shape)))
                if requires_grad and d.dtype.kind == "f" and not d.requires_grad:
                    d.requires_grad = True
                duals.append(d)
            out_tuple, outs = _call(func, tuple(duals))
            if not per_out:
                per_out = [[] for _ in outs]
            for m, o in enumerate(outs):
                per_out[m].append(o.tangent if o.tangent is not None else zeros_for(o))
                o.tangent = None
    rows = []
    for m, out in enumerate(outs):
        jac = ops.stack(per_out[m], 0)
        blocks = []
        for k, piece in enumerate(split(jac, numels, 0)):
            moved = ops.permute(piece, (*range(1, piece.ndim), 0))
            blocks.append(ops.reshape(moved, out.shape + xs[k].shape))
        rows.append(blocks)
    if not in_tuple:
        per = [r[0] for r in rows]
        return tuple(per) if out_tuple else per[0]
    return rows if out_tuple else rows[0]


def _nest(rows: list[tuple[Tensor, ...]], in_tuple: bool, out_tuple: bool,
          create_graph: bool) -> Any:
    rows2 = [tuple(b if create_graph else b.detach() for b in r) for r in rows]
    per_out = [r if in_tuple else r[0] for r in rows2]
    return tuple(per_out) if out_tuple else per_out[0]


def _scalar_func(func: Func, fn: str) -> Func:
    """func, checked as PyTorch's hessian/hvp/vhp check it: one one-element tensor out."""
    def f(*xs: Tensor) -> Tensor:
        out = func(*xs)
        is_tuple, _ = _tuple(out, "outputs of the user-provided function", fn)
        if is_tuple:
            raise GdRuntimeError(f"The function given to {fn} should return a single Tensor")
        if out.numel() != 1:
            raise GdRuntimeError(f"The Tensor returned by the function given to {fn} should "
                                 "contain a single element")
        return out

    return f


def hessian(func: Func, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a scalar function: shape in.shape + in.shape."""
    in_tuple, xs = _tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise GdRuntimeError('Expected strategy to be either "forward-mode" or "reverse-mode".',
                             py_type="AssertionError")
    f = _scalar_func(func, "hessian")

    def gradient(*ys: Tensor) -> Any:
        with enable_grad():
            out = f(*ys)
            if not out.requires_grad:
                gs = tuple(zeros_for(y) for y in ys)
            else:
                gs = grad(out, ys, create_graph=True, allow_unused=True)
                gs = or_zeros(gs, ys)
        if strict:  # the gradient must depend on the inputs again (PyTorch's jac_func)
            for i, g in enumerate(gs):
                if not g.requires_grad:
                    raise GdRuntimeError(
                        "While computing the hessian, found that the jacobian of the "
                        f"user-provided function with respect to input {i} is independent "
                        "of the input. This is not allowed in strict mode. You should ensure "
                        "that your function is twice differentiable and that the jacobian "
                        "depends on the inputs (this would be violated by a linear function "
                        "for example).")
        return gs if in_tuple else gs[0]

    return jacobian(gradient, xs if in_tuple else xs[0], create_graph=create_graph,
                    strict=strict, vectorize=vectorize, strategy=outer_jacobian_strategy,
                    _outer_forward=True)


def hvp(func: Func, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), H·v) by forward-over-reverse: one pass, no Hessian built."""
    in_tuple, xs = _tuple(inputs, "inputs", "hvp")
    vs = _checked_v(v, xs, in_tuple, "hvp")
    f = _scalar_func(func, "hvp")
    with dual_level(), enable_grad():
        prepared = _prepare(xs, create_graph)
        duals = tuple(make_dual(x, t) for x, t in zip(prepared, vs, strict=True))
        out = f(*duals)
        if out.requires_grad:
            gs = grad(out, duals, retain_graph=create_graph, create_graph=create_graph,
                      allow_unused=True)
        else:
            gs = tuple(None for _ in duals)
        hv = tuple(zeros_for(x) if g is None or g.tangent is None else g.tangent
                   for g, x in zip(gs, xs, strict=True))
        for d in duals:
            d.tangent = None
    return _finish((out,), False, create_graph), _finish(hv, in_tuple, create_graph)


def vhp(func: Func, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), vᵀ·H) by reverse-over-reverse."""
    in_tuple, xs = _tuple(inputs, "inputs", "vhp")
    vs = _checked_v(v, xs, in_tuple, "vhp")
    f = _scalar_func(func, "vhp")
    with enable_grad():
        ys = _prepare(xs, create_graph)
        out = f(*ys)
        gs = grad(out, ys, create_graph=True, allow_unused=True) if out.requires_grad else ()
        pairs = [(g, vv) for g, vv in zip(gs, vs, strict=False)
                 if g is not None and g.requires_grad]
        if pairs:
            res = grad([g for g, _ in pairs], ys, [vv for _, vv in pairs],
                       create_graph=create_graph, allow_unused=True)
        else:
            res = tuple(None for _ in ys)
    res = or_zeros(res, xs)
    return _finish((out,), False, create_graph), _finish(res, in_tuple, create_graph)


def _checked_v(v: Any, xs: tuple[Tensor, ...], in_tuple: bool, fn: str) -> tuple[Tensor, ...]:
    if v is None:
        return _default_v(xs)
    vs = _tuple(v, "v", fn)[1]
    _validate_v(vs, xs, in_tuple)
    return vs
