"""PyTorch names gd lacks are "not supported", and try/except/finally/raise as PyTorch runs them."""

from __future__ import annotations

import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.cli import exit_status
from gradcli.errors import GdError
from gradcli.interp.attributes import torch_names
from gradcli.source import Source

HINT = "what gd supports is listed in README.md, section 'Values and built-ins'"


def run_program(program: str) -> tuple[int, str, str | None, str]:
    """(exit code, error message, hint, printed output) of a program run in this process."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        return exit_status(e), e.message, e.hint, buf.getvalue()
    return 0, "", None, buf.getvalue()


# ====================================================== PyTorch names gd does not have

@pytest.mark.parametrize(("expr", "message"), [
    ("torch.fft.fft(x)", "'torch.fft' is not supported by gradcli"),
    ("torch.nn.Linear(3, 2)", "'torch.nn.Linear' is not supported by gradcli"),
    ("torch.optim.SGD([x], lr=0.1)", "'torch.optim' is not supported by gradcli"),
    ("torch.trace(x)", "'torch.trace' is not supported by gradcli"),
    ("torch.cuda.is_available()", "'torch.cuda' is not supported by gradcli"),
    ("x.trace()", "'Tensor.trace' is not supported by gradcli"),
    ("F.conv2d(x, x)", "'torch.nn.functional.conv2d' is not supported by gradcli"),
    ("torch.linalg.svd(x)", "'torch.linalg.svd' is not supported by gradcli"),
    ("torch.autograd.Function", "'torch.autograd.Function' is not supported by gradcli"),
])
def test_a_pytorch_name_gd_lacks_is_not_supported(expr: str, message: str) -> None:
    code, got, hint, _ = run_program(f"import torch\nx = torch.ones(2, 2)\ny = {expr}\n")
    assert (code, got, hint) == (4, message, HINT)


@pytest.mark.parametrize(("line", "message"), [
    ("import torch.fft", "'torch.fft' is not supported by gradcli"),
    ("import torch.optim as optim", "'torch.optim' is not supported by gradcli"),
    ("from torch.nn import Linear", "'torch.nn.Linear' is not supported by gradcli"),
    ("from torch import trace", "'torch.trace' is not supported by gradcli"),
])
def test_importing_a_pytorch_name_gd_lacks_is_not_supported(line: str, message: str) -> None:
    code, got, hint, _ = run_program(line + "\n")
    assert (code, got, hint) == (4, message, HINT)


@pytest.mark.parametrize(("expr", "message", "hint"), [
    ("torch.expp(x)", "module 'torch' has no attribute 'expp'", "did you mean 'exp'?"),
    ("x.sinn()", "'Tensor' object has no attribute 'sinn'", "did you mean 'sin'?"),
    ("F.relux(x)", "module 'torch.nn.functional' has no attribute 'relux'",
     "did you mean 'relu'?"),
])
def test_a_typo_that_is_no_pytorch_name_keeps_did_you_mean(expr: str, message: str,
                                                          hint: str) -> None:
    code, got, got_hint, _ = run_program(f"import torch\nx = torch.ones(2)\ny = {expr}\n")
    assert (code, got, got_hint) == (4, message, hint)


def test_the_name_list_is_pytorchs() -> None:
    names = torch_names()
    assert {"torch.fft", "torch.nn.Linear", "torch.Tensor.backward", "torch.exp",
            "torch.nn.functional.relu", "torch.autograd.grad"} <= names
    assert "torch.expp" not in names and not any(".__" in n for n in names)
