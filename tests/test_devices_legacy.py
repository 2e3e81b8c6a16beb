"""Devices on a CPU-only build, legacy spellings and creation forms, as PyTorch 2.13 (CPU)
prints them: each program's expected output is PyTorch's (a literal here), and the program
is run under torch too when it is installed. Also: device values expose nothing of the host.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.source import Source


def run_gd(program: str) -> tuple[int, str, str]:
    """(exit code, printed output, error message) of a gd program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), buf.getvalue(), e.message
    return 0, buf.getvalue(), ""


DEVICES_AND_LEGACY = """import torch
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, repr(device), device.type, device.index)
print(torch.device("cpu", 0), repr(torch.device("cuda:1")), torch.device("cpu") == torch.device("cpu"))
print(torch.device(torch.device("cpu")))
x = torch.randn(3, device=device)
w = torch.ones(3, requires_grad=True, device=device)
print(x.device, w.device == device, x.is_cuda, x.is_cpu, x.get_device())
y = x.to(device)
print(y is x, x.to("cpu") is x, x.to(device, torch.float64).dtype, x.to(dtype=torch.float64, device="cpu").dtype)
print(x.to(torch.zeros(1, dtype=torch.float64)).dtype, x.cpu() is x)
print(w.to(torch.float64))
print(torch.zeros(2, 2, device="cpu"), torch.ones(2, device=device), torch.full((2,), 3.0, device=device))
print(torch.arange(3, device=device), torch.eye(2, device="cpu"), torch.tensor([1, 2], device=device))
print(torch.zeros_like(x, device=device), torch.linspace(0, 1, 3, device="cpu"))
print(torch.cuda.is_available(), torch.cuda.device_count(), torch.backends.mps.is_available(), torch.backends.mps.is_built())
print(torch.accelerator.is_available(), torch.accelerator.current_accelerator(), torch.accelerator.device_count())
torch.set_default_device("cpu")
print(torch.get_default_device())
print(torch.cuda.manual_seed(1), torch.cuda.manual_seed_all(1))
bads = [lambda: x.cuda(), lambda: x.to('cuda'), lambda: torch.zeros(2, device='cuda'), lambda: torch.ones(2, device=torch.device('cuda', 0)), lambda: x.to('mps'), lambda: torch.device('foo'), lambda: torch.device('cuda:x'), lambda: torch.cuda.current_device(), lambda: x.to(0), lambda: torch.randn(2, device="cuda"), lambda: torch.randint(3, (2,), device="cuda"), lambda: torch.randperm(3, device="cuda"), lambda: torch.rand_like(x, device="cuda"), lambda: torch.FloatTensor(2, device="cuda")]
for bad in bads:
    try:
        bad()
    except AssertionError as e:
        print("AssertionError", e)
    except RuntimeError as e:
        print("RuntimeError", e)
a = torch.autograd.Variable(torch.ones(2), requires_grad=True)
b = torch.autograd.Variable(torch.ones(2))
print(a, b, a.is_leaf, b.requires_grad)
(a * 2).sum().backward()
print(a.grad)
print(torch.FloatTensor([1, 2]), torch.DoubleTensor([1, 2]), torch.LongTensor([1.7, -2.5]), torch.BoolTensor([1, 0]))
print(torch.FloatTensor(2, 3).shape, torch.LongTensor(2).dtype, torch.FloatTensor((1, 2)), torch.FloatTensor([[1, 2], [3, 4]]))
print(torch.FloatTensor, torch.LongTensor)
z = torch.tensor([1.5, -2.0])
print(z.type(), z.type(torch.DoubleTensor), z.type(torch.float64), z.type("torch.LongTensor"), z.type(torch.LongTensor))
print(z.type(torch.FloatTensor) is z, torch.tensor([1]).type(), torch.tensor([True]).type(), z.double().type())
print(z.data, z.data.dtype)
p = torch.ones(3, requires_grad=True)
loss = (p * 3).sum()
loss.backward()
p.data -= 0.1 * p.grad.data
print(p)
p.grad.data.zero_()
print(p.grad)
p.data = torch.zeros(3)
print(p, p.requires_grad)
q = p * 2
print(q.data, q.data.requires_grad)
p.data.add_(1.0)
print(p)
"""  # noqa: E501 - programs and output as written

