"""Print an AST back as gd source, with only the parentheses the grammar needs.

`parse(unparse(tree)) == tree` for every tree the parser can produce (spans aside);
the round-trip property tests rely on it. One exception: a string constant inside an
f-string field that repr() would escape (a tab, say) raises ValueError, because
Python 3.11's syntax allows no backslash there.
"""

from __future__ import annotations

from collections.abc import Callable

from gradcli.syntax import ast as gd

# Binding strength, loosest first; an operand printed where a tighter level is
# required gets parentheses.
(_TUPLE, _LAMBDA, _IFEXP, _OR, _AND, _NOT, _COMPARE, _BOR, _BXOR, _BAND, _SHIFT, _ARITH, _TERM,
 _FACTOR, _POWER, _PRIMARY) = range(16)
_LEVEL = {
    "add": _ARITH,
    "sub": _ARITH,
    "mul": _TERM,
    "div": _TERM,
    "floor_divide": _TERM,
    "remainder": _TERM,
    "matmul": _TERM,
    "pow": _POWER,
    "bitwise_or": _BOR,
    "bitwise_xor": _BXOR,
    "bitwise_and": _BAND,
    "lshift": _SHIFT,
    "rshift": _SHIFT,
}
_INDENT = "    "


def unparse(node: gd.Node) -> str:
    """gd source for a Module, a statement or an expression."""
    if isinstance(node, gd.Module):
        return "".join(_statement(stmt, 0) for stmt in node.body)
    if isinstance(node, gd.Stmt):
        return _statement(node, 0)
    if isinstance(node, gd.Expr):
        return _expr(node, _TUPLE)
    raise TypeError(f"cannot unparse {type(node).__name__} on its own")


# ---------------------------------------------------------------- statements


def _block(body: tuple[gd.Stmt, ...], depth: int) -> str:
    return "".join(_statement(stmt, depth + 1) for stmt in body)


def _statement(stmt: gd.Stmt, depth: int) -> str:
    pad = _INDENT * depth
    if isinstance(stmt, gd.If):
        return _if(stmt, depth)
    if isinstance(stmt, gd.While):
        head = f"{pad}while {_expr(stmt.test, _IFEXP)}:\n{_block(stmt.body, depth)}"
        return head + _orelse(stmt.orelse, depth)
    if isinstance(stmt, gd.For):
        target = _bare(stmt.target, _ARITH)
        head = f"{pad}for {target} in {_bare(stmt.iter, _LAMBDA)}:\n{_block(stmt.body, depth)}"
        return head + _orelse(stmt.orelse, depth)
    if isinstance(stmt, gd.ClassDef):
        decorators = "".join(f"{pad}@{_expr(d, _IFEXP)}\n" for d in stmt.decorators)
        bases = f"({_elements(stmt.bases, _LAMBDA)})" if stmt.bases else ""
        return f"{decorators}{pad}class {stmt.name}{bases}:\n{_block(stmt.body, depth)}"
    if isinstance(stmt, gd.With):
        alias = f" as {stmt.name}" if stmt.name is not None else ""
        head = f"with {_expr(stmt.context, _IFEXP)}{alias}:"
        return f"{pad}{head}\n{_block(stmt.body, depth)}"
    if isinstance(stmt, gd.Try):
        return _try(stmt, depth)
    if isinstance(stmt, gd.FunctionDef):
        decorators = "".join(f"{pad}@{_expr(d, _IFEXP)}\n" for d in stmt.decorators)
        returns = "" if stmt.returns is None else f" -> {_expr(stmt.returns, _IFEXP)}"
        head = f"def {stmt.name}({_params(stmt.params)}){returns}:"
        return f"{decorators}{pad}{head}\n{_block(stmt.body, depth)}"
    return f"{pad}{_simple(stmt)}\n"


def _orelse(body: tuple[gd.Stmt, ...], depth: int) -> str:
    return f"{_INDENT * depth}else:\n{_block(body, depth)}" if body else ""


def _try(stmt: gd.Try, depth: int) -> str:
    pad = _INDENT * depth
    out = [f"{pad}try:\n{_block(stmt.body, depth)}"]
    for h in stmt.handlers:
        head = "except" if h.type is None else f"except {_expr(h.type, _IFEXP)}"
        alias = f" as {h.name}" if h.name is not None else ""
        out.append(f"{pad}{head}{alias}:\n{_block(h.body, depth)}")
    if stmt.orelse:
        out.append(f"{pad}else:\n{_block(stmt.orelse, depth)}")
    if stmt.finalbody:
        out.append(f"{pad}finally:\n{_block(stmt.finalbody, depth)}")
    return "".join(out)


