"""The gd abstract syntax tree: frozen, slotted dataclasses, each carrying a span.

Nodes compare structurally and ignore spans (`span` is a keyword-only field with
`compare=False`), so tests can write expected trees by hand and round trips can
compare trees from different sources. A parenthesised expression's span includes
its parentheses. Operators are lowercase names taken from the tables below, the
same names the grammar uses as aliases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, make_dataclass
from types import EllipsisType
from typing import Any, TypeAlias, TypeVar

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

ConstantValue: TypeAlias = int | float | str | bool | EllipsisType | None


class Node:
    """Base of every AST node; subclasses are frozen slotted dataclasses with a span."""

    __slots__ = ()
    span: Span


# ---------------------------------------------------------------- expressions


class Expr(Node):
    """Base of expression nodes."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A variable reference: `x`."""

    id: str
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Constant(Expr):
    """A literal: int, float, str, True/False, None, or `...` (Ellipsis)."""

    value: ConstantValue
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)

    # Python's == says True == 1 == 1.0; literals of different types must differ.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Constant):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@dataclass(frozen=True, slots=True)
class FormattedValue(Node):
    """A `{value!conversion:format_spec}` field of an f-string."""

    value: Expr
    conversion: str | None = None  # "r", "s" or "a"
    format_spec: str | None = None  # the text after ':', escapes decoded
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FString(Expr):
    """An f-string: literal text and formatted fields in order, adjacent texts merged."""

    parts: tuple[str | FormattedValue, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BinOp(Expr):
    """A binary arithmetic operation; `op` is a key of BINARY_OPS."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class UnaryOp(Expr):
    """`-x`, `+x`, `~x` or `not x`; `op` is a key of UNARY_OPS."""

    op: str
    operand: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BoolOp(Expr):
    """`a and b and c` or `a or b`: one node for a whole chain of the same operator."""

    op: str
    values: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """A comparison chain `left op1 c1 op2 c2 ...`; ops are keys of COMPARE_OPS."""

    left: Expr
    ops: tuple[str, ...]
    comparators: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IfExp(Expr):
    """`body if test else orelse`."""

    test: Expr
    body: Expr
    orelse: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Keyword(Node):
    """A keyword argument `name=value` in a call; name None: `**value` (unpacking)."""

    name: str | None
    value: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """`func(args..., name=value...)`; positional arguments all come first."""

    func: Expr
    args: tuple[Expr, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Attribute(Expr):
    """`value.attr`; `attr_span` covers just the attribute name."""

    value: Expr
    attr: str
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)
    attr_span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Slice(Expr):
    """`lower:upper:step` inside a subscript; each part may be absent."""

    lower: Expr | None = None
    upper: Expr | None = None
    step: Expr | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Subscript(Expr):
    """`value[index]`; `x[a, b:c]` has a Tuple index whose elements may be Slices."""

    value: Expr
    index: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Tuple(Expr):
    """`(a, b)`, `a, b`, `(a,)` or `()`."""

    elts: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class List(Expr):
    """`[a, b]`."""

    elts: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Param(Node):
    """A parameter of a def or lambda, with its default value if any; kind "" (positional
    or keyword), "*" (`*args`), "**" (`**kwargs`) or "kw" (keyword-only, after `*`)."""

    name: str
    default: Expr | None = None
    kind: str = ""
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Lambda(Expr):
    """`lambda params: body`."""

    params: tuple[Param, ...]
    body: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Starred(Expr):
    """`*value` as a call argument (unpacked into positional arguments)."""

    value: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Dict(Expr):
    """`{k: v, **other}`; a None key stands for `**value`."""

    keys: tuple[Expr | None, ...]
    values: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Set(Expr):
    """`{a, b}` (never empty: `{}` is a Dict)."""

    elts: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Comprehension(Node):
    """One `for target in iter if cond...` clause of a comprehension."""

    target: Expr
    iter: Expr
    ifs: tuple[Expr, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ListComp(Expr):
    """`[elt for ... in ... if ...]`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SetComp(Expr):
    """`{elt for ... in ...}`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class GeneratorExp(Expr):
    """`(elt for ... in ...)`, also the sole argument of a call: `sum(x for x in xs)`."""

    elt: Expr
    generators: tuple[Comprehension, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DictComp(Expr):
    """`{key: value for ... in ...}`."""

    key: Expr
    value: Expr
    generators: tuple[Comprehension, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


# ----------------------------------------------------------------- statements


class Stmt(Node):
    """Base of statement nodes."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ExprStmt(Stmt):
    """An expression evaluated for its effect (or as the program's result)."""

    value: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Assign(Stmt):
    """`t1 = t2 = value`: each target is a Name, Attribute, Subscript, or a Tuple/List of them."""

    targets: tuple[Expr, ...]
    value: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AugAssign(Stmt):
    """`target op= value`; target is a Name, Attribute or Subscript, op a key of BINARY_OPS."""

    target: Expr
    op: str
    value: Expr
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class If(Stmt):
    """`if test: body else: orelse`; an elif is an If alone in orelse."""

    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class While(Stmt):
    """`while test: body else: orelse` (orelse runs when the loop ends without break)."""

    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class For(Stmt):
    """`for target in iter: body else: orelse`; target as for Assign."""

    target: Expr
    iter: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Break(Stmt):
    """`break`."""

    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Continue(Stmt):
    """`continue`."""

    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Pass(Stmt):
    """`pass`."""

    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FunctionDef(Stmt):
    """`@decorators def name(params): body`; the span starts at `def`."""

    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    decorators: tuple[Expr, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Return(Stmt):
    """`return` or `return value` (`return a, b` returns a Tuple)."""

    value: Expr | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class With(Stmt):
    """`with context as name: body` (name is None without `as`)."""

    context: Expr
    name: str | None
    body: tuple[Stmt, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Assert(Stmt):
    """`assert test` or `assert test, msg`."""

    test: Expr
    msg: Expr | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Raise(Stmt):
    """`raise` (re-raise the exception being handled) or `raise exc`."""

    exc: Expr | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ExceptHandler(Node):
    """`except type as name: body` (type None: a bare `except:`; name None without `as`)."""

    type: Expr | None
    name: str | None
    body: tuple[Stmt, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Try(Stmt):
    """`try: body` with except handlers, `else: orelse` and `finally: finalbody`."""

    body: tuple[Stmt, ...]
    handlers: tuple[ExceptHandler, ...]
    orelse: tuple[Stmt, ...] = ()
    finalbody: tuple[Stmt, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Import(Stmt):
    """`import module [as alias]`; `import a, b` gives one Import per module."""

    module: str  # dotted: "torch.nn.functional"
    alias: str | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ImportedName(Node):
    """One `name [as alias]` of a from-import."""

    name: str
    alias: str | None = None
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ImportFrom(Stmt):
    """`from module import name [as alias], ...`."""

    module: str
    names: tuple[ImportedName, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Delete(Stmt):
    """`del a, b[i], c.d`."""

    targets: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Global(Stmt):
    """`global a, b`."""

    names: tuple[str, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Nonlocal(Stmt):
    """`nonlocal a, b`."""

    names: tuple[str, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ClassDef(Stmt):
    """`@decorators class name(bases): body`; the span starts at `class`."""

    name: str
    bases: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    decorators: tuple[Expr, ...] = ()
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Module(Node):
    """A whole program."""

    body: tuple[Stmt, ...]
    span: Span = field(default=NO_SPAN, kw_only=True, compare=False, repr=False)


def iter_child_nodes(node: Node) -> Iterator[Node]:
    """The direct child nodes of a node, in field order."""
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
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


T = TypeVar("T")


def positional(cls: type[T]) -> Callable[..., T]:
    """A constructor of `cls` (a frozen slotted dataclass: a node or a Span) taking every
    field positionally in declaration order, spans included, that builds exactly what
    `cls(...)` builds, about 3x faster: the parser and the parse cache build ~10^5 nodes.

    A frozen dataclass's __init__ sets each field through object.__setattr__; this is a
    twin class with the same base and the same slots, whose plain __init__ stores the
    fields and then makes the object a `cls` (same layout, so Python allows it)."""

    def become(self: Any) -> None:
        self.__class__ = cls

    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    twin = make_dataclass(f"_{cls.__name__}Builder", names, bases=(cls.__mro__[1],),
                          slots=True, eq=False, repr=False,
                          namespace={"__post_init__": become, "__module__": __name__})
    return twin  # type: ignore[return-value]

