"""PyTorch's built-in nn modules: Linear, containers, activations, Dropout and losses.

Each is a ModuleClass (nn_module.py) deriving from nn.Module, with PyTorch's __init__
signature, plain attributes where PyTorch keeps them (`in_features`, `p`, `reduction`),
parameters registered as PyTorch registers them, PyTorch's `extra_repr`, and a
`forward` that calls the torch.nn.functional op PyTorch's forward calls, so values and
grad_fn names are PyTorch's. Linear draws its initial weights from the generator as
PyTorch does (kaiming_uniform_(a=sqrt(5)), then the bias), so they are the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gradcli.ad import ops
from gradcli.ad.ops.nn import _reduction as legacy_reduction
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import devices, limits, nn_init, nn_state
from gradcli.interp.classes import StaticMethod, _error
from gradcli.interp.nn_module import (
    MODULE,
    ModuleClass,
    ModuleInstance,
    _init,
    abc_iterable,
    make_parameter,
    repr_of,
    torch_typename,
)
from gradcli.interp.values import Builtin, type_name

F = ops.members("torch.nn.functional")
_PATH = "torch.nn.modules."


def _set(self: ModuleInstance, **values: Any) -> None:
    _init(self)
    self.attrs.update(values)


def _get(self: ModuleInstance, name: str) -> Any:
    return self.get_attr(name)


def _inplace(self: ModuleInstance) -> str:
    return "inplace=True" if _get(self, "inplace") else ""


LAYERS: dict[str, ModuleClass] = {}


def _layer(name: str, path: str, methods: dict[str, Callable[..., Any]],
           base: ModuleClass = MODULE) -> ModuleClass:
    for key, fn in methods.items():  # Python's argument errors name PyTorch's method
        fn.__qualname__ = f"{name}.{key}"
    cls = ModuleClass(name, f"{_PATH}{path}.{name}", base, methods)
    LAYERS[name] = cls
    return cls


# -- Linear ------------------------------------------------------------------------------

def _check_device(device: Any) -> None:
    devices.tensor_to(ops.members("torch")["empty"](0), device=device)


def _linear_init(self: ModuleInstance, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
    _check_device(device)
    _set(self, in_features=in_features, out_features=out_features)
    empty = ops.members("torch")["empty"]
    self.set_attr("weight", make_parameter(empty(out_features, in_features, dtype=dtype)))
    if bias:
        self.set_attr("bias", make_parameter(empty(out_features, dtype=dtype)))
    else:
        self.method("register_parameter")("bias", None)
    self.method("reset_parameters")()


def _linear_reset(self: ModuleInstance) -> None:
    weight = _get(self, "weight")
    nn_init.kaiming_uniform_(weight, a=math.sqrt(5))
    bias = _get(self, "bias")
    if bias is not None:
        fan_in, _ = nn_init.fans(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        nn_init.uniform_(bias, -bound, bound)


def _linear_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["linear"](input, _get(self, "weight"), _get(self, "bias"))


def _linear_extra(self: ModuleInstance) -> str:
    return (f"in_features={_get(self, 'in_features')}, out_features="
            f"{_get(self, 'out_features')}, bias={_get(self, 'bias') is not None}")


_layer("Linear", "linear", {"__init__": _linear_init, "forward": _linear_forward,
                            "reset_parameters": _linear_reset, "extra_repr": _linear_extra})


def _bilinear_init(self: ModuleInstance, in1_features: int, in2_features: int,
                   out_features: int, bias: bool = True, device: Any = None,
                   dtype: Any = None) -> None:
    _check_device(device)
    _set(self, in1_features=in1_features, in2_features=in2_features,
         out_features=out_features)
    empty = ops.members("torch")["empty"]
    self.set_attr("weight", make_parameter(empty(out_features, in1_features, in2_features,
                                                 dtype=dtype)))
    if bias:
        self.set_attr("bias", make_parameter(empty(out_features, dtype=dtype)))
    else:
        self.method("register_parameter")("bias", None)
    self.method("reset_parameters")()


def _bilinear_reset(self: ModuleInstance) -> None:
    weight = _get(self, "weight")
    bound = 1 / math.sqrt(weight.shape[1])
    nn_init.uniform_(weight, -bound, bound)
    if _get(self, "bias") is not None:
        nn_init.uniform_(_get(self, "bias"), -bound, bound)


_layer("Bilinear", "linear", {
    "__init__": _bilinear_init, "reset_parameters": _bilinear_reset,
    "forward": lambda self, input1, input2: F["bilinear"](input1, input2, _get(self, "weight"),
                                                          _get(self, "bias")),
    "extra_repr": lambda s: f"in1_features={_get(s, 'in1_features')}, in2_features="
                            f"{_get(s, 'in2_features')}, out_features="
                            f"{_get(s, 'out_features')}, bias={_get(s, 'bias') is not None}"})


def _distance(name: str, fn: str, params: tuple[tuple[str, Any], ...]) -> None:
    """CosineSimilarity / PairwiseDistance: forward(x1, x2) calls F.fn with the options."""
    def init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
        values = dict(params)
        values.update(zip(values, args, strict=False))
        for key, v in kwargs.items():
            if key not in values:
                raise _error(f"{name}.__init__() got an unexpected keyword argument '{key}'",
                             "TypeError")
            values[key] = v
        _set(self, **values)

    _layer(name, "distance", {
        "__init__": init,
        "forward": lambda self, x1, x2: F[fn](x1, x2, *(_get(self, p) for p, _ in params))})


_distance("CosineSimilarity", "cosine_similarity", (("dim", 1), ("eps", 1e-08)))
_distance("PairwiseDistance", "pairwise_distance",
          (("p", 2.0), ("eps", 1e-06), ("keepdim", False)))


def _identity_init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
    _init(self)


_layer("Identity", "linear", {"__init__": _identity_init, "forward": lambda self, input: input})


# -- activations -------------------------------------------------------------------------

def _activation(name: str, fn: str, params: tuple[tuple[str, Any], ...],
                extra: Callable[[ModuleInstance], str] | None) -> None:
    """An activation module: __init__(*params), forward calls F.fn with them."""
    names = [p for p, _ in params]

    def init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise _error(f"{name}.__init__() takes from 1 to {len(names) + 1} positional "
                         f"arguments but {len(args) + 1} were given", "TypeError")
        values = dict(params)
        values.update(zip(names, args, strict=False))
        for key, v in kwargs.items():
            if key not in values:
                raise _error(f"{name}.__init__() got an unexpected keyword argument '{key}'",
                             "TypeError")
            values[key] = v
        _set(self, **values)

    def forward(self: ModuleInstance, input: Tensor) -> Tensor:
        return F[fn](input, *(_get(self, p) for p in names))

    methods: dict[str, Callable[..., Any]] = {"__init__": init, "forward": forward}
    if extra is not None:
        methods["extra_repr"] = extra
    _layer(name, "activation", methods)


_INPLACE = (("inplace", False),)
_activation("ReLU", "relu", _INPLACE, _inplace)
_activation("SiLU", "silu", _INPLACE, _inplace)
_activation("Tanh", "tanh", (), None)
_activation("Sigmoid", "sigmoid", (), None)
_activation("LeakyReLU", "leaky_relu", (("negative_slope", 0.01), ("inplace", False)),
            lambda s: f"negative_slope={_get(s, 'negative_slope')}"
            + (", inplace=True" if _get(s, "inplace") else ""))
_activation("ELU", "elu", (("alpha", 1.0), ("inplace", False)),
            lambda s: f"alpha={_get(s, 'alpha')}"
            + (", inplace=True" if _get(s, "inplace") else ""))
_activation("GELU", "gelu", (("approximate", "none"),),
            lambda s: f"approximate={_get(s, 'approximate')!r}")
_activation("Softplus", "softplus", (("beta", 1.0), ("threshold", 20.0)),
            lambda s: f"beta={_get(s, 'beta')}, threshold={_get(s, 'threshold')}")
_activation("Softmax", "softmax", (("dim", None),), lambda s: f"dim={_get(s, 'dim')}")
_activation("LogSoftmax", "log_softmax", (("dim", None),), lambda s: f"dim={_get(s, 'dim')}")


def _flatten_init(self: ModuleInstance, start_dim: int = 1, end_dim: int = -1) -> None:
    _set(self, start_dim=start_dim, end_dim=end_dim)


def _flatten_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return ops.members("Tensor")["flatten"](input, _get(self, "start_dim"),
                                            _get(self, "end_dim"))


_layer("Flatten", "flatten", {
    "__init__": _flatten_init, "forward": _flatten_forward,
    "extra_repr": lambda s: f"start_dim={_get(s, 'start_dim')}, end_dim={_get(s, 'end_dim')}"})


def _unflatten_init(self: ModuleInstance, dim: Any, unflattened_size: Any) -> None:
    if not isinstance(unflattened_size, (tuple, list)):
        raise _error("unflattened_size must be tuple of ints, but found type "
                     f"{type_name(unflattened_size)}", "TypeError")
    _set(self, dim=dim, unflattened_size=unflattened_size)


_layer("Unflatten", "flatten", {
    "__init__": _unflatten_init,
    "forward": lambda self, input: ops.members("Tensor")["unflatten"](
        input, _get(self, "dim"), _get(self, "unflattened_size")),
    "extra_repr": lambda s: f"dim={_get(s, 'dim')}, unflattened_size="
                            f"{repr_of(_get(s, 'unflattened_size'))}"})


def _dropout_init(self: ModuleInstance, p: float = 0.5, inplace: bool = False) -> None:
    if p < 0 or p > 1:
        raise GdRuntimeError(f"dropout probability has to be between 0 and 1, but got {p}",
                             py_type="ValueError")
    _set(self, p=p, inplace=inplace)


def _dropout_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["dropout"](input, _get(self, "p"), _get(self, "training"), _get(self, "inplace"))


_layer("Dropout", "dropout", {
    "__init__": _dropout_init, "forward": _dropout_forward,
    "extra_repr": lambda s: f"p={_get(s, 'p')}, inplace={_get(s, 'inplace')}"})


# -- losses ------------------------------------------------------------------------------

def _loss(name: str, fn: str, params: tuple[tuple[str, Any], ...],
          inputs: tuple[str, ...] = ("input", "target")) -> None:
    """A loss module: PyTorch's __init__ keywords, forward(*inputs) calls F.fn."""
    names = [p for p, _ in params]
    passed = [p for p in names if p not in ("size_average", "reduce")]

    def init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise _error(f"{name}.__init__() takes from 1 to {len(names) + 1} positional "
                         f"arguments but {len(args) + 1} were given", "TypeError")
        values = dict(params)
        values.update(zip(names, args, strict=False))
        for key, v in kwargs.items():
            if key not in values:
                raise _error(f"{name}.__init__() got an unexpected keyword argument '{key}'",
                             "TypeError")
            values[key] = v
        if values.get("size_average") is not None or values.get("reduce") is not None:
            # PyTorch's _Loss.__init__: the legacy pair decides `reduction` (with its
            # deprecation warning), whatever reduction= says
            values["reduction"] = legacy_reduction(values.get("size_average"),
                                                   values.get("reduce"), "mean")
        _set(self, **{k: v for k, v in values.items() if k not in ("size_average", "reduce")})

    def forward(self: ModuleInstance, *args: Any) -> Tensor:
        if len(args) != len(inputs):
            missing = inputs[len(args):]
            raise _error(f"{name}.forward() " + (
                f"missing {len(missing)} required positional argument"
                f"{'s' if len(missing) > 1 else ''}: "
                + " and ".join(f"'{m}'" for m in missing) if missing else
                f"takes {len(inputs) + 1} positional arguments but {len(args) + 1} were "
                "given"), "TypeError")
        return F[fn](*args, **{p: _get(self, p) for p in passed})

    _layer(name, "loss", {"__init__": init, "forward": forward})


