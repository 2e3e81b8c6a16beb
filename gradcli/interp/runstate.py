"""What a program's closures share while it runs: options, the Runtime (steps, limits,
calls, inputs, printing) and gd functions.

The compiler builds closures that call into a Runtime; `runtime.Program` ties the two
together. This module imports neither."""

from __future__ import annotations

import gc
import sys
from array import array
from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.cotangents import accumulate
from gradcli.ad.identity import IDENTITIES, at
from gradcli.ad.node_call import call_node
from gradcli.ad.tensor import Node, State, Tensor, check_memory
from gradcli.errors import GdError, GdInputError, GdLimitError, GdRuntimeError
from gradcli.interp import (
    exceptions,
    pyfuncattrs,
    pyitertools,
    pymodules,
    pysys,
    serialization,
    stdlib,
)
from gradcli.interp.builtins import registry
from gradcli.interp.classes import ABSTRACT, BoundGdMethod, ClassValue, InstanceValue
from gradcli.interp.dunders import reset_hashes
from gradcli.interp.frame import RETURN, Frame
from gradcli.interp.nn_module import BUFFER_MARKS
from gradcli.interp.numpy_poly import Poly1d
from gradcli.interp.values import (
    AccumulateGrad,
    BoundMethod,
    Builtin,
    FunctionBase,
    GradModeDecorator,
    to_str,
    type_name,
)
from gradcli.limits import DEFAULT_LIMITS, Limits
from gradcli.records import field, record
from gradcli.source import Span
from gradcli.syntax import ast as A

# While a program runs, Python's cyclic GC is paused (see Program.run); every 4096 steps, once
# this many new container objects have piled up and the process holds more than half of
# its memory limit, one collection runs and freezes survivors. Below that, garbage cycles
# wait: each collection scans every object the tape gained since the last one (W9: a
# third of a 10^6-op run's forward pass, where PyTorch's tape costs no collections).
GC_BUDGET = 200_000


#: gd modules loaded on first use (the `random` module, torch.nn's family) that keep
#: per-run state: a run resets those loaded (one not loaded yet is in its first state).
RESET_IF_LOADED = ("gradcli.interp.pyrandom", "gradcli.interp.nn_parametrize",
                   "gradcli.interp.devices", "gradcli.interp.torch_settings")

MAX_CUTS = 64  # graph cuts remembered per run (for the "not used" hint)
NO_EXPR = object()  # no top-level expression statement with a value ran


@record
class RunOptions:
    """How to run a program: inputs, limits, what to record, where prints go."""

    overrides: dict[str, Any] = field(default_factory=dict)  # --set NAME=VALUE (gd values)
    wrt: list[str] = field(default_factory=list)  # --wrt NAME
    tangents: dict[str, Tensor] = field(default_factory=dict)  # forward-mode seeds
    result_name: str | None = None  # --of NAME
    limits: Limits = DEFAULT_LIMITS  # steps, depth, program size, nesting, output
    record_tape: bool = False  # keep every node (graph, explain, check)
    # With record_tape: note where each loop iteration starts on the tape (graph and
    # explain's loop blocks; check reads none and skips the work).
    mark_loops: bool = True
    track_names: bool = False  # remember which variable each tensor was bound to
    write: Callable[[str], object] = sys.stdout.write
    # Overrides bound exactly as given, not in the form of the program's binding (check's
    # reruns: their values already have it, and a perturbation must not be rounded).
    raw_overrides: frozenset[str] = frozenset()
    # Overrides whose binding's own expression still runs first, its random draws kept
    # (check's and plot's reruns of an input the first run bound itself: the rest of the
    # program draws what it drew then).
    replayed: frozenset[str] = frozenset()
    on_steps: Callable[[int], None] | None = None  # called every 65,536 steps (progress)


@record
class ControlRecord:
    """What one if/while/for did during the run."""

    kind: str  # "if" | "while" | "for"
    span: Span
    branches: list[int]  # if: times each branch ran (if, elif…, else)
    has_else: bool
    iterations: list[int] = field(default_factory=list)  # loops: iterations per execution
    depends_on_input: bool = False  # a condition used a value that requires grad
    evaluations: int = 0


