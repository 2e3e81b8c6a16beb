"""Forward mode's deferred tangents (record.DeferredTangent): a reduction's tangent is
computed when something reads it. Deferred must equal eager (values bit for bit, dtypes),
and programs that read, mutate and re-read tangents print what PyTorch prints."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest

from gradcli.ad import forward, functional, ops, record
from gradcli.ad.graph import Tensor
from gradcli.ad.ops import statistics
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

REDUCTIONS = {
    "norm": lambda x: ops.norm(x),
    "norm1": lambda x: ops.norm(x, 1),
    "norm_inf": lambda x: ops.norm(x, float("inf")),
    "norm3_dim": lambda x: ops.norm(x, 3, 1),
    "sum": lambda x: ops.sum(x),
    "sum_dim_f64": lambda x: ops.sum(x, 0, True, dtype=np.dtype("float64")),
    "mean": lambda x: ops.mean(x, 1),
    "prod": lambda x: ops.prod(x, 1),
    "amax": lambda x: ops.amax(x, 0),
    "logsumexp": lambda x: ops.logsumexp(x, 1),
    "var": lambda x: statistics.var(x, 1),
    "std": lambda x: statistics.std(x),
    "norm_of_sum": lambda x: ops.norm(ops.sum(x, 0)),
    "scaled_norm": lambda x: ops.norm(x) * 3.0,
}


def _tangent(fn, a: np.ndarray, v: np.ndarray) -> tuple[Tensor, bool]:
    with forward.dual_level():
        y = fn(forward.make_dual(Tensor(a), Tensor(v)))
        deferred = type(y._tangent) is record.DeferredTangent
        return forward.unpack_dual(y).tangent, deferred


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_deferred_equals_eager(name: str, dtype: type, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 5)).astype(dtype)
    a[1, 2] = a[1, 4]  # a tie for amax
    v = rng.standard_normal((3, 5)).astype(dtype)
    lazy, deferred = _tangent(REDUCTIONS[name], a, v)
    assert deferred == (name != "scaled_norm")  # mul is not a reduction: computed at once
    monkeypatch.setattr(record, "_LINEAR_REDUCTIONS", frozenset())
    monkeypatch.setattr(record, "_deferrable", lambda *_: False)
    eager, deferred = _tangent(REDUCTIONS[name], a, v)
    assert not deferred
    assert lazy.dtype == eager.dtype and lazy.shape == eager.shape
    np.testing.assert_array_equal(lazy.array, eager.array)
    assert not lazy.requires_grad and lazy.grad_fn is None


def test_a_comparison_never_computes_the_reduction_tangent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    computed = []
    value = record.DeferredTangent.value

    def spy(self: record.DeferredTangent) -> Tensor | None:
        computed.append(self.rule.name if self.rule is not None else None)
        return value(self)

    monkeypatch.setattr(record.DeferredTangent, "value", spy)

    def f(a: Tensor) -> Tensor:
        b = a * 2
        while ops.norm(b).item() < 1000:
            b = b * 2
        return b

    a = Tensor(np.array([1.764052345967664, 0.4001572083672233, 0.9787379841057392]))
    v = Tensor(np.array([0.1, 1.0, 0.0001]))
    _, jv = functional.jvp(f, a, v)
    assert computed == []
    np.testing.assert_array_equal(jv.array, 512 * v.array)


def test_long_chains_of_deferred_tangents() -> None:
    # Deeper than _DEFER_MAX_DEPTH: the chain is computed in pieces, never recursing deep.
    with forward.dual_level():
        s = forward.make_dual(Tensor(np.array([1.0, 2.0])), Tensor(np.array([0.5, 0.25])))
        for _ in range(3 * record._DEFER_MAX_DEPTH + 5):
            s = ops.sum(s, 0, True)
        assert type(s._tangent) is record.DeferredTangent
        assert s._tangent.depth <= record._DEFER_MAX_DEPTH
        np.testing.assert_array_equal(forward.unpack_dual(s).tangent.array, [0.75])


def test_inputs_requiring_grad_are_not_deferred() -> None:
    # Forward-over-reverse: the JVP's ops record, so they run at the op.
    with forward.dual_level():
        x = Tensor(np.array([3.0, 4.0]), requires_grad=True)
        d = forward.make_dual(x, Tensor(np.array([1.0, 0.0])))
        y = ops.norm(d)
        assert type(y._tangent) is Tensor
        assert y._tangent.requires_grad


def test_read_in_inference_mode_is_not_an_inference_tensor() -> None:
    # Made at the op, outside inference mode, as the eager tangent is.
    from gradcli.ad.graph import is_inference
    from gradcli.ad.state import State
    with forward.dual_level():
        n = ops.norm(forward.make_dual(Tensor(np.array([3.0, 4.0])),
                                       Tensor(np.array([1.0, 2.0]))))
        State.inference_mode = True
        try:
            t = n.tangent
        finally:
            State.inference_mode = False
    assert not is_inference(t)
    np.testing.assert_array_equal(t.array, 2.2)


# -- whole programs, against PyTorch ------------------------------------------------------------

HEAD = "import torch\nimport torch.autograd.forward_ad as fwAD\n"
PROGRAMS = {
    "control_flow": """
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c
for dt in (torch.float64, torch.float32):
    a = torch.tensor([1.764052345967664, 0.4001572083672233, 0.9787379841057392], dtype=dt)
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=dt)
    print(torch.autograd.functional.jvp(f, a, v))
    print(torch.func.jvp(f, (a,), (v,)))
    print(torch.autograd.functional.vjp(f, a, v))
    with fwAD.dual_level():
        print(fwAD.unpack_dual(f(fwAD.make_dual(a, v))))
