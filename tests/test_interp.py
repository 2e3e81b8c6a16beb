"""The gd language (SPEC §1): every statement and expression form, built-ins, errors, inputs.

Programs run in-process through `gradcli.interp.run_source` with prints captured. Expected
outputs are what Python + PyTorch print for the same program (hand-checked), and the
differential tests at the end run ~30 programs under real PyTorch (in one subprocess,
skipped when torch is not installed) and compare stdout byte for byte.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from pyrun import masked

from gradcli.ad import ops as F
from gradcli.ad.session import Session
from gradcli.ad.tensor import State, Tensor
from gradcli.errors import (
    GdAssertionError,
    GdError,
    GdInputError,
    GdLimitError,
    GdRuntimeError,
    UsageError,
)
from gradcli.interp import ProgramResult, RunOptions, run_source
from gradcli.interp.builtins import PYTHON_BUILTINS, describe, registry
from gradcli.interp.values import BoundMethod, Builtin
from gradcli.limits import LIMIT_NAMES, Limits

HAS_TORCH = importlib.util.find_spec("torch") is not None
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."


@pytest.fixture(autouse=True)
def _in_a_session() -> Iterator[None]:
    """Each test runs inside a Session, as every command does: programs may switch grad
    mode or the default dtype, and leaving the session puts the core back."""
    with Session():
        yield


def src(text: str) -> str:
    """Dedented program text (tests write programs indented)."""
    return textwrap.dedent(text).strip("\n") + "\n"


def run(text: str, **options: Any) -> tuple[ProgramResult, str]:
    """Run a program; its result and everything it printed."""
    out: list[str] = []
    limits = {k: options.pop(k) for k in LIMIT_NAMES if k in options}
    res = run_source(src(text), "prog.gd",
                     RunOptions(write=out.append, limits=Limits(**limits), **options))
    return res, "".join(out)


def output(text: str, **options: Any) -> str:
    """What a program prints."""
    return run(text, **options)[1]


def value(text: str, **options: Any) -> Any:
    """A program's result value."""
    return run(text, **options)[0].value


def error(text: str, kind: type[GdError] = GdError, **options: Any) -> GdError:
    """The error a program raises (of the given class)."""
    with pytest.raises(kind) as info:
        run(text, **options)
    return info.value


def at(err: GdError) -> tuple[int, int]:
    """An error's (line, column)."""
    assert err.span is not None, f"no span on {err.message!r}"
    return err.span.line, err.span.column


def arr(v: Any) -> list[Any]:
    """A tensor's values as nested lists."""
    assert type(v) is Tensor
    return v.array.tolist()


# ===================================================================== statements: assignment


def test_assignment_binds_and_result_is_last_assignment() -> None:
    res, _ = run("a = 1\nb = a + 2")
    assert res.variables["a"] == 1 and res.variables["b"] == 3
    assert res.value == 3 and res.name == "b"


def test_chained_assignment_binds_every_target_to_one_object() -> None:
    _, out = run("""
        u = v = tensor([1.0])
        u += 1
        print(v, u is v)
    """)
    assert out == "tensor([2.]) True\n"


def test_tuple_unpacking_swaps_and_nests() -> None:
    out = output("""
        a, b = 1, 2.5
        a, b = b, a
        print(a, b)
        (p, q), r = (1, 2), [3]
        print(p, q, r)
        [m, n] = "xy"
        print(m, n)
    """)
    assert out == "2.5 1\n1 2 [3]\nx y\n"


def test_tuple_unpacking_of_a_tensor_walks_its_first_dimension() -> None:
    res, _ = run("s, t = tensor([[1.0, 2.0], [3.0, 4.0]])")
    assert arr(res.variables["s"]) == [1.0, 2.0] and arr(res.variables["t"]) == [3.0, 4.0]


def test_tuple_unpacking_of_a_function_result() -> None:
    out = output("""
        def pair(z):
            return z * 2, z + 1
        m, n = pair(tensor([1.0, 2.0]))
        print(m, n)
    """)
    assert out == "tensor([2., 4.]) tensor([2., 3.])\n"


@pytest.mark.parametrize(("text", "message"), [
    ("a, b = (1, 2, 3)", "too many values to unpack"),
    ("a, b, c = [1, 2]", "not enough values to unpack (expected 3, got 2)"),
    ("a, b = 5", "cannot unpack non-iterable int object"),
])
def test_bad_unpacking_is_an_error_at_the_targets(text: str, message: str) -> None:
    err = error(text, GdRuntimeError)
    assert message in err.message and at(err) == (1, 1)


def test_subscript_targets_slices_masks_and_elements() -> None:
    out = output("""
        x = tensor([1.0, 2.0, 3.0, 4.0, 5.0])
        x[1:3] = 0
        print(x)
        x[x > 4] = -1
        print(x)
        mask = x == 0
        x[mask] = 7
        x[0] = 10
        x[-1] += 100
        print(x)
        M = zeros(2, 3)
        M[:, 1] = 1
        M[1] = tensor([7.0, 8.0, 9.0])
        M[0, 2] = 5
        print(M)
        L = [1, 2, 3]
        L[0] = 'a'
        print(L)
    """)
    assert out == (
        "tensor([1., 0., 0., 4., 5.])\n"
        "tensor([ 1.,  0.,  0.,  4., -1.])\n"
        "tensor([10.,  7.,  7.,  4., 99.])\n"
        "tensor([[0., 1., 5.],\n        [7., 8., 9.]])\n"
        "['a', 2, 3]\n")


def test_data_subscript_target_changes_the_leaf_it_shares_with() -> None:
    # seed 002: w_detach.data[0] = 999 changes w (detach shares data).
    out = output("""
        w = tensor([1.0], requires_grad=True)
        w_detach = w.detach()
        w_detach.data[0] = 999
        print(w)
        v = ones(3, requires_grad=True)
        v.data[0] = 5
        print(v)
    """)
    assert out == "tensor([999.], requires_grad=True)\ntensor([5., 1., 1.], requires_grad=True)\n"


def test_attribute_targets_grad_requires_grad_and_data() -> None:
    out = output("""
        x = tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        print(x.grad)
        x.grad = None
        print(x.grad)
        (x * 3).sum().backward()
        print(x.grad)
        x.grad = tensor([0.5, 0.5])
        (x * 1).sum().backward()
        print(x.grad)
        q = zeros(2)
        q.requires_grad = True
        print(q, q.is_leaf)
        r = ones(3)
        r.data = tensor([4.0, 5.0, 6.0])
        print(r)
    """)
    assert out == (
        "tensor([2., 4.])\nNone\ntensor([3., 3.])\ntensor([1.5000, 1.5000])\n"
        "tensor([0., 0.], requires_grad=True) True\ntensor([4., 5., 6.])\n")


@pytest.mark.parametrize(("text", "message", "where"), [
    ("x = ones(2)\nx.shape = 3",
     "attribute 'shape' of 'torch._C.TensorBase' objects is not writable", (2, 1)),
    ("x = ones(2)\nx.grad = ones(3)", "attempting to assign a gradient of size '[3]' to a tensor "
     "of size '[2]'. Please ensure that the gradient and the tensor are the same size", (2, 1)),
    ("x = ones(2)\nx.grad = 3", "assigned grad expected to be a Tensor or None", (2, 1)),
    ("x = ones(2)\nx.__class__ = 1", "not accessible in gd", (2, 1)),
    ("t = (1, 2)\nt[0] = 3", "'tuple' object does not support item assignment", (2, 1)),
    ("n = 1\nn.real = 2", "attribute 'real' of 'int' objects is not writable", (2, 1)),
])
def test_forbidden_targets_are_errors(text: str, message: str, where: tuple[int, int]) -> None:
    err = error(text, GdRuntimeError)
    assert message in err.message and at(err) == where


# ================================================================ augmented assignment


def test_augmented_assignment_on_a_tensor_is_in_place() -> None:
    res, out = run("""
        a = tensor([1.0, 2.0])
        b = a
        a += 1
        a *= 3
        a -= tensor([1.0, 1.0])
        a /= 2
        print(a, b, a is b)
    """)
    assert out == "tensor([2.5000, 4.0000]) tensor([2.5000, 4.0000]) True\n"
    assert res.variables["a"] is res.variables["b"]


def test_augmented_assignment_bumps_the_version_seen_by_backward() -> None:
    # exp saves its output; changing it in place is caught at backward time.
    err = error("""
        x = tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        z = y * 2
        y += 1
        z.sum().backward()
    """, GdRuntimeError)
    assert err.message.startswith("one of the variables needed for gradient computation has "
                                  "been modified by an inplace operation")
    assert "is at version 1; expected version 0 instead" in err.message
    assert at(err) == (5, 1)


def test_augmented_assignment_on_a_leaf_requiring_grad_fails() -> None:
    err = error("""
        w = tensor([1.0], requires_grad=True)
        w += 1
    """, GdRuntimeError)
    assert err.message == LEAF_INPLACE
    assert at(err) == (2, 1)
    assert err.hint and "no_grad" in err.hint


def test_augmented_assignment_on_a_leaf_under_no_grad_is_an_sgd_step() -> None:
    out = output("""
        w = tensor([1.0, 2.0], requires_grad=True)
        before = w
        with no_grad():
            w -= 0.5
        print(w, w is before, w.is_leaf)
    """)
    assert out == "tensor([0.5000, 1.5000], requires_grad=True) True True\n"


def test_augmented_assignment_on_numbers_and_strings_rebinds() -> None:
    out = output("""
        n = 3
        m = n
        n += 2
        n *= 2
        n -= 1
        n /= 2
        k = 7
        k //= 2
        k **= 3
        k %= 5
        s = "ab"
        t = s
        s += "c"
        print(n, m, k, s, t)
    """)
    assert out == "4.5 3 2 abc ab\n"


def test_augmented_assignment_on_a_list_mutates_it() -> None:
    assert output("a = [1]\nb = a\na += [2]\na *= 2\nprint(b)") == "[1, 2, 1, 2]\n"


def test_augmented_true_division_of_an_int_tensor_fails_like_pytorch() -> None:
    err = error("x = arange(3)\nx /= 2", GdRuntimeError)
    assert err.message == "result type Float can't be cast to the desired output type Long"


def test_augmented_assignment_to_an_element() -> None:
    assert output("x = ones(3)\nx[1] += 4\nx[2] *= 3\nprint(x)") == "tensor([1., 5., 3.])\n"


# ================================================================ control flow


def test_if_elif_else_takes_the_first_true_branch() -> None:
    program = """
        def pick(v):
            if v < 0:
                return "neg"
            elif v == 0:
                return "zero"
            elif v < 10:
                return "small"
            else:
                return "big"
        print(pick(-1), pick(0), pick(3), pick(50))
    """
    assert output(program) == "neg zero small big\n"


