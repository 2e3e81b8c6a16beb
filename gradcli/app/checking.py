"""`check`: autograd against central finite differences, and every node's rule alone."""

from __future__ import annotations

import gc
import heapq
import io
from array import array
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.check import check_node, numeric_jacobian, within_tolerance
from gradcli.ad.tensor import Node, Tensor, no_grad, tensor_from_array
from gradcli.app.gradfree import records_nothing_observable
from gradcli.app.inputs import AppOptions, parse_sets
from gradcli.app.running import compile_program, derivative, need_wrt, result_tensor, session
from gradcli.errors import GdError, GdLimitError
from gradcli.interp import Program
from gradcli.records import replace
from gradcli.results import CheckItem, CheckResult, NodeCheck, TensorData
from gradcli.source import Source

MAX_CHECK_ELEMENTS = 100_000  # check's finite differences rerun the program 2× per element


def check(source: Source, opts: AppOptions, eps: float = 1e-6, rtol: float = 1e-4,
          atol: float = 1e-6, keep: Callable[[Any], object] | None = None) -> CheckResult:
    """`check`: autograd vs central differences (float64), and every node's rule alone.
    `keep`: where the runs' graphs go when the caller ends the process without freeing
    them (the CLI: freeing a long tape's millions of objects is work nobody sees); by
    default they are released here."""
    need_wrt(opts, "check")
    frozen: list[bool] = []
    try:
        return _check(source, opts, eps, rtol, atol, frozen, keep)
    finally:
        if frozen:
            gc.unfreeze()


def _check(source: Source, opts: AppOptions, eps: float, rtol: float, atol: float,
           frozen: list[bool], keep: Callable[[Any], object] | None) -> CheckResult:
    sets = parse_sets(opts.sets, opts.wrt)
    generator = ops.generator()
    start = generator.get_state()
    # What the program prints is its own run, as under every other command (SPEC 2.1);
    # the derivatives are then compared in float64, in a silent run from the same
    # random state.
    shown, out = _run_shown(source, opts, sets, lambda: generator.set_state(start))
    generator.set_state(start)
    # The float64 run's warnings are the shown run's again: they are shown once.
    with session(replace(opts, warn=None), keep_buffers=True, dtype="float64",
                 source=source) as s:
        sets = parse_sets(opts.sets, opts.wrt)
        program, _ = compile_program(source, opts, record_tape=True, overrides=sets,
                                     write=_discard, mark_loops=False)
        generator = ops.generator()
        tape_start = generator.get_state()
        res = program.run()
        # The tape is many objects that all stay alive through the backward pass, the
        # reruns and the rule checks: the collector skips them until check is done
        # (each collection would rescan them all; frozen, not disabled, so the reruns
        # collect their own garbage as under run).
        gc.freeze()
        frozen.append(True)
        y = result_tensor(res)
        # The reruns of finite differences are the same program with the same inputs, the
        # --wrt ones bound as the first run bound them (so its own backward() works as in
        # the run), minus the tape. Only the first run's prints are shown.
        inputs = dict(sets)
        for name in opts.wrt:
            inputs[name] = tensor_from_array(res.inputs[name].array.copy())
        # An input the program bound itself (x = torch.randn(3)) still draws in the reruns,
        # so what the program draws after it is the first run's.
        rerun, _ = compile_program(source, opts, overrides=inputs, write=_discard,
                                   raw_overrides=frozenset(opts.wrt),
                                   replayed=frozenset(n for n in opts.wrt if n not in sets))
        graph_free = records_nothing_observable(rerun.module, prints=False)
        items = []
        for name in opts.wrt:
            x = res.inputs[name]
            with s.final_pass():
                analytic = derivative(y, x, 1, opts.limits).array.astype(np.float64)
            numeric = _fd_jacobian(rerun, inputs, name, x.array.astype(np.float64), y.shape,
                                   eps, opts, lambda: generator.set_state(tape_start),
                                   graph_free)
            err = np.abs(analytic - numeric)
            scale = np.maximum(np.abs(numeric), np.abs(analytic))
            ok = within_tolerance(analytic, numeric, rtol, atol)
            rel = float(np.max(err / np.maximum(scale, 1e-12))) if err.size else 0.0
            items.append(CheckItem(name, float(err.max()) if err.size else 0.0, rel, ok,
                                   TensorData.of(analytic), TensorData.of(numeric)))
        nodes, checkable = _check_nodes(res.tape or [])
        ok = all(i.ok for i in items) and all(n.ok for n in nodes)
        # The compiled programs hold their last run's values (the whole graph) in a
        # reference cycle: released here, the graph goes by reference counting (or kept
        # to the end of a process that frees nothing).
        if keep is not None:
            keep((shown, program, rerun, res))
        else:
            for p in (shown, program, rerun):
                p.rt.reset()
        return CheckResult(ok, items, nodes, rtol, atol, out.getvalue(), checkable)


