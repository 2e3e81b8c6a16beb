"""Which attributes a gd program may read or write, per value type: the sandbox's door.

Nothing reaches Python's own attributes: every lookup goes through these tables,
and names starting with an underscore are refused before any table is consulted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from typing import Any

from gradcli.ad import autograd, ops
from gradcli.ad import hooks as H
from gradcli.ad.graph import (
    META_NO_DATA,
    is_inference,
    is_meta,
    python_attrs,
    python_dict,
    stale_view,
    view_base,
)
from gradcli.ad.kernels.messages import scalar_name
from gradcli.ad.multi_hooks import MultiHandle
from gradcli.ad.ops import layout
from gradcli.ad.record import current_grad_fn
from gradcli.ad.registry import RULES
from gradcli.ad.state import nonleaf_grad
from gradcli.ad.tensor import Node, Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import (
    argcheck,
    arrays,
    builtin_dunders,
    classdunders,
    devices,
    dtype_info,
    limits,
    module_versions,
    pybuiltins,
    pymethods,
    pysys,
    storage,
)
from gradcli.interp import custom_function as CF
from gradcli.interp.classes import OBJECT_ATTR_METHODS, BoundGdMethod, InstanceValue
from gradcli.interp.exceptions import CHAIN_ATTRIBUTES, ExceptionClass, ExceptionValue
from gradcli.interp.saved_attrs import raw_saved_attribute, saved_attribute
from gradcli.interp.values import (
    STRIDED,
    AccumulateGrad,
    BoundMethod,
    Builtin,
    DType,
    FunctionBase,
    GdObject,
    Namespace,
    Size,
    class_name,
    dtype_value,
    private_name_error,
    type_name,
)
from gradcli.source import Span
from gradcli.suggest import did_you_mean


def _size(x: Tensor, dim: int | None = None) -> Any:
    if dim is None:
        return Size(x.shape)
    if type(dim) is not int:
        raise GdRuntimeError(f"size(): argument 'dim' (position 1) must be int, not "
                             f"{type_name(dim)}", py_type="TypeError")
    n = x.ndim
    if not n:
        raise GdRuntimeError(f"Dimension specified as {dim} but tensor has no dimensions",
                             py_type="IndexError")
    if not -n <= dim < n:
        raise GdRuntimeError(f"Dimension out of range (expected to be in range of [{-n}, "
                             f"{n - 1}], but got {dim})", py_type="IndexError")
    return x.shape[dim]  # Python's own error for a non-int index


def _stride(x: Tensor, dim: int | None = None) -> Any:
    """x.stride() (a tuple) or x.stride(dim), with size(dim)'s checks and messages."""
    steps = layout.strides(x)
    if dim is None:
        return steps
    _size(x, dim)
    return steps[dim]


def _tolist(x: Tensor) -> Any:
    """The values as nested Python lists (at most 10,000,000 of them)."""
    if is_meta(x):
        raise GdRuntimeError(META_NO_DATA, py_type="NotImplementedError")
    limits.check_length(x.numel(), "tolist()")
    return x.tolist()


_C_TYPE = {"float64": "double", "float32": "float", "int64": "long", "int32": "int",
           "bool": "bool"}  # PyTorch's C type names of the dtypes


