"""`traceback` in gd: what scripts call in an `except` block to show or log an error.

`traceback.print_exc()` (to sys.stderr, or `file=`), `format_exc()`, `print_exception`,
`format_exception` and `format_exception_only` (Python 3.10's one-argument form and the
old `(type, value, tb)` form) give Python's text: the chain of causes and contexts with
Python's separating sentences, a `Traceback (most recent call last):` block for an
exception that was raised, and the last line `Type: message` exactly as Python words it.
The block lists a frame for every call of a gd def, method, class or module the error
left (each named as Python names its frame: the def, `<lambda>`, `<listcomp>` ...), then
the line that raised it, with 3.11's carets; PyTorch's own frames (nn.Module's
_call_impl) are not shown. `print_stack`/`format_stack` show no frames.
"""

from __future__ import annotations

import ast
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import classdunders, exceptions, pysys
from gradcli.interp.values import Builtin, Namespace

_UNSET = object()
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _label(exc: exceptions.ExceptionValue) -> str:
    """The exception's class as Python's last line names it (its module unless it is
    __main__'s or a built-in)."""
    cls = exc.cls
    name = cls.qualname
    module = classdunders.class_attribute(cls, "__module__")
    return name if module in ("__main__", "builtins") else f"{module}.{name}"


def _only(exc: Any) -> list[str]:
    if exc is None:
        return ["NoneType: None\n"]
    if type(exc) is not exceptions.ExceptionValue:
        raise GdRuntimeError("traceback needs an exception object in gd", py_type="TypeError")
    text = str(exc)
    return [f"{_label(exc)}: {text}\n" if text else f"{_label(exc)}\n"]


def _anchors(segment: str) -> tuple[int, int] | None:
    """Python 3.11's anchors in the failing expression's text: a binary operator's
    (`~~^~~`) or a subscript's brackets (`~~^^^^^`), else None (all `^`)."""
    try:
        tree = ast.parse(segment)  # the program's own text, parsed only
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    expr = tree.body[0].value
    if isinstance(expr, ast.BinOp) and expr.left.end_col_offset is not None:
        between = segment[expr.left.end_col_offset:expr.right.col_offset]
        skip = len(between) - len(between.lstrip())
        left = expr.left.end_col_offset + skip
        right = left + 1
        if skip + 1 < len(between) and not between[skip + 1].isspace():
            right += 1
        while left < len(segment) and (segment[left].isspace() or segment[left] in ")#"):
            left, right = left + 1, right + 1
        return left, right
    if isinstance(expr, ast.Subscript) and expr.value.end_col_offset is not None \
            and expr.slice.end_col_offset is not None:
        left, right = expr.value.end_col_offset, expr.slice.end_col_offset + 1
        while left < len(segment) and segment[left] != "[":
            left += 1
        while right < len(segment) and segment[right] != "]":
            right += 1
        return left, right + 1 if right < len(segment) else right
    return None


def _carets(text: str, span: Any) -> list[str]:
    """The line of carets Python 3.11 prints under the failing expression, if any."""
    if span.end_line != span.line:
        return []
    start, end = span.column - 1, span.end_column - 1
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    found = _anchors(text[start:end])
    if end - start >= len(stripped) and not (found and found[1] - found[0] > 0):
        return []
    if found is None:
        marks = "^" * (end - start)
    else:
        marks = "~" * found[0] + "^" * (found[1] - found[0]) + "~" * (end - start - found[1])
    return [f"    {' ' * (start - lead)}{marks}\n"]


_COMPREHENSIONS = {ast.ListComp: "<listcomp>", ast.SetComp: "<setcomp>",
                   ast.DictComp: "<dictcomp>", ast.GeneratorExp: "<genexpr>"}
_SCOPES: dict[str, list[tuple[tuple[int, int, int, int], str, Any]]] = {}


def _scopes(text: str) -> list[tuple[tuple[int, int, int, int], str, Any]]:
    """Every scope of the program that Python runs as a frame of its own (defs, lambdas,
    class bodies, comprehensions): its extent (1-based lines, 0-based columns), its
    frame name (co_name) and its node; from the program's own text, parsed only."""
    found = _SCOPES.get(text)
    if found is not None:
        return found
    found = []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        tree = None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = node.name
        elif isinstance(node, ast.Lambda):
            name = "<lambda>"
        elif type(node) in _COMPREHENSIONS:
            name = _COMPREHENSIONS[type(node)]
        else:
            continue
        extent = (node.lineno, node.col_offset, node.end_lineno or node.lineno,
                  node.end_col_offset or 0)
        found.append((extent, name, node))
    _SCOPES.clear()  # one program's at a time
    _SCOPES[text] = found
    return found


def _inside(extent: tuple[int, int, int, int], line: int, col: int) -> bool:
    l0, c0, l1, c1 = extent
    return (l0, c0) <= (line, col) < (l1, c1)


