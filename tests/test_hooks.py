"""Backward hooks (gradcli/ad/hooks.py) against PyTorch: tensor hooks, post-accumulate
hooks, grad_fn hooks and pre-hooks, handles, their order and their errors."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyrun import unaddressed

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

ORDER = """import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
z = y.sum()
def double(g):
    print("y hook", g)
    return g * 2
h1 = y.register_hook(double)
y.retain_grad()
y.register_hook(lambda g: print("y hook2", g))
x.register_hook(lambda g: print("x hook", g))
x.register_post_accumulate_grad_hook(lambda t: print("post acc", t.grad))
y.grad_fn.register_prehook(lambda go: print("prehook", go))
y.grad_fn.register_hook(lambda gi, go: print("node hook", gi, go))
print(h1)
z.backward()
print(x.grad, y.grad)
h1.remove()
h1.remove()
x.grad = None
z = (x * 3).sum()
print(torch.autograd.grad(z, x))
w = torch.tensor([1., 2.], requires_grad=True)
m = w * w
m.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, gi[1]))
m.sum().backward()
print(w.grad)
w2 = torch.tensor([1., 2.], requires_grad=True)
m = w2 * 2
m.grad_fn.register_prehook(lambda go: (go[0] * 100,))
m.sum().backward()
print(w2.grad)
a = torch.tensor(2., requires_grad=True)
a.register_hook(lambda g: g * 3)
g, = torch.autograd.grad(a ** 3, a, create_graph=True)
print(g)
print(torch.autograd.grad(g, a))
b = torch.tensor([1., 2.], requires_grad=True)
b.register_hook(lambda g: g + 1)
(b * b).sum().backward(inputs=[b])
print(b.grad)
"""

ERRORS = """import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
try:
    x.register_hook(lambda g: g[:1])
    (x * 1).sum().backward()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2).register_hook(lambda g: g)
except RuntimeError as e:
    print(e)
try:
    y.register_post_accumulate_grad_hook(lambda t: t)
except RuntimeError as e:
    print(e)
w2 = torch.tensor([1., 2.], requires_grad=True)
try:
    m = w2 * 2
    m.grad_fn.register_hook(lambda gi, go: gi[0])
    m.sum().backward()
except TypeError as e:
    print(e)
w3 = torch.tensor(1., requires_grad=True)
w3.register_hook(lambda g: g.to(torch.float64))
try:
    (w3 * 2).backward()
except RuntimeError as e:
    print(e)
"""


LEAF_ORDER = """import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
x = torch.tensor([3.0, 4.0])
w.register_hook(lambda g: print("w", g))
b.register_hook(lambda g: print("b", g))
w.register_post_accumulate_grad_hook(lambda t: print("w acc", t.grad, b.grad))
b.register_post_accumulate_grad_hook(lambda t: print("b acc", t.grad, w.grad))
y = (w * x).sum() + b
z = y * y
z.grad_fn.register_hook(lambda gi, go: print("z node", gi))
(z + w.sum()).backward(retain_graph=True)
print(torch.autograd.grad(z, [w, b]))
v = torch.tensor(2.0, requires_grad=True)
v.register_hook(lambda g: print("v", g))
u = v * 3
q = u * v
q.backward()
print(v.grad)
"""


def run_gd(program: str) -> tuple[str, str | None]:
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return buf.getvalue(), e.message
    return buf.getvalue(), None


def _no_address(text: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+>", ">", text)


def test_order_and_values_as_pytorch() -> None:
    out, err = run_gd(ORDER)
    assert err is None
    assert out.startswith("""\
<torch.utils.hooks.RemovableHandle object at 0x7f0000000010>
y hook tensor([1., 1.])
y hook2 tensor([2., 2.])
prehook (tensor([2., 2.]),)
node hook (tensor([6., 6.]), None) (tensor([2., 2.]),)
x hook tensor([6., 6.])
post acc tensor([6., 6.])
tensor([6., 6.]) tensor([2., 2.])
x hook tensor([3., 3.])
(tensor([3., 3.]),)
tensor([11., 22.])
tensor([200., 200.])
""")
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", ORDER], capture_output=True, text=True,
                          check=True)
    assert unaddressed(out) == _no_address(done.stdout)


def test_errors_as_pytorch() -> None:
    out, err = run_gd(ERRORS)
    assert err is None
    assert out == """\
