"""torch.func: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap.

Each transform returns a Python callable (the interpreter wraps it as a gd value).
Transforms nest: while one runs the function it transforms, `_LEVEL` is above zero and
every inner transform records its result (create_graph), so an outer transform can
differentiate it; at the top level results come back detached, as functorch's do.
Arguments may be tensors or tuples, lists and dicts of them (pytrees). vmap maps by
calling the function once per slice and stacking the results: PyTorch's values and shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import functional, ops
from gradcli.ad.autograd import grad as autograd_grad
from gradcli.ad.forward import dual_level, make_dual
from gradcli.ad.func_outer import flatten as _flatten
from gradcli.ad.func_outer import outer
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels.linalg import Vmap  # > 0 while vmap runs its function
from gradcli.ad.record import FUNCTORCH
from gradcli.ad.rng import Generator
from gradcli.ad.state import State, check_size, enable_grad
from gradcli.errors import GdRuntimeError

Func = Callable[..., Any]


class _Level:
    depth = 0  # > 0 while a transform runs the function it transforms


#: The randomness of each vmap being run, innermost last (a custom Function's VmapInfo).
VMAP_RANDOMNESS: list[str] = []
#: Per vmap being run, innermost last: id(sample) -> (the batched input, its mapped dim,
#: the sample's index, the sample), and the results of custom Functions' vmap rules run
#: on whole batches (custom_function._vmap_rule), by rule and inputs.
VMAP_SAMPLES: list[tuple[dict[int, tuple[Tensor, int, int, Tensor]], dict[Any, Any]]] = []


class VmapCalls:
    """A vmap's calls of custom Functions' vmap rules on computed inputs (not vmap's own
    samples: `F.apply(x.sin())`). gd runs the function once per sample, PyTorch once on
    the batch: to give such a rule the whole batch, as PyTorch does, each sample's run
    stops at the first call not yet answered (CollectedCall) with its inputs collected;
    the rule then runs once on them all (`answer`, custom_function), and the stopped
    samples run again, answered up to there, their output muted until they pass the point
    where they stopped (they printed it then). A sample that finished is not run again."""

    __slots__ = ("answer", "collected", "count", "muted", "results", "sample")

    def __init__(self) -> None:
        # Call k's answer: (rule, the rule's (output, out_dims), sample index -> its row)
        # or None (the samples could not be batched: each runs the rule alone).
        self.results: list[Any] = []
        self.sample = 0  # the sample running
        self.count = 0  # the calls it made
        self.collected: list[Any] = []  # this round: (sample, its inputs) at call len(results)
        self.answer: Callable[[list[Any]], Any] | None = None
        self.muted = False  # State.muted outside this vmap (an outer one's rerun)


class CollectedCall(BaseException):
    """A sample's run stops at a vmap rule call whose inputs were collected."""

    def __init__(self, calls: VmapCalls) -> None:
        super().__init__()
        self.calls = calls


#: The VmapCalls of each vmap being run, innermost last (None: randomness="different",
#: where a sample run again would draw other numbers).
VMAP_CALLS: list[VmapCalls | None] = []


def transforming() -> tuple[bool, bool]:
    """(inside a torch.func transform, inside vmap)."""
    return _Level.depth > 0 or Vmap.depth > 0, Vmap.depth > 0


def _fn_name(func: Any) -> str:
    """func.__name__ as Python gives it (torch.sin's is 'sin')."""
    return str(getattr(func, "name", None) or getattr(func, "__name__", "fn")).rsplit(".", 1)[-1]


# -- pytrees -------------------------------------------------------------------------------

def _rebuild(tree: Any, leaves: Any) -> Any:
    """tree with its tensors replaced, in order, by next(leaves)."""
    if type(tree) is Tensor:
        return next(leaves)
    if isinstance(tree, list):
        return [_rebuild(x, leaves) for x in tree]
    if isinstance(tree, tuple):
        return _same_tuple(tree, (_rebuild(x, leaves) for x in tree))
    if type(tree) is dict:
        return {k: _rebuild(x, leaves) for k, x in tree.items()}
    return tree


