"""Round 22, the lead's: the default device (`with torch.device('meta'):`,
`torch.set_default_device('meta')`), which gd refused until now, and an expression's free
names as inputs (`gradcli eval -e 'sin(x) * x**2' --wrt x=1.0`)."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner, Result
from pyrun import gd_output, torch_output

from gradcli.cli import main

DEVICE_CONTEXT = """
import torch
import torch.nn as nn
torch.manual_seed(5)
with torch.device('meta') as d:
    print(d, torch.get_default_device(), torch.zeros(1).device, torch.tensor([1.]).device,
          torch.as_tensor([2.]).device, torch.zeros_like(torch.ones(1, device='cpu')).device)
    print(torch.arange(3), torch.linspace(0, 1, 3).device, torch.full((2,), 3.).device,
          torch.eye(2).device, torch.empty(2, 3).shape)
    with torch.device('cpu'):
        print(torch.zeros(1).device, torch.get_default_device())
    print(torch.zeros(1).device)
    m = nn.Linear(2, 2)
    print(m.weight.device, m.weight)
    print(torch.randint(0, 5, (2,)).device, torch.randperm(3).device, torch.rand(2).device)
    print(torch.ones(2) + 1)
print(torch.rand(1))
torch.manual_seed(0)
with torch.device('meta'):
    torch.randn(5)
    nn.Linear(3, 3)
    torch.randint(0, 9, (4,))
print(torch.rand(1))
torch.manual_seed(0)
print(torch.rand(1))
torch.set_default_device('meta')
print(torch.get_default_device(), torch.ones(2).device)
torch.set_default_device(None)
print(torch.get_default_device(), torch.ones(2).device)
torch.set_default_device('meta')
torch.set_default_device('cpu')
print(torch.get_default_device())
"""

META_INIT = """
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.scale = nn.Parameter(torch.ones(8))
        self.register_buffer("running", torch.zeros(8))
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)) * self.scale)

torch.manual_seed(1)
with torch.device("meta"):
    net = Net()
print(net)
print({k: (v.device, tuple(v.shape)) for k, v in net.state_dict().items()})
out = net(torch.randn(3, 4, device="meta"))
print(out.shape, out.device)
net = net.to_empty(device="cpu")
torch.manual_seed(2)
for mod in net.modules():
    if isinstance(mod, nn.Linear):
        mod.reset_parameters()
with torch.no_grad():
    net.scale.fill_(1.0)
    net.running.zero_()
print(net(torch.ones(2, 4)))
try:
    with torch.device("cuda"):
        torch.zeros(1)
except Exception as e:
    print(type(e).__name__, e)
print(torch.get_default_device())
try:
    with torch.device("meta"):
        raise ValueError("inside")
except ValueError as e:
    print("caught", e, torch.get_default_device(), torch.zeros(1).device)
