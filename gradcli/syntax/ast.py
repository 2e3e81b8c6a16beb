"""The gd abstract syntax tree: frozen, slotted node classes, each carrying a span.

Nodes compare structurally and ignore spans (`span` is a keyword-only field left out of
==, hash() and repr()), so tests can write expected trees by hand and round trips can
compare trees from different sources. A parenthesised expression's span includes
its parentheses. Operators are lowercase names taken from the tables below, the
same names the grammar uses as aliases.

The node classes are records (gradcli.records: dataclasses' behaviour, without its
start-up cost, ~20 ms for these 50 classes).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import EllipsisType
from typing import Any, ClassVar, TypeAlias, TypeVar

from gradcli.records import field, fields, record
from gradcli.records import positional as positional  # the parser's and the cache's
from gradcli.records import replace as replace  # the builder's
from gradcli.source import Span

# The one table of operator names: name -> source spelling.
BINARY_OPS: dict[str, str] = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "div": "/",
    "floor_divide": "//",
    "remainder": "%",
    "pow": "**",
    "matmul": "@",
    "bitwise_or": "|",
    "bitwise_xor": "^",
    "bitwise_and": "&",
    "lshift": "<<",
    "rshift": ">>",
}
UNARY_OPS: dict[str, str] = {"neg": "-", "pos": "+", "bitwise_not": "~", "not": "not"}
BOOL_OPS: dict[str, str] = {"and": "and", "or": "or"}
COMPARE_OPS: dict[str, str] = {
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "eq": "==",
    "ne": "!=",
    "is": "is",
    "is_not": "is not",
    "in": "in",
    "not_in": "not in",
}

# Spans of nodes built by hand (in tests); the parser always sets real ones.
NO_SPAN = Span(0, 0, 0, 0)

ConstantValue: TypeAlias = int | float | str | bytes | bool | EllipsisType | None

# Fields with these names are keyword-only, default to NO_SPAN, and take no part in ==,
# hash() or repr().
SPAN_FIELDS = ("span", "attr_span")


class Node:
    """Base of every AST node; a node class (made by `node`) is a frozen slotted record."""

    __slots__ = ()
    span: Span
    _fields: ClassVar[tuple[str, ...]] = ()  # every field in order, spans included


N = TypeVar("N", bound=Node)


def node(cls: type[N]) -> type[N]:
    """Make `cls` a node class: a frozen slotted record of its annotated fields, those
    named in SPAN_FIELDS keyword-only, NO_SPAN by default, left out of ==, hash(), repr()."""
    for name in SPAN_FIELDS:
        if name in vars(cls).get("__annotations__", {}):
            setattr(cls, name, field(default=NO_SPAN, kw_only=True, compare=False, repr=False))
    made: Any = record(frozen=True, slots=True)(cls)
    made._fields = tuple(f.name for f in fields(made))
    return made  # type: ignore[no-any-return]


def node_classes() -> list[type[Node]]:
    """Every node class of this module, in definition order."""
    return [cls for cls in globals().values()
            if isinstance(cls, type) and issubclass(cls, Node) and cls._fields]


# ---------------------------------------------------------------- expressions


class Expr(Node):
    """Base of expression nodes."""

    __slots__ = ()


@node
class Name(Expr):
    """A variable reference: `x`."""

    id: str
    span: Span = NO_SPAN


@node
class Constant(Expr):
    """A literal: int, float, str, True/False, None, or `...` (Ellipsis)."""

    value: ConstantValue
    span: Span = NO_SPAN

    # Python's == says True == 1 == 1.0; literals of different types must differ.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Constant):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@node
class FormattedValue(Node):
    """A `{value!conversion:format_spec}` field of an f-string."""

    value: Expr
    conversion: str | None = None  # "r", "s" or "a"
    format_spec: str | None = None  # the text after ':', escapes decoded
    nested_spec: FString | None = None  # a spec with fields ({v:{w}.{p}f}), else None
    span: Span = NO_SPAN


@node
class FString(Expr):
    """An f-string: literal text and formatted fields in order, adjacent texts merged."""

    parts: tuple[str | FormattedValue, ...]
    span: Span = NO_SPAN


@node
class BinOp(Expr):
    """A binary arithmetic operation; `op` is a key of BINARY_OPS."""

    op: str
    left: Expr
    right: Expr
    span: Span = NO_SPAN


@node
class UnaryOp(Expr):
    """`-x`, `+x`, `~x` or `not x`; `op` is a key of UNARY_OPS."""

    op: str
    operand: Expr
    span: Span = NO_SPAN


@node
class BoolOp(Expr):
    """`a and b and c` or `a or b`: one node for a whole chain of the same operator."""

    op: str
    values: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class Compare(Expr):
    """A comparison chain `left op1 c1 op2 c2 ...`; ops are keys of COMPARE_OPS."""

    left: Expr
    ops: tuple[str, ...]
    comparators: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class IfExp(Expr):
    """`body if test else orelse`."""

    test: Expr
    body: Expr
    orelse: Expr
    span: Span = NO_SPAN


@node
class Keyword(Node):
    """A keyword argument `name=value` in a call; name None: `**value` (unpacking)."""

    name: str | None
    value: Expr
    span: Span = NO_SPAN


@node
class Call(Expr):
    """`func(args..., name=value...)`; positional arguments all come first."""

    func: Expr
    args: tuple[Expr, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    span: Span = NO_SPAN


@node
class Attribute(Expr):
    """`value.attr`; `attr_span` covers just the attribute name."""

    value: Expr
    attr: str
    span: Span = NO_SPAN
    attr_span: Span = NO_SPAN


@node
class Slice(Expr):
    """`lower:upper:step` inside a subscript; each part may be absent."""

    lower: Expr | None = None
    upper: Expr | None = None
    step: Expr | None = None
    span: Span = NO_SPAN


@node
class Subscript(Expr):
    """`value[index]`; `x[a, b:c]` has a Tuple index whose elements may be Slices."""

    value: Expr
    index: Expr
    span: Span = NO_SPAN


@node
class Tuple(Expr):
    """`(a, b)`, `a, b`, `(a,)` or `()`."""

    elts: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class List(Expr):
    """`[a, b]`."""

    elts: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class NamedExpr(Expr):
    """`target := value` (an assignment expression); target is a Name."""

    target: Name
    value: Expr
    span: Span = NO_SPAN


@node
class Param(Node):
    """A parameter of a def or lambda, with its default value if any; kind "" (positional
    or keyword), "pos" (positional-only, before `/`), "*" (`*args`), "**" (`**kwargs`)
    or "kw" (keyword-only, after `*`); a def's `name: annotation` keeps the annotation
    (evaluated only when asked for: fn.__annotations__, functools.singledispatch)."""

    name: str
    default: Expr | None = None
    kind: str = ""
    annotation: Expr | None = None
    span: Span = NO_SPAN


@node
class Lambda(Expr):
    """`lambda params: body`."""

    params: tuple[Param, ...]
    body: Expr
    span: Span = NO_SPAN


@node
class Starred(Expr):
    """`*value` as a call argument (unpacked into positional arguments)."""

    value: Expr
    span: Span = NO_SPAN


@node
class Dict(Expr):
    """`{k: v, **other}`; a None key stands for `**value`."""

    keys: tuple[Expr | None, ...]
    values: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class Set(Expr):
    """`{a, b}` (never empty: `{}` is a Dict)."""

    elts: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class Comprehension(Node):
    """One `for target in iter if cond...` clause of a comprehension."""

    target: Expr
    iter: Expr
    ifs: tuple[Expr, ...] = ()
    span: Span = NO_SPAN


@node
class ListComp(Expr):
    """`[elt for ... in ... if ...]`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = NO_SPAN


