"""Runtime values of gd that are not tensors or Python numbers, and how values print.

Everything a gd program can touch is one of: a Tensor, a Python number, string,
bool or None, a list or tuple of values, or one of the small classes here. The
interpreter only lets a program reach the attributes listed for each type
(see `attributes.py`), so no value leads back to the host Python.
"""

from __future__ import annotations

import collections
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import is_meta, is_parameter
from gradcli.ad.identity import at, object_repr
from gradcli.ad.record import grad_fn_name
from gradcli.ad.state import State, inference_mode
from gradcli.ad.tensor import Node, Tensor, grad_mode, set_grad_enabled
from gradcli.ad.tensor_str import format_tensor, format_tensor_spec, format_value
from gradcli.errors import GdRuntimeError
from gradcli.interp.arrays import ArrayValue, NumpyDType
from gradcli.interp.builtin_reprs import builtin_repr, builtin_type
from gradcli.source import Span


class DType:
    """A dtype as gd sees it: prints as torch.float32."""

    __slots__ = ("name", "np")

    def __init__(self, np_dtype: np.dtype) -> None:
        self.np = np_dtype
        self.name = dtypes.name_of(np_dtype)

    def __repr__(self) -> str:
        return "torch." + self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DType) and other.np == self.np

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def is_floating_point(self) -> bool:
        """Whether this is a floating dtype."""
        return self.np.kind == "f"

    @property
    def is_complex(self) -> bool:
        """Whether this is a complex dtype."""
        return self.np.kind == "c"

    @property
    def is_signed(self) -> bool:
        """Whether values can be negative (all but uint8 and bool)."""
        return self.np.kind not in "ub"

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self.np.itemsize

    def to_real(self) -> DType:
        """The float dtype of a complex dtype's parts (others: itself)."""
        return dtype_value(dtypes.to_real(self.np))

    def to_complex(self) -> DType:
        """The complex dtype of a float dtype."""
        return dtype_value(dtypes.to_complex(self.np))


DTYPE_VALUES = {name: DType(dt) for name, dt in dtypes.DTYPES.items()}


def dtype_value(dt: np.dtype) -> DType:
    """The DType value for a numpy dtype."""
    return DTYPE_VALUES[dtypes.name_of(dt)]


class Size(tuple):
    """A shape: a tuple that prints as torch.Size([2, 3])."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        """Product of the sizes."""
        n = 1
        for s in self:
            n *= s
        return n

    # torch.Size's arithmetic stays a torch.Size (tuple's own would give a tuple), and
    # refuses in torch.Size's words.
    def __add__(self, other: Any) -> Any:
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type_name(other)}) to torch.Size")
        return Size(tuple.__add__(self, other))

    def __radd__(self, other: Any) -> Any:
        return Size(tuple(other) + tuple(self)) if isinstance(other, tuple) else NotImplemented

    def __mul__(self, n: Any) -> Any:
        if not hasattr(type(n), "__index__"):
            raise TypeError(f"can't multiply sequence by non-int of type '{type_name(n)}'")
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __getitem__(self, i: Any) -> Any:
        r = tuple.__getitem__(self, i)
        return Size(r) if type(i) is slice else r


class Layout:
    """torch.strided, the one memory layout gd's tensors have."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "torch.strided"

    __str__ = __repr__


STRIDED = Layout()
# As Python's messages name these C types (their tp_name): "list indices must be integers
# or slices, not torch.Size".
Layout.__name__ = "torch.layout"
Size.__name__ = "torch.Size"


class Namespace:
    """A read-only module-like namespace (torch, torch.nn.functional, math, …).

    A namespace given `build` instead of members makes them the first time they are
    looked up (torch.nn's classes come from twenty gd modules that a program which never
    names torch.nn does not import)."""

    __slots__ = ("_build", "_members", "name")

    def __init__(self, name: str, members: dict[str, Any] | None = None,
                 build: Callable[[], dict[str, Any]] | None = None) -> None:
        assert (members is None) != (build is None), name
        self.name = name
        self._members = members
        self._build = build

    @property
    def members(self) -> dict[str, Any]:
        """name -> value of everything the module has."""
        if self._members is None:
            assert self._build is not None
            self._members = self._build()
        return self._members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


