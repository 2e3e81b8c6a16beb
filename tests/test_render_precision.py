"""Numbers in tables and plain text read as PyTorch prints the same tensor's elements.

For every tensor the cells of the table view, the plain view and the one-line form
(explain/graph) must be the element strings of ``print(t)`` under
``torch.set_printoptions(precision=N)`` with N = ``--precision``: PyTorch's per-tensor
choice of fixed point, scientific notation or integer mode, its decimals, nan/inf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from gradcli.render import render
from gradcli.render.numbers import inline_tensor, tensor_grids
from gradcli.render.plain import ELIDED
from gradcli.render.table import COL_ELIDED, ROW_ELIDED
from gradcli.results import EvalResult, TensorData

WIDE = 100_000  # no wrapping or column elision: every cell is shown


def td(values: Any, dtype: str = "float32") -> TensorData:
    return TensorData.of(np.asarray(values, dtype=np.dtype(dtype)))


def grid_cells(t: TensorData, precision: int) -> list[str]:
    """The shown cells of every grid, row-major, without padding."""
    return [c.strip() for g in tensor_grids(t, precision) for row in g.rows for c in row
            if c is not None]


def table_cells(t: TensorData, precision: int) -> list[str]:
    """The value cells of the rendered table (row labels and headers dropped)."""
    lines = render(EvalResult(t, "y", {}), "table", precision=precision, width=WIDE).split("\n")
    cells: list[str] = []
    in_body = False
    body_starts = "╭" if t.value.ndim == 0 else "├"  # a scalar's table has no header
    for line in lines:
        if line.startswith((body_starts, "╰")):
            in_body = line.startswith(body_starts)
        elif in_body and line.startswith("│"):
            row = [c.strip() for c in line.strip("│").split("│")]
            row = row[1:] if t.value.ndim >= 2 else row
            cells += [c for c in row if c not in (ROW_ELIDED, COL_ELIDED, "")]
    return cells


def plain_cells(t: TensorData, precision: int) -> list[str]:
    """The values of the rendered plain text (heading and slice titles dropped)."""
    lines = render(EvalResult(t, "y", {}), "plain", precision=precision, width=WIDE).split("\n")
    return [tok for line in lines[1:] if not line.strip().startswith("[") for tok in line.split()
            if tok != ELIDED]


def inline_cells(text: str) -> list[str]:
    return [tok for tok in re.split(r"[\s\[\],]+", text) if tok and tok != "…"]


# --------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("values", "dtype", "precision", "expected"),
    [
        ([1 / 3, 77.80661], "float32", 4, ["0.3333", "77.8066"]),
        ([1 / 3, 77.80661], "float64", 2, ["0.33", "77.81"]),
        ([1 / 3, 77.80661], "float64", 8, ["0.33333333", "77.80661000"]),
        ([3.0, -0.0, 12.0], "float32", 4, ["3.", "-0.", "12."]),
        ([1.0, 12345.0], "float32", 4, ["1.0000e+00", "1.2345e+04"]),
        ([1e-5, 0.5], "float64", 4, ["1.0000e-05", "5.0000e-01"]),
        ([float("nan"), 1.5, float("-inf")], "float32", 4, ["nan", "1.5000", "-inf"]),
        ([0.1, 0.25], "float32", 8, ["0.10000000", "0.25000000"]),
        ([7, -3], "int64", 2, ["7", "-3"]),
        ([True, False], "bool", 4, ["True", "False"]),
    ],
)
def test_cells_literal(values: list[Any], dtype: str, precision: int,
                       expected: list[str]) -> None:
    t = td(values, dtype)
    assert grid_cells(t, precision) == expected
    assert table_cells(t, precision) == expected
    assert plain_cells(t, precision) == expected
    assert inline_cells(inline_tensor(t, precision)) == expected


def test_scalar_literal() -> None:
    """A 0-d tensor's number as in ``tensor(2.4691)``; integral as ``tensor(28.)``."""
    assert grid_cells(td(2.4691357), 4) == ["2.4691"]
    assert plain_cells(td(2.4691357), 4) == ["2.4691"]
    assert inline_tensor(td(2.4691357, "float64"), 2) == "2.47"
    assert table_cells(td(28.0), 4) == ["28."]
    assert inline_tensor(td(1e9), 4) == "1.0000e+09"


