"""torch.optim for gd programs: SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, NAdam, RAdam,
Adadelta, Rprop, ASGD, Adafactor and LBFGS.

An optimizer is a gd value (GdObject) holding PyTorch's `param_groups` (a gd list of gd
dicts: `opt.param_groups[0]["lr"] = 0.01` changes the next step), `defaults` and `state`;
the update arithmetic is the core's (gradcli.ad.optim). Only the attributes listed in
`_ATTRIBUTES` reach a program: no host object behind them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import ops, optim_extra
from gradcli.ad import optim as rules
from gradcli.ad.graph import Tensor, bump_version
from gradcli.ad.tensor import enable_grad, no_grad
from gradcli.errors import GdRuntimeError
from gradcli.interp import limits, optim_hooks, pymethods
from gradcli.interp.devices import legacy_name
from gradcli.interp.pytext import format_value
from gradcli.interp.values import (
    BoundMethod,
    Builtin,
    GdObject,
    private_name_error,
    to_repr,
    type_name,
)


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def _type_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="TypeError")


class StateDict(dict):  # type: ignore[type-arg]
    """opt.state: PyTorch's defaultdict(dict) keyed by parameter; prints as it does."""

    torch_type = "collections.defaultdict"  # type(opt.state)

    def __missing__(self, key: Any) -> dict[str, Any]:
        value: dict[str, Any] = {}
        self[key] = value
        return value

    def __repr__(self) -> str:
        body = ", ".join(f"{to_repr(k)}: {to_repr(v)}" for k, v in self.items())
        return f"defaultdict(<class 'dict'>, {{{body}}})"


StateDict.__name__ = "defaultdict"
pymethods.METHODS[StateDict] = pymethods.METHODS[dict]  # opt.state.items(), .keys(), ...


