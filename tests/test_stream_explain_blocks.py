"""explain --full's table drawn column by column (render/stream.py `block_lines`, from
results.StepBlock columns, in UTF-8) is the row-at-a-time drawing (`_StepText.extend`, itself equal
to the general `_row` path: test_stream_explain_lines.py) line for line; and the app's
columns (app/steps.py: `block`, the scalar decoding) are the steps' own."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from gradcli import app
from gradcli.app import steps as steps_mod
from gradcli.app.inputs import AppOptions
from gradcli.render.stream import _StepText, raw_steps, step_blocks
from gradcli.results import TensorData, raw_step, step_block
from gradcli.source import Source

RULE = "├─rule─┤"


def _row_at_a_time(raws: list, precision: int, widths: list[int]) -> tuple[list[str], bool]:
    text = _StepText(precision, widths)
    out: list[str] = []
    text.extend(raws, out.extend, RULE)
    return out, text.accumulates


def _batched(raws: list, precision: int, widths: list[int]) -> tuple[list[str], bool]:
    text = _StepText(precision, widths)
    lines = text.block_lines(step_block(raws), RULE)
    assert all(type(line) is bytes for line in lines)
    return [line.decode() for line in lines], text.accumulates


def _td(a: np.ndarray) -> TensorData:
    return TensorData.of(a)


TRICKY = [0.0, -0.0, math.nan, -math.nan, math.inf, -math.inf, 1.0, -1.0, 3.0, 1e-4, -1e-4,
          9.99999e-5, 1e8, 1.00000001e8, -123456789.0, 1e-30, 5e-324, 1.7976931348623157e308,
          0.1 + 0.2, 2.5, 0.99995, float(np.float32(0.1)), float(np.float16(65504.0)), 1e20]


def _steps(values: list[float]) -> list:
    """RawStep tuples exercising every kind of row: one to three flows, no flow, summed
    notes, accumulation, tensor values, long and unicode labels, every tricky value."""
    out = []
    arrays = [_td(np.arange(6, dtype=np.float32).reshape(2, 3) / 7), _td(np.array(3)),
              _td(np.array([1.5, -0.0, np.nan])), _td(np.array(True)),
              _td(np.zeros((0, 2))), _td(np.array(2.5, np.float64))]
    labels = ["#7 y = add", "#123456 a_rather_long_variable_name_indeed = mul", "#3 λ = sin",
              "#4 x", "#99 données = div", "#5 leaf"]
    rules = ["grad_a = grad · b", "grad_x = grad · cos(x)", "grad_b = grad",
             "grad_input2 = vjp of something_quite_long_to_fold"]
    for i, v in enumerate(values * 2):
        k = i % 7
        inc = arrays[i % len(arrays)] if k == 5 else v
        flows = []
        for f in range(0 if k == 6 else 1 + i % 3):
            w = values[(i + f + 1) % len(values)]
            value = arrays[(i + f) % len(arrays)] if (i + f) % 9 == 4 else w
            summed = "summed over dim 0 (broadcast)" if (i + f) % 11 == 3 else None
            flows.append((labels[(i + f) % len(labels)], rules[(i + f) % len(rules)], value,
                          (i + f) % 4 == 1, summed))
        grad_fn = "MulBackward0" if k != 3 else "AVeryLongGradFnNameBackward0"
        out.append((labels[i % len(labels)], grad_fn, i % 20 + 1,
                    None if k == 2 else i % 30, inc, flows))
    return out


@pytest.mark.parametrize("widths", [[30, 30, 30, 30, 30], [20, 19, 22, 16, 10],
                                    [12, 9, 14, 8, 9], [6, 6, 6, 6, 6], [40, 12, 26, 14, 12]])
@pytest.mark.parametrize("precision", [4, 0, 1, 8])
def test_batched_lines_are_the_row_at_a_time_lines(widths: list[int], precision: int) -> None:
    raws = _steps(TRICKY)
    assert _batched(raws, precision, widths) == _row_at_a_time(raws, precision, widths)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_batched_lines_of_scalar_steps(dtype: type) -> None:
    # Only simple steps (every cell fits, one or two flows): the batched path itself.
    rng = np.random.default_rng(0)
    values = [float(dtype(x)) for x in
              np.concatenate([rng.standard_normal(300) * 10.0 ** rng.integers(-9, 10, 300),
                              [0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, 7.0, -2.0]])]
    raws = [(f"#{i} y = add", "AddBackward0", 9, 9, values[i],
             [(f"#{i + 1} mul", "grad_a = grad", values[-i], i % 3 == 0, None)] * (1 + i % 2))
            for i in range(len(values))]
    for precision in (4, 2, 6):
        widths = [30, 19, 22, 16, 16]
        assert (_batched(raws, precision, widths)
                == _row_at_a_time(raws, precision, widths))


def test_step_block_round_trips() -> None:
    raws = _steps(TRICKY)
    block = step_block(raws)
    assert [_comparable(block.raw(i)) for i in range(len(raws))] == [
        _comparable(r) for r in raws]


def test_empty_block() -> None:
    assert _StepText(4, [8] * 5).block_lines(step_block([]), RULE) == []


PROGRAMS = {
    "chain": ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(40):\n"
              "    y = y * 0.9999 + sin(x) * 0.0001\ny", ["x"]),
    "float64": ("x = tensor(0.25, dtype=float64, requires_grad=True)\ny = x\n"
                "for i in range(30):\n    y = y * x - y / 3.0 + x\ny", ["x"]),
    "mixed": ("x = tensor(0.5, requires_grad=True)\nw = tensor([1.0, 2.0], requires_grad=True)\n"
              "s = x\nfor i in range(20):\n    s = s * 2.0 - x\n    v = (w * s).sum() + s * s\n"
              "    s = s + v * 0.001\ns", ["x", "w"]),
    "broadcast": ("a = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
                  "b = tensor([0.5, -1.0], requires_grad=True)\nt = a\n"
                  "for i in range(3):\n    t = t * b + a\n(t * t).sum()", ["a", "b"]),
    "zero": ("x = tensor(0.0, requires_grad=True)\ny = x * 0.0 + x * x\n"
             "for i in range(25):\n    y = y * x + sqrt(x * x + 1e-30)\ny", ["x"]),
    "unicode": ("données = tensor(0.3, requires_grad=True)\nλ = données\n"
                "for i in range(25):\n    λ = λ * données + cos(λ)\nλ", ["données"]),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("chunk", [3, 7, 8192])
def test_app_columns_are_the_steps(name: str, chunk: int,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's blocks (scalar entries decoded by columns, in chunks) read back as the
    steps' own RawSteps, and draw as the steps drawn one by one; the same with every
    entry decoded one by one."""
    text, wrt = PROGRAMS[name]
    source = Source("p.gd", textwrap.dedent(text) + "\n")
    monkeypatch.setattr(steps_mod, "DECODED", chunk)
    fast = app.explain(source, AppOptions(wrt=wrt))
    monkeypatch.setattr(steps_mod.StepLog, "_decode_scalars", lambda self, entries: False)
    slow = app.explain(source, AppOptions(wrt=wrt))
    want = [_comparable(raw_step(s)) for s in slow.steps]
    assert [_comparable(raw_step(s)) for s in fast.steps] == want
    assert [_comparable(r) for r in raw_steps(fast.steps)] == want
    assert [_comparable(r) for r in raw_steps(list(fast.steps))] == want
    widths = [20, 19, 24, 16, 12]
    batched = _StepText(4, widths)
    lines = [line.decode() for b in step_blocks(fast.steps)
             for line in batched.block_lines(b, RULE)]
    assert (lines, batched.accumulates) == _row_at_a_time(
        [raw_step(s) for s in slow.steps], 4, widths)


