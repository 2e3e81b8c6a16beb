"""A program's text run under gd (in process) and under PyTorch, what it prints captured:
the two sides of the table-driven comparisons with PyTorch's output."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

#: A program's `show(name, f)`: f()'s value (a tensor as its list) or its error's class and
#: first line, printed after the name (the trust tables' programs start with it).
SHOW_PROGRAM = """
def show(name, f):
    try:
        r = f()
        print(name, r.tolist() if isinstance(r, torch.Tensor) else r)
    except Exception as e:
        print(name, '!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])
"""


def gd_output(text: str) -> str:
    """What `gradcli run` prints for the program (a gd error appended as its message)."""
    buf = io.StringIO()
    try:
        run(Source("p.gd", text), AppOptions(write=buf.write))
    except GdError as e:  # pragma: no cover - a failure shows the message
        return buf.getvalue() + f"GdError {e.message}"
    return buf.getvalue()


def torch_output(text: str) -> str:
    """What Python with PyTorch prints for the program (the test skips without torch).
    PyTorch's process-wide settings the program may change are restored after it, so
    one table's program cannot change what the next test's PyTorch prints."""
    torch = pytest.importorskip("torch")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), warnings.catch_warnings(), _torch_settings(torch):
        warnings.simplefilter("ignore")
        exec(compile(text, "p.py", "exec"), {"torch": torch, "__name__": "__main__"})
    return buf.getvalue()


@contextlib.contextmanager
def _torch_settings(torch: Any) -> Iterator[None]:
    from torch._tensor_str import PRINT_OPTS
    from torch.distributions import Distribution

    saved = (torch.get_default_dtype(), torch.is_grad_enabled(),
             torch.get_float32_matmul_precision(), torch.are_deterministic_algorithms_enabled(),
             torch.is_deterministic_algorithms_warn_only_enabled(), torch.is_anomaly_enabled(),
             torch.is_anomaly_check_nan_enabled(), Distribution._validate_args,
             dict(vars(PRINT_OPTS)))
    threads = torch.get_num_threads()
    try:
        yield
    finally:
        (dtype, grad, precision, deterministic, warn_only, anomaly, check_nan, validate,
         printing) = saved
        torch.set_default_dtype(dtype)
        torch.set_grad_enabled(grad)
        torch.set_float32_matmul_precision(precision)
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        torch.set_anomaly_enabled(anomaly, check_nan)
        Distribution.set_default_validate_args(validate)
        vars(PRINT_OPTS).update(printing)
        # set_default_device (even 'cpu') leaves a device mode pushed that changes what
        # later factory calls do in this process: none, as a fresh process has
        torch.set_default_device(None)
        # set_flush_denormal(True) sets the CPU's flush-to-zero mode for the whole process
        # (hypothesis then refuses to draw floats in the next test): a fresh process keeps
        # denormals
        torch.set_flush_denormal(False)
        torch.set_num_threads(threads)


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def masked(text: str) -> str:
    """text with every object address (` at 0x7f…`) masked: PyTorch's change every run,
    gd's (the run's own, ad/identity) do not, so a comparison of the two masks both."""
    return _ADDRESS.sub(" at 0x…", text)


def unaddressed(text: str) -> str:
    """text without its object addresses: how the tables of PyTorch's output, held as
    literals, write an object's repr (`<MulBackward0 object>`)."""
    return _ADDRESS.sub("", text)


def guarded_program(code: str, setup: str) -> str:
    """`setup`, then `code` inside a try that prints an exception's type and text: how the
    table-driven comparisons show an error as PyTorch raises it."""
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (setup + f"try:\n{body}except Exception as e:\n"
            "    print(type(e).__name__)\n    print(str(e))\n")


Case = tuple[str, str, str | dict[str, str]]  # (test id, program, what PyTorch prints)


def for_this_cpu(expected: str | dict[str, str]) -> str:
    """The literal for the kernels PyTorch runs here: one text, or one for each width of the
    kernels ATen registers for AVX-512 ({"AVX2": ..., "AVX512": ...}: softmax's lanes,
    kernels/vecmath.lanes; ATEN_CPU_CAPABILITY=avx2 picks the AVX2 one on any CPU)."""
    if isinstance(expected, str):
        return expected
    from gradcli.ad.kernels import vecmath

    wide = vecmath.lanes(np.dtype(np.float32), avx512=True) == 16
    return expected["AVX512" if wide else "AVX2"]


def literal_table(cases: list[Case]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two tests of a table of programs and their expected text, held as a literal:
    gd prints the literal, and the literal is what Python with PyTorch prints (skipped
    without torch). A test module binds them to its own test_ names."""
    table = pytest.mark.parametrize(("program", "expected"), [c[1:] for c in cases],
                                    ids=[c[0] for c in cases])

    @table
    def test_gd_prints_the_literal(program: str, expected: str | dict[str, str]) -> None:
        assert gd_output(program) == for_this_cpu(expected)

    @table
    def test_the_literal_is_what_pytorch_prints(program: str,
                                                expected: str | dict[str, str]) -> None:
        assert torch_output(program) == for_this_cpu(expected)

    return test_gd_prints_the_literal, test_the_literal_is_what_pytorch_prints
