"""The operator and container protocol methods of built-in values called by name.

Python lets a program spell an operator as its method: `t.__add__(u)`, `x.__len__()`,
`d.__getitem__(k)`, `key=scores.__getitem__`. For tensors,
numbers, strings and Python's containers each such name here is gd's own operator (the
tensor's `__mul__` records MulBackward0 as `t * u` does; `__getitem__` is gd's indexing,
`__len__` gd's len): never the host object's method. Every other name starting with '_'
stays refused (the sandbox). Numbers' arithmetic keeps Python's answer for an operand of
another kind: `(5).__add__(2.5)` is NotImplemented, not 7.5.
"""

from __future__ import annotations

import collections
import operator as host_operator
from collections.abc import Callable
from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.interp.values import BoundMethod, MethodWrapper

MISSING = object()

# Python's operator name -> gd's binary operator (operators.BINARY's keys).
_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "truediv": "div",
           "floordiv": "floor_divide", "mod": "remainder", "pow": "pow", "matmul": "matmul",
           "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor",
           "lshift": "lshift", "rshift": "rshift"}
_COMPARE = ("eq", "ne", "lt", "le", "gt", "ge")
_UNARY: dict[str, Callable[[Any], Any]] = {
    "__neg__": host_operator.neg, "__pos__": host_operator.pos,
    "__invert__": host_operator.invert}
# The values whose protocol methods a program may call (tuples include torch.Size and
# torch's named tuples; dicts OrderedDict, defaultdict and Counter).
_NUMBERS = (bool, int, float, complex)
_CONTAINERS = (list, tuple, dict, set, frozenset, str, range, collections.deque)
# In-place operators a tensor has as methods: t.__iadd__(u) is t.add_(u).
_TENSOR_INPLACE = {"add": "add_", "sub": "sub_", "mul": "mul_", "truediv": "div_",
                   "pow": "pow_", "and": "bitwise_and_", "or": "bitwise_or_",
                   "xor": "bitwise_xor_", "lshift": "bitwise_left_shift_",
                   "rshift": "bitwise_right_shift_"}


def _number_binary(gd: Callable[[Any, Any], Any], reflected: bool
                   ) -> Callable[[Any, Any], Any]:
    """A number's __add__ / __radd__: gd's operator for a number operand, else
    NotImplemented (as Python's int.__add__(tensor) gives)."""
    def call(a: Any, b: Any) -> Any:
        if type(b) not in _NUMBERS or _rank(b) > _rank(a):
            return NotImplemented  # (5).__add__(2.5), (1.0).__add__(1j)
        return gd(b, a) if reflected else gd(a, b)

    return call


def _binary(obj: Any, op: str, prefix: str) -> Callable[[Any, Any], Any] | None:
    from gradcli.interp.operators import BINARY

    gd = BINARY[_BINARY[op]]
    if prefix == "i":
        if type(obj) is not Tensor or op not in _TENSOR_INPLACE:
            return None  # a number's or a list's `+=` rebinds: no __iadd__ to call
        from gradcli.interp.attributes import TENSOR_METHODS

        inplace = TENSOR_METHODS[_TENSOR_INPLACE[op]]
        return lambda a, b: inplace(a, b)
    if type(obj) in _NUMBERS:
        return _number_binary(gd, prefix == "r")
    if prefix == "r" and op == "sub" and type(obj) is Tensor:
        from gradcli.ad.ops.tensor_math import rsub

        return rsub  # PyTorch's Tensor.__rsub__ is torch.rsub: RsubBackward0
    if prefix == "r" and op == "truediv" and type(obj) is Tensor:
        from gradcli.ad.ops import reciprocal

        mul = BINARY["mul"]  # PyTorch's Tensor.__rtruediv__ (and __rdiv__) is
        return lambda a, b: mul(reciprocal(a), b)  # self.reciprocal() * other: its dtype
    if prefix == "r":
        return lambda a, b: gd(b, a)
    return gd


def _compare(obj: Any, op: str) -> Callable[[Any, Any], Any]:
    from gradcli.interp.operators import COMPARE

    gd = COMPARE[op]
    if type(obj) not in _NUMBERS:
        return gd

    def call(a: Any, b: Any) -> Any:  # (3).__eq__(3.0) is NotImplemented, as __add__'s
        if type(b) not in _NUMBERS or _rank(b) > _rank(a):
            return NotImplemented
        return gd(a, b)

    return call


def _rank(v: Any) -> int:
    """Python's tower of number types: an operator of a lower kind gives way to a
    higher one's reflected method (int < float < complex)."""
    return 2 if type(v) is complex else 1 if type(v) is float else 0


