"""The AST builder: Lark's callbacks, one per grammar rule, turning tokens into AST nodes.

The LALR parser runs these as it reduces, so no parse tree is built (measured: a separate
Transformer pass over a tree costs 25% more); every token is kept, so each node's span
runs from its rule's first token to its last."""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdSyntaxError
from gradcli.source import Span
from gradcli.syntax import ast as gd
from gradcli.syntax.context import is_token, join_span, make_span, token_span
from gradcli.syntax.patterns import Pattern, match_statement
from gradcli.syntax.strings import FieldParser, read_strings

_AUG_OPS = {symbol + "=": name for name, symbol in gd.BINARY_OPS.items()}

# The common nodes' positional constructors (every field, spans last: see gd.positional).
_Assign = gd.positional(gd.Assign)
_AugAssign = gd.positional(gd.AugAssign)
_Attribute = gd.positional(gd.Attribute)
_BinOp = gd.positional(gd.BinOp)
_BoolOp = gd.positional(gd.BoolOp)
_Call = gd.positional(gd.Call)
_Compare = gd.positional(gd.Compare)
_Constant = gd.positional(gd.Constant)
_ExprStmt = gd.positional(gd.ExprStmt)
_For = gd.positional(gd.For)
_FunctionDef = gd.positional(gd.FunctionDef)
_If = gd.positional(gd.If)
_IfExp = gd.positional(gd.IfExp)
_Keyword = gd.positional(gd.Keyword)
_Lambda = gd.positional(gd.Lambda)
_List = gd.positional(gd.List)
_Name = gd.positional(gd.Name)
_Param = gd.positional(gd.Param)
_Return = gd.positional(gd.Return)
_Slice = gd.positional(gd.Slice)
_Starred = gd.positional(gd.Starred)
_Subscript = gd.positional(gd.Subscript)
_Tuple = gd.positional(gd.Tuple)
_UnaryOp = gd.positional(gd.UnaryOp)
_While = gd.positional(gd.While)


class _Part:
    """A value passed between grammar rules that is not an AST node (a name list…)."""

    __slots__ = ("span", "value")

    def __init__(self, value: Any, span: Span) -> None:
        self.value = value
        self.span = span


def _last(children: list[Any]) -> Any:
    for child in reversed(children):
        if child is not None and not (is_token(child) and child.type[0] == "_"):
            return child
    raise AssertionError("a rule matched no tokens")


def _statements(children: list[Any]) -> list[gd.Stmt]:
    out: list[gd.Stmt] = []
    for child in children:
        if isinstance(child, gd.Stmt):
            out.append(child)
        elif isinstance(child, list):
            out.extend(child)
    return out


def _kind(node: gd.Expr) -> str:
    """How Python's messages name an expression that cannot be assigned to."""
    if isinstance(node, gd.Call):
        return "function call"
    if isinstance(node, gd.Constant):
        if node.value is None or isinstance(node.value, bool):
            return str(node.value)
        return "ellipsis" if node.value is Ellipsis else "literal"
    if isinstance(node, gd.FString):
        return "f-string expression"
    if isinstance(node, gd.Compare):
        return "comparison"
    if isinstance(node, gd.Lambda):
        return "lambda"
    if isinstance(node, gd.IfExp):
        return "conditional expression"
    if isinstance(node, gd.Slice):
        return "slice"
    return _DISPLAY_KINDS.get(type(node), "expression")


_DISPLAY_KINDS: dict[type, str] = {
    gd.Dict: "dict literal", gd.Set: "set display", gd.ListComp: "list comprehension",
    gd.SetComp: "set comprehension", gd.DictComp: "dict comprehension",
    gd.GeneratorExp: "generator expression", gd.Starred: "starred",
}


def _check_delete(node: gd.Expr) -> None:
    """Reject what `del` cannot remove, in Python's words."""
    stack = [node]
    while stack:
        target = stack.pop()
        if isinstance(target, gd.Tuple | gd.List):
            stack.extend(target.elts)
        elif not isinstance(target, gd.Name | gd.Attribute | gd.Subscript):
            raise GdSyntaxError(f"cannot delete {_kind(target)}", target.span)


