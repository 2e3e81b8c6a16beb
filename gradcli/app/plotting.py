"""`plot`: the result and its first N derivatives along a sweep of one input.

A scalar input X sweeps [A, B]; a tensor input sweeps X0 + t·V for t in [A, B] (X0 the
program's own value of X, or its --set value), and the derivatives are directional:
d/dt f(X0 + t·V). The program is parsed and compiled once and run once per point, so
control flow is evaluated per point (relu's kink is where it is).
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.ad import ops
from gradcli.ad.functional import gradients
from gradcli.ad.graph import tensor_from_array
from gradcli.ad.tensor import Tensor
from gradcli.app.inputs import AppOptions, parse_sets, parse_vector
from gradcli.app.running import compile_program, result_tensor, session
from gradcli.errors import GdInputError, GdLimitError, UsageError
from gradcli.results import PlotResult, TensorData
from gradcli.source import Source

MAX_POINTS = 10_000


def series_names(order: int, x: str = "x") -> list[str]:
    """"y", "dy/dx", "d2y/dx2", … up to `order`."""
    return ["y"] + [f"dy/d{x}" if k == 1 else f"d{k}y/d{x}{k}" for k in range(1, order + 1)]


def plot(source: Source, opts: AppOptions, start: float, stop: float, *, order: int = 1,
         points: int = 101, direction: str | None = None) -> PlotResult:
    """Sample the result and its derivatives up to `order` at `points` points."""
    if len(opts.wrt) != 1:
        raise UsageError("plot needs exactly one --wrt NAME (the input to sweep)")
    if not 2 <= points <= MAX_POINTS:
        raise UsageError(f"--points must be between 2 and {MAX_POINTS:,}, got {points}")
    if not (math.isfinite(start) and math.isfinite(stop)) or start == stop:
        raise UsageError(f"--from and --to must be two different finite numbers, got "
                         f"{start} and {stop}")
    name = opts.wrt[0]
    xs = np.linspace(start, stop, points).tolist()
    values: list[list[float]] = [[] for _ in range(order + 1)]
    with session(opts, keep_buffers=True, source=source) as s:
        sets = parse_sets(opts.sets, opts.wrt)
        # One run as the program stands: its prints are what the program printed, and it
        # gives the input's own value (X0). The runs per point are silent.
        try:
            program, out = compile_program(source, opts, overrides=sets)
        except GdInputError as e:
            if not (e.unbound and e.name == name and name not in sets):
                raise
            # An input the program reads and never assigns (-e 'sin(x)'): the sweep's
            # first point gives it its value for this run.
            sets[name] = float(start)
            program, out = compile_program(source, opts, overrides=sets)
        generator = ops.generator()
        start_state = generator.get_state()  # every point draws the same random numbers
        first = program.run()
        printed = out.getvalue()
        x0 = first.inputs[name].detach()
        base, v = None, None
        if direction is not None:
            base = x0
            v = parse_vector("--direction", direction, base)
        elif x0.numel() != 1:
            raise UsageError(f"{name} has {x0.numel()} elements: a tensor input sweeps along "
                             "a direction, X0 + t·V with --direction V")
        # An input the program bound itself (x = torch.randn(())) still draws at every
        # point, so what the program draws after it is the first run's.
        replayed = frozenset() if name in sets else frozenset({name})
        program, _ = compile_program(
            source, opts, overrides=sets, write=_discard,
            raw_overrides=frozenset({name}) if base is not None else frozenset(),
            replayed=replayed)
        budget = opts.limits.max_steps
        for t in xs:
            if base is not None:
                sets[name] = tensor_from_array((base.array + t * v.array).astype(base.dtype))
            else:
                sets[name] = t
            generator.set_state(start_state)
            res = program.run()
            budget -= res.steps + 1
            if budget < 0:
                raise GdLimitError(
                    f"step limit reached: {points} runs of the program need more than "
                    f"{opts.limits.max_steps:,} loop iterations and calls",
                    hint="plot fewer --points, or raise --max-steps", limit="max_steps")
            y = result_tensor(res)
            x = res.inputs[name]
            if y.numel() != 1:
                raise UsageError(f"plot needs a scalar result, but {res.name or 'the result'}"
                                 f" has shape {list(y.shape)}", hint="reduce it (y.sum())")
            with s.final_pass():
                for k, d in enumerate(_directional(y, x, v, order)):
                    values[k].append(float(d))
    names = series_names(order, name if v is None else "t")
    marks = {"jump": jumps(xs, values[0]), "kink": jumps(xs, values[1]) if order else []}
    return PlotResult(name, xs, dict(zip(names, values, strict=True)), marks,
                      res.name, None if v is None else TensorData.of(v.array, "float32"),
                      printed)


def _discard(text: str) -> None:
    """Where the runs per point print."""


def _directional(y: Tensor, x: Tensor, v: Tensor | None, order: int) -> list[float]:
    """y, dy/dt, …, d^order y/dt^order for x(t) = x0 + t·v (v = 1 for a scalar x)."""
    out = [float(y.item())]
    d = y
    for k in range(order):
        if not d.requires_grad:
            out += [0.0] * (order - k)
            break
        (g,) = gradients(d, [x], create_graph=k < order - 1)
        d = ops.sum(g * v) if v is not None else ops.sum(g)
        out.append(float(d.item()))
    return out


def jumps(xs: list[float], d: list[float]) -> list[float]:
    """Where the sampled function `d` jumps: steps between samples far larger than the
    steps two samples away on both sides, and not small against d's range (a jump of the
    first derivative is a kink of the result). Adjacent such steps are one jump."""
    a = np.asarray(d, dtype=np.float64)
    if a.size < 5 or not np.isfinite(a).any():
        return []
    steps = np.abs(np.diff(a))
    finite = a[np.isfinite(a)]
    scale = float(finite.max() - finite.min())
    hits = []
    for i, s in enumerate(steps):
        if not np.isfinite(s) or s == 0 or s <= 0.05 * scale:
            continue
        far = [steps[j] for j in (i - 2, i + 2) if 0 <= j < steps.size]
        if far and all(np.isfinite(b) and s > 8 * b for b in far):
            hits.append(i)
    found: list[float] = []
    group: list[int] = []
    for i in [*hits, None]:
        if group and (i is None or i != group[-1] + 1):
            found.append(round((xs[group[0]] + xs[group[-1] + 1]) / 2, 12) + 0.0)
            group = []
        if i is not None:
            group.append(i)
    return found