@node
class SetComp(Expr):
    """`{elt for ... in ...}`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = NO_SPAN


@node
class GeneratorExp(Expr):
    """`(elt for ... in ...)`, also the sole argument of a call: `sum(x for x in xs)`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = NO_SPAN


@node
class Yield(Expr):
    """`yield` or `yield value` (a statement, or the value of an assignment)."""

    value: Expr | None = None
    span: Span = NO_SPAN


@node
class YieldFrom(Expr):
    """`yield from iterable`."""

    value: Expr
    span: Span = NO_SPAN


@node
class DictComp(Expr):
    """`{key: value for ... in ...}`."""

    key: Expr
    value: Expr
    generators: tuple[Comprehension, ...]
    span: Span = NO_SPAN


# ----------------------------------------------------------------- statements


class Stmt(Node):
    """Base of statement nodes."""

    __slots__ = ()


@node
class ExprStmt(Stmt):
    """An expression evaluated for its effect (or as the program's result)."""

    value: Expr
    span: Span = NO_SPAN


@node
class Assign(Stmt):
    """`t1 = t2 = value`: each target is a Name, Attribute, Subscript, or a Tuple/List of them."""

    targets: tuple[Expr, ...]
    value: Expr
    span: Span = NO_SPAN


@node
class AugAssign(Stmt):
    """`target op= value`; target is a Name, Attribute or Subscript, op a key of BINARY_OPS."""

    target: Expr
    op: str
    value: Expr
    span: Span = NO_SPAN


