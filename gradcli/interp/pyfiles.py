"""Files a program writes and reads back: an in-memory file system that lasts one run.

Real scripts write a log, a CSV of losses, a JSON config or a checkpoint and read it back.
gd runs that with Python's semantics on a file system that exists only in the run's memory:
nothing is read from or written to the host's disk. It starts with the directories `/` (the
working directory, as os.getcwd() says) and `/tmp`, and no files; a relative path is taken
from `/`. A file the program did not write in this run does not exist (Python's
FileNotFoundError, with a hint when nothing catches it), so a run prints the same on every
machine.

`open(path, mode)` takes the text modes r, w, a and x (with an optional t, not '+'): write,
writelines, print(..., file=f), read, readline, readlines, iteration over lines, seek/tell,
flush, close and `with`. As in Python, what is written becomes the file's content when the
file is flushed or closed (a `with` block closes it). The binary modes rb, wb and ab give a
handle that only torch.save/torch.load and pickle.dump/pickle.load take (gd has no bytes):
the file holds the saved copy, as torch.save(obj, "path") does. os and os.path see the same
files (exists, isfile, isdir, getsize, makedirs, mkdir, listdir, remove, rename, ...).

Every size is checked: a file's text is a Python string (limits.check_length), and each
write counts toward the run's memory limit.
"""

from __future__ import annotations

import io as host_io
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.interp import exceptions, limits, pymethods
from gradcli.interp.values import (
    Builtin,
    ContextValue,
    GdObject,
    to_str,
    type_name,
)

#: The run's files: normalized absolute path -> its text (str) or a Saved copy.
FILES: dict[str, Any] = {}
#: The run's directories (normalized absolute paths).
DIRS: set[str] = set()
_ROOT_DIRS = ("/", "/tmp")
_MAX_FILES = 100_000
_HINT = ("a gd program sees only the files it wrote itself in this run (gd never reads or "
         "writes the host's disk)")


