"""torch.nn.utils.parametrize, parametrizations.weight_norm / spectral_norm and the older
hook-based nn.utils.weight_norm / spectral_norm, as torch/nn/utils computes them.

register_parametrization moves the tensor into `module.parametrizations[name]` (a
ParametrizationList holding `original`, or `original0`, `original1`, ... when the
parametrization's right_inverse returns several tensors) and gives the module a class of
its own, `Parametrized<Class>`, whose property of that name computes the parametrization
on each access, as PyTorch's _inject_new_class and _inject_property do. So parameter
names, state-dict keys and the printed module are PyTorch's. The older functions keep
`weight_g`/`weight_v` (`weight_orig`, `weight_u`, `weight_v`) on the module and recompute
the weight in a forward pre-hook, as PyTorch's WeightNorm and SpectralNorm hooks do.
"""

from __future__ import annotations

from typing import Any, ClassVar

from gradcli.ad import ops
from gradcli.ad.graph import is_parameter
from gradcli.ad.identity import object_repr
from gradcli.ad.state import grad_mode, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.classes import _MISSING, Property
from gradcli.interp.nn_layers import LAYERS, MODULE_LIST, _get, _modulelist_init
from gradcli.interp.nn_module import MODULE, ModuleClass, ModuleInstance, _init, make_parameter
from gradcli.interp.values import Size, to_repr

T = ops.members("Tensor")
F = ops.members("torch.nn.functional")
TORCH = ops.members("torch")
_PATH = "torch.nn.utils."


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def _class(name: str, path: str, methods: dict[str, Any],
           base: ModuleClass = MODULE) -> ModuleClass:
    for key, fn in methods.items():
        fn.__qualname__ = f"{name}.{key}"
    return ModuleClass(name, f"{_PATH}{path}.{name}", base, methods)


# -- the weight-norm arithmetic (ATen's norm_except_dim and _weight_norm) -------------------

def norm_except_dim(v: Tensor, pow: Any = 2, dim: int = 0) -> Tensor:
    """The pow-norm of v over every dim but `dim` (all of them when dim is -1), shaped to
    broadcast against v."""
    if dim == -1:
        return T["norm"](v, pow)
    ndim = v.ndim
    if dim == 0:
        out = T["norm"](T["reshape"](v, (v.shape[0], -1)), pow, 1)
        return T["view"](out, (v.shape[0],) + (1,) * (ndim - 1))
    if dim == ndim - 1:
        out = T["norm"](T["reshape"](v, (-1, v.shape[-1])), pow, 0)
        return T["view"](out, (1,) * (ndim - 1) + (v.shape[-1],))
    return T["transpose"](norm_except_dim(T["transpose"](v, 0, dim), pow, 0), 0, dim)


def weight_norm_of(v: Tensor, g: Tensor, dim: int = 0) -> Tensor:
    """torch._weight_norm(v, g, dim): v * (g / norm_except_dim(v)), one fused node
    (WeightNormInterfaceBackward0) for the first or last dim, as ATen's CPU kernel."""
    w = T["mul"](v, T["div"](g, norm_except_dim(v, 2, dim)))
    if (dim == 0 or dim == v.ndim - 1) and w.grad_fn is not None:
        w.grad_fn.name = "WeightNormInterfaceBackward0"
    return w


# -- the parametrizations PyTorch ships --------------------------------------------------------

def _wn_init(self: ModuleInstance, dim: Any = 0) -> None:
    _init(self)
    self.attrs["dim"] = -1 if dim is None else dim


WEIGHT_NORM = _class("_WeightNorm", "parametrizations", {
    "__init__": _wn_init,
    "forward": lambda self, weight_g, weight_v: weight_norm_of(weight_v, weight_g,
                                                               _get(self, "dim")),
    "right_inverse": lambda self, weight: (norm_except_dim(weight, 2, _get(self, "dim")),
                                           weight)})


