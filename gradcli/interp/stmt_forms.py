"""The statement forms of the compiler beyond assignment, loops and definitions: `with`,
`try`/`except`/`finally`, `raise`, `assert` and imports (Compiler mixes them in)."""

from __future__ import annotations

from typing import Any

from gradcli.ad.tensor import State
from gradcli.errors import GdAssertionError, GdError, GdRuntimeError
from gradcli.interp import exceptions, pysys
from gradcli.interp.attributes import module_not_supported, not_supported
from gradcli.interp.classes import InstanceValue
from gradcli.interp.frame import Frame, Stmt
from gradcli.interp.operators import CAUGHT, runtime_error, truth
from gradcli.interp.values import (
    Builtin,
    ContextValue,
    is_context_manager,
    to_str,
    type_name,
)
from gradcli.source import Span
from gradcli.syntax import ast as A
from gradcli.syntax.unparse import unparse


def matching_handler(f: Frame, err: GdError, handlers: list[tuple[Any, ...]]
                     ) -> tuple[str | None, Any]:
    """The `except` clause that takes err: (its `as` name, bound in f, and its block); err
    itself again when none does, or when it is a limit, a syntax error or a gd refusal
    (never caught)."""
    exc = exceptions.exception_of(err)
    if exc is None:
        raise err
    for spec, name, handler, where in handlers:
        if spec is not None and not exceptions.matches(exc, spec(f), where):
            continue
        if name is not None:
            f.vars[name] = exc
        return name, handler
    raise err

