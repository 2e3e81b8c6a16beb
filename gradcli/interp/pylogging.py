"""`logging` in gd: the logger real training scripts report through.

basicConfig (level, format, datefmt, style, stream, filename, filemode, handlers, force),
getLogger (a root logger per run, named loggers under it by their dotted names), a
logger's debug/info/warning/error/critical/exception/log with `%` arguments, setLevel,
addHandler, propagate; StreamHandler (sys.stderr by default, sys.stdout, io.StringIO),
FileHandler (the run's in-memory files, pyfiles), NullHandler, Formatter with Python's
`%`, `{` and `$` styles. A record's time is gd's virtual clock (pysys), so a log prints
the same every run; a record has no source position (`%(lineno)d` is 0, `%(filename)s`
is main.py). With no handler anywhere, a warning or worse goes to standard error as the
message alone, as Python's last-resort handler does. Exception tracebacks are not shown
(gd keeps no frames). Every object's attributes are allow-listed; nothing of Python's
logging module is reachable.
"""

from __future__ import annotations

import string
import time as host_time
from collections.abc import Callable
from typing import Any, ClassVar

from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions, pyfiles, pysys
from gradcli.interp.operators import BINARY
from gradcli.interp.values import Builtin, GdObject, Namespace, private_name_error, to_str

LEVELS = {"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20,
          "DEBUG": 10, "NOTSET": 0}
_NAMES = {50: "CRITICAL", 40: "ERROR", 30: "WARNING", 20: "INFO", 10: "DEBUG", 0: "NOTSET"}
BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"


def _error(message: str, py_type: str = "TypeError") -> GdRuntimeError:
    return GdRuntimeError(message, py_type=py_type)


def level_name(level: Any) -> Any:
    """logging.getLevelName(level): a level's name, or a name's level."""
    if type(level) is int and level in _NAMES:
        return _NAMES[level]
    if type(level) is str and level in LEVELS:
        return LEVELS[level]
    return f"Level {to_str(level)}"


def _check_level(level: Any) -> int:
    if type(level) is int:
        return level
    if type(level) is str:
        if level not in LEVELS:
            raise _error(f"Unknown level: {level!r}", "ValueError")
        return LEVELS[level]
    raise _error(f"Level not an integer or a valid string: {to_str(level)}")


class _Object(GdObject):
    """A logging object: methods and data attributes by allow-list."""

    __slots__ = ()
    METHODS: ClassVar[dict[str, Callable[..., Any]]] = {}
    DATA: frozenset[str] = frozenset()
    WRITABLE: frozenset[str] = frozenset()

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        fn = self.METHODS.get(name)
        if fn is not None:
            return Builtin(f"{self.type_label()}.{name}",
                           lambda *a, **k: fn(self, *a, **k))
        if name in self.DATA:
            return getattr(self, name)
        raise _error(f"'{self.type_label()}' object has no attribute '{name}'",
                     "AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if name not in self.WRITABLE:
            raise GdRuntimeError(f"cannot set attribute '{name}' of a "
                                 f"'{self.type_label()}' value in gd")
        setattr(self, name, _check_level(value) if name == "level" else value)

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{self.type_label()}' "
                             "value")

    def type_label(self) -> str:
        return type(self).__name__


# -- records and formatters ------------------------------------------------------------------


def _record(logger: Logger, level: int, msg: Any, args: tuple[Any, ...]) -> dict[str, Any]:
    if args:
        if len(args) == 1 and isinstance(args[0], dict) and args[0]:
            args = args[0]  # type: ignore[assignment]  # Python's "%(key)s" % mapping
        message = BINARY["remainder"](to_str(msg), args)
    else:
        message = to_str(msg)
    created = pysys._time()
    return {"name": logger.name, "msg": msg, "args": args, "levelname": level_name(level),
            "levelno": level, "pathname": "main.py", "filename": "main.py",
            "module": "main", "lineno": 0, "funcName": "<module>", "created": created,
            "msecs": int((created - int(created)) * 1000) + 0.0,
            "relativeCreated": (created - pysys._EPOCH) * 1000, "thread": 1,
            "threadName": "MainThread", "process": 1, "processName": "MainProcess",
            "taskName": None, "message": message}


