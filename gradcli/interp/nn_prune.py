"""torch.nn.utils.prune, as torch/nn/utils/prune.py does it: pruning `name` moves the
parameter to `name_orig`, registers the mask as the buffer `name_mask` and keeps
`module.name = name_mask * name_orig` (a plain attribute, recomputed by a forward pre-hook
before each call). Masks are computed as PyTorch's methods compute them (the same random
draws for random_unstructured, topk of |w| for l1_unstructured, the n-norm of each slice
for ln_structured); pruning a pruned tensor again prunes only what is left, as PyTorch's
PruningContainer does; remove() makes `name` a parameter again holding the pruned values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.identity import object_repr
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.nn_module import ModuleInstance, named_modules_of
from gradcli.interp.operators import get_item, set_item
from gradcli.interp.values import Builtin, to_repr

T = ops.members("Tensor")
TORCH = ops.members("torch")
_PATH = "torch.nn.utils.prune."


def _amount(amount: Any) -> Any:
    """PyTorch's _validate_pruning_amount_init."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise GdRuntimeError(f"Invalid type for amount: {to_repr(amount)}. Must be int or "
                             "float.", py_type="TypeError")
    if (isinstance(amount, int) and amount < 0) or (
            isinstance(amount, float) and not 0 <= amount <= 1):
        raise GdRuntimeError(f"amount={amount} should either be a float in the range [0, 1] "
                             "or a non-negative integer", py_type="ValueError")
    return amount


def _count(amount: Any, size: int) -> int:
    """How many to prune of size (PyTorch's _compute_nparams_toprune and its check)."""
    n = amount if isinstance(amount, int) else round(amount * size)
    if n > size:
        raise GdRuntimeError(f"amount={amount} should be smaller than the number of "
                             f"parameters to prune={size}", py_type="ValueError")
    return n