def test_while_loop_runs_until_its_condition_fails() -> None:
    assert output("k = 0\nwhile k < 5:\n    k += 2\nprint(k)") == "6\n"


def test_for_over_range_list_tuple_string_and_tensor() -> None:
    out = output("""
        for i in range(2, 11, 4):
            print(i)
        for i in range(3, 0, -1):
            print(i)
        for e in (1, "a", None):
            print(e)
        for e in [True, [1, 2]]:
            print(e)
        for ch in "xy":
            print(ch)
        for row in tensor([[1.0, 2.0], [3.0, 4.0]]):
            print(row, row.sum())
    """)
    assert out == ("2\n6\n10\n3\n2\n1\n1\na\nNone\nTrue\n[1, 2]\nx\ny\n"
                   "tensor([1., 2.]) tensor(3.)\ntensor([3., 4.]) tensor(7.)\n")


def test_for_over_a_tensor_keeps_the_graph() -> None:
    out = output("""
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        total = 0
        for e in x:
            total = total + e * e
        total.backward()
        print(total, x.grad)
    """)
    assert out == "tensor(14., grad_fn=<AddBackward0>) tensor([2., 4., 6.])\n"


def test_break_continue_and_pass() -> None:
    out = output("""
        for i in range(6):
            if i == 1:
                continue
            elif i == 4:
                break
            else:
                pass
            print(i)
        total = 0
        for i in range(3):
            for j in range(10):
                if j > i:
                    break
                total += 10 * i + j
        k = 0
        while True:
            k += 1
            if k % 2 == 0:
                continue
            if k > 6:
                break
        print(total, k)
    """)
    assert out == "0\n2\n3\n84 7\n"


def test_return_from_inside_a_loop() -> None:
    out = output("""
        def first_square_over(n, limit):
            for i in range(n):
                while True:
                    if i * i > limit:
                        return i
                    break
            return -1
        print(first_square_over(10, 10), first_square_over(2, 10))
    """)
    assert out == "4 -1\n"


def test_iterating_a_number_or_a_0d_tensor_is_an_error() -> None:
    err = error("for i in 5:\n    pass", GdRuntimeError)
    assert err.message == "'int' object is not iterable" and at(err) == (1, 10)
    err = error("for i in tensor(2.0):\n    pass", GdRuntimeError)
    assert err.message == "iteration over a 0-d tensor"


# ================================================================ functions


def test_def_with_defaults_keywords_and_recursion() -> None:
    out = output("""
        def kw(a, b=2, c=3):
            return a + 10 * b + 100 * c
        print(kw(1), kw(1, c=5), kw(1, 4), kw(c=0, a=1, b=0))
        def fact(n):
            return 1 if n <= 1 else n * fact(n - 1)
        print(fact(10), fact(25))
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        print(fib(15))
    """)
    assert out == "321 521 341 1\n3628800 15511210043330985984000000\n610\n"


def test_defaults_are_evaluated_once_at_def_time() -> None:
    out = output("""
        d = 1
        def f(a, b=d):
            return a + b
        d = 100
        def g(a, acc=[]):
            acc.append(a)
            return acc
        g(1)
        print(f(1), g(2))
    """)
    assert out == "2 [1, 2]\n"


def test_closures_scopes_and_late_binding() -> None:
    out = output("""
        def make(c):
            def inner(v):
                return v * c
            return inner
        triple = make(3)
        print(triple(tensor([1.0, 2.0])), triple(2))
        def late():
            return later_value
        later_value = 42
        print(late())
        x = 1
        def shadow():
            x = 2
            return x
        print(shadow(), x)
        def nothing():
            pass
        print(nothing())
    """)
    assert out == "tensor([3., 6.]) 6\n42\n2 1\nNone\n"


def test_lambda_and_functions_as_values() -> None:
    out = output("""
        sq = lambda v: v * v
        add = lambda a, b=10: a + b
        def apply(fn, v):
            return fn(v)
        print(sq(4), sq(tensor(2.0)), add(1), add(1, 2))
        print(apply(sq, 3), apply(lambda t: t + 1, tensor([1.0])))
        print(sq, apply)
    """)
    assert out == ("16 tensor(4.) 11 3\n9 tensor([2.])\n"
                   "<function <lambda> at 0x7f0000000010> <function apply at 0x7f0000000020>\n")


@pytest.mark.parametrize(("call", "message"), [
    ("f(1, 2, 3)", "f() takes from 1 to 2 positional arguments but 3 were given"),
    ("f()", "f() missing 1 required positional argument: 'a'"),
    ("f(1, c=2)", "f() got an unexpected keyword argument 'c'"),
    ("f(1, a=2)", "f() got multiple values for argument 'a'"),
])
def test_bad_calls_of_gd_functions(call: str, message: str) -> None:
    err = error(f"def f(a, b=1):\n    return a\n{call}", GdRuntimeError)
    assert err.message == message and at(err) == (3, 1)


def test_runaway_recursion_is_a_limit_error() -> None:
    err = error("def f(n):\n    return f(n + 1)\nf(0)", GdLimitError)
    assert "maximum recursion depth (200) exceeded in f()" in err.message
    err = error("def f(n):\n    return f(n + 1)\nf(0)", GdLimitError, max_depth=50)
    assert "(50)" in err.message


def test_functions_passed_to_the_functional_api() -> None:
    out = output("""
        from torch.autograd.functional import jacobian, hessian, jvp, vjp, hvp
        def g(t):
            return (t ** 3).sum()
        p = tensor([1.0, 2.0])
        print(jacobian(lambda t: t ** 2, p))
        print(hessian(g, p))
        print(jvp(lambda t: t ** 3, p, ones(2)))
        print(vjp(lambda t: t ** 3, p, tensor([1.0, 0.5])))
        print(hvp(g, p, ones(2)))
        def two(a, b):
            return a * b + a
        print(jacobian(two, (tensor([1.0, 2.0]), tensor([3.0, 4.0]))))
    """)
    assert out == (
        "tensor([[2., 0.],\n        [0., 4.]])\n"
        "tensor([[ 6.,  0.],\n        [ 0., 12.]])\n"
        "(tensor([1., 8.]), tensor([ 3., 12.]))\n"
        "(tensor([1., 8.]), tensor([3., 6.]))\n"
        "(tensor(9.), tensor([ 6., 12.]))\n"
        "(tensor([[4., 0.],\n        [0., 5.]]), tensor([[1., 0.],\n        [0., 2.]]))\n")


# ================================================================ grad-mode contexts


def test_with_no_grad_enable_grad_and_set_grad_enabled() -> None:
    out = output("""
        x = ones(2, requires_grad=True)
        with no_grad():
            y = x * 2
            print(is_grad_enabled(), y.requires_grad)
            with enable_grad():
                print((x * 2).requires_grad)
            print(is_grad_enabled())
        print(is_grad_enabled(), y.requires_grad)
        with torch.set_grad_enabled(False):
            print((x * 2).requires_grad)
        with set_grad_enabled(True):
            print((x * 2).requires_grad)
        with torch.no_grad:
            print(is_grad_enabled())
    """)
    assert out == "False False\nTrue\nFalse\nTrue False\nFalse\nTrue\nFalse\n"


def test_grad_mode_decorators() -> None:
    out = output("""
        x = ones(2, requires_grad=True)
        @torch.no_grad()
        def h(v):
            return v * 2
        @enable_grad()
        def e(v):
            return v * 2
        @torch.set_grad_enabled(False)
        def s(v):
            return v * 2
        @no_grad
        def bare(v):
            return v * 2
        print(h(x).requires_grad, e(x).requires_grad, s(x).requires_grad, bare(x).requires_grad)
        with no_grad():
            print(e(x).requires_grad)
        print(is_grad_enabled())
    """)
    assert out == "False True False False\nTrue\nTrue\n"


def test_set_grad_enabled_called_as_a_function_switches_grad_mode() -> None:
    out = output("""
        x = ones(1, requires_grad=True)
        set_grad_enabled(False)
        print(is_grad_enabled(), (x * 2).requires_grad)
        set_grad_enabled(True)
        print(is_grad_enabled())
    """)
    assert out == "False False\nTrue\n"


def test_grad_mode_is_restored_when_the_with_body_fails() -> None:
    error("with no_grad():\n    y = undefined_name", GdRuntimeError)
    assert State.grad_enabled


def test_with_on_something_that_is_not_a_context_manager() -> None:
    err = error("with 3:\n    pass", GdRuntimeError)
    assert "does not support the context manager protocol" in err.message and at(err) == (1, 6)


def test_builtins_other_than_grad_modes_are_not_decorators() -> None:
    err = error("@len\ndef g():\n    pass", GdRuntimeError)
    assert "decorators are supported" in err.message and at(err) == (1, 2)


# ================================================================ assert


def test_assert_passes_silently() -> None:
    assert output("assert 1 < 2\nassert tensor(1.0)\nassert [0], 'nonempty'\nprint('ok')") == "ok\n"


def test_assert_without_message() -> None:
    err = error("x = 1\nassert x == 2", GdAssertionError)
    assert err.message == "assertion failed: x == 2" and at(err) == (2, 8)
    assert err.kind == "assertion"


def test_assert_with_message_evaluates_it_only_on_failure() -> None:
    err = error("x = tensor([1.0, 2.0])\nassert x.sum() > 5, f'sum is {x.sum().item()}'",
                GdAssertionError)
    assert err.message == "assertion failed: sum is 3.0 (x.sum() > 5)" and at(err) == (2, 8)
    assert output("assert True, undefined_name\nprint(1)") == "1\n"


def test_seed_assert_on_a_gradient() -> None:
    # seed 000: assert (x.grad - 4 * x).norm().item() == 0
    out = output("""
        x = reshape(arange(4, dtype=torch.float64), (4, 1))
        x.requires_grad_(True)
        y = 2 * mm(x.T, x)
        torch.autograd.backward(y)
        assert (x.grad - 4 * x).norm().item() == 0
        print(y)
    """)
    assert out == "tensor([[28.]], dtype=torch.float64, grad_fn=<MulBackward0>)\n"


# ================================================================ printing


