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
from gradcli.ad.ops.surface import SURFACE
from gradcli.ad.tensor import POSITION, State, Tensor
from gradcli.errors import (
    GdError,
    GdLimitError,
    GdRuntimeError,
    GdSyntaxError,
)
from gradcli.interp import classdunders, classes, limits
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.attributes import (
    delete_attribute,
    set_attribute,
)
from gradcli.interp.classes import BoundGdMethod, InstanceValue
from gradcli.interp.expressions import ExpressionCompiler
from gradcli.interp.frame import BREAK, CONTINUE, MISSING, RETURN, Expr, Frame, Stmt
from gradcli.interp.generators import GeneratorForms, has_yield
from gradcli.interp.operators import (
    BINARY,
    CAUGHT,
    INPLACE,
    del_item,
    iterate,
    runtime_error,
    set_item,
    truth,
)
from gradcli.interp.scopes import scan_declarations, scope_of
from gradcli.interp.stmt_forms import StatementForms
from gradcli.interp.values import (
    FunctionBase,
    GeneratorValue,
    decorate,
    type_name,
)
from gradcli.source import Span
from gradcli.syntax import ast as A
from gradcli.syntax.unparse import unparse

# Node class -> its s_ method.
_STMT_METHODS: dict[type, Callable[[Compiler, Any, bool], Stmt]] = {}


