"""tqdm and matplotlib.pyplot: the third-party modules real PyTorch scripts import for what
never reaches standard output, so that such scripts run.

- `tqdm` draws its progress bar on standard error; here `tqdm(iterable)` walks the
  iterable and draws nothing (`trange(n)` is `tqdm(range(n))`); its methods (update,
  set_description, set_postfix, close, ...) are accepted and do nothing visible; it is a
  context manager; `tqdm.write(s)` prints s on standard output, as tqdm does.
- `matplotlib.pyplot` draws windows and files; a gd program writes no files (SPEC), so
  every call is accepted and draws nothing: figures, axes and lines are inert values whose
  methods return more of them; `plt.subplots(r, c)` gives the shapes matplotlib gives
  (an Axes, a row of them, or a grid indexed as `axes[i, j]`, with `.flat`/`.flatten()`).
  `gradcli plot` is gradcli's own plotting.

None of these values exposes the host object: attributes are names looked up here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.values import Builtin, GdObject, Namespace

# -- tqdm -----------------------------------------------------------------------------------

_BAR_METHODS = frozenset((
    "update", "set_description", "set_description_str", "set_postfix", "set_postfix_str",
    "close", "refresh", "reset", "clear", "display", "unpause", "moveto"))


class ProgressBar(GdObject):
    """A tqdm bar: its iterable walked as it is; its drawing calls do nothing."""

    __slots__ = ("desc", "iterable", "n", "total")
    gd_context = True  # `with tqdm(total=n) as bar:` (values.is_context_manager)

    def __init__(self, iterable: Any = None, desc: Any = None, total: Any = None,
                 *args: Any, **kwargs: Any) -> None:
        self.iterable = iterable
        self.desc = desc
        self.n = 0
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except TypeError:
                total = None
        self.total = total

    def __iter__(self) -> Iterator[Any]:
        from gradcli.interp.operators import iterate

        if self.iterable is None:
            raise GdRuntimeError("'NoneType' object is not iterable", py_type="TypeError")
        for item in iterate(self.iterable):
            self.n += 1
            yield item

    def __len__(self) -> int:
        if self.total is None:
            raise GdRuntimeError("'NoneType' object cannot be interpreted as an integer",
                                 py_type="TypeError")
        return int(self.total)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def _update(self, n: Any = 1) -> None:
        self.n += n

    def get_attr(self, name: str) -> Any:
        if name in ("n", "total", "desc"):
            return getattr(self, name)
        if name == "update":
            return Builtin("tqdm.update", self._update)
        if name in _BAR_METHODS:
            return Builtin(f"tqdm.{name}", _nothing)
        if name == "write":
            return TQDM_WRITE
        raise GdRuntimeError(f"'tqdm' object has no attribute '{name}'")

    def set_attr(self, name: str, value: Any) -> None:
        if name not in ("n", "total", "desc"):
            raise GdRuntimeError(f"'tqdm' object has no attribute '{name}'")
        setattr(self, name, value)

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"can't delete attribute '{name}'")

    def gd_repr(self) -> str:
        return "<tqdm object>"

    def type_label(self) -> str:
        return "tqdm"


def _nothing(*args: Any, **kwargs: Any) -> None:
    """Accepted; does nothing visible (no bar, no plot: gd draws neither)."""
    return None


class TqdmClass(Builtin, GdObject):
    """`tqdm` itself: called, a bar; `tqdm.write(s)` its class method."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        if name == "write":
            return TQDM_WRITE
        raise GdRuntimeError(f"type object 'tqdm' has no attribute '{name}'")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError("cannot set attributes of the tqdm class")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError("cannot delete attributes of the tqdm class")

    def gd_repr(self) -> str:
        return "<class 'tqdm.std.tqdm'>"

    def type_label(self) -> str:
        return "type"


_PRINT: list[Any] = [None]  # the running program's print (reset)


def reset(printer: Any) -> None:
    """A new run (pymodules.reset): tqdm.write prints through the program's print."""
    _PRINT[0] = printer


def _write(s: Any, file: Any = None, end: str = "\n", nolock: bool = False) -> None:
    """tqdm.write(s): s and a newline on standard output (as print; the bar is none)."""
    _PRINT[0](s, end=end)


