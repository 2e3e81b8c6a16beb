"""A command's inputs: its options, the program text, and --set / --tangent values."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor, check_size
from gradcli.errors import GdError, GdLimitError, GdSourceLimitError, GdSyntaxError, UsageError
from gradcli.interp import RunOptions
from gradcli.interp.values import type_name
from gradcli.limits import DEFAULT_LIMITS, Limits
from gradcli.records import field, record
from gradcli.source import Source, Span

if TYPE_CHECKING:
    from pathlib import Path

MAX_SET_FILE_BYTES = 256 << 20  # --set NAME=@file.json


@record
class AppOptions:
    """Everything a command needs besides the program."""

    sets: list[str] = field(default_factory=list)  # raw --set NAME=VALUE
    wrt: list[str] = field(default_factory=list)
    of: str | None = None
    dtype: str | None = None
    seed: int | None = None
    precision: int | None = None  # --precision: the program's tensor prints (None: 4, as torch)
    limits: Limits = DEFAULT_LIMITS  # the --max-* flags
    detect_anomaly: bool = False
    allow_unused: bool = False  # --allow-unused: zeros for --wrt inputs the result never uses
    write: Callable[[str], object] | None = None  # where program prints go (None: captured)
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total) for long work
    warn: Callable[[str], object] | None = None  # PyTorch's warnings (stderr; None: dropped)


def load_source(prog: str | None, expr: str | Sequence[str] | None, stdin: Any = None,
                max_bytes: int | None = None) -> Source:
    """The program from a path, '-' (standard input) or -e text, at most max_bytes
    (--max-program-size) long: never more is read, so /dev/zero is an error, not a hang.
    Several -e pieces are joined as lines, in order (as `sed -e` and `perl -e` do)."""
    limit = max_bytes or DEFAULT_LIMITS.max_program_size
    if expr is not None:
        if not isinstance(expr, str):
            expr = "\n".join(expr)
        if prog is not None:
            raise UsageError("give either PROG or -e EXPRESSION, not both")
        if len(expr) > limit // 4 and len(expr.encode("utf-8", "surrogatepass")) > limit:
            raise _too_large("the -e program", limit)
        return Source("<expr>", expr)
    if prog is None:
        raise UsageError("missing PROG (a .gd file, '-' for standard input, or -e 'EXPRESSION')")
    if prog == "-":
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(data) > limit:
            raise _too_large("standard input", limit)
        return Source("<stdin>", _decode(data, "<stdin>") if isinstance(data, bytes) else data)
    from pathlib import Path  # here: a -e program needs none of it

    path = Path(prog)
    if path.is_dir():
        raise UsageError(f"{prog} is a directory, not a program")
    try:
        size = path.stat().st_size
    except OSError:
        raise UsageError(f"no such file: {prog}") from None
    if size > limit:
        raise _too_large(f"{prog} ({size:,} bytes)", limit)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # a device or a pipe reports no size
    except OSError as e:
        raise UsageError(f"cannot read {prog}: {e.strerror}") from None
    if len(data) > limit:
        raise _too_large(prog, limit)
    return Source(prog, _decode(data, prog))


def _too_large(what: str, limit: int) -> GdError:
    return GdSourceLimitError(f"{what} is larger than the limit of {limit:,} bytes for a "
                              "program", hint="raise it with --max-program-size",
                              limit="max_program_size")


def _decode(data: bytes, name: str) -> str:
    try:
        # A UTF-8 byte-order mark (Windows editors write one) is not part of the program,
        # as for Python.
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise GdSyntaxError(f"invalid UTF-8 (byte 0x{data[e.start]:02x}); gd programs are "
                            "UTF-8 text", Span(line, col, line, col + 1)) from None


def parse_set_value(name: str, text: str) -> Any:
    """A --set value: a number, a nested list, any gd expression, @file.json or @file.npy.
    Lists stay lists: the binding the value replaces decides its form (a tensor of the
    program's dtype, a list, ...) as the interpreter binds it."""
    if text.startswith("@"):
        from pathlib import Path

        value = _read_value_file(name, Path(text[1:]))
    else:
        from gradcli.interp import run_source

        try:
            opts = RunOptions(limits=Limits(max_steps=100_000))
            value = run_source(text, f"--set {name}", opts).value
        except GdError as e:
            flag = f"{name} {text}" if name.startswith("--") else f"--set {name}={text}"
            raise UsageError(f"{flag}: {e.message}") from None
    return value


def _read_value_file(name: str, path: Path) -> Any:
    flag = name if name.startswith("--") else f"--set {name}"
    try:
        if path.suffix == ".npy":
            array = np.load(path, allow_pickle=False, mmap_mode="r")  # sized first
            check_size(array.size)
            return ops.tensor(np.array(array))
        with path.open("rb") as f:  # at most MAX_SET_FILE_BYTES: never /dev/zero
            data = f.read(MAX_SET_FILE_BYTES + 1)
        if len(data) > MAX_SET_FILE_BYTES:
            raise UsageError(f"{flag}: {path} is larger than "
                             f"{MAX_SET_FILE_BYTES:,} bytes")
        value = json.loads(data)
    except OSError as e:
        raise UsageError(f"{flag}: cannot read {path}: {e.strerror}") from None
    except (ValueError, TypeError) as e:
        raise UsageError(f"{flag}: {path} is not valid: {e}") from None
    except RecursionError:
        raise UsageError(f"{flag}: {path} is nested too deeply") from None
    except GdLimitError as e:
        raise UsageError(f"{flag}: {path}: {e.message}") from None
    if _holds_object(value):
        raise UsageError(f"{flag}: {path} holds a JSON object, and gd has no "
                         "dict values here",
                         hint="give a number, a (nested) list of numbers, true/false or a "
                         "string")
    return value


def _holds_object(value: Any) -> bool:
    """Whether a parsed JSON value is or contains an object (a dict)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            return True
        if isinstance(v, list):
            stack.extend(v)
    return False


def parse_sets(items: list[str], wrt: Sequence[str] = ()) -> dict[str, Any]:
    """--set NAME=VALUE items, parsed. A --wrt input given as an integer tensor (a list
    of ints) becomes a float one; numbers are the interpreter's to convert, as it binds
    them."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        value = parse_set_value(name, text.strip())
        if name in wrt and type(value) is Tensor and value.dtype.kind != "f":
            value = ops.to_dtype(value, ops.dtypes.default_dtype())
        out[name] = value
    return out


def parse_vector(flag: str, text: str, like: Tensor | None = None) -> Tensor:
    """A --tangent / --cotangent value (same forms as --set), as a float tensor."""
    value = parse_set_value(flag, text)
    if isinstance(value, (list, tuple)):
        try:
            value = ops.tensor(list(value))
        except GdError as e:
            raise UsageError(f"{flag}: {e.message}") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = ops.tensor(float(value))
    if type(value) is not Tensor:
        raise UsageError(f"{flag}: expected a number, a list or a tensor expression, "
                         f"got {type_name(value)}")
    if value.dtype.kind != "f":
        value = ops.to_dtype(value, ops.dtypes.default_dtype())
    if like is not None:
        if value.shape != like.shape:
            if value.numel() == 1 and like.numel() == 1:
                value = ops.reshape(value, like.shape)
            else:
                raise UsageError(f"{flag} has shape {list(value.shape)} but must have shape "
                                 f"{list(like.shape)}")
        value = ops.to(value, like.dtype)
    return value
