"""Compile the gd AST once into Python closures.

Every expression becomes `fn(frame) -> value` and every statement `fn(frame) ->
signal` (None to go on, BREAK, CONTINUE or RETURN). Dispatch on node types happens
here, once; running a loop only calls closures. Errors raised while running get the
span of the innermost expression that failed.
"""


from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.tensor import POSITION, State, Tensor
from gradcli.ad.tensor_str import format_tensor_spec
from gradcli.errors import GdAssertionError, GdError, GdRuntimeError
from gradcli.interp import exceptions, limits
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.attributes import (
    get_attribute,
    module_not_supported,
    not_supported,
    set_attribute,
)
from gradcli.interp.frame import BREAK, CONTINUE, MISSING, RETURN, Expr, Frame, Stmt
from gradcli.interp.operators import (
    BINARY,
    CAUGHT,
    COMPARE,
    INPLACE,
    TENSOR_BINARY,
    call_type_error,
    get_item,
    iterate,
    runtime_error,
    set_item,
    truth,
)
from gradcli.interp.runstate import Runtime
from gradcli.interp.values import Builtin, decorate, is_context_manager, to_repr, to_str, type_name
from gradcli.source import Span
from gradcli.suggest import did_you_mean
from gradcli.syntax import ast as A


class Compiler:
    """Turns one program's AST into closures bound to a Runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.loop_depth = 0
        self.handling: list[GdError] = []  # the errors `except` blocks are handling (bare raise)

    # ---------------------------------------------------------------- expressions
    def expr(self, node: A.Expr) -> Expr:
        """Compile an expression."""
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            raise GdRuntimeError(f"{type(node).__name__} is not supported", node.span)
        return method(node)

    def e_Constant(self, node: A.Constant) -> Expr:
        value = node.value
        return lambda f: value

    def e_Name(self, node: A.Name) -> Expr:
        name = node.id
        span = node.span
        builtins = self.rt.builtins

        def load(f: Frame) -> Any:
            # .get, not [] with except KeyError: built-in names (sin, range) miss the local
            # scope on every use, and raising costs more than the lookup.
            v = f.vars.get(name, MISSING)
            if v is not MISSING:
                return v
            p = f.parent
            while p is not None:
                v = p.vars.get(name, MISSING)
                if v is not MISSING:
                    return v
                p = p.parent
            v = builtins.get(name, MISSING)
            if v is MISSING:
                raise GdRuntimeError(f"name '{name}' is not defined", span,
                                     hint=did_you_mean(name, builtins))
            return v

        return load

    def e_BinOp(self, node: A.BinOp) -> Expr:
        left, right = self.expr(node.left), self.expr(node.right)
        fn = BINARY[node.op]
        tensor_fn = TENSOR_BINARY[node.op]
        span = node.span
        position = POSITION

        def binop(f: Frame) -> Any:
            a = left(f)
            b = right(f)
            position.span = span
            try:
                ta = type(a)
                tb = type(b)
                if ((ta is Tensor and (tb is Tensor or tb is float or tb is int))
                        or (tb is Tensor and (ta is float or ta is int))):
                    return tensor_fn(a, b)
                return fn(a, b)
            except CAUGHT as e:
                if isinstance(e, TypeError) and not isinstance(e, GdError):
                    raise GdRuntimeError(
                        f"unsupported operand type(s) for {A.BINARY_OPS[node.op]}: "
                        f"'{type_name(a)}' and '{type_name(b)}'", span) from None
                raise runtime_error(e, span) from None

        return binop

    def e_UnaryOp(self, node: A.UnaryOp) -> Expr:
        operand = self.expr(node.operand)
        span = node.span
        op = node.op
        fn: Callable[[Any], Any] = {
            "neg": operator.neg, "pos": operator.pos, "bitwise_not": operator.invert,
            "not": lambda v: not truth(v),
        }[op]

        def unary(f: Frame) -> Any:
            v = operand(f)
            POSITION.span = span
            try:
                return fn(v)
            except CAUGHT as e:
                if isinstance(e, TypeError) and not isinstance(e, GdError):
                    raise GdRuntimeError(
                        f"bad operand type for unary {A.UNARY_OPS[op]}: '{type_name(v)}'",
                        span) from None
                raise runtime_error(e, span) from None

        return unary

    def e_BoolOp(self, node: A.BoolOp) -> Expr:
        values = [self.expr(v) for v in node.values]
        span = node.span
        is_and = node.op == "and"

        def boolop(f: Frame) -> Any:
            v: Any = None
            try:
                for e in values:
                    v = e(f)
                    if truth(v) != is_and:
                        return v
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            return v

        return boolop

    def e_Compare(self, node: A.Compare) -> Expr:
        left = self.expr(node.left)
        compares = [COMPARE[o] for o in node.ops]
        rights = [self.expr(c) for c in node.comparators]
        span = node.span
        if len(compares) == 1:
            op, right = compares[0], rights[0]

            def compare1(f: Frame) -> Any:
                a = left(f)
                b = right(f)
                try:
                    return op(a, b)
                except CAUGHT as e:
                    if isinstance(e, TypeError) and not isinstance(e, GdError):
                        raise GdRuntimeError(
                            f"'{A.COMPARE_OPS[node.ops[0]]}' not supported between instances "
                            f"of '{type_name(a)}' and '{type_name(b)}'", span) from None
                    raise runtime_error(e, span) from None

            return compare1

        def compare(f: Frame) -> Any:
            a = left(f)
            result: Any = True
            try:
                for op, right in zip(compares, rights, strict=True):
                    b = right(f)
                    result = op(a, b)
                    if not truth(result):
                        return result
                    a = b
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            return result

        return compare

    def e_IfExp(self, node: A.IfExp) -> Expr:
        test, body, orelse = self.expr(node.test), self.expr(node.body), self.expr(node.orelse)
        span = node.test.span

        def ifexp(f: Frame) -> Any:
            try:
                t = truth(test(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            return body(f) if t else orelse(f)

        return ifexp

    def e_Tuple(self, node: A.Tuple) -> Expr:
        elts = [self.expr(e) for e in node.elts]
        return lambda f: tuple([e(f) for e in elts])

    def e_List(self, node: A.List) -> Expr:
        elts = [self.expr(e) for e in node.elts]
        return lambda f: [e(f) for e in elts]

    def e_Slice(self, node: A.Slice) -> Expr:
        parts = [self.expr(p) if p is not None else (lambda f: None)
                 for p in (node.lower, node.upper, node.step)]
        lo, hi, st = parts
        return lambda f: slice(lo(f), hi(f), st(f))

    def e_Attribute(self, node: A.Attribute) -> Expr:
        value = self.expr(node.value)
        attr = node.attr
        span = node.attr_span if node.attr_span.line else node.span

        def attribute(f: Frame) -> Any:
            obj = value(f)
            POSITION.span = span  # where a warning (a non-leaf's .grad) is given
            try:
                return get_attribute(obj, attr)
            except GdError as e:
                raise e.at(span) from None

        if attr != "data":
            return attribute
        rt = self.rt

        def data_attribute(f: Frame) -> Any:
            obj = value(f)
            try:
                r = get_attribute(obj, attr)
            except GdError as e:
                raise e.at(span) from None
            if type(obj) is Tensor and obj.requires_grad:
                rt.note_cut_of(".data", obj, node.span)  # where a graph may have been cut
            return r

        return data_attribute

    def e_Subscript(self, node: A.Subscript) -> Expr:
        value = self.expr(node.value)
        index = self.expr(node.index)
        span = node.span

        def subscript(f: Frame) -> Any:
            obj = value(f)
            idx = index(f)
            POSITION.span = span
            try:
                return get_item(obj, idx)
            except CAUGHT as e:
                raise runtime_error(e, span) from None

        return subscript

    def e_Call(self, node: A.Call) -> Expr:
        func = self.expr(node.func)
        args = [self.expr(a) for a in node.args]
        kwnames = [k.name for k in node.keywords]
        kwvalues = [self.expr(k.value) for k in node.keywords]
        span = node.span
        nargs = len(args)
        position = POSITION
        rt = self.rt

        def call(f: Frame) -> Any:
            fn = func(f)
            if nargs == 1:
                pos: list[Any] = [args[0](f)]
            else:
                pos = [a(f) for a in args]
            position.span = span
            try:
                if kwnames:
                    kw = {k: v(f) for k, v in zip(kwnames, kwvalues, strict=True)}
                    r = rt.call(fn, pos, kw, span)
                else:
                    r = rt.call(fn, pos, None, span)
            except TypeError as e:
                raise call_type_error(e, fn, span) from None
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            tr = type(r)
            if (tr is Tensor and not r.requires_grad) or tr is float or tr is list:
                rt.note_cut(fn, pos, span)  # where a graph may have been cut
            return r

        return call

    def e_Lambda(self, node: A.Lambda) -> Expr:
        body = self.expr(node.body)
        params = node.params
        defaults = [(p.name, self.expr(p.default) if p.default is not None else None)
                    for p in params]
        rt = self.rt

        def run_body(f: Frame) -> Any:
            f.ret = body(f)
            return RETURN

        def make(f: Frame) -> Any:
            return rt.make_function("<lambda>", defaults, run_body, f, node.span)

        return make

    def e_FString(self, node: A.FString) -> Expr:
        pieces: list[Callable[[Frame], str]] = []
        for part in node.parts:
            if isinstance(part, str):
                text = part
                pieces.append(lambda f, text=text: text)
            else:
                pieces.append(self._formatted(part))
        return lambda f: "".join([p(f) for p in pieces])

    def _formatted(self, part: A.FormattedValue) -> Callable[[Frame], str]:
        value = self.expr(part.value)
        spec = part.format_spec or ""
        conv = part.conversion
        span = part.span

        try:
            limits.check_format_spec(spec)  # f"{x:>999999999}"
            spec_error: GdError | None = None
        except GdError as e:
            spec_error = e

        def fmt(f: Frame) -> str:
            v = value(f)
            if spec_error is not None:
                raise spec_error.at(span)
            try:
                if conv == "r":
                    v = to_repr(v)
                elif conv in ("s", "a"):
                    v = to_str(v)
                if type(v) is Tensor:
                    from gradcli.ad import dtypes

                    # Tensor.__format__: a 0-d tensor formats its item even with no spec
                    # (f"{loss}" prints 0.25, not tensor(0.2500)).
                    if not spec and v.ndim != 0:
                        return to_str(v)
                    return format_tensor_spec(v.array, dtypes.name_of(v.dtype), spec)
                if not spec:
                    return to_str(v)
                if isinstance(v, (int, float, str, ArrayValue)):
                    return format(v, spec)
                return format(to_str(v), spec)
            except CAUGHT as e:
                raise runtime_error(e, span) from None

        return fmt

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

        def assert_stmt(f: Frame) -> None:
            try:
                ok = truth(test(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            if not ok:
                text = "assertion failed" if msg is None else to_str(msg(f))
                raise GdAssertionError(text, span)

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
