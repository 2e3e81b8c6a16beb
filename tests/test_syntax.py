"""The syntax layer: grammar, AST builder, error messages, unparse round trips."""

from __future__ import annotations

import ast as pyast
import functools
import logging
import math
import pathlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcli.errors import GdSyntaxError
from gradcli.limits import DEFAULT_LIMITS
from gradcli.source import Source, Span
from gradcli.syntax import ast as gd
from gradcli.syntax import builder as gd_builder
from gradcli.syntax import context as gd_context
from gradcli.syntax import grammar as gd_grammar
from gradcli.syntax import layout as gd_layout
from gradcli.syntax import parse, parse_expression, unparse
from gradcli.syntax import parser as gd_parser

# Short names for expected trees; spans are ignored by ==.
N = gd.Name
C = gd.Constant
ELLIPSIS = gd.Constant(...)


def p(text: str) -> tuple[gd.Stmt, ...]:
    """The statements of a program."""
    return parse(Source("<test>", text)).body


def one(text: str) -> gd.Stmt:
    (stmt,) = p(text)
    return stmt


def e(text: str) -> gd.Expr:
    return parse_expression(text)


def error(text: str) -> GdSyntaxError:
    with pytest.raises(GdSyntaxError) as info:
        parse(Source("<test>", text))
    return info.value


def call(func: gd.Expr | str, *args: gd.Expr, **keywords: gd.Expr) -> gd.Call:
    func = N(func) if isinstance(func, str) else func
    kws = tuple(gd.Keyword(k, v) for k, v in keywords.items())
    return gd.Call(func, args, kws)


def attr(value: gd.Expr | str, *names: str) -> gd.Expr:
    node = N(value) if isinstance(value, str) else value
    for name in names:
        node = gd.Attribute(node, name)
    return node


def binop(op: str, left: gd.Expr, right: gd.Expr) -> gd.BinOp:
    return gd.BinOp(op, left, right)


# ------------------------------------------------------------------ statements


def test_statement_expression_and_assignments() -> None:
    assert one("x\n") == gd.ExprStmt(N("x"))
    assert one("x = 1") == gd.Assign((N("x"),), C(1))  # no final newline needed
    assert one("a = b = 2\n") == gd.Assign((N("a"), N("b")), C(2))
    unpack = gd.Tuple((N("a"), N("b")))
    assert one("a, b = f(x)\n") == gd.Assign((unpack,), call("f", N("x")))
    assert one("(a, b) = 1, 2\n") == gd.Assign((unpack,), gd.Tuple((C(1), C(2))))
    assert one("[a, b] = t\n") == gd.Assign((gd.List((N("a"), N("b"))),), N("t"))
    assert one("a, = t\n") == gd.Assign((gd.Tuple((N("a"),)),), N("t"))
    assert one("w.data[0] = 999\n") == gd.Assign((gd.Subscript(attr("w", "data"), C(0)),), C(999))
    assert one("x[1:3] = 0\n") == gd.Assign((gd.Subscript(N("x"), gd.Slice(C(1), C(3))),), C(0))
    assert one("x[mask] = 0\n") == gd.Assign((gd.Subscript(N("x"), N("mask")),), C(0))
    assert one("x.grad = None\n") == gd.Assign((attr("x", "grad"),), C(None))
    assert one("x.requires_grad = True\n") == gd.Assign((attr("x", "requires_grad"),), C(True))