def _sn_matrix(self: ModuleInstance, weight: Tensor) -> Tensor:
    dim = _get(self, "dim")
    if dim != 0:
        weight = T["permute"](weight, (dim, *[d for d in range(weight.ndim) if d != dim]))
    return T["flatten"](weight, 1)


def _normalize_into(buf: Tensor, x: Tensor, eps: float) -> None:
    T["copy_"](buf, F["normalize"](x, dim=0, eps=eps))


def _sn_power(self: ModuleInstance, weight_mat: Tensor, iterations: int) -> None:
    eps = _get(self, "eps")
    with grad_mode(False):
        for _ in range(iterations):
            _normalize_into(_get(self, "_u"), TORCH["mv"](weight_mat, _get(self, "_v")), eps)
            _normalize_into(_get(self, "_v"), TORCH["mv"](T["t"](weight_mat), _get(self, "_u")),
                            eps)


def _sn_init(self: ModuleInstance, weight: Tensor, n_power_iterations: int = 1, dim: int = 0,
             eps: float = 1e-12) -> None:
    _init(self)
    ndim = weight.ndim
    if dim >= ndim or dim < -ndim:
        raise GdRuntimeError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})", py_type="IndexError")
    if n_power_iterations <= 0:
        raise _value_error("Expected n_power_iterations to be positive, but got "
                           f"n_power_iterations={n_power_iterations}")
    self.attrs["dim"] = dim if dim >= 0 else dim + ndim
    self.attrs["eps"] = eps
    if ndim > 1:
        self.attrs["n_power_iterations"] = n_power_iterations
        weight_mat = _sn_matrix(self, weight)
        h, w = weight_mat.shape
        with grad_mode(False):
            u = T["normal_"](TORCH["empty"](h, dtype=weight.dtype), 0, 1)
            v = T["normal_"](TORCH["empty"](w, dtype=weight.dtype), 0, 1)
            register = self.method("register_buffer")
            register("_u", F["normalize"](u, dim=0, eps=eps))
            register("_v", F["normalize"](v, dim=0, eps=eps))
        _sn_power(self, weight_mat, 15)


def _sn_forward(self: ModuleInstance, weight: Tensor) -> Tensor:
    if weight.ndim == 1:
        return F["normalize"](weight, dim=0, eps=_get(self, "eps"))
    weight_mat = _sn_matrix(self, weight)
    if _get(self, "training"):
        _sn_power(self, weight_mat, _get(self, "n_power_iterations"))
    u, v = T["clone"](_get(self, "_u")), T["clone"](_get(self, "_v"))
    sigma = TORCH["vdot"](u, TORCH["mv"](weight_mat, v))
    return T["div"](weight, sigma)


SPECTRAL_NORM = _class("_SpectralNorm", "parametrizations", {
    "__init__": _sn_init, "forward": _sn_forward, "right_inverse": lambda self, value: value})


# -- ParametrizationList and register_parametrization ---------------------------------------

def _has(m: ModuleInstance, name: str) -> bool:
    return m.cls.find(name) is not _MISSING


def _set_data(t: Tensor, value: Tensor) -> None:
    """t.set_(value) under no_grad: t keeps its identity (an optimizer holding it still
    holds it), with value's data."""
    t.array = value.detach().array


def _register(m: ModuleInstance, name: str, t: Tensor) -> None:
    kind = "register_parameter" if is_parameter(t) else "register_buffer"
    m.method(kind)(name, t)


