"""Running a program and differentiating its result: run, eval, grad, jvp, vjp, jacobian.

Every command opens one `Session` (the core's settings for this command, restored
after). Commands that differentiate the result after the program ran keep the saved
buffers (`keep_buffers=True`) and do their own last differentiation inside
`session.final_pass()`: the program's own backward passes free graphs exactly as
under `run`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.forward import ProgramForwardAD, cli_dual_level
from gradcli.ad.functional import gradients, nth_derivative, zeros_for
from gradcli.ad.kernels import blas_threads
from gradcli.ad.session import Session
from gradcli.ad.tensor import Tensor, tensor_from_array
from gradcli.app.inputs import AppOptions, parse_sets, parse_vector
from gradcli.errors import GdInputError, GdLimitError, GdRuntimeError, UsageError
from gradcli.interp import Program, ProgramResult, RunOptions
from gradcli.interp.runstate import leaves_reached
from gradcli.interp.values import type_name
from gradcli.limits import Limits
from gradcli.results import EvalResult, GradResult, JacobianResult, JvpResult, TensorData, VjpResult
from gradcli.source import Source


def session(opts: AppOptions, *, keep_buffers: bool = False, dtype: str | None = None,
            on_record: Callable[[Any, Any], None] | None = None,
            source: Source | None = None) -> Session:
    """The core's settings for one command, from its options (warnings name `source`).
    numpy's BLAS runs on one thread from the first command on (kernels/blas_threads)."""
    blas_threads.serial()
    return Session(limits=opts.limits, dtype=dtype or opts.dtype, seed=opts.seed,
                   precision=opts.precision, detect_anomaly=opts.detect_anomaly,
                   keep_buffers=keep_buffers, on_record=on_record, warn=opts.warn,
                   source=source)


def compile_program(source: Source, opts: AppOptions, *, record_tape: bool = False,
                    track_names: bool = False, tangents: dict[str, Tensor] | None = None,
                    overrides: dict[str, Any] | None = None, wrt: list[str] | None = None,
                    write: Callable[[str], object] | None = None,
                    raw_overrides: frozenset[str] = frozenset(),
                    replayed: frozenset[str] = frozenset(),
                    mark_loops: bool = True) -> tuple[Program, io.StringIO]:
    """Compile with the options' inputs; program prints go to a buffer unless opts.write
    (or write) says where. `overrides` (the parsed --set values) and `wrt` replace the
    options' (check's reruns bind their own values and need no graph)."""
    buffer = io.StringIO()
    run_opts = RunOptions(
        overrides=parse_sets(opts.sets, opts.wrt) if overrides is None else overrides,
        wrt=list(opts.wrt if wrt is None else wrt),
        tangents=tangents or {}, result_name=opts.of, record_tape=record_tape,
        track_names=track_names, write=write or opts.write or buffer.write,
        limits=opts.limits, raw_overrides=raw_overrides, replayed=replayed,
        mark_loops=mark_loops)
    if opts.progress is not None:
        report = opts.progress
        run_opts.on_steps = lambda n: report("running", n, 0)
    return Program.compile(source, run_opts), buffer


def run(source: Source, opts: AppOptions) -> ProgramResult:
    """`run`: execute; the program's prints go to opts.write."""
    with session(opts, source=source):
        program, _ = compile_program(source, opts)
        return program.run()


def result_tensor(res: ProgramResult) -> Tensor:
    """The program's result as a tensor: a tensor, or a Python float (which becomes one).
    An int or a bool (a loop counter, a flag) is refused, naming what was picked."""
    v = res.value
    if v is None:
        raise UsageError("the program has no result: end it with an expression, or name the "
                         "result with --of NAME")
    if type(v) is Tensor:
        return v
    if type(v) is float:
        return ops.tensor(v)
    name = f" {res.name}" if res.name else ""
    raise UsageError(f"the result{name} is {_a(type_name(v))}, not a tensor or a float "
                     f"({_picked(res)})", span=res.span, hint=_of_hint(res))


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _picked(res: ProgramResult) -> str:
    """How the result was picked, in words."""
    where = f", line {res.span.line}" if res.span is not None else ""
    if res.name is None:
        return f"picked as the last top-level expression{where}"
    if res.span is None:
        return "named by --of"
    return f"picked as the last top-level assignment{where}"


def _of_hint(res: ProgramResult) -> str:
    """Suggest --of with a variable that holds a tensor or a float, the latest bound."""
    names = [n for n, v in res.variables.items()
             if (type(v) is Tensor or type(v) is float) and n != res.name]
    if names:
        return f"name the result with --of NAME (e.g. --of {names[-1]})"
    return "name the result with --of NAME, or end the program with the expression to use"


