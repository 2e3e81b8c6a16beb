"""The examples: golden outputs, and the same output as real PyTorch.

1. Golden: `gradcli run examples/X.gd` prints exactly examples/X.out (for the programs
   that fail on purpose, X.out ends with the error as the CLI renders it).
2. Differential: each example's source, run as Python under PyTorch, prints what gd
   prints -- numbers equal to float tolerance, all other text exactly, once the object
   addresses are masked (`<MulBackward0 object at 0x…>`: PyTorch's change every run).  The programs
   that fail on purpose must fail in PyTorch with the same message.

All examples run under PyTorch in ONE subprocess (importing torch costs ~1 s), each in
a fresh namespace with PyTorch's global state reset: grad mode on, float32 default,
and the generator seeded with gd's default seed, so that even an unseeded example
draws the same random numbers in both.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyrun import masked

from gradcli.app import AppOptions, load_source, run, run_for_golden
from gradcli.cli import format_error
from gradcli.errors import GdError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.gd"))
NAMES = [p.stem for p in EXAMPLES]

#: Examples that fail on purpose (their .out ends with the error).
EXPECTED_ERRORS = {
    "seed2_leaf_inplace_error",
    "seed2_backward_twice_error",
    "inplace_saved_tensor_error",
}

#: Examples that are not valid PyTorch code, with the reason (none so far: programs
#: written with gd's bare names, like quickstart.gd, run under PyTorch with those
#: names bound to torch's functions -- see BARE_NAMES).
NOT_PYTORCH: dict[str, str] = {}

DEFAULT_SEED = 67280421310721  # gd's seed for a program that never calls manual_seed


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 30
    missing = [n for n in NAMES if not (ROOT / "examples" / f"{n}.out").exists()]
    assert not missing, f"no golden .out for {missing} (gradcli test --update examples/)"
    assert EXPECTED_ERRORS.issubset(NAMES)
    assert set(NOT_PYTORCH).issubset(NAMES)


def test_readme_lists_every_example() -> None:
    readme = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    unlisted = [n for n in NAMES if f"`{n}.gd`" not in readme]
    assert not unlisted, f"examples/README.md does not describe {unlisted}"


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Errors name the file as given on the command line: run from the repository root
    # with the relative path, as `gradcli test examples/` does.
    monkeypatch.chdir(ROOT)
    actual = run_for_golden(Path("examples", f"{name}.gd"), format_error)
    expected = (ROOT / "examples" / f"{name}.out").read_text(encoding="utf-8")
    assert actual == expected


# -- gd's side, in process ---------------------------------------------------------------

def _run_gd(path: Path) -> tuple[str, str | None]:
    """(what the program printed, the error message or None)."""
    buffer = io.StringIO()
    try:
        run(load_source(str(path), None), AppOptions(write=buffer.write))
    except GdError as e:
        return buffer.getvalue(), e.message
    return buffer.getvalue(), None


# -- PyTorch's side, one subprocess for all examples -------------------------------------

_TORCH_RUNNER = r"""
import builtins, contextlib, io, json, sys, warnings
import torch
import torch.autograd.functional as AF
import torch.nn.functional as F

warnings.simplefilter("ignore")  # UserWarnings (non-leaf .grad, create_graph cycles)
torch.set_num_threads(1)

# gd's bare names (arange, dot, grad, jacobian, ...) for programs written without
# `torch.`: every public torch function that does not shadow a Python built-in.
bare = {k: getattr(torch, k) for k in dir(torch)
        if not k.startswith("_") and not hasattr(builtins, k)}
bare.update(backward=torch.autograd.backward, grad=torch.autograd.grad,
            jacobian=AF.jacobian, hessian=AF.hessian, jvp=AF.jvp, vjp=AF.vjp, hvp=AF.hvp,
            vhp=AF.vhp, relu=F.relu, softmax=F.softmax, log_softmax=F.log_softmax,
            mse_loss=F.mse_loss, cross_entropy=F.cross_entropy,
            binary_cross_entropy_with_logits=F.binary_cross_entropy_with_logits)

