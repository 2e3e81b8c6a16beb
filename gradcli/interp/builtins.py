"""Built-ins of gd: bare names and every PyTorch spelling, from one registry.

`torch.X`, `torch.autograd.X`, `torch.autograd.functional.X`, `torch.nn.functional.X`
(`F.X`), `torch.linalg.X` and bare `X` all resolve to the same function.
"""

from __future__ import annotations

import inspect
import math as pymath
import operator
from collections.abc import Callable
from typing import Any

from gradcli.ad import autograd, forward, func, functional, gradcheck, ops, state
from gradcli.ad.graph import is_inference
from gradcli.ad.ops.default_device import on_default_device
from gradcli.ad.ops.elementwise import UNARY_OPS
from gradcli.ad.registry import RULES, Rule
from gradcli.ad.tensor import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from gradcli.ad.tensor_str import set_printoptions
from gradcli.errors import GdRuntimeError
from gradcli.interp import (
    argcheck,
    arrays,
    autograd_ns,
    boilerplate,
    devices,
    dtype_info,
    exceptions,
    gradient_edge,
    limits,
    nn_copy,
    nn_state,
    outargs,
    pyabc,
    pybuiltins,
    pydataclasses,
    pyfiles,
    pyitertools,
    pymatch,
    pymodules,
    pyreflect,
    pytext,
    pytyping,
    serialization,
    stdlib,
    storage,
    testing_ns,
    torch_settings,
    torch_submodules,
)
from gradcli.interp import custom_function as CF
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.pybuiltins import float_of
from gradcli.interp.values import (
    DTYPE_VALUES,
    STRIDED,
    Builtin,
    DType,
    GeneratorValue,
    Namespace,
    Size,
    TypeValue,
    dtype_value,
)

#: Python's built-in functions, with Python's meaning (bare names only).
PYTHON_BUILTINS: dict[str, Callable[..., Any]] = {
    **pybuiltins.PYTHON_BUILTINS, **pytext.TEXT_BUILTINS, **pyreflect.REFLECT_BUILTINS,
    "open": pyfiles.open_file}


def _manual_seed(seed: int) -> GeneratorValue:
    """Seed the random generator (same numbers as PyTorch's CPU generator)."""
    ops.manual_seed(int(seed))
    return GeneratorValue()


def _seed() -> int:
    """torch.seed(): a seed from the OS, which gd refuses (a run prints the same every time)."""
    raise GdRuntimeError("'torch.seed()' is not supported by gradcli (it seeds from the "
                         "operating system: a gd program prints the same output every run)",
                         hint="seed with torch.manual_seed(n)")


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
    """torch.Size(sizes): each item an int as PyTorch reads it (a bool, a NumPy integer,
    a one-element integer tensor, an object with __index__), else PyTorch's TypeError."""
    from gradcli.ad.ops.creation import as_index
    from gradcli.interp.argcheck import tp_name

    items = limits.bounded(s, "torch.Size()")
    out = []
    for k, e in enumerate(items):
        if type(e) is Tensor:
            i = int(e.item()) if e.array.dtype.kind in "iub" and e.array.size == 1 else None
        else:
            i = as_index(e)
        if i is None:
            raise GdRuntimeError(f"torch.Size() takes an iterable of 'int' (item {k} is "
                                 f"'{tp_name(e)}')", py_type="TypeError")
        out.append(i)
    return Size(out)


def _is_tensor(x: Any) -> bool:
    """Whether x is a tensor."""
    return type(x) is Tensor


def _numel(x: Tensor) -> int:
    """Number of elements."""
    return x.numel()


def _grad_enabled_ctx(mode: bool) -> Any:
    """set_grad_enabled(mode): sets grad mode now; as a context manager, restores it."""
    return set_grad_enabled(bool(mode))


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


def _legacy_tensor(*args: Any, **kwargs: Any) -> Any:
    """torch.Tensor(...), also of a numpy array (its values as float32)."""
    grad = {"requires_grad": kwargs.pop("requires_grad")} if "requires_grad" in kwargs else {}
    args = devices.legacy_args(args, kwargs)
    return ops.legacy_tensor(*map(arrays.unwrap_for_tensor, args), **grad)