@pytest.mark.parametrize(
    ("symbol", "op"),
    [("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "div"), ("//", "floor_divide"),
     ("%", "remainder"), ("**", "pow"), ("@", "matmul")],
)  # fmt: skip
def test_statement_augmented_assignment(symbol: str, op: str) -> None:
    assert one(f"x {symbol}= y\n") == gd.AugAssign(N("x"), op, N("y"))
    assert one(f"x.grad[0] {symbol}= 1\n") == gd.AugAssign(
        gd.Subscript(attr("x", "grad"), C(0)), op, C(1)
    )


def test_statement_if_elif_else() -> None:
    program = "if a:\n    x = 1\nelif b:\n    x = 2\nelif c:\n    pass\nelse:\n    x = 3\n"
    inner = gd.If(N("c"), (gd.Pass(),), (gd.Assign((N("x"),), C(3)),))
    middle = gd.If(N("b"), (gd.Assign((N("x"),), C(2)),), (inner,))
    assert one(program) == gd.If(N("a"), (gd.Assign((N("x"),), C(1)),), (middle,))
    assert one("if a: b; c\n") == gd.If(N("a"), (gd.ExprStmt(N("b")), gd.ExprStmt(N("c"))))


def test_statement_loops() -> None:
    assert one("while x < 3:\n    x += 1\n") == gd.While(
        gd.Compare(N("x"), ("lt",), (C(3),)), (gd.AugAssign(N("x"), "add", C(1)),)
    )
    loop = one("for i in range(4):\n    if i:\n        break\n    continue\n")
    assert loop == gd.For(
        N("i"), call("range", C(4)), (gd.If(N("i"), (gd.Break(),)), gd.Continue())
    )
    pairs = one("for a, b in zip(x, y):\n    pass\n")
    assert isinstance(pairs, gd.For)
    assert pairs.target == gd.Tuple((N("a"), N("b")))
    assert pairs.iter == call("zip", N("x"), N("y"))
    # `in` inside the iterable is a comparison again.
    assert one("for x in a in b: pass\n") == gd.For(
        N("x"), gd.Compare(N("a"), ("in",), (N("b"),)), (gd.Pass(),)
    )


def test_statement_function_definitions() -> None:
    program = "def f(a, b=2, c=None):\n    return a * b\n"
    assert one(program) == gd.FunctionDef(
        "f",
        (gd.Param("a"), gd.Param("b", C(2)), gd.Param("c", C(None))),
        (gd.Return(binop("mul", N("a"), N("b"))),),
    )
    assert one("def g(): return\n") == gd.FunctionDef("g", (), (gd.Return(),))
    assert one("def g(x,): return x, 1\n") == gd.FunctionDef(
        "g", (gd.Param("x"),), (gd.Return(gd.Tuple((N("x"), C(1)))),)
    )
    decorated = one("@torch.no_grad()\n@no_grad()\ndef h(x):\n    return x\n")
    assert isinstance(decorated, gd.FunctionDef)
    assert decorated.decorators == (call(attr("torch", "no_grad")), call("no_grad"))
    assert decorated.span.line == 3  # the def line, as in Python


def test_statement_with_assert_pass() -> None:
    assert one("with torch.no_grad():\n    y = x\n") == gd.With(
        call(attr("torch", "no_grad")), None, (gd.Assign((N("y"),), N("x")),)
    )
    assert one("with set_grad_enabled(False) as g: pass\n") == gd.With(
        call("set_grad_enabled", C(False)), "g", (gd.Pass(),)
    )
    assert one("assert x\n") == gd.Assert(N("x"))
    assert one("assert x.grad is None, 'no grad'\n") == gd.Assert(
        gd.Compare(attr("x", "grad"), ("is",), (C(None),)), C("no grad")
    )


def test_statement_imports() -> None:
    assert p("import torch\nimport torch.nn.functional as F\nimport math, torch\n") == (
        gd.Import("torch"),
        gd.Import("torch.nn.functional", "F"),
        gd.Import("math"),
        gd.Import("torch"),
    )
    assert one("from torch import X, Y as Z\n") == gd.ImportFrom(
        "torch", (gd.ImportedName("X"), gd.ImportedName("Y", "Z"))
    )
    assert one("from torch.autograd.functional import (\n    jacobian,\n    hessian,\n)\n") == (
        gd.ImportFrom(
            "torch.autograd.functional", (gd.ImportedName("jacobian"), gd.ImportedName("hessian"))
        )
    )


def test_statement_layout_comments_semicolons_and_joining() -> None:
    program = (
        "# header\n"
        "\n"
        "x = f(1,  # a comment inside brackets\n"
        "      2)\n"
        "    # a comment at another indentation changes nothing\n"
        "y = [\n"
        "  1,\n"
        "]; z = 3;\n"
        "w = 1 + \\\n"
        "    2\n"
        "if x:\n"
        "\n"
        "    a = 1   # trailing\n"
        "\n"
        "b = 2"
    )
    assert p(program) == (
        gd.Assign((N("x"),), call("f", C(1), C(2))),
        gd.Assign((N("y"),), gd.List((C(1),))),
        gd.Assign((N("z"),), C(3)),
        gd.Assign((N("w"),), binop("add", C(1), C(2))),
        gd.If(N("x"), (gd.Assign((N("a"),), C(1)),)),
        gd.Assign((N("b"),), C(2)),
    )
    assert p("") == ()
    assert p("\n\n# only a comment\n") == ()
    assert p("x = 1\r\ny = 2\r\n") == p("x = 1\ny = 2\n")


# ----------------------------------------------------------------- expressions


def test_expression_literals() -> None:
    assert e("42") == C(42)
    assert e("1_000") == C(1000)
    assert e("0x1f") == C(31)
    assert e("0") == C(0)
    assert e("1.5") == C(1.5)
    assert e("1.") == C(1.0)
    assert e(".5") == C(0.5)
    assert e("1e-3") == C(0.001)
    assert e("2E+4") == C(20000.0)
    assert e("1e999") == C(math.inf)
    assert e("True") == C(True)
    assert e("False") == C(False)
    assert e("None") == C(None)
    assert e("...") == ELLIPSIS
    assert e("'single'") == C("single")
    assert e('"dou\\tble\\n\\x41\\u00e9\\N{DEGREE SIGN}\\101\\q"') == C("dou\tble\nAé°A\\q")
    assert e("r'\\n'") == C("\\n")
    assert e("'a' \"b\" '''c'''") == C("abc")
    assert e('"""two\nlines"""') == C("two\nlines")
    assert e("u'x'") == C("x")


def test_expression_constants_compare_by_type() -> None:
    assert C(1) != C(True)
    assert C(1) != C(1.0)
    assert C(0) != C(False)
    assert len({C(1), C(True), C(1.0)}) == 3


def test_expression_collections() -> None:
    assert e("()") == gd.Tuple(())
    assert e("(1,)") == gd.Tuple((C(1),))
    assert e("(1, 2,)") == gd.Tuple((C(1), C(2)))
    assert e("1, 2") == gd.Tuple((C(1), C(2)))
    assert e("(1)") == C(1)
    assert e("[]") == gd.List(())
    assert e("[1, [2], (3,)]") == gd.List((C(1), gd.List((C(2),)), gd.Tuple((C(3),))))


def test_expression_calls_attributes_subscripts() -> None:
    assert e("f()") == call("f")
    assert e("f(x, 2, dim=0, keepdim=True,)") == call("f", N("x"), C(2), dim=C(0), keepdim=C(True))
    assert e("x.grad.data.zero_()") == call(attr("x", "grad", "data", "zero_"))
    assert e("x.T") == attr("x", "T")
    assert e("f(x)(y)") == gd.Call(call("f", N("x")), (N("y"),))
    assert e("x[0]") == gd.Subscript(N("x"), C(0))
    assert e("x[0][1]") == gd.Subscript(gd.Subscript(N("x"), C(0)), C(1))
    assert e("x[:, 1]") == gd.Subscript(N("x"), gd.Tuple((gd.Slice(), C(1))))
    assert e("x[1:3]") == gd.Subscript(N("x"), gd.Slice(C(1), C(3)))
    assert e("x[::2]") == gd.Subscript(N("x"), gd.Slice(step=C(2)))
    assert e("x[1:]") == gd.Subscript(N("x"), gd.Slice(C(1)))
    assert e("x[:-1:]") == gd.Subscript(N("x"), gd.Slice(upper=gd.UnaryOp("neg", C(1))))
    assert e("x[..., 0]") == gd.Subscript(N("x"), gd.Tuple((ELLIPSIS, C(0))))
    assert e("x[None]") == gd.Subscript(N("x"), C(None))
    assert e("x[mask]") == gd.Subscript(N("x"), N("mask"))
    assert e("x[0,]") == gd.Subscript(N("x"), gd.Tuple((C(0),)))
    assert e("x[()]") == gd.Subscript(N("x"), gd.Tuple(()))


def test_expression_operators() -> None:
    assert e("a // b % c") == binop("remainder", binop("floor_divide", N("a"), N("b")), N("c"))
    assert e("a @ b") == binop("matmul", N("a"), N("b"))
    assert e("-x") == gd.UnaryOp("neg", N("x"))
    assert e("+x") == gd.UnaryOp("pos", N("x"))
    assert e("~x") == gd.UnaryOp("bitwise_not", N("x"))
    assert e("not x") == gd.UnaryOp("not", N("x"))
    assert e("a and b and c") == gd.BoolOp("and", (N("a"), N("b"), N("c")))
    assert e("a or b") == gd.BoolOp("or", (N("a"), N("b")))
    ops = ["<", "<=", ">", ">=", "==", "!=", "is", "in", "is not", "not in"]
    names = ["lt", "le", "gt", "ge", "eq", "ne", "is", "in", "is_not", "not_in"]
    for symbol, name in zip(ops, names, strict=True):
        assert e(f"a {symbol} b") == gd.Compare(N("a"), (name,), (N("b"),))
    assert e("a < b <= c") == gd.Compare(N("a"), ("lt", "le"), (N("b"), N("c")))
    assert e("x if c else y") == gd.IfExp(N("c"), N("x"), N("y"))
    assert e("lambda: 0") == gd.Lambda((), C(0))
    assert e("lambda x, y=1: x * y") == gd.Lambda(
        (gd.Param("x"), gd.Param("y", C(1))), binop("mul", N("x"), N("y"))
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-x**2", "(-(x ** 2))"),
        ("2**-1", "(2 ** (-1))"),
        ("a**b**c", "(a ** (b ** c))"),
        ("(a**b)**c", "((a ** b) ** c)"),
        ("a - b - c", "((a - b) - c)"),
        ("a - (b - c)", "(a - (b - c))"),
        ("a + b * c", "(a + (b * c))"),
        ("a * b @ c / d", "(((a * b) @ c) / d)"),
        ("-a * b", "((-a) * b)"),
        ("not a == b", "(not (a == b))"),
        ("not a and b", "((not a) and b)"),
        ("a or b and c", "(a or (b and c))"),
        ("a + b < c * d", "((a + b) < (c * d))"),
        ("x if a or b else y if c else z", "(x if (a or b) else (y if c else z))"),
        ("lambda x: x if c else y", "(lambda x: (x if c else y))"),
        ("-x.grad ** 2", "(-((x.grad) ** 2))"),
        ("a @ b.T", "(a @ (b.T))"),
        ("~-+x", "(~(-(+x)))"),
        ("f(x)[0].y", "(((f(x))[0]).y)"),
    ],
)
def test_expression_precedence_matches_python(text: str, expected: str) -> None:
    assert _fully_parenthesised(e(text)) == expected
    # And Python agrees on the shape.
    assert _python_shape(pyast.parse(text, mode="eval").body) == _shape(e(text))


