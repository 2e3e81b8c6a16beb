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
    ("torch.sparse.mm(x, x)", "'torch.sparse' is not supported by gradcli"),
    ("torch.nn.SyncBatchNorm(2)", "'torch.nn.SyncBatchNorm' is not supported by gradcli"),
    ("torch.optim.Muon([x])", "'torch.optim.Muon' is not supported by gradcli"),
    ("torch.sparse_coo_tensor(x, x)", "'torch.sparse_coo_tensor' is not supported by gradcli"),
    ("torch.distributions.VonMises(0.0, 1.0)",
     "'torch.distributions.VonMises' is not supported by gradcli"),
    ("x.to_sparse()", "'Tensor.to_sparse' is not supported by gradcli"),
    ("torch.linalg.ldl_factor(x)", "'torch.linalg.ldl_factor' is not supported by gradcli"),
    ("torch.autograd.profiler", "'torch.autograd.profiler' is not supported by gradcli"),
])
def test_a_pytorch_name_gd_lacks_is_not_supported(expr: str, message: str) -> None:
    code, got, hint, _ = run_program(f"import torch\nx = torch.ones(2, 2)\ny = {expr}\n")
    assert (code, got, hint) == (4, message, HINT)


@pytest.mark.parametrize(("line", "message"), [
    ("import torch.sparse", "'torch.sparse' is not supported by gradcli"),
    ("import torch.ao.quantization as q", "'torch.ao' is not supported by gradcli"),
    ("from torch.nn import SyncBatchNorm",
     "'torch.nn.SyncBatchNorm' is not supported by gradcli"),
    ("from torch import sparse_coo_tensor",
     "'torch.sparse_coo_tensor' is not supported by gradcli"),
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


# ================================================================ try / except / raise

# PyTorch's autograd tutorial pattern: a second backward, caught and printed. The same
# program run under torch 2.13 prints exactly this (checked against torch 2.13).
SECOND_BACKWARD = """\
import torch
x = torch.ones(2, requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print(e)
    print(repr(e)[:40], e.args == (str(e),), len(e.args))
"""
SECOND_BACKWARD_OUT = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.\n"
    "RuntimeError('Trying to backward through True 1\n")


def test_a_second_backward_is_caught_and_printed_as_pytorch_prints_it() -> None:
    assert run_program(SECOND_BACKWARD) == (0, "", None, SECOND_BACKWARD_OUT)


@pytest.mark.parametrize(("program", "out"), [
    # each error's class is the one PyTorch / Python raises
    ("try:\n    1 // 0\nexcept ZeroDivisionError as e:\n    print(repr(e))\n",
     "ZeroDivisionError('integer division or modulo by zero')\n"),
    ("try:\n    torch.ones(3)[5]\nexcept IndexError as e:\n    print(e)\n",
     "index 5 is out of bounds for dimension 0 with size 3\n"),
    ("try:\n    torch.ones(3).sum(2)\nexcept LookupError as e:\n    print(e)\n",
     "Dimension out of range (expected to be in range of [-1, 0], but got 2)\n"),
    ("try:\n    float(torch.ones(2))\nexcept ValueError as e:\n    print(e)\n",
     "only one element tensors can be converted to Python scalars\n"),
    ("try:\n    len(torch.tensor(1.0))\nexcept (ValueError, TypeError) as e:\n    print(e)\n",
     "len() of a 0-d tensor\n"),
    ("try:\n    torch.ones(2) + torch.ones(3)\nexcept TypeError:\n    print('t')\n"
     "except RuntimeError as e:\n    print(e)\n",
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton "
     "dimension 0\n"),
    ("try:\n    assert 1 == 2, 'nope'\nexcept AssertionError as e:\n    print(repr(e))\n",
     "AssertionError('nope')\n"),
    # else, finally and their order
    ("try:\n    print('body')\nexcept Exception:\n    print('no')\nelse:\n    print('else')\n"
     "finally:\n    print('finally')\nprint('after')\n",
     "body\nelse\nfinally\nafter\n"),
    ("try:\n    1 / 0\nexcept ZeroDivisionError:\n    print('except')\nelse:\n"
     "    print('else')\nfinally:\n    print('finally')\n",
     "except\nfinally\n"),
    # nested try, raise of a class with several args, bare re-raise, bare except
    ("try:\n    try:\n        raise ValueError('bad', 2)\n    except ValueError as e:\n"
     "        print(repr(e), e)\n        raise\n    finally:\n        print('inner')\n"
     "except Exception as e2:\n    print('outer', repr(e2), e2.args)\n",
     "ValueError('bad', 2) ('bad', 2)\ninner\nouter ValueError('bad', 2) ('bad', 2)\n"),
    ("try:\n    raise NotImplementedError\nexcept RuntimeError as e:\n"
     "    print(repr(e), '|', e, '|', e.args)\n",
     "NotImplementedError() |  | ()\n"),
    ("try:\n    raise KeyError('k')\nexcept:\n    print('bare')\n", "bare\n"),
    # return, break and continue inside try/finally
    ("def f():\n    for i in range(3):\n        try:\n            if i == 1:\n"
     "                return i\n        finally:\n            print('f', i)\nprint(f())\n",
     "f 0\nf 1\n1\n"),
    ("for i in range(3):\n    try:\n        if i == 1:\n            break\n"
     "        continue\n    finally:\n        print('f', i)\n",
     "f 0\nf 1\n"),
    ("def g():\n    try:\n        raise ValueError('x')\n    finally:\n        return 'kept'\n"
     "print(g())\n", "kept\n"),
])
def test_try_behaves_as_python_and_pytorch(program: str, out: str) -> None:
    assert run_program("import torch\n" + program) == (0, "", None, out)


@pytest.mark.parametrize(("program", "message"), [
    ("raise ValueError('boom')\n", "ValueError: boom"),
    ("try:\n    raise ValueError('boom')\nexcept TypeError:\n    print('no')\n",
     "ValueError: boom"),
    ("raise\n", "No active exception to reraise"),
    ("raise 3\n", "exceptions must derive from BaseException"),
    ("try:\n    x = 1\nexcept 3:\n    pass\nx = ones(2)[9]\n",
     "index 9 is out of bounds for dimension 0 with size 2"),
    ("try:\n    y = 1 // 0\nexcept len:\n    pass\n",
     "catching classes that do not inherit from BaseException is not allowed"),
    ("e = ValueError('a')\nprint(e.with_traceback)\n",
     "'ValueError' object has no attribute 'with_traceback'"),
    ("e = ValueError('a')\nprint(e.__traceback__.tb_frame)\n",
     "'NoneType' object has no attribute 'tb_frame'"),
    ("try:\n    y = 1 // 0\nexcept ZeroDivisionError as err:\n    pass\nprint(err)\n",
     "name 'err' is not defined"),
])
def test_uncaught_and_misused_exceptions_are_errors(program: str, message: str) -> None:
    code, got, _, _ = run_program(program)
    assert (code, got) == (4, message)


LIMITED = [
    "while True:\n        pass",                       # the step limit
    "r(0)",                                            # the recursion limit
    "torch.ones(2).to_sparse()",                       # a gd refusal, not a PyTorch error
]


@pytest.mark.parametrize("clause", ["except Exception:", "except BaseException:", "except:",
                                    "except RuntimeError:"])
@pytest.mark.parametrize("body", LIMITED)
def test_no_try_catches_a_limit_or_a_refusal(clause: str, body: str) -> None:
    program = (f"import torch\ndef r(n):\n    return r(n + 1)\ntry:\n    {body}\n{clause}\n"
               "    print('caught')\nfinally:\n    print('finally')\n")
    buf = io.StringIO()
    from gradcli.app import AppOptions as Options
    with pytest.raises(GdError) as info:
        run(Source("prog.gd", program), Options(write=buf.write, limits=_small_limits()))
    assert exit_status(info.value) == 4
    assert "caught" not in buf.getvalue() and "finally" not in buf.getvalue()


def _small_limits() -> object:
    from gradcli.limits import Limits
    return Limits(max_steps=1000)


def test_try_parses_and_unparses() -> None:
    from gradcli.syntax.parser import parse
    from gradcli.syntax.unparse import unparse

    text = ("try:\n    x = 1\nexcept (RuntimeError, ValueError) as e:\n    print(e)\n"
            "except:\n    raise\nelse:\n    pass\nfinally:\n    y = 2\n"
            "raise ValueError('a')\n")
    assert unparse(parse(Source("t", text))) == text


def test_a_bare_except_must_be_last() -> None:
    code, message, _, _ = run_program("try:\n    x = 1\nexcept:\n    pass\n"
                                      "except ValueError:\n    pass\n")
    assert (code, message) == (3, "default 'except:' must be last")