def data(t: Tensor) -> TensorData:
    """A tensor as a plain result value."""
    return TensorData.of(t.array, dtypes.name_of(t.dtype))


def need_wrt(opts: AppOptions, command: str) -> None:
    """Commands that differentiate need at least one --wrt."""
    if not opts.wrt:
        raise UsageError(f"{command} needs --wrt NAME (the input to differentiate with "
                         "respect to)")


def unused_inputs(y: Tensor, res: ProgramResult, names: list[str],
                  allow_unused: bool) -> frozenset[str]:
    """The --wrt inputs the result does not reach through the graph. Unless allow_unused
    (--allow-unused: their derivatives are reported as zeros, marked unused), one is an
    error with PyTorch's message and a hint naming what cut the graph, and where."""
    if not y.requires_grad:
        unused = list(names)
        message = "element 0 of tensors does not require grad and does not have a grad_fn"
    else:
        reached = leaves_reached(y)
        unused = [n for n in names if id(res.inputs[n]) not in reached]
        message = (f"The differentiated Tensor at index {names.index(unused[0]) if unused else 0}"
                   " appears to not have been used in the graph. Set allow_unused=True if this "
                   "is the desired behavior.")  # torch 2.13's words (torch.autograd.grad)
    if unused and not allow_unused:
        span, why = _cut(res, unused[0])
        what = f"the result {res.name}" if res.name else "the result"
        lead = (f"{what} does not require grad" if not y.requires_grad
                else f"{what} is not connected to {unused[0]} through the graph")
        raise GdRuntimeError(message, span, hint=f"{lead}{why}; --allow-unused reports "
                             "zeros instead")
    return frozenset(unused)


def _cut(res: ProgramResult, name: str) -> tuple[Any, str]:
    """(span, words) for where the run first cut input NAME's graph, if it saw it."""
    if name in res.cuts:
        what, span = res.cuts[name]
        return span, f": {what} at {span.line}:{span.column} cut the graph"
    span = res.no_grad_at
    if span is not None:
        return span, f"; with no_grad() at {span.line}:{span.column} records no graph"
    return None, ""


def derivative(y: Tensor, x: Tensor, order: int, limits: Limits,
               progress: Callable[[str, int, int], None] | None = None) -> Tensor:
    """The order-N derivative of y w.r.t. x, shape y.shape + N × x.shape (nested reverse),
    refused before any pass when it would exceed --max-elements."""
    size = y.numel() * x.numel() ** order
    if size > limits.max_elements:  # before the passes: their number grows as fast
        raise GdLimitError(
            f"the order-{order} derivative would have {size:,} elements, more than the limit "
            f"of {limits.max_elements:,}", hint="lower --order, or raise --max-elements",
            limit="max_elements")
    return nth_derivative(y, x, order, progress)


def evaluate(source: Source, opts: AppOptions) -> EvalResult:
    """`eval`: the result and its gradient w.r.t. each --wrt input."""
    with session(opts, keep_buffers=True, source=source) as s:
        program, out = compile_program(source, opts)
        res = program.run()
        y = result_tensor(res)
        grads: dict[str, TensorData] = {}
        if opts.wrt:
            if y.numel() != 1:
                raise UsageError(
                    f"eval --wrt needs a scalar result, but {res.name or 'the result'} has "
                    f"shape {list(y.shape)}",
                    hint="use `gradcli vjp --cotangent V` for vᵀJ (what y.backward(v) gives), "
                    "`gradcli jacobian` for the full Jacobian, or reduce it (y.sum())")
            unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
            with s.final_pass():
                gs = gradients(y, [res.inputs[n] for n in opts.wrt])
            grads = {n: data(g) for n, g in zip(opts.wrt, gs, strict=True)}
            return EvalResult(data(y), res.name, grads, out.getvalue(), unused)
        own = own_leaves(y, res)
        if own:
            with s.final_pass():
                gs = gradients(y, list(own.values()))
            grads = {n: data(g) for n, g in zip(own, gs, strict=True)}
        return EvalResult(data(y), res.name, grads, out.getvalue())


def own_leaves(y: Tensor, res: ProgramResult) -> dict[str, Tensor]:
    """Without --wrt, eval differentiates a scalar result w.r.t. the program's own leaves
    that require grad (`w = torch.randn(3, requires_grad=True)`) and that it reaches,
    by the first name each is bound to."""
    if not y.requires_grad or y.numel() != 1:
        return {}
    reached = leaves_reached(y)
    found: dict[str, Tensor] = {}
    seen: set[int] = set()
    for name, v in res.variables.items():
        if (type(v) is Tensor and v.is_leaf and v.requires_grad and id(v) in reached
                and id(v) not in seen):
            found[name] = v
            seen.add(id(v))
    return found


