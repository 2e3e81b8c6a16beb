"""The builders every family of the derivative table uses, and their shared helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.graph import Tensor
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule


def register(rule: Rule) -> Rule:
    assert rule.name not in RULES, rule.name
    RULES[rule.name] = rule
    return rule


def need(x: Any) -> bool:
    """Whether an input needs a cotangent (a tensor that requires grad)."""
    return type(x) is Tensor and x.requires_grad


def is_tensor(x: Any) -> bool:
    return type(x) is Tensor


def elementwise(
    name: str,
    torch_name: str,
    kernel: Callable[..., Any],
    deriv: Callable[..., Any],
    doc: str,
    *,
    uses_out: bool = False,
    formula: tuple[str, ...] = (),
    grad: Callable[..., Any] | None = None,
) -> Rule:
    """An elementwise unary op from its local derivative d(x, out, **params).

    `grad(g, x, out, **params)`, when given, is the VJP exactly as PyTorch writes it
    (grad / x rather than grad · (1/x), tanh_backward(grad, out), ...): a derivative
    taken with create_graph=True then has PyTorch's nodes, names and higher derivatives."""

    if grad is None:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (g * deriv(x, out, **p),)
    else:
        def vjp(g: Tensor, out: Tensor, x: Tensor, **p: Any) -> tuple[Any, ...]:
            return (grad(g, x, out, **p),)

    def jvp(ts: list[Any], out: Tensor, x: Tensor, **p: Any) -> Any:
        return ts[0] * deriv(x, out, **p)

    return register(Rule(name, torch_name, kernel, vjp, jvp, kind="elementwise", doc=doc,
                         saves_inputs=not uses_out, saves_out=uses_out, formula=formula))


def linear(name: str, torch_name: Any, kernel: Callable[..., Any],
           transpose: Callable[..., Any], doc: str, *, formula: tuple[str, ...] = (),
           views: bool = False, batchable: bool = False,
           torch_keeps: bool | frozenset[str] | None = None) -> Rule:
    """A unary linear op: VJP = transpose(g, x, **p); JVP = the op itself on the tangent.

    `views`: the output is a view of the input's storage whenever numpy can make one, so
    an in-place change of the output is a change of the input, as in PyTorch."""
    rule = Rule(name, torch_name, kernel,
                lambda g, out, x, **p: (transpose(g, x, **p),), None,
                kind="linear", doc=doc, saves_inputs=False, formula=formula, views=views,
                batchable=batchable, torch_keeps=torch_keeps)
    rule.jvp = lambda ts, out, x, **p: apply(rule, (ts[0],), p)
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
