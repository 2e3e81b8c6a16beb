"""torch.optim in gd: the optimizers' updates bit for bit as PyTorch's CPU code, their
printing, errors and bookkeeping (param_groups, state, zero_grad, versions), and the
sandbox around the new values."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

from gradcli.ad.kernels.fused import fma
from gradcli.ad.kernels.vml_avx512 import vml_sqrt
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def gd(program: str) -> str:
    """What gd prints for a program (torch imported), "error: <message>" if it fails."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", "import torch\n" + program), AppOptions(write=buf.write))
    except GdError as e:
        buf.write(f"error: {e.message}\n")
    return buf.getvalue()


_TORCH_RUNNER = r"""
import contextlib, io, json, sys
import torch
out = []
for program in json.load(sys.stdin):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            exec(program, {"torch": torch})
        except Exception as e:
            print(f"error: {e}")
    out.append(buf.getvalue())
print(json.dumps(out))
"""


def torch_outputs(programs: list[str]) -> list[str]:
    """What PyTorch prints for each program (one child process for all)."""
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER], input=json.dumps(programs),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


# -- the updates, bit for bit --------------------------------------------------------------

OPTIONS = [
    ("SGD", "lr=0.1"), ("SGD", "lr=0.1, momentum=0.9"),
    ("SGD", "lr=0.05, momentum=0.9, dampening=0.1"),
    ("SGD", "lr=0.1, momentum=0.9, nesterov=True"), ("SGD", "lr=0.1, weight_decay=0.01"),
    ("SGD", "lr=0.1, maximize=True"),
    ("SGD", "lr=0.03, momentum=0.8, weight_decay=0.1, nesterov=True, maximize=True"),
    ("Adam", "lr=0.01"), ("Adam", "lr=0.1, betas=(0.8, 0.99)"), ("Adam", "lr=0.01, eps=1e-6"),
    ("Adam", "lr=0.01, weight_decay=0.1"), ("Adam", "lr=0.01, amsgrad=True"),
    ("Adam", "lr=0.01, maximize=True"),
    ("Adam", "lr=0.02, weight_decay=0.1, amsgrad=True, maximize=True"),
    ("AdamW", "lr=0.01"), ("AdamW", "lr=0.05, weight_decay=0.1, amsgrad=True"),
    ("RMSprop", "lr=0.01"), ("RMSprop", "lr=0.01, alpha=0.9"),
    ("RMSprop", "lr=0.01, centered=True"), ("RMSprop", "lr=0.01, momentum=0.5"),
    ("RMSprop", "lr=0.01, centered=True, momentum=0.9, weight_decay=0.1"),
    ("RMSprop", "lr=0.01, maximize=True"),
    ("Adagrad", "lr=0.1"), ("Adagrad", "lr=0.1, lr_decay=0.01"),
    ("Adagrad", "lr=0.1, weight_decay=0.1"),
    ("Adagrad", "lr=0.1, initial_accumulator_value=0.1, eps=1e-5"),
    ("Adagrad", "lr=0.1, maximize=True"),
]
UPDATE_CASES = [(kind, opts, dt) for kind, opts in OPTIONS for dt in ("float32", "float64")]


def update_program(kind: str, opts: str, dtype: str) -> str:
    """Six steps on three parameters (37 elements: vector body and tail; a 0-d one; a
    3x5 one), with gradients of changing scale set directly, so only the optimizer's
    arithmetic is compared; a None grad on the way (a skipped parameter)."""
    return f"""torch.manual_seed(0)
w = torch.randn(37, dtype=torch.{dtype}).requires_grad_()
b = torch.tensor(0.5, dtype=torch.{dtype}, requires_grad=True)
m = torch.randn(3, 5, dtype=torch.{dtype}).requires_grad_()
opt = torch.optim.{kind}([w, b, m], {opts})
for i in range(6):
    opt.zero_grad()
    for p in (w, b, m):
        p.grad = torch.randn(p.shape, dtype=torch.{dtype}) * (10.0 ** (i % 3 - 1))
    if i == 3:
        b.grad = None
    opt.step()
print([w.tolist(), b.item(), m.tolist()])
"""


@pytest.fixture(scope="module")
def torch_updates() -> dict[tuple[str, str, str], str]:
    pytest.importorskip("torch")
    outs = torch_outputs([update_program(*case) for case in UPDATE_CASES])
    return dict(zip(UPDATE_CASES, outs, strict=True))


def _flat(text: str) -> np.ndarray:
    values = ast.literal_eval(text)
    return np.array([values[1], *values[0], *np.ravel(values[2])])


