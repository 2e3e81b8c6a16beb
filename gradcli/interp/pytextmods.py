"""`json`, `pprint`, `string`, `textwrap`, `statistics`, `io` and `unicodedata` in gd.

Each hands Python's own function plain values only: json.dumps and pprint first copy the
value into dicts, lists, tuples, strings, numbers, booleans and None (anything else is
JSON's TypeError, or for pprint a leaf printed as gd prints it), so no host object is
reached; json.loads builds only those kinds. io.StringIO is an in-memory text buffer
(no file system). Every result is size-checked (limits.py).
"""

from __future__ import annotations

import functools
import io as host_io
import json as host_json
import pprint as host_pprint
import statistics as host_statistics
import string as host_string
import textwrap as host_textwrap
import unicodedata as host_unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, pymethods, pysys, serialization
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    GdObject,
    Namespace,
    to_repr,
    to_str,
    type_name,
)

_MAX_DEPTH = 500  # nesting of a value json or pprint copies (Python's own stops near 1000)
_PLAIN = (str, int, float, bool, type(None))


def _type_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="TypeError")


def _check_str(what: str, s: Any) -> str:
    if type(s) is not str:
        raise _type_error(f"{what} must be str, not {type_name(s)}")
    return s


# -- json ----------------------------------------------------------------------------------


def _plain(v: Any, default: Any, depth: int = 0) -> Any:
    """A copy of v in JSON's kinds; `default(obj)` for any other value (None: TypeError)."""
    if depth > _MAX_DEPTH:
        raise GdRuntimeError("maximum recursion depth exceeded while encoding a JSON object",
                             py_type="RecursionError")
    t = type(v)
    if t in _PLAIN:
        return v
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if type(k) not in _PLAIN:
                raise _type_error(f"keys must be str, int, float, bool or None, not "
                                  f"{type_name(k)}")
            out[k] = _plain(x, default, depth + 1)
        return out
    if isinstance(v, (list, tuple)):  # their subclasses too (named tuples, gd's)
        return [_plain(x, default, depth + 1) for x in v]
    if default is None:
        raise _type_error(f"Object of type {type_name(v)} is not JSON serializable")
    return _plain(default(v), default, depth + 1)


def _dumps(obj: Any, *, indent: Any = None, sort_keys: Any = False, default: Any = None,
           separators: Any = None, ensure_ascii: Any = True, skipkeys: Any = False,
           allow_nan: Any = True) -> str:
    """json.dumps(obj, indent=None, sort_keys=False, default=None, separators=None)."""
    if indent is not None and type(indent) not in (int, str):
        raise _type_error(f"indent must be int or str, not {type_name(indent)}")
    if (type(indent) is int and indent > 100) or (type(indent) is str and len(indent) > 100):
        raise GdRuntimeError("json.dumps(): indent wider than 100 is not supported by gradcli")
    if separators is not None and (type(separators) not in (tuple, list) or len(separators) != 2
                                   or any(type(s) is not str for s in separators)):
        raise _type_error("separators must be a (item_separator, key_separator) pair of str")
    try:
        text = host_json.dumps(_plain(obj, default), indent=indent, sort_keys=bool(sort_keys),
                               separators=tuple(separators) if separators else None,
                               ensure_ascii=bool(ensure_ascii), skipkeys=bool(skipkeys),
                               allow_nan=bool(allow_nan))
    except TypeError as e:  # sort_keys over keys of mixed types
        raise _type_error(str(e)) from None
    except ValueError as e:  # allow_nan=False
        raise GdRuntimeError(str(e), py_type="ValueError") from None
    limits.check_length(len(text), "string")
    return text


def _loads(s: Any) -> Any:
    """json.loads(s): dicts, lists, strings, numbers, booleans and None."""
    _check_str("the JSON object", s)
    try:
        return host_json.loads(s)
    except host_json.JSONDecodeError as e:
        raise GdRuntimeError(str(e), py_type="ValueError") from None
    except RecursionError:
        raise GdRuntimeError("maximum recursion depth exceeded while decoding a JSON "
                             "document", py_type="RecursionError") from None