""",
    "reductions": """
a = torch.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]])
v = torch.tensor([[0.1, 0.2, -0.3], [1.0, 0.0, 2.0]])
with fwAD.dual_level():
    x = fwAD.make_dual(a, v)
    for r in (x.norm(), x.norm(1), x.sum(0), x.mean(), x.amax(1), x.logsumexp(0), x.var(),
              x.std(1), x.prod(), x.sum(dtype=torch.float64), x.norm() < 3):
        print(fwAD.unpack_dual(r))
""",
    "mutations_after_the_op": """
a = torch.tensor([1.0, 2.0, 3.0])
v = torch.tensor([1.0, 0.5, 0.25])
with fwAD.dual_level():
    x = fwAD.make_dual(a.clone(), v.clone())
    s = x.sum()
    n = x.norm()
    x.mul_(2)                # the primal changes in place after the ops
    print(fwAD.unpack_dual(s).tangent, fwAD.unpack_dual(n).tangent)
    y = fwAD.make_dual(a.clone(), v.clone())
    m = y.norm()
    fwAD.unpack_dual(y).tangent.mul_(3)   # so does the tangent
    print(fwAD.unpack_dual(m).tangent, fwAD.unpack_dual(y.norm()).tangent)
    z = fwAD.make_dual(a.clone(), v.clone())
    s = z.sum()
    w = s.sum()
    t = fwAD.unpack_dual(s).tangent
    t.mul_(10)               # s's tangent, read and changed: w's was taken before
    print(fwAD.unpack_dual(w).tangent, fwAD.unpack_dual(s).tangent,
          fwAD.unpack_dual(s.sum()).tangent)
    k = z.norm()
    z[0] = 7.0               # setitem after the op
    print(fwAD.unpack_dual(k).tangent, fwAD.unpack_dual(z).tangent)
""",
    "read_in_other_modes": """
a = torch.tensor([3.0, 4.0])
with fwAD.dual_level():
    x = fwAD.make_dual(a, torch.tensor([1.0, 2.0]))
    n = x.norm()
    with torch.no_grad():
        t = fwAD.unpack_dual(n).tangent
    print(t, t.requires_grad)
    with torch.no_grad():
        s = x.sum()
    with torch.enable_grad():
        print(fwAD.unpack_dual(s).tangent)
""",
    "hvp_with_norm": """
f = lambda x: x.norm() * x.sum()
x = torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64)
v = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
print(torch.autograd.functional.hvp(f, x, v))
print(torch.func.jvp(torch.func.grad(f), (x,), (v,)))
""",
}


def _run_gd(program: str) -> str:
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:  # pragma: no cover - shown by the assertion
        return buf.getvalue() + "error: " + e.message
    return buf.getvalue()


_RUNNER = """
import contextlib, io, json, sys
programs = json.loads(sys.stdin.read())
out = {}
for name, src in programs.items():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(src, {})
    out[name] = buf.getvalue()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def torch_outputs() -> dict[str, str]:
    pytest.importorskip("torch")
    sources = {name: HEAD + body for name, body in PROGRAMS.items()}
    done = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(sources),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_same_output_as_pytorch(name: str, torch_outputs: dict[str, str]) -> None:
    assert _run_gd(HEAD + PROGRAMS[name]) == torch_outputs[name]


def test_literal_pytorch_text() -> None:
    # PyTorch 2.13's output, kept here so the test means something without torch.
    assert _run_gd(HEAD + PROGRAMS["mutations_after_the_op"]) == """\
tensor(1.7500) tensor(0.7350)
tensor(0.7350) tensor(2.2049)
tensor(1.7500) tensor(17.5000) tensor(17.5000)
tensor(0.7350) tensor([0.0000, 0.5000, 0.2500])
"""
