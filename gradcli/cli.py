"""The command line: thin click commands over `app`, one place mapping errors to exit codes.

Exit codes (SPEC 2.3): 0 success; 1 an assertion in the program, a `check` or a
`test` failed; 2 usage error; 3 syntax error; 4 runtime error (shapes, autograd
misuse, a limit reached); 70 internal error (a bug in gradcli).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import gc
import io
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from gradcli import __version__
from gradcli.cli_errors import format_error
from gradcli.cli_options import Command as HelpCommand
from gradcli.cli_options import Int, common_options, format_option, program_options, wrt_option
from gradcli.limits import DEFAULT_LIMITS, LIMIT_NAMES
from gradcli.records import record


class Exit(enum.IntEnum):
    """Process exit statuses."""

    OK = 0
    FAILED = 1  # an assertion, a check or a golden test failed
    USAGE = 2
    SYNTAX = 3
    RUNTIME = 4
    INTERNAL = 70


class Ctx:
    """Per-invocation output settings."""

    def __init__(self, fmt: str, precision: int | None, no_color: bool, debug: bool) -> None:
        self.format_name = fmt  # as given (graph's tree, dot, mermaid too)
        self.fmt = fmt if fmt in ("json", "plain") else "table"  # how results render
        self.precision = 4 if precision is None else precision
        self.precision_given = precision is not None  # --precision on the command line
        self.debug = debug
        # What the program printed, captured (except under `run` with text output, which
        # streams): shown with the result, and never lost when the command fails.
        self.captured: io.StringIO | None = None
        self.full = False  # --full: every row of a long listing
        tty = sys.stdout.isatty()
        self.color = tty and not no_color and "NO_COLOR" not in os.environ
        cols = os.environ.get("COLUMNS")
        # The width: a terminal's (COLUMNS if set, else its size); off one, tables take
        # COLUMNS or 100, and plain text none at all, so pipes never depend on COLUMNS.
        self.width: int | None = 100
        if tty:
            import shutil

            self.width = shutil.get_terminal_size((100, 24)).columns
        elif fmt == "plain":
            self.width = None
        elif cols and cols.isdigit():
            self.width = int(cols)


def exit_status(err: BaseException) -> int:
    """The one mapping from a failure to the process's exit status: gradcli's errors carry
    theirs (`exit_code`), click's usage errors are 2, anything else is a bug (70)."""
    from gradcli.errors import GdError

    if isinstance(err, GdError):
        return err.exit_code
    if isinstance(err, click.ClickException):
        return int(Exit.USAGE) if err.exit_code == 2 else err.exit_code
    if isinstance(err, KeyboardInterrupt):
        return 130
    return int(Exit.INTERNAL)


