"""Tests for gradcli.ad.tensor_str: golden strings, then differential checks vs PyTorch."""

from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcli.ad.tensor_str import (
    TensorFormatError,
    format_spec,
    format_tensor,
    format_tensor_spec,
    format_value,
)

# --------------------------------------------------------------------------- golden cases


class FakeTensor:
    """A stand-in tensor for format_value: values, dtype name and grad_fn name."""

    def __init__(self, data: Any, dtype: str = "float32", grad_fn: str | None = None) -> None:
        self.data = np.asarray(data)
        self.dtype_name = dtype
        self.grad_fn = grad_fn


def fake_repr(v: object) -> str | None:
    """tensor_repr callback for FakeTensor."""
    if isinstance(v, FakeTensor):
        return format_tensor(v.data, v.dtype_name, grad_fn=v.grad_fn)
    return None


GOLDEN: list[tuple[np.ndarray, str, dict[str, Any], str]] = [
    (np.arange(4, dtype=np.float32), "float32", {}, "tensor([0., 1., 2., 3.])"),
    (
        np.float32(28.0),
        "float32",
        {"grad_fn": "MulBackward0"},
        "tensor(28., grad_fn=<MulBackward0>)",
    ),
    (np.array([0, 4, 8, 12], np.float32), "float32", {}, "tensor([ 0.,  4.,  8., 12.])"),
    (
        np.arange(4.0).reshape(4, 1),
        "float64",
        {},
        "tensor([[0.],\n        [1.],\n        [2.],\n        [3.]], dtype=torch.float64)",
    ),
    (
        np.array([[28.0]]),
        "float64",
        {"grad_fn": "MulBackward0"},
        "tensor([[28.]], dtype=torch.float64, grad_fn=<MulBackward0>)",
    ),
    (
        np.array([102.4, 1024.0, 0.1024], np.float32),
        "float32",
        {},
        "tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])",
    ),
    (
        np.array([51.2, 512.0, 0.0512], np.float32),
        "float32",
        {},
        "tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])",
    ),
    (np.ones(4, bool), "bool", {}, "tensor([True, True, True, True])"),
    (np.array(True), "bool", {}, "tensor(True)"),
    (np.array([[True]]), "bool", {}, "tensor([[True]])"),
    (np.array([True, False]), "bool", {}, "tensor([ True, False])"),
    (np.array([5.0], np.float32), "float32", {}, "tensor([5.])"),
    (
        np.full((2, 2), 3.0, np.float32),
        "float32",
        {"grad_fn": "AddBackward0"},
        "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)",
    ),
    (
        np.array([999.0], np.float32),
        "float32",
        {"requires_grad": True},
        "tensor([999.], requires_grad=True)",
    ),
    (
        np.array([2.0], np.float32),
        "float32",
        {"requires_grad": True, "grad_fn": "MulBackward0"},
        "tensor([2.], grad_fn=<MulBackward0>)",
    ),
    (np.array([1, 2, 3]), "int64", {}, "tensor([1, 2, 3])"),
    (np.array(3), "int64", {}, "tensor(3)"),
    (np.array([np.inf, np.nan, -np.inf]), "float32", {}, "tensor([inf, nan, -inf])"),
    (np.array([0.1], np.float32), "float32", {}, "tensor([0.1000])"),
    (np.zeros((0, 3), np.float32), "float32", {}, "tensor([], size=(0, 3))"),
    (np.zeros(0, np.int64), "int64", {}, "tensor([], dtype=torch.int64)"),
    (np.zeros(0), "float64", {}, "tensor([], dtype=torch.float64)"),
    (np.array([-0.0, 1.0], np.float32), "float32", {}, "tensor([-0., 1.])"),
    (
        np.array([[0.0227, 0.0738, 0.0327], [0.0227, 0.0738, 0.0327]], np.float32),
        "float32",
        {},
        "tensor([[0.0227, 0.0738, 0.0327],\n        [0.0227, 0.0738, 0.0327]])",
    ),
    (np.array([1.12345], np.float32), "float32", {"precision": 2}, "tensor([1.12])"),
    (np.arange(10), "int64", {"threshold": 5}, "tensor([0, 1, 2,  ..., 7, 8, 9])"),
    (np.arange(10), "int64", {"threshold": 5, "edgeitems": 0}, "tensor([...], size=(10,))"),
]