results = {}
for name, path, seed in json.load(sys.stdin):
    torch.manual_seed(seed)
    torch.set_grad_enabled(True)
    torch.set_default_dtype(torch.float32)
    namespace = dict(bare, torch=torch, __name__="__main__")
    out = io.StringIO()
    error = None
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    with contextlib.redirect_stdout(out):
        try:
            exec(code, namespace)
        except Exception as e:  # the examples that fail on purpose
            error = [type(e).__name__, str(e)]
    results[name] = [out.getvalue(), error]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def torch_outputs() -> dict[str, tuple[str, list[str] | None]]:
    pytest.importorskip("torch")
    jobs = [[p.stem, str(p), DEFAULT_SEED] for p in EXAMPLES if p.stem not in NOT_PYTORCH]
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {k: (v[0], v[1]) for k, v in json.loads(proc.stdout).items()}


_TOKEN = re.compile(
    r"(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)|(?P<other>\s+|[^\s\d.+-]+|.)"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [("num" if m.group("num") is not None else "text", m.group(0))
            for m in _TOKEN.finditer(text)]


def _close(a: str, b: str) -> bool:
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y or abs(x - y) <= 1e-6 + 1e-4 * abs(y)


def _same_output(gd: str, torch_text: str) -> str | None:
    """None if equal up to float tolerance, else a description of the first difference."""
    gd, torch_text = masked(gd), masked(torch_text)
    if gd == torch_text:
        return None
    a, b = _tokens(gd), _tokens(torch_text)
    for i, (ta, tb) in enumerate(zip(a, b, strict=False)):
        same = (ta[0] == tb[0] == "num" and _close(ta[1], tb[1])) or ta == tb
        if not same:
            where = "".join(t for _, t in a[max(0, i - 12):i])
            return f"after {where!r}: gd {ta[1]!r}, PyTorch {tb[1]!r}"
    if len(a) != len(b):
        return f"gd printed {len(a)} tokens, PyTorch {len(b)}"
    return None


@pytest.mark.parametrize("name", NAMES)
def test_same_as_pytorch(name: str, torch_outputs: dict[str, tuple[str, list[str] | None]],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    if name in NOT_PYTORCH:
        pytest.skip(f"not valid PyTorch: {NOT_PYTORCH[name]}")
    monkeypatch.chdir(ROOT)
    gd_out, gd_error = _run_gd(Path("examples", f"{name}.gd"))
    torch_out, torch_error = torch_outputs[name]
    difference = _same_output(gd_out, torch_out)
    assert difference is None, f"{name}: {difference}\n--- gd\n{gd_out}--- PyTorch\n{torch_out}"
    if name in EXPECTED_ERRORS:
        assert gd_error is not None, f"{name} should fail in gd"
        assert torch_error is not None, f"{name} should fail in PyTorch"
        assert torch_error[0] == "RuntimeError"
        assert torch_error[1] == gd_error  # with PyTorch's "Hint: …" sentence
    else:
        assert gd_error is None, f"gd failed: {gd_error}"
        assert torch_error is None, f"PyTorch failed: {torch_error}"


# -- the comparison itself ---------------------------------------------------------------

def test_comparison_tolerates_float_noise_only() -> None:
    assert _same_output("tensor([0.5265, 1.0000])\n", "tensor([0.5265, 1.0000])\n") is None
    assert _same_output("step 1 loss 0.5264596939086914\n",
                        "step 1 loss 0.5264596343040466\n") is None
    assert _same_output("<MulBackward0 object at 0x7f0000000010>\n",
                        "<MulBackward0 object at 0x7fc556fa75e0>\n") is None
    assert _same_output("tensor(1.0240e+02)\n", "tensor(1.0241e+02)\n") is None
    assert _same_output("tensor([0.0227])\n", "tensor([0.0228])\n") is not None
    assert _same_output("tensor(1.)\n", "tensor(1., requires_grad=True)\n") is not None
    assert _same_output("<AddBackward0 object at 0x7f0000000010>\n",
                        "<MulBackward0 object at 0x1>\n") is not None
    assert _same_output("True\n", "False\n") is not None
    assert _same_output("1\n2\n", "1\n") is not None
