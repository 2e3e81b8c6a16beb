"""`torch.autograd.Function` subclasses: gd-defined forward and backward as one graph node.

`Cls.apply(*args)` runs `forward` with grad mode off, then records one node named
`<ClassName>Backward` whose VJP calls the class's `backward(ctx, *grad_outputs)` (under
the engine's grad mode: with create_graph its ops are recorded, so double backward works
when backward is written in differentiable ops). Forward mode calls `jvp(ctx, *tangents)`.

A class is any object with `.name`, `.lookup(name)` (an attribute through the class
chain, a staticmethod as its plain callable, None if absent) and `.bases`: the `class`
statements of gd give those. The `ctx` object is a `FunctionCtx`: a program reaches only
the attributes `ctx_get`/`ctx_set` allow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from gradcli.ad import kernels as K
from gradcli.ad import ops
from gradcli.ad.func import transforming
from gradcli.ad.graph import Family, Node, Tensor, bump_version, tensor_from_array
from gradcli.ad.identity import object_repr
from gradcli.ad.registry import Rule
from gradcli.ad.saved_checks import FREED_MESSAGE, version_error
from gradcli.ad.saved_hooks import pack_tensors, unpack_tensors
from gradcli.ad.state import POSITION, State, grad_mode, warn
from gradcli.errors import GdRuntimeError
from gradcli.interp.values import type_name
from gradcli.suggest import did_you_mean


class FunctionBase:
    """`torch.autograd.Function`: the base a custom function's class statement names."""

    __slots__ = ()
    name = "Function"
    torch_type = "torch.autograd.function.FunctionMeta"  # what type(Function) prints
    bases: tuple[Any, ...] = ()

    def lookup(self, name: str) -> Any:
        """No attribute of the base is a program's (forward/backward must be defined)."""
        return None

    def instance_check(self, value: Any) -> bool:
        """isinstance(obj, torch.autograd.Function): an instance of a custom function."""
        cls = getattr(value, "cls", None)
        return bool(getattr(cls, "function_base", False))

    def __repr__(self) -> str:
        return "<class 'torch.autograd.function.Function'>"


FUNCTION_BASE = FunctionBase()


def _not_implemented(message: str) -> GdRuntimeError:
    err = GdRuntimeError(message)
    err.py_type = "NotImplementedError"
    return err


class FunctionCtx:
    """The `ctx` a custom function's forward, setup_context, backward and jvp receive."""

    node_like = True  # named as its node is (values.type_name): FBackward

    __slots__ = (
        "attrs",
        "cls",
        "dirty",
        "family",
        "materialize",
        "metadata",
        "name",
        "needs_input_grad",
        "node",
        "non_diff",
        "packed",
        "saved",
        "saved_versions",
    )

    def __init__(self, name: str, needs_input_grad: tuple[bool, ...]) -> None:
        self.name = name  # <ClassName>Backward
        self.attrs: dict[str, Any] = {}
        self.saved: tuple[Any, ...] | None = ()
        self.saved_versions: tuple[int, ...] = ()
        self.needs_input_grad = needs_input_grad
        self.non_diff: dict[int, Any] = {}  # id → tensor, in the order marked
        self.dirty: dict[int, Any] = {}
        self.materialize = True
        self.node: Node | None = None
        self.packed: Any = None  # saved_hooks.Packed: saved_tensors_hooks' packed values
        self.family: Family | None = None  # the output nodes, with several outputs
        self.cls: Any = None  # the Function, once its node is recorded (grad_fn.apply)
        self.metadata: dict[Any, Any] = {}  # ctx.metadata, grad_fn.metadata: one dict

    def save_for_backward(self, *tensors: Any) -> None:
        """ctx.save_for_backward(*tensors): kept for backward (and jvp)."""
        for t in tensors:
            if t is not None and type(t) is not Tensor:
                raise GdRuntimeError("save_for_backward can only save variables, but "
                                     f"argument {tensors.index(t)} is not a Variable")
        self.saved = tensors
        self.saved_versions = tuple(0 if t is None else t._vc[0] for t in tensors)

    def saved_tensors(self) -> tuple[Any, ...]:
        """ctx.saved_tensors: what save_for_backward kept, unchanged in place since."""
        node = self.node
        if self.saved is None or (node is not None and node.freed and not State.final_pass):
            raise GdRuntimeError(FREED_MESSAGE)
        if self.packed is not None:
            return unpack_tensors(self.packed)
        for t, v in zip(self.saved, self.saved_versions, strict=True):
            if t is not None and t._vc[0] != v:
                fn = t.grad_fn
                raise version_error(t, fn if fn is not self.node else None, v)
        return self.saved

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Outputs that get no gradient (requires_grad False)."""
        self.non_diff.update((id(t), t) for t in tensors)

    def mark_dirty(self, *tensors: Any) -> None:
        """Inputs that forward changed in place (and returns)."""
        self.dirty.update((id(t), t) for t in tensors)

    def set_materialize_grads(self, value: Any) -> None:
        """False: an output's missing gradient reaches backward as None, not zeros."""
        self.materialize = bool(value)

    @property
    def torch_type(self) -> str:
        """What type(ctx) prints: the node's class (PyTorch's ctx is the backward node)."""
        return f"torch.autograd.function.{self.name}"

    def __repr__(self) -> str:
        return object_repr(f"torch.autograd.function.{self.name}", self)


