"""An optimizer's hooks: register_step_pre_hook / register_step_post_hook and the
state_dict / load_state_dict pre- and post-hooks, run where and as PyTorch runs them.

Each kind is a dict keyed by its handles' ids (handle.remove() pops it, `prepend=True`
puts the hook first). A step pre-hook gets (optimizer, args, kwargs) with args holding
the optimizer first, as PyTorch's wrapper of step passes them, and may return new
(args, kwargs); a state_dict post-hook or load_state_dict pre-hook may return the
state dict to use instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradcli.ad import hooks as H
from gradcli.errors import GdRuntimeError
from gradcli.interp.pytext import format_value
from gradcli.interp.values import at


def _table(opt: Any, kind: str) -> dict[int, Any]:
    if opt.hooks is None:
        opt.hooks = {}
    return opt.hooks.setdefault(kind, {})


def _register(opt: Any, kind: str, hook: Any, prepend: bool = False) -> H.RemovableHandle:
    table = _table(opt, kind)
    handle = H.RemovableHandle(table, hook)
    if prepend:
        rest = dict(table)
        table.clear()
        table[handle.id] = hook
        table.update(rest)
    else:
        table[handle.id] = hook
    return handle


def hooks_of(opt: Any, kind: str) -> list[Any]:
    """The hooks of one kind, in their order (a copy: a hook may remove itself)."""
    table = None if opt.hooks is None else opt.hooks.get(kind)
    return list(table.values()) if table else []


def hooked_step(opt: Any, step: Callable[..., Any], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    """step(*args, **kwargs) (args: the optimizer first) between the step hooks."""
    for hook in hooks_of(opt, "step_pre"):
        result = hook(opt, args, kwargs)
        if result is None:
            continue
        if not (isinstance(result, tuple) and len(result) == 2):
            raise GdRuntimeError(f"{_step_repr(opt)} must return None or a tuple of "
                                 f"(new_args, new_kwargs), but got {format_value(result)}.")
        args, kwargs = result
    out = step(*args, **kwargs)
    for hook in hooks_of(opt, "step_post"):
        hook(opt, args, kwargs)
    return out


def _step_repr(opt: Any) -> str:
    return f"<function {opt.kind}.step{at(opt)}>"


def state_dict(opt: Any, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """make() between the state_dict hooks (a post-hook's non-None result replaces it)."""
    for hook in hooks_of(opt, "state_dict_pre"):
        hook(opt)
    sd = make()
    for hook in hooks_of(opt, "state_dict_post"):
        result = hook(opt, sd)
        if result is not None:
            sd = result
    return sd


def load_state_dict(opt: Any, sd: Any, load: Callable[[Any], None]) -> None:
    """load(sd) between the load_state_dict hooks (a pre-hook's non-None result is
    loaded instead)."""
    for hook in hooks_of(opt, "load_state_dict_pre"):
        result = hook(opt, sd)
        if result is not None:
            sd = result
    load(sd)
    for hook in hooks_of(opt, "load_state_dict_post"):
        hook(opt)


def _step_pre(opt: Any, hook: Any) -> H.RemovableHandle:
    return _register(opt, "step_pre", hook)


def _step_post(opt: Any, hook: Any) -> H.RemovableHandle:
    return _register(opt, "step_post", hook)


def _state_dict_pre(opt: Any, hook: Any, prepend: bool = False) -> H.RemovableHandle:
    return _register(opt, "state_dict_pre", hook, prepend)


def _state_dict_post(opt: Any, hook: Any, prepend: bool = False) -> H.RemovableHandle:
    return _register(opt, "state_dict_post", hook, prepend)


def _load_pre(opt: Any, hook: Any, prepend: bool = False) -> H.RemovableHandle:
    return _register(opt, "load_state_dict_pre", hook, prepend)


def _load_post(opt: Any, hook: Any, prepend: bool = False) -> H.RemovableHandle:
    return _register(opt, "load_state_dict_post", hook, prepend)


#: The registration methods, as an optimizer's methods.
METHODS: dict[str, Callable[..., Any]] = {
    "register_step_pre_hook": _step_pre, "register_step_post_hook": _step_post,
    "register_state_dict_pre_hook": _state_dict_pre,
    "register_state_dict_post_hook": _state_dict_post,
    "register_load_state_dict_pre_hook": _load_pre,
    "register_load_state_dict_post_hook": _load_post,
}