class Compiler(GeneratorForms, StatementForms, ExpressionCompiler):
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
        method = _STMT_METHODS.get(node.__class__)
        if method is None:
            method = getattr(Compiler, "s_" + type(node).__name__, None)
            if method is None:
                raise GdRuntimeError(f"{type(node).__name__} is not supported", node.span)
            _STMT_METHODS[node.__class__] = method
        return method(self, node, top)

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
            # The last one with a value wins over any assignment; a call made for its effect
            # (torch.manual_seed(0)'s generator, net.eval()'s module) is no result.
            if v is not None and not isinstance(v, (GeneratorValue, InstanceValue)):
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
                if tname is not None and "$" in tname:
                    tname = None  # a match statement's subject: never the program's result

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

    def s_AnnAssign(self, node: A.AnnAssign, top: bool) -> Stmt:
        # The annotation is never evaluated; without a value this does nothing.
        if node.value is None:
            return lambda f: None
        return self.s_Assign(A.Assign((node.target,), node.value, span=node.span), top)

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
        if isinstance(node, A.Name) and node.id in self.decls[-1]:
            return self._declared_store(node.id, self.decls[-1][node.id], node.span)
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
        if isinstance(node, (A.Tuple, A.List)) and A.Starred in map(type, node.elts):
            return self._starred_target(node.elts, span)
        if isinstance(node, (A.Tuple, A.List)):
            parts = [self.target(e) for e in node.elts]
            n = len(parts)

            def store_many(f: Frame, v: Any) -> None:
                size = limits.length_of(v)
                if size is not None and size != n:  # before materializing range(10**9)
                    # Python 3.11's words: the count only when there are too few.
                    raise GdRuntimeError(f"too many values to unpack (expected {n})" if size > n
                                         else f"not enough values to unpack (expected {n}, "
                                         f"got {size})", span)
                try:
                    items = list(iterate(v)) if type(v) is Tensor else list(v)
                except TypeError:
                    raise not_iterable(v, span) from None
                if len(items) != n:  # an iterator: Python cannot tell how many it had
                    if len(items) > n:
                        raise GdRuntimeError(f"too many values to unpack (expected {n})", span)
                    raise GdRuntimeError(
                        f"not enough values to unpack (expected {n}, got {len(items)})", span)
                for p, item in zip(parts, items, strict=True):
                    p(f, item)

            return store_many
        raise GdRuntimeError("cannot assign to this expression", span)

    def _starred_target(self, elts: tuple[A.Expr, ...], span: Span
                        ) -> Callable[[Frame, Any], None]:
        """`first, *rest, last = value`: the starred target takes the middle as a list."""
        star, starred = next((i, e) for i, e in enumerate(elts) if isinstance(e, A.Starred))
        before = [self.target(e) for e in elts[:star]]
        rest = self.target(starred.value)
        after = [self.target(e) for e in elts[star + 1:]]
        need = len(before) + len(after)

        def store_starred(f: Frame, v: Any) -> None:
            try:
                items = list(iterate(limits.bounded(v, "unpacking")))
            except GdError as e:
                if isinstance(e, GdLimitError):
                    raise e.at(span) from None
                raise not_iterable(v, span) from None
            if len(items) < need:
                raise GdRuntimeError(f"not enough values to unpack (expected at least {need}, "
                                     f"got {len(items)})", span)
            for p, item in zip(before, items, strict=False):
                p(f, item)
            rest(f, items[len(before):len(items) - len(after)])
            for p, item in zip(after, items[len(items) - len(after):], strict=True):
                p(f, item)

        return store_starred

    def _declared_store(self, name: str, kind: str, span: Span
                        ) -> Callable[[Frame, Any], None]:
        """The store of a name declared `global` (the module's scope) or `nonlocal` (the
        nearest enclosing function scope that has it)."""
        rt = self.rt

        def store_declared(f: Frame, v: Any) -> None:
            rt.assign_name(scope_of(f, name, kind, span), name, v)

        return store_declared

    def s_Global(self, node: A.Global, top: bool) -> Stmt:
        return lambda f: None  # applied at compile time (scan_declarations)

    def s_Nonlocal(self, node: A.Nonlocal, top: bool) -> Stmt:
        if len(self.decls) == 1:
            raise GdSyntaxError("nonlocal declaration not allowed at module level", node.span)
        return lambda f: None

    def s_Delete(self, node: A.Delete, top: bool) -> Stmt:
        deletes = [self._delete(t) for t in node.targets]

        def delete(f: Frame) -> None:
            for d in deletes:
                d(f)

        return deletes[0] if len(deletes) == 1 else delete

    def _delete(self, node: A.Expr) -> Stmt:
        span = node.span
        if isinstance(node, (A.Tuple, A.List)):
            return self.s_Delete(A.Delete(node.elts, span=span), False)
        if isinstance(node, A.Name):
            name = node.id
            kind = self.decls[-1].get(name)

            def del_name(f: Frame) -> None:
                scope = scope_of(f, name, kind, span) if kind else f
                if scope.vars.pop(name, MISSING) is MISSING:
                    raise GdRuntimeError(f"name '{name}' is not defined", span)

            return del_name
        if isinstance(node, A.Attribute):
            obj_e = self.expr(node.value)
            attr = node.attr

            def del_attr(f: Frame) -> None:
                obj = obj_e(f)
                try:
                    delete_attribute(obj, attr)
                except GdError as e:
                    raise e.at(span) from None

            return del_attr
        assert isinstance(node, A.Subscript)  # the builder allows no other target
        obj_e, idx_e = self.expr(node.value), self.expr(node.index)

        def del_subscript(f: Frame) -> None:
            obj = obj_e(f)
            idx = idx_e(f)
            try:
                del_item(obj, idx)
            except CAUGHT as e:
                raise runtime_error(e, span) from None

        return del_subscript

    def s_AugAssign(self, node: A.AugAssign, top: bool) -> Stmt:
        load = self.expr(node.target)
        store = self.target(node.target)
        value = self.expr(node.value)
        fn = BINARY[node.op]
        inplace = INPLACE.get(node.op)
        if inplace is not None:  # x += y is x.add_(y), x <<= y x.bitwise_left_shift_(y)…
            inplace = ops.INPLACE.get(inplace) or SURFACE["Tensor." + inplace]
        in_place = _PY_INPLACE.get(node.op)
        span = node.span

        def aug(f: Frame) -> None:
            cur = load(f)
            v = value(f)
            POSITION.span = span
            try:
                if type(cur) is Tensor and inplace is not None and \
                        not isinstance(v, InstanceValue):  # x += obj: obj.__radd__
                    if not isinstance(v, (Tensor, int, float, ArrayValue)):
                        # PyTorch's x += [1, 2]: the operator gives way, Python refuses.
                        raise GdRuntimeError(
                            f"unsupported operand type(s) for {A.BINARY_OPS[node.op]}=: "
                            f"'Tensor' and '{type_name(v)}'", span, py_type="TypeError")
                    inplace(cur, v)
                    new = cur
                elif type(cur) is list and node.op in ("add", "mul"):
                    # Python's list += / *= mutate the list (aliases see the change).
                    new = cur
                    if isinstance(v, (tuple, range, str)):
                        v = list(limits.bounded(v, "list"))
                    cur[:] = fn(cur, v)
                elif (type(cur) is set or type(cur) is dict) and in_place is not None:
                    new = in_place(cur, v)  # set |= and dict |= change the value itself
                elif isinstance(cur, InstanceValue):
                    new = _INSTANCE_INPLACE[node.op](cur, v)  # __iadd__, else __add__
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
            tests.append(self.condition(cur.test))
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
        test = self.condition(node.test)
        self.loop_depth += 1
        body = self.block(node.body)
        self.loop_depth -= 1
        orelse = self.block(node.orelse) if node.orelse else None
        span = node.test.span
        rt = self.rt
        record = rt.control_record("while", node.span, 0, False)
        marks = _loop_marks(rt, record)

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
                        return orelse(f) if orelse is not None else None
                    n += 1
                    rt.step(node.span)
                    if marks is not None:
                        marks(n)
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            break
                        if r is CONTINUE:
                            continue
                        return r
            finally:
                record.iterations.append(n)
                if marks is not None:
                    marks(0)
            return None

        return while_stmt

    def s_For(self, node: A.For, top: bool) -> Stmt:
        it = self.expr(node.iter)
        store = self.target(node.target)
        body = self.block(node.body)
        orelse = self.block(node.orelse) if node.orelse else None
        span = node.iter.span
        rt = self.rt
        record = rt.control_record("for", node.span, 0, False)
        marks = _loop_marks(rt, record)

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
                    if marks is not None:
                        marks(n)
                    store(f, item)
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            break
                        if r is CONTINUE:
                            continue
                        return r
                else:
                    if orelse is not None:
                        return orelse(f)
            except CAUGHT as e:
                if isinstance(e, GdError):  # the body's own has its span; the iterator's
                    raise e.at(span) from None  # (a DataLoader collating): the loop's
                raise runtime_error(e, span) from None  # a dict changed while iterated
            finally:
                record.iterations.append(n)
                if marks is not None:
                    marks(0)
            return None

        return for_stmt

    def s_FunctionDef(self, node: A.FunctionDef, top: bool) -> Stmt:
        defaults, extra = self.signature(node.params)
        decorators = [(self.expr(d), d.span) for d in node.decorators]
        store = self._binding(node.name, node.span)
        in_class = self.class_name
        qualname = self.qual_prefix + node.name  # Python's __qualname__ ("A.m", "f.<locals>.g")
        saved = self.class_name, self.method_self, self.qual_prefix
        self.class_name, self.qual_prefix = None, qualname + ".<locals>."
        self.method_self = node.params[0].name if in_class and node.params and \
            node.params[0].kind in ("", "pos") else None
        self.decls.append(scan_declarations(node.body, node.params))
        try:
            if any(has_yield(s) for s in node.body):
                body = self.generator_body(node.body, qualname)
            else:
                body = self.block(node.body)
        finally:
            self.decls.pop()
            self.class_name, self.method_self, self.qual_prefix = saved
        rt = self.rt
        span = node.span
        annotated = [(p.name, p.annotation) for p in node.params if p.annotation is not None]
        if node.returns is not None:
            annotated.append(("return", node.returns))
        # Each annotation compiled, with its source text: what fn.__annotations__ gives
        # under `from __future__ import annotations` (as Python's ast.unparse prints it).
        texts = self.future_annotations
        annotations = tuple((name, self.expr(a), unparse(a) if texts else None)
                            for name, a in annotated)
        doc = _docstring(node.body)

        def define(f: Frame) -> None:
            # A method's body sees the scope around its class, not the class body.
            fn: Any = rt.make_function(qualname, defaults, body, f, span, extra,
                                       f.parent if in_class else None, doc)
            if annotations:
                fn.annotations = (annotations, f)
            for dec, dspan in reversed(decorators):
                fn = _decorated(rt, fn, dec(f), dspan)
            store(f, fn)

        return define

    def _binding(self, name: str, span: Span) -> Callable[[Frame, Any], None]:
        """How a def or class statement binds its name (global/nonlocal declarations
        apply)."""
        kind = self.decls[-1].get(name)
        if kind is not None:
            return self._declared_store(name, kind, span)
        rt = self.rt
        if rt.track_names:
            return lambda f, v: rt.assign_name(f, name, v)
        return lambda f, v: f.vars.__setitem__(name, v)

    def s_ClassDef(self, node: A.ClassDef, top: bool) -> Stmt:
        bases = [self.expr(b) for b in node.bases]
        decorators = [(self.expr(d), d.span) for d in node.decorators]
        store = self._binding(node.name, node.span)
        saved = self.class_name, self.method_self, self.qual_prefix
        self.class_name, self.method_self = node.name, None
        self.qual_prefix += node.name + "."
        self.decls.append(scan_declarations(node.body, ()))
        try:
            body = self.block(node.body)
        finally:
            self.decls.pop()
            self.class_name, self.method_self, self.qual_prefix = saved
        name = node.name
        span = node.span
        rt = self.rt
        annotated = tuple(s.target.id for s in node.body
                          if isinstance(s, A.AnnAssign) and isinstance(s.target, A.Name)
                          and not _is_class_var(s.annotation))

        qualname = self.qual_prefix + name
        doc = _docstring(node.body)

        def define_class(f: Frame) -> None:
            values = [b(f) for b in bases]
            cell = Frame(f)  # holds __class__ for the methods' super()
            scope = Frame(cell)  # the class body's names become the class's attributes
            body(scope)
            cls: Any = classes.make_class(name, values, scope.vars, span, annotated)
            classdunders.describe(cls, qualname, doc)
            cell.vars["__class__"] = cls
            for dec, dspan in reversed(decorators):
                cls = _decorated(rt, cls, dec(f), dspan)
            store(f, cls)

        return define_class