TQDM_WRITE = Builtin("tqdm.write", _write, "tqdm.write(s): print s (no bar to step around)")
TQDM = TqdmClass("tqdm", ProgressBar, "tqdm(iterable): the iterable, no progress bar drawn")


def _trange(*args: Any, **kwargs: Any) -> ProgressBar:
    """trange(n): tqdm(range(n)), no progress bar drawn."""
    return ProgressBar(range(*args), **kwargs)


def _tqdm_namespace(name: str, **submodules: Namespace) -> Namespace:
    return Namespace(name, {"tqdm": TQDM, "trange": Builtin(f"{name}.trange", _trange),
                            "write": TQDM_WRITE, **submodules})


# -- matplotlib.pyplot ------------------------------------------------------------------------

#: The methods of figures, axes and lines that scripts call (besides every set_*): each
#: accepted, drawing nothing.
_ARTIST_METHODS = frozenset((
    "plot", "semilogy", "semilogx", "loglog", "scatter", "bar", "barh", "hist", "imshow",
    "matshow", "contour", "contourf", "fill_between", "errorbar", "step", "stem", "axhline",
    "axvline", "text", "annotate", "legend", "grid", "twinx", "twiny", "add_subplot",
    "add_axes", "gca", "subplots", "tight_layout", "savefig", "suptitle", "colorbar", "clear",
    "cla", "clf", "remove", "axis", "tick_params", "invert_xaxis", "invert_yaxis",
    "label_outer", "show", "close", "autoscale", "margins", "draw", "subplots_adjust",
    "xaxis", "yaxis", "spines", "canvas", "patch", "inset_axes", "update"))


class Artist(GdObject):
    """A figure, axes, line, ...: its methods (set_* and _ARTIST_METHODS) accepted,
    drawing nothing, returning more artists (ax.plot gives a list of one line, as
    matplotlib does)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __getitem__(self, key: Any) -> Artist:  # ax.spines["top"]
        return Artist("Artist")

    def get_attr(self, name: str) -> Any:
        if name not in _ARTIST_METHODS and not name.startswith("set_"):
            raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'")
        if name in ("xaxis", "yaxis", "spines", "canvas", "patch"):
            return Artist(name)
        if name in ("plot", "semilogy", "semilogx", "loglog"):
            return Builtin(f"{self.kind}.{name}", lambda *a, **k: [Artist("Line2D")])
        if name in ("twinx", "twiny", "add_subplot", "gca", "inset_axes"):
            return Builtin(f"{self.kind}.{name}", lambda *a, **k: Artist("Axes"))
        if name == "subplots":
            return Builtin(f"{self.kind}.{name}", lambda *a, **k: _subplots(*a, **k)[1])
        return Builtin(f"{self.kind}.{name}", lambda *a, **k: Artist("Artist"))

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set '{name}' of a matplotlib {self.kind} in gd")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"can't delete attribute '{name}'")

    def gd_repr(self) -> str:
        return f"<matplotlib {self.kind}>"

    def type_label(self) -> str:
        return self.kind


class AxesGrid(GdObject):
    """The axes of plt.subplots(r, c) with r, c > 1 (or squeeze=False): numpy's
    indexing (`axes[i, j]`, `axes[i]`, negative indices), iteration by row, `.flat`,
    `.flatten()`, `.ravel()`, `.shape`."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[list[Artist]] | list[Artist]) -> None:
        self.rows = rows

    def __getitem__(self, idx: Any) -> Any:
        if type(idx) is tuple:
            item: Any = self
            for i in idx:
                item = item[i]
            return item
        if type(idx) is not int:
            raise GdRuntimeError("only integers index the axes of plt.subplots",
                                 py_type="IndexError")
        row = self.rows[idx]
        return AxesGrid(row) if type(row) is list else row

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            yield AxesGrid(row) if type(row) is list else row

    def __len__(self) -> int:
        return len(self.rows)

    def _flat(self) -> list[Artist]:
        return [a for row in self.rows for a in (row if type(row) is list else [row])]

    def get_attr(self, name: str) -> Any:
        if name == "flat":
            return self._flat()
        if name in ("flatten", "ravel"):
            return Builtin(f"ndarray.{name}", lambda *a: AxesGrid(self._flat()))
        if name == "shape":
            first = self.rows[0] if self.rows else None
            return ((len(self.rows), len(first)) if type(first) is list
                    else (len(self.rows),))
        raise GdRuntimeError(f"'numpy.ndarray' object has no attribute '{name}'")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set '{name}' on the axes of plt.subplots")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete '{name}' of the axes of plt.subplots")

    def gd_repr(self) -> str:
        return "<matplotlib axes array>"

    def type_label(self) -> str:
        return "numpy.ndarray"


