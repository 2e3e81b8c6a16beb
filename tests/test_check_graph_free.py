"""check's runs without a graph (app/gradfree.py): a program that cannot observe its graph
runs its finite-difference reruns (and, printing nothing, its shown run) under no_grad.
Each case here is checked EQUAL to the same check with every run recording, as before:
the whole result (errors, both Jacobians bit for bit, the node checks), the error
raised, and the warnings shown."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from gradcli.app import AppOptions, checking, gradfree
from gradcli.errors import GdError
from gradcli.interp import Program
from gradcli.source import Source


def S(text: str) -> Source:
    return Source("prog.gd", textwrap.dedent(text).strip("\n") + "\n")


def free(text: str, prints: bool = True) -> bool:
    module = Program.compile(S(text)).module
    return gradfree.records_nothing_observable(module, prints=prints)


@pytest.mark.parametrize("text", [
    "x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(3):\n"
    "    y = y * 0.9 + sin(x) * 0.1\ny",
    "import torch\nx = torch.randn(3)\nw = torch.ones(3, requires_grad=True)\n"
    "(torch.tanh(x * w) ** 2).sum()",
    "x = tensor([1.0, 2.0])\ndef f(v, k=2):\n    return (v ** k).sum()\n"
    "while f(x) < 100:\n    x = x * 1.5\nf(x)",
    'x = tensor([[1.0, 2.0], [3.0, 4.0]])\neinsum("ij,jk->ik", x, x).sum()',
])
def test_programs_that_cannot_observe_their_graph(text: str) -> None:
    assert free(text)


@pytest.mark.parametrize("text", [
    "x = tensor(1.0, requires_grad=True)\ny = x * x\ny.backward()\nx.grad",
    "x = tensor(1.0, requires_grad=True)\ny = x * 2\nz = y if y.requires_grad else x\nz",
    "x = tensor(1.0)\ny = x * 2\nprint(y.grad_fn)\ny",
    "x = tensor(1.0)\ny = x * 2\ny.is_leaf\ny",
    "x = tensor(1.0)\nx += 1\nx",
    "x = tensor([1.0, 2.0])\nx[0] = 3.0\nx.sum()",
    "x = tensor(1.0)\nx.mul_(2)\nx",
    "x = tensor(1.0)\ny = torch.add(x, x, out=x)\ny",
    "x = tensor(1.0)\ny = F.relu(x, inplace=True)\ny",
    "x = tensor(1.0)\ns = f'{x}'\nx * len(s)",
    "x = tensor(1.0)\nx * len(str(x))",
    "x = tensor(1.0)\nx * len('%s' % x)",
    "x = tensor(1.0)\ny = x * 2\nz = x if y is x else y\nz",
    "x = tensor(1.0)\ntry:\n    y = x * 2\nexcept RuntimeError:\n    y = x\ny",
    "class A:\n    pass\nx = tensor(1.0)\nx",
    "from torch.autograd.functional import jacobian as J\nx = tensor(1.0)\n"
    "J(lambda v: v * v, x)",
    "import torch\nwith torch.no_grad():\n    x = tensor(1.0)\nx",
    "x = tensor(1.0)\nx.numpy()\nx",
    "x = tensor(1.0)\ny = x * 2\ny.register_hook(lambda g: g)\ny",
    "x = tensor(1.0)\nv = x.data\nv.detach_()\nx",
    "x = tensor(1.0)\ny = getattr(x, 'grad')\nx",
])
def test_programs_that_observe_or_write_into_tensors(text: str) -> None:
    assert not free(text)


def test_print_observes_only_when_the_prints_are_shown() -> None:
    text = "x = tensor(1.0, requires_grad=True)\ny = x * 2\nprint(y)\ny"
    assert not free(text, prints=True)
    assert free(text, prints=False)  # the reruns' prints are discarded


def _recording(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run records its graph, as check did before the graph-free runs."""
    monkeypatch.setattr(checking, "records_nothing_observable", lambda *a, **k: False)


def _check(text: str, **kw: Any) -> tuple[str, list[str]]:
    """repr of check's whole result (or of its error) and the warnings it wrote."""
    warned: list[str] = []
    options = AppOptions(wrt=kw.pop("wrt", ["x"]), warn=warned.append, **kw)
    try:
        result: Any = checking.check(S(text), options)
    except GdError as e:
        result = (type(e).__name__, str(e), e.span, e.hint)
    return repr(result), warned


EQUAL_CASES = [
    # W8's loop body
    "n = 50\nx = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(n):\n"
    "    y = y * 0.9999 + sin(x) * 0.0001\ny",
    # random numbers drawn per run, a value-dependent loop, a function
    "import torch\nx = torch.tensor([0.3, -1.2, 2.0])\nw = torch.randn(3)\n"
    "def f(v):\n    return torch.tanh(v * w).sum()\nk = 0\nwhile f(x) < 2 and k < 5:\n"
    "    x = x * 1.1\n    k = k + 1\nf(x) * torch.rand(1).sum()",
    # prints: shown run with the graph, reruns without
    "x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\nprint(y)\n"
    "print('half', y / 2)\ny",
    # a warning: shown once, from the shown run
    "import torch\nx = torch.tensor(2.0)\nz = torch.tensor(x)\ny = x * z\ny",
    # an error in the shown run (float32) that float64 does not meet, and the reverse
    "import torch\nx = torch.tensor(1.0)\na = torch.ones(2, dtype=torch.float64)\n"
    "b = torch.ones(2)\n(a @ b) * x",
    "x = tensor(1.0)\nassert x * 3 < 1, 'too big'\nx",
    # a finite-difference rerun fails (x + eps is past the assert): rerun with the graph
    "x = tensor(1.0)\nassert x < 1.0000005, 'past the edge'\nx * 2",
    # a leaf written in place: an error with the graph, none without (never graph-free)
    "x = tensor(1.0, requires_grad=True)\nx.add_(1)\nx * 2",
    # the program differentiates itself
    "x = tensor(2.0, requires_grad=True)\ny = x ** 3\ng, = torch.autograd.grad(y, x, "
    "create_graph=True)\ng * x",
    # a mismatch (a non-differentiable point)
    "x = tensor(0.0)\nabs(x)",
]


@pytest.mark.parametrize("text", EQUAL_CASES)
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_graph_free_check_equals_recording_check(text: str, dtype: str | None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _check(text, dtype=dtype)
    _recording(monkeypatch)
    slow = _check(text, dtype=dtype)
    assert fast == slow


def test_check_shows_the_runs_warning_once() -> None:
    text = "import torch\nx = torch.tensor(2.0)\nz = torch.tensor(x)\ny = x * z\ny"
    _, warned = _check(text)
    assert warned == [
        "prog.gd:3: UserWarning: To copy construct from a tensor, it is recommended to use "
        "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
        "rather than torch.tensor(sourceTensor).\n  z = torch.tensor(x)\n"]


def test_an_error_without_the_graph_is_the_recorded_runs_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The shown run fails under no_grad: it reruns with the graph, so the error (and the
    # warnings written) are exactly the normal run's.
    text = ("import torch\nx = torch.tensor(2.0)\nz = torch.tensor(x)\n"
            "assert z * x < 1, 'too big'\nx")
    fast = _check(text)
    assert fast[0].startswith("('GdAssertionError'") or "too big" in fast[0]
    assert len(fast[1]) == 1
    _recording(monkeypatch)
    assert _check(text) == fast
