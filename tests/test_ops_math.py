"""The elementwise math family beyond the sweep: PyTorch's error messages, edge values,
keyword names, the int32 dtype, the nodes of div(rounding_mode=), floor_divide and copy_,
and a program through the CLI. Expected texts are PyTorch 2.13's, written out; the
tests marked `torch` also compare with torch itself."""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from pyrun import unaddressed

from gradcli.ad.session import Session
from gradcli.cli import main
from gradcli.errors import GdError
from gradcli.interp.runtime import RunOptions, run_source


@pytest.fixture(autouse=True)
def _in_a_session() -> Iterator[None]:
    with Session():
        yield


def output(text: str) -> str:
    """What a gd program prints (without its object addresses, as the literals here)."""
    out: list[str] = []
    run_source(textwrap.dedent(text).strip("\n") + "\n", "prog.gd", RunOptions(write=out.append))
    return unaddressed("".join(out))


def error(text: str) -> str:
    """The message of the error a gd program raises."""
    with pytest.raises(GdError) as info:
        output(text)
    return info.value.message


def torch_output(text: str) -> str:
    """What the same program prints under PyTorch."""
    torch = pytest.importorskip("torch")
    lines: list[str] = []
    env: dict[str, Any] = {"torch": torch,
                           "print": lambda *a: lines.append(" ".join(map(str, a)) + "\n")}
    exec(textwrap.dedent(text).strip("\n") + "\n", env)
    return "".join(lines)


# -- PyTorch's error messages ----------------------------------------------------------

@pytest.mark.parametrize(("program", "message"), [
    ("torch.atan2(torch.ones(2), 2.0)",
     "atan2(): argument 'other' (position 2) must be Tensor, not float"),
    ("torch.hypot(1, torch.ones(2))",
     "hypot(): argument 'input' (position 1) must be Tensor, not int"),
    ("torch.hypot(torch.tensor([1, 2]), torch.tensor([3, 4]))",
     "\"hypot_cpu\" not implemented for 'Long'"),
    ("torch.logaddexp(torch.tensor([1, 2]), torch.tensor([3, 4]))",
     "\"logaddexp_cpu\" not implemented for 'Long'"),
    ("torch.frac(torch.tensor([1, 2]))", "\"frac_cpu\" not implemented for 'Long'"),
    ("torch.trunc(torch.tensor([True]))", "\"trunc_vml_cpu\" not implemented for 'Bool'"),
    ("torch.lerp(torch.tensor([1, 2]), torch.tensor([3, 4]), 0.5)",
     "\"lerp_kernel_scalar\" not implemented for 'Long'"),
    ("torch.lerp(torch.ones(2), torch.ones(2, dtype=torch.float64), 0.5)",
     "expected dtype float for `end` but got dtype double"),
    ("torch.fmod(torch.tensor([1, 2]), torch.tensor([1, 0]))", "ZeroDivisionError"),
    ("torch.div(torch.ones(2), 2, rounding_mode='round')",
     "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'"),
    ("torch.positive(torch.tensor([True]))",
     "The `+` operator, on a bool tensor is not supported."),
    ("torch.zeros(2, 3).copy_(torch.zeros(4))",
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton "
     "dimension 1"),
    ("torch.zeros(2, 3).copy_(torch.zeros(1, 2, 3))",
     "output with shape [2, 3] doesn't match the broadcast shape [1, 2, 3]"),
    ("torch.tensor([1.5, 2.5]).float_power_(2)",
     "the base given to float_power_ has dtype Float but the operation's result requires "
     "dtype Double"),
    ("torch.tensor([1, 2]).atan_()",
     "result type Float can't be cast to the desired output type Long"),
    ("torch.mm(torch.ones(2, 2, dtype=torch.int32), torch.ones(2, 2, dtype=torch.int64))",
     "expected m1 and m2 to have the same dtype, but got: int != long int"),
])
def test_error_messages_are_pytorchs(program: str, message: str) -> None:
    assert error(program) == message


