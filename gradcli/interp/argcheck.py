"""PyTorch's argument checks for torch functions and Tensor methods.

PyTorch checks every argument of a torch function against its schema before it computes
anything (torch/csrc/utils/python_arg_parser.cpp): a list where a Number is expected, a
float where a size is expected or a string where a dtype is expected is a TypeError with
PyTorch's own words, never a silently computed value. This module does the same for the
ops in `signatures.SIGNATURES`, with the same matching rules and the same messages:

- one signature: "NAME(): argument 'P' (position K) must be TYPE, not PYTYPE" (no
  position when passed by keyword), "NAME() missing ...", "NAME() takes ...";
- several: "NAME() received an invalid combination of arguments - got (...), but
  expected one of:" and the overload lines, as torch/csrc/utils/invalid_arguments.cpp
  formats them (without a terminal: "!" marks a mismatch);
- a size: "must be tuple of ints, not float", "failed to unpack the object at pos K with
  error ...".

A checker is built once per spelling (signatures.py's hand-written entries, else
schemas.py's PyTorch strings); a call with tensors alone where a schema takes tensors is
not parsed (the hot path of tensor ops pays one test).
"""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad.kernels.messages import TorchError
from gradcli.ad.ops.creation import torch_error
from gradcli.ad.ops.memory_format import MemoryFormat
from gradcli.ad.record import INT64_MAX as _INT64_MAX
from gradcli.ad.record import INT64_MIN as _INT64_MIN
from gradcli.ad.record import scalar_in_range
from gradcli.ad.rng import Generator
from gradcli.ad.state import warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.devices import Device
from gradcli.interp.schemas import NO_ARGS, SCHEMAS
from gradcli.interp.signatures import (
    FUNCTIONAL_METHODS,
    NUMBERS_AS_TENSORS,
    PY_TENSOR_ARGS,
    SIGNATURES,
    TENSOR_VARARGS,
)
from gradcli.interp.values import (
    DTYPE_VALUES,
    Builtin,
    DType,
    GeneratorValue,
    Size,
    type_name,
)

MISSING: Any = object()

# PyTorch's name of each parameter type in its messages (FunctionParameter::type_name).
_TYPE_NAMES = {
    "Tensor": "Tensor", "Scalar": "Number", "int64_t": "int", "SymInt": "int", "bool": "bool",
    "ScalarType": "torch.dtype",
    "IntArrayRef": "tuple of ints", "SymIntArrayRef": "tuple of ints",
    "Generator": "torch.Generator", "Device": "torch.device", "Layout": "torch.layout",
    "MemoryFormat": "torch.memory_format", "TensorList": "tuple of Tensors",
    "PyObject*": "object", "c10::string_view": "str", "DimnameList": "tuple of names",
    "double": "float", "ScalarList": "tuple of Scalars", "ArrayRef<double>": "tuple of floats",
    "c10::List<::std::optional<Tensor>>": "tuple of Tensors", "Storage": "torch.Storage",
    "DeviceIndex": "int", "std::string_view": "str", "Dimname": "name",
}
_LISTS = frozenset(("IntArrayRef", "SymIntArrayRef"))
_NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"),
                "other": ("x2",)}
_PY_SCALAR_TYPES = frozenset(("float", "int", "bool", "complex"))
_PY_DTYPES = {"float": "float64", "int": "int64", "bool": "bool"}


def _type_error(message: str) -> GdRuntimeError:
    return torch_error(message, "TypeError")


def tp_name(v: Any) -> str:
    """What Python's `Py_TYPE(v)->tp_name` is for the PyTorch value v stands for."""
    t = type(v)
    if t is Tensor:
        return "Tensor"
    if t is DType:
        return "torch.dtype"
    if t is Size:
        return "torch.Size"
    if isinstance(v, (Generator, GeneratorValue)):
        return "torch._C.Generator"
    if isinstance(v, np.generic):
        return f"numpy.{t.__name__}"
    if isinstance(v, Builtin):
        return "type" if _python_type(v) else "builtin_function_or_method"
    return "torch.device" if t is Device else type_name(v)


