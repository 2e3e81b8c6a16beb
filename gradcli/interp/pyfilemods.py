"""`csv`, `pickle` and `pathlib` in gd, over the run's in-memory files (pyfiles) and
io.StringIO.

csv runs Python's own reader and writers: a writer writes through the file's allow-listed
write() (so the size checks hold) and is handed plain values only (strings, numbers, None;
any other value as gd prints it); a reader walks the file's lines, each row a step of the
run. pickle.dump/pickle.load are torch.save/torch.load's copy (the binary file holds it);
gd has no bytes, so pickle.dumps/loads are refused. pathlib.Path is a PosixPath of the
same files (`/`, name, stem, suffix, parent, parts, exists, mkdir, read_text, write_text,
open, iterdir, glob, ...), printed as Python prints it.
"""

from __future__ import annotations

import csv as host_csv
import fnmatch
import pickle as host_pickle
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp import pyfiles, pymethods, pysys, serialization
from gradcli.interp.operators import iterate
from gradcli.interp.pyfiles import BinaryFile
from gradcli.interp.pyitertools import _lazy
from gradcli.interp.values import (
    Builtin,
    GdObject,
    IteratorValue,
    Namespace,
    private_name_error,
    to_str,
    type_name,
)

_PLAIN = (str, int, float, bool, type(None))
_DIALECT_KEYWORDS = frozenset(("delimiter", "quotechar", "escapechar", "doublequote",
                               "skipinitialspace", "lineterminator", "quoting", "strict"))


def _csv_error(e: Exception) -> GdRuntimeError:
    if isinstance(e, host_csv.Error):
        return GdRuntimeError(str(e), py_type="ValueError")  # gd has no csv.Error class
    return GdRuntimeError(str(e), py_type=type(e).__name__ if type(e).__name__ in (
        "ValueError", "TypeError", "AttributeError") else "ValueError")


def _format(kw: dict[str, Any]) -> dict[str, Any]:
    for k, v in kw.items():
        if k not in _DIALECT_KEYWORDS:
            raise GdRuntimeError(f"'{k}' is an invalid keyword argument for this function",
                                 py_type="TypeError")
        if type(v) not in _PLAIN:
            raise GdRuntimeError(f'"{k}" must be a string or int, not {type_name(v)}',
                                 py_type="TypeError")
    return kw


class _Sink:
    """What the host csv writer writes to: the gd file's own write()."""

    __slots__ = ("f",)

    def __init__(self, f: Any) -> None:
        self.f = f

    def write(self, text: str) -> None:
        pysys.write(self.f, text)


def _cell(v: Any) -> Any:
    return v if type(v) in _PLAIN else to_str(v)


def _row(row: Any) -> list[Any]:
    if type(row) is str:
        return list(row)
    try:
        return [_cell(v) for v in iterate(row)]
    except GdRuntimeError:
        raise GdRuntimeError(f"iterable expected, not {type_name(row)}",
                             py_type="ValueError") from None


class CsvWriter:
    """csv.writer(f, **fmtparams)."""

    __slots__ = ("w",)

    def __init__(self, f: Any, dialect: Any = "excel", **kw: Any) -> None:
        if "write" not in pymethods.METHODS.get(type(f), {}) and f not in (pysys.STDOUT,
                                                                          pysys.STDERR):
            raise GdRuntimeError('argument 1 must have a "write" method', py_type="TypeError")
        self.w = host_csv.writer(_Sink(f), _dialect(dialect), **_format(kw))

    def __repr__(self) -> str:
        return object_repr("_csv.writer", self)


CsvWriter.__name__ = "writer"


def _dialect(d: Any) -> str:
    if d not in ("excel", "excel-tab", "unix"):
        raise GdRuntimeError(f"unknown dialect {to_str(d)!r} in gd (excel, excel-tab, unix)",
                             py_type="ValueError")
    return str(d)


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (host_csv.Error, ValueError, TypeError, AttributeError) as e:
            raise _csv_error(e) from None

    return call


def _writerow(w: CsvWriter, row: Any) -> Any:
    return _guard(w.w.writerow)(_row(row))


def _writerows(w: CsvWriter, rows: Any) -> None:
    for row in iterate(rows):
        _writerow(w, row)


pymethods.METHODS[CsvWriter] = {"writerow": _writerow, "writerows": _writerows}
pymethods.DATA[CsvWriter] = frozenset()