_SIZE = (("size_average", None), ("reduce", None), ("reduction", "mean"))
_WEIGHT = (("weight", None),)
_loss("MSELoss", "mse_loss", _SIZE)
_loss("L1Loss", "l1_loss", _SIZE)
_loss("SmoothL1Loss", "smooth_l1_loss", (*_SIZE, ("beta", 1.0)))
_loss("HuberLoss", "huber_loss", (("reduction", "mean"), ("delta", 1.0)))
_loss("BCELoss", "binary_cross_entropy", (*_WEIGHT, *_SIZE))
_loss("BCEWithLogitsLoss", "binary_cross_entropy_with_logits",
      (*_WEIGHT, *_SIZE, ("pos_weight", None)))
_loss("NLLLoss", "nll_loss", (*_WEIGHT, ("size_average", None), ("ignore_index", -100),
                              ("reduce", None), ("reduction", "mean")))
_loss("CrossEntropyLoss", "cross_entropy",
      (*_WEIGHT, ("size_average", None), ("ignore_index", -100), ("reduce", None),
       ("reduction", "mean"), ("label_smoothing", 0.0)))
_loss("KLDivLoss", "kl_div", (*_SIZE, ("log_target", False)))
_loss("MarginRankingLoss", "margin_ranking_loss", (("margin", 0.0), *_SIZE),
      ("input1", "input2", "target"))