def _spec(tree: Any) -> Any:
    """The pytree's structure (its containers, dict keys and leaves' places)."""
    if type(tree) is Tensor:
        return "*"
    if isinstance(tree, (tuple, list)):
        return (type(tree).__name__, tuple(_spec(x) for x in tree))
    if type(tree) is dict:
        return ("dict", tuple(tree), tuple(_spec(x) for x in tree.values()))
    return ("leaf", type(tree).__name__)


def _treespec(tree: Any, indent: int = 0) -> str:
    """PyTorch's TreeSpec repr of the pytree (a leaf is `*`)."""
    if isinstance(tree, (tuple, list)):
        kind, context, children = type(tree).__name__, "None", list(tree)
    elif type(tree) is dict:
        kind, context, children = "dict", repr(list(tree)), list(tree.values())
    else:
        return "*"
    inner = ""
    if children:
        indent += 2
        inner = _treespec(children[0], indent) + ("," if len(children) > 1 else "")
        inner += ",".join("\n" + " " * indent + _treespec(c, indent) for c in children[1:])
    return f"TreeSpec({kind}, {context}, [{inner}])"


def _same_tuple(like: tuple[Any, ...], items: Any) -> tuple[Any, ...]:
    """items as a tuple of like's kind: a named tuple (torch.return_types.max) stays one,
    as PyTorch's pytrees keep it."""
    return type(like)(*items) if hasattr(like, "_fields") else tuple(items)


def _nested(args: Any) -> bool:
    """Whether results must stay recorded: inside another transform, or tensors that are
    part of a graph already (the caller may differentiate further)."""
    return (_Level.depth > 0 or State.forward_level > 0
            or any(t.requires_grad for t in _flatten(args)))


def _lift(t: Tensor, nested: bool) -> Tensor:
    """A fresh differentiable stand-in for t (connected to t's graph when nested)."""
    if nested and t.requires_grad:
        return ops.reshape(t, t.shape)
    d = t.detach()
    if d.dtype.kind != "f":
        raise GdRuntimeError("only Tensors of floating point dtype can require gradients")
    d.requires_grad = True
    d.lifted = True
    d.tangent = t.tangent  # an outer forward-mode transform's tangent stays on
    return d


def _argnums(argnums: Any, n: int, fn: str) -> tuple[int, ...]:
    if isinstance(argnums, tuple):
        if not argnums:
            raise GdRuntimeError("argnums must be non-empty")
        if len(set(argnums)) != len(argnums):
            raise GdRuntimeError(f"argnums elements must be unique, got {argnums}")
        for a in argnums:
            if type(a) is not int:
                raise GdRuntimeError(f"argnum must be int, got: <class '{_py_type(a)}'>")
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for a in nums:
        if type(a) is not int:
            raise GdRuntimeError("argnums must be int or Tuple[int, ...], got: "
                                 f"<class '{_py_type(a)}'>")
        if not -n <= a < n:
            raise GdRuntimeError(f"Got argnum={a}, but only {n} positional inputs")
    return tuple(a % n for a in nums)


def _non_tensor(tree: Any) -> Any:
    """The first leaf of the pytree that is not a tensor (a one-element list), or []."""
    if isinstance(tree, (tuple, list)) or type(tree) is dict:
        for x in (tree.values() if type(tree) is dict else tree):
            found = _non_tensor(x)
            if found:
                return found
        return []
    return [] if type(tree) is Tensor else [tree]


def _check_leaves(tree: Any) -> None:
    """torch.func's refusal of a differentiated argument that is not a tensor."""
    found = _non_tensor(tree)
    if found:
        raise _value_error(f"Thing passed to transform API must be Tensor, got <class "
                           f"'{_py_type(found[0])}'>")