@pytest.mark.parametrize(("data", "dtype", "kwargs", "expected"), GOLDEN)
def test_golden(data: np.ndarray, dtype: str, kwargs: dict[str, Any], expected: str) -> None:
    assert format_tensor(data, dtype, **kwargs) == expected


def test_golden_wrapping_and_summary() -> None:
    row = format_tensor(np.arange(30, dtype=np.float32), "float32")
    assert row == (
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
        "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
        "        28., 29.])"
    )
    big = format_tensor(np.arange(2000), "int64")
    assert big == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"


def test_golden_format_value() -> None:
    six = FakeTensor([6.0], grad_fn="MulBackward0")
    assert format_value((six,), fake_repr) == "(tensor([6.], grad_fn=<MulBackward0>),)"
    assert format_value((FakeTensor([2.0]),), fake_repr) == "(tensor([2.]),)"
    assert format_value(FakeTensor(28.0), fake_repr) == "tensor(28.)"
    nested = [None, True, 3, 0.1, 1e-05, math.inf, "s", ("t",), {"k": FakeTensor(1)}]
    assert (
        format_value(nested, fake_repr)
        == "[None, True, 3, 0.1, 1e-05, inf, 's', ('t',), {'k': tensor(1.)}]"
    )
    assert format_value("text", fake_repr) == "text"
    assert format_value((), fake_repr) == "()"
    grid = FakeTensor(np.ones((2, 2)))
    assert format_value((grid,), fake_repr) == "(tensor([[1., 1.],\n        [1., 1.]]),)"


def test_golden_format_spec() -> None:
    assert format_spec(0.5, ".3f") == "0.500"
    assert format_tensor_spec(np.float32(28.0), "float32", ".3f") == "28.000"
    assert format_tensor_spec(np.float32(0.1), "float32", "") == "0.10000000149011612"
    assert format_tensor_spec(np.array([1.0, 2.0]), "float32", "") == "tensor([1., 2.])"
    with pytest.raises(TensorFormatError, match="unsupported format string"):
        format_tensor_spec(np.array([1.0]), "float32", ".2f")
    with pytest.raises(ValueError):
        format_tensor_spec(np.array([1.0, 2.0]), "float32", "g")


def test_unknown_dtype() -> None:
    with pytest.raises(ValueError, match="dtype"):
        format_tensor(np.zeros(2), "bfloat16")


# --------------------------------------------------------------------------- differential


@contextmanager
def torch_printoptions(**opts: Any) -> Iterator[Any]:
    """Apply torch print options for a block; yield the torch module."""
    torch = pytest.importorskip("torch")
    torch.set_printoptions(**opts)
    try:
        yield torch
    finally:
        torch.set_printoptions(profile="default")


TORCH_DTYPE_NAMES = {
    "float32": "float32",
    "float64": "float64",
    "float16": "float16",
    "int64": "int64",
    "int32": "int32",
    "bool": "bool",
}


def make_values(rng: np.random.Generator, shape: tuple[int, ...], regime: str) -> np.ndarray:
    """Values of one regime as float64 (ints/bools are cast by the caller)."""
    n = math.prod(shape)
    if regime == "normal":
        out = rng.standard_normal(n)
    elif regime == "mixed":
        out = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 9, n)
    elif regime == "integral":
        out = rng.integers(-50, 50, n).astype(np.float64)
    elif regime == "big_integral":
        out = rng.integers(-(10**6), 10**6, n).astype(np.float64) * 1000.0
    elif regime == "tiny":
        out = rng.standard_normal(n) * 1e-6
    elif regime == "huge":
        out = rng.standard_normal(n) * 1e9
    elif regime == "uniform":
        out = rng.uniform(0.0, 1.0, n)
    elif regime == "ratio":
        out = rng.uniform(1.0, 2.0, n) * rng.choice([1.0, 900.0, 1100.0], n)
    elif regime == "rounding":
        out = rng.choice([9.99995, 0.99996, 99.99999, 0.00010001, 99999999.0, 1e8], n)
    elif regime == "zeros":
        out = rng.choice([0.0, -0.0], n)
    elif regime == "special":
        out = rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf, 1.5, -2.0, 3.0], n)
    else:
        raise AssertionError(regime)
    return out.reshape(shape)


FLOAT_REGIMES = [
    "normal",
    "mixed",
    "integral",
    "big_integral",
    "tiny",
    "huge",
    "uniform",
    "ratio",
    "rounding",
    "zeros",
    "special",
]