def _plist_init(self: ModuleInstance, modules: Any, original: Tensor,
                unsafe: bool = False) -> None:
    _modulelist_init(self, modules)
    self.attrs["unsafe"] = unsafe
    shape, dtype = tuple(original.shape), original.dtype
    new: Any = original
    with grad_mode(False):
        for mod in reversed(list((self.mods or {}).values())):
            if _has(mod, "right_inverse"):
                new = mod.method("right_inverse")(new)
    if type(new) is not Tensor and not isinstance(new, (list, tuple)):
        raise _value_error("'right_inverse' must return a Tensor or a Sequence of tensors "
                           f"(list, tuple...). Got {type(new).__name__}")
    self.attrs["is_tensor"] = type(new) is Tensor
    self.attrs["ntensors"] = 1 if type(new) is Tensor else len(new)
    if type(new) is Tensor:
        if new.dtype != dtype:
            raise _value_error("When `right_inverse` outputs one tensor, it may not change "
                               f"the dtype.\noriginal.dtype: {to_repr(dtype)}\n"
                               f"right_inverse(original).dtype: {to_repr(new.dtype)}")
        with grad_mode(False):
            if new is not original:
                _set_data(original, new)
        _register(self, "original", original)
    else:
        for i, part in enumerate(new):
            if type(part) is not Tensor:
                raise _value_error("'right_inverse' must return a Tensor or a Sequence of "
                                   f"tensors (list, tuple...). Got element {i} of the "
                                   f"sequence with type {type(part).__name__}.")
            if is_parameter(original):
                part = make_parameter(part, original.requires_grad)
            part.requires_grad_(original.requires_grad)
            _register(self, f"original{i}", part)
    if not unsafe:
        z = _plist_forward(self)
        if type(z) is not Tensor:
            raise _value_error("A parametrization must return a tensor. Got "
                               f"{type(z).__name__}.")
        if z.dtype != dtype:
            raise _value_error(
                "Registering a parametrization may not change the dtype of the tensor, "
                "unless `unsafe` flag is enabled.\n"
                f"unparametrized dtype: {to_repr(dtype)}\nparametrized dtype: "
                f"{to_repr(z.dtype)}")
        if tuple(z.shape) != shape:
            raise _value_error(
                "Registering a parametrization may not change the shape of the tensor, "
                "unless `unsafe` flag is enabled.\n"
                f"unparametrized shape: {to_repr(Size(original.shape))}\n"
                f"parametrized shape: {to_repr(Size(z.shape))}")


def _plist_forward(self: ModuleInstance) -> Any:
    mods = list((self.mods or {}).values())
    if _get(self, "is_tensor"):
        x = mods[0](_get(self, "original"))
    else:
        x = mods[0](*[_get(self, f"original{i}") for i in range(_get(self, "ntensors"))])
    for mod in mods[1:]:
        x = mod(x)
    return x


def _plist_right_inverse(self: ModuleInstance, value: Any) -> None:
    with grad_mode(False):
        for mod in reversed(list((self.mods or {}).values())):
            if not _has(mod, "right_inverse"):
                raise GdRuntimeError(f"parametrization {mod.cls.name} does not implement "
                                     "right_inverse.")
            value = mod.method("right_inverse")(value)
        if _get(self, "is_tensor"):
            if type(value) is not Tensor:
                raise _value_error(f"`right_inverse` should return a tensor. Got "
                                   f"{type(value).__name__}")
            _set_data(_get(self, "original"), value)
        else:
            for i, part in enumerate(value):
                _set_data(_get(self, f"original{i}"), part)


PARAMETRIZATION_LIST = _class("ParametrizationList", "parametrize", {
    "__init__": _plist_init, "forward": _plist_forward,
    "right_inverse": _plist_right_inverse}, base=MODULE_LIST)


def is_parametrized(module: Any, tensor_name: Any = None) -> bool:
    """Whether the module (or its tensor_name) has a parametrization."""
    if not isinstance(module, ModuleInstance):
        return False
    plist = (module.mods or {}).get("parametrizations")
    if plist is None or plist.cls is not LAYERS["ModuleDict"]:
        return False
    if tensor_name is None:
        return bool(plist.mods)
    return tensor_name in (plist.mods or {})


class _Cache:
    """parametrize.cached(): inside it a parametrized tensor is computed once per module
    and name, as PyTorch's _cache; the cache empties on the outermost exit."""

    __slots__ = ()
    gd_context = True
    torch_type = "contextlib._GeneratorContextManager"
    depth: ClassVar[list[int]] = [0]
    values: ClassVar[dict[tuple[int, str], tuple[Any, Any]]] = {}

    def __repr__(self) -> str:
        return object_repr("contextlib._GeneratorContextManager", self)

    def __enter__(self) -> None:
        self.depth[0] += 1

    def __exit__(self, *exc: Any) -> bool:
        self.depth[0] -= 1
        if not self.depth[0]:
            self.values.clear()
        return False


