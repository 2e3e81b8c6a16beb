"""Devices, generators and legacy spellings as PyTorch's CPU-only build has them.

`torch.device`, `torch.cuda`, `torch.backends.mps`, `torch.accelerator`,
`torch.Generator`, `torch.set_default_device`, `torch.autograd.Variable` and the legacy
tensor types (`torch.FloatTensor`, ...), plus the Tensor methods that name devices or
legacy types (`x.to(device)`, `x.cuda()`, `x.type()`). Every value here exposes only the
attributes listed in `ATTRIBUTES` (attributes.py asks `get_attribute`), nothing of the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import dtypes, ops
from gradcli.ad.graph import META_NO_DATA, is_meta, mark_meta
from gradcli.ad.identity import object_repr
from gradcli.ad.kernels.messages import c_type_name
from gradcli.ad.ops import memory_format as MF
from gradcli.ad.ops.devices import check_device, device_kind, parse_device, torch_error
from gradcli.ad.rng import Generator
from gradcli.ad.state import State, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    DType,
    GeneratorValue,
    Namespace,
    Size,
    StrValue,
)

_NO_CUDA = "Torch not compiled with CUDA enabled"
_NO_ACCELERATOR = "Cannot access accelerator device when none is available."


class Device(StrValue):
    """torch.device: prints as device(type='cpu'), str() is 'cpu'."""

    __slots__ = ("device_type", "index", "previous")
    torch_type = "torch.device"  # what type(x) prints
    gd_context = True  # `with torch.device('meta'):` sets the default device

    def __init__(self, device_type: str, index: int | None) -> None:
        self.device_type = device_type
        self.index = index
        self.previous: list[bool] = []

    def __enter__(self) -> Device:
        """The default device for the block (PyTorch's DeviceContext): the factory
        functions make tensors on it when given no device=."""
        new = _default_meta(self)
        self.previous.append(State.default_meta)
        State.default_meta = new
        return self

    def __exit__(self, *exc: object) -> None:
        State.default_meta = self.previous.pop()

    def __repr__(self) -> str:
        extra = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.device_type}'{extra})"

    def __str__(self) -> str:
        return self.device_type + ("" if self.index is None else f":{self.index}")

    def __eq__(self, other: object) -> bool:
        return (type(other) is Device and other.device_type == self.device_type
                and other.index == self.index)

    def __hash__(self) -> int:
        return hash((self.device_type, self.index))


CPU = Device("cpu", None)
META = Device("meta", None)


def device(type: Any = None, index: Any = None) -> Device:
    """torch.device('cpu'), torch.device('cuda', 0), torch.device('cuda:1')."""
    if isinstance(type, Device):
        return type
    if isinstance(type, int) and not isinstance(type, bool):
        raise GdRuntimeError(_NO_ACCELERATOR)
    if not isinstance(type, str):
        raise GdRuntimeError("device() received an invalid combination of arguments")
    kind, idx = parse_device(type)
    if index is not None:
        if idx is not None:
            raise GdRuntimeError(f"type (string) must not include an index because index was "
                                 f"passed explicitly: {type}")
        if isinstance(index, bool) or not isinstance(index, int):
            raise GdRuntimeError("device(): argument 'index' must be int")
        if index < 0:
            raise GdRuntimeError(f"Device index must not be negative, got {index}")
        idx = index
    return Device(kind, idx)


class TorchGenerator(Generator):
    """torch.Generator(): a CPU generator of its own (generator= arguments)."""

    torch_type = "torch._C.Generator"  # what type(x) prints

    def __repr__(self) -> str:
        return object_repr("torch._C.Generator", self)


def _generator(device: Any = "cpu") -> TorchGenerator:
    """torch.Generator(device='cpu'): a new generator seeded with 67280421310721."""
    check_device(device)
    return TorchGenerator()


def _gen_manual_seed(g: TorchGenerator, seed: Any) -> TorchGenerator:
    g.manual_seed(int(seed))
    return g


def _gen_set_state(g: TorchGenerator, new_state: Any) -> TorchGenerator:
    from gradcli.interp.torch_settings import restore_state

    restore_state(g, new_state)
    return g


def _gen_clone_state(g: TorchGenerator) -> TorchGenerator:
    twin = TorchGenerator()
    twin.set_state(g.get_state())
    return twin


class LegacyType(Builtin):
    """torch.FloatTensor & co.: a constructor, and a type for x.type(torch.FloatTensor)."""

    __slots__ = ("dtype",)

    def __init__(self, name: str, dtype: Any) -> None:
        super().__init__(f"torch.{name}", self._make,
                         f"torch.{name}(data or sizes): a {dtypes.name_of(dtype)} tensor")
        self.dtype = dtype

    def _make(self, *args: Any, **kwargs: Any) -> Tensor:
        args = legacy_args(args, kwargs)
        if len(args) == 1 and type(args[0]) is Tensor:
            have = args[0].array.dtype
            if have != self.dtype:
                raise torch_error(f"expected {_options(self.dtype)} (got {_options(have)})",
                                  "TypeError")
            return ops.legacy.tensor_alias(args[0])  # the storage, shared
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            return ops.tensor(list(args[0]), dtype=self.dtype)
        from gradcli.interp.arrays import ArrayValue

        if len(args) == 1 and type(args[0]) is ArrayValue:  # a numpy array's values, cast
            return ops.tensor(args[0].value.astype(self.dtype))
        return ops.zeros(*(args or (0,)), dtype=self.dtype)

    def instance_check(self, x: Any) -> bool:
        """isinstance(x, torch.FloatTensor): a tensor of this dtype (PyTorch's legacy
        types test the dtype)."""
        return type(x) is Tensor and x.array.dtype == self.dtype

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"




LEGACY_TENSOR_DEVICE = ("Legacy tensor constructor of the form torch.Tensor(tensor, "
                        "device=device) is not supported.  Use torch.tensor(...) or "
                        "torch.as_tensor(...) instead.")


def legacy_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The arguments of torch.Tensor(...) / torch.FloatTensor(...) as PyTorch's legacy
    constructor reads them: a device keyword (the CPU only; never with a tensor), sizes
    (ints, a torch.Size, a numpy integer) or one sequence of data; a lone float, bool or
    str is no data (PyTorch's TypeErrors)."""
    from gradcli.interp.arrays import ArrayValue

    given = "device" in kwargs
    device = kwargs.pop("device", None)
    if kwargs:
        raise torch_error(f"new() got an unexpected keyword argument '{next(iter(kwargs))}'",
                          "TypeError")
    kind = "cpu" if device is None else device_kind(device)
    if kind != "cpu":
        raise GdRuntimeError(f"legacy constructor expects device type: cpu but device "
                             f"type: {kind} was passed")
    if args and all(type(n) is int for n in args) and min(args) < 0:
        raise GdRuntimeError(f"Trying to create tensor with negative dimension {min(args)}: "
                             f"[{', '.join(map(str, args))}]")
    if len(args) != 1:
        return args
    a = args[0]
    if type(a) is Tensor and given:
        raise GdRuntimeError(LEGACY_TENSOR_DEVICE)
    if type(a) is Size:  # sizes, not data
        return tuple(a)
    if type(a) is ArrayValue and a.value.ndim == 0 and a.value.dtype.kind in "iu":
        return (int(a.value),)  # a numpy integer is a size
    if type(a) in (float, bool):
        raise torch_error(f"new(): data must be a sequence (got {type(a).__name__})",
                          "TypeError")
    if isinstance(a, str):
        raise torch_error("new(): invalid data type 'str'", "TypeError")
    return args


def _options(dt: Any) -> str:
    return (f"TensorOptions(dtype={c_type_name(dt)}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


_LEGACY_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "int64": "LongTensor",
                 "int32": "IntTensor", "bool": "BoolTensor", "int16": "ShortTensor",
                 "int8": "CharTensor", "uint8": "ByteTensor", "float16": "HalfTensor",
                 "complex64": "ComplexFloatTensor", "complex128": "ComplexDoubleTensor"}
LEGACY_TYPES = {name: LegacyType(name, dtypes.DTYPES[dt]) for dt, name in _LEGACY_NAMES.items()}


def _set_default_tensor_type(t: Any) -> None:
    """torch.set_default_tensor_type(torch.DoubleTensor / 'torch.FloatTensor'), deprecated
    since PyTorch 2.1: the default dtype becomes the type's (a floating one). A CUDA type is
    PyTorch's CPU-build TypeError."""
    warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
         "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
         once=True)
    if isinstance(t, (str, StrValue)):
        name = str(t)
        by_name = {f"torch.{n}": kind for n, kind in LEGACY_TYPES.items()}
        if name.startswith("torch.cuda.") and name[11:] in LEGACY_TYPES:
            raise torch_error(f"type {name} not available. Torch not compiled with CUDA "
                              "enabled.", "TypeError")
        if name not in by_name:
            module = name.rpartition(".")[0] or name
            raise torch_error(f"No module named '{module}'", "ModuleNotFoundError")
        t = by_name[name]
    if not isinstance(t, LegacyType):
        raise torch_error("invalid type object: only floating-point types are supported as "
                          "the default type", "TypeError")
    if t.dtype.kind != "f":
        raise torch_error("only floating-point types are supported as the default type",
                          "TypeError")
    dtypes.set_default_dtype(dtypes.name_of(t.dtype))