def _subplots(nrows: int = 1, ncols: int = 1, *args: Any, squeeze: bool = True,
              **kwargs: Any) -> tuple[Artist, Any]:
    """plt.subplots: (figure, axes) in matplotlib's shapes."""
    nrows, ncols = int(nrows), int(ncols)
    if nrows < 1 or ncols < 1 or nrows * ncols > 10_000:
        raise GdRuntimeError(f"Number of rows and columns must be positive integers, not "
                             f"{nrows!r} and {ncols!r}", py_type="ValueError")
    grid = [[Artist("Axes") for _ in range(ncols)] for _ in range(nrows)]
    if squeeze and nrows == 1 and ncols == 1:
        return Artist("Figure"), grid[0][0]
    if squeeze and (nrows == 1 or ncols == 1):
        return Artist("Figure"), AxesGrid([row[0] for row in grid] if ncols == 1 else grid[0])
    return Artist("Figure"), AxesGrid(grid)  # type: ignore[arg-type]


def _pyplot() -> Namespace:
    def returning(kind: str) -> Any:
        def draw(*args: Any, **kwargs: Any) -> Artist:
            return Artist(kind)

        draw.__doc__ = f"Accepted; draws nothing (returns a {kind}: gd draws no plots)."
        return draw

    members: dict[str, Any] = {
        "subplots": Builtin("matplotlib.pyplot.subplots", _subplots,
                            "plt.subplots(nrows, ncols): a figure and its axes (drawn nowhere)"),
        "plot": Builtin("matplotlib.pyplot.plot", lambda *a, **k: [Artist("Line2D")],
                        "plt.plot(...): accepted; draws nothing (a list of one line)"),
    }
    for name in ("figure", "gcf"):
        members[name] = Builtin(f"matplotlib.pyplot.{name}", returning("Figure"))
    for name in ("subplot", "gca", "axes", "twinx"):
        members[name] = Builtin(f"matplotlib.pyplot.{name}", returning("Axes"))
    for name in ("scatter", "bar", "barh", "hist", "imshow", "contour", "contourf", "fill_between",
                 "errorbar", "semilogy", "semilogx", "loglog", "xlabel", "ylabel", "title",
                 "suptitle", "legend", "grid", "xlim", "ylim", "xticks", "yticks", "axis",
                 "axhline", "axvline", "text", "annotate", "colorbar", "tight_layout",
                 "savefig", "show", "close", "clf", "cla", "pause", "ion", "ioff", "draw",
                 "subplots_adjust", "xscale", "yscale", "style", "rc", "rcParams"):
        members[name] = Builtin(f"matplotlib.pyplot.{name}", returning("Artist"))
    members["style"] = Namespace("matplotlib.pyplot.style", {
        "use": Builtin("matplotlib.pyplot.style.use", _nothing)})
    members["rcParams"] = {}
    return Namespace("matplotlib.pyplot", members)


def namespaces() -> dict[str, Namespace]:
    """The importable modules: tqdm (and tqdm.auto, tqdm.notebook), matplotlib and
    matplotlib.pyplot (loaded on first import: pymodules)."""
    pyplot = _pyplot()
    matplotlib = Namespace("matplotlib", {
        "pyplot": pyplot, "use": Builtin("matplotlib.use", _nothing),
        "rcParams": {}})
    auto, notebook = _tqdm_namespace("tqdm.auto"), _tqdm_namespace("tqdm.notebook")
    return {"tqdm": _tqdm_namespace("tqdm", auto=auto, notebook=notebook),
            "tqdm.auto": auto, "tqdm.notebook": notebook,
            "matplotlib": matplotlib, "matplotlib.pyplot": pyplot}
