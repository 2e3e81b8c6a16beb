"""`time`, `sys` and `os` in gd: what training scripts use around their torch code, none
of it touching the host.

- `time`: a virtual clock. time.time() starts at 1,700,000,000.0 (perf_counter,
  monotonic and process_time at 0.0) each run and every call moves it on by 1 ms;
  time.sleep(s) moves it on by s without waiting. A program's output is the same bytes
  every run ("took 0.00 s"). strftime/gmtime/localtime read the same clock, in UTC.
- `sys`: sys.argv is [program name] (no command-line arguments: argparse gives the
  defaults); sys.stdout.write/print(file=sys.stdout) are the program's output,
  sys.stderr and print(file=sys.stderr) the command's standard error.
  sys.exit(0) or sys.exit() ends the run as a success (exit 0: what ran is shown);
  sys.exit(n) with n != 0 or a message ends it as a failure the program reported:
  exit status 1 (SPEC 2.3, as a failed assert), the message on standard error.
- `os`: os.path's pure string functions (join, basename, dirname, splitext, split,
  normpath, isabs...), os.environ (empty: .get gives the default), os.sep, os.getcwd()
  ("/") and os.cpu_count() (1). Nothing that reads the disk: os.path.exists/isfile/isdir
  answer False; os.makedirs/os.mkdir/os.remove are refused (no file system in gd).
"""

from __future__ import annotations

import posixpath
import sys as host_sys
import time as host_time
from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import pyfiles, pymethods
from gradcli.interp.values import Builtin, Namespace, to_str, type_name

# -- time ----------------------------------------------------------------------------------

_EPOCH = 1_700_000_000.0
_TICK = 0.001


class _Clock:
    """The run's virtual clock: seconds since the run started."""

    elapsed = 0.0

    @classmethod
    def tick(cls) -> float:
        cls.elapsed += _TICK
        return cls.elapsed


def _time() -> float:
    """time.time(): seconds since the epoch on gd's virtual clock."""
    return _EPOCH + _Clock.tick()


def _counter() -> float:
    """time.perf_counter(): the virtual clock (1 ms per call)."""
    return _Clock.tick()


def _ns(fn: Callable[[], float]) -> Callable[[], int]:
    def ns() -> int:
        return round(fn() * 1e9)

    ns.__doc__ = f"{fn.__doc__} in nanoseconds"
    return ns


def _sleep(secs: Any) -> None:
    """time.sleep(secs): moves the virtual clock on; nothing waits."""
    if type(secs) not in (int, float, bool):
        raise GdRuntimeError(f"'{type_name(secs)}' object cannot be interpreted as an integer"
                             if type(secs) is not str else
                             "'str' object cannot be interpreted as an integer",
                             py_type="TypeError")
    if secs < 0:
        raise GdRuntimeError("sleep length must be non-negative", py_type="ValueError")
    _Clock.elapsed += float(secs)


def _struct(secs: Any = None) -> Any:
    t = _time() if secs is None else secs
    if type(t) not in (int, float):
        raise GdRuntimeError(f"'{type_name(t)}' object cannot be interpreted as an integer",
                             py_type="TypeError")
    return host_time.gmtime(t)


def _strftime(fmt: Any, t: Any = None) -> str:
    """time.strftime(format[, struct]): the virtual clock's time, in UTC."""
    if type(fmt) is not str:
        raise GdRuntimeError(f"strftime() argument 1 must be str, not {type_name(fmt)}",
                             py_type="TypeError")
    if len(fmt) > 1000:
        raise GdRuntimeError("strftime() format too long")
    return host_time.strftime(fmt, _struct() if t is None else t)


def _time_namespace() -> Namespace:
    members: dict[str, Any] = {
        "time": Builtin("time.time", _time),
        "perf_counter": Builtin("time.perf_counter", _counter),
        "monotonic": Builtin("time.monotonic", _counter,
                             "time.monotonic(): the virtual clock (1 ms per call)"),
        "process_time": Builtin("time.process_time", _counter,
                                "time.process_time(): the virtual clock (1 ms per call)"),
        "time_ns": Builtin("time.time_ns", _ns(_time)),
        "perf_counter_ns": Builtin("time.perf_counter_ns", _ns(_counter)),
        "monotonic_ns": Builtin("time.monotonic_ns", _ns(_counter)),
        "sleep": Builtin("time.sleep", _sleep),
        "strftime": Builtin("time.strftime", _strftime),
        "gmtime": Builtin("time.gmtime", _struct,
                          "time.gmtime([secs]): the virtual clock's time as a struct_time"),
        "localtime": Builtin("time.localtime", _struct,
                             "time.localtime([secs]): as gmtime (gd's clock is in UTC)"),
    }
    return Namespace("time", members)