def cast(values: np.ndarray, dtype: str, rng: np.random.Generator) -> np.ndarray:
    """Bring float64 values into dtype, without numpy warnings."""
    if dtype == "bool":
        return rng.random(values.shape) < 0.5
    if dtype.startswith("int"):
        with np.errstate(invalid="ignore", over="ignore"):
            finite = np.where(np.isfinite(values), values, 7.0)
            return np.clip(finite, -(2**31), 2**31 - 1).astype(dtype)
    with np.errstate(over="ignore"):
        return values.astype(dtype)


def assert_matches_torch(arr: np.ndarray, dtype: str, opts: dict[str, Any], grad: str) -> None:
    """Compare format_tensor with torch's repr for the same values and options."""
    with torch_printoptions(**opts) as torch:
        t = torch.from_numpy(np.array(arr))  # a copy; ascontiguousarray would make 0-d 1-d
        ours: dict[str, Any] = {}
        if grad == "requires_grad":
            t = t.requires_grad_()
            ours["requires_grad"] = True
        elif grad == "grad_fn":
            t = t.requires_grad_() * 1
            ours["grad_fn"] = type(t.grad_fn).__name__
            ours["requires_grad"] = True
        expected = repr(t)
        assert str(t) == expected
    got = format_tensor(arr, dtype, **ours, **opts)
    assert got == expected, f"\nours:  {got!r}\ntorch: {expected!r}"


SHAPES: list[tuple[int, ...]] = [
    (),
    (1,),
    (5,),
    (13,),
    (37,),
    (120,),
    (0,),
    (0, 3),
    (3, 0, 2),
    (1, 1),
    (4, 1),
    (3, 4),
    (2, 17),
    (2, 3, 4),
    (2, 1, 3, 2),
    (1001,),
    (40, 30),
    (3, 7, 50),
]

SEEDED_CASES = [
    (shape, regime, dtype)
    for shape, regime in itertools.product(SHAPES, FLOAT_REGIMES)
    for dtype in ("float32", "float64")
] + [(shape, "mixed", dtype) for shape in SHAPES for dtype in ("int64", "int32", "bool", "float16")]


@pytest.mark.parametrize(("shape", "regime", "dtype"), SEEDED_CASES)
def test_seeded_vs_torch(shape: tuple[int, ...], regime: str, dtype: str) -> None:
    seed = zlib.crc32(repr((shape, regime, dtype)).encode())
    rng = np.random.default_rng([seed, 7])
    arr = cast(make_values(rng, shape, regime), dtype, rng)
    assert_matches_torch(arr, dtype, {}, "none")
    if dtype.startswith("float"):
        assert_matches_torch(arr, dtype, {}, "requires_grad")
        assert_matches_torch(arr, dtype, {}, "grad_fn")


OPTION_SETS: list[dict[str, Any]] = [
    {"precision": 2},
    {"precision": 6},
    {"precision": 0},
    {"sci_mode": True},
    {"sci_mode": False},
    {"linewidth": 40},
    {"linewidth": 120, "precision": 6},
    {"threshold": 10, "edgeitems": 2},
    {"threshold": 10, "edgeitems": 0},
    {"threshold": 0},
    {"edgeitems": 1, "threshold": 20, "linewidth": 30},
]


@pytest.mark.parametrize("opts", OPTION_SETS, ids=lambda o: repr(sorted(o.items())))
@pytest.mark.parametrize("regime", ["normal", "mixed", "integral", "tiny", "special"])
def test_options_vs_torch(opts: dict[str, Any], regime: str) -> None:
    rng = np.random.default_rng([len(repr(opts)), len(regime)])
    for shape in [(), (1,), (9,), (30,), (4, 6), (2, 3, 9), (0, 2)]:
        for dtype in ("float32", "float64", "int64"):
            arr = cast(make_values(rng, shape, regime), dtype, rng)
            assert_matches_torch(arr, dtype, opts, "grad_fn" if dtype == "float64" else "none")


