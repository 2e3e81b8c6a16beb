"""Built-ins of gd: bare names and every PyTorch spelling, from one registry.

`torch.X`, `torch.autograd.X`, `torch.autograd.functional.X`, `torch.nn.functional.X`
(`F.X`), `torch.linalg.X` and bare `X` all resolve to the same function.
"""

from __future__ import annotations

import builtins as py
import math as pymath
from collections.abc import Callable
from typing import Any

from gradcli.ad import engine, forward, functional, ops
from gradcli.ad.tensor import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits
from gradcli.interp.values import (
    DTYPE_VALUES,
    Builtin,
    DType,
    GeneratorValue,
    Namespace,
    Size,
    dtype_value,
)


def _sized(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Accept size= as well as positional sizes (torch.randn(size=(2, 3)))."""

    def wrapper(*args: Any, size: Any = None, **kwargs: Any) -> Any:
        if size is not None:
            if args:
                raise GdRuntimeError(f"{fn.__name__}() got sizes both positionally and as size=")
            args = (size,)
        return fn(*args, **kwargs)

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


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


# -- Python's built-ins, polymorphic where PyTorch users expect it ------------------------

def _abs(x: Any) -> Any:
    """abs(x): |x| for numbers and tensors."""
    return ops.abs(x) if type(x) is Tensor else py.abs(x)


def _minmax(name: str) -> Callable[..., Any]:
    pyfn = py.max if name == "max" else py.min
    tfn = ops.max if name == "max" else ops.min

    def fn(*args: Any, **kwargs: Any) -> Any:
        if args and type(args[0]) is Tensor and (len(args) == 1 or kwargs or
                                                 not py.all(type(a) is Tensor and a.numel() == 1
                                                            for a in args)):
            return tfn(*args, **kwargs)
        if len(args) == 1 and type(args[0]) is Tensor:
            return tfn(args[0])
        if len(args) == 1:
            limits.bounded(args[0], f"{name}()")  # max(range(10**12)) would run for hours
        return pyfn(*args, **kwargs)

    fn.__doc__ = f"{name}(iterable) / {name}(a, b, …) as in Python; {name}(tensor) as torch.{name}."
    return fn


def _round(x: Any, ndigits: Any = None) -> Any:
    """round(x[, ndigits]) as in Python; round(tensor) as torch.round."""
    if type(x) is Tensor:
        return ops.round(x, ndigits or 0)
    return py.round(x) if ndigits is None else py.round(x, ndigits)


def _sum(x: Any, *args: Any, **kwargs: Any) -> Any:
    """sum(tensor, dim=…) as torch.sum; sum(list) as Python's sum."""
    if type(x) is Tensor:
        return ops.sum(x, *args, **kwargs)
    if args and isinstance(args[0], (list, tuple, str)):
        # Python's sum(lists, []) copies the growing list at every item: quadratic.
        raise GdRuntimeError("sum() of lists or tuples is not supported in gd",
                             hint="use + or list.extend()")
    return py.sum(limits.bounded(x, "sum()"), *args)


def _scalar(x: Tensor) -> Any:
    # Python's float()/int() of a tensor: PyTorch's wording, not item()'s.
    if x.numel() != 1:
        raise GdRuntimeError("only one element tensors can be converted to Python scalars")
    return x.item()


def _float(x: Any = 0.0) -> float:
    """float(x) of a number, string or one-element tensor."""
    return py.float(_scalar(x) if type(x) is Tensor else x)


def _int(x: Any = 0) -> int:
    """int(x) of a number, string or one-element tensor."""
    return py.int(_scalar(x) if type(x) is Tensor else x)


def _len(x: Any) -> int:
    """len(x) of a list, tuple, string or tensor (its first dimension)."""
    return py.len(x)


def _range(*args: Any) -> range:
    """range(stop) / range(start, stop[, step]) of integers."""
    return py.range(*(int(a.item()) if type(a) is Tensor else a for a in args))


def _list(x: Any = ()) -> list[Any]:
    """list(iterable); a tensor gives its rows (or elements) as tensors."""
    limits.bounded(x, "list()")
    if type(x) is Tensor:
        return [x[i] for i in py.range(py.len(x))]
    return py.list(x)


def _tuple(x: Any = ()) -> tuple[Any, ...]:
    """tuple(iterable)."""
    return tuple(_list(x))


def _bool(x: Any = False) -> bool:
    """bool(x); a one-element tensor gives its truth value."""
    return py.bool(x)


def _str(x: Any = "") -> str:
    """str(x) as print shows it."""
    from gradcli.interp.values import to_str

    return to_str(x)


def _enumerate(x: Any, start: int = 0) -> list[tuple[int, Any]]:
    """enumerate(iterable) as a list of (index, item) pairs."""
    return py.list(py.enumerate(_list(x) if type(x) is Tensor else limits.bounded(x, "enumerate()"),
                                start))


def _zip(*xs: Any) -> list[tuple[Any, ...]]:
    """zip(a, b, …) as a list of tuples."""
    seqs = [_list(x) if type(x) is Tensor else x for x in xs]
    sizes = [n for n in (limits.length_of(x) for x in seqs) if n is not None]
    if sizes:
        limits.check_length(py.min(sizes), "zip()")
    return py.list(py.zip(*seqs, strict=False))


PYTHON_BUILTINS: dict[str, Callable[..., Any]] = {
    "len": _len, "range": _range, "abs": _abs, "float": _float, "int": _int,
    "min": _minmax("min"), "max": _minmax("max"), "round": _round, "sum": _sum,
    "list": _list, "tuple": _tuple, "bool": _bool, "str": _str,
    "enumerate": _enumerate, "zip": _zip,
}


# -- the torch registry ------------------------------------------------------------------

def _torch_functions() -> dict[str, Callable[..., Any]]:
    """Every torch.X function by name."""
    fns: dict[str, Callable[..., Any]] = {}
    for name in (
        "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "log1p", "sqrt", "sin", "cos",
        "tan", "tanh", "sigmoid", "relu", "sign", "floor", "ceil", "reciprocal", "square",
        "clamp", "maximum", "minimum", "where", "matmul", "mm", "mv", "dot", "inner", "outer",
        "mean", "prod", "norm", "amax", "amin", "argmax", "argmin", "logsumexp",
        "reshape", "flatten", "transpose", "t", "permute", "squeeze", "unsqueeze", "cat",
        "concat", "stack", "diag", "softmax", "log_softmax", "clone", "allclose", "isclose",
        "equal", "isnan", "isfinite", "logical_not", "logical_and", "logical_or",
        "tensor", "as_tensor", "arange", "linspace", "full", "eye", "zeros_like", "ones_like",
        "full_like", "rand_like", "randn_like", "broadcast_to", "numel", "remainder",
        "floor_divide",
    ):
        fns[name] = getattr(ops, name)
    fns["abs"] = ops.abs
    fns["round"] = ops.round
    fns["sum"] = ops.sum
    fns["max"] = ops.max
    fns["min"] = ops.min
    fns["clip"] = ops.clamp
    fns["subtract"] = ops.sub
    fns["multiply"] = ops.mul
    fns["divide"] = ops.div
    fns["negative"] = ops.neg
    fns["detach"] = _detach
    fns["zeros"] = _sized(ops.zeros)
    fns["ones"] = _sized(ops.ones)
    fns["empty"] = _sized(ops.empty)
    fns["rand"] = _sized(ops.rand)
    fns["randn"] = _sized(ops.randn)
    fns["normal"] = ops.normal
    fns["randint"] = ops.randint
    fns["manual_seed"] = _manual_seed
    fns["seed"] = _manual_seed
    fns["initial_seed"] = _initial_seed
    fns["Tensor"] = ops.legacy_tensor
    fns["FloatTensor"] = ops.legacy_tensor
    fns["is_tensor"] = _is_tensor
    fns["get_default_dtype"] = _get_default_dtype
    fns["set_default_dtype"] = ops.set_default_dtype
    fns["nonzero"] = ops.nonzero
    fns["no_grad"] = no_grad
    fns["enable_grad"] = enable_grad
    fns["set_grad_enabled"] = _grad_enabled_ctx
    fns["is_grad_enabled"] = is_grad_enabled
    fns["relu_"] = ops.INPLACE["relu_"]
    return fns


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
NN_FUNCTIONAL = {
    "relu": ops.relu, "sigmoid": ops.sigmoid, "tanh": ops.tanh, "softmax": ops.softmax,
    "log_softmax": ops.log_softmax, "mse_loss": ops.mse_loss, "cross_entropy": ops.cross_entropy,
    "nll_loss": ops.nll_loss,
    "binary_cross_entropy_with_logits": ops.binary_cross_entropy_with_logits,
}
LINALG = {"norm": ops.linalg_norm, "vector_norm": ops.norm}


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


def _math_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        args = tuple(a.item() if type(a) is Tensor else a for a in args)
        limits.check_math_call(fn.__name__, args)  # math.factorial(10**8) would hang
        return fn(*args)

    call.__doc__ = fn.__doc__
    return call


def _wrap(prefix: str, table: dict[str, Any]) -> dict[str, Any]:
    return {name: Builtin(f"{prefix}{name}", fn) for name, fn in table.items()}


class Registry:
    """All namespaces and the bare-name table, built once per process."""

    def __init__(self) -> None:
        torch_fns = _wrap("torch.", _torch_functions())
        dtypes_ = {
            "float32": DTYPE_VALUES["float32"], "float": DTYPE_VALUES["float32"],
            "float64": DTYPE_VALUES["float64"], "double": DTYPE_VALUES["float64"],
            "int64": DTYPE_VALUES["int64"], "long": DTYPE_VALUES["int64"],
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
        self.nn_functional = Namespace("torch.nn.functional",
                                       _wrap("torch.nn.functional.", NN_FUNCTIONAL))
        self.nn = Namespace("torch.nn", {"functional": self.nn_functional})
        self.linalg = Namespace("torch.linalg", _wrap("torch.linalg.", LINALG))
        self.torch = Namespace("torch", {
            **torch_fns, **dtypes_, "autograd": self.autograd, "nn": self.nn,
            "linalg": self.linalg, "pi": pymath.pi, "inf": pymath.inf, "nan": pymath.nan,
            "e": pymath.e, "Size": Builtin("torch.Size", _size,
                                                "torch.Size(sizes): a shape, as x.shape is"),
        })
        self.math = _math_namespace()
        self.modules: dict[str, Namespace] = {
            "torch": self.torch, "torch.autograd": self.autograd,
            "torch.autograd.functional": self.functional,
            "torch.autograd.forward_ad": self.forward_ad,
            "torch.nn": self.nn, "torch.nn.functional": self.nn_functional,
            "torch.linalg": self.linalg, "math": self.math,
        }
        bare: dict[str, Any] = {}
        for ns in (self.torch, self.autograd, self.functional, self.forward_ad,
                   self.nn_functional, self.linalg):
            for name, v in ns.members.items():
                if not isinstance(v, Namespace):
                    bare.setdefault(name, v)
        for name, fn in PYTHON_BUILTINS.items():
            bare[name] = Builtin(name, fn)
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
        if isinstance(v, Builtin) and name in PYTHON_BUILTINS:
            rows.append((name, v.doc))
    return rows
