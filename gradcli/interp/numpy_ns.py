"""`import numpy as np`: numpy's computing functions, behind an allow-list.

Real PyTorch code builds inputs with numpy (`np.linspace`, `np.random.rand` after
`np.random.seed(0)`), checks results with it (`np.allclose`) and prints its arrays.
gd runs numpy itself, so values and printing are numpy's own. The sandbox holds as for
`x.numpy()` (arrays.py): only plain values go in (numbers, bools, None, slices, arrays and
lists or tuples of them: no gd function for numpy to call back, no file name), only
bool, integer, float and complex arrays come out, nothing that reads or writes files
(`load`, `save`, `fromfile`), takes a callback (`vectorize`, `apply_along_axis`) or changes
numpy's global state (but its print options, numpy_print.py: per run) is on the list, and
every result is size-checked
like a tensor. `np.random` is a legacy `RandomState` of this run, seeded 0 at the start of
every run (numpy's global one is seeded by the OS: a program that prints random values
seeds it, as `np.random.seed(0)` does here with numpy's own numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.state import check_size
from gradcli.errors import GdRuntimeError
from gradcli.interp import numpy_extra, numpy_index, numpy_info, numpy_poly, numpy_print
from gradcli.interp.arrays import (
    NUMPY_TYPES,
    ArrayValue,
    NumpyDType,
    out_arrays,
    out_result,
    plain,
    type_name_of,
    wrap,
)
from gradcli.interp.values import (
    Builtin,
    GdObject,
    Namespace,
    TypeValue,
    private_name_error,
)
from gradcli.interp.values import at as address_of

#: numpy's scalar types a program names: np.float32(1.5), dtype=np.float32, x.astype(...)
_SCALAR_TYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64",
                 "uint8", "bool_")


class NumpyType(Builtin):
    """A numpy scalar type (np.float32): callable, and accepted wherever numpy takes a
    dtype. Prints as Python prints the class."""

    __slots__ = ("type_",)
    is_class = True

    def __init__(self, name: str) -> None:
        super().__init__(f"numpy.{name}", self._make, f"numpy.{name}(value): a numpy scalar")
        self.type_ = name

    def _make(self, value: Any = 0) -> Any:
        return wrap(getattr(np, self.type_)(_arg(value)))

    def __repr__(self) -> str:
        return f"<class 'numpy.{getattr(np, self.type_).__name__}'>"  # np.bool_ is numpy.bool

    def instance_check(self, x: Any) -> bool:
        """isinstance(x, np.float32): a numpy scalar of this type."""
        return type(x) is ArrayValue and type(x.value) is getattr(np, self.type_)


NUMPY_TYPES[NumpyType] = lambda v: getattr(np, v.type_)


def _arg(v: Any) -> Any:
    """A gd value as numpy takes it: plain values, with numpy's types and dtypes and the
    strings that name a dtype ('float32')."""
    t = type(v)
    if t is NumpyType:
        return getattr(np, v.type_)
    if t is numpy_poly.Poly1d:
        return v.poly  # numpy's own polynomial, to numpy's functions (np.polyval(p, x))
    if t is NumpyDType:
        return np.dtype(v.name)
    if t is str:
        return v  # a dtype name, an order ('C'), a mode: numpy checks it
    if t is list or t is tuple:
        return t(_arg(x) for x in v)
    if t is Builtin and v.name in _PY_TYPES:
        return _PY_TYPES[v.name]  # dtype=float, as numpy reads Python's types
    return plain(v)


_PY_TYPES = {"float": float, "int": int, "bool": bool, "complex": complex}


def _py_type(v: Builtin) -> Any:
    """Python's float, int, bool and complex where numpy takes a dtype (`x.astype(float)`,
    an array method's argument); any other builtin is refused as plain() refuses it."""
    if v.name in _PY_TYPES:
        return _PY_TYPES[v.name]
    raise GdRuntimeError(f"a numpy array cannot take a '{type_name_of(v)}' value")


NUMPY_TYPES[Builtin] = _py_type