def _call_lifted(func: Func, args: tuple[Any, ...], nums: tuple[int, ...], nested: bool,
                 kwargs: dict[str, Any]) -> tuple[Any, list[Any], list[Tensor]]:
    """Run func on args with the tensors of args[nums] lifted: (output, lifted trees,
    their flat tensors)."""
    trees = []
    flat: list[Tensor] = []
    new_args = list(args)
    for a in nums:
        _check_leaves(args[a])
    with enable_grad():
        for a in nums:
            leaves = [_lift(t, nested) for t in _flatten(args[a])]
            flat.extend(leaves)
            tree = _rebuild(args[a], iter(leaves))
            trees.append(tree)
            new_args[a] = tree
        _Level.depth += 1
        try:
            out = func(*new_args, **kwargs)
        finally:
            _Level.depth -= 1
    return out, trees, flat


def _py_type(v: Any) -> str:
    """Python's name for v's type, as PyTorch's messages show it."""
    return "torch.Tensor" if type(v) is Tensor else type(v).__name__


def _split_aux(out: Any, has_aux: bool, what: str) -> tuple[Any, Any]:
    if not has_aux:
        return out, None
    if not (isinstance(out, tuple) and len(out) == 2):
        raise GdRuntimeError(f"{_AUX_CALLS.get(what, what + '(f)(*args)')}: output of "
                             "function f should be a tuple: (output, aux) if has_aux is True")
    found = _non_tensor(out[1])
    if found:
        raise GdRuntimeError(f"Expected tensors, got unsupported type <class "
                             f"'{_py_type(found[0])}'>")
    return out[0], out[1]


#: How PyTorch's message names the call whose function must return (output, aux): jacrev
#: and jacfwd go through vjp and jvp.
_AUX_CALLS = {"vjp": "vjp(f, *primals)", "jacrev": "vjp(f, *primals)",
              "jvp": "jvp(f, primals, tangents)", "jacfwd": "jvp(f, primals, tangents)"}


def _shown(tree: Any, nested: bool) -> Any:
    """A result as the caller gets it: detached at the top level."""
    if nested:
        return tree
    leaves = [t.detach() for t in _flatten(tree)]
    return _rebuild(tree, iter(leaves))


def _grads(out: Tensor, flat: list[Tensor], nested: bool,
           cotangent: Any = None) -> list[Tensor]:
    if not flat:
        return []
    with enable_grad():
        if out.requires_grad:
            gs = autograd_grad(out, flat, cotangent, retain_graph=True, create_graph=nested,
                               allow_unused=True)
        else:
            gs = tuple(None for _ in flat)
    return list(functional.or_zeros(gs, flat))


def _regroup(trees: list[Any], grads: list[Tensor], argnums: Any) -> Any:
    it = iter(grads)
    per = [_rebuild(t, it) for t in trees]
    return tuple(per) if isinstance(argnums, tuple) else per[0]


def grad_and_value(func: Func, argnums: Any = 0, has_aux: bool = False) -> Func:
    """torch.func.grad_and_value: a function giving (gradient, value)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _grad_and_value(func, args, kwargs, argnums, has_aux, "grad_and_value")

    return wrapper


def grad(func: Func, argnums: Any = 0, has_aux: bool = False) -> Func:
    """torch.func.grad: a function giving the gradient of func's scalar output."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g, (_, aux) = _grad_and_value(func, args, kwargs, argnums, has_aux, "grad")
        return (g, aux) if has_aux else g

    return wrapper


def _grad_and_value(func: Func, args: tuple[Any, ...], kwargs: dict[str, Any], argnums: Any,
                    has_aux: bool, what: str) -> Any:
    nums = _argnums(argnums, len(args), what)
    nested = _nested(args)
    out, trees, flat = _call_lifted(func, args, nums, nested, kwargs)
    value, aux = _split_aux(out, has_aux, "grad_and_value")
    nested = nested or outer(value)
    if type(value) is not Tensor:
        raise GdRuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, "
                             f"got <class '{_py_type(value)}'>")
    if value.ndim != 0:
        raise GdRuntimeError(
            "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
            f"tensor with {value.ndim} dims. Maybe you wanted to use the vjp or jacrev APIs "
            "instead?")
    g = _regroup(trees, _grads(value, flat, nested), argnums)
    shown_value = _shown(value, nested)
    if has_aux:
        return g, (shown_value, _shown(aux, nested))
    return g, (shown_value, None) if what == "grad" else shown_value


