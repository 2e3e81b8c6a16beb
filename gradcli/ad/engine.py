"""Reverse mode: walk the graph (the nodes' grad_fn edges) backward from the outputs, no recursion.

Nodes carry their creation number; a max-heap on it pops every node after all of
its consumers (consumers are always created later), so each node's cotangent is
complete when it is popped. A chain of 10⁶ ops backpropagates in constant stack.
The public spellings (torch.autograd.backward, grad, Tensor.backward) check their
arguments and call `run_backward` from ad/autograd.py, above this module.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

from gradcli.ad import hooks as H
from gradcli.ad import ops
from gradcli.ad.cotangents import (
    accumulate,
    added,
    as_tensor,
    nd_cotangent,
    plus,
    shown,
    summed,
    unshared,
)
from gradcli.ad.graph import Node, Tensor, needed_nodes, tensor_from_array
from gradcli.ad.multi_hooks import GraphTask
from gradcli.ad.ops import backward as B
from gradcli.ad.ready_queue import LEAF, hooked_leaf_edges, stl_pop, stl_push
from gradcli.ad.registry import ARRAY_VJP, ND_VJP, SCALAR_VJP
from gradcli.ad.saved_checks import (
    FREED_MESSAGE,
    check_cotangents,
    check_nan,
    check_versions,
)
from gradcli.ad.saved_hooks import unpacked_inputs
from gradcli.ad.state import MEMORY_CHECK_BYTES, State, check_memory, grad_mode
from gradcli.errors import GdRuntimeError

ndarray = np.ndarray


def _root_grads(outputs: Sequence[Tensor], grads: Sequence[Any] | None,
                create_graph: bool) -> list[Tensor]:
    result = []
    for i, out in enumerate(outputs):
        g = None if grads is None else grads[i]
        if g is None:
            if out.array.size != 1:
                raise GdRuntimeError(
                    "grad can be implicitly created only for scalar outputs",
                    hint="pass a gradient of the output's shape: y.backward(torch.ones_like(y))"
                    " gives the sum of the Jacobian's rows (a vector-Jacobian product)",
                )
            g = tensor_from_array(np.ones(out.array.shape, out.array.dtype))
        else:
            if type(g) is not Tensor:
                g = ops.tensor(g, dtype=out.array.dtype)
            if g.array.shape != out.array.shape:
                raise GdRuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of "
                    f"torch.Size({list(g.array.shape)}) and output[{i}] has a shape of "
                    f"torch.Size({list(out.array.shape)})."
                )
            if not create_graph:
                g = g.detach()
        result.append(g)
    return result


class _Run:
    """The state of one backward pass."""

    __slots__ = ("batch", "by_node", "captured", "create_graph", "done", "early", "families",
                 "family_post", "leaf_grads", "leaf_owned", "needed", "observer", "owned",
                 "pending", "push", "reached", "ready", "targets")

    def __init__(self, targets: dict[int, Any] | None, observer: Observer | None,
                 create_graph: bool = False) -> None:
        self.leaf_grads: dict[int, list[Any]] = {}
        # ids of the sums this pass made and nobody else holds: further cotangents are
        # added into them in place (None under create_graph, where sums must be recorded).
        # Apart: the sums waiting at nodes (given away once the node runs) and at leaves.
        self.owned: set[int] | None = None if create_graph else set()
        self.leaf_owned: set[int] | None = None if create_graph else set()
        self.targets = targets  # id → tensor we must report the cotangent of (grad())
        # Non-leaf targets, found by the node that produced them.
        self.by_node: dict[Node, list[int]] = {}
        if targets is not None:
            for tid, t in targets.items():
                if t.grad_fn is not None:
                    self.by_node.setdefault(t.grad_fn, []).append(tid)
        self.captured: dict[int, Tensor] = {}
        # Family nodes captured before their family's hooks ran (_family_hooks).
        self.early: set[Node] = set()
        self.needed: set[Node] | None = None  # grad(): the nodes to run
        # grad(): the nodes the pass reaches (the needed ones, the targets' own and their
        # families'); any other is skipped, its hooks unrun.
        self.reached: set[Node] | None = None
        self.observer = observer
        self.batch = 0  # > 0: every cotangent carries a leading dim of this size (batched_vjp)
        self.create_graph = create_graph
        # With leaf hooks: hooked leaf id → edges still to come (its hooks run, and its
        # .grad is updated, as soon as its gradient is complete, as PyTorch's
        # AccumulateGrad runs first among ready nodes); `done`: leaves already through.
        self.ready: dict[int, int] | None = None
        self.done: set[int] = set()
        # How nodes enter the heap: heapq's, or with leaf hooks PyTorch's own ready queue
        # (stl_push), where leaves are entries too and ties between them matter.
        self.push: Any = heapq.heappush
        # The cotangents waiting at nodes (_loop's), and the node families (graph.Family)
        # whose outputs' tensor hooks already ran in this pass.
        self.pending: dict[Node, Any] = {}
        self.families: set[Any] = set()
        # A family with node post-hooks: [its nodes still to run, grad_outputs, the sum of
        # their cotangents so far] (the hooks run once, after the last).
        self.family_post: dict[Any, list[Any]] = {}


#: A list the pass appends (node, incoming, cotangents out) to per node, in order: tensors,
#: or numpy scalars from the scalar path if the list's `takes_scalars` is true (a subclass).
Observer = list


def run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Any] | None,
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
    observer: Observer | None = None,
    accumulate: bool = False,
) -> dict[int, Tensor] | None:
    """Propagate cotangents from outputs to leaves.

    Without `inputs`, accumulate into each reached leaf's .grad (Tensor.backward).
    With `inputs`, return {id(input): cotangent} and touch no .grad (autograd.grad, or
    backward(inputs=) if `accumulate`: the caller accumulates them).
    """
    GraphTask.push(outputs, inputs, accumulate)  # the pass hooks see (multi-grad hooks)
    try:
        return _run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs,
                             observer)
    finally:
        GraphTask.pop()


def _run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Any] | None,
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None,
    observer: Observer | None,
) -> dict[int, Tensor] | None:
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise GdRuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn",
                hint="mark an input with requires_grad=True before computing the output, "
                "and don't compute it under no_grad()",
            )
    roots = _root_grads(outputs, grad_outputs, create_graph)
    run = _Run(None if inputs is None else {id(t): t for t in inputs}, observer, create_graph)
    heap: list[tuple[int, Node]] = []
    pending = run.pending
    if State.leaf_hooks or State.post_accumulate_hooks:
        run.ready = hooked_leaf_edges(outputs)
        run.push = stl_push
    for out, g in zip(outputs, roots, strict=True):
        _send(run, pending, heap, out.grad_fn if out.grad_fn is not None else out, g)
    if run.targets is not None:
        # grad() and backward(inputs=): only the nodes with a path to an input run, as in
        # PyTorch's engine (the others' hooks, retain_grad()s and Functions never see it).
        # (None: every node reached is needed, as when each input is a leaf behind all.)
        run.needed = needed_nodes([o.grad_fn for o in outputs], set(run.targets),
                                  set(run.by_node), all_as_none=not run.by_node)
        run.reached = run.needed.union(run.by_node, *(
            f.members for n in run.by_node if (f := getattr(n, "family", None)) is not None)
        ) if run.by_node else run.needed  # (leaf targets only: the needed set itself)
    light = State.light_backward
    State.light_backward = not create_graph and not State.forward_level
    try:
        with grad_mode(create_graph):
            _loop(run, heap, pending, retain_graph)
        if B.ZEROS:  # zero tensors reaching the end show as zeros
            run.captured = {k: shown(g) for k, g in run.captured.items()}
            for entry in run.leaf_grads.values():
                entry[1] = shown(entry[1])
    finally:
        State.light_backward = light
        B.ZEROS.clear()
    hooked = State.leaf_hooks
    if inputs is not None:
        if hooked:
            with grad_mode(create_graph):
                for t in inputs:
                    if t.grad_fn is None and id(t) in run.captured and id(t) not in run.done:
                        run.captured[id(t)] = H.leaf_hooked(t, run.captured[id(t)])
        return run.captured
    grads = run.leaf_grads
    post = State.post_accumulate_hooks
    while grads:
        # Popped, so that `g` below is the only reference the pass still holds.
        _, (leaf, g) = grads.popitem()
        if hasattr(leaf, "view_mode"):
            continue  # a view made in no_grad mode: PyTorch gives it no grad accumulator
        if hooked:
            with grad_mode(create_graph):
                g = H.leaf_hooked(leaf, g, accumulating=True)
        steal = not create_graph and unshared(g)
        accumulate(leaf, g, create_graph, steal)
        if post:
            H.after_accumulate(leaf, g, create_graph)
    return None


def _send(run: _Run, pending: dict[Node, Tensor], heap: list[tuple[int, Node]],
          edge: Any, g: Tensor) -> None:
    if type(edge) is Node:
        prev = pending.get(edge)
        if prev is None:
            pending[edge] = g
            run.push(heap, (-edge.seq, edge))
        else:
            pending[edge] = summed(run.owned, prev, g)
        return
    # A leaf.
    key = id(edge)
    targets = run.targets
    if targets is not None:
        if key not in targets:
            return
        prev_c = run.captured.get(key)
        if prev_c is not None and type(prev_c) is not Tensor:
            prev_c = as_tensor(prev_c)  # a sum _loop's scalar path began
        run.captured[key] = g if prev_c is None else plus(prev_c, g)
    else:
        entry = run.leaf_grads.get(key)
        if entry is None:
            run.leaf_grads[key] = [edge, g]
        else:
            entry[1] = summed(run.leaf_owned, entry[1], g)
    ready = run.ready
    if ready is not None and key in ready:
        left = ready[key] - 1
        if left:
            ready[key] = left
        else:
            del ready[key]
            # PyTorch's AccumulateGrad enters the ready queue above every other node
            # (its sequence number is the largest): it runs next, but among leaves made
            # ready together the queue's order is its heap's (stl_pop).
            stl_push(heap, (LEAF, edge))


def _stl_pop_node(run: _Run) -> Any:
    """stl_pop for _loop: leaves popped on the way complete (their hooks, .grad); the
    first node's entry, or (0, None) when the heap held only leaves."""

    def pop(heap: list[tuple[Any, Any]]) -> tuple[Any, Any]:
        while heap:
            entry = stl_pop(heap)
            if type(entry[1]) is Node:
                return entry
            _leaf_complete(run, entry[1])
        return (0, None)

    return pop


