"""numpy's functions given a torch tensor, as numpy treats one.

A tensor is not an ndarray: numpy reads it through its __array__ (x.numpy()), and gives
the result back through the tensor's __array_wrap__ (torch.from_numpy; a bool result as
uint8) where numpy's function wraps: its ufuncs (np.exp(t), np.maximum(t, 0): a tensor),
and the functions that call the argument's own method first (np.clip, np.round,
np.reshape, np.argmax, ...: the tensor's method, or numpy's result wrapped when the
method refuses numpy's keywords). np.shape(t) is t.shape (a torch.Size) and np.size(t) is
t.size, the bound method, as numpy takes them from the object. The reductions that call
the tensor's method with numpy's keywords (np.sum(t), np.mean(t), np.max(t)) fail there
with PyTorch's TypeError; the ones whose message or result gd does not reproduce (a
dimension given to np.max, np.std of a tensor) are refused, never answered with an array.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.tensor import Tensor, tensor_from_array
from gradcli.errors import GdRuntimeError
from gradcli.interp.arrays import ArrayValue

#: numpy functions that return obj.<method>(...) or, when it raises TypeError, numpy's
#: own result wrapped by obj.__array_wrap__ (fromnumeric's _wrapfunc; squeeze's own try).
WRAPPING = frozenset({
    "take", "reshape", "repeat", "swapaxes", "transpose", "argsort", "argmax", "argmin",
    "clip", "cumsum", "cumprod", "round", "around", "squeeze"})

#: Reductions that call the tensor's method with axis= and out= (fromnumeric's
#: _wrapreduction): PyTorch's TypeError for the default axis.
_NO_DIM = "{}(): argument 'dim' must be int, not NoneType"
_NO_AXIS = "{}() got an unexpected keyword argument 'axis'"
REDUCTIONS = {"sum": _NO_AXIS, "mean": _NO_AXIS, "max": _NO_DIM, "amax": _NO_DIM,
              "min": _NO_DIM, "amin": _NO_DIM, "prod": _NO_DIM,
              "std": None, "var": None, "any": None, "all": None}
_METHOD = {"amax": "max", "amin": "min"}


def _is_ufunc(name: str) -> bool:
    return isinstance(getattr(np, name, None), np.ufunc)


def _as_tensor(v: Any) -> Any:
    """numpy's result given back as Tensor.__array_wrap__ gives it: torch.from_numpy of
    the array (a bool array as uint8)."""
    if type(v) is not ArrayValue:
        return v
    arr = np.asarray(v.value)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8)
    return tensor_from_array(np.array(arr))


def _refuse(name: str) -> GdRuntimeError:
    return GdRuntimeError(f"'numpy.{name}' of a torch tensor is not supported by gradcli "
                          "(numpy calls the tensor's own method with numpy's arguments)",
                          hint="convert first: t.numpy(), or use the tensor's method")


def dispatch(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    """numpy.<name> as gd has it (call), given numpy's treatment of a tensor argument
    (call's name and doc line kept)."""
    fn = _dispatch(name, call)
    fn.__name__, fn.__doc__ = call.__name__, call.__doc__
    return fn


def _dispatch(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    from gradcli.interp.attributes import get_attribute

    if name in ("shape", "size"):
        def from_object(*args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and not kwargs and type(args[0]) is Tensor:
                return get_attribute(args[0], name)
            return call(*args, **kwargs)
        return from_object
    if name in REDUCTIONS:
        message = REDUCTIONS[name]

        def reduction(*args: Any, **kwargs: Any) -> Any:
            if not args or type(args[0]) is not Tensor:
                return call(*args, **kwargs)
            axis = args[1] if len(args) > 1 else kwargs.get("axis")
            if message is None or (message is _NO_DIM and axis is not None):
                raise _refuse(name)
            raise GdRuntimeError(message.format(_METHOD.get(name, name)), py_type="TypeError")
        return reduction
    if name in WRAPPING or _is_ufunc(name):
        any_arg = _is_ufunc(name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = call(*args, **kwargs)
            given = args if any_arg else args[:1]
            if "out" in kwargs or not any(type(a) is Tensor for a in given):
                return result
            return _as_tensor(result)
        return wrapped
    return call
