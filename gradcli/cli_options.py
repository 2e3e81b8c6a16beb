"""The command line's options, each defined once: the common options every command takes
(--precision, --dtype, --seed, the --max-* limits, --detect-anomaly, --no-color,
--debug), the program options (PROG, -e, --set, --of), --wrt and --format; and the help
layout that lists a command's own options apart from the common ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from gradcli.limits import DEFAULT_LIMITS

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class Int(click.ParamType):
    """An integer (or with `kind=float`, a number) in a range that --help does not print
    (no `[x>=1]` beside every limit, no 20-digit bounds for --seed): the range is in the
    option's help text and in the error message."""

    name = "integer"

    def __init__(self, low: float | None = None, high: float | None = None,
                 shown: str | None = None, kind: type = int) -> None:
        self.low, self.high, self.kind = low, high, kind
        self.name = "integer" if kind is int else "float"
        self.shown = shown or (f"{low}<=x<={high}" if high is not None else f"x>={low}")

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, self.kind) and not isinstance(value, bool):
            n = value
        else:
            try:
                n = self.kind(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a valid {self.name}.", param, ctx)
        if (self.low is not None and n < self.low) or (self.high is not None and n > self.high):
            self.fail(f"{n} is not in the range {self.shown}.", param, ctx)
        return n


def parse_size(ctx: Any, param: Any, value: str | None) -> int | None:
    """A memory size: bytes, or a number with K, M, G or T (powers of 1024)."""
    if value is None:
        return None
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    scale = 1
    if text and text[-1] in "KMGT":
        scale = 1024 ** ("KMGT".index(text[-1]) + 1)
        text = text[:-1]
    try:
        n = int(float(text) * scale)
    except (ValueError, OverflowError):
        raise click.BadParameter(
            f"{value!r} is not a size (examples: 512M, 2G, 1000000)") from None
    memory = getattr(param, "name", None) == "max_memory"
    if n < (1 << 20 if memory else 1):
        raise click.BadParameter(f"{value!r} is below the minimum of {'1M' if memory else 1}")
    return n


_LIM = DEFAULT_LIMITS  # every default in the help comes from here

#: The common options, in --help order: every command takes them, `test` too (there they
#: apply to each program it runs, as under `gradcli run`).
COMMON: tuple[Decorator, ...] = (
    click.option("--precision", type=Int(0, 17), default=None, metavar="N",
                 help="Decimals of printed tensors, as torch.set_printoptions(precision=N) "
                 "(tables, plain text, the program's prints); JSON stays exact [default: 4]."),
    click.option("--dtype", type=click.Choice(["float32", "float64"]), default=None,
                 help="Default float dtype [default: float32]."),
    click.option("--seed", type=Int(-(2**63), 2**64 - 1, "-2**63 to 2**64-1"),
                 default=None, metavar="N",
                 help="Seed the random ops (torch.manual_seed): -2**63 to 2**64-1."),
    click.option("--max-steps", type=Int(1), default=None, metavar="N",
                 help=f"Loop iterations plus calls [default: {_LIM.max_steps:,}]."),
    click.option("--max-depth", type=Int(1, 10_000), default=None, metavar="N",
                 help=f"Nested gd calls, up to 10,000 [default: {_LIM.max_depth}]."),
    click.option("--max-elements", type=Int(1), default=None, metavar="N",
                 help=f"Elements of one tensor [default: {_LIM.max_elements:,}]."),
    click.option("--max-memory", metavar="SIZE", default=None, callback=parse_size,
                 help=f"Memory held, e.g. 512M or 4G [default: {_LIM.max_memory >> 30}G]."),
    click.option("--max-program-size", metavar="SIZE", default=None, callback=parse_size,
                 help=f"Program text [default: {_LIM.max_program_size:,} bytes]."),
    click.option("--max-nesting", type=Int(10, 1000), default=None, metavar="N",
                 help=f"Open brackets, expression depth; 10 to 1000 [default: "
                 f"{_LIM.max_nesting}]."),
    click.option("--max-output", metavar="SIZE", default=None, callback=parse_size,
                 help=f"Characters printed [default: {_LIM.max_output // 10**6}M "
                 f"({_LIM.max_output:,})]."),
    click.option("--max-time", metavar="SECONDS", type=Int(0, kind=float), default=None,
                 help=f"CPU seconds a command may use, 0 for none [default: {_LIM.max_time:g}]."),
    click.option("--detect-anomaly", is_flag=True,
                 help="Stop at the first op producing NaN or inf, naming it and its line."),
    click.option("--no-color", is_flag=True,
                 help="No colour (also: NO_COLOR set, or stdout not a terminal)."),
    click.option("--debug", is_flag=True, help="Python tracebacks on errors."),
)
COMMON_NAMES = frozenset({"precision", "dtype", "seed", "max_steps", "max_depth",
                          "max_elements", "max_memory", "max_program_size", "max_nesting",
                          "max_output", "max_time", "detect_anomaly", "no_color",
                          "debug"})


def common_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add the common options to a command function."""
    for option in reversed(COMMON):
        fn = option(fn)
    return fn


PROGRAM: tuple[Decorator, ...] = (
    click.argument("prog", required=False, metavar="[PROG]"),
    click.option("-e", "--expr", "expr", metavar="CODE", multiple=True,
                 help="Program text instead of a file (';' or newlines between statements; "
                 "repeated -e pieces are joined as lines)."),
    click.option("--set", "sets", metavar="NAME=VALUE", multiple=True,
                 help="Replace the value of the program's first assignment of NAME (a "
                 "number, [[1,2],[3,4]], a gd expression, @file.json, @file.npy)."),
    click.option("--of", "of", metavar="NAME", default=None,
                 help="The result is this variable (default: the last top-level "
                 "expression, else the last assignment)."),
)


def program_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """PROG, -e, --set, --of: which program, with which inputs and result (`test` has
    none of them: it runs each file as it stands)."""
    for option in reversed(PROGRAM):
        fn = option(fn)
    return fn


def wrt_option(required: bool) -> Decorator:
    """--wrt NAME (repeatable)."""
    return click.option("--wrt", multiple=True, metavar="NAME[=VALUE]", required=required,
                        help="Differentiate with respect to this input (repeatable); "
                        "NAME=VALUE also sets its value, as --set NAME=VALUE does.")


def format_option(choices: tuple[str, ...] = ("table", "json", "plain")) -> Decorator:
    """--format (the first choice is the default); its value arrives as `fmt`."""
    names = ", ".join(choices[:-1]) + " or " + choices[-1]
    return click.option("--format", "fmt", type=click.Choice(list(choices)),
                        default=choices[0], metavar="FORMAT",
                        help=f"Output format: {names} [default: {choices[0]}].")


class Command(click.Command):
    """A command whose --help lists its own options first, then the common ones under
    their own heading (so each command's help stays short to read)."""

    def make_parser(self, ctx: click.Context) -> Any:
        """click's parser, where a short option (`-e`) goes straight to the short options:
        click tries it as a long option first, and the NoSuchOption it raises then imports
        difflib and ranks every long option by likeness (~2 ms of a start) for nothing.
        The same matching otherwise."""
        parser = super().make_parser(ctx)
        process, short = parser._process_opts, parser._match_short_opt

        def process_opts(arg: str, state: Any) -> None:
            if (ctx.token_normalize_func is None and arg[:2] not in parser._opt_prefixes
                    and arg.split("=", 1)[0] not in parser._long_opt):
                short(arg, state)
            else:
                process(arg, state)

        parser._process_opts = process_opts
        return parser

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own: list[tuple[str, str]] = []
        common: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and isinstance(param, click.Option):
                (common if param.name in COMMON_NAMES else own).append(record)
        with formatter.section("Options"):
            formatter.write_dl(own)
        if common:
            with formatter.section("Common options (every command; a --max-* limit "
                                   "reached is exit 4)"):
                formatter.write_dl(common)