class DictWriter:
    """csv.DictWriter(f, fieldnames, restval='', extrasaction='raise', **fmtparams)."""

    __slots__ = ("fieldnames", "w")

    def __init__(self, f: Any, fieldnames: Any, restval: Any = "", extrasaction: Any = "raise",
                 dialect: Any = "excel", **kw: Any) -> None:
        self.fieldnames = [_cell(v) for v in iterate(fieldnames)]
        if extrasaction not in ("raise", "ignore"):
            raise GdRuntimeError(f"extrasaction ({to_str(extrasaction)}) must be 'raise' or "
                                 "'ignore'", py_type="ValueError")
        self.w = host_csv.DictWriter(_Sink(f), self.fieldnames, _cell(restval), extrasaction,
                                     _dialect(dialect), **_format(kw))

    def __repr__(self) -> str:
        return object_repr("csv.DictWriter", self)


def _dict_row(row: Any) -> dict[Any, Any]:
    if not isinstance(row, dict):
        raise GdRuntimeError(f"'{type_name(row)}' object has no attribute 'keys'",
                             py_type="AttributeError")
    return {_cell(k): _cell(v) for k, v in row.items()}


pymethods.METHODS[DictWriter] = {
    "writeheader": lambda w: _guard(w.w.writeheader)(),
    "writerow": lambda w, row: _guard(w.w.writerow)(_dict_row(row)),
    "writerows": lambda w, rows: [_guard(w.w.writerow)(_dict_row(r)) for r in iterate(rows)]
    and None,
}
pymethods.DATA[DictWriter] = frozenset(("fieldnames",))


def _lines(f: Any) -> Iterator[str]:
    for line in iterate(f):
        if type(line) is not str:
            raise GdRuntimeError(f"iterator should return strings, not {type_name(line)} "
                                 "(the file should be opened in text mode)",
                                 py_type="ValueError")
        yield line


def _rows(it: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from it
    except host_csv.Error as e:
        raise _csv_error(e) from None


def _reader(f: Any, dialect: Any = "excel", **kw: Any) -> Any:
    """csv.reader(f, **fmtparams): the rows of f's lines, lists of strings."""
    return _lazy("reader", _rows(host_csv.reader(_lines(f), _dialect(dialect), **_format(kw))))


class DictReader(GdObject):
    """csv.DictReader(f, fieldnames=None, restkey=None, restval=None, **fmtparams)."""

    __slots__ = ("it", "r")

    def __init__(self, f: Any, fieldnames: Any = None, restkey: Any = None,
                 restval: Any = None, dialect: Any = "excel", **kw: Any) -> None:
        names = None if fieldnames is None else [_cell(v) for v in iterate(fieldnames)]
        self.r = host_csv.DictReader(_lines(f), names, _cell(restkey), _cell(restval),
                                     _dialect(dialect), **_format(kw))
        self.it = _lazy("DictReader", _rows(iter(self.r)))

    def __iter__(self) -> Any:
        return self.it

    def gd_repr(self) -> str:
        return object_repr("csv.DictReader", self)

    def type_label(self) -> str:
        return "DictReader"

    def get_attr(self, name: str) -> Any:
        if name == "fieldnames":  # reads the header line, as Python's does
            return _guard(lambda: self.r.fieldnames)()
        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"'DictReader' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'DictReader' value")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)


def _csv() -> Namespace:
    return Namespace("csv", {
        "writer": Builtin("csv.writer", CsvWriter, "csv.writer(f, **fmtparams)"),
        "reader": Builtin("csv.reader", _reader),
        "DictWriter": Builtin("csv.DictWriter", DictWriter,
                              "csv.DictWriter(f, fieldnames, **fmtparams)"),
        "DictReader": Builtin("csv.DictReader", DictReader,
                              "csv.DictReader(f, fieldnames=None, **fmtparams)"),
        **{name: getattr(host_csv, name) for name in (
            "QUOTE_ALL", "QUOTE_MINIMAL", "QUOTE_NONE", "QUOTE_NONNUMERIC")},
    })


# -- pickle ----------------------------------------------------------------------------------


def _dump(obj: Any, file: Any, protocol: Any = None, *, fix_imports: Any = True,
          buffer_callback: Any = None) -> None:
    """pickle.dump(obj, file): the binary file holds a copy of obj."""
    if type(file) is not BinaryFile:
        raise GdRuntimeError("file must have a 'write' attribute (pickle.dump takes a file "
                             "opened in a binary mode in gd)", py_type="TypeError")
    file.save(serialization.copy_for_pickle(obj))


def _load(file: Any, *, fix_imports: Any = True, encoding: Any = "ASCII",
          errors: Any = "strict", buffers: Any = None) -> Any:
    """pickle.load(file): a fresh copy of what pickle.dump wrote to the file."""
    if type(file) is not BinaryFile:
        raise GdRuntimeError("file must have 'read' and 'readline' attributes (pickle.load "
                             "takes a file opened in a binary mode in gd)",
                             py_type="TypeError")
    return serialization.copy_for_pickle(file.load())