_CTX_METHODS = {
    "save_for_backward": FunctionCtx.save_for_backward,
    "save_for_forward": FunctionCtx.save_for_backward,
    "mark_non_differentiable": FunctionCtx.mark_non_differentiable,
    "mark_dirty": FunctionCtx.mark_dirty,
    "set_materialize_grads": FunctionCtx.set_materialize_grads,
}


#: What forward marked, as PyTorch's ctx shows it until the node is made (None after):
#: ctx.to_save, ctx.non_differentiable, ctx.dirty_tensors.
_FORWARD_MARKS = {"to_save": "saved", "non_differentiable": "non_diff",
                  "dirty_tensors": "dirty"}


def ctx_get(ctx: FunctionCtx, name: str, bind: Any) -> Any:
    """ctx.name for a program; `bind(obj, name, fn)` makes a bound method value."""
    if name == "saved_tensors":
        return ctx.saved_tensors()
    if name == "saved_variables":  # the name before saved_tensors (old tutorials' ctx)
        warn("'saved_variables' is deprecated; use 'saved_tensors'", "DeprecationWarning")
        return ctx.saved_tensors()
    if name in _FORWARD_MARKS:
        marked = getattr(ctx, _FORWARD_MARKS[name])
        if ctx.node is not None or not marked:
            return None
        return marked if type(marked) is tuple else tuple(marked.values())
    if name == "metadata":
        return ctx.metadata
    if name == "saved_for_forward":  # save_for_forward shares save_for_backward's store
        return None
    if name == "requires_grad":  # (forward's ctx: the node to be)
        return any(ctx.needs_input_grad)
    if name == "name":
        return bind(ctx, name, lambda c: c.name)
    if name == "materialize_grads":
        raise GdRuntimeError("attribute 'materialize_grads' of 'torch._C._FunctionBase' "
                             "objects is not readable", py_type="AttributeError",
                             hint=did_you_mean(name, ["set_materialize_grads"]))
    if name == "needs_input_grad":
        return ctx.needs_input_grad
    if name == "apply" and ctx.cls is not None:  # y.grad_fn.apply(*grads): its backward
        user = ctx.cls.lookup("vjp") or ctx.cls.lookup("backward")
        if user is not None:
            return bind(ctx, name, user)
    fn = _CTX_METHODS.get(name)
    if fn is not None:
        return bind(ctx, name, fn)
    try:
        return ctx.attrs[name]
    except KeyError:
        raise GdRuntimeError(f"'{ctx.name}' object has no attribute '{name}'",
                             hint=did_you_mean(name, [*_CTX_METHODS, *ctx.attrs])) from None