@pytest.mark.parametrize(("kind", "opts", "dtype"), UPDATE_CASES,
                         ids=[f"{k}({o})-{d}" for k, o, d in UPDATE_CASES])
def test_updates_are_pytorchs_to_the_last_bit(torch_updates: dict[tuple[str, str, str], str],
                                              kind: str, opts: str, dtype: str) -> None:
    ours = gd(update_program(kind, opts, dtype))
    theirs = torch_updates[(kind, opts, dtype)]
    if dtype == "float64" and kind != "SGD":
        # float64 sqrt is the correctly rounded one; PyTorch's (MKL vdSqrt) differs from
        # it in the last bit for about 1 value in 80.
        np.testing.assert_allclose(_flat(ours), _flat(theirs), rtol=1e-13, atol=0)
    else:
        assert ours == theirs


def test_sgd_with_nesterov_and_weight_decay_prints_what_pytorch_prints() -> None:
    program = """w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
b = torch.tensor(0.25, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
x = torch.tensor([0.5, 1.5, -1.0])
for i in range(4):
    opt.zero_grad()
    loss = ((w * x).sum() + b - 1) ** 2
    loss.backward()
    opt.step()
    print(i, loss.item(), w.tolist(), b.item())
"""
    assert gd(program) == (
        "0 14.0625 [1.7106000185012817, 0.1413000375032425, -0.9259500503540039] "
        "1.6745250225067139\n"
        "1 7.116756916046143 [1.5034221410751343, -0.466701865196228, -0.5183601975440979] "
        "1.2649054527282715\n"
        "2 0.6970980763435364 [1.3971047401428223, -0.7685104608535767, -0.3142971694469452] "
        "1.0582709312438965\n"
        "3 0.006665946915745735 [1.3907734155654907, -0.7671307921409607, -0.3118213415145874]"
        " 1.0527390241622925\n")


def test_adam_amsgrad_prints_what_pytorch_prints_with_its_state() -> None:
    program = """w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
opt = torch.optim.Adam([w], lr=0.1, amsgrad=True)
for i in range(4):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
    print(i, loss.item(), w.tolist())
print(opt.state[w])
"""
    assert gd(program) == (
        "0 5.25 [0.9000000357627869, -1.899999976158142, 0.4000000059604645]\n"
        "1 4.579999923706055 [0.8004122376441956, -1.8001664876937866, 0.3011874258518219]\n"
        "2 3.971973180770874 [0.7015863060951233, -1.7006233930587769, 0.2048712521791458]\n"
        "3 3.4263153076171875 [0.6039391160011292, -1.601504921913147, 0.11291538923978806]\n"
        "{'step': tensor(4.), 'exp_avg': tensor([ 0.5760, -1.2636,  0.2329]), 'exp_avg_sq': "
        "tensor([0.0118, 0.0549, 0.0022]), 'max_exp_avg_sq': tensor([0.0118, 0.0549, "
        "0.0022])}\n")


# -- the kernels they rest on --------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fma_rounds_once(dtype: type) -> None:
    """a·b + c with one rounding, against exact rational arithmetic (cancellation cases
    included, where two roundings differ most)."""
    rng = np.random.default_rng(5)
    a = rng.standard_normal(400).astype(dtype)
    b = rng.standard_normal(400).astype(dtype)
    c = (-(a.astype(np.float64) * b) * (1 + rng.standard_normal(400) * 1e-6)).astype(dtype)
    got = fma(a, b, c)
    for x, y, z, r in zip(a.tolist(), b.tolist(), c.tolist(), got.tolist(), strict=True):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        nearest = dtype(float(exact))
        below = np.nextafter(nearest, dtype(-np.inf))
        above = np.nextafter(nearest, dtype(np.inf))
        bits = np.uint32 if dtype is np.float32 else np.uint64
        best = min((below, nearest, above),  # the nearest; a tie to the even one
                   key=lambda v: (abs(Fraction(float(v)) - exact), int(np.array(v).view(bits)) & 1))
        assert r == float(best)


