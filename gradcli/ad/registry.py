"""The type of a derivative-table entry, and the table itself (filled by `gradcli.ad.rules`).

Kept apart from the rules package so that the ops can look rules up by name without
importing the module that defines them in terms of the ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import kernels as K
from gradcli.ad.state import State

#: Elementwise ops of several tensors outside the "binary" kind (comparisons, logical and
#: bitwise ops), and unary ones outside "elementwise": TensorIterator's too.
_ITERATED = frozenset(("eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
                       "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
                       "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm"))
_UNARY_ITERATED = frozenset(("isnan", "isinf", "isfinite", "isposinf", "isneginf",
                             "logical_not", "bitwise_not", "signbit", "flip", "sort",
                             "to_dtype"))
_ITERATED |= {"addcmul", "addcdiv", "clamp_tensor_both"}
_CONTIGUOUS_OUT = frozenset((
    "sum", "mean", "amax", "amin", "prod", "std", "var", "norm", "logsumexp", "nansum",
    "std_mean_std", "var_mean_var", "max_dim", "aminmax_min", "aminmax_max",
    "cumsum", "cumprod", "logcumsumexp", "cummax", "cummin", "masked_fill", "roll", "cat",
    "stack", "softmax", "log_softmax", "tril", "topk"))


class Rule:
    """One primitive: how to compute it, and how to differentiate it both ways."""

    __slots__ = (
        "batchable",
        "differentiable",
        "doc",
        "edges",
        "formula",
        "forward",
        "iterated",
        "jvp",
        "keeps_layout",
        "kind",
        "name",
        "on_create_graph",
        "out_contiguous",
        "python_function",
        "saved_for_partner",
        "saves_inputs",
        "saves_out",
        "scalar_forward",
        "sparse_tangents",
        "torch_keeps",
        "torch_name",
        "views",
        "vjp",
        "vjp_array",
        "vjp_graph",
        "vjp_nd",
        "vjp_scalar",
    )

    def __init__(
        self,
        name: str,
        torch_name: str | Callable[[tuple[Any, ...] | None, dict[str, Any]], str],
        forward: Callable[..., Any],
        vjp: Callable[..., tuple[Any, ...]] | None,
        jvp: Callable[..., Any] | None,
        *,
        kind: str,
        doc: str,
        saves_inputs: bool = True,
        saves_out: bool = False,
        saved_for_partner: tuple[int, ...] = (),
        torch_keeps: bool | frozenset[str] | None = None,
        batchable: bool | None = None,
        views: bool = False,
        formula: tuple[str, ...] = (),
        sparse_tangents: bool = True,
        edges: Callable[[str], tuple[int | None, ...]] | None = None,
        python_function: bool = False,
    ) -> None:
        self.name = name
        self.torch_name = torch_name
        self.forward = forward
        self.vjp = vjp
        # The differentiable VJP (the source of truth), and an optional array-level one
        # (see with_array_vjp): `vjp` is the first alone, or a dispatcher between the two.
        self.vjp_graph = vjp
        self.vjp_array: Callable[..., tuple[Any, ...]] | None = None
        self.vjp_scalar: Callable[..., tuple[Any, ...] | None] | None = None
        self.vjp_nd: Callable[..., tuple[Any, ...] | None] | None = None
        self.jvp = jvp
        self.kind = kind
        # A unary elementwise op's output takes its input's memory order, as TensorIterator
        # allocates it (x.t().sin() is transposed too: stride(), is_contiguous(), view()).
        self.keeps_layout = kind == "elementwise" or name in _UNARY_ITERATED
        # An op of several tensors that PyTorch runs through TensorIterator: its output's
        # layout follows its operands' (record.operands_layout).
        self.iterated = kind == "binary" or name in _ITERATED
        # An op whose output PyTorch allocates contiguous whatever its input's layout
        # (reductions, scans, cat/stack, softmax, ...): record.apply makes it so.
        self.out_contiguous = name in _CONTIGUOUS_OUT
        self.doc = doc
        self.saves_inputs = saves_inputs
        self.saves_out = saves_out
        self.sparse_tangents = sparse_tangents
        self.differentiable = vjp is not None
        # Inputs saved only for ANOTHER input's gradient (PyTorch's MulBackward0 saves self
        # only if other requires grad): changing one in place is harmless when no other
        # input requires grad.
        self.saved_for_partner = saved_for_partner
        # What PyTorch's node keeps after a backward without retain_graph, where it differs
        # from what our rule saves, so a second backward fails exactly where PyTorch's does:
        # a bool, or the grad_fn names that keep (x[idx] keeps, x[0] does not).
        self.torch_keeps: bool | frozenset[str] = (
            saves_inputs or saves_out if torch_keeps is None else torch_keeps)
        # The VJP is elementwise in the cotangent (g times something broadcastable, or g
        # passed on): a stack of cotangents with a leading batch dim goes through unchanged.
        self.batchable = kind in ("elementwise", "binary") if batchable is None else batchable
        self.views = views  # the output may alias the input's storage (x[0], x.t(), …)
        # The forward kernel's own scalar path, for apply to take without calling it: the
        # Python operator the kernel applies to 0-d float32/float64 operands (arrays of
        # one dtype, or such an array and a Python number) as numpy scalars. None: none.
        self.scalar_forward: Callable[[Any, Any], Any] | None = None
        self.formula = formula  # the VJP in words, per input (for `explain`)
        # PyTorch records the op as a Python torch.autograd.Function's node (its repr
        # names the module: <torch.autograd.function._DirichletBackward object ...>).
        self.python_function = python_function
        # Which inputs PyTorch's node has as edges (grad_fn.next_functions), in its order,
        # from the node's name: a Python-number operand of a Scalar overload (2 - x is
        # rsub(x, 2): RsubBackward1) or a boolean condition is no edge; a None entry is an
        # edge of PyTorch's to a tensor that needs no gradient. None: every input.
        self.edges = edges
        # For a backward that records (create_graph): f(node) → the inputs its VJP is to
        # see, where PyTorch's node reaches an input through a node of its own that ours
        # fuses (linear's wᵀ: TBackward0). None: the node's inputs.
        self.on_create_graph: Callable[[Any], tuple[Any, ...]] | None = None

    def with_array_vjp(self, fast: Callable[..., tuple[Any, ...]]) -> Rule:
        """Give the rule an array-level VJP beside its differentiable one.

        `fast` takes the same arguments as the VJP and returns the same cotangents (the
        same kernels on the arrays, in the same order: equal bit for bit, same dtypes,
        shapes and None pattern; tests/test_fastpath_vjp.py checks every such rule on the
        sweep's samples), without going through an op per step. It runs only when nothing
        can record or differentiate the backward pass (State.light_backward: no
        create_graph, no forward-mode level) and grad mode is off; every other pass,
        create_graph and all higher orders, runs the differentiable VJP."""
        graph = self.vjp_graph
        assert graph is not None, self.name
        state = State

        def vjp(g: Any, out: Any, *xs: Any, **p: Any) -> tuple[Any, ...]:
            if state.light_backward and not state.grad_enabled:
                return fast(g, out, *xs, **p)
            return graph(g, out, *xs, **p)

        vjp.__name__ = f"{self.name}_vjp"
        self.vjp_array = fast
        self.vjp = vjp
        ARRAY_VJP[vjp] = fast
        return self

    def with_scalar_vjp(self, scalar: Callable[..., tuple[Any, ...] | None]) -> Rule:
        """Give the rule a VJP on numpy scalars, for 0-d float32/float64 cotangents.

        `scalar(g, out, xs)` (xs: the node's inputs; for nodes without params) takes g as
        a numpy scalar (np.float32 or np.float64, the node's output dtype) and returns the
        cotangents as numpy scalars of their inputs' dtypes (None where the array VJP
        gives None), or None where it does not apply (an input of another dtype, a
        constant that is no Python number: the engine then runs the array VJP). It is the
        array VJP's kernels as the same IEEE operations on scalars (numpy's scalar
        arithmetic, and its ufuncs called on scalars, give the bits they give on 0-d
        arrays), so the same bits; tests/test_fastpath_scalar.py checks it. The engine
        runs it where it would run the array VJP (a light pass, grad mode off), on nodes
        without hooks; a `vjp` replaced since is not found in SCALAR_VJP and runs as it
        is. Call it after with_array_vjp (it is keyed by the final `vjp`)."""
        self.vjp_scalar = scalar
        SCALAR_VJP[self.vjp] = scalar
        return self

    def with_nd_vjp(self, nd: Callable[..., tuple[Any, ...] | None]) -> Rule:
        """Give the rule a VJP on numpy arrays, for n-d float32/float64 cotangents.

        `nd(g, out, xs)` (xs: the node's inputs; for nodes without params) takes g as the
        cotangent's array (the node's output dtype) and returns the cotangents as arrays
        (None where the array VJP gives None), or None where it does not apply. It is
        the array VJP without its tensors: the same kernels on the same arrays, so the
        same bits (tests/test_fastpath_nd.py checks every such rule). The engine runs it
        where it would run the array VJP, on nodes without hooks, and keeps cotangents as
        arrays between such nodes (one tensor less per cotangent: bench W2); a cotangent
        of another shape or dtype than its input's is summed or cast as the array VJP's
        would be. Call it after with_array_vjp (it is keyed by the final `vjp`)."""
        self.vjp_nd = nd
        ND_VJP[self.vjp] = nd
        return self

    def explain_failure(self, arrays: list[Any], params: dict[str, Any], exc: Exception) -> str:
        """A PyTorch-worded message for a kernel failure."""
        return K.failure_message(self.name, arrays, params, exc)

    def __repr__(self) -> str:
        return f"Rule({self.name})"


#: Each dispatcher `with_array_vjp` made → its array VJP. The engine's light passes call
#: the array VJP directly (one call less per node) when a rule's `vjp` is still its
#: dispatcher; a `vjp` replaced since (a test's deliberately wrong rule) is not found here
#: and runs as it is.
ARRAY_VJP: dict[Callable[..., tuple[Any, ...]], Callable[..., tuple[Any, ...]]] = {}

#: Each rule's `vjp` → its scalar VJP (with_scalar_vjp), looked up like ARRAY_VJP.
SCALAR_VJP: dict[Callable[..., Any], Callable[..., tuple[Any, ...] | None]] = {}

#: Each rule's `vjp` → its n-d array VJP (with_nd_vjp), looked up like ARRAY_VJP.
ND_VJP: dict[Callable[..., Any], Callable[..., tuple[Any, ...] | None]] = {}

#: Every primitive's rule by name: the derivative table, filled by gradcli.ad.rules.
RULES: dict[str, Rule] = {}
