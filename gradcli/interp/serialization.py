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
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import exceptions
from gradcli.interp.classes import InstanceValue
from gradcli.interp.nn_module import ModuleClass, make_parameter
from gradcli.interp.nn_state import StateDict
from gradcli.interp.values import type_name

_STORE: dict[str, Any] = {}
#: FileNotFoundError (Python's own, once gd's exception classes have it).
FILE_NOT_FOUND = exceptions.ExceptionClass("FileNotFoundError", exceptions.CLASSES["Exception"])
#: pickle.UnpicklingError, what a weights-only load of a class instance raises.
UNPICKLING_ERROR = exceptions.ExceptionClass("UnpicklingError", exceptions.CLASSES["Exception"])
_ATOMS = (int, float, bool, str, complex, type(None), range, slice)


def reset() -> None:
    """A new run: nothing saved yet."""
    _STORE.clear()


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


def _path(f: Any) -> str:
    if type(f) is not str:
        raise GdRuntimeError("expected 'f' to be string, path, or a file-like object with a "
                             "'write' attribute", py_type="AttributeError")
    return f


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """torch.save(obj, f): keep a copy of obj under the path f for this run."""
    _STORE[_path(f)] = _copy(obj, {})


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: Any = None, mmap: Any = None, **pickle_load_args: Any) -> Any:
    """torch.load(f): a fresh copy of what this run saved under f."""
    if type(f) is not str:
        raise GdRuntimeError(f"'{type_name(f)}' object has no attribute 'read'",
                             py_type="AttributeError")
    if f not in _STORE:
        cls = exceptions.CLASSES.get("FileNotFoundError", FILE_NOT_FOUND)
        raise exceptions.ExceptionValue(cls, (f"[Errno 2] No such file or directory: '{f}'",)
                                        ).raised(None)
    saved = _STORE[f]
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