def _out(v: Any) -> Any:
    """numpy's result as a gd value: arrays and numpy scalars wrapped (bool, integer and
    float only), Python numbers as they are, tuples and lists (numpy's result tuples such
    as eigh's are plain tuples here) item by item; nothing else leaves numpy."""
    if isinstance(v, (np.ndarray, np.generic, np.dtype)):
        if isinstance(v, np.ndarray):
            check_size(v.size)
        return wrap(v)
    if isinstance(v, np.poly1d):  # np.polyder(p), np.polyadd(p, q) of a poly1d
        check_size(v.coeffs.size)
        return numpy_poly.Poly1d(v, _arg, _out)
    if v is None or type(v) in (int, float, bool, str):
        return v
    if isinstance(v, tuple):
        return tuple(_out(x) for x in v)
    if isinstance(v, list):
        return [_out(x) for x in v]
    raise GdRuntimeError(f"numpy gave a {type(v).__name__} value, which gd does not hold")


def _numel(shape: Any) -> int:
    """The number of elements a shape argument asks for (an int or a sequence of ints)."""
    if isinstance(shape, (list, tuple)):
        return math.prod(int(s) for s in shape if isinstance(s, (int, np.integer)))
    if isinstance(shape, (int, np.integer)):
        return int(shape)
    return 0


def _call(fn: Callable[..., Any], shape_at: int | None = None,
          shape_kw: str | None = None) -> Callable[..., Any]:
    """fn over plain arguments, its result wrapped; a shape argument (position shape_at or
    keyword shape_kw) is checked against the size cap before numpy allocates."""
    def call(*args: Any, **kwargs: Any) -> Any:
        out = kwargs.pop("out", None)
        a = [_arg(x) for x in args]
        kw = {k: _arg(v) for k, v in kwargs.items()}
        if shape_at is not None:
            shape = a[shape_at] if len(a) > shape_at else kw.get(shape_kw or "")
            check_size(_numel(shape))
        if out is None:
            return _out(fn(*a, **kw))
        return out_result(fn(*a, **kw, out=out_arrays(out)), out, _out)

    call.__name__ = getattr(fn, "__name__", "call")
    call.__doc__ = f"numpy.{call.__name__}, numpy's own"
    return call


def _sized(fn: Callable[..., Any], count: Callable[..., int]) -> Callable[..., Any]:
    """fn with the number of elements it will make (count of its plain arguments) checked
    first (arange(10**12) is refused before numpy allocates)."""
    def call(*args: Any, **kwargs: Any) -> Any:
        check_size(count(*[_arg(x) for x in args], **{k: _arg(v) for k, v in kwargs.items()}))
        return fn(*args, **kwargs)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


def _arange_count(*args: Any, **kwargs: Any) -> int:
    nums = [x for x in args if isinstance(x, (int, float, np.number))]
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) >= 2:
        start, stop = nums[0], nums[1]
        step = nums[2] if len(nums) > 2 else kwargs.get("step", 1)
    else:
        return 0
    if not step or not all(math.isfinite(float(v)) for v in (start, stop, step)):
        return 0
    return max(0, math.ceil((float(stop) - float(start)) / float(step)))


def _linspace_count(start: Any = 0, stop: Any = 0, num: Any = 50, *rest: Any,
                    **kwargs: Any) -> int:
    return int(kwargs.get("num", num)) if isinstance(num, (int, np.integer)) else 0


def _zeros_for_empty(shape: Any, dtype: Any = float, order: Any = "C") -> np.ndarray:
    """np.empty: zeros here, so that a run prints the same bytes every time (numpy's are
    whatever the memory held)."""
    return np.zeros(shape, dtype, order)


def _empty_like(a: Any, dtype: Any = None, *args: Any, **kwargs: Any) -> np.ndarray:
    return np.zeros_like(a, dtype, *args, **kwargs)


