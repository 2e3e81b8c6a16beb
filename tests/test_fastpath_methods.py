"""The interpreter's shortcuts for `x.method(...)` and `tensor < number` give what the
general path gives.

`x.norm()` on a tensor calls the Tensor method with x directly (interp/calls.py), where the
general path makes the bound method `x.norm` and calls it through the runtime; `b < 1000`
applies the comparison's rule directly, where the general path goes through
Tensor.__lt__. Each program below runs twice: as written (the shortcuts) and with the
method taken as a value first, or the comparison made by `operator`-free spelling that
the shortcut does not take (the general path). Output, errors and exit codes must be the
same bytes.
"""

from __future__ import annotations

import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def _run(text: str) -> str:
    out = io.StringIO()
    try:
        run(Source("p.gd", text), AppOptions(write=out.write))
    except GdError as e:
        return out.getvalue() + f"error: {e.message} [{e.span.line}:{e.span.column}]"
    return out.getvalue()


# (the shortcut's spelling, the general path's spelling)
PAIRS = [
    ("x = tensor([1.0, -2.0, 3.0], requires_grad=True)\nprint(x.norm(), x.sum(0), x.abs())",
     "x = tensor([1.0, -2.0, 3.0], requires_grad=True)\n"
     "n, s, a = x.norm, x.sum, x.abs\nprint(n(), s(0), a())"),
    # keywords
    ("x = tensor([[1.0, 2.0], [3.0, 4.0]])\nprint(x.sum(dim=1, keepdim=True))",
     "x = tensor([[1.0, 2.0], [3.0, 4.0]])\nm = x.sum\nprint(m(dim=1, keepdim=True))"),
    # the method's own errors: argument count, a bad keyword, a bad value
    ("x = tensor([1.0, 2.0])\nx.sum(0, 1, 2, 3, 4)",
     "x = tensor([1.0, 2.0])\nm = x.sum\nm(0, 1, 2, 3, 4)"),
    ("x = tensor([1.0, 2.0])\nx.norm(nope=1)", "x = tensor([1.0, 2.0])\nm = x.norm\nm(nope=1)"),
    ("x = tensor([1.0, 2.0])\nx.sum(5)", "x = tensor([1.0, 2.0])\nm = x.sum\nm(5)"),
    # not a tensor: the value's own attribute (a list's sort, a missing one)
    ("a = [3, 1, 2]\na.sort()\nprint(a)", "a = [3, 1, 2]\nm = a.sort\nm()\nprint(a)"),
    ("a = [3, 1, 2]\na.norm()", "a = [3, 1, 2]\nm = a.norm\nm()"),
    # a gd class with a method of a Tensor method's name
    ("class A:\n    def sum(self, k):\n        return k + 1\nprint(A().sum(2))",
     "class A:\n    def sum(self, k):\n        return k + 1\nm = A().sum\nprint(m(2))"),
    # backward through a method call, then the leaf's grad
    ("x = tensor([1.0, 2.0], requires_grad=True)\n(x * x).sum().backward()\nprint(x.grad)",
     "x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum\nb = y().backward\nb()\n"
     "print(x.grad)"),
    # inside vmap (the batched result is noted as the general call notes it)
    ("x = ones(3, 2)\nprint(torch.vmap(lambda r: r.sum())(x))",
     "x = ones(3, 2)\nprint(torch.vmap(lambda r: (r.sum)())(x))"),
    # comparisons of a tensor with a number or a tensor
    ("x = tensor([1.0, 5.0])\nprint(x < 2, x >= x, x == 5, x != 1.0, x <= 2.5)",
     "x = tensor([1.0, 5.0])\nprint(x.lt(2), x.ge(x), x.eq(5), x.ne(1.0), x.le(2.5))"),
    ("x = tensor([1.0, 5.0], dtype=float64)\nprint(x > tensor(2.0), x < 3)",
     "x = tensor([1.0, 5.0], dtype=float64)\nprint(x.gt(tensor(2.0)), x.lt(3))"),
]


@pytest.mark.parametrize(("fast", "general"), PAIRS)
def test_the_shortcut_prints_what_the_general_path_prints(fast: str, general: str) -> None:
    got = _run(fast)
    want = _run(general)
    # (an error's column differs: the two spellings put the call in different places)
    if "error:" in want:
        assert got.rsplit("[", 1)[0] == want.rsplit("[", 1)[0]
    else:
        assert got == want


def test_a_tensor_method_call_records_what_the_bound_method_records() -> None:
    program = ("x = tensor([3.0, 4.0], requires_grad=True)\n"
               "y = x.norm()\nprint(y, y.grad_fn.name())\ny.backward()\nprint(x.grad)")
    assert _run(program) == ("tensor(5., grad_fn=<LinalgVectorNormBackward0>) "
                             "LinalgVectorNormBackward0\ntensor([0.6000, 0.8000])\n")


def test_the_comparison_shortcut_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 5.0], requires_grad=True)
    want = f"{x < 2} {(x * 2) > x} {x == 5} {x == None} {x > True}\n"  # noqa: E711
    assert _run("x = tensor([1.0, 5.0], requires_grad=True)\n"
                "print(x < 2, (x * 2) > x, x == 5, x == None, x > True)") == want
    with pytest.raises(TypeError) as e:
        _ = x < "a"
    assert _run("x = tensor([1.0, 5.0])\nx < 'a'") == f"error: {e.value} [2:1]"