_loss("HingeEmbeddingLoss", "hinge_embedding_loss", (("margin", 1.0), *_SIZE))
_loss("PoissonNLLLoss", "poisson_nll_loss",
      (("log_input", True), ("full", False), ("size_average", None), ("eps", 1e-08),
       ("reduce", None), ("reduction", "mean")), ("log_input", "target"))
_loss("TripletMarginLoss", "triplet_margin_loss",
      (("margin", 1.0), ("p", 2.0), ("eps", 1e-06), ("swap", False), *_SIZE),
      ("anchor", "positive", "negative"))
_loss("GaussianNLLLoss", "gaussian_nll_loss",
      (("full", False), ("eps", 1e-06), ("reduction", "mean")), ("input", "target", "var"))


# -- containers --------------------------------------------------------------------------

def _check_module(owner: str, m: Any) -> ModuleInstance:
    if not isinstance(m, ModuleInstance):
        raise _error(f"{torch_typename(m)} is not a Module subclass", "TypeError")
    return m


def _items(self: ModuleInstance) -> list[ModuleInstance]:
    return [m for m in (self.mods or {}).values() if m is not None]


def index_of(idx: Any, n: int) -> int:
    """container.py's _get_abs_string_index: operator.index(idx), checked against n."""
    if type(idx) is Tensor:
        if idx.array.size != 1 or idx.array.dtype.kind not in "iu":
            raise _error("only integer tensors of a single element can be converted to an "
                         "index", "TypeError")
        idx = int(idx.item())
    elif type(idx) is not int and type(idx) is not bool:
        raise _error(f"'{type_name(idx)}' object cannot be interpreted as an integer",
                     "TypeError")
    if not -n <= idx < n:
        raise _error(f"index {idx} is out of range", "IndexError")
    return int(idx) % n


