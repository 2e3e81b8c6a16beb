"""nn.Module hooks, as torch.nn.Module._call_impl runs them.

`register_forward_pre_hook`, `register_forward_hook`, `register_full_backward_pre_hook`,
`register_full_backward_hook` and the legacy `register_backward_hook` each return a
RemovableHandle. Calling a module with hooks: forward pre-hooks (each may replace the
arguments), then, when backward hooks exist, the tensor arguments pass through one identity
node `BackwardHookFunctionBackward`, forward, forward hooks (each may replace the result),
and the result's tensors pass through another. Backward through the output node stores
grad_output (and runs the backward pre-hooks on it); backward through the input node runs
the full backward hooks on (grad_input, grad_output), PyTorch's torch.utils.hooks.BackwardHook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import hooks as H
from gradcli.ad.state import State, warn
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdError, GdLimitError, GdRuntimeError
from gradcli.interp import custom_function as CF
from gradcli.interp.exceptions import exception_of
from gradcli.interp.values import to_repr


class ModuleHooks:
    """The hooks of one module, as PyTorch keeps them in its __dict__: OrderedDicts from
    the handle's id to the hook, in the order they run (a program reads and edits them:
    `m._forward_hooks.clear()`), and the ids registered with_kwargs / always_call."""

    __slots__ = (
        "always",
        "backward",
        "backward_pre",
        "forward",
        "forward_kwargs",
        "forward_pre",
        "forward_pre_kwargs",
        "full",
    )

    def __init__(self) -> None:
        from gradcli.interp.nn_state import StateDict  # nn_state imports nn_module, this

        self.forward_pre: dict[int, Any] = StateDict()
        self.forward_pre_kwargs: dict[int, bool] = StateDict()
        self.forward: dict[int, Any] = StateDict()
        self.forward_kwargs: dict[int, bool] = StateDict()
        self.always: dict[int, bool] = StateDict()
        self.backward: dict[int, Any] = StateDict()
        self.backward_pre: dict[int, Any] = StateDict()
        self.full: bool | None = None  # the kind of backward hooks: full or legacy

    def any(self) -> bool:
        """Whether a call must go through call() at all."""
        return bool(self.forward_pre or self.forward or self.backward or self.backward_pre)

    def copy(self) -> ModuleHooks:
        """copy.deepcopy's: new dicts holding the same hooks."""
        out = ModuleHooks()
        for name in self.__slots__:
            value = getattr(self, name)
            setattr(out, name, type(value)(value) if isinstance(value, dict) else value)
        return out


#: A module's hook dicts by PyTorch's attribute name (ModuleHooks' field).
DICTS = {"_forward_pre_hooks": "forward_pre", "_forward_pre_hooks_with_kwargs":
         "forward_pre_kwargs", "_forward_hooks": "forward", "_forward_hooks_with_kwargs":
         "forward_kwargs", "_forward_hooks_always_called": "always",
         "_backward_hooks": "backward", "_backward_pre_hooks": "backward_pre"}


def hooks_of(m: Any) -> ModuleHooks:
    """m's hooks (made empty the first time they are asked for)."""
    if m.hooks is None:
        m.hooks = ModuleHooks()
    return m.hooks


def _add(hooks: ModuleHooks, field: str, hook: Any, prepend: Any = False,
         flags: tuple[str, ...] = ()) -> H.RemovableHandle:
    table = getattr(hooks, field)
    extra = [getattr(hooks, f) for f in flags]
    handle = H.RemovableHandle(table, hook, tuple(extra))
    table[handle.id] = hook
    if prepend:
        table.move_to_end(handle.id, last=False)
    for flag in extra:
        flag[handle.id] = True
    return handle


def _forward_pre(m: Any, hook: Any, *, prepend: Any = False,
                 with_kwargs: Any = False) -> H.RemovableHandle:
    return _add(hooks_of(m), "forward_pre", hook, prepend,
                ("forward_pre_kwargs",) if with_kwargs else ())


def _forward(m: Any, hook: Any, *, prepend: Any = False, with_kwargs: Any = False,
             always_call: Any = False) -> H.RemovableHandle:
    flags = (("forward_kwargs",) if with_kwargs else ()) + (("always",) if always_call else ())
    return _add(hooks_of(m), "forward", hook, prepend, flags)


def _backward_kind(m: Any, full: bool) -> ModuleHooks:
    hooks = hooks_of(m)
    if hooks.full is (not full) and hooks.backward:
        raise GdRuntimeError("Cannot use both regular backward hooks and full backward hooks "
                             "on a single Module. Please use only one of them.")
    hooks.full = full
    return hooks