def nth_grad(source: Source, opts: AppOptions, order: int) -> GradResult:
    """`grad --order N`."""
    need_wrt(opts, "grad")
    if order < 1:
        raise UsageError(f"--order must be at least 1, got {order}")
    with session(opts, keep_buffers=True, source=source) as s:
        program, out = compile_program(source, opts)
        res = program.run()
        y = result_tensor(res)
        unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
        with s.final_pass():
            derivs = {n: data(derivative(y, res.inputs[n], order, opts.limits, opts.progress))
                      for n in opts.wrt}
        return GradResult(data(y), res.name, order, derivs, out.getvalue(), unused)


def jvp(source: Source, opts: AppOptions, tangents: list[str]) -> JvpResult:
    """`jvp`: forward mode, J·v with v given per --wrt input."""
    need_wrt(opts, "jvp")
    if len(tangents) != len(opts.wrt):
        raise UsageError(f"jvp needs one --tangent per --wrt ({len(opts.wrt)}), got "
                         f"{len(tangents)}")
    # Forward mode: nothing is differentiated after the run.
    try:
        with session(opts, source=source):
            vs = {n: parse_vector("--tangent", t) for n, t in zip(opts.wrt, tangents,
                                                                   strict=True)}
            with cli_dual_level():
                program, out = compile_program(source, opts, tangents=vs)
                res = program.run()
                y = result_tensor(res)
                unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
                jv = y.tangent if y.tangent is not None else zeros_for(y)
                y.tangent = None
            return JvpResult(data(y), res.name, data(jv), {n: data(v) for n, v in vs.items()},
                             out.getvalue(), unused)
    except ProgramForwardAD:
        return _jvp_by_reverse(source, opts, tangents)


def _jvp_by_reverse(source: Source, opts: AppOptions, tangents: list[str]) -> JvpResult:
    """J·v from the full Jacobian, for a program that uses forward mode itself (one level
    at a time: it runs as under `gradcli run`, and the CLI's tangents stay out of it)."""
    with session(opts, keep_buffers=True, source=source) as s:
        vs = {n: parse_vector("--tangent", t) for n, t in zip(opts.wrt, tangents, strict=True)}
        program, out = compile_program(source, opts)
        res = program.run()
        y = result_tensor(res)
        for n, v in vs.items():
            if v.shape != res.inputs[n].shape:
                raise GdInputError(f"has shape {list(v.shape)} but {n} has shape "
                                   f"{list(res.inputs[n].shape)}", role="tangent", name=n)
        unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
        jv = np.zeros(y.shape, y.dtype)
        with s.final_pass():
            for n in opts.wrt:
                if n not in unused:
                    jac = derivative(y, res.inputs[n], 1, opts.limits, opts.progress).array
                    v = vs[n].array.astype(jac.dtype).reshape(-1)
                    jv += (jac.reshape(y.numel(), -1) @ v).reshape(y.shape)
        return JvpResult(data(y), res.name, data(tensor_from_array(jv)),
                         {n: data(v) for n, v in vs.items()}, out.getvalue(), unused)


def vjp(source: Source, opts: AppOptions, cotangent: str) -> VjpResult:
    """`vjp`: reverse mode, vᵀ·J (what y.backward(v) leaves in x.grad)."""
    need_wrt(opts, "vjp")
    with session(opts, keep_buffers=True, source=source) as s:
        program, out = compile_program(source, opts)
        res = program.run()
        y = result_tensor(res)
        v = parse_vector("--cotangent", cotangent, y)
        unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
        with s.final_pass():
            gs = gradients(y, [res.inputs[n] for n in opts.wrt], v)
        return VjpResult(data(y), res.name, {n: data(g) for n, g in zip(opts.wrt, gs,
                                                                        strict=True)},
                         data(v), out.getvalue(), unused)


def jacobian(source: Source, opts: AppOptions) -> JacobianResult:
    """`jacobian`: the full Jacobian, one reverse pass per output element."""
    need_wrt(opts, "jacobian")
    with session(opts, keep_buffers=True, source=source) as s:
        program, out = compile_program(source, opts)
        res = program.run()
        y = result_tensor(res)
        unused = unused_inputs(y, res, opts.wrt, opts.allow_unused)
        with s.final_pass():
            jac = {n: data(derivative(y, res.inputs[n], 1, opts.limits, opts.progress))
                   for n in opts.wrt}
        return JacobianResult(data(y), res.name, jac, out.getvalue(), unused)