def _dump(obj: Any, fp: Any, **kwargs: Any) -> None:
    """json.dump(obj, fp, **kw): json.dumps's text written to the file fp."""
    pysys.write(fp, _dumps(obj, **kwargs))


def _load(fp: Any) -> Any:
    """json.load(fp): json.loads of the file's text."""
    read = pymethods.METHODS.get(type(fp), {}).get("read")
    if read is None:
        raise GdRuntimeError(f"'{type_name(fp)}' object has no attribute 'read'",
                             py_type="AttributeError")
    return _loads(read(fp))


def _json() -> Namespace:
    return Namespace("json", {
        "dumps": Builtin("json.dumps", _dumps),
        "loads": Builtin("json.loads", _loads),
        "dump": Builtin("json.dump", _dump),
        "load": Builtin("json.load", _load),
    })


# -- pprint --------------------------------------------------------------------------------


class _Leaf:
    """A value pprint prints as gd prints it (a tensor, a gd instance)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _tree(v: Any, depth: int = 0) -> Any:
    t = type(v)
    if t in _PLAIN:
        return v
    if depth < _MAX_DEPTH:
        if t is dict:
            return {_tree(k, depth + 1): _tree(x, depth + 1) for k, x in v.items()}
        if t is list:
            return [_tree(x, depth + 1) for x in v]
        if t is tuple:
            return tuple(_tree(x, depth + 1) for x in v)
    return _Leaf(to_repr(v))


def _pformat(obj: Any, indent: Any = 1, width: Any = 80, depth: Any = None, *,
             compact: Any = False, sort_dicts: Any = True, underscore_numbers: Any = False) -> str:
    """pprint.pformat(obj, indent=1, width=80, depth=None, *, compact, sort_dicts)."""
    for name, v in (("indent", indent), ("width", width)):
        if type(v) is not int or not 0 <= v <= 1000:
            raise GdRuntimeError(f"{name} must be an int from 0 to 1000 in gd",
                                 py_type="ValueError")
    text = host_pprint.pformat(_tree(obj), indent=indent, width=width, depth=depth,
                               compact=bool(compact), sort_dicts=bool(sort_dicts),
                               underscore_numbers=bool(underscore_numbers))
    limits.check_length(len(text), "string")
    return text


def _pprint(sort_dicts: bool) -> Callable[..., None]:
    def pprint(obj: Any, *args: Any, **kwargs: Any) -> None:
        """pprint.pprint(obj, ...): pformat's text, printed."""
        stream = kwargs.pop("stream", None)
        kwargs.setdefault("sort_dicts", sort_dicts)
        pysys.write(pysys.STDOUT if stream is None else stream, _pformat(obj, *args, **kwargs)
                    + "\n")

    return pprint


# -- textwrap, string, statistics --------------------------------------------------------------


def _text_fn(name: str, fn: Callable[..., Any], keywords: tuple[str, ...] = ()) -> Builtin:
    def call(text: Any, *args: Any, **kwargs: Any) -> Any:
        _check_str(f"{name}() argument 1", text)
        for k in kwargs:
            if k not in keywords:
                raise _type_error(f"{name}() got an unexpected keyword argument '{k}'")
        for a in (*args, *kwargs.values()):
            if type(a) not in (int, str, bool):
                raise _type_error(f"{name}(): arguments must be int, str or bool in gd")
        width = kwargs.get("width", args[0] if args else None)
        if type(width) is int and width > 100_000:
            raise GdRuntimeError(f"textwrap.{name}(): width over 100,000 is not supported")
        result = fn(text, *args, **kwargs)
        n = len(result) if type(result) is str else sum(len(x) for x in result)
        limits.check_length(n, "string")
        return result

    call.__doc__ = (fn.__doc__ or "").strip().split("\n")[0]
    return Builtin(f"textwrap.{name}", call)