@st.composite
def tensor_cases(draw: st.DrawFn) -> tuple[np.ndarray, str, dict[str, Any], str]:
    """A hypothesis-drawn tensor (built with a drawn numpy seed), print options and grad mode."""
    dtype = draw(st.sampled_from(["float32", "float64", "float32", "int64", "bool", "float16"]))
    kind = draw(st.sampled_from(["small"] * 4 + ["long"] * 2 + ["big", "empty"]))
    shape: tuple[int, ...]
    if kind == "small":
        ndim = draw(st.integers(0, 4))
        shape = tuple(draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    elif kind == "long":
        shape = (draw(st.integers(7, 200)),)
    elif kind == "big":
        shape = draw(
            st.sampled_from([(1001,), (1500,), (2, 501), (40, 30), (3, 20, 20), (2, 2, 16, 16)])
        )
    else:
        ndim = draw(st.integers(1, 4))
        shape = tuple(draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim)))
        shape = (0, *shape[1:])
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    regimes = draw(st.lists(st.sampled_from(FLOAT_REGIMES), min_size=1, max_size=3))
    parts = [make_values(rng, shape, r) for r in regimes]
    pick = rng.integers(0, len(parts), shape) if shape else rng.integers(0, len(parts))
    values = np.choose(pick, parts) if parts[0].ndim else parts[int(pick)]
    arr = cast(np.asarray(values, np.float64), dtype, rng)
    opts: dict[str, Any] = {}
    if draw(st.booleans()):
        opts["precision"] = draw(st.sampled_from([2, 4, 6]))
    if draw(st.integers(0, 4)) == 0:
        opts["sci_mode"] = draw(st.booleans())
    if draw(st.integers(0, 4)) == 0:
        opts["linewidth"] = draw(st.integers(20, 150))
    if draw(st.integers(0, 4)) == 0:
        opts["threshold"] = draw(st.integers(0, 50))
        opts["edgeitems"] = draw(st.integers(0, 4))
    grad = draw(st.sampled_from(["none", "requires_grad", "grad_fn"]))
    if not dtype.startswith("float"):
        grad = "none"
    return arr, dtype, opts, grad


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(tensor_cases())
def test_hypothesis_vs_torch(case: tuple[np.ndarray, str, dict[str, Any], str]) -> None:
    pytest.importorskip("torch")
    arr, dtype, opts, grad = case
    assert_matches_torch(arr, dtype, opts, grad)


def torch_value_repr(v: object) -> str | None:
    """tensor_repr callback for real torch tensors, rendered by format_tensor."""
    import torch

    if not isinstance(v, torch.Tensor):
        return None
    name = str(v.dtype).removeprefix("torch.")
    grad_fn = type(v.grad_fn).__name__ if v.grad_fn is not None else None
    return format_tensor(v.detach().numpy(), name, requires_grad=v.requires_grad, grad_fn=grad_fn)


def test_format_value_vs_python_print() -> None:
    torch = pytest.importorskip("torch")
    x = torch.tensor([3.0], requires_grad=True)
    y = x * 2
    m = torch.arange(6.0).reshape(2, 3).double()
    values: list[object] = [
        (y,),
        (torch.tensor([2.0]),),
        [x, y, None],
        (m, [m, (1, 2.5)], "s"),
        {"a": m, 1: (y, 1e-05)},
        [],
        (),
        ((),),
        y.sum(),
        torch.tensor(True),
        "plain text",
        None,
        True,
        0.1,
        1e-05,
        float("inf"),
        float("nan"),
        -0.0,
        12345678901234567890,
        [["nested", ("t", 'q"uote')]],
        (torch.ones(40), torch.zeros(0, 2, dtype=torch.int64)),
    ]
    for v in values:
        assert format_value(v, torch_value_repr) == str(v), v


SPECS = ["", ".3f", ".2e", "10.4f", "g", "+.1f", ">12", "d", ".0%"]


def test_format_tensor_spec_vs_torch() -> None:
    torch = pytest.importorskip("torch")
    samples = [
        np.float32(0.1),
        np.float32(-2.5),
        np.float64(1e-7),
        np.float64(np.nan),
        np.array(7),
        np.array(False),
        np.array([1.0, 2.0], np.float32),
        np.array([1.5], np.float64),
        np.array([[1, 2]]),
    ]
    checked = 0
    for arr, spec in itertools.product(samples, SPECS):
        arr = np.asarray(arr)
        dtype = str(arr.dtype)
        t = torch.from_numpy(np.array(arr))
        try:
            expected: str | type[Exception] = format(t, spec)
        except (TypeError, ValueError) as err:
            expected = type(err)
        if isinstance(expected, str):
            assert format_tensor_spec(arr, dtype, spec) == expected
        else:
            with pytest.raises(expected):
                format_tensor_spec(arr, dtype, spec)
        checked += 1
    assert checked == len(samples) * len(SPECS)