def _leaf_complete(run: _Run, leaf: Tensor) -> None:
    """A hooked leaf's gradient is complete: its hooks, then .grad (and what follows)."""
    key = id(leaf)
    run.done.add(key)
    if run.targets is not None:
        run.captured[key] = H.leaf_hooked(leaf, shown(run.captured[key]))
        return
    entry = run.leaf_grads.pop(key, None)
    if entry is None:
        return
    g = H.leaf_hooked(leaf, shown(entry[1]), accumulating=True)
    accumulate(leaf, g, run.create_graph)
    if State.post_accumulate_hooks:
        H.after_accumulate(leaf, g, run.create_graph)


#: The rules whose derivative formulas take PyTorch's zero tensor to zero tensors (products,
#: quotients, sums, views: ZeroTensor-aware kernels); the others materialize it as zeros.
_KEEPS_ZEROS = frozenset((
    "add", "sub", "mul", "div", "pow", "sin", "cos", "tan", "log", "log1p", "sqrt",
    "reciprocal", "abs", "sgn", "sum", "mean", "reshape", "clone", "transpose", "permute",
    "squeeze", "unsqueeze", "mul_scalar", "div_scalar"))


def _loop(run: _Run, heap: list[tuple[int, Node]], pending: dict[Node, Tensor],
          retain_graph: bool) -> None:
    # One iteration per node (bench W1: a 0-d node costs little more than its VJP); what
    # most passes never meet (hooks, grad() of a non-leaf, ...) is one cheap check a node.
    heappop = heapq.heappop
    heappush = heapq.heappush
    # With leaf hooks: PyTorch's ready queue (leaves are entries, every node goes through
    # it), and none of the shortcuts below (they would reorder leaves made ready together).
    stl = run.ready is not None
    if stl:
        heappop = _stl_pop_node(run)
        heappush = stl_push
    anomaly = State.detect_anomaly
    owned = run.owned
    batch = run.batch
    by_node = run.by_node
    final = State.final_pass
    keep = State.keep_buffers
    zeros = B.ZEROS
    state = State
    # Work after a node's VJP that only some passes do (see _after_vjp).
    watched = State.torch_anomaly or run.observer is not None or run.ready is not None
    # An observer that `takes_scalars` sees the scalar path's cotangents as they are.
    observer = run.observer
    scalar_observer = (observer.append if getattr(observer, "takes_scalars", False)
                       else None)
    # A light pass calls the rules' array VJPs directly (Rule.with_array_vjp), per node.
    fast_vjps = ARRAY_VJP if State.light_backward else None
    # Scalar VJPs (Rule.with_scalar_vjp) where array VJPs run and nothing watches tensors:
    # 0-d float cotangents travel as numpy scalars, made tensors where others take them.
    scalars = (SCALAR_VJP if fast_vjps is not None and not anomaly and not batch
               and not by_node and not State.torch_anomaly and not stl
               and (observer is None or scalar_observer is not None) else None)
    # And n-d VJPs (Rule.with_nd_vjp) there too, when nothing watches the cotangents: n-d
    # float cotangents travel as arrays between such nodes. `nd_owned`: the arrays this
    # pass made by summing a leaf's cotangents (later ones are added into them in place).
    nds = ND_VJP if scalars is not None and observer is None else None
    nd_owned: set[int] = set()
    # Leaves' cotangents summed here unless grad() targets or leaf hooks need _send's.
    leaf_grads = run.leaf_grads if run.targets is None and run.ready is None else None
    # grad()'s captured leaf cotangents likewise (numpy scalars summed as they come).
    targets = run.targets
    captured = run.captured if targets is not None and run.ready is None else None
    leaf_owned = run.leaf_owned
    needed = run.needed
    reached = run.reached
    # The node to run next when it comes after everything in the heap (along a chain):
    # it and its cotangent (nxt_g) skip the heap and `pending`, in the heap's order.
    nxt: Node | None = None
    nxt_g: Any = None
    while True:
        if nxt is not None:
            node = nxt
            g = nxt_g
            nxt = None
        elif heap:
            node = heappop(heap)[1]
            if node is None:
                break  # (stl: the heap held leaves only)
            g = pending.pop(node)
        else:
            break
        if reached is not None and node not in reached:
            continue  # grad(): no input lies behind this node
        if owned:
            owned.discard(id(g))  # from now on others may hold g: never add into it again
        if scalars is not None and (type(g) is not Tensor or not g.array.ndim
                                    or nds is not None):
            # g as a numpy scalar if 0-d float32/float64, as its array if n-d (nd: an n-d
            # pass, `nds` on); others (a zero tensor, an integer 0-d) left to the tensor path
            if type(g) is Tensor:
                gs = g.array
                if zeros and B.is_zero_tensor(g):
                    gs = None
                elif not gs.ndim:
                    gs = gs[()]
                    if type(gs) is not np.float64 and type(gs) is not np.float32:
                        gs = None
            else:
                gs = g
            if type(gs) is ndarray:
                nd = True
                sv = nds.get((rule := node.rule).vjp)
            else:
                nd = False
                sv = None if gs is None else scalars.get((rule := node.rule).vjp)
            if (sv is not None and node.hooks is None and node.retained is None
                    and not state.grad_enabled):
                inputs = node.inputs
                if inputs is not None and (final or not node.freed) and not node.params:
                    if node.seq < state.changed_at:
                        check_versions(node)
                    cots = sv(gs, node.out, inputs)
                    if cots is not None:
                        if scalar_observer is not None:
                            scalar_observer((node, gs, cots))
                        for edge, c, x in zip(node.parents, cots, inputs):  # noqa: B905
                            if edge is None or c is None:
                                continue
                            if nd:  # (_nd_cotangent's common case inlined)
                                xa = x.array
                                if (type(c) is ndarray and c.shape == xa.shape
                                        and c.dtype is xa.dtype):
                                    state.allocated += c.nbytes  # counted as wrap counts
                                    if state.allocated > MEMORY_CHECK_BYTES:
                                        check_memory()
                                else:
                                    c = nd_cotangent(c, xa)
                            if type(edge) is Node:
                                if edge is nxt:  # a second edge to it (x * x)
                                    nxt_g = added(owned, nxt_g, c)
                                    continue
                                prev = pending.get(edge)
                                if prev is not None:
                                    pending[edge] = (prev + c if type(prev) is not Tensor
                                                     and type(c) is not Tensor
                                                     else added(owned, prev, c))
                                    continue
                                seq = edge.seq
                                if nxt is None:
                                    if not heap or seq > -heap[0][0]:
                                        nxt = edge
                                        nxt_g = c
                                        continue
                                elif seq > nxt.seq:
                                    pending[nxt] = nxt_g
                                    heappush(heap, (-nxt.seq, nxt))
                                    nxt = edge
                                    nxt_g = c
                                    continue
                                pending[edge] = c
                                heappush(heap, (-seq, edge))
                            elif leaf_grads is not None:
                                key = id(edge)
                                entry = leaf_grads.get(key)
                                if entry is None:
                                    leaf_grads[key] = [edge, c]
                                elif not nd:
                                    prev = entry[1]
                                    entry[1] = (prev + c if type(prev) is not Tensor
                                                else added(leaf_owned, prev, c))
                                elif type(prev := entry[1]) is Tensor or type(c) is Tensor:
                                    entry[1] = added(leaf_owned, prev, c)
                                elif type(prev) is ndarray and id(prev) in nd_owned:
                                    np.add(prev, c, out=prev)  # (same shape and dtype)
                                else:
                                    entry[1] = s = prev + c
                                    if type(s) is ndarray:
                                        nd_owned.add(id(s))
                            elif captured is not None:  # _send's grad() target case
                                key = id(edge)
                                if key in targets:
                                    prev = captured.get(key)
                                    captured[key] = (
                                        c if prev is None else prev + c
                                        if type(prev) is not Tensor and type(c) is not Tensor
                                        else plus(as_tensor(prev), as_tensor(c)))
                            else:
                                _send(run, pending, heap, edge, as_tensor(c))
                        if not retain_graph and (
                            keeps if type(keeps := rule.torch_keeps) is bool
                            else node.name in keeps
                        ):
                            node.freed = True
                            if not keep:
                                node.inputs = None
                                node.out = None
                        continue
            if type(g) is not Tensor:
                g = as_tensor(g)
        zero = False
        if zeros and B.is_zero_tensor(g):
            if batch or node.rule.name not in _KEEPS_ZEROS:
                g = ops.zeros_like(g)  # PyTorch materializes its zero tensor here
            else:
                zero = True
        hooks = node.hooks
        if hooks is not None or node.retained is not None or by_node:
            g = _arriving(run, node, g)
            if needed is not None and node not in needed:
                continue  # grad() reached all it needs here: nothing more runs or frees
        inputs = node.inputs
        if inputs is None or (node.freed and not final):
            raise GdRuntimeError(FREED_MESSAGE,
                                 hint="pass retain_graph=True to the first backward()/grad()")
        out = node.out
        if hooks is not None and hooks.saved is not None:  # saved_tensors_hooks' unpack
            inputs, out = unpacked_inputs(node, hooks.saved)
        elif node.seq < state.changed_at:
            check_versions(node)  # something changed in place since the node was recorded
        rule = node.rule
        if hooks is not None and hooks.pre:
            g = H.run_pre_hooks(hooks.pre, shown(g))
        if state.grad_enabled and rule.on_create_graph is not None:
            before = node.parents
            inputs = rule.on_create_graph(node)
            if needed is not None and node.parents is not before:
                _still_needed(run, before, node.parents)
        params = node.params
        vjp = rule.vjp
        if fast_vjps is not None and not state.grad_enabled:
            vjp = fast_vjps.get(vjp, vjp)
        if anomaly:
            # The rule's own ops are checked as one: the error names this node, not a
            # `div` inside its derivative formula.
            State.detect_anomaly = False
            try:
                cots = vjp(g, out, *inputs, **params)
            finally:
                State.detect_anomaly = True
            check_cotangents(node, cots)
        elif params:
            cots = vjp(g, out, *inputs, **params)
        else:
            cots = vjp(g, out, *inputs)
        parents = node.parents
        if zero or hooks is not None or watched:
            cots = _after_vjp(run, node, g, cots, zero)
            if run.ready is not None and rule.edges is not None:
                parents, cots, inputs = _edge_order(node, parents, cots, inputs)
        # No strict= (a keyword doubles zip's cost); a VJP gives no more cotangents than edges.
        for edge, c, x in zip(parents, cots, inputs):  # noqa: B905
            if edge is None or c is None:
                continue
            xa = x.array
            ca = c.array
            if batch:
                if ca.shape[1:] != xa.shape:
                    c = _sum_to_batched(c, xa.shape)
            elif ca.shape != xa.shape:
                c = ops.sum_to(c, xa.shape)
            dt = ca.dtype
            if dt is not xa.dtype and dt != xa.dtype:
                c = ops.to_dtype(c, xa.dtype)
            if type(edge) is Node:  # _send's node case, inlined: the common one
                if edge is nxt:  # a second edge to it (x * x)
                    nxt_g = added(owned, nxt_g, c)
                    continue
                prev = pending.get(edge)
                if prev is not None:
                    pending[edge] = (summed(owned, prev, c) if type(prev) is Tensor
                                     else added(owned, prev, c))
                    continue
                seq = edge.seq
                if stl:
                    pass
                elif nxt is None:
                    if not heap or seq > -heap[0][0]:
                        nxt = edge
                        nxt_g = c
                        continue
                elif seq > nxt.seq:
                    pending[nxt] = nxt_g
                    heappush(heap, (-nxt.seq, nxt))
                    nxt = edge
                    nxt_g = c
                    continue
                pending[edge] = c
                heappush(heap, (-seq, edge))
            elif leaf_grads is not None:  # _send's leaf case for .backward(), inlined
                key = id(edge)
                entry = leaf_grads.get(key)
                if entry is None:
                    leaf_grads[key] = [edge, c]
                elif (leaf_owned is not None and not zeros and id(prev := entry[1]) in leaf_owned
                      and (pa := prev.array).ndim):
                    # _sum's in-place case inlined (W2's W and b, every step): prev and c
                    # both have the leaf's shape and dtype (made so above).
                    np.add(pa, c.array, out=pa)
                else:
                    prev = entry[1]
                    entry[1] = (summed(leaf_owned, prev, c) if type(prev) is Tensor
                                else added(leaf_owned, prev, c))
            else:
                _send(run, pending, heap, edge, c)
        if not retain_graph and (
            keeps if type(keeps := rule.torch_keeps) is bool else node.name in keeps
        ):
            # Freed logically always (a later backward through it fails, as in PyTorch);
            # its saved tensors are released only when the session does not keep them.
            node.freed = True
            if not keep:
                node.inputs = None
                node.out = None
    if scalars is not None and leaf_grads is not None:
        for entry in leaf_grads.values():
            if type(entry[1]) is not Tensor:
                entry[1] = as_tensor(entry[1])
    if scalars is not None and captured is not None:
        for key, c in captured.items():
            if type(c) is not Tensor:
                captured[key] = as_tensor(c)