@pytest.mark.parametrize(("expr", "printed"), [
    ("1, -0.0, 1e20, 1e-5, 0.1 + 0.2, 1 / 3, 10 ** 20",
     "1 -0.0 1e+20 1e-05 0.30000000000000004 0.3333333333333333 100000000000000000000"),
    ("float('inf'), float('-inf'), float('nan'), 7 // 2, -7 // 2, -7 % 3, 2 ** -1",
     "inf -inf nan 3 -4 2 0.5"),
    ("True, False, None, True + 1, 3 == 3.0, 1e16, 100.0", "True False None 2 True 1e+16 100.0"),
    ("'text', [1, 'a', 2.0, None], (1,), (), [], ((1, 2), [3])",
     "text [1, 'a', 2.0, None] (1,) () [] ((1, 2), [3])"),
    ("tensor(3.5), tensor([1.0, 2.0], requires_grad=True)",
     "tensor(3.5000) tensor([1., 2.], requires_grad=True)"),
    ("tensor([0.1, 0.2], dtype=torch.float64), tensor([1, 2]), tensor([True, False])",
     "tensor([0.1000, 0.2000], dtype=torch.float64) tensor([1, 2]) tensor([ True, False])"),
    ("tensor([1e-5, 1.0, 1e5])", "tensor([1.0000e-05, 1.0000e+00, 1.0000e+05])"),
    ("(tensor(1.0), tensor([2.0]))", "(tensor(1.), tensor([2.]))"),
    ("[tensor(1.0)], (tensor(1.0),)", "[tensor(1.)] (tensor(1.),)"),
    ("ones(2, 3).shape, torch.Size([4]), ones(1).dtype, torch.double, torch.long",
     "torch.Size([2, 3]) torch.Size([4]) torch.float32 torch.float64 torch.int64"),
    ("(tensor(2.0, requires_grad=True) * 3).grad_fn", "<MulBackward0 object at 0x7f0000000010>"),
    ("ones(2).sum, print, torch, range(3)",
     "<built-in method sum of Tensor object at 0x7f0000000010> <built-in function print> "
     "<module 'torch'> range(0, 3)"),
    ("manual_seed(0)", "<torch._C.Generator object at 0x7f0000000010>"),
    ("torch.max(tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)",
     "torch.return_types.max(\nvalues=tensor([5., 7.]),\nindices=tensor([1, 0]))"),
])
def test_print_of_every_value_kind(expr: str, printed: str) -> None:
    assert output(f"print({expr})") == printed + "\n"


def test_print_sep_end_and_no_arguments() -> None:
    assert output("print(1, 2, sep=', ', end='!\\n')\nprint()\nprint('a', 'b', sep='')") == \
        "1, 2!\n\nab\n"


def test_print_of_a_matrix_wraps_like_pytorch() -> None:
    assert output("print(arange(12.0).reshape(3, 4))") == (
        "tensor([[ 0.,  1.,  2.,  3.],\n"
        "        [ 4.,  5.,  6.,  7.],\n"
        "        [ 8.,  9., 10., 11.]])\n")


def test_grad_fn_prints_with_the_runs_address() -> None:
    # PyTorch prints a memory address, different every run; gd the run's (ad/identity):
    # 0x7f0000000000 + 16 for each object printed (or given to id()) before.
    out = output("""
        w = tensor([1.0], requires_grad=True)
        a = add(w, 1)
        y = mul(a, a)
        print(w.grad_fn, a.grad_fn, y.grad_fn, y)
    """)
    assert out == ("None <AddBackward0 object at 0x7f0000000010> <MulBackward0 object at "
                   "0x7f0000000020> tensor([4.], grad_fn=<MulBackward0>)\n")


# ================================================================ imports


def test_accepted_imports_bind_the_builtin_namespaces() -> None:
    out = output("""
        import torch
        import torch.nn.functional as F
        import torch.autograd
        import math
        from torch import tensor as T, ones, float64
        from torch.autograd import grad
        from torch.autograd.functional import jacobian
        import torch.linalg as LA
        x = T([1.0, -2.0], requires_grad=True)
        print(F.relu(x), ones(2, dtype=float64), LA.norm(T([3.0, 4.0])))
        (g,) = grad((x * x).sum(), x)
        print(g, jacobian(lambda t: t * 3, x))
        print(math.pi, math.sqrt(2.0), math.floor(2.7), math.factorial(5))
        print(torch.autograd.grad((x ** 3).sum(), x))
    """)
    assert out == (
        "tensor([1., 0.], grad_fn=<ReluBackward0>) tensor([1., 1.], dtype=torch.float64) "
        "tensor(5.)\n"
        "tensor([ 2., -4.]) tensor([[3., 0.],\n        [0., 3.]])\n"
        "3.141592653589793 1.4142135623730951 2 120\n"
        "(tensor([ 3., 12.]),)\n")


@pytest.mark.parametrize(("line", "message", "column"), [
    ("import shutil", "import of 'shutil' is not allowed in gd", 1),
    ("import marshal", "import of 'marshal' is not allowed in gd", 1),
    ("from shelve import open", "import of 'shelve' is not allowed in gd", 1),
    ("import torch.sparse", "'torch.sparse' is not supported by gradcli", 1),
    ("from torch import nonexistent", "cannot import name 'nonexistent' from 'torch'", 19),
])
def test_other_imports_are_errors(line: str, message: str, column: int) -> None:
    err = error("x = 1\n" + line, GdRuntimeError)
    assert err.message == message and at(err) == (2, column)


def test_a_bad_import_fails_before_anything_runs() -> None:
    out: list[str] = []
    with pytest.raises(GdRuntimeError):
        run_source("print('first')\nimport shutil\n", "p.gd", RunOptions(write=out.append))
    assert out == []


# ================================================================ expressions


def test_arithmetic_precedence_and_python_number_semantics() -> None:
    out = output("""
        print(7 / 2, 7 // 2, -7 / 2, 2 ** 3 ** 2, (2 ** 3) ** 2, -2 ** 2)
        print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 10 - 2 - 3, 2 * 3 % 4, -7 % 3, 7.5 // 2)
    """)
    assert out == "3.5 3 -3.5 512 64 -4\n5.0 9 5 2 2 3.0\n"


def test_tensor_operators() -> None:
    out = output("""
        x = tensor([1.0, 2.0, 3.0])
        print(-x, +x, x @ x, ones(2, 2) @ ones(2), x // 2, x % 2, 2 ** x, x ** 2)
        print(x / 2, 2 / x, 1 - x, x - 1)
    """)
    assert out == (
        "tensor([-1., -2., -3.]) tensor([1., 2., 3.]) tensor(14.) tensor([2., 2.]) "
        "tensor([0., 1., 1.]) tensor([1., 0., 1.]) tensor([2., 4., 8.]) tensor([1., 4., 9.])\n"
        "tensor([0.5000, 1.0000, 1.5000]) tensor([2.0000, 1.0000, 0.6667]) "
        "tensor([ 0., -1., -2.]) tensor([0., 1., 2.])\n")


def test_comparisons_chain_like_python_and_are_elementwise_on_tensors() -> None:
    out = output("""
        x = tensor([1.0, 2.0, 3.0])
        print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 >= 2 == 2, 1 == 1.0 != 2)
        print(x < 2, x == 2, 2 > x)
        print(0 < tensor(1.0) < 2)
    """)
    assert out == ("True False True True\n"
                   "tensor([ True, False, False]) tensor([False,  True, False]) "
                   "tensor([ True, False, False])\n"
                   "tensor(True)\n")


def test_chained_comparison_evaluates_each_operand_once_and_short_circuits() -> None:
    out = output("""
        calls = []
        def f(v):
            calls.append(v)
            return v
        r = f(1) < f(0) < f(5)
        print(r, calls)
    """)
    assert out == "False [1, 0]\n"


def test_is_in_and_boolean_operators() -> None:
    out = output("""
        x = tensor([1.0, 2.0])
        print(x.grad is None, x is not None, None is None, x is x, x is x + 0)
        print(2 in [1, 2], 3 not in (1, 2), 'a' in 'abc', 2.0 in x, 5 in x)
        print(True and 3, 0 or "z", None or [], 1 and 0, not [], not 1)
        print(False and undefined_name, True or undefined_name)
    """)
    assert out == ("True True True True False\nTrue True True True False\n"
                   "3 z [] 0 True False\nFalse True\n")


def test_conditional_expression_is_lazy() -> None:
    assert output("print(1 if True else undefined_name, 'y' if [] else 'n')") == "1 n\n"


def test_indexing_and_slicing() -> None:
    out = output("""
        a = arange(6.0).reshape(2, 3)
        x = tensor([1.0, 2.0, 3.0])
        print(a[:, 1], a[0], a[1, 2], a[:, -1])
        print(arange(10.0)[1:8:3], x[-1], x[::2], x[x > 1])
        L = [1, 2, 3, 4]
        print(L[1:], L[::-1], L[-1], "hello"[1:3], (5, 6)[0], L[tensor(1)])
    """)
    assert out == ("tensor([1., 4.]) tensor([0., 1., 2.]) tensor(5.) tensor([2., 5.])\n"
                   "tensor([1., 4., 7.]) tensor(3.) tensor([1., 3.]) tensor([2., 3.])\n"
                   "[2, 3, 4] [4, 3, 2, 1] 4 el 5 2\n")


def test_dot_T_and_method_calls() -> None:
    out = output("""
        a = arange(6.0).reshape(2, 3)
        print(a.T.shape, a.t().shape, a.sum(dim=0), a.sum(1, keepdim=True).shape)
        print(a.size(), a.size(1), a.ndim, a.dim(), a.numel(), a.dtype, a.is_leaf)
    """)
    assert out == ("torch.Size([3, 2]) torch.Size([3, 2]) tensor([3., 5., 7.]) "
                   "torch.Size([2, 1])\n"
                   "torch.Size([2, 3]) 3 2 2 6 torch.float32 True\n")


# ----------------------------------------------------------------- f-strings


def test_fstrings_with_specs_on_numbers_strings_and_values() -> None:
    out = output("""
        print(f"{3:04d} {2.5:+.1f} {'ab':>4} {1234567.891:,.2f} {0.5:%} {7:x} {255:b}")
        print(f"{None} {True} {[1, 2]} {(1,)} {ones(2).shape} {ones(2).dtype}")
        print(f"{2!r} {'s'!r} {'s'} {1.0} {{literal}} {1 + 1}")
        print("{} and {:.1f}".format(1, 2.345))
    """)
    assert out == ("0003 +2.5   ab 1,234,567.89 50.000000% 7 11111111\n"
                   "None True [1, 2] (1,) torch.Size([2]) torch.float32\n"
                   "2 's' s 1.0 {literal} 2\n"
                   "1 and 2.3\n")


def test_fstrings_format_0d_tensors_by_their_item() -> None:
    # Tensor.__format__: a 0-d tensor formats as its Python number, spec or not.
    out = output("""
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        loss = (x * x).sum()
        t = tensor(0.25)
        print(f"loss = {loss} {loss:.3f} {t} {t:.2e} {t:>8.2f}|")
        print(f"{tensor(0.1)} {tensor(3):d} {tensor(2.5):g}")
        print(f"x = {x}")
    """)
    assert out == ("loss = 14.0 14.000 0.25 2.50e-01     0.25|\n"
                   "0.10000000149011612 3 2.5\n"
                   "x = tensor([1., 2., 3.], requires_grad=True)\n")