def _scope_of(text: str, span: Any, within: tuple[int, int, int, int] | None = None
              ) -> tuple[str, tuple[int, int, int, int] | None]:
    """The frame name of the innermost scope holding span (`<module>` at the top level;
    `within`: a scope's own extent, then the scope around it), and that scope's extent
    when it is a comprehension (whose call is a frame too)."""
    best: tuple[tuple[int, int, int, int], str, Any] | None = None
    for extent, name, node in _scopes(text):
        if not _inside(extent, span.line, span.column - 1) or extent == within:
            continue
        if within is not None and not _inside(extent, within[2], within[3] - 1):
            continue
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and span.line == node.lineno:
            continue  # a def's own line (its decorators, defaults) runs in the outer scope
        if best is None or extent >= best[0]:
            best = (extent, name, node)
    if best is None:
        return "<module>", None
    return best[1], best[0] if type(best[2]) in _COMPREHENSIONS else None


class _Where:
    """A span-like place: a comprehension's call in the scope around it."""

    def __init__(self, extent: tuple[int, int, int, int]) -> None:
        self.line, self.column = extent[0], extent[1] + 1
        self.end_line, self.end_column = extent[2], extent[3] + 1


def _frames(exc: exceptions.ExceptionValue) -> list[str]:
    """The Traceback block: a frame per gd call the error left (outermost first, each
    named by the def, lambda, class body or comprehension that holds it), then the line
    that raised it."""
    err = exc.error
    span = getattr(err, "span", None)
    source = exceptions.run_source()
    if err is None or span is None or source is None:
        return []
    program = source.text
    out = ["Traceback (most recent call last):\n"]
    for where in [*reversed(getattr(err, "frames", ())), span]:
        places: list[tuple[Any, str]] = []
        name, comprehension = _scope_of(program, where)
        places.append((where, name))
        while comprehension is not None and len(places) < 50:  # its call, in the scope
            outer = _Where(comprehension)  # around it
            name, comprehension = _scope_of(program, outer, comprehension)
            places.append((outer, name))
        for place, frame_name in reversed(places):
            text = source.line_text(place.line)
            out.append("".join([f'  File "{source.name}", line {place.line}, in '
                                f"{frame_name}\n", f"    {text.strip()}\n",
                                *_carets(text, place)]))
    return out


def _format(exc: Any, chain: Any = True, seen: set[int] | None = None) -> list[str]:
    if exc is None or type(exc) is not exceptions.ExceptionValue:
        return _only(exc)
    seen = seen if seen is not None else set()
    seen.add(id(exc))
    parts: list[str] = []
    if chain:
        if exc.cause is not None and id(exc.cause) not in seen:
            parts += [*_format(exc.cause, chain, seen), _CAUSE]
        elif exc.context is not None and not exc.suppress_context \
                and id(exc.context) not in seen:
            parts += [*_format(exc.context, chain, seen), _CONTEXT]
    return [*parts, *_frames(exc), *_only(exc)]


def _value(exc: Any, value: Any) -> Any:
    """The exception of format_exception(exc) or of the old (type, value, tb) form."""
    return exc if value is _UNSET else value


def _current() -> Any:
    handling = exceptions.run_handling()
    return exceptions.exception_of(handling[-1]) if handling else None


def _write(file: Any, lines: list[str]) -> None:
    pysys.write(pysys.STDERR if file is None else file, "".join(lines))


def format_exception_only(exc: Any, value: Any = _UNSET) -> list[str]:
    """traceback.format_exception_only(exc): the last line, `Type: message`."""
    return _only(_value(exc, value))


def format_exception(exc: Any, value: Any = _UNSET, tb: Any = _UNSET, limit: Any = None,
                     chain: Any = True) -> list[str]:
    """traceback.format_exception(exc, limit=None, chain=True): the lines of its text."""
    return _format(_value(exc, value), chain)


def print_exception(exc: Any, value: Any = _UNSET, tb: Any = _UNSET, limit: Any = None,
                    file: Any = None, chain: Any = True) -> None:
    """traceback.print_exception(exc, file=sys.stderr): its text, printed."""
    _write(file, _format(_value(exc, value), chain))


def format_exc(limit: Any = None, chain: Any = True) -> str:
    """traceback.format_exc(): the text of the exception being handled."""
    return "".join(_format(_current(), chain))


def print_exc(limit: Any = None, file: Any = None, chain: Any = True) -> None:
    """traceback.print_exc(file=sys.stderr): the exception being handled, printed."""
    _write(file, _format(_current(), chain))


def format_stack(f: Any = None, limit: Any = None) -> list[str]:
    """traceback.format_stack(): gd keeps no frames (an empty list)."""
    return []


def print_stack(f: Any = None, limit: Any = None, file: Any = None) -> None:
    """traceback.print_stack(): gd keeps no frames (prints nothing)."""


def namespaces() -> dict[str, Namespace]:
    """traceback."""
    table = {fn.__name__: fn for fn in (format_exception_only, format_exception,
                                        print_exception, format_exc, print_exc,
                                        format_stack, print_stack)}
    return {"traceback": Namespace("traceback", {
        name: Builtin(f"traceback.{name}", fn) for name, fn in table.items()})}