class Optimizer(GdObject):
    """A torch.optim optimizer: its kind ("SGD", ...), param groups, defaults and state."""

    __slots__ = ("defaults", "hooks", "kind", "param_groups", "state")

    def __init__(self, kind: str, params: Any, defaults: dict[str, Any]) -> None:
        self.kind = kind
        self.hooks: dict[str, dict[int, Any]] | None = None  # (gradcli.interp.optim_hooks)
        self.defaults = defaults
        self.state: StateDict = StateDict()
        self.param_groups: list[dict[str, Any]] = []
        if type(params) is Tensor:
            raise _type_error("params argument given to the optimizer should be an iterable "
                              f"of Tensors or dicts, but got {legacy_name(params.dtype)}")
        groups = list(limits.bounded(params, "optimizer parameters"))
        if not groups:
            raise _value_error("optimizer got an empty parameter list")
        if type(groups[0]) is not dict:
            groups = [{"params": groups}]
        for group in groups:
            Optimizer.add_param_group(self, group)  # (also a gd optimizer class's instance)

    # -- PyTorch's methods ------------------------------------------------------------
    def add_param_group(self, param_group: Any) -> None:
        """Add a dict of parameters (and their options) as a new group."""
        if type(param_group) is not dict:
            raise _type_error("param_group must be a dict, but got "
                              f"<class '{type_name(param_group)}'>")
        params = param_group["params"]
        if type(params) is Tensor:
            params = [params]
        elif type(params) is set:
            raise _type_error(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead.")
        params = list(limits.bounded(params, "optimizer parameters"))
        # (name, tensor) pairs (model.named_parameters()): the names as param_names
        if any(type(p) is tuple and len(p) < 2 for p in params):
            raise GdRuntimeError("tuple index out of range", py_type="IndexError")
        names = [p[0] for p in params if type(p) is tuple]
        params = [p[1] if type(p) is tuple else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise _value_error("all optimizer params should be with/without names. Some "
                                   "param names are missing")
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):  # (nn_lazy's UninitializedParameter is one)
                kind = type(p).__name__ if isinstance(p, (Builtin, BoundMethod)) else type_name(p)
                raise _type_error("optimizer can only optimize Tensors, but one of the params "
                                  f"is {kind}")
            if not (p.is_leaf or p.retains_grad):
                raise _value_error("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is REQUIRED and name not in param_group:
                raise _value_error("parameter group didn't specify a value of required "
                                   f"optimization parameter {name}")
            param_group.setdefault(name, default)
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                raise _value_error(
                    "all optimizer param groups should be with/without names. cannot add "
                    "param group " + ("with names" if "param_names" in param_group
                                      else "without names") + " to the optimizer")
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in params):
            raise _value_error("some parameters appear in more than one parameter group")
        if self.kind == "Adagrad":
            for p in params:
                self.state[p] = rules.adagrad_state(p, param_group["initial_accumulator_value"])
        self.param_groups.append(param_group)

    def step(self, *args: Any, **kwargs: Any) -> Any:
        """One optimization step (closure: reevaluates the loss first, with grad on),
        between the step hooks if it has any."""
        if self.hooks is None:
            return Optimizer.plain_step(self, *args, **kwargs)
        return optim_hooks.hooked_step(self, Optimizer.plain_step, (self, *args), kwargs)

    def plain_step(self, closure: Any = None) -> Any:
        """step without its hooks."""
        if self.kind == "LBFGS":
            from gradcli.interp import lbfgs

            group = self.param_groups[0]
            return lbfgs.step(group, self.state[group["params"][0]], closure)
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        rule = _RULES[self.kind]
        with no_grad():
            for group in self.param_groups:
                rule(group, self.state)
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the parameters' gradients: to None (default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if set_to_none:
                    p.grad = None
                    continue
                if g.grad_fn is not None:
                    g.detach_()
                else:
                    g.requires_grad_(False)
                g.array[...] = 0
                bump_version(g)

    def state_dict(self) -> dict[str, Any]:
        """{'state': ..., 'param_groups': ...} (see packed_state), between the hooks."""
        if self.hooks is None:
            return Optimizer.packed_state(self)
        return optim_hooks.state_dict(self, lambda: Optimizer.packed_state(self))

    def packed_state(self) -> dict[str, Any]:
        """{'state': ..., 'param_groups': ...} as PyTorch packs them: parameters numbered
        in group order, each group's options then its parameters' numbers; the state's
        dicts are the optimizer's own (not copies), as there."""
        numbers: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                numbers.setdefault(id(p), len(numbers))
            packed["params"] = [numbers[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {numbers[id(k)] if type(k) is Tensor else k: v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Any) -> None:
        """Take another optimizer's state_dict() (see load_state), between the hooks."""
        if self.hooks is None:
            Optimizer.load_state(self, state_dict)
        else:
            optim_hooks.load_state_dict(self, state_dict,
                                        lambda sd: Optimizer.load_state(self, sd))

    def load_state(self, state_dict: Any) -> None:
        """Take another optimizer's state_dict(): its options per group and its state,
        copied, matched to this optimizer's parameters by number (PyTorch's checks)."""
        if type(state_dict) is not dict or "param_groups" not in state_dict:
            raise _type_error("state_dict must be a dict with 'state' and 'param_groups'")
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise _value_error("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(
                self.param_groups, saved, strict=True)):
            raise _value_error("loaded state dict contains a parameter group that doesn't "
                               "match the size of optimizer's group")
        by_number = {n: p for g, s in zip(saved, self.param_groups, strict=True)
                     for n, p in zip(g["params"], s["params"], strict=True)}
        state: StateDict = StateDict()
        for k, v in state_dict.get("state", {}).items():
            p = by_number.get(k)
            if p is None:
                state[k] = _copied(v, None)
            else:
                state[p] = {name: _copied(x, None if name == "step" else p)
                            for name, x in v.items()}
        self.state = state
        self.param_groups = [{**{k: _copied(v, None) for k, v in s.items() if k != "params"},
                              "params": g["params"],
                              **({"param_names": g["param_names"]}
                                 if "param_names" in g and "param_names" not in s else {})}
                             for g, s in zip(self.param_groups, saved, strict=True)]

    # -- gd's view of it ---------------------------------------------------------------
    def get_attr(self, name: str) -> Any:
        if name.startswith("_"):
            raise private_name_error(name)
        if name == "param_groups":
            return self.param_groups
        if name == "state":
            return self.state
        if name == "defaults":
            return self.defaults
        method = _METHODS.get(name)
        if method is not None:
            return BoundMethod(self, name, method)
        raise GdRuntimeError(f"'{self.kind}' object has no attribute '{name}'",
                             py_type="AttributeError")

    def set_attr(self, name: str, value: Any) -> None:
        raise GdRuntimeError(f"cannot set attribute '{name}' of a '{self.kind}' value")

    def del_attr(self, name: str) -> None:
        raise GdRuntimeError(f"cannot delete attribute '{name}' of a '{self.kind}' value")

    def gd_repr(self) -> str:
        text = self.kind + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {format_value(group[key])}\n"  # f"{v}" (a 0-d
                    # tensor as its number)
        return text + ")"

    def type_label(self) -> str:
        return self.kind

    @property
    def torch_type(self) -> str:
        """PyTorch's class of it, as type(opt) prints: torch.optim.sgd.SGD."""
        return f"{_module(self.kind)}.{self.kind}"


#: One class per kind, named as PyTorch's, so Python's own messages about an optimizer
#: name it as PyTorch's do ("'SGD' object is not iterable").
_KINDS: dict[str, type[Optimizer]] = {
    kind: type(kind, (Optimizer,), {"__slots__": ()})
    for kind in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam",
                 "Adadelta", "Rprop", "ASGD", "Adafactor", "LBFGS", "SparseAdam")}


def _sparse_adam_step(group: dict[str, Any], state: Any) -> None:
    """SparseAdam's step: gd's gradients are dense (it has no sparse layout), and
    PyTorch's SparseAdam takes sparse ones only."""
    for p in group["params"]:
        if p.grad is not None:
            raise GdRuntimeError("SparseAdam does not support dense gradients, please "
                                 "consider Adam instead")


_RULES = {**rules.RULES, **optim_extra.RULES, "SparseAdam": _sparse_adam_step}


def _module(kind: str) -> str:
    """The module PyTorch's optimizer class names (Adafactor's is torch.optim itself)."""
    if kind == "SparseAdam":
        return "torch.optim.sparse_adam"
    return "torch.optim" if kind == "Adafactor" else f"torch.optim.{kind.lower()}"


def _make(kind: str, params: Any, defaults: dict[str, Any]) -> Optimizer:
    return _KINDS[kind](kind, params, defaults)


_METHODS: dict[str, Callable[..., Any]] = {
    "step": Optimizer.step, "zero_grad": Optimizer.zero_grad,
    "add_param_group": Optimizer.add_param_group, "state_dict": Optimizer.state_dict,
    "load_state_dict": Optimizer.load_state_dict, **optim_hooks.METHODS,
}


def _copied(value: Any, like: Tensor | None) -> Any:
    """A saved state value as load_state_dict keeps it: a tensor cloned (in the dtype of
    the parameter `like`, except 'step'), containers copied, numbers as they are."""
    if type(value) is Tensor:
        with no_grad():
            t = ops.clone(value.detach())
            if like is not None and like.dtype != t.dtype and like.dtype.kind == "f":
                t = ops.to_dtype(t, like.dtype)
        return t
    if type(value) is dict:
        return {k: _copied(v, like) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_copied(v, like) for v in value)
    return value


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise _value_error(message)


def _sgd(self: None, params: Any, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
         weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
         foreach: Any = None, differentiable: bool = False, fused: Any = None) -> Optimizer:
    _check(not lr < 0.0, f"Invalid learning rate: {lr}")
    _check(not momentum < 0.0, f"Invalid momentum value: {momentum}")
    _check(not weight_decay < 0.0, f"Invalid weight_decay value: {weight_decay}")
    defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                "foreach": foreach, "differentiable": differentiable, "fused": fused}
    _check(not (nesterov and (momentum <= 0 or dampening != 0)),
           "Nesterov momentum requires a momentum and zero dampening")
    return _make("SGD", params, defaults)


