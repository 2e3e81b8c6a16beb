"""Python's `copy` module for gd programs: copy.deepcopy and copy.copy of the values a
training program copies (a model for its best weights, a state dict, lists and dicts).

deepcopy follows Python's and PyTorch's protocols: a memo keeps shared objects shared
(a parameter used by two layers stays one parameter in the copy); a leaf tensor is cloned
with its requires_grad (a plain tensor also its grad, a Parameter not, as
Parameter.__deepcopy__); a non-leaf tensor is refused with PyTorch's message; a module is
a new instance of its class with every attribute, parameter, buffer and child copied.
Functions, classes and modules of gd are shared, as Python shares them.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.graph import is_parameter, python_attrs
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.classes import ClassValue, InstanceValue
from gradcli.interp.nn_module import ModuleInstance, make_parameter
from gradcli.interp.nn_state import StateDict
from gradcli.interp.pysubclass import copy_instance
from gradcli.interp.values import BoundMethod, Builtin, FunctionBase, Namespace, type_name

_ATOMS = (int, float, bool, str, type(None), range, slice)
_SHARED = (Builtin, BoundMethod, FunctionBase, ClassValue, Namespace)


def _tensor(t: Tensor, memo: dict[int, Any]) -> Tensor:
    if not t.is_leaf:
        raise GdRuntimeError(
            "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
            "protocol at the moment.  If you were attempting to deepcopy a module, this may "
            "be because of a torch.nn.utils.weight_norm usage, see "
            "https://github.com/pytorch/pytorch/pull/103001")
    with grad_mode(False):
        data = t.detach().clone()
    if is_parameter(t):
        return make_parameter(data, t.requires_grad)
    data.requires_grad_(t.requires_grad)
    if t.grad is not None:
        data.grad = deepcopy(t.grad, memo)
    own = python_attrs(t)
    if own is not None:  # Tensor.__deepcopy__ copies the __dict__ (a Parameter's does not)
        data.pyattrs = deepcopy(own, memo)
    return data


def deepcopy(x: Any, memo: Any = None) -> Any:
    """copy.deepcopy(x): a copy of x and of everything it holds, shared objects kept shared."""
    if memo is None:
        memo = {}
    elif type(memo) is not dict:
        raise GdRuntimeError("copy.deepcopy's memo must be a dict in gd", py_type="TypeError")
    depth = memo.get(_DEPTH, 0)
    if depth > _MAX_DEPTH:
        raise GdRuntimeError("maximum recursion depth exceeded while calling a Python object",
                             py_type="RecursionError")
    memo[_DEPTH] = depth + 1
    try:
        return _deepcopy(x, memo)
    finally:
        memo[_DEPTH] = depth


_DEPTH = -1  # the memo's key for the nesting depth (no id() is negative)
_MAX_DEPTH = 900


def _deepcopy(x: Any, memo: dict[int, Any]) -> Any:
    if isinstance(x, _ATOMS):
        return x
    key = id(x)
    if key in memo:
        return memo[key]
    if type(x) is Tensor:
        out: Any = _tensor(x, memo)
    elif type(x) is list:
        out = []
        memo[key] = out
        out.extend(deepcopy(v, memo) for v in x)
    elif isinstance(x, dict) and type(x) in (dict, StateDict):
        out = type(x)()
        memo[key] = out
        for k, v in x.items():
            out[deepcopy(k, memo)] = deepcopy(v, memo)
    elif type(x) is tuple:
        out = tuple(deepcopy(v, memo) for v in x)
    elif type(x) in (set, frozenset):
        out = type(x)(deepcopy(v, memo) for v in x)
    elif isinstance(x, InstanceValue) and not x.singleton:
        out = _instance(x, memo)
    elif hasattr(type(x), "gd_deepcopy"):  # a value kind's own copy (argparse.Namespace)
        out = x.gd_deepcopy(lambda v: deepcopy(v, memo))
    elif isinstance(x, _SHARED) or (isinstance(x, InstanceValue) and x.singleton):
        return x  # functions, classes, modules (and enum members) are shared, as in Python
    else:
        raise GdRuntimeError(f"copy.deepcopy of a '{type_name(x)}' is not supported by "
                             "gradcli")
    memo[key] = out
    return out


def _instance(x: InstanceValue, memo: dict[int, Any]) -> InstanceValue:
    if x.cls.host is not None:  # class Config(dict): the items too
        return copy_instance(x, lambda v: deepcopy(v, memo), memo)  # type: ignore[no-any-return]
    out = x.cls.instance_type(x.cls)
    memo[id(x)] = out
    out.attrs.update({k: deepcopy(v, memo) for k, v in x.attrs.items()})
    if isinstance(x, ModuleInstance) and isinstance(out, ModuleInstance):
        for name in ("params", "bufs", "mods"):
            table = getattr(x, name)
            if table is not None:
                setattr(out, name, {k: deepcopy(v, memo) for k, v in table.items()})
        out.nonpersistent = set(x.nonpersistent)
        out.hooks = None if x.hooks is None else x.hooks.copy()
    return out


def shallow_copy(x: Any) -> Any:
    """copy.copy(x): a new container (or instance) holding the same items."""
    if type(x) in (list, dict, set, StateDict):
        return type(x)(x)
    if isinstance(x, InstanceValue) and x.singleton:
        return x  # an enum member: copies are the member itself, as in Python
    if isinstance(x, InstanceValue) and x.cls.host is not None:  # class Config(dict)
        return copy_instance(x, lambda v: v, None)
    if isinstance(x, InstanceValue):
        out = x.cls.instance_type(x.cls)
        out.attrs.update(x.attrs)
        if isinstance(x, ModuleInstance) and isinstance(out, ModuleInstance):
            for name in ("params", "bufs", "mods"):
                table = getattr(x, name)
                setattr(out, name, None if table is None else dict(table))
            out.nonpersistent = set(x.nonpersistent)
            out.hooks = x.hooks  # the same dicts, as a copy of __dict__ holds them
        return out
    if hasattr(type(x), "gd_deepcopy"):
        return x.gd_deepcopy(lambda v: v)
    if type(x) is Tensor:
        raise GdRuntimeError("copy.copy of a tensor is not supported by gradcli",
                             hint="use x.clone() (or copy.deepcopy(x))")
    return x


COPY = Namespace("copy", {
    "deepcopy": Builtin("copy.deepcopy", deepcopy,
                        "copy.deepcopy(x): a copy of x and of everything it holds"),
    "copy": Builtin("copy.copy", shallow_copy, "copy.copy(x): a shallow copy of x"),
})
