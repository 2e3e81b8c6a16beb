"""The builders every family of the derivative table uses, and their shared helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.state import MEMORY_CHECK_BYTES, State, check_memory, check_size
from gradcli.errors import GdRuntimeError

_ndarray = K.ndarray
_new = Tensor.__new__


def register(rule: Rule) -> Rule:
    assert rule.name not in RULES, rule.name
    RULES[rule.name] = rule
    return rule


def no_derivative(aten: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The (VJP, JVP) of an op PyTorch records but cannot differentiate: each raises
    PyTorch's words for aten::`aten`."""

    def vjp(*_: Any, **__: Any) -> Any:
        raise GdRuntimeError(f"derivative for aten::{aten} is not implemented")

    def jvp(*_: Any, **__: Any) -> Any:
        raise GdRuntimeError(f"Trying to use forward AD with aten::{aten} that does not "
                             "support it.")

    return vjp, jvp


def no_forward_ad(name: str) -> Callable[..., Any]:
    """The JVP of an op PyTorch has no forward-mode formula for: PyTorch's words for it."""

    def jvp(*_: Any, **__: Any) -> Any:
        raise GdRuntimeError(
            f"Trying to use forward AD with {name} that does not support it because it has not "
            "been implemented yet.\nPlease file an issue to PyTorch at https://github.com/"
            "pytorch/pytorch/issues/new?template=feature-request.yml so that we can prioritize "
            "its implementation or submit a PR adding the implementation to derivatives.yaml")

    return jvp


def need(x: Any) -> bool:
    """Whether an input needs a cotangent (a tensor that requires grad)."""
    return type(x) is Tensor and x.requires_grad


def second_first(g_second: Any, g_first: Callable[[], Any]) -> tuple[Any, Any]:
    """(g_first(), g_second) with g_second made first: PyTorch's generated backward nodes
    compute their inputs' gradients in derivatives.yaml's key order, sorted (`other`
    before `self`, `mat2` before `self`), so with create_graph=True the second input's
    nodes are older, and the next backward pass (newest first) meets them last."""
    return (g_first(), g_second)


def is_tensor(x: Any) -> bool:
    return type(x) is Tensor


# -- array-level VJPs (Rule.with_array_vjp): the same kernels the ops would run, on arrays --

def arr(x: Any) -> Any:
    """A tensor's array; a Python number as it is (what apply hands a kernel)."""
    return x.array if type(x) is Tensor else x


def wrap(a: Any) -> Tensor:
    """A kernel's result as the tensor apply would make of it with grad mode off (a numpy
    scalar becomes a 0-d array; the element and memory limits count it)."""
    if type(a) is not _ndarray:
        a = a.__array__()
    if a.size > State.max_elements:
        check_size(a.size)
    State.allocated += a.nbytes
    if State.allocated > MEMORY_CHECK_BYTES:
        check_memory()
    if State.inference_mode:
        return tensor_from_array(a)
    # tensor_from_array(a), inlined (a backward pass wraps every cotangent).
    t = _new(Tensor)
    t.array = a
    t.requires_grad = False
    t.grad = None
    t.grad_fn = None
    t._vc = [0]
    t._view = None
    t._tangent = None
    return t