pymethods.METHODS[host_time.struct_time] = {}
pymethods.DATA[host_time.struct_time] = frozenset((
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday",
    "tm_isdst"))

# -- sys -----------------------------------------------------------------------------------


class Stream:
    """sys.stdout / sys.stderr: write() and flush(); print(file=...) writes here."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<_io.TextIOWrapper name='<{self.name}>' mode='w' encoding='utf-8'>"


Stream.__name__ = "TextIOWrapper"
STDOUT, STDERR = Stream("stdout"), Stream("stderr")


class _Output:
    """Where the running program's stdout goes (its print, with the output limit)."""

    printer: Callable[..., None] | None = None


def write(stream: Any, text: str) -> None:
    """print(..., file=stream): sys.stdout (the program's output), sys.stderr, or a value
    with an allow-listed write() (io.StringIO)."""
    if stream is STDERR:
        host_sys.stderr.write(text)
    elif stream is STDOUT:
        if _Output.printer is not None:
            _Output.printer(text, end="")
    else:
        fn = pymethods.METHODS.get(type(stream), {}).get("write")
        if fn is None:
            raise GdRuntimeError(f"'{type_name(stream)}' object has no attribute 'write'",
                                 py_type="AttributeError")
        fn(stream, text)


def _stream_write(stream: Stream, text: Any) -> int:
    if type(text) is not str:
        raise GdRuntimeError(f"write() argument must be str, not {type_name(text)}",
                             py_type="TypeError")
    write(stream, text)
    return len(text)


pymethods.METHODS[Stream] = {
    "write": _stream_write,
    "flush": lambda s: None,
    "isatty": lambda s: False,
    "writable": lambda s: True,
}
pymethods.DATA[Stream] = frozenset(("name",))


class ProgramExit(BaseException):
    """sys.exit(0): the program stops here and the run ends as a success. A
    BaseException, so no `except` of gd or of the host catches it on the way out."""


class GdExitError(GdRuntimeError):
    """sys.exit(n), n != 0: the program reported its own failure (exit 1, as a failed
    assert); no `except` catches it."""

    exit_code = 1


def _exit(code: Any = None) -> None:
    """sys.exit(code=0): ends the run (0/None: success; else failure, exit status 1)."""
    if code is None or (code == 0 and type(code) in (int, bool)):
        raise ProgramExit
    text = (f"the program called sys.exit({code})" if type(code) in (int, bool)
            else to_str(code))
    raise GdExitError(text)


def system_exit(args: tuple[Any, ...], span: Any) -> None:
    """`raise SystemExit(code)`: the run ends as sys.exit(code) ends it (a SystemExit
    of several arguments has their tuple as its code, as Python's)."""
    code = args[0] if len(args) == 1 else (args or None)
    try:
        _exit(code)
    except GdExitError as e:
        raise e.at(span) from None


class _VersionInfo(tuple):  # type: ignore[type-arg]
    __slots__ = ()

    def __repr__(self) -> str:
        return ("sys.version_info(major={}, minor={}, micro={}, releaselevel={!r}, "
                "serial={})".format(*self))


    major = property(lambda self: self[0])
    minor = property(lambda self: self[1])
    micro = property(lambda self: self[2])
    releaselevel = property(lambda self: self[3])
    serial = property(lambda self: self[4])


_VersionInfo.__name__ = "version_info"
pymethods.METHODS[_VersionInfo] = {"index": tuple.index, "count": tuple.count}
pymethods.DATA[_VersionInfo] = frozenset(("major", "minor", "micro", "releaselevel",
                                          "serial"))