def _fully_parenthesised(node: gd.Expr) -> str:
    if isinstance(node, gd.BinOp):
        op = gd.BINARY_OPS[node.op]
        return f"({_fully_parenthesised(node.left)} {op} {_fully_parenthesised(node.right)})"
    if isinstance(node, gd.UnaryOp):
        space = " " if node.op == "not" else ""
        return f"({gd.UNARY_OPS[node.op]}{space}{_fully_parenthesised(node.operand)})"
    if isinstance(node, gd.BoolOp):
        return "(" + f" {node.op} ".join(_fully_parenthesised(v) for v in node.values) + ")"
    if isinstance(node, gd.Compare):
        parts = [_fully_parenthesised(node.left)]
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts += [gd.COMPARE_OPS[op], _fully_parenthesised(right)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, gd.IfExp):
        body, test, orelse = (_fully_parenthesised(x) for x in (node.body, node.test, node.orelse))
        return f"({body} if {test} else {orelse})"
    if isinstance(node, gd.Lambda):
        params = ", ".join(q.name for q in node.params)
        return f"(lambda {params}: {_fully_parenthesised(node.body)})"
    if isinstance(node, gd.Attribute):
        return f"({_fully_parenthesised(node.value)}.{node.attr})"
    if isinstance(node, gd.Subscript):
        return f"({_fully_parenthesised(node.value)}[{unparse(node.index)}])"
    if isinstance(node, gd.Call):
        args = ", ".join(unparse(a) for a in node.args)
        return f"({_fully_parenthesised(node.func)}({args}))"
    return unparse(node)


def _shape(node: gd.Expr) -> object:
    """An operator tree shape comparable with Python's ast (names and ints only)."""
    if isinstance(node, gd.BinOp):
        return (node.op, _shape(node.left), _shape(node.right))
    if isinstance(node, gd.UnaryOp):
        return (node.op, _shape(node.operand))
    if isinstance(node, gd.BoolOp):
        return (node.op, *map(_shape, node.values))
    if isinstance(node, gd.Compare):
        return ("compare", node.ops, _shape(node.left), *map(_shape, node.comparators))
    if isinstance(node, gd.IfExp):
        return ("ifexp", _shape(node.test), _shape(node.body), _shape(node.orelse))
    return type(node).__name__


_PY_OPS = {
    "Add": "add", "Sub": "sub", "Mult": "mul", "Div": "div", "FloorDiv": "floor_divide",
    "Mod": "remainder", "Pow": "pow", "MatMult": "matmul", "USub": "neg", "UAdd": "pos",
    "Invert": "bitwise_not", "Not": "not", "And": "and", "Or": "or", "Lt": "lt", "LtE": "le",
    "Gt": "gt", "GtE": "ge", "Eq": "eq", "NotEq": "ne", "Is": "is", "IsNot": "is_not",
    "In": "in", "NotIn": "not_in",
}  # fmt: skip
_PY_NODES = {"Constant": "Constant", "Name": "Name", "Attribute": "Attribute",
             "Subscript": "Subscript", "Call": "Call", "Lambda": "Lambda"}  # fmt: skip


def _python_shape(node: pyast.AST) -> object:
    name = type(node).__name__
    if isinstance(node, pyast.BinOp):
        op = _PY_OPS[type(node.op).__name__]
        return (op, _python_shape(node.left), _python_shape(node.right))
    if isinstance(node, pyast.UnaryOp):
        return (_PY_OPS[type(node.op).__name__], _python_shape(node.operand))
    if isinstance(node, pyast.BoolOp):
        return (_PY_OPS[type(node.op).__name__], *map(_python_shape, node.values))
    if isinstance(node, pyast.Compare):
        ops = tuple(_PY_OPS[type(o).__name__] for o in node.ops)
        return ("compare", ops, _python_shape(node.left), *map(_python_shape, node.comparators))
    if isinstance(node, pyast.IfExp):
        return (
            "ifexp", _python_shape(node.test), _python_shape(node.body), _python_shape(node.orelse)
        )  # fmt: skip
    return _PY_NODES[name]


def test_expression_fstrings() -> None:
    value = e('f"grad = {x.grad}"')
    assert value == gd.FString(("grad = ", gd.FormattedValue(attr("x", "grad"))))
    assert e("f'{v:.3f}'") == gd.FString((gd.FormattedValue(N("v"), None, ".3f"),))
    assert e("f'{v!r}'") == gd.FString((gd.FormattedValue(N("v"), "r"),))
    assert e("f'{v!s:>10}'") == gd.FString((gd.FormattedValue(N("v"), "s", ">10"),))
    assert e("f'{v:}'") == gd.FString((gd.FormattedValue(N("v"), None, ""),))
    assert e("f'{a != b}'") == gd.FString(
        (gd.FormattedValue(gd.Compare(N("a"), ("ne",), (N("b"),))),)
    )
    assert e("f'{{literal}} {x[\"k\"]:%H:%M}'") == gd.FString(
        ("{literal} ", gd.FormattedValue(gd.Subscript(N("x"), C("k")), None, "%H:%M"))
    )
    assert e("'a' f'{x}' 'b'") == gd.FString(("a", gd.FormattedValue(N("x")), "b"))
    assert e("f''") == gd.FString(())
    assert e("f'plain'") == gd.FString(("plain",))
    assert e("rf'\\n{x}'") == gd.FString(("\\n", gd.FormattedValue(N("x"))))
    assert e("f'\\n{x}\\t'") == gd.FString(("\n", gd.FormattedValue(N("x")), "\t"))
    assert e("f'{x, y}'") == gd.FString((gd.FormattedValue(gd.Tuple((N("x"), N("y")))),))
    nested = e("f\"{f'{x}'}\"")
    assert nested == gd.FString((gd.FormattedValue(gd.FString((gd.FormattedValue(N("x")),))),))