def _cap_address_space(max_memory: int | None) -> Any:
    """A safety net under --max-memory: cap the address space so that an allocation
    nothing else caught fails with MemoryError (exit 4) instead of eating the machine.
    Returns the limits to restore."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = mapped + (max_memory or DEFAULT_LIMITS.max_memory) + (1 << 30)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return None
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        return soft, hard
    except (ImportError, OSError, ValueError, IndexError, AttributeError):
        return None  # not Linux: the in-process checks remain


def _restore_address_space(saved: Any) -> None:
    if saved is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, saved)


#: Results kept alive to the end of the process, when the entry point ends it without
#: freeing the heap (`python -m gradcli`, the console script: see __main__); None in
#: process (tests call the command line many times).
KEPT: list[Any] | None = None


def keep(result: Any) -> None:
    """Keep a command's result alive to the end of the process, when it ends without
    freeing the heap (a long tape's result is millions of objects)."""
    if KEPT is not None:
        KEPT.append(result)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The one catch site: every failure becomes a message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        ctx: Ctx = kwargs.pop("_ctx")
        state: dict[str, Any] = {"source": None}
        saved_limit = _cap_address_space(kwargs.get("max_memory"))
        try:
            try:
                code = fn(*args, state=state, ctx=ctx, **kwargs)
            except (MemoryError, RecursionError) as e:
                # Limits the interpreter did not catch at a finer place still end cleanly.
                from gradcli.errors import GdLimitError

                raise GdLimitError("out of memory" if isinstance(e, MemoryError) else
                                   "maximum recursion depth exceeded",
                                   hint="the input is too large or too deeply nested; "
                                   "raise --max-memory if it is legitimate",
                                   limit="max_memory") from None
            finally:
                _restore_address_space(saved_limit)
                _PROGRESS.close()
        except KeyboardInterrupt as e:
            click.echo("gradcli: interrupted", err=True)
            sys.exit(exit_status(e))
        except BrokenPipeError:
            # The reader went away (`gradcli run … | head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(int(Exit.OK))
        except Exception as e:
            from gradcli.errors import GdError

            if isinstance(e, GdError):
                text = format_error(e, state["source"], ctx.fmt, False)
                printed = ctx.captured.getvalue() if ctx.captured is not None else None
                if ctx.fmt == "json":
                    if printed is not None:  # {"output": ..., "error": ...}
                        import json

                        obj = {"output": printed, **json.loads(text)}
                        text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
                    sys.stdout.write(text)
                else:
                    if printed:  # what the program printed before it failed: the "output"
                        from gradcli.render import render_output  # section, as on success

                        sys.stdout.write(render_output(printed, ctx.fmt, width=ctx.width,
                                                       color=ctx.color) + "\n")
                        sys.stdout.flush()
                    sys.stderr.write(text)
                if ctx.debug:
                    import traceback

                    traceback.print_exc()
                sys.exit(exit_status(e))
            if ctx.debug:
                import traceback

                traceback.print_exc()
            else:
                click.echo(f"gradcli: internal error: {type(e).__name__}: {e} (this is a bug in "
                           "gradcli; run again with --debug for the traceback)", err=True)
            sys.exit(exit_status(e))
        sys.exit(int(code or Exit.OK))

    return wrapper


def with_ctx(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--format, --precision, --no-color and --debug become the command's `Ctx`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, fmt: str, precision: int | None, no_color: bool, debug: bool,
                **kwargs: Any) -> Any:
        return fn(*args, _ctx=Ctx(fmt, precision, no_color, debug), **kwargs)

    return wrapper


class TerminalProgress:
    """Rich progress on stderr when it is a terminal; nothing at all otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None
        self.what = ""
        self.enabled = sys.stderr.isatty() and "NO_COLOR" not in os.environ

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
        if what != self.what:
            self.what = what
            self.task = self.bar.add_task(what, total=total or None)
        self.bar.update(self.task, completed=done, total=total or None,
                        description=what if total else f"{what}: {done:,} steps")

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.stop()


_PROGRESS = TerminalProgress()


def _wrt_values(sets: list[str], wrt: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """--wrt NAME=VALUE is --set NAME=VALUE --wrt NAME: the --set items with those added,
    and the --wrt names."""
    from gradcli.errors import UsageError

    names = []
    for item in wrt:
        name, sep, value = item.partition("=")
        name = name.strip()
        if sep:
            if not name.isidentifier():
                raise UsageError(f"--wrt expects NAME or NAME=VALUE, got {item!r}")
            if any(s.partition("=")[0].strip() == name for s in sets):
                raise UsageError(f"--wrt {item} and --set both give {name} a value")
            sets.append(f"{name}={value}")
        names.append(name)
    return sets, names


def _app_options(kw: dict[str, Any], ctx: Ctx, wrt: tuple[str, ...] = ()) -> Any:
    """The app's options from the command's: the common ones, and the program's if any."""
    from gradcli.app import AppOptions

    limits = DEFAULT_LIMITS.with_overrides(**{n: kw.pop(n) for n in LIMIT_NAMES})
    sets, names = _wrt_values(list(kw.pop("sets", ())), wrt)
    return AppOptions(
        sets=sets, wrt=names, of=kw.pop("of", None),
        dtype=kw.pop("dtype"), seed=kw.pop("seed"), limits=limits,
        precision=ctx.precision if ctx.precision_given else None,
        detect_anomaly=kw.pop("detect_anomaly", False),
        allow_unused=kw.pop("allow_unused", False),
        progress=_PROGRESS if _PROGRESS.enabled else None, warn=sys.stderr.write)


def _load(state: dict[str, Any], kw: dict[str, Any], max_bytes: int) -> Any:
    from gradcli.app import load_source
    from gradcli.errors import GdSyntaxError
    from gradcli.source import Source

    prog, expr = kw.pop("prog"), kw.pop("expr") or None
    try:
        source = load_source(prog, expr, max_bytes=max_bytes)
    except GdSyntaxError as e:
        # Undecodable bytes: the error still names the file and shows its line (with the
        # bad bytes replaced), not an anonymous <input>.
        text = ""
        if prog not in (None, "-") and e.kind != "limit":  # never re-read a huge file
            from pathlib import Path

            with contextlib.suppress(OSError):
                text = Path(prog).read_bytes().decode("utf-8", errors="replace")
        state["source"] = Source("<expr>" if prog is None else "<stdin>" if prog == "-"
                                 else str(prog), text)
        raise
    state["source"] = source
    return source


def _emit(result: Any, ctx: Ctx) -> None:
    from gradcli.render import render
    from gradcli.render.stream import stream_result

    # Everything alive now (a view's tape above all: 10⁶ objects after a long loop) is
    # what is being printed, not garbage: the collector skips it while the text is made,
    # instead of rescanning it every few thousand rows.
    gc.freeze()
    try:
        if stream_result(result, ctx.fmt, sys.stdout.write, precision=ctx.precision,
                         width=ctx.width, color=ctx.color, full=ctx.full):
            return
        text = render(result, ctx.fmt, precision=ctx.precision, width=ctx.width,
                      color=ctx.color, full=ctx.full)
    finally:
        gc.unfreeze()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _example(text: str) -> str:
    return f"\n\n\b\nExample:\n  {text}\n\nExit codes: see gradcli --help."


class Group(click.Group):
    """`gradcli`: a program command (its ~25 click options) is declared the first time click
    looks it up (declaring all ten took ~4 ms of every start); --help lists all."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_UNDECLARED})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _UNDECLARED.pop(cmd_name, None)
        if spec is not None:
            _declare(spec)
        return super().get_command(ctx, cmd_name)


@click.group(cls=Group,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gradcli")
def main() -> None:
    """gradcli: values, gradients, higher-order derivatives, JVPs, VJPs, Jacobians,
    plots and graphs of gd programs (Python syntax, PyTorch autograd semantics).

    PROG is a .gd file, '-' for standard input, or -e 'CODE'. `gradcli COMMAND --help`
    shows a command's options. Every command takes the common options --format,
    --precision N, --dtype, --seed N, the --max-* limits, --no-color, --debug and
    --detect-anomaly.

    \b
    Examples:
      gradcli eval examples/quickstart.gd --wrt x
          y = 2·xᵀx at x = [0, 1, 2, 3] is 28; its gradient 4x is [0, 4, 8, 12]
      gradcli grad -e 'x = tensor(1.0); x ** 3' --wrt x --order 3
          the third derivative of x³ (at x = 1): 6
      gradcli plot -e 'x = tensor(0.0); torch.tanh(x)' --wrt x --from -3 --to 3
          a chart of tanh(x) and its derivative 1 - tanh²(x) for x in [-3, 3]

    \b
    Exit codes:
      0  success
      1  an assert in the program, a check, or a golden test failed
      2  usage error (bad flag, missing file, bad --set value)
      3  syntax error in the program
      4  runtime error (shape mismatch, autograd misuse, a limit reached)
      70 internal error: a bug in gradcli (please report it; --debug: traceback)
    """


# -- the nine program commands, declared from one table ----------------------------------

def _run(source: Any, opts: Any, ctx: Ctx) -> Exit:
    from gradcli import app

    if ctx.fmt != "json":
        opts.write = _stdout_write  # the program's prints go straight to stdout
    app.run(source, opts)
    if ctx.fmt == "json":
        import json

        printed = ctx.captured.getvalue() if ctx.captured is not None else ""
        sys.stdout.write(json.dumps({"output": printed}, indent=2, ensure_ascii=False) + "\n")
    return Exit.OK


def _shown(compute: Callable[..., Any], keeps: bool = False) -> Callable[..., Exit]:
    """A command whose result is rendered in the chosen --format. `keeps`: compute takes
    `keep=`, where what it would free goes when the process ends without freeing."""

    def command(source: Any, opts: Any, ctx: Ctx, batch: str | None = None, jobs: int = 1,
                full: bool = False, **extra: Any) -> Exit:
        ctx.full = full
        if batch is not None:
            from gradcli.cli_batch import run_batch

            return Exit(run_batch(compute, source, opts, batch, jobs, extra))
        if keeps and KEPT is not None:
            extra["keep"] = keep
        result = compute(source, opts, **extra)
        keep(result)
        if ctx.captured is not None:
            result.output = ctx.captured.getvalue()
        _emit(result, ctx)
        return Exit.FAILED if getattr(result, "ok", True) is False else Exit.OK

    return command


def _graph(source: Any, opts: Any, ctx: Ctx, values: bool, render_to: str | None,
           full: bool = False) -> Exit:
    from gradcli import app
    from gradcli.render import render_graph

    result = app.graph(source, opts, values)
    keep(result)
    if ctx.captured is not None:
        result.output = ctx.captured.getvalue()
    if render_to is not None:
        _render_dot(render_graph(result, "dot", precision=ctx.precision, width=ctx.width,
                                 color=False), render_to)
        click.echo(f"wrote {render_to}", err=True)
        return Exit.OK
    from gradcli.render.stream import stream_result

    if stream_result(result, ctx.format_name, sys.stdout.write, precision=ctx.precision,
                     width=ctx.width, color=ctx.color, full=full):
        return Exit.OK
    text = render_graph(result, ctx.format_name, precision=ctx.precision, width=ctx.width,
                        color=ctx.color, full=full)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return Exit.OK


def _plot(source: Any, opts: Any, ctx: Ctx, start: float, stop: float, order: int,
          points: int, direction: str | None, output_file: str | None) -> Exit:
    from gradcli import app
    from gradcli.errors import UsageError

    if output_file is not None and not output_file.lower().endswith((".svg", ".png", ".pdf")):
        raise UsageError(f"--output {output_file}: the file name must end in .svg, .png or "
                         ".pdf")
    result = app.plot(source, opts, start, stop, order=order, points=points,
                      direction=direction)
    if ctx.captured is not None:
        result.output = ctx.captured.getvalue()
    if output_file is not None:
        from gradcli.render.plot import write_figure

        try:
            write_figure(result, output_file)
        except OSError as e:
            raise UsageError(f"--output {output_file}: {e.strerror or e}") from None
        click.echo(f"wrote {output_file}", err=True)
        return Exit.OK
    if ctx.width is None:
        import shutil

        ctx.width = shutil.get_terminal_size((100, 24)).columns
    _emit(result, ctx)
    return Exit.OK


def _app(name: str) -> Callable[..., Any]:
    """app.NAME, looked up when called (imports stay lazy; tests may replace it)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from gradcli import app

        return getattr(app, name)(*args, **kwargs)

    return call


@record(frozen=True)
class Command:
    """One program command: its help, its options besides the shared ones, what it does."""

    name: str
    short: str  # the one line `gradcli --help` lists
    help: str
    example: str
    does: Callable[..., Exit]  # (source, opts, ctx, **its options) -> exit status
    wrt: bool | None = None  # None: no --wrt; False: optional; True: required
    options: tuple[Callable[..., Any], ...] = ()  # in --help order
    formats: tuple[str, ...] = ("table", "json", "plain")  # --format's choices, default first


FULL = click.option("--full", is_flag=True,
                    help="Every row of a long listing, streamed (by default a loop's repeated "
                    "iterations collapse, then the first 40 and the last 20 rows, and what the "
                    "rest were).")

GRAPH_OPTIONS = (
    click.option("--values", is_flag=True, help="Show each tensor's value and gradient."),
    FULL,
    click.option("--render", "render_to", metavar="FILE", default=None,
                 help="Render the dot graph to FILE (.svg, .png, .pdf) with Graphviz."),
)

BATCH_OPTIONS = (
    click.option("--batch", default=None, metavar="FILE",
                 help="JSON Lines of --set bindings ({\"x\": 1.5}; '-': stdin): one JSON "
                 "line out per line in, in order; exit 4 if any failed."),
    click.option("--jobs", type=Int(1, 256), default=1, metavar="N",
                 help="With --batch: N processes, up to 256, same output [default: 1]."),
)

ALLOW_UNUSED = click.option(
    "--allow-unused", is_flag=True,
    help="A --wrt input the result does not use (cut by detach(), no_grad, .item()...) "
    "gets zeros marked \"not used\", not an error.")

COMMANDS = (
    Command("run", "Execute a program; its prints go to stdout",
            "Execute a program; its prints go to stdout.",
            "gradcli run examples/autograd_basics.gd", _run),
    Command("eval", "The result and its gradient w.r.t. each --wrt input",
            "The value of the result, and its gradient with respect to each "
            "--wrt input.", "gradcli eval -e 'x = arange(4.0); y = 2 * dot(x, x)' --wrt x",
            _shown(_app("evaluate")), wrt=False, options=(ALLOW_UNUSED, *BATCH_OPTIONS)),
    Command("grad", "The N-th derivative (--order N), by nested reverse mode",
            "The N-th derivative (N=2: the Hessian of a scalar result), of shape "
            "result.shape + N × x.shape, by nested reverse mode.",
            "gradcli grad -e 'x = tensor([1.0, 2.0]); (x ** 3).sum()' --wrt x --order 2",
            _shown(_app("nth_grad")), wrt=True, options=(
                click.option("--order", type=Int(1), default=1, metavar="N",
                             help="Derivative order [default: 1]."), ALLOW_UNUSED, *BATCH_OPTIONS)),
    Command("jvp", "Forward mode: the Jacobian-vector product J·v",
            "Forward mode: the Jacobian-vector product J·v (one --tangent per --wrt).",
            "gradcli jvp -e 'x = tensor([1.0, 2.0]); x ** 2' --wrt x --tangent '[1, 0]'",
            _shown(lambda source, opts, tangents: _app("jvp")(source, opts, list(tangents))),
            wrt=True, options=(
                click.option("--tangent", "tangents", multiple=True, required=True,
                             metavar="V", help="The tangent v (same forms as --set values), "
                             "one per --wrt."), ALLOW_UNUSED, *BATCH_OPTIONS)),
    Command("vjp", "Reverse mode: the vector-Jacobian product vᵀ·J",
            "Reverse mode: the vector-Jacobian product vᵀ·J, what y.backward(v) "
            "leaves in x.grad.",
            "gradcli vjp -e 'x = tensor([1.0, 2.0]); x * x' --wrt x --cotangent '[1, 0]'",
            _shown(_app("vjp")), wrt=True, options=(
                click.option("--cotangent", required=True, metavar="V",
                             help="The cotangent v, shaped like the result (same forms as "
                             "--set values)."), ALLOW_UNUSED, *BATCH_OPTIONS)),
    Command("jacobian", "The full Jacobian w.r.t. each --wrt input",
            "The full Jacobian of the result with respect to each --wrt input.",
            "gradcli jacobian -e 'x = tensor([1.0, 2.0]); x ** 2' --wrt x",
            _shown(_app("jacobian")), wrt=True, options=(ALLOW_UNUSED, *BATCH_OPTIONS)),
    Command("graph", "The computation graph (tree, dot, mermaid, json, plain)",
            "The computation graph: every tape node with its number, op, PyTorch "
            "name, shape, dtype, leaf marks, variable name and source line:col.",
            "gradcli graph -e 'x = ones(2, requires_grad=True); y = x * x + 2; y.sum()'",
            _graph, wrt=False, options=GRAPH_OPTIONS,
            formats=("tree", "dot", "mermaid", "json", "plain")),
    Command("check", "Autograd against finite differences; exit 1 on a mismatch",
            "Compare autograd with central finite differences (float64), and check "
            "every tape node's rule on its own; exit 1 on a mismatch.",
            "gradcli check -e 'x = tensor([0.5, 1.5]); (tanh(x) * x ** 2).sum()' --wrt x",
            _shown(_app("check"), keeps=True), wrt=True, options=(
                click.option("--eps", type=float, default=1e-6, show_default=True,
                             help="Finite-difference step."),
                click.option("--rtol", type=float, default=1e-4, show_default=True,
                             help="Relative tolerance."),
                click.option("--atol", type=float, default=1e-6, show_default=True,
                             help="Absolute tolerance."), FULL, *BATCH_OPTIONS)),
    Command("explain", "The backward pass step by step, then the control flow",
            "The backward pass step by step: each node, the rule applied, the "
            "incoming cotangent and what flows to each input; then the control flow taken.",
            "gradcli explain -e 'x = tensor(2.0); y = x * x + 3 * x' --wrt x",
            _shown(_app("explain")), wrt=True, options=(FULL,)),
    Command("plot", "The result and its derivatives along a sweep: a chart",
            "Plot the result and its first N derivatives as one input sweeps "
            "[--from, --to] (a tensor input: X0 + t·V along --direction V): a terminal "
            "chart, --format plain/json for the numbers, --output FILE for a figure.",
            "gradcli plot -e 'x = tensor(0.0); torch.tanh(x)' --wrt x --from -3 --to 3",
            _plot, wrt=True, options=(
                click.option("--from", "start", type=float, required=True, metavar="A",
                             help="Where the sweep starts."),
                click.option("--to", "stop", type=float, required=True, metavar="B",
                             help="Where the sweep ends."),
                click.option("--order", type=Int(0, 4), default=1, metavar="N",
                             help="Derivatives plotted besides the result, up to 4 "
                             "[default: 1]."),
                click.option("--points", type=int, default=101, metavar="K",
                             help="Sample points; the program runs once per point "
                             "[default: 101]."),
                click.option("--direction", default=None, metavar="V",
                             help="For a tensor input: sweep X0 + t·V (same forms as --set "
                             "values)."),
                click.option("--output", "output_file", default=None, metavar="FILE",
                             help="Write a figure (.svg, .png, .pdf) with matplotlib "
                             "(pip install 'gradcli[plot]')."))),
)


def _declare(spec: Command) -> None:
    """Add one program command to `main`: shared options, its own, one body."""

    def body(state: dict[str, Any], ctx: Ctx, wrt: tuple[str, ...] = (),
             **kw: Any) -> Exit:
        opts = _app_options(kw, ctx, wrt)
        if spec.name != "run" or ctx.fmt == "json":
            ctx.captured = io.StringIO()
            opts.write = ctx.captured.write
        source = _load(state, kw, opts.limits.max_program_size)
        startup_done()
        return spec.does(source, opts, ctx, **kw)

    body.__name__ = body.__qualname__ = spec.name
    body.__doc__ = f"`{spec.name}`."
    fn: Callable[..., Any] = common_options(with_ctx(guarded(body)))
    fn = format_option(spec.formats)(fn)
    for option in reversed(spec.options):
        fn = option(fn)
    if spec.wrt is not None:
        fn = wrt_option(spec.wrt)(fn)
    fn = program_options(fn)
    main.command(spec.name, cls=HelpCommand, help=spec.help + _example(spec.example),
                 short_help=spec.short)(fn)


def startup_done() -> None:
    """The program's modules are imported: what start-up made is frozen (later
    collections skip it) and the collector's first threshold is Python's default again,
    if __main__ raised it."""
    from gradcli.__main__ import STARTUP_GC_THRESHOLD
    threshold = gc.get_threshold()
    if threshold[0] == STARTUP_GC_THRESHOLD:
        gc.freeze()
        gc.set_threshold(700, *threshold[1:])


def _stdout_write(text: str) -> None:
    sys.stdout.write(text)


def _render_dot(dot_text: str, path: str) -> None:
    import shutil
    import subprocess

    from gradcli.errors import UsageError

    exe = shutil.which("dot")
    if exe is None:
        raise UsageError("--render needs Graphviz's `dot` program, which is not installed",
                         hint="install Graphviz (e.g. apt-get install graphviz), or use "
                         "--format dot and render the text elsewhere")
    kind = os.path.splitext(path)[1].lstrip(".") or "svg"
    proc = subprocess.run([exe, f"-T{kind}", "-o", path], input=dot_text.encode(),
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise UsageError(f"Graphviz failed: {proc.stderr.decode(errors='replace').strip()}")


#: The program commands not declared yet (see Group).
_UNDECLARED = {spec.name: spec for spec in COMMANDS}


def commands() -> dict[str, click.Command]:
    """Every command, by name (each declared now)."""
    with click.Context(main) as ctx:
        found = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


@main.command("test", cls=HelpCommand,
              help="Golden-output tests: run each PROG.gd under PATH and compare what "
              "`gradcli run` prints with PROG.out beside it; exit 1 on any failure. The "
              "common options apply to every program, as under `gradcli run`." +
              _example("gradcli test examples/"),
              short_help="Golden-output tests: each PROG.gd against the PROG.out beside it")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--update", is_flag=True, help="Rewrite the .out files with the current output.")
@format_option()
@common_options
@with_ctx
@guarded
def test(state: dict[str, Any], ctx: Ctx, paths: tuple[str, ...], update: bool,
         **kw: Any) -> Exit:
    """`test`."""
    from gradcli import app

    report = app.golden(list(paths), update, format_error, _app_options(kw, ctx))
    _emit(report, ctx)
    return Exit.OK if report.ok else Exit.FAILED


def entry() -> None:
    """The console script: click's own usage errors honour --format json too."""
    try:
        main.main(standalone_mode=False, prog_name=os.environ.get("GRADCLI_PROG") or None)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        if _wants_json(sys.argv[1:]):
            import json

            error = {"kind": "usage", "message": e.format_message(), "file": None,
                     "line": None, "column": None}
            sys.stdout.write(json.dumps({"error": error}, indent=2) + "\n")
        else:
            e.show()
        sys.exit(exit_status(e))
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    sys.exit(0)


def _wants_json(argv: list[str]) -> bool:
    for i, a in enumerate(argv):
        if a == "--format=json" or (a == "--format" and argv[i + 1:i + 2] == ["json"]):
            return True
    return False


if __name__ == "__main__":
    entry()