def vjp(func: Func, *primals: Any, has_aux: bool = False) -> Any:
    """torch.func.vjp: (func(*primals), vjp_fn[, aux]); vjp_fn(cotangents) gives a tuple
    with a gradient per primal."""
    nested = _nested(primals)
    out, trees, flat = _call_lifted(func, primals, tuple(range(len(primals))), nested, {})
    value, aux = _split_aux(out, has_aux, "vjp")
    nested = nested or outer(value)
    outs = _flatten(value)

    def vjp_fn(*cotangents: Any) -> tuple[Any, ...]:
        cots = cotangents[0] if len(cotangents) == 1 else cotangents
        vs = _flatten(cots)
        if len(vs) != len(outs):
            raise GdRuntimeError("Expected pytree structure of cotangents to be the same as "
                                 "pytree structure of outputs to the function")
        for v, o in zip(vs, outs, strict=True):
            if v.shape != o.shape:
                raise GdRuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of "
                    f"torch.Size({list(v.shape)}) and output[0] has a shape of "
                    f"torch.Size({list(o.shape)}).")
        keep = _nested((cots,)) or nested
        pairs = [(o, v) for o, v in zip(outs, vs, strict=True) if o.requires_grad]
        if pairs and flat:
            with enable_grad():
                gs = autograd_grad([o for o, _ in pairs], flat, [v for _, v in pairs],
                                   retain_graph=True, create_graph=keep, allow_unused=True)
        else:
            gs = tuple(None for _ in flat)
        grads = list(functional.or_zeros(gs, flat))
        it = iter(grads if keep else [g.detach() for g in grads])
        return tuple(_rebuild(t, it) for t in trees)

    shown = _shown(value, nested)
    return (shown, vjp_fn, _shown(aux, nested)) if has_aux else (shown, vjp_fn)


def jvp(func: Func, primals: Any, tangents: Any, *, strict: bool = False,
        has_aux: bool = False) -> Any:
    """torch.func.jvp: (func(*primals), J·tangents)."""
    if not isinstance(primals, tuple):
        raise GdRuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. "
                             "E.g. it should be valid to call f(*primals).")
    if _spec(primals) != _spec(tangents):
        raise GdRuntimeError("jvp(f, primals, tangents): Expected primals and tangents to "
                             "have the same python structure. For example, if primals is a "
                             f"tuple of 3 tensors, tangents also must be. Got primals with "
                             f"structure {_treespec(primals)} and tangents with "
                             f"structure {_treespec(tangents)}")
    for name, tree in (("primals", primals), ("tangents", tangents)):
        bad = _non_tensor(tree)
        if bad:
            raise GdRuntimeError(f"jvp(f, primals, tangents): Expected {name} to only contain "
                                 f"Tensors, got <class '{_py_type(bad[0])}'>")
        if not _flatten(tree):
            raise GdRuntimeError(f"jvp(f, primals, tangents): Expected {name} to contain "
                                 "at least one Tensor.")
    xs = tuple(_flatten(primals))  # pytrees (a dict of parameters): their tensors in order
    vs = tuple(_flatten(tangents))
    for x, v in zip(xs, vs, strict=True):
        if x.shape != v.shape:
            raise GdRuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(x.shape)} "
                f"while the given forward gradient is of size {list(v.shape)}.")
    nested = _nested(xs) or State.forward_level > 0
    aux_box: list[Any] = []
    out_tree: list[Any] = []

    def run(*ys: Any) -> Any:
        _Level.depth += 1
        try:
            leaves = iter(ys)
            out = func(*(_rebuild(p, leaves) for p in primals))
        finally:
            _Level.depth -= 1
        value, aux = _split_aux(out, has_aux, "jvp")
        aux_box.append(aux)
        if type(value) is Tensor:
            return value
        bad = _non_tensor(value)
        if bad:
            raise GdRuntimeError("jvp(f, primals, tangents): expected f(*primals) to return "
                                 f"only tensors, got unsupported type <class "
                                 f"'{_py_type(bad[0])}'>")
        out_tree.append(value)  # a pytree of outputs: its tensors, rebuilt below
        return tuple(_flatten(value))

    FUNCTORCH.depth += 1
    try:
        out, tan = functional.jvp(run, xs, vs, create_graph=nested, keep_outer=True)
    finally:
        FUNCTORCH.depth -= 1
    if out_tree:
        out = _rebuild(out_tree[-1], iter(out))
        tan = _rebuild(out_tree[-1], iter(tan))
    if has_aux:
        return out, tan, _shown(aux_box[-1], nested)
    return out, tan


