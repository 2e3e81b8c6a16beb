"""In-place ops and views: PyTorch's semantics on shared storage.

An in-place op is computed out of place and recorded (`record_inplace` then writes the
result into the target's storage, bumps its version and moves its grad_fn); a view
shares its base's storage and version counter, and an in-place change of a view is
recorded on the base too (`_rebase`, PyTorch's CopySlices).
"""

from __future__ import annotations

import copy as copy_module
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad.graph import (
    MULTI_OUTPUT_VIEWS,
    Node,
    Tensor,
    _torch_scalar_name,
    bump_version,
    multi_output_message,
    tensor_from_array,
    view_mode_message,
)
from gradcli.ad.ops.backward import ZERO_IMMUTABLE
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.state import State, grad_mode
from gradcli.errors import GdRuntimeError


def changes_a_view(shape: tuple[int, ...], index: tuple[object, ...]) -> bool:
    """Whether `x[index] = v` writes through a view of x in PyTorch: the index has a select
    (an int), a None, or a slice that is not all of its dim (x[:] and x[...] are x itself,
    and tensor indices are index_put_ on x)."""
    consuming = sum(p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 1
                    for p in index if p is not None and p is not Ellipsis)
    dim = 0
    for p in index:
        if p is Ellipsis:
            dim += len(shape) - consuming
        elif p is None or isinstance(p, (int, np.integer)):
            return True
        elif isinstance(p, slice):
            if dim < len(shape) and p.indices(shape[dim]) != (0, shape[dim], 1):
                return True
            dim += 1
        else:
            dim += p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 1
    return False


def record_inplace(target: Tensor, result: Tensor, through_view: bool = False, *,
                   index: Any = None, overlap_ok: bool = False,
                   shared: bool | None = None) -> Tensor:
    """Make `target` hold `result` in place: PyTorch's in-place op semantics.

    The result was computed out of place (and recorded with edges to the target's
    old history); its data is written into the target's storage, the version is
    bumped, and the target takes over the result's grad_fn. `through_view`: the change
    is x[index] = v through a view of target (changes_a_view), for PyTorch's message.
    `index`: only target[index] is written (x[index] = v). A target whose elements share
    memory (an expanded tensor) is PyTorch's error, unless `overlap_ok` (fill_, zero_, and
    x[index] = v, which checks the slice it writes). `shared`: the view PyTorch writes
    (the target, unless x[i] = v wrote a basic slice of it) has elements sharing memory
    (default: whether the target's have); its CopySlices then fails in the backward pass
    (the gradient copied into that view is PyTorch's overlap error).
    """
    if hasattr(target, "zero"):
        raise GdRuntimeError(ZERO_IMMUTABLE)
    node = result.grad_fn
    old = target.grad_fn
    view = target._view
    if (view is not None and hasattr(target, "view_mode") and State.grad_enabled
            and (target.requires_grad or result.requires_grad)):
        raise GdRuntimeError(view_mode_message(target, indirect=False))
    if (view is not None and view[1].name in MULTI_OUTPUT_VIEWS and State.grad_enabled
            and (target.requires_grad or result.requires_grad)):
        raise GdRuntimeError(multi_output_message(target, indirect=False))
    if (
        target.requires_grad
        and target.grad_fn is None
        and State.grad_enabled
    ):
        raise GdRuntimeError(
            ("a view of a leaf Variable" if through_view else "a leaf Variable")
            + " that requires grad is being used in an in-place operation.",
            hint="wrap the update in `with no_grad():`, or work on x.detach() / x.data",
        )
    if target._view is not None and State.grad_enabled:
        root = target
        while root._view is not None:
            root = root._view[0]
        if root.requires_grad and root.grad_fn is None:
            raise GdRuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.",
                hint="wrap the update in `with no_grad():`, or work on x.detach() / x.data",
            )
    if not overlap_ok and K.overlaps(target.array):
        raise GdRuntimeError(K.OVERLAP_MESSAGE)
    tdtype = target.array.dtype
    rarr = result.array
    if rarr.dtype != tdtype and not np.can_cast(rarr.dtype, tdtype, "same_kind"):
        raise GdRuntimeError(
            f"result type {_torch_scalar_name(rarr.dtype)} can't be cast to the desired "
            f"output type {_torch_scalar_name(tdtype)}"
        )
    if (rarr.shape != target.array.shape
            and np.broadcast_shapes(rarr.shape, target.array.shape) != target.array.shape):
        raise GdRuntimeError(
            f"output with shape {list(target.array.shape)} doesn't match the broadcast "
            f"shape {list(np.broadcast_shapes(rarr.shape, target.array.shape))}"
        )
    if node is not None and node.inputs is not None and node.rule.saves_inputs:
        # The op saved the target's *old* value as `self`: keep a private copy of it,
        # since the storage is about to be overwritten. The target passed again as
        # another input (`a.mul_(a)`, `a.div_(a)`) stays the live tensor, so backward
        # finds it modified and fails as PyTorch does.
        node.inputs = tuple(
            _snapshot(a) if a is target and i == 0 else a for i, a in enumerate(node.inputs)
        )
    if index is not None and K.overlaps(target.array):
        target.array[index] = rarr[index]  # elsewhere the memory is shared with the slice
    else:
        target.array[...] = rarr
    bump_version(target)
    if node is not None:
        if node.rule.saves_out:
            node.out = target
            node.out_version = target._vc[0]
        target.grad_fn = node
        target.requires_grad = True
    target.tangent = result.tangent
    if target._view is not None and (node is not None or State.forward_level):
        # Its graph is the newest now (changed in no_grad, its graph is its base's again).
        target._view = (*target._view[:3], target._vc[0])
    if target._view is not None and (
        (State.grad_enabled and target.requires_grad)
        or (State.forward_level and target.tangent is not None)
    ):
        # Does the op's gradient reach the view's old value (not fill_, zero_, copy_)?
        reaches = node is not None and old is not None and old in node.parents
        if node is not None and old is not None:
            _bypass(node, old, target)
        _rebase(target, reaches, K.overlaps(target.array) if shared is None else shared,
                _written(target.shape, index) if _expanded_chain(target) else None)
        _regenerate(target)
    _keep_retained(target, old)
    return target