class Formatter(_Object):
    """logging.Formatter(fmt=None, datefmt=None, style='%')."""

    __slots__ = ("datefmt", "fmt", "style")
    DATA = frozenset(("datefmt",))

    def __init__(self, fmt: Any = None, datefmt: Any = None, style: Any = "%",
                 validate: Any = True, **kwargs: Any) -> None:
        if style not in ("%", "{", "$"):
            raise _error("Style must be one of: %,{,$", "ValueError")
        self.style = style
        self.fmt = fmt if fmt is not None else {"%": "%(message)s", "{": "{message}",
                                                "$": "${message}"}[style]
        if type(self.fmt) is not str or (datefmt is not None and type(datefmt) is not str):
            raise _error("a format must be a string")
        self.datefmt = datefmt

    def gd_repr(self) -> str:
        return object_repr("logging.Formatter", self)

    def uses_time(self) -> bool:
        return {"%": "%(asctime)", "{": "{asctime", "$": "asctime"}[self.style] in self.fmt

    def format_time(self, record: dict[str, Any]) -> str:
        t = host_time.gmtime(record["created"])
        if self.datefmt is not None:
            return host_time.strftime(self.datefmt, t)
        return host_time.strftime("%Y-%m-%d %H:%M:%S", t) + f",{int(record['msecs']):03d}"

    def format(self, record: dict[str, Any]) -> str:
        if self.uses_time():
            record["asctime"] = self.format_time(record)
        try:
            if self.style == "{":
                return self.fmt.format(**record)
            if self.style == "$":
                return string.Template(self.fmt).substitute(record)
            return BINARY["remainder"](self.fmt, record)
        except (KeyError, ValueError, IndexError) as e:
            raise _error(f"Formatting field not found in record: {e}", "ValueError") from None


Formatter.METHODS = {"format": lambda f, record: f.format(record)}


# -- handlers ---------------------------------------------------------------------------------


class Handler(_Object):
    """A handler: where records of its level or above go."""

    __slots__ = ("formatter", "level")
    DATA = frozenset(("level", "formatter"))
    WRITABLE = frozenset(("level", "formatter"))

    def __init__(self, level: Any = 0) -> None:
        self.level = _check_level(level)
        self.formatter: Formatter | None = None

    def handle(self, record: dict[str, Any]) -> None:
        if record["levelno"] >= self.level:
            self.emit(record)

    def emit(self, record: dict[str, Any]) -> None:
        pass

    def text(self, record: dict[str, Any]) -> str:
        return (self.formatter or _DEFAULT_FORMATTER).format(record)

    def gd_repr(self) -> str:
        return f"<{self.type_label()} ({level_name(self.level)})>"


def _set_formatter(h: Handler, fmt: Any) -> None:
    if fmt is not None and type(fmt) is not Formatter:
        raise _error("setFormatter() takes a logging.Formatter in gd")
    h.formatter = fmt


Handler.METHODS = {"setLevel": lambda h, level: setattr(h, "level", _check_level(level)),
                   "setFormatter": _set_formatter, "flush": lambda h: None,
                   "close": lambda h: None}


class StreamHandler(Handler):
    """logging.StreamHandler(stream=None): records to sys.stderr (or the stream)."""

    __slots__ = ("stream",)
    DATA = frozenset(("level", "formatter", "stream"))

    def __init__(self, stream: Any = None) -> None:
        super().__init__()
        self.stream = pysys.STDERR if stream is None else stream

    def emit(self, record: dict[str, Any]) -> None:
        pysys.write(self.stream, self.text(record) + "\n")

    def gd_repr(self) -> str:
        where = {id(pysys.STDERR): "<stderr> ", id(pysys.STDOUT): "<stdout> "}.get(
            id(self.stream), "")  # a stream without a name shows none, as in Python
        return f"<StreamHandler {where}({level_name(self.level)})>"


class FileHandler(StreamHandler):
    """logging.FileHandler(filename, mode='a'): records to a file of the run's memory."""

    __slots__ = ("path",)

    def __init__(self, filename: Any, mode: Any = "a", encoding: Any = None,
                 delay: Any = False, errors: Any = None) -> None:
        self.path = pyfiles.fspath(filename)
        super().__init__(pyfiles.open_file(filename, mode))

    def emit(self, record: dict[str, Any]) -> None:
        self.stream.write(self.text(record) + "\n")
        self.stream.flush()  # as Python's: each record is in the file at once

    def gd_repr(self) -> str:
        return f"<FileHandler {pyfiles.key(self.path)} ({level_name(self.level)})>"


FileHandler.METHODS = {**Handler.METHODS, "close": lambda h: h.stream.close()}


class NullHandler(Handler):
    """logging.NullHandler(): records go nowhere."""

    __slots__ = ()


_DEFAULT_FORMATTER = Formatter()


# -- loggers ----------------------------------------------------------------------------------