def legacy_name(dt: Any) -> str:
    """'torch.FloatTensor' for float32, ..."""
    return f"torch.{_LEGACY_NAMES[dtypes.name_of(dt)]}"


# -- Tensor methods ------------------------------------------------------------------------

def tensor_type(x: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """x.type(): 'torch.FloatTensor'; x.type(torch.float64 / torch.DoubleTensor /
    'torch.DoubleTensor'): x converted (x itself when the type is already x's)."""
    if dtype is None:
        return legacy_name(x.array.dtype)
    if isinstance(dtype, LegacyType):
        dt = dtype.dtype
    elif isinstance(dtype, DType):
        dt = dtype.np
    elif isinstance(dtype, str):
        by_name = {f"torch.{n}": t for n, t in LEGACY_TYPES.items()}
        if dtype not in by_name:
            raise torch_error(f"invalid type: '{dtype}'", "ValueError")
        dt = by_name[dtype].dtype
    else:
        raise torch_error("dtype must be a type, str, or dtype object", "TypeError")
    return x if x.array.dtype == dt else ops.to_dtype(x, dt)


def tensor_to(x: Tensor, *args: Any, dtype: Any = None, device: Any = None,
              non_blocking: bool = False, copy: bool = False, memory_format: Any = None,
              **_: Any) -> Tensor:
    """x.to(device), x.to(dtype), x.to(device, dtype), x.to(other), x.to('cpu'), each
    with memory_format= (a copy in that layout unless x has it)."""
    if memory_format is not None:
        out = tensor_to(x, *args, dtype=dtype, device=device, copy=copy)
        return MF.to_format(x, out, memory_format)
    rest = list(args)
    if rest and type(rest[0]) is Tensor:
        dtype = rest.pop(0).dtype
    elif rest and (isinstance(rest[0], (str, Device)) or
                   (isinstance(rest[0], int) and not isinstance(rest[0], bool))):
        device = rest.pop(0)
    if rest and isinstance(rest[0], DType):
        dtype = rest.pop(0)
    if rest and not all(isinstance(a, bool) for a in rest):
        raise torch_error("to() received an invalid combination of arguments", "TypeError")
    if isinstance(device, int) and not isinstance(device, bool):
        raise GdRuntimeError(_NO_ACCELERATOR)
    target = x.array.dtype if dtype is None else ops.dtypes_resolve(dtype)
    if device is not None and device_kind(device) in ("meta", "cpu") and (
            (device_kind(device) == "meta") != is_meta(x)):
        if is_meta(x):  # meta -> cpu: there is nothing to copy
            raise torch_error(META_NO_DATA, "NotImplementedError")
        return mark_meta(ops.to_dtype(x, target))  # a copy (ToCopyBackward0) on meta
    check_device(device)
    if dtype is None or x.array.dtype == target:
        return ops.to_dtype(x, x.array.dtype) if copy else x
    return ops.to_dtype(x, dtype)


def tensor_cuda(x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """x.cuda(): PyTorch's CPU-build error."""
    raise torch_error(_NO_CUDA, "AssertionError")


def variable(data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:
    """torch.autograd.Variable(t, requires_grad=…): a new leaf sharing t's data (modern
    PyTorch's Variable is a Tensor)."""
    if type(data) is not Tensor:
        raise torch_error("Variable data has to be a tensor, but got "
                          f"{type(data).__name__}", "TypeError")
    if volatile:
        warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
             "instead.")
    t = data.detach()
    return t.requires_grad_(True) if requires_grad else t


# -- namespaces ----------------------------------------------------------------------------

def _cuda_error(*args: Any, **kwargs: Any) -> Any:
    raise torch_error(_NO_CUDA, "AssertionError")


def _ignore(*args: Any, **kwargs: Any) -> None:
    return None


def _default_meta(device: Any) -> bool:
    """Whether `device` as the default device is the meta one (the CPU's the other gd has;
    CUDA is PyTorch's CPU-build error)."""
    if device is None:
        return False
    if device_kind(device) == "meta":
        return True
    check_device(device)
    return False


def _set_default_device(device: Any) -> None:
    """torch.set_default_device(device): 'cpu', 'meta' or None (the CPU) for the rest of the
    run."""
    State.default_meta = _default_meta(device)


def _get_default_device() -> Device:
    """torch.get_default_device()."""
    return META if State.default_meta else CPU


def _ns(name: str, table: dict[str, Callable[..., Any]], docs: dict[str, str]) -> Namespace:
    return Namespace(name, {n: Builtin(f"{name}.{n}", fn, docs.get(n, "")) for n, fn in
                            table.items()})


CUDA = _ns("torch.cuda", {
    "is_available": lambda: False, "device_count": lambda: 0, "is_initialized": lambda: False,
    "current_device": _cuda_error, "get_device_name": _cuda_error,
    "synchronize": _cuda_error, "set_device": _cuda_error, "empty_cache": _ignore,
    "manual_seed": _ignore, "manual_seed_all": _ignore,
}, {"is_available": "False: gradcli runs on the CPU", "device_count": "0 (no CUDA)",
    "manual_seed": "does nothing without CUDA, as in PyTorch",
    "manual_seed_all": "does nothing without CUDA, as in PyTorch",
    "current_device": "PyTorch's CPU-build error", "get_device_name": "PyTorch's CPU-build error",
    "synchronize": "PyTorch's CPU-build error", "set_device": "PyTorch's CPU-build error",
    "is_initialized": "False", "empty_cache": "does nothing without CUDA"})
MPS = _ns("torch.backends.mps", {"is_available": lambda: False, "is_built": lambda: False},
          {"is_available": "False", "is_built": "False"})
BACKENDS_CUDA = _ns("torch.backends.cuda", {"is_built": lambda: False}, {"is_built": "False"})
CUDNN = _ns("torch.backends.cudnn", {"is_available": lambda: False, "version": lambda: None},
            {"is_available": "False", "version": "None"})
#: The cuDNN flags seeding boilerplate sets (no effect: gd is deterministic), with the name
#: PyTorch's setter gives in its error.
_CUDNN_FLAGS = {"deterministic": ("deterministic_cudnn", False),
                "benchmark": ("benchmark_cudnn", False), "enabled": ("enabled_cudnn", True),
                "allow_tf32": ("allow_tf32_cublas", True)}
CUDNN.members.update({name: default for name, (_, default) in _CUDNN_FLAGS.items()})
BACKENDS = Namespace("torch.backends", {"mps": MPS, "cuda": BACKENDS_CUDA, "cudnn": CUDNN})


def reset() -> None:
    """The cuDNN flags as a fresh process has them (a run starts)."""
    CUDNN.members.update({name: default for name, (_, default) in _CUDNN_FLAGS.items()})


def set_attribute(obj: Namespace, name: str, value: Any) -> bool:
    """`torch.backends.cudnn.deterministic = True` and its siblings; False: not settable."""
    if obj is not CUDNN or name not in _CUDNN_FLAGS:
        return False
    if type(value) is not bool:
        raise GdRuntimeError(f"set_{_CUDNN_FLAGS[name][0]} expects a bool, but got "
                             f"{type(value).__name__}")
    obj.members[name] = value
    return True


ACCELERATOR = _ns("torch.accelerator", {
    "is_available": lambda: False, "current_accelerator": lambda check_available=False: None,
    "device_count": lambda: 0,
}, {"is_available": "False: no accelerator", "current_accelerator": "None: no accelerator",
    "device_count": "0"})

#: torch.X members that are interpreter values (builtins.py merges them into torch).
TORCH_MEMBERS: dict[str, Any] = {
    "device": Builtin("torch.device", device),
    "Generator": Builtin("torch.Generator", _generator),
    # the run's default generator (what torch.manual_seed seeds and returns)
    "default_generator": GeneratorValue(),
    "set_default_device": Builtin("torch.set_default_device", _set_default_device),
    "get_default_device": Builtin("torch.get_default_device", _get_default_device,
                                  "device(type='cpu'), or the one set"),
    "cuda": CUDA, "backends": BACKENDS, "accelerator": ACCELERATOR,
    "set_default_tensor_type": Builtin("torch.set_default_tensor_type",
                                       _set_default_tensor_type),
    **LEGACY_TYPES, **MF.FORMATS,
}
AUTOGRAD_MEMBERS: dict[str, Any] = {"Variable": Builtin("torch.autograd.Variable", variable)}
MODULES = {"torch.cuda": CUDA, "torch.backends": BACKENDS, "torch.backends.mps": MPS,
           "torch.backends.cuda": BACKENDS_CUDA, "torch.backends.cudnn": CUDNN,
           "torch.accelerator": ACCELERATOR}


# -- attributes (the sandbox) --------------------------------------------------------------

def _bound(obj: Any, name: str, fn: Callable[..., Any]) -> BoundMethod:
    return BoundMethod(obj, name, fn)


_ATTRIBUTES: dict[type, dict[str, Callable[[Any], Any]]] = {
    Device: {"type": lambda d: d.device_type, "index": lambda d: d.index},
    TorchGenerator: {
        "manual_seed": lambda g: _bound(g, "manual_seed", _gen_manual_seed),
        "initial_seed": lambda g: _bound(g, "initial_seed", lambda g: g.initial_seed()),
        "seed": lambda g: _bound(g, "seed", lambda g: g.seed()),
        "get_state": lambda g: _bound(g, "get_state", lambda g: ops.tensor(g.get_state())),
        "set_state": lambda g: _bound(g, "set_state", _gen_set_state),
        "clone_state": lambda g: _bound(g, "clone_state", _gen_clone_state),
        "device": lambda g: CPU,
    },
}
# torch.default_generator (and what torch.manual_seed returns): the same methods, of
# the run's default generator
def _of_default(get: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: get(ops.generator())


_ATTRIBUTES[GeneratorValue] = {
    name: _of_default(get) for name, get in _ATTRIBUTES[TorchGenerator].items()}
TYPES = tuple(_ATTRIBUTES)


def get_attribute(obj: Any, name: str) -> tuple[bool, Any]:
    """(True, obj.name) if gd lets a program read it, else (False, None)."""
    getter = _ATTRIBUTES.get(type(obj), {}).get(name)
    return (False, None) if getter is None else (True, getter(obj))


# Python's messages name these C types in full ("object of type 'torch.device' has no
# len()"): never the implementation's class names.
Device.__name__ = "torch.device"
TorchGenerator.__name__ = "torch._C.Generator"