def _comparable(raw: tuple) -> tuple:
    """A RawStep with its values as comparable text (NaN equals NaN, arrays by bytes)."""
    def value(v: object) -> object:
        if type(v) is float:
            return ("float", v.hex())
        assert isinstance(v, TensorData)
        return (v.shape, v.dtype, v.value.dtype.str, v.value.tobytes())

    node, grad_fn, line, column, incoming, flows = raw
    return (node, grad_fn, line, column, value(incoming),
            [(t, r, value(v), acc, summed or None) for t, r, v, acc, summed in flows])


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-16"])
def test_bytes_writer_keeps_the_order_of_text(encoding: str) -> None:
    """The table's UTF-8 lines go to a UTF-8 stream's binary buffer (the text before them
    flushed first), else through the text writer, decoded: the same text in order."""
    import io

    from gradcli.render.stream import _bytes_writer

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    put = _bytes_writer(stream.write)
    stream.write("╭─ before │")
    put("│ λ · 0.5 │\n".encode())
    stream.write("after ╯")
    stream.flush()
    assert raw.getvalue().decode(encoding) == "╭─ before ││ λ · 0.5 │\nafter ╯"
    text = io.StringIO()
    _bytes_writer(text.write)("│ λ │".encode())
    assert text.getvalue() == "│ λ │"