"""


def test_the_meta_device_context_as_pytorchs() -> None:
    """`with torch.device('meta'):` and set_default_device: PyTorch's factory functions
    make meta tensors without device=, *_like ones keep their input's device, nothing is
    drawn from the generator, nested blocks restore the outer default."""
    assert gd_output(DEVICE_CONTEXT) == torch_output(DEVICE_CONTEXT)


def test_a_model_built_on_the_meta_device_then_materialised() -> None:
    """The meta-init pattern: build a model under the meta device (built-in layers, a
    model's own Parameter and buffer), run shapes through it, to_empty(device='cpu') and
    initialise; an exception leaving the block restores the default."""
    assert gd_output(META_INIT) == torch_output(META_INIT)


def test_the_default_device_is_the_cpu_at_each_runs_start() -> None:
    """A program that leaves the meta default set does not change the next run's."""
    assert gd_output("import torch\ntorch.set_default_device('meta')\n"
                     "print(torch.ones(1).device)\n") == "meta\n"
    assert gd_output("import torch\nprint(torch.ones(1).device, "
                     "torch.get_default_device())\n") == "cpu cpu\n"


# -- an expression's free names as inputs: `gradcli eval -e 'sin(x) * x**2' --wrt x=1.0` --------

def _cli(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_an_expression_with_a_free_input_is_differentiated_where_wrt_binds_it() -> None:
    """The first thing someone checking a derivative from the shell types: the input the
    expression reads, given its value by --wrt (or --set); gd said the program never
    assigns it. d/dx x²·sin x at 1 = 2 sin 1 + cos 1."""
    r = _cli("eval", "-e", "sin(x) * x**2", "--wrt", "x=1.0", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["result"]["value"] == pytest.approx(math.sin(1.0), rel=1e-6)
    assert out["grads"]["x"]["value"] == pytest.approx(2 * math.sin(1) + math.cos(1), rel=1e-6)
    r = _cli("grad", "-e", "x**3", "--wrt", "x=2", "--order", "3", "--format", "json")
    assert (r.exit_code, json.loads(r.stdout)["derivatives"]["x"]["value"]) == (0, 6.0)
    # A list of ints becomes a float tensor, as for an assigned input.
    r = _cli("eval", "-e", "x @ x", "--wrt", "x=[1,2,3]", "--format", "json")
    assert json.loads(r.stdout)["grads"]["x"] == {"shape": [3], "dtype": "float32",
                                                  "value": [2.0, 4.0, 6.0]}
    r = _cli("run", "-e", "def f(a):", "-e", "    return a * k", "-e", "print(f(2))",
             "--set", "k=5")
    assert (r.exit_code, r.stdout) == (0, "10\n")


def test_free_inputs_under_every_command() -> None:
    """check (its reruns bind the perturbed value), jacobian, plot (the sweep gives the
    value) and --batch lines."""
    r = _cli("check", "-e", "(x**2).sum() * w", "--wrt", "x=[1,2]", "--wrt", "w=3.0",
             "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["ok"] is True, r.output
    r = _cli("jacobian", "-e", "x**2", "--wrt", "x=[1.,2.]", "--format", "json")
    assert json.loads(r.stdout)["jacobian"]["x"]["value"] == [[2.0, 0.0], [0.0, 4.0]]
    r = _cli("plot", "-e", "x * x", "--wrt", "x", "--from", "0", "--to", "2", "--points", "3",
             "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["series"] == {"y": [0.0, 1.0, 4.0], "dy/dx": [0.0, 2.0, 4.0]}
    r = _cli("eval", "-e", "x * x", "--wrt", "x", "--batch", "-",
             input='{"x": 1.5}\n{"x": 3.0}\n')
    grads = [json.loads(line)["grads"]["x"]["value"] for line in r.stdout.splitlines()]
    assert grads == [3.0, 6.0]


def test_a_free_input_without_a_value_and_a_name_never_read_stay_errors() -> None:
    """--wrt x with nothing giving x a value says how to give it one; a name the program
    never mentions is still a mistake (a typo must not pass silently, SPEC 2.1)."""
    r = _cli("eval", "-e", "sin(x)", "--wrt", "x")
    assert r.exit_code == 2
    assert r.stderr == ("<expr>: error: --wrt x: the program reads 'x' but gives it no value\n"
                        "hint: assign it in the program, or bind it with --wrt x=VALUE\n")
    r = _cli("eval", "-e", "sin(x)", "--wrt", "x=1.0", "--set", "xx=2")
    assert r.exit_code == 2
    assert "--set xx: the program never assigns 'xx' (outside functions)" in r.stderr


# -- numpy's BLAS as the engine of MKL's float32 chains ------------------------------------------

def test_blas_chains_are_the_emulated_chains_bit_for_bit() -> None:
    """kernels/blas_chain hands a chain to numpy's BLAS only where it computes the same
    bits as the exact emulation: random shapes past its small kernels, every layout and
    strided slices, factors of wide exponents, zeros (None where it may not: the emulation
    runs)."""
    import numpy as np

    from gradcli.ad.kernels import blas_chain, mkl_avx512

    rng = np.random.default_rng(22)
    for trial in range(16):
        k = int(rng.integers(2, blas_chain.MAX_K + 1))
        m = int(rng.integers(1, 300))
        n = blas_chain.SMALL_KERNELS // (m * k) + 1 + int(rng.integers(0, 50))
        wide = np.exp2(rng.integers(-24, 24, (m, k + 5)))
        a = (rng.standard_normal((m, k + 5)) * wide).astype(np.float32)[:, 5:]
        b = np.maximum(rng.standard_normal((n, k)), 0).astype(np.float32).T  # zeros, Fortran
        got = blas_chain.product(a, b, mkl_avx512._emulated_chain)
        want = mkl_avx512._emulated_chain(np.ascontiguousarray(a), np.ascontiguousarray(b))
        assert got is None or np.array_equal(got.view(np.int32), want.view(np.int32)), trial
    small = np.ones((10, 10), np.float32)
    assert blas_chain.product(small, small, mkl_avx512._emulated_chain) is None


TWO_LAYER_NET = """
import torch
torch.manual_seed(0)
N, D_in, H, D_out = 64, 1000, 100, 10
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
w1 = torch.randn(D_in, H, requires_grad=True)
w2 = torch.randn(H, D_out, requires_grad=True)
for t in range(200):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        w1 -= 1e-6 * w1.grad
        w2 -= 1e-6 * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
"""


def test_the_tutorials_two_layer_net_prints_pytorchs_losses() -> None:
    """PyTorch's "learning with examples" two-layer net, its products MKL's chains: the
    full-precision losses PyTorch prints (500 steps took 32 s of CPU with every chain
    emulated, past the default time limit; numpy's BLAS runs them where it can)."""
    assert gd_output(TWO_LAYER_NET) == torch_output(TWO_LAYER_NET)


EMPTY_INPLACE = """
import torch
for a in (torch.zeros(3, 0, 2, dtype=torch.float64), torch.zeros(1, 0, 2).expand(3, 0, 2),
          torch.zeros(0)):
    r = a.clamp_(min=1)
    print(tuple(r.shape), r.dtype, a.add_(1).shape, a.zero_().shape)
try:
    torch.zeros(1, 2).expand(3, 2).clamp_(min=1)
except RuntimeError as e:
    print(str(e).splitlines()[0])
"""


def test_in_place_ops_on_empty_tensors_are_allowed() -> None:
    """numpy gives an empty array zero strides, which gd took for an expanded tensor and
    refused in-place writes into (found by the op fuzzer in CI: torch.zeros(3, 0, 2)
    .clamp_(min=1)); an empty tensor has no element two indices share."""
    assert gd_output(EMPTY_INPLACE) == torch_output(EMPTY_INPLACE)