def _run_shown(source: Source, opts: AppOptions, sets: dict[str, Any],
               reset_random: Callable[[], None]) -> tuple[Program, io.StringIO]:
    """The run whose prints (and warnings, and error) check shows: without a graph when
    the program prints nothing and cannot observe one (the same run; see
    app/gradfree.py), else as under `run`. An error without the graph reruns with it, so
    the error shown is the normal run's."""
    warnings: list[str] = []
    with session(replace(opts, warn=warnings.append), source=source):
        shown, out = compile_program(source, opts, overrides=sets)
        if records_nothing_observable(shown.module, prints=True):
            try:
                with no_grad():
                    shown.run()
            except GdError:
                pass
            else:
                if opts.warn is not None:
                    for text in warnings:
                        opts.warn(text)
                return shown, out
    reset_random()
    with session(opts, source=source):
        shown, out = compile_program(source, opts, overrides=sets)
        shown.run()
    return shown, out


def _fd_jacobian(rerun: Program, inputs: dict[str, Any], name: str, base: np.ndarray,
                 out_shape: tuple[int, ...], eps: float, opts: AppOptions,
                 reset_random: Callable[[], None], graph_free: bool) -> np.ndarray:
    """d result / d name by central differences: `rerun` runs with inputs[name] bound to
    each perturbed value, each from the recorded run's random state (a program that draws
    random numbers differentiates as a fixed function, as PyTorch's gradcheck sees it);
    all runs share one step limit. `graph_free`: the program cannot observe its graph
    (app/gradfree.py), so the reruns record none; one that fails runs again with it."""
    if base.size > MAX_CHECK_ELEMENTS:
        raise GdLimitError(
            f"check runs the program twice per element of {name}, which has {base.size:,} "
            f"elements (the limit is {MAX_CHECK_ELEMENTS:,})",
            hint=f"check a smaller input (--set {name}=randn(10)), or use eval/grad")
    max_steps = opts.limits.max_steps
    budget = [max_steps]

    def f(x: np.ndarray) -> np.ndarray:
        inputs[name] = tensor_from_array(x)
        reset_random()
        r = None
        if graph_free:
            try:
                with no_grad():
                    r = rerun.run()
            except GdError:
                reset_random()
        if r is None:
            r = rerun.run()
        budget[0] -= r.steps + 1
        if budget[0] < 0:
            raise GdLimitError(
                f"step limit reached: the {2 * base.size:,} runs of finite differences "
                f"for {name} need more than {max_steps:,} loop iterations and calls",
                hint="check a smaller input, or raise --max-steps", limit="max_steps")
        return np.asarray(result_tensor(r).array, dtype=np.float64)

    progress = opts.progress
    saved = inputs.get(name, _MISSING)
    try:
        return numeric_jacobian(
            f, base, eps, out_shape,
            None if progress is None else lambda i, n: progress(
                f"finite differences for {name}", i, n))
    finally:
        if saved is _MISSING:
            inputs.pop(name, None)
        else:
            inputs[name] = saved


_MISSING = object()


def _discard(text: str) -> None:
    """Where the reruns' prints go."""


#: Nodes of one kind (same rule, source position and input shapes: a loop body's op on
#: every iteration) whose rule is checked on its own: the first ones, then every power of
#: two, and the last; a 10⁵-iteration loop checks ~20 nodes per op, not 10⁵.
ALWAYS_CHECKED = 4