# Functions that compute from their arguments (no callbacks, no files, no global state).
_FUNCTIONS = (
    # creation
    "array", "asarray", "zeros_like", "ones_like", "full_like", "eye",
    "identity", "diag", "diagflat", "meshgrid", "tri", "tril", "triu", "copy",
    # elementwise
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "square", "abs",
    "absolute", "fabs", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh",
    "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "floor", "ceil", "trunc", "rint",
    "round", "around", "sign", "maximum", "minimum", "fmax", "fmin", "power",
    "float_power", "clip", "add", "subtract", "multiply", "divide", "true_divide",
    "floor_divide", "mod", "remainder", "negative", "positive", "reciprocal", "hypot",
    "isnan", "isinf", "isfinite", "where", "deg2rad", "rad2deg", "degrees", "radians",
    "logaddexp", "heaviside", "nan_to_num", "equal", "not_equal", "greater",
    "greater_equal", "less", "less_equal", "logical_and", "logical_or", "logical_not",
    "logical_xor", "interp",
    # reductions and statistics
    "sum", "mean", "std", "var", "max", "min", "amax", "amin", "argmax", "argmin", "prod",
    "cumsum", "cumprod", "median", "percentile", "quantile", "average", "all", "any",
    "count_nonzero", "ptp", "nansum", "nanmean", "nanmax", "nanmin", "diff", "gradient",
    "histogram", "bincount", "cov", "corrcoef", "convolve", "correlate", "trapezoid",
    # linear algebra and shape
    "dot", "matmul", "vdot", "outer", "inner", "cross", "kron", "tensordot", "einsum",
    "transpose", "trace", "reshape", "ravel", "squeeze", "expand_dims", "concatenate",
    "stack", "vstack", "hstack", "dstack", "column_stack", "split", "array_split",
    "flip", "fliplr", "flipud", "roll", "rot90", "tile", "repeat", "swapaxes", "moveaxis",
    "atleast_1d", "atleast_2d", "broadcast_to", "argsort", "sort", "unique", "nonzero",
    "argwhere", "flatnonzero", "searchsorted", "take", "shape", "ndim", "size",
    # comparison
    "allclose", "isclose", "array_equal", "array_equiv",
    # polynomials, nan-aware statistics, sets and the rest science code checks with
    "polyfit", "polyval", "polyder", "polyint", "roots", "poly", "sinc", "i0", "nanstd",
    "nanvar", "nanmedian", "nanargmax", "nanargmin", "nanprod", "nancumsum", "nancumprod",
    "nanpercentile", "nanquantile", "histogram2d", "histogram_bin_edges", "digitize",
    "append", "insert", "delete", "argpartition", "partition", "lexsort", "isin",
    "setdiff1d", "intersect1d", "union1d", "unravel_index", "ravel_multi_index", "choose",
    "isreal", "iscomplex", "real", "imag", "conj", "conjugate", "angle", "frexp", "ldexp",
    "modf", "gcd", "lcm", "cumulative_sum", "cumulative_prod", "signbit", "copysign", "fix",
    "diagonal", "ediff1d", "take_along_axis", "logaddexp2", "trim_zeros",
    # dtypes
    "dtype", "issubdtype", "result_type", "promote_types", "can_cast",
)


def _random_functions(state: Callable[[], Any]) -> dict[str, Any]:
    """np.random: the legacy functions of this run's RandomState (`state()`: numpy's own
    numbers)."""
    def method(name: str, shape_at: int | None = None, shape_kw: str | None = None
               ) -> Builtin:
        def fn(*args: Any, **kwargs: Any) -> Any:
            return getattr(state(), name)(*args, **kwargs)

        fn.__name__ = name
        call = _call(fn, shape_at, shape_kw)
        return Builtin(f"numpy.random.{name}", call, f"numpy.random.{name}, numpy's own")

    def rand_count(*dims: Any) -> int:
        return _numel(list(dims))

    def sized_method(name: str) -> Builtin:
        b = method(name)
        b.fn = _sized(b.fn, rand_count)
        return b

    def shuffle(x: Any) -> None:
        """np.random.shuffle(x): x's rows in a random order, in place (an array or a list)."""
        if type(x) is ArrayValue and isinstance(x.value, np.ndarray):
            state().shuffle(x.value)
            return
        if type(x) is list:
            order = state().permutation(len(x))
            x[:] = [x[i] for i in order]
            return
        raise GdRuntimeError("np.random.shuffle takes a numpy array or a list")

    members: dict[str, Any] = {
        "seed": Builtin("numpy.random.seed", lambda seed=None: state().seed(_arg(seed)),
                        "numpy.random.seed(seed): restart this run's numpy generator"),
        "rand": sized_method("rand"), "randn": sized_method("randn"),
        "shuffle": Builtin("numpy.random.shuffle", shuffle),
        "default_rng": Builtin("numpy.random.default_rng", _default_rng),
        "RandomState": Builtin("numpy.random.RandomState", _random_state),
    }
    for name, at, kw in (("random", 0, "size"), ("random_sample", 0, "size"),
                         ("ranf", 0, "size"), ("sample", 0, "size"), ("uniform", 2, "size"),
                         ("normal", 2, "size"), ("randint", 2, "size"),
                         ("standard_normal", 0, "size"), ("choice", 1, "size"),
                         ("permutation", None, None), ("binomial", 2, "size"),
                         ("poisson", 1, "size"), ("exponential", 1, "size"),
                         ("beta", 2, "size"), ("gamma", 2, "size"),
                         ("multivariate_normal", 2, "size"), ("laplace", 2, "size"),
                         ("logistic", 2, "size"), ("lognormal", 2, "size")):
        members[name] = method(name, at, kw)
    return members


