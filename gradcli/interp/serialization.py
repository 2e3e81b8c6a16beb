"""torch.save and torch.load over a store that lives as long as one run of the program.

gd never touches the disk: `torch.save(obj, "model.pt")` keeps a copy of obj under the
path string, `torch.load("model.pt")` gives a fresh copy back (tensors cloned and detached,
a leaf with the same requires_grad, parameters staying parameters, sharing inside the
object kept), and a path never saved in this run is missing, with PyTorch's error. As in
PyTorch 2.6 and later, loading a whole module (or any class instance) needs
`weights_only=False`.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import is_parameter
from gradcli.ad.identity import object_repr
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions, pyfiles
from gradcli.interp.classes import InstanceValue
from gradcli.interp.nn_module import ModuleClass, make_parameter
from gradcli.interp.nn_state import StateDict
from gradcli.interp.values import type_name

#: pickle.UnpicklingError, what a weights-only load of a class instance raises.
UNPICKLING_ERROR = exceptions.ExceptionClass("UnpicklingError", exceptions.CLASSES["Exception"])
_ATOMS = (int, float, bool, str, complex, type(None), range, slice)


def reset() -> None:
    """A new run: nothing saved yet (the run's in-memory files, pyfiles)."""
    pyfiles.reset()


def _tensor(t: Tensor) -> Tensor:
    with grad_mode(False):
        data = t.detach().clone()
    if is_parameter(t):
        return make_parameter(data, t.requires_grad)
    if t.requires_grad:
        data.requires_grad_(True)
    return data


def _copy(x: Any, memo: dict[int, Any]) -> Any:
    """What pickling x and unpickling it gives (gd's values only)."""
    if isinstance(x, _ATOMS):
        return x
    key = id(x)
    if key in memo:
        return memo[key]
    if type(x) is Tensor:
        out: Any = _tensor(x)
    elif type(x) is list:
        out = memo[key] = []
        out.extend(_copy(v, memo) for v in x)
    elif type(x) in (dict, StateDict):
        out = memo[key] = type(x)()
        for k, v in x.items():
            out[_copy(k, memo)] = _copy(v, memo)
    elif type(x) is tuple:
        out = tuple(_copy(v, memo) for v in x)
    elif type(x) in (set, frozenset):
        out = type(x)(_copy(v, memo) for v in x)
    elif isinstance(x, InstanceValue):
        from gradcli.interp.nn_copy import deepcopy

        out = deepcopy(x, memo)
    else:
        raise GdRuntimeError(f"Can't pickle {type_name(x)} objects in gd (torch.save takes "
                             "tensors, numbers, strings, containers and class instances)",
                             py_type="TypeError")
    memo[key] = out
    return out


def copy_for_pickle(x: Any) -> Any:
    """What pickling x and unpickling it gives (pickle.dump, pickle.load)."""
    return _copy(x, {})


def _first_class(x: Any, seen: set[int]) -> str | None:
    """The class (as pickle names it) of the first instance inside x, if any."""
    if isinstance(x, _ATOMS) or type(x) is Tensor or id(x) in seen:
        return None
    seen.add(id(x))
    if isinstance(x, InstanceValue):
        cls = x.cls
        return cls.qualname if isinstance(cls, ModuleClass) else f"__main__.{cls.name}"
    if isinstance(x, dict):
        items: Any = [v for kv in x.items() for v in kv]
    elif isinstance(x, (list, tuple, set, frozenset)):
        items = x
    else:
        return None
    for v in items:
        found = _first_class(v, seen)
        if found is not None:
            return found
    return None


class BytesIO:
    """io.BytesIO as torch.save and torch.load use it: what was saved into it (gd has no
    bytes, so the buffer holds the saved copy) and whether reading starts at its
    beginning (after `seek(0)`) or at its end (after the save, as in Python)."""

    __slots__ = ("at_end", "closed", "saved")

    def __init__(self, initial: Any = None) -> None:
        if initial is not None:
            raise GdRuntimeError("io.BytesIO(initial_bytes) is not supported by gradcli: gd "
                                 "has no bytes (a BytesIO holds what torch.save writes)")
        self.saved: Any = _NOTHING
        self.at_end = False
        self.closed = False

    def __repr__(self) -> str:
        return object_repr("_io.BytesIO", self)

    def check(self) -> None:
        if self.closed:
            raise GdRuntimeError("I/O operation on closed file.", py_type="ValueError")


BytesIO.__name__ = "BytesIO"
_NOTHING = object()


def _seek(b: BytesIO, offset: Any, whence: Any = 0) -> int:
    b.check()
    if type(offset) is not int or type(whence) is not int:
        raise GdRuntimeError("an integer is required", py_type="TypeError")
    if (offset, whence) == (0, 0):
        b.at_end = False
        return 0
    raise GdRuntimeError("BytesIO.seek other than seek(0) is not supported by gradcli (gd "
                         "has no bytes)")


def _tell(b: BytesIO) -> int:
    b.check()
    if b.at_end and b.saved is not _NOTHING:
        raise GdRuntimeError("BytesIO.tell() after torch.save is not supported by gradcli "
                             "(the size of PyTorch's file format)")
    return 0


def _refused(what: str) -> Any:
    def refuse(b: BytesIO, *args: Any) -> Any:
        raise GdRuntimeError(f"BytesIO.{what}() is not supported by gradcli: gd has no bytes "
                             "(a BytesIO holds what torch.save writes, for torch.load)")
    return refuse


def _close(b: BytesIO) -> None:
    b.closed = True


def bytes_io_methods() -> dict[str, Any]:
    """The BytesIO methods a program may call (pymethods.METHODS)."""
    return {"seek": _seek, "tell": _tell, "close": _close, "flush": lambda b: None,
            **{name: _refused(name) for name in ("getvalue", "getbuffer", "read", "write",
                                                 "readline", "truncate")}}


def _path(f: Any) -> Any:
    if type(f) is not str and getattr(f, "gd_fspath", None) is None:
        raise GdRuntimeError("expected 'f' to be string, path, or a file-like object with a "
                             "'write' attribute", py_type="AttributeError")
    return f


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """torch.save(obj, f): keep a copy of obj under the path f (or in the io.BytesIO f)
    for this run."""
    if type(f) is BytesIO:
        f.check()
        f.saved, f.at_end = _copy(obj, {}), True
        return
    if type(f) is pyfiles.BinaryFile:
        f.save(_copy(obj, {}))
        return
    pyfiles.write_entry(_path(f), pyfiles.Saved(_copy(obj, {})))


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: Any = None, mmap: Any = None, **pickle_load_args: Any) -> Any:
    """torch.load(f): a fresh copy of what this run saved under f (or into the BytesIO f)."""
    if type(f) is BytesIO:
        f.check()
        if f.at_end or f.saved is _NOTHING:
            raise exceptions.ExceptionValue(exceptions.CLASSES["EOFError"], ()).raised(None)
        f.at_end = True
        saved = f.saved
    elif type(f) is pyfiles.BinaryFile:
        saved = f.load()
    elif type(f) is not str and getattr(f, "gd_fspath", None) is None:
        raise GdRuntimeError(f"'{type_name(f)}' object has no attribute 'read'",
                             py_type="AttributeError")
    else:
        content = pyfiles.read_entry(f)[1]
        if type(content) is not pyfiles.Saved:  # text the program wrote
            if not content:
                raise exceptions.ExceptionValue(exceptions.CLASSES["EOFError"],
                                                ("Ran out of input",)).raised(None)
            raise exceptions.ExceptionValue(UNPICKLING_ERROR, (
                f"invalid load key, {content[0]!r}.",)).raised(None)
        saved = content.obj
    if weights_only is not False:
        found = _first_class(saved, set())
        if found is not None:
            raise exceptions.ExceptionValue(UNPICKLING_ERROR, ((
                "Weights only load failed. This file can still be loaded, to do so you have "
                "two options, do those steps only if you trust the source of the checkpoint. "
                "\n\t(1) In PyTorch 2.6, we changed the default value of the `weights_only` "
                "argument in `torch.load` from `False` to `True`. Re-running `torch.load` "
                "with `weights_only` set to `False` will likely succeed, but it can result in "
                "arbitrary code execution. Do it only if you got the file from a trusted "
                "source.\n\t(2) Alternatively, to load with `weights_only=True` please check "
                "the recommended steps in the following error message.\n\tWeightsUnpickler "
                f"error: Unsupported global: GLOBAL {found} was not an allowed global by "
                "default. Please use `torch.serialization.add_safe_globals([" + found
                + "])` or the `torch.serialization.safe_globals([" + found + "])` context "
                "manager to allowlist this global if you trust this class/function.\n\nCheck "
                "the documentation of torch.load to learn more about types accepted by "
                "default with weights_only "
                "https://pytorch.org/docs/stable/generated/torch.load.html."),)).raised(None)
    return _copy(saved, {})


FUNCTIONS = {"save": save, "load": load}