def _if(stmt: gd.If, depth: int) -> str:
    # An elif chain is nested in the AST but printed flat, without recursion.
    pad = _INDENT * depth
    out = [f"{pad}if {_expr(stmt.test, _IFEXP)}:\n{_block(stmt.body, depth)}"]
    orelse = stmt.orelse
    while len(orelse) == 1 and isinstance(orelse[0], gd.If):
        branch = orelse[0]
        out.append(f"{pad}elif {_expr(branch.test, _IFEXP)}:\n{_block(branch.body, depth)}")
        orelse = branch.orelse
    if orelse:
        out.append(f"{pad}else:\n{_block(orelse, depth)}")
    return "".join(out)


def _simple(stmt: gd.Stmt) -> str:
    if isinstance(stmt, gd.ExprStmt):
        return _bare(stmt.value, _LAMBDA)
    if isinstance(stmt, gd.Assign):
        targets = "".join(f"{_bare(t, _IFEXP)} = " for t in stmt.targets)
        return targets + _bare(stmt.value, _LAMBDA)
    if isinstance(stmt, gd.AnnAssign):
        value = "" if stmt.value is None else f" = {_bare(stmt.value, _LAMBDA)}"
        return f"{_expr(stmt.target, _TUPLE)}: {_expr(stmt.annotation, _LAMBDA)}{value}"
    if isinstance(stmt, gd.AugAssign):
        op = gd.BINARY_OPS[stmt.op]
        return f"{_expr(stmt.target, _TUPLE)} {op}= {_bare(stmt.value, _LAMBDA)}"
    if isinstance(stmt, gd.Return):
        return "return" if stmt.value is None else f"return {_bare(stmt.value, _LAMBDA)}"
    if isinstance(stmt, gd.Assert):
        msg = "" if stmt.msg is None else f", {_expr(stmt.msg, _IFEXP)}"
        return f"assert {_expr(stmt.test, _IFEXP)}{msg}"
    if isinstance(stmt, gd.Import):
        return f"import {stmt.module}" + ("" if stmt.alias is None else f" as {stmt.alias}")
    if isinstance(stmt, gd.ImportFrom):
        names = ", ".join(
            n.name + ("" if n.alias is None else f" as {n.alias}") for n in stmt.names
        )
        return f"from {stmt.module} import {names}"
    if isinstance(stmt, gd.Raise):
        cause = "" if stmt.cause is None else f" from {_expr(stmt.cause, _IFEXP)}"
        return "raise" if stmt.exc is None else f"raise {_expr(stmt.exc, _IFEXP)}{cause}"
    if isinstance(stmt, gd.Pass):
        return "pass"
    if isinstance(stmt, gd.Delete):
        return "del " + _elements(stmt.targets, _ARITH)
    if isinstance(stmt, gd.Global | gd.Nonlocal):
        return f"{type(stmt).__name__.lower()} {', '.join(stmt.names)}"
    if isinstance(stmt, gd.Break):
        return "break"
    if isinstance(stmt, gd.Continue):
        return "continue"
    raise TypeError(f"cannot unparse statement {type(stmt).__name__}")


def _bare(node: gd.Expr, level: int) -> str:
    """A tuple without parentheses where a statement allows one (`a, b = b, a`)."""
    if isinstance(node, gd.Tuple) and node.elts:
        return _elements(node.elts, level, tuple_comma=True)
    return _expr(node, level)


def _params(params: tuple[gd.Param, ...]) -> str:
    out: list[str] = []
    for i, p in enumerate(params):
        if p.kind == "kw" and (i == 0 or params[i - 1].kind == ""):
            out.append("*")  # the bare star before keyword-only parameters
        text = p.name if p.annotation is None else \
            f"{p.name}: {_expr(p.annotation, _IFEXP)}"
        if p.default is not None:
            text += f"{' = ' if p.annotation is not None else '='}{_expr(p.default, _IFEXP)}"
        out.append({"*": "*", "**": "**"}.get(p.kind, "") + text)
        if p.kind == "pos" and (i + 1 == len(params) or params[i + 1].kind != "pos"):
            out.append("/")
    return ", ".join(out)


# --------------------------------------------------------------- expressions


def _elements(elts: tuple[gd.Expr, ...], level: int, *, tuple_comma: bool = False) -> str:
    text = ", ".join(_expr(e, level) for e in elts)
    return text + "," if tuple_comma and len(elts) == 1 else text