def test_backward_through_floor_divide_is_pytorchs_error() -> None:
    program = """
        x = torch.tensor([0.3, 0.5], requires_grad=True)
        y = torch.floor_divide(x, 0.2)
        print(y)
        y.sum().backward()
    """
    assert output(program.split("y.sum")[0]) == \
        "tensor([1., 2.], grad_fn=<NotImplemented>)\n"
    assert error(program) == "derivative for aten::floor_divide is not implemented"


def test_forward_mode_through_floor_divide_is_pytorchs_error() -> None:
    assert error("""
        import torch.autograd.forward_ad as fwd
        with fwd.dual_level():
            d = fwd.make_dual(torch.tensor([0.5, 3.0]), torch.ones(2))
            d // 2.0
    """) == "Trying to use forward AD with aten::floor_divide that does not support it."


@pytest.mark.parametrize("name", ["asinh", "acosh", "atanh", "arcsinh"])
def test_inplace_inverse_hyperbolic_has_no_derivative(name: str) -> None:
    base = {"asinh": "asinh", "arcsinh": "asinh"}.get(name, name)
    program = f"""
        x = torch.tensor([1.5], requires_grad=True)
        y = (x * 0.5).{name}_()
        print(y.grad_fn)
        y.backward()
    """
    assert output(program.split("y.backward")[0]) == \
        f"<{base.capitalize()}Backward1 object>\n"
    assert error(program) == \
        f"the derivative for 'inplace version of {base}' is not implemented."


# -- values at the edges ---------------------------------------------------------------

def test_edge_values() -> None:
    text = output("""
        print(torch.erfinv(torch.tensor([1.0, -1.0, 1.5, 0.5, 0.0])))
        print(torch.xlogy(torch.tensor([0.0, 0.0, 2.0]), torch.tensor([0.0, 3.0, 0.0])))
        print(torch.sinc(torch.tensor([0.0, 0.5, -1.5])))
        print(torch.nan_to_num(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0])))
        print(torch.copysign(torch.tensor([1.5, -2.0]), -0.0))
        print(torch.fmod(torch.tensor([-3, 3]), 2), torch.remainder(torch.tensor([-3, 3]), 2))
        print(torch.div(torch.tensor([-7, 7]), 2, rounding_mode='trunc'))
        print(torch.div(torch.tensor([-7.0, 7.0]), 2, rounding_mode='floor'))
        print(torch.logit(torch.tensor([0.0, 0.05, 0.5]), eps=0.1))
        print(torch.rad2deg(torch.tensor([3])))
    """)
    assert text == (
        "tensor([   inf,   -inf,    nan, 0.4769, 0.0000])\n"
        "tensor([0., 0., -inf])\n"
        "tensor([ 1.0000,  0.6366, -0.2122])\n"
        "tensor([ 0.0000e+00,  3.4028e+38, -3.4028e+38,  1.0000e+00])\n"
        "tensor([-1.5000, -2.0000])\n"
        "tensor([-1,  1]) tensor([1, 1])\n"
        "tensor([-3,  3])\n"
        "tensor([-4.,  3.])\n"
        "tensor([-2.1972, -2.1972,  0.0000])\n"
        "tensor([171.8873])\n")


def test_erfinv_inverts_erf_to_double_precision() -> None:
    from gradcli.ad.kernels import math as KM
    x = np.linspace(-2.5, 2.5, 101)  # beyond, erf(x) rounds to within an ulp of ±1
    assert np.allclose(KM.erfinv(KM.erf(x)), x, rtol=1e-11, atol=1e-13)
    assert KM.erfinv(np.array(0.5)) == pytest.approx(0.4769362762044699, rel=1e-15)
    # in the tails too, where 1 - |y| carries the digits: erfinv(1 - 1e-15) ≈ 5.6759
    assert KM.erfinv(np.array(-1 + 1e-15)) == pytest.approx(-5.675915739744713, rel=1e-13)