# ----------------------------------------------------------------------- spans


def test_spans_of_expressions() -> None:
    (stmt,) = p("y = a.b + f(x, k=1)[0]\n")
    assert isinstance(stmt, gd.Assign)
    assert stmt.span == Span(1, 1, 1, 23)
    add = stmt.value
    assert isinstance(add, gd.BinOp)
    assert add.span == Span(1, 5, 1, 23)
    assert isinstance(add.left, gd.Attribute)
    assert add.left.span == Span(1, 5, 1, 8)
    assert add.left.attr_span == Span(1, 7, 1, 8)
    subscript = add.right
    assert isinstance(subscript, gd.Subscript)
    assert subscript.span == Span(1, 11, 1, 23)
    assert isinstance(subscript.value, gd.Call)
    assert subscript.value.span == Span(1, 11, 1, 20)
    assert subscript.value.keywords[0].span == Span(1, 16, 1, 19)
    # Parentheses belong to the expression inside them.
    paren = e("(a + b) * c")
    assert isinstance(paren, gd.BinOp)
    assert paren.left.span == Span(1, 1, 1, 8)
    assert paren.span == Span(1, 1, 1, 12)
    multi = e("f(a,\n  b)")
    assert multi.span == Span(1, 1, 2, 5)


def test_spans_of_statements() -> None:
    program = "def f(a):\n    if a:\n        return a\n    return 1\nx = f(2)\n"
    func, assign = p(program)
    assert isinstance(func, gd.FunctionDef)
    assert func.span == Span(1, 1, 4, 13)
    branch = func.body[0]
    assert branch.span == Span(2, 5, 3, 17)
    assert assign.span == Span(5, 1, 5, 9)
    assert parse(Source("m", program)).span == Span(1, 1, 5, 9)
    elif_chain = one("if a:\n    pass\nelif b:\n    pass\nelse:\n    x\n")
    assert isinstance(elif_chain, gd.If)
    assert elif_chain.orelse[0].span == Span(3, 1, 6, 6)