#: numpy.random.Generator's drawing methods: (name, position of size, its keyword).
_GENERATOR_METHODS = {
    "random": 0, "standard_normal": 0, "standard_exponential": 0, "normal": 2,
    "uniform": 2, "integers": 2, "choice": 1, "permutation": 0, "permuted": None,
    "exponential": 1, "binomial": 2, "poisson": 1, "beta": 2, "gamma": 2,
    "standard_gamma": 1, "lognormal": 2, "laplace": 2, "logistic": 2,
    "multivariate_normal": 2, "dirichlet": 1, "multinomial": 2, "geometric": 1,
    "triangular": 3, "gumbel": 2, "rayleigh": 1, "weibull": 1, "chisquare": 1,
    "standard_t": 1, "standard_cauchy": 0, "negative_binomial": 2, "hypergeometric": 3,
}


class RandomGenerator(GdObject):
    """np.random.default_rng(seed): numpy's own Generator (PCG64), so its numbers are
    numpy's bit for bit; the drawing methods only (no bit_generator, spawn or state)."""

    __slots__ = ("gen",)

    def __init__(self, gen: np.random.Generator) -> None:
        self.gen = gen

    def get_attr(self, name: str) -> Any:
        if name == "shuffle":
            return Builtin("Generator.shuffle", self._shuffle)
        if name not in _GENERATOR_METHODS:
            raise GdRuntimeError(f"'Generator' object has no attribute '{name}'",
                                 py_type="AttributeError")
        at = _GENERATOR_METHODS[name]
        return Builtin(f"Generator.{name}", _call(getattr(self.gen, name), at,
                                                  None if at is None else "size"))

    def _shuffle(self, x: Any, axis: Any = 0) -> None:
        """Generator.shuffle(x, axis=0): x in a random order, in place (an array or a
        list, as numpy swaps them)."""
        if type(x) is ArrayValue and isinstance(x.value, np.ndarray):
            self.gen.shuffle(x.value, axis=_arg(axis))
        elif type(x) is list:
            self.gen.shuffle(x)
        else:
            raise GdRuntimeError("Generator.shuffle takes a numpy array or a list",
                                 py_type="TypeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'Generator' value in gd")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        return "Generator(PCG64)"

    def type_label(self) -> str:
        return "Generator"


def _seed(seed: Any, what: str) -> Any:
    """A generator's seed as numpy takes it (an int or a list of ints; None is 0, where
    numpy would take fresh entropy, so that a run prints the same bytes every time)."""
    seed = _arg(seed)
    if type(seed) is bool or not (seed is None or isinstance(seed, (int, np.integer, list,
                                                                    tuple, np.ndarray))):
        raise GdRuntimeError(f"{what}(seed) takes an int, a list of ints or None in gd",
                             py_type="TypeError")
    return 0 if seed is None else seed


def _default_rng(seed: Any = None) -> RandomGenerator:
    """np.random.default_rng(seed=None): numpy's Generator seeded with seed (an int or a
    list of ints; None seeds it 0, where numpy would take fresh entropy, so that a run
    prints the same bytes every time)."""
    return RandomGenerator(np.random.default_rng(_seed(seed, "default_rng")))


class LegacyRandomState(GdObject):
    """np.random.RandomState(seed): numpy's own legacy generator (MT19937), a program's
    own instance of what np.random's functions draw from (the same methods)."""

    __slots__ = ("members",)

    def __init__(self, rs: Any) -> None:
        self.members = _random_functions(lambda: rs)
        del self.members["default_rng"], self.members["RandomState"]

    def get_attr(self, name: str) -> Any:
        if name not in self.members:
            if name.startswith("_"):
                raise private_name_error(name)
            raise GdRuntimeError(f"'RandomState' object has no attribute '{name}'",
                                 py_type="AttributeError")
        return self.members[name]

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a 'RandomState' value in gd")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    def gd_repr(self) -> str:
        where = address_of(self)  # numpy prints the address's hex digits in upper case
        return f"RandomState(MT19937){where[:6]}{where[6:].upper()}"

    def gd_str(self) -> str:
        return "RandomState(MT19937)"

    def type_label(self) -> str:
        return "RandomState"