def _joined(text: _StepText, block: object) -> bytes:
    lines = text.block_lines(block, RULE)
    return b"\n".join(lines) + b"\n" if lines else b""


def _drawn(text: _StepText, block: object) -> bytes | None:
    data = text.block_bytes(block, RULE)
    return None if data is None else bytes(memoryview(data))


@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("block", [5, 13, 8192])
def test_blocks_drawn_into_one_buffer_are_the_lines(name: str, periodic: bool, block: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """render.step_bytes: a plain block's bytes, laid out as a matrix p steps a row (a
    loop's period) or a step a row, are block_lines' lines joined, tail and all."""
    from gradcli.render import step_bytes, stream

    text, wrt = PROGRAMS[name]
    result = app.explain(Source("p.gd", textwrap.dedent(text) + "\n"), AppOptions(wrt=wrt))
    if not periodic:
        monkeypatch.setattr(step_bytes, "_period", lambda *a: 0)
    monkeypatch.setattr(stream, "BLOCK", block)
    for widths in ([20, 19, 24, 22, 12], [12, 9, 22, 12, 10], [40, 30, 30, 30, 30]):
        fast, slow = _StepText(4, widths), _StepText(4, widths)
        drawn = 0
        for b in step_blocks(result.steps):
            data = _drawn(fast, b)
            if data is not None:
                drawn += 1
                assert data == _joined(slow, b)
            else:  # left to block_lines, as the table does
                assert _joined(fast, b) == _joined(slow, b)
            assert fast.accumulates == slow.accumulates
        if name in ("chain", "float64") and widths[0] == 20:
            assert drawn  # these programs' steps are plain


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_scalar_blocks_drawn_into_one_buffer(dtype: type) -> None:
    rng = np.random.default_rng(1)
    values = [float(dtype(x)) for x in
              np.concatenate([rng.standard_normal(200) * 10.0 ** rng.integers(-9, 10, 200),
                              [0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, 7.0, -2.0]])]
    rules = ["grad_a = grad", "grad_x = grad · cos(x)", "grad_b = −grad · a / b²"]
    for period in (1, 3, 7, None):
        raws = [(f"#{i} y = add", "AddBackward0", 9, 9, values[i],
                 [(f"#{i + 1} mul", rules[(i + f) % 3 if period is None else (i % period + f) % 3],
                   values[-i - f], (i + f) % 3 == 0, None)
                  for f in range(1 + (i % period if period else i * 7 % 4) % 3)])
                for i in range(len(values))]
        for precision in (4, 2):
            widths = [30, 19, 24, 16, 16]
            data = _drawn(_StepText(precision, widths), step_block(raws))
            assert data is not None
            assert data == _joined(_StepText(precision, widths), step_block(raws))