def _edge_order(node: Node, parents: Sequence[Any], cots: Sequence[Any],
                inputs: Sequence[Any]) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
    """A node's edges in PyTorch's order (its next_functions), then the rest: hooked leaves
    complete in the order their gradients are sent (linear's bias before its weight,
    which PyTorch reaches through addmm's TBackward0)."""
    order = [i for i in node.rule.edges(node.name) if i is not None and i < len(cots)]
    order += [i for i in range(len(cots)) if i not in order]
    return ([parents[i] for i in order], [cots[i] for i in order],
            [inputs[i] for i in order])


def _after_vjp(run: _Run, node: Node, g: Tensor, cots: tuple[Any, ...],
               zero: bool) -> tuple[Any, ...]:
    """A node's cotangents after its VJP: zero tensors kept as such, its post-hooks,
    torch's anomaly check, the observer (in this order)."""
    if zero:
        # A zero tensor in, zero tensors out (recorded as PyTorch records them).
        cots = tuple(None if c is None else B.as_zero_tensor(c) for c in cots)
    hooks = node.hooks
    if run.family_post and getattr(node, "family", None) is not None:
        cots = _family_post(run, node, cots)
    if hooks is not None and hooks.post:
        cots = H.run_post_hooks(node, hooks.post, cots, g)
    if State.torch_anomaly and State.anomaly_check_nan:
        check_nan(node, cots)
    if run.observer is not None:
        run.observer.append((node, g, cots))
    return cots


