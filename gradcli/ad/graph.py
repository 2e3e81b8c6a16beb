"""The autograd graph's two types: Tensor (a numpy array with PyTorch's autograd
attributes) and Node (one recorded op: the grad_fn of the tensor it produced).

Nodes are numbered in creation order, so creation order is a topological order and
the engine never needs recursion. The Tensor's operators and math methods come from
`gradcli.ad.ops`; `gradcli.ad.tensor.install_operators` puts them on the class (that
module is the one to import: importing it gives the complete Tensor).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.identity import object_repr
from gradcli.ad.state import POSITION, State
from gradcli.ad.tensor_str import format_tensor
from gradcli.errors import GdRuntimeError

if TYPE_CHECKING:
    from gradcli.ad.registry import Rule

ndarray = np.ndarray


def aliases(out: Any, x: Any) -> bool:
    """Whether array out views array x's storage. An empty view holds no element to share
    (numpy's may_share_memory says no), but is one for PyTorch (x[1:1]._base is x, and an
    in-place op on it bumps x's version): there, out's chain of numpy bases reaches x's."""
    if np.may_share_memory(out, x):
        return True
    if getattr(out, "size", 1) or type(x) is not np.ndarray:
        return False
    root = x if x.base is None else x.base
    b = out.base
    while b is not None:
        if b is x or b is root:
            return True
        b = b.base
    return False


def view_base(x: Tensor) -> Tensor | None:
    """x._base: the tensor whose storage x views (the first one, through views of views),
    or None. A reshape that had to copy is no view (PyTorch's _unsafe_view of a clone)."""
    base = x
    while base._view is not None and not base._view[2].get("copy"):
        base = base._view[0]
    if base is x or is_inference(x) or not aliases(x.array, base.array):
        return None  # (an inference tensor's views are no views to autograd, as in PyTorch)
    return base


#: The views PyTorch makes as a function's several outputs (unbind, split, chunk).
MULTI_OUTPUT_VIEWS = frozenset(("unbind", "split_part"))


def note_view(t: Tensor, base: Tensor, multi_output: bool) -> None:
    """t was just made as a view of base: remember, as PyTorch's CreationMeta, whether it
    was made in no_grad or inference mode (a view of such a view made later inherits it;
    `multi_output`: an output of unbind or split, which has its own rule in grad mode),
    with the version it was made at. Such a view of a tensor that requires grad requires
    grad too, and has no grad_fn (PyTorch: its requires_grad is its base's)."""
    inherited = getattr(base, "view_mode", None)
    if State.grad_enabled:
        if inherited is None or multi_output:
            return
        kind = inherited[0]
    elif inherited is not None and inherited[0] == "inference":
        kind = "inference"
    else:
        kind = "inference" if State.inference_mode else "no_grad"
    t.view_mode = (kind, t._vc[0])


#: What the error for an in-place change of a view made in no_grad or inference mode
#: says: where the view was made, the mode of the change, the block to move both into.
_VIEW_MODES = {
    "no_grad": ("no_grad mode", "with grad mode enabled", "no_grad block"),
    "inference": ("inference mode", "in normal mode", "inference_mode block"),
}


def view_mode_message(t: Tensor, indirect: bool) -> str:
    """PyTorch's error (handle_view_on_rebase) for a view made in no_grad or inference mode
    (t.view_mode is set) changed in place with grad mode on, or (`indirect`) read after
    its base or another view changed it."""
    made, now, block = _VIEW_MODES[t.view_mode[0]]
    fn = t.grad_fn
    if fn is None:
        prefix = "A view was created in"
    else:
        nr = t._view[2].get("index", 0) if t._view[1].name in MULTI_OUTPUT_VIEWS else 0
        prefix = (f"Output {nr} of {fn.name.rstrip('0123456789').removesuffix('Backward')}"
                  " is a view of a view which was created in")
    modified = "its base or another view of its base has been" if indirect else "is being"
    return (f"{prefix} {made} and {modified} modified inplace {now}. Given that this use "
            "case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
            f"moving both the view and the inplace either both inside the {block} (if you "
            "don't want the inplace to be tracked) or both outside (if you want the inplace "
            "to be tracked).")


def multi_output_message(t: Tensor, indirect: bool) -> str:
    """PyTorch's error for an output of unbind or split (a function returning several
    views) changed in place in a graph, or (`indirect`) read after its base or another
    view changed it."""
    _, rule, params, _ = t._view
    fn = "Unbind" if rule.name == "unbind" else params["name"][:-len("Backward0")]
    modified = "its base or another view of its base has been" if indirect else "is being"
    return (f"Output {params['index']} of {fn} is a view and {modified} modified inplace. "
            "This view is the output of a function that returns multiple views. Such "
            "functions do not allow the output views to be modified inplace. You should "
            "replace the inplace operation by an out-of-place one.")


def stale_view_message(t: Tensor) -> str | None:
    """PyTorch's error reading the grad_fn of view t (it cannot be regenerated after its
    storage changed in place, in a graph), or None: a view made in no_grad or inference
    mode or a view of one (view_mode_message), an output of unbind or split
    (multi_output_message). Such a view's repr shows grad_fn=<Invalid>."""
    mode = getattr(t, "view_mode", None)
    if mode is not None:
        if mode[1] != t._vc[0] and (t.requires_grad or view_root(t).requires_grad):
            return view_mode_message(t, indirect=True)
        return None
    view = t._view
    if (view is not None and view[1].name in MULTI_OUTPUT_VIEWS and view[3] != t._vc[0]
            and (t.grad_fn is not None or view_root(t).requires_grad)):
        return multi_output_message(t, indirect=True)
    return None


def stale_view(t: Tensor) -> bool:
    """Whether reading view t's grad_fn is PyTorch's error (stale_view_message)."""
    return stale_view_message(t) is not None


def view_root(t: Tensor) -> Tensor:
    """The tensor at the end of t's chain of views (t itself if it is no view)."""
    while t._view is not None:
        t = t._view[0]
    return t


def check_view_grad_fn(t: Tensor) -> None:
    """Reading t.grad_fn (or is_leaf), or recording t as an input: PyTorch's error for a
    stale view (stale_view_message)."""
    message = stale_view_message(t)
    if message is not None:
        raise GdRuntimeError(message)


class Node:
    """One recorded op on the tape: the `grad_fn` of the tensor it produced."""

    # `family` (a Family) is set only on the nodes of a multi-output op (one_family); read
    # it with getattr(node, "family", None): the slot stays empty on every other node.
    # A Family holds its nodes weakly (no reference cycle: nodes die by reference count).
    __slots__ = (
        "__weakref__",
        "family",
        "freed",
        "hooks",
        "inputs",
        "name",
        "out",
        "out_version",
        "params",
        "parents",
        "retained",
        "rule",
        "seq",
        "span",
        "versions",
    )

    def __init__(
        self,
        rule: Rule,
        inputs: tuple[Any, ...] | None,
        params: dict[str, Any],
        parents: tuple[Any, ...],
        versions: tuple[int, ...] | None,
    ) -> None:
        self.rule = rule
        # PyTorch's name for this node's class, e.g. MulBackward0. Fixed now: some names
        # depend on the inputs (RsubBackward1, PowBackward2), which backward frees.
        tn = rule.torch_name  # a name, or a function of the inputs and params
        self.name: str = tn if type(tn) is str else tn(inputs, params)
        self.inputs = inputs
        self.freed = False  # a backward without retain_graph went through (logical)
        self.params = params
        self.parents = parents
        self.versions = versions
        self.out: Tensor | None = None
        self.out_version = 0  # the version of `out` when saved (in-place ops save later ones)
        self.retained: Tensor | None = None
        self.hooks: Any = None  # hooks.NodeHooks once a hook is registered
        self.seq = State.seq
        State.seq += 1
        self.span = POSITION.span

    @property
    def op(self) -> str:
        """Our lowercase op name, e.g. mul."""
        return self.rule.name

    def torch_parents(self) -> tuple[Any, ...]:
        """The edges PyTorch's node has, in its order (what next_functions lists)."""
        edges = self.rule.edges
        if edges is None:
            return self.parents
        parents = self.parents
        return tuple(None if i is None else parents[i] for i in edges(self.name))

    def __repr__(self) -> str:
        if self.rule.kind == "custom" or self.rule.python_function:  # a Python Function's
            return object_repr(f"torch.autograd.function.{self.name}", self)
        if self.name == "Identity":  # PyTorch's C++ node without a Python class of its own
            return object_repr("CppFunction", self)
        return object_repr(self.name, self)


#: PyTorch's errors for reading a batched tensor's values inside torch.func.vmap.
VMAP_ITEM = ("vmap: It looks like you're calling .item() on a Tensor. We don't support vmap "
             "over calling .item() on a Tensor, please try to rewrite what you're doing with "
             "other operations. If error is occurring somewhere inside PyTorch internals, "
             "please file a bug report.")
VMAP_CONTROL_FLOW = ("vmap: It looks like you're attempting to use a Tensor in some "
                     "data-dependent control flow. We don't support that yet, please file an "
                     "issue at https://github.com/pytorch/pytorch/issues .")
VMAP_DATA = "Cannot access data pointer of Tensor that doesn't have storage"
# A complex value with an imaginary part (or out of range) converted to a real one, as
# PyTorch's checked item<T>() says it.
_OVERFLOW = "value cannot be converted to type {} without overflow"


def mark_batched(args: tuple[Any, ...], t: Tensor) -> None:
    """Inside vmap: t is batched if an input of the op that made it is."""
    for a in args:
        if type(a) is Tensor and hasattr(a, "batched"):
            t.batched = True
            return
        if type(a) in (list, tuple):
            for b in a:
                if type(b) is Tensor and hasattr(b, "batched"):
                    t.batched = True
                    return


def vmap_result(fn: Any, args: list[Any], r: Any) -> None:
    """Inside vmap, after any call: a tensor result of a batched input (an argument, or
    the object of a method) is batched (ops made without record.apply: reductions to
    bool, multi-output ops, ...)."""
    items = r if type(r) is tuple else (r,)
    if not any(type(t) is Tensor and not hasattr(t, "batched") for t in items):
        return
    obj = getattr(fn, "obj", None)
    if not ((type(obj) is Tensor and hasattr(obj, "batched"))
            or any(type(a) is Tensor and hasattr(a, "batched") for a in args)):
        return
    for t in items:
        if type(t) is Tensor:
            t.batched = True


class Family:
    """Our nodes that stand for one PyTorch node with several outputs (split, chunk,
    unbind, a custom Function's outputs: one node per output here). PyTorch runs the
    tensor hooks of all its outputs when that one node runs, in the order their tensors
    were first hooked, an output no gradient reached seeing None; so the first member
    to run here runs them all (ad/hooks.py). Its nodes are held weakly (each holds the
    family), so a graph stays free of reference cycles."""

    __slots__ = ("_hooked", "_members", "post", "pre")

    def __init__(self, members: Sequence[Node]) -> None:
        self._members = tuple(weakref.ref(n) for n in members)
        self._hooked: list[weakref.ref[Node]] = []  # in the order they were first hooked
        # The one node's own hooks (grad_fn.register_prehook / register_hook on any output's
        # grad_fn, which is the same node in PyTorch): on all outputs' gradients at once.
        self.pre: list[Any] = []
        self.post: list[Any] = []

    @property
    def active(self) -> bool:
        """Whether any hook was registered on the family (its outputs or its node)."""
        return bool(self._hooked or self.pre or self.post)

    @property
    def members(self) -> list[Node]:
        """The family's nodes still alive, in output order."""
        return [n for r in self._members if (n := r()) is not None]

    @property
    def hooked(self) -> list[Node]:
        """The nodes whose output has tensor hooks, by first registration."""
        return [n for r in self._hooked if (n := r()) is not None]

    def hook(self, node: Node) -> bool:
        """Note that node's output was hooked: True the first time."""
        if any(r() is node for r in self._hooked):
            return False
        self._hooked.append(weakref.ref(node))
        return True


def as_one_node(pieces: Sequence[Tensor]) -> None:
    """The outputs of one multi-output op (split, chunk, unbind), made one node each here:
    their creation numbers reversed, so that backward runs them one after another in
    output order, after every consumer, as PyTorch runs its one node; one Family (their
    tensor hooks run together, in PyTorch's order)."""
    nodes = [t.grad_fn for t in pieces if t.grad_fn is not None]
    if len(nodes) > 1:
        for n, s in zip(nodes, sorted((n.seq for n in nodes), reverse=True), strict=True):
            n.seq = s
    one_family(pieces)


def one_family(outputs: Sequence[Tensor]) -> tuple[Tensor, ...]:
    """The outputs of one PyTorch node made one node each here, one after another (no
    consumer between them): their nodes a Family. Returns the outputs."""
    nodes = [t.grad_fn for t in outputs if t.grad_fn is not None]
    if len(nodes) > 1:
        family = Family(nodes)
        for n in nodes:
            n.family = family
    return tuple(outputs)


def _note_read() -> None:
    # A value that requires grad left the graph (.item(), .detach(), .data, float(x)):
    # advance the node counter so control flow testing it can tell it depends on an input
    # (explain's "depends on input?"). Gaps in node numbers are harmless.
    State.seq += 1


class Tensor:
    """A numpy array with PyTorch's autograd attributes."""

    # `inference` is set only on tensors made in torch.inference_mode() (read it with
    # is_inference(t): the slot stays empty on every other tensor, at no cost to them).
    # `param` likewise, only on a torch.nn.Parameter (read it with is_parameter(t)).
    # `view_mode` likewise, only on a view made in no_grad or inference mode (note_view).
    # `batched` likewise, only on a tensor vmap maps over (or made from one) while vmapping.
    # `lifted` likewise, only on the fresh leaf a torch.func transform stands in for its
    # input with (func._lift; func_outer.outer tells it from a tensor closed over).
    # `meta` likewise, only on a tensor of the meta device (shape and dtype, no data:
    # its array holds placeholder values nothing reads; ad/meta.py).
    # `zero` likewise, only on a gradient handed out as PyTorch's efficient zero tensor
    # (sgn's: it has no storage, tolist(), numpy() and in-place ops refuse it); `pyattrs`
    # only on a tensor a program gave attributes of its own (t.name = ...: a PyTorch
    # tensor's __dict__; read it with python_attrs(t)).
    __slots__ = ("_tangent", "_vc", "_view", "array", "batched", "grad", "grad_fn",
                 "inference", "lifted", "meta", "param", "pyattrs", "requires_grad",
                 "view_mode", "zero")

    def __init__(self, array: Any, requires_grad: bool = False) -> None:
        if type(array) is not ndarray:
            array = np.asarray(array)
        self.array: np.ndarray = array
        self.requires_grad = requires_grad
        self.grad: Tensor | None = None
        self.grad_fn: Node | None = None
        self._vc = [0]  # version counter, shared with detach()ed aliases and views
        # (base, rule, params, version) when this tensor is a view of base's storage (x[0],
        # x.t()…); version: of the shared storage when the view's graph was last current
        self._view: tuple[Tensor, Rule, dict[str, Any], int] | None = None
        self._tangent: Any = None  # the forward-mode tangent (see `tangent`)
        if State.inference_mode:
            self.inference = True
        if requires_grad and array.dtype.kind != "f":
            if array.dtype.kind == "c":
                raise GdRuntimeError("complex tensors that require grad are not supported "
                                     "by gradcli (it records no complex derivatives)")
            raise GdRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )

    @property
    def tangent(self) -> Tensor | None:
        """The forward-mode tangent, or None. A reduction's may be deferred (an object
        with `read()`, record.DeferredTangent): it is computed here, on first reading."""
        t = self._tangent
        if t is not None and type(t) is not Tensor:
            t = self._tangent = t.read()
        return t

    @tangent.setter
    def tangent(self, value: Tensor | None) -> None:
        self._tangent = value

    # -- attributes PyTorch users know ---------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The tensor's shape as a tuple."""
        return self.array.shape

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype (float32, float64, int64 or bool)."""
        return self.array.dtype

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self.array.ndim

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op."""
        return self.grad_fn is None

    @property
    def version(self) -> int:
        """How many in-place changes this tensor's storage has seen."""
        return self._vc[0]

    def numel(self) -> int:
        """Number of elements."""
        return int(self.array.size)

    def dim(self) -> int:
        """Number of dimensions."""
        return self.array.ndim

    def size(self, dim: int | None = None) -> Any:
        """The shape, or one dimension of it."""
        if dim is None:
            return self.array.shape
        return self.array.shape[dim]

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if State.vmapping and hasattr(self, "batched"):
            raise GdRuntimeError(VMAP_ITEM)
        if self.array.size != 1:
            raise GdRuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        if hasattr(self, "meta"):
            raise GdRuntimeError("Tensor.item() cannot be called on meta tensors")
        if self.requires_grad:
            _note_read()
        return self.array.reshape(()).item()

    def tolist(self) -> Any:
        """The values as nested Python lists."""
        if State.vmapping and hasattr(self, "batched"):
            raise GdRuntimeError(VMAP_DATA)
        if hasattr(self, "zero") and self.array.size:  # (no storage: none needed if empty)
            raise GdRuntimeError("tolist() shouldn't be called on a tensor with unallocated "
                                 "storage")
        if self.requires_grad:
            _note_read()
        return self.array.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data (and version counter), outside the graph."""
        if self.requires_grad:
            _note_read()
        t = Tensor.__new__(Tensor)
        if hasattr(self, "zero"):  # (a zero tensor's alias is one)
            t.zero = True
        t.array = self.array
        t.requires_grad = False
        t.grad = None
        t.grad_fn = None
        t._vc = self._vc
        t._view = None
        t._tangent = None
        if State.inference_mode or is_inference(self):
            t.inference = True
        if State.vmapping and hasattr(self, "batched"):
            t.batched = True
        if hasattr(self, "meta"):
            t.meta = True
        return t

    def detach_(self) -> Tensor:
        """Detach this tensor from the graph in place, making it a leaf (not a view, in a
        graph or not: PyTorch's error)."""
        if view_base(self) is not None:
            raise GdRuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is "
                "set as True, gradients are views of DDP buckets, and hence detach_() cannot "
                "be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self.requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The data as a tensor outside the graph (its own version counter, as in PyTorch)."""
        t = self.detach()
        t._vc = [0]
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if hasattr(value, "meta") != hasattr(self, "meta"):  # a meta and a CPU tensor
            raise GdRuntimeError("Attempted to call `variable.set_data(tensor)`, but "
                                 "`variable` and `tensor` have incompatible tensor type.")
        self.array = value.array

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set requires_grad in place (only on leaves)."""
        if not requires_grad and self.grad_fn is not None:
            raise GdRuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach()."
            )
        if requires_grad and self.array.dtype.kind != "f":
            raise GdRuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and not State.inference_mode and is_inference(self):
            raise GdRuntimeError("Setting requires_grad=True on inference tensor outside "
                                 "InferenceMode is not allowed.")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep .grad of this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise GdRuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn.retained = self

    @property
    def retains_grad(self) -> bool:
        """Whether retain_grad() was called on this non-leaf."""
        fn = self.grad_fn
        return fn is not None and fn.retained is self

    def __repr__(self) -> str:
        fn = self.grad_fn
        text = format_tensor(
            self.array,
            dtypes.name_of(self.array.dtype),
            requires_grad=self.requires_grad,
            grad_fn=None if fn is None else fn.name,
            meta=is_meta(self),
        )
        return "Parameter containing:\n" + text if is_parameter(self) else text

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise GdRuntimeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __bool__(self) -> bool:
        if State.vmapping and hasattr(self, "batched"):
            raise GdRuntimeError(VMAP_CONTROL_FLOW)
        if self.array.size != 1:
            raise GdRuntimeError(  # Python's max/min/sorted compare with > (no truth())
                "Boolean value of Tensor with "
                + ("no values" if self.array.size == 0 else "more than one value")
                + " is ambiguous")
        if State.meta_seen and hasattr(self, "meta"):
            raise GdRuntimeError("Tensor.item() cannot be called on meta tensors")
        return bool(self.array)  # (one element, any number of dims)

    def __float__(self) -> float:  # "%.2f" % t, as float(t): PyTorch's words (ValueError)
        if self.array.size != 1:
            raise GdRuntimeError("only one element tensors can be converted to Python scalars")
        value = self.item()
        if type(value) is complex:  # PyTorch's item<double>(): the real part, if no imag
            if value.imag != 0:
                raise GdRuntimeError(_OVERFLOW.format("double"))
            return value.real
        return float(value)

    def __int__(self) -> int:
        if self.array.size != 1:
            raise GdRuntimeError("only one element tensors can be converted to Python scalars")
        value = self.item()
        if type(value) is complex:  # PyTorch's item<int64_t>(): checked, then truncated
            if value.imag != 0 or not -2.0**63 <= value.real < 2.0**63:
                raise GdRuntimeError(_OVERFLOW.format("int64_t"))
            return int(value.real)
        return int(value)

    def __index__(self) -> int:
        if State.vmapping and hasattr(self, "batched"):
            raise GdRuntimeError(VMAP_ITEM)
        if self.array.dtype.kind not in "iub" or self.array.size != 1:
            raise GdRuntimeError(
                "only integer tensors of a single element can be converted to an index",
                py_type="TypeError")
        return int(self.item())

    # Tensors are compared by identity in sets and dicts (== is elementwise).
    __hash__ = object.__hash__

    if TYPE_CHECKING:
        # Installed by gradcli.ad.tensor.install_operators; declared for checkers.
        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __eq__(self, other: object) -> Tensor: ...  # type: ignore[override]
        def __ne__(self, other: object) -> Tensor: ...  # type: ignore[override]
        def __getitem__(self, index: Any) -> Tensor: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                     create_graph: bool = False, inputs: Any = None) -> None: ...
        def to(self, dtype: Any = None, **kw: Any) -> Tensor: ...
        def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor: ...


def tensor_from_array(array: np.ndarray) -> Tensor:
    """Wrap an array as a leaf tensor without copying (fast path, no checks)."""
    t = Tensor.__new__(Tensor)
    t.array = array
    t.requires_grad = False
    t.grad = None
    t.grad_fn = None
    t._vc = [0]
    t._view = None
    t._tangent = None
    if State.inference_mode:
        t.inference = True
    return t


def bump_version(t: Tensor) -> None:
    """Count an in-place change of t's storage (its version, shared with its views and
    detached aliases). Every change goes through here: backward checks the versions of a
    node's saved tensors only when a change came after the node (State.changed_at)."""
    t._vc[0] += 1
    State.changed_at = State.seq
    if State.inference_seen and not State.inference_mode and is_inference(t):
        # An inference tensor has no version counter: PyTorch's in-place kernel has
        # written the data when bumping it fails.
        raise GdRuntimeError(INFERENCE_INPLACE)


