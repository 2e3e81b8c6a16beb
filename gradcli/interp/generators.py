"""Generator functions: a def whose body has `yield` or `yield from`.

Calling one binds its arguments and returns a generator (GdGenerator); its body runs as
the generator is iterated. The statements that hold a yield are compiled into Python
generator functions (`run(frame)` yields the values and returns the statement's signal),
the others as usual; Python's own generators then suspend and resume the body. Every
yield and every item `yield from` passes on is a step, so a generator consumed by list()
or sum() counts against the step limit as a loop does, and no `try` swallows a limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gradcli.ad.identity import at
from gradcli.errors import GdError, GdRuntimeError, GdSyntaxError
from gradcli.interp import exceptions, pymethods
from gradcli.interp.classes import InstanceValue
from gradcli.interp.frame import BREAK, CONTINUE, RETURN, Frame, Stmt
from gradcli.interp.operators import CAUGHT, iterate, runtime_error, truth
from gradcli.interp.stmt_forms import matching_handler
from gradcli.interp.values import (
    Builtin,
    ContextValue,
    IteratorValue,
    is_context_manager,
    type_name,
)
from gradcli.syntax import ast as A

# A compiled statement of a generator body: frame -> a Python generator returning the
# statement's signal (None, BREAK, CONTINUE or RETURN).
GenStmt = Callable[[Frame], Iterator[Any]]

_COMPOUND = (A.If, A.While, A.For, A.With, A.Try)


class GdGenerator(IteratorValue):
    """What calling a generator function returns: prints as <generator object NAME>."""

    __slots__ = ("name", "started")

    def __new__(cls, name: str, it: Any) -> GdGenerator:
        return object.__new__(cls)

    def __init__(self, name: str, it: Any) -> None:
        self.kind = "generator"
        self.it = it
        self.name = name
        self.started = False

    def __next__(self) -> Any:
        self.started = True
        return next(self.it)

    def __repr__(self) -> str:
        return f"<generator object {self.name}{at(self)}>"


GdGenerator.__name__ = "generator"  # as Python's own messages name it


class _Closing:
    """How many gen.close() calls are running: a generator closed by close() runs its
    finally blocks, as in Python; one merely dropped does not run gd code."""

    depth = 0


def _send(gen: GdGenerator, value: Any) -> Any:
    """generator.send(value): resume it, `x = yield ...` gets value; its next value."""
    if value is not None and not gen.started:
        raise GdRuntimeError("can't send non-None value to a just-started generator",
                             py_type="TypeError")
    return _resume(gen, lambda: gen.it.send(value))


def _throw(gen: GdGenerator, typ: Any, *rest: Any) -> Any:
    """generator.throw(exc): raise exc where the generator is suspended; its next value."""
    if isinstance(typ, exceptions.ExceptionClass):
        typ = typ()
    if not isinstance(typ, exceptions.ExceptionValue):
        raise GdRuntimeError("exceptions must be classes or instances deriving from "
                             "BaseException, not " + type_name(typ), py_type="TypeError")
    err = typ.raised(None)
    return _resume(gen, lambda: gen.it.throw(err))


def _close(gen: GdGenerator) -> None:
    """generator.close(): stop it (its finally blocks run)."""
    _Closing.depth += 1
    try:
        gen.it.close()
    except RuntimeError as e:
        if isinstance(e, GdError):
            raise
        raise GdRuntimeError("generator ignored GeneratorExit") from None
    finally:
        _Closing.depth -= 1


def _resume(gen: GdGenerator, step: Callable[[], Any]) -> Any:
    gen.started = True
    try:
        return step()
    except StopIteration as stop:
        raise exceptions.stop_iteration(stop) from None


pymethods.METHODS[GdGenerator] = {"send": _send, "throw": _throw, "close": _close}


def has_yield(node: A.Stmt) -> bool:
    """Whether a statement holds a yield of its function (not of a nested def)."""
    if isinstance(node, (A.ExprStmt, A.Assign)):
        return isinstance(node.value, (A.Yield, A.YieldFrom))
    if isinstance(node, _COMPOUND):
        blocks = [getattr(node, b, ()) for b in ("body", "orelse", "finalbody")]
        blocks += [h.body for h in getattr(node, "handlers", ())]
        return any(has_yield(s) for block in blocks for s in block)
    return False


def outside_function(node: A.Expr) -> GdSyntaxError:
    """Python's error for a yield at module level or in a class body."""
    return GdSyntaxError("'yield' outside function", node.span)


