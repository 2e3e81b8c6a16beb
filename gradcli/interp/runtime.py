"""Running a gd program: parse and compile once, run, and what each run leaves behind.

`Program.compile(source, options)` parses and compiles once; `program.run()` executes
(and may be called again, e.g. for finite differences) and returns a `ProgramResult`.
The interpreter never imports rich or click: output goes through `options.write`.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import sys
from collections.abc import Iterator
from typing import Any

from gradcli.ad import ops
from gradcli.ad.ops.layout import reset_data_ptrs
from gradcli.ad.session import recording
from gradcli.ad.tensor import Node, State, Tensor
from gradcli.errors import GdInputError, GdLimitError
from gradcli.interp import exceptions
from gradcli.interp.compiler import Compiler
from gradcli.interp.frame import Frame
from gradcli.interp.pysys import ProgramExit, set_program
from gradcli.interp.runstate import NO_EXPR, ControlRecord, RunOptions, Runtime, with_form
from gradcli.records import field, record
from gradcli.source import Source, Span
from gradcli.suggest import did_you_mean
from gradcli.syntax import ast as A
from gradcli.syntax import cache as parse_cache

__all__ = ["Program", "ProgramResult", "RunOptions", "run_source"]

#: The last few programs parsed, by text and limits: a command that compiles the same
#: program again (check's reruns, --batch lines) reuses the tree (it is immutable).
_PARSED: dict[tuple[str, int, int], A.Module] = {}
_PARSED_KEPT = 4


def _parsed(source: Source, options: RunOptions) -> A.Module:
    """The program's tree: from memory, from the on-disk cache (a run of the same file
    before), or parsed now (and then kept in both)."""
    key = (source.text, options.limits.max_program_size, options.limits.max_nesting)
    module = _PARSED.get(key)
    if module is None:
        module = parse_cache.load(*key)
        if module is None:
            from gradcli.syntax import parse  # the parser loads only when it is needed

            module = parse(source, max_bytes=key[1], max_nesting=key[2])
            parse_cache.store(*key, module)
        if len(_PARSED) >= _PARSED_KEPT:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = module
    return module


@record
class ProgramResult:
    """What a run leaves: the result, the inputs, the tape and the control flow taken."""

    value: Any
    name: str | None
    span: Span | None
    variables: dict[str, Any]
    inputs: dict[str, Tensor]
    control: list[ControlRecord]
    tape: list[Node] | None
    node_names: dict[Node, str]
    leaf_names: dict[int, tuple[str, Tensor]]
    steps: int
    cuts: dict[str, tuple[str, Span]] = field(default_factory=dict)  # input -> first cut
    no_grad_at: Span | None = None  # the first `with` block that turned grad mode off


@functools.cache
def _keep_freed_memory() -> None:
    """Let glibc reuse freed big arrays instead of giving them back to the OS.

    By default a freed multi-MB numpy array is unmapped or trimmed off the heap, and the
    next one (the backward pass allocates a new array per op) is faulted in again page
    by page: W3's 1000x1000 float32 backward spent ~4 ms (a fifth of it) in page faults.
    Big blocks now come from the heap (mmap threshold 128 MiB) and up to 256 MiB of free
    heap stays mapped. Once per process; a no-op where mallopt does not exist.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 128 << 20)
    mallopt(m_trim_threshold, 256 << 20)