def node_ctx(node: Node) -> FunctionCtx | None:
    """The ctx of a custom function's node (PyTorch's ctx IS y.grad_fn), else None."""
    if node.rule.name == "custom_function_output":
        node = node.parents[0]
    ctx = node.params.get("ctx") if node.rule.kind == "custom" else None
    return ctx if type(ctx) is FunctionCtx else None


def ctx_set(ctx: FunctionCtx, name: str, value: Any) -> None:
    """ctx.name = value: any attribute but the ctx's own."""
    if name in _CTX_METHODS or name in ("saved_tensors", "needs_input_grad"):
        raise GdRuntimeError(f"attribute '{name}' of 'torch._C._FunctionBase' objects is "
                             "not writable")
    ctx.attrs[name] = value


def ctx_del(ctx: FunctionCtx, name: str) -> None:
    """del ctx.name: an attribute the program set (the forward-AD tutorial's
    `del ctx.result` once jvp has used it)."""
    if name not in ctx.attrs:
        raise GdRuntimeError(f"'{ctx.name}' object has no attribute '{name}'",
                             py_type="AttributeError")
    del ctx.attrs[name]


def _bound(forward: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The arguments as forward's parameters take them, defaults filled in (PyTorch's
    bind_default_args, for a forward without ctx): what setup_context's inputs are."""
    names = getattr(forward, "defaults", None)
    if getattr(forward, "extra", True) is not None or names is None or len(args) > len(names):
        return args  # *args, **kwargs or too many: the call itself says what is wrong
    for k in kwargs:
        if k not in {n for n, _ in names[len(args):]}:  # inspect.Signature.bind's words
            raise GdRuntimeError(f"got an unexpected keyword argument '{k}'",
                                 py_type="TypeError")
    from gradcli.interp.runstate import REQUIRED  # (runstate imports this module's users)

    rest = [kwargs.get(n, d) for n, d in names[len(args):]]
    if any(v is REQUIRED for v in rest):
        return args
    return (*args, *rest)


def apply(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any] | None = None) -> Any:
    """Cls.apply(*args, **kwargs): run the custom function, recording its node (keywords
    go to forward as keywords, or are bound with the defaults when setup_context is
    defined, as PyTorch does)."""
    forward = cls.lookup("forward")
    if forward is None:
        raise _not_implemented("You must implement the forward function for custom "
                               "autograd.Function.")
    name = f"{cls.name}Backward"
    setup = cls.lookup("setup_context")
    kwargs = kwargs or {}
    if setup is not None:
        bound = _bound(forward, args, kwargs)
        if bound is not args:
            args, kwargs = bound, {}
    call_args, inputs = args, (*args, *kwargs.values())  # a keyword is an input too
    in_transform, in_vmap = transforming()
    if in_transform and setup is None:
        raise GdRuntimeError(
            "In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, "
            "jacrev, ...), it must override the setup_context staticmethod. For more details, "
            "please see https://pytorch.org/docs/main/notes/extending.func.html")
    if in_vmap and cls.lookup("vmap") is None and not cls.lookup("generate_vmap_rule"):
        raise GdRuntimeError(
            f"You tried to vmap over {cls.name}, but it does not have vmap support. Please "
            "override and implement the vmap staticmethod or set generate_vmap_rule=True. For "
            "more details, please see https://pytorch.org/docs/main/notes/extending.func.html")
    record = State.grad_enabled and any(
        type(a) is Tensor and a.requires_grad for a in inputs)
    # (what requires grad, even under no_grad: PyTorch's needs_input_grad)
    needs = tuple(type(a) is Tensor and a.requires_grad for a in inputs)
    ctx = FunctionCtx(name, needs)
    span = POSITION.span  # the call's place: the node's (not the forward's last line)
    level = State.forward_level
    tangents = [a.tangent if type(a) is Tensor else None for a in inputs] if level else []
    State.forward_level = 0
    try:
        with grad_mode(False):
            rule = cls.lookup("vmap") if in_vmap else None
            if rule is not None and not cls.lookup("generate_vmap_rule"):
                output = _vmap_rule(cls, rule, call_args, kwargs)
                setup(ctx, tuple(call_args), output)
            elif setup is not None:
                output = forward(*call_args, **kwargs)
                setup(ctx, tuple(call_args), output)
            else:
                output = forward(ctx, *call_args, **kwargs)
    finally:
        State.forward_level = level
    many = type(output) is tuple
    outs = list(output) if many else [output]
    for i, o in enumerate(outs):
        if type(o) is Tensor and any(o is a for a in inputs) and id(o) not in ctx.dirty:
            outs[i] = o.detach()  # an input returned as it is: a new tensor (a view of it)
            if id(o) in ctx.non_diff:
                ctx.non_diff[id(outs[i])] = outs[i]
    if record:
        POSITION.span = span
        _record(cls, ctx, inputs, outs, many)
        if ctx.saved:
            ctx.packed = pack_tensors(ctx.saved)
    if level and any(t is not None for t in tangents):
        _forward_tangents(cls, ctx, inputs, tangents, outs)
    return tuple(outs) if many else outs[0]