def _interp_functions() -> dict[str, Callable[..., Any]]:
    """torch.X functions that need the interpreter (numpy values, gd generator objects);
    every other torch.X comes from the ops' own table, gradcli.ad.ops.surface."""
    return {
        "tensor": on_default_device(_from_data(ops.tensor)),
        "as_tensor": on_default_device(_as_tensor), "Tensor": _legacy_tensor,
        "from_numpy": arrays.from_numpy, "detach": _detach,
        "manual_seed": _manual_seed, "seed": _seed, "initial_seed": _initial_seed,
        "is_tensor": _is_tensor, "is_storage": storage.is_storage,
        "get_default_dtype": _get_default_dtype,
        "no_grad": no_grad, "enable_grad": enable_grad, "set_grad_enabled": _grad_enabled_ctx,
        "is_grad_enabled": is_grad_enabled, "vmap": TORCH_FUNC["vmap"],
        **MODES, **torch_settings.MEMBERS,
    }


def _is_floating_point(input: Tensor) -> bool:
    """Whether the tensor's dtype is a floating point dtype."""
    return input.dtype.kind == "f"


def _is_complex(input: Tensor) -> bool:
    """Whether the tensor's dtype is complex."""
    return input.dtype.kind == "c"


def _is_inference(input: Tensor) -> bool:
    """Whether the tensor was made in inference mode."""
    return is_inference(input)


#: Modes and settings: torch.X.
MODES: dict[str, Callable[..., Any]] = {
    "inference_mode": state.inference_mode,
    "is_inference_mode_enabled": state.is_inference_mode_enabled,
    "is_inference": _is_inference, "is_anomaly_enabled": state.is_anomaly_enabled,
    "is_anomaly_check_nan_enabled": state.is_anomaly_check_nan_enabled,
    "set_printoptions": set_printoptions, "finfo": dtype_info.finfo,
    "iinfo": dtype_info.iinfo, "is_floating_point": _is_floating_point,
    "is_complex": _is_complex, "result_type": dtype_info.result_type,
    "promote_types": dtype_info.promote_types, "can_cast": dtype_info.can_cast,
}


AUTOGRAD = {
    "backward": autograd.backward, "grad": gradient_edge.grad,
    "set_multithreading_enabled": gradient_edge.set_multithreading_enabled,
    "is_multithreading_enabled": gradient_edge.is_multithreading_enabled,
    "no_grad": no_grad, "enable_grad": enable_grad, "set_grad_enabled": _grad_enabled_ctx,
    "is_grad_enabled": is_grad_enabled, "inference_mode": state.inference_mode,
    "detect_anomaly": state.detect_anomaly, "set_detect_anomaly": state.set_detect_anomaly,
    "gradcheck": gradcheck.gradcheck, "gradgradcheck": gradcheck.gradgradcheck,
}
AUTOGRAD_FUNCTIONAL = {
    "jacobian": functional.jacobian, "hessian": functional.hessian, "jvp": functional.jvp,
    "vjp": functional.vjp, "hvp": functional.hvp, "vhp": functional.vhp,
}
FORWARD_AD = {
    "dual_level": forward.program_dual_level, "make_dual": forward.make_dual_view,
    "enter_dual_level": forward.enter_dual_level, "exit_dual_level": forward.exit_dual_level,
    "unpack_dual": forward.unpack_dual,
}


def _transform(name: str, transform: Callable[..., Any]) -> Callable[..., Any]:
    """A torch.func transform whose returned Python functions become gd built-ins."""

    def make(*args: Any, **kwargs: Any) -> Any:
        result = transform(*args, **kwargs)
        if name == "vjp":  # (output, vjp_fn[, aux])
            return (result[0], Builtin("vjp_fn", result[1]), *result[2:])
        fn = getattr(args[0], "name", None) if args else None
        return Builtin(f"{name}({fn or 'function'})", result)

    make.__doc__ = transform.__doc__
    return make