def cached() -> _Cache:
    """Cache the parametrized tensors inside a `with` block."""
    return _Cache()


def reset() -> None:
    """A new run: no cache open."""
    _Cache.depth[0] = 0
    _Cache.values.clear()


def _property(name: str) -> Property:
    def get(self: ModuleInstance) -> Any:
        if _Cache.depth[0]:
            hit = _Cache.values.get((id(self), name))
            if hit is None or hit[0] is not self:
                hit = (self, self.get_attr("parametrizations").get_attr(name)())
                _Cache.values[(id(self), name)] = hit
            return hit[1]
        return self.get_attr("parametrizations").get_attr(name)()

    def put(self: ModuleInstance, value: Any) -> None:
        self.get_attr("parametrizations").get_attr(name).method("right_inverse")(value)

    return Property(get, put)


def register_parametrization(module: ModuleInstance, tensor_name: str,
                             parametrization: ModuleInstance, *,
                             unsafe: bool = False) -> ModuleInstance:
    """Register parametrization on module.tensor_name (see the module docstring)."""
    parametrization.method("train")(_get(module, "training"))
    if is_parametrized(module, tensor_name):
        plist = module.get_attr("parametrizations").get_attr(tensor_name)
        if not unsafe:
            y = module.get_attr(tensor_name)
            x = parametrization(y)
            if type(x) is not Tensor:
                raise _value_error(f"A parametrization must return a tensor. Got "
                                   f"{type(x).__name__}.")
            if x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
                raise _value_error(
                    "Registering a parametrization may not change the shape of the tensor, "
                    "unless `unsafe` flag is enabled.\n"
                    f"unparametrized shape: {to_repr(Size(y.shape))}\n"
                    f"parametrized shape: {to_repr(Size(x.shape))}")
        plist.method("append")(parametrization)
        plist.attrs["unsafe"] = plist.attrs.get("unsafe") or unsafe
        return module
    if tensor_name not in (module.params or {}) and tensor_name not in (module.bufs or {}):
        raise _value_error(f"Module '{to_repr(module)}' does not have a parameter, a buffer, "
                           "or a parametrized element with name "
                           f"'{tensor_name}'")
    original = module.get_attr(tensor_name)
    plist = PARAMETRIZATION_LIST([parametrization], original, unsafe=unsafe)
    module.del_attr(tensor_name)
    if not is_parametrized(module):
        base = module.cls
        name = f"Parametrized{base.name}"
        module.cls = ModuleClass(name, f"{_PATH}parametrize.{name}", base, {})
        module.set_attr("parametrizations", LAYERS["ModuleDict"]())
    module.cls.attrs[tensor_name] = _property(tensor_name)
    module.cls.properties = True
    module.get_attr("parametrizations").method("add_module")(tensor_name, plist)
    return module


def remove_parametrizations(module: ModuleInstance, tensor_name: str,
                            leave_parametrized: bool = True) -> ModuleInstance:
    """Remove the parametrizations of module.tensor_name, leaving its current value (or its
    original) as a parameter or buffer of that name."""
    if not is_parametrized(module, tensor_name):
        raise _value_error(f"Module {to_repr(module)} does not have a parametrization on "
                           f"{tensor_name}")
    plist = module.get_attr("parametrizations").get_attr(tensor_name)
    if _get(plist, "is_tensor"):
        original = _get(plist, "original")
        if leave_parametrized:
            with grad_mode(False):
                t = module.get_attr(tensor_name)
                _set_data(original, t)
    else:
        if not leave_parametrized:
            raise _value_error("Cannot leave unparametrized (`leave_parametrized=False`) a "
                               "tensor that is parametrized in terms of a sequence of "
                               "tensors.")
        t = module.get_attr(tensor_name)
        original = make_parameter(t.detach(), True) if t.requires_grad else t.detach()
    del module.cls.attrs[tensor_name]
    module.get_attr("parametrizations").mods.pop(tensor_name)
    _register(module, tensor_name, original)
    if not is_parametrized(module):
        module.del_attr("parametrizations")
        module.cls = module.cls.chain[1]
    return module