def test_spans_inside_fstrings_point_into_the_file() -> None:
    (stmt,) = p("s = f'ab {x + 1:.2f} {y!r}'\n")
    assert isinstance(stmt, gd.Assign)
    fstring = stmt.value
    assert isinstance(fstring, gd.FString)
    first, second = (part for part in fstring.parts if isinstance(part, gd.FormattedValue))
    assert first.span == Span(1, 10, 1, 21)
    assert first.value.span == Span(1, 11, 1, 16)
    assert second.value.span == Span(1, 23, 1, 24)
    (stmt,) = p('s = f"""line one\n  {a *\n b} end"""\n')
    assert isinstance(stmt, gd.Assign)
    assert isinstance(stmt.value, gd.FString)
    field = stmt.value.parts[1]
    assert isinstance(field, gd.FormattedValue)
    assert field.value.span == Span(2, 4, 3, 3)
    err = error("s = f'ok {a +* b}'\n")
    assert err.span is not None
    assert (err.span.line, err.span.column) == (1, 14)


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        # a missing ':' is reported right after the header
        ("if x\n    y = 1\n", "expected ':'", 1, 5),
        ("while x < 3\n    pass\n", "expected ':'", 1, 12),
        ("for i in range(3)  # loop\n    pass\n", "expected ':'", 1, 18),
        ("def f(x)\n    return x\n", "expected ':'", 1, 9),
        ("if x:\n    pass\nelse\n    pass\n", "expected ':'", 3, 5),
        ("if x:\n    pass\nelif y\n    pass\n", "expected ':'", 3, 7),
        ("with no_grad()\n    pass\n", "expected ':'", 1, 15),
        # unclosed brackets point at the opening one
        ("x = (1 + 2\n", "unclosed '(' opened at 1:5", 1, 5),
        ("x = f(1,\n      2\ny = 3\n", "unclosed '(' opened at 1:6", 1, 6),
        ("x = [1, 2,\n", "unclosed '[' opened at 1:5", 1, 5),
        ("x = [f(1, 2]\n", "closing ']' does not match '(' opened at 1:7", 1, 12),
        ("x = f(1))\n", "unmatched ')'", 1, 9),
        (")\n", "unmatched ')'", 1, 1),
        ("x = ]\n", "unmatched ']'", 1, 5),
        # indentation
        ("if x:\n        a = 1\n    b = 2\n", "unindent does not match any outer", 3, 5),
        ("x = 1\n    y = 2\n", "unexpected indent", 2, 5),
        ("  x = 1\n", "unexpected indent", 1, 3),
        ("if x:\ny = 1\n", "expected an indented block after 'if' statement on line 1", 2, 1),
        ("for i in x:", "expected an indented block after 'for' statement on line 1", 1, 12),
        ("def f():\n\nreturn 1\n", "block after function definition on line 1", 3, 1),
        ("if x:\n\ty = 1\n        z = 2\n", "inconsistent use of tabs and spaces", 3, 9),
        ("if x:\n        y = 1\n\tz = 2\n", "inconsistent use of tabs and spaces", 3, 2),
        # '=' where a comparison belongs
        ("if x = 1:\n    pass\n", "unexpected '='; did you mean '=='?", 1, 6),
        ("while a = b:\n    pass\n", "unexpected '='; did you mean '=='?", 1, 9),
        ("f(a.b=1)\n", "unexpected '='; did you mean '=='?", 1, 6),
        # lexical errors
        ("s = 'abc\n", "unterminated string", 1, 5),
        ('s = """abc\nmore\n', "unterminated triple-quoted string", 1, 5),
        ("x = $y\n", "invalid character '$'", 1, 5),
        ("x = ?\n", "invalid character '?'", 1, 5),
        ("x = \x01\n", "invalid non-printable character U+0001", 1, 5),
        ("x = 1\0\n", "NUL byte", 1, 6),
        ("x = 007\n", "invalid number literal", 1, 5),
        ("x = 1 \\ 2\n", "unexpected character after line continuation character", 1, 7),
        ("x = b'abc' 'd'\n", "cannot mix bytes and nonbytes literals", 1, 5),
        ("x = b'\u00e9'\n", "bytes can only contain ASCII literal characters", 1, 5),
        ("x = '\\N{NO SUCH NAME}'\n", "unknown Unicode character name", 1, 6),
        ("x = '\\x4'\n", "truncated \\x escape", 1, 6),
        ("x = " + "9" * 5000 + "\n", "integer literal too large", 1, 5),
        # targets
        ("a, b += 1\n", "augmented assignment ('+=') to a tuple", 1, 1),
        ("f(x) = 1\n", "cannot assign to function call", 1, 1),
        ("1 = x\n", "cannot assign to literal", 1, 1),
        ("None = x\n", "cannot assign to None", 1, 1),
        ("a + b = c\n", "cannot assign to expression", 1, 1),
        ("a, f() = c\n", "cannot assign to function call", 1, 4),
        ("x = y = f() = 1\n", "cannot assign to function call", 1, 9),
        ("for f() in x: pass\n", "cannot assign to function call", 1, 5),
        ("f() += 1\n", "cannot assign to function call", 1, 1),
        # placement
        ("return 1\n", "'return' outside function", 1, 1),
        ("if x:\n    return\n", "'return' outside function", 2, 5),
        ("break\n", "'break' outside loop", 1, 1),
        ("def f():\n    continue\n", "'continue' outside loop", 2, 5),
        ("while x:\n    def f():\n        break\n", "'break' outside loop", 3, 9),
        ("for x in y:\n    pass\nelse:\n    break\n", "'break' outside loop", 4, 5),
        ("while x:\n    class A:\n        break\n", "'break' outside loop", 3, 9),
        ("def f():\n    class A:\n        return 1\n", "'return' outside function", 3, 9),
        # Python keywords gd leaves out
        ("class A(metaclass=M):\n    pass\n",
         "class keyword arguments (metaclass=...) are not supported in gd", 1, 9),
        ("try:\n    pass\n", "unexpected end of input; expected 'except' or 'finally'", 1, 1),
        ("raise from x\n", "unexpected 'from'", 1, 7),
        ("x = 1 yield\n", "'yield' inside an expression is not supported in gd", 1, 7),
        ("def f():\n    return [(yield 1)]\n",
         "'yield' inside an expression is not supported in gd", 2, 14),
        ("del f()\n", "cannot delete function call", 1, 5),
        ("del [x for x in y]\n", "cannot delete list comprehension", 1, 5),
        ("def f(*):\n    pass\n", "named arguments must follow bare *", 1, 7),
        ("def f(**k, a):\n    pass\n", "arguments cannot follow var-keyword argument", 1, 12),
        ("def f(*a, *b):\n    pass\n", "* argument may appear only once", 1, 11),
        ("f(**a, *b)\n", "iterable argument unpacking follows keyword argument unpacking", 1, 8),
        ("f(**a, b)\n", "positional argument follows keyword argument unpacking", 1, 8),
        ("async def f(): pass\n", "'async' is not supported in gd", 1, 1),
        ("x = await y\n", "'await' is not supported in gd", 1, 5),
        ("x.if = 1\n", "unexpected 'if'; expected a name", 1, 3),
        ("def None(): pass\n", "unexpected 'None'; expected a name", 1, 5),
        # other constructs outside gd
        ("x = {1: 2, 3}\n", "unexpected '}'; expected ':'", 1, 13),
        ("x = {\n1: 2\n", "unclosed '{' opened at 1:5", 1, 5),
        ("[x for x in y if a else b]\n", "unexpected 'else'", 1, 20),
        ("f(x for x in y, 1)\n", "generator expression must be parenthesized", 1, 15),
        ("f(1, x for x in y)\n", "generator expression must be parenthesized", 1, 8),
        ("[x for x in y, z]\n", "unexpected ','", 1, 14),
        ("*a = b\n", "starred assignment target must be in a list or tuple", 1, 1),
        ("x = *a\n", "can't use starred expression here", 1, 5),
        ("x = [*a for a in b]\n", "iterable unpacking cannot be used in comprehension", 1, 6),
        ("a, *b, *c = d\n", "multiple starred expressions in assignment", 1, 8),
        ("from torch import *\n", "'import *' is not supported in gd", 1, 19),
        ("(a, b): int = 1, 2\n", "only single target (not tuple) can be annotated", 1, 1),
        ("f(): int = 1\n", "illegal target for annotation", 1, 1),
        ("def f(/, a): pass\n", "at least one argument must precede /", 1, 7),
        ("def f(a, /, b, /): pass\n", "/ may appear only once", 1, 16),
        ("def f(*a, b, /): pass\n", "/ must be ahead of *", 1, 14),
        # calls and definitions
        ("f(a=1, a=2)\n", "keyword argument repeated: a", 1, 8),
        ("f(a=1, 2)\n", "positional argument follows keyword argument", 1, 8),
        ("def f(a=1, b): pass\n", "parameter without a default follows", 1, 12),
        ("def f(a, a): pass\n", "duplicate parameter 'a'", 1, 10),
        ("g = lambda a, a: 0\n", "duplicate parameter 'a'", 1, 15),
        # f-strings
        ("x = f'{}'\n", "f-string: empty expression not allowed", 1, 7),
        ("x = f'{x'\n", "f-string: expecting '}'", 1, 7),
        ("x = f'{x!z}'\n", "f-string: invalid conversion character", 1, 10),
        ("x = f'}'\n", "f-string: single '}' is not allowed", 1, 7),
        ("x = f'{a +}'\n", "f-string: incomplete expression before '}'", 1, 11),
        ("x = f'{a)}'\n", "f-string: unmatched ')'", 1, 9),
        ("x = f'{a[}'\n", "f-string: mismatched '}'", 1, 10),
        ("x = f'{a:{w:{p}}}'\n", "f-string: expressions nested too deeply", 1, 10),
        ("x = f'{a\\n}'\n", "f-string expression part cannot include a backslash", 1, 9),
        # generic
        ("x = 1 +\n", "unexpected end of line", 1, 8),
        ("print x\n", "unexpected name 'x'", 1, 7),
        ("x = 1 if y\n", "unexpected end of line; expected 'else'", 1, 11),
        ("@dec\nx = 1\n", "unexpected name 'x'", 2, 1),
        ("with x:\n    pass\nelse:\n    pass\n", "unexpected 'else'", 3, 1),
    ],
)
def test_error_message_and_position(text: str, message: str, line: int, column: int) -> None:
    err = error(text)
    assert message in err.message
    assert err.span is not None
    assert (err.span.line, err.span.column) == (line, column), err.message


def test_error_too_deep_never_recursion() -> None:
    deep_parens = "x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n"
    start = time.perf_counter()
    err = error(deep_parens)
    elapsed = time.perf_counter() - start  # ~1 ms: the postlexer stops at bracket 201
    assert "too deeply nested" in err.message
    assert err.span is not None and err.span.column == 4 + DEFAULT_LIMITS.max_nesting + 1
    assert elapsed < 30  # generous: only to show it never hangs
    for deep in [
        "x = " + "-" * 10_000 + "1\n",
        "x = " + "not " * 10_000 + "y\n",
        "x = " + " + ".join(["1"] * 10_000) + "\n",
        "x = " + "a" + ".b" * 10_000 + "\n",
        "x = " + "f" + "()" * 10_000 + "\n",
        "x = " + "lambda: " * 10_000 + "0\n",
        "x = " + "a if b else " * 10_000 + "c\n",
        "x = " + "2 ** " * 10_000 + "2\n",
        "x = " + "[" * 10_000 + "]" * 10_000 + "\n",
        "if a:\n    pass\n" + "elif a:\n    pass\n" * 1_000,
    ]:
        assert "too deeply nested" in error(deep).message
    blocks = "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n"
    assert "more than 100 indented blocks" in error(blocks).message
    with pytest.raises(GdSyntaxError, match="too deeply nested"):
        parse_expression("f'{" + "-" * 10_000 + "1}'")