def _float_info() -> Any:
    fi = host_sys.float_info
    fields = ("max", "max_exp", "max_10_exp", "min", "min_exp", "min_10_exp", "dig",
              "mant_dig", "epsilon", "radix", "rounds")
    return Namespace("sys.float_info", {f: getattr(fi, f) for f in fields})


def _sys_namespace() -> Namespace:
    vi = host_sys.version_info
    return Namespace("sys", {
        "argv": ARGV,
        "stdout": STDOUT, "stderr": STDERR,
        "exit": Builtin("sys.exit", _exit),
        "version_info": _VersionInfo((vi.major, vi.minor, vi.micro, vi.releaselevel,
                                      vi.serial)),
        "version": host_sys.version.split()[0],
        "platform": "linux",
        "maxsize": host_sys.maxsize,
        "float_info": _float_info(),
        "byteorder": "little",
        "getrecursionlimit": Builtin("sys.getrecursionlimit", lambda: 1000,
                                     "sys.getrecursionlimit(): 1000, Python's default"),
    })


# -- os ------------------------------------------------------------------------------------


def _strings(name: str, fn: Callable[..., Any], n: int | None = None) -> Builtin:
    """An os.path function of path strings only."""
    def call(*args: Any) -> Any:
        return fn(*(pyfiles.fspath(a) for a in args))  # str or a pathlib path

    call.__doc__ = (fn.__doc__ or "").strip().split("\n")[0]
    return Builtin(f"os.path.{name}", call)


def _no_disk(name: str) -> Builtin:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError(f"'{name}' is not supported by gradcli (gd programs have no "
                             "file system)")

    return Builtin(name, refuse, f"{name}: refused (gd programs have no file system)")


_ENVIRON: dict[str, str] = {}  # os.environ: empty (gd programs see no environment)
ARGV: list[str] = ["main.py"]


def set_program(name: str) -> None:
    """sys.argv[0] for a run of the program `name` (a path, `<expr>` or `<stdin>`): as
    Python's for `python PATH`, `python -c` or `python -`."""
    ARGV[0] = {"<expr>": "-c", "<stdin>": "-"}.get(name, name)


def set_attribute(obj: Namespace, name: str, value: Any) -> bool:
    """`sys.argv = [...]` (what notebooks do before argparse): the run's argv takes the
    list's strings (in place: an earlier `a = sys.argv` sees them too). False: not sys.argv."""
    if obj.name != "sys" or name != "argv" or obj.members.get("argv") is not ARGV:
        return False
    if type(value) not in (list, tuple) or any(type(a) is not str for a in value):
        raise GdRuntimeError("sys.argv takes a list of strings in gd", py_type="TypeError")
    ARGV[:] = list(value)
    return True


def _getenv(key: Any, default: Any = None) -> Any:
    """os.getenv(key, default=None): the default (gd programs see no environment)."""
    return default


def _os_namespaces() -> dict[str, Namespace]:
    path = Namespace("os.path", {
        **{name: _strings(name, getattr(posixpath, name)) for name in (
            "join", "basename", "dirname", "splitext", "split", "normpath", "isabs",
            "commonprefix")},
        **pyfiles.os_path_members(),
        "sep": "/",
    })
    os_ns = Namespace("os", {
        "path": path, "environ": _ENVIRON, "sep": "/", "linesep": "\n", "name": "posix",
        "getenv": Builtin("os.getenv", _getenv),
        "getcwd": Builtin("os.getcwd", lambda: "/", "os.getcwd(): '/'"),
        "cpu_count": Builtin("os.cpu_count", lambda: 1, "os.cpu_count(): 1"),
        **pyfiles.os_members(),
        **{name: _no_disk(f"os.{name}") for name in ("system", "walk", "chdir", "scandir")},
    })
    return {"os": os_ns, "os.path": path}


def namespaces() -> dict[str, Namespace]:
    """time, sys, os and os.path."""
    return {"time": _time_namespace(), "sys": _sys_namespace(), **_os_namespaces()}


def reset(printer: Callable[..., None] | None) -> None:
    """A new run: the clock starts again; sys.stdout writes through `printer`."""
    _Clock.elapsed = 0.0
    _ENVIRON.clear()
    ARGV[:] = ["main.py"]
    _Output.printer = printer