def test_float32_sqrt_is_pytorchs() -> None:
    """torch.sqrt on float32 is MKL's vsSqrt, not the correctly rounded root: the same bits
    for normal values, subnormals, zeros, negatives, inf and nan."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.random(50000) * 10, np.exp(rng.uniform(-100, 88, 50000)),
                        rng.integers(1, 2**31 - 2**24, 50000).astype(np.int32).view(np.float32),
                        [0.0, -0.0, 1.0, 4.0, np.inf, -np.inf, np.nan, -1.0, 1e-45, 3.4e38]]
                       ).astype(np.float32)
    theirs = torch.from_numpy(x).sqrt().numpy()
    ours = vml_sqrt(x)
    same = (ours.view(np.int32) == theirs.view(np.int32)) | (np.isnan(ours) & np.isnan(theirs))
    assert same.all()
    assert not (ours == np.sqrt(x))[:50000].all()  # numpy's differs: the test means something


# -- printing, bookkeeping and errors, as PyTorch 2.13 prints them -------------------------

#: (program, what PyTorch prints; an exception as `error: <message>`)
CASES = [
    ('w = torch.zeros(2, requires_grad=True)\n'
     'print(torch.optim.SGD([w], lr=0.1))',
     'SGD (\n'
     'Parameter Group 0\n'
     '    dampening: 0\n'
     '    differentiable: False\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    lr: 0.1\n'
     '    maximize: False\n'
     '    momentum: 0\n'
     '    nesterov: False\n'
     '    weight_decay: 0\n'
     ')\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'print(torch.optim.Adam([w]))',
     'Adam (\n'
     'Parameter Group 0\n'
     '    amsgrad: False\n'
     '    betas: (0.9, 0.999)\n'
     '    capturable: False\n'
     '    decoupled_weight_decay: False\n'
     '    differentiable: False\n'
     '    eps: 1e-08\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    lr: 0.001\n'
     '    maximize: False\n'
     '    weight_decay: 0\n'
     ')\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'print(torch.optim.AdamW([w], lr=0.01, betas=(0.8, 0.9)))',
     'AdamW (\n'
     'Parameter Group 0\n'
     '    amsgrad: False\n'
     '    betas: (0.8, 0.9)\n'
     '    capturable: False\n'
     '    decoupled_weight_decay: True\n'
     '    differentiable: False\n'
     '    eps: 1e-08\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    lr: 0.01\n'
     '    maximize: False\n'
     '    weight_decay: 0.01\n'
     ')\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'print(torch.optim.RMSprop([w], momentum=0.9, centered=True))',
     'RMSprop (\n'
     'Parameter Group 0\n'
     '    alpha: 0.99\n'
     '    capturable: False\n'
     '    centered: True\n'
     '    differentiable: False\n'
     '    eps: 1e-08\n'
     '    foreach: None\n'
     '    lr: 0.01\n'
     '    maximize: False\n'
     '    momentum: 0.9\n'
     '    weight_decay: 0\n'
     ')\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'print(torch.optim.Adagrad([w], lr_decay=0.5))',
     'Adagrad (\n'
     'Parameter Group 0\n'
     '    differentiable: False\n'
     '    eps: 1e-10\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    initial_accumulator_value: 0\n'
     '    lr: 0.01\n'
     '    lr_decay: 0.5\n'
     '    maximize: False\n'
     '    weight_decay: 0\n'
     ')\n'),
    ('a = torch.ones(2, requires_grad=True)\n'
     'b = torch.ones(1, requires_grad=True)\n'
     "opt = torch.optim.SGD([{'params': [a]}, {'params': b, 'lr': "
     "0.01, 'tag': 'head'}], lr=0.1, momentum=0.9)\n"
     'print(opt)\n'
     'print(opt.param_groups[1])',
     'SGD (\n'
     'Parameter Group 0\n'
     '    dampening: 0\n'
     '    differentiable: False\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    lr: 0.1\n'
     '    maximize: False\n'
     '    momentum: 0.9\n'
     '    nesterov: False\n'
     '    weight_decay: 0\n'
     '\n'
     'Parameter Group 1\n'
     '    dampening: 0\n'
     '    differentiable: False\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    lr: 0.01\n'
     '    maximize: False\n'
     '    momentum: 0.9\n'
     '    nesterov: False\n'
     '    tag: head\n'
     '    weight_decay: 0\n'
     ')\n'
     "{'params': [tensor([1.], requires_grad=True)], 'lr': 0.01, '"
     "tag': 'head', 'momentum': 0.9, 'dampening': 0, 'weight_decay"
     "': 0, 'nesterov': False, 'maximize': False, 'foreach': None,"
     " 'differentiable': False, 'fused': None}\n"),
    ('a = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     "opt.add_param_group({'params': torch.zeros(3, requires_grad=True), 'lr': 0.5})\n"
     "print(len(opt.param_groups), opt.param_groups[1]['lr'], opt."
     "param_groups[1]['momentum'])",
     '2 0.5 0\n'),
    ('a = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     'print(opt.param_groups)\n'
     'print(opt.defaults)\n'
     'print(opt.state)',
     "[{'params': [tensor([1., 1.], requires_grad=True)], 'lr': 0."
     "1, 'momentum': 0, 'dampening': 0, 'weight_decay': 0, 'nester"
     "ov': False, 'maximize': False, 'foreach': None, 'differentia"
     "ble': False, 'fused': None}]\n"
     "{'lr': 0.1, 'momentum': 0, 'dampening': 0, 'weight_decay': 0"
     ", 'nesterov': False, 'maximize': False, 'foreach': None, 'di"
     "fferentiable': False, 'fused': None}\n"
     "defaultdict(<class 'dict'>, {})\n"),
    ('a = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD(iter([a]), lr=0.1)\n'
     "print(opt.param_groups[0]['params'])",
     '[tensor([1., 1.], requires_grad=True)]\n'),
    ('a = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD((p for p in [a]), lr=0.1)\n'
     "print(opt.param_groups[0]['params'])",
     '[tensor([1., 1.], requires_grad=True)]\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     '(w * w).sum().backward()\n'
     "opt.param_groups[0]['lr'] = 0.5\n"
     'opt.step()\n'
     'print(w)\n'
     'for g in opt.param_groups:\n'
     "    g['lr'] *= 0.1\n"
     "print(opt.param_groups[0]['lr'])",
     'tensor([0., 0.], requires_grad=True)\n'
     '0.05\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     '(w * 3).sum().backward()\n'
     'g = w.grad\n'
     'opt.zero_grad(set_to_none=False)\n'
     'print(w.grad, g)\n'
     'opt.zero_grad()\n'
     'print(w.grad, g)',
     'tensor([0., 0.]) tensor([0., 0.])\n'
     'None tensor([0., 0.])\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     '(w * 3).sum().backward()\n'
     'opt.zero_grad(False)\n'
     '(w * 2).sum().backward()\n'
     'print(w.grad)',
     'tensor([2., 2.])\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'v = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.Adam([w, v], lr=0.1)\n'
     '(w * 3).sum().backward()\n'
     'print(opt.step())\n'
     'print(w, v, len(opt.state))',
     'None\n'
     'tensor([0.9000, 0.9000], requires_grad=True) tensor([1., 1.]'
     ', requires_grad=True) 1\n'),
    ('w = torch.tensor([1.0, -2.0], requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'def closure():\n'
     '    opt.zero_grad()\n'
     '    loss = (w ** 2).sum()\n'
     '    loss.backward()\n'
     '    return loss\n'
     'for _ in range(2):\n'
     '    print(opt.step(closure))\n'
     'print(w)',
     'tensor(5., grad_fn=<SumBackward0>)\n'
     'tensor(3.2000, grad_fn=<SumBackward0>)\n'
     'tensor([ 0.6400, -1.2800], requires_grad=True)\n'),
    ('w = torch.tensor([1.0, -2.0], requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'with torch.no_grad():\n'
     '    def closure():\n'
     '        opt.zero_grad()\n'
     '        loss = (w ** 2).sum()\n'
     '        loss.backward()\n'
     '        return loss\n'
     '    print(opt.step(closure))',
     'tensor(5., grad_fn=<SumBackward0>)\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.AdamW([w], lr=0.1)\n'
     '(w * w).sum().backward()\n'
     'opt.step()\n'
     'print(w.requires_grad, w.is_leaf, w.grad_fn)',
     'True True None\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'y = (w * w).sum()\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'y.backward(retain_graph=True)\n'
     'opt.step()\n'
     'y.backward()',
     'error: one of the variables needed for gradient computation '
     'has been modified by an inplace operation: [torch.FloatTenso'
     'r [2]] is at version 1; expected version 0 instead. Hint: en'
     'able anomaly detection to find the operation that failed to '
     'compute its gradient, with torch.autograd.set_detect_anomaly'
     '(True, check_nan=False).\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'y = (w * w).sum()\n'
     'opt = torch.optim.AdamW([w], lr=0.1)\n'
     'y.backward(retain_graph=True)\n'
     'opt.step()\n'
     'y.backward()',
     'error: one of the variables needed for gradient computation '
     'has been modified by an inplace operation: [torch.FloatTenso'
     'r [2]] is at version 2; expected version 0 instead. Hint: en'
     'able anomaly detection to find the operation that failed to '
     'compute its gradient, with torch.autograd.set_detect_anomaly'
     '(True, check_nan=False).\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)\n'
     '(w * w).sum().backward()\n'
     'opt.step()\n'
     'opt.step()\n'
     'print(opt.state[w])\n'
     'print(list(opt.state.keys()) == [w], len(opt.state))\n'
     'for p, s in opt.state.items():\n'
     "    print(s['momentum_buffer'])",
     "{'momentum_buffer': tensor([3.8000, 3.8000])}\n"
     'True 1\n'
     'tensor([3.8000, 3.8000])\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.Adagrad([w], initial_accumulator_value=0.5)\n'
     'print(opt.state)',
     "defaultdict(<class 'dict'>, {tensor([1., 1.], requires_grad="
     "True): {'step': tensor(0.), 'sum': tensor([0.5000, 0.5000])}})\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w])\n'
     'print(type(opt), type(opt).__name__, type(torch.optim.Adam([w])))',
     "<class 'torch.optim.sgd.SGD'> SGD <class 'torch.optim.adam.Adam'>\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=-0.1)',
     'error: Invalid learning rate: -0.1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=0.1, momentum=-1)',
     'error: Invalid momentum value: -1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=0.1, weight_decay=-1e-3)',
     'error: Invalid weight_decay value: -0.001\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=0.1, nesterov=True)',
     'error: Nesterov momentum requires a momentum and zero dampening\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)',
     'error: Nesterov momentum requires a momentum and zero dampening\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adam([w], lr=-1)',
     'error: Invalid learning rate: -1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adam([w], eps=-1.0)',
     'error: Invalid epsilon value: -1.0\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adam([w], betas=(1.0, 0.9))',
     'error: Invalid beta parameter at index 0: 1.0\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.AdamW([w], betas=(0.9, -0.1))',
     'error: Invalid beta parameter at index 1: -0.1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adam([w], weight_decay=-0.1)',
     'error: Invalid weight_decay value: -0.1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.RMSprop([w], alpha=-0.5)',
     'error: Invalid alpha value: -0.5\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adagrad([w], lr_decay=-0.5)',
     'error: Invalid lr_decay value: -0.5\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.Adagrad([w], initial_accumulator_value=-1)',
     'error: Invalid initial_accumulator_value value: -1\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD(w, lr=0.1)',
     'error: params argument given to the optimizer should be an i'
     'terable of Tensors or dicts, but got torch.FloatTensor\n'),
    ('w = torch.ones(2, dtype=torch.float64, requires_grad=True)\n'
     'torch.optim.SGD(w, lr=0.1)',
     'error: params argument given to the optimizer should be an i'
     'terable of Tensors or dicts, but got torch.DoubleTensor\n'),
    ('torch.optim.SGD([], lr=0.1)',
     'error: optimizer got an empty parameter list\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w * 2], lr=0.1)',
     "error: can't optimize a non-leaf Tensor\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w, 1.0], lr=0.1)',
     'error: optimizer can only optimize Tensors, but one of the params is float\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], lr=0.1, foo=1)',
     "error: SGD.__init__() got an unexpected keyword argument 'foo'\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'torch.optim.SGD([w], 0.1, 0.9, 0.0, 0.0, False, True)',
     'error: SGD.__init__() takes from 2 to 7 positional arguments but 8 were given\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     "opt.add_param_group({'params': [w]})",
     'error: some parameters appear in more than one parameter group\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'opt.add_param_group([w])',
     "error: param_group must be a dict, but got <class 'list'>\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     "opt.add_param_group({'params': {w}})",
     'error: optimizer parameters need to be organized in ordered '
     'collections, but the ordering of tensors in sets will change'
     ' between runs. Please use a list instead.\n'),
    ('w = torch.ones(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'opt.foo',
     "error: 'SGD' object has no attribute 'foo'\n"),
    ('w = torch.ones(2, requires_grad=True)\n'
     'try:\n'
     '    torch.optim.SGD([w], lr=-1.0)\n'
     'except ValueError as e:\n'
     "    print('ValueError', e)\n"
     'try:\n'
     '    torch.optim.SGD(w)\n'
     'except TypeError as e:\n'
     "    print('TypeError', e)",
     'ValueError Invalid learning rate: -1.0\n'
     'TypeError params argument given to the optimizer should be a'
     'n iterable of Tensors or dicts, but got torch.FloatTensor\n'),
]


@pytest.mark.parametrize(("program", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_gd_prints_what_pytorch_prints(program: str, expected: str) -> None:
    assert gd(program) == expected


def test_the_expected_text_is_pytorchs() -> None:
    pytest.importorskip("torch")
    assert torch_outputs([p for p, _ in CASES]) == [e for _, e in CASES]


# -- the sandbox around optimizers ------------------------------------------------------------

_SETUP = ("w = torch.ones(2, requires_grad=True)\n(w * w).sum().backward()\n"
          "opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)\nopt.step()\n")

HOSTILE = [
    "opt.__dict__", "opt.__class__.__dict__", "opt.__slots__", "opt.__init__", "opt._rules",
    "opt.kind",
    "opt.torch_type", "opt.get_attr", "opt.gd_repr", "type(opt).__mro__",
    "type(opt).__bases__", "type(opt).__subclasses__()", "opt.step.__self__", "opt.step.fn",
    "opt.step.obj", "opt.step.__func__", "opt.zero_grad.__globals__", "torch.optim.SGD.fn",
    "torch.optim.SGD.__call__", "torch.optim.SGD.__init__", "torch.optim.SGD.__dict__",
    "torch.optim.SGD.doc", "torch.optim.SGD.__module__", "torch.optim.__dict__",
    "torch.optim.optimizer", "opt.state.__class__.__dict__", "opt.state.default_factory",
    "opt.state.__missing__", "opt.param_groups[0].__class__.__dict__", "getattr(opt, '__dict__')",
    "setattr(opt, 'step', print)", "delattr(opt, 'state')", "vars(opt)",
    "'{0.__dict__}'.format(opt)", "'{0.step.__self__}'.format(opt)",
    "opt.param_groups[0]['params'][0].array", "opt.step = print", "opt.param_groups = []",
    "del opt.state", "opt.add_param_group({'params': [print]})",
    "opt.add_param_group({'params': [opt]})", "torch.optim.SGD([w], lr=print)",
    "opt.param_groups[0]['lr'] = print\nopt.step()",
    "opt.param_groups[0]['params'].append(3)\nopt.step()",
    "opt.param_groups[0]['params'].append(opt)\nopt.zero_grad()",
    "del opt.param_groups[0]['lr']\nopt.step()", "torch.optim.SGD(opt)",
    "torch.optim.SGD(print)", "import torch.optim.optimizer\ntorch.optim.optimizer",
    "from torch.optim.optimizer import required\nrequired.__class__.__dict__",
    "from torch.optim.optimizer import required\nrequired()",
    "from torch.optim.optimizer import required\nrequired.__reduce__()",
    "import torch.optim.sgd as m\nm.__dict__",
    "len(opt)", "opt[0]", "opt + 1", "iter(opt)",
]


@pytest.mark.parametrize("attempt", HOSTILE)
def test_optimizers_expose_nothing_of_the_host(attempt: str) -> None:
    """Each attempt fails with a gd error (no Python exception escapes), naming only gd's
    and PyTorch's types: never the implementation's classes or an address."""
    out = gd(_SETUP + attempt + "\nprint('reached')\n")
    assert out.startswith("error: ") and "reached" not in out
    for host in ("gradcli.", "'Optimizer'", "StateDict", "OptimizerClass", "BoundMethod",
                 "Builtin'", " at 0x", "<function"):
        assert host not in out


# -- learning-rate schedulers ------------------------------------------------------------

#: (program, what PyTorch prints)
SCHEDULER_CASES = [
    ('from torch.optim.lr_scheduler import StepLR\n'
     'w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'sched = StepLR(opt, step_size=3, gamma=0.5)\n'
     'for epoch in range(10):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     "    print(epoch, sched.get_last_lr(), opt.param_groups[0]['l"
     "r'], sched.last_epoch)\n"
     'print(opt)',
     '0 [0.1] 0.1 1\n'
     '1 [0.1] 0.1 2\n'
     '2 [0.05] 0.05 3\n'
     '3 [0.05] 0.05 4\n'
     '4 [0.05] 0.05 5\n'
     '5 [0.025] 0.025 6\n'
     '6 [0.025] 0.025 7\n'
     '7 [0.025] 0.025 8\n'
     '8 [0.0125] 0.0125 9\n'
     '9 [0.0125] 0.0125 10\n'
     'SGD (\n'
     'Parameter Group 0\n'
     '    dampening: 0\n'
     '    differentiable: False\n'
     '    foreach: None\n'
     '    fused: None\n'
     '    initial_lr: 0.1\n'
     '    lr: 0.0125\n'
     '    maximize: False\n'
     '    momentum: 0\n'
     '    nesterov: False\n'
     '    weight_decay: 0\n'
     ')\n'),
    ('import torch.optim as optim\n'
     'w = torch.zeros(2, requires_grad=True)\n'
     'opt = optim.Adam([w], lr=0.01)\n'
     'sched = optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 5, 5, 8], gamma=0.3)\n'
     'lrs = []\n'
     'for epoch in range(12):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     '    lrs.append(sched.get_last_lr()[0])\n'
     'print(lrs)',
     '[0.01, 0.003, 0.003, 0.003, 0.00027, 0.00027, 0.00027, 8.1e-'
     '05, 8.1e-05, 8.1e-05, 8.1e-05, 8.1e-05]\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)\n'
     'sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)\n'
     'for epoch in range(20):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     "print(sched.get_last_lr(), opt.param_groups[0]['lr'], opt.pa"
     "ram_groups[0]['initial_lr'], sched.base_lrs)",
     '[0.01215766545905694] 0.01215766545905694 0.1 [0.1]\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lam'
     'bda epoch: 0.95 ** epoch)\n'
     'for epoch in range(7):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     '    print(sched.get_last_lr())',
     '[0.095]\n'
     '[0.09025]\n'
     '[0.0857375]\n'
     '[0.081450625]\n'
     '[0.07737809374999999]\n'
     '[0.07350918906249998]\n'
     '[0.06983372960937498]\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'def warmup(epoch):\n'
     '    if epoch < 3:\n'
     '        return (epoch + 1) / 3\n'
     '    return 1.0\n'
     'sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup)\n'
     'for epoch in range(6):\n'
     "    print(epoch, opt.param_groups[0]['lr'])\n"
     '    opt.step()\n'
     '    sched.step()',
     '0 0.03333333333333333\n'
     '1 0.06666666666666667\n'
     '2 0.1\n'
     '3 0.1\n'
     '4 0.1\n'
     '5 0.1\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_ma'
     'x=10, eta_min=0.001)\n'
     'lrs = []\n'
     'for epoch in range(25):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     '    lrs.append(sched.get_last_lr()[0])\n'
     'print(lrs)',
     '[0.09757729755661011, 0.0905463412215599, 0.0795953699884774'
     '2, 0.0657963412215599, 0.0505, 0.03520365877844011, 0.021404'
     '63001152259, 0.010453658778440109, 0.0034227024433899004, 0.'
     '001, 0.0034227024433899004, 0.01045365877844014, 0.021404630'
     '01152267, 0.035203658778440255, 0.05050000000000022, 0.06579'
     '634122156018, 0.07959536998847777, 0.09054634122156031, 0.09'
     '757729755661054, 0.10000000000000045, 0.09757729755661054, 0'
     '.09054634122156033, 0.07959536998847778, 0.0657963412215602,'
     ' 0.050500000000000225]\n'),
    ('w = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.1)\n'
     'sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=7)\n'
     'for epoch in range(9):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     'print(sched.get_last_lr())\n'
     'sched.step(3)\n'
     'print(sched.get_last_lr())\n'
     's2 = torch.optim.lr_scheduler.StepLR(opt, 2)\n'
     'print(s2.get_last_lr(), s2.step_size, s2.gamma)\n'
     's2.step(5)\n'
     'print(s2.get_last_lr())',
     '[0.018825509907063314]\n'
     '[0.06112604669781572]\n'
     '[0.06112604669781572] 2 0.1\n'
     '[0.0010000000000000002]\n'),
    ('a = torch.zeros(2, requires_grad=True)\n'
     'b = torch.zeros(2, requires_grad=True)\n'
     "opt = torch.optim.SGD([{'params': [a]}, {'params': [b], 'lr': 0.5}], lr=0.1)\n"
     'sched = torch.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.'
     '5 ** e, lambda e: 1 / (e + 1)])\n'
     'for _ in range(4):\n'
     '    opt.step()\n'
     '    sched.step()\n'
     'print(sched.get_last_lr())',
     '[0.00625, 0.1]\n'),
    ('w = torch.tensor([1.0, -1.0], requires_grad=True)\n'
     'opt = torch.optim.SGD([w], lr=0.5)\n'
     'sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)\n'
     'for _ in range(3):\n'
     '    opt.zero_grad()\n'
     '    (w ** 2).sum().backward()\n'
     '    opt.step()\n'
     '    sched.step()\n'
     '    print(w.tolist())',
     '[0.0, 0.0]\n'
     '[0.0, 0.0]\n'
     '[0.0, 0.0]\n'),
    ('a = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     's = torch.optim.lr_scheduler.StepLR(opt, 2)\n'
     'print(type(s), type(s).__name__, torch.optim.lr_scheduler.StepLR)',
     "<class 'torch.optim.lr_scheduler.StepLR'> StepLR <class 'tor"
     "ch.optim.lr_scheduler.StepLR'>\n"),
    ('a = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     'torch.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.5 ** e, '
     'lambda e: 1 / (e + 1)])',
     'error: Expected 1 lr_lambdas, but got 2\n'),
    ('torch.optim.lr_scheduler.StepLR(3, 2)',
     'error: int is not an Optimizer\n'),
    ('a = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     'torch.optim.lr_scheduler.StepLR(opt)',
     "error: StepLR.__init__() missing 1 required positional argument: 'step_size'\n"),
    ('a = torch.zeros(2, requires_grad=True)\n'
     'opt = torch.optim.SGD([a], lr=0.1)\n'
     's = torch.optim.lr_scheduler.StepLR(opt, 2)\n'
     's.foo',
     "error: 'StepLR' object has no attribute 'foo'\n"),
]


@pytest.mark.parametrize(("program", "expected"), SCHEDULER_CASES,
                         ids=[str(i) for i in range(len(SCHEDULER_CASES))])
def test_schedulers_print_what_pytorch_prints(program: str, expected: str) -> None:
    assert gd(program) == expected


def test_the_scheduler_text_is_pytorchs() -> None:
    pytest.importorskip("torch")
    assert torch_outputs([p for p, _ in SCHEDULER_CASES]) == [e for _, e in SCHEDULER_CASES]


def test_isinstance_knows_the_optimizer_and_scheduler_classes() -> None:
    program = ("w = torch.ones(1, requires_grad=True)\nopt = torch.optim.SGD([w])\n"
               "s = torch.optim.lr_scheduler.StepLR(opt, 3)\n"
               "print(isinstance(opt, torch.optim.SGD), isinstance(opt, torch.optim.Adam),\n"
               "      isinstance(w, torch.optim.SGD), isinstance(opt, (int, torch.optim.SGD)),\n"
               "      isinstance(s, torch.optim.lr_scheduler.StepLR))\n")
    assert gd(program) == "True False False True True\n"  # PyTorch's


def test_state_dict_and_load_state_dict_are_pytorchs() -> None:
    program = """torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