def test_fstring_spec_on_a_multi_element_tensor_fails_like_pytorch() -> None:
    err = error("x = ones(2)\nprint(f'{x:.2f}')", GdRuntimeError)
    assert err.message == "unsupported format string passed to Tensor.__format__"
    assert at(err)[0] == 2


def test_format_fields_cannot_reach_attributes() -> None:
    err = error("print('{0.__class__.__dict__}'.format(1))", GdRuntimeError)
    assert "'__dict__' is not accessible in gd" in err.message


# ----------------------------------------------------------------- truth of tensors


def test_truth_of_one_element_tensors_is_their_value() -> None:
    out = output("""
        x = tensor([1.0])
        if x:
            print("yes")
        if tensor(0.0):
            print("no")
        else:
            print("zero is false")
        while x < 4:
            x = x * 2
        print(x, bool(tensor([2.0])), not tensor(0), tensor([0.0]) or "empty")
        y = tensor([[3.0]])
        print("big" if y > 2 else "small")
        assert tensor([True])
    """)
    assert out == "yes\nzero is false\ntensor([4.]) True True empty\nbig\n"


@pytest.mark.parametrize(("text", "where"), [
    ("x = ones(2)\nif x:\n    pass", (2, 4)),
    ("x = ones(2)\nwhile x:\n    pass", (2, 7)),
    ("x = ones(2)\nassert x", (2, 8)),
    ("x = ones(2)\ny = 1 if x else 2", (2, 10)),
    ("x = ones(2)\ny = x and 1", (2, 5)),
    ("x = ones(2)\ny = not x", (2, 5)),
    ("x = ones(2)\ny = bool(x)", (2, 5)),
])
def test_truth_of_a_multi_element_tensor_is_an_error(text: str, where: tuple[int, int]) -> None:
    err = error(text, GdRuntimeError)
    assert err.message == "Boolean value of Tensor with more than one value is ambiguous"
    assert at(err) == where


# ================================================================ built-ins

# SPEC 1.2's list: creation, math, autograd (as torch.X and bare)
SPEC_TORCH_FUNCTIONS = [
    "tensor", "Tensor", "arange", "linspace", "ones", "zeros", "ones_like", "zeros_like",
    "full", "eye", "rand", "randn", "normal", "manual_seed", "add", "sub", "mul", "div", "pow",
    "neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "clamp",
    "maximum", "minimum", "where", "matmul", "mm", "mv", "dot", "sum", "mean", "prod", "max",
    "min", "norm", "reshape", "transpose", "t", "permute", "squeeze", "unsqueeze", "cat",
    "stack", "diag", "softmax", "log_softmax", "clone", "allclose", "detach",
    "set_grad_enabled", "no_grad", "enable_grad", "is_grad_enabled"
]
SPEC_F_FUNCTIONS = [
    "binary_cross_entropy_with_logits", "mse_loss", "cross_entropy", "relu", "softmax",
]
SPEC_AUTOGRAD = ["backward", "grad"]
SPEC_FUNCTIONAL = ["jacobian", "hessian", "jvp", "vjp", "hvp"]
SPEC_PYTHON = ["print", "len", "range", "abs", "float", "int", "min", "max", "round"]
SPEC_METHODS = [
    "add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tan",
    "tanh", "sigmoid", "relu", "clamp", "matmul", "mm", "mv", "dot", "sum", "mean", "prod",
    "max", "min", "norm", "reshape", "view", "transpose", "t", "permute", "squeeze",
    "unsqueeze", "softmax", "log_softmax", "clone", "allclose", "float", "double", "long",
    "add_", "sub_", "mul_", "div_", "zero_", "fill_", "clamp_", "item", "backward", "detach",
    "detach_", "requires_grad_", "retain_grad"
]


# Spelled through an import (torch and F are bare names).
IMPORTED_MODULES = ("math", "typing", "numpy", "random", "itertools", "functools", "traceback",
                    "collections", "warnings", "copy", "dataclasses", "functorch",
                    "time", "sys", "os", "json", "pprint", "string", "textwrap", "statistics",
                    "io", "operator", "heapq", "bisect", "argparse", "contextlib", "enum",
                    "abc", "tqdm", "matplotlib", "sklearn", "logging", "csv", "pickle",
                    "pathlib", "re", "datetime", "unicodedata", "cmath", "numbers", "types", "gc")


def _resolve(spelling: str) -> Any:
    module = spelling.split(".")[0]
    prelude = f"import {module}\n" if module in IMPORTED_MODULES else ""
    return value(prelude + spelling)


@pytest.mark.parametrize("name", SPEC_TORCH_FUNCTIONS)
def test_spec_builtin_reachable_bare_and_as_torch_X(name: str) -> None:
    bare, spelled = _resolve(name), _resolve(f"torch.{name}")
    assert isinstance(bare, Builtin) and callable(bare) and bare.doc
    assert isinstance(spelled, Builtin) and callable(spelled) and spelled.doc
    if name in PYTHON_BUILTINS:
        # abs, sum, max, min, pow: bare is Python's built-in (sum(M) adds M's rows to 0),
        # torch.X is torch's (torch.sum(M) reduces everything).
        assert bare.fn is PYTHON_BUILTINS[name] and spelled.fn is not bare.fn
    else:
        assert spelled.fn is bare.fn


@pytest.mark.parametrize("name", SPEC_F_FUNCTIONS)
def test_spec_nn_functional_reachable_as_F_X_and_full_spelling(name: str) -> None:
    short = _resolve(f"F.{name}")
    full = _resolve(f"torch.nn.functional.{name}")
    assert short is full and isinstance(short, Builtin) and short.doc
    # The bare name is F.X, or torch.X where PyTorch's differ (F.relu takes inplace=).
    bare = _resolve(name).fn
    assert bare is short.fn or bare is _resolve(f"torch.{name}").fn


@pytest.mark.parametrize(("name", "prefix"), [(n, "torch.autograd") for n in SPEC_AUTOGRAD]
                         + [(n, "torch.autograd.functional") for n in SPEC_FUNCTIONAL])
def test_spec_autograd_reachable_bare_and_spelled(name: str, prefix: str) -> None:
    spelled, bare = _resolve(f"{prefix}.{name}"), _resolve(name)
    assert isinstance(spelled, Builtin) and spelled.doc and bare.fn is spelled.fn


@pytest.mark.parametrize("name", SPEC_PYTHON)
def test_spec_python_builtins_reachable(name: str) -> None:
    v = _resolve(name)
    assert isinstance(v, Builtin) and callable(v) and v.doc


@pytest.mark.parametrize("name", SPEC_METHODS)
def test_spec_tensor_methods_reachable(name: str) -> None:
    assert isinstance(_resolve(f"ones(2).{name}"), BoundMethod)


def test_linalg_norm_and_dtype_spellings() -> None:
    assert output("print(torch.linalg.norm(tensor([3.0, 4.0])), norm(tensor([3.0, 4.0])))") == \
        "tensor(5.) tensor(5.)\n"
    assert output("print(torch.float64, torch.float, torch.double, torch.long, torch.int64, "
                  "torch.bool, float32)") == \
        "torch.float64 torch.float32 torch.float64 torch.int64 torch.int64 torch.bool " \
        "torch.float32\n"


@pytest.mark.parametrize(("spelling", "doc"), describe(), ids=[r[0] for r in describe()])
def test_every_registered_builtin_is_callable_and_documented(spelling: str, doc: str) -> None:
    v = _resolve(spelling)
    assert isinstance(v, Builtin) and callable(v)
    assert doc and doc == v.doc


def test_every_bare_builtin_is_listed_by_describe_or_a_namespace() -> None:
    reg = registry()
    described = {s for s, _ in describe()}
    for name, v in reg.bare.items():
        if not isinstance(v, Builtin) or "$" in name:
            continue  # ($: a match statement's hidden tests, no program can name them)
        assert v.doc, f"{name} has no doc line"
        assert name in PYTHON_BUILTINS or v.name in described, name


# function and method forms give the same values (where PyTorch has both)
FUNCTION_AND_METHOD = [
    ("abs", ""), ("exp", ""), ("neg", ""), ("sin", ""), ("cos", ""), ("tan", ""), ("tanh", ""),
    ("sigmoid", ""), ("relu", ""), ("sqrt", ""), ("log", ""), ("sum", ""), ("mean", ""),
    ("prod", ""), ("max", ""), ("min", ""), ("norm", ""), ("clone", ""), ("t", ""),
    ("sum", ", dim=1"), ("mean", ", 0, keepdim=True"), ("softmax", ", dim=1"),
    ("log_softmax", ", dim=0"), ("clamp", ", min=0.2, max=0.6"), ("pow", ", 2"),
    ("add", ", 1"), ("sub", ", 1"), ("mul", ", 3"), ("div", ", 4"), ("reshape", ", (3, 2)"),
    ("transpose", ", 0, 1"), ("permute", ", (1, 0)"), ("unsqueeze", ", 0"),
    ("squeeze", ""), ("matmul", ", ones(3)"), ("mv", ", ones(3)"), ("mm", ", ones(3, 2)"),
]


@pytest.mark.parametrize(("name", "args"), FUNCTION_AND_METHOD)
def test_function_and_method_forms_agree(name: str, args: str) -> None:
    base = "a = arange(1.0, 7.0).reshape(2, 3) / 7\n"
    f = value(base + f"torch.{name}(a{args})")
    m = value(base + f"a.{name}({args.lstrip(', ')})")
    np.testing.assert_array_equal(f.array, m.array)
    assert f.shape == m.shape and f.dtype == m.dtype


def test_python_builtins_keep_pythons_meaning_on_tensors() -> None:
    out = output("""
        print(len([1, 2]), len(ones(3, 2)), abs(-2), abs(tensor([-1.0])), float(tensor(2.0)))
        print(int(3.7), min(3, 1), max([2, 5]), round(2.567, 2), torch.round(tensor([1.56])))
        print(min(tensor([3.0, 1.0])), max(tensor(2.0), tensor(5.0)), sum([1, 2, 3]))
        print(round(7.5), round(8.5), int("12") + 1, str(5) + "!", float(3), int(-2.7))
    """)
    assert out == ("2 3 2 tensor([1.]) 2.0\n3 1 5 2.57 tensor([2.])\n"
                   "tensor(1.) tensor(5.) 6\n8 8 13 5! 3.0 -2\n")


def test_float_of_a_multi_element_tensor_uses_pytorchs_words() -> None:
    err = error("v = float(ones(2))", GdRuntimeError)
    assert err.message == "only one element tensors can be converted to Python scalars"


# ================================================================ runtime errors and spans