def _check_target(node: gd.Expr) -> None:
    """Reject what cannot be assigned to: calls, literals, operators…"""
    if isinstance(node, gd.Starred):
        raise GdSyntaxError("starred assignment target must be in a list or tuple", node.span)
    stack = [node]
    while stack:
        target = stack.pop()
        if isinstance(target, gd.Tuple | gd.List):
            starred = [e for e in target.elts if isinstance(e, gd.Starred)]
            if len(starred) > 1:
                raise GdSyntaxError("multiple starred expressions in assignment",
                                    starred[1].span)
            stack.extend(e.value if isinstance(e, gd.Starred) else e for e in target.elts)
        elif not isinstance(target, gd.Name | gd.Attribute | gd.Subscript):
            raise GdSyntaxError(f"cannot assign to {_kind(target)}", target.span)


def _positional_only(given: list[gd.Param]) -> list[gd.Param]:
    """The parameters with the `/` marker taken out and those before it made "pos"."""
    slashes = [i for i, p in enumerate(given) if p.kind == "/"]
    if not slashes:
        return given
    at = slashes[0]
    if len(slashes) > 1:
        raise GdSyntaxError("/ may appear only once", given[slashes[1]].span)
    if any(p.kind in ("*", "**") for p in given[:at]):
        raise GdSyntaxError("/ must be ahead of *", given[at].span)
    if at == 0:
        raise GdSyntaxError("at least one argument must precede /", given[at].span)
    return [gd.replace(p, kind="pos") for p in given[:at]] + given[at + 1:]


def _annotation(c: list[Any]) -> gd.Expr | None:
    """The annotation of `*name: annotation` or `**name: annotation`, or None."""
    return c[3] if len(c) > 3 and isinstance(c[3], gd.Expr) else None


def _binary(op: str) -> Any:
    def build(self: Builder, c: list[Any]) -> gd.BinOp:
        return _BinOp(op, c[0], c[2], join_span(c[0], c[2]))

    return build


def _unary(op: str) -> Any:
    def build(self: Builder, c: list[Any]) -> gd.UnaryOp:
        return _UnaryOp(op, c[-1], join_span(c[0], c[-1]))

    return build


def _comparison(op: str) -> Any:
    def build(self: Builder, c: list[Any]) -> str:
        return op

    return build


def _boolean(op: str) -> Any:
    def build(self: Builder, c: list[Any]) -> gd.BoolOp:
        return _BoolOp(op, tuple(c[::2]), join_span(c[0], c[-1]))

    return build


