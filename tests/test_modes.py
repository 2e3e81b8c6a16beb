"""Modes and settings against PyTorch: inference_mode, detect_anomaly, set_printoptions,
finfo/iinfo, is_floating_point/is_complex; and the sandbox of the objects they return."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def run_gd(program: str) -> tuple[str, str | None]:
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return buf.getvalue(), e.message
    return buf.getvalue(), None


def torch_stdout(program: str) -> str:
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True)
    return done.stdout


INFO = """import torch
print(torch.finfo(torch.float32))
print(torch.finfo(torch.float64))
print(torch.finfo())
f = torch.finfo(torch.float32)
print(f.eps, f.max, f.min, f.tiny, f.bits, f.resolution, f.smallest_normal, f.dtype)
print(torch.iinfo(torch.int64))
i = torch.iinfo(torch.int64)
print(i.max, i.min, i.bits, i.dtype)
try:
    torch.iinfo(torch.float32)
except TypeError as e:
    print(e)
try:
    torch.finfo(torch.int64)
except TypeError as e:
    print(e)
try:
    torch.iinfo(torch.bool)
except TypeError as e:
    print(e)
print(torch.is_floating_point(torch.ones(2)), torch.is_complex(torch.ones(2)))
print(torch.ones(2).is_complex(), torch.ones(2, dtype=torch.int64).is_floating_point())
torch.set_default_dtype(torch.float64)
print(torch.finfo().eps, torch.get_default_dtype())
"""

INFERENCE = """import torch
x = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    y = x * 2
    o = torch.ones(2)
    print(y, y.requires_grad, y.is_inference(), o.is_inference())
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
print(y.is_inference(), x.is_inference(), torch.is_inference_mode_enabled())
print(torch.is_inference(y), (y + x).is_inference(), y.clone().is_inference())
w = y.clone()
try:
    z = x * y
except RuntimeError as e:
    print(e)
try:
    y.add_(1)
except RuntimeError as e:
    print(e)
try:
    y.requires_grad_()
except RuntimeError as e:
    print(e)
(w * x).sum().backward()
print(x.grad)
@torch.inference_mode()
def f(a):
    return a * 2
print(f(x), torch.is_grad_enabled())
with torch.inference_mode(False):
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
with torch.autograd.inference_mode():
    print(torch.is_inference_mode_enabled())
