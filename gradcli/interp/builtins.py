"""Built-ins of gd: bare names and every PyTorch spelling, from one registry.

`torch.X`, `torch.autograd.X`, `torch.autograd.functional.X`, `torch.nn.functional.X`
(`F.X`), `torch.linalg.X` and bare `X` all resolve to the same function.
"""

from __future__ import annotations

import builtins as py
import inspect
import math as pymath
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import engine, forward, functional, ops
from gradcli.ad.tensor import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from gradcli.errors import GdRuntimeError
from gradcli.interp import arrays, exceptions, limits, operators
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.values import (
    DTYPE_VALUES,
    Builtin,
    DType,
    GeneratorValue,
    Namespace,
    Size,
    dtype_value,
    type_name,
)


def _manual_seed(seed: int) -> GeneratorValue:
    """Seed the random generator (same numbers as PyTorch's CPU generator)."""
    ops.manual_seed(int(seed))
    return GeneratorValue()


def _initial_seed() -> int:
    """The seed of the random generator."""
    return int(ops.generator().initial_seed())


def _get_default_dtype() -> DType:
    """The default float dtype."""
    from gradcli.ad import dtypes

    return dtype_value(dtypes.default_dtype())


def _detach(x: Tensor) -> Tensor:
    """detach(x): a new tensor sharing x's data, cut from the graph (x.detach())."""
    return x.detach()


def _size(s: Any = ()) -> Size:
    """torch.Size(sizes)."""
    return Size(limits.bounded(s, "torch.Size()"))


def _is_tensor(x: Any) -> bool:
    """Whether x is a tensor."""
    return type(x) is Tensor


def _numel(x: Tensor) -> int:
    """Number of elements."""
    return x.numel()


def _grad_enabled_ctx(flag: bool) -> Any:
    """set_grad_enabled(flag): sets grad mode now; as a context manager, restores it."""
    return set_grad_enabled(bool(flag))


# -- Python's built-ins, with Python's meaning -------------------------------------------
# A bare name that is a Python built-in does what Python's does with PyTorch tensors:
# sum(M) adds M's rows to 0, max(t) compares t's elements with `>`, round(t) fails
# (Tensor has no __round__). torch.sum / torch.max / x.sum() keep torch's meaning.

def _items(x: Any, what: str) -> Any:
    """What Python's iter(x) walks, checked against the size caps: a tensor's rows (as
    tensors), a numpy array's rows, a sequence's items."""
    if type(x) is Tensor:
        if x.ndim == 0:
            raise GdRuntimeError("iteration over a 0-d tensor")
        limits.bounded(x, what)
        return py.list(ops.unbind(x, 0))  # Tensor.__iter__: iter(x.unbind(0))
    if type(x) is ArrayValue:
        it = operators.iterate(x)
        limits.check_length(py.len(x), what)  # a row per item, as for a list
        return py.list(it)
    if isinstance(x, (list, tuple, str, range)):
        return limits.bounded(x, what)
    return operators.iterate(x)  # the error for a value that is not iterable


def _abs(x: Any) -> Any:
    """abs(x): |x|; a tensor's __abs__ (x.abs(), AbsBackward0)."""
    return py.abs(x)


