"""explain --full's streamed step lines (render/stream.py `_StepText`) are exactly what
the general path draws: `_step_rows` (each cell through `inline_tensor`) laid out by
`_row`, at widths where every cell fits and where cells fold."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from gradcli import app
from gradcli.app.inputs import AppOptions
from gradcli.render.numbers import inline_tensor
from gradcli.render.stream import _row, _step_rows, _StepText, raw_steps
from gradcli.results import TensorData, raw_step
from gradcli.source import Source

PROGRAMS = {
    "chain": ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(6):\n"
              "    y = y * 0.9999 + sin(x) * 0.0001\ny", ["x"]),
    "broadcast": ("a = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
                  "b = tensor([0.5, -1.0], requires_grad=True)\nt = a\n"
                  "for i in range(3):\n    t = t * b + a\n(t * t).sum()", ["a", "b"]),
    "specials": ("x = tensor(0.0, requires_grad=True)\nz = x * -1.0\n"
                 "y = (z * 0.0 + sqrt(x) + x * 1e-30 + x * 123456789.0)\ny", ["x"]),
    "detached": ("x = tensor([1.0, 2.0, 3.0], requires_grad=True)\nc = x.detach() * 2\n"
                 "a_rather_long_variable_name = (x * c).sum() + tanh(x).sum()\n"
                 "a_rather_long_variable_name", ["x"]),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("widths", [[30, 30, 30, 30, 30], [12, 9, 14, 8, 9], [6, 6, 6, 6, 6]])
@pytest.mark.parametrize("precision", [4, 1, 8])
def test_step_lines_equal_the_general_rows(name: str, widths: list[int],
                                           precision: int) -> None:
    text, wrt = PROGRAMS[name]
    result = app.explain(Source("p.gd", textwrap.dedent(text) + "\n"), AppOptions(wrt=wrt))
    fast = _StepText(precision, widths)
    for step in result.steps:
        slow = [line for row in _step_rows(step, precision) for line in _row(row, widths)]
        got: list[str] = []
        fast.lines(raw_step(step), got)
        assert got == slow
    # The app's own RawStep tuples (read from its columns) are the steps' own.
    assert [_comparable(r) for r in raw_steps(result.steps)] == [
        _comparable(raw_step(s)) for s in result.steps]


def _comparable(raw: tuple) -> tuple:
    """A RawStep with its values as comparable text (NaN equals NaN, arrays by bytes)."""
    def value(v: object) -> object:
        if type(v) is float:
            return ("float", repr(v))
        assert isinstance(v, TensorData)
        return (v.shape, v.dtype, v.value.dtype.str, v.value.tobytes())

    node, grad_fn, line, column, incoming, flows = raw
    return (node, grad_fn, line, column, value(incoming),
            [(t, r, value(v), acc, summed) for t, r, v, acc, summed in flows])


@pytest.mark.parametrize("value", [0.0, -0.0, 1.0, -2.5, 1e-30, 123456789.0, 1e20, np.nan,
                                   np.inf, -np.inf, 0.1 + 0.2, 3.0, 1e-4, -1e-4, 9.9999e-5,
                                   1e8, -1e8, 1.00000001e8, 2.5, 0.5, 1e8 - 0.5, 65504.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("precision", [0, 1, 4, 10])
def test_inline_zero_d_values_are_inline_tensors(value: float, dtype: type,
                                                precision: int) -> None:
    td = TensorData((), "float", np.array(value, dtype=dtype))
    assert _StepText(precision, [8] * 5).inline(float(td.value)) == inline_tensor(td, precision)


def test_inline_other_values_go_through_inline_tensor() -> None:
    for a in (np.arange(20.0).reshape(4, 5), np.array(3), np.array(True), np.zeros((0, 2))):
        td = TensorData(a.shape, "x", a)
        assert _StepText(4, [8] * 5).inline(td) == inline_tensor(td, 4)


def test_inline_keeps_recent_texts_apart() -> None:
    # One formatter for a run of values (its cache of recent texts in play): each value's
    # text is still its own, 0.0 and -0.0 included (equal as keys, not as text).
    values = [0.5, -0.0, 0.0, 1e-5, 0.5, -0.0, 2.0, 0.0, np.nan, 1e-5, 2.0, -2.0, 0.5]
    fast = _StepText(4, [8] * 5)
    for v in values * 3:
        td = TensorData((), "float32", np.array(v, dtype=np.float32))
        assert fast.inline(float(td.value)) == inline_tensor(td, 4)


SCALAR_PROGRAMS = {
    **PROGRAMS,
    "float64": ("x = tensor(0.25, dtype=float64, requires_grad=True)\ny = x\n"
                "for i in range(4):\n    y = y * x - y / 3.0 + x\ny", ["x"]),
    "mixed": ("x = tensor(0.5, requires_grad=True)\nw = tensor([1.0, 2.0], requires_grad=True)\n"
              "s = x * 2.0 - x\nv = (w * s).sum() + s * s\nv", ["x", "w"]),
    "zero": ("x = tensor(0.0, requires_grad=True)\ny = x * 0.0 + x * x\ny", ["x"]),
}


@pytest.mark.parametrize("name", list(SCALAR_PROGRAMS))
def test_scalar_path_observer_records_the_tensor_paths_steps(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """explain's observer takes the engine's numpy-scalar cotangents (app/steps.py,
    `takes_scalars`), so the scalar path stays on under explain; the steps it records are
    the ones the tensor path records, number for number and bit for bit."""
    from gradcli.app import steps

    text, wrt = SCALAR_PROGRAMS[name]
    source = Source("p.gd", textwrap.dedent(text) + "\n")
    made = steps.StepLog.observer
    seen: list[type] = []

    def counting(self: steps.StepLog) -> object:
        entries = made(self)

        class Spy(list):
            takes_scalars = True

            def append(self, entry: tuple) -> None:
                seen.append(type(entry[1]))
                entries.append(entry)

        return Spy()

    monkeypatch.setattr(steps.StepLog, "observer", counting)
    fast = app.explain(source, AppOptions(wrt=wrt))
    if name in ("chain", "float64", "specials"):
        assert {np.float32, np.float64} & set(seen)  # the scalar path ran

    def tensor_only(self: steps.StepLog) -> object:
        entries = made(self)

        class Plain(list):  # no takes_scalars: tensors
            def append(self, entry: tuple) -> None:
                entries.append(entry)

        return Plain()

    monkeypatch.setattr(steps.StepLog, "observer", tensor_only)
    slow = app.explain(source, AppOptions(wrt=wrt))
    assert [_comparable(r) for r in raw_steps(fast.steps)] == [
        _comparable(r) for r in raw_steps(slow.steps)]
    assert [_comparable(raw_step(s)) for s in fast.steps] == [
        _comparable(raw_step(s)) for s in slow.steps]
    assert len(fast.steps) > 0