@pytest.mark.parametrize(("text", "message", "where"), [
    ("x = ones(2)\ny = ones(3)\nz = x + y",
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
     (3, 5)),
    ("x = ones(2)\nz = 1 + (x * ones(3))",
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
     (2, 9)),  # the parenthesised product, parentheses included
    ("x = tensor([1.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
     "Trying to backward through the graph a second time", (4, 1)),
    ("w = tensor([1.0], requires_grad=True)\nw.add_(1)",
     "a leaf Variable that requires grad is being used in an in-place operation.", (2, 1)),
    ("x = ones(3, requires_grad=True)\n(x * 2).backward()",
     "grad can be implicitly created only for scalar outputs", (2, 1)),
    ("x = ones(2)\nx.sum().backward()",
     "element 0 of tensors does not require grad and does not have a grad_fn", (2, 1)),
    ("x = ones(3)\ny = x[5]", "index 5 is out of bounds for dimension 0 with size 3", (2, 5)),
    ("x = ones(6)\ny = x.reshape(4, 2)", "shape '[4, 2]' is invalid for input of size 6", (2, 5)),
    ("x = ones(2)\nv = x.item()", "a Tensor with 2 elements cannot be converted to Scalar",
     (2, 5)),
    ("x = 1 / 0", "division by zero", (1, 5)),
    ("x = undefined_name + 1", "name 'undefined_name' is not defined", (1, 5)),
    ("y = 1\ny()", "'int' object is not callable", (2, 1)),
    ("x = ones(2).foo", "'Tensor' object has no attribute 'foo'", (1, 13)),
    ("x = ones(2)\ny = x.__class__.__dict__", "not accessible in gd", (2, 17)),
    ("x = torch.nothing", "module 'torch' has no attribute 'nothing'", (1, 11)),
    ("x = 'a' + 1", 'can only concatenate str (not "int") to str', (1, 5)),
    ("x = -'a'", "bad operand type for unary -: 'str'", (1, 5)),
    ("x = 1 < 'a'", "'<' not supported between instances of 'int' and 'str'", (1, 5)),
    ("x = tensor([1, 2], requires_grad=True)", "can require gradients", (1, 5)),
    ("x = ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad_(False)",
     "you can only change requires_grad flags of leaf variables", (3, 1)),
    ("x = 5\ny = x[0]", "'int' object is not subscriptable", (2, 5)),
])
def test_runtime_errors_carry_pytorch_wording_and_the_failing_span(
        text: str, message: str, where: tuple[int, int]) -> None:
    err = error(text, GdRuntimeError)
    assert message in err.message
    assert at(err) == where
    assert err.kind in ("runtime", "limit")


def test_error_inside_a_function_points_into_the_function() -> None:
    err = error("""
        def f(a):
            b = a * 2
            return b + ones(5)
        x = f(ones(2))
    """, GdRuntimeError)
    assert at(err) == (3, 12)


def test_error_span_covers_the_whole_failing_expression() -> None:
    err = error("x = ones(2)\ny = ones(3)\nz = x + y", GdRuntimeError)
    assert err.span is not None
    assert (err.span.line, err.span.column, err.span.end_line, err.span.end_column) == (3, 5, 3, 10)


def test_unknown_name_suggests_a_close_builtin() -> None:
    err = error("x = tensr([1.0])", GdRuntimeError)
    assert err.hint == "did you mean 'tensor'?"


def test_step_limit_stops_an_endless_loop() -> None:
    err = error("k = 0\nwhile True:\n    k += 1", GdLimitError, max_steps=1000)
    assert "step limit reached" in err.message and err.kind == "limit"
    assert err.limit == "max_steps" and err.hint == "an endless loop?"  # the CLI adds the flag


def test_huge_integer_powers_are_a_limit_not_a_hang() -> None:
    err = error("x = 10 ** 10 ** 10", GdLimitError)
    assert "integer too large" in err.message


def test_private_attributes_are_never_reachable() -> None:
    for text in ("print.__call__", "torch.__dict__", "(lambda: 1).__globals__",
                 "ones(1).grad_fn", "'a'.__class__.__dict__"):
        try:
            v = value(text)
        except GdRuntimeError as e:
            assert "not accessible" in e.message or "has no attribute" in e.message
        else:
            assert v is None  # ones(1).grad_fn


# ================================================================ --set / --wrt / --of


def test_set_overrides_the_first_top_level_assignment_only() -> None:
    res, out = run("""
        x = arange(4.0)
        print(x)
        x = x * 10
        y = 2 * dot(x, x)
    """, overrides={"x": F.tensor([1.0, 2.0])})
    assert out == "tensor([1., 2.])\n"
    assert arr(res.value) == 1000.0 and res.name == "y"


def test_set_of_a_name_the_program_never_assigns_is_an_error_before_running() -> None:
    # SPEC 2.1: --set replaces the value of a binding the program makes, or (round 22)
    # gives one to a name the program reads and never assigns; a name it never mentions
    # is a mistake.
    with pytest.raises(GdInputError) as info:
        run("y = b * 3", overrides={"a": 2})
    assert (info.value.role, info.value.name) == ("set", "a")
    assert info.value.message == "the program never assigns 'a' (outside functions)"
    res, _ = run("y = a * 3", overrides={"a": 2})
    assert res.value == 6 and res.variables["a"] == 2


def test_set_override_is_not_evaluated_so_its_expression_has_no_effects() -> None:
    res, out = run("x = undefined_name\nprint(x)", overrides={"x": 5})
    assert out == "5\n" and res.value == 5


def test_wrt_marks_the_first_assignment_as_a_leaf_requiring_grad() -> None:
    res, _ = run("x = arange(4.0)\ny = 2 * dot(x, x)", wrt=["x"])
    x = res.inputs["x"]
    assert x.requires_grad and x.is_leaf and x is res.variables["x"]
    assert res.value.requires_grad and res.value.grad_fn is not None


def test_wrt_on_a_set_value_and_on_a_number() -> None:
    res, _ = run("a = 1.0\ny = a * a", overrides={"a": F.tensor(3.0)}, wrt=["a"])
    assert res.inputs["a"].requires_grad and arr(res.value) == 9.0
    res, _ = run("a = 3.0\ny = a * a", wrt=["a"])
    assert type(res.inputs["a"]) is Tensor and res.inputs["a"].requires_grad


def test_wrt_on_a_non_leaf_is_an_error_naming_the_line() -> None:
    err = error("""
        x = arange(4.0, requires_grad=True)
        y = x * 2
        z = y + 1
    """, UsageError, wrt=["y"])
    assert at(err) == (2, 1)
    assert err.message == "y is not a leaf: it is computed by MulBackward0"
    assert isinstance(err, GdInputError) and (err.role, err.name) == ("wrt", "y")


def test_wrt_on_a_name_never_assigned_is_an_error_before_running() -> None:
    out: list[str] = []
    with pytest.raises(UsageError) as info:
        run_source("print(1)\nx = 1.0\n", "p.gd", RunOptions(wrt=["q"], write=out.append))
    assert info.value.message == "the program never assigns 'q' (outside functions)"
    assert isinstance(info.value, GdInputError)
    assert (info.value.role, info.value.name) == ("wrt", "q")
    assert out == []


def test_wrt_on_an_integer_tensor_is_an_error() -> None:
    err = error("x = arange(4)\ny = x * 2", UsageError, wrt=["x"])
    assert "only floating point tensors can require gradients" in err.message
    assert at(err) == (1, 1)


def test_wrt_on_a_string_is_an_error() -> None:
    err = error("x = 'abc'\ny = x", UsageError, wrt=["x"])
    assert "x is a str, not a tensor" in err.message


def test_result_is_last_expression_statement_else_last_assignment() -> None:
    res, _ = run("x = 2.0\ny = x * 3\ny + 1\nz = 8")
    assert res.value == 7.0 and res.name is None  # the expression wins over a later assignment
    res, _ = run("x = 2.0\ny = x * 3\ny + 1")
    assert res.value == 7.0 and res.name is None and res.span is not None
    assert res.span.line == 3
    res, _ = run("x = 2.0\nprint(x)")  # print returns None: not a result
    assert res.value == 2.0 and res.name == "x"


def test_result_named_by_the_last_assignment_is_its_final_value() -> None:
    # A loop after `y = x` rebinds y: the result is y as the program left it.
    res, _ = run("x = tensor(1.0)\ny = x\nfor i in range(3):\n    y = y * 2")
    assert res.name == "y" and arr(res.value) == 8.0


def test_result_of_is_any_variable() -> None:
    res, _ = run("x = 2.0\ny = x * 3\nz = y + 1", result_name="y")
    assert res.value == 6.0 and res.name == "y"


def test_result_of_an_unknown_name_suggests_a_close_one() -> None:
    err = error("total = 1\nb = 2", UsageError, result_name="totl")
    assert err.message == "the program has no variable 'totl'"
    assert isinstance(err, GdInputError) and (err.role, err.name) == ("of", "totl")
    assert err.hint == "did you mean 'total'?"


def test_program_runs_again_with_fresh_state() -> None:
    from gradcli.interp import Program
    from gradcli.source import Source

    out: list[str] = []
    prog = Program.compile(Source("p.gd", "x = tensor([1.0, 2.0])\nx += 1\nprint(x)\n"),
                           RunOptions(write=out.append))
    prog.run()
    prog.run()
    assert out == ["tensor([2., 3.])\n", "tensor([2., 3.])\n"]


# ================================================================ control-flow records

CONTROL_PROGRAM = """
x = tensor([0.5, -1.2, 0.03])
y = x * 2
while y.norm() < 1000:
    y = y * 2
if y.sum() > 0:
    z = y
elif y.sum() > -10:
    z = 2 * y
else:
    z = 3 * y
for i in range(3):
    if i > 5:
        pass
for i in range(2):
    k = 0
    while k < i + 2:
        k += 1
z
"""


def _records(**options: Any) -> list[Any]:
    res, _ = run(CONTROL_PROGRAM, **options)
    return sorted(res.control, key=lambda c: (c.span.line, c.span.column))


def test_control_records_count_branches_and_iterations() -> None:
    recs = _records()
    kinds = [(c.kind, c.span.line) for c in recs]
    assert kinds == [("while", 3), ("if", 5), ("for", 11), ("if", 12), ("for", 14), ("while", 16)]
    w, i, f, inner_if, f2, w2 = recs
    assert w.iterations == [9]  # |2x| = 2.6…; 2.6 · 2⁹ ≥ 1000
    assert w.evaluations == 10
    assert i.branches == [0, 0, 1] and i.has_else  # sum(x) < 0, far below -10
    assert f.iterations == [3] and inner_if.branches == [0] and inner_if.evaluations == 3
    assert f2.iterations == [2] and w2.iterations == [2, 3]


