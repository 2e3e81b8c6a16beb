"""Round 21 "fuzz": the wrong answers fuzz class (p) (tests/fuzz/op_strategies.py) found,
each pinned against PyTorch: the program prints the same text under gradcli as under
Python + PyTorch (values with tolist(): every bit; errors: class and message)."""

from __future__ import annotations

import pytest
from fuzz.op_check import disagreement

torch = pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn.functional as F\n"


def _guarded(body: str) -> str:
    """body in a try that prints the error's class and first line (op_check's !ERR)."""
    lines = "\n".join("    " + s for s in body.strip("\n").splitlines())
    return (f"{HEAD}try:\n{lines}\nexcept Exception as e:\n"
            "    print('!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])\n")


def check(body: str) -> None:
    text = _guarded(body)
    problem = disagreement(text)
    assert problem is None, f"{problem}\n--- program ---\n{text}"


# mse_loss of a broadcast target (or input): PyTorch broadcasts both first, so a mean
# divides by the broadcast size and each side's gradient sums back over the expansion.
# gradcli divided by the smaller side's size: a gradient 6x too big, silently.
@pytest.mark.parametrize("sx,sy", [((2, 3), ()), ((2, 3), (3,)), ((3,), (2, 3)),
                                   ((), (2, 3)), ((2, 1), (1, 3))])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_broadcast_gradients(sx: tuple[int, ...], sy: tuple[int, ...],
                                      reduction: str) -> None:
    check(f"""
x = (torch.arange(float(torch.zeros({sx}).numel())) * 0.3 - 0.7).reshape({sx}).requires_grad_()
y = (torch.arange(float(torch.zeros({sy}).numel())) * 0.2 + 0.1).reshape({sy}).requires_grad_()
r = F.mse_loss(x, y, reduction={reduction!r})
print(r, r.tolist())
w = torch.arange(r.numel(), dtype=r.dtype).reshape(r.shape) + 1
gx, gy = torch.autograd.grad((r * w).sum(), [x, y], create_graph=True)
print(gx.tolist(), gy.tolist())
print(torch.autograd.grad((gx * gx).sum() + gy.sum(), [x, y]))
""")


# kl_div is xlogy(target, target) - target · input: a negative target's nan, a zero
# target's 0/0 gradient, and PyTorch's order of adding the target's gradients.
@pytest.mark.parametrize("target", ["[0.1, 0.3, 0.5]", "[-0.0, 0.0, 0.25]", "[-0.5, 1.0, 2.0]"])
@pytest.mark.parametrize("reduction", ["sum", "none", "batchmean"])
def test_kl_div_is_xlogy(target: str, reduction: str) -> None:
    check(f"""
x = torch.tensor([-0.7, -0.4, -0.1], requires_grad=True)
y = torch.tensor({target}, requires_grad=True)
r = F.kl_div(x, y, reduction={reduction!r})
print(r, r.grad_fn.name(), [f.name() for f, _ in r.grad_fn.next_functions if f])
print(r.tolist())
print([g.tolist() for g in torch.autograd.grad(r.sum(), [x, y])])
""")


@pytest.mark.parametrize("x,y", [("[0.5, float('nan')]", "[0.5, 0.5]"),
                                 ("[0.5, 0.2]", "[0.5, float('nan')]"),
                                 ("[0.5, 0.2]", "[0.5, 1.5]"), ("[0.5, 1.2]", "[-0.5, 0.5]"),
                                 ("[-0.5, 0.2]", "[0.5, 1.5]"), ("[0.5, 0.2]", "[-0.5, 7.0]")])
def test_binary_cross_entropy_checks_its_range(x: str, y: str) -> None:
    # A nan or out-of-range input or target is PyTorch's error, the first element's word.
    check(f"print(F.binary_cross_entropy(torch.tensor({x}), torch.tensor({y})))")
    check(f"print(F.binary_cross_entropy(torch.tensor({x}), torch.tensor({y}), "
          "weight=torch.tensor([1.0, 2.0])))")