def _arriving(run: _Run, node: Node, g: Tensor) -> Tensor:
    """What happens to a node's cotangent before its VJP when the node has hooks, a
    retain_grad()ed output, or is a grad() target: tensor hooks, then .grad, then capture.
    A grad() target whose node runs on (the pass needs it for another input) is captured
    first, as PyTorch's engine captures it before the node's call runs the hooks."""
    targets = run.targets
    captures = targets is not None and node in run.by_node and node not in run.early
    if captures and (run.needed is None or node in run.needed):
        _capture(run, node, g)
        captures = False
    hooks = node.hooks
    if hooks is not None:
        family = getattr(node, "family", None)
        if family is not None and family.active:
            if family not in run.families:
                run.families.add(family)
                g = _family_hooks(run, node, g)
        elif hooks.tensor:
            g = H.run_tensor_hooks(hooks.tensor, shown(g))
    if node.retained is not None:
        # PyTorch's retain_grad hook runs in every pass that computes the tensor's
        # gradient, autograd.grad's too; its first gradient is a clone (CloneBackward0
        # when recorded), later ones added.
        accumulate(node.retained, shown(g), State.grad_enabled, first="CloneBackward0")
    if captures:
        _capture(run, node, g)
    return g


def _still_needed(run: _Run, before: tuple[Any, ...], after: tuple[Any, ...]) -> None:
    """A node put between a needed node and its parent in this pass (linear's wᵀ under
    create_graph) is needed when the parent it leads to is, or is a target."""
    needed = run.needed
    assert needed is not None
    targets = run.targets or {}
    for old, new in zip(before, after, strict=True):
        if new is not old and type(new) is Node and (
                old in needed or old in run.by_node
                or (type(old) is Tensor and id(old) in targets)):
            needed.add(new)
            if run.reached is not None:
                run.reached.add(new)