class Program:
    """A parsed and compiled program, runnable any number of times."""

    def __init__(self, source: Source, module: A.Module, options: RunOptions) -> None:
        self.source = source
        self.module = module
        self.options = options
        self.rt = Runtime(options)
        for target in _input_bindings(module.body):
            self.rt.first_targets.setdefault(target.id, target)
        self.assigned = set(self.rt.first_targets)
        # Inputs the program reads and never assigns (the expression `sin(x) * x**2`): an
        # override binds them before the first statement, as if it said `x = VALUE`.
        read = _names_read(module) if any(
            n not in self.assigned for n in (*options.overrides, *options.wrt)) else set()
        self.free_inputs = [n for n in options.overrides
                            if n not in self.assigned and n in read]
        for role, names in (("set", options.overrides), ("wrt", options.wrt)):
            for name in names:
                if name in self.assigned or name in self.free_inputs or (
                        role == "set" and name in options.wrt):
                    continue
                # An override replaces a binding's value, or gives one to a name the program
                # reads; a name it never mentions is a mistake (SPEC 2.1).
                if name in read:
                    raise GdInputError(f"the program reads '{name}' but gives it no value",
                                       role=role, name=name, unbound=True,
                                       hint="assign it in the program, or give it a value")
                hint = did_you_mean(name, self.assigned | read) or (
                    f"assign it (e.g. {name} = arange(4.0))" if role == "wrt"
                    else f"an input replaces the value of a variable the program assigns "
                    f"or reads: assign {name} in the program first")
                raise GdInputError(f"the program never assigns '{name}' (outside functions)",
                                   role=role, name=name, hint=hint)
        compiler = Compiler(self.rt)
        compiler.future_annotations = any(  # annotations stay their source text (PEP 563)
            isinstance(s, A.ImportFrom) and s.module == "__future__"
            and any(n.name == "annotations" for n in s.names) for s in module.body)
        self.body = compiler.block(module.body, top=True)

    @classmethod
    def compile(cls, source: Source, options: RunOptions | None = None) -> Program:
        """Parse and compile a program."""
        # The AST and the closures are many small objects that all stay alive: with the
        # collector running, compiling 10k lines took 8× longer (bench W7).
        paused = gc.isenabled()
        gc.disable()
        options = options or RunOptions()
        # Compiling walks the tree recursively: room for --max-nesting levels.
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 20_000))
        try:
            return cls(source, _parsed(source, options), options)
        except RecursionError:
            raise GdLimitError("program too deeply nested to compile",
                               hint="lower the nesting", limit="max_nesting") from None
        finally:
            sys.setrecursionlimit(old_limit)
            if paused:
                gc.enable()

    def run(self) -> ProgramResult:
        """Execute the program once."""
        _keep_freed_memory()
        reset_data_ptrs()
        State.default_meta = False  # torch.set_default_device: per run, as per process
        rt = self.rt
        rt.reset()
        set_program(self.source.name)  # sys.argv[0]
        rt.handling.clear()
        exceptions.bind_run(rt.handling, self.source)  # traceback.format_exc()
        opts = self.options
        frame = Frame(None)
        for name in self.free_inputs:  # the inputs the program reads and never assigns
            value = rt.overrides[name]
            if name not in opts.raw_overrides:
                value = with_form(value, NO_EXPR)  # a list becomes a tensor
                if name in opts.wrt and type(value) is Tensor and value.dtype.kind != "f":
                    value = ops.to_dtype(value, ops.dtypes.default_dtype())  # --wrt x=[1,2]
            rt.assign_name(frame, name, rt.bind_input(name, value, None))
        tape: list[Node] | None = [] if opts.record_tape else None
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 20_000))
        # The tape is Python objects that all stay alive; each automatic collection would
        # rescan them (a third of W1's time). Pause the collector for the run; step()
        # collects now and then so garbage cycles stay bounded.
        rt.gc_paused = gc.isenabled()
        gc.disable()
        try:
            # recording also clears the source position the run stamped; sys.exit(0) ends
            # the run as a success.
            with recording(tape), contextlib.suppress(ProgramExit):
                self.body(frame)
            # Copying the run's tables allocates: with the collector back on, that could
            # start a full collection over the whole tape.
            return self._result(frame, tape)
        except RecursionError:
            raise GdLimitError("maximum recursion depth exceeded",
                               hint="the program nests too deeply") from None
        finally:
            sys.setrecursionlimit(old_limit)
            if rt.gc_paused:
                if rt.gc_frozen:
                    gc.unfreeze()
                    rt.gc_frozen = False
                rt.gc_paused = False
                gc.enable()

    def _result(self, frame: Frame, tape: list[Node] | None) -> ProgramResult:
        rt = self.rt
        name = self.options.result_name
        if name is not None:
            if name not in frame.vars:
                raise GdInputError(f"the program has no variable '{name}'",
                                   role="of", name=name, hint=did_you_mean(name, frame.vars))
            value, span = frame.vars[name], None
        elif rt.last_expr is not NO_EXPR:
            value, span = rt.last_expr, rt.last_expr_span
        else:
            value, span, name = rt.last_value, rt.last_value_span, rt.last_value_name
            if name is not None and name in frame.vars:
                # A variable's final value: loops and branches may have rebound it since.
                value = frame.vars[name]
        return ProgramResult(
            value=value, name=name, span=span,
            variables={k: v for k, v in frame.vars.items() if "$" not in k},  # not match's
            inputs=dict(rt.inputs), control=list(rt.controls), tape=tape,
            node_names=dict(rt.node_names), leaf_names=dict(rt.leaf_names), steps=rt.steps,
            cuts=dict(rt.cuts), no_grad_at=rt.no_grad_at)


def _input_bindings(body: tuple[A.Stmt, ...]) -> Iterator[A.Name]:
    """Name targets of assignments in program order, through if/while/for/with blocks but
    not into function bodies (a function's names are its own)."""
    for stmt in body:
        if isinstance(stmt, A.Assign):
            for target in stmt.targets:
                yield from _names_in_target(target)
        elif isinstance(stmt, A.If):
            yield from _input_bindings(stmt.body)
            yield from _input_bindings(stmt.orelse)
        elif isinstance(stmt, (A.While, A.For, A.With)):
            yield from _input_bindings(stmt.body)
            if not isinstance(stmt, A.With):
                yield from _input_bindings(stmt.orelse)
        elif isinstance(stmt, A.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse,
                          stmt.finalbody):
                yield from _input_bindings(block)


def _names_in_target(target: A.Expr) -> Iterator[A.Name]:
    if isinstance(target, A.Name):
        if "$" not in target.id:  # a match statement's own names are no program inputs
            yield target
    elif isinstance(target, (A.Tuple, A.List)):
        for elt in target.elts:
            yield from _names_in_target(elt)
    elif isinstance(target, A.Starred):
        yield from _names_in_target(target.value)


def run_source(text: str, name: str = "<expr>", options: RunOptions | None = None) -> ProgramResult:
    """Parse, compile and run gd source text."""
    return Program.compile(Source(name, text), options).run()


def _names_read(module: A.Module) -> set[str]:
    """Every name the program's expressions mention (a superset of what it reads)."""
    return {node.id for node in A.walk(module) if type(node) is A.Name}