class Logger(_Object):
    """A logger: its level, handlers and parent."""

    __slots__ = ("disabled", "handlers", "level", "name", "parent", "propagate")
    DATA = frozenset(("name", "level", "handlers", "parent", "propagate", "disabled"))
    WRITABLE = frozenset(("level", "propagate", "disabled"))

    def __init__(self, name: str, level: int = 0, parent: Logger | None = None) -> None:
        self.name = name
        self.level = level
        self.parent = parent
        self.handlers: list[Handler] = []
        self.propagate = True
        self.disabled = False

    def gd_repr(self) -> str:
        kind = "RootLogger" if self.parent is None else "Logger"
        return f"<{kind} {self.name} ({level_name(self.effective_level())})>"

    def type_label(self) -> str:
        return "RootLogger" if self.parent is None else "Logger"

    def effective_level(self) -> int:
        logger: Logger | None = self
        while logger is not None:
            if logger.level:
                return logger.level
            logger = logger.parent
        return 0

    def enabled_for(self, level: int) -> bool:
        return (not self.disabled and level > _State.disabled
                and level >= self.effective_level())

    def log(self, level: int, msg: Any, *args: Any, exc_info: Any = None,
            stack_info: Any = False, stacklevel: Any = 1, extra: Any = None) -> None:
        if type(level) is not int:
            raise _error("level must be an integer")
        if not self.enabled_for(level):
            return
        record = _record(self, level, msg, args)
        if isinstance(extra, dict):
            for k, v in extra.items():
                if k in record:
                    raise _error(f"Attempt to overwrite {k!r} in LogRecord", "KeyError")
                record[k] = v
        found = False
        logger: Logger | None = self
        while logger is not None:
            for h in list(logger.handlers):
                found = True
                try:
                    h.handle(record)
                except GdRuntimeError as e:  # as Python's Handler.handleError: reported
                    if exceptions.exception_of(e) is None:
                        raise  # a limit or a refusal
                    pysys.write(pysys.STDERR, f"--- Logging error ---\n{e.message}\n")
            logger = logger.parent if logger.propagate else None
        if not found and level >= 30:  # Python's last resort: the message, to stderr
            pysys.write(pysys.STDERR, record["message"] + "\n")


def _at(level: int) -> Callable[..., None]:
    def method(logger: Logger, msg: Any, *args: Any, **kwargs: Any) -> None:
        logger.log(level, msg, *args, **kwargs)

    return method


def _add_handler(logger: Logger, h: Any) -> None:
    if not isinstance(h, Handler):
        raise _error("addHandler() takes a logging handler in gd")
    if h not in logger.handlers:
        logger.handlers.append(h)


def _remove_handler(logger: Logger, h: Any) -> None:
    if h in logger.handlers:
        logger.handlers.remove(h)


def _has_handlers(logger: Logger) -> bool:
    current: Logger | None = logger
    while current is not None:
        if current.handlers:
            return True
        current = current.parent if current.propagate else None
    return False


Logger.METHODS = {
    "debug": _at(10), "info": _at(20), "warning": _at(30), "warn": _at(30),
    "error": _at(40), "critical": _at(50), "fatal": _at(50), "exception": _at(40),
    "log": Logger.log,
    "setLevel": lambda lg, level: setattr(lg, "level", _check_level(level)),
    "getEffectiveLevel": Logger.effective_level,
    "isEnabledFor": lambda lg, level: lg.enabled_for(_check_level(level)),
    "addHandler": _add_handler, "removeHandler": _remove_handler,
    "hasHandlers": _has_handlers,
    "getChild": lambda lg, suffix: get_logger(
        suffix if lg.parent is None else f"{lg.name}.{to_str(suffix)}"),
}


class _State:
    """The run's loggers (a fresh root each run)."""

    root = Logger("root", 30)
    loggers: ClassVar[dict[str, Logger]] = {}
    disabled = 0


def get_logger(name: Any = None) -> Logger:
    """logging.getLogger(name=None): the root logger, or the one named."""
    if name is None or name == "root":
        return _State.root
    if type(name) is not str:
        raise _error("A logger name must be a string")
    found = _State.loggers.get(name)
    if found is None:
        parent = _State.root
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            above = _State.loggers.get(".".join(parts[:i]))
            if above is not None:
                parent = above
                break
        found = _State.loggers[name] = Logger(name, 0, parent)
    return found