def _python_type(v: Any) -> bool:
    return type(v) is Builtin and v.name in _PY_SCALAR_TYPES


def _is_number(v: Any) -> bool:  # THPUtils_checkScalar: Python and numpy numbers
    return isinstance(v, (int, float, complex, np.number, np.bool_))


def _is_long(v: Any) -> bool:  # THPUtils_checkLong: an int, not a bool
    return (isinstance(v, int) and type(v) is not bool) or isinstance(v, np.integer)


def _is_index(v: Any) -> bool:  # THPUtils_checkIndex: not a bool; an int or __index__
    if type(v) is bool:
        return False
    if _is_long(v):
        return True
    if type(v) is Tensor:
        return v.array.dtype.kind in "iu" and v.array.size == 1
    return _has_index(v)


def _has_index(v: Any) -> bool:  # PyNumber_Index's test: a program's class with __index__
    find = getattr(type(v), "_dunder", None)
    return find is not None and find(v, "__index__") is not None


def _int_tensor(v: Any) -> bool:  # an integer or bool tensor of one element
    return type(v) is Tensor and v.array.dtype.kind in "iub" and v.array.size == 1


def _fits(p: Param, v: Any, argnum: int, numbers: bool) -> bool:
    """Whether v fits the parameter (FunctionParameter::check); the common cases first."""
    kind = p.kind
    t = type(v)
    if kind == "Tensor":
        return isinstance(v, Tensor) or (numbers and _is_number(v))
    if kind == "double":  # THPUtils_checkDouble: a float or an int (a bool is one)
        if t is float or t is int or t is bool or (_is_number(v) and t is not complex):
            return True
        return t is Tensor and not v.requires_grad and v.array.ndim == 0
    if kind == "Scalar":
        if t is float or t is int or t is bool or _is_number(v):
            return True
        return t is Tensor and not v.requires_grad and v.array.ndim == 0
    if kind == "int64_t":
        if t is int or _is_long(v):
            return True
        return (t is Tensor and v.array.dtype.kind in "iu" and not v.requires_grad
                and v.array.ndim == 0)
    if kind in _LISTS:
        if t is tuple or t is list or t is Size:
            return not v or type(v[0]) is int or _is_index(v[0])
        if kind == "IntArrayRef":  # sum(dim=0): a single int where a size is given
            return p.size > 0 and (_is_long(v) or _int_tensor(v))
        return p.size > 0 and _is_index(v)
    if kind == "SymInt":
        return t is int or _is_index(v)
    if kind == "bool":
        return t is bool or isinstance(v, np.bool_)
    if kind == "ScalarType":
        return t is DType or _python_type(v)
    if kind == "Generator":
        return isinstance(v, (Generator, GeneratorValue))
    if kind == "Device":
        return _is_long(v) or t is str or t is Device
    if kind == "TensorList" or kind == "c10::List<::std::optional<Tensor>>":
        if t is not tuple and t is not list:
            return False
        for i, e in enumerate(v):
            if type(e) is not Tensor:
                raise _type_error(f"expected Tensor as element {i} in argument {argnum}, "
                                  f"but got {tp_name(e)}")
        return True
    if kind == "PyObject*":
        return True
    if kind == "c10::string_view" or kind == "std::string_view":
        return t is str
    if kind == "ScalarList":
        return (t is tuple or t is list) and all(_is_number(e) for e in v)
    if kind == "ArrayRef<double>":
        if t is tuple or t is list:
            return not v or _is_number(v[0])
        return p.size > 0 and _is_number(v)
    if kind == "DeviceIndex":
        return _is_long(v)
    if kind == "MemoryFormat":
        return t is MemoryFormat
    return False  # Layout, Dimname(List), Storage: no gd value is one


class Param:
    """One parameter of a signature: `Type[size]? name=default`."""

    __slots__ = ("allow_none", "default", "keyword_only", "kind", "name", "optional",
                 "size")

    def __init__(self, text: str, keyword_only: bool) -> None:
        type_str, _, rest = text.partition(" ")
        self.allow_none = type_str.endswith("?")
        type_str = type_str.rstrip("?")
        self.size = 0
        if "[" in type_str:
            type_str, _, size = type_str.partition("[")
            self.size = int(size.rstrip("]"))
        self.kind = type_str
        assert type_str in _TYPE_NAMES, text
        self.name, eq, self.default = rest.partition("=")
        self.optional = bool(eq)
        if self.default == "None":
            self.allow_none = True
        self.keyword_only = keyword_only

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES[self.kind]