def test_error_inputs_that_are_not_programs() -> None:
    with pytest.raises(GdSyntaxError, match="must be text"):
        parse(Source("bin", b"\x00\x01"))  # type: ignore[arg-type]
    with pytest.raises(GdSyntaxError, match="too large"):
        parse(Source("big", "x = 1\n" * 10), max_bytes=20)
    with pytest.raises(GdSyntaxError, match="too large"):
        parse(Source("big", "é" * 20), max_bytes=30)  # 40 bytes of UTF-8
    err = error(b"\x89PNG\r\n\x1a\n\x00\x00".decode("latin-1"))
    assert "NUL" in err.message
    err = error(b"\xff\xfe x = 1".decode("utf-8", "surrogateescape"))
    assert "invalid" in err.message


def test_error_parse_expression() -> None:
    with pytest.raises(GdSyntaxError, match="unexpected end of input"):
        parse_expression("")
    with pytest.raises(GdSyntaxError, match="unexpected '='"):
        parse_expression("x = 1")
    # Line breaks inside an expression are fine.
    assert parse_expression("[1,\n 2]\n") == gd.List((C(1), C(2)))


# ----------------------------------------------------------- tutorial programs

TUTORIAL_PROGRAMS = [
    # d2l-zh 2.3: y = 2xᵀx, gradients, zeroing, control flow
    """import torch
x = torch.reshape(torch.arange(4, dtype=torch.float64), (4, 1))
x.requires_grad_(True)
y = 2 * torch.mm(x.T, x)
#y.backward()
torch.autograd.backward(y)
print(y)
assert (x.grad - 4 * x).norm().item() == 0
x.grad
x.grad.data.zero_()
x.grad

def f(a):
    b = a * 2
    while b.norm().item() < 1000:
        b = b * 2
    if b.sum().item() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.normal(2, 3, size=(1, 1))
print(a)
a.requires_grad_(True)
with torch.set_grad_enabled(True):
    c = f(a)
c.backward()
print(a.grad)
a.grad == c / a
""",
    # Dive into DL: detach, non-scalar backward, control flow
    """import torch
x = torch.arange(4.0)
x.requires_grad_(True) # 等价于 `x = torch.arange(4.0, requires_grad=True)`
x.grad # 默认值是None
y = 2*torch.dot(x,x)
y.backward()
x.grad == 4*x
x.grad.zero_()
y = x*x
y.sum().backward()
u = y.detach()
z = u*x
z.sum().backward()
x.grad ==2*x

def f(a):
    b = a*2
    while b.norm() < 1000:
        b = b*2
    if b.sum()>0:
        c = b
    else:
        c = 100*b
    return c

a = torch.randn(size=(),requires_grad=True)
d = f(a)
d.backward()
a.grad == d/a
""",
    # Autograd blog: leaves, retain_graph, accumulation, in-place, detach
    """w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)    # retain_grad()
y = torch.mul(a, b)
y.backward(retain_graph=True)
print("is_leaf:\\n", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
print("gradient:\\n", w.grad, x.grad, a.grad, b.grad, y.grad)

for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(w.grad)  # 梯度不会自动清零
    w.grad.zero_()

a = torch.ones((1, ))
a += torch.ones((1, ))
w_detach = w.detach()
w_detach.data[0] = 999
print(w)
""",
    # pytorch gradient blog: vector-Jacobian product, no_grad
    """x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
""",
    # PyTorch tutorial: logistic loss, detach, higher order grad
    """import torch
torch.manual_seed(7)
x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w)+b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
loss.backward()
with torch.no_grad():
    z = torch.matmul(x, w) + b
z_det = z.detach()
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)
grad_1 = torch.autograd.grad(y, x, create_graph=True)
grad_2 = torch.autograd.grad(grad_1[0], x)
""",
    # gd extras: decorators, functional API, f-strings
    """import torch.nn.functional as F
from torch.autograd.functional import jacobian, hessian as H

@torch.no_grad()
def step(w, lr=0.1):
    w -= lr * w.grad
    return w

J = jacobian(lambda x: x ** 2, torch.ones(3))
print(f"J = {J}, norm {J.norm():.3f}, first {J[0, :]!r}")
x[x > 0] = 0
""",
]


@pytest.mark.parametrize("program", TUTORIAL_PROGRAMS)
def test_tutorial_programs_parse_and_round_trip(program: str) -> None:
    module = parse(Source("tutorial", program))
    assert module.body
    assert parse(Source("again", unparse(module))) == module


# ----------------------------------------------------------------- unparse


@pytest.mark.parametrize(
    "text",
    [
        "-x ** 2", "(-x) ** 2", "2 ** -1", "a ** b ** c", "(a ** b) ** c", "a - (b - c)",
        "a - b - c", "(a + b) * c", "not a == b", "(not a) == b", "a or b and c",
        "(a or b) and c", "x if c else lambda: y", "(x if c else y) if d else z",
        "f(lambda x: x, 1)", "(1).real", "1.5.real", "x[1:2, ::3, ...]", "(a, b)[0]",
        "(1,)", "()", "[]", "\"it's\"", "f\"{x!r:>10} and {{braces}}\"", "a < b < c",
        "(a < b) < c", "--x", "x[(lambda: 1)]", "x[a, b]", "f\"{'k'}\"",
        "[x * y for x in a for y in b if x if y]", "{k: v for k, v in d.items()}",
        "{x for x in (a if c else b)}", "sum(x ** 2 for x in xs)", "f((x for x in a), 1)",
        "{}", "{1: 2, **d}", "{1, 2}", "f(*a, b, *c, k=1, **kw)", "lambda *a, k=1, **kw: a",
        "a | b ^ c & d", "(a | b) & c", "a & b < c | d", "[x for x in (lambda: y)()]",
        "[*a, 1, *b]", "{*a}", "(*a,)", "f(*a, *(b, c))",
    ],
)  # fmt: skip
def test_unparse_uses_minimal_parentheses(text: str) -> None:
    assert unparse(e(text)) == text


def test_unparse_statements() -> None:
    program = (
        "@dec\n"
        "def f(a, b=(1, 2)):\n"
        "    for i, j in pairs:\n"
        "        if i:\n"
        "            continue\n"
        "        elif j:\n"
        "            break\n"
        "        else:\n"
        "            pass\n"
        "    return a, b\n"
        "x = y = 1, 2\n"
        "a, b = b, a\n"
        "from torch import x as y, z\n"
        "def g(a, *args, k, m=2, **kw):\n"
        "    global q\n"
        "    del a, kw['x'], q.y\n"
        "    while a:\n"
        "        pass\n"
        "    else:\n"
        "        a |= 1\n"
        "first, *rest = xs\n"
        "for h, *t in pairs:\n"
        "    x = *t, h\n"
        "def h(*, k):\n"
        "    nonlocal z\n"
        "@dec\n"
        "class A(B):\n"
        "    x = {1: [i for i in range(3)]}\n"
        "    def f(self):\n"
        "        return super().f()\n"
        "class C:\n"
        "    pass\n"
    )
    assert unparse(parse(Source("u", program))) == program