def basic_config(**kwargs: Any) -> None:
    """logging.basicConfig(level=, format=, datefmt=, style=, stream=, filename=,
    filemode=, handlers=, force=): the root logger's handler, once (or again with
    force=True)."""
    known = {"level", "format", "datefmt", "style", "stream", "filename", "filemode",
             "handlers", "force", "encoding", "errors"}
    unknown = [k for k in kwargs if k not in known]
    if unknown:
        raise _error(f"Unrecognised argument(s): {', '.join(unknown)}", "ValueError")
    root = _State.root
    if kwargs.get("force"):
        root.handlers.clear()
    if root.handlers:
        return
    handlers = kwargs.get("handlers")
    if handlers is not None and ("stream" in kwargs or "filename" in kwargs):
        raise _error("'stream' or 'filename' should not be specified together with "
                     "'handlers'", "ValueError")
    if "stream" in kwargs and "filename" in kwargs:
        raise _error("'stream' and 'filename' should not be specified together",
                     "ValueError")
    if handlers is None:
        filename = kwargs.get("filename")
        handlers = [FileHandler(filename, kwargs.get("filemode", "a")) if filename is not None
                    else StreamHandler(kwargs.get("stream"))]
    style = kwargs.get("style", "%")
    fmt = kwargs.get("format", {"%": BASIC_FORMAT, "{": "{levelname}:{name}:{message}",
                                "$": "${levelname}:${name}:${message}"}.get(style))
    formatter = Formatter(fmt, kwargs.get("datefmt"), style)
    for h in handlers:
        if not isinstance(h, Handler):
            raise _error("handlers must be logging handlers in gd")
        if h.formatter is None:
            h.formatter = formatter
        root.handlers.append(h)
    if "level" in kwargs:
        root.level = _check_level(kwargs["level"])


def _module_level(level: int) -> Callable[..., None]:
    def log(msg: Any, *args: Any, **kwargs: Any) -> None:
        if not _State.root.handlers:
            basic_config()
        _State.root.log(level, msg, *args, **kwargs)

    return log


def _disable(level: Any = 50) -> None:
    _State.disabled = _check_level(level)


def reset(printer: Any = None) -> None:
    """A new run: a fresh root logger (WARNING, no handlers) and no named loggers."""
    _State.root = Logger("root", 30)
    _State.loggers = {}
    _State.disabled = 0


def namespaces() -> dict[str, Namespace]:
    """logging."""
    def log(level: Any, msg: Any, *args: Any, **kwargs: Any) -> None:
        if not _State.root.handlers:
            basic_config()
        _State.root.log(level, msg, *args, **kwargs)

    members: dict[str, Any] = {
        **LEVELS,
        "getLogger": Builtin("logging.getLogger", get_logger,
                'logging.getLogger(name=None): the named logger (the root logger without a name)'),
        "basicConfig": Builtin("logging.basicConfig", basic_config,
                "logging.basicConfig(level=, format=, handlers=, ...): the root logger's handler"),
        "getLevelName": Builtin("logging.getLevelName", level_name,
                "logging.getLevelName(level): a level's name, or a name's level"),
        "debug": Builtin("logging.debug", _module_level(10),
                'logging.debug(msg, *args): log on the root logger at DEBUG'),
        "info": Builtin("logging.info", _module_level(20),
                'logging.info(msg, *args): log on the root logger at INFO'),
        "warning": Builtin("logging.warning", _module_level(30),
                'logging.warning(msg, *args): log on the root logger at WARNING'),
        "warn": Builtin("logging.warn", _module_level(30),
                "logging.warn(msg, *args): logging.warning's old name"),
        "error": Builtin("logging.error", _module_level(40),
                'logging.error(msg, *args): log on the root logger at ERROR'),
        "exception": Builtin("logging.exception", _module_level(40),
                'logging.exception(msg, *args): log at ERROR (no traceback in gd)'),
        "critical": Builtin("logging.critical", _module_level(50),
                'logging.critical(msg, *args): log on the root logger at CRITICAL'),
        "log": Builtin("logging.log", log,
                'logging.log(level, msg, *args): log on the root logger at a level'),
        "disable": Builtin("logging.disable", _disable,
                'logging.disable(level=CRITICAL): no logging at or below a level'),
        "shutdown": Builtin("logging.shutdown", lambda: None,
                'logging.shutdown(): flush the handlers (nothing to do in gd)'),
        "captureWarnings": Builtin("logging.captureWarnings", lambda capture: None,
                'logging.captureWarnings(capture): accepted, warnings print as before'),
        "Formatter": Builtin("logging.Formatter", Formatter,
                "logging.Formatter(fmt=None, datefmt=None, style='%'): a record's text"),
        "StreamHandler": Builtin("logging.StreamHandler", StreamHandler,
                'logging.StreamHandler(stream=sys.stderr): a handler writing to a stream'),
        "FileHandler": Builtin("logging.FileHandler", FileHandler,
                "logging.FileHandler(filename, mode='a'): a handler writing an in-memory file"),
        "NullHandler": Builtin("logging.NullHandler", NullHandler,
                'logging.NullHandler(): a handler that drops records'),
        "BASIC_FORMAT": BASIC_FORMAT,
    }
    return {"logging": Namespace("logging", members)}