def _index(self: ModuleInstance, idx: Any) -> int:
    return index_of(idx, len(self.mods or {}))


def _sequential_init(self: ModuleInstance, *args: Any) -> None:
    _init(self)
    if len(args) == 1 and isinstance(args[0], nn_state.StateDict):  # an OrderedDict
        for key, m in args[0].items():
            self.method("add_module")(key, _check_module("Sequential", m))
        return
    for i, m in enumerate(args):
        self.method("add_module")(str(i), _check_module("Sequential", m))


def _sequential_forward(self: ModuleInstance, input: Any) -> Any:
    for m in _items(self):
        input = m(input)
    return input


def _sequential_getitem(self: ModuleInstance, idx: Any) -> Any:
    mods = list((self.mods or {}).items())
    if type(idx) is slice:
        out = SEQUENTIAL()
        for key, m in mods[idx]:
            out.method("add_module")(key, m)
        return out
    return mods[_index(self, idx)][1]


def _append(self: ModuleInstance, module: Any) -> ModuleInstance:
    self.method("add_module")(str(len(self.mods or {})), _check_module(self.cls.name, module))
    return self


def _len(self: ModuleInstance) -> int:
    return len(self.mods or {})


def _iter(self: ModuleInstance) -> Any:
    return iter(list((self.mods or {}).values()))