hook '<lambda>' has changed the size of value
cannot register a hook on a tensor that doesn't require gradient
post accumulate grad hooks cannot be registered on non-leaf tensors
expected tuple, but hook returned 'Tensor'
hook '<lambda>' has changed the type of value (was torch.FloatTensor got torch.DoubleTensor)
"""
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", ERRORS], capture_output=True, text=True,
                          check=True)
    assert out == done.stdout


def test_hooks_do_not_change_jacobians() -> None:
    out, err = run_gd("""import torch
from torch.autograd.functional import jacobian
x = torch.tensor([1., 2.], requires_grad=True)
x.register_hook(lambda g: g * 10)
print(jacobian(lambda a: a ** 2, x))
y = (x ** 2).sum()
y.backward()
print(x.grad)
""")
    assert (out, err) == ("tensor([[2., 0.],\n        [0., 4.]])\ntensor([20., 40.])\n", None)


def test_example_matches_golden() -> None:
    root = Path(__file__).resolve().parent.parent
    out, err = run_gd((root / "examples" / "gradient_hooks.gd").read_text(encoding="utf-8"))
    assert err is None
    assert out == (root / "examples" / "gradient_hooks.out").read_text(encoding="utf-8")


# -- the sandbox ------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", [
    "h.hooks", "h.hook", "h.__class__.__dict__", "h.remove.__self__", "h.remove.fn",
    "y.grad_fn.hooks", "y.grad_fn.register_hook.obj",
])
def test_handles_and_hook_arguments_expose_nothing(expr: str) -> None:
    out, err = run_gd(f"""import torch
x = torch.ones(2, requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: g)
print({expr})
""")
    assert out == "" and err is not None and "attribute" in err


def test_a_hook_sees_only_gd_values() -> None:
    out, err = run_gd("""import torch
x = torch.ones(2, requires_grad=True)
y = x * 2
seen = []
y.register_hook(lambda g: seen.append(g))
y.grad_fn.register_hook(lambda gi, go: seen.append((gi, go)))
y.sum().backward()
print(seen)
print(seen[0].__class__.__dict__)
""")
    assert out == ("[tensor([1., 1.]), ((tensor([2., 2.]), None), (tensor([1., 1.]),))]\n")
    assert err is not None and "'__dict__' is not accessible" in err


def test_a_limit_inside_a_hook_is_not_swallowed_by_try() -> None:
    out, err = run_gd("""import torch
def deep(g):
    try:
        return deep(g)
    except Exception:
        print("swallowed")
x = torch.ones(2, requires_grad=True)
x.register_hook(deep)
try:
    (x * 2).sum().backward()
except Exception:
    print("swallowed")
""")
    assert "swallowed" not in out
    assert err is not None and "maximum recursion depth" in err


def test_leaf_hooks_run_when_their_gradient_is_complete() -> None:
    # PyTorch runs a leaf's AccumulateGrad (its hooks, then .grad, then the post-accumulate
    # hooks) as soon as its gradient is complete, before any other ready node.
    out, err = run_gd(LEAF_ORDER)
    assert err is None
    assert out == """\
z node (tensor(11.5000), tensor(11.5000))
b tensor(23.)
b acc tensor(23.) None
w tensor([70., 93.])
w acc tensor([70., 93.]) tensor(23.)
z node (tensor(11.5000), tensor(11.5000))
b tensor(23.)
w tensor([69., 92.])
(tensor([69., 92.]), tensor(23.))
v tensor(12.)
tensor(12.)
"""
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", LEAF_ORDER], capture_output=True,
                          text=True, check=True)
    assert out == done.stdout