def _jacobian(func: Func, argnums: Any, has_aux: bool, forward: bool) -> Func:
    what = "jacfwd" if forward else "jacrev"

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args), what)
        nested = _nested(args)
        if forward and not State.forward_level:
            FUNCTORCH.depth += 1
            try:
                value, aux, trees, per_out = _jacfwd(func, args, kwargs, nums, has_aux, what,
                                                     nested)
            finally:
                FUNCTORCH.depth -= 1
            nested = nested or outer(per_out)
        else:
            out, trees, flat = _call_lifted(func, args, nums, nested, kwargs)
            value, aux = _split_aux(out, has_aux, what)
            nested = nested or outer(value)
            outs = _flatten(value)
            per_out = ([_jacrev_blocks(o, flat, nested) for o in outs] if len(outs) == 1
                       else _joint_blocks(outs, flat, nested))
        rows = []
        for blocks in per_out:
            cols = iter(blocks)
            per_arg = [_rebuild(tree, cols) for tree in trees]
            rows.append(tuple(per_arg) if isinstance(argnums, tuple) else per_arg[0])
        result = _shown(_rebuild(value, iter(rows)), nested)
        return (result, _shown(aux, nested)) if has_aux else result

    return wrapper


def _joint_blocks(outs: list[Tensor], flat: list[Tensor], nested: bool) -> list[list[Tensor]]:
    """Several outputs' blocks from one vjp of all of them per row (as PyTorch's jacrev)."""
    if not flat:
        return [[] for _ in outs]
    with enable_grad():
        return [list(b) for b in functional.joint_blocks(outs, flat, nested)]


def _jacrev_blocks(out: Tensor, flat: list[Tensor], nested: bool) -> list[Tensor]:
    """d out / d x for each x of flat, shaped out.shape + x.shape (reverse mode, a pass
    per element of out, or one batched pass)."""
    n = out.numel()
    check_size(n * max((x.numel() for x in flat), default=1))
    if not nested and out.requires_grad:
        batched = functional._batched_rows(out, tuple(flat), n, False)
        if batched is not None:
            return list(batched)
    rows: list[list[Tensor]] = [[] for _ in flat]
    for i in range(n):
        e = np.zeros(n, out.dtype)
        e[i] = 1
        for k, g in enumerate(_grads(out, flat, nested, tensor_from_array(e.reshape(out.shape)))):
            rows[k].append(g)
    return [ops.reshape(ops.stack(r, 0), out.shape + x.shape) if r
            else tensor_from_array(np.zeros(out.shape + x.shape, x.dtype))
            for r, x in zip(rows, flat, strict=True)]