def _random_state(seed: Any = None) -> LegacyRandomState:
    """np.random.RandomState(seed=None): numpy's legacy generator seeded with seed (None
    seeds it 0, where numpy would take fresh entropy: a run prints the same bytes every
    time)."""
    return LegacyRandomState(np.random.RandomState(_seed(seed, "RandomState")))


#: This run's np.random state: one RandomState, made when the run first draws (numpy's
#: random module, ~10 ms to import, stays out of start-up) and dropped by reset().
_STATE: list[Any] = [None]


def run_state() -> Any:
    """This run's np.random RandomState (numpy's global generator, as gd has it)."""
    if _STATE[0] is None:
        _STATE[0] = np.random.RandomState(0)
    return _STATE[0]


def reset() -> None:
    """A new run: np.random starts from seed 0 again."""
    _STATE[0] = None


def namespaces() -> dict[str, Namespace]:
    """numpy, numpy.random, numpy.linalg and numpy.fft as gd imports them."""
    from gradcli.interp.numpy_tensors import dispatch

    members: dict[str, Any] = {
        name: Builtin(f"numpy.{name}", dispatch(name, _call(getattr(np, name))))
        for name in _FUNCTIONS if hasattr(np, name)}
    for name, fn, at, kw in (("zeros", np.zeros, 0, "shape"), ("ones", np.ones, 0, "shape"),
                             ("full", np.full, 0, "shape"),
                             ("empty", _zeros_for_empty, 0, "shape")):
        members[name] = Builtin(f"numpy.{name}", _call(fn, at, kw))
    members["empty_like"] = Builtin("numpy.empty_like", _call(_empty_like))
    members["arange"] = Builtin("numpy.arange", _sized(_call(np.arange), _arange_count))
    for name in ("linspace", "logspace", "geomspace"):
        members[name] = Builtin(f"numpy.{name}",
                                _sized(_call(getattr(np, name)), _linspace_count))
    for name in (*_SCALAR_TYPES, "complex64", "complex128", "uint16", "uint32", "uint64",
                 "floating", "integer", "signedinteger", "unsignedinteger", "number",
                 "complexfloating", "inexact", "generic",
                 # numpy 2's C-named aliases of the sized types (np.bool is np.bool_)
                 "bool", "byte", "ubyte", "short", "ushort", "intc", "uintc", "long",
                 "ulong", "longlong", "ulonglong", "intp", "uintp", "half", "uint"):
        members[name] = NumpyType(name)
    members.update({"float_": NumpyType("float64"), "double": NumpyType("float64"),
                    "single": NumpyType("float32"), "int_": NumpyType("int64"),
                    "pi": np.pi, "e": np.e, "inf": np.inf, "nan": np.nan,
                    "newaxis": None, "ndarray": TypeValue("numpy.ndarray")})
    members.update(numpy_info.members(_arg))
    members.update(numpy_index.members())
    members.update(numpy_extra.members(_call, _sized, _arg))
    members["poly1d"] = numpy_poly.constructor(_arg, _out)
    linalg = Namespace("numpy.linalg", {
        name: Builtin(f"numpy.linalg.{name}", _call(getattr(np.linalg, name)))
        for name in ("norm", "inv", "det", "solve", "eig", "eigh", "eigvals", "eigvalsh",
                     "svd", "pinv", "matrix_rank", "qr", "cholesky", "lstsq", "slogdet",
                     "matrix_power", "cond", "multi_dot", "svdvals", "matrix_norm",
                     "vector_norm")})
    fft = Namespace("numpy.fft", {
        name: Builtin(f"numpy.fft.{name}", _call(getattr(np.fft, name)))
        for name in ("fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2",
                     "fftn", "ifftn", "rfftn", "irfftn", "hfft", "ihfft", "fftfreq",
                     "rfftfreq", "fftshift", "ifftshift")})
    random = Namespace("numpy.random", _random_functions(run_state))
    members.update(numpy_print.members())
    members["linalg"] = linalg
    members["random"] = random
    members["fft"] = fft
    numpy = Namespace("numpy", members)
    return {"numpy": numpy, "numpy.random": random, "numpy.linalg": linalg, "numpy.fft": fft,
            "numpy.testing": members["testing"]}