def type_before_parametrizations(module: ModuleInstance) -> Any:
    """The module's class before any parametrization was registered."""
    return module.cls.chain[1] if is_parametrized(module) else module.cls


def pweight_norm(module: ModuleInstance, name: str = "weight", dim: Any = 0) -> ModuleInstance:
    """torch.nn.utils.parametrizations.weight_norm."""
    return register_parametrization(module, name, WEIGHT_NORM(dim), unsafe=True)


def _default_dim(module: ModuleInstance, dim: Any) -> int:
    if dim is not None:
        return int(dim)
    transposed = ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
    return 1 if any(LAYERS.get(n) in module.cls.chain for n in transposed) else 0


def pspectral_norm(module: ModuleInstance, name: str = "weight", n_power_iterations: int = 1,
                   eps: float = 1e-12, dim: Any = None) -> ModuleInstance:
    """torch.nn.utils.parametrizations.spectral_norm."""
    weight = (module.params or {}).get(name, (module.bufs or {}).get(name))
    if type(weight) is not Tensor:
        raise _value_error(f"Module '{to_repr(module)}' has no parameter or buffer with name "
                           f"'{name}'")
    sn = SPECTRAL_NORM(weight, n_power_iterations, _default_dim(module, dim), eps)
    return register_parametrization(module, name, sn)


# -- the older hook-based weight_norm and spectral_norm --------------------------------------

class _NormHook:
    """The forward pre-hook the old functions register: it recomputes module.name."""

    __slots__ = ("dim", "eps", "iterations", "kind", "name")

    def __init__(self, kind: str, name: str, dim: int, iterations: int = 0,
                 eps: float = 0.0) -> None:
        self.kind, self.name, self.dim = kind, name, dim
        self.iterations, self.eps = iterations, eps

    def compute(self, module: ModuleInstance, power: bool = False) -> Tensor:
        if self.kind == "weight_norm":
            return weight_norm_of(module.get_attr(self.name + "_v"),
                                  module.get_attr(self.name + "_g"), self.dim)
        weight = module.get_attr(self.name + "_orig")
        u, v = module.get_attr(self.name + "_u"), module.get_attr(self.name + "_v")
        mat = self.matrix(weight)
        if power:
            with grad_mode(False):
                for _ in range(self.iterations):
                    _normalize_into(v, TORCH["mv"](T["t"](mat), u), self.eps)
                    _normalize_into(u, TORCH["mv"](mat, v), self.eps)
                u, v = T["clone"](u), T["clone"](v)
        return T["div"](weight, TORCH["dot"](u, TORCH["mv"](mat, v)))

    def matrix(self, weight: Tensor) -> Tensor:
        if self.dim != 0:
            weight = T["permute"](weight, (self.dim, *[d for d in range(weight.ndim)
                                                       if d != self.dim]))
        return T["reshape"](weight, (weight.shape[0], -1))

    def __call__(self, module: ModuleInstance, inputs: Any) -> None:
        module.attrs[self.name] = self.compute(module, bool(_get(module, "training")))


def _old_hook(module: ModuleInstance, kind: str, name: str) -> Any:
    """The (id, hook) of the module's norm pre-hook of that kind and name, or None."""
    table = module.hooks.forward_pre if module.hooks is not None else {}
    for key, fn in table.items():
        if type(fn) is _NormHook and fn.kind == kind and fn.name == name:
            return key, fn
    return None