def _no_bytes(name: str) -> Builtin:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError(f"'pickle.{name}' is not supported by gradcli (gd has no bytes)",
                             hint="pickle.dump and pickle.load take a file opened in a "
                                  "binary mode; copy.deepcopy copies a value")

    return Builtin(f"pickle.{name}", refuse, f"pickle.{name}: refused (gd has no bytes)")


def _pickle() -> Namespace:
    return Namespace("pickle", {
        "dump": Builtin("pickle.dump", _dump), "load": Builtin("pickle.load", _load),
        "dumps": _no_bytes("dumps"), "loads": _no_bytes("loads"),
        "HIGHEST_PROTOCOL": host_pickle.HIGHEST_PROTOCOL,
        "DEFAULT_PROTOCOL": host_pickle.DEFAULT_PROTOCOL,
    })


def namespaces() -> dict[str, Namespace]:
    """csv, pickle and pathlib."""
    return {"csv": _csv(), "pickle": _pickle(), "pathlib": _pathlib()}


# -- pathlib ---------------------------------------------------------------------------------


def _path_text(*parts: Any) -> str:
    texts = [pyfiles.fspath(p) for p in parts]
    joined = posixpath.join(*texts) if texts else "."
    # PurePosixPath's normal form: no '.' parts, no repeated or trailing '/' ('..' kept)
    absolute = joined.startswith("/")
    pieces = [p for p in joined.split("/") if p not in ("", ".")]
    text = ("/" if absolute else "") + "/".join(pieces)
    return text or "."


