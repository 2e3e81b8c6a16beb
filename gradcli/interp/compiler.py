"""Compile the gd AST once into Python closures.

Every expression becomes `fn(frame) -> value` and every statement `fn(frame) ->
signal` (None to go on, BREAK, CONTINUE or RETURN). Dispatch on node types happens
here, once; running a loop only calls closures. Errors raised while running get the
span of the innermost expression that failed.
"""


from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import POSITION, State, Tensor
from gradcli.errors import GdAssertionError, GdError, GdRuntimeError
from gradcli.interp import exceptions, limits
from gradcli.interp.attributes import (
    module_not_supported,
    not_supported,
    set_attribute,
)
from gradcli.interp.expressions import ExpressionCompiler
from gradcli.interp.frame import BREAK, CONTINUE, RETURN, Expr, Frame, Stmt
from gradcli.interp.operators import (
    BINARY,
    CAUGHT,
    INPLACE,
    iterate,
    runtime_error,
    set_item,
    truth,
)
from gradcli.interp.values import Builtin, decorate, is_context_manager, to_str, type_name
from gradcli.source import Span
from gradcli.syntax import ast as A
from gradcli.syntax.unparse import unparse


class Compiler(ExpressionCompiler):
    """Turns one program's AST into closures bound to a Runtime: statements here,
    expressions in ExpressionCompiler."""

    # ---------------------------------------------------------------- statements
    def block(self, body: tuple[A.Stmt, ...], top: bool = False) -> Stmt:
        """Compile a statement list into one closure."""
        stmts = [self.stmt(s, top) for s in body]
        if len(stmts) == 1:
            return stmts[0]

        def run(f: Frame) -> Any:
            for s in stmts:
                r = s(f)
                if r is not None:
                    return r
            return None

        return run

    def stmt(self, node: A.Stmt, top: bool = False) -> Stmt:
        """Compile one statement."""
        method = getattr(self, "s_" + type(node).__name__, None)
        if method is None:
            raise GdRuntimeError(f"{type(node).__name__} is not supported", node.span)
        return method(node, top)

    def s_ExprStmt(self, node: A.ExprStmt, top: bool) -> Stmt:
        value = self.expr(node.value)
        if not top:
            def expr_stmt(f: Frame) -> None:
                value(f)

            return expr_stmt
        rt = self.rt
        span = node.span

        def top_expr(f: Frame) -> None:
            v = value(f)
            if v is not None:  # the last one with a value wins over any assignment
                rt.last_expr = v
                rt.last_expr_span = span

        return top_expr

    def s_Pass(self, node: A.Pass, top: bool) -> Stmt:
        return lambda f: None

    def s_Break(self, node: A.Break, top: bool) -> Stmt:
        return lambda f: BREAK

    def s_Continue(self, node: A.Continue, top: bool) -> Stmt:
        return lambda f: CONTINUE

    def s_Return(self, node: A.Return, top: bool) -> Stmt:
        if node.value is None:
            def ret_none(f: Frame) -> Any:
                f.ret = None
                return RETURN

            return ret_none
        value = self.expr(node.value)

        def ret(f: Frame) -> Any:
            f.ret = value(f)
            return RETURN

        return ret

    def s_Assign(self, node: A.Assign, top: bool) -> Stmt:
        value = self.expr(node.value)
        targets = [self.target(t) for t in node.targets]
        rt = self.rt
        span = node.span
        if len(node.targets) == 1 and isinstance(node.targets[0], A.Name) and \
                rt.is_input_binding(node.targets[0]):
            # `NAME = expr` binding an input: --set replaces expr's value and keeps its form
            # (expr runs quietly, only to learn it), --wrt marks the value as a leaf that
            # requires grad.
            name = node.targets[0].id

            def first_assign(f: Frame) -> None:
                if name in rt.overrides:
                    v = rt.set_value(name, lambda: value(f))
                else:
                    v = value(f)
                v = rt.bind_input(name, v, span)
                rt.assign_name(f, name, v)
                if top:
                    rt.last_value, rt.last_value_span, rt.last_value_name = v, span, name

            return first_assign
        if len(targets) == 1:
            target = targets[0]
            if top:
                tname = node.targets[0].id if isinstance(node.targets[0], A.Name) else None

                def top_assign(f: Frame) -> None:
                    v = value(f)
                    target(f, v)
                    if tname is not None:
                        rt.last_value, rt.last_value_span, rt.last_value_name = v, span, tname

                return top_assign

            def assign(f: Frame) -> None:
                target(f, value(f))

            return assign

        def assign_many(f: Frame) -> None:
            v = value(f)
            for t in targets:
                t(f, v)

        return assign_many

    def target(self, node: A.Expr) -> Callable[[Frame, Any], None]:
        """Compile an assignment target into `store(frame, value)`."""
        rt = self.rt
        if isinstance(node, A.Name) and rt.is_input_binding(node):
            # An input first bound by unpacking (`a, b = ...`): --set / --wrt apply here.
            name = node.id
            bind_span = node.span

            def store_input(f: Frame, v: Any) -> None:
                if name in rt.overrides:
                    v = rt.set_value(name, lambda: v)
                v = rt.bind_input(name, v, bind_span)
                rt.assign_name(f, name, v)

            return store_input
        if isinstance(node, A.Name):
            name = node.id
            if rt.track_names:
                return lambda f, v: rt.assign_name(f, name, v)

            def store(f: Frame, v: Any) -> None:
                f.vars[name] = v

            return store
        span = node.span
        if isinstance(node, A.Attribute):
            obj_e = self.expr(node.value)
            attr = node.attr

            def store_attr(f: Frame, v: Any) -> None:
                obj = obj_e(f)
                try:
                    set_attribute(obj, attr, v)
                except GdError as e:
                    raise e.at(span) from None

            return store_attr
        if isinstance(node, A.Subscript):
            obj_e = self.expr(node.value)
            idx_e = self.expr(node.index)

            def store_item(f: Frame, v: Any) -> None:
                obj = obj_e(f)
                idx = idx_e(f)
                POSITION.span = span
                try:
                    set_item(obj, idx, v)
                except CAUGHT as e:
                    raise runtime_error(e, span) from None

            return store_item
        if isinstance(node, (A.Tuple, A.List)):
            parts = [self.target(e) for e in node.elts]
            n = len(parts)

            def store_many(f: Frame, v: Any) -> None:
                size = limits.length_of(v)
                if size is not None and size != n:  # before materializing range(10**9)
                    what = "too many" if size > n else "not enough"
                    raise GdRuntimeError(
                        f"{what} values to unpack (expected {n}, got {size})", span)
                try:
                    items = list(iterate(v)) if type(v) is Tensor else list(v)
                except TypeError:
                    raise GdRuntimeError(f"cannot unpack non-iterable {type_name(v)} object",
                                         span) from None
                if len(items) != n:
                    what = "too many" if len(items) > n else "not enough"
                    raise GdRuntimeError(
                        f"{what} values to unpack (expected {n}, got {len(items)})", span)
                for p, item in zip(parts, items, strict=True):
                    p(f, item)

            return store_many
        raise GdRuntimeError("cannot assign to this expression", span)

    def s_AugAssign(self, node: A.AugAssign, top: bool) -> Stmt:
        load = self.expr(node.target)
        store = self.target(node.target)
        value = self.expr(node.value)
        fn = BINARY[node.op]
        inplace = INPLACE.get(node.op)
        span = node.span

        def aug(f: Frame) -> None:
            cur = load(f)
            v = value(f)
            POSITION.span = span
            try:
                if type(cur) is Tensor and inplace is not None:
                    ops.INPLACE[inplace](cur, v)
                    new = cur
                elif type(cur) is list and node.op in ("add", "mul"):
                    # Python's list += / *= mutate the list (aliases see the change).
                    new = cur
                    if isinstance(v, (tuple, range, str)):
                        v = list(limits.bounded(v, "list"))
                    cur[:] = fn(cur, v)
                else:
                    new = fn(cur, v)
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            store(f, new)

        return aug

    def s_If(self, node: A.If, top: bool) -> Stmt:
        # Flatten the elif chain so the record can say which branch ran.
        tests: list[Expr] = []
        bodies: list[Stmt] = []
        spans: list[Span] = []
        cur: A.If = node
        orelse: Stmt | None = None
        while True:
            tests.append(self.expr(cur.test))
            spans.append(cur.test.span)
            bodies.append(self.block(cur.body))
            if len(cur.orelse) == 1 and isinstance(cur.orelse[0], A.If):
                cur = cur.orelse[0]
                continue
            if cur.orelse:
                orelse = self.block(cur.orelse)
            break
        record = self.rt.control_record("if", node.span, len(tests), orelse is not None)
        rt = self.rt

        def if_stmt(f: Frame) -> Any:
            for i, test in enumerate(tests):
                seq = State.seq
                try:
                    t = test(f)
                    taken = truth(t)
                except CAUGHT as e:
                    raise runtime_error(e, spans[i]) from None
                rt.note_condition(record, t, seq)
                if taken:
                    record.branches[i] += 1
                    return bodies[i](f)
            if orelse is not None:
                record.branches[-1] += 1
                return orelse(f)
            return None

        return if_stmt

    def s_While(self, node: A.While, top: bool) -> Stmt:
        test = self.expr(node.test)
        self.loop_depth += 1
        body = self.block(node.body)
        self.loop_depth -= 1
        span = node.test.span
        rt = self.rt
        record = rt.control_record("while", node.span, 0, False)

        def while_stmt(f: Frame) -> Any:
            n = 0
            try:
                while True:
                    seq = State.seq
                    try:
                        t = test(f)
                        go = truth(t)
                    except CAUGHT as e:
                        raise runtime_error(e, span) from None
                    rt.note_condition(record, t, seq)
                    if not go:
                        break
                    n += 1
                    rt.step(node.span)
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            break
                        if r is CONTINUE:
                            continue
                        return r
            finally:
                record.iterations.append(n)
            return None

        return while_stmt

    def s_For(self, node: A.For, top: bool) -> Stmt:
        it = self.expr(node.iter)
        store = self.target(node.target)
        body = self.block(node.body)
        span = node.iter.span
        rt = self.rt
        record = rt.control_record("for", node.span, 0, False)

        def for_stmt(f: Frame) -> Any:
            try:
                seq = iterate(it(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            n = 0
            try:
                for item in seq:
                    n += 1
                    rt.step(node.span)
                    store(f, item)
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            break
                        if r is CONTINUE:
                            continue
                        return r
            finally:
                record.iterations.append(n)
            return None

        return for_stmt

    def s_FunctionDef(self, node: A.FunctionDef, top: bool) -> Stmt:
        body = self.block(node.body)
        defaults = [(p.name, self.expr(p.default) if p.default is not None else None)
                    for p in node.params]
        decorators = [(self.expr(d), d.span) for d in node.decorators]
        name = node.name
        rt = self.rt
        span = node.span

        def define(f: Frame) -> None:
            fn: Any = rt.make_function(name, defaults, body, f, span)
            for dec, dspan in reversed(decorators):
                d = dec(f)
                fn = decorate(fn, d, dspan)
            rt.assign_name(f, name, fn) if rt.track_names else f.vars.__setitem__(name, fn)

        return define

    def s_With(self, node: A.With, top: bool) -> Stmt:
        ctx = self.expr(node.context)
        body = self.block(node.body, top=False)
        name = node.name
        span = node.context.span
        rt = self.rt

        def with_stmt(f: Frame) -> Any:
            cm = ctx(f)
            if isinstance(cm, Builtin) and cm.name.endswith(("no_grad", "enable_grad")):
                cm = cm()
            enter = getattr(cm, "__enter__", None) if is_context_manager(cm) else None
            if enter is None:
                raise GdRuntimeError(
                    f"'{type_name(cm)}' object does not support the context manager protocol",
                    span, hint="gd supports with no_grad():, with enable_grad():, "
                    "with set_grad_enabled(flag): and with dual_level():")
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
        body = self.block(node.body, top=top)
        handlers = [(self.expr(h.type) if h.type is not None else None, h.name,
                     self.block(h.body, top=top), h.type.span if h.type else h.span)
                    for h in node.handlers]
        orelse = self.block(node.orelse, top=top) if node.orelse else None
        finalbody = self.block(node.finalbody, top=top) if node.finalbody else None
        handling = self.handling
        span = node.span

        def handle(f: Frame, err: GdError) -> Any:
            exc = exceptions.exception_of(err)
            if exc is None:  # a limit, a syntax error, a gd refusal: never caught
                raise err
            for spec, name, handler, where in handlers:
                if spec is not None and not exceptions.matches(exc, spec(f), where):
                    continue
                if name is not None:
                    f.vars[name] = exc
                handling.append(err)
                try:
                    return handler(f)
                finally:
                    handling.pop()
                    if name is not None:
                        f.vars.pop(name, None)  # as Python: `del name` after the block
            raise err

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
        handling = self.handling
        span = node.span

        def raise_stmt(f: Frame) -> Any:
            if exc is None:
                if not handling:
                    err = GdRuntimeError("No active exception to reraise", span)
                    err.py_type = "RuntimeError"  # type: ignore[attr-defined]
                    raise err
                raise handling[-1]
            v = exc(f)
            if type(v) is exceptions.ExceptionClass:
                v = v()
            if type(v) is not exceptions.ExceptionValue:
                err = GdRuntimeError("exceptions must derive from BaseException", span)
                err.py_type = "TypeError"  # type: ignore[attr-defined]
                raise err
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
            raise (module_not_supported(node.module, node.span)
                   or rt.import_error(node.module, node.span))
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
            raise (module_not_supported(node.module, node.span)
                   or rt.import_error(node.module, node.span))
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