def _keep_retained(t: Tensor, old: Any) -> None:
    """t's retain_grad() follows it to its new grad_fn, as PyTorch moves the hook."""
    if old is not None and old.retained is t and t.grad_fn is not old:
        old.retained = None
        if t.grad_fn is not None:
            t.grad_fn.retained = t


def _regenerate(view: Tensor) -> None:
    """x[i] = v wrote into a view whose elements share memory (an expanded tensor): its
    other elements changed too, so its new value is its views replayed on its base's new
    value (PyTorch regenerates it as AsStridedBackward0)."""
    chain = []
    root = view
    while root._view is not None:
        chain.append(root._view)
        root = root._view[0]
    value = root
    for _, rule, params, _ in reversed(chain):
        value = apply(rule, (value,), params)
    node = value.grad_fn
    if node is not None:
        node.name = "AsStridedBackward0"
        view.grad_fn = node
    view.tangent = value.tangent


#: How many hookless copies of a node were made (each takes its own creation number).
_COPIES: weakref.WeakKeyDictionary[Node, int] = weakref.WeakKeyDictionary()


def _unhooked(node: Node, copying: bool = False) -> Node:
    """A copy of node without its hooks and retain_grad: the same VJP (with `copying`,
    _copying's), edges and saved values, numbered just after it (after its parents,
    before every consumer)."""
    n = _COPIES.get(node, 0) + 1
    _COPIES[node] = n
    copy = Node.__new__(Node)
    for slot in ("name", "freed", "inputs", "out", "out_version", "params", "parents",
                 "rule", "span", "versions"):
        setattr(copy, slot, getattr(node, slot))
    copy.retained = None
    copy.hooks = None
    if copying:
        copy.rule = _copying(node.rule)
    saved = None if node.hooks is None else node.hooks.saved
    if saved is not None:  # what saved_tensors_hooks packed stays the node's
        copy.hooks = type(node.hooks)()  # (hooks.NodeHooks, empty)
        copy.hooks.saved = saved
    copy.seq = node.seq + 0.25 * (1 - 0.5 ** n)  # (rules/nn.py numbers one at seq - 0.5)
    return copy


