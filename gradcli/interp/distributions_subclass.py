"""A program's own distributions: gd classes deriving from a torch.distributions kind, and
the kinds' class attributes (read and, as RL code patches them, assigned).

`class FixedNormal(torch.distributions.Normal)` (PPO's heads) makes instances that are gd
instances holding the built-in distribution `super().__init__(loc, scale)` made: the gd
class's own methods and properties come first, then the distribution's (`super().log_prob`,
`self.mean`, `sample()`), and isinstance() and torch.distributions' functions see the kind.
A class deriving from `Distribution` itself gets its shapes and the base methods PyTorch's
Distribution gives (`sample` runs the class's `rsample` without gradients).

`Normal.has_rsample`, `Categorical.log_prob` (an unbound method: `log_prob(d, x)`) read a
kind's class attributes; `Categorical.mode = lambda self: ...` patches the kind for every
distribution of it for the rest of the run (the patches reset with each run), as Python
does to PyTorch's classes.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.tensor import no_grad
from gradcli.errors import GdRuntimeError
from gradcli.interp.classes import ClassValue, InstanceValue, NativeMethod, _bind
from gradcli.interp.values import Builtin, Decorator, Size

#: A kind's patched attributes, by (kind class, name): the value a program assigned.
PATCHED: dict[tuple[type, str], Any] = {}

_MISSING = object()
MISSING = _MISSING

#: register_kl's functions, by (class of p, class of q): gd classes or kinds.
KL_REGISTERED: dict[tuple[int, int], tuple[Any, Any, Any]] = {}


def reset() -> None:
    """A new run: PyTorch's classes unpatched again, no KL registered."""
    PATCHED.clear()
    KL_REGISTERED.clear()


def _classes_of(d: Any) -> list[Any]:
    """The classes d is an instance of, most derived first (gd classes, then kinds)."""
    out: list[Any] = []
    if isinstance(d, DistInstance):
        out.extend(c for c in d.cls.chain if not isinstance(c, DistBaseClass))
        d = d.dist_host
    for k in type(d).__mro__ if d is not None else ():
        gd_class = getattr(k, "gd_class", None)
        if gd_class is not None and gd_class not in out:
            out.append(gd_class)
    return out


def registered_kl(p: Any, q: Any) -> Any:
    """The function register_kl gave for p's and q's classes (None: none)."""
    if not KL_REGISTERED:
        return None
    for a in _classes_of(p):
        for b in _classes_of(q):
            found = KL_REGISTERED.get((id(a), id(b)))
            if found is not None:
                return found[2]
    return None


def _register_kl(type_p: Any, type_q: Any) -> Builtin:
    def decorator(fn: Any) -> Any:
        KL_REGISTERED[(id(type_p), id(type_q))] = (type_p, type_q, fn)
        return fn
    return Decorator("register_kl.<locals>.decorator", decorator)


REGISTER_KL = Builtin("torch.distributions.kl.register_kl", _register_kl,
                      "@register_kl(P, Q): the function kl_divergence(p, q) calls for them")


# -- gd subclasses ------------------------------------------------------------------------
class DistInstance(InstanceValue):
    """An instance of a gd class deriving from a distribution kind: its own attributes,
    then its class's, then the distribution `super().__init__` made (`host`)."""

    __slots__ = ("dist_host",)

    def __init__(self, cls: ClassValue) -> None:
        super().__init__(cls)
        self.dist_host: Any = None

    def _host(self, name: str) -> Any:
        host = self.dist_host
        if host is None:
            return None
        if name == "sample" and self.cls.find("rsample") is not _MISSING_CLASS and \
                type(host).kind == "Distribution":
            rsample = self.get_attr("rsample")
            return Builtin("Distribution.sample", lambda *a, **k: _no_grad_call(rsample, a, k))
        try:
            return patched_or_own(host, name)
        except GdRuntimeError as e:
            if getattr(e, "py_type", None) == "AttributeError":
                return None
            raise

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        host = self.dist_host
        if self._dunder("__call__") is None and callable(host) and not kwargs:
            return host.forward(*args)  # t(x) of a program's transform (with its cache)
        return super().__call__(*args, **kwargs)

    def host_attribute(self, name: str) -> Any:
        return self._host(name)

    def super_attribute(self, name: str) -> Any:
        if name == "__init__":
            return Builtin(f"{self.cls.name}.__init__", lambda *a, **k: _init(self, *a, **k))
        return self._host(name)

    def gd_repr(self) -> str:
        if self._dunder("__repr__") is not None or self.dist_host is None:
            return super().gd_repr()
        text = self.dist_host.gd_repr()
        return self.cls.name + text[text.index("("):]


_MISSING_CLASS: Any = None  # ClassValue.find's "not found" (set below)