def _jacfwd(func: Func, args: tuple[Any, ...], kwargs: dict[str, Any],
            nums: tuple[int, ...], has_aux: bool, what: str, nested: bool) -> tuple[Any, ...]:
    """jacfwd by forward mode: a pass per input element, its tangent the one-hot vector
    (recorded when nested, so an outer transform differentiates it)."""
    trees = [args[a] for a in nums]
    for tree in trees:
        if found := _non_tensor(tree):  # jacfwd asks each input's numel() first
            raise GdRuntimeError(f"'{_py_type(found[0])}' object has no attribute 'numel'",
                                 py_type="AttributeError")
    flat = [t for tree in trees for t in _flatten(tree)]
    value: Any = None
    aux: Any = None
    cols: list[list[list[Tensor]]] = []  # [input][output] → tangents per element
    for k, x in enumerate(flat):
        per_out: list[list[Tensor]] = []
        for j in range(x.numel()):
            e = np.zeros(x.numel(), x.dtype)
            e[j] = 1
            with dual_level(), enable_grad():
                it = iter([make_dual(_lift(t, nested), tensor_from_array(
                    e.reshape(x.shape) if i == k else np.zeros(t.shape, t.dtype)))
                    for i, t in enumerate(flat)])
                new_args = list(args)
                for a, tree in zip(nums, trees, strict=True):
                    new_args[a] = _rebuild(tree, it)
                _Level.depth += 1
                try:
                    out = func(*new_args, **kwargs)
                finally:
                    _Level.depth -= 1
                value, aux = _split_aux(out, has_aux, what)
                outs = _flatten(value)
                while len(per_out) < len(outs):
                    per_out.append([])
                for m, o in enumerate(outs):
                    per_out[m].append(o.tangent if o.tangent is not None else
                                      tensor_from_array(np.zeros(o.shape, o.dtype)))
                    o.tangent = None
        cols.append(per_out)
    if value is None:  # no input element: one call for the value and the shapes
        out, _, _ = _call_lifted(func, args, nums, nested, kwargs)
        value, aux = _split_aux(out, has_aux, what)
    per_out_blocks = []
    for m, o in enumerate(_flatten(value)):
        blocks = []
        for k, x in enumerate(flat):
            col = cols[k][m] if cols[k] else []
            blocks.append(ops.reshape(ops.stack(col, -1), o.shape + x.shape) if col
                          else tensor_from_array(np.zeros(o.shape + x.shape, o.dtype)))
        per_out_blocks.append(blocks)
    return value, aux, trees, per_out_blocks


def jacrev(func: Func, argnums: Any = 0, *, has_aux: bool = False, chunk_size: Any = None,
           _preallocate_and_copy: bool = False) -> Func:
    """torch.func.jacrev: the Jacobian by reverse mode."""
    return _jacobian(func, argnums, has_aux, forward=False)