def is_inference(t: Tensor) -> bool:
    """Whether t was made in torch.inference_mode() (Tensor.is_inference)."""
    return getattr(t, "inference", False)


def is_meta(t: Tensor) -> bool:
    """Whether t is on the meta device (Tensor.is_meta)."""
    return getattr(t, "meta", False)


META_NO_DATA = "Cannot copy out of meta tensor; no data!"


def mark_meta(t: Tensor) -> Tensor:
    """t, on the meta device from now on: it has a shape and a dtype and no data (its
    array's values are placeholders, never shown); an op of it gives a meta tensor."""
    t.meta = True
    State.meta_seen = True
    return t


def python_attrs(t: Tensor) -> dict[str, Any] | None:
    """The attributes a program set on t (`t.tag = 1`: a PyTorch tensor's __dict__), or
    None when it set none."""
    return getattr(t, "pyattrs", None)


def python_dict(t: Tensor) -> dict[str, Any]:
    """The attributes a program set on t, as a dict to add to (made on first use)."""
    own = python_attrs(t)
    if own is None:
        own = t.pyattrs = {}
    return own


def is_parameter(t: Tensor) -> bool:
    """Whether t is a torch.nn.Parameter (it prints as one; ops on it give plain tensors)."""
    return getattr(t, "param", False)


INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead "
    "of `torch.inference_mode()`.")


INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")


def check_not_inference(args: tuple[Any, ...], name: str) -> None:
    """Refuse to record a node that would save an inference tensor (PyTorch's error): an
    input the node saves (saved_table: `a * b` saves a only when b requires grad; cat and
    where's values save none), or any input of a node the table does not know."""
    from gradcli.ad.saved_table import saved_inputs

    saved = saved_inputs(name, args)
    for i, a in enumerate(args):
        if type(a) is Tensor and is_inference(a) and (saved is None or i in saved):
            raise GdRuntimeError(INFERENCE_SAVED)


def _torch_scalar_name(dtype: np.dtype) -> str:
    return {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
            "bool": "Bool", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "float16": "Half"}.get(
        dtypes.name_of(dtype), str(dtype)
    )


def torch_type_name(t: Tensor) -> str:
    """PyTorch's legacy type name, e.g. torch.FloatTensor (used in error messages)."""
    return f"torch.{_torch_scalar_name(t.array.dtype)}Tensor"


_SEQ = attrgetter("seq")


def needed_nodes(roots: Sequence[Any], target_ids: set[int], target_nodes: set[Node],
                 all_as_none: bool = False) -> set[Node] | None:
    """The nodes a grad() pass must run: those with a path past them to a target (a leaf
    in target_ids, or the output of a node in target_nodes), as PyTorch's engine marks
    them needed. A non-leaf target's own node is reached (its cotangent is captured) but
    runs only when another target lies behind it, so what grad() did not need stays
    unfreed for a later backward. A member of a Family stands for PyTorch's one node: the
    whole family is reached (its outputs' hooks run). `all_as_none` (leaf targets only):
    None when every node reached is needed, i.e. each has a node or a target leaf among
    its parents (in recording order, the first has a target leaf, and each later one a
    needed parent), which the walk finds without the second pass (bench W6's vjp)."""
    families = [f for n in target_nodes if (f := getattr(n, "family", None)) is not None]
    if families:
        target_nodes = target_nodes.union(*(f.members for f in families))
    # The nodes reachable from the roots, then each one's need from its parents' in
    # recording order (a node's parents were recorded before it: lower seq), so every
    # node and edge is looked at twice, without recursion or per-node tuples.
    seen = {r for r in roots if type(r) is Node}
    stack = list(seen)
    add = seen.add
    push = stack.append
    routed = all_as_none and not target_nodes  # each node so far leads to a target
    while stack:
        lead = False
        for e in stack.pop().parents:
            if type(e) is Node:
                lead = True
                if e not in seen:
                    add(e)
                    push(e)
            elif e is not None and id(e) in target_ids:
                lead = True
        if not lead:
            routed = False
    if routed:
        return None
    need: set[Node] = set()
    mark = need.add
    for node in sorted(seen, key=_SEQ):
        for e in node.parents:
            if e is None:
                continue
            if type(e) is Node:
                if e in need or e in target_nodes:
                    mark(node)
                    break
            elif id(e) in target_ids:
                mark(node)
                break
    return need