def _minmax(name: str) -> Callable[..., Any]:
    pyfn = py.max if name == "max" else py.min

    def fn(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 1:
            return pyfn(_items(args[0], f"{name}()"), **kwargs)
        return pyfn(*args, **kwargs)

    fn.__doc__ = (f"{name}(iterable) / {name}(a, b, …) as in Python: a tensor is iterated over "
                  f"dim 0, its items compared with {'>' if name == 'max' else '<'} "
                  f"(torch.{name} reduces)")
    return fn


def _round(x: Any, ndigits: Any = None) -> Any:
    """round(x[, ndigits]) as in Python (a tensor has no __round__: use torch.round)."""
    if type(x) is Tensor:
        raise GdRuntimeError("type Tensor doesn't define __round__ method",
                             hint="torch.round(x) or x.round() rounds a tensor")
    return py.round(x) if ndigits is None else py.round(x, ndigits)


def _sum(iterable: Any, /, start: Any = 0) -> Any:
    """sum(iterable, start=0) as in Python: start + item + item …; a tensor's items are its
    rows along dim 0 (torch.sum / x.sum() reduce the whole tensor)."""
    if type(start) is str:
        raise GdRuntimeError("sum() can't sum strings [use ''.join(seq) instead]")
    if isinstance(start, (list, tuple)):
        # Python's sum(lists, []) copies the growing list at every item: quadratic.
        raise GdRuntimeError("sum() of lists or tuples is not supported in gd",
                             hint="use + or list.extend()")
    if type(iterable) is Tensor and (type(start) in (int, float) or type(start) is Tensor):
        return _sum_rows(iterable, start)
    return py.sum(_items(iterable, "sum()"), start)


def _sum_rows(t: Tensor, start: Any) -> Any:
    """Python's sum over a tensor's rows, as one reduction and one add: grad_fn
    AddBackward0 and the dtype of `start + t[0] + t[1] …`, the value of adding the rows one
    at a time (in that order, rounding as each add does)."""
    if t.ndim == 0:
        raise GdRuntimeError("iteration over a 0-d tensor")
    n = t.shape[0]
    if n == 0:
        return start
    head = operator.add(start, ops.unbind_one(t, 0, 0))
    if n == 1:
        return head
    out = operator.add(head, ops.sum(ops.getitem(t, slice(1, None)), 0))
    dt, shape = out.array.dtype, out.array.shape  # a tensor start may broadcast the rows
    if out.array.size <= t.array[0].size:
        rows = np.concatenate([np.broadcast_to(head.array, shape)[None].astype(dt, copy=False),
                               np.broadcast_to(t.array[1:], (n - 1, *shape))
                               .astype(dt, copy=False)])
        out.array[...] = np.add.accumulate(rows, axis=0)[-1]
    else:  # rows broadcast against a bigger start: add them one by one, in place
        acc = np.array(np.broadcast_to(head.array, shape), dtype=dt)
        for row in t.array[1:]:
            np.add(acc, row.astype(dt, copy=False), out=acc)
        out.array[...] = acc
    return out


def _pow(base: Any, exp: Any, mod: Any = None) -> Any:
    """pow(base, exp[, mod]) as in Python: base ** exp (a tensor's __pow__)."""
    if mod is None:
        return operators.BINARY["pow"](base, exp)
    return py.pow(base, exp, mod)


def _divmod(a: Any, b: Any) -> Any:
    """divmod(a, b) of numbers (and numpy arrays) as in Python; a tensor has no __divmod__."""
    if type(a) is ArrayValue or type(b) is ArrayValue:
        return tuple(arrays.wrap(r) for r in np.divmod(arrays.plain(a), arrays.plain(b)))
    if type(a) is Tensor or type(b) is Tensor:
        raise GdRuntimeError(f"unsupported operand type(s) for divmod(): '{type_name(a)}' "
                             f"and '{type_name(b)}'")
    return py.divmod(a, b)


def _scalar(x: Tensor) -> Any:
    # Python's float()/int() of a tensor: PyTorch's wording, not item()'s.
    if x.numel() != 1:
        raise GdRuntimeError("only one element tensors can be converted to Python scalars")
    return x.item()


def _float(x: Any = 0.0) -> float:
    """float(x) of a number, string or one-element tensor."""
    return py.float(_scalar(x) if type(x) is Tensor else x)


def _int(x: Any = 0, base: Any = None) -> int:
    """int(x[, base]) of a number, string or one-element tensor."""
    if base is not None:
        return py.int(x, base)
    return py.int(_scalar(x) if type(x) is Tensor else x)


def _len(x: Any) -> int:
    """len(x) of a list, tuple, string, array or tensor (its first dimension)."""
    return py.len(x)


def _range(*args: Any) -> range:
    """range(stop) / range(start, stop[, step]) of integers."""
    # A tensor bound goes through __index__, as in Python: one integer element only.
    return py.range(*(operator.index(a) if type(a) is Tensor else a for a in args))


def _list(x: Any = ()) -> list[Any]:
    """list(iterable); a tensor gives its rows (or elements) as tensors."""
    return py.list(_items(x, "list()"))


def _tuple(x: Any = ()) -> tuple[Any, ...]:
    """tuple(iterable)."""
    return tuple(_list(x))


def _bool(x: Any = False) -> bool:
    """bool(x); a one-element tensor gives its truth value."""
    return operators.truth(x)


def _str(x: Any = "") -> str:
    """str(x) as print shows it."""
    from gradcli.interp.values import to_str

    return to_str(x)


def _repr(x: Any) -> str:
    """repr(x) as Python + PyTorch show it (a string in quotes, array(...) for an array)."""
    from gradcli.interp.values import to_repr

    return to_repr(x)


def _enumerate(x: Any, start: int = 0) -> list[tuple[int, Any]]:
    """enumerate(iterable) as a list of (index, item) pairs."""
    return py.list(py.enumerate(_items(x, "enumerate()"), start))


def _zip(*xs: Any) -> list[tuple[Any, ...]]:
    """zip(a, b, …) as a list of tuples."""
    seqs = [_items(x, "zip()") if type(x) in (Tensor, ArrayValue) else x for x in xs]
    sizes = [n for n in (limits.length_of(x) for x in seqs) if n is not None]
    if sizes:
        limits.check_length(py.min(sizes), "zip()")
    return py.list(py.zip(*seqs, strict=False))


def _sorted(x: Any, *, key: Any = None, reverse: Any = False) -> list[Any]:
    """sorted(iterable, key=None, reverse=False) as in Python (a tensor: its rows)."""
    return py.sorted(_items(x, "sorted()"), key=key, reverse=reverse)


def _reversed(x: Any) -> Any:
    """reversed(sequence) as a list; of a tensor, x.flip(0) as PyTorch's."""
    if type(x) is Tensor:
        # Tensor.__reversed__: the tensor itself when 0-d, else x.flip(0) (a tensor).
        return x if x.ndim == 0 else ops.flip(x, 0)
    return py.list(py.reversed(_items(x, "reversed()")))


def _any(x: Any) -> bool:
    """any(iterable) as in Python: a tensor's rows each need a truth value."""
    return py.any(operators.truth(v) for v in _items(x, "any()"))


def _all(x: Any) -> bool:
    """all(iterable) as in Python: a tensor's rows each need a truth value."""
    return py.all(operators.truth(v) for v in _items(x, "all()"))


def _map(fn: Any, *xs: Any) -> list[Any]:
    """map(function, iterable, …) as a list."""
    if not xs:
        raise GdRuntimeError("map() must have at least two arguments.")
    return py.list(py.map(fn, *(_items(x, "map()") for x in xs)))


def _filter(fn: Any, x: Any) -> list[Any]:
    """filter(function or None, iterable) as a list."""
    items = _items(x, "filter()")
    if fn is None:
        return [v for v in items if operators.truth(v)]
    return [v for v in items if operators.truth(fn(v))]


PYTHON_BUILTINS: dict[str, Callable[..., Any]] = {
    "len": _len, "range": _range, "abs": _abs, "float": _float, "int": _int,
    "min": _minmax("min"), "max": _minmax("max"), "round": _round, "sum": _sum,
    "pow": _pow, "divmod": _divmod, "list": _list, "tuple": _tuple, "bool": _bool,
    "str": _str, "repr": _repr, "enumerate": _enumerate, "zip": _zip, "sorted": _sorted,
    "reversed": _reversed, "any": _any, "all": _all, "map": _map, "filter": _filter,
}


# -- the torch registry ------------------------------------------------------------------

def _from_data(fn: Callable[..., Any]) -> Callable[..., Any]:
    """torch.tensor / torch.as_tensor, also of a numpy array (x.numpy())."""

    def make(data: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(arrays.unwrap_for_tensor(data), *args, **kwargs)

    make.__doc__ = fn.__doc__
    make.__name__ = fn.__name__
    return make


def _as_tensor(data: Any, dtype: Any = None, **kwargs: Any) -> Any:
    """torch.as_tensor(data, dtype): shares a numpy array's memory when no conversion is
    needed (as torch.from_numpy), else copies as torch.tensor does."""
    if type(data) is ArrayValue and dtype is None and not kwargs:
        try:
            return arrays.from_numpy(data)
        except GdRuntimeError:
            pass
    return ops.as_tensor(arrays.unwrap_for_tensor(data), dtype=dtype, **kwargs)


def _interp_functions() -> dict[str, Callable[..., Any]]:
    """torch.X functions that need the interpreter (numpy values, gd generator objects);
    every other torch.X comes from the ops' own table, gradcli.ad.ops.surface."""
    return {
        "tensor": _from_data(ops.tensor), "as_tensor": _as_tensor,
        "from_numpy": arrays.from_numpy, "detach": _detach,
        "manual_seed": _manual_seed, "seed": _manual_seed, "initial_seed": _initial_seed,
        "is_tensor": _is_tensor, "get_default_dtype": _get_default_dtype,
        "no_grad": no_grad, "enable_grad": enable_grad, "set_grad_enabled": _grad_enabled_ctx,
        "is_grad_enabled": is_grad_enabled,
    }


AUTOGRAD = {
    "backward": engine.backward, "grad": engine.grad,
    "no_grad": no_grad, "enable_grad": enable_grad, "set_grad_enabled": _grad_enabled_ctx,
    "is_grad_enabled": is_grad_enabled,
}
AUTOGRAD_FUNCTIONAL = {
    "jacobian": functional.jacobian, "hessian": functional.hessian, "jvp": functional.jvp,
    "vjp": functional.vjp, "hvp": functional.hvp, "vhp": functional.vhp,
}
FORWARD_AD = {
    "dual_level": forward.dual_level, "make_dual": forward.make_dual,
    "unpack_dual": forward.unpack_dual,
}
#: torch.nn.functional.X that are the torch.X function of the same name.
NN_ALIASES = ("relu", "sigmoid", "tanh")


def _math_namespace() -> Namespace:
    members: dict[str, Any] = {
        "pi": pymath.pi, "e": pymath.e, "inf": pymath.inf, "nan": pymath.nan, "tau": pymath.tau,
    }
    for name in ("sqrt", "exp", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin",
                 "acos", "atan", "atan2", "sinh", "cosh", "tanh", "floor", "ceil", "fabs",
                 "isnan", "isinf", "isfinite", "pow", "hypot", "erf", "gamma", "lgamma",
                 "factorial", "comb", "degrees", "radians", "isclose", "trunc", "copysign"):
        members[name] = Builtin(f"math.{name}", _math_fn(getattr(pymath, name)))
    return Namespace("math", members)


def _math_arg(name: str, a: Any) -> Any:
    """What Python's math.X sees of an argument: a tensor through float() (one element
    only), or through __index__ for the integer functions; a tensor has no __trunc__."""
    if type(a) is not Tensor:
        return a
    if name == "trunc":
        raise GdRuntimeError("type Tensor doesn't define __trunc__ method")
    if name in ("factorial", "comb"):
        return operator.index(a)
    return py.float(_scalar(a))


def _math_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        args = tuple(_math_arg(fn.__name__, a) for a in args)
        limits.check_math_call(fn.__name__, args)  # math.factorial(10**8) would hang
        return fn(*args)

    call.__doc__ = fn.__doc__
    return call


def _wrap(prefix: str, table: dict[str, Any]) -> dict[str, Any]:
    return {name: Builtin(f"{prefix}{name}", fn) for name, fn in table.items()}


class TorchBuiltin(Builtin):
    """A torch function: PyTorch's `input=` keyword names its first argument."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs and "input" in kwargs and not _takes_input(self.fn):
            args = (kwargs.pop("input"), *args)
        return self.fn(*args, **kwargs)


def _takes_input(fn: Callable[..., Any]) -> bool:
    try:
        return "input" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _torch_module(module: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The members of a torch module: its ops from the surface table, then `extra`."""
    table = {**ops.members(module), **(extra or {})}
    return {name: TorchBuiltin(f"{module}.{name}", fn) if callable(fn) else fn
            for name, fn in table.items()}


class Registry:
    """All namespaces and the bare-name table, built once per process."""

    def __init__(self) -> None:
        dtypes_ = {
            "float32": DTYPE_VALUES["float32"], "float": DTYPE_VALUES["float32"],
            "float64": DTYPE_VALUES["float64"], "double": DTYPE_VALUES["float64"],
            "int64": DTYPE_VALUES["int64"], "long": DTYPE_VALUES["int64"],
            "int32": DTYPE_VALUES["int32"], "int": DTYPE_VALUES["int32"],
            "bool": DTYPE_VALUES["bool"],
        }
        self.functional = Namespace("torch.autograd.functional",
                                    _wrap("torch.autograd.functional.", AUTOGRAD_FUNCTIONAL))
        self.forward_ad = Namespace("torch.autograd.forward_ad",
                                    _wrap("torch.autograd.forward_ad.", FORWARD_AD))
        self.autograd = Namespace("torch.autograd", {
            **_wrap("torch.autograd.", AUTOGRAD),
            "functional": self.functional, "forward_ad": self.forward_ad,
        })
        self.nn_functional = Namespace("torch.nn.functional", _torch_module(
            "torch.nn.functional", {n: ops.members("torch")[n] for n in NN_ALIASES}))
        self.nn = Namespace("torch.nn", {"functional": self.nn_functional})
        self.linalg = Namespace("torch.linalg", _torch_module("torch.linalg"))
        self.special = Namespace("torch.special", _torch_module("torch.special"))
        self.torch = Namespace("torch", {
            **_torch_module("torch", _interp_functions()), **dtypes_,
            "autograd": self.autograd, "nn": self.nn, "linalg": self.linalg,
            "special": self.special, "pi": pymath.pi, "inf": pymath.inf, "nan": pymath.nan,
            "e": pymath.e, "Size": Builtin("torch.Size", _size,
                                                "torch.Size(sizes): a shape, as x.shape is"),
        })
        self.math = _math_namespace()
        self.modules: dict[str, Namespace] = {
            "torch": self.torch, "torch.autograd": self.autograd,
            "torch.autograd.functional": self.functional,
            "torch.autograd.forward_ad": self.forward_ad,
            "torch.nn": self.nn, "torch.nn.functional": self.nn_functional,
            "torch.linalg": self.linalg, "torch.special": self.special, "math": self.math,
        }
        bare: dict[str, Any] = {}
        for ns in (self.torch, self.autograd, self.functional, self.forward_ad,
                   self.nn_functional, self.linalg):
            for name, v in ns.members.items():
                if not isinstance(v, Namespace):
                    bare.setdefault(name, v)
        for name, fn in PYTHON_BUILTINS.items():
            bare[name] = Builtin(name, fn)
        bare.update(exceptions.CLASSES)  # Exception, RuntimeError, ... for try/except/raise
        bare["torch"] = self.torch
        bare["F"] = self.nn_functional
        self.bare = bare

    def module(self, dotted: str) -> Namespace | None:
        """The namespace for an importable module name, or None."""
        return self.modules.get(dotted)


_REGISTRY: Registry | None = None


def registry() -> Registry:
    """The process-wide registry (built on first use)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry()
    return _REGISTRY


def describe() -> list[tuple[str, str]]:
    """(spelling, one-line doc) of every built-in, for the README and a completeness test."""
    reg = registry()
    rows = []
    for ns in reg.modules.values():
        for name, v in sorted(ns.members.items()):
            if isinstance(v, Builtin):
                rows.append((f"{ns.name}.{name}", v.doc))
    for name, v in sorted(reg.bare.items()):
        if isinstance(v, Builtin) and (name in PYTHON_BUILTINS or name in exceptions.CLASSES):
            rows.append((name, v.doc))
    return rows