def test_erf_family_matches_torch_in_double() -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import math as KM
    y = np.concatenate([np.linspace(-0.999999, 0.999999, 2001), [1 - 1e-12, -1 + 1e-15]])
    expected = torch.special.erfinv(torch.from_numpy(y)).numpy()
    assert np.allclose(KM.erfinv(y), expected, rtol=1e-13, atol=0)
    x = np.linspace(-6.0, 6.0, 241)
    assert np.allclose(KM.erf(x), torch.erf(torch.from_numpy(x)).numpy(), rtol=1e-15, atol=0)
    assert np.allclose(KM.erfc(x), torch.erfc(torch.from_numpy(x)).numpy(), rtol=1e-14, atol=0)


def test_derivatives_at_the_edges() -> None:
    text = output("""
        x = torch.tensor([0.0, 0.5], requires_grad=True)
        torch.sinc(x).sum().backward()
        print(x.grad)
        p = torch.tensor([0.05, 0.5, 0.97], requires_grad=True)
        torch.logit(p, eps=0.1).sum().backward()
        print(p.grad)
        q = torch.tensor([-0.5, 2.0], requires_grad=True)
        print(torch.autograd.grad(torch.logit(q).sum(), q)[0])
        a = torch.tensor([0.0, 2.0], requires_grad=True)
        b = torch.tensor([0.0, 3.0], requires_grad=True)
        ga, gb = torch.autograd.grad(torch.xlogy(a, b).sum(), [a, b])
        print(ga, gb)
        s = torch.tensor([1.0, float('inf')], requires_grad=True)
        torch.nan_to_num(s).sum().backward()
        print(s.grad)
    """)
    assert text == (
        "tensor([ 0.0000, -1.2732])\n"
        "tensor([0., 4., 0.])\n"
        "tensor([nan, nan])\n"
        "tensor([0.0000, 1.0986]) tensor([   nan, 0.6667])\n"
        "tensor([1., 0.])\n")


# -- keyword names, nodes, dtypes ---------------------------------------------------------