_WRAP_KEYWORDS = ("width", "initial_indent", "subsequent_indent", "break_long_words",
                  "break_on_hyphens", "expand_tabs", "replace_whitespace",
                  "drop_whitespace", "tabsize", "max_lines", "placeholder")


def _textwrap() -> Namespace:
    return Namespace("textwrap", {
        "dedent": _text_fn("dedent", host_textwrap.dedent),
        "indent": _text_fn("indent", host_textwrap.indent),
        "fill": _text_fn("fill", host_textwrap.fill, _WRAP_KEYWORDS),
        "wrap": _text_fn("wrap", host_textwrap.wrap, _WRAP_KEYWORDS),
        "shorten": _text_fn("shorten", host_textwrap.shorten, _WRAP_KEYWORDS),
    })


class _Strings(Mapping):  # type: ignore[type-arg]
    """What string.Template looks names up in: the keywords, then the mapping, each value
    as gd's str() gives it (a missing name: Python's KeyError, for safe_substitute)."""

    def __init__(self, mapping: Any, kws: dict[str, Any]) -> None:
        self.mapping = mapping
        self.kws = kws

    def __getitem__(self, key: str) -> str:
        if key in self.kws:
            return to_str(self.kws[key])
        if self.mapping is None:
            raise KeyError(key)
        try:
            return to_str(self.mapping[key])
        except KeyError:
            raise KeyError(key) from None

    def __iter__(self) -> Any:
        return iter(self.kws)

    def __len__(self) -> int:
        return len(self.kws)