SEQUENTIAL = _layer("Sequential", "container", {
    "__init__": _sequential_init, "forward": _sequential_forward,
    "__getitem__": _sequential_getitem, "__len__": _len, "__iter__": _iter,
    "append": _append})


def _modulelist_init(self: ModuleInstance, modules: Any = None) -> None:
    _init(self)
    if modules is not None:
        _extend(self, modules)


def _extend(self: ModuleInstance, modules: Any) -> ModuleInstance:
    if not abc_iterable(modules):
        raise _error("ModuleList.extend should be called with an iterable, but got "
                     + torch_typename(modules), "TypeError")
    from gradcli.interp.operators import iterate

    for m in list(iterate(limits.bounded(modules, "ModuleList.extend()"))):
        _append(self, m)
    return self


def _modulelist_getitem(self: ModuleInstance, idx: Any) -> Any:
    mods = list((self.mods or {}).values())
    if type(idx) is slice:
        return MODULE_LIST(mods[idx])
    return mods[_index(self, idx)]


def _modulelist_repr(self: ModuleInstance) -> str:
    from gradcli.interp.nn_module import _addindent, repr_of

    reprs = [repr_of(m) for m in (self.mods or {}).values()]
    if not reprs:
        return self.cls.name + "()"
    blocks: list[list[Any]] = []
    for i, r in enumerate(reprs):
        if blocks and blocks[-1][2] == r:
            blocks[-1][1] = i
        else:
            blocks.append([i, i, r])
    lines = []
    for start, end, r in blocks:
        local = f"({start}): {r}" if start == end else \
            f"({start}-{end}): {end - start + 1} x {r}"
        lines.append(_addindent(local, 2))
    return self.cls.name + "(\n  " + "\n  ".join(lines) + "\n)"


def _modulelist_insert(self: ModuleInstance, index: int, module: Any) -> None:
    mods = self.mods if self.mods is not None else {}
    for i in range(len(mods), index, -1):  # PyTorch's shift, key by key
        mods[str(i)] = mods[str(i - 1)]
    mods[str(index)] = _check_module(self.cls.name, module)


def _renumber(self: ModuleInstance) -> None:
    """ModuleList's keys 0, 1, ... again after a deletion, as PyTorch rebuilds them."""
    self.mods = {str(i): m for i, m in enumerate((self.mods or {}).values())}


def _modulelist_delitem(self: ModuleInstance, idx: Any) -> None:
    mods = self.mods or {}
    if type(idx) is slice:
        for k in range(len(mods))[idx]:
            del mods[str(k)]
    else:
        del mods[str(_index(self, idx))]
    _renumber(self)


def _modulelist_setitem(self: ModuleInstance, idx: Any, module: Any) -> None:
    self.set_attr(str(_index(self, idx)), module)


def _modulelist_pop(self: ModuleInstance, key: Any) -> Any:
    v = _modulelist_getitem(self, key)
    _modulelist_delitem(self, key)
    return v


MODULE_LIST = _layer("ModuleList", "container", {
    "__init__": _modulelist_init, "__getitem__": _modulelist_getitem, "__len__": _len,
    "__iter__": _iter, "append": _append, "extend": _extend, "__repr__": _modulelist_repr,
    "insert": _modulelist_insert, "pop": _modulelist_pop, "__setitem__": _modulelist_setitem,
    "__delitem__": _modulelist_delitem})


# -- LayerNorm and Embedding -------------------------------------------------------------

def _layernorm_init(self: ModuleInstance, normalized_shape: Any, eps: float = 1e-05,
                    elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                    dtype: Any = None) -> None:
    _check_device(device)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    _set(self, normalized_shape=shape, eps=eps, elementwise_affine=elementwise_affine)
    torch = ops.members("torch")
    register = self.method("register_parameter")
    if elementwise_affine:
        self.set_attr("weight", make_parameter(torch["ones"](shape, dtype=dtype)))
        if bias:
            self.set_attr("bias", make_parameter(torch["zeros"](shape, dtype=dtype)))
        else:
            register("bias", None)
    else:
        register("weight", None)
        register("bias", None)