def _bypass(node: Node, old: Node, view: Tensor) -> None:
    """An in-place change of a view: PyTorch's CopySlices sends the view's gradient
    straight into its base's, past the view's old grad_fn and every view between, whose
    hooks (tensor hooks, retain_grad, the node's own) see none of it. The op's edges to the
    view's old node (`old`) go to a hookless copy; so do the edges from there up the chain
    of views (the base's own node keeps its hooks: CopySlices' edge is the base's). Where
    `old` is a view op, the copies place the gradient in -0.0 (_copying): the base's
    gradient is then the CopySlices' (-0.0 where the view is) plus theirs, which is
    PyTorch's copy of the view's gradient into the base's, zero signs included."""
    copying = old.rule.views
    if not copying and old.hooks is None and old.retained is None \
            and not _hooked_chain(view):
        return
    copy = _unhooked(old, copying)
    inputs = node.inputs or ()
    node.parents = tuple(
        copy if p is old and (i == 0 or (i < len(inputs) and inputs[i] is view)) else p
        for i, p in enumerate(node.parents))
    while view._view is not None and view._view[0]._view is not None:
        base = view._view[0]
        up = base.grad_fn
        if up is None or (not copying and up.hooks is None and up.retained is None):
            view = base
            continue
        if up not in copy.parents:
            return
        up_copy = _unhooked(up, copying and up.rule.views)
        copy.parents = tuple(up_copy if p is up else p for p in copy.parents)
        copy = up_copy
        view = base


_COPYING: dict[int, Rule] = {}


def _copying(rule: Rule) -> Rule:
    """rule with a VJP that leaves -0.0 where the view's gradient does not go (where its
    VJP of ones gives 0)."""
    made = _COPYING.get(id(rule))
    if made is not None:
        return made
    made = copy_module.copy(rule)
    inner = rule.vjp
    assert inner is not None

    def vjp(g: Any, out: Any, *xs: Any, **p: Any) -> tuple[Any, ...]:
        from gradcli.ad.ops.backward import masked_fill

        res = inner(g, out, *xs, **p)
        if type(g) is not Tensor:
            return res
        with grad_mode(False):
            reach = inner(Tensor(np.ones_like(g.array)), out, *xs, **p)
        return tuple(r if type(r) is not Tensor else masked_fill(r, w.array == 0, -0.0)
                     for r, w in zip(res, reach, strict=True))

    made.vjp = made.vjp_graph = vjp
    made.vjp_array = made.vjp_scalar = made.vjp_nd = None
    _COPYING[id(rule)] = made
    _COPYING[id(made)] = made
    return made


_FAILING: dict[tuple[int, str], Rule] = {}


def _failing(rule: Rule, message: str = K.OVERLAP_MESSAGE) -> Rule:
    """rule with a VJP that is PyTorch's error `message` (by default the overlap error of
    the CopySlices of an expanded view)."""
    made = _FAILING.get((id(rule), message))
    if made is None:
        made = copy_module.copy(rule)

        def vjp(*_: Any, **__: Any) -> tuple[Any, ...]:
            raise GdRuntimeError(message)

        made.vjp = made.vjp_graph = vjp
        made.vjp_array = made.vjp_scalar = made.vjp_nd = None
        _FAILING[(id(rule), message)] = made
    return made


def fails_in_backward(t: Tensor, message: str) -> Tensor:
    """t, whose node fails with PyTorch's `message` when a gradient reaches it (a
    backward kernel's own check)."""
    if t.grad_fn is not None:
        t.grad_fn.rule = _failing(t.grad_fn.rule, message)
    return t


def _hooked_chain(view: Tensor) -> bool:
    """Whether a view between view and its base's base has hooks or retain_grad."""
    while view._view is not None and view._view[0]._view is not None:
        fn = view._view[0].grad_fn
        if fn is not None and (fn.hooks is not None or fn.retained is not None):
            return True
        view = view._view[0]
    return False


def _expanded_chain(view: Tensor) -> bool:
    """Whether an expand is among view's chain of views (only then does where the op
    wrote matter to its base: _rebase's `written`)."""
    while view._view is not None:
        if view._view[1].name == "expand":
            return True
        view = view._view[0]
    return False


