"""`match` statements: the builder's patterns, compiled into gd's own statements.

A match statement becomes an assignment of its subject to a hidden name and an if/elif
chain, one branch per case, whose test is the pattern's test (and the guard):

    match command:                    match$3:1 = command
        case [x, *rest] if x > 0:     if match$seq(match$3:1, 2, 1) ... and x > 0:
            ...                       elif ...

A capture binds with an assignment expression that is always true (`[x := v]`, a
one-element list); literals compare with `==` (`is` for None, True and False), value
patterns (`Color.RED`) with `==`; sequence, mapping and class patterns call the hidden
built-ins `match$seq`, `match$map` and `match$cls` (gradcli/interp/pymatch.py), which
check the subject as Python does and return the values the sub-patterns match (or None),
held in a hidden name of their own. Hidden names contain `$`, which no gd name can, so a
program can neither read nor shadow them. The runtime, the scopes, generators and the
parse cache need nothing new: everything is ordinary AST."""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdSyntaxError
from gradcli.source import Span
from gradcli.syntax import ast as gd

SEQUENCE, MAPPING, CLASS = "match$seq", "match$map", "match$cls"


class Pattern:
    """A pattern as the builder reads it (never part of the AST).

    kind: wildcard, capture (name), literal (value: a Constant), value (value: the
    dotted expression), or (parts), as (parts[0], name), star (name, None for `*_`),
    sequence (parts, stars among them), mapping (items: (key, pattern); name: `**rest`),
    class (value: the class expression; parts: positional; items: (keyword, pattern))."""

    __slots__ = ("items", "kind", "name", "parts", "span", "value")

    def __init__(self, kind: str, span: Span, *, name: str | None = None, value: Any = None,
                 parts: tuple[Pattern, ...] = (), items: tuple[tuple[Any, Pattern], ...] = ()
                 ) -> None:
        self.kind, self.span, self.name, self.value = kind, span, name, value
        self.parts, self.items = parts, items

    def irrefutable(self) -> bool:
        if self.kind in ("wildcard", "capture"):
            return True
        if self.kind == "as":
            return self.parts[0].irrefutable()
        if self.kind == "or":
            return any(p.irrefutable() for p in self.parts)
        return False


def _name(name: str, span: Span) -> gd.Name:
    return gd.Name(name, span=span)


def _hidden(kind: str, span: Span) -> str:
    return f"match${kind}{span.line}:{span.column}"


def _bind(name: str, value: gd.Expr, span: Span) -> gd.Expr:
    """`[name := value]`: binds, and is true whatever the value."""
    return gd.List((gd.NamedExpr(_name(name, span), value, span=span),), span=span)


def _and(tests: list[gd.Expr], span: Span) -> gd.Expr:
    tests = [t for t in tests if not (isinstance(t, gd.Constant) and t.value is True)]
    if not tests:
        return gd.Constant(True, span=span)
    return tests[0] if len(tests) == 1 else gd.BoolOp("and", tuple(tests), span=span)


def _helper(helper: str, p: Pattern, args: tuple[gd.Expr, ...]) -> tuple[gd.Expr, str]:
    """`(match$kL:C := helper(args)) is not None`, and the hidden name of its values."""
    held = _hidden(helper[6:], p.span)
    call = gd.Call(_name(helper, p.span), args, span=p.span)
    test = gd.Compare(gd.NamedExpr(_name(held, p.span), call, span=p.span), ("is_not",),
                      (gd.Constant(None, span=p.span),), span=p.span)
    return test, held


def _item(held: str, i: int, span: Span) -> gd.Expr:
    return gd.Subscript(_name(held, span), gd.Constant(i, span=span), span=span)