DEVICES_AND_LEGACY_OUT = """cpu device(type='cpu') cpu None
cpu:0 device(type='cuda', index=1) True
cpu
cpu True False True -1
True True torch.float64 torch.float64
torch.float64 True
tensor([1., 1., 1.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)
tensor([[0., 0.],
        [0., 0.]]) tensor([1., 1.]) tensor([3., 3.])
tensor([0, 1, 2]) tensor([[1., 0.],
        [0., 1.]]) tensor([1, 2])
tensor([0., 0., 0.]) tensor([0.0000, 0.5000, 1.0000])
False 0 False False
False None 0
cpu
None None
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
RuntimeError PyTorch is not linked with support for mps devices
RuntimeError Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: foo
RuntimeError Invalid device string: 'cuda:x'
AssertionError Torch not compiled with CUDA enabled
RuntimeError Cannot access accelerator device when none is available.
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
AssertionError Torch not compiled with CUDA enabled
RuntimeError legacy constructor expects device type: cpu but device type: cuda was passed
tensor([1., 1.], requires_grad=True) tensor([1., 1.]) True False
tensor([2., 2.])
tensor([1., 2.]) tensor([1., 2.], dtype=torch.float64) tensor([ 1, -2]) tensor([ True, False])
torch.Size([2, 3]) torch.int64 tensor([1., 2.]) tensor([[1., 2.],
        [3., 4.]])
<class 'torch.FloatTensor'> <class 'torch.LongTensor'>
torch.FloatTensor tensor([ 1.5000, -2.0000], dtype=torch.float64) tensor([ 1.5000, -2.0000], dtype=torch.float64) tensor([ 1, -2]) tensor([ 1, -2])
True torch.LongTensor torch.BoolTensor torch.DoubleTensor
tensor([ 1.5000, -2.0000]) torch.float32
tensor([0.7000, 0.7000, 0.7000], requires_grad=True)
tensor([0., 0., 0.])
tensor([0., 0., 0.], requires_grad=True) True
tensor([0., 0., 0.]) False
tensor([1., 1., 1.], requires_grad=True)
"""  # noqa: E501 - programs and output as written

CREATION = """import torch
x = torch.tensor([1.5, 2.0])
print(torch.tensor([1, 2.5]), torch.tensor([True, 1]), torch.tensor([[1, 2], [3.0, 4]]), torch.tensor([True, 2.5]))
print(torch.tensor([torch.tensor(1), 2.5]), torch.tensor([torch.tensor(1.), 2]), torch.tensor([torch.tensor(1., dtype=torch.float64), 2]))
print(torch.tensor([]), torch.tensor([[]]), torch.tensor(3), torch.tensor(True), torch.tensor([1, 2], dtype=torch.float64), torch.tensor([[True], [False]]))
print(torch.tensor([1, 2], dtype=torch.float32, requires_grad=True), torch.tensor(2.5, dtype=torch.int64))
print(torch.arange(5, dtype=torch.float32), torch.arange(0, 1, 0.25), torch.arange(0.5, 3), torch.arange(torch.tensor(3)))
print(torch.arange(3, dtype=torch.float64), torch.arange(5, 0, -1.5), torch.arange(10, 2, -3), torch.arange(1, 4, dtype=torch.float64, requires_grad=True))
print(x.new_zeros(2, 3), x.new_zeros((2,)), x.new_ones(2, dtype=torch.int64), x.new_full((2,), 7), x.new_tensor([1, 2]))
print(x.new_tensor([1, 2], requires_grad=True), x.new_empty(2).shape, x.new_empty((2, 3), dtype=torch.int64).dtype, x.new_ones(2, requires_grad=True))
print(torch.empty_like(x).shape, torch.empty_like(x, dtype=torch.float64).dtype, torch.full_like(x, 7), torch.zeros_like(x, dtype=torch.int64))
print(torch.ones_like(x, requires_grad=True), torch.full_like(torch.tensor([1, 2]), 2.7), torch.full_like(x, 2, dtype=torch.int64))
print(torch.empty(3).uniform_().shape, torch.empty(2, 3).shape, torch.empty((2,), dtype=torch.int64).dtype, torch.empty(0).shape)
torch.manual_seed(3)
print(torch.empty(3).uniform_(), torch.empty(2, 2).normal_(), torch.rand_like(x, requires_grad=True), torch.randn_like(x, dtype=torch.float64))
print(torch.randint_like(x, 5, dtype=torch.int64), torch.randint_like(torch.tensor([1, 2, 3]), 2, 9))
print(torch.zeros(2, dtype=torch.int64).random_(3), torch.zeros(3, dtype=torch.bool).bernoulli_(0.5))
i = torch.randperm(6)
print(i, torch.randperm(4, dtype=torch.float64))
print(torch.randint(0, 5, size=(2,)), torch.randint(high=5, size=(3,)), torch.randint(5, (2,), requires_grad=False))
g = torch.Generator()
print(g.initial_seed(), g.manual_seed(5).initial_seed(), g.device)
print(torch.randn(3, generator=g), torch.normal(0.0, 1.0, (2,), generator=g), torch.multinomial(torch.ones(4), 2, generator=g))
try:
    torch.arange(0, 5, dtype=torch.bool)
except NotImplementedError as e:
    print("NotImplementedError", e)
try:
    torch.FloatTensor(torch.tensor([1, 2]))
except TypeError as e:
    print("TypeError", e)
"""  # noqa: E501 - programs and output as written