def _check_nodes(tape: list[Node]) -> tuple[list[NodeCheck], int]:
    """The rule checks of a sample of the tape's nodes (see ALWAYS_CHECKED), in tape
    order, and how many nodes had a rule to check."""
    at = _nodes_by_key(tape)
    # Keys of one kind (see _kind_of) pooled, in the order the kinds first appear.
    kinds: dict[tuple[Any, ...], list[array[int]]] = {}
    for where in at.values():
        kind = _kind_of(tape[where[0]])
        if kind is not None:
            kinds.setdefault(kind, []).append(where)
    sampled: list[int] = []
    last: list[int] = []
    checkable = 0
    for pools in kinds.values():
        where = pools[0] if len(pools) == 1 else list(heapq.merge(*pools))
        n = len(where)
        checkable += n
        # The first ones, every power of two (the k-th of the kind: k < 4 or k & (k-1) = 0),
        # and the last.
        sampled.extend(where[k] for k in _sampled_ranks(n))
        if not _is_sampled(n - 1):
            last.append(where[n - 1])
    sampled.sort()
    out = [_check_one(i, tape[i]) for i in sampled + last]
    out.sort(key=lambda n: n.id)
    return out, checkable


def _sampled_ranks(n: int) -> list[int]:
    """The ranks k < n within a kind that are checked however long the tape."""
    ranks = list(range(min(n, ALWAYS_CHECKED)))
    k = ALWAYS_CHECKED
    while k & (k - 1):
        k += 1
    while k < n:
        ranks.append(k)
        k *= 2
    return ranks


def _is_sampled(k: int) -> bool:
    return k < ALWAYS_CHECKED or (k & (k - 1)) == 0


def _nodes_by_key(tape: list[Node]) -> dict[tuple[Any, ...], array[int]]:
    """The tape's node indices grouped by key: (rule, span, each input's shape and dtype
    or type) by object identity where it can be (the span, the dtype), so finer than a
    node's kind, never coarser. Nodes without inputs (leaves' records) are left out.
    One dict read per node of a long loop; the common arities are spelled out (a
    comprehension is a call per node in Python 3.11)."""
    at: dict[tuple[Any, ...], array[int]] = {}
    get = at.get
    tensor = Tensor
    i = -1
    for node in tape:
        i += 1
        inputs = node.inputs
        if inputs is None:
            continue
        n = len(inputs)
        if n == 2:
            a, b = inputs
            if type(a) is tensor:
                a = a.array
                if type(b) is tensor:
                    b = b.array
                    key = (node.rule, id(node.span), a.shape, id(a.dtype), b.shape, id(b.dtype))
                else:
                    key = (node.rule, id(node.span), a.shape, id(a.dtype), type(b))
            elif type(b) is tensor:
                b = b.array
                key = (node.rule, id(node.span), type(a), b.shape, id(b.dtype))
            else:
                key = (node.rule, id(node.span), type(a), type(b))
        elif n == 1:
            a = inputs[0]
            if type(a) is tensor:
                a = a.array
                key = (node.rule, id(node.span), a.shape, id(a.dtype))
            else:
                key = (node.rule, id(node.span), type(a))
        else:
            key = (node.rule, id(node.span), n, *[(a.array.shape, id(a.array.dtype))
                                                  if type(a) is tensor else type(a)
                                                  for a in inputs])
        where = get(key)
        if where is None:
            where = at[key] = array("q")
        where.append(i)
    return at


def _kind_of(node: Node) -> tuple[Any, ...] | None:
    """A node's kind (rule, line, column, input shapes), or None when its rule is not
    checked (not differentiable, or no floating input)."""
    if not node.rule.differentiable:
        return None
    shapes: list[Any] = []
    floating = False
    for a in node.inputs:
        if isinstance(a, Tensor):
            shapes.append((a.shape, a.dtype))
            floating = floating or a.dtype.kind == "f"
        else:
            shapes.append(type(a))
    if not floating:
        return None
    span: Any = node.span
    return (node.rule, getattr(span, "line", None), getattr(span, "column", None),
            tuple(shapes))


def _check_one(i: int, node: Node) -> NodeCheck:
    span: Any = node.span
    try:
        rep = check_node(node, seed=i)
        ok, ae, re_ = rep.ok, rep.max_abs_error, rep.max_rel_error
    except GdError:
        ok, ae, re_ = False, float("nan"), float("nan")
    return NodeCheck(i, node.op, node.name, getattr(span, "line", None),
                     getattr(span, "column", None), ok, ae, re_)