def test_control_records_depend_on_input_only_with_wrt() -> None:
    without = {(c.kind, c.span.line): c.depends_on_input for c in _records()}
    assert not any(without.values())
    with_wrt = {(c.kind, c.span.line): c.depends_on_input for c in _records(wrt=["x"])}
    assert with_wrt[("while", 3)] and with_wrt[("if", 5)]
    assert not with_wrt[("for", 11)] and not with_wrt[("if", 12)]
    assert not with_wrt[("while", 16)]


def test_control_records_reset_between_runs() -> None:
    from gradcli.interp import Program
    from gradcli.source import Source

    prog = Program.compile(Source("p.gd", "for i in range(3):\n    pass\n"), RunOptions())
    prog.run()
    res = prog.run()
    assert [c.iterations for c in res.control] == [[3]]


# ================================================================ differential vs PyTorch
# Each program is valid PyTorch after `import torch`; stdout must be identical once
# the object addresses are masked (PyTorch's change every run; gd's are the run's own).

PROGRAMS: dict[str, str] = {}

PROGRAMS["seed001_dot_backward"] = """
x = torch.arange(4.0)
print(x)
x.requires_grad_(True)
print(x.grad)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad)
print(x.grad == 4 * x)
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)
x.grad.zero_()
y = x * x
y.sum().backward()
print(x.grad)
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)
"""

PROGRAMS["seed002_graph"] = """
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward(retain_graph=True)
print("is_leaf:\\n", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
print("gradient:\\n", w.grad, x.grad)
print("grad_fn:\\n", w.grad_fn, x.grad_fn, a.grad_fn, b.grad_fn, y.grad_fn)
print(a.requires_grad, b.requires_grad, y.requires_grad)
y.backward()
print(w.grad)
"""

PROGRAMS["seed002_accumulate"] = """
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    y.backward()
    print(w.grad)
for i in range(3):
    w.grad.zero_()
    y = torch.mul(torch.add(w, x), torch.add(w, 1))
    y.backward()
    print(i, w.grad, x.grad)
"""

PROGRAMS["seed002_detach_shares_data"] = """
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
y.backward()
w_detach = w.detach()
w_detach.data[0] = 999
print(w)
a = torch.ones((1, ))
a = a + torch.ones((1, ))
print(a)
b = a
a += torch.ones((1, ))
print(a, b, a is b)
"""

# (The seed tutorials' own programs live in examples/, run under PyTorch by
# test_examples.py; only variations of them stay here.)
PROGRAMS["seed004_add_mul_retain"] = """
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
c = torch.mul(torch.add(w, x), torch.add(w, 1))
c.backward(retain_graph=True)
print(w.grad, x.grad)
"""

PROGRAMS["seed000_control_flow"] = """
def f(a):
    b = a * 2
    while b.norm().item() < 1000:
        b = b * 2
    if b.sum().item() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.tensor([[-4.7924]])
print(a)
a.requires_grad_(True)
with torch.set_grad_enabled(True):
    c = f(a)
c.backward()
print(a.grad)
print(a.grad == c / a)
b = torch.tensor(0.7, requires_grad=True)
d = f(b)
d.backward()
print(b.grad, d, b.grad == d / b)
"""

PROGRAMS["assignment_and_unpacking"] = """
a, b = 1, 2.5
a, b = b, a
print(a, b)
(p, q), r = (1, 2), [3]
print(p, q, r)
s, t = torch.tensor([5., 6.])
print(s, t)
u = v = 7
print(u, v)
def pair(z):
    return z * 2, z + 1
m, n = pair(torch.tensor([1., 2.]))
print(m, n)
x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
x[1:3] = 0
print(x)
x[x > 4] = -1
print(x)
x[0] = 10
x[-1] += 100
print(x)
M = torch.zeros(2, 3)
M[:, 1] = 1
M[1] = torch.tensor([7., 8., 9.])
M[0, 2] = 5
print(M)
"""

PROGRAMS["augmented_assignment"] = """
n = 3
m = n
n += 2
n *= 2
n -= 1
n /= 2
print(n, m)
k = 7
k //= 2
k **= 3
k %= 5
print(k)
a = torch.tensor([1., 2.])
b = a
a += 1
a *= 3
a -= torch.tensor([1., 1.])
a /= 2
print(a, b, a is b)
c = a + 0
a += 1
print(c, a)
l = [1]
l2 = l
l += [2]
l *= 2
print(l2)
w = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    w -= 0.1 * torch.tensor([1., 1.])
print(w)
"""

PROGRAMS["loops"] = """
for i in range(6):
    if i == 1:
        continue
    elif i == 4:
        break
    else:
        pass
    print("i", i)
for e in (1, "a", None, 2.5):
    print(e)
for row in torch.tensor([[1., 2.], [3., 4.]]):
    print(row, row.sum())
total = 0
for i in range(3):
    for j in range(10):
        if j > i:
            break
        total += 10 * i + j
print(total)
x = torch.tensor(1.0)
while x < 100:
    x = x * 3
print(x)
"""

PROGRAMS["functions"] = """
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(25))
def kw(a, b=2, c=3):
    return a + 10 * b + 100 * c
print(kw(1), kw(1, c=5), kw(1, 4), kw(c=0, a=1, b=0))
def make(c):
    def inner(v):
        return v * c
    return inner
triple = make(3)
print(triple(torch.tensor([1., 2.])), triple(2))
sq = lambda v: v * v
add = lambda a, b=10: a + b
print(sq(4), sq(torch.tensor(2.)), add(1), add(1, 2))
def noreturn():
    pass
print(noreturn())
"""

PROGRAMS["functional_api"] = """
from torch.autograd.functional import jacobian, hessian
def g(t):
    return (torch.tanh(t) * t ** 2).sum()
p = torch.tensor([0.5, 1.5])
print(hessian(g, p))
print(jacobian(lambda t: t ** 2, p))
print(torch.autograd.functional.jvp(lambda t: t ** 3, p, torch.ones(2)))
print(torch.autograd.functional.vjp(lambda t: t ** 3, p, torch.tensor([1., 0.5])))
print(torch.autograd.functional.hvp(g, p, torch.ones(2)))
def two(a, b):
    return a * b + a
print(jacobian(two, (torch.tensor([1., 2.]), torch.tensor([3., 4.]))))
print(hessian(lambda a: a.exp().sum(), torch.tensor([0., 1.])))
"""

PROGRAMS["grad_mode"] = """
x = torch.ones(2, requires_grad=True)
print(torch.is_grad_enabled())
with torch.no_grad():
    y = x * 2
    print(torch.is_grad_enabled(), y.requires_grad)
    with torch.enable_grad():
        z = x * 2
        print(z.requires_grad, z.grad_fn)
print(y.requires_grad, torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad)
@torch.no_grad()
def h(v):
    return v * 2
@torch.enable_grad()
def e(v):
    return v * 2
print(h(x).requires_grad, e(x).requires_grad)
with torch.no_grad():
    print(e(x).requires_grad)
torch.set_grad_enabled(False)
print(torch.is_grad_enabled(), (x * 2).requires_grad)
torch.set_grad_enabled(True)
print(torch.is_grad_enabled())
"""

PROGRAMS["attribute_targets"] = """
x = torch.tensor([1., 2.], requires_grad=True)
(x * x).sum().backward()
print(x.grad)
x.grad = None
print(x.grad)
(x * 3).sum().backward()
x.grad = torch.tensor([0.5, 0.5])
(x * 1).sum().backward()
print(x.grad)
q = torch.zeros(2)
q.requires_grad = True
print(q, q.is_leaf)
r = torch.ones(3)
r.data = torch.tensor([4., 5., 6.])
print(r)
w = torch.ones(3, requires_grad=True)
w.data.mul_(2)
print(w)
"""

PROGRAMS["printing_numbers"] = """
print(1, -0.0, 1e20, 1e-5, 0.1 + 0.2, 1 / 3, 2 ** 0.5, 10 ** 20, 123456789.0)
print(float('inf'), float('-inf'), float('nan'), 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** -1)
print(True, False, None, True + 1, 3 == 3.0, 1e16, 1.5e-7, 100.0, 12345678901234567.0)
print("text", 'quote"s', [1, 'a', 2.0, None], (1,), (), [], ((1, 2), [3]))
print(1, 2, sep=", ", end="!\\n")
print(round(2.675, 2), round(7.5), round(8.5), abs(-3), min(4, 2, 8), max([1.5, 0.5]))
"""

PROGRAMS["printing_tensors"] = """
print(torch.tensor(3.5), torch.tensor(-0.0), torch.tensor(1e-8), torch.tensor(123456.0))
print(torch.tensor([1e-5, 1.0, 1e5]))
print(torch.tensor([1.5, 2.25, -3.125]))
print(torch.tensor([100000000.0, 1.0]))
print(torch.tensor([0.1, 0.2], dtype=torch.float64))
print(torch.tensor([1, 2, 3]), torch.tensor([True, False]), torch.tensor(5))
print(torch.arange(24.).reshape(2, 3, 4))
print(torch.arange(30.) * 1.5)
print(torch.linspace(0, 1, 7))
print(torch.zeros(0), torch.zeros(2, 0))
print(torch.tensor([[1e-3, 2.0], [3.0, 4e3]]))
print(torch.tensor([float('inf'), float('nan'), 1.0]))
print(torch.ones(2, 2, dtype=torch.float64, requires_grad=True))
print(torch.eye(3), torch.full((2, 2), 7.0), torch.full((2,), 3))
print(torch.Tensor([1, 2]), torch.Tensor(2, 3).shape)
print([torch.tensor(1.), torch.tensor([2., 3.])], (torch.tensor(1.),))
"""

PROGRAMS["printing_objects"] = """
x = torch.ones(2, 3, requires_grad=True)
y = (x * 2).sum()
print(x.shape, x.size(), x.size(1), x.dtype, x.ndim, x.numel(), x.dim())
print(y.grad_fn, (x + 1).grad_fn, (x @ torch.ones(3)).grad_fn, x.mean().grad_fn)
print(torch.float, torch.double, torch.long, torch.float32, torch.int64, torch.bool)
print(torch.float64 == torch.double, x.dtype == torch.float32, x.dtype is torch.float32)
print(x.shape == (2, 3), x.shape[0], list(x.shape), torch.Size([4, 5]))
print(torch.get_default_dtype(), x.is_floating_point(), torch.tensor([1]).is_floating_point())
print(torch.is_tensor(x), torch.is_tensor(3), x.T.shape, x.mT.shape)
print(torch.max(torch.tensor([[1., 5.], [7., 2.]]), dim=1))
"""