def _docstring(body: list[A.Stmt]) -> str | None:
    """A def's or class's docstring: its body's first statement, if a string."""
    first = body[0] if body else None
    return (first.value.value if isinstance(first, A.ExprStmt)
            and isinstance(first.value, A.Constant) and type(first.value.value) is str
            else None)


def _decorated(rt: Any, fn: Any, d: Any, span: Span) -> Any:
    """`@d` above a def or class: a gd callable (function, class, bound method, instance
    with __call__) is called with the definition; built-in decorators apply themselves."""
    if isinstance(d, FunctionBase | BoundGdMethod | classes.ClassValue | InstanceValue):
        return rt.call(d, [fn], None, span)
    try:
        return decorate(fn, d, span)
    except GdError as e:  # @dataclass refusing a mutable default: at the decorator
        raise e.at(span) from None


def _loop_marks(rt: Any, record: Any) -> Callable[[int], None] | None:
    """Recording a tape for a view: a function noting (control index, iteration n (0: the
    loop ended), State.seq) on rt.loop_marks; None otherwise (a plain run pays nothing)."""
    if not (rt.options.record_tape and rt.options.mark_loops):
        return None
    index = rt.controls.index(record)
    return lambda n: rt.loop_marks.extend((index, n, State.seq))


def not_iterable(v: Any, span: Span) -> GdRuntimeError:
    """Python's TypeError for unpacking a value that cannot be iterated."""
    err = GdRuntimeError(f"cannot unpack non-iterable {type_name(v)} object", span)
    err.py_type = "TypeError"  # the class `except` sees
    return err