def _capture(run: _Run, node: Node, g: Tensor) -> None:
    """grad() w.r.t. a non-leaf: the cotangent arriving at the tensor it produced."""
    for tid in run.by_node[node]:
        prev = run.captured.get(tid)
        run.captured[tid] = g if prev is None else plus(prev, g)


def _family_hooks(run: _Run, node: Node, g: Tensor) -> Tensor:
    """The first of a family's nodes to run (graph.Family) runs the tensor hooks of all
    its outputs, then its node's pre-hooks: the others' gradients are complete (every
    consumer ran) and waiting. A pre-hook's None for a gradient makes it zeros. Where
    grad() only captures an output's gradient, the node's own hooks do not run."""
    pending = run.pending
    family = node.family
    members = family.members
    arrived = {}
    for m in members:
        c = pending.get(m)
        if m is not node and c is not None:
            if run.owned:
                run.owned.discard(id(c))  # hooks may keep it: never add into it again
            arrived[m] = shown(c if type(c) is Tensor else as_tensor(c))
            if (run.targets is not None and m in run.by_node
                    and (run.needed is None or m in run.needed)):
                _capture(run, m, arrived[m])  # before the hooks, as its own would be
                run.early.add(m)
    g = H.run_family_hooks(node, shown(g), arrived)
    if run.needed is not None and node not in run.needed:
        pending.update(arrived)  # grad() only captures here: the node itself does not run
        return g
    grads = [g if m is node else arrived.get(m) for m in members]
    if family.pre:
        new = H.run_family_pre_hooks(family.pre, grads)
        for m, old, v in zip(members, grads, new, strict=True):
            if old is not None:
                v = ops.zeros_like(old) if v is None else v
                if m is node:
                    g = v
                else:
                    arrived[m] = v
        grads = [None if old is None else v for old, v in zip(grads, new, strict=True)]
    if family.post:
        run.family_post[family] = [1 + len(arrived), tuple(grads), None]
    pending.update(arrived)
    return g


def _family_post(run: _Run, node: Node, cots: tuple[Any, ...]) -> tuple[Any, ...]:
    """A family's node post-hooks run once, after its last node, on the sum of their
    cotangents (the one node's grad_inputs); the earlier nodes send nothing."""
    entry = run.family_post.get(node.family)
    if entry is None:
        return cots
    prev = entry[2]
    entry[2] = cots if prev is None else tuple(
        b if a is None else a if b is None else plus(a, b)
        for a, b in zip(prev, cots, strict=True))
    entry[0] -= 1
    if entry[0] > 0:
        return tuple(None for _ in cots)
    del run.family_post[node.family]
    return H.run_post_hooks(node, node.family.post, entry[2], entry[1])


def _sum_to_batched(c: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a stack of broadcast cotangents back to (batch, *shape), row by row."""
    k = c.ndim - 1 - len(shape)
    target = (c.shape[0],) + (1,) * k + tuple(shape)
    if c.shape != target:
        c = ops.sum_to(c, target)
    return ops.reshape(c, (c.shape[0], *shape)) if k else c