def _full_backward(m: Any, hook: Any, prepend: Any = False) -> H.RemovableHandle:
    return _add(_backward_kind(m, True), "backward", hook, prepend)


def _backward_pre(m: Any, hook: Any, prepend: Any = False) -> H.RemovableHandle:
    return _add(hooks_of(m), "backward_pre", hook, prepend)


def _legacy_backward(m: Any, hook: Any) -> H.RemovableHandle:
    return _add(_backward_kind(m, False), "backward", hook)


#: The registration methods nn.Module gains (nn_module.MODULE_METHODS).
METHODS: dict[str, Callable[..., Any]] = {
    "register_forward_pre_hook": _forward_pre,
    "register_forward_hook": _forward,
    "register_full_backward_hook": _full_backward,
    "register_full_backward_pre_hook": _backward_pre,
    "register_backward_hook": _legacy_backward,
}


# -- the call ------------------------------------------------------------------------------

def call(m: Any, forward: Callable[..., Any], args: tuple[Any, ...],
         kwargs: dict[str, Any]) -> Any:
    """m(*args, **kwargs) with m's hooks."""
    called: set[int] = set()  # the always_call forward hooks that ran
    given = [args, kwargs]  # as the forward pre-hooks left them
    try:
        return _call(m, forward, given, called)
    except GdLimitError:
        raise
    except GdError:
        # PyTorch runs the forward hooks registered with always_call=True that have not
        # run yet (on result None), silencing their own errors, then raises the error.
        hooks: ModuleHooks = m.hooks
        args, kwargs = given
        for key, fn in list(hooks.forward.items()):
            if key in hooks.always and key not in called:
                try:
                    if key in hooks.forward_kwargs:
                        fn(m, args, kwargs, None)
                    else:
                        fn(m, args, None)
                except GdLimitError:
                    raise
                except GdError as e:
                    exc = exception_of(e)
                    warn("module forward hook with ``always_call=True`` raised an exception "
                         f"that was silenced as another error was raised in forward: "
                         f"{e.message if exc is None else str(exc)}")
        raise


def _call(m: Any, forward: Callable[..., Any], given: list[Any], called: set[int]) -> Any:
    hooks: ModuleHooks = m.hooks
    args, kwargs = given
    for key, fn in list(hooks.forward_pre.items()):
        if key in hooks.forward_pre_kwargs:
            r = fn(m, args, kwargs)
            if r is not None:
                if type(r) is not tuple or len(r) != 2:
                    raise GdRuntimeError("forward pre-hook must return None or a tuple of "
                                         f"(new_args, new_kwargs), but got {to_repr(r)}.")
                args, kwargs = r
        else:
            r = fn(m, args)
            if r is not None:
                args = r if type(r) is tuple else (r,)
        given[:] = args, kwargs
    full = hooks.full is True and bool(hooks.backward)
    bw = _BackwardHook(m, hooks) if full or hooks.backward_pre else None
    if bw is not None:
        args = bw.setup_input(args)
    result = forward(*args, **kwargs)
    for key, fn in list(hooks.forward.items()):
        if key in hooks.always:
            called.add(key)
        r = fn(m, args, kwargs, result) if key in hooks.forward_kwargs else fn(m, args, result)
        if r is not None:
            result = r
    if bw is not None:
        result = bw.setup_output(result)
    if hooks.full is False and hooks.backward:
        var = result
        while type(var) is not Tensor:
            var = next(v for v in var.values() if type(v) is Tensor) \
                if type(var) is dict else var[0]
        if var.grad_fn is not None:
            for fn in list(hooks.backward.values()):
                H.register_node_hook(var.grad_fn, _legacy(m, fn))
    return result