PROGRAMS["fstrings"] = """
x = torch.tensor([1., 2., 3.], requires_grad=True)
loss = (x * x).sum()
t = torch.tensor(0.25)
print(f"loss = {loss}")
print(f"loss = {loss:.3f} {t} {t:.2e} {t:>8.2f}|")
print(f"x = {x}")
print(f"{3:04d} {2.5:+.1f} {'ab':>4} {1234567.891:,.2f} {0.5:%} {7:x} {255:b}")
print(f"{None} {True} {[1, 2]} {(1,)} {x.shape} {x.dtype}")
print(f"{2!r} {'s'!r} {x.sum().item():.2f} {torch.tensor(3):d} {torch.tensor(2.5):g}")
"""

PROGRAMS["expressions"] = """
x = torch.tensor([1., 2., 3.])
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 >= 2 == 2, 1 == 1.0 != 2)
print(True and 3, 0 or "z", None or [], 1 and 0, not [], not 1)
print(x.grad is None, x is not None, 2 in [1, 2], 'a' in 'abc', 2. in x)
print(3 if x.sum() > 1 else 4, -x, +x, x @ x, x // 2, x % 2, 2 ** x, x ** 2, 2 / x)
print(x < 2, x == 2, x != 2, x >= 2, 2 > x)
print(torch.arange(10.)[1:8:3], x[-1], x[::2], x[x > 1], torch.arange(6.).reshape(2, 3)[:, -1])
print(7 / 2, 7 // 2, -7 / 2, 2 ** 3 ** 2, -2 ** 2, 2 * 3 % 4)
"""

PROGRAMS["truth_of_tensors"] = """
x = torch.tensor([1.])
if x:
    print("yes")
if torch.tensor(0.):
    print("no")
else:
    print("zero is false")
while x < 4:
    x = x * 2
print(x)
assert torch.tensor([True])
print(torch.tensor([0.]) or "empty", bool(torch.tensor([2.])), not torch.tensor(0))
"""

PROGRAMS["math_module"] = """
import math
print(math.pi, math.e, math.sqrt(2.0), math.exp(1.0), math.log(10.0), math.floor(2.7))
print(math.ceil(2.1), math.factorial(6), math.sin(0.5), math.cos(0.0), math.tanh(0.5))
print(math.inf, math.isnan(math.nan), math.hypot(3, 4), math.pow(2, 10), math.fabs(-2))
x = torch.tensor([1.0, 4.0])
print(x * math.pi, math.sqrt(x[1].item()))
"""

PROGRAMS["imports"] = """
import torch.nn.functional as F
from torch import tensor, ones, float64
from torch.autograd import grad
from torch.autograd.functional import jacobian as jac
x = tensor([1., -2.], requires_grad=True)
print(F.relu(x), ones(2, dtype=float64))
(g,) = grad((x * x).sum(), x)
print(g, jac(lambda t: t * 3, x))
print(torch.nn.functional.sigmoid(tensor([0.])), torch.linalg.norm(tensor([3., 4.])))
"""

PROGRAMS["elementwise_math"] = """
x = torch.tensor([-1.5, -0.5, 0.0, 0.5, 2.0])
print(torch.abs(x), x.abs(), torch.neg(x), x.exp(), torch.sin(x), x.cos(), torch.tanh(x))
print(torch.sigmoid(x), torch.relu(x), x.clamp(-1, 1), torch.clamp(x, min=0), x.clamp(max=0.2))
print(torch.sqrt(x.abs()), torch.log(x.abs() + 1), torch.pow(x, 2), x.pow(3), x.tan())
print(torch.maximum(x, torch.zeros(5)), torch.minimum(x, torch.zeros(5)))
print(torch.where(x > 0, x, -x), torch.where(x > 0, 1.0, 0.0))
print(torch.add(x, 1, alpha=2), torch.sub(x, 1), torch.mul(x, 2), torch.div(x, 4))
print(x.sign(), x.floor(), x.ceil(), x.round(), torch.square(x))
print(torch.allclose(x, x + 1e-9), torch.allclose(x, x + 1))
"""

PROGRAMS["reductions_and_shapes"] = """
a = torch.arange(6.).reshape(2, 3)
print(a.sum(), a.sum(dim=0), a.sum(1, keepdim=True), a.mean(dim=1), a.prod(), a.norm())
print(a.max(), a.argmax(), torch.max(a, 1).values, torch.min(a, 1)[1])
print(a.view(3, 2), a.reshape(-1), a.transpose(0, 1), a.t(), a.permute(1, 0), a.T)
print(a.unsqueeze(0).shape, a.unsqueeze(0).squeeze(0).shape, torch.ones(1, 3, 1).squeeze().shape)
print(torch.cat([a, a]), torch.cat((a, a), dim=1).shape, torch.stack([a, a]).shape)
print(torch.diag(torch.tensor([1., 2.])), torch.diag(a[:, :2]))
print(torch.mm(a, a.t()), torch.mv(a, torch.ones(3)), torch.matmul(a, torch.ones(3, 2)))
print(a.clone(), a.flatten(), a.numel(), a.softmax(dim=1), torch.log_softmax(a, dim=0))
print(a.float().dtype, a.double().dtype, a.long(), a.long().float(), (a > 2).sum())
"""

PROGRAMS["losses"] = """
import torch.nn.functional as F
z = torch.tensor([0.2, -1.0, 3.0], requires_grad=True)
t = torch.tensor([1.0, 0.0, 1.0])
l1 = F.binary_cross_entropy_with_logits(z, t)
l2 = F.mse_loss(z, t)
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], requires_grad=True)
l3 = F.cross_entropy(logits, torch.tensor([1, 2]))
print(l1, l2, l3)
(l1 + l2).backward()
print(z.grad)
l3.backward()
print(logits.grad)
print(F.softmax(logits, dim=1), F.log_softmax(logits, dim=-1))
"""

PROGRAMS["retain_grad_and_non_leaf"] = """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
y.retain_grad()
z = (y * y).sum()
z.backward()
print(x.grad, y.grad, y.is_leaf, y.retains_grad)
x.grad.zero_()
y2 = x.exp()
out = y2.sum()
out.backward(retain_graph=True)
out.backward()
print(x.grad)
d = x.detach()
print(d.requires_grad, d.is_leaf, d.grad_fn)
e = x.detach().requires_grad_(True)
print(e.requires_grad, e.is_leaf)
"""

PROGRAMS["create_graph"] = """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 4).sum()
(g1,) = torch.autograd.grad(y, x, create_graph=True)
print(g1)
(g2,) = torch.autograd.grad(g1.sum(), x, create_graph=True)
print(g2)
(g3,) = torch.autograd.grad(g2.sum(), x, create_graph=True)
print(g3)
(g4,) = torch.autograd.grad(g3.sum(), x)
print(g4)
w = torch.tensor(2.0, requires_grad=True)
f = w ** 3
f.backward(create_graph=True)
print(w.grad)
gw = w.grad
w.grad = None
gw.backward()
print(w.grad)
"""

PROGRAMS["dtypes_and_promotion"] = """
i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 0.5, 0.5])
d = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(i + f, i * 2, i / 2, i // 2, i + 0.5, (i + f).dtype, (i / 2).dtype)
print(d * 2, (d + torch.tensor([1., 1.])).dtype, d.float(), f.double())
print(torch.tensor([True, False]) + 1, torch.tensor([True, True]).sum(), i.sum(), i.float().mean())
print(torch.arange(3).dtype, torch.arange(3.).dtype, torch.tensor(2).dtype, torch.tensor(2.).dtype)
print(torch.zeros(2, dtype=torch.long), torch.ones(2, dtype=torch.bool))
print(torch.zeros_like(d), torch.ones_like(i), torch.full_like(f, 2.0))
"""

PROGRAMS["in_place_ops"] = """
a = torch.zeros(3)
a.add_(1)
a.mul_(3)
a.sub_(torch.tensor([1., 2., 3.]))
a.div_(2)
print(a)
a.clamp_(0, 0.75)
print(a)
a.fill_(7)
print(a)
a.zero_()
print(a)
w = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    w.mul_(10)
    w.add_(torch.tensor([0.5, 0.5]))
print(w, w.clone())
u = torch.tensor([3.0], requires_grad=True)
u2 = u.detach()
u2.add_(1)
print(u)
"""

PROGRAMS["random_seeded"] = """
torch.manual_seed(0)
print(torch.rand(3))
print(torch.randn(2, 2))
torch.manual_seed(0)
print(torch.rand(3))
print(torch.normal(2, 3, size=(1, 1)))
print(torch.randn(size=(2,)))
"""

PROGRAMS["sgd_loop"] = """
w = torch.tensor([0.0, 0.0], requires_grad=True)
xs = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
ys = torch.tensor([5.0, 4.0, 9.0])
for step in range(50):
    pred = xs @ w
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
    w.grad.zero_()
    if step % 10 == 0:
        print(step, f"{loss.item():.4f}", loss)
print(w)
"""

PROGRAMS["broadcast_grad"] = """
a = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
b = torch.tensor([10., 20., 30.], requires_grad=True)
s = torch.tensor(2., requires_grad=True)
y = (a * b + s).sum()
y.backward()
print(a.grad)
print(b.grad)
print(s.grad)
"""

PROGRAMS["integer_and_float_arithmetic"] = """
x = torch.tensor([-3.5, -1.0, 2.5])
print(x // 2, x % 2, -7 // 2.0, torch.tensor([-7, 7]) // 2, torch.tensor([-7, 7]) % 3)
print(torch.tensor([2, 3]) ** 2, torch.tensor([2.0]) ** -1, 2 ** torch.tensor([1, 2]))
print(torch.tensor(3, dtype=torch.float), torch.tensor([1, 2], dtype=torch.float64) / 3)
i = torch.tensor([5])
i += 2
print(i, i.dtype, torch.tensor([1.5]) + torch.tensor([2], dtype=torch.int64))
print(x.sum(dim=0, keepdim=True), torch.sum(x, 0), x.mean(-1), x[0].item(), len(x))
print(x.clone().detach().requires_grad_(True), x.shape[-1], x.size()[0])
print(torch.arange(0, 1, 0.25), torch.arange(5, 0, -2), torch.linspace(-1, 1, 5))
print(torch.ones(2, 3).sum(dim=(0, 1)))
"""

PROGRAMS["gradients_through_indexing"] = """
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
(a.T @ a).sum().backward()
print(a.grad, a.grad.grad_fn, a.grad.requires_grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x[1:] * x[:-1]
y.sum().backward()
print(x.grad)
x.grad = None
w = torch.where(x > 1.5, x * x, -x)
w.sum().backward()
print(x.grad)
q = torch.cat([x, x]).reshape(2, 3).t()
print(q, q.is_leaf, q.grad_fn, torch.stack([x, x * 2]).sum(0))
print(torch.max(x), x.max(dim=0), torch.max(x, torch.tensor(2.0)))
"""