def _protocol(obj: Any, name: str) -> Callable[..., Any] | None:
    """The function behind obj.name (called with obj first), or None."""
    from gradcli.interp import operators
    from gradcli.interp.builtins import PYTHON_BUILTINS

    core = name[2:-2]
    if type(obj) is Tensor and core in ("div", "rdiv", "idiv"):
        core = core.replace("div", "truediv")  # Tensor's Python 2 spellings, kept
    for prefix in ("", "r", "i"):
        if core.startswith(prefix) and core[len(prefix):] in _BINARY:
            return _binary(obj, core[len(prefix):], prefix)
    if core in _COMPARE:
        return _compare(obj, core)
    if name in _UNARY:
        return _UNARY[name]
    simple: dict[str, Callable[..., Any]] = {
        "__abs__": PYTHON_BUILTINS["abs"], "__bool__": operators.truth,
        "__repr__": PYTHON_BUILTINS["repr"], "__str__": PYTHON_BUILTINS["str"],
        "__format__": PYTHON_BUILTINS["format"], "__hash__": PYTHON_BUILTINS["hash"],
    }
    if name in simple:
        return simple[name]
    if type(obj) in _NUMBERS:
        numbers: dict[str, Callable[..., Any]] = {
            "__int__": PYTHON_BUILTINS["int"], "__float__": PYTHON_BUILTINS["float"],
            "__round__": PYTHON_BUILTINS["round"]}
        if type(obj) is not complex and name in numbers:
            return numbers[name]
        if name == "__index__" and type(obj) in (bool, int):
            return PYTHON_BUILTINS["int"]
        return None
    containers: dict[str, Callable[..., Any]] = {
        "__getitem__": operators.get_item, "__setitem__": operators.set_item,
        "__delitem__": operators.del_item, "__len__": PYTHON_BUILTINS["len"],
        "__iter__": PYTHON_BUILTINS["iter"],
        "__contains__": lambda a, v: operators.COMPARE["in"](v, a),
    }
    if name in containers:
        return containers[name]
    if type(obj) is Tensor:
        tensor: dict[str, Callable[..., Any]] = {
            "__int__": PYTHON_BUILTINS["int"], "__float__": PYTHON_BUILTINS["float"],
            "__index__": host_operator.index, "__reversed__": PYTHON_BUILTINS["reversed"],
        }
        return tensor.get(name)
    if name == "__reversed__" and type(obj) in (list, range, collections.deque):
        return PYTHON_BUILTINS["reversed"]
    return None


def attribute(obj: Any, name: str) -> Any:
    """obj.name for a protocol dunder of a tensor, number, string or container (a bound
    method), else MISSING."""
    if not (name.startswith("__") and name.endswith("__")):
        return MISSING
    t = type(obj)
    if not (t is Tensor or t in _NUMBERS or isinstance(obj, _CONTAINERS)):
        return MISSING
    fn = _protocol(obj, name)
    if fn is None:
        return MISSING
    if t is Tensor or name == "__getitem__":
        return BoundMethod(obj, name, fn)  # <built-in method __getitem__ of list object>
    return MethodWrapper(obj, name, fn)


# The protocol methods torch.Tensor has as class attributes (torch.Tensor.__rdiv__(a, 2)).
_TENSOR_CLASS_DUNDERS = frozenset(
    [f"__{p}{op}__" for op in (*_BINARY, "div") for p in ("", "r", "i")
     if not (p == "i" and op not in (*_TENSOR_INPLACE, "div"))]
    + [f"__{op}__" for op in _COMPARE] + list(_UNARY)
    + ["__abs__", "__bool__", "__repr__", "__str__", "__format__", "__hash__", "__getitem__",
       "__setitem__", "__delitem__", "__len__", "__iter__", "__contains__", "__int__",
       "__float__", "__index__", "__reversed__"])


def tensor_class_attribute(name: str) -> Any:
    """torch.Tensor.name for a protocol method: the method unbound (a tensor first, as
    `torch.Tensor.__add__(t, u)` takes it), else MISSING."""
    if name not in _TENSOR_CLASS_DUNDERS:
        return MISSING
    from gradcli.errors import GdRuntimeError
    from gradcli.interp.values import Builtin, type_name

    def unbound(self: Any, *args: Any) -> Any:
        if type(self) is not Tensor:
            raise GdRuntimeError(f"descriptor '{name}' for 'torch._C.TensorBase' objects "
                                 f"doesn't apply to a '{type_name(self)}' object",
                                 py_type="TypeError")
        fn = _protocol(self, name)
        if fn is None:  # (a name of the set without a tensor's method: none today)
            raise GdRuntimeError(f"type object 'Tensor' has no attribute '{name}'",
                                 py_type="AttributeError")
        return fn(self, *args)

    return Builtin(f"Tensor.{name}", unbound, f"Tensor.{name}(self, ...)")