def _legacy(m: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    def hook(grad_input: tuple[Any, ...], grad_output: tuple[Any, ...]) -> Any:
        return fn(m, grad_input, grad_output)

    hook.__name__ = str(getattr(fn, "name", "hook"))
    return hook


class _Identity:
    """PyTorch's BackwardHookFunction as a custom autograd.Function: its outputs are its
    tensor inputs; its backward hands the gradients to `on_backward`."""

    name = "BackwardHookFunction"
    bases: tuple[Any, ...] = ()

    def __init__(self, on_backward: Callable[[tuple[Any, ...]], tuple[Any, ...]],
                 none_unneeded: bool) -> None:
        self.on_backward = on_backward
        self.none_unneeded = none_unneeded  # the output side: None for an unneeded grad

    def lookup(self, name: str) -> Any:
        forward = self._forward_output if self.none_unneeded else self._forward
        return {"forward": forward, "backward": self._backward}.get(name)

    @staticmethod
    def _forward_output(ctx: CF.FunctionCtx, *tensors: Tensor) -> Any:
        # The output side hands its hooks None for an output no gradient reached (PyTorch
        # reads them in a pre-hook of this node, before they are made zeros).
        ctx.materialize = False
        return _Identity._forward(ctx, *tensors)

    @staticmethod
    def _forward(ctx: CF.FunctionCtx, *tensors: Tensor) -> Any:
        outs = tuple(t.detach() for t in tensors)
        ctx.mark_non_differentiable(*(o for o, t in zip(outs, tensors, strict=True)
                                      if not t.requires_grad))
        return outs if len(outs) != 1 else outs[0]

    def _backward(self, ctx: CF.FunctionCtx, *grads: Any) -> Any:
        if self.none_unneeded:
            grads = tuple(g if need else None
                          for g, need in zip(grads, ctx.needs_input_grad, strict=True))
        out = self.on_backward(grads)
        return out if len(out) != 1 else out[0]


def _through(fn: _Identity, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], list[int] | None]:
    """args with their tensors through fn's node, and the tensors' positions (None when
    nothing needs a gradient)."""
    idx = [i for i, a in enumerate(args) if type(a) is Tensor]
    if not (State.grad_enabled and any(args[i].requires_grad for i in idx)):
        return args, None
    out = CF.apply(fn, tuple(args[i] for i in idx))
    new = list(args)
    for i, t in zip(idx, out if type(out) is tuple else (out,), strict=True):
        new[i] = t
    return tuple(new), idx


def _pack(idx: list[int], values: tuple[Any, ...], size: int) -> tuple[Any, ...]:
    res: list[Any] = [None] * size
    for i, v in zip(idx, values, strict=True):
        res[i] = v
    return tuple(res)


class _BackwardHook:
    """torch.utils.hooks.BackwardHook: one module call's link from output to input grads."""

    __slots__ = ("grad_outputs", "hooks", "in_idx", "module", "n_in", "n_out", "out_idx")

    def __init__(self, module: Any, hooks: ModuleHooks) -> None:
        self.module = module
        self.hooks = hooks
        self.grad_outputs: tuple[Any, ...] | None = None
        self.in_idx: list[int] | None = None
        self.out_idx: list[int] | None = None
        self.n_in = self.n_out = -1

    def _full(self) -> list[Callable[..., Any]]:
        return list(self.hooks.backward.values()) if self.hooks.full else []

    def setup_input(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        res, self.in_idx = _through(_Identity(self._on_input, False), args)
        self.n_in = len(args)
        return res

    def setup_output(self, result: Any) -> Any:
        single = type(result) is not tuple
        args = (result,) if single else result
        res, self.out_idx = _through(_Identity(self._on_output, True), args)
        self.n_out = len(args)
        return res[0] if single else res

    def _on_input(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        if self.grad_outputs is None or self.in_idx is None:
            return grads
        res = given = _pack(self.in_idx, grads, self.n_in)
        for fn in self._full():
            out = fn(self.module, res, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(res):
                raise GdRuntimeError("Backward hook returned an invalid number of grad_input, "
                                     f"got {len(out)}, but expected {len(res)}")
            res = out
        if res is not given:  # checked as PyTorch checks its wrapper, a tensor hook 'hook'
            res = tuple(new if new is None or old is None else H.checked_result("hook", new, old)
                        for new, old in zip(res, given, strict=True))
        self.grad_outputs = None
        return tuple(res[i] for i in self.in_idx)

    def _on_output(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        assert self.out_idx is not None
        self.grad_outputs = given = _pack(self.out_idx, grads, self.n_out)
        for fn in list(self.hooks.backward_pre.values()):
            new = fn(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise GdRuntimeError("Backward pre hook returned an invalid number of "
                                     f"grad_output, got {len(new)}, but expected "
                                     f"{len(self.grad_outputs)}")
            self.grad_outputs = new
        if self.grad_outputs is not given:  # PyTorch's wrapper is a tensor hook 'hook' too
            self.grad_outputs = tuple(
                n if n is None or o is None else H.checked_result("hook", n, o)
                for n, o in zip(self.grad_outputs, given, strict=True))
        local = self.grad_outputs
        if self.in_idx is None:
            warn("Full backward hook is firing when gradients are computed with respect to "
                 "module outputs since no inputs require gradients. See "
                 "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                 "#torch.nn.Module.register_full_backward_hook for more details.")
            empty = (None,) * self.n_in
            for fn in self._full():
                r = fn(self.module, empty, self.grad_outputs)
                if r is not None and not (type(r) is tuple and all(v is None for v in r)):
                    raise GdRuntimeError("Backward hook for Modules where no input requires "
                                         "gradient should always return None or None for all "
                                         "gradients.")
            self.grad_outputs = None
        return tuple(local[i] for i in self.out_idx)