@pytest.mark.parametrize("call", [
    "F.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(3))",
    "F.prelu(torch.tensor([[1.0, -2.0]], dtype=torch.float64), torch.tensor([0.25]))",
    "F.prelu(torch.tensor([[1.0, -2.0]]), torch.tensor([0.25], dtype=torch.float64))",
    "torch.isclose(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))",
    "torch.isclose(torch.tensor([1.0]), torch.tensor([1]))",
    "torch.amin(torch.zeros(2, 0, 3), (-2,))", "torch.zeros(2, 0, 3).amax(-2)",
    "torch.zeros(2, 0, 3).amax(dim=(-1, -2))",
])
def test_errors_pytorch_raises(call: str) -> None:
    # Each printed a value (or raised the wrong class, or named the dim wrapped).
    check(f"print({call})")


@pytest.mark.parametrize("x", ["[[-float('inf'), 3.0, -2.8, 1.0], [0.5, 0.25, -1.0, 2.0]]",
                               "[[float('inf'), 3.0, -2.8, 1.0], [0.5, 0.5, 0.5, 1.5]]",
                               "[[float('nan'), 3.0, -2.8, 1.0], [1.5, -0.5, 0.7, 0.2]]"])
@pytest.mark.parametrize("target", ["[3, 0]", "[0, 3]"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_multi_margin_loss_skips_the_target_and_nan(x: str, target: str, reduction: str) -> None:
    # ATen adds z for i ≠ y where z > 0: the target's own inf - inf, or a nan, adds nothing.
    check(f"""
x = torch.tensor({x}, requires_grad=True)
r = F.multi_margin_loss(x, torch.tensor({target}), reduction={reduction!r}, margin=0.7)
print(r.tolist(), r.grad_fn.name())
print(torch.autograd.grad((r * (torch.arange(r.numel()).reshape(r.shape) + 1.0)).sum(), x))
""")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", ["None", "torch.tensor([1.0, 2.0, 0.5])"])
def test_nll_loss_zero_signs_and_ignored_samples(reduction: str, weight: str) -> None:
    # The backward stores each sample's value at its target (a zero grad's -0.0 stays),
    # an ignored sample gets nothing (an all-ignored mean put nan at class 0), and an
    # ignored sample's loss is +0 (was -0, or nan for an infinite input).
    check(f"""
ls = torch.tensor([[-0.5, -1.0, float('inf')], [-2.0, -0.1, 3.0]], requires_grad=True)
for t in ([1, 0], [2, 2], [0, 2]):
    r = F.nll_loss(ls, torch.tensor(t), reduction={reduction!r}, weight={weight},
                   ignore_index=2)
    print(r, r.tolist())
    for go in (0.0, 1.0):
        g, = torch.autograd.grad(r, [ls], grad_outputs=torch.full(r.shape, go),
                                 retain_graph=True)
        print(g.tolist())
x = torch.arange(24.0).reshape(2, 3, 2, 2).requires_grad_()
t = torch.tensor([[[0, 1], [2, 1]], [[1, 1], [0, 2]]])
r = F.nll_loss(x, t, reduction={reduction!r}, weight={weight}, ignore_index=1)
print(r.tolist(), torch.autograd.grad(r.sum(), x)[0].tolist())
""")


def test_cross_entropy_on_empty_batches() -> None:
    # An (N, C, d) input with N = 0 viewed as PyTorch's (N, C, 0, 0) (-1 has no size);
    # a mean over no probability targets is -(sum).fill_(nan): NegBackward0.
    check("""
x = torch.zeros(0, 3, 1, dtype=torch.float64, requires_grad=True)
r = F.cross_entropy(x, torch.zeros(0, 1, dtype=torch.int64), label_smoothing=0.1)
print(r, torch.autograd.grad(r, x))
x = torch.zeros(0, 3, requires_grad=True)
for red in ["mean", "sum", "none"]:
    for ls in [0.0, 0.2]:
        r = F.cross_entropy(x, torch.zeros(0, 3), reduction=red, label_smoothing=ls)
        print(r, torch.autograd.grad(r.sum(), x))
""")


@pytest.mark.parametrize("dtype", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("fn", ["F.log_softmax", "F.softmax"])
def test_softmax_backward_of_empty_tensors(dtype: str, fn: str) -> None:
    check(f"""
x = torch.zeros(0, dtype={dtype}).requires_grad_()
r = {fn}(x, dim=0, dtype=torch.float64)
print(r, torch.autograd.grad(r.sum(), x))
r = {fn}(torch.zeros(2, 0, dtype={dtype}, requires_grad=True), dim=-1)
print(r)
""")


def test_logcumsumexp_of_negative_zero() -> None:
    # PyTorch's scan starts from -inf: log_add_exp(-inf, -0.0) is +0.0.
    check("""
print(torch.tensor([-0.0, 1.0]).logcumsumexp(0).tolist())
print(torch.tensor([[-0.0], [-0.0]], dtype=torch.float64).logcumsumexp(1).tolist())
print(torch.tensor(-0.0).logcumsumexp(0).tolist())
""")


def test_cumsum_starts_from_positive_zero() -> None:
    check("""
for dt in (torch.float32, torch.float64):
    x = torch.tensor([[-0.0, -0.0, 1.0], [-0.0, 2.0, -0.0]], dtype=dt)
    print(x.cumsum(0).tolist(), x.cumsum(1).tolist(), x.T.cumsum(0).tolist())
    print(x.cumsum(1, dtype=torch.float64).tolist(), torch.tensor(-0.0, dtype=dt).cumsum(0))
""")


@pytest.mark.parametrize("a,b", [("i", "b"), ("b", "i"), ("f", "b"), ("b", "f"), ("b", "b")])
@pytest.mark.parametrize("alpha", ["-1", "2", "0.5"])
def test_sub_with_alpha_refuses_bools_first(a: str, b: str, alpha: str) -> None:
    check(f"""
b = torch.tensor([True, False])
i = torch.tensor([1, 2])
f = torch.tensor([1.5, 2.0])
print(torch.sub({a}, {b}, alpha={alpha}))
""")


@pytest.mark.parametrize("call", [
    "F.binary_cross_entropy(x, y, weight=w)", "F.binary_cross_entropy_with_logits(x, y, weight=w)",
    "F.binary_cross_entropy_with_logits(x, y, pos_weight=w)", "F.nll_loss(x, t, weight=w)",
    "F.cross_entropy(x, t, weight=w, label_smoothing=0.1)", "F.multi_margin_loss(x, t, weight=w)",
    "F.nll_loss(x.reshape(2, 2, 1), t.reshape(2, 1), weight=w)",
    "F.cross_entropy(x, y, weight=w)",  # probabilities: weight is differentiable there
])
def test_loss_weights_that_require_grad(call: str) -> None:
    check(f"""
w = torch.tensor([0.5, 2.0], requires_grad=True)
x = torch.tensor([[0.2, 0.7], [0.4, 0.1]], requires_grad=True)
y = torch.tensor([[0.0, 1.0], [1.0, 0.5]])
t = torch.tensor([0, 1])
with torch.no_grad():
    print({call})
r = {call}
print(r, torch.autograd.grad(r.sum(), [w])[0].tolist())
""")


@pytest.mark.parametrize("dtype", ["torch.float32", "torch.float64"])
def test_prod_backward_with_zeros_is_prod_safe_zeros(dtype: str) -> None:
    # With a zero anywhere, PyTorch's exclusive cumprods: an inf in another row gives the
    # product of its neighbours, not inf/inf; two zeros in a whole product give zeros.
    check(f"""
for x in ([[1.0, -2.7, -0.0], [2.0, float('inf'), 0.5], [2.0, 0.0, 0.0]],
          [[0.0, 2.0], [3.0, 0.0]], [[0.0, 2.0], [3.0, 4.0]], [[1.5, 2.0], [3.0, -1.0]]):
    p = torch.tensor(x, dtype={dtype}, requires_grad=True)
    for d in (None, 0, -1):
        r = p.prod() if d is None else p.prod(d, keepdim=d == 0)
        w = torch.arange(r.numel(), dtype={dtype}).reshape(r.shape) + 2
        print(r.tolist(), torch.autograd.grad((r * w).sum(), p)[0].tolist())
""")


def test_var_backward_without_degrees_of_freedom() -> None:
    # 2 / (n - correction) is C++'s inf at 0 (gradcli raised ZeroDivisionError).
    check("""
a = torch.tensor([[0.363]], dtype=torch.float64, requires_grad=True)
print(torch.autograd.grad(torch.std_mean(a.expand(1, 4), -2)[0].sum(), a))
print(torch.autograd.grad(torch.var(a.expand(1, 4), -2).sum(), a))
print(torch.autograd.grad(torch.std(a, 0, correction=2).sum(), a))
b = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.autograd.grad(torch.var(b, correction=2), b))
""")


@pytest.mark.parametrize("call", [
    "torch.unique(torch.tensor(0), return_inverse=True, dim=-1)",
    "torch.unique(torch.zeros(3, 0, 2), dim=-1)", "torch.unique(torch.zeros(3, 0, 2), dim=1)",
    "torch.unique(torch.zeros(0, 0, 2), dim=1)",
    "torch.unique(torch.zeros(0, 2), dim=-2, return_counts=True, return_inverse=True)",
])
def test_unique_dim_errors(call: str) -> None:
    check(f"print({call})")


def test_grad_input_cotangents_from_an_array_and_a_tensor() -> None:
    # The engine summed a grad() input's cotangents as ndarray + Tensor: numpy iterated
    # the tensor (IndexError "index 4 is out of bounds"); poisson_nll_loss(full=True)
    # differentiated w.r.t. its target reached it.
    check("""
a0 = torch.tensor([[0.0, 0.75, -0.0, 2.96, -1.0, -1.165, -3.0, 2.62]],
                  dtype=torch.float64)[..., ::2]
y = torch.tensor([-float('inf'), 3.0, float('nan'), 2.75], dtype=torch.float64).requires_grad_()
for full in (True, False):
    for li in (True, False):
        r = F.poisson_nll_loss(a0, y, reduction='sum', log_input=li, full=full)
        print(r, torch.autograd.grad(r, y))
""")


@pytest.mark.parametrize("call", [
    "torch.unique(a)", "torch.unique(a, return_counts=True)", "torch.unique(a, dim=0)",
    "torch.autograd.grad(torch.unique(a).sum(), a)",
    "torch.autograd.grad(torch.unique(a, dim=1).sum(), a)",
    "torch.unique_consecutive(a)", "torch.autograd.grad(torch.unique_consecutive(a).sum(), a)",
    "torch.unique(a.detach())",
])
def test_unique_of_a_tensor_that_requires_grad(call: str) -> None:
    # Recorded (requires_grad, Unique2Backward0), not differentiable: backward's error.
    check(f"a = torch.tensor([[1.0, 2.0], [1.0, 2.0]], requires_grad=True)\nprint({call})")


@pytest.mark.parametrize("fn", ["torch.all", "torch.any"])
@pytest.mark.parametrize("dims", ["(0, 0)", "(0, -3)", "(1, -1)"])
def test_any_all_duplicate_dims(fn: str, dims: str) -> None:
    check(f"print({fn}(torch.ones(2, 3, 2), {dims}))\nprint({fn}(torch.tensor(1.0), {dims}))")


@pytest.mark.parametrize("call", [
    "torch.amin(a, (-1,))", "torch.amax(a, 0)", "torch.amin(a, (0, -1))", "torch.amax(a, ())",
    "torch.autograd.grad(torch.amin(a, (-1,)), a)",
    "torch.nextafter(torch.tensor([1, 2]), torch.tensor([2, 3]))",
    "torch.nextafter(torch.tensor([True]), torch.tensor([False]))",
    "torch.nextafter(torch.tensor([1.0]), torch.tensor([2]))",
    "torch.tensor([1, 2]).clamp_(min=-0.5)", "torch.tensor([1, 2]).clamp_max_(0.5)",
    "torch.tensor([1, 2], dtype=torch.int32).clamp_(min=-0.5)",
    "torch.tensor([True]).clamp_(min=0.5)", "torch.tensor([1, 2]).clip_(0.5, 1.5)",
    "torch.tensor([1, 2]).clamp_(min=torch.tensor(0.5))", "torch.tensor([1, 2]).add_(0.5)",
    "torch.tensor([1, 2]).mean(dtype=torch.int64)", "torch.tensor([1, 2]).mean()",
])
def test_scalar_dims_and_dtype_errors(call: str) -> None:
    # amin/amax of a 0-d tensor over dim 0/-1; nextafter has float kernels only; clamp_'s
    # scalar overload names the C++ type; mean names the optional dtype when one is given.
    check(f"a = torch.tensor(2.5, dtype=torch.float64, requires_grad=True)\nprint({call})")


def test_floor_divide_inplace_names_its_op() -> None:
    check("""
x = torch.tensor([1.5, -2.5], requires_grad=True)
c = x * 1
c.floor_divide_(2)
print(c)
print(torch.autograd.grad(c.sum(), x))
""")


@pytest.mark.parametrize("dim", [-3, 0, 1, -1])
def test_softmax_backward_empty_along_any_dim(dim: int) -> None:
    check(f"""
a = torch.zeros(3, 0, 2, requires_grad=True)
for fn in (F.log_softmax, F.softmax):
    r = fn(a, dim={dim}, dtype=torch.float64)
    print(r.shape, torch.autograd.grad(r.sum(), a)[0].shape)
""")


def test_adaptive_avg_pool_of_negative_zeros() -> None:
    check("""
a = torch.tensor([[[-0.75, 0.0, 0.0, 2.75, -2.0], [1.0, 1.2, -1.25, -0.0, -0.0]]],
                 dtype=torch.float64)
print(F.adaptive_avg_pool1d(a, 3).tolist())
x = torch.tensor([[[-0.0, -0.0, -0.0]]])
print(F.adaptive_avg_pool1d(x, 1).tolist(), F.adaptive_avg_pool1d(x, 2).tolist())
print(F.adaptive_avg_pool2d(x.reshape(1, 1, 3, 1).expand(1, 1, 3, 2), 2).tolist())
""")


@pytest.mark.parametrize("x,src,idx", [
    ("[[1.0, 2.0, 3.0, 4.0]]", "[[0.5, 0.0, 2.0, 3.0]]", "[[0, 0, 1, 1]]"),
    ("[[0.0, 2.0, 0.0, 4.0]]", "[[0.5, 0.0, 0.0, 3.0]]", "[[0, 0, 2, 2]]"),
    ("[[1.5, -2.0, 3.0]]", "[[0.5, -1.0, 2.0, 3.0]]", "[[2, 2, 0, 2]]"),
    ("[[0.0, 2.0, 3.0]]", "[[0.0, -1.0, 0.0, 3.0]]", "[[0, 1, 0, 0]]"),
])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_prod_gradient_at_zeros(x: str, src: str, idx: str,
                                               include_self: bool) -> None:
    # PyTorch recomputes the products with zeros masked to 1 (gradcli divided: 0/0 = nan).
    check(f"""
xx = torch.tensor({x}, requires_grad=True)
ss = torch.tensor({src}, requires_grad=True)
r = xx.scatter_reduce(1, torch.tensor({idx}), ss, 'prod', include_self={include_self})
w = torch.arange(r.numel(), dtype=r.dtype).reshape(r.shape)
print(r.tolist(), [g.tolist() for g in torch.autograd.grad((r * w + r).sum(), [xx, ss])])
""")


def test_embedding_scale_grad_by_freq_of_no_indices() -> None:
    check("""
w = torch.tensor([[0.5, 1.0, 2.0], [1.0, -1.0, 0.5], [3.0, 0.0, 1.0]], requires_grad=True)
for idx in (torch.zeros(0, dtype=torch.int64), torch.zeros(2, 0, dtype=torch.int64),
            torch.tensor([[0, 2], [2, 2]])):
    r = F.embedding(idx, w, scale_grad_by_freq=True, padding_idx=-1)
    print(r.shape, torch.autograd.grad((r * 2).sum(), w)[0].tolist())
""")