def _vmap_rule(cls: Any, rule: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The Function's own vmap staticmethod in place of forward, inside vmap.

    gd's vmap runs the mapped function once per sample. When the batched inputs are vmap's
    own samples (F.apply mapped directly, or called on them), the rule runs once, on the
    whole batches, as PyTorch runs it (info.batch_size, in_dims as vmap's), and each
    sample takes its slice of the result along the out_dims the rule returns. On computed
    inputs the samples' runs are batched at the call (func.VmapCalls: the rule runs once
    on their stacked inputs); where they cannot be (randomness="different", samples
    calling different rules), the rule sees each sample as a batch of one."""
    from gradcli.ad.func import VMAP_CALLS, VMAP_RANDOMNESS, VMAP_SAMPLES, CollectedCall

    batched = [type(a) is Tensor and hasattr(a, "batched") for a in args]
    randomness = VMAP_RANDOMNESS[-1] if VMAP_RANDOMNESS else "error"
    samples, cache = VMAP_SAMPLES[-1] if VMAP_SAMPLES else ({}, {})
    whole = [samples.get(id(a)) if b else None for a, b in zip(args, batched, strict=True)]
    index = {w[2] for w in whole if w is not None}
    if any(b for b in batched) and len(index) == 1 and all(
            w is not None for w, b in zip(whole, batched, strict=True) if b):
        key = (id(rule), *(id(a) if w is None else id(w[0]) for a, w in
                           zip(args, whole, strict=True)), *map(id, kwargs.values()))
        result = cache.get(key)
        if result is None:
            size = next(w[0].shape[w[1]] for w in whole if w is not None)
            with _level_exited():
                result = _checked(rule(_vmap_info(size, randomness),
                                       tuple(None if w is None else w[1] for w in whole),
                                       *(a if w is None else w[0] for a, w in
                                         zip(args, whole, strict=True)), **kwargs))
            cache[key] = result
        return _sample_of(result, index.pop())
    calls = VMAP_CALLS[-1] if VMAP_CALLS else None
    if calls is not None and any(batched):
        k = calls.count
        calls.count = k + 1
        if k == len(calls.results):  # not answered yet: collect this sample's inputs
            calls.collected.append((calls.sample, rule, args, batched, kwargs))
            if calls.answer is None:
                calls.answer = lambda collected: _batched_call(collected, randomness)
            raise CollectedCall(calls)
        if k + 1 == len(calls.results):
            State.muted = calls.muted  # past where this sample stopped: it prints again
        answer = calls.results[k]
        if answer is not None and answer[0] is rule and calls.sample in answer[2]:
            return _sample_of(answer[1], answer[2][calls.sample])
    ones = tuple(ops.unsqueeze(a, 0) if b else a for a, b in zip(args, batched, strict=True))
    with _level_exited():
        result = _checked(rule(_vmap_info(1, randomness),
                               tuple(0 if b else None for b in batched), *ones, **kwargs))
    return _sample_of(result, 0)


def _batched_call(collected: list[Any], randomness: str) -> Any:
    """A vmap rule's call, once, on the inputs the samples' runs stopped at, stacked (dim 0
    mapped; an unbatched input is the first sample's: it depends on no sample, as in
    PyTorch's one run): (rule, its result, sample -> row), or None when they are no
    batch (different rules, flags or shapes)."""
    _, rule, args, batched, kwargs = collected[0]
    if any(c[1] is not rule or c[3] != batched or len(c[2]) != len(args) for c in collected):
        return None
    with _level_exited():
        try:
            whole = tuple(ops.stack([c[2][p] for c in collected]) if b else a
                          for p, (a, b) in enumerate(zip(args, batched, strict=True)))
        except GdRuntimeError:
            return None
        result = _checked(rule(_vmap_info(len(collected), randomness),
                               tuple(0 if b else None for b in batched), *whole, **kwargs))
    return rule, result, {c[0]: j for j, c in enumerate(collected)}


@contextlib.contextmanager
def _level_exited() -> Iterator[None]:
    """The vmap rule runs outside the vmap level that called it, as PyTorch's: its own
    ops (F.apply included) work on the whole batch, not per sample."""
    from gradcli.ad.func import VMAP_CALLS, VMAP_RANDOMNESS, VMAP_SAMPLES, Vmap

    level = VMAP_SAMPLES.pop(), VMAP_RANDOMNESS.pop(), VMAP_CALLS.pop()
    Vmap.depth -= 1
    State.vmapping -= 1
    try:
        yield
    finally:
        Vmap.depth += 1
        State.vmapping += 1
        VMAP_SAMPLES.append(level[0])
        VMAP_RANDOMNESS.append(level[1])
        VMAP_CALLS.append(level[2])


def _vmap_info(size: int, randomness: str) -> Any:
    from gradcli.interp.pynamedtuple import namedtuple

    return namedtuple("VmapInfo", ["batch_size", "randomness"],
                      module="torch._functorch.autograd_function")(size, randomness)


def _checked(result: Any) -> tuple[Any, Any]:
    if type(result) is not tuple or len(result) != 2:
        raise GdRuntimeError(
            "Expected the vmap staticmethod to have two returns, an output and out_dims with "
            f"pytree structure compatible with the output. Got: {result!r}")
    return result


def _sample_of(result: tuple[Any, Any], i: int) -> Any:
    """Sample i of a vmap rule's (output, out_dims)."""
    output, out_dims = result
    many = type(output) is tuple
    outs = list(output) if many else [output]
    dims = list(out_dims) if type(out_dims) is tuple else [out_dims] * len(outs)
    for k, (o, d) in enumerate(zip(outs, dims, strict=False)):
        if type(o) is Tensor and d is not None:
            outs[k] = ops.joins.select(o, d, i)
            outs[k].batched = True
    return tuple(outs) if many else outs[0]


def _differentiable(ctx: FunctionCtx, o: Any) -> bool:
    return type(o) is Tensor and o.array.dtype.kind == "f" and id(o) not in ctx.non_diff


def _record(cls: Any, ctx: FunctionCtx, args: tuple[Any, ...], outs: list[Any],
            many: bool) -> None:
    parents = tuple((a.grad_fn if a.grad_fn is not None else a)
                    if type(a) is Tensor and a.requires_grad else None for a in args)
    tensors = tuple(i for i, a in enumerate(args) if type(a) is Tensor)
    metas = [(o.array.shape, o.array.dtype) if type(o) is Tensor else None for o in outs]
    slots: dict[int, Tensor] = {}
    rule = Rule("custom_function", ctx.name, _no_forward,
                _vjp(cls, metas, slots, many), None, kind="custom",
                doc=f"the backward of the custom autograd.Function {cls.name}",
                saves_inputs=False, torch_keeps=bool(ctx.saved), batchable=False,
                edges=lambda _: tensors)  # PyTorch's node has an edge per tensor input
    # Not a rule of the table: `gradcli check` cannot recompute it alone (the finite
    # differences of the whole program still check the custom backward).
    rule.differentiable = False
    node = Node(rule, tuple(args), {"ctx": ctx}, parents, None)
    ctx.node = node
    ctx.cls = cls
    if State.tape is not None:
        State.tape.append(node)
    if not many:
        o = outs[0]
        if _differentiable(ctx, o):
            _attach(o, node, ctx)
        return
    marker = tensor_from_array(np.zeros(0, np.float64))
    marker.grad_fn = node
    marker.requires_grad = True
    members = []
    for i, o in enumerate(outs):
        if not _differentiable(ctx, o):
            continue
        sub = Rule("custom_function_output", ctx.name, _no_forward, _deposit(slots, i), None,
                   kind="custom", doc=f"output {i} of the custom autograd.Function {cls.name}",
                   saves_inputs=False, torch_keeps=False, batchable=False)
        sub.differentiable = False
        members.append(Node(sub, (marker,), {"output_nr": i}, (node,), None))
        _attach(o, members[-1], ctx)
    family = ctx.family = Family(members)  # outputs' tensor hooks run as one node's
    for m in members:
        m.family = family


def _attach(o: Tensor, node: Node, ctx: FunctionCtx) -> None:
    if id(o) in ctx.dirty:
        if o.grad_fn is None and o.requires_grad:
            raise GdRuntimeError("a leaf Variable that requires grad has been used in an "
                                 "in-place operation.")
        bump_version(o)  # PyTorch counts mark_dirty as a change too
    o.grad_fn = node
    o.requires_grad = True
    if State.tape is not None and node is not ctx.node:
        State.tape.append(node)
    if State.on_record is not None:
        State.on_record(node, o)


def _no_forward(*args: Any, **params: Any) -> Any:
    raise GdRuntimeError("a custom autograd.Function's node is not recomputed")


def _deposit(slots: dict[int, Tensor], i: int) -> Any:
    """The VJP of output i's node: hand its cotangent to the function's node."""

    def vjp(g: Tensor, out: Any, marker: Tensor, output_nr: int = i) -> tuple[Any, ...]:
        slots[i] = g  # (output_nr: the node's param, for grad_fn.next_functions)
        return (tensor_from_array(np.zeros(0, np.float64)),)

    return vjp


def _vjp(cls: Any, metas: list[Any], slots: dict[int, Tensor], many: bool) -> Any:
    def vjp(g: Tensor, out: Any, *inputs: Any, ctx: FunctionCtx) -> tuple[Any, ...]:
        if many:
            grads = [slots.pop(i, None) for i in range(len(metas))]
        else:
            grads = [g]
        for i, m in enumerate(metas):
            if grads[i] is None and m is not None and ctx.materialize:
                grads[i] = tensor_from_array(np.zeros(m[0], m[1]))
            elif grads[i] is not None and not grads[i].array.flags.writeable:
                grads[i] = tensor_from_array(K.owned_copy(grads[i].array))
        backward = cls.lookup("backward") or cls.lookup("vjp")
        if backward is None:
            raise _not_implemented(
                "You must implement either the backward or vjp method for your custom "
                "autograd.Function to use it with backward mode AD.")
        light = State.light_backward
        State.light_backward = False
        try:
            result = backward(ctx, *grads)
        finally:
            State.light_backward = light
        return _check_grads(ctx.name, result, inputs)

    return vjp


def _check_grads(name: str, result: Any, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    grads = result if type(result) is tuple else (result,)
    n = len(inputs)
    if len(grads) != n:
        if len(grads) > n and all(g is None for g in grads[n:]):
            grads = grads[:n]
        else:
            raise GdRuntimeError(f"function {name} returned an incorrect number of gradients "
                                 f"(expected {n}, got {len(grads)})")
    out = []
    for i, (g, x) in enumerate(zip(grads, inputs, strict=True)):
        if g is None:
            out.append(None)
            continue
        if type(x) is not Tensor:
            raise GdRuntimeError(
                f"function {name} returned a gradient different than None at position "
                f"{i + 1}, but the corresponding forward input was not a Variable")
        if type(g) is not Tensor:
            raise GdRuntimeError(f"expected Variable or None (got {type_name(g)})")
        if g.array.shape != x.array.shape:
            try:  # PyTorch sums a gradient that x broadcasts to; any other shape is wrong
                ok = np.broadcast_shapes(g.array.shape, x.array.shape) == g.array.shape
            except ValueError:
                ok = False
            if not ok:
                raise GdRuntimeError(
                    f"Function {name} returned an invalid gradient at index {i} - got "
                    f"{list(g.array.shape)} but expected shape compatible with "
                    f"{list(x.array.shape)}")
        out.append(g)
    return tuple(out)


def _forward_tangents(cls: Any, ctx: FunctionCtx, args: tuple[Any, ...],
                      tangents: list[Any], outs: list[Any]) -> None:
    jvp = cls.lookup("jvp")
    if jvp is None:
        raise _not_implemented("You must implement the jvp function for custom "
                               "autograd.Function to use it with forward mode AD.")
    full = [t if t is not None or type(a) is not Tensor or a.array.dtype.kind != "f"
            else tensor_from_array(np.zeros_like(a.array))
            for a, t in zip(args, tangents, strict=True)]
    level = State.forward_level
    State.forward_level = 0
    try:
        with grad_mode(False):
            result = jvp(ctx, *full)
    finally:
        State.forward_level = level
    results = result if type(result) is tuple else (result,)
    if len(results) != len(outs):
        raise GdRuntimeError(f"{cls.name}.jvp returned {len(results)} tangents for "
                             f"{len(outs)} outputs")
    for o, t in zip(outs, results, strict=True):
        if type(o) is Tensor and type(t) is Tensor and o.array.dtype.kind == "f":
            if t.array.shape != o.array.shape:
                t = ops.expand(t, o.array.shape)
            o.tangent = t if t.array.dtype == o.array.dtype else ops.to_dtype(t, o.array.dtype)


# -- @once_differentiable ------------------------------------------------------------------

ONCE_MESSAGE = "trying to differentiate twice a function that was marked with " \
    "@once_differentiable"


class _DelayedError:
    """PyTorch's DelayedError: an identity node whose backward raises."""

    name = "DelayedError"
    bases: tuple[Any, ...] = ()

    def lookup(self, name: str) -> Any:
        return {"forward": self._forward, "backward": self._backward}.get(name)

    @staticmethod
    def _forward(ctx: FunctionCtx, *tensors: Tensor) -> Any:
        outs = tuple(t.detach() for t in tensors)
        return outs if len(outs) != 1 else outs[0]

    @staticmethod
    def _backward(ctx: FunctionCtx, *grads: Any) -> Any:
        raise GdRuntimeError(ONCE_MESSAGE)


def once_differentiable(fn: Any) -> Any:
    """@once_differentiable on a backward: it runs without recording; when it is
    differentiated (create_graph), its results lead to an error node."""
    from gradcli.interp.values import Builtin

    def backward(ctx: Any, *args: Any) -> Any:
        with grad_mode(False):
            outputs = fn(ctx, *args)
        if not (State.grad_enabled and any(type(a) is Tensor and a.requires_grad
                                           for a in args)):
            return outputs
        many = type(outputs) is tuple
        outs = list(outputs) if many else [outputs]
        idx = [i for i, o in enumerate(outs) if type(o) is Tensor and o.dtype.kind == "f"]
        if idx:
            wrapped = apply(_DelayedError(), tuple(outs[i].detach().requires_grad_()
                                                   for i in idx))
            for i, w in zip(idx, wrapped if type(wrapped) is tuple else (wrapped,),
                            strict=True):
                outs[i] = w
        return tuple(outs) if many else outs[0]

    return Builtin(str(getattr(fn, "name", "backward")), backward,
                   "a backward that is not differentiable again")
