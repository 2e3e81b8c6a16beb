"""Errors as the command line shows them: the core and the interpreter raise data (a limit's
name, an input's role); here it is worded with the flags, the source line and the call
chain, for every output format."""

from __future__ import annotations

from typing import Any


def _visible(text: str | None) -> str | None:
    """A source line safe to show on a terminal: control and format characters (an
    escape sequence or a bidi override in a hostile file) become U+FFFD, one for one,
    so the caret still lines up."""
    if text is None or text.isprintable():
        return text
    import unicodedata

    return "".join(c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf") else "\ufffd"
                   for c in text)


# How each limit's flag is worded after the raiser's hint: (separator, advice). The core,
# the parser and the interpreter raise limits and bad inputs as data (`err.limit`,
# `err.role`/`err.name`); only the CLI knows their flags.
_LIMIT_ADVICE = {
    "max_steps": (" ", "raise the limit with {flag} N"),
    "max_depth": ("; ", "raise it with {flag} if the recursion is intended"),
    "max_output": (", ", "or raise {flag}"),
    "max_program_size": (", ", "or raise the limit with {flag}"),
    "max_nesting": ("; ", "{flag} changes the limit"),
}
_DEFAULT_ADVICE = ("; ", "raise the limit with {flag}")
_INPUT_LEAD = {"tangent": "--tangent for {name} "}  # other roles: "--ROLE NAME: "
_GIVE_VALUE = " give it a value"  # an input hint's generic remedy, worded as --set


def _worded(err: Any) -> tuple[str, str | None]:
    """(message, hint) with the command-line flags that the error's data names."""
    from gradcli.errors import GdInputError
    from gradcli.limits import flag_for

    message, hint = err.message, err.hint
    limit = getattr(err, "limit", None)
    if limit is not None:
        flag = flag_for(limit)
        if flag not in (hint or "") and flag not in message:
            sep, words = _LIMIT_ADVICE.get(limit, _DEFAULT_ADVICE)
            words = words.format(flag=flag)
            hint = words if not hint else hint + sep + words
    if isinstance(err, GdInputError):
        lead = _INPUT_LEAD.get(err.role, "--{role} {name}: ")
        if not message.startswith(f"--{err.role}"):
            message = lead.format(role=err.role, name=err.name) + message
        if hint and hint.endswith(_GIVE_VALUE):
            flag = "--wrt" if err.role == "wrt" else "--set"
            hint = hint[: -len(_GIVE_VALUE)] + f" bind it with {flag} {err.name}=VALUE"
    return message, hint


def error_info(err: Any, source: Any) -> Any:
    """An error as the plain ErrorInfo the renderers take (flags worded by _worded)."""
    from gradcli.results import ErrorInfo

    message, hint = _worded(err)
    span = err.span
    line_text = None
    file = getattr(source, "name", None)
    if span is not None and source is not None and source.text:
        line_text = _visible(source.line_text(span.line))
    end_col = None
    if span is not None:
        end_col = span.end_column if span.end_line == span.line else len(line_text or "") + 1
    return ErrorInfo(err.kind, message, file if span is not None or file else None,
                     span.line if span else None, span.column if span else None, end_col,
                     line_text, hint, calls=_call_chain(err, source, file))


def _call_chain(err: Any, source: Any, file: str | None) -> list[dict[str, Any]]:
    """The gd calls an error left, outermost first; identical calls in a row (recursion)
    become one entry with their count."""
    chain: list[dict[str, Any]] = []
    for span, name in reversed(getattr(err, "calls", ())):
        last = chain[-1] if chain else None
        if last is not None and (last["line"], last["column"], last["function"]) == (
                span.line, span.column, name):
            last["count"] += 1
            continue
        text = source.line_text(span.line).strip() if source is not None and source.text else ""
        chain.append({"file": file, "line": span.line, "column": span.column,
                      "source": _visible(text), "function": name, "count": 1})
    return chain


def format_error(err: Any, source: Any, fmt: str = "table", color: bool = False) -> str:
    """An error as the CLI prints it (also used by golden tests)."""
    from gradcli.render import render_error

    text = render_error(error_info(err, source), "json" if fmt == "json" else "text",
                        color=color)
    return text if text.endswith("\n") else text + "\n"