def test_alignment_on_the_point() -> None:
    lines = render(EvalResult(td([[1.5, -12.25], [100.0, 0.125]]), "y", {}), "plain",
                   width=WIDE).split("\n")
    assert lines[1:] == ["    1.5000  -12.2500", "  100.0000    0.1250"]


# --------------------------------------------------------------------------- against PyTorch


def _cases() -> Iterator[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(13)
    shapes = [(), (1,), (5,), (3, 4), (2, 3, 4)]
    for shape in shapes:
        n = int(np.prod(shape))
        signs = rng.choice([-1.0, 1.0], size=n)
        yield "unit", (rng.standard_normal(n)).reshape(shape)
        for scale in (-9, -6, -3, 2, 5, 9):
            yield f"1e{scale}", (signs * rng.random(n) * 10.0**scale).reshape(shape)
        yield "mixed scales", (signs * 10.0 ** rng.uniform(-7, 10, n)).reshape(shape)
        yield "integral", (signs * rng.integers(0, 5000, n)).astype(float).reshape(shape)
        yield "huge integral", (signs * rng.integers(1, 9, n) * 1e9).reshape(shape)
        yield "zeros", np.zeros(shape)
        yield "negative zeros", -np.zeros(shape)
        if n > 1:
            special = signs * rng.random(n) * 100
            special[rng.choice(n, size=min(3, n - 1), replace=False)] = [np.nan, np.inf, -np.inf][
                : min(3, n - 1)]
            yield "nan/inf", special.reshape(shape)
            halves = (rng.integers(-20, 20, n) / 2).reshape(shape)
            yield "halves", halves
    yield "summarised", np.arange(-1000.0, 1000.0).reshape(40, 50) / 3
    yield "summarised integral", np.arange(2000.0).reshape(2, 20, 50)


CASES = list(_cases())


def torch_elements(torch: Any, t: Any) -> list[str]:
    """The element strings of PyTorch's ``str(t)``, row-major (``...`` dropped)."""
    body = str(t)[len("tensor("):]
    body = re.split(r",\s*dtype=", body)[0].rstrip(")")
    return [tok for tok in re.split(r"[\s\[\],]+", body) if tok and tok != "..."]


@pytest.mark.parametrize("precision", [2, 4, 8])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cells_match_pytorch(dtype: str, precision: int) -> None:
    torch = pytest.importorskip("torch")
    torch.set_printoptions(precision=precision)
    try:
        for name, values in CASES:
            a = np.asarray(values, dtype=dtype)
            expected = torch_elements(torch, torch.from_numpy(a.copy()))
            t = td(a, dtype)
            where = f"{name} {a.shape} {dtype} precision={precision}"
            assert grid_cells(t, precision) == expected, where
            assert plain_cells(t, precision) == expected, where
            if a.ndim <= 2:  # higher ranks: one table per slice, same cells as the grids
                assert table_cells(t, precision) == expected, where
            if a.size <= 16:
                assert inline_cells(inline_tensor(t, precision)) == expected, where
    finally:
        torch.set_printoptions(profile="default")


def test_inline_summary_keeps_pytorch_strings() -> None:
    """The one-line form shows fewer elements than PyTorch but writes them as PyTorch does:
    the formatter is chosen from every element PyTorch shows, not from the edges alone."""
    torch = pytest.importorskip("torch")
    a = np.concatenate([np.full(10, 2.0), [0.5], np.full(10, 3.0)]).astype(np.float32)
    expected = torch_elements(torch, torch.from_numpy(a))
    assert expected[0] == "2.0000"  # 0.5 in the middle ends integer mode for all
    shown = inline_cells(inline_tensor(td(a), 4))
    assert shown == expected[:3] + expected[-3:]
    assert inline_tensor(td(a), 4) == "[2.0000, 2.0000, 2.0000, …, 3.0000, 3.0000, 3.0000]"


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_ints_and_bools_match_pytorch(dtype: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    a = rng.integers(-100_000, 100_000, (3, 4)).astype(dtype)
    expected = torch_elements(torch, torch.from_numpy(a))
    assert grid_cells(td(a, dtype), 4) == expected
    assert table_cells(td(a, dtype), 4) == expected
    assert plain_cells(td(a, dtype), 4) == expected