TORCH_FUNC = {
    name: _transform(name, getattr(func, name))
    for name in ("grad", "grad_and_value", "vjp", "jacrev", "jacfwd", "hessian", "vmap")
} | {"jvp": func.jvp}
#: torch.nn.functional.X that are the torch.X function of the same name.
NN_ALIASES: tuple[str, ...] = ()


def _math_namespace() -> Namespace:
    members: dict[str, Any] = {
        "pi": pymath.pi, "e": pymath.e, "inf": pymath.inf, "nan": pymath.nan, "tau": pymath.tau,
    }
    for name in ("sqrt", "exp", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin",
                 "acos", "atan", "atan2", "sinh", "cosh", "tanh", "floor", "ceil", "fabs",
                 "isnan", "isinf", "isfinite", "pow", "hypot", "erf", "gamma", "lgamma",
                 "factorial", "comb", "degrees", "radians", "isclose", "trunc", "copysign",
                 "expm1", "asinh", "acosh", "atanh", "cbrt", "exp2", "erfc", "fmod",
                 "remainder", "modf", "frexp", "ldexp", "gcd", "isqrt", "perm", "dist", "lcm",
                 "nextafter", "ulp"):
        members[name] = Builtin(f"math.{name}", _math_fn(getattr(pymath, name)))
    members.update({name: Builtin(f"math.{name}", fn)
                    for name, fn in pybuiltins.MATH_REDUCTIONS.items()})
    return Namespace("math", members)


def _math_arg(name: str, a: Any) -> Any:
    """What Python's math.X sees of an argument: a tensor through float() (one element
    only), or through __index__ for the integer functions; a tensor has no __trunc__."""
    if type(a) is not Tensor:
        return a
    if name == "trunc":
        raise GdRuntimeError("type Tensor doesn't define __trunc__ method")
    if name in ("factorial", "comb", "perm", "gcd", "isqrt", "lcm"):
        return operator.index(a)
    return float_of(a)


def _math_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_math_arg(fn.__name__, a) for a in args)
        limits.check_math_call(fn.__name__, args)  # math.factorial(10**8) would hang
        if kwargs:  # math.isclose(a, b, rel_tol=...); the others refuse keywords
            return fn(*args, **{k: _math_arg(fn.__name__, v) for k, v in kwargs.items()})
        return fn(*args)

    call.__doc__ = fn.__doc__
    return call


def _wrap(prefix: str, table: dict[str, Any]) -> dict[str, Any]:
    return {name: Builtin(f"{prefix}{name}", fn) for name, fn in table.items()}


class TorchBuiltin(Builtin):
    """A torch function: PyTorch's `input=` keyword names its first argument. `rule`: a
    unary elementwise op's rule (sin, tanh, ...), which the interpreter applies directly
    to a lone tensor argument (what the op and its argument check do for it), else None."""

    __slots__ = ("rule",)

    def __init__(self, name: str, fn: Callable[..., Any], rule: Rule | None = None) -> None:
        super().__init__(name, fn)
        self.rule = rule

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            if "input" in kwargs and not _takes_input(self.fn):
                args = (kwargs.pop("input"), *args)
            if "out" in kwargs and outargs.takes_out(self.name):  # torch.add(x, y, out=r)
                return outargs.call(self.name, self.fn, args, kwargs)
        return self.fn(*args, **kwargs)


TorchBuiltin.__name__ = "builtin_function_or_method"  # as Python's own messages name it