def _adam_defaults(lr: Any, betas: Any, eps: Any, weight_decay: Any, amsgrad: Any,
                   maximize: Any, foreach: Any, capturable: Any, differentiable: Any,
                   fused: Any, decoupled_weight_decay: Any) -> dict[str, Any]:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    _check(type(betas[0]) is float and type(betas[1]) is float,
           "betas must be either both floats or both Tensors")
    return {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
            "capturable": capturable, "differentiable": differentiable, "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay}


def _adam(self: None, params: Any, lr: float = 1e-3, betas: Any = (0.9, 0.999), eps: float = 1e-8,
          weight_decay: float = 0, amsgrad: bool = False, *, foreach: Any = None,
          maximize: bool = False, capturable: bool = False, differentiable: bool = False,
          fused: Any = None, decoupled_weight_decay: bool = False) -> Optimizer:
    defaults = _adam_defaults(lr, betas, eps, weight_decay, amsgrad, maximize, foreach,
                              capturable, differentiable, fused, decoupled_weight_decay)
    return _make("Adam", params, defaults)


def _adamw(self: None, params: Any, lr: float = 1e-3, betas: Any = (0.9, 0.999), eps: float = 1e-8,
           weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
           foreach: Any = None, capturable: bool = False, differentiable: bool = False,
           fused: Any = None) -> Optimizer:
    defaults = _adam_defaults(lr, betas, eps, weight_decay, amsgrad, maximize, foreach,
                              capturable, differentiable, fused, True)
    return _make("AdamW", params, defaults)


def _rmsprop(self: None, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
             weight_decay: float = 0, momentum: float = 0, centered: bool = False,
             capturable: bool = False, foreach: Any = None, maximize: bool = False,
             differentiable: bool = False) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
    defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
    return _make("RMSprop", params, defaults)


def _adagrad(self: None, params: Any, lr: float = 1e-2, lr_decay: float = 0,
             weight_decay: float = 0, initial_accumulator_value: float = 0,
             eps: float = 1e-10, foreach: Any = None,
             *, maximize: bool = False, differentiable: bool = False,
             fused: Any = None) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    _check(initial_accumulator_value >= 0.0,
           f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                "maximize": maximize, "differentiable": differentiable, "fused": fused}
    return _make("Adagrad", params, defaults)


def _sparse_adam(self: None, params: Any, lr: Any = 1e-3, betas: Any = (0.9, 0.999),
                 eps: float = 1e-8, maximize: bool = False) -> Optimizer:
    if type(lr) is Tensor and lr.array.size != 1:
        raise _value_error("Tensor lr must be 1-element")
    _check(lr > 0.0, f"Invalid learning rate: {lr}")
    _check(eps > 0.0, f"Invalid epsilon value: {eps}")
    _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    return _make("SparseAdam", params, {"lr": lr, "betas": betas, "eps": eps,
                                        "maximize": maximize})


def _adamax(self: None, params: Any, lr: float = 2e-3, betas: Any = (0.9, 0.999),
            eps: float = 1e-8, weight_decay: float = 0, foreach: Any = None, *,
            maximize: bool = False, differentiable: bool = False,
            capturable: bool = False) -> Optimizer:
    _check_betas(lr, eps, betas, weight_decay)
    return _make("Adamax", params, {
        "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
        "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
        "capturable": capturable})


def _check_betas(lr: Any, eps: Any, betas: Any, weight_decay: Any) -> None:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")


def _nadam(self: None, params: Any, lr: float = 2e-3, betas: Any = (0.9, 0.999),
           eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
           decoupled_weight_decay: bool = False, *, foreach: Any = None,
           maximize: bool = False, capturable: bool = False,
           differentiable: bool = False) -> Optimizer:
    _check_betas(lr, eps, betas, weight_decay)
    _check(momentum_decay >= 0.0, f"Invalid momentum_decay value: {momentum_decay}")
    return _make("NAdam", params, {
        "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
        "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
        "maximize": maximize, "foreach": foreach, "capturable": capturable,
        "differentiable": differentiable})


def _radam(self: None, params: Any, lr: float = 1e-3, betas: Any = (0.9, 0.999),
           eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False,
           *, foreach: Any = None, maximize: bool = False, capturable: bool = False,
           differentiable: bool = False) -> Optimizer:
    _check_betas(lr, eps, betas, weight_decay)
    return _make("RAdam", params, {
        "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
        "maximize": maximize, "foreach": foreach, "capturable": capturable,
        "decoupled_weight_decay": decoupled_weight_decay, "differentiable": differentiable})


def _adadelta(self: None, params: Any, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
              weight_decay: float = 0, foreach: Any = None, *, capturable: bool = False,
              maximize: bool = False, differentiable: bool = False) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    return _make("Adadelta", params, {
        "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
        "maximize": maximize, "capturable": capturable, "foreach": foreach,
        "differentiable": differentiable})


def _rprop(self: None, params: Any, lr: float = 1e-2, etas: Any = (0.5, 1.2),
           step_sizes: Any = (1e-6, 50), *, capturable: bool = False, foreach: Any = None,
           maximize: bool = False, differentiable: bool = False) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(0.0 < etas[0] < 1.0 < etas[1], f"Invalid eta values: {etas[0]}, {etas[1]}")
    return _make("Rprop", params, {
        "lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
        "maximize": maximize, "differentiable": differentiable, "capturable": capturable})


def _asgd(self: None, params: Any, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
          t0: float = 1e6, weight_decay: float = 0, foreach: Any = None,
          maximize: bool = False, differentiable: bool = False,
          capturable: bool = False) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    return _make("ASGD", params, {
        "lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
        "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
        "capturable": capturable})


def _adafactor(self: None, params: Any, lr: Any = 1e-2, beta2_decay: float = -0.8,
               eps: Any = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
               foreach: Any = None, maximize: bool = False) -> Optimizer:
    if type(lr) is Tensor and lr.array.size != 1:
        raise _value_error("Tensor lr must be 1-element")
    _check(lr >= 0.0, f"Learning rate should be >= 0 but is: {lr}")
    _check(beta2_decay <= 0.0, f"beta2_decay should be <= 0 but is: {beta2_decay}")
    _check(eps[0] is None or eps[0] >= 0.0, f"epsilon1 should be >= 0 but is: {eps[0]}")
    _check(eps[1] >= 0.0, f"epsilon2 should be >= 0 but is: {eps[1]}")
    _check(d >= 1.0, f"Clipping threshold d should be >= 1 but is: {d}")
    _check(weight_decay >= 0.0, f"weight_decay should be >= 0 but is: {weight_decay}")
    return _make("Adafactor", params, {
        "lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
        "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize})


def _lbfgs(self: None, params: Any, lr: float = 1, max_iter: int = 20, max_eval: Any = None,
           tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9,
           history_size: int = 100, line_search_fn: Any = None) -> Optimizer:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    if max_eval is None:
        max_eval = max_iter * 5 // 4
    opt = _make("LBFGS", params, {
        "lr": lr, "max_iter": max_iter, "max_eval": max_eval,
        "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
        "history_size": history_size, "line_search_fn": line_search_fn})
    _check(len(opt.param_groups) == 1,
           "LBFGS doesn't support per-parameter options (parameter groups)")
    return opt


class OptimizerClass(Builtin):
    """torch.optim.<kind>: called, it makes the optimizer; it prints as PyTorch's class.
    Python's own argument errors name it as PyTorch does (`SGD.__init__() got an
    unexpected keyword argument 'foo'`, positions counted with self)."""

    __slots__ = ()
    is_class = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.fn(None, *args, **kwargs)
        except TypeError as e:
            raise _type_error(str(e)) from None

    def instance_check(self, value: Any) -> bool:
        """isinstance(value, this class)."""
        return type(value) is _KINDS[self.name.rsplit(".", 1)[-1]]

    def __repr__(self) -> str:
        kind = self.name.rsplit(".", 1)[-1]
        return f"<class '{_module(kind)}.{kind}'>"


class _RequiredParameter:
    """torch.optim.optimizer.required: the default of a hand-written optimizer's option
    that every parameter group has to give."""

    __slots__ = ()
    QUALNAME = "torch.optim.optimizer._RequiredParameter"  # type(required), as PyTorch's

    def __repr__(self) -> str:
        return "<required parameter>"


REQUIRED = _RequiredParameter()


def _constructor(kind: str, fn: Callable[..., Optimizer]) -> OptimizerClass:
    fn.__name__ = "__init__"
    fn.__qualname__ = f"{kind}.__init__"
    return OptimizerClass(f"torch.optim.{kind}", fn, f"torch.optim.{kind}(params, lr, ...): "
                                                     f"the {kind} optimizer, as PyTorch's")


#: torch.optim's members (the lr_scheduler namespace is added by the registry).
OPTIMIZERS: dict[str, OptimizerClass] = {
    kind: _constructor(kind, fn) for kind, fn in (
        ("SGD", _sgd), ("Adam", _adam), ("AdamW", _adamw), ("RMSprop", _rmsprop),
        ("Adagrad", _adagrad), ("Adamax", _adamax), ("NAdam", _nadam), ("RAdam", _radam),
        ("Adadelta", _adadelta), ("Rprop", _rprop), ("ASGD", _asgd),
        ("Adafactor", _adafactor), ("LBFGS", _lbfgs), ("SparseAdam", _sparse_adam))
}
