"""Structured errors: raised where detected, rendered only by the CLI.

This module imports nothing from the rest of gradcli except positions, so every
layer (autograd core, syntax, interpreter, CLI) can raise these.
"""

from __future__ import annotations

from gradcli.source import Span


class GdError(Exception):
    """Base of every error a user can see: a kind, a message, where, and what to do."""

    kind = "error"
    exit_code = 4  # the process's exit status (SPEC 2.3); the CLI reads it, nobody else

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        # (call site, function name) of each gd function the error left, innermost first:
        # the interpreter appends one as the error propagates (only on the failure path).
        self.calls: list[tuple[Span, str]] = []
        # The call site of every gd-defined callable the error left (functions, methods,
        # a class's __init__, a module's forward), innermost first: traceback's frames.
        self.frames: list[Span] = []

    def at(self, span: Span | None) -> GdError:
        """Attach a span if none is known yet; returns self for `raise err.at(span)`."""
        if self.span is None and span is not None:
            self.span = span
        return self


class GdSyntaxError(GdError):
    """The program does not parse (exit 3)."""

    kind = "syntax"
    exit_code = 3


class GdRuntimeError(GdError):
    """The program failed while running: shapes, types, autograd misuse (exit 4).

    `py_type` names the Python exception class PyTorch raises for it ("TypeError",
    "IndexError"…), what a gd `except` sees; None leaves it to the message (RuntimeError
    unless the wording is one of Python's own).
    """

    kind = "runtime"

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None,
                 *, py_type: str | None = None) -> None:
        super().__init__(message, span, hint)
        self.py_type = py_type


class GdLimitError(GdRuntimeError):
    """A safety limit was reached: steps, elements, memory, recursion (exit 4).

    `limit` names the `gradcli.limits.Limits` field that was reached (None for caps
    without a flag); the CLI, not the raiser, words how to raise it.
    """

    kind = "limit"

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None,
                 *, limit: str | None = None) -> None:
        super().__init__(message, span, hint)
        self.limit = limit


class GdSourceLimitError(GdSyntaxError):
    """The program text exceeds a limit (size, nesting): exit 4, like every limit."""

    kind = "limit"
    exit_code = 4

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None,
                 *, limit: str | None = None) -> None:
        super().__init__(message, span, hint)
        self.limit = limit


class GdAssertionError(GdError):
    """An `assert` in the program failed (exit 1)."""

    kind = "assertion"
    exit_code = 1
    # The assert's own message (None without one): what `except AssertionError as e` sees.
    assert_message: str | None = None

    @classmethod
    def failed(cls, text: str | None, condition: str | None,
               span: Span | None = None) -> GdAssertionError:
        """`assertion failed: TEXT (CONDITION)`, or `assertion failed: CONDITION` without
        a message (the condition as gd source, None when it cannot be printed)."""
        if not text:  # no message, or an empty one
            message = f"assertion failed: {condition}" if condition else "assertion failed"
        else:
            message = f"assertion failed: {text}" + (f" ({condition})" if condition else "")
        err = cls(message, span)
        err.assert_message = text
        return err


class UsageError(GdError):
    """The command line is wrong: bad flag, missing file, bad --set value (exit 2)."""

    kind = "usage"
    exit_code = 2


class GdInputError(UsageError):
    """A command input is wrong: `role` says which ("wrt", "set", "of", "tangent"), `name`
    which variable. Raised by the interpreter without flag wording; the CLI prefixes
    the flag (`--wrt x: ...`)."""

    def __init__(self, message: str, *, role: str, name: str, span: Span | None = None,
                 hint: str | None = None, unbound: bool = False) -> None:
        super().__init__(message, span, hint)
        self.role = role
        self.name = name
        self.unbound = unbound  # the program reads the name and nothing gives it a value
