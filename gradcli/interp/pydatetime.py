"""`import datetime`: Python's date, time, datetime, timedelta and timezone values in gd
(a run directory named by the date, an elapsed time printed as H:MM:SS).

The values are Python's own (immutable, plain data) behind allow-lists of their methods
and fields, as every attribute in gd is. `now()`, `today()` and `utcnow()` read gd's
virtual clock (time.time(), in UTC: pysys), so a program prints the same every run.
"""

from __future__ import annotations

import datetime as host
from collections.abc import Callable
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp import pymethods, pysys, pytext
from gradcli.interp.values import STR_HOST, Builtin, Namespace, type_name

_KINDS = (host.datetime, host.date, host.time, host.timedelta, host.timezone)


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Python's function; its errors as gd errors of Python's classes."""
    for v in (*args, *kwargs.values()):
        if not isinstance(v, (int, float, str, bool, type(None), *_KINDS)):
            raise GdRuntimeError(f"an argument of type '{type_name(v)}' is not supported by "
                                 "gd's datetime", py_type="TypeError")
    try:
        return fn(*args, **kwargs)
    except (TypeError, ValueError, OverflowError) as e:
        raise GdRuntimeError(str(e), py_type=type(e).__name__) from None


def _checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return _call(fn, *args, **kwargs)

    call.__doc__ = fn.__doc__
    return call


def _strftime(v: Any, fmt: Any) -> str:
    if type(fmt) is not str:
        raise GdRuntimeError(f"strftime() argument 1 must be str, not {type_name(fmt)}",
                             py_type="TypeError")
    if len(fmt) > 1000:
        raise GdRuntimeError("strftime() format too long")
    return _call(v.strftime, fmt)


def _now(tz: Any = None) -> host.datetime:
    """datetime.now(tz=None): the virtual clock's time (naive times in UTC)."""
    if tz is not None and not isinstance(tz, host.tzinfo):
        raise GdRuntimeError("tzinfo argument must be None or of a tzinfo subclass, not type "
                             f"'{type_name(tz)}'", py_type="TypeError")
    t = pysys._time()
    if tz is None:
        return host.datetime.fromtimestamp(t, host.UTC).replace(tzinfo=None)
    return host.datetime.fromtimestamp(t, tz)


def _fromtimestamp(t: Any, tz: Any = None) -> host.datetime:
    """datetime.fromtimestamp(t, tz=None): naive times in UTC (gd's clock's zone)."""
    if tz is None:
        return _call(host.datetime.fromtimestamp, t, host.UTC).replace(tzinfo=None)
    return _call(host.datetime.fromtimestamp, t, tz)


def _class(name: str, cls: type, members: dict[str, Callable[..., Any]],
           values: dict[str, Any] | None = None) -> Builtin:
    values = {attr: getattr(cls, attr) for attr in ("min", "max", "resolution")
              if hasattr(cls, attr)} | (values or {})

    class HostClass(Builtin):
        __slots__ = ()
        is_class = True

        @staticmethod
        def gd_attribute(obj: Any, attr: str) -> Any:
            if attr in members:
                return Builtin(f"datetime.{name}.{attr}", members[attr])
            if attr in values:
                return values[attr]
            raise GdRuntimeError(f"type object 'datetime.{name}' has no attribute '{attr}'",
                                 py_type="AttributeError")

        def instance_check(self, v: Any) -> bool:
            return isinstance(v, cls)

    return HostClass(f"datetime.{name}", _checked(cls), f"datetime.{name}(...)")


_COMMON = ("strftime", "isoformat", "replace", "weekday", "isoweekday", "isocalendar",
           "toordinal", "ctime", "timetuple")
_FIELDS = {
    host.date: ("year", "month", "day"),
    host.datetime: ("year", "month", "day", "hour", "minute", "second", "microsecond",
                    "tzinfo", "fold"),
    host.time: ("hour", "minute", "second", "microsecond", "tzinfo", "fold"),
    host.timedelta: ("days", "seconds", "microseconds"),
    host.timezone: (),
}
_METHODS = {
    host.date: _COMMON,
    host.datetime: (*_COMMON, "date", "time", "timestamp", "astimezone", "utcoffset",
                    "tzname", "timetz"),
    host.time: ("strftime", "isoformat", "replace", "utcoffset", "tzname"),
    host.timedelta: ("total_seconds",),
    host.timezone: ("utcoffset", "tzname"),
}
for _t, _names in _METHODS.items():
    pymethods.METHODS[_t] = {
        n: (_strftime if n == "strftime" else
            (lambda v, *a, _n=n, **k: _call(getattr(v, _n), *a, **k))) for n in _names}
    pymethods.DATA[_t] = frozenset(_FIELDS[_t])
pytext.FORMATTED_HOST.update(_KINDS)  # f"{d:%Y-%m-%d}" is the value's own __format__
STR_HOST.update(_KINDS)  # print(d): 2024-01-15 10:30:00


def namespace() -> Namespace:
    """The `datetime` module."""
    dt = host.datetime
    members: dict[str, Any] = {
        "datetime": _class("datetime", dt, {
            "now": _now, "today": lambda: _now(), "utcnow": lambda: _now(),
            "fromtimestamp": _fromtimestamp,
            "utcfromtimestamp": lambda t: _fromtimestamp(t),
            "fromisoformat": _checked(dt.fromisoformat),
            "strptime": _checked(dt.strptime), "combine": _checked(dt.combine),
            "fromordinal": _checked(dt.fromordinal)}),
        "date": _class("date", host.date, {
            "today": lambda: _now().date(), "fromisoformat": _checked(host.date.fromisoformat),
            "fromordinal": _checked(host.date.fromordinal),
            "fromtimestamp": lambda t: _fromtimestamp(t).date()}),
        "time": _class("time", host.time, {"fromisoformat": _checked(host.time.fromisoformat)}),
        "timedelta": _class("timedelta", host.timedelta, {}),
        "timezone": _class("timezone", host.timezone, {}, {"utc": host.UTC}),
        "MINYEAR": host.MINYEAR, "MAXYEAR": host.MAXYEAR,
    }
    return Namespace("datetime", members)


def namespaces() -> dict[str, Namespace]:
    return {"datetime": namespace()}