class GeneratorForms:
    """Compiles generator function bodies (the Compiler mixes this in)."""

    rt: Any
    expr: Any
    stmt: Any
    target: Any
    handling: list[GdError]

    def generator_body(self, body: tuple[A.Stmt, ...], name: str) -> Stmt:
        """The body of generator function `name`: running it makes the generator (the
        function's return value)."""
        run = self.gen_block(body)

        def make(frame: Frame) -> Any:
            frame.ret = GdGenerator(name, _drive(run, frame))
            return RETURN

        return make

    def gen_block(self, body: tuple[A.Stmt, ...]) -> GenStmt:
        """A statement list of a generator body."""
        parts = [(True, self.gen_stmt(s)) if has_yield(s) else (False, self.stmt(s))
                 for s in body]

        def run(f: Frame) -> Iterator[Any]:
            for suspends, s in parts:
                r = (yield from s(f)) if suspends else s(f)
                if r is not None:
                    return r
            return None

        return run

    def gen_stmt(self, node: A.Stmt) -> GenStmt:
        """One statement that holds a yield."""
        if isinstance(node, A.ExprStmt):
            return self._yield(node.value)
        if isinstance(node, A.Assign):
            return self._yield_assign(node)
        method: Callable[[Any], GenStmt] = getattr(self, "g_" + type(node).__name__)
        return method(node)

    def _yield(self, node: A.Expr) -> Callable[[Frame], Iterator[Any]]:
        """`yield v` / `yield from it`: the generator returns what was sent (None) or the
        sub-generator's return value."""
        rt = self.rt
        span = node.span
        if isinstance(node, A.Yield):
            value = self.expr(node.value) if node.value is not None else (lambda f: None)

            def yield_value(f: Frame) -> Iterator[Any]:
                v = value(f)
                rt.step(span)
                sent = yield v
                return sent  # what send() passed in (None for next())

            return yield_value
        source = self.expr(node.value)
        where = node.value.span

        def yield_from(f: Frame) -> Iterator[Any]:
            v = source(f)
            if type(v) is GdGenerator:
                return (yield from v.it)  # its own steps; its return value
            try:
                items = iterate(v)
            except CAUGHT as e:
                raise runtime_error(e, where) from None
            for item in items:
                rt.step(span)
                yield item
            return None

        return yield_from

    def _yield_assign(self, node: A.Assign) -> GenStmt:
        produce = self._yield(node.value)
        targets = [self.target(t) for t in node.targets]

        def assign(f: Frame) -> Iterator[Any]:
            v = yield from produce(f)
            for t in targets:
                t(f, v)
            return None

        return assign

    def g_If(self, node: A.If) -> GenStmt:
        test = self.condition(node.test)
        span = node.test.span
        body = self.gen_block(node.body)
        orelse = self.gen_block(node.orelse) if node.orelse else None

        def if_stmt(f: Frame) -> Iterator[Any]:
            try:
                taken = truth(test(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            if taken:
                return (yield from body(f))
            if orelse is not None:
                return (yield from orelse(f))
            return None

        return if_stmt

    def g_While(self, node: A.While) -> GenStmt:
        test = self.condition(node.test)
        span = node.test.span
        body = self.gen_block(node.body)
        orelse = self.gen_block(node.orelse) if node.orelse else None
        rt = self.rt

        def while_stmt(f: Frame) -> Iterator[Any]:
            while True:
                try:
                    go = truth(test(f))
                except CAUGHT as e:
                    raise runtime_error(e, span) from None
                if not go:
                    return (yield from orelse(f)) if orelse is not None else None
                rt.step(node.span)
                r = yield from body(f)
                if r is BREAK:
                    return None
                if r is not None and r is not CONTINUE:
                    return r

        return while_stmt

    def g_For(self, node: A.For) -> GenStmt:
        it = self.expr(node.iter)
        store = self.target(node.target)
        body = self.gen_block(node.body)
        orelse = self.gen_block(node.orelse) if node.orelse else None
        span = node.iter.span
        rt = self.rt

        def for_stmt(f: Frame) -> Iterator[Any]:
            try:
                seq = iter(iterate(it(f)))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            while True:
                try:
                    item = next(seq)
                except StopIteration:
                    break
                except CAUGHT as e:
                    raise runtime_error(e, span) from None
                rt.step(node.span)
                store(f, item)
                r = yield from body(f)
                if r is BREAK:
                    return None
                if r is not None and r is not CONTINUE:
                    return r
            return (yield from orelse(f)) if orelse is not None else None

        return for_stmt

    def g_With(self, node: A.With) -> GenStmt:
        ctx = self.expr(node.context)
        body = self.gen_block(node.body)
        name = node.name
        span = node.context.span

        def with_stmt(f: Frame) -> Iterator[Any]:
            cm = ctx(f)
            if isinstance(cm, Builtin) and cm.name.endswith(("no_grad", "enable_grad")):
                cm = cm()
            if isinstance(cm, (InstanceValue, ContextValue)):
                if cm._dunder("__enter__") is None or cm._dunder("__exit__") is None:
                    raise GdRuntimeError(f"'{cm.cls.name}' object does not support the "
                                         "context manager protocol", span,
                                         py_type="TypeError")
                enter: Any = cm.enter
            elif is_context_manager(cm):
                enter = cm.__enter__
            else:
                raise GdRuntimeError(f"'{type_name(cm)}' object does not support the "
                                     "context manager protocol", span, py_type="TypeError")
            try:
                v = enter()
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            if name is not None:
                f.vars[name] = v
            try:
                r = yield from body(f)
            except GeneratorExit:
                if _Closing.depth:  # gen.close() inside the block: __exit__ runs
                    if isinstance(cm, (InstanceValue, ContextValue)):
                        cm.exit(None)
                    else:
                        cm.__exit__(None, None, None)
                raise
            except CAUGHT as e:
                err = runtime_error(e, span)
                exc = exceptions.exception_of(err)
                if exc is None:
                    raise err from None
                if isinstance(cm, (InstanceValue, ContextValue)):
                    if cm.exit(exc):
                        return None
                else:
                    cm.__exit__(None, None, None)
                raise err from None
            if isinstance(cm, (InstanceValue, ContextValue)):
                cm.exit(None)
            else:
                cm.__exit__(None, None, None)
            return r

        return with_stmt

    def g_Try(self, node: A.Try) -> GenStmt:
        body = self.gen_block(node.body)
        handlers = [(self.expr(h.type) if h.type is not None else None, h.name,
                     self.gen_block(h.body), h.type.span if h.type else h.span)
                    for h in node.handlers]
        orelse = self.gen_block(node.orelse) if node.orelse else None
        finalbody = self.gen_block(node.finalbody) if node.finalbody else None
        handling = self.handling
        span = node.span

        def handle(f: Frame, err: GdError) -> Iterator[Any]:
            name, handler = matching_handler(f, err, handlers)
            handling.append(err)
            try:
                return (yield from handler(f))
            finally:
                handling.pop()
                if name is not None:
                    f.vars.pop(name, None)

        def try_except(f: Frame) -> Iterator[Any]:
            try:
                r = yield from body(f)
            except CAUGHT as e:
                err = runtime_error(e, span)
                if not handlers:
                    raise err from None
                return (yield from handle(f, err))
            return (yield from orelse(f)) if orelse is not None else r

        if finalbody is None:
            return try_except

        def try_finally(f: Frame) -> Iterator[Any]:
            try:
                r = yield from try_except(f)
            except GeneratorExit:
                if _Closing.depth:  # gen.close(): finally runs (not when merely dropped)
                    yield from finalbody(f)
                raise
            except CAUGHT as e:
                err = runtime_error(e, span)
                if exceptions.exception_of(err) is not None:  # not a limit: finally runs
                    fr = yield from finalbody(f)
                    if fr is not None:
                        return fr
                raise err from None
            fr = yield from finalbody(f)
            return fr if fr is not None else r

        return try_finally


def _drive(run: GenStmt, frame: Frame) -> Iterator[Any]:
    """The Python generator behind a GdGenerator: the body's values, then its return
    value (StopIteration.value, what `yield from` gives). A StopIteration escaping the
    body becomes Python's RuntimeError (PEP 479)."""
    try:
        r = yield from run(frame)
    except GdError as e:
        exc = exceptions.exception_of(e)
        if exc is not None and exc.cls.is_subclass_of(exceptions.CLASSES["StopIteration"]):
            raise GdRuntimeError("generator raised StopIteration", e.span,
                                 py_type="RuntimeError") from None
        raise
    return frame.ret if r is RETURN else None
