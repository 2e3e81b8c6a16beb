"""Compile gd expressions once into closures `fn(frame) -> value`.

The statement compiler (compiler.py) extends this class; errors raised while running get
the span of the innermost expression that failed.
"""



from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from gradcli.ad.record import apply
from gradcli.ad.tensor import POSITION, State, Tensor
from gradcli.errors import GdError, GdRuntimeError, GdSyntaxError
from gradcli.interp import classes, limits
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.attributes import (
    get_attribute,
)
from gradcli.interp.calls import CallForms
from gradcli.interp.frame import MISSING, RETURN, Expr, Frame
from gradcli.interp.operators import (
    BINARY,
    CAUGHT,
    COMPARE,
    COMPARE_RULES,
    MV_RULE,
    REFLECTED_BINARY,
    REFLECTED_FIRST,
    TENSOR_BINARY,
    TENSOR_RULES,
    get_item,
    iterate,
    operand_message,
    runtime_error,
    truth,
)
from gradcli.interp.pytext import FORMATTED_HOST, format_value
from gradcli.interp.runstate import Runtime
from gradcli.interp.values import IteratorValue, to_repr, to_str, type_name
from gradcli.suggest import did_you_mean
from gradcli.syntax import ast as A

#: Python's comparisons, for the tested comparisons of e_Compare's fast path.
_PY_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
    "eq": operator.eq, "ne": operator.ne}
_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)
_EXACT = 2 ** 53  # every int within it is a double exactly
_F32_MAX = float(np.finfo(np.float32).max)

_name_of = operator.attrgetter("name")

# Node class -> its e_ method (the statement compiler adds no e_ methods).
_EXPR_METHODS: dict[type, Callable[[Any, Any], Expr]] = {}
# The declarations entry of a comprehension's scope (no name is empty).
_COMPREHENSION = {"": "comprehension"}