def _written(shape: tuple[int, ...], index: Any) -> np.ndarray | None:
    """Where x[index] = v wrote (all of x without an index), as a boolean mask of x's
    shape (None: an index this cannot place)."""
    if index is None:
        return np.ones(shape, bool)
    return _placed(shape, index, True)


def _through_expand(cur: Tensor, base: Tensor, written: np.ndarray) -> Tensor:
    """The base's elements' new values from the expanded view's `cur`: for each, the copy
    that was written (PyTorch's CopySlices writes the base's memory: a write into any copy
    is the element's), else its first copy (the old value)."""
    lead = cur.ndim - base.ndim
    dims = [d for d in range(cur.ndim) if d < lead or (base.shape[d - lead] == 1
                                                          and cur.shape[d] != 1)]
    keep = [d for d in range(cur.ndim) if d not in dims]
    if not dims:  # an expand to its own shape
        return apply(RULES["reshape"], (cur,), {"shape": base.shape})
    # the broadcast dims last, flattened: argmax finds the written copy (0: none)
    moved = np.transpose(written, keep + dims).reshape(
        [cur.shape[d] for d in keep] + [-1])
    pick = np.unravel_index(np.argmax(moved, axis=-1), [cur.shape[d] for d in dims])
    grids = np.indices([cur.shape[d] for d in keep], sparse=True)
    index: list[Any] = [None] * cur.ndim
    for d, g in zip(keep, grids, strict=True):
        index[d] = g
    for d, p in zip(dims, pick, strict=True):
        index[d] = p
    picked = apply(RULES["getitem"], (cur,), {"index": tuple(index), "kind": "IndexBackward0"})
    return apply(RULES["reshape"], (picked,), {"shape": base.shape})


def _written_base(rule: Any, params: dict[str, Any], base: Tensor,
                  written: np.ndarray | None) -> np.ndarray | None:
    """The written mask one level up the chain (None when this level cannot say)."""
    if written is None:
        return None
    if rule.name == "getitem":
        return _placed(base.shape, params["index"], written)
    if rule.name == "expand":
        lead = written.ndim - base.ndim
        out = written.any(axis=tuple(range(lead))) if lead else written
        return np.logical_or.reduce(out, axis=tuple(
            d for d in range(base.ndim) if base.shape[d] == 1 and out.shape[d] != 1),
            keepdims=True).reshape(base.shape)
    if rule.name in ("diagonal", "unfold", "as_strided"):
        return None
    try:
        (m,) = rule.vjp(tensor_from_array(written.astype(np.float64)), None, base, **params)
    except Exception:  # a rule whose transpose wants more than a mask: cannot say
        return None
    return np.asarray(m.array) != 0


def _placed(shape: tuple[int, ...], index: Any, written: Any) -> np.ndarray | None:
    """A boolean mask of x's shape with `written` placed at x[index] (None: an index
    this cannot place)."""
    mask = np.zeros(shape, bool)
    try:
        mask[index] = written
    except (IndexError, ValueError, TypeError):
        return None
    return mask