CREATION_OUT = """tensor([1.0000, 2.5000]) tensor([1, 1]) tensor([[1., 2.],
        [3., 4.]]) tensor([1.0000, 2.5000])
tensor([1.0000, 2.5000]) tensor([1., 2.]) tensor([1., 2.], dtype=torch.float64)
tensor([]) tensor([], size=(1, 0)) tensor(3) tensor(True) tensor([1., 2.], dtype=torch.float64) tensor([[ True],
        [False]])
tensor([1., 2.], requires_grad=True) tensor(2)
tensor([0., 1., 2., 3., 4.]) tensor([0.0000, 0.2500, 0.5000, 0.7500]) tensor([0.5000, 1.5000, 2.5000]) tensor([0, 1, 2])
tensor([0., 1., 2.], dtype=torch.float64) tensor([5.0000, 3.5000, 2.0000, 0.5000]) tensor([10,  7,  4]) tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)
tensor([[0., 0., 0.],
        [0., 0., 0.]]) tensor([0., 0.]) tensor([1, 1]) tensor([7., 7.]) tensor([1., 2.])
tensor([1., 2.], requires_grad=True) torch.Size([2]) torch.int64 tensor([1., 1.], requires_grad=True)
torch.Size([2]) torch.float64 tensor([7., 7.]) tensor([0, 0])
tensor([1., 1.], requires_grad=True) tensor([2, 2]) tensor([2, 2])
torch.Size([3]) torch.Size([2, 3]) torch.int64 torch.Size([0])
tensor([0.0043, 0.1056, 0.2858]) tensor([[ 0.2453,  1.1186],
        [ 0.4427, -0.1451]]) tensor([0.7995, 0.1498], requires_grad=True) tensor([0.3570, 1.4567], dtype=torch.float64)
tensor([4, 0]) tensor([7, 8, 8])
tensor([0, 1]) tensor([ True,  True, False])
tensor([0, 2, 1, 4, 5, 3]) tensor([2., 3., 0., 1.], dtype=torch.float64)
tensor([2, 1]) tensor([3, 4, 1]) tensor([0, 4])
67280421310721 5 cpu
tensor([-0.4868, -0.6038, -0.5581]) tensor([ 0.6675, -0.1974]) tensor([3, 0])
NotImplementedError "arange_cpu" not implemented for 'Bool'
TypeError expected TensorOptions(dtype=float, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)) (got TensorOptions(dtype=long int, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)))
"""  # noqa: E501 - programs and output as written


@pytest.mark.parametrize(("program", "expected"), [
    (DEVICES_AND_LEGACY, DEVICES_AND_LEGACY_OUT), (CREATION, CREATION_OUT)],
    ids=["devices_and_legacy", "creation"])
def test_program_prints_what_pytorch_prints(program: str, expected: str) -> None:
    code, out, err = run_gd(program)
    assert code == 0, err
    assert out == expected


@contextlib.contextmanager
def _torch_state_restored(torch: Any) -> Iterator[None]:
    """Run real PyTorch code in this process without leaking its global settings (a default
    device installs a function mode that changes later tests' torch calls)."""
    deterministic = torch.are_deterministic_algorithms_enabled()
    cudnn = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    try:
        yield
    finally:
        torch.set_default_device(None)
        torch.use_deterministic_algorithms(deterministic)
        torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = cudnn


@pytest.mark.parametrize("program", [DEVICES_AND_LEGACY, CREATION],
                         ids=["devices_and_legacy", "creation"])
def test_expected_text_is_pytorch_s(program: str) -> None:
    torch = pytest.importorskip("torch")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), _torch_state_restored(torch):
        exec(program, {"torch": torch})
    assert buf.getvalue() == run_gd(program)[1]


