"""The boilerplate real scripts wrap around a model (interp/boilerplate.py): version
strings, deterministic-algorithm flags, torch.compile / torch.jit, CUDA's automatic mixed
precision disabling itself on a CPU build, and the settings a run starts from."""

from __future__ import annotations

import io

import pytest
from pyrun import gd_output, torch_output

from gradcli.app import AppOptions, run
from gradcli.source import Source

# Valid PyTorch that prints the same under gd: a CUDA-ready AMP training loop on a CPU
# build (the scaler and autocast disable themselves), the environment checks seeding code
# makes, and the settings' getters after their setters.
AMP_LOOP = """\
import torch
import torch.nn as nn
from torch.cuda.amp import GradScaler, autocast
torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
use_amp = torch.cuda.is_available()
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
print(scaler.is_enabled(), scaler.get_scale(), scaler.state_dict())
x = torch.randn(16, 4, device=device)
y = torch.randn(16, 3, device=device)
for step in range(3):
    opt.zero_grad(set_to_none=True)
    with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=True):
        loss = nn.functional.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(step, loss.item())
s2 = GradScaler()
with autocast():
    out = model(x)
print(s2.scale(out) is out, s2.step(opt), out.dtype, torch.is_autocast_enabled())
with torch.autocast("cpu", enabled=False) as ctx:
    print(model(x)[0])
with torch.amp.autocast("cuda"):
    print(model(x).dtype)
"""

ENVIRONMENT = """\
import torch
import numpy as np
print(torch.__version__, torch.version.__version__, torch.version.cuda, torch.version.hip)
print(torch.__name__, torch.nn.__name__, torch.nn.functional.__name__, np.__name__)
print(torch.cuda.is_available(), torch.cpu.is_available(), torch.jit.is_scripting(),
      torch.jit.is_tracing())
print(torch.are_deterministic_algorithms_enabled(),
      torch.is_deterministic_algorithms_warn_only_enabled())
torch.use_deterministic_algorithms(True, warn_only=True)
print(torch.are_deterministic_algorithms_enabled(),
      torch.is_deterministic_algorithms_warn_only_enabled())
torch.use_deterministic_algorithms(False)
print(torch.are_deterministic_algorithms_enabled())
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
torch.set_float32_matmul_precision("high")
print(torch.get_float32_matmul_precision())
try:
    torch.use_deterministic_algorithms(1)
except TypeError as e:
    print("TypeError", e)
"""


@pytest.mark.parametrize("program", [AMP_LOOP, ENVIRONMENT], ids=["amp_loop", "environment"])
def test_prints_what_pytorch_prints(program: str) -> None:
    assert gd_output(program) == torch_output(program)


def test_compiled_and_scripted_functions_give_the_eager_values() -> None:
    # gd runs eagerly: torch.compile / torch.jit give the function or module itself (the
    # values PyTorch's eager mode prints; compiling itself is not run under PyTorch here),
    # a compiled module's output with the compiled graph's grad_fn.
    eager = """\
import torch
torch.manual_seed(0)
model = torch.nn.Linear(3, 2)
x = torch.randn(4, 3)
def f(a):
    return torch.sin(a) ** 2
print(model(x))
print(f(x))
print(torch.exp(x[0]))
"""
    compiled = eager.replace("print(model(x))", "model = torch.compile(model)\n"
                             "print(model(x))").replace(
        "def f(a)", "@torch.compile(mode='reduce-overhead', fullgraph=True)\n"
        "@torch.jit.script\ndef f(a)").replace(
        "print(torch.exp(x[0]))", "g = torch.jit.trace(torch.exp, x[0])\nprint(g(x[0]))\n"
        "@torch.compile\n@torch.jit.ignore(drop=True)\ndef h(t):\n    return t\n"
        "print(h is torch.jit.unused(h))")
    assert gd_output(compiled) == torch_output(eager).replace(
        "AddmmBackward0", "CompiledFunctionBackward") + "True\n"


def test_cuda_amp_warns_as_pytorch_on_a_cpu_build() -> None:
    warnings: list[str] = []
    buf = io.StringIO()
    run(Source("prog.gd", "import torch\ns = torch.cuda.amp.GradScaler()\n"
                          "with torch.autocast('cuda'):\n    pass\n"),
        AppOptions(write=buf.write, warn=warnings.append))
    line2, line3 = "\n  s = torch.cuda.amp.GradScaler()\n", "\n  with torch.autocast('cuda'):\n"
    assert warnings == [
        "prog.gd:2: FutureWarning: `torch.cuda.amp.GradScaler(args...)` is deprecated. "
        "Please use `torch.amp.GradScaler('cuda', args...)` instead." + line2,
        "prog.gd:2: UserWarning: torch.cuda.amp.GradScaler is enabled, but CUDA is not "
        "available.  Disabling." + line2,
        "prog.gd:3: UserWarning: CUDA is not available or torch_xla is imported. Disabling "
        "autocast." + line3]


@pytest.mark.parametrize("code,message", [
    ("with torch.autocast('cpu'):\n    pass",
     "torch.autocast on the CPU (bfloat16 ops) is not supported by gradcli"),
    ("torch.amp.GradScaler('mps')",
     "an enabled GradScaler on 'mps' is not supported by gradcli"),
    ("torch.amp.GradScaler('cpu').state", "'GradScaler' object has no attribute 'state'"),
    ("torch.amp.GradScaler('cpu').__class__.__dict__", "'__dict__' is not accessible"),
    ("torch.amp.GradScaler('cpu').step.__self__", "'__self__' is not accessible"),
    ("torch.amp.GradScaler('cuda', enabled=False).scale.__self__",
     "'__self__' is not accessible"),
    ("torch.amp.GradScaler('cuda', enabled=False)._scale",
     "'_scale' is not accessible"),
    ("torch.amp.GradScaler('cuda', enabled=False).nothing",
     "'GradScaler' object has no attribute 'nothing'"),
    ("torch.autocast('cuda', enabled=False).__class__.__dict__",
     "'__dict__' is not accessible"),
    ("torch.__dict__", "'__dict__' is not accessible"),
])
def test_refusals(code: str, message: str) -> None:
    """What gd cannot compute is a clear error, and the new values expose nothing of the
    host (the sandbox)."""
    assert message in gd_output("import torch\n" + code + "\n")


def test_settings_start_fresh_each_run() -> None:
    # check and --batch run a compiled program several times: each run starts from
    # PyTorch's defaults, as a fresh process does.
    from gradcli.interp import Program, RunOptions

    out = io.StringIO()
    program = Program.compile(Source("p.gd", """\
import torch
print(torch.are_deterministic_algorithms_enabled(), torch.get_float32_matmul_precision(),
      torch.backends.cudnn.benchmark, torch.get_num_threads() > 0)
torch.use_deterministic_algorithms(True)
torch.set_float32_matmul_precision("medium")
torch.backends.cudnn.benchmark = True
"""), RunOptions(write=out.write))
    program.run()
    program.run()
    assert out.getvalue() == "False highest False True\n" * 2