def _takes_input(fn: Callable[..., Any]) -> bool:
    if getattr(fn, "maps_input", False):  # argcheck.checked: it sees input= as written
        return True
    try:
        return "input" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _torch_module(module: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The members of a torch module: its ops from the surface table, then `extra`."""
    table = {**ops.members(module), **(extra or {})}
    return {name: TorchBuiltin(f"{module}.{name}", argcheck.checked(f"{module}.{name}", fn),
                               RULES[UNARY_OPS[fn]] if fn in UNARY_OPS else None)
            if callable(fn) else fn for name, fn in table.items()}


class Registry:
    """All namespaces and the bare-name table, built once per process.

    torch.nn, torch.optim, torch.utils and torch.distributions are families of gd modules
    (torch.nn's alone are twenty) that most programs never name: each family's namespaces
    are built, and its modules imported, the first time the program looks a name up in it
    (`nn.Linear`, `import torch.optim`): a run that does not pays nothing for them."""

    def __init__(self) -> None:
        dtypes_ = {
            "float32": DTYPE_VALUES["float32"], "float": DTYPE_VALUES["float32"],
            "float64": DTYPE_VALUES["float64"], "double": DTYPE_VALUES["float64"],
            "int64": DTYPE_VALUES["int64"], "long": DTYPE_VALUES["int64"],
            "int32": DTYPE_VALUES["int32"], "int": DTYPE_VALUES["int32"],
            "int16": DTYPE_VALUES["int16"], "short": DTYPE_VALUES["int16"],
            "int8": DTYPE_VALUES["int8"], "uint8": DTYPE_VALUES["uint8"],
            "float16": DTYPE_VALUES["float16"], "half": DTYPE_VALUES["float16"],
            "complex64": DTYPE_VALUES["complex64"], "cfloat": DTYPE_VALUES["complex64"],
            "complex128": DTYPE_VALUES["complex128"], "cdouble": DTYPE_VALUES["complex128"],
            "bool": DTYPE_VALUES["bool"],
        }
        self.functional = Namespace("torch.autograd.functional",
                                    _wrap("torch.autograd.functional.", AUTOGRAD_FUNCTIONAL))
        self.forward_ad = Namespace("torch.autograd.forward_ad",
                                    _wrap("torch.autograd.forward_ad.", FORWARD_AD))
        self.autograd = Namespace("torch.autograd", {
            **_wrap("torch.autograd.", AUTOGRAD), **devices.AUTOGRAD_MEMBERS,
            "functional": self.functional, "forward_ad": self.forward_ad,
            "Function": CF.FUNCTION_BASE,
        })
        self.nn_functional = Namespace("torch.nn.functional", _torch_module(
            "torch.nn.functional", {n: ops.members("torch")[n] for n in NN_ALIASES}))
        # The families built on first use (see the class's docstring): name -> namespace.
        self.nn = Namespace("torch.nn", build=self._nn)
        self.optim = Namespace("torch.optim", build=self._optim)
        utils = Namespace("torch.utils", build=self._utils)
        distributions = Namespace("torch.distributions", build=self._distributions)
        self.families = {ns.name: ns for ns in (self.nn, self.optim, utils, distributions)}
        self.func = Namespace("torch.func", _wrap("torch.func.", TORCH_FUNC))
        self.linalg = Namespace("torch.linalg", {**_torch_module("torch.linalg"),
                                                 "LinAlgError": exceptions.LINALG_ERROR})
        self.special = Namespace("torch.special", _torch_module("torch.special"))
        self.fft = Namespace("torch.fft", _torch_module("torch.fft"))
        self.testing = testing_ns.namespace()
        self.torch = Namespace("torch", {
            **_torch_module("torch", _interp_functions()), **dtypes_, **devices.TORCH_MEMBERS,
            "autograd": self.autograd, "nn": self.nn, "linalg": self.linalg,
            "special": self.special, "func": self.func, "optim": self.optim,
            "fft": self.fft, "testing": self.testing,
            "pi": pymath.pi, "inf": pymath.inf, "nan": pymath.nan, "strided": STRIDED,
            "newaxis": None,
            "e": pymath.e, "Size": Builtin("torch.Size", _size,
                                                "torch.Size(sizes): a shape, as x.shape is"),
        })
        self.torch.members.update(_wrap("torch.", serialization.FUNCTIONS))  # in memory
        self.torch.members["utils"] = utils
        self.torch.members["distributions"] = distributions
        self.math = _math_namespace()
        self.modules: dict[str, Namespace] = {
            "torch": self.torch, "torch.autograd": self.autograd,
            "torch.autograd.functional": self.functional,
            "torch.autograd.forward_ad": self.forward_ad,
            "torch.nn.functional": self.nn_functional,
            "torch.linalg": self.linalg, "torch.special": self.special, "math": self.math,
            "torch.fft": self.fft, "torch.testing": self.testing,
            "random": Namespace("random", build=_random_members),
            **pyitertools.namespaces(),
            "dataclasses": pydataclasses.namespace(),
            **devices.MODULES,
            **boilerplate.MODULES,
            "torch.func": self.func,
            "typing": pytyping.TYPING, "__future__": pytyping.FUTURE,
            **self.families,
            **stdlib.namespaces(),
            **pyabc.namespaces(),
            "copy": nn_copy.COPY,
        }
        # collections.OrderedDict is state_dict()'s class (nn_state: printed as PyTorch's).
        self.modules["collections"].members.update(nn_state.COLLECTIONS.members)
        self.modules["collections"].members["abc"] = self.modules["collections.abc"]
        extra = autograd_ns.namespaces(self.func, CF.FUNCTION_BASE)  # function, functorch..
        self.modules.update(extra)
        self.autograd.members["function"] = extra["torch.autograd.function"]
        self.autograd.members["graph"] = extra["torch.autograd.graph"]
        for name, ns in torch_submodules.namespaces(self.autograd).items():
            self.modules[name] = ns
        self.autograd.members["variable"] = self.modules["torch.autograd.variable"]
        extra["torch.autograd.function"].members["FunctionCtx"] = TypeValue(
            "torch.autograd.function.FunctionCtx")
        for module, names in (("grad_mode", ("no_grad", "enable_grad", "set_grad_enabled",
                                             "inference_mode")),
                              ("anomaly_mode", ("detect_anomaly", "set_detect_anomaly"))):
            ns = Namespace(f"torch.autograd.{module}",
                           {n: self.autograd.members[n] for n in names})
            self.autograd.members[module] = self.modules[f"torch.autograd.{module}"] = ns
        bare: dict[str, Any] = {}
        for ns in (self.torch, self.autograd, self.functional, self.forward_ad,
                   self.nn_functional, self.linalg):
            for name, v in ns.members.items():
                if not isinstance(v, (Namespace, exceptions.ExceptionClass)):
                    bare.setdefault(name, v)
        for name, fn in PYTHON_BUILTINS.items():
            bare[name] = Builtin(name, fn)
        bare.update(exceptions.CLASSES)  # Exception, RuntimeError, ... for try/except/raise
        bare["torch"] = self.torch
        # Spelled torch.X only (bare `compile` is Python's, which gd refuses).
        self.torch.members.update(boilerplate.TORCH_MEMBERS)
        self.torch.members.update({name.removeprefix("torch."): t
                                   for name, t in pybuiltins.TORCH_TYPES.items()})
        random_ns = Namespace("torch.random", {
            **{n: self.torch.members[n] for n in torch_settings.RANDOM_NAMES},
            "fork_rng": Builtin("torch.random.fork_rng", torch_settings.fork_rng)})
        self.torch.members["random"] = self.modules["torch.random"] = random_ns
        bare["F"] = self.nn_functional
        bare["__name__"] = "__main__"  # a gd program is always the main script
        bare["NotImplemented"] = NotImplemented  # what a gd class's operator may return
        bare["Ellipsis"] = Ellipsis  # the value of `...`
        # A match statement's tests (names no program can spell: they hold a '$').
        bare.update({name: Builtin(name, fn) for name, fn in pymatch.MATCH_BUILTINS.items()})
        self.bare = bare

    def _nn(self) -> dict[str, Any]:
        """torch.nn's members; its modules (init, utils and theirs, attention) join
        `modules`."""
        # Each nn_* module adds its classes to nn_layers.LAYERS as it is imported (after
        # nn_layers's own, which each imports first): in this order, nn.X are listed in.
        from gradcli.interp import (  # noqa: F401  (the nn_* family modules fill LAYERS)
            nn_activations,
            nn_attention,
            nn_bases,
            nn_containers,
            nn_conv,
            nn_grad,
            nn_init,
            nn_instance,
            nn_layers,
            nn_lazy,
            nn_misc,
            nn_module,
            nn_norm,
            nn_orthogonal,
            nn_packed,
            nn_pad,
            nn_parametrize,
            nn_pool,
            nn_prune,
            nn_prune_custom,
            nn_rnn,
            nn_spatial,
            nn_transformer,
        )

        nn_init_ns = Namespace("torch.nn.init", _wrap("torch.nn.init.", nn_init.INIT))
        nn_utils = Namespace("torch.nn.utils", _wrap("torch.nn.utils.", nn_init.UTILS))
        for sub, table in nn_init.UTILS_MODULES.items():  # rnn, clip_grad, ...
            nn_utils.members[sub] = Namespace(f"torch.nn.utils.{sub}",
                                              _wrap(f"torch.nn.utils.{sub}.", table))
        rnn = nn_utils.members["rnn"].members
        rnn.update(_wrap("torch.nn.utils.rnn.", nn_packed.FUNCTIONS))
        rnn["PackedSequence"] = nn_packed.PACKED_SEQUENCE
        nn_utils.members.update(_wrap("torch.nn.utils.", nn_parametrize.UTILS))
        for sub, table in (("parametrize", {**nn_parametrize.PARAMETRIZE,
                                            **nn_parametrize.PARAMETRIZE_CLASSES}),
                           ("parametrizations", {**nn_parametrize.PARAMETRIZATIONS,
                                                 "orthogonal": nn_orthogonal.orthogonal})):
            nn_utils.members[sub] = Namespace(f"torch.nn.utils.{sub}", {
                name: v if isinstance(v, nn_module.ModuleClass)
                else Builtin(f"torch.nn.utils.{sub}.{name}", v) for name, v in table.items()})
        nn_utils.members["stateless"] = self.modules["torch.nn.utils.stateless"]
        nn_grad_ns = Namespace("torch.nn.grad", _wrap("torch.nn.grad.", nn_grad.FUNCTIONS))
        nn_utils.members["prune"] = Namespace("torch.nn.utils.prune", {
            **_wrap("torch.nn.utils.prune.", nn_prune.FUNCTIONS), **nn_prune.CLASSES,
            "BasePruningMethod": nn_prune_custom.BASE})
        attention = nn_attention.namespace()
        parameter = Namespace("torch.nn.parameter", {"Parameter": nn_module.PARAMETER,
                                                     "Buffer": nn_module.BUFFER})
        layer_bases = nn_bases.install(nn_layers.LAYERS)
        self.modules.update(nn_bases.namespaces(nn_layers.LAYERS, layer_bases))
        self.modules["torch.nn.modules"].members["utils"] = self.modules["torch.nn.modules.utils"]
        self.modules.update({
            "torch.nn.init": nn_init_ns, "torch.nn.utils": nn_utils, "torch.nn.grad": nn_grad_ns,
            "torch.nn.parameter": parameter,
            **{f"torch.nn.utils.{sub}": nn_utils.members[sub]
               for sub in (*nn_init.UTILS_MODULES, "parametrize", "parametrizations", "prune")},
            "torch.nn.attention": attention})
        return {"functional": self.nn_functional, "init": nn_init_ns, "utils": nn_utils,
                "grad": nn_grad_ns,
                "Module": nn_module.MODULE, "Parameter": nn_module.PARAMETER,
                "Buffer": nn_module.BUFFER, "attention": attention, "parameter": parameter,
                "modules": self.modules["torch.nn.modules"], **nn_layers.LAYERS}

    def _optim(self) -> dict[str, Any]:
        """torch.optim's members; torch.optim.lr_scheduler and torch.optim.swa_utils join
        `modules`."""
        from gradcli.interp import (
            lr_base,
            lr_compose,
            lr_scheduler,
            lr_schedules,
            optim,
            swa_utils,
        )
        from gradcli.interp.optim_base import OPTIMIZER

        schedulers = Namespace("torch.optim.lr_scheduler",
                               {**lr_scheduler.SCHEDULERS, **lr_schedules.SCHEDULERS,
                                **lr_compose.SCHEDULERS, "LRScheduler": lr_base.LR_SCHEDULER,
                                "_LRScheduler": lr_base.OLD_LR_SCHEDULER})
        self.modules["torch.optim.lr_scheduler"] = schedulers
        averaging = swa_utils.namespace()
        self.modules["torch.optim.swa_utils"] = averaging
        # torch.optim.optimizer (Optimizer, required: hand-written optimizers import them
        # from there) and each optimizer's own module (torch.optim.sgd.SGD, ...)
        base = Namespace("torch.optim.optimizer", {"Optimizer": OPTIMIZER,
                                                   "required": optim.REQUIRED})
        self.modules["torch.optim.optimizer"] = base
        # (importable only: torch.optim deletes these names from itself, as PyTorch's)
        own = {{"SparseAdam": "sparse_adam", "Adafactor": "_adafactor"}.get(kind, kind.lower()):
               kind for kind in optim.OPTIMIZERS}
        for module, kind in own.items():
            members = {kind: optim.OPTIMIZERS[kind]}
            if kind != "AdamW":
                members["Optimizer"] = OPTIMIZER
            self.modules[f"torch.optim.{module}"] = Namespace(f"torch.optim.{module}", members)
        return {**optim.OPTIMIZERS, "Optimizer": OPTIMIZER, "lr_scheduler": schedulers,
                "swa_utils": averaging}

    def _utils(self) -> dict[str, Any]:
        """torch.utils's members; torch.utils.data (and its modules) and
        torch.utils.checkpoint join `modules`."""
        from gradcli.interp import checkpoint, data

        built = data.namespaces()
        built["torch.utils.checkpoint"] = checkpoint.namespace()
        members = {**built.pop("torch.utils").members,
                   "checkpoint": built["torch.utils.checkpoint"]}
        self.modules.update(built)
        return members

    def _distributions(self) -> dict[str, Any]:
        """torch.distributions's members; its modules (torch.distributions.normal, ...)
        join `modules`."""
        from gradcli.interp import distributions

        built = distributions.namespaces()
        members = built.pop("torch.distributions").members
        self.modules.update(built)
        return members

    def module(self, dotted: str) -> Namespace | None:
        """The namespace for an importable module name, or None (a family's module, or a
        standard-library module of pymodules, is built on its first import)."""
        ns = self.modules.get(dotted)
        if ns is None:
            family = self.families.get(".".join(dotted.split(".")[:2]))  # torch.nn.init
            if family is not None and _built(family):
                ns = self.modules.get(dotted)
        if ns is None and dotted in pymodules.LAZY:
            self.modules.update(pymodules.load(dotted))
            ns = self.modules.get(dotted)
        return ns

    def load_all(self) -> None:
        """Build every family and every standard-library module (describe() lists them)."""
        for family in self.families.values():
            _built(family)
        for name in pymodules.LAZY:
            self.module(name)


def _random_members() -> dict[str, Any]:
    """The `random` module's members (pyrandom loads when a program first uses them)."""
    from gradcli.interp import pyrandom

    return pyrandom.namespace().members


def _built(family: Namespace) -> bool:
    """Build a family if it is not yet (looking its members up does; its modules join the
    registry's `modules` then)."""
    return bool(family.members)


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
    reg.load_all()
    rows = []
    for ns in reg.modules.values():
        parent, _, last = ns.name.rpartition(".")
        home = reg.modules.get(parent)
        if home is not None and home.members.get(last) is not ns:
            continue  # import-only (torch.optim.sgd; torch.autograd.gradcheck, the function)
        for name, v in sorted(ns.members.items()):
            if isinstance(v, Builtin):
                rows.append((f"{ns.name}.{name}", v.doc))
    for name, v in sorted(reg.bare.items()):
        if isinstance(v, Builtin) and (name in PYTHON_BUILTINS or name in exceptions.CLASSES):
            rows.append((name, v.doc))
    return rows