def _no_grad_call(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    with no_grad():
        return fn(*args, **kwargs)


def _init(self: DistInstance, *args: Any, **kwargs: Any) -> None:
    base = next(c for c in self.cls.chain if isinstance(c, DistBaseClass))
    kind = base.kind_class
    if kind.cls.kind == "Transform":
        from gradcli.interp.distributions_gd_transform import GdTransform
        self.dist_host = GdTransform(self, *args, **kwargs)
    elif kind.cls.kind == "Distribution":
        self.dist_host = _plain_distribution(kind.cls, *args, **kwargs)
    else:
        self.dist_host = kind(*args, **kwargs)


def _plain_distribution(cls: type, batch_shape: Any = (), event_shape: Any = (),
                        validate_args: Any = None) -> Any:
    """torch.distributions.Distribution.__init__(batch_shape, event_shape, validate_args)."""
    d = cls.__new__(cls)
    cls.__init__(d, {}, tuple(Size(batch_shape)), validate_args)
    d.event_shape = Size(event_shape)
    return d


class DistBaseClass(ClassValue):
    """A distribution kind as the base of a gd class (made when a class statement names
    the kind): its __init__ makes the built-in distribution."""

    __slots__ = ("kind_class",)

    def __init__(self, kind_class: Any) -> None:
        name = kind_class.cls.kind
        attrs: dict[str, Any] = {"__init__": NativeMethod(f"{name}.__init__", _init)}
        super().__init__(name, (), attrs, False)
        self.instance_type = type(name, (DistInstance,), {"__slots__": ()})
        self.kind_class = kind_class

    def gd_repr(self) -> str:
        return repr(self.kind_class)


_BASES: dict[int, DistBaseClass] = {}


def base_class(kind_class: Any) -> DistBaseClass:
    """The class-statement base standing for a torch.distributions kind."""
    made = _BASES.get(id(kind_class))
    if made is None:
        made = _BASES[id(kind_class)] = DistBaseClass(kind_class)
    return made


def is_instance(value: Any, cls: type) -> bool:
    """isinstance(value, <kind cls>) for an instance of a gd subclass of a kind."""
    return isinstance(value, DistInstance) and any(
        isinstance(c, DistBaseClass) and issubclass(c.kind_class.cls, cls)
        for c in value.cls.chain)


def unwrap(value: Any) -> Any:
    """The built-in distribution (transform) behind an instance of a gd subclass, in a
    list or tuple too (TransformedDistribution's transforms), else value."""
    if isinstance(value, DistInstance) and value.dist_host is not None:
        return value.dist_host
    if type(value) in (list, tuple) and any(isinstance(v, DistInstance) for v in value):
        return type(value)(map(unwrap, value))
    return value


# -- class attributes -------------------------------------------------------------------
def patched_or_own(d: Any, name: str) -> Any:
    """d.name for a built-in distribution: a patch assigned to its kind (or a base kind's),
    bound to d, else its own attribute."""
    if PATCHED:
        for k in type(d).__mro__:
            value = PATCHED.get((k, name), _MISSING)
            if value is not _MISSING:
                return _bind(value, d, None)  # type: ignore[arg-type]
    return d.get_attr(name)


def patched_attribute(d: Any, name: str) -> Any:
    """A patch for d.name (or _MISSING)."""
    for k in type(d).__mro__:
        value = PATCHED.get((k, name), _MISSING)
        if value is not _MISSING:
            return _bind(value, d, None)  # type: ignore[arg-type]
    return _MISSING


def class_attribute(kind_class: Any, name: str) -> Any:
    """Normal.has_rsample, Normal.log_prob (a function of the distribution and its
    arguments), or a patch."""
    cls = kind_class.cls
    for k in cls.__mro__:
        value = PATCHED.get((k, name), _MISSING)
        if value is not _MISSING:
            return value
    if name in ("has_rsample", "has_enumerate_support"):
        return getattr(cls, name)
    label = f"{cls.kind}.{name}"

    def unbound(d: Any, *args: Any, **kwargs: Any) -> Any:
        d = unwrap(d)
        if not isinstance(d, cls):
            raise GdRuntimeError(f"descriptor '{name}' for '{cls.kind}' objects doesn't "
                                 f"apply to a '{getattr(d, 'kind', type(d).__name__)}' "
                                 "object", py_type="TypeError")
        return d.get_attr(name)(*args, **kwargs)

    from gradcli.interp.distributions import _METHODS

    if name in _METHODS or name in ("log_probs",):
        return Builtin(label, unbound, f"{label}(self, ...): the method, unbound")
    raise GdRuntimeError(f"type object '{cls.kind}' has no attribute '{name}'",
                         py_type="AttributeError")


def set_class_attribute(kind_class: Any, name: str, value: Any) -> None:
    """Normal.mode = lambda self: self.mean: every Normal (and subclass) reads the patch."""
    if name.startswith("__"):
        raise GdRuntimeError(f"cannot set '{name}' attribute of immutable type "
                             f"'{kind_class.cls.kind}'", py_type="TypeError")
    PATCHED[(kind_class.cls, name)] = value


def _set_missing() -> None:
    global _MISSING_CLASS
    probe = ClassValue("_probe", (), {}, False)
    _MISSING_CLASS = probe.find("nothing")


_set_missing()