class Builder:
    """Lark callbacks, one per rule or alias: the rule's children (all tokens kept) → AST.

    `parse_field` parses an f-string field's expression (the parser itself)."""

    def __init__(self, parse_field: FieldParser) -> None:
        self.parse_field = parse_field

    # ------------------------------------------------------------ statements

    def module(self, c: list[Any]) -> list[gd.Stmt]:
        return _statements(c)

    def expression(self, c: list[Any]) -> gd.Expr:
        return c[0]

    def simple_stmts(self, c: list[Any]) -> list[gd.Stmt]:
        if len(c) == 3 and isinstance(c[0], gd.Stmt):  # one statement, its ';' and newline
            return [c[0]]
        return _statements(c)

    def suite(self, c: list[Any]) -> tuple[gd.Stmt, ...]:
        return tuple(_statements(c))

    def expr_stmt(self, c: list[Any]) -> gd.ExprStmt:
        return _ExprStmt(c[0], c[0].span)

    def yield_expr(self, c: list[Any]) -> gd.Yield:
        return gd.Yield(c[1], span=join_span(c[0], _last(c)))

    def yield_from(self, c: list[Any]) -> gd.YieldFrom:
        return gd.YieldFrom(c[2], span=join_span(c[0], c[2]))

    def assign(self, c: list[Any]) -> gd.Assign:
        exprs = c[::2]
        for target in exprs[:-1]:
            _check_target(target)
        return _Assign(tuple(exprs[:-1]), exprs[-1], join_span(c[0], c[-1]))

    def augassign(self, c: list[Any]) -> gd.AugAssign:
        target, op, value = c
        if isinstance(target, gd.Tuple | gd.List):
            kind = "tuple" if isinstance(target, gd.Tuple) else "list"
            raise GdSyntaxError(
                f"augmented assignment ('{op}') to a {kind} is not possible",
                target.span,
                hint="assign to each name on its own",
            )
        _check_target(target)
        return _AugAssign(target, _AUG_OPS[op.value], value, join_span(target, value))

    def annassign(self, c: list[Any]) -> gd.AnnAssign:
        target = c[0]
        if isinstance(target, gd.Tuple | gd.List):
            kind = "tuple" if isinstance(target, gd.Tuple) else "list"
            raise GdSyntaxError(f"only single target (not {kind}) can be annotated",
                                target.span)
        if not isinstance(target, gd.Name | gd.Attribute | gd.Subscript):
            raise GdSyntaxError("illegal target for annotation", target.span)
        return gd.AnnAssign(target, c[2], c[4], span=join_span(target, _last(c)))

    def pass_stmt(self, c: list[Any]) -> gd.Pass:
        return gd.Pass(span=token_span(c[0]))

    def break_stmt(self, c: list[Any]) -> gd.Break:
        return gd.Break(span=token_span(c[0]))

    def continue_stmt(self, c: list[Any]) -> gd.Continue:
        return gd.Continue(span=token_span(c[0]))

    def return_stmt(self, c: list[Any]) -> gd.Return:
        return _Return(c[1], join_span(c[0], _last(c)))

    def assert_stmt(self, c: list[Any]) -> gd.Assert:
        return gd.Assert(c[1], c[3], span=join_span(c[0], _last(c)))

    def raise_stmt(self, c: list[Any]) -> gd.Raise:
        return gd.Raise(c[1], c[3], span=join_span(c[0], _last(c)))

    def try_stmt(self, c: list[Any]) -> gd.Try:
        handlers: list[gd.ExceptHandler] = []
        blocks: dict[str, tuple[gd.Stmt, ...]] = {}
        keyword = "try"
        for child in c:
            if is_token(child) and child.value in ("try", "else", "finally"):
                keyword = child.value
            elif isinstance(child, gd.ExceptHandler):
                handlers.append(child)
            elif isinstance(child, tuple):
                blocks[keyword] = child
        for handler in handlers[:-1]:
            if handler.type is None:
                raise GdSyntaxError("default 'except:' must be last", handler.span)
        last = blocks.get("finally") or blocks.get("else") or handlers[-1].body
        return gd.Try(blocks["try"], tuple(handlers), blocks.get("else", ()),
                      blocks.get("finally", ()), span=join_span(c[0], last[-1]))

    def except_clause(self, c: list[Any]) -> gd.ExceptHandler:
        name = c[3].value if c[3] is not None else None
        return gd.ExceptHandler(c[1], name, c[-1], span=join_span(c[0], c[-1][-1]))

    def import_stmt(self, c: list[Any]) -> list[gd.Stmt]:
        span = join_span(c[0], c[-1])
        return [gd.Import(*part.value, span=span) for part in c[1::2]]

    def dotted_as_name(self, c: list[Any]) -> _Part:
        alias = c[2].value if c[2] is not None else None
        return _Part((c[0].value, alias), join_span(c[0], _last(c)))

    def dotted_name(self, c: list[Any]) -> _Part:
        return _Part(".".join(t.value for t in c[::2]), join_span(c[0], c[-1]))

    def from_import(self, c: list[Any]) -> gd.ImportFrom:
        names = tuple(x for x in c if isinstance(x, gd.ImportedName))
        return gd.ImportFrom(c[1].value, names, span=join_span(c[0], _last(c)))

    def import_as_name(self, c: list[Any]) -> gd.ImportedName:
        alias = c[2].value if c[2] is not None else None
        return gd.ImportedName(c[0].value, alias, span=join_span(c[0], _last(c)))

    def if_stmt(self, c: list[Any]) -> gd.If:
        orelse: tuple[gd.Stmt, ...] = c[-1] or ()
        for clause in reversed([x for x in c[4:] if isinstance(x, _Part)]):
            test, body = clause.value
            end = (orelse or body)[-1]
            orelse = (_If(test, body, orelse, join_span(clause, end)),)
        body = c[3]
        return _If(c[1], body, orelse, join_span(c[0], (orelse or body)[-1]))

    def elif_clause(self, c: list[Any]) -> _Part:
        return _Part((c[1], c[3]), token_span(c[0]))

    def while_stmt(self, c: list[Any]) -> gd.While:
        orelse = c[-1] or ()
        return _While(c[1], c[3], orelse, join_span(c[0], (orelse or c[3])[-1]))

    def for_stmt(self, c: list[Any]) -> gd.For:
        _check_target(c[1])
        orelse = c[-1] or ()
        return _For(c[1], c[3], c[5], orelse, join_span(c[0], (orelse or c[5])[-1]))

    def del_stmt(self, c: list[Any]) -> gd.Delete:
        targets = c[1].elts if isinstance(c[1], gd.Tuple) else (c[1],)
        for target in targets:
            _check_delete(target)
        return gd.Delete(tuple(targets), span=join_span(c[0], c[1]))

    def global_stmt(self, c: list[Any]) -> gd.Global:
        return gd.Global(tuple(t.value for t in c[1::2]), span=join_span(c[0], c[-1]))

    def nonlocal_stmt(self, c: list[Any]) -> gd.Nonlocal:
        return gd.Nonlocal(tuple(t.value for t in c[1::2]), span=join_span(c[0], c[-1]))

    def classdef(self, c: list[Any]) -> gd.ClassDef:
        bases: tuple[gd.Expr, ...] = ()
        if len(c) > 4 and isinstance(c[3], _Part):
            args, keywords = c[3].value
            if keywords:
                raise GdSyntaxError("class keyword arguments (metaclass=...) are not supported "
                                    "in gd", keywords[0].span)
            for base in args:
                if isinstance(base, gd.Starred):
                    raise GdSyntaxError("starred class bases are not supported in gd", base.span)
            bases = args
        body = c[-1]
        return gd.ClassDef(c[1].value, bases, body, span=join_span(c[0], body[-1]))

    def with_stmt(self, c: list[Any]) -> gd.With:
        # `with a as x, b as y: body` is `with a as x:` around `with b as y: body`.
        body = c[-1]
        items = c[1:-2:2]
        stmt = None
        for item in reversed(items):
            context, name = item.value
            inner = body if stmt is None else (stmt,)
            stmt = gd.With(context, name, inner, span=join_span(item, body[-1]))
        return gd.With(stmt.context, stmt.name, stmt.body, span=join_span(c[0], body[-1]))

    def with_item(self, c: list[Any]) -> _Part:
        name = c[2].value if c[2] is not None else None
        return _Part((c[0], name), join_span(c[0], _last(c)))

    # ------------------------------------------------ match statements (patterns.py)

    def match_stmt(self, c: list[Any]) -> list[gd.Stmt]:
        cases = [x.value for x in c if isinstance(x, _Part)]
        return match_statement(c[1], cases, join_span(c[0], cases[-1][2][-1]))

    def case_block(self, c: list[Any]) -> _Part:
        return _Part((c[1], c[3], c[-1], token_span(c[0])), token_span(c[0]))

    def sequence_pattern(self, c: list[Any]) -> Pattern:
        parts = tuple(x for x in c if isinstance(x, Pattern))
        ends = [x for x in c if x is not None]
        return Pattern("sequence", join_span(ends[0], ends[-1]), parts=parts)

    def star_pattern(self, c: list[Any]) -> Pattern:
        name = None if c[1].value == "_" else c[1].value
        return Pattern("star", join_span(c[0], c[1]), name=name)

    def as_pattern(self, c: list[Any]) -> Pattern:
        if c[2].value == "_":
            raise GdSyntaxError("cannot use '_' as a target", token_span(c[2]))
        return Pattern("as", join_span(c[0], c[2]), name=c[2].value, parts=(c[0],))

    def or_pattern(self, c: list[Any]) -> Pattern:
        parts = tuple(x for x in c if isinstance(x, Pattern))
        return Pattern("or", join_span(c[0], c[-1]), parts=parts)

    def capture_pattern(self, c: list[Any]) -> Pattern:
        if c[0].value == "_":
            return Pattern("wildcard", token_span(c[0]))
        return Pattern("capture", token_span(c[0]), name=c[0].value)

    def _dotted(self, tokens: list[Any]) -> gd.Expr:
        names = [t for t in tokens if is_token(t) and t.type == "NAME"]
        out: gd.Expr = self.name([names[0]])
        for t in names[1:]:
            out = _Attribute(out, t.value, join_span(names[0], t), token_span(t))
        return out

    def value_pattern(self, c: list[Any]) -> Pattern:
        return Pattern("value", join_span(c[0], c[-1]), value=self._dotted(c))

    def group_pattern(self, c: list[Any]) -> Pattern:
        pattern: Pattern = c[1]
        pattern.span = join_span(c[0], c[2])
        return pattern

    def literal_pattern(self, c: list[Any]) -> Pattern:
        first = c[0]
        span = join_span(first, c[-1])
        kind = first.type
        if kind == "MINUS":
            number = self.int_literal(c[1:]) if c[1].type == "INTEGER" \
                else self.float_literal(c[1:])
            value: gd.Expr = _Constant(-number.value, span)  # type: ignore[operator]
        elif kind == "INTEGER":
            value = self.int_literal(c)
        elif kind == "FLOAT":
            value = self.float_literal(c)
        elif kind == "STRING":
            value = self.string_literal(c)
            if not isinstance(value, gd.Constant):
                raise GdSyntaxError("patterns may only match literals and attribute lookups",
                                    span)
        else:
            value = _Constant({"NONE": None, "TRUE": True, "FALSE": False}[kind], span)
        return Pattern("literal", span, value=value)

    def mapping_pattern(self, c: list[Any]) -> Pattern:
        parts = [x.value for x in c if isinstance(x, _Part)]
        items = [x for x in parts if x[0] is not None]
        rests = [x[1] for x in parts if x[0] is None]
        if rests and parts[-1][0] is not None:
            raise GdSyntaxError("double star pattern must come last in a mapping pattern",
                                join_span(c[0], c[-1]))
        return Pattern("mapping", join_span(c[0], c[-1]), name=rests[0] if rests else None,
                       items=tuple(items))

    def mapping_item(self, c: list[Any]) -> _Part:
        if isinstance(c[0], Pattern):
            key = c[0].value
        else:
            key = self._dotted(c[:-2])
        return _Part((key, c[-1]), join_span(c[0], c[-1]))

    def mapping_rest(self, c: list[Any]) -> _Part:
        return _Part((None, c[1].value), join_span(c[0], c[1]))

    def keyword_pattern(self, c: list[Any]) -> _Part:
        return _Part((c[0].value, c[2]), join_span(c[0], c[2]))

    def class_pattern(self, c: list[Any]) -> Pattern:
        opening = next(i for i, x in enumerate(c) if is_token(x) and x.type == "LPAR")
        cls = self._dotted(c[:opening])
        parts: list[Pattern] = []
        items: list[tuple[str, Pattern]] = []
        for x in c[opening:]:
            if isinstance(x, Pattern):
                if items:
                    raise GdSyntaxError("positional patterns follow keyword patterns", x.span)
                parts.append(x)
            elif isinstance(x, _Part):
                items.append(x.value)
        return Pattern("class", join_span(c[0], c[-1]), value=cls, parts=tuple(parts),
                       items=tuple(items))

    def decorated(self, c: list[Any]) -> gd.FunctionDef | gd.ClassDef:
        return gd.replace(c[-1], decorators=tuple(c[:-1]))

    def decorator(self, c: list[Any]) -> gd.Expr:
        return c[1]

    def funcdef(self, c: list[Any]) -> gd.FunctionDef:
        params = c[3] or ()
        body = c[-1]
        returns = c[-3] if len(c) > 7 and isinstance(c[-3], gd.Expr) else None
        return _FunctionDef(c[1].value, params, body, (), returns, join_span(c[0], body[-1]))

    def params(self, c: list[Any]) -> tuple[gd.Param, ...]:
        given = _positional_only([x for x in c if isinstance(x, gd.Param)])
        params: list[gd.Param] = []
        seen: set[str] = set()
        defaulted = False
        star: gd.Param | None = None  # the `*` or `*args` seen, if any
        for i, param in enumerate(given):
            if star is not None and param.kind in ("*", ""):
                if param.kind == "*":
                    raise GdSyntaxError("* argument may appear only once", param.span)
                param = gd.replace(param, kind="kw")
            if params and params[-1].kind == "**":
                raise GdSyntaxError("arguments cannot follow var-keyword argument", param.span)
            if param.kind == "*":
                star = param
                if not param.name:  # a bare `*`: keyword-only parameters must follow
                    if i + 1 == len(given) or given[i + 1].kind == "**":
                        raise GdSyntaxError("named arguments must follow bare *", param.span)
                    continue
            if param.name in seen:
                raise GdSyntaxError(f"duplicate parameter '{param.name}'", param.span)
            seen.add(param.name)
            if param.kind in ("", "pos"):
                if param.default is not None:
                    defaulted = True
                elif defaulted:
                    raise GdSyntaxError(
                        "parameter without a default follows parameter with a default",
                        param.span)
            params.append(param)
        return tuple(params)

    def param(self, c: list[Any]) -> gd.Param:
        # A def's `name: annotation = default` or a lambda's `name = default`: the
        # default is the last child either way; a def's annotation is kept.
        return _Param(c[0].value, c[-1], "", c[2] if len(c) == 5 else None,
                      join_span(c[0], _last(c)))

    def star_param(self, c: list[Any]) -> gd.Param:
        name = c[1].value if is_token(c[1]) and c[1].type == "NAME" else ""
        return gd.Param(name, kind="*", span=join_span(c[0], _last(c)),
                        annotation=_annotation(c))

    def slash_param(self, c: list[Any]) -> gd.Param:
        return gd.Param("", kind="/", span=token_span(c[0]))

    def kwargs_param(self, c: list[Any]) -> gd.Param:
        return gd.Param(c[1].value, kind="**", span=join_span(c[0], c[1]),
                        annotation=_annotation(c))

    # ----------------------------------------------------------- expressions

    def named_expr(self, c: list[Any]) -> gd.NamedExpr:
        t = c[0]
        target = _Name(t.value, make_span(t.line, t.column, t.end_line, t.end_column))
        return gd.NamedExpr(target, c[2], span=join_span(t, c[2]))

    def lambdef(self, c: list[Any]) -> gd.Lambda:
        return _Lambda(c[1] or (), c[3], join_span(c[0], c[3]))

    def tuple_bare(self, c: list[Any]) -> gd.Tuple:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return _Tuple(elts, join_span(c[0], _last(c)))

    def ifexp(self, c: list[Any]) -> gd.IfExp:
        return _IfExp(c[2], c[0], c[4], join_span(c[0], c[4]))

    def compare(self, c: list[Any]) -> gd.Compare:
        return _Compare(c[0], tuple(c[1::2]), tuple(c[2::2]), join_span(c[0], c[-1]))

    def call(self, c: list[Any]) -> gd.Call:
        args, keywords = c[2].value if c[2] is not None else ((), ())
        return _Call(c[0], args, keywords, join_span(c[0], c[3]))

    def call_genexp(self, c: list[Any]) -> gd.Call:
        gen = gd.GeneratorExp(c[2], c[3], span=join_span(c[2], c[3][-1]))
        return gd.Call(c[0], (gen,), (), span=join_span(c[0], c[4]))

    def arguments(self, c: list[Any]) -> _Part:
        args: list[gd.Expr] = []
        keywords: list[gd.Keyword] = []
        for item in c:
            if isinstance(item, gd.Keyword):
                if item.name is not None and any(k.name == item.name for k in keywords):
                    raise GdSyntaxError(f"keyword argument repeated: {item.name}", item.span)
                keywords.append(item)
            elif isinstance(item, gd.Expr):
                if any(k.name is None for k in keywords):
                    what = "iterable argument unpacking" if isinstance(item, gd.Starred) \
                        else "positional argument"
                    raise GdSyntaxError(f"{what} follows keyword argument unpacking",
                                        item.span)
                if keywords and not isinstance(item, gd.Starred):
                    raise GdSyntaxError("positional argument follows keyword argument", item.span)
                args.append(item)
        return _Part((tuple(args), tuple(keywords)), join_span(c[0], _last(c)))

    def keyword(self, c: list[Any]) -> gd.Keyword:
        return _Keyword(c[0].value, c[2], join_span(c[0], c[2]))

    def starred(self, c: list[Any]) -> gd.Starred:
        return _Starred(c[1], join_span(c[0], c[1]))

    def double_starred(self, c: list[Any]) -> gd.Keyword:
        return gd.Keyword(None, c[1], span=join_span(c[0], c[1]))

    def subscript(self, c: list[Any]) -> gd.Subscript:
        return _Subscript(c[0], c[2], join_span(c[0], c[3]))

    def slice(self, c: list[Any]) -> gd.Slice:
        present = [x for x in c if x is not None]
        return _Slice(c[0], c[2], c[4], join_span(present[0], present[-1]))

    def attribute(self, c: list[Any]) -> gd.Attribute:
        return _Attribute(c[0], c[2].value, join_span(c[0], c[2]), token_span(c[2]))

    def name(self, c: list[Any]) -> gd.Name:
        t = c[0]
        return _Name(t.value, make_span(t.line, t.column, t.end_line, t.end_column))

    def int_literal(self, c: list[Any]) -> gd.Constant:
        tok = c[0]
        try:
            value = int(tok.value, 0)
        except ValueError:
            raise GdSyntaxError(
                f"integer literal too large ({len(tok.value)} digits)", token_span(tok)
            ) from None
        return _Constant(value, token_span(tok))

    def float_literal(self, c: list[Any]) -> gd.Constant:
        t = c[0]
        return _Constant(float(t.value), make_span(t.line, t.column, t.end_line, t.end_column))

    def imaginary_literal(self, c: list[Any]) -> gd.Constant:
        t = c[0]
        return _Constant(complex(0.0, float(t.value[:-1])), token_span(t))

    def string_literal(self, c: list[Any]) -> gd.Constant | gd.FString:
        return read_strings(c, self.parse_field)

    def none_literal(self, c: list[Any]) -> gd.Constant:
        return _Constant(None, token_span(c[0]))

    def true_literal(self, c: list[Any]) -> gd.Constant:
        return _Constant(True, token_span(c[0]))

    def false_literal(self, c: list[Any]) -> gd.Constant:
        return _Constant(False, token_span(c[0]))

    def ellipsis_literal(self, c: list[Any]) -> gd.Constant:
        return gd.Constant(..., span=token_span(c[0]))

    def paren(self, c: list[Any]) -> gd.Expr:
        # The parentheses belong to the expression's span: a caret then covers "(a + b)".
        return gd.replace(c[1], span=join_span(c[0], c[2]))

    def tuple_display(self, c: list[Any]) -> gd.Tuple:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return _Tuple(elts, join_span(c[0], c[-1]))

    def list_display(self, c: list[Any]) -> gd.List:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return _List(elts, join_span(c[0], c[-1]))

    def genexp(self, c: list[Any]) -> gd.GeneratorExp:
        return gd.GeneratorExp(c[1], c[2], span=join_span(c[0], c[3]))

    def listcomp(self, c: list[Any]) -> gd.ListComp:
        return gd.ListComp(c[1], c[2], span=join_span(c[0], c[3]))

    def setcomp(self, c: list[Any]) -> gd.SetComp:
        return gd.SetComp(c[1], c[2], span=join_span(c[0], c[3]))

    def dictcomp(self, c: list[Any]) -> gd.DictComp:
        return gd.DictComp(c[1], c[3], c[4], span=join_span(c[0], c[5]))

    def dict_display(self, c: list[Any]) -> gd.Dict:
        items = [x.value for x in c if isinstance(x, _Part)]
        return gd.Dict(tuple(k for k, _ in items), tuple(v for _, v in items),
                       span=join_span(c[0], c[-1]))

    def dict_item(self, c: list[Any]) -> _Part:
        return _Part((c[0], c[2]), join_span(c[0], c[2]))

    def dict_spread(self, c: list[Any]) -> _Part:
        return _Part((None, c[1]), join_span(c[0], c[1]))

    def set_display(self, c: list[Any]) -> gd.Set:
        elts = tuple(x for x in c if isinstance(x, gd.Expr))
        return gd.Set(elts, span=join_span(c[0], c[-1]))

    def comp_for(self, c: list[Any]) -> tuple[gd.Comprehension, ...]:
        return tuple(c)

    def comp_clause(self, c: list[Any]) -> gd.Comprehension:
        _check_target(c[1])
        ifs = tuple(x for x in c[4:] if isinstance(x, gd.Expr))
        return gd.Comprehension(c[1], c[3], ifs, span=join_span(c[0], _last(c)))

    def comp_if(self, c: list[Any]) -> gd.Expr:
        return c[1]


# One grammar alias per operator, named as in the AST's operator tables.
for _op in gd.BINARY_OPS:
    setattr(Builder, _op, _binary(_op))
for _op in gd.UNARY_OPS:
    setattr(Builder, _op, _unary(_op))
for _op in gd.COMPARE_OPS:
    setattr(Builder, _op, _comparison(_op))
for _op in gd.BOOL_OPS:
    setattr(Builder, _op, _boolean(_op))