class Saved:
    """What torch.save or pickle.dump wrote to a file: the saved copy."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj


def reset() -> None:
    """A new run: no files, only the directories / and /tmp."""
    FILES.clear()
    DIRS.clear()
    DIRS.update(_ROOT_DIRS)


reset()


def fspath(path: Any) -> str:
    """The path string of a str or a pathlib path (Python's os.fspath), else TypeError."""
    text = getattr(path, "gd_fspath", None)
    if text is not None:
        return text
    if type(path) is not str:
        raise GdRuntimeError(f"expected str, bytes or os.PathLike object, not "
                             f"{type_name(path)}", py_type="TypeError")
    return path


def key(path: Any) -> str:
    """The normalized absolute path a path names (relative paths start at /)."""
    text = fspath(path)
    if not text:
        raise os_error("FileNotFoundError", 2, "No such file or directory", text)
    if "\0" in text:
        raise GdRuntimeError("embedded null byte", py_type="ValueError")
    k = posixpath.normpath(posixpath.join("/", text))
    return "/" + k.lstrip("/")


def os_error(cls: str, errno: int, strerror: str, filename: str | None = None,
             filename2: str | None = None) -> GdRuntimeError:
    """Python's OSError subclass `cls` ("[Errno 2] No such file or directory: 'x'")."""
    text = f"[Errno {errno}] {strerror}"
    if filename is not None:
        text += f": {filename!r}"
        if filename2 is not None:
            text += f" -> {filename2!r}"
    exc = exceptions.ExceptionValue(exceptions.CLASSES[cls], (text,))
    exc.attrs.update(errno=errno, strerror=strerror, filename=filename)
    err = exc.raised(None)
    if cls == "FileNotFoundError":
        err.hint = _HINT
    return err


def _check_count(n: int) -> None:
    if n > _MAX_FILES:
        raise GdLimitError(f"{n:,} files and directories exceed gd's limit of {_MAX_FILES:,}",
                           hint="a gd program's files live in memory")


def _parent_exists(k: str, shown: str) -> None:
    parent = posixpath.dirname(k)
    if parent not in DIRS:
        if parent in FILES:
            raise os_error("NotADirectoryError", 20, "Not a directory", shown)
        raise os_error("FileNotFoundError", 2, "No such file or directory", shown)


def read_entry(path: Any) -> tuple[str, Any]:
    """(key, content) of an existing file, or Python's error."""
    shown = fspath(path)
    k = key(path)
    if k in FILES:
        return k, FILES[k]
    if k in DIRS:
        raise os_error("IsADirectoryError", 21, "Is a directory", shown)
    raise os_error("FileNotFoundError", 2, "No such file or directory", shown)


def write_entry(path: Any, content: Any, exclusive: bool = False) -> str:
    """Store content under path (its parent directory must exist); the key."""
    shown = fspath(path)
    k = key(path)
    if k in DIRS:
        raise os_error("IsADirectoryError", 21, "Is a directory", shown)
    if exclusive and k in FILES:
        raise os_error("FileExistsError", 17, "File exists", shown)
    _parent_exists(k, shown)
    if k not in FILES:
        _check_count(len(FILES) + len(DIRS) + 1)
    FILES[k] = content
    return k


# -- file objects ----------------------------------------------------------------------------


class _FileBase(ContextValue, GdObject):
    """What open() returns: a context manager that closes the file; attributes through
    pymethods' allow-lists only."""

    __slots__ = ("closed", "key", "mode", "name")

    def enter(self) -> Any:
        self.check()
        return self

    def exit(self, exc: Any) -> bool:
        self.close()
        return False

    def check(self) -> None:
        if self.closed:
            raise GdRuntimeError("I/O operation on closed file.", py_type="ValueError")

    def close(self) -> None:
        self.closed = True

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"attribute '{name}' of '{self.type_label()}' objects is not "
                             "writable", py_type="AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)


class TextFile(_FileBase):
    """A file opened in a text mode: a host StringIO of gd strings."""

    __slots__ = ("base", "buf", "reading")

    def __init__(self, path: Any, mode: str, newline: str | None = None) -> None:
        self.name = path
        self.mode = mode
        self.closed = False
        self.reading = mode[0] == "r"
        self.base = ""
        if self.reading:
            self.key, text = read_entry(path)
            if type(text) is not str:
                raise GdRuntimeError(f"reading {fspath(path)!r} as text is not supported by "
                                     "gradcli: torch.save or pickle.dump wrote it (gd has no "
                                     "bytes)", hint="read it back with torch.load or "
                                     "pickle.load, in a binary mode ('rb')")
            # newline=None reads \r\n and \r as \n, as Python's universal newlines do
            self.buf = host_io.StringIO(text, newline=newline)
        else:
            prior = FILES.get(key(path)) if mode[0] == "a" else None
            self.base = prior if type(prior) is str else ""
            self.key = write_entry(path, self.base, exclusive=mode[0] == "x")
            # what is written is kept as written ("\n" is Linux's line separator)
            self.buf = host_io.StringIO(newline=newline if newline in ("\r", "\r\n") else "")

    def gd_repr(self) -> str:
        return f"<_io.TextIOWrapper name={self.name!r} mode={self.mode!r} encoding='UTF-8'>"

    def type_label(self) -> str:
        return "TextIOWrapper"

    def __iter__(self) -> Iterator[str]:
        self.check()
        if not self.reading:
            raise _unsupported("not readable")
        return self._lines()

    def _lines(self) -> Iterator[str]:
        while True:
            self.check()
            line = self.buf.readline()
            if not line:
                return
            yield line

    def write(self, text: Any) -> int:
        self.check()
        if self.reading:
            raise _unsupported("not writable")
        if type(text) is not str:
            raise GdRuntimeError(f"write() argument must be str, not {type_name(text)}",
                                 py_type="TypeError")
        total = len(self.base) + self.buf.tell() + len(text)
        if total > limits.MAX_SEQUENCE:  # a file's text is a Python string: capped
            limits.check_length(total, "string")
        limits.check_length(len(text), "string")  # counts the new text toward memory
        return self.buf.write(text)

    def flush(self) -> None:
        self.check()
        if not self.reading and FILES.get(self.key) is not None:
            FILES[self.key] = self.base + self.buf.getvalue()

    def close(self) -> None:
        if not self.closed:
            self.flush()
        self.closed = True


def _unsupported(what: str) -> GdRuntimeError:
    # io.UnsupportedOperation is an OSError and a ValueError; gd's class is OSError.
    return GdRuntimeError(what, py_type="OSError")


def _reader(name: str) -> Callable[..., Any]:
    fn = getattr(host_io.StringIO, name)

    def call(f: TextFile, *args: Any) -> Any:
        f.check()
        if not f.reading:
            raise _unsupported("not readable")
        if any(type(a) not in (int, type(None)) for a in args):
            raise GdRuntimeError("argument should be integer or None", py_type="TypeError")
        return fn(f.buf, *args)

    return call


def _seek(f: TextFile, offset: Any, whence: Any = 0) -> int:
    f.check()
    if type(offset) is not int or type(whence) is not int:
        raise GdRuntimeError("an integer is required", py_type="TypeError")
    if not f.reading and (offset, whence) != (0, 2):
        raise GdRuntimeError("seek() of a file opened for writing is not supported by "
                             "gradcli (but seek(0, 2))")
    if whence not in (0, 1, 2) or (whence and offset):
        raise _unsupported("can't do nonzero cur-relative seeks")
    return f.buf.seek(offset, whence)


def _writelines(f: TextFile, lines: Any) -> None:
    from gradcli.interp.operators import iterate

    for line in iterate(lines):
        f.write(line)


def _tell(f: TextFile) -> int:
    f.check()
    return len(f.base) + f.buf.tell() if not f.reading else f.buf.tell()


pymethods.METHODS[TextFile] = {
    "read": _reader("read"), "readline": _reader("readline"),
    "readlines": _reader("readlines"),
    "write": TextFile.write, "writelines": _writelines, "flush": TextFile.flush,
    "close": TextFile.close, "seek": _seek, "tell": _tell,
    "readable": lambda f: f.check() or f.reading,
    "writable": lambda f: f.check() or not f.reading,
    "seekable": lambda f: f.check() or True, "isatty": lambda f: f.check() or False,
}
pymethods.DATA[TextFile] = frozenset(("name", "mode", "closed"))


class BinaryFile(_FileBase):
    """A file opened in a binary mode: gd has no bytes, so it is only what torch.save,
    torch.load, pickle.dump and pickle.load take; the file holds the saved copy."""

    __slots__ = ("done",)

    def __init__(self, path: Any, mode: str) -> None:
        self.name = path
        self.mode = mode
        self.closed = False
        self.done = False  # a load read it (a second load is at the end: EOFError)
        if mode[0] == "r":
            self.key = read_entry(path)[0]
        else:
            prior = FILES.get(key(path)) if mode[0] == "a" else None
            self.key = write_entry(path, "" if prior is None else prior, mode[0] == "x")

    def gd_repr(self) -> str:
        kind = "BufferedReader" if self.mode[0] == "r" else "BufferedWriter"
        return f"<_io.{kind} name={self.name!r}>"

    def type_label(self) -> str:
        return "BufferedReader" if self.mode[0] == "r" else "BufferedWriter"

    def save(self, obj: Any) -> None:
        """torch.save(obj, f) / pickle.dump(obj, f): the file holds obj (a copy)."""
        self.check()
        if self.mode[0] == "r":
            raise _unsupported("write")
        FILES[self.key] = Saved(obj)

    def load(self) -> Any:
        """torch.load(f) / pickle.load(f): the copy the file holds."""
        self.check()
        if self.mode[0] != "r":
            raise _unsupported("read")
        content = FILES.get(self.key)
        if self.done or type(content) is not Saved:
            if type(content) is str and content and not self.done:
                raise GdRuntimeError(f"loading {self.name!r} is not supported by gradcli: "
                                     "the program wrote it as text")
            raise exceptions.ExceptionValue(exceptions.CLASSES["EOFError"],
                                            ("Ran out of input",)).raised(None)
        self.done = True
        return content.obj


def _binary_refused(name: str) -> Callable[..., Any]:
    def refuse(f: BinaryFile, *args: Any) -> Any:
        raise GdRuntimeError(f"'{f.type_label()}.{name}()' is not supported by gradcli: gd "
                             "has no bytes (a binary file holds what torch.save or "
                             "pickle.dump writes)")

    return refuse


pymethods.METHODS[BinaryFile] = {
    "close": BinaryFile.close, "flush": lambda f: f.check(),
    **{name: _binary_refused(name) for name in ("read", "write", "readline", "readlines",
                                                "seek", "tell", "writelines")},
}
pymethods.DATA[BinaryFile] = frozenset(("name", "mode", "closed"))

_TEXT_MODES = {"r", "w", "a", "x"}


def open_file(file: Any, mode: Any = "r", buffering: Any = -1, encoding: Any = None,
              errors: Any = None, newline: Any = None, closefd: Any = True,
              opener: Any = None) -> Any:
    """open(file, mode='r', ..., encoding=None, newline=None): a file of this run's
    in-memory file system (text modes r, w, a, x; rb/wb/ab for torch.save, torch.load and
    pickle)."""
    fspath(file)
    if type(mode) is not str:
        raise GdRuntimeError(f"open() argument 'mode' must be str, not {type_name(mode)}",
                             py_type="TypeError")
    if opener is not None or closefd is not True:
        raise GdRuntimeError("open(opener=, closefd=) is not supported by gradcli")
    kinds = [c for c in mode if c in "rwax"]
    letters = set(mode)
    if (len(kinds) != 1 or len(mode) != len(letters) or not letters <= set("rwaxtb+")
            or {"t", "b"} <= letters):
        raise GdRuntimeError(f"invalid mode: {mode!r}", py_type="ValueError")
    if "+" in mode:
        raise GdRuntimeError(f"open() mode {mode!r} is not supported by gradcli (reading "
                             "and writing one file at once)",
                             hint="open the file once to write it, then again to read it")
    if newline not in (None, "", "\n", "\r", "\r\n"):
        raise GdRuntimeError(f"illegal newline value: {to_str(newline)}",
                             py_type="ValueError" if type(newline) is str else "TypeError")
    if encoding is not None and type(encoding) is not str:
        raise GdRuntimeError(f"open() argument 'encoding' must be str or None, not "
                             f"{type_name(encoding)}", py_type="TypeError")
    if "b" in mode:
        for name, v in (("encoding", encoding), ("errors", errors), ("newline", newline)):
            if v is not None:
                raise GdRuntimeError(f"binary mode doesn't take an {name} argument",
                                     py_type="ValueError")
        return BinaryFile(file, mode)
    return TextFile(file, mode, newline)


# -- os and os.path --------------------------------------------------------------------------


def exists(path: Any) -> bool:
    k = key(path) if fspath(path) else ""
    return k in FILES or k in DIRS


def isfile(path: Any) -> bool:
    return bool(fspath(path)) and key(path) in FILES


def isdir(path: Any) -> bool:
    return bool(fspath(path)) and key(path) in DIRS


def getsize(path: Any) -> int:
    if isdir(path):
        return 4096  # a directory's size on Linux
    content = read_entry(path)[1]
    if type(content) is Saved:
        raise GdRuntimeError("os.path.getsize() of a file torch.save or pickle.dump wrote is "
                             "not supported by gradcli (the size of its file format)")
    return len(content.encode("utf-8"))


def makedirs(name: Any, mode: Any = 0o777, exist_ok: Any = False) -> None:
    shown = fspath(name)
    k = key(name)
    if k in DIRS:
        if not exist_ok:
            raise os_error("FileExistsError", 17, "File exists", shown)
        return
    parts = k.strip("/").split("/")
    for i in range(1, len(parts) + 1):
        d = "/" + "/".join(parts[:i])
        if d in FILES:
            raise os_error("FileExistsError" if d == k else "NotADirectoryError",
                           17 if d == k else 20,
                           "File exists" if d == k else "Not a directory", shown)
        if d not in DIRS:
            _check_count(len(FILES) + len(DIRS) + 1)
            DIRS.add(d)


def mkdir(path: Any, mode: Any = 0o777) -> None:
    shown = fspath(path)
    k = key(path)
    if k in DIRS or k in FILES:
        raise os_error("FileExistsError", 17, "File exists", shown)
    _parent_exists(k, shown)
    _check_count(len(FILES) + len(DIRS) + 1)
    DIRS.add(k)


def listdir(path: Any = ".") -> list[str]:
    shown = fspath(path)
    k = key(path)
    if k not in DIRS:
        if k in FILES:
            raise os_error("NotADirectoryError", 20, "Not a directory", shown)
        raise os_error("FileNotFoundError", 2, "No such file or directory", shown)
    prefix = k.rstrip("/") + "/"
    return sorted({p[len(prefix):].split("/")[0] for p in (*FILES, *DIRS)
                   if p.startswith(prefix) and p != k})


def remove(path: Any) -> None:
    shown = fspath(path)
    k = key(path)
    if k in DIRS:
        raise os_error("IsADirectoryError", 21, "Is a directory", shown)
    if k not in FILES:
        raise os_error("FileNotFoundError", 2, "No such file or directory", shown)
    del FILES[k]


def rmdir(path: Any) -> None:
    shown = fspath(path)
    k = key(path)
    if k not in DIRS:
        raise os_error("FileNotFoundError" if k not in FILES else "NotADirectoryError",
                       2 if k not in FILES else 20,
                       "No such file or directory" if k not in FILES else "Not a directory",
                       shown)
    if listdir(path):
        raise os_error("OSError", 39, "Directory not empty", shown)
    if k in _ROOT_DIRS:
        raise os_error("PermissionError", 13, "Permission denied", shown)
    DIRS.discard(k)


def rename(src: Any, dst: Any) -> None:
    shown, shown2 = fspath(src), fspath(dst)
    k = key(src)
    if k not in FILES:
        raise os_error("FileNotFoundError", 2, "No such file or directory", shown, shown2)
    write_entry(dst, FILES[k])
    if key(dst) != k:
        del FILES[k]


def abspath(path: Any) -> str:
    return key(path) if fspath(path) else "/"


def _fn(name: str, fn: Callable[..., Any], doc: str) -> Builtin:
    return Builtin(name, fn, doc)


def os_members() -> dict[str, Builtin]:
    """os's functions over the run's files."""
    return {
        "makedirs": _fn("os.makedirs", makedirs, "os.makedirs(name, exist_ok=False): in memory"),
        "mkdir": _fn("os.mkdir", mkdir, "os.mkdir(path): a directory in memory"),
        "listdir": _fn("os.listdir", listdir, "os.listdir(path='.'): names, sorted"),
        "remove": _fn("os.remove", remove, "os.remove(path): forget a file"),
        "unlink": _fn("os.unlink", remove, "os.unlink(path): forget a file"),
        "rmdir": _fn("os.rmdir", rmdir, "os.rmdir(path): an empty directory"),
        "rename": _fn("os.rename", rename, "os.rename(src, dst)"),
        "replace": _fn("os.replace", rename, "os.replace(src, dst)"),
        "fspath": _fn("os.fspath", fspath, "os.fspath(path): the path string"),
    }


def os_path_members() -> dict[str, Builtin]:
    """os.path's functions over the run's files."""
    return {
        "exists": _fn("os.path.exists", exists, "os.path.exists(path)"),
        "isfile": _fn("os.path.isfile", isfile, "os.path.isfile(path)"),
        "isdir": _fn("os.path.isdir", isdir, "os.path.isdir(path)"),
        "islink": _fn("os.path.islink", lambda path: fspath(path) and False,
                      "os.path.islink(path): False"),
        "getsize": _fn("os.path.getsize", getsize, "os.path.getsize(path): in bytes"),
        "abspath": _fn("os.path.abspath", abspath, "os.path.abspath(path): from /"),
    }


OPEN = Builtin("open", open_file)