@node
class AnnAssign(Stmt):
    """`target: annotation = value` (value None for a bare `target: annotation`); target
    is a Name, Attribute or Subscript. The annotation is kept, never evaluated."""

    target: Expr
    annotation: Expr
    value: Expr | None = None
    span: Span = NO_SPAN


@node
class If(Stmt):
    """`if test: body else: orelse`; an elif is an If alone in orelse."""

    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = NO_SPAN


@node
class While(Stmt):
    """`while test: body else: orelse` (orelse runs when the loop ends without break)."""

    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = NO_SPAN


@node
class For(Stmt):
    """`for target in iter: body else: orelse`; target as for Assign."""

    target: Expr
    iter: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = NO_SPAN


@node
class Break(Stmt):
    """`break`."""

    span: Span = NO_SPAN


@node
class Continue(Stmt):
    """`continue`."""

    span: Span = NO_SPAN


@node
class Pass(Stmt):
    """`pass`."""

    span: Span = NO_SPAN


@node
class FunctionDef(Stmt):
    """`@decorators def name(params) -> returns: body`; the span starts at `def`. The
    return annotation is kept, evaluated only when asked for (fn.__annotations__)."""

    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    decorators: tuple[Expr, ...] = ()
    returns: Expr | None = None
    span: Span = NO_SPAN


@node
class Return(Stmt):
    """`return` or `return value` (`return a, b` returns a Tuple)."""

    value: Expr | None = None
    span: Span = NO_SPAN


@node
class With(Stmt):
    """`with context as name: body` (name is None without `as`)."""

    context: Expr
    name: str | None
    body: tuple[Stmt, ...]
    span: Span = NO_SPAN


@node
class Assert(Stmt):
    """`assert test` or `assert test, msg`."""

    test: Expr
    msg: Expr | None = None
    span: Span = NO_SPAN


@node
class Raise(Stmt):
    """`raise` (re-raise the exception being handled) or `raise exc`."""

    exc: Expr | None = None
    cause: Expr | None = None  # `raise exc from cause`: checked, the chain is not kept
    span: Span = NO_SPAN


@node
class ExceptHandler(Node):
    """`except type as name: body` (type None: a bare `except:`; name None without `as`)."""

    type: Expr | None
    name: str | None
    body: tuple[Stmt, ...]
    span: Span = NO_SPAN


@node
class Try(Stmt):
    """`try: body` with except handlers, `else: orelse` and `finally: finalbody`."""

    body: tuple[Stmt, ...]
    handlers: tuple[ExceptHandler, ...]
    orelse: tuple[Stmt, ...] = ()
    finalbody: tuple[Stmt, ...] = ()
    span: Span = NO_SPAN


@node
class Import(Stmt):
    """`import module [as alias]`; `import a, b` gives one Import per module."""

    module: str  # dotted: "torch.nn.functional"
    alias: str | None = None
    span: Span = NO_SPAN


@node
class ImportedName(Node):
    """One `name [as alias]` of a from-import."""

    name: str
    alias: str | None = None
    span: Span = NO_SPAN


@node
class ImportFrom(Stmt):
    """`from module import name [as alias], ...`."""

    module: str
    names: tuple[ImportedName, ...]
    span: Span = NO_SPAN


@node
class Delete(Stmt):
    """`del a, b[i], c.d`."""

    targets: tuple[Expr, ...]
    span: Span = NO_SPAN


@node
class Global(Stmt):
    """`global a, b`."""

    names: tuple[str, ...]
    span: Span = NO_SPAN


@node
class Nonlocal(Stmt):
    """`nonlocal a, b`."""

    names: tuple[str, ...]
    span: Span = NO_SPAN


@node
class ClassDef(Stmt):
    """`@decorators class name(bases): body`; the span starts at `class`."""

    name: str
    bases: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    decorators: tuple[Expr, ...] = ()
    span: Span = NO_SPAN


@node
class Module(Node):
    """A whole program."""

    body: tuple[Stmt, ...]
    span: Span = NO_SPAN


def iter_child_nodes(node: Node) -> Iterator[Node]:
    """The direct child nodes of a node, in field order."""
    for name in node._fields:
        value = getattr(node, name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node):
                    yield item


def walk(node: Node) -> Iterator[Node]:
    """Every node under `node` (itself included), parents before children, no recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(iter_child_nodes(current))))