class Signature:
    """One overload, parsed from PyTorch's signature string."""

    def __init__(self, text: str) -> None:
        text, _, flag = text.partition("|")
        self.hidden = bool(flag)
        self.name, _, body = text[:-1].partition("(")
        self.numbers = self.name in NUMBERS_AS_TENSORS
        self.params: list[Param] = []
        keyword_only = False
        for part in body.split(", ") if body else ():
            if part == "*":
                keyword_only = True
            else:
                self.params.append(Param(part, keyword_only))
        self.max_args = len(self.params)
        self.min_args = sum(not p.optional for p in self.params)
        self.max_pos = sum(not p.keyword_only for p in self.params)
        self.varargs = self.max_pos == 1 and self.params[0].kind in _LISTS
        # Parameters from this one on are all optional.
        self.required = max((i + 1 for i, p in enumerate(self.params) if not p.optional),
                            default=0)
        # PyTorch's deprecated overloads with the scale first (tools/autograd/
        # deprecated.yaml: add_(alpha, other), addcmul(value, t1, t2), addmm(beta, ...)):
        # called as the current overload with every argument by name
        self.deprecated = self.hidden and any(p.kind == "Scalar" and not p.keyword_only
                                              for p in self.params)

    def __str__(self) -> str:  # FunctionSignature::toString
        parts = []
        star = False
        for p in self.params:
            if p.keyword_only and not star:
                parts.append("*")
                star = True
            parts.append(f"{p.type_name} {p.name}" + (f" = {p.default}" if p.optional else ""))
        return "(" + ", ".join(parts) + ")"

    def parse(self, args: tuple[Any, ...], kwargs: dict[str, Any],
              raise_: bool) -> list[tuple[Param, Any, Any]] | None:
        """(parameter, argument, where it came from: its position, -1 for all the
        positional arguments as one size, or its keyword) for each parameter given, or
        None (raise_: PyTorch's TypeError)."""
        nargs = len(args)
        if nargs > self.max_pos and not self.varargs:
            if raise_:
                self._extra_args(nargs)
            return None
        bound: list[tuple[Param, Any, Any]] = []
        numbers = self.numbers
        pos = found = 0
        key: Any
        for i, p in enumerate(self.params):
            if pos < nargs:
                if p.keyword_only:
                    if raise_:
                        self._extra_args(nargs)
                    return None
                obj = args[pos]
                key = pos
                pos += 1
            elif kwargs:
                key = p.name
                obj = kwargs.get(key, MISSING)
                for alias in _NUMPY_NAMES.get(key, ()) if obj is MISSING else ():
                    if obj is MISSING:
                        key = alias  # torch.sum(x, axis=0): NumPy's names
                        obj = kwargs.get(alias, MISSING)
                if obj is MISSING:
                    if p.optional:
                        continue
                    if raise_:
                        self._missing(i)
                    return None
                found += 1
            elif i >= self.required:  # the rest is optional
                break
            else:
                if raise_:
                    self._missing(i)
                return None
            if obj is None and p.allow_none:
                continue
            if _fits(p, obj, i, numbers):
                bound.append((p, obj, key))
            elif self.varargs and key == 0 and _fits(p, args, i, False):
                bound.append((p, args, -1))  # permute(1, 0) is permute((1, 0))
                pos = nargs
            elif raise_:
                self._wrong_type(p, obj, key)
            else:
                return None
        if kwargs and found != len(kwargs):
            if raise_:
                self._extra_kwargs(kwargs, nargs)
            return None
        return bound

    def _wrong_type(self, p: Param, obj: Any, key: Any) -> None:
        if type(key) is str:
            raise _type_error(f"{self.name}(): argument '{p.name}' must be {p.type_name}, "
                              f"not {tp_name(obj)}")
        if p.kind == "SymIntArrayRef" and type(obj) in (tuple, list, Size):
            raise _type_error(
                f"{self.name}(): argument '{p.name}' (position {key + 1}) must be "
                f"{p.type_name}, but found element of type {tp_name(obj[0])} at pos 0")
        raise _type_error(f"{self.name}(): argument '{p.name}' (position {key + 1}) must be "
                          f"{p.type_name}, not {tp_name(obj)}")

    def _extra_args(self, nargs: int) -> None:
        if self.min_args != self.max_pos:
            raise _type_error(f"{self.name}() takes from {self.min_args} to {self.max_pos} "
                              f"positional arguments but {nargs} were given")
        raise _type_error(f"{self.name}() takes {self.max_pos} positional argument"
                          f"{'' if self.max_pos == 1 else 's'} but {nargs} "
                          f"{'was' if nargs == 1 else 'were'} given")

    def _missing(self, idx: int) -> None:
        names = [f'"{p.name}"' for p in self.params[idx:] if not p.optional]
        # PyTorch's plural is the wrong way round ("1 required positional arguments")
        raise _type_error(f"{self.name}() missing {len(names)} required positional "
                          f"argument{'s' if len(names) == 1 else ''}: {', '.join(names)}")

    def _extra_kwargs(self, kwargs: dict[str, Any], nargs: int) -> None:
        names = [p.name for p in self.params]
        for key in kwargs:
            if key not in names:
                raise _type_error(f"{self.name}() got an unexpected keyword argument '{key}'")
            if names.index(key) < nargs:
                raise _type_error(f"{self.name}() got multiple values for argument '{key}'")
        raise _type_error("invalid keyword arguments")

    def convert(self, bound: list[tuple[Param, Any, Any]], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """PyTorch's conversion of the parsed arguments: every element of a size an index
        (else its "failed to unpack" TypeError), sizes of bools and integer tensors as
        ints, Python's float/int/bool as dtypes, NumPy's keywords as PyTorch's. The new
        (args, kwargs) when something changed, else None."""
        new_args: list[Any] | None = None
        new_kwargs: dict[str, Any] | None = None
        for p, v, key in bound:
            nv = v
            kind = p.kind
            if kind in _LISTS:
                t = type(v)
                if t is tuple or t is list or t is Size:
                    for e in v:
                        if type(e) is not int:
                            nv = self._unpack(p, v)
                            break
                elif t is Tensor:
                    nv = int(v.array.item())
                elif _has_index(v):
                    nv = operator.index(v)
                if type(nv) is int:
                    if not _INT64_MIN <= nv <= _INT64_MAX:
                        _int_out_of_range("int64_t", nv)
                elif type(nv) in (tuple, list, Size) and (k := next(
                        (k for k, e in enumerate(nv) if type(e) is int
                         and not _INT64_MIN <= e <= _INT64_MAX), -1)) >= 0:
                    raise _type_error(  # (PyTorch's message goes on with a C++ stack)
                        f"{self.name}(): argument '{p.name}' failed to unpack the object at "
                        f"pos {k + 1} with error \"Overflow when unpacking long long")
            elif kind == "SymInt" and type(v) is not int and _has_index(v):
                nv = operator.index(v)
            elif kind == "ScalarType" and type(v) is Builtin and v.name in _PY_DTYPES:
                nv = DTYPE_VALUES[_PY_DTYPES[v.name]]
            if kind in _NUMBER_KINDS:
                nv = _python_number(nv)  # np.int64(3) where an int goes: 3
                if type(nv) is int and not _INT64_MIN <= nv <= _INT64_MAX:
                    _int_out_of_range(kind, nv)
            if key == -1:  # permute(1, 0): the function gets the one size, (1, 0), as
                new_args = [tuple(nv)]  # PyTorch's does (not squeeze(x, 1, dims_variant=0))
                continue
            if nv is v and (type(key) is int or key == p.name):
                continue
            elif type(key) is int:
                new_args = list(args) if new_args is None else new_args
                new_args[key] = nv
            else:
                new_kwargs = dict(kwargs) if new_kwargs is None else new_kwargs
                del new_kwargs[key]
                new_kwargs[p.name] = nv
        if new_args is None and new_kwargs is None:
            return None
        return (args if new_args is None else tuple(new_args),
                kwargs if new_kwargs is None else new_kwargs)

    def _unpack(self, p: Param, v: Any) -> Any:
        """A size with something else than ints: each element after the first must be an
        index (PyTorch's "failed to unpack" TypeError); all of them as ints."""
        for k, e in enumerate(v):
            if k and not (type(e) is bool or _is_index(e) or _int_tensor(e)):
                raise _type_error(
                    f"{self.name}(): argument '{p.name}' failed to unpack the object at pos "
                    f"{k + 1} with error \"type must be tuple of ints,but got {tp_name(e)}\"")
        ints = [int(e.array.item()) if type(e) is Tensor else operator.index(e)
                if _has_index(e) else int(e) for e in v]
        return ints if type(v) is list else tuple(ints)


#: The parameter kinds whose numpy scalars PyTorch converts to Python numbers (a Tensor
#: parameter's too: a wrapped number, as torch.add(t, 2.0) takes it).
_NUMBER_KINDS = frozenset(("Tensor", "int64_t", "SymInt", "double", "Scalar", "bool", "DeviceIndex",
                           "ArrayRef<double>", "ScalarList", "IntArrayRef", "SymIntArrayRef",
                           "Device"))


def _has_numpy(v: Any) -> bool:
    """Whether v is a numpy value or a list or tuple holding one."""
    t = type(v)
    return t is ArrayValue or ((t is list or t is tuple)
                               and any(type(e) is ArrayValue for e in v))


def _numpy_scalar(v: Any) -> Any:
    """A numpy scalar's own value (in a list or tuple too): what PyTorch's parser checks."""
    if type(v) is ArrayValue and isinstance(v.value, np.generic):
        return v.value
    if type(v) in (list, tuple) and any(type(e) is ArrayValue for e in v):
        return type(v)(_numpy_scalar(e) for e in v)
    return v


def _int_out_of_range(kind: str, v: int) -> None:
    """PyTorch's argument parser on a Python int beyond int64: an int64 parameter refuses
    it (ValueError), a Scalar or a wrapped number takes uint64's range too (OverflowError
    past it)."""
    if kind in ("int64_t", "SymInt"):
        raise torch_error("Overflow when unpacking long long", "ValueError")
    if kind in ("Scalar", "Tensor"):
        try:
            scalar_in_range(v, None)
        except TorchError as e:
            raise torch_error(str(e), e.py_type) from None


def _python_number(v: Any) -> Any:
    """A numpy scalar as the Python number PyTorch converts it to (an int, a float...)."""
    if isinstance(v, np.generic):
        return v.item()
    if type(v) in (list, tuple, Size) and any(isinstance(e, np.generic) for e in v):
        return type(v)(_python_number(e) for e in v)
    return v


def _numpy_value(v: Any) -> Any:
    """A numpy scalar no number parameter took: the program's numpy value again."""
    if isinstance(v, np.generic):
        return ArrayValue(v)
    if type(v) in (list, tuple) and any(isinstance(e, np.generic) for e in v):
        return type(v)(_numpy_value(e) for e in v)
    return v


class Parser:
    """All overloads of one spelling (PythonArgParser)."""

    __slots__ = ("name", "signatures", "tensor_counts")

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.signatures = [Signature(t) for t in texts]
        self.name = self.signatures[0].name
        # The numbers of positional arguments that tensors alone fill: such a call
        # needs no check (the hot path of tensor ops).
        counts = set()
        for sig in self.signatures:
            for n in range(sig.required, sig.max_pos + 1):
                if all(p.kind == "Tensor" for p in sig.params[:n]):
                    counts.add(n)
        self.tensor_counts = frozenset(counts)

    def check(self, args: tuple[Any, ...],
              kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """Raise PyTorch's TypeError when no overload takes these arguments; the converted
        (args, kwargs) when PyTorch's conversion changes them, else None. A numpy scalar
        (np.int64(3), np.float32(0.5)) is checked as numpy's number, as PyTorch's parser
        sees it (an index, a Scalar), then passed on as the Python number it converts to."""
        if any(map(_has_numpy, args)) or any(map(_has_numpy, kwargs.values())):
            numpy_args = tuple(_numpy_scalar(a) for a in args)
            numpy_kwargs = {k: _numpy_scalar(v) for k, v in kwargs.items()}
            converted = self._check(numpy_args, numpy_kwargs)
            args, kwargs = converted if converted is not None else (numpy_args, numpy_kwargs)
            # what a number parameter took is a Python number now (convert); the rest
            # (torch.tensor's data, a Tensor argument) stays the numpy value it was
            return (tuple(_numpy_value(a) for a in args),
                    {k: _numpy_value(v) for k, v in kwargs.items()})
        return self._check(args, kwargs)

    def _check(self, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        sigs = self.signatures
        if len(sigs) == 1:
            bound = sigs[0].parse(args, kwargs, True)
            assert bound is not None
            return sigs[0].convert(bound, args, kwargs)
        for sig in sigs:
            bound = sig.parse(args, kwargs, False)
            if bound is not None:
                if sig.deprecated:
                    return _by_name(sig, bound, sigs)
                return sig.convert(bound, args, kwargs)
        n = len(args) + len(kwargs)
        plausible = [s for s in sigs if s.min_args <= n <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(args, kwargs, True)
        raise _type_error(_invalid_args(self.name, args, kwargs,
                                        [str(s) for s in sigs if not s.hidden]))


def _by_name(sig: Signature, bound: list[tuple[Param, Any, Any]],
             sigs: list[Signature]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A deprecated overload's arguments as keywords of the current one (their names are
    the same), with PyTorch's warning (python_arg_parser.cpp, once per command)."""
    current = "\n".join(f"\t{s.name}{s}" for s in sigs if not s.hidden)
    warn(f"This overload of {sig.name} is deprecated:\n\t{sig.name}{sig}\n"
         f"Consider using one of the following signatures instead:\n{current}", once=True)
    return (), {p.name: _python_number(v) if p.kind in _NUMBER_KINDS else v
                for p, v, _ in bound}


# -- torch/csrc/utils/invalid_arguments.cpp ------------------------------------------------

def _matcher(type_text: str) -> Callable[[Any], bool]:
    if type_text == "float":
        return lambda v: tp_name(v) in ("float", "int", "long")
    if type_text == "int":
        return lambda v: tp_name(v) in ("int", "long")
    return lambda v: tp_name(v) == type_text


def _option(text: str) -> list[tuple[str, Callable[[Any], bool]]]:
    """The (name, matcher) PyTorch's error formatter reads from an overload line; it
    splits `T name = default` at the last space, so a defaulted parameter is named
    'None', 'False', ..., and '*' counts as a parameter."""
    out = []
    for arg in text[1:-1].split(", "):
        cut = arg.rfind(" ")
        out.append((arg[cut + 1:], _matcher(arg[:cut] if cut >= 0 else arg)))
    return out


def _desc(v: Any) -> str:
    if type(v) in (tuple, list, Size):
        inner = ", ".join(tp_name(e) for e in v)
        if type(v) is list:
            return f"list of [{inner}]"
        return f"{tp_name(v)} of ({inner}{',' if len(v) == 1 else ''})"
    return tp_name(v)


def _formatted(option: list[tuple[str, Callable[[Any], bool]]], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> str:
    parts = []
    for i in range(len(args) + len(kwargs)):
        is_kw = i >= len(args)
        name = option[i][0] if i < len(option) else ""
        v = kwargs.get(name) if is_kw else args[i]
        ok = i < len(option) and option[i][1](v)
        text = (f"{name}=" if is_kw else "") + _desc(v)
        parts.append(text if ok else f"!{text}!")
    return "(" + ", ".join(parts) + (")" if args else ", )")


def _got(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [tp_name(a) for a in args] + [f"{k}={tp_name(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + (")" if args or not kwargs else ", )")


def _unmatched(option: list[tuple[str, Callable[[Any], bool]]],
               kwargs: dict[str, Any]) -> list[str]:
    start = max(len(option) - len(kwargs), 0)
    names = [n for n, _ in option[start:]]
    return [k for k in kwargs if k not in names]


def _invalid_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                  options: list[str]) -> str:
    msg = f"{name}() received an invalid combination of arguments - "
    n = len(args) + len(kwargs)
    if len(options) == 1:
        option = _option(options[0])
        unmatched = _unmatched(option, kwargs)
        if unmatched:
            return msg + "got unrecognized keyword arguments: " + ", ".join(unmatched)
        got = _formatted(option, args, kwargs) if n == len(option) else _got(args, kwargs)
        return msg + f"got {got}, but expected {options[0]}"
    msg += f"got {_got(args, kwargs)}, but expected one of:\n"
    for text in options:
        option = _option(text)
        msg += f" * {text}\n"
        if n == len(option):
            unmatched = _unmatched(option, kwargs)
            if unmatched:
                msg += ("      didn't match because some of the keywords were incorrect: "
                        + ", ".join(unmatched) + "\n")
            else:
                msg += ("      didn't match because some of the arguments have invalid "
                        f"types: {_formatted(option, args, kwargs)}\n")
    return msg


# -- wrapping ------------------------------------------------------------------------------

def checked(spelling: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """fn, checking its arguments as PyTorch does first when the spelling has a schema
    (a Tensor method's first argument is the tensor itself, not part of the schema)."""
    if spelling in FUNCTIONAL_METHODS:
        target = FUNCTIONAL_METHODS[spelling]
        return _functional(fn, Parser(SIGNATURES[target]).check, target[7:])
    is_method = spelling.startswith("Tensor.")
    if is_method and spelling[7:] in NO_ARGS:
        return _named(_no_args(spelling[7:], fn), fn, spelling)
    if spelling in TENSOR_VARARGS:
        return _named(_tensor_varargs(spelling, TENSOR_VARARGS[spelling], fn), fn, spelling)
    if spelling in PY_TENSOR_ARGS:
        return _named(_python_function(PY_TENSOR_ARGS[spelling], fn), fn, spelling)
    texts = SIGNATURES.get(spelling) or SCHEMAS.get(spelling)
    if texts is None:
        return fn
    # The parser is built on the first call: a process builds only those of the spellings
    # its program calls (building all ~1,200 up front was a sixth of a cold start).
    parser: Parser | None = None
    if is_method:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal parser
            if parser is None:
                parser = Parser(texts)
            # Tensors only, in a count a signature takes as they are: no check to run (the
            # common calls, x.sum(), x.pow(y), tested without a generator when short).
            n = len(args)
            if (kwargs or n not in parser.tensor_counts
                    or (n == 1 and type(args[0]) is not Tensor)
                    or (n > 1 and not all(type(a) is Tensor for a in args))):
                converted = parser.check(args, kwargs)
                if converted is not None:
                    args, kwargs = converted
                return fn(self, *args, **kwargs)
            return fn(self, *args)

        return _named(method, fn, spelling)

    def function(*args: Any, **kwargs: Any) -> Any:
        nonlocal parser
        if parser is None:
            parser = Parser(texts)
        n = len(args)  # (as `method` above)
        if (kwargs or n not in parser.tensor_counts or (n == 1 and type(args[0]) is not Tensor)
                or (n > 1 and not all(type(a) is Tensor for a in args))):
            converted = parser.check(args, kwargs)
            if converted is not None:
                args, kwargs = converted
            if "input" in kwargs and not _takes_input(fn):  # PyTorch's name of the first one
                kwargs = dict(kwargs)
                args = (kwargs.pop("input"), *args)
            return fn(*args, **kwargs)
        return fn(*args)

    function.maps_input = True  # type: ignore[attr-defined]
    return _named(function, fn, spelling)


@functools.cache
def _takes_input(fn: Callable[..., Any]) -> bool:
    """Whether fn has a parameter named `input` (looked up when a call passes input=)."""
    return "input" in inspect.signature(fn).parameters


def _named(call: Callable[..., Any], fn: Callable[..., Any], spelling: str) -> Callable[..., Any]:
    call.__doc__ = fn.__doc__
    call.__name__ = getattr(fn, "__name__", spelling)
    call.unchecked = fn  # type: ignore[attr-defined]  (the function it checks arguments for)
    return call


def _python_function(checks: tuple[tuple[int, str], ...],
                     fn: Callable[..., Any]) -> Callable[..., Any]:
    """A torch function PyTorch writes in Python: a non-tensor where it takes a tensor
    fails as its code does (signatures.PY_TENSOR_ARGS)."""

    def function(*args: Any, **kwargs: Any) -> Any:
        names, required = _parameters(fn)
        if any(i >= len(args) and names[i] not in kwargs for i in required):
            return fn(*args, **kwargs)  # Python's own "missing ... argument" first
        for index, how in checks:
            if index < len(args):
                v = args[index]
            else:
                v = kwargs.get(names[index] if index < len(names) else "", MISSING)
                if v is MISSING and index == 0:
                    v = kwargs.get("input", MISSING)
            if v is MISSING or v is None or isinstance(v, Tensor):
                continue
            if how[0] == ".":
                raise torch_error(f"'{tp_name(v)}' object has no attribute '{how[1:]}'",
                                  "AttributeError")
            op, name, pos = how.split(":")
            raise _type_error(f"{op}(): argument '{name}' (position {pos}) must be Tensor, "
                              f"not {tp_name(v)}")
        return fn(*args, **kwargs)

    return function


@functools.cache
def _parameters(fn: Callable[..., Any]) -> tuple[list[str], list[int]]:
    """fn's parameter names, and the positions of those a call must give (looked up on
    the first call: a cold start looks up only those its program calls)."""
    params = inspect.signature(fn).parameters
    return list(params), [i for i, p in enumerate(params.values())
                          if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]


def _tensor_varargs(spelling: str, unpack: bool,
                    fn: Callable[..., Any]) -> Callable[..., Any]:
    """torch.meshgrid(*tensors) and its kin: every element a tensor, as PyTorch's
    TensorList parameter checks them; atleast_Nd(x) with one non-tensor is PyTorch's
    two-overload message."""
    name = spelling.rpartition(".")[2]
    one = (Parser((f"{name}(Tensor input)", f"{name}(TensorList tensors)")).check
           if name.startswith("atleast") else None)

    def function(*args: Any, **kwargs: Any) -> Any:
        items: Any = args
        if unpack and len(args) == 1 and type(args[0]) in (list, tuple):
            items = args[0]
        elif one is not None and len(args) == 1 and not isinstance(args[0], Tensor):
            one(args, {})
        for i, e in enumerate(items):
            if not isinstance(e, Tensor):
                raise _type_error(f"expected Tensor as element {i} in argument 0, but got "
                                  f"{tp_name(e)}")
        return fn(*args, **kwargs)

    return function


def _no_args(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A method PyTorch binds with METH_NOARGS (`x.exp()`): Python's own TypeError."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise _type_error(f"TensorBase.{name}() takes no keyword arguments")
        if args:
            raise _type_error(f"TensorBase.{name}() takes no arguments ({len(args)} given)")
        return fn(self)

    return method


def _functional(fn: Callable[..., Any], check: Callable[..., Any],
                method: str) -> Callable[..., Any]:
    """F.softmax(input, dim=None, _stacklevel=3, dtype=None): PyTorch's Python function
    calls input.softmax(dim) or input.softmax(dim, dtype=dtype)."""

    def functional(*args: Any, **kwargs: Any) -> Any:
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        x = args[0] if args else kwargs.get("input")
        if x is not None and not isinstance(x, Tensor):  # input.dim() or input.softmax(dim)
            attr = "dim" if dim is None else method
            raise torch_error(f"'{tp_name(x)}' object has no attribute '{attr}'",
                              "AttributeError")
        dtype = args[3] if len(args) > 3 else kwargs.get("dtype")
        if dim is not None:
            check((dim,), {} if dtype is None else {"dtype": dtype})
        return fn(*args, **kwargs)

    functional.__doc__ = fn.__doc__
    functional.__name__ = getattr(fn, "__name__", "functional")
    return functional