# Python's in-place operators of sets and dicts (`s |= t` changes s, as aliases see).
def _is_class_var(annotation: A.Expr) -> bool:
    """Whether a class body's annotation is typing.ClassVar (or ClassVar[...]): a class
    attribute, not a field of a dataclass or a named tuple (as Python's dataclasses)."""
    if isinstance(annotation, A.Subscript):
        annotation = annotation.value
    return (isinstance(annotation, A.Name) and annotation.id == "ClassVar") or (
        isinstance(annotation, A.Attribute) and annotation.attr == "ClassVar")


_PY_INPLACE = {"bitwise_or": operator.ior, "bitwise_and": operator.iand,
               "bitwise_xor": operator.ixor, "sub": operator.isub}
# A gd instance's augmented assignment: its in-place method, else Python's fallbacks.
_INSTANCE_INPLACE = {"add": operator.iadd, "sub": operator.isub, "mul": operator.imul,
                     "div": operator.itruediv, "floor_divide": operator.ifloordiv,
                     "remainder": operator.imod, "pow": operator.ipow,
                     "matmul": operator.imatmul, "bitwise_or": operator.ior,
                     "bitwise_and": operator.iand, "bitwise_xor": operator.ixor,
                     "lshift": operator.ilshift, "rshift": operator.irshift}
