"""Compile gd calls: `f(x)`, `x.method(y)`, `f(*args, **kwargs)` and `super()`.

The expression compiler (expressions.py) takes these forms from CallForms. A call of a
Tensor method (`b.norm()`, `loss.backward()`) is compiled to call the method with its
tensor directly; every other call goes through the runtime (runstate.Runtime.call).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gradcli.ad.graph import vmap_result
from gradcli.ad.record import apply
from gradcli.ad.state import State
from gradcli.ad.tensor import POSITION, Tensor
from gradcli.errors import GdError, GdRuntimeError
from gradcli.interp import classes, exceptions, limits
from gradcli.interp.attributes import TENSOR_METHODS, TENSOR_PROPERTIES, get_attribute
from gradcli.interp.builtins import TorchBuiltin
from gradcli.interp.frame import MISSING, Expr, Frame
from gradcli.interp.operators import CAUGHT, call_type_error, iterate, runtime_error
from gradcli.interp.runstate import GdFunction
from gradcli.interp.values import BoundMethod, Builtin, type_name
from gradcli.syntax import ast as A

if TYPE_CHECKING:
    from gradcli.interp.runstate import Runtime
    from gradcli.source import Span

_name_of = operator.attrgetter("name")


def note_frame(e: GdError, fn: Any, span: Any) -> None:
    """Keep the call site of a gd-defined callable an error left from inside (a def, a
    method, a class's __init__, an instance's __call__ or forward): a frame of the
    traceback the traceback module prints."""
    if e.span is span:
        return  # raised by the call itself (its arguments), not inside the callee
    if isinstance(fn, GdFunction | classes.BoundGdMethod | classes.InstanceValue
                  | classes.ClassValue):
        e.frames.append(span)


def _noted(rt: Runtime, fn: Any, pos: list[Any], r: Any, span: Span) -> None:
    """What a call's result tells the run, when it has inputs (what is differentiated) or
    vmaps: where a graph may have been cut (a result without grad), and vmap's batched
    results."""
    tr = type(r)
    if (tr is Tensor and not r.requires_grad) or tr is float or tr is list:
        rt.note_cut(fn, pos, span)
    if State.vmapping:
        vmap_result(fn, pos, r)


class CallForms:
    """The call forms of the expression compiler (a base of ExpressionCompiler, whose
    `expr`, `rt` and `method_self` these use)."""

    rt: Runtime
    method_self: str | None

    if TYPE_CHECKING:
        def expr(self, node: A.Expr) -> Expr: ...

    def e_Call(self, node: A.Call) -> Expr:
        if (isinstance(node.func, A.Name) and node.func.id == "super" and not node.args
                and not node.keywords and self.method_self is not None):
            return self._super(node)
        if A.Starred in map(type, node.args) or None in map(_name_of, node.keywords):
            return self._call_unpacking(node)
        func = self.expr(node.func)
        args = [self.expr(a) for a in node.args]
        kwnames = [k.name for k in node.keywords]
        kwvalues = [self.expr(k.value) for k in node.keywords]
        span = node.span
        nargs = len(args)
        position = POSITION
        state = State
        rt = self.rt

        def call(f: Frame, fn: Any = MISSING) -> Any:
            if fn is MISSING:
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
                elif (tf := type(fn)) is TorchBuiltin:
                    # What rt.call does for it, two calls less; a unary op of a tensor
                    # (sin(x)): the op's rule applied directly, three calls less.
                    if nargs == 1 and type(x := pos[0]) is Tensor and fn.rule is not None:
                        r = apply(fn.rule, (x,))
                    else:
                        r = fn.fn(*pos)
                elif tf is Builtin:
                    r = fn.fn(*pos)
                elif tf is BoundMethod:
                    r = fn.fn(fn.obj, *pos)  # (rt.call and BoundMethod.__call__, inlined)
                else:
                    r = rt.call(fn, pos, None, span)
            except TypeError as e:
                raise call_type_error(e, fn, span, pos) from None
            except CAUGHT as e:
                if isinstance(e, GdError) and e.span is not None:
                    if type(fn) is GdFunction:
                        e.calls.append((span, fn.name))  # it left this gd function: the call
                    note_frame(e, fn, span)
                raise runtime_error(e, span) from None
            if rt.inputs or state.vmapping:
                _noted(rt, fn, pos, r, span)
            return r

        target = node.func
        if (type(target) is A.Attribute and target.attr in TENSOR_METHODS
                and target.attr not in TENSOR_PROPERTIES and target.attr != "data"):
            return self._method_call(target, args, kwnames, kwvalues, span, call)
        return call

    def _method_call(self, target: A.Attribute, args: list[Expr], kwnames: list[str],
                     kwvalues: list[Expr], span: Span, call: Callable[..., Any]) -> Expr:
        """`x.name(...)` where name is a Tensor method: on a tensor, the method itself is
        called with x (what get_attribute's BoundMethod and its call do, without making
        one: W6's `b.norm()`, every `.sum()`, `.backward()`); on anything else, the
        attribute as `x.name` gives it, then `call`'s general path."""
        value = self.expr(target.value)
        name = target.attr
        attr_span = target.attr_span if target.attr_span.line else target.span
        methods = TENSOR_METHODS
        position = POSITION
        state = State
        rt = self.rt

        def method_call(f: Frame) -> Any:
            obj = value(f)
            if type(obj) is not Tensor or (m := methods.get(name)) is None:
                position.span = attr_span
                try:
                    fn = get_attribute(obj, name)
                except GdError as e:
                    raise e.at(attr_span) from None
                return call(f, fn)
            pos = [a(f) for a in args]
            position.span = span
            try:
                if kwnames:
                    r = m(obj, *pos, **{k: v(f) for k, v in zip(kwnames, kwvalues, strict=True)})
                else:
                    r = m(obj, *pos)
            except TypeError as e:
                raise call_type_error(e, BoundMethod(obj, name, m), span, pos) from None
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            if rt.inputs or state.vmapping:  # (the value x.name, as `call` would see it)
                _noted(rt, BoundMethod(obj, name, m), pos, r, span)
            return r

        return method_call

    def _call_unpacking(self, node: A.Call) -> Expr:
        """A call with *iterable or **mapping arguments (`f(*primals)`, `f(**kw)`)."""
        func = self.expr(node.func)
        args = [(type(a) is A.Starred, self.expr(a.value if type(a) is A.Starred else a))
                for a in node.args]
        kwargs = [(k.name, self.expr(k.value)) for k in node.keywords]
        span = node.span
        rt = self.rt

        def call_unpacking(f: Frame) -> Any:
            fn = func(f)
            shown = f"__main__.{fn.name}" if type(fn) is GdFunction else \
                getattr(fn, "name", type_name(fn))
            pos: list[Any] = []
            try:
                for star, e in args:
                    v = e(f)
                    if not star:
                        pos.append(v)
                        continue
                    try:
                        items = iterate(v)
                    except GdRuntimeError:
                        raise TypeError(f"{shown}() argument after * must be an iterable, "
                                        f"not {type_name(v)}") from None
                    limits.bounded(v, "argument list")  # range(10**9): refused before
                    pos.extend(items)
                kw: dict[str, Any] = {}
                for name, e in kwargs:
                    v = e(f)
                    if name is not None:
                        pairs: Any = ((name, v),)
                    elif isinstance(v, dict):  # a dict, OrderedDict, a dict subclass
                        pairs = dict.items(v)
                    elif isinstance(v, Mapping):  # a ChainMap
                        pairs = [(k, v[k]) for k in limits.bounded(v, "argument list")]
                    else:
                        raise TypeError(f"{shown}() argument after ** must be a mapping, "
                                        f"not {type_name(v)}")
                    for k, x in pairs:
                        if type(k) is not str:
                            raise TypeError("keywords must be strings")
                        if k in kw:
                            raise TypeError(f"{shown}() got multiple values for keyword "
                                            f"argument '{k}'")
                        kw[k] = x
            except CAUGHT as e:
                raise runtime_error(e, span) from None
            POSITION.span = span
            try:
                return rt.call(fn, pos, kw or None, span)
            except TypeError as e:
                raise call_type_error(e, fn, span, [*pos, *kw.values()]) from None
            except CAUGHT as e:
                if isinstance(e, GdError) and e.span is not None:
                    if type(fn) is GdFunction:
                        e.calls.append((span, fn.name))
                    note_frame(e, fn, span)
                raise runtime_error(e, span) from None

        return call_unpacking

    def _super(self, node: A.Call) -> Expr:
        """super() in a method: the class being defined (its `__class__` cell) and the
        method's first argument."""
        first = self.method_self
        span = node.span

        def super_(f: Frame) -> Any:
            cls = None
            p: Frame | None = f
            while p is not None:
                cls = p.vars.get("__class__")
                if cls is not None:
                    break
                p = p.parent
            obj = MISSING
            p = f
            while p is not None and obj is MISSING:  # from a comprehension in the method too
                obj = p.vars.get(first, MISSING)
                p = p.parent
            if (type(cls) is exceptions.ExceptionClass
                    and type(obj) is exceptions.ExceptionValue):
                return exceptions.ExceptionSuper(cls, obj)
            if type(cls) is not classes.ClassValue or obj is MISSING:
                raise GdRuntimeError("super(): no arguments", span)
            return classes.SuperValue(cls, obj)

        return super_