def test_set_default_device_cuda_fails_as_the_first_cuda_tensor_would() -> None:
    code, _, err = run_gd('import torch\ntorch.set_default_device("cuda")\n')
    assert (code, err) == (4, "Torch not compiled with CUDA enabled")


def test_uninitialised_creation_has_the_shape_and_dtype() -> None:
    code, out, _ = run_gd("import torch\nx = torch.ones(2, dtype=torch.float64)\n"
                          "print(torch.empty_like(x).shape, torch.empty_like(x).dtype)\n"
                          "print(x.new_empty(3, 1).shape, x.new_empty(3).dtype)\n")
    assert (code, out) == (0, "torch.Size([2]) torch.float64\ntorch.Size([3, 1]) torch.float64\n")


@pytest.mark.parametrize("expr", [
    "torch.device('cpu').__class__.__dict__", "torch.device('cpu').device_type",
    "torch.device('cpu').__dict__", "torch.Generator()._bits", "torch.Generator().state",
    "torch.Generator().manual_seed.fn", "torch.cuda.__dict__", "torch.FloatTensor.fn",
    "torch.FloatTensor.dtype", "torch.cuda.is_available.fn", "torch.ones(1).device.__repr__",
])
def test_device_values_expose_nothing_of_the_host(expr: str) -> None:
    code, out, err = run_gd(f"import torch\nprint({expr})\n")
    assert code == 4 and out == ""
    assert "has no attribute" in err or "private" in err, err


def test_device_printing_and_equality() -> None:
    code, out, _ = run_gd("import torch\nd = torch.device('cuda', 1)\nprint(d, [d], str(d))\n"
                          "print(torch.device('cpu') == torch.device('cpu:0'))\n"
                          "print(torch.ones(1).device == torch.device('cpu'))\n")
    assert (code, out) == (0, "cuda:1 [device(type='cuda', index=1)] cuda:1\nFalse\nTrue\n")


def test_variable_volatile_warns_as_pytorch() -> None:
    warnings: list[str] = []
    buf = io.StringIO()
    run(Source("prog.gd", "import torch\nv = torch.autograd.Variable(torch.ones(2), "
                          "volatile=True)\nprint(v)\n"),
        AppOptions(write=buf.write, warn=warnings.append))
    assert buf.getvalue() == "tensor([1., 1.])\n"
    assert warnings == ["prog.gd:2: UserWarning: volatile was removed and now has no effect. "
                        "Use `with torch.no_grad():` instead.\n  v = torch.autograd.Variable("
                        "torch.ones(2), volatile=True)\n"]


SEEDING_BOILERPLATE = """import torch
torch.manual_seed(0)
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
torch.use_deterministic_algorithms(True)
print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
print(torch.backends.cudnn.enabled, torch.backends.cudnn.is_available())
print(torch.backends.cudnn.version(), torch.backends.cuda.is_built())
try:
    torch.backends.cudnn.benchmark = 1
except RuntimeError as e:
    print(e)
torch.backends.cudnn.deterministic = False
"""


def test_seeding_boilerplate_runs_as_in_pytorch() -> None:
    expected = ("True False\nTrue False\nNone False\n"
                "set_benchmark_cudnn expects a bool, but got int\n")
    assert run_gd(SEEDING_BOILERPLATE) == (0, expected, "")
    torch = pytest.importorskip("torch")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), _torch_state_restored(torch):
        exec(SEEDING_BOILERPLATE, {"torch": torch})
    assert buf.getvalue() == expected


@pytest.mark.parametrize(("program", "message"), [
    ("import torch\ntorch.backends.cudnn.foo = True\n",
     "cannot set attribute 'foo' of a 'module' value"),
    ("import torch\ntorch.cuda.is_available = True\n",
     "cannot set attribute 'is_available' of a 'module' value"),
])
def test_only_the_cudnn_flags_can_be_set(program: str, message: str) -> None:
    assert run_gd(program) == (4, "", message)


def test_int_tensor_is_int32_now_that_gd_has_it() -> None:
    # Every dtype gd has has its legacy name (x.int().type() once failed for int32).
    program = ("x = torch.IntTensor([1, 2])\n"
               "print(x, x.dtype, x.type(), torch.tensor([1.5]).int().type())\n"
               "print(torch.IntTensor(2).shape, torch.tensor([1.0]).type(torch.IntTensor))\n")
    assert run_gd("import torch\n" + program) == (0, (
        "tensor([1, 2], dtype=torch.int32) torch.int32 torch.IntTensor torch.IntTensor\n"
        "torch.Size([2]) tensor([1], dtype=torch.int32)\n"), "")