class PathValue(GdObject):
    """pathlib.Path (a PosixPath): a path of the run's in-memory file system."""

    __slots__ = ("text",)

    def __init__(self, *parts: Any) -> None:
        self.text = _path_text(*parts)

    @property
    def gd_fspath(self) -> str:
        return self.text

    def gd_repr(self) -> str:
        return f"PosixPath({self.text!r})"

    def gd_str(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def type_label(self) -> str:
        return "PosixPath"

    def __eq__(self, other: object) -> bool:
        return type(other) is PathValue and other.text == self.text

    def __hash__(self) -> int:
        return hash(("PosixPath", self.text))

    def __lt__(self, other: Any) -> bool:
        if type(other) is not PathValue:
            return NotImplemented
        return self.text < other.text

    def __truediv__(self, other: Any) -> Any:
        if type(other) not in (str, PathValue):
            return NotImplemented
        return PathValue(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        if type(other) is not str:
            return NotImplemented
        return PathValue(other, self)

    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        prop = _PATH_PROPERTIES.get(name)
        if prop is not None:
            return prop(self)
        fn = _PATH_METHODS.get(name)
        if fn is not None:
            return Builtin(f"PosixPath.{name}", lambda *a, **k: fn(self, *a, **k))
        raise GdRuntimeError(f"'PosixPath' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"'PosixPath' object attribute '{name}' is read-only",
                             py_type="AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)


def _name(p: PathValue) -> str:
    return "" if p.text in (".", "/") else p.text.rsplit("/", 1)[-1]


def _suffix(p: PathValue) -> str:
    name = _name(p)
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _suffixes(p: PathValue) -> list[str]:
    name = _name(p)
    if name.endswith("."):
        return []
    name = name.lstrip(".")
    return ["." + s for s in name.split(".")[1:]]


def _parent(p: PathValue) -> PathValue:
    if p.text in (".", "/"):
        return p
    head = p.text.rsplit("/", 1)[0] if "/" in p.text else "."
    return PathValue(head or "/")


def _parts(p: PathValue) -> tuple[str, ...]:
    pieces = [x for x in p.text.split("/") if x and x != "."]
    return (("/",) if p.text.startswith("/") else ()) + tuple(pieces)


_PATH_PROPERTIES: dict[str, Callable[[PathValue], Any]] = {
    "name": _name, "suffix": _suffix, "suffixes": _suffixes, "parent": _parent,
    "parts": _parts, "stem": lambda p: _name(p)[:len(_name(p)) - len(_suffix(p))],
    "anchor": lambda p: "/" if p.text.startswith("/") else "",
}


def _with_suffix(p: PathValue, suffix: Any) -> PathValue:
    if type(suffix) is not str or (suffix and (not suffix.startswith(".") or suffix == ".")):
        raise GdRuntimeError(f"Invalid suffix {to_str(suffix)!r}", py_type="ValueError")
    if not _name(p):
        raise GdRuntimeError(f"{p.gd_repr()} has an empty name", py_type="ValueError")
    stem = _PATH_PROPERTIES["stem"](p)
    return PathValue(_parent(p), stem + suffix)


def _with_name(p: PathValue, name: Any) -> PathValue:
    if type(name) is not str or not name or "/" in name or name == ".":
        raise GdRuntimeError(f"Invalid name {to_str(name)!r}", py_type="ValueError")
    if not _name(p):
        raise GdRuntimeError(f"{p.gd_repr()} has an empty name", py_type="ValueError")
    return PathValue(_parent(p), name)


def _mkdir(p: PathValue, mode: Any = 0o777, parents: Any = False,
           exist_ok: Any = False) -> None:
    if parents:
        if pyfiles.isdir(p.text) and not exist_ok:
            raise pyfiles.os_error("FileExistsError", 17, "File exists", p.text)
        pyfiles.makedirs(p.text, exist_ok=True)
        return
    if exist_ok and pyfiles.isdir(p.text):
        return
    pyfiles.mkdir(p.text)


def _read_text(p: PathValue, encoding: Any = None, errors: Any = None) -> str:
    f = pyfiles.open_file(p.text, "r")
    text: str = f.buf.read()
    f.close()
    return text


def _write_text(p: PathValue, data: Any, encoding: Any = None, errors: Any = None,
                newline: Any = None) -> int:
    if type(data) is not str:
        raise GdRuntimeError(f"data must be str, not {type_name(data)}", py_type="TypeError")
    f = pyfiles.open_file(p.text, "w", newline=newline)
    n = f.write(data)
    f.close()
    return n


def _unlink(p: PathValue, missing_ok: Any = False) -> None:
    if missing_ok and not pyfiles.isfile(p.text):
        return
    pyfiles.remove(p.text)


def _touch(p: PathValue, mode: Any = 0o666, exist_ok: Any = True) -> None:
    if pyfiles.exists(p.text):
        if not exist_ok:
            raise pyfiles.os_error("FileExistsError", 17, "File exists", p.text)
        return
    pyfiles.write_entry(p.text, "")


def _iterdir(p: PathValue) -> Any:
    return IteratorValue("generator", iter([PathValue(p, n) for n in pyfiles.listdir(p.text)]))


def _glob(p: PathValue, pattern: Any) -> Any:
    if type(pattern) is not str or "/" in pattern:
        raise GdRuntimeError("Path.glob() takes a pattern without '/' in gd")
    if not pyfiles.isdir(p.text):
        return IteratorValue("generator", iter([]))
    return IteratorValue("generator", iter([PathValue(p, n) for n in pyfiles.listdir(p.text)
                                            if fnmatch.fnmatchcase(n, pattern)]))


def _rename(p: PathValue, target: Any) -> PathValue:
    pyfiles.rename(p.text, target)
    return target if type(target) is PathValue else PathValue(target)


def _absolute(p: PathValue) -> PathValue:
    return PathValue(pyfiles.abspath(p.text))


_PATH_METHODS: dict[str, Callable[..., Any]] = {
    "exists": lambda p: pyfiles.exists(p.text), "is_file": lambda p: pyfiles.isfile(p.text),
    "is_dir": lambda p: pyfiles.isdir(p.text), "is_absolute": lambda p: p.text.startswith("/"),
    "mkdir": _mkdir, "read_text": _read_text, "write_text": _write_text,
    "open": lambda p, mode="r", buffering=-1, encoding=None, errors=None, newline=None:
        pyfiles.open_file(p.text, mode, buffering, encoding, errors, newline),
    "unlink": _unlink, "touch": _touch, "rmdir": lambda p: pyfiles.rmdir(p.text),
    "iterdir": _iterdir, "glob": _glob, "rename": _rename, "replace": _rename,
    "joinpath": lambda p, *others: PathValue(p, *others),
    "with_suffix": _with_suffix, "with_name": _with_name,
    "with_stem": lambda p, stem: _with_name(p, to_str(stem) + _suffix(p)),
    "resolve": _absolute, "absolute": _absolute, "as_posix": lambda p: p.text,
}


class _PathClass(Builtin):
    """pathlib.Path / PosixPath: makes paths; Path.cwd()."""

    __slots__ = ()
    is_class = True

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"

    def instance_check(self, x: Any) -> bool:
        return type(x) is PathValue


def _pathlib() -> Namespace:
    path = _PathClass("pathlib.PosixPath", PathValue, "pathlib.Path(*parts): a path")
    return Namespace("pathlib", {"Path": path, "PosixPath": path, "PurePath": path,
                                 "PurePosixPath": path})