# Built-ins that are classes in Python and PyTorch: they print as <class 'int'>.
CLASS_NAMES = frozenset((
    "int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset", "range",
    "slice", "type", "object", "complex", "bytes", "bytearray",
    "enumerate", "zip", "map", "filter", "reversed", "staticmethod", "classmethod",
    "property", "super", "torch.Tensor", "torch.FloatTensor", "torch.Size"))
# torch's grad-mode and anomaly-mode context managers are classes of their modules, under
# whatever name they are reached by (torch.no_grad is torch.autograd.grad_mode.no_grad).
MODE_CLASSES = {
    "no_grad": "torch.autograd.grad_mode", "enable_grad": "torch.autograd.grad_mode",
    "set_grad_enabled": "torch.autograd.grad_mode", "inference_mode": "torch.autograd.grad_mode",
    "detect_anomaly": "torch.autograd.anomaly_mode",
    "set_detect_anomaly": "torch.autograd.anomaly_mode",
}


class Builtin:
    """A built-in function: a Python callable under its gd name."""

    __slots__ = ("doc", "fn", "name")
    is_class = False  # an exception class is a Builtin that stands for a class

    def __init__(self, name: str, fn: Callable[..., Any], doc: str = "") -> None:
        self.name = name
        self.fn = fn
        self.doc = doc or (fn.__doc__ or "").strip().split("\n")[0]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        if self.name in CLASS_NAMES:
            return f"<class '{self.name}'>"
        tail = self.name.rpartition(".")[2]
        if tail in MODE_CLASSES and self.name.startswith("torch."):
            return f"<class '{MODE_CLASSES[tail]}.{tail}'>"
        return builtin_repr(self.name, self) or f"<built-in function {self.name}>"


class Decorator(Builtin):
    """A built-in used as a decorator on a gd function (@staticmethod, @property...)."""

    __slots__ = ()


class FunctionBase:
    """Base of gd functions (runstate.GdFunction), so lower modules can tell them apart."""

    __slots__ = ()


def private_name_error(name: str) -> GdRuntimeError:
    """The sandbox's refusal of a name starting with '_' on any gd value."""
    return GdRuntimeError(
        f"attribute '{name}' is not accessible in gd (names starting with '_' are private)")


class GdObject:
    """Base of gd values with their own attributes (classes, instances): attribute access
    goes through these methods only, never to the host object."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        """A value with no attributes of its own: the sandbox's refusal of a private name,
        else Python's AttributeError."""
        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"'{self.type_label()}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise NotImplementedError

    def del_attr(self, name: str) -> None:
        raise NotImplementedError

    def gd_repr(self) -> str:
        raise NotImplementedError

    def gd_str(self) -> str:
        return self.gd_repr()

    def type_label(self) -> str:
        raise NotImplementedError

    # Python's own formatting ('%s' % obj) sees what gd prints, never a host repr.
    def __repr__(self) -> str:
        return self.gd_repr()

    def __str__(self) -> str:
        return self.gd_str()


class ContextValue:
    """A built-in context manager that sees the body's exception, as a gd class's
    __exit__ does (contextlib's): `with` calls enter(), then exit(exc or None), whose true
    result swallows the exception."""

    __slots__ = ()

    def _dunder(self, name: str) -> bool:
        return name in ("__enter__", "__exit__")

    def enter(self) -> Any:
        raise NotImplementedError

    def exit(self, exc: Any) -> bool:
        raise NotImplementedError