class StatementForms:
    """with, try, raise, assert, import and from-import: compiled into closures."""

    rt: Any
    handling: list[GdError]
    try_depth: int
    expr: Any
    block: Any

    def s_With(self, node: A.With, top: bool) -> Stmt:
        ctx = self.expr(node.context)
        body = self.block(node.body, top=False)
        name = node.name
        span = node.context.span
        rt = self.rt

        def with_stmt(f: Frame) -> Any:
            cm = ctx(f)
            if isinstance(cm, (InstanceValue, ContextValue)):
                return _with_instance(cm, f, name, body, span)
            if isinstance(cm, Builtin) and cm.name.endswith(("no_grad", "enable_grad")):
                cm = cm()
            enter = getattr(cm, "__enter__", None) if is_context_manager(cm) else None
            if enter is None:
                raise GdRuntimeError(
                    f"'{type_name(cm)}' object does not support the context manager protocol",
                    span, hint="gd supports with no_grad():, with enable_grad():, "
                    "with set_grad_enabled(flag):, with dual_level():, with torch.device(d):, "
                    "the context managers of the modules gd has and gd classes defining "
                    "__enter__ and __exit__", py_type="TypeError")
            was_enabled = State.grad_enabled
            v = enter()
            if was_enabled and not State.grad_enabled:
                rt.note_no_grad(span)
            if name is not None:
                f.vars[name] = v
            try:
                return body(f)
            finally:
                cm.__exit__(None, None, None)

        return with_stmt

    def s_Try(self, node: A.Try, top: bool) -> Stmt:
        self.try_depth += 1
        try:
            body = self.block(node.body, top=top)
        finally:
            self.try_depth -= 1
        handlers = [(self.expr(h.type) if h.type is not None else None, h.name,
                     self.block(h.body, top=top), h.type.span if h.type else h.span)
                    for h in node.handlers]
        orelse = self.block(node.orelse, top=top) if node.orelse else None
        finalbody = self.block(node.finalbody, top=top) if node.finalbody else None
        handling = self.handling
        span = node.span

        def handle(f: Frame, err: GdError) -> Any:
            name, handler = matching_handler(f, err, handlers)
            handling.append(err)
            try:
                return handler(f)
            finally:
                handling.pop()
                if name is not None:
                    f.vars.pop(name, None)  # as Python: `del name` after the block

        def try_except(f: Frame) -> Any:
            try:
                r = body(f)
            except CAUGHT as e:
                err = runtime_error(e, span)
                if not handlers:
                    raise err from None
                return handle(f, err)
            return orelse(f) if orelse is not None else r

        if finalbody is None:
            return try_except

        def try_finally(f: Frame) -> Any:
            try:
                r = try_except(f)
            except CAUGHT as e:
                err = runtime_error(e, span)
                if exceptions.exception_of(err) is not None:  # not a limit: finally runs
                    fr = finalbody(f)
                    if fr is not None:  # return/break/continue in finally drops the error
                        return fr
                raise err from None
            fr = finalbody(f)
            return fr if fr is not None else r

        return try_finally

    def s_Raise(self, node: A.Raise, top: bool) -> Stmt:
        exc = self.expr(node.exc) if node.exc is not None else None
        cause = self.expr(node.cause) if node.cause is not None else None
        handling = self.handling
        span = node.span

        def raise_stmt(f: Frame) -> Any:
            if exc is None:
                if not handling:
                    err = GdRuntimeError("No active exception to reraise", span)
                    err.py_type = "RuntimeError"
                    raise err
                raise handling[-1]
            v = exc(f)
            if type(v) is exceptions.ExceptionClass:
                v = v()
            if type(v) is not exceptions.ExceptionValue:
                err = GdRuntimeError("exceptions must derive from BaseException", span)
                err.py_type = "TypeError"
                raise err
            if v.cls is exceptions.CLASSES["SystemExit"]:
                pysys.system_exit(v.args, span)  # `raise SystemExit(main())`: sys.exit's end
            if cause is not None:
                c = cause(f)
                if type(c) is exceptions.ExceptionClass:
                    c = c()
                if c is not None and type(c) is not exceptions.ExceptionValue:
                    raise GdRuntimeError("exception causes must derive from BaseException",
                                         span, py_type="TypeError")
                v.cause, v.suppress_context = c, True
            if handling and v.context is None:
                context = exceptions.exception_of(handling[-1])
                if context is not v:
                    v.context = context
            raise v.raised(span)

        return raise_stmt

    def s_Assert(self, node: A.Assert, top: bool) -> Stmt:
        test = self.expr(node.test)
        msg = self.expr(node.msg) if node.msg is not None else None
        span = node.test.span
        try:
            condition: str | None = unparse(node.test)
        except ValueError:  # an f-string unparse cannot print back (see unparse's doc)
            condition = None

        def assert_stmt(f: Frame) -> None:
            try:
                ok = truth(test(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            if not ok:
                text = None if msg is None else to_str(msg(f))
                raise GdAssertionError.failed(text, condition, span)

        return assert_stmt

    def s_Import(self, node: A.Import, top: bool) -> Stmt:
        rt = self.rt
        ns = rt.registry.module(node.module)
        if ns is None:
            return _missing_module(rt, node.module, node.span, top and not self.try_depth)
        if node.alias is not None:
            bind_name, value = node.alias, ns
        else:
            root = node.module.split(".")[0]
            bind_name, value = root, rt.registry.module(root)

        def do_import(f: Frame) -> None:
            f.vars[bind_name] = value

        return do_import

    def s_ImportFrom(self, node: A.ImportFrom, top: bool) -> Stmt:
        rt = self.rt
        ns = rt.registry.module(node.module)
        if ns is None:
            return _missing_module(rt, node.module, node.span, top and not self.try_depth)
        binds = []
        for item in node.names:
            if item.name not in ns.members:
                raise (not_supported(f"{node.module}.{item.name}", span=item.span)
                       or GdRuntimeError(f"cannot import name '{item.name}' from "
                                         f"'{node.module}'", item.span))
            binds.append((item.alias or item.name, ns.members[item.name]))

        def do_import(f: Frame) -> None:
            for k, v in binds:
                f.vars[k] = v

        return do_import


def _with_instance(cm: InstanceValue, f: Frame, name: str | None, body: Stmt,
                   span: Span) -> Any:
    """`with obj [as name]:` for a gd class's instance: its __enter__, the body, its
    __exit__ (given the exception a failing body raised; a true value swallows it). A
    limit error passes through without __exit__, as it passes every `except`."""
    if cm._dunder("__enter__") is None or cm._dunder("__exit__") is None:
        raise GdRuntimeError(f"'{cm.cls.name}' object does not support the context manager "
                             "protocol", span, py_type="TypeError")
    try:
        v = cm.enter()
    except CAUGHT as e:
        raise runtime_error(e, span) from None
    if name is not None:
        f.vars[name] = v
    try:
        r = body(f)
    except CAUGHT as e:
        err = runtime_error(e, span)
        exc = exceptions.exception_of(err)
        if exc is None:
            raise err from None
        try:
            swallow = cm.exit(exc)
        except CAUGHT as e2:
            raise runtime_error(e2, span) from None
        if swallow:
            return None
        raise err from None
    try:
        cm.exit(None)
    except CAUGHT as e:
        raise runtime_error(e, span) from None
    return r


def _missing_module(rt: Any, module: str, span: Span, now: bool) -> Stmt:
    """An import of a module gd does not have: refused now if gradcli knows the module
    (not supported) or nothing could catch the error (`now`: in the module's code, outside
    any `try`), else a ModuleNotFoundError when the statement runs, as in Python, so
    `try: import wandb` / `except ImportError:` takes the except branch."""
    refusal = module_not_supported(module, span)
    if refusal is not None:
        raise refusal
    if now:
        raise rt.import_error(module, span)

    def missing(f: Frame) -> None:
        raise rt.import_error(module, span)

    return missing