def _expr(node: gd.Expr, level: int) -> str:
    """`node` as source, parenthesised if it binds more loosely than `level`."""
    text, own = _EXPRESSIONS[type(node)](node)
    return f"({text})" if own < level else text


def _name(node: gd.Name) -> tuple[str, int]:
    return node.id, _PRIMARY


def _constant(node: gd.Constant) -> tuple[str, int]:
    value = node.value
    if value is Ellipsis:
        return "...", _PRIMARY
    if isinstance(value, float) and value == float("inf"):
        return "1e999", _PRIMARY  # the literal that overflows to inf when read back
    return repr(value), _PRIMARY


def _binop(node: gd.BinOp) -> tuple[str, int]:
    level = _LEVEL[node.op]
    symbol = gd.BINARY_OPS[node.op]
    if node.op == "pow":  # right-associative; the exponent may be a unary -x
        return f"{_expr(node.left, _PRIMARY)} ** {_expr(node.right, _FACTOR)}", level
    return f"{_expr(node.left, level)} {symbol} {_expr(node.right, level + 1)}", level


def _unaryop(node: gd.UnaryOp) -> tuple[str, int]:
    if node.op == "not":
        return f"not {_expr(node.operand, _NOT)}", _NOT
    return f"{gd.UNARY_OPS[node.op]}{_expr(node.operand, _FACTOR)}", _FACTOR


def _boolop(node: gd.BoolOp) -> tuple[str, int]:
    level = _OR if node.op == "or" else _AND
    return f" {node.op} ".join(_expr(v, level + 1) for v in node.values), level


def _compare(node: gd.Compare) -> tuple[str, int]:
    parts = [_expr(node.left, _BOR)]
    for op, right in zip(node.ops, node.comparators, strict=True):
        parts.append(f"{gd.COMPARE_OPS[op]} {_expr(right, _BOR)}")
    return " ".join(parts), _COMPARE


def _ifexp(node: gd.IfExp) -> tuple[str, int]:
    text = f"{_expr(node.body, _OR)} if {_expr(node.test, _OR)} else {_expr(node.orelse, _LAMBDA)}"
    return text, _IFEXP


def _lambda(node: gd.Lambda) -> tuple[str, int]:
    params = _params(node.params)
    head = f"lambda {params}" if params else "lambda"
    return f"{head}: {_expr(node.body, _LAMBDA)}", _LAMBDA


def _call(node: gd.Call) -> tuple[str, int]:
    if len(node.args) == 1 and not node.keywords and isinstance(node.args[0], gd.GeneratorExp):
        return f"{_primary(node.func)}({_comprehension(node.args[0])[0][1:-1]})", _PRIMARY
    args = [_expr(a, _LAMBDA) for a in node.args]
    args += [f"{k.name}={_expr(k.value, _LAMBDA)}" if k.name is not None
             else f"**{_expr(k.value, _ARITH)}" for k in node.keywords]
    return f"{_primary(node.func)}({', '.join(args)})", _PRIMARY


def _attribute(node: gd.Attribute) -> tuple[str, int]:
    return f"{_primary(node.value)}.{node.attr}", _PRIMARY


def _primary(node: gd.Expr) -> str:
    # `1.real` would read as the float `1.` followed by a name.
    if isinstance(node, gd.Constant) and type(node.value) is int:
        return f"({node.value!r})"
    return _expr(node, _PRIMARY)


def _subscript(node: gd.Subscript) -> tuple[str, int]:
    index = node.index
    if isinstance(index, gd.Tuple) and index.elts:
        inner = _elements(index.elts, _IFEXP, tuple_comma=True)
    else:
        inner = _expr(index, _IFEXP)
    return f"{_primary(node.value)}[{inner}]", _PRIMARY


def _slice(node: gd.Slice) -> tuple[str, int]:
    lower = "" if node.lower is None else _expr(node.lower, _IFEXP)
    upper = "" if node.upper is None else _expr(node.upper, _IFEXP)
    text = f"{lower}:{upper}"
    if node.step is not None:
        text += f":{_expr(node.step, _IFEXP)}"
    # A slice is only valid directly inside [...]; _subscript never parenthesises it.
    return text, _PRIMARY


def _tuple(node: gd.Tuple) -> tuple[str, int]:
    return f"({_elements(node.elts, _LAMBDA, tuple_comma=True)})", _PRIMARY


def _list(node: gd.List) -> tuple[str, int]:
    return f"[{_elements(node.elts, _LAMBDA)}]", _PRIMARY


