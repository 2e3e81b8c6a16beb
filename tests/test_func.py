"""torch.func (gradcli/ad/func.py) and forward_ad.unpack_dual, against PyTorch.

Each program is valid PyTorch: gd's output is compared with torch's (run in one
subprocess), and a few expectations are literal PyTorch text so they mean something
without torch.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

HEAD = """import torch
from torch.func import grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap
x = torch.tensor([0.5, 1.0, 2.0])
batch = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
def f(x):
    return (x.sin() * x).sum()
"""

PROGRAMS = {
    "grad": "print(grad(f)(x))\nprint(grad(grad(lambda t: t.sin()))(torch.tensor(1.0)))",
    "grad_and_value": "print(grad_and_value(f)(x))",
    "argnums_aux": """
def g(x, y):
    return (x * y).sum(), x * 2
print(grad(g, argnums=(0, 1), has_aux=True)(x, x + 1))
print(grad_and_value(g, argnums=1, has_aux=True)(x, x + 1))
print(grad(lambda p: (p[0] * p[1]).sum())((x, x + 1)))
print(grad(lambda p: (p[0] * p[1]).sum())([x, x + 1]))
""",
    "vjp_jvp": """
out, fn = vjp(lambda a: a.exp() * 2, x)
print(out, fn(torch.ones(3)))
_, fn2 = vjp(lambda a, b: a * b, x, x)
print(fn2(torch.ones(3)))
print(jvp(lambda a: a.exp() * 2, (x,), (torch.ones(3),)))
print(jvp(lambda a, b: a * b, (x, x), (torch.ones(3), torch.zeros(3))))
out, fn3, aux = vjp(lambda a: (a * 3, a.sum()), x, has_aux=True)
print(out, fn3(torch.ones(3)), aux)
""",
    "jacobians": """
print(jacrev(lambda a: a.exp() * a[0])(x))
print(jacfwd(lambda a: a.exp() * a[0])(x))
print(jacrev(lambda a, b: a * b, argnums=(0, 1))(x, x))
print(jacfwd(lambda a, b: a * b + b, argnums=1)(x, x))
print(jacrev(lambda a: (a * 2, a.sum()))(x))
print(hessian(f)(x))
print(hessian(lambda a: (a ** 3).sum() + a[0] * a[1])(x))
""",
    "nested": """
H1 = jacrev(jacrev(f))(x)
H2 = jacfwd(jacfwd(f))(x)
H3 = jacrev(jacfwd(f))(x)
H4 = hessian(f)(x)
print(torch.allclose(H1, H4), torch.allclose(H2, H4), torch.allclose(H3, H4))
print(grad(lambda a: grad(f)(a).sum())(x))
print(jacfwd(grad(f))(x).shape)
""",
    "vmap": """
print(vmap(grad(lambda v: (v ** 3).sum()))(batch))
print(vmap(lambda a, b: a * b, in_dims=(0, None))(batch, torch.tensor([10., 20.])))
print(vmap(lambda a: a.sum(), in_dims=1)(batch))
print(vmap(lambda a: a * 2, in_dims=1, out_dims=1)(batch))
print(vmap(vmap(lambda a: a * 2))(batch))
print(vmap(lambda a: (a.sum(), a * 2))(batch))
print(vmap(torch.dot)(batch, batch))
print(vmap(lambda a: a.sum(0), in_dims=0)(batch))
print(vmap(jacrev(lambda v: v.sin() * v.sum()))(batch).shape)
""",
    "unpack_dual": """
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([1., 0.]))
    y = d.exp()
    u = fwAD.unpack_dual(y)
    print(u)
    print(u.primal, u.tangent)
    p, t = fwAD.unpack_dual(y)
    print(t)
    print(fwAD.unpack_dual(torch.ones(2)))
""",
    "errors": """
try:
    grad(lambda a: a * 2)(x)
except RuntimeError as e:
    print(e)
try:
    vmap(lambda a, b: a + b)(batch, torch.ones(2, 2))
except ValueError as e:
    print(e)
try:
    vmap(lambda a: 1.0)(batch)
except ValueError as e:
    print(e)
try:
    vmap(lambda a: a, in_dims=2)(batch)
except ValueError as e:
    print(e)
""",
    # PyTorch's tutorial "Jacobians, Hessians, hvp, vhp, and more: composing function
    # transforms" (F.linear written out, movedim as transpose, *primals as primals[0]).
    "tutorial": """
torch.manual_seed(0)
def predict(weight, bias, x):
    return (x @ weight.T + bias).tanh()
