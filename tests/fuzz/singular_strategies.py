"""Class (s) of the differential fuzzer (r22): first and second derivatives of the ops
science code differentiates, at the points where PyTorch's backward formulas have a
special case or a rounding of their own: zeros of both signs, squares that underflow
(1e-30 in float32), infinities, NaN, and quotients that round to an integer (1 / 0.1).

Found with it: atan2's backward at the origin (PyTorch masks 1 / (a² + b²) to 0 where
a² + b² is 0: ±0, where gradcli gave nan or ±inf) and remainder's gradient for its
divisor (PyTorch's -grad · div(a, b, rounding_mode='floor'), which is 9 for 1 % 0.1
where floor(1 / 0.1) is 10, and whose own derivative is 0, not 0 · inf).
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Points where formulas divide by zero, underflow or round.
SINGULAR_VALUES = ["0.0", "-0.0", "1e-30", "-1e-30", "1e-200", "0.1", "0.3", "1.0", "-1.0",
                   "7.0", "0.7", "2.5", "float('inf')", "-float('inf')", "float('nan')"]

#: f(x, y) of two scalars (both require grad), as real code writes them.
SINGULAR_OPS = [
    "torch.atan2(x, y)", "torch.remainder(x, y)", "x % y", "torch.fmod(x, y)",
    "torch.hypot(x, y)", "torch.logaddexp(x, y)", "torch.logaddexp2(x, y)",
    "torch.xlogy(x, y)", "torch.special.xlog1py(x, y)", "torch.copysign(x, y)",
    "torch.maximum(x, y)", "torch.minimum(x, y)", "torch.fmax(x, y)", "torch.fmin(x, y)",
    "torch.pow(x, y)", "x / y", "torch.div(x, y, rounding_mode='floor')",
    "torch.lerp(x, y, 0.3)", "torch.dist(x.view(1), y.view(1))",
    "torch.stack([x, y]).norm()", "torch.nn.functional.normalize(torch.stack([x, y]), dim=0)[0]",
    "torch.sinc(x) * y", "torch.sqrt(x * x + y * y)", "torch.clamp(x, min=y)",
    "torch.special.entr(x) + y", "torch.logsumexp(torch.stack([x, y]), 0)",
    "torch.nn.functional.smooth_l1_loss(x, y)", "torch.nn.functional.huber_loss(x, y)",
]


@st.composite
def singular_grad_programs(draw: st.DrawFn) -> str:
    """Class (s): one op of SINGULAR_OPS at a pair of SINGULAR_VALUES, its gradients (with
    create_graph=True) and the gradients of those, printed with tolist() (bit for bit,
    signed zeros included), or the error's class."""
    op = draw(st.sampled_from(SINGULAR_OPS))
    # float32 logaddexp's exp is MKL VML's, whose last bits gd does not model (README,
    # Numerics): float64 only there
    dtype = draw(st.sampled_from(["torch.float64"] if "logaddexp" in op
                                 else ["torch.float32", "torch.float64"]))
    a, b = draw(st.sampled_from(SINGULAR_VALUES)), draw(st.sampled_from(SINGULAR_VALUES))
    return (
        "import torch\n"
        f"x = torch.tensor({a}, dtype={dtype}, requires_grad=True)\n"
        f"y = torch.tensor({b}, dtype={dtype}, requires_grad=True)\n"
        f"r = {op}\n"
        "print(r.tolist())\n"
        "gs = torch.autograd.grad(r, (x, y), allow_unused=True, create_graph=True)\n"
        "print([None if g is None else g.tolist() for g in gs])\n"
        "for g in gs:\n"
        "    if g is not None and g.requires_grad:\n"
        "        hs = torch.autograd.grad(g, (x, y), allow_unused=True)\n"
        "        print([None if h is None else h.tolist() for h in hs])\n")