PROGRAMS = {
    "keywords": """
        x = torch.tensor([0.5, 1.5], requires_grad=True)
        y = torch.tensor([2.0, -1.0])
        print(torch.add(input=x, other=y, alpha=2), torch.sub(x, y, alpha=3))
        print(x.add(y, alpha=0.5), x.sub(other=y, alpha=2))
        print(torch.pow(x, exponent=2), x.pow(exponent=3), torch.mul(input=x, other=3))
        print(torch.clamp(input=x, min=0.7), torch.where(condition=x > 1, input=x, other=y))
        print(torch.atan2(input=x, other=y), torch.lerp(x, end=y, weight=0.25))
        print(torch.round(x, decimals=1), torch.special.round(x))
        print(torch.float_power(x, exponent=2), torch.special.xlogy(x, other=y.abs()))
    """,
    "nodes": """
        x = torch.tensor([0.5, -1.5], requires_grad=True)
        y = torch.tensor([0.3, 0.4], requires_grad=True)
        q = torch.div(x, y, rounding_mode='floor')
        print(q, torch.div(x, 0.7, rounding_mode='trunc'))
        print(torch.autograd.grad(q.sum(), [x, y]))
        print(torch.div(2.0, y), x // y, torch.fmod(x, y), torch.fmod(x, 0.4))
        z = x.clone()
        z.copy_(y)
        print(z)
        print(torch.autograd.grad(z.sum(), [x, y]))
        print(torch.xlogy(2.0, y), torch.xlogy(y, 2.0), torch.copysign(x, -1.0))
        print(torch.lerp(x, y, 0.5), torch.lerp(x, y, y), torch.special.expit(x))
        w = x * 1
        w.atan_()
        print(w, x.clone().fix_(), x.clone().arctan2_(y), x.clone().xlogy_(y))
    """,
    "create_graph": """
        x = torch.tensor([0.3, 0.6], dtype=torch.float64, requires_grad=True)
        for f in [torch.exp2, torch.erf, torch.atanh, torch.log2, torch.rsqrt, torch.erfinv]:
            g, = torch.autograd.grad(f(x).sum(), x, create_graph=True)
            print(g, g.grad_fn.next_functions)
            h, = torch.autograd.grad(g.sum(), x)
            print(h)
    """,
    "int32": """
        x = torch.tensor([1, 2, 3], dtype=torch.int32)
        print(x, x.dtype, torch.tensor([1.5, -2.7]).int())
        print(x + torch.tensor([1, 2, 3]), x + 1, x * 2.5, x / 2, x // 2)
        print((x + torch.tensor(5)).dtype, (x + torch.tensor(5.0)).dtype)
        print(torch.zeros(2, dtype=torch.int), torch.arange(3, dtype=torch.int32))
        print(x.sum(), x.float(), torch.tensor([True, False]).int())
        print(torch.int == torch.int32, x.dtype.is_floating_point, torch.int)
        print(torch.tensor([], dtype=torch.int32), torch.tensor(7, dtype=torch.int32))
        y = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
        print(y * x, y[torch.tensor([0, 2], dtype=torch.int32)])
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_pytorch_prints(name: str) -> None:
    program = PROGRAMS[name]
    expected = torch_output(program)
    ours = output(program)
    assert ours == re.sub(r" at 0x[0-9a-f]+", "", expected)


def test_int32_printing_and_promotion_without_torch() -> None:
    assert output("""
        x = torch.tensor([1, 2], dtype=torch.int32)
        print(x, x + torch.tensor([1, 1]), x * 2, (x * 2).dtype, x.float().dtype)
    """) == ("tensor([1, 2], dtype=torch.int32) tensor([2, 3]) "
             "tensor([2, 4], dtype=torch.int32) torch.int32 torch.float32\n")


def test_unsupported_dtypes_are_named() -> None:
    for name in ("bfloat16", "uint16", "uint32", "complex32"):
        assert error(f"torch.zeros(2, dtype=torch.{name})") == \
            f"'torch.{name}' is not supported by gradcli"


# -- through the CLI ---------------------------------------------------------------------

def test_second_derivative_of_erf_through_the_cli() -> None:
    result = CliRunner().invoke(
        main, ["grad", "-e", "x = torch.tensor([0.5, 0.25]); torch.erf(x).sum()",
               "--wrt", "x", "--order", "2", "--format", "json"],
        env={"COLUMNS": "100", "NO_COLOR": None, "TERM": "dumb"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["result"]["value"] == pytest.approx(math.erf(0.5) + math.erf(0.25), rel=1e-6)
    values = np.asarray(data["derivatives"]["x"]["value"])
    d2 = [-2 * v * 2 / math.sqrt(math.pi) * math.exp(-v * v) for v in (0.5, 0.25)]
    assert np.allclose(np.diag(values), d2, atol=1e-4)
    assert values[0, 1] == 0 and values[1, 0] == 0


# -- lerp rounds once, as PyTorch's kernel (r12: the differential fuzzer's class (k)) ------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [1, 7, 35, 70, 300])
def test_lerp_is_pytorchs_fused_kernel(dtype: str, n: int) -> None:
    """torch.lerp is fma(w, end - start, start) for |w| < 1/2, else fma(w - 1, end -
    start, end), with a tensor or a scalar weight: every element's bits, at sizes on
    each side of the vector loop and of fma's BLAS path (the optimizers' lerp too)."""
    from pyrun import gd_output, torch_output

    text = textwrap.dedent(f"""\
        import torch
        torch.manual_seed({n})
        a = torch.randn({n}, dtype=torch.{dtype}) * 30
        b = torch.randn({n}, dtype=torch.{dtype})
        w = torch.rand({n}, dtype=torch.{dtype}) * 1.4 - 0.2
        print(torch.lerp(a, b, w).tolist())
        print(torch.lerp(a, b, 0.3).tolist(), a.lerp(b, 0.7).tolist())
        print(torch.lerp(a, b, torch.tensor(0.9, dtype=torch.{dtype})).tolist())
        """)
    assert gd_output(text) == torch_output(text)