class Method:
    """A pruning method (its kind and arguments), the forward pre-hook it registers."""

    __slots__ = ("amount", "dim", "kind", "mask", "methods", "n", "tensor_name")

    def __init__(self, kind: str, amount: Any = None, n: Any = None, dim: int = -1,
                 mask: Tensor | None = None) -> None:
        self.kind, self.n, self.dim, self.mask = kind, n, dim, mask
        self.amount = _amount(amount) if amount is not None else None
        self.tensor_name: str | None = None
        self.methods: list[Method] = [self]  # a PruningContainer's, in order

    @property
    def structured(self) -> bool:
        return self.kind in ("LnStructured", "RandomStructured")

    @property
    def torch_type(self) -> str:  # type(hook), hook.__class__.__name__
        return _PATH + ("PruningContainer" if len(self.methods) > 1 else self.kind)

    def __repr__(self) -> str:
        return object_repr(self.torch_type, self)

    # What programs read of a pruning hook (the pruning tutorial's `hook._tensor_name`,
    # a container's `_pruning_methods` and `list(hook)`).
    gd_private_names = frozenset(("_tensor_name", "_pruning_methods"))

    @staticmethod
    def gd_attribute(method: Method, name: str) -> Any:
        if name == "_tensor_name":
            return method.tensor_name
        if name == "_pruning_methods" and len(method.methods) > 1:
            return tuple(method.methods)
        if name == "PRUNING_TYPE":
            return "structured" if method.structured else "unstructured"
        if name in ("amount", "dim", "n") and method.kind != "PruningContainer" and (
                name != "n" or method.kind == "LnStructured") and (
                name != "dim" or method.structured):
            return getattr(method, name)
        raise GdRuntimeError(f"'{method.torch_type.rpartition('.')[2]}' object has no "
                             f"attribute '{name}'", py_type="AttributeError")

    def gd_iter(self) -> Any:
        """iter(container): its methods, in order (operators.iterate)."""
        if len(self.methods) == 1:
            raise GdRuntimeError(f"'{self.kind}' object is not iterable", py_type="TypeError")
        return iter(self.methods)

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if self.kind == "Identity":
            return default_mask
        if self.kind == "CustomFromMask":
            return T["mul"](default_mask, T["to"](self.mask, default_mask.dtype))
        if self.structured:
            return self._structured(t, default_mask)
        size = t.numel()
        k = _count(self.amount, size)
        mask = T["clone"](default_mask)
        if k:
            scores = TORCH["rand_like"](t) if self.kind == "RandomUnstructured" else \
                TORCH["abs"](t)
            top = TORCH["topk"](T["view"](scores, -1), k,
                                largest=self.kind == "RandomUnstructured")
            set_item(T["view"](mask, -1), top[1], 0)
        return mask

    def _structured(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if t.ndim <= 1:
            raise GdRuntimeError("Structured pruning can only be applied to multidimensional "
                                 f"tensors. Found tensor of shape {to_repr(t.shape)} with "
                                 f"{t.ndim} dims", py_type="ValueError")
        dim = self.dim
        if dim >= t.ndim:
            raise GdRuntimeError(f"Invalid index {dim} for tensor of size {to_repr(t.shape)}",
                                 py_type="IndexError")
        size = t.shape[dim]
        k = _count(self.amount, size)
        if k == 0:
            return default_mask
        slc: list[Any] = [slice(None)] * t.ndim
        if self.kind == "LnStructured":
            dims = [d for d in range(t.ndim) if d != (dim % t.ndim)]
            norm = TORCH["norm"](t, p=self.n, dim=dims)
            slc[dim] = TORCH["topk"](norm, size - k, largest=True)[1]
        else:
            prob = TORCH["rand"](size)
            slc[dim] = T["gt"](prob, TORCH["kthvalue"](prob, k)[0])
        mask = TORCH["zeros_like"](t)
        set_item(mask, tuple(slc), 1)
        return T["mul_"](mask, T["to"](default_mask, mask.dtype))

    def combined(self, method: Any, t: Tensor, mask: Tensor) -> Tensor:
        """A container's new mask: method (this module's or a program's subclass of
        BasePruningMethod) applied to what the old mask keeps."""
        new = T["clone"](mask)
        if is_structured(method):
            dim = _dim_of(method) % t.ndim
            keep = T["ne"](TORCH["sum"](mask, [d for d in range(t.ndim) if d != dim]), 0)
            slc: Any = tuple(keep if d == dim else slice(None) for d in range(t.ndim))
        else:
            slc = T["eq"](mask, 1)
        part = compute_mask(method, get_item(t, slc), get_item(mask, slc))
        set_item(new, slc, T["to"](part, new.dtype))
        return new

    def apply_mask(self, module: ModuleInstance) -> Tensor:
        return apply_mask(self.tensor_name or "", module)

    def __call__(self, module: ModuleInstance, inputs: Any) -> None:
        module.set_attr(self.tensor_name or "", self.apply_mask(module))


def apply_mask(name: str, module: ModuleInstance) -> Tensor:
    """PyTorch's BasePruningMethod.apply_mask: module.name_mask * module.name_orig."""
    orig, mask = module.get_attr(name + "_orig"), module.get_attr(name + "_mask")
    return T["mul"](T["to"](mask, orig.dtype), orig)


# A program's subclass of prune.BasePruningMethod (nn_prune_custom) is a gd instance; these
# read it and this module's Method alike.

def _user(method: Any) -> bool:
    return type(method) is not Method


def tensor_name_of(method: Any) -> str | None:
    if not _user(method):
        return method.tensor_name
    from gradcli.interp.nn_prune_custom import is_pruning_method

    if not is_pruning_method(method):
        return None
    name = method.attrs.get("_tensor_name")
    return name if isinstance(name, str) else None


def is_structured(method: Any) -> bool:
    if not _user(method):
        return method.structured
    from gradcli.interp.attributes import get_attribute

    return get_attribute(method, "PRUNING_TYPE") == "structured"


def _dim_of(method: Any) -> int:
    if not _user(method):
        return method.dim
    from gradcli.interp.attributes import get_attribute

    return get_attribute(method, "dim")  # type: ignore[no-any-return]


def compute_mask(method: Any, t: Tensor, default_mask: Tensor) -> Tensor:
    if not _user(method):
        return method.compute_mask(t, default_mask)
    from gradcli.interp.attributes import get_attribute

    return get_attribute(method, "compute_mask")(t, default_mask=default_mask)  # type: ignore[no-any-return]


def _methods_of(hook: Any) -> list[Any]:
    return [hook] if _user(hook) else hook.methods


def _hook_of(module: ModuleInstance, name: str) -> tuple[int, Any] | None:
    table = module.hooks.forward_pre if module.hooks is not None else {}
    for key, fn in table.items():
        if tensor_name_of(fn) == name:
            return key, fn
    return None


def _apply(module: ModuleInstance, name: str, method: Any,
           importance_scores: Any = None) -> ModuleInstance:
    """PyTorch's BasePruningMethod.apply."""
    old = _hook_of(module, name)
    orig = module.get_attr(name)
    scores = orig if importance_scores is None else importance_scores
    if type(scores) is not Tensor or scores.shape != orig.shape:
        raise GdRuntimeError(f"importance_scores should have the same shape as parameter "
                             f"{name} of {to_repr(module)}", py_type="AssertionError")
    if _user(method):
        method.attrs["_tensor_name"] = name
    else:
        method.tensor_name = name
    with grad_mode(False):
        if old is None:
            module.method("register_parameter")(name + "_orig", orig)
            del module.params[name]  # type: ignore[union-attr]
            mask = compute_mask(method, scores, TORCH["ones_like"](orig))
        else:
            key, hook = old
            default = T["clone"](module.get_attr(name + "_mask").detach())
            container = Method("PruningContainer")  # PyTorch's: a new hook, a new id
            mask = container.combined(method, scores, default)
            del module.hooks.forward_pre[key]  # type: ignore[union-attr]
            container.tensor_name, container.methods = name, [*_methods_of(hook), method]
            method = container
    module.method("register_buffer")(name + "_mask", mask)
    module.set_attr(name, apply_mask(name, module))
    module.method("register_forward_pre_hook")(method)
    return module


def _function(kind: str, *fields: str) -> Callable[..., ModuleInstance]:
    def prune(module: ModuleInstance, name: str, *args: Any,
              importance_scores: Any = None, **kwargs: Any) -> ModuleInstance:
        given = dict(zip(fields, args, strict=False))
        given.update(kwargs)
        return _apply(module, name, Method(kind, **given), importance_scores)
    prune.__doc__ = f"Prune module.name with {kind}'s mask ({', '.join(fields)})."
    return prune


def identity(module: ModuleInstance, name: str) -> ModuleInstance:
    """prune.identity: a mask of ones."""
    return _apply(module, name, Method("Identity"))


def custom_from_mask(module: ModuleInstance, name: str, mask: Tensor) -> ModuleInstance:
    """prune.custom_from_mask: the given mask."""
    return _apply(module, name, Method("CustomFromMask", mask=mask))


def remove(module: ModuleInstance, name: str) -> ModuleInstance:
    """prune.remove: `name` a parameter again (its `_orig` parameter, holding the pruned
    values), the mask buffer and the hook gone."""
    found = _hook_of(module, name)
    if found is None:
        raise GdRuntimeError(f"Parameter '{name}' of module {to_repr(module)} has to be "
                             "pruned before pruning can be removed", py_type="ValueError")
    key = found[0]
    with grad_mode(False):
        weight = apply_mask(name, module)
    module.attrs.pop(name, None)
    orig = module.params.pop(name + "_orig")  # type: ignore[union-attr]
    from gradcli.interp.attributes import set_attribute

    set_attribute(orig, "data", weight)  # PyTorch's orig.data = weight.data
    module.bufs.pop(name + "_mask")  # type: ignore[union-attr]
    del module.hooks.forward_pre[key]  # type: ignore[union-attr]
    module.set_attr(name, orig)
    return module


def is_pruned(module: ModuleInstance) -> bool:
    """Whether any module inside has a pruning hook."""
    return any(tensor_name_of(fn) is not None for _, m in named_modules_of(module)
               if m.hooks is not None for fn in m.hooks.forward_pre.values())


def global_unstructured(parameters: Any, pruning_method: Any, importance_scores: Any = None,
                        **kwargs: Any) -> None:
    """prune.global_unstructured: one mask over all the given tensors together."""
    kind = getattr(pruning_method, "prune_kind", None)
    if kind is None or kind in ("LnStructured", "RandomStructured"):
        raise GdRuntimeError("Only unstructured pruning methods (L1Unstructured, "
                             "RandomUnstructured) are supported by gd's global_unstructured",
                             py_type="TypeError")
    pairs = list(parameters)
    scores = importance_scores or {}
    with grad_mode(False):
        flat = TORCH["cat"]([T["view"](scores.get((m, n), m.get_attr(n)), -1)
                             for m, n in pairs])
        masks = []
        for m, n in pairs:
            t = m.get_attr(n)
            found = _hook_of(m, n)
            masks.append(T["view"](m.get_attr(n + "_mask") if found is not None
                                   else TORCH["ones_like"](t), -1))
        default = TORCH["cat"](masks)
        final = Method("PruningContainer").combined(Method(kind, **kwargs), flat, default)
    at = 0
    for m, n in pairs:
        t = m.get_attr(n)
        part = T["view_as"](get_item(final, slice(at, at + t.numel())), t)
        custom_from_mask(m, n, part)
        at += t.numel()


class MethodClass(Builtin):
    """prune.L1Unstructured and its kin: a class global_unstructured takes."""

    __slots__ = ("prune_kind",)
    is_class = True

    def __init__(self, kind: str) -> None:
        super().__init__(_PATH + kind, lambda *a, **k: Method(kind, *a, **k),
                         f"prune.{kind}(...): the pruning method, as global_unstructured "
                         "takes it.")
        self.prune_kind = kind

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


FUNCTIONS: dict[str, Any] = {
    "random_unstructured": _function("RandomUnstructured", "amount"),
    "l1_unstructured": _function("L1Unstructured", "amount"),
    "random_structured": _function("RandomStructured", "amount", "dim"),
    "ln_structured": _function("LnStructured", "amount", "n", "dim"),
    "identity": identity, "custom_from_mask": custom_from_mask, "remove": remove,
    "is_pruned": is_pruned, "global_unstructured": global_unstructured,
}
CLASSES = {kind: MethodClass(kind) for kind in (
    "L1Unstructured", "RandomUnstructured", "LnStructured", "RandomStructured", "Identity")}