class Template(GdObject):
    """string.Template(template): `$name` and `${name}` placeholders (Python's own
    pattern), substituted from a mapping and keywords."""

    __slots__ = ("template",)

    def __init__(self, template: Any) -> None:
        self.template = _check_str("Template() argument", template)

    def _substitute(self, safe: bool, mapping: Any = None, **kws: Any) -> str:
        if mapping is not None and not isinstance(mapping, (dict, Mapping, GdObject)):
            raise _type_error(f"'{type_name(mapping)}' object is not subscriptable")
        host = host_string.Template(self.template)
        try:
            text = (host.safe_substitute if safe else host.substitute)(_Strings(mapping, kws))
        except KeyError as e:
            from gradcli.interp.classes import key_error

            raise key_error(e.args[0]) from None
        except ValueError as e:
            raise GdRuntimeError(str(e), py_type="ValueError") from None
        limits.check_length(len(text), "string")
        return text

    def get_attr(self, name: str) -> Any:
        if name == "template":
            return self.template
        if name == "substitute":
            return BoundMethod(self, name, lambda t, m=None, **k: t._substitute(False, m, **k))
        if name == "safe_substitute":
            return BoundMethod(self, name, lambda t, m=None, **k: t._substitute(True, m, **k))
        if name == "get_identifiers":
            return BoundMethod(self, name, lambda t: host_string.Template(
                t.template).get_identifiers())
        if name == "is_valid":
            return BoundMethod(self, name, lambda t: host_string.Template(t.template).is_valid())
        if name == "delimiter":
            return "$"
        if name.startswith("_"):
            from gradcli.interp.attributes import private_name_error

            raise private_name_error(name)
        raise GdRuntimeError(f"'Template' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        if name == "template":
            self.template = _check_str("template", value)
            return
        self.get_attr(name)

    def del_attr(self, name: str) -> None:
        self.get_attr(name)

    def gd_repr(self) -> str:
        return object_repr("string.Template", self)

    def type_label(self) -> str:
        return "Template"


def _string() -> Namespace:
    return Namespace("string", {name: getattr(host_string, name) for name in (
        "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
        "octdigits", "punctuation", "printable", "whitespace")} | {
        "Template": Builtin("string.Template", Template,
                            "string.Template(template): $name placeholders"),
        "capwords": Builtin("string.capwords", lambda s, sep=None: host_string.capwords(
            _check_str("capwords() argument 1", s), sep),
            "string.capwords(s, sep=None): each word capitalized")})


# The statistics functions of two data sets (x, y), and the keywords quantiles takes.
_PAIRED = frozenset(("correlation", "covariance", "linear_regression"))
_KEYWORDS = {"quantiles": frozenset(("n", "method")),
             "linear_regression": frozenset(("proportional",))}


@functools.cache
def _linear_regression_class() -> Any:
    from gradcli.interp.pynamedtuple import namedtuple

    return namedtuple("LinearRegression", ["slope", "intercept"], module="statistics")


def _numbers(name: str, fn: Callable[..., Any]) -> Builtin:
    def call(data: Any, *args: Any, **kwargs: Any) -> Any:
        unknown = set(kwargs) - _KEYWORDS.get(name, frozenset())
        if unknown:
            raise _type_error(f"{name}() got an unexpected keyword argument "
                              f"'{sorted(unknown)[0]}'")
        datasets = (data, *args[:1]) if name in _PAIRED else (data,)
        for given in datasets:
            if type(given) not in (list, tuple, range) and not (
                    name in ("mode", "multimode") and type(given) is str):  # mode("aab")
                if given is None or type(given) in _PLAIN:
                    raise _type_error(f"'{type_name(given)}' object is not iterable")
                raise _type_error(f"statistics.{name}() takes a list, tuple or range of "
                                  "numbers in gd")
            limits.bounded(given, f"statistics.{name}()")
        rest = args[1:] if name in _PAIRED else args
        for x in (*(x for d in datasets for x in d), *rest, *kwargs.values()):
            if type(x) not in (int, float, bool) and not (
                    name in ("mode", "multimode") and type(x) is str) and not (
                    name == "quantiles" and type(x) is str):
                raise _type_error(f"can't convert type '{type_name(x)}' to numerator/"
                                  "denominator")
        try:
            if name == "linear_regression":  # gd's own named tuple, not the host's class
                return _linear_regression_class()(*fn(data, *args, **kwargs))
            return fn(data, *args, **kwargs)
        except host_statistics.StatisticsError as e:
            raise GdRuntimeError(str(e), py_type="ValueError") from None

    call.__doc__ = (fn.__doc__ or "").strip().split("\n")[0]
    return Builtin(f"statistics.{name}", call)


def _statistics() -> Namespace:
    return Namespace("statistics", {name: _numbers(name, getattr(host_statistics, name))
                                    for name in ("mean", "fmean", "median", "median_low",
                                                 "median_high", "mode", "stdev", "pstdev",
                                                 "variance", "pvariance", "geometric_mean",
                                                 "harmonic_mean", "multimode",
                                                 "quantiles", "correlation", "covariance",
                                                 "linear_regression")})


# -- io --------------------------------------------------------------------------------------


class StringIO:
    """io.StringIO: an in-memory text buffer."""

    __slots__ = ("buf",)

    def __init__(self, initial: Any = "") -> None:
        self.buf = host_io.StringIO(_check_str("initial_value", initial or ""))

    def __repr__(self) -> str:
        return object_repr("_io.StringIO", self)


StringIO.__name__ = "StringIO"


def _sio_write(s: StringIO, text: Any) -> int:
    _check_str("string argument", text)
    limits.check_length(s.buf.tell() + len(text), "string")
    return s.buf.write(text)


def _closed(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(s: StringIO, *args: Any) -> Any:
        if s.buf.closed:
            raise GdRuntimeError("I/O operation on closed file.", py_type="ValueError")
        if any(type(a) is not int for a in args):
            raise _type_error("an integer is required")
        return fn(s.buf, *args)

    return call


pymethods.METHODS[StringIO] = {
    "write": _sio_write,
    "getvalue": _closed(host_io.StringIO.getvalue),
    "read": _closed(host_io.StringIO.read),
    "readline": _closed(host_io.StringIO.readline),
    "readlines": _closed(host_io.StringIO.readlines),
    "seek": _closed(host_io.StringIO.seek),
    "tell": _closed(host_io.StringIO.tell),
    "truncate": _closed(host_io.StringIO.truncate),
    "flush": lambda s: None,
    "close": lambda s: s.buf.close(),
}
pymethods.DATA[StringIO] = frozenset()


pymethods.METHODS[serialization.BytesIO] = serialization.bytes_io_methods()
pymethods.DATA[serialization.BytesIO] = frozenset({"closed"})


def _io() -> Namespace:
    return Namespace("io", {"StringIO": Builtin("io.StringIO", StringIO,
                                                "io.StringIO(initial_value=''): text buffer"),
                            "BytesIO": Builtin("io.BytesIO", serialization.BytesIO,
                                               "io.BytesIO(): a buffer for torch.save and "
                                               "torch.load")})


# -- unicodedata ------------------------------------------------------------------------


def _normalize(form: Any, text: Any) -> str:
    """unicodedata.normalize(form, unistr): Python's, its result within the string cap
    (a decomposition is at most 18 characters per character)."""
    _check_str("normalize() argument 1", form)
    _check_str("normalize() argument 2", text)
    limits.check_length(18 * len(text), "string")
    try:
        return host_unicodedata.normalize(form, text)
    except ValueError as e:
        raise GdRuntimeError(str(e), py_type="ValueError") from None


def _char_function(name: str) -> Callable[..., Any]:
    fn = getattr(host_unicodedata, name)

    def call(chr: Any, *default: Any) -> Any:
        if type(chr) is not str or len(chr) != 1:
            raise _type_error(f"{name}() argument must be a unicode character, not "
                              f"{type_name(chr) if type(chr) is not str else 'str'}")
        try:
            return fn(chr, *default)
        except (ValueError, KeyError) as e:
            raise GdRuntimeError(str(e), py_type=type(e).__name__) from None

    call.__doc__ = f"unicodedata.{name}(chr): Python's"
    return call


def _unicodedata() -> Namespace:
    members: dict[str, Any] = {
        name: Builtin(f"unicodedata.{name}", _char_function(name))
        for name in ("category", "name", "combining", "east_asian_width", "decimal",
                     "digit", "numeric", "bidirectional", "mirrored", "decomposition")}
    members["normalize"] = Builtin("unicodedata.normalize", _normalize)
    members["is_normalized"] = Builtin("unicodedata.is_normalized", _is_normalized)
    members["lookup"] = Builtin("unicodedata.lookup", _lookup)
    members["unidata_version"] = host_unicodedata.unidata_version
    return Namespace("unicodedata", members)


def _is_normalized(form: Any, text: Any) -> bool:
    """unicodedata.is_normalized(form, unistr): whether unistr is in that normal form."""
    try:
        return host_unicodedata.is_normalized(_check_str("form", form),
                                              _check_str("unistr", text))
    except ValueError as e:
        raise GdRuntimeError(str(e), py_type="ValueError") from None


def _lookup(name: Any) -> str:
    """unicodedata.lookup(name): the character of that name."""
    try:
        return host_unicodedata.lookup(_check_str("lookup() argument", name))
    except KeyError as e:
        raise GdRuntimeError(str(e.args[0]), py_type="KeyError") from None


def namespaces() -> dict[str, Namespace]:
    """json, pprint, string, textwrap, statistics, io and unicodedata."""
    return {"json": _json(), "string": _string(), "textwrap": _textwrap(),
            "statistics": _statistics(), "io": _io(), "unicodedata": _unicodedata(),
            "pprint": Namespace("pprint", {
                "pprint": Builtin("pprint.pprint", _pprint(True)),
                "pformat": Builtin("pprint.pformat", _pformat),
                "pp": Builtin("pprint.pp", _pprint(False),
                                     "pprint.pp(obj): as pprint, dicts in their order")})}