class ExpressionCompiler(CallForms):
    """Turns one program's expressions into closures bound to a Runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.loop_depth = 0
        self.handling: list[GdError] = rt.handling  # what `except` blocks handle (bare raise)
        self.try_depth = 0  # `try` bodies around the statement being compiled
        # Compile-time scope facts: `global`/`nonlocal` names of each function being
        # compiled (innermost last), the class whose body is being compiled, and the first
        # parameter of the method being compiled (for the argument-less super()).
        self.decls: list[dict[str, str]] = [{}]
        self.class_name: str | None = None
        self.method_self: str | None = None
        # Python's __qualname__ prefix of what is being compiled: "outer.<locals>." in a
        # def's body, "Outer." in a class body ("" at the top level).
        self.qual_prefix = ""
        self.future_annotations = False  # `from __future__ import annotations` at the top

    # ---------------------------------------------------------------- expressions
    def expr(self, node: A.Expr) -> Expr:
        """Compile an expression."""
        method = _EXPR_METHODS.get(node.__class__)
        if method is None:
            method = getattr(ExpressionCompiler, "e_" + type(node).__name__, None)
            if method is None:
                raise GdRuntimeError(f"{type(node).__name__} is not supported", node.span)
            _EXPR_METHODS[node.__class__] = method
        return method(self, node)

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
        reflected_fn = REFLECTED_BINARY[node.op]
        span = node.span
        position = POSITION

        def failed(e: Exception, a: Any, b: Any) -> GdError:
            if isinstance(e, TypeError) and not isinstance(e, GdError):
                return GdRuntimeError(operand_message(e, a, b, A.BINARY_OPS[node.op]), span,
                                      py_type="TypeError")
            return runtime_error(e, span)

        rule = TENSOR_RULES.get(node.op)
        if rule is not None:
            # + - * / of a tensor with a tensor or a number: the rule applied directly.
            first = REFLECTED_FIRST.get(node.op)

            def binop_rule(f: Frame) -> Any:
                a = left(f)
                b = right(f)
                position.span = span
                try:
                    ta = type(a)
                    tb = type(b)
                    if ta is Tensor and (tb is Tensor or tb is float or tb is int):
                        return apply(rule, (a, b))
                    if tb is Tensor and (ta is float or ta is int):
                        if first is None:
                            return reflected_fn(a, b)
                        return apply(rule, (b, a) if first else (a, b))
                    return fn(a, b)
                except CAUGHT as e:
                    raise failed(e, a, b) from None

            return binop_rule

        if node.op == "matmul":
            mv = MV_RULE

            def matmul_binop(f: Frame) -> Any:
                a = left(f)
                b = right(f)
                position.span = span
                try:
                    ta = type(a)
                    tb = type(b)
                    if ta is Tensor and tb is Tensor:
                        if a.array.ndim == 2 and b.array.ndim == 1:
                            return apply(mv, (a, b))  # what ops.matmul does for them
                        return tensor_fn(a, b)
                    if ta is Tensor and (tb is float or tb is int):
                        return tensor_fn(a, b)
                    if tb is Tensor and (ta is float or ta is int):
                        return reflected_fn(a, b)
                    return fn(a, b)
                except CAUGHT as e:
                    raise failed(e, a, b) from None

            return matmul_binop

        def binop(f: Frame) -> Any:
            a = left(f)
            b = right(f)
            position.span = span
            try:
                ta = type(a)
                tb = type(b)
                if ta is Tensor and (tb is Tensor or tb is float or tb is int):
                    return tensor_fn(a, b)
                if tb is Tensor and (ta is float or ta is int):
                    return reflected_fn(a, b)
                return fn(a, b)
            except CAUGHT as e:
                raise failed(e, a, b) from None

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

        *tests, last = values

        def boolop(f: Frame) -> Any:
            # As Python: each operand but the last is tested; the last is the value as it
            # is, never tested (`print(...) or x * 4` is a tensor of several elements).
            try:
                for e in tests:
                    v = e(f)
                    if truth(v) != is_and:
                        return v
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            return last(f)

        return boolop

    def condition(self, node: A.Expr) -> Expr:
        """An if/while test: its value, or, for one comparison of a 0-d float tensor with a
        Python number (`while b.norm() < 1000`), the truth of the bool tensor the
        comparison would make, without making it (see e_Compare)."""
        if isinstance(node, A.Compare) and len(node.ops) == 1:
            return self.e_Compare(node, tested=True)
        return self.expr(node)

    def e_Compare(self, node: A.Compare, tested: bool = False) -> Expr:
        left = self.expr(node.left)
        compares = [COMPARE[o] for o in node.ops]
        rights = [self.expr(c) for c in node.comparators]
        span = node.span
        if len(compares) == 1:
            op, right = compares[0], rights[0]
            # A tensor compared with a tensor or a number (`b.norm() < 1000`): the
            # comparison's rule applied directly, as Tensor.__lt__ would apply it.
            rule = COMPARE_RULES.get(node.ops[0])
            py_op = _PY_COMPARE.get(node.ops[0])

            def compare1(f: Frame) -> Any:
                return compared(left(f), right(f))

            def compared(a: Any, b: Any) -> Any:
                try:
                    if rule is not None and type(a) is Tensor and (
                            (tb := type(b)) is Tensor or tb is float or tb is int):
                        return apply(rule, (a, b))
                    return op(a, b)
                except CAUGHT as e:
                    if isinstance(e, TypeError) and not isinstance(e, GdError):
                        raise GdRuntimeError(
                            f"'{A.COMPARE_OPS[node.ops[0]]}' not supported between instances "
                            f"of '{type_name(a)}' and '{type_name(b)}'", span) from None
                    raise runtime_error(e, span) from None

            if tested and py_op is not None:
                # Only the truth is used: a 0-d float64 tensor and a number compare as
                # Python floats (an int within 2**53 converts exactly, as ATen converts
                # it); a 0-d float32 one as numpy's weak scalar, the number converted to
                # float32 (a finite float32: beyond, the rule's warnings and messages).
                # The same answer the rule's kernel gives; the other cases take the rule.
                def compare_tested(f: Frame) -> Any:
                    a = left(f)
                    b = right(f)
                    if type(a) is Tensor and not (x := a.array).ndim and not (
                            State.meta_seen or State.vmapping):  # (their truth's errors)
                        if a.requires_grad and State.grad_enabled:
                            State.seq += 1  # as apply: the test depends on an input
                        tb = type(b)
                        if (dt := x.dtype) is _F64:
                            if tb is float or (tb is int and -_EXACT <= b <= _EXACT):
                                return py_op(x.item(), b)
                        elif dt is _F32 and (tb is float or tb is int) and \
                                -_F32_MAX <= b <= _F32_MAX:
                            return bool(py_op(x, b))
                    return compared(a, b)

                return compare_tested

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
        test, body, orelse = (self.condition(node.test), self.expr(node.body),
                               self.expr(node.orelse))
        span = node.test.span

        def ifexp(f: Frame) -> Any:
            try:
                t = truth(test(f))
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            return body(f) if t else orelse(f)

        return ifexp

    def e_Tuple(self, node: A.Tuple) -> Expr:
        if A.Starred in map(type, node.elts):
            items = self._unpacking(node.elts)
            return lambda f: tuple(items(f))
        elts = [self.expr(e) for e in node.elts]
        return lambda f: tuple([e(f) for e in elts])

    def e_List(self, node: A.List) -> Expr:
        if A.Starred in map(type, node.elts):
            return self._unpacking(node.elts)
        elts = [self.expr(e) for e in node.elts]
        return lambda f: [e(f) for e in elts]

    def _unpacking(self, elts: tuple[A.Expr, ...]) -> Expr:
        """The items of a display with starred parts (`[*a, 1, *b]`), as a list."""
        parts = [(type(e) is A.Starred, self.expr(e.value if type(e) is A.Starred else e),
                  e.span) for e in elts]

        def items(f: Frame) -> list[Any]:
            out: list[Any] = []
            for star, e, span in parts:
                v = e(f)
                if not star:
                    out.append(v)
                    continue
                try:
                    out.extend(iterate(limits.bounded(v, "unpacking")))
                except CAUGHT as err:
                    raise runtime_error(err, span) from None
                limits.check_length(len(out), "unpacking")
            return out

        return items

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

    def signature(self, params: tuple[A.Param, ...]) -> tuple[list[tuple[str, Any]], Any]:
        """A def's or lambda's parameters compiled: the plain ones with their default
        expressions, and the *args / keyword-only / **kwargs part (None if absent)."""
        plain = [(p.name, self.expr(p.default) if p.default is not None else None)
                 for p in params if p.kind in ("", "pos")]
        posonly = tuple(p.name for p in params if p.kind == "pos")
        if len(plain) == len(params) and not posonly:
            return plain, None
        star = next((p.name for p in params if p.kind == "*"), None)
        dstar = next((p.name for p in params if p.kind == "**"), None)
        kwonly = [(p.name, self.expr(p.default) if p.default is not None else None)
                  for p in params if p.kind == "kw"]
        return plain, (star, kwonly, dstar, posonly)

    def e_NamedExpr(self, node: A.NamedExpr) -> Expr:
        value = self.expr(node.value)
        # Inside comprehensions the name binds in the scope around them, as in Python
        # ([y for x in xs if (y := f(x))] leaves y set): that many frames up.
        hops = 0
        while self.decls[-1 - hops] == _COMPREHENSION:
            hops += 1
        inner = self.decls[len(self.decls) - hops:]
        del self.decls[len(self.decls) - hops:]
        try:
            store = self.target(node.target)
        finally:
            self.decls.extend(inner)
        if not hops:
            def named_expr(f: Frame) -> Any:
                v = value(f)
                store(f, v)
                return v

            return named_expr

        def named_expr_out(f: Frame) -> Any:
            v = value(f)
            scope = f
            for _ in range(hops):
                scope = scope.parent  # type: ignore[assignment]
            store(scope, v)
            return v

        return named_expr_out

    def e_Lambda(self, node: A.Lambda) -> Expr:
        self.decls.append({})  # the lambda's own scope
        qualname = self.qual_prefix + "<lambda>"
        saved, self.qual_prefix = self.qual_prefix, qualname + ".<locals>."
        try:
            body = self.expr(node.body)
        finally:
            self.decls.pop()
            self.qual_prefix = saved
        defaults, extra = self.signature(node.params)
        rt = self.rt

        def run_body(f: Frame) -> Any:
            f.ret = body(f)
            return RETURN

        def make(f: Frame) -> Any:
            return rt.make_function(qualname, defaults, run_body, f, node.span, extra)

        return make

    # ------------------------------------------------------ displays, comprehensions
    def e_Dict(self, node: A.Dict) -> Expr:
        items = [(self.expr(k) if k is not None else None, self.expr(v), (k or v).span)
                 for k, v in zip(node.keys, node.values, strict=True)]

        def dict_display(f: Frame) -> Any:
            out: dict[Any, Any] = {}
            for k, v, span in items:
                try:
                    if k is None:
                        m = v(f)
                        if not isinstance(m, (dict, Mapping)):  # a dict, a ChainMap
                            raise TypeError(f"'{type_name(m)}' object is not a mapping")
                        out.update(m)
                    else:
                        key = k(f)
                        out[key] = v(f)
                except CAUGHT as e:
                    raise runtime_error(e, span) from None
            return out

        return dict_display

    def e_Set(self, node: A.Set) -> Expr:
        values = self.e_List(A.List(node.elts, span=node.span))
        span = node.span

        # CPython 3.11 folds a display of 3+ constants into a frozenset constant, built
        # from the items last to first, and copies it: the order a set of strings
        # iterates in (under gradcli's fixed hash seed) is then Python's own.
        folded = len(node.elts) >= 3 and all(type(e) is A.Constant for e in node.elts)

        def set_display(f: Frame) -> Any:
            items = values(f)
            try:
                return set(frozenset(reversed(items))) if folded else set(items)
            except CAUGHT as e:
                raise runtime_error(e, span) from None

        return set_display

    def _generate(self, generators: tuple[A.Comprehension, ...],
                  compile_leaf: Callable[[], Expr], span: Any) -> Callable[[Frame], Any]:
        """`make(f)` → a Python generator of the leaf's values (compile_leaf() compiles
        it) over the comprehension's loops, run in a new scope (the loop variables do not
        leak); the first iterable is evaluated at once in the enclosing scope, as Python
        does. Each item is a step."""
        # The comprehension's own scope: its targets are local (an assignment expression
        # inside it binds in the enclosing scope, see e_NamedExpr).
        self.decls.append(dict(_COMPREHENSION))
        try:
            levels = [(self.expr(g.iter), self.target(g.target), [self.expr(c) for c in g.ifs],
                       g.iter.span, [c.span for c in g.ifs]) for g in generators]
            leaf = compile_leaf()
        finally:
            self.decls.pop()
        rt = self.rt
        depth = len(levels)

        def items_of(v: Any, where: Any) -> Any:
            try:
                return iterate(v)
            except CAUGHT as e:
                raise runtime_error(e, where) from None

        def loop(fr: Frame, i: int, iterable: Any) -> Any:
            _, store, ifs, _, if_spans = levels[i]
            last = i + 1 == depth
            for item in iterable:
                rt.step(span)
                store(fr, item)
                if ifs:
                    ok = True
                    for cond, where in zip(ifs, if_spans, strict=True):
                        try:
                            if not truth(cond(fr)):
                                ok = False
                                break
                        except CAUGHT as e:
                            raise runtime_error(e, where) from None
                    if not ok:
                        continue
                if last:
                    yield leaf(fr)
                else:
                    nxt, _, _, where, _ = levels[i + 1]
                    yield from loop(fr, i + 1, items_of(nxt(fr), where))

        first, _, _, first_span, _ = levels[0]

        def make(f: Frame) -> Any:
            iterable = items_of(first(f), first_span)
            return loop(Frame(f), 0, iterable)

        return make

    def e_ListComp(self, node: A.ListComp) -> Expr:
        return _collected(list, self._generate(node.generators, lambda: self.expr(node.elt),
                                               node.span), node.span)

    def e_SetComp(self, node: A.SetComp) -> Expr:
        return _collected(set, self._generate(node.generators, lambda: self.expr(node.elt),
                                              node.span), node.span)

    def e_DictComp(self, node: A.DictComp) -> Expr:
        def compile_leaf() -> Expr:
            key, value = self.expr(node.key), self.expr(node.value)
            return lambda f: (key(f), value(f))

        return _collected(dict, self._generate(node.generators, compile_leaf, node.span),
                          node.span)

    def e_GeneratorExp(self, node: A.GeneratorExp) -> Expr:
        make = self._generate(node.generators, lambda: self.expr(node.elt), node.span)
        return lambda f: IteratorValue("generator", make(f))

    def e_Yield(self, node: A.Yield | A.YieldFrom) -> Expr:
        # A generator function's yields are compiled by generators.GeneratorForms.
        raise GdSyntaxError("'yield' outside function", node.span)

    e_YieldFrom = e_Yield

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
        conv = part.conversion
        span = part.span
        if part.nested_spec is not None:  # f"{v:{w}.{p}f}": the spec is made each time
            nested = self.e_FString(part.nested_spec)

            def fmt_nested(f: Frame) -> str:
                v = value(f)
                spec = nested(f)
                try:
                    limits.check_format_spec(spec)
                except GdError as e:
                    raise e.at(span) from None
                return _format_field(v, conv, spec, span)

            return fmt_nested
        spec = part.format_spec or ""
        try:
            limits.check_format_spec(spec)  # f"{x:>999999999}"
            spec_error: GdError | None = None
        except GdError as e:
            spec_error = e

        def fmt(f: Frame) -> str:
            v = value(f)
            if spec_error is not None:
                raise spec_error.at(span)
            return _format_field(v, conv, spec, span)

        return fmt


def _format_field(v: Any, conv: str | None, spec: str, span: Any) -> str:
    """One f-string field's text: the conversion (!r !s !a), then format(v, spec)."""
    try:
        if conv == "r":
            v = to_repr(v)
        elif conv == "s":
            v = to_str(v)
        elif conv == "a":
            v = to_repr(v).encode("ascii", "backslashreplace").decode("ascii")
        if type(v) is Tensor:
            # Tensor.__format__: a 0-d tensor formats its item even with no spec
            # (f"{loss}" prints 0.25, not tensor(0.2500)); a Parameter's is PyTorch's too.
            if not spec and v.ndim != 0:
                return to_str(v)
            return format_value(v, spec)
        if isinstance(v, classes.InstanceValue):
            return format(v, spec)  # the gd class's __format__ (even with no spec)
        if not spec and type(v) is not ArrayValue:  # numpy's float32 formats as a float
            return to_str(v)
        if isinstance(v, (int, float, str, complex, ArrayValue)) or type(v) in FORMATTED_HOST:
            return format(v, spec)
        return format_value(v, spec)  # object.__format__: a spec is Python's TypeError
    except CAUGHT as e:
        raise runtime_error(e, span) from None


def _collected(build: Callable[[Any], Any], make: Callable[[Frame], Any], span: Any) -> Expr:
    """A list, set or dict comprehension: `build` over the generated values, a failure
    (an unhashable key, say) reported at the comprehension."""

    def comprehension(f: Frame) -> Any:
        try:
            return build(make(f))
        except CAUGHT as e:
            raise runtime_error(e, span) from None

    return comprehension