def _set_grad(x: Tensor, value: Any) -> None:
    if value is not None:
        if type(value) is not Tensor:
            raise GdRuntimeError(f"assigned grad expected to be a Tensor or None but got grad "
                                 f"of type {type_name(value)}", py_type="TypeError")
        if value.shape != x.shape:
            raise GdRuntimeError(
                f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of "
                f"size '{list(x.shape)}'. Please ensure that the gradient and the tensor are "
                "the same size")
        if value.dtype != x.dtype:
            given = _C_TYPE[value.array.dtype.name]
            raise GdRuntimeError(
                f"attempting to assign a gradient with dtype '{given}' to a tensor with "
                f"grad_dtype '{scalar_name(x.array.dtype)}'. The gradient must match "
                "the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                "gradient may break downstream systems that assume they match.")
    x.grad = value


def _set_requires_grad(x: Tensor, value: Any) -> None:
    if type(value) is not bool:
        raise GdRuntimeError("requires_grad must be a bool")
    if value and x.array.dtype.kind not in "fc":
        raise GdRuntimeError(
            "only Tensors of floating point and complex dtype can require gradients")
    x.requires_grad_(value)


def _set_data(x: Tensor, value: Any) -> None:
    if type(value) is not Tensor:
        raise GdRuntimeError(f"Variable data has to be a tensor, but got {type_name(value)}",
                             py_type="TypeError")
    x.data = value  # (Tensor.data's setter: PyTorch's error for a meta and a CPU tensor)


def _requires_grad(x: Tensor) -> bool:
    """x.requires_grad: a view's follows its base's history (current_grad_fn), a stale
    view's is its own still."""
    if x._view is not None and not stale_view(x):
        current_grad_fn(x)
    return x.requires_grad


TENSOR_PROPERTIES: dict[str, Callable[[Tensor], Any]] = {
    "grad": nonleaf_grad,  # a non-leaf's missing .grad warns, as in PyTorch
    "grad_fn": lambda x: function_node(current_grad_fn(x)),
    "requires_grad": _requires_grad,
    "is_leaf": lambda x: current_grad_fn(x) is None,
    "shape": lambda x: Size(x.shape),
    "ndim": lambda x: x.ndim,
    "dtype": lambda x: dtype_value(x.dtype),
    "data": lambda x: x.data,
    "T": ops.T,
    "mT": ops.joins.mT,
    "H": ops.joins.H,
    "mH": ops.joins.mH,
    "retains_grad": lambda x: x.retains_grad,
    "device": lambda x: devices.META if is_meta(x) else devices.CPU,
    "is_cuda": lambda x: False,
    "is_cpu": lambda x: not is_meta(x),
    "is_meta": is_meta,
    "itemsize": layout.element_size,
    "layout": lambda x: STRIDED,
    "nbytes": lambda x: x.numel() * layout.element_size(x),
    **ops.tensor_extras.PROPERTIES,
    "output_nr": lambda x: _output_nr(current_grad_fn(x)),
}

#: PyTorch's '_' attributes of a tensor that tutorials read: the version counter (in-place
#: changes of the storage, shared with views and detached aliases), a view's base and
#: whether it is one.
TENSOR_PRIVATE: dict[str, Callable[[Tensor], Any]] = {
    "_version": lambda x: _version(x),
    "_base": view_base,
    "_is_view": lambda x: BoundMethod(x, "_is_view", _is_view),
}




def _version(x: Tensor) -> int:
    """x._version: in-place changes so far (an inference tensor keeps no counter)."""
    if is_inference(x):
        raise GdRuntimeError("Inference tensors do not track version counter.")
    return x._vc[0]


def _is_view(x: Tensor) -> bool:
    """x._is_view(): whether x views another tensor's storage (x._base is not None)."""
    return view_base(x) is not None


TENSOR_METHODS: dict[str, Callable[..., Any]] = {
    **ops.members("Tensor"),
    "backward": autograd.tensor_backward,
    "item": Tensor.item,
    "tolist": _tolist,
    "detach": Tensor.detach,
    "detach_": Tensor.detach_,
    "requires_grad_": Tensor.requires_grad_,
    "retain_grad": Tensor.retain_grad,
    "size": _size,
    "stride": _stride,
    "storage_offset": layout.storage_offset,
    "data_ptr": layout.data_ptr,
    "element_size": layout.element_size,
    "dim": Tensor.dim,
    "numel": Tensor.numel,
    "nelement": Tensor.numel,
    "ndimension": Tensor.dim,
    "is_signed": lambda x: x.array.dtype.kind in "fi",
    "is_same_size": lambda x, other: x.shape == other.shape,
    **{n: (lambda x: False) for n in ops.tensor_extras.FALSE_METHODS},
    "is_floating_point": lambda x: x.dtype.kind == "f",
    "cpu": lambda x: x,
    "cuda": devices.tensor_cuda, "to": devices.tensor_to, "type": devices.tensor_type,
    "get_device": lambda x: -1,
    "numpy": arrays.tensor_numpy,
    "register_hook": H.register_hook,
    "register_post_accumulate_grad_hook": H.register_post_accumulate_grad_hook,
    "is_inference": is_inference,
    "is_complex": lambda x: x.dtype.kind == "c",
    "storage": storage.storage, "untyped_storage": storage.untyped_storage,
}
# PyTorch's argument checks first (interp/argcheck.py), where the method has a schema.
TENSOR_METHODS = {name: argcheck.checked(f"Tensor.{name}", fn)
                  for name, fn in TENSOR_METHODS.items()}

TENSOR_SETTERS: dict[str, Callable[[Tensor, Any], None]] = {
    "grad": _set_grad,
    "requires_grad": _set_requires_grad,
    "data": _set_data,
}

#: PyTorch's hand-written C++ nodes: name() gives their qualified C++ name.
_CPP_NODES = frozenset(("CopySlices", "CopyBackwards", "NotImplemented", "Identity"))

NODE_METHODS: dict[str, Callable[..., Any]] = {
    "name": lambda n: f"torch::autograd::{n.name}" if n.name in _CPP_NODES else n.name,
    "register_hook": H.register_node_hook,
    "register_prehook": H.register_node_prehook,
}
#: PyTorch nodes with several outputs that we record one node per output of: which of the
#: node's outputs (numbered as PyTorch's) a node of ours is, from its params.
_OUTPUT_NUMBER: dict[str, Callable[[dict[str, Any]], int]] = {
    "unbind": lambda p: p["index"], "split_part": lambda p: p["index"],
    "slogdet": lambda p: 1,  # (sign, logabsdet)
    "eigh": lambda p: int(p.get("part") == "eigenvectors"),  # (eigenvalues, eigenvectors)
    "svd": lambda p: {"U": 0, "S": 1, "Vh": 2}.get(p.get("part", "S"), 0),
    "qr": lambda p: int(p.get("part") == "R"),  # (Q, R)
    "var_mean_mean": lambda p: 1, "std_mean_mean": lambda p: 1, "aminmax_max": lambda p: 1,
}


def output_number(n: Node) -> int:
    """Which output of PyTorch's node n is (next_functions' second item)."""
    f = _OUTPUT_NUMBER.get(n.rule.name)
    return 0 if f is None else f(n.params)


def _output_nr(n: Node | None) -> int:
    """Tensor.output_nr: which output of its grad_fn the tensor is (0 for a leaf)."""
    if n is None:
        return 0
    if n.rule.name == "custom_function_output":
        return int(n.params["output_nr"])
    return output_number(n)


def function_node(n: Node | None) -> Node | None:
    """PyTorch's one node for the outputs we record one node each of: a custom
    function's node, or the first of a family (split, unbind, svd...: `a.grad_fn is
    b.grad_fn` for two outputs, as in PyTorch)."""
    if n is None:
        return n
    if n.rule.name == "custom_function_output":
        return n.parents[0]
    family = getattr(n, "family", None)
    if family is not None:
        members = family.members
        return members[0] if members else n
    return n


def _next_functions(n: Node) -> tuple[tuple[Any, int], ...]:
    # As PyTorch: the producing node of each input, AccumulateGrad for a leaf that requires
    # grad (None for a view made in no_grad mode: note_view), None for an input that needs
    # no gradient; the number of the producing node's
    # output (unbind's outputs are numbered, every other node has one). A custom function's
    # output node stands for the function's one node.
    if n.rule.name == "custom_function_output":
        n = n.parents[0]
    parents = n.torch_parents()
    if (n.rule.name == "linear" and parents[2] is not None  # addmm(b, x, w.t())
            and not (type(parents[2]) is Node and parents[2].rule.name == "linear_weight_t")):
        parents = (*parents[:2], Node(RULES["transpose"], None, {"short": True},
                                      (parents[2],), None))
    return tuple(
        (p.parents[0], p.params["output_nr"]) if type(p) is Node
        and p.rule.name == "custom_function_output" else
        (function_node(p), output_number(p)) if type(p) is Node else
        (AccumulateGrad.of(p) if type(p) is Tensor and not hasattr(p, "view_mode")
         else None, 0)
        for p in parents)


#: grad_fn.metadata: one dict per node, made on first read (the node kept with it).
_METADATA: dict[int, tuple[Node, dict[Any, Any]]] = {}


def _metadata(n: Node) -> dict[Any, Any]:
    ctx = CF.node_ctx(n)
    if ctx is not None:  # a custom function's: the dict its ctx had in forward
        return ctx.metadata
    entry = _METADATA.get(id(n))
    if entry is None or entry[0] is not n:
        entry = _METADATA[id(n)] = (n, {})
    return entry[1]


NODE_PROPERTIES: dict[str, Callable[[Node], Any]] = {
    "next_functions": _next_functions,
    "metadata": _metadata,
    "requires_grad": lambda n: True,  # a recorded node always does
}

# A leaf's AccumulateGrad: PyTorch's name for it, its leaf, no edges of its own.
ACCUMULATE_GRAD_ATTRIBUTES: dict[str, Callable[[AccumulateGrad], Any]] = {
    "variable": lambda a: a.variable,
    "next_functions": lambda a: (),
    "requires_grad": lambda a: True,
}

#: A module's dunders a program may read (torch.__version__, torch.nn.__name__).
MODULE_DUNDERS = frozenset({"__name__", "__version__"})


def get_attribute(obj: Any, name: str) -> Any:
    """obj.name for a gd program, or a GdRuntimeError."""
    if name.startswith("_"):
        if name == "__class__":  # what type(obj) gives: a gd class, a built-in, a TypeValue
            return pybuiltins.type_of(obj)  # (self.__class__.__name__, y.grad_fn.__class__)
        if name == "__dict__" and getattr(type(obj), "has_vars", False):
            return obj.attrs  # the instance's own attributes, as vars(obj) gives them
        if isinstance(obj, GdObject):  # gd classes and instances: their own table
            return obj.get_attr(name)
        if type(obj) is ExceptionClass:  # E.__qualname__, E.__mro__
            described = classdunders.class_attribute(obj, name)
            if described is not classdunders.MISSING:
                return described
        if type(obj) is ExceptionValue and name in classdunders.INSTANCE_NAMES:
            return classdunders.class_attribute(obj.cls, name)
        if name in getattr(type(obj), "gd_private_names", ()):  # a named tuple's _asdict
            return type(obj).gd_attribute(obj, name)
        if type(obj) is ExceptionValue and not name.startswith("__"):  # e._step
            return obj.get_attr(name)
        if type(obj) is ExceptionValue and name in CHAIN_ATTRIBUTES:  # e.__cause__
            return obj.chain_attribute(name)
        if type(obj) is Tensor and name in TENSOR_PRIVATE:  # x._version, v._base
            return TENSOR_PRIVATE[name](obj)
        if type(obj) is Node and name.startswith("_saved_"):  # PyTorch's saved tensors
            return saved_attribute(obj, name)
        if type(obj) is Node and name.startswith("_raw_saved_"):  # and their SavedTensor
            return raw_saved_attribute(obj, name)
        dunder = builtin_dunders.attribute(obj, name)  # t.__add__(u), key=a.__getitem__
        if dunder is not builtin_dunders.MISSING:
            return dunder
        if isinstance(obj, Builtin) and obj.name == "torch.Tensor":  # torch.Tensor.__rdiv__
            dunder = builtin_dunders.tensor_class_attribute(name)
            if dunder is not builtin_dunders.MISSING:
                return dunder
        if type(obj) is Namespace and (not name.startswith("__") or name in MODULE_DUNDERS):
            if name == "__name__":
                return obj.name  # torch.nn.__name__
            if name in obj.members:
                return obj.members[name]  # PyTorch's public '_' names (_LRScheduler) and
            # a module's __version__
            if name == "__version__":  # np.__version__: the host's, as Python gives it
                v = module_versions.version(obj.name)
                if v is None:
                    raise GdRuntimeError(f"module '{obj.name}' has no attribute '{name}'",
                                         py_type="AttributeError")
                return v
        if type(obj) is Builtin and obj.name == "object" and name in OBJECT_ATTR_METHODS:
            return Builtin(f"object.{name}", OBJECT_ATTR_METHODS[name])  # object.__setattr__
        if name in ("__name__", "__qualname__") and class_name(obj) is not None:  # type(x).__name__
            return class_name(obj)
        fn = obj.fn if type(obj) is BoundGdMethod else obj
        if name == "__name__" and isinstance(fn, FunctionBase | Builtin) and getattr(
                type(fn), "named", True):  # fn.__name__ (not a functools.partial's)
            return fn.name.rsplit(".", 1)[-1]
        raise private_name_error(name)
    t = type(obj)
    if t is Tensor:
        prop = TENSOR_PROPERTIES.get(name)
        if prop is not None:
            return prop(obj)
        own = python_attrs(obj)
        if own is not None and name in own:  # t.tag = ... earlier (before the methods,
            return own[name]  # as an instance's __dict__ is in Python)
        fn = TENSOR_METHODS.get(name)
        if fn is not None:
            return BoundMethod(obj, name, fn)
    elif t is Namespace:
        try:
            return obj.members[name]
        except KeyError:
            raise (not_supported(f"{obj.name}.{name}")
                   or GdRuntimeError(f"module '{obj.name}' has no attribute '{name}'",
                                     hint=did_you_mean(name, obj.members))) from None
    elif t is Node:
        node_prop = NODE_PROPERTIES.get(name)
        if node_prop is not None:
            return node_prop(obj)
        fn = NODE_METHODS.get(name)
        if fn is not None:
            return BoundMethod(obj, name, fn)
        ctx = CF.node_ctx(obj)
        if ctx is not None:  # a custom function's node is its ctx (y.grad_fn.saved_tensors)
            return CF.ctx_get(ctx, name, BoundMethod)
    elif t is AccumulateGrad:
        prop = ACCUMULATE_GRAD_ATTRIBUTES.get(name)
        if prop is not None:
            return prop(obj)
        if name == "name":
            return BoundMethod(obj, name, lambda a: "torch::autograd::AccumulateGrad")
        if name in ("register_hook", "register_prehook"):
            pre = name == "register_prehook"
            return BoundMethod(obj, name, lambda a, fn: H.register_accumulate_hook(
                a.variable, fn, pre))
        if name == "metadata":
            raise GdRuntimeError(f"'AccumulateGrad.{name}' is not supported by gradcli",
                                 hint="a leaf's gradient hooks: x.register_hook(fn) or "
                                      "x.register_post_accumulate_grad_hook(fn)")
    elif t in dtype_info.ATTRIBUTES:
        if name in dtype_info.ATTRIBUTES[t]:
            return getattr(obj, name)
    elif t is H.RemovableHandle or t is MultiHandle:
        if name == "remove":
            return BoundMethod(obj, name, t.remove)
        if name == "id" and t is H.RemovableHandle:
            return obj.id
    elif t is CF.FunctionCtx:
        node = obj.node  # in backward, ctx is the node (ctx.next_functions, ctx.name())
        if node is not None and (prop := NODE_PROPERTIES.get(name)) is not None:
            return prop(node)
        if node is not None and (fn := NODE_METHODS.get(name)) is not None:
            return BoundMethod(node, name, fn)
        return CF.ctx_get(obj, name, BoundMethod)
    elif isinstance(obj, tuple) and getattr(t, "torch_kind", None) is not None:
        if name in obj._fields:  # a torch.return_types named tuple's fields
            return getattr(obj, name)
    elif t is arrays.ArrayValue:
        found, value = arrays.get_attribute(obj, name)
        if found:
            return value
    elif t is arrays.NumpyDType and name in arrays.DTYPE_ATTRIBUTES:
        return arrays.dtype_attribute(obj, name)  # a.dtype.name, .itemsize, .char
    elif t is ExceptionValue:
        return obj.get_attr(name)
    elif t in devices.TYPES:
        found, value = devices.get_attribute(obj, name)
        if found:
            return value
    elif t is DType:
        if name in ("is_floating_point", "is_complex", "is_signed", "itemsize"):
            return getattr(obj, name)
        if name in ("to_real", "to_complex"):
            return BoundMethod(obj, name, getattr(DType, name))
    elif t is Size:
        if name in ("numel", "index", "count"):
            return BoundMethod(obj, name, getattr(Size, name))
    elif t in pymethods.METHODS:
        found = pymethods.attribute(obj, name)
        if found is not pymethods.MISSING:
            return found
    elif isinstance(obj, tuple) and name in getattr(t, "_fields", ()):
        return obj[t._fields.index(name)]  # a named tuple's field (unpack_dual's primal)
    elif isinstance(obj, Builtin) and obj.name == "torch.Tensor":
        if name in TENSOR_METHODS:  # torch.Tensor.add(x, y), map(torch.Tensor.item, xs)
            return pymethods.tensor_method(name, TENSOR_METHODS[name])
    elif t is Builtin:
        found = pymethods.type_attribute(obj.name, name)
        if found is not pymethods.MISSING:
            return found
    elif hasattr(t, "gd_attribute"):  # a value kind with its own table (nn_lazy's)
        return t.gd_attribute(obj, name)
    if t is Tensor:
        unsupported = not_supported(f"torch.Tensor.{name}", f"Tensor.{name}")
        if unsupported is not None:
            raise unsupported
    elif isinstance(obj, GdObject):
        DS = sys.modules.get("gradcli.interp.distributions_subclass")  # (loaded with the
        if DS is not None and DS.PATCHED:  # distributions a program uses: not at start-up)
            from gradcli.interp.distributions import Distribution

            if isinstance(obj, Distribution):  # Normal.mode = lambda self: ...
                patched = DS.patched_attribute(obj, name)
                if patched is not DS.MISSING:
                    return patched
        return obj.get_attr(name)
    raise GdRuntimeError(f"'{type_name(obj)}' object has no attribute '{name}'",
                         hint=did_you_mean(name, _names_of(obj)))


SUPPORTED_HINT = "what gd supports is listed in README.md, section 'Values and built-ins'"


@cache
def torch_names() -> frozenset[str]:
    """The public dotted names of PyTorch 2.13 (torch_names.txt, generated from dir())."""
    from pathlib import Path

    text = Path(__file__).with_name("torch_names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def not_supported(dotted: str, shown: str | None = None,
                  span: Span | None = None) -> GdRuntimeError | None:
    """The error for a real PyTorch name gd lacks (shown as `shown`), or None if PyTorch
    has no such name either (then the caller's "no attribute" and did-you-mean stand)."""
    if dotted not in torch_names():
        return None
    return GdRuntimeError(f"'{shown or dotted}' is not supported by gradcli", span,
                          hint=SUPPORTED_HINT)


def module_not_supported(module: str, span: Span) -> GdRuntimeError | None:
    """`import torch.fft.x`: the error naming the shortest prefix PyTorch has and gd lacks."""
    from gradcli.interp.builtins import registry

    parts = module.split(".")
    for i in range(2, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if registry().module(prefix) is None:
            return not_supported(prefix, span=span)
    return None


def _hook(obj: Any, name: str) -> Any:
    """A gd instance's own __setattr__ or __delattr__, bound, or None."""
    if isinstance(obj, InstanceValue) and obj.cls.attr_hooks:
        raw = obj.cls.find(name)
        if isinstance(raw, FunctionBase):
            return BoundGdMethod(obj, raw)
    return None


def delete_attribute(obj: Any, name: str) -> None:
    """del obj.name for a gd program (attributes of gd objects, a custom function's
    ctx)."""
    if type(obj) is CF.FunctionCtx:
        CF.ctx_del(obj, name)
        return
    if type(obj) is Tensor and name in (python_attrs(obj) or ()):
        del obj.pyattrs[name]  # one the program set (t.tag = ...)
        return
    if type(obj) is Tensor and not name.startswith("_"):
        raise GdRuntimeError(f"'Tensor' object has no attribute '{name}'",
                             py_type="AttributeError")
    if not isinstance(obj, GdObject):
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{type_name(obj)}' value")
    hook = _hook(obj, "__delattr__")
    if hook is not None:
        hook(name)
        return
    obj.del_attr(name)


def set_python_attr(t: Tensor, name: str, value: Any) -> None:
    """t.name = value for a name that is no tensor property: PyTorch keeps it in the
    tensor's __dict__ (this tensor's only: views, detach() and clone() start without)."""
    python_dict(t)[name] = value


def set_attribute(obj: Any, name: str, value: Any) -> None:
    """obj.name = value for a gd program (only where PyTorch allows it)."""
    if isinstance(obj, GdObject):
        hook = _hook(obj, "__setattr__")
        if hook is not None:
            hook(name, value)
            return
        obj.set_attr(name, value)
        return
    if (type(obj) is ExceptionValue and obj.cls.defined
            and not name.startswith("__")):  # self.step = step in the program's class
        obj.set_attr(name, value)
        return
    own_setter = getattr(type(obj), "gd_set_attribute", None)
    if own_setter is not None:  # a value kind with its own table (a gd function's)
        own_setter(obj, name, value)
        return
    if name.startswith("_"):
        raise private_name_error(name)
    if type(obj) is Tensor:
        setter = TENSOR_SETTERS.get(name)
        if setter is not None:
            setter(obj, value)
            return
        if name in TENSOR_PROPERTIES or name == "name":  # (PyTorch's read-only t.name)
            raise GdRuntimeError(f"attribute '{name}' of 'torch._C.TensorBase' objects is not "
                                 "writable", py_type="AttributeError")
        if name == "grad_dtype":
            raise GdRuntimeError("'Tensor.grad_dtype' is not supported by gradcli")
        set_python_attr(obj, name, value)
        return
    elif type(obj) is Namespace and (devices.set_attribute(obj, name, value)
                                     or pysys.set_attribute(obj, name, value)):
        return
    elif type(obj) is CF.FunctionCtx:
        CF.ctx_set(obj, name, value)
        return
    err = pymethods.set_error(obj, name)
    if err is not None:
        raise err
    if isinstance(obj, tuple) and name in getattr(type(obj), "_fields", ()):
        raise GdRuntimeError("can't set attribute", py_type="AttributeError")  # named tuple
    shown = type_name(obj)
    if shown in ("function", "module") or class_name(obj) is not None:
        # Python would write a function's __dict__, a module's or a class's attribute:
        # gd's modules and PyTorch's classes are shared and read-only
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{shown}' value")
    # A C type's instance (a grad_fn, torch.dtype, torch.device, a built-in function) has
    # no __dict__: Python's own AttributeError.
    try:
        get_attribute(obj, name)
    except GdRuntimeError:
        raise GdRuntimeError(f"'{shown}' object has no attribute '{name}'",
                             py_type="AttributeError") from None
    raise GdRuntimeError(f"attribute '{name}' of '{shown}' objects is not writable",
                         py_type="AttributeError")


def _names_of(obj: Any) -> list[str]:
    if type(obj) is Tensor:
        return [*TENSOR_PROPERTIES, *TENSOR_METHODS]
    if type(obj) is arrays.ArrayValue:
        return arrays.names()
    return pymethods.names_of(obj)