# ------------------------------------------------------------------ structure


def test_ast_nodes_are_frozen_slotted_and_compare_without_spans() -> None:
    a = gd.Name("x", span=Span(1, 1, 1, 2))
    b = gd.Name("x", span=Span(9, 9, 9, 10))
    assert a == b
    assert hash(a) == hash(b)
    assert not hasattr(a, "__dict__")
    with pytest.raises(AttributeError):
        a.id = "y"  # type: ignore[misc]


def test_ast_strings_are_plain_str_not_lark_tokens() -> None:
    module = parse(Source("t", "\n".join(TUTORIAL_PROGRAMS)))
    for node in gd.walk(module):
        for f in gd.fields(node):
            value = getattr(node, f.name)
            values = value if isinstance(value, tuple) else (value,)
            for item in values:
                if isinstance(item, str):
                    assert type(item) is str, (type(node).__name__, f.name)


def test_grammar_has_no_conflicts_and_builder_covers_every_rule() -> None:
    from lark import Lark
    from lark import logger as lark_logger

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    level = lark_logger.level
    lark_logger.addHandler(handler)
    lark_logger.setLevel(logging.DEBUG)  # Lark mutes its logger below CRITICAL
    try:
        text = pathlib.Path(gd_grammar._grammar_path()).read_text(encoding="utf-8")
        options = {**gd_grammar._PARSER_OPTIONS, "debug": True}
        grammar = Lark(text, **options, postlex=gd_layout.Layout())
    finally:
        lark_logger.removeHandler(handler)
        lark_logger.setLevel(level)
    assert not [r.getMessage() for r in records if "onflict" in r.getMessage()]
    builder = gd_builder.Builder(gd_grammar.parse_fstring_field)
    for rule in grammar.rules:
        name = str(rule.alias or rule.origin.name)
        if name.startswith("_"):
            continue  # inlined into the rule that uses it
        if rule.options.expand1 and not rule.alias:
            assert len(rule.expansion) == 1, f"{name} would build a Lark tree"
        else:
            assert callable(getattr(builder, name, None)), f"no builder for {name}"


def _parse_with(parser: object, text: str) -> object:
    gd_context.active_contexts().append(gd_context.ParseContext(mode="module"))
    try:
        return parser.parse(text, start="module")  # type: ignore[attr-defined]
    finally:
        gd_context.active_contexts().pop()


def test_parser_cache_is_private_reused_and_optional(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [gd.Assign((N("x"),), C(1))]
    folder = tmp_path / "cache"
    monkeypatch.setattr(gd_grammar, "_cache_dirs", lambda: iter([str(folder)]))
    assert _parse_with(gd_grammar.lalr_parser.__wrapped__(), "x = 1\n") == expected
    (cached,) = folder.iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    written = cached.stat().st_mtime_ns
    assert _parse_with(gd_grammar.lalr_parser.__wrapped__(), "x = 1\n") == expected
    assert cached.stat().st_mtime_ns == written  # loaded, not rebuilt
    # A cache file others could have written is a pickle nobody should load.
    cached.chmod(0o666)
    assert _parse_with(gd_grammar.lalr_parser.__wrapped__(), "x = 1\n") == expected
    assert cached.stat().st_mtime_ns == written
    # No usable cache folder at all: the grammar is analysed in memory.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(gd_grammar, "_cache_dirs", lambda: iter([str(blocker / "cache")]))
    assert _parse_with(gd_grammar.lalr_parser.__wrapped__(), "x = 1\n") == expected


def test_syntax_imports_only_lark_and_shared_types() -> None:
    allowed = {"gradcli.errors", "gradcli.limits", "gradcli.records", "gradcli.source",
               "gradcli.syntax", "lark"}
    folder = pathlib.Path(gd_parser.__file__).parent
    for path in folder.glob("*.py"):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.ImportFrom) and node.module:
                module = node.module
            elif isinstance(node, pyast.Import):
                module = node.names[0].name
            else:
                continue
            top = module.split(".")[0]
            if top in ("gradcli", "lark"):
                assert any(module == a or module.startswith(a + ".") for a in allowed), (
                    path.name,
                    module,
                )


def test_ten_thousand_line_program_parses() -> None:
    lines = []
    for i in range(2_500):
        lines += [
            f"x{i} = torch.ones(3, requires_grad=True) * {i} + y[1:3, ::2] ** 2",
            f"if x{i}.sum() > {i}:",
            f"    z = f(x{i}, dim=0, keepdim=True).mean() - (a @ b).T",
            f"print(f'value {{x{i}:.3f}}', x{i}.grad is None)",
        ]
    module = parse(Source("long", "\n".join(lines)))
    # About 1.8 s on the development machine (~8 µs per token, nearly all of it in Lark).
    assert len(module.body) == 7_500


# ----------------------------------------------------------------- hypothesis

_WORDS = st.sampled_from(["x", "y", "w", "grad", "data", "torch", "a1", "_t", "ß", "名"])


def _constants() -> st.SearchStrategy[gd.Expr]:
    floats = st.floats(min_value=0, allow_nan=False).filter(lambda v: math.copysign(1, v) > 0)
    return st.one_of(
        st.integers(min_value=0, max_value=10**30),
        floats,
        st.text(max_size=6),
        st.sampled_from([True, False, None, ...]),
    ).map(gd.Constant)


def _simple_expressions() -> st.SearchStrategy[gd.Expr]:
    """Expressions with no string constants, for inside f-string fields."""
    leaves = st.one_of(_WORDS.map(gd.Name), st.integers(0, 99).map(gd.Constant))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(gd.BinOp, st.sampled_from(list(gd.BINARY_OPS)), inner, inner),
            st.builds(gd.Attribute, inner, _WORDS),
            st.builds(lambda f, a: gd.Call(f, (a,)), inner, inner),
        ),
        max_leaves=4,
    )


def _fstrings() -> st.SearchStrategy[gd.Expr]:
    field = st.builds(
        gd.FormattedValue,
        _simple_expressions(),
        st.sampled_from([None, "r", "s", "a"]),
        st.sampled_from([None, "", ".3f", ">10", "+.2e", "%H:%M", "é"]),
    )
    parts = st.lists(st.one_of(st.text(max_size=4), field), max_size=4)
    return parts.map(lambda items: gd.FString(tuple(_merge_text(items))))


def _merge_text(items: list[str | gd.FormattedValue]) -> list[str | gd.FormattedValue]:
    merged: list[str | gd.FormattedValue] = []
    for item in items:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        elif item != "":
            merged.append(item)
    return merged