def test(p: Pattern, subject: gd.Expr) -> gd.Expr:
    """An expression that is true when `subject` matches `p`, binding its captures."""
    span = p.span
    kind = p.kind
    if kind == "wildcard":
        return gd.Constant(True, span=span)
    if kind == "capture":
        return _bind(p.name or "", subject, span)
    if kind in ("literal", "value"):
        op = "is" if kind == "literal" and (p.value.value is None
                                             or isinstance(p.value.value, bool)) else "eq"
        return gd.Compare(subject, (op,), (p.value,), span=span)
    if kind == "or":
        return gd.BoolOp("or", tuple(test(q, subject) for q in p.parts), span=span)
    if kind == "as":
        return _and([test(p.parts[0], subject), _bind(p.name or "", subject, span)], span)
    if kind == "sequence":
        stars = [i for i, q in enumerate(p.parts) if q.kind == "star"]
        if len(stars) > 1:
            raise GdSyntaxError("multiple starred names in sequence pattern", span)
        star = stars[0] if stars else -1
        check, held = _helper(SEQUENCE, p, (subject, gd.Constant(len(p.parts), span=span),
                                            gd.Constant(star, span=span)))
        tests = [check]
        for i, q in enumerate(p.parts):
            if q.kind == "star":
                if q.name is not None:
                    tests.append(_bind(q.name, _item(held, i, q.span), q.span))
            else:
                tests.append(test(q, _item(held, i, q.span)))
        return _and(tests, span)
    if kind == "mapping":
        keys = tuple(key for key, _ in p.items)
        check, held = _helper(MAPPING, p, (
            subject, gd.Tuple(keys, span=span), gd.Constant(p.name is not None, span=span)))
        tests = [check]
        tests += [test(q, _item(held, i, q.span)) for i, (_, q) in enumerate(p.items)]
        if p.name is not None:
            tests.append(_bind(p.name, _item(held, len(p.items), span), span))
        return _and(tests, span)
    if kind == "class":
        names = tuple(gd.Constant(k, span=span) for k, _ in p.items)
        seen: set[str] = set()
        for k, q in p.items:
            if k in seen:
                raise GdSyntaxError(f"attribute name repeated in class pattern: {k}", q.span)
            seen.add(k)
        check, held = _helper(CLASS, p, (subject, p.value,
                                         gd.Constant(len(p.parts), span=span),
                                         gd.Tuple(names, span=span)))
        subs = [*p.parts, *(q for _, q in p.items)]
        return _and([check, *(test(q, _item(held, i, q.span)) for i, q in enumerate(subs))],
                    span)
    raise AssertionError(kind)


def _captures(p: Pattern) -> list[str]:
    """The names a pattern binds, in order (Python's rules for `|` and repeats)."""
    if p.kind in ("capture", "star") and p.name is not None:
        return [p.name]
    if p.kind == "as":
        return [*_captures(p.parts[0]), p.name or ""]
    if p.kind == "or":
        first = _captures(p.parts[0])
        for q in p.parts[1:]:
            if set(_captures(q)) != set(first):
                raise GdSyntaxError("alternative patterns bind different names", q.span)
        return first
    out: list[str] = []
    for q in (*p.parts, *(q for _, q in p.items)):
        out += _captures(q)
    if p.kind == "mapping" and p.name is not None:
        out.append(p.name)
    return out


def _check(p: Pattern) -> None:
    for q in p.parts:
        if p.kind == "or" and q is not p.parts[-1] and q.irrefutable():
            what = "wildcard" if q.kind == "wildcard" else f"name capture '{q.name}'"
            raise GdSyntaxError(f"{what} makes remaining patterns unreachable", q.span)
    names = _captures(p)
    for n in names:
        if names.count(n) > 1:
            raise GdSyntaxError(f"multiple assignments to name '{n}' in pattern", p.span)


def match_statement(subject: gd.Expr, cases: list[tuple[Pattern, gd.Expr | None,
                                                        tuple[gd.Stmt, ...], Span]],
                    span: Span) -> list[gd.Stmt]:
    """The assignment and the if/elif chain a match statement runs as."""
    held = _hidden("subject", span)
    value = _name(held, subject.span)
    for pattern, guard, _, where in cases[:-1]:
        if guard is None and pattern.irrefutable():
            what = ("wildcard" if pattern.kind == "wildcard"
                    else f"name capture '{pattern.name}'" if pattern.kind == "capture"
                    else "irrefutable pattern")
            raise GdSyntaxError(f"{what} makes remaining patterns unreachable", where)
    orelse: tuple[gd.Stmt, ...] = ()
    for pattern, guard, body, where in reversed(cases):
        _walk_check(pattern)
        cond = test(pattern, value)
        if guard is not None:
            cond = _and([cond, guard], where)
        end = (orelse or body)[-1].span
        orelse = (gd.If(cond, body, orelse, span=Span(where.line, where.column,
                                                       end.end_line, end.end_column)),)
    assign = gd.Assign((_name(held, subject.span),), subject, span=subject.span)
    return [assign, *orelse]


def _walk_check(p: Pattern) -> None:
    _check(p)
    for q in (*p.parts, *(q for _, q in p.items)):
        _walk_check(q)
