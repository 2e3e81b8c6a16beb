"""The autograd namespaces tutorials import beyond torch.autograd itself:
torch.autograd.function (Function, once_differentiable), torch.func.functional_call and
linearize, torch.nn.utils.stateless, and `functorch` (the old name of torch.func).

`functional_call(module, params, args)` runs the module with some of its parameters (and
plain tensor attributes, PyTorch's buffers) replaced by the given tensors, by dotted name,
and puts the module's own back afterwards.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad import func as _func
from gradcli.ad import ops, saved_hooks
from gradcli.ad.multi_hooks import register_multi_grad_hook
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import custom_function as CF
from gradcli.interp import gradient_edge
from gradcli.interp.nn_module import ModuleClass, ModuleInstance, named_modules_of
from gradcli.interp.values import Builtin, Decorator, Namespace, type_name

_ABSENT = object()


def _merged(dicts: Any) -> dict[str, Any]:
    tables = dicts if isinstance(dicts, (tuple, list)) else (dicts,)
    merged: dict[str, Any] = {}
    for d in tables:
        if type(d) is not dict:
            raise GdRuntimeError(f"Expected all elements of parameter_and_buffer_dicts to be "
                                 f"dictionaries but got {type_name(d)}", py_type="ValueError")
        for k in d:
            if k in merged:
                raise GdRuntimeError(f"{k} appeared in multiple dictionaries; behavior of "
                                     "functional call is ambiguous", py_type="ValueError")
        merged.update(d)
    return merged


def _owned(m: ModuleInstance) -> dict[str, tuple[ModuleInstance, str]]:
    """Dotted name → (module, name) of every parameter and tensor attribute."""
    found: dict[str, tuple[ModuleInstance, str]] = {}
    for prefix, mod in named_modules_of(m):
        dot = prefix + "." if prefix else ""
        for name in mod.params or {}:
            found[dot + name] = (mod, name)
        for name, v in mod.attrs.items():
            if type(v) is Tensor:
                found[dot + name] = (mod, name)
    return found


def functional_call(module: Any, parameter_and_buffer_dicts: Any, args: Any = None,
                    kwargs: Any = None, *, tie_weights: Any = True,
                    strict: Any = False) -> Any:
    """torch.func.functional_call: module(*args, **kwargs) with the given parameters."""
    if not isinstance(module, ModuleInstance):
        raise GdRuntimeError(f"functional_call expects an nn.Module, got {type_name(module)}",
                             py_type="TypeError")
    values = _merged(parameter_and_buffer_dicts)
    owned = _owned(module)
    if strict:
        missing = [k for k in owned if k not in values]
        unexpected = [k for k in values if k not in owned]
        if missing or unexpected:
            lines = [f"Error(s) in reparametrizing for {module.cls.name}:"]
            if unexpected:
                lines.append("\tUnexpected key(s): "
                             + ", ".join(f"'{k}'" for k in unexpected) + ".")
            if missing:
                lines.append("\tMissing key(s): " + ", ".join(f"'{k}'" for k in missing) + ".")
            raise GdRuntimeError("\n".join(lines))
    saved: list[tuple[dict[str, Any], str, Any]] = []
    try:
        for key, value in values.items():
            mod, name = owned.get(key, (module, key))
            table = mod.params if mod.params is not None and name in mod.params else mod.attrs
            saved.append((table, name, table.get(name, _ABSENT)))
            table[name] = value
        call_args = args if type(args) is tuple else () if args is None else (args,)
        return module(*call_args, **(kwargs or {}))
    finally:
        for table, name, old in reversed(saved):
            if old is _ABSENT:
                del table[name]
            else:
                table[name] = old


def stack_module_state(models: Any) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """torch.func.stack_module_state(models): (params, buffers), each name's tensors of the
    models stacked along a new dim 0 (a new leaf requiring grad where theirs did)."""
    from gradcli.interp.nn_module import _named_parameters_list
    from gradcli.interp.nn_state import _named_buffers_list

    models = list(models)
    if not models:
        raise GdRuntimeError("stack_module_state: Expected at least one model, got 0.")
    if len({bool(m.attrs.get("training", True)) for m in models}) != 1:
        raise GdRuntimeError("stack_module_state: Expected all models to have the same "
                             "training/eval mode.")
    if not all(isinstance(m, ModuleInstance) and m.cls is models[0].cls for m in models):
        raise GdRuntimeError("stack_module_state: Expected all models to be of the same "
                             "class.")

    def stacked(lists: list[list[tuple[str, Tensor]]]) -> dict[str, Tensor]:
        tables = [dict(pairs) for pairs in lists]
        out = {}
        for k in tables[0]:
            tensors = [t[k] for t in tables]
            flags = {t.requires_grad for t in tensors}
            if len(flags) != 1:
                raise GdRuntimeError(f"Expected {k} from each model to have the same "
                                     ".requires_grad")
            result = ops.stack(tensors)
            if flags == {True}:
                result = result.detach()
                result.requires_grad = True
            out[k] = result
        return out

    return (stacked([_named_parameters_list(m) for m in models]),
            stacked([_named_buffers_list(m) for m in models]))


_BATCH_NORMS = frozenset(("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"))


def replace_all_batch_norm_modules_(root: Any) -> Any:
    """torch.func.replace_all_batch_norm_modules_(root): every batch norm below root
    (itself included) stops tracking running statistics (its buffers become None), as
    vmap over a batch-norm model needs; root is returned."""
    if not isinstance(root, ModuleInstance):
        raise GdRuntimeError(f"'{type_name(root)}' object has no attribute 'modules'",
                             py_type="AttributeError")
    for _, m in list(named_modules_of(root)):
        if (any(c.name in _BATCH_NORMS and type(c) is ModuleClass for c in m.cls.chain)
                and m.get_attr("track_running_stats")):
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                m.set_attr(name, None)
            m.set_attr("track_running_stats", False)
    return root


def functionalize(func: Any, *, remove: str = "mutations") -> Builtin:
    """torch.func.functionalize(func): func itself as gd runs it (no graph capture: its
    values, its in-place changes to its inputs included, are the same)."""
    return Builtin(f"functionalize({getattr(func, 'name', 'fn')})", func)


def linearize(func: Any, *primals: Any) -> tuple[Any, Builtin]:
    """torch.func.linearize: (func(*primals), jvp_fn) with jvp_fn(*tangents) =
    J·tangents (PyTorch's parameter names: `linearize(func=f, ...)`)."""
    fn = func
    out, _ = _func.jvp(fn, primals, tuple(p.detach() * 0 if type(p) is Tensor else p
                                         for p in primals))

    def jvp_fn(*tangents: Any) -> Any:
        return _func.jvp(fn, primals, tangents)[1]

    return out, Builtin("jvp_fn", jvp_fn)


class NodeClass:
    """torch.autograd.graph.Node: the class of every grad_fn (for isinstance)."""

    __slots__ = ()
    name = "Node"

    def instance_check(self, value: Any) -> bool:
        from gradcli.ad.graph import Node
        from gradcli.interp.values import AccumulateGrad

        return isinstance(value, (Node, AccumulateGrad))

    def __repr__(self) -> str:
        return "<class 'torch.autograd.graph.Node'>"


def namespaces(torch_func: Namespace, function_base: Any) -> dict[str, Namespace]:
    """The extra importable modules, with torch.func's members completed."""
    torch_func.members["functional_call"] = Builtin("torch.func.functional_call",
                                                    functional_call)
    torch_func.members["linearize"] = Builtin("torch.func.linearize", linearize)
    torch_func.members["stack_module_state"] = Builtin("torch.func.stack_module_state",
                                                       stack_module_state)
    torch_func.members["replace_all_batch_norm_modules_"] = Builtin(
        "torch.func.replace_all_batch_norm_modules_", replace_all_batch_norm_modules_)
    torch_func.members["functionalize"] = Builtin("torch.func.functionalize", functionalize)
    function = Namespace("torch.autograd.function", {
        "Function": function_base,
        "once_differentiable": Decorator("torch.autograd.function.once_differentiable",
                                         CF.once_differentiable),
    })
    stateless = Namespace("torch.nn.utils.stateless", {
        "functional_call": Builtin("torch.nn.utils.stateless.functional_call",
                                   functional_call)})
    functorch = Namespace("functorch", dict(torch_func.members))
    graph = Namespace("torch.autograd.graph", {
        "saved_tensors_hooks": Builtin("torch.autograd.graph.saved_tensors_hooks",
                                       saved_hooks.saved_tensors_hooks),
        "save_on_cpu": Builtin("torch.autograd.graph.save_on_cpu", saved_hooks.save_on_cpu),
        "Node": NodeClass(),
        "register_multi_grad_hook": Builtin("torch.autograd.graph.register_multi_grad_hook",
                                            register_multi_grad_hook),
        "disable_saved_tensors_hooks": Builtin(
            "torch.autograd.graph.disable_saved_tensors_hooks",
            saved_hooks.disable_saved_tensors_hooks),
        "GradientEdge": gradient_edge.gradient_edge_class(),
        "get_gradient_edge": Builtin("torch.autograd.graph.get_gradient_edge",
                                     gradient_edge.get_gradient_edge),
        "increment_version": Builtin("torch.autograd.graph.increment_version",
                                     gradient_edge.increment_version),
    })
    return {"torch.autograd.function": function, "torch.nn.utils.stateless": stateless,
            "functorch": functorch, "torch.autograd.graph": graph}