def jacfwd(func: Func, argnums: Any = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Func:
    """torch.func.jacfwd: the Jacobian by forward mode."""
    return _jacobian(func, argnums, has_aux, forward=True)


def hessian(func: Func, argnums: Any = 0) -> Func:
    """torch.func.hessian: jacfwd(jacrev(func)), shape in.shape + in.shape."""
    return jacfwd(jacrev(func, argnums), argnums)


# -- vmap ----------------------------------------------------------------------------------

def _value_error(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "ValueError"  # the class `except` sees
    return err


def vmap(func: Func, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: Any = None) -> Func:
    """torch.func.vmap: func mapped over a dimension of its inputs (one call per slice,
    the results stacked along out_dims). randomness: "error" (a random op fails), "same"
    (every slice draws what the first drew, the generator left as after one draw),
    "different" (the slices draw one after another, as one batched draw gives them)."""
    if randomness not in ("error", "different", "same"):
        raise GdRuntimeError("Only allowed values for randomness are 'error', 'different', "
                             f"or 'same'. Got {randomness}")

    if chunk_size is not None and type(chunk_size) is int and chunk_size <= 0:
        raise _value_error(f"vmap: chunk_size should be None or greater than 0. (got "
                           f"{chunk_size})")

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _vmap_call(func, in_dims, out_dims, args, kwargs, randomness)

    return wrapper


def _dims_for(in_dims: Any, args: tuple[Any, ...], label: str) -> list[Any]:
    if type(in_dims) is int:
        return [in_dims] * len(args)
    if type(in_dims) is not tuple:
        raise _value_error(f"{label}: expected `in_dims` to be int or a (potentially nested) "
                           "tuple matching the structure of inputs, got: "
                           f"<class '{type(in_dims).__name__}'>.")
    if not _prefix_of(in_dims, args):
        raise _value_error(f"{label}: in_dims is not compatible with the structure of "
                           f"`inputs`. in_dims has structure {_tree_spec(in_dims)} but inputs "
                           f"has structure {_tree_spec(args)}.")
    return list(in_dims)


def _prefix_of(dims: Any, x: Any) -> bool:
    """Whether the pytree `dims` is a prefix of x's (a leaf of dims covers a subtree)."""
    if dims is None or type(dims) is int:
        return True
    if type(dims) in (tuple, list):
        return (type(x) is type(dims) or (type(dims) is tuple and isinstance(x, tuple))) and \
            len(x) == len(dims) and all(_prefix_of(d, a) for d, a in zip(dims, x, strict=True))
    if type(dims) is dict:
        return type(x) is dict and list(x) == list(dims) and all(
            _prefix_of(dims[k], x[k]) for k in dims)
    return True


def _tree_spec(x: Any, indent: int = 0) -> str:
    """PyTorch's repr of x's pytree structure (torch.utils._pytree.TreeSpec)."""
    if type(x) in (tuple, list) or isinstance(x, tuple):
        kind, context, children = type(x).__name__, "None", list(x)
    elif type(x) is dict:
        kind, context, children = "dict", repr(list(x)), list(x.values())
    elif x is None:
        return "TreeSpec(NoneType, None, [])"
    else:
        return "*"
    parts = ""
    if children:
        indent += 2
        parts = _tree_spec(children[0], indent) + ("," if len(children) > 1 else "")
        parts += ",".join("\n" + " " * indent + _tree_spec(c, indent) for c in children[1:])
    return f"TreeSpec({kind}, {context}, [{parts}])"


def _slice(x: Any, dim: Any, i: int) -> Any:
    if dim is None:
        return x
    if type(x) is Tensor:
        d = dim % max(x.ndim, 1)
        t = ops.unbind_one(x, d, i)
        t.batched = True  # what the mapped function sees is a batched tensor
        if VMAP_SAMPLES:
            VMAP_SAMPLES[-1][0][id(t)] = (x, d, i, t)
        return t
    if isinstance(x, (tuple, list)):
        dims = dim if isinstance(dim, (tuple, list)) else [dim] * len(x)
        return type(x)(_slice(a, d, i) for a, d in zip(x, dims, strict=True))
    if type(x) is dict:
        return {k: _slice(a, dim[k] if type(dim) is dict else dim, i) for k, a in x.items()}
    return x


def _sizes(x: Any, dim: Any, label: str, out: list[int]) -> None:
    if dim is None:
        return
    if type(x) is Tensor:
        if not -x.ndim <= dim < x.ndim:
            raise _value_error(
                f"{label}: Got in_dim={dim} for some input, but that input is a Tensor of "
                f"dimensionality {x.ndim} so expected in_dim to satisfy -{x.ndim} <= in_dim "
                f"< {x.ndim}.")
        out.append(x.shape[dim])
    elif isinstance(x, (tuple, list)):
        dims = dim if isinstance(dim, (tuple, list)) else [dim] * len(x)
        for a, d in zip(x, dims, strict=True):
            _sizes(a, d, label, out)
    elif type(x) is dict:
        for k, a in x.items():
            _sizes(a, dim[k] if type(dim) is dict else dim, label, out)


def _vmap_call(func: Func, in_dims: Any, out_dims: Any, args: tuple[Any, ...],
               kwargs: dict[str, Any], randomness: str = "error") -> Any:
    name = _fn_name(func)
    label = f"vmap({name}, in_dims={in_dims!r}, ...)(<inputs>)"
    dims = _dims_for(in_dims, args, label)
    sizes: list[int] = []
    for a, d in zip(args, dims, strict=True):
        _sizes(a, d, label, sizes)
    if not sizes:
        raise _value_error(f"{label}: Got all in_dims=None. At least one of in_dims must not "
                           "be None")
    if len(set(sizes)) != 1:
        raise _value_error("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sizes} for the mapped dimension")
    n = sizes[0]
    results: list[Any] = [None] * n
    error = randomness == "error"
    gen = ops.generator()
    before = after = gen.get_state() if randomness == "same" else None
    calls = VmapCalls() if randomness != "different" else None
    muted = State.muted
    if calls is not None:
        calls.muted = muted
    Vmap.depth += 1
    State.vmapping += 1
    VMAP_RANDOMNESS.append(randomness)
    VMAP_SAMPLES.append(({}, {}))
    VMAP_CALLS.append(calls)
    Generator.vmap_error += error
    try:
        todo = range(n)
        while todo:
            stopped = []
            for i in todo:
                if before is not None:
                    gen.set_state(before)  # the first slice's draws again
                if calls is not None:
                    calls.sample = i
                    calls.count = 0
                    State.muted = muted or bool(calls.results)
                try:
                    results[i] = func(*(_slice(a, d, i) for a, d in zip(args, dims,
                                                                        strict=True)), **kwargs)
                except CollectedCall as e:
                    if e.calls is not calls:
                        raise
                    stopped.append(i)
                    continue
                finally:
                    State.muted = muted
                if i == 0 and before is not None:
                    after = gen.get_state()
            if stopped:
                assert calls is not None and calls.answer is not None
                calls.results.append(calls.answer(calls.collected))
                calls.collected = []
                calls.answer = None
            todo = stopped
        if after is not None:
            gen.set_state(after)
    finally:
        State.muted = muted
        Vmap.depth -= 1
        State.vmapping -= 1
        VMAP_RANDOMNESS.pop()
        VMAP_SAMPLES.pop()
        VMAP_CALLS.pop()
        Generator.vmap_error -= error
    return _stack_results(results, out_dims, name)


def _stack_results(results: list[Any], out_dims: Any, name: str) -> Any:
    first = results[0] if results else None
    if isinstance(first, (tuple, list)):
        dims = out_dims if isinstance(out_dims, (tuple, list)) else [out_dims] * len(first)
        items = (_stack_results([r[k] for r in results], dims[k], name)
                 for k in range(len(first)))
        return list(items) if type(first) is list else _same_tuple(first, items)
    if type(first) is dict:  # a pytree of results (per-sample grads of a params dict)
        return {k: _stack_results([r[k] for r in results],
                                  out_dims[k] if type(out_dims) is dict else out_dims, name)
                for k in first}
    if out_dims is None:
        return first
    if type(first) is not Tensor:
        raise _value_error(
            f"vmap({name}, ...): `{name}` must only return Tensors, got type "
            f"<class '{type(first).__name__}'>. Did you mean to set out_dims= to None for "
            "output?")
    n = first.ndim + 1
    if not -n <= out_dims < n:
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of "
                             f"[{-n}, {n - 1}], but got {out_dims})")
    out = ops.stack(results, out_dims)
    if out.grad_fn is not None and all(type(r) is Tensor and r.grad_fn is not None
                                       for r in results):
        # PyTorch's result is its batched op's, moved to out_dims (movedim: a permute).
        name = first.grad_fn.name
        out.grad_fn.name = ("PermuteBackward0" if out_dims % n else
                            _BATCHED_NAMES.get(name, name))
    return out


#: grad_fn names of vmap's batched ops that are not their per-sample op's: a reduction
#: over every element becomes one over the sample's dims, x.t() a transpose, linear an
#: add after the product, a matrix product a view of the batched product, dot an mv.
_BATCHED_NAMES = {
    "SumBackward0": "SumBackward1", "MeanBackward0": "MeanBackward1",
    "ProdBackward0": "ProdBackward1", "TBackward0": "TransposeBackward0",
    "AddmmBackward0": "AddBackward0", "MmBackward0": "UnsafeViewBackward0",
    "DotBackward0": "MvBackward0", "SqueezeBackward4": "SqueezeBackward5",
}