PROGRAMS["printing_numerics"] = """
p = torch.tensor([0.2, 0.3, 0.5])
print(-(p * p.log()).sum(), torch.softmax(p, 0), p.norm(), p.norm(p=1), torch.linalg.norm(p))
print(torch.tensor([[1.0, 2.0], [3.0, 4.0]]).norm(), torch.tensor(2.0).sqrt() ** 2 == 2.0)
print(torch.tensor([1e10, 1e-10]), torch.tensor([123.456, 0.001]), torch.tensor([1.0, 2.5e8]))
print(torch.tensor([0.1, 0.25, 1000.0]), torch.tensor([[1e-4, 1.0]]))
print(torch.tensor([-1.0, float('inf')]), torch.tensor(float('nan')), torch.tensor([1, -100000]))
print(torch.randn(0), torch.ones(3, 0, 2), torch.tensor([[]]))
"""

PROGRAMS["grad_and_backward_forms"] = """
def f(x, n=3):
    for _ in range(n):
        x = x * x
    return x
print(torch.autograd.functional.jacobian(f, torch.tensor([1.1, 0.9])))
print(torch.autograd.functional.hessian(lambda v: f(v, 2).sum(), torch.tensor([1.1, 0.9])))
x = torch.tensor(1.5, requires_grad=True)
y = f(x, 2)
g, = torch.autograd.grad(y, x, create_graph=True, retain_graph=True)
gg, = torch.autograd.grad(g, x, retain_graph=True)
print(y, g, gg, torch.autograd.grad(y, [x], retain_graph=True))
y.backward(torch.tensor(2.0))
print(x.grad)
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
torch.autograd.backward([a.sum(), (b * b).sum()])
print(a.grad, b.grad)
torch.autograd.backward([a * 1, b * 1], grad_tensors=[torch.ones(2), torch.ones(2) * 2])
print(a.grad, b.grad)
"""

# Once known differences from PyTorch, now fixed: kept here as regression tests.
PROGRAMS.update({
    "min_with_dim_prints_as_min": "print(torch.tensor([[1., 5.], [7., 2.]]).min(dim=0))",
    "grad_mode_object_reprs": "print(torch.set_grad_enabled(True), torch.no_grad())",
    "next_functions_of_a_leaf_input":
        "x = torch.tensor(2., requires_grad=True)\nprint((x * x).grad_fn.next_functions)\n"
        "print((x * 2).grad_fn.next_functions)",
    "accumulate_grad_node":
        "x = torch.tensor([1., 2.], requires_grad=True)\ny = (x * 2).sum()\n"
        "a = y.grad_fn.next_functions[0][0].next_functions[0][0]\n"
        "print(a.variable is x, a.name(), a.next_functions, a.requires_grad, type(a).__name__)\n"
        "print(a is (x * 3).grad_fn.next_functions[0][0], y.grad_fn.requires_grad)",
    # The engine's unbroadcast under create_graph: PyTorch's sum(keepdim) then view.
    "create_graph_unbroadcast_nodes":
        "x = torch.tensor([[1., 2., 3.]], requires_grad=True)\n"
        "M = torch.ones(2, 4, 3, requires_grad=True)\n"
        "g, = torch.autograd.grad((x * M * M).sum(), x, create_graph=True)\n"
        "n = g.grad_fn\nwhile n is not None and len(n.next_functions) > 0:\n"
        "    print(n.name(), [f[0].name() for f in n.next_functions if f[0] is not None])\n"
        "    n = n.next_functions[0][0]\n"
        "v = torch.ones(3, requires_grad=True)\n"
        "h, = torch.autograd.grad((v * M).sum(), v, create_graph=True)\n"
        "print(h, h.grad_fn.next_functions[0][0])",
})
KNOWN_DIFFERENCES: dict[str, tuple[str, str]] = {}

ERROR_PROGRAMS = {
    "shape_mismatch": "x = torch.ones(2)\ny = torch.ones(3)\nz = x + y",
    "second_backward": "x = torch.tensor([1.], requires_grad=True)\ny = (x * x).sum()\n"
                       "y.backward()\ny.backward()",
    "leaf_inplace": "w = torch.tensor([1.], requires_grad=True)\nw.add_(1)",
    "leaf_augassign": "w = torch.tensor([1.], requires_grad=True)\nw += 1",
    "nonscalar_backward": "x = torch.ones(3, requires_grad=True)\n(x * 2).backward()",
    "ambiguous_truth": "x = torch.ones(2)\nif x:\n    pass",
    "int_div_inplace": "x = torch.arange(3)\nx /= 2",
    "index_out_of_range": "x = torch.ones(3)\ny = x[5]",
    "no_grad_fn_backward": "x = torch.ones(2)\nx.sum().backward()",
    "item_of_many": "x = torch.ones(2)\nv = x.item()",
    "float_of_many": "v = float(torch.ones(2))",
    "reshape_bad": "x = torch.ones(6)\ny = x.reshape(4, 2)",
    "view_bad": "x = torch.ones(6)\ny = x.view(5)",
    "requires_grad_of_non_leaf": "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                                 "y.requires_grad_(False)",
    "format_spec_on_vector": "print(f'{torch.ones(2):.2f}')",
    "zero_division": "x = 1 / 0",
    "name_error": "x = undefined_name + 1",
    "call_arity": "def f(a):\n    return a\nf(1, 2)",
    "not_callable": "y = 1\ny()",
    "not_iterable": "for i in 5:\n    pass",
    "tuple_item_assignment": "t = (1, 2)\nt[0] = 3",
    "mm_shapes": "a = torch.ones(2, 3)\nc = torch.mm(a, torch.ones(2, 3))",
    "matmul_vector_shapes": "a = torch.ones(2, 3)\nc = a @ torch.ones(2)",
    "dot_sizes": "d = torch.dot(torch.ones(2), torch.ones(3))",
    "modified_saved_prefix": "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.exp()\n"
                             "z = y * 2\ny += 1\nz.sum().backward()",
}

_TORCH_RUNNER = r"""
import contextlib, io, json, sys, warnings
warnings.simplefilter("ignore")
import torch
progs, errors = json.load(sys.stdin)
outputs, messages = {}, {}
for name, text in progs.items():
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile("import torch\n" + text, name, "exec"), {"__name__": "gd"})
    except Exception as e:
        buffer.write(f"!! {type(e).__name__}: {e}\n")
    torch.set_grad_enabled(True)
    outputs[name] = buffer.getvalue()
for name, text in errors.items():
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile("import torch\n" + text, name, "exec"), {"__name__": "gd"})
        messages[name] = None
    except Exception as e:
        messages[name] = str(e)
    torch.set_grad_enabled(True)
json.dump([outputs, messages], sys.stdout)
"""

@pytest.fixture(scope="module")
def torch_says() -> tuple[dict[str, str], dict[str, str | None]]:
    """Every differential program's stdout, and every error program's message, under torch."""
    if not HAS_TORCH:
        pytest.skip("PyTorch is not installed")
    progs = {**PROGRAMS, **{k: v[0] for k, v in KNOWN_DIFFERENCES.items()}}
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER],
                          input=json.dumps([progs, ERROR_PROGRAMS]), capture_output=True,
                          text=True, timeout=120, check=True)
    outputs, messages = json.loads(proc.stdout)
    return {k: masked(v) for k, v in outputs.items()}, messages


def _gd_output(text: str) -> str:
    out: list[str] = []
    try:
        run_source("import torch\n" + text, "prog.gd", RunOptions(write=out.append))
    except GdError as e:
        out.append(f"!! {e.kind}: {e.message}\n")
    return "".join(out)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_differential_stdout_equals_pytorch(name: str, torch_says: Any) -> None:
    expected = torch_says[0][name]
    assert not expected.startswith("!!") and "\n!! " not in expected, expected
    assert masked(_gd_output(PROGRAMS[name])) == expected


@pytest.mark.parametrize("name", list(ERROR_PROGRAMS))
def test_differential_error_message_equals_pytorch(name: str, torch_says: Any) -> None:
    expected = torch_says[1][name]
    assert expected is not None, "PyTorch ran the program without an error"
    with pytest.raises(GdError) as info:
        run_source("import torch\n" + ERROR_PROGRAMS[name], "prog.gd",
                   RunOptions(write=lambda s: None))
    err = info.value
    assert err.message == expected
    assert err.span is not None and err.span.line >= 2


def test_set_and_wrt_reach_first_bindings_inside_blocks_and_unpacking() -> None:
    # The first binding of an input may sit in a top-level if/for/while/with block or in
    # a tuple unpacking: --set overrides it there and --wrt marks it there.
    r = run_source("if True:\n    x = 1.0\ny = x * 2", "t", RunOptions(overrides={"x": 3.0}))
    assert r.value == 6.0
    r = run_source("a, b = 1.0, 2.0\ny = a * b", "t", RunOptions(overrides={"a": 5.0}))
    assert r.value == 10.0
    r = run_source("a, b = tensor(1.0), tensor(2.0)\ny = a * b", "t", RunOptions(wrt=["a"]))
    assert r.inputs["a"].requires_grad and not r.variables["b"].requires_grad
    # Inside a function body a name is the function's own, never a program input.
    r = run_source("def f():\n    x = 1.0\n    return x\nx = 2.0\ny = f() + x", "t",
                   RunOptions(overrides={"x": 10.0}))
    assert r.value == 11.0


def test_remainder_and_clamp_min_methods_exist() -> None:
    out: list[str] = []
    run_source("x = tensor([5.0, -3.0])\nprint(x.remainder(2), x.clamp_min(0), x.clamp_max(1), "
               "x.floor_divide(2))", "t", RunOptions(write=out.append))
    assert "".join(out) == ("tensor([1., 1.]) tensor([5., 0.]) tensor([ 1., -3.]) "
                            "tensor([ 2., -2.])\n")


def test_did_you_mean_is_one_function() -> None:
    from gradcli.suggest import did_you_mean

    assert did_you_mean("tensr", ["tensor", "zeros"]) == "did you mean 'tensor'?"
    assert did_you_mean("qqq", ["tensor"]) is None
    assert error("x = ones(2)\nx.sumn()", GdRuntimeError).hint == "did you mean 'sum'?"


def test_syntax_and_interpreter_never_word_a_command_line_flag() -> None:
    # Limits and bad inputs are raised as data (err.limit, err.role/err.name); only the
    # CLI turns them into flag names, so no string in these layers spells one.
    import ast as pyast
    import pathlib

    import gradcli

    root = pathlib.Path(gradcli.__file__).parent
    for path in [*root.glob("syntax/*.py"), *root.glob("interp/*.py")]:
        if path.name == "pyargparse.py":  # argparse's flags are the program's, not gradcli's
            continue
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, pyast.Constant) and isinstance(node.value, str):
                assert not re.search(r"--[a-z]", node.value), (path.name, node.value)