class IteratorValue:
    """A lazy iterator: a generator expression or what map/filter/zip/enumerate/reversed
    return. Iterates once, prints as <generator object <genexpr> at 0x…>. Each kind
    is its own subclass named as Python's type (`generator`, `map`, ...), so Python's own
    messages name it as Python does ("object of type 'generator' has no len()")."""

    __slots__ = ("it", "kind")

    def __new__(cls, kind: str, it: Any) -> IteratorValue:
        sub = _ITERATOR_TYPES.get(kind)
        if sub is None:
            sub = _ITERATOR_TYPES[kind] = type(kind, (IteratorValue,), {"__slots__": ()})
        return object.__new__(sub)

    def __init__(self, kind: str, it: Any) -> None:
        self.kind = kind
        self.it = it

    def __iter__(self) -> IteratorValue:
        return self

    def __next__(self) -> Any:
        return next(self.it)

    def __repr__(self) -> str:
        if self.kind == "generator":
            return f"<generator object <genexpr>{at(self)}>"
        return object_repr(self.kind, self)

    # it.__next__() and it.__iter__() called as methods, as Python's iterators allow
    # (the protocol a program may spell out); every other private name stays refused.
    gd_private_names = frozenset(("__next__", "__iter__"))

    @staticmethod
    def gd_attribute(it: IteratorValue, name: str) -> Any:
        if name == "__next__":
            from gradcli.interp.pybuiltins import next_item

            return MethodWrapper(it, name, next_item)
        if name == "__iter__":
            return MethodWrapper(it, name, lambda self: self)
        if name.startswith("_"):
            raise private_name_error(name)
        raise GdRuntimeError(f"'{type_name(it)}' object has no attribute '{name}'",
                             py_type="AttributeError")


_ITERATOR_TYPES: dict[str, type] = {}


class TypeValue:  # named `type` below, as Python's messages name it
    """What type(x) gives for a type gd has no constructor for (NoneType, function, ...):
    it only prints and compares."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"

    def __eq__(self, other: object) -> bool:
        return type(other) is TypeValue and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


TypeValue.__name__ = "type"


class StrValue:
    """A value whose str() is its own text, not its repr (an exception object)."""

    __slots__ = ()


#: Python values of library modules whose str() is their own text (datetime's).
STR_HOST: set[type] = set()


class AccumulateGrad:
    """What grad_fn.next_functions shows for a leaf that requires grad.

    As in PyTorch, a leaf has one while anything holds it: every next_functions entry for
    the leaf is the same object (`is` holds), made by `of`.
    """

    __slots__ = ("__weakref__", "variable")

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    @classmethod
    def of(cls, variable: Tensor) -> AccumulateGrad:
        """The leaf's AccumulateGrad (its id is stable: the object holds the leaf)."""
        made = _ACCUMULATORS.get(id(variable))
        if made is None or made.variable is not variable:
            made = cls(variable)
            _ACCUMULATORS[id(variable)] = made
        return made

    def __repr__(self) -> str:
        return object_repr("AccumulateGrad", self)


# Each leaf's AccumulateGrad while something holds it (by the leaf's id).
_ACCUMULATORS: weakref.WeakValueDictionary[int, AccumulateGrad] = weakref.WeakValueDictionary()


class GeneratorValue:
    """What torch.manual_seed returns and torch.default_generator is: the run's default
    generator (its methods are that generator's: devices._ATTRIBUTES)."""

    __slots__ = ()
    torch_type = "torch._C.Generator"  # what type(x) prints
    is_default_generator = True  # a generator= argument: the default one

    def __repr__(self) -> str:
        return object_repr("torch._C.Generator", self)