def _rebase(view: Tensor, reaches: bool = False, shared: bool = False,
            written: np.ndarray | None = None) -> None:
    """After an in-place change of a view, record that its base changed too.

    As PyTorch's CopySlices: the base's new value is its old one with the view's value
    written in, and so on up a chain of views. The data is already there (shared storage);
    the graph and, in forward mode, the tangent are not. Only the chain's root takes the
    new graph, as PyTorch's one CopySlices on the view's _base: the views between keep
    their old grad_fn (their hooks and retain_grad are not on the way) until they are read
    again, when they are regenerated from the root (record._sync_view). `reaches`: the
    op's gradient reaches the view's old value (then the first CopySlices leaves -0.0
    where the view is, as every one above it does: see _bypass). `shared`: the view's
    elements share memory (an expanded tensor): the root's CopySlices fails when a
    gradient reaches it, as PyTorch's copy of the gradient into that view does.
    `written`: where in `view` the op wrote (None: all of it), followed up the chain so
    that an expanded level takes each base element from the copy that was written.
    """
    cur = view  # view's new value, with its graph
    while view._view is not None:
        base, rule, params, _ = view._view
        root = base._view is None
        # The base's old value: a view between stands in as its views replayed on the
        # root's old history (a graph of its own, without the base's hooks).
        src = base if root else _replayed(base)
        if rule.name == "diagonal":
            # The view covers only the diagonal: written there (a diagonal_scatter).
            new = apply(RULES["view_scatter"], (src, cur),
                        {"kind": "diagonal", **params, **({"of_view": True} if reaches else {})})
            if new.grad_fn is not None:
                new.grad_fn.name = "CopySlices"
        else:
            if rule.name == "getitem":
                value, index = cur, params["index"]
            elif rule.name in ("unfold", "as_strided"):
                # The view covers part of the base: written at the elements it was taken
                # from.
                where = (params["index"] if rule.name == "as_strided" else
                         rule.forward(np.arange(base.array.size).reshape(base.shape),
                                      **params))
                value, index = cur, np.unravel_index(where, base.shape)
            elif rule.name == "expand" and written is not None and written.any():
                value, index = _through_expand(cur, base, written), (Ellipsis,)
            elif rule.name == "expand":
                # The base's elements are the view's first along each broadcast dim.
                lead = cur.ndim - base.ndim
                first = (0,) * lead + tuple(
                    slice(0, 1) if n == 1 else slice(None) for n in base.shape)
                value = apply(RULES["getitem"], (cur,),
                              {"index": first, "kind": "SelectBackward0"})
                index = (Ellipsis,)
            else:
                # reshape, transpose, permute, (un)squeeze cover their base, and their
                # transpose (the VJP) is their inverse.
                (value,) = rule.vjp(cur, None, base, **params)
                index = (Ellipsis,)
            new = apply(RULES["index_put"], (src, value),
                        {"index": index, "kind": "CopySlices", "of_view": reaches})
        if root:
            if shared and new.grad_fn is not None:
                new.grad_fn.rule = _failing(new.grad_fn.rule)
            _moved(base, new)
        elif State.forward_level:
            base.tangent = new.tangent
        written = _written_base(rule, params, base, written)
        cur = new
        view = base
        reaches = True  # cur's gradient reaches all of it: the levels above copy


def _replayed(view: Tensor) -> Tensor:
    """view's chain of view ops replayed on its root: its value with a fresh graph."""
    chain = []
    root = view
    while root._view is not None:
        chain.append(root._view)
        root = root._view[0]
    value = root
    for _, rule, params, _ in reversed(chain):
        value = apply(rule, (value,), params)
        if value.grad_fn is not None and rule.views:  # its gradient goes to CopySlices
            value.grad_fn.rule = _copying(value.grad_fn.rule)
    return value


def _moved(base: Tensor, new: Tensor) -> None:
    """base now holds new's value (written already): it takes new's graph and tangent."""
    if new.grad_fn is not None:
        old = base.grad_fn
        base.grad_fn = new.grad_fn
        base.requires_grad = True
        _keep_retained(base, old)
    if State.forward_level:
        base.tangent = new.tangent
    if base._view is not None:
        base._view = (*base._view[:3], base._vc[0])


def _snapshot(t: Tensor) -> Tensor:
    s = Tensor.__new__(Tensor)
    s.array = t.array.copy()
    s.requires_grad = t.requires_grad
    s.grad = None
    s.grad_fn = t.grad_fn
    s._vc = [t._vc[0]]
    s._view = None
    s.tangent = t.tangent
    return s


def inplace_of(fn: Callable[..., Tensor],
               writes: Callable[..., Any] | None = None) -> Callable[..., Tensor]:
    """The in-place form of an op: `x.op_(...)` makes x hold `op(x, ...)`, bumping its
    version (expose it as `Tensor.op_`). `writes(x, ...)`: where PyTorch's kernel writes
    (a boolean mask of x's shape) when it skips the overlap check (index_fill_, tril_,
    triu_): in an expanded x, an element sharing memory with a written one is written."""

    def op(x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        out = fn(x, *args, **kwargs)
        if writes is not None and K.overlaps(x.array):
            where = np.broadcast_to(writes(x, *args, **kwargs), x.shape)
            return record_inplace(x, out, index=where, overlap_ok=True)
        return record_inplace(x, out)

    op.__name__ = fn.__name__ + "_"
    op.__doc__ = f"In-place {fn.__name__}: x = {fn.__name__}(x, ...), bumping x's version."
    return op