def broadcast_view(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """ops.expand(g, shape) in a light backward pass: g itself for its own shape, else a
    read-only broadcast view (as np.broadcast_to gives)."""
    if g.array.shape == shape and not (g.requires_grad and State.grad_enabled):
        return g
    return tensor_from_array(K.expanded_view(g.array, shape))


def unsqueeze_array(x: Any, dim: int) -> Any:
    """ops.unsqueeze on an array: a negative dim counted from the end, then the kernel."""
    if -x.ndim - 1 <= dim < 0:
        dim += x.ndim + 1
    return K.unsqueeze(x, dim)


def elementwise(
    name: str,
    torch_name: Any,
    kernel: Callable[..., Any],
    deriv: Callable[..., Any],
    doc: str,
    *,
    uses_out: bool = False,
    formula: tuple[str, ...] = (),
    grad: Callable[..., Any] | None = None,
    fast: Callable[..., Any] | None = None,
    scalar: Callable[..., Any] | None = None,
) -> Rule:
    """An elementwise unary op from its local derivative d(x, out, **params).

    `grad(g, x, out, **params)`, when given, is the VJP exactly as PyTorch writes it
    (grad / x rather than grad · (1/x), tanh_backward(grad, out), ...): a derivative
    taken with create_graph=True then has PyTorch's nodes, names and higher derivatives.
    `fast(g, x, out, **params)`, when given, is the same VJP on arrays (x or out None when
    the rule does not keep it): the rule's array VJP (Rule.with_array_vjp).
    `scalar(g, x, out)`, when given, is `fast` on numpy scalars (x or out None as there):
    the rule's scalar VJP (Rule.with_scalar_vjp)."""

    if grad is None:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (g * deriv(x, out, **p),)
    else:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (grad(g, x, out, **p),)

    if grad is None:
        def jvp(ts: list[Any], out: Tensor, x: Tensor, **p: Any) -> Any:
            return ts[0] * deriv(x, out, **p)
    else:
        # PyTorch's auto_element_wise: the forward derivative is the backward formula with
        # the tangent for grad (tanh_backward(t, out) fuses 1 - out², as the VJP does).
        def jvp(ts: list[Any], out: Tensor, x: Tensor, **p: Any) -> Any:
            return grad(ts[0], x, out, **p)

    rule = register(Rule(name, torch_name, kernel, vjp, jvp, kind="elementwise", doc=doc,
                         saves_inputs=not uses_out, saves_out=uses_out, formula=formula))
    if fast is not None:
        # (fast called without ** when there are no params: a plain call costs less)
        if uses_out:
            def vjp_array(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
                return (wrap(fast(g.array, None, out.array, **p) if p
                             else fast(g.array, None, out.array)),)
        else:
            def vjp_array(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
                return (wrap(fast(g.array, x.array, None, **p) if p
                             else fast(g.array, x.array, None)),)
        rule.with_array_vjp(vjp_array)
        # The same on arrays (Rule.with_nd_vjp), for nodes without params.
        if uses_out:
            def vjp_nd(g: Any, out: Tensor, xs: tuple[Any, ...]) -> tuple[Any, ...]:
                return (fast(g, None, out.array),)
        else:
            def vjp_nd(g: Any, out: Tensor, xs: tuple[Any, ...]) -> tuple[Any, ...]:
                return (fast(g, xs[0].array, None),)
        rule.with_nd_vjp(vjp_nd)
    if scalar is not None:
        assert fast is not None, name
        if uses_out:
            def vjp_scalar(g: Any, out: Tensor, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
                o = out.array[()]
                return (scalar(g, None, o),) if type(o) is type(g) else None
        else:
            def vjp_scalar(g: Any, out: Tensor, xs: tuple[Any, ...]) -> tuple[Any, ...] | None:
                x = xs[0].array[()]
                return (scalar(g, x, None),) if type(x) is type(g) else None
        rule.with_scalar_vjp(vjp_scalar)
    return rule


def linear(name: str, torch_name: Any, kernel: Callable[..., Any],
           transpose: Callable[..., Any], doc: str, *, formula: tuple[str, ...] = (),
           views: bool = False, batchable: bool = False,
           torch_keeps: bool | frozenset[str] | None = None,
           fast: Callable[..., Tensor] | None = None) -> Rule:
    """A unary linear op: VJP = transpose(g, x, **p); JVP = the op itself on the tangent.
    `fast(g, x, **p)`: the transpose on arrays (the rule's array VJP), a tensor as the
    ops would give it (g itself where they give g itself).

    `views`: the output is a view of the input's storage whenever numpy can make one, so
    an in-place change of the output is a change of the input, as in PyTorch."""
    rule = Rule(name, torch_name, kernel,
                lambda g, out, x, **p: (transpose(g, x, **p),), None,
                kind="linear", doc=doc, saves_inputs=False, formula=formula, views=views,
                batchable=batchable, torch_keeps=torch_keeps)
    rule.jvp = lambda ts, out, x, **p: apply(rule, (ts[0],), p)
    if fast is not None:
        rule.with_array_vjp(lambda g, out, x, **p: (fast(g, x, **p),))
    return register(rule)


def tan2(ts: list[Any], fa: Callable[[Any], Any], fb: Callable[[Any], Any]) -> Any:
    ta, tb = ts
    if ta is None:
        return None if tb is None else fb(tb)
    return fa(ta) if tb is None else fa(ta) + fb(tb)


def tan3(ts: list[Any], *fs: Callable[[Any], Any]) -> Any:
    total = None
    for t, f in zip(ts, fs, strict=True):
        if t is not None:
            total = f(t) if total is None else total + f(t)
    return total


def by_dim(name0: str, name1: str) -> Callable[[Any, dict[str, Any]], str]:
    return lambda inputs, params: name0 if params.get("dim") is None else name1


def unreduce(g: Tensor, shape: tuple[int, ...], dim: Any, keepdim: bool) -> Tensor:
    """Broadcast a reduced cotangent back to the input's shape."""
    if dim is not None and not keepdim and len(shape) > 0:
        for d in sorted(dims_of(dim, len(shape))):
            g = ops.unsqueeze(g, d)
    return expand_grad(g, shape)


def unsqueeze_reduced(t: Tensor, ndim: int, dim: Any, keepdim: bool) -> Tensor:
    """A reduction's output with its reduced dims back as size 1, broadcastable to the input
    (PyTorch's unsqueeze_multiple in formulas that broadcast rather than expand)."""
    if dim is not None and not keepdim and ndim > 0:
        for d in sorted(dims_of(dim, ndim)):
            t = ops.unsqueeze(t, d)
    return t


def expand_grad(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """PyTorch's grad.expand(sizes) in a derivative formula: an ExpandBackward0 node even
    when the shape is already g's (sum_backward of a 0-dim input or over size-1 dims)."""
    if g.shape == tuple(shape) and g.requires_grad:
        return apply(RULES["expand"], (g,), {"shape": tuple(shape)})
    return ops.expand(g, shape)


def dims_of(dim: Any, ndim: int) -> list[int]:
    dims = [dim] if type(dim) is int else list(dim)
    return [d % ndim if ndim else 0 for d in dims]


def count(shape: tuple[int, ...], dim: Any) -> int:
    if dim is None:
        n = 1
        for s in shape:
            n *= s
        return n
    n = 1
    for d in dims_of(dim, len(shape)):
        n *= shape[d] if shape else 1
    return n


def sgn(x: Tensor) -> Tensor:
    """x.sgn(): PyTorch's SgnBackward0 (abs's and norms' derivatives go through it)."""
    return apply(RULES["sgn"], (x,))