b = torch.randn(1, requires_grad=True)
opt = torch.optim.Adam([w, b], lr=0.1)
for _ in range(2):
    opt.zero_grad()
    ((w ** 2).sum() + b ** 2).sum().backward()
    opt.step()
sd = opt.state_dict()
print(sd)
print(sd["state"][0]["step"], list(sd.keys()))
opt2 = torch.optim.Adam([w, b], lr=0.5)
opt2.load_state_dict(sd)
print(opt2.param_groups[0]["lr"], opt2.state[w]["exp_avg"])
sgd = torch.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.01}], lr=0.1, momentum=0.9)
sgd.zero_grad(); (w.sum() + b.sum()).backward(); sgd.step()
print(sgd.state_dict())
try:
    torch.optim.SGD([w], lr=0.1).load_state_dict(sgd.state_dict())
except ValueError as e:
    print(e)
"""
    assert gd(program) == (
        "{'state': {0: {'step': tensor(2.), 'exp_avg': tensor([ 0.5656, -0.0915]), "
        "'exp_avg_sq': tensor([0.0178, 0.0005])}, 1: {'step': tensor(2.), 'exp_avg': "
        "tensor([-0.8079]), 'exp_avg_sq': tensor([0.0363])}}, 'param_groups': [{'lr': 0.1, "
        "'betas': (0.9, 0.999), 'eps': 1e-08, 'weight_decay': 0, 'amsgrad': False, "
        "'maximize': False, 'foreach': None, 'capturable': False, 'differentiable': False, "
        "'fused': None, 'decoupled_weight_decay': False, 'params': [0, 1]}]}\n"
        "tensor(2.) ['state', 'param_groups']\n"
        '0.1 tensor([ 0.5656, -0.0915])\n'
        "{'state': {0: {'momentum_buffer': tensor([1., 1.])}, 1: {'momentum_buffer': "
        "tensor([1.])}}, 'param_groups': [{'lr': 0.1, 'momentum': 0.9, 'dampening': 0, "
        "'weight_decay': 0, 'nesterov': False, 'maximize': False, 'foreach': None, "
        "'differentiable': False, 'fused': None, 'params': [0]}, {'lr': 0.01, 'momentum': "
        "0.9, 'dampening': 0, 'weight_decay': 0, 'nesterov': False, 'maximize': False, "
        "'foreach': None, 'differentiable': False, 'fused': None, 'params': [1]}]}\n"
        'loaded state dict has a different number of parameter groups\n')