def _starred(node: gd.Starred) -> tuple[str, int]:
    return f"*{_expr(node.value, _ARITH)}", _PRIMARY


def _dict(node: gd.Dict) -> tuple[str, int]:
    items = [f"**{_expr(v, _ARITH)}" if k is None else f"{_expr(k, _LAMBDA)}: {_expr(v, _LAMBDA)}"
             for k, v in zip(node.keys, node.values, strict=True)]
    return "{" + ", ".join(items) + "}", _PRIMARY


def _set(node: gd.Set) -> tuple[str, int]:
    return "{" + _elements(node.elts, _LAMBDA) + "}", _PRIMARY


def _comprehension(node: gd.ListComp | gd.SetComp | gd.GeneratorExp | gd.DictComp
                   ) -> tuple[str, int]:
    if isinstance(node, gd.DictComp):
        head = f"{_expr(node.key, _LAMBDA)}: {_expr(node.value, _LAMBDA)}"
    else:
        head = _expr(node.elt, _LAMBDA)
    clauses = []
    for comp in node.generators:
        clauses.append(f" for {_bare(comp.target, _ARITH)} in {_expr(comp.iter, _OR)}")
        clauses.extend(f" if {_expr(cond, _OR)}" for cond in comp.ifs)
    brackets = {gd.ListComp: "[]", gd.GeneratorExp: "()"}.get(type(node), "{}")
    return brackets[0] + head + "".join(clauses) + brackets[1], _PRIMARY


def _fstring(node: gd.FString) -> tuple[str, int]:
    # A lambda's ':' would end the field, so fields bind at least as tightly as x if c else y.
    fields = [_expr(p.value, _IFEXP) for p in _fields(node)]
    quote = next((q for q in ('"', "'", '"""', "'''") if not any(q in f for f in fields)), None)
    if quote is None or any("\\" in f for f in fields):
        raise ValueError("f-string field cannot be printed inside any kind of quotes")
    return "f" + quote + _fstring_body(node.parts, quote) + quote, _PRIMARY


def _fields(node: gd.FString) -> list[gd.FormattedValue]:
    """The fields of an f-string, those inside nested format specs included."""
    out: list[gd.FormattedValue] = []
    for part in node.parts:
        if isinstance(part, gd.FormattedValue):
            out.append(part)
            if part.nested_spec is not None:
                out.extend(_fields(part.nested_spec))
    return out


def _fstring_body(parts: tuple[str | gd.FormattedValue, ...], quote: str) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(_escape(part, quote).replace("{", "{{").replace("}", "}}"))
            continue
        out.append("{" + _expr(part.value, _IFEXP))
        if part.conversion is not None:
            out.append("!" + part.conversion)
        if part.format_spec is not None:
            out.append(":" + _escape(part.format_spec, quote))
        if part.nested_spec is not None:
            out.append(":" + _fstring_body(part.nested_spec.parts, quote))
        out.append("}")
    return "".join(out)


def _named_expr(node: gd.NamedExpr) -> tuple[str, int]:
    return f"({node.target.id} := {_expr(node.value, _LAMBDA)})", _PRIMARY


def _escape(text: str, quote: str) -> str:
    """Text for the inside of a non-raw string delimited by `quote`."""
    body = repr(text)[1:-1]  # Python's escapes, for the quote repr picked
    if repr(text)[0] != quote[0]:
        # repr chose the other quote: unescape that one, escape ours.
        other = repr(text)[0]
        body = body.replace("\\" + other, other).replace(quote[0], "\\" + quote[0])
    return body


_EXPRESSIONS: dict[type, Callable[..., tuple[str, int]]] = {
    gd.Name: _name,
    gd.Constant: _constant,
    gd.BinOp: _binop,
    gd.UnaryOp: _unaryop,
    gd.BoolOp: _boolop,
    gd.Compare: _compare,
    gd.IfExp: _ifexp,
    gd.Lambda: _lambda,
    gd.Call: _call,
    gd.Attribute: _attribute,
    gd.Subscript: _subscript,
    gd.Slice: _slice,
    gd.Tuple: _tuple,
    gd.List: _list,
    gd.FString: _fstring,
    gd.NamedExpr: _named_expr,
    gd.Starred: _starred,
    gd.Dict: _dict,
    gd.Set: _set,
    gd.ListComp: _comprehension,
    gd.SetComp: _comprehension,
    gd.DictComp: _comprehension,
    gd.GeneratorExp: _comprehension,
}