def old_weight_norm(module: ModuleInstance, name: str = "weight", dim: Any = 0) -> Any:
    """torch.nn.utils.weight_norm (deprecated: PyTorch's FutureWarning)."""
    warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
         "`torch.nn.utils.parametrizations.weight_norm`.", category="FutureWarning")
    if _old_hook(module, "weight_norm", name) is not None:
        raise GdRuntimeError(f"Cannot register two weight_norm hooks on the same parameter "
                             f"{name}")
    hook = _NormHook("weight_norm", name, -1 if dim is None else dim)
    weight = module.get_attr(name)
    with grad_mode(False):
        g = norm_except_dim(weight, 2, hook.dim)
    del module.params[name]  # type: ignore[union-attr]
    module.method("register_parameter")(name + "_g", make_parameter(g.detach()))
    module.method("register_parameter")(name + "_v", make_parameter(weight.detach()))
    module.attrs[name] = hook.compute(module)
    module.method("register_forward_pre_hook")(hook)
    return module


def remove_weight_norm(module: ModuleInstance, name: str = "weight") -> Any:
    """Undo torch.nn.utils.weight_norm: `name` is a parameter again."""
    return _remove_old(module, "weight_norm", name, ("_g", "_v"))


def _remove_old(module: ModuleInstance, kind: str, name: str, parts: tuple[str, ...]) -> Any:
    entry = _old_hook(module, kind, name)
    if entry is None:
        raise _value_error(f"{kind} of '{name}' not found in {to_repr(module)}")
    key, hook = entry
    if kind == "weight_norm":
        weight = hook.compute(module)
    else:
        with grad_mode(False):
            weight = hook.compute(module)
    del module.hooks.forward_pre[key]  # type: ignore[union-attr]
    module.attrs.pop(name, None)
    for part in parts:
        module.del_attr(name + part)
    module.method("register_parameter")(name, make_parameter(weight.detach()))
    return module


def old_spectral_norm(module: ModuleInstance, name: str = "weight",
                      n_power_iterations: int = 1, eps: float = 1e-12,
                      dim: Any = None) -> Any:
    """torch.nn.utils.spectral_norm: weight_orig, weight_u, weight_v and a pre-hook."""
    if _old_hook(module, "spectral_norm", name) is not None:
        raise GdRuntimeError(f"Cannot register two spectral_norm hooks on the same parameter "
                             f"{name}")
    if n_power_iterations <= 0:
        raise _value_error("Expected n_power_iterations to be positive, but got "
                           f"n_power_iterations={n_power_iterations}")
    hook = _NormHook("spectral_norm", name, _default_dim(module, dim), n_power_iterations, eps)
    weight = (module.params or {})[name]
    with grad_mode(False):
        mat = hook.matrix(weight)
        h, w = mat.shape
        u = F["normalize"](T["normal_"](TORCH["empty"](h, dtype=weight.dtype), 0, 1), dim=0,
                           eps=eps)
        v = F["normalize"](T["normal_"](TORCH["empty"](w, dtype=weight.dtype), 0, 1), dim=0,
                           eps=eps)
    del module.params[name]  # type: ignore[union-attr]
    module.method("register_parameter")(name + "_orig", weight)
    module.attrs[name] = weight.detach()
    module.method("register_buffer")(name + "_u", u)
    module.method("register_buffer")(name + "_v", v)
    module.method("register_forward_pre_hook")(hook)
    return module


def remove_spectral_norm(module: ModuleInstance, name: str = "weight") -> Any:
    """Undo torch.nn.utils.spectral_norm."""
    return _remove_old(module, "spectral_norm", name, ("_orig", "_u", "_v"))


UTILS = {"weight_norm": old_weight_norm, "remove_weight_norm": remove_weight_norm,
         "spectral_norm": old_spectral_norm, "remove_spectral_norm": remove_spectral_norm}
PARAMETRIZE = {"register_parametrization": register_parametrization, "cached": cached,
               "remove_parametrizations": remove_parametrizations,
               "is_parametrized": is_parametrized,
               "type_before_parametrizations": type_before_parametrizations}
PARAMETRIZATIONS = {"weight_norm": pweight_norm, "spectral_norm": pspectral_norm}
PARAMETRIZE_CLASSES = {"ParametrizationList": PARAMETRIZATION_LIST}