REQUIRED = object()  # the default of a parameter that has none

# What a def or lambda has beyond plain parameters: the *args name, the keyword-only
# parameters with their defaults (REQUIRED if none), the **kwargs name, the names of the
# positional-only parameters (before `/`).
Extra = tuple[str | None, list[tuple[str, Any]], str | None, tuple[str, ...]]


class GdFunction(FunctionBase):
    """A function defined in gd (def or lambda): callable from gd and from Python."""

    __slots__ = ("annotations", "attrs", "body", "closure", "defaults", "extra", "name", "rt",
                 "span")
    # fn.__doc__, fn.__wrapped__, fn.calls = 0 ...: Python's function attributes (pyfuncattrs)
    gd_private_names = pyfuncattrs.READABLE

    def __init__(self, rt: Runtime, name: str, defaults: list[tuple[str, Any]],
                 body: Callable[[Frame], Any], closure: Frame, span: Span,
                 extra: Extra | None = None) -> None:
        self.rt = rt
        self.name = name
        self.defaults = defaults
        self.body = body
        self.closure = closure
        self.span = span
        self.extra = extra
        self.attrs: dict[str, Any] | None = None  # __doc__, __wrapped__, the program's own
        # A def's annotations, unevaluated: ((name, compiled expression, source text or
        # None), ...), its parameters' then "return", and the frame the def ran in
        # (first_annotation and fn.__annotations__ evaluate them), or None.
        self.annotations: tuple[tuple[tuple[str, Any, str | None], ...], Any] | None = None

    @staticmethod
    def gd_attribute(fn: GdFunction, name: str) -> Any:
        return pyfuncattrs.get(fn, name)

    def first_annotation(self) -> tuple[str, Any] | None:
        """The first annotated parameter's name and its annotation, evaluated now in the
        scope the def ran in (as typing.get_type_hints reads it), or None."""
        if self.annotations is None:
            return None
        (name, expr, _), *_ = self.annotations[0]
        return name, expr(self.annotations[1])

    def type_hints(self) -> dict[str, Any]:
        """typing.get_type_hints(fn): each annotation evaluated, a string one (a forward
        reference, or any annotation under `from __future__ import annotations`) read as
        the dotted name it spells in the scope the def ran in."""
        if self.annotations is None:
            return {}
        entries, frame = self.annotations
        hints = {}
        for name, expr, _ in entries:
            value = expr(frame)
            hints[name] = self._resolve(value, frame) if type(value) is str else value
        return hints

    def _resolve(self, text: str, frame: Frame) -> Any:
        from gradcli.interp.attributes import get_attribute

        head, *rest = text.strip().split(".")
        scope: Frame | None = frame
        while scope is not None and head not in scope.vars:
            scope = scope.parent
        if scope is not None:
            value = scope.vars[head]
        elif head in self.rt.builtins:
            value = self.rt.builtins[head]
        else:
            raise GdRuntimeError(f"name '{head}' is not defined", py_type="NameError")
        for part in rest:
            value = get_attribute(value, part)
        return value

    def annotation_dict(self) -> dict[str, Any]:
        """fn.__annotations__: each annotation's value (its source text under `from
        __future__ import annotations`), by name, "return" last."""
        if self.annotations is None:
            return {}
        entries, frame = self.annotations
        return {name: expr(frame) if text is None else text for name, expr, text in entries}

    @staticmethod
    def gd_set_attribute(fn: GdFunction, name: str, value: Any) -> None:
        pyfuncattrs.set_(fn, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.invoke(list(args), kwargs or None)

    def invoke(self, pos: list[Any], kw: dict[str, Any] | None) -> Any:
        """Bind arguments as Python does, run the body, return its value."""
        if self.extra is not None:
            return self._run(self._bind_extra(pos, kw))
        rt = self.rt
        rt.step(self.span)
        frame = Frame(self.closure)
        names = self.defaults
        if len(pos) > len(names):
            raise self._too_many(len(pos))
        v = frame.vars
        for (pname, _), a in zip(names, pos, strict=False):
            v[pname] = a
        if kw:
            known = {n for n, _ in names}
            for k, a in kw.items():
                if k not in known:
                    raise self._type_error(f"got an unexpected keyword argument '{k}'")
                if k in v:
                    raise self._type_error(f"got multiple values for argument '{k}'")
                v[k] = a
        if len(v) < len(names):
            missing = [p for p, default in names if p not in v and default is REQUIRED]
            if missing:
                raise self._missing(missing, "positional")
            for pname, default in names:
                if pname not in v:
                    v[pname] = default
        rt.depth += 1
        if rt.depth > rt.max_depth:
            rt.depth = 0
            raise GdLimitError(f"maximum recursion depth ({rt.max_depth}) exceeded in "
                               f"{self.name}()",
                               limit="max_depth")
        try:
            r = self.body(frame)
        finally:
            rt.depth -= 1
        return frame.ret if r is RETURN else None

    def _bind_extra(self, pos: list[Any], kw: dict[str, Any] | None) -> Frame:
        """Bind arguments to a signature with *args, keyword-only parameters or **kwargs."""
        self.rt.step(self.span)
        star, kwonly, dstar, posonly = self.extra  # type: ignore[misc]
        frame = Frame(self.closure)
        v = frame.vars
        names = self.defaults
        n = len(names)
        if len(pos) > n and star is None:
            raise self._too_many(len(pos))
        for (pname, _), a in zip(names, pos, strict=False):
            v[pname] = a
        if star is not None:
            v[star] = tuple(pos[n:])
        rest: dict[str, Any] = {}
        if kw:
            known = {p for p, _ in names} | {p for p, _ in kwonly}
            given = [k for k in kw if k in posonly] if dstar is None else ()
            if given:
                raise self._type_error("got some positional-only arguments passed as keyword "
                                       f"arguments: '{', '.join(given)}'")
            for k, a in kw.items():
                if k in known and k not in posonly:
                    if k in v:
                        raise self._type_error(f"got multiple values for argument '{k}'")
                    v[k] = a
                elif dstar is not None:
                    rest[k] = a
                else:
                    raise self._type_error(f"got an unexpected keyword argument '{k}'")
        for group, kind in ((names, "positional"), (kwonly, "keyword-only")):
            missing = [p for p, default in group if p not in v and default is REQUIRED]
            if missing:
                raise self._missing(missing, kind)
            for p, default in group:
                if p not in v:
                    v[p] = default
        if dstar is not None:
            v[dstar] = rest
        return frame

    def _type_error(self, text: str) -> GdRuntimeError:
        return GdRuntimeError(f"{self.name}() {text}", py_type="TypeError")

    def _too_many(self, given: int) -> GdRuntimeError:
        """Python's words for too many positional arguments."""
        names = self.defaults
        most = len(names)
        least = sum(1 for _, default in names if default is REQUIRED)
        takes = f"from {least} to {most}" if least != most else str(most)
        return self._type_error(
            f"takes {takes} positional argument{'s' if most != 1 else ''} but {given} "
            f"{'was' if given == 1 else 'were'} given")

    def _missing(self, missing: list[str], kind: str) -> GdRuntimeError:
        """Python's words for missing arguments: 'a', 'a' and 'b', 'a', 'b', and 'c'."""
        quoted = [f"'{p}'" for p in missing]
        shown = (quoted[0] if len(quoted) == 1 else " and ".join(quoted) if len(quoted) == 2
                 else ", ".join(quoted[:-1]) + ", and " + quoted[-1])
        return self._type_error(f"missing {len(missing)} required {kind} argument"
                                f"{'s' if len(missing) != 1 else ''}: {shown}")

    def _run(self, frame: Frame) -> Any:
        rt = self.rt
        rt.depth += 1
        if rt.depth > rt.max_depth:
            rt.depth = 0
            raise GdLimitError(f"maximum recursion depth ({rt.max_depth}) exceeded in "
                               f"{self.name}()", limit="max_depth")
        try:
            r = self.body(frame)
        finally:
            rt.depth -= 1
        return frame.ret if r is RETURN else None

    def __repr__(self) -> str:
        return f"<function {self.name}{at(self)}>"


GdFunction.__name__ = "function"  # as Python's own messages name it

def _call_node(node: Node, pos: list[Any], kw: dict[str, Any] | None) -> Any:
    if node.rule.kind == "custom" or node.rule.python_function:
        raise GdRuntimeError(f"'{node.name}' object is not callable", py_type="TypeError")
    if kw:
        raise GdRuntimeError("keyword arguments are not supported", py_type="TypeError")
    return call_node(node, tuple(pos))


CALLABLE_TYPES = (GdFunction, Builtin, BoundMethod, GradModeDecorator, BoundGdMethod,
                  ClassValue, InstanceValue, Poly1d)


class Runtime:
    """Per-program state shared by all of its closures."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.registry = registry()
        self.builtins: dict[str, Any] = dict(self.registry.bare)
        self.builtins["print"] = Builtin("print", self._print,
                                         "print(*values, sep=' ', end='\\n')")
        self.overrides = options.overrides
        self.wrt = set(options.wrt)
        self.track_names = options.track_names
        self.max_steps = options.limits.max_steps
        self.max_depth = options.limits.max_depth
        self.max_output = options.limits.max_output
        self.gc_paused = False  # Program.run paused the collector: collect in step()
        self.gc_frozen = False
        # Where each program input is first bound: the Name target of the first assignment
        # in program order outside function bodies (`--set` overrides it, `--wrt` marks it).
        self.first_targets: dict[str, A.Name] = {}
        self.controls: list[ControlRecord] = []
        self.handling: list[GdError] = []  # the errors `except` blocks are handling
        self.reset()

    def reset(self) -> None:
        """Clear per-run state so the compiled program can run again."""
        IDENTITIES.clear()  # id() and default reprs' addresses: the same every run
        stdlib.reset()  # np.random from its seed, warnings shown again
        pymodules.reset(self._print)  # time's clock, sys.stdout
        reset_hashes()  # identity hashes of gd instances from 1 again
        ABSTRACT.clear()  # abc.abstractmethod's marks of an earlier run
        serialization.reset()  # torch.save's in-memory files: none yet
        BUFFER_MARKS.clear()  # nn.Buffer's tensors: none yet
        for name in RESET_IF_LOADED:  # `import random` from seed 0, no parametrize cache
            module = sys.modules.get(name)
            if module is not None:
                module.reset()
        pyitertools.bind(lambda: self.step(None))  # itertools' items are steps
        self.steps = 0
        self.printed = 0  # characters printed (--max-output)
        self.quiet = 0  # > 0 while an overridden binding's expression runs for its form
        self.depth = 0
        # The result candidates: the last top-level expression statement with a value
        # (_NO_EXPR if none ran), else the last top-level assignment.
        self.last_expr: Any = NO_EXPR
        self.last_expr_span: Span | None = None
        self.last_value: Any = None
        self.last_value_span: Span | None = None
        self.last_value_name: str | None = None
        self.inputs: dict[str, Tensor] = {}
        # Where each --wrt input's graph was first cut: a call returned a value without grad
        # from an argument (or a method's tensor) connected to the input (detach(), item(),
        # tensor(list), float(x), a no_grad function). Named when the input turns out not
        # to reach the result. At most MAX_CUTS graph walks per run; nothing is kept alive.
        self.cuts: dict[str, tuple[str, Span]] = {}
        self.cut_walks = 0
        self.no_grad_at: Span | None = None  # the first `with` block turning grad mode off
        # Loop iteration starts, recorded for a view (graph, explain): flat triples (index in
        # controls, iteration n (0: the loop ended), State.seq) (see compiler._loop_marks).
        self.loop_marks = array("q")
        self.node_names: dict[Node, str] = {}
        self.leaf_names: dict[int, tuple[str, Tensor]] = {}
        for c in self.controls:
            c.branches = [0] * len(c.branches)
            c.iterations = []
            c.depends_on_input = False
            c.evaluations = 0

    # -- called by compiled closures ------------------------------------------------------
    def _print(self, *args: Any, sep: Any = " ", end: Any = "\n", flush: bool = False,
               file: Any = None) -> None:
        for what, v in (("sep", sep), ("end", end)):
            if v is not None and type(v) is not str:
                raise GdRuntimeError(f"{what} must be None or a string, not {type_name(v)}")
        if self.quiet or State.muted:
            return
        between = " " if sep is None else sep
        parts: list[str] = []
        try:
            for i, a in enumerate(args):
                if i:
                    parts.append(between)
                parts.append(to_str(a))
        except BaseException:
            if parts:  # Python's print wrote the arguments before the failing one
                self._write("".join(parts), file)
            raise
        self._write("".join(parts) + ("\n" if end is None else end), file)

    def _write(self, text: str, file: Any) -> None:
        """print's text to its file (the program's output: counted against the limit)."""
        if file is not None and file is not pysys.STDOUT:
            pysys.write(file, text)  # sys.stderr, io.StringIO
            return
        self.printed += len(text)
        if self.printed > self.max_output:
            raise GdLimitError(
                f"output limit reached: the program printed more than "
                f"{self.max_output:,} characters",
                hint="print less (a loop printing large values?)", limit="max_output")
        self.options.write(text)

    def step(self, span: Span) -> None:
        """Count a loop iteration or call; stop past the max_steps limit."""
        self.steps += 1
        if not self.steps & 0xFFF:
            self._every_4096_steps(span)
        if self.steps > self.max_steps:
            raise GdLimitError(
                f"step limit reached: more than {self.max_steps:,} loop iterations and calls",
                span, hint="an endless loop?", limit="max_steps")

    def _every_4096_steps(self, span: Span) -> None:
        try:
            used = check_memory()  # a loop that keeps growing lists, strings or the graph
        except GdError as e:
            raise e.at(span) from None
        if not self.steps & 0xFFFF and self.options.on_steps is not None:
            self.options.on_steps(self.steps)
        if (self.gc_paused and gc.get_count()[0] > GC_BUDGET
                and used > State.max_memory // 2):
            # Bound the garbage cycles a long run can leave, scanning each object once:
            # survivors (mostly the tape) are frozen, so later collections skip them.
            gc.collect()
            gc.freeze()
            self.gc_frozen = True

    def call(self, fn: Any, pos: list[Any], kw: dict[str, Any] | None, span: Span) -> Any:
        """Call a gd value."""
        if type(fn) is GdFunction:
            return fn.invoke(pos, kw)
        if isinstance(fn, CALLABLE_TYPES):
            return fn(*pos, **kw) if kw else fn(*pos)
        if type(fn) is Node:  # y.grad_fn(grad): the node's formula on grad
            return _call_node(fn, pos, kw)
        if type(fn) is AccumulateGrad and len(pos) == 1 and not kw and type(pos[0]) is Tensor:
            accumulate(fn.variable, pos[0], pos[0].requires_grad and State.grad_enabled)
            return ()  # (acc(grad) adds into the leaf's .grad, as PyTorch's node does)
        raise GdRuntimeError(f"'{type_name(fn)}' object is not callable", span)

    def make_function(self, name: str, defaults: list[tuple[str, Any]],
                      body: Callable[[Frame], Any], frame: Frame, span: Span,
                      extra: Extra | None = None, closure: Frame | None = None,
                      doc: str | None = None) -> GdFunction:
        """A function value, with default values evaluated now (as Python does); `closure`
        is the scope its body sees (a method skips its class body), by default `frame`."""
        evaluated = [(n, d(frame) if d is not None else REQUIRED) for n, d in defaults]
        if extra is not None:
            star, kwonly, dstar, posonly = extra
            extra = (star, [(n, d(frame) if d is not None else REQUIRED) for n, d in kwonly],
                     dstar, posonly)
        fn = GdFunction(self, name, evaluated, body, closure or frame, span, extra)
        if doc is not None:
            fn.attrs = {"__doc__": doc}
        return fn

    def control_record(self, kind: str, span: Span, n_tests: int, has_else: bool) -> ControlRecord:
        """A new record for an if/while/for statement."""
        rec = ControlRecord(kind, span, [0] * (n_tests + (1 if has_else else 0)), has_else)
        self.controls.append(rec)
        return rec

    def note_condition(self, rec: ControlRecord, value: Any, seq_before: int) -> None:
        """Remember whether a condition depended on a value that requires grad."""
        rec.evaluations += 1
        if State.seq != seq_before or (type(value) is Tensor and value.requires_grad):
            rec.depends_on_input = True

    def is_input_binding(self, target: A.Name) -> bool:
        """Whether this Name target is where its variable is first bound (an input)."""
        return self.first_targets.get(target.id) is target

    def assign_name(self, frame: Frame, name: str, v: Any) -> None:
        """Bind a name, remembering which tensor or node it names (for the graph)."""
        frame.vars[name] = v
        if self.track_names and type(v) is Tensor:
            fn = v.grad_fn
            if fn is not None:
                self.node_names.setdefault(fn, name)
            else:
                self.leaf_names.setdefault(id(v), (name, v))

    def note_cut(self, fn: Any, pos: list[Any], span: Span) -> None:
        """A call returned a value without grad: if an argument (or the method's tensor)
        required grad, remember the call for each input it was connected to."""
        if not self.inputs or self.cut_walks >= MAX_CUTS or len(self.cuts) == len(self.inputs):
            return
        args = [fn.obj, *pos] if type(fn) is BoundMethod else pos
        for a in args:
            if type(a) is list or type(a) is tuple:
                a = next((e for e in a if type(e) is Tensor and e.requires_grad), None)
            if type(a) is Tensor and a.requires_grad:
                what = f".{fn.name}()" if type(fn) is BoundMethod else \
                    f"{getattr(fn, 'name', type_name(fn))}()"
                self.note_cut_of(what, a, span)
                return

    def note_cut_of(self, what: str, a: Tensor, span: Span) -> None:
        """`what` made a value without grad out of a, which requires grad."""
        if not self.inputs or self.cut_walks >= MAX_CUTS or len(self.cuts) == len(self.inputs):
            return
        self.cut_walks += 1
        reached = leaves_reached(a)
        for name, x in self.inputs.items():
            if name not in self.cuts and id(x) in reached:
                self.cuts[name] = (what, span)

    def note_no_grad(self, span: Span) -> None:
        """A `with` block turned grad mode off."""
        if self.no_grad_at is None:
            self.no_grad_at = span

    def set_value(self, name: str, program_value: Callable[[], Any]) -> Any:
        """The override of input NAME in the form of the program's own binding (SPEC 2.1):
        the value is replaced, the form kept. The program's expression is evaluated only to
        learn its form: quietly, and with the random generator put back, so the run goes on
        as if the source had said `NAME = VALUE`."""
        value = self.overrides[name]
        raw = name in self.options.raw_overrides
        replayed = name in self.options.replayed
        if raw and not replayed:
            return value
        gen = ops.generator()
        state = gen.get_state()
        self.quiet += 1
        try:
            form = program_value()
        except GdLimitError:
            raise
        except GdError:
            form = NO_EXPR  # an expression that fails has no form: the value as given
        finally:
            self.quiet -= 1
            if not replayed:
                gen.set_state(state)
        if raw:
            return value
        try:
            return with_form(value, form)
        except GdLimitError:
            raise
        except GdError as e:  # a ragged list, a value no tensor can hold: a bad input
            raise GdInputError(e.message, role="set", name=name) from None

    def bind_input(self, name: str, v: Any, span: Span | None) -> Any:
        """Mark a program input to differentiate with respect to (and give it its forward-mode
        tangent) as it is bound."""
        if name not in self.wrt:
            return v
        if type(v) is not Tensor:
            try:
                v = ops.tensor(v)
            except GdError:
                raise GdInputError(f"{name} is a {type_name(v)}, not a tensor",
                                   role="wrt", name=name, span=span) from None
            if v.dtype.kind != "f":
                v = ops.to_dtype(v, ops.dtypes.default_dtype())
        if v.grad_fn is not None:
            raise GdInputError(
                f"{name} is not a leaf: it is computed by {v.grad_fn.name}",
                role="wrt", name=name, span=span,
                hint=f"differentiate with respect to the inputs {name} is computed from, "
                "or give it a value")
        if v.dtype.kind != "f":
            raise GdInputError(
                f"only floating point tensors can require gradients, but {name} "
                f"has dtype torch.{v.dtype.name}", role="wrt", name=name, span=span,
                hint="make it a float tensor, e.g. arange(4.0) instead of arange(4)")
        if not v.requires_grad:
            v.requires_grad_(True)
        t = self.options.tangents.get(name)
        if t is not None:
            if t.shape != v.shape:
                raise GdInputError(f"has shape {list(t.shape)} but {name} "
                                   f"has shape {list(v.shape)}", role="tangent", name=name,
                                   span=span)
            v.tangent = ops.to_dtype(t, v.dtype) if t.dtype != v.dtype else t
        self.inputs[name] = v
        if self.track_names:
            self.leaf_names.setdefault(id(v), (name, v))
        return v

    def import_error(self, module: str, span: Span) -> GdRuntimeError:
        """The error for an import gd does not allow: a ModuleNotFoundError to an
        `except ImportError:` around it (as on a machine without that module), gd's
        refusal when nothing catches it."""
        err = GdRuntimeError(
            f"import of '{module}' is not allowed in gd", span,
            hint="gd programs may import torch, torch.nn, torch.nn.functional, torch.autograd, "
            "torch.autograd.functional, torch.func, torch.linalg, torch.optim, torch.utils.data, "
            "torch.utils.checkpoint, "
            "torch.distributions, math, typing, numpy, random, itertools, functools, "
            "collections, copy, dataclasses, warnings, " + ", ".join(pymodules.NAMES[:-1])
            + " and " + pymodules.NAMES[-1])
        top = module.split(".")[0]
        missing = module if top == "torch" or self.registry.module(top) is not None else top
        err.py_type = "ModuleNotFoundError"
        err.exception = exceptions.ExceptionValue(  # type: ignore[attr-defined]
            exceptions.CLASSES["ModuleNotFoundError"], (f"No module named '{missing}'",), err)
        return err


def with_form(value: Any, form: Any) -> Any:
    """An input override given the form of the program's value `form` (NO_EXPR: unknown).

    A tensor stays a tensor, of the program's dtype (an integer one is not given a float
    value, which would truncate it) and, for a leaf, its requires_grad; a Python number
    stays a number (a float stays a float); a list stays a list. A fresh object each time,
    so a program changing its input in place does not change the next run's."""
    if type(form) is Tensor:
        if type(value) is Tensor:
            t = ops.clone(value.detach())
        elif isinstance(value, (int, float, list, tuple)):
            t = ops.tensor(list(value) if isinstance(value, tuple) else value)
        else:
            return value
        if t.dtype != form.dtype and (form.dtype.kind == "f" or t.dtype.kind != "f"):
            t = ops.to_dtype(t, form.dtype)
        if form.requires_grad and form.grad_fn is None and t.dtype.kind == "f":
            t.requires_grad_(True)
        return t
    if type(form) is float and type(value) in (int, bool):
        return float(value)
    if isinstance(form, (list, tuple)) and isinstance(value, (list, tuple)):
        return _copy_list(value, type(form))
    if type(form) in (int, float, bool) and isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):  # no form known or another type: a tensor
        return ops.tensor(list(value))
    if type(value) is Tensor:
        return ops.clone(value.detach())
    return value


def _copy_list(value: Any, kind: type) -> Any:
    items = [_copy_list(v, list) if isinstance(v, (list, tuple)) else v for v in value]
    return tuple(items) if kind is tuple else items


def leaves_reached(y: Tensor) -> set[int]:
    """ids of the leaf tensors y's graph reaches (y itself if it is a leaf)."""
    if y.grad_fn is None:
        return {id(y)}
    seen = {y.grad_fn}
    stack = [y.grad_fn]
    leaves: set[int] = set()
    while stack:
        node = stack.pop()
        for p in node.parents:
            if type(p) is Tensor:
                leaves.add(id(p))
            elif p is not None and p not in seen:
                seen.add(p)
                stack.append(p)
    return leaves