def _layernorm_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["layer_norm"](input, _get(self, "normalized_shape"), _get(self, "weight"),
                           _get(self, "bias"), _get(self, "eps"))


_layer("LayerNorm", "normalization", {
    "__init__": _layernorm_init, "forward": _layernorm_forward,
    "extra_repr": lambda s: f"{_get(s, 'normalized_shape')}, eps={_get(s, 'eps')}, "
                            f"elementwise_affine={_get(s, 'elementwise_affine')}, "
                            f"bias={_get(s, 'bias') is not None}"})


def _embedding_init(self: ModuleInstance, num_embeddings: int, embedding_dim: int,
                    padding_idx: Any = None, max_norm: Any = None, norm_type: float = 2.0,
                    scale_grad_by_freq: bool = False, sparse: bool = False,
                    _weight: Any = None, _freeze: bool = False, device: Any = None,
                    dtype: Any = None) -> None:
    _check_device(device)
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= num_embeddings:
            raise GdRuntimeError("Padding_idx must be within num_embeddings",
                                 py_type="AssertionError")
        if padding_idx < 0:
            if padding_idx < -num_embeddings:
                raise GdRuntimeError("Padding_idx must be within num_embeddings",
                                     py_type="AssertionError")
            padding_idx = num_embeddings + padding_idx
    _set(self, num_embeddings=num_embeddings, embedding_dim=embedding_dim,
         padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
         scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)
    if _weight is None:
        weight = ops.members("torch")["empty"](num_embeddings, embedding_dim, dtype=dtype)
        self.set_attr("weight", make_parameter(weight, requires_grad=not _freeze))
        nn_init.normal_(weight)
        if padding_idx is not None:
            with grad_mode(False):
                ops.members("Tensor")["fill_"](weight[padding_idx], 0)
    else:
        self.set_attr("weight", make_parameter(_weight, requires_grad=not _freeze))


def _embedding_forward(self: ModuleInstance, input: Tensor) -> Tensor:
    return F["embedding"](input, _get(self, "weight"), _get(self, "padding_idx"),
                          _get(self, "max_norm"), _get(self, "norm_type"),
                          _get(self, "scale_grad_by_freq"), _get(self, "sparse"))


def _embedding_extra(self: ModuleInstance) -> str:
    s = f"{_get(self, 'num_embeddings')}, {_get(self, 'embedding_dim')}"
    if _get(self, "padding_idx") is not None:
        s += f", padding_idx={_get(self, 'padding_idx')}"
    if _get(self, "max_norm") is not None:
        s += f", max_norm={_get(self, 'max_norm')}"
    if _get(self, "norm_type") != 2:
        s += f", norm_type={_get(self, 'norm_type')}"
    if _get(self, "scale_grad_by_freq") is not False:
        s += ", scale_grad_by_freq=True"
    if _get(self, "sparse") is not False:
        s += ", sparse=True"
    return s


EMBEDDING = _layer("Embedding", "sparse", {
    "__init__": _embedding_init, "forward": _embedding_forward, "extra_repr": _embedding_extra})


def _from_pretrained(embeddings: Any, freeze: bool = True, padding_idx: Any = None,
                     max_norm: Any = None, norm_type: float = 2.0,
                     scale_grad_by_freq: bool = False, sparse: bool = False) -> ModuleInstance:
    """nn.Embedding.from_pretrained: an Embedding whose weight is the given rows."""
    if type(embeddings) is not Tensor or embeddings.ndim != 2:
        raise GdRuntimeError("Embeddings parameter is expected to be 2-dimensional",
                             py_type="AssertionError")
    rows, cols = embeddings.shape
    return EMBEDDING(num_embeddings=rows, embedding_dim=cols, _weight=embeddings,
                     _freeze=freeze, padding_idx=padding_idx, max_norm=max_norm,
                     norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq,
                     sparse=sparse)


EMBEDDING.attrs["from_pretrained"] = StaticMethod(Builtin(
    "torch.nn.Embedding.from_pretrained", _from_pretrained,
    "nn.Embedding.from_pretrained(embeddings, freeze=True, ...): an Embedding of these rows"))