D = 4
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)
ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)
print(ft_jacobian)
ft_jacobians = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jacobians[0].shape, ft_jacobians[1].shape)
print(torch.allclose(jacfwd(predict, argnums=2)(weight, bias, x), ft_jacobian))
batch_size = 5
xb = torch.randn(batch_size, D)
compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
batch_jacobian0 = compute_batch_jacobian(weight, bias, xb)
def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)
batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, xb).transpose(0, 1)
print(torch.allclose(batch_jacobian0, batch_jacobian1), batch_jacobian0.shape)
hess_api = hessian(predict, argnums=2)(weight, bias, x)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
print(hess_api.shape, torch.allclose(hess_api, hess_fwdfwd))
def f(x):
    return x.sin().sum()
def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]
def hvp_revrev(f, primals, tangents):
    _, vjp_fn = vjp(grad(f), primals[0])
    return vjp_fn(tangents[0])
x = torch.randn(2048)
tangent = torch.randn(2048)
print(torch.allclose(hvp(f, (x,), (tangent,)), hvp_revrev(f, (x,), (tangent,))[0]))
""",
    "errors2": """
def show(fn):
    try:
        fn()
    except RuntimeError as e:
        print(e)
show(lambda: grad(lambda a: 1.0)(x))
show(lambda: grad(lambda a: a.sum(), has_aux=True)(x))
show(lambda: grad(lambda a: a.sum(), argnums=3)(x))
show(lambda: grad(lambda a: a.sum(), argnums=1.5)(x))
show(lambda: jvp(lambda a: a, x, x))
show(lambda: vjp(lambda a: a * 2, x)[1](torch.ones(4)))
show(lambda: grad(lambda a: a.sum())(torch.tensor([1, 2])))
""",
    "top_level_results_are_detached": """
y = x.clone().requires_grad_()
g = grad(f)(x)
print(g.requires_grad, grad_and_value(f)(x)[1].requires_grad)
print(jacrev(lambda a: a * 2)(x).requires_grad, vmap(lambda a: a * 2)(batch).requires_grad)
print(grad(f)(y).requires_grad)
""",
}


def run_gd(program: str) -> tuple[str, str | None]:
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return buf.getvalue(), e.message
    return buf.getvalue(), None


_RUNNER = """
import contextlib, io, json, sys
programs = json.loads(sys.stdin.read())
out = {}
for name, src in programs.items():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(src, {})
    out[name] = buf.getvalue()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def torch_outputs() -> dict[str, str]:
    pytest.importorskip("torch")
    sources = {name: HEAD + body + "\n" for name, body in PROGRAMS.items()}
    done = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(sources),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_same_output_as_pytorch(name: str, torch_outputs: dict[str, str]) -> None:
    out, err = run_gd(HEAD + PROGRAMS[name] + "\n")
    assert err is None
    assert out == torch_outputs[name]


def test_literal_pytorch_text() -> None:
    out, err = run_gd(HEAD + PROGRAMS["grad"] + "\n" + PROGRAMS["errors"] + "\n"
                      + PROGRAMS["unpack_dual"] + "\n")
    assert err is None
    assert out == """\
tensor([0.9182, 1.3818, 0.0770])
tensor(-0.8415)
grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with 1 \
dims. Maybe you wanted to use the vjp or jacrev APIs instead?
vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [3, 2] \
for the mapped dimension
vmap(<lambda>, ...): `<lambda>` must only return Tensors, got type <class 'float'>. Did you \
mean to set out_dims= to None for output?
vmap(<lambda>, in_dims=2, ...)(<inputs>): Got in_dim=2 for some input, but that input is a \
Tensor of dimensionality 2 so expected in_dim to satisfy -2 <= in_dim < 2.
UnpackedDualTensor(primal=tensor([2.7183, 7.3891]), tangent=tensor([2.7183, 0.0000]))
tensor([2.7183, 7.3891]) tensor([2.7183, 0.0000])
tensor([2.7183, 0.0000])
UnpackedDualTensor(primal=tensor([1., 1.]), tangent=None)
"""


# -- the sandbox ------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", [
    "grad(f).__closure__", "grad(f).fn", "vjp(f, x)[1].__code__", "vjp(f, x)[1].fn",
    "vmap(f).__globals__", "torch.func.grad.fn", "torch.func.__dict__",
    "torch.autograd.forward_ad.unpack_dual(x).__class__.__dict__",
    "torch.autograd.forward_ad.unpack_dual(x)._fields",
])
def test_transforms_expose_nothing_of_the_host(expr: str) -> None:
    out, err = run_gd(HEAD + f"print({expr})\n")
    assert out == "" and err is not None
    assert "attribute" in err


def test_a_limit_inside_a_transformed_function_is_not_swallowed() -> None:
    out, err = run_gd(HEAD + """
def h(a):
    try:
        return h(a)
    except Exception:
        print("swallowed")
        return a.sum()
try:
    print(vmap(grad(h))(batch))
except Exception:
    print("swallowed")
""")
    assert "swallowed" not in out
    assert err is not None and "maximum recursion depth" in err