class BoundMethod:
    """`x.sum` before it is called."""

    __slots__ = ("fn", "name", "obj")

    def __init__(self, obj: Any, name: str, fn: Callable[..., Any]) -> None:
        self.obj = obj
        self.name = name
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(self.obj, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<built-in method {self.name} of {type_name(self.obj)} object{at(self.obj)}>"


class MethodWrapper(BoundMethod):
    """A built-in value's protocol method taken as a value (`it.__next__`): prints as
    Python's method-wrapper."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<method-wrapper '{self.name}' of {type_name(self.obj)} object{at(self.obj)}>"


class GradModeDecorator:
    """A gd function wrapped by @no_grad() / @enable_grad() / @set_grad_enabled(flag) /
    @inference_mode(mode) (inference: that mode, else None)."""

    __slots__ = ("enabled", "fn", "inference")

    def __init__(self, fn: Callable[..., Any], enabled: bool,
                 inference: bool | None = None) -> None:
        self.fn = fn
        self.enabled = enabled
        self.inference = inference

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        mode = grad_mode(self.enabled) if self.inference is None else inference_mode(
            self.inference)
        with mode:
            return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.fn)


def _field_repr(x: object) -> str | None:
    """A return_types field: a tensor, or a tuple of tensors (histogramdd's bin_edges)."""
    if type(x) is tuple:
        inner = ", ".join(str(tensor_repr(e)) for e in x)
        return f"({inner},)" if len(x) == 1 else f"({inner})"
    return tensor_repr(x)


def _tangent_str(t: Tensor) -> str:
    """A dual tensor's tangent as PyTorch's repr shows it (f"{tangent}": a 0-d one as
    its Python number, any other as its own repr)."""
    if t.ndim == 0:
        return format_tensor_spec(t.array, dtypes.name_of(t.array.dtype), "")
    return tensor_repr(t) or ""


def tensor_repr(v: object) -> str | None:
    """PyTorch's repr of a tensor, or None for anything else (format_value's callback)."""
    if type(v) is Tensor:
        tangent = (v.tangent if State.forward_level and v._tangent is not None
                   and not State.forward_hidden else None)
        text = format_tensor(v.array, dtypes.name_of(v.array.dtype),
                             requires_grad=v.requires_grad,
                             grad_fn=grad_fn_name(v),
                             tangent=None if tangent is None else _tangent_str(tangent),
                             meta=is_meta(v))
        return "Parameter containing:\n" + text if is_parameter(v) else text
    if isinstance(v, tuple) and hasattr(type(v), "gd_repr"):  # a PackedSequence
        return v.gd_repr(lambda x: format_value(x, tensor_repr))  # type: ignore[attr-defined]
    kind = getattr(type(v), "torch_kind", None)
    if kind is not None and isinstance(v, tuple):  # a torch.return_types named tuple
        body = ",\n".join(f"{f}={_field_repr(x)}" for f, x in zip(v._fields, v, strict=True))
        return f"torch.return_types.{kind}(\n{body})"
    if isinstance(v, (Node, DType, Size, Namespace, Builtin, GeneratorValue, BoundMethod,
                      GradModeDecorator, AccumulateGrad, ArrayValue, NumpyDType, IteratorValue,
                      TypeValue)):
        return repr(v)
    if isinstance(v, GdObject):
        return v.gd_repr()
    t = type(v)
    if t is set or t is frozenset:
        if not v:
            return "set()" if t is set else "frozenset()"
        text = "{" + ", ".join(to_repr(x) for x in v) + "}"
        return text if t is set else f"frozenset({text})"
    if t in _VIEWS:
        return f"{_VIEWS[t]}({format_value(list(v), tensor_repr)})"
    if isinstance(v, grad_mode):
        if type(v).__repr__ is not object.__repr__:  # inference_mode, detect_anomaly, ...
            return repr(v)
        if type(v) is not grad_mode:
            return f"torch.autograd.grad_mode.set_grad_enabled(mode={v.enabled})"
        mode = "enable_grad" if v.enabled else "no_grad"
        return object_repr(f"torch.autograd.grad_mode.{mode}", v)
    if type(v).__repr__ is object.__repr__:
        # The run's address, never the host's (`with dual_level() as d: print(d)`): the
        # same program must print the same bytes every run.
        return object_repr(type(v).__name__, v)
    return None


_VIEWS = {type({}.keys()): "dict_keys", type({}.values()): "dict_values",
          type({}.items()): "dict_items"}


def to_str(v: Any) -> str:
    """str(v) as Python + PyTorch would print it."""
    if type(v) is str:
        return v
    if type(v) is ArrayValue or type(v) is NumpyDType:
        return str(v)  # numpy's str: [1.  2.5], float32
    if isinstance(v, GdObject):
        return v.gd_str()
    r = tensor_repr(v)
    if r is not None:
        return r
    if isinstance(v, StrValue) or type(v) in STR_HOST:
        return str(v)
    return format_value(v, tensor_repr)


def to_repr(v: Any) -> str:
    """repr(v) as Python + PyTorch would print it."""
    if type(v) is str:
        return repr(v)
    r = tensor_repr(v)
    if r is not None:
        return r
    return format_value([v], tensor_repr)[1:-1]


def class_name(v: Any) -> str | None:
    """`T.__name__` of a value that stands for a Python or PyTorch class (int,
    torch.Tensor, type(None)), else None."""
    if isinstance(v, Builtin) and (v.name in CLASS_NAMES or v.is_class):
        return v.name.rsplit(".", 1)[-1]
    if type(v) is TypeValue:
        return v.name.rsplit(".", 1)[-1]
    return None


def type_name(v: Any) -> str:
    """A user-facing name for a value's type: the name Python's own messages give it."""
    if type(v) is Tensor:
        return "Parameter" if is_parameter(v) else "Tensor"
    if isinstance(v, Namespace):
        return "module"
    if type(v) is ArrayValue:
        return v.type_name
    if type(v) is NumpyDType:
        return "dtype"
    if isinstance(v, GdObject):
        return v.type_label()
    if isinstance(v, IteratorValue):
        return v.kind
    if type(v) is TypeValue:
        return "type"
    if type(v) is Node or getattr(type(v), "node_like", False):  # a grad_fn (or a custom
        return v.name  # Function's ctx)'s class is named for its op: MulBackward0
    if isinstance(v, Builtin) and type(v).__repr__ is Builtin.__repr__:
        shown = builtin_type(v.name)  # F.relu is a function, torch.sin a built-in
        if shown is not None and shown != "type":
            return shown
        if "." not in v.name:  # print, len: Python's built-ins are written in C
            return "builtin_function_or_method"
    if type(v) is BoundMethod:  # a method of a tensor, list, str: written in C; of a
        # module, optimizer or distribution: a Python method
        return "method" if isinstance(v.obj, GdObject) else "builtin_function_or_method"
    shown = getattr(type(v), "py_type_name", None)  # a gd method bound: a "method"
    if shown is not None:
        return str(shown)
    if isinstance(v, Builtin) or callable(v):
        return "function"
    if v is None:
        return "NoneType"
    if type(v) is Size:  # Python's messages name a C type by its tp_name
        return "torch.Size"
    kind = getattr(type(v), "torch_kind", None)
    if kind is not None and isinstance(v, tuple):  # a torch.return_types named tuple
        return f"torch.return_types.{kind}"
    for cls in _C_CLASSES:  # (a state dict is gd's OrderedDict's subclass)
        if isinstance(v, cls):
            return f"collections.{cls.__name__}"
    return type(v).__name__


# collections' classes written in C, which Python's messages name fully (their tp_name).
_C_CLASSES = (collections.OrderedDict, collections.defaultdict, collections.deque)


def is_context_manager(cm: Any) -> bool:
    """Whether `with cm:` is allowed: grad modes, forward-mode dual levels, and values
    whose class says so (gd_context: sdpa_kernel, a tqdm bar)."""
    from gradcli.ad.forward import dual_level

    return isinstance(cm, (grad_mode, dual_level)) or getattr(type(cm), "gd_context", False)


_METHOD_DECORATORS = frozenset(("staticmethod", "classmethod", "property"))


def decorate(fn: Any, d: Any, span: Span) -> Any:
    """`@d` above a gd function: the grad-mode decorators (and inference_mode), and in a
    class body @staticmethod, @classmethod, @property and @name.setter."""
    if type(d) is Decorator or (type(d) is Builtin and d.name in _METHOD_DECORATORS):
        return d(fn)
    if isinstance(d, Builtin) and d.name.endswith(("no_grad", "enable_grad", "inference_mode")):
        d = d()
    if type(d) is inference_mode:
        return GradModeDecorator(fn, d.enabled, d.mode)
    if isinstance(d, grad_mode):
        if type(d) is not grad_mode:
            # set_grad_enabled(flag) switched the mode when it was called; as a decorator
            # it only wraps the function, so PyTorch puts the mode back (its __call__).
            set_grad_enabled(d.prev)
        return GradModeDecorator(fn, d.enabled)
    raise GdRuntimeError(
        "only @no_grad(), @enable_grad(), @set_grad_enabled(flag), @staticmethod, "
        "@classmethod and @property decorators are supported in gd", span)


# Python's names for these types, which its own messages use ("object of type
# 'builtin_function_or_method' has no len()", "'torch.dtype' object cannot be interpreted
# as an integer"): never the implementation's class names.
for _cls, _name in ((Builtin, "builtin_function_or_method"),
                    (BoundMethod, "builtin_function_or_method"), (Namespace, "module"),
                    (DType, "torch.dtype"), (GeneratorValue, "torch._C.Generator")):
    _cls.__name__ = _name
