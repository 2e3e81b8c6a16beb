"""Round 26's per-op fast paths, each proven equal to the path it shortcuts.

- needed_nodes(all_as_none=True): None (grad() runs every node it reaches) only where the
  full two-pass computation finds every reachable node needed.
- outer_vectors' inlined float64 gemm case: outer_k1's bits, strided vectors included.
- tanh's n-d VJP and one_minus_square's inlined vecdot: the array VJP's bits.
- _norm_two_short's squares (fma of x·x): _fma_double's bits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradcli.ad import ops as F
from gradcli.ad.graph import Node, needed_nodes


def _reachable(roots: list[object]) -> set[Node]:
    seen = {r for r in roots if type(r) is Node}
    stack = list(seen)
    while stack:
        for e in stack.pop().parents:
            if type(e) is Node and e not in seen:
                seen.add(e)
                stack.append(e)
    return seen


def _graphs(seed: int):
    """Small random graphs over leaves that require grad or not, with constants."""
    rng = np.random.default_rng(seed)
    leaves = [F.tensor(rng.standard_normal(3), requires_grad=bool(rng.integers(2)))
              for _ in range(4)]
    leaves[0].requires_grad_(True)
    vals = list(leaves)
    for _ in range(int(rng.integers(1, 12))):
        kind = int(rng.integers(4))
        a = vals[int(rng.integers(len(vals)))]
        b = vals[int(rng.integers(len(vals)))]
        v = a * b if kind == 0 else a + 2.0 if kind == 1 else F.tanh(a) if kind == 2 else a - b
        vals.append(v)
    return leaves, [v for v in vals if v.requires_grad]


@pytest.mark.parametrize("seed", range(60))
def test_needed_nodes_none_only_when_every_node_is_needed(seed: int) -> None:
    leaves, outs = _graphs(seed)
    rng = np.random.default_rng(seed + 1000)
    out = outs[-1]
    if out.grad_fn is None:
        return
    targets = [t for t in leaves if t.requires_grad and rng.integers(2)] or [leaves[0]]
    ids = {id(t) for t in targets}
    full = needed_nodes([out.grad_fn], ids, set())
    fast = needed_nodes([out.grad_fn], ids, set(), all_as_none=True)
    if fast is None:
        assert full == _reachable([out.grad_fn])
    else:
        assert fast == full


def test_needed_nodes_keeps_the_set_for_a_branch_that_leads_nowhere() -> None:
    x = F.tensor([1.0, 2.0], requires_grad=True)
    w = F.tensor([3.0, 4.0], requires_grad=True)
    y = (x * 2) + F.tanh(w)  # tanh's node leads to w only
    need = needed_nodes([y.grad_fn], {id(x)}, set(), all_as_none=True)
    assert need is not None and y.grad_fn in need
    assert all(n.name != "TanhBackward0" for n in need)


GRAD_PROGRAM = """import torch
a = torch.tensor([1.5, -0.25, 3.0], dtype=torch.float64, requires_grad=True)
w = torch.tensor([2.0, 1.0, 0.5], dtype=torch.float64, requires_grad=True)
def f(a):
    b = a * 2
    b.register_hook(lambda g: print("b hook", g))
    while b.norm() < 1000:
        b = b * 2
    return b
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float64)
print(torch.autograd.grad(f(a), a, v))
print(torch.autograd.functional.vjp(f, a, v))
t = torch.tanh(w)
t.register_hook(lambda g: print("w hook", g))
c = f(a) + t * 0 + w.sin()
print(torch.autograd.grad(c, a, v, retain_graph=True))
print(torch.autograd.grad(c, [a, w], v))
"""


def test_grad_with_every_node_needed_and_with_a_branch_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    del torch
    from pyrun import gd_output, torch_output

    assert gd_output(GRAD_PROGRAM) == torch_output(GRAD_PROGRAM)


@pytest.mark.parametrize("m,n", [(64, 64), (32, 64), (128, 128), (48, 48)])
def test_outer_vectors_float64_gemm_case_is_outer_k1(m: int, n: int) -> None:
    from gradcli.ad.kernels import linalg as KL

    rng = np.random.default_rng(m + n)
    special = np.array([0.0, -0.0, 1e-160, -1e-160, np.inf, -np.inf, 5e-324, -1.5, 2.0])
    for a, b in [(rng.standard_normal(m), rng.standard_normal(n)),
                 (np.resize(special, m), rng.standard_normal(n)),
                 (rng.standard_normal(m), np.resize(special[::-1], n)),
                 (rng.standard_normal(2 * m)[::2], rng.standard_normal(n)),
                 (np.full(m, 1e-300), np.full(n, -1e-300))]:
        fast = KL.outer_vectors(a, b)
        general = KL.outer_k1(a.reshape(-1, 1), b.reshape(1, -1))
        assert fast.tobytes() == general.tobytes()
        assert fast.tobytes() == np.multiply(a[:, None], b).tobytes() or np.isnan(fast).any()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tanh_nd_vjp_is_the_array_vjp(dtype: str) -> None:
    from gradcli.ad.graph import tensor_from_array
    from gradcli.ad.registry import ARRAY_VJP, ND_VJP, RULES

    rule = RULES["tanh"]
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 64, 200):
        x = F.tensor(rng.standard_normal(n) * 3, dtype=dtype)
        x.array[0] = 40.0  # tanh = 1 exactly: 1 - out² is +0
        out = F.tanh(x)
        g = rng.standard_normal(n).astype(dtype)
        nd = ND_VJP[rule.vjp](g, out, (x,))[0]
        full = ARRAY_VJP[rule.vjp](tensor_from_array(g), out, x)[0].array
        assert nd.dtype == full.dtype and nd.tobytes() == full.tobytes()


def test_square_fma_is_fma_double() -> None:
    from gradcli.ad.kernels import reductions as KR

    rng = np.random.default_rng(3)
    xs = list(rng.standard_normal(200) * 10.0 ** rng.integers(-150, 150, 200))
    xs += [0.0, -0.0, 1e-300, 5e-324, 1e300, math.inf, -math.inf, math.nan, 1.0, -1.0]
    rs = [*(rng.standard_normal(50) * 10.0 ** rng.integers(-100, 100, 50)), 0.0, -0.0]
    for x in xs:
        for r in rs:
            want = KR._fma_double(x, x, r)
            got = KR._fma_square(x, r)
            assert (math.isnan(want) and math.isnan(got)) or (
                want == got and math.copysign(1, want) == math.copysign(1, got)), (x, r)