"""

ANOMALY = """import torch
print(torch.is_anomaly_enabled())
x = torch.tensor([0., 1.], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = x.sqrt() * 0
    print(y, torch.is_anomaly_enabled())
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(e)
print(torch.is_anomaly_enabled())
torch.autograd.set_detect_anomaly(True)
print(torch.is_anomaly_enabled())
try:
    (x / 0 * 0).sum().backward()
except RuntimeError as e:
    print(e)
torch.autograd.set_detect_anomaly(False)
(x / 0 * 0).sum().backward()
print(x.grad)
"""

PRINTING = """import torch
t = torch.tensor([1.123456, 2e-5])
torch.set_printoptions(sci_mode=False)
print(t)
torch.set_printoptions(precision=2)
print(t, torch.tensor(3.14159))
torch.set_printoptions(profile='full', precision=6)
print(t)
torch.set_printoptions(threshold=5, profile='short')
print(torch.arange(10.), torch.arange(10))
torch.set_printoptions(profile='default')
print(torch.arange(10.), t)
torch.set_printoptions(linewidth=30)
print(torch.arange(20.))
torch.set_printoptions(edgeitems=1, threshold=3, linewidth=80)
print(torch.ones(3, 4, requires_grad=True) * 2)
torch.set_printoptions(profile='full')
print(torch.arange(1200).reshape(2, 600)[:, :3])
"""


@pytest.mark.parametrize("program", [INFO, INFERENCE, ANOMALY, PRINTING],
                         ids=["info", "inference", "anomaly", "printing"])
def test_same_output_as_pytorch(program: str) -> None:
    out, err = run_gd(program)
    assert err is None
    assert out == torch_stdout(program)


def test_literal_pytorch_text() -> None:
    out, err = run_gd(INFO)
    assert err is None
    assert out.splitlines()[:9] == [
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)",
        "finfo(resolution=1e-15, min=-1.79769e+308, max=1.79769e+308, eps=2.22045e-16, "
        "smallest_normal=2.22507e-308, tiny=2.22507e-308, dtype=float64)",
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)",
        "1.1920928955078125e-07 3.4028234663852886e+38 -3.4028234663852886e+38 "
        "1.1754943508222875e-38 32 1e-06 1.1754943508222875e-38 float32",
        "iinfo(min=-9.22337e+18, max=9.22337e+18, dtype=int64)",
        "9223372036854775807 -9223372036854775808 64 int64",
        "torch.iinfo() requires an integer input type. Use torch.finfo to handle "
        "'torch.iinfo'",
        "torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
        "'torch.finfo'",
        "torch.bool is not supported by torch.iinfo",
    ]
    out, err = run_gd(INFERENCE)
    assert err is None
    assert (
        "Inference tensors cannot be saved for backward. Please do not use Tensors created "
        "in inference mode in computation tracked by autograd. To work around this, you can "
        "make a clone to get a normal tensor and use it in autograd, or use "
        "`torch.no_grad()` instead of `torch.inference_mode()`.\n"
        "Inplace update to inference tensor outside InferenceMode is not allowed.You can "
        "make a clone to get a normal tensor before doing inplace update.See "
        "https://github.com/pytorch/rfcs/pull/17 for more details.\n"
        "Setting requires_grad=True on inference tensor outside InferenceMode is not "
        "allowed.\n") in out
    out, err = run_gd(ANOMALY)
    assert err is None
    assert "Function 'SqrtBackward0' returned nan values in its 0th output.\n" in out
    assert "Function 'DivBackward0' returned nan values in its 0th output.\n" in out


def test_print_options_last_one_command() -> None:
    out, err = run_gd("import torch\ntorch.set_printoptions(precision=1)\n"
                      "print(torch.tensor([1.2345]))\n")
    assert (out, err) == ("tensor([1.2])\n", None)
    out, err = run_gd("import torch\nprint(torch.tensor([1.2345]))\n")
    assert (out, err) == ("tensor([1.2345])\n", None)


def test_detect_anomaly_warns_as_pytorch() -> None:
    err_lines: list[str] = []
    buf = io.StringIO()
    run(Source("prog.gd", "import torch\nwith torch.autograd.detect_anomaly():\n    pass\n"),
        AppOptions(write=buf.write, warn=err_lines.append))
    assert "".join(err_lines) == (
        "prog.gd:2: UserWarning: Anomaly Detection has been enabled. This mode will increase "
        "the runtime and should only be enabled for debugging.\n"
        "  with torch.autograd.detect_anomaly():\n")


@pytest.mark.parametrize("expr", [
    "torch.finfo().__class__.__dict__", "torch.finfo().__slots__", "torch.iinfo(torch.int64).np",
    "torch.finfo().precision", "torch.finfo.fn",
])
def test_info_objects_expose_nothing_of_the_host(expr: str) -> None:
    out, err = run_gd(f"import torch\nprint({expr})\n")
    assert out == "" and err is not None and "attribute" in err


def test_mode_objects_print_as_pytorch_with_the_runs_address() -> None:
    out, err = run_gd("import torch\nprint(torch.inference_mode())\n"
                      "print(torch.autograd.set_detect_anomaly(False))\n"
                      "print(torch.autograd.detect_anomaly())\n")
    assert err is None
    assert out == ("<torch.autograd.grad_mode.inference_mode object at 0x7f0000000010>\n"
                   "<torch.autograd.anomaly_mode.set_detect_anomaly object at 0x7f0000000020>\n"
                   "<torch.autograd.anomaly_mode.detect_anomaly object at 0x7f0000000030>\n")