def _params(names: list[str], defaults: list[gd.Expr]) -> tuple[gd.Param, ...]:
    # Defaults go on the trailing parameters, as the grammar requires.
    unique = list(dict.fromkeys(names))
    cut = len(unique) - min(len(defaults), len(unique))
    return tuple(
        gd.Param(name, defaults[i - cut] if i >= cut else None) for i, name in enumerate(unique)
    )


def _expressions(max_leaves: int) -> st.SearchStrategy[gd.Expr]:
    leaves = st.one_of(_WORDS.map(gd.Name), _constants(), _fstrings())

    def extend(inner: st.SearchStrategy[gd.Expr]) -> st.SearchStrategy[gd.Expr]:
        index_item = st.one_of(
            inner, st.builds(gd.Slice, st.none() | inner, st.none() | inner, st.none() | inner)
        )
        index = st.one_of(index_item, st.lists(index_item, max_size=3).map(tuple).map(gd.Tuple))
        keywords = st.dictionaries(_WORDS, inner, max_size=2).map(
            lambda d: tuple(gd.Keyword(k, v) for k, v in d.items())
        )
        chains = st.lists(st.tuples(st.sampled_from(list(gd.COMPARE_OPS)), inner), min_size=1)
        return st.one_of(
            st.builds(gd.BinOp, st.sampled_from(list(gd.BINARY_OPS)), inner, inner),
            st.builds(gd.UnaryOp, st.sampled_from(list(gd.UNARY_OPS)), inner),
            st.builds(
                gd.BoolOp,
                st.sampled_from(list(gd.BOOL_OPS)),
                st.lists(inner, min_size=2, max_size=3).map(tuple),
            ),
            st.builds(
                lambda left, chain: gd.Compare(
                    left, tuple(op for op, _ in chain), tuple(right for _, right in chain)
                ),
                inner,
                chains,
            ),
            st.builds(gd.IfExp, inner, inner, inner),
            st.builds(gd.Call, inner, st.lists(inner, max_size=2).map(tuple), keywords),
            st.builds(gd.Attribute, inner, _WORDS),
            st.builds(gd.Subscript, inner, index),
            st.lists(inner, max_size=3).map(tuple).map(gd.Tuple),
            st.lists(inner, max_size=3).map(tuple).map(gd.List),
            st.builds(
                gd.Lambda,
                st.builds(_params, st.lists(_WORDS, max_size=3), st.lists(inner, max_size=2)),
                inner,
            ),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


_EXPRESSIONS = _expressions(max_leaves=12)
_SMALL_EXPRESSIONS = _expressions(max_leaves=4)
_SIMPLE_TARGETS = st.one_of(
    _WORDS.map(gd.Name),
    st.builds(gd.Attribute, _WORDS.map(gd.Name), _WORDS),
    st.builds(gd.Subscript, _WORDS.map(gd.Name), _SMALL_EXPRESSIONS),
)
_TARGETS = st.one_of(
    _SIMPLE_TARGETS, st.lists(_SIMPLE_TARGETS, max_size=3).map(tuple).map(gd.Tuple)
)


@functools.cache
def _blocks(depth: int = 0, in_function: bool = False, in_loop: bool = False):
    """Non-empty statement lists in which return/break/continue are legal."""
    return st.lists(_statements(depth, in_function, in_loop), min_size=1, max_size=3).map(tuple)


@functools.cache
def _statements(depth: int, in_function: bool, in_loop: bool) -> st.SearchStrategy[gd.Stmt]:
    expr = _SMALL_EXPRESSIONS
    options: list[st.SearchStrategy[gd.Stmt]] = [
        st.builds(gd.ExprStmt, expr),
        st.builds(gd.Assign, st.lists(_TARGETS, min_size=1, max_size=2).map(tuple), expr),
        st.builds(gd.AugAssign, _SIMPLE_TARGETS, st.sampled_from(list(gd.BINARY_OPS)), expr),
        st.just(gd.Pass()),
        st.builds(gd.Assert, expr, st.none() | expr),
        st.builds(gd.Import, st.sampled_from(["torch", "math", "torch.nn.functional"]),
                  st.none() | _WORDS),
        st.builds(
            gd.ImportFrom,
            st.sampled_from(["torch", "torch.autograd.functional"]),
            st.lists(st.builds(gd.ImportedName, _WORDS, st.none() | _WORDS), min_size=1,
                     max_size=2).map(tuple),
        ),
    ]  # fmt: skip
    if in_function:
        options.append(st.builds(gd.Return, st.none() | expr))
    if in_loop:
        options += [st.just(gd.Break()), st.just(gd.Continue())]
    if depth < 2:
        body = _blocks(depth + 1, in_function, in_loop)
        loop_body = _blocks(depth + 1, in_function, True)
        options += [
            st.builds(gd.If, expr, body, st.just(()) | body),
            st.builds(gd.While, expr, loop_body),
            st.builds(gd.For, _TARGETS, expr, loop_body),
            st.builds(gd.With, expr, st.none() | _WORDS, body),
            st.builds(
                gd.FunctionDef,
                _WORDS,
                st.builds(_params, st.lists(_WORDS, max_size=3), st.lists(expr, max_size=2)),
                _blocks(depth + 1, True, False),
                st.lists(expr, max_size=2).map(tuple),
            ),
        ]
    return st.one_of(options)


_FAST = settings(
    max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_FAST
@given(_EXPRESSIONS)
def test_round_trip_generated_expressions(tree: gd.Expr) -> None:
    assert parse_expression(unparse(tree)) == tree


@_FAST
@given(_blocks())
def test_round_trip_generated_programs(body: tuple[gd.Stmt, ...]) -> None:
    module = gd.Module(body)
    source = unparse(module)
    assert parse(Source("generated", source)) == module


def _only_syntax_errors(text: str) -> None:
    for run in (lambda: parse(Source("fuzz", text)), lambda: parse_expression(text)):
        try:
            run()
        except GdSyntaxError as err:
            assert not err.message.startswith("internal error"), err.message
            if err.span is not None:
                assert err.span.line >= 1 and err.span.column >= 1


@_FAST
@given(st.text())
def test_parse_never_raises_anything_but_syntax_errors(text: str) -> None:
    _only_syntax_errors(text)


_PYTHONISH = st.lists(
    st.sampled_from([*"()[]{}:;,.=+-*/%@<>!~'\"#\\ \t\nfrx01_", "if ", "def ", "    "]),
    max_size=30,
).map("".join)


@_FAST
@given(_PYTHONISH)
def test_parse_never_raises_on_python_like_text(text: str) -> None:
    _only_syntax_errors(text)


_VALID = TUTORIAL_PROGRAMS[0].encode("utf-8")


@_FAST
@given(
    st.lists(
        st.tuples(st.integers(0, len(_VALID)), st.integers(0, 3), st.binary(max_size=3)),
        min_size=1,
        max_size=4,
    )
)
def test_parse_never_raises_on_mutated_programs(edits: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(_VALID)
    for at, remove, insert in edits:
        data[at : at + remove] = insert
    _only_syntax_errors(data.decode("utf-8", "surrogateescape"))
