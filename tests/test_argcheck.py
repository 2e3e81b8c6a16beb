"""Torch functions and Tensor methods check their arguments as PyTorch does
(gradcli/interp/argcheck.py): a wrong type is PyTorch's TypeError with PyTorch's words,
never a computed value; every valid spelling of a Number, an int, a size or a dtype
still works and gives PyTorch's result."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

SETUP = "import torch\nimport torch.nn.functional as F\nx = torch.arange(6.0).reshape(2, 3)\n"


def _program(code: str) -> str:
    return (SETUP + f"try:\n    r = {code}\n    print('->', r)\n"
            "except Exception as e:\n    print(type(e).__name__)\n    print(str(e))\n")


def gd(code: str) -> str:
    return gd_output(_program(code))


def th(code: str) -> str:
    return torch_output(_program(code))


# Wrong types: under PyTorch each raises; under gd each raised nothing or something else.
BAD = [
    "x.fill_([1, 2])", "x.fill_(value=[1, 2])", "torch.clamp(x, min=[0.5])",
    "x.clamp(min='a')", "x.clamp('a')", "x.clamp(0, 'a')", "torch.clamp(x, 0, 1, 2)",
    "torch.add(x, x, alpha=[2])", "x.add_(1, alpha='a')", "torch.add(x, 'a')",
    "x.add(1, 2, 3)", "x.add(1, alpha=torch.tensor(2., requires_grad=True))",
    "x.add(1, alpha=torch.tensor([2.]))", "torch.zeros(2, dtype='float64')",
    "torch.tensor([1.0], dtype='float64')", "torch.sum(x, 0, dtype='float64')",
    "torch.zeros_like(x, dtype='float64')", "torch.softmax(x, dim=0, dtype='float64')",
    "x.float().pow([2])", "torch.pow(x, 'a')", "torch.pow('a', x)",
    "torch.full((2,), 'a')", "torch.full((2,), None)", "torch.full((2,), torch.tensor([3.]))",
    "torch.full((2,), 3, 4)", "x.masked_fill(x > 0, [1.0])", "torch.arange([3])",
    "torch.ones([2, 'a'])", "torch.ones(2, 'a')", "torch.ones((2, 1.5))", "torch.ones(2.5)",
    "torch.ones(True)", "torch.ones([True, 2])", "torch.ones([2, torch.tensor(3.)])",
    "x.view(2.0)", "x.view(3, 2.0)", "x.view([3, 2.0])", "x.reshape(2.0)", "x.expand(2.0)",
    "x.permute(0.0)", "x.permute(0, 1.0)", "x.repeat(2.0)", "x.repeat(1, 'a')",
    "x.sum(dim=0.0)", "x.sum(dim=True)", "x.sum(dim=[0, 1.0])", "x.sum(0, 1)",
    "x.sum(0, True, 1)", "torch.sum(x, dim=0.0)", "x.mean(dim=0.0)", "x.max(dim=0.0)",
    "x.max(0.5)", "x.max(dim=0, keepdim=1)", "x.unsqueeze('a')", "x.unsqueeze(True)",
    "x.transpose(0, 1.0)", "x.transpose(0, dim1='a')", "x.squeeze(0.0)", "x.softmax(0.0)",
    "torch.softmax(x, 0.5)", "F.softmax(x, dim=0.0)", "F.softmax(x, 0, dtype='float64')",
    "torch.linspace(0, 1, 2.5)", "torch.linspace(0, 1, steps=2.5)",
    "torch.randn(2, generator=5)", "torch.eye(2.0)", "torch.rand(2.0)",
    "torch.zeros(2, foo=1)", "torch.zeros(2, requires_grad=1)", "torch.zeros(2, device=0.5)",
    "torch.zeros(2, out=5)", "torch.tensor(1.0, requires_grad=1)", "torch.mul()",
    "torch.ones()", "torch.add()", "torch.cat([x, 1])", "torch.stack(x)", "torch.cat((x, x), 0.5)",
    "x.new_zeros(2.5)", "torch.where(x > 0, x, 'a')", "torch.sum(x, 0, 1.5, dtype='a')",
    "x.std(1, 'a')", "x.topk(2.0)", "x.narrow(0, 0.5, 1)", "x.new_full((2,), 'a')",
    "x.gather(0.5, x.long())", "x.div(2, rounding_mode=3)", "x.expand(2, 'a')",
    "torch.stack([x, 'a'])", "torch.randint(0, 5.5, (2,))", "x.to(dtype='float64')",
    "x.to(torch.float64, 1)", "x.to('cpu', 'float64')", "x.float(1)",
    "torch.unsqueeze(input=x, dim='a')",
]


@pytest.mark.parametrize("code", BAD)
def test_wrong_types_raise_pytorchs_type_error(code: str) -> None:
    assert gd(code) == th(code)


# The most common ones, PyTorch's words as literals (meaningful without torch installed).
LITERAL = {
    "torch.add(x, x, alpha=[2])": "TypeError\nadd(): argument 'alpha' must be Number, not list\n",
    "torch.zeros(2, dtype='float64')":
        "TypeError\nzeros(): argument 'dtype' must be torch.dtype, not str\n",
    "torch.full((2,), None)":
        "TypeError\nfull(): argument 'fill_value' (position 2) must be Number, not NoneType\n",
    "torch.ones(2.5)":
        "TypeError\nones(): argument 'size' (position 1) must be tuple of ints, not float\n",
    "torch.ones([2, 'a'])":
        "TypeError\nones(): argument 'size' failed to unpack the object at pos 2 with error "
        "\"type must be tuple of ints,but got str\"\n",
    "x.unsqueeze('a')": "TypeError\nunsqueeze(): argument 'dim' (position 1) must be int, "
                        "not str\n",
    "x.repeat(2.0)": "TypeError\nrepeat(): argument 'repeats' (position 1) must be tuple of "
                     "ints, not float\n",
    "torch.clamp(x, min=[0.5])":
        "TypeError\nclamp() received an invalid combination of arguments - got (Tensor, "
        "min=list), but expected one of:\n"
        " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
        " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n\n",
    "x.fill_([1, 2])":
        "TypeError\nfill_() received an invalid combination of arguments - got (list), but "
        "expected one of:\n * (Tensor value)\n      didn't match because some of the "
        "arguments have invalid types: (!list of [int, int]!)\n * (Number value)\n      "
        "didn't match because some of the arguments have invalid types: "
        "(!list of [int, int]!)\n\n",
    "x.sum(dim=0.0)":
        "TypeError\nsum() received an invalid combination of arguments - got (dim=float, ), "
        "but expected one of:\n * (*, torch.dtype dtype = None)\n"
        " * (tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)\n\n",
    "torch.mul()": "TypeError\nmul() missing 2 required positional argument: \"input\", "
                   "\"other\"\n",
}


@pytest.mark.parametrize("code", LITERAL)
def test_pytorchs_words(code: str) -> None:
    assert gd(code) == LITERAL[code]


def test_caught_as_type_error() -> None:
    out = gd("(lambda: [x.add_(1, alpha='a')])()")
    assert out == "TypeError\nadd_(): argument 'alpha' must be Number, not str\n"


# Valid spellings: numbers, bools, ints, 0-d tensors as Scalars and ints, sizes as tuples,
# lists, torch.Size or varargs, dtypes as torch.dtype or Python's float/int/bool.
GOOD = [
    "torch.full((2,), torch.tensor(3.))", "x.add(1, alpha=2)", "x.add(True)",
    "x.add(torch.tensor(2.))", "x.add(1, alpha=torch.tensor(2.))", "x.pow(torch.tensor(2))",
    "x.pow(2)", "torch.pow(2, x)", "torch.ones((2, 3))", "torch.ones([2, 3])",
    "torch.ones(torch.Size([2]))", "torch.ones(x.shape)", "torch.ones(2, True)",
    "torch.ones(2, torch.tensor(2))", "torch.ones([])", "x.view(-1)", "x.view(3, 2)",
    "x.view((3, 2))", "x.view(torch.tensor(6))", "x.sum(dim=(0,))", "x.sum(0)",
    "x.sum(dim=[0, 1], keepdim=True)", "x.sum(dtype=torch.float64)", "x.sum(axis=0)",
    "x.sum(dim=(0, True))", "x.sum(dim=torch.tensor(0))", "x.sum(dim=(torch.tensor(0),))",
    "torch.sum(x, 1, True)", "torch.arange(torch.tensor(3))", "torch.arange(0, 1, 0.25)",
    "torch.full((2,), True)", "x.mul(2)", "x.div(2, rounding_mode='floor')",
    "torch.div(x, 2)", "x.unsqueeze(torch.tensor(1))", "x.unsqueeze(dim=0)",
    "torch.zeros(2, dtype=float)", "torch.zeros(2, dtype=int)", "torch.zeros(2, dtype=bool)",
    "torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)",
    "torch.zeros(2, requires_grad=None)", "torch.linspace(0, 1, torch.tensor(3))",
    "torch.linspace(torch.tensor(0.), 1, 3)", "torch.clamp(x, min=0.5)",
    "torch.clamp(x, 0, 1)", "x.clamp(max=torch.tensor(0.5))", "x.clamp(min=None, max=2)",
    "x.fill_(3)", "x.fill_(torch.tensor(2.))", "x.masked_fill(x > 0, 0.0)",
    "x.masked_fill(x > 0, torch.tensor(1.))", "x.repeat(2, 1)", "x.repeat((2, 1))",
    "x.expand(2, 2, 3)", "x.permute(1, 0)", "x.permute((1, 0))", "x.transpose(0, 1)",
    "x.squeeze()", "x.squeeze(0)", "x.squeeze((0, 1))", "x.mean(1)", "x.max()", "x.max(0)",
    "x.max(dim=1, keepdim=True)", "x.max(x)", "x.min(1)", "x.softmax(0)",
    "x.softmax(-1, dtype=torch.float64)", "F.softmax(x, dim=1)", "F.log_softmax(x, 1)",
    "torch.softmax(x, 1)", "torch.eye(2)", "torch.eye(2, 3)", "torch.zeros_like(x, dtype=int)",
    "torch.full_like(x, 7)", "torch.tensor([1, 2], dtype=torch.float64)",
    "torch.tensor(3.0, requires_grad=True)", "x.new_zeros(2)", "x.new_ones((2, 2))",
    "x.new_full((2,), 5)", "torch.add(x, 1)", "torch.add(x, x, alpha=2)",
    "torch.sub(x, 1, alpha=2)", "x.sub_(1)", "torch.cat([x, x], 1)", "torch.stack((x, x))",
    "torch.where(x > 0, x, 0.0)", "torch.where(x > 0, 1.0, 0.0)", "x.flatten()",
    "torch.reshape(x, (3, 2))", "x.cumsum(0)", "x.argmax(dim=1)", "x.prod()", "x.std(0)",
    "x.var(unbiased=False)", "x.std(dim=1, correction=0)", "x.topk(2)",
    "x.sort(dim=1, descending=True)", "x.tril(1)", "x.roll(1, 0)", "x.flip(0)",
    "torch.flip(x, (0,))", "x.narrow(1, 0, 2)", "x.lerp(x, 0.5)",
    "x.gather(1, torch.tensor([[0], [1]]))", "x.to(torch.float64)", "x.to(dtype=float)",
    "x.to('cpu')", "x.to(x)", "x.to(device='cpu', dtype=torch.int64)", "x.long()",
    "torch.where(condition=x > 1, input=x, other=x * 2)", "torch.sum(input=x, dim=0)",
    "torch.clamp(input=x, min=0.7)", "torch.zeros_like(input=x)",
]


@pytest.mark.parametrize("code", GOOD)
def test_valid_calls_work_as_in_pytorch(code: str) -> None:
    out = gd(code)
    assert out.startswith("->"), out
    assert out == th(code)


def test_valid_calls_literal() -> None:
    assert gd("torch.full((2,), torch.tensor(3.))") == "-> tensor([3., 3.])\n"
    assert gd("x.sum(dim=(0,))") == "-> tensor([3., 5., 7.])\n"
    assert gd("torch.zeros(2, dtype=float)") == "-> tensor([0., 0.], dtype=torch.float64)\n"
    assert gd("torch.ones(2, True)") == "-> tensor([[1.],\n        [1.]])\n"
    assert gd("torch.arange(torch.tensor(3))") == "-> tensor([0, 1, 2])\n"


def test_every_schema_names_a_gd_spelling() -> None:
    from gradcli.interp.attributes import TENSOR_METHODS
    from gradcli.interp.builtins import registry
    from gradcli.interp.signatures import FUNCTIONAL_METHODS, SIGNATURES

    reg = registry()
    for spelling in [*SIGNATURES, *FUNCTIONAL_METHODS]:
        module, _, name = spelling.rpartition(".")
        members = TENSOR_METHODS if module == "Tensor" else reg.modules[module].members
        assert name in members, spelling
