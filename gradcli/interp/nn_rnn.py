"""nn.RNN, nn.LSTM, nn.GRU and their cells, computed as ATen's CPU RNN.cpp computes them.

Parameters are registered in PyTorch's order (per layer and direction: weight_ih, weight_hh,
bias_ih, bias_hh, weight_hr) and drawn by reset_parameters' uniform_(-1/sqrt(H), 1/sqrt(H))
over them in that order, so seeded weights are PyTorch's. A layer projects the whole input
sequence first (one linear), then steps through time with the cell of its mode (the gate
arithmetic in ATen's order), stacks the outputs and, between layers, applies dropout when
training; the final hiddens are stacked (StackBackward0), as PyTorch returns them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.ops.conv import recorded_as
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import nn_init
from gradcli.interp.classes import _MISSING, Property
from gradcli.interp.nn_layers import _check_device, _get, _layer, _set
from gradcli.interp.nn_module import ModuleInstance, make_parameter, parameters_of
from gradcli.interp.nn_packed import PackedSequence
from gradcli.interp.values import dtype_value, type_name

F = ops.members("torch.nn.functional")
T = ops.members("Tensor")
TORCH = ops.members("torch")

Params = tuple[Tensor, Tensor, Any, Any, Any]  # w_ih, w_hh, b_ih, b_hh, w_hr


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def _type_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="TypeError")


# -- the cells (ATen's SimpleCell, LSTMCell and GRUCell; xw is input @ w_ih.T + b_ih) ------

def _simple(act: str) -> Callable[..., Any]:
    def cell(xw: Tensor, h: Tensor, p: Params) -> Tensor:
        return T[act](T["add"](F["linear"](h, p[1], p[3]), xw))

    return cell


def _lstm(xw: Tensor, hc: tuple[Tensor, Tensor], p: Params) -> tuple[Tensor, Tensor]:
    h, c = hc
    gates = T["add"](F["linear"](h, p[1], p[3]), xw)
    i, f, g, o = T["chunk"](gates, 4, 1)
    i, f, g, o = T["sigmoid"](i), T["sigmoid"](f), T["tanh"](g), T["sigmoid"](o)
    cy = T["add"](T["mul"](f, c), T["mul"](i, g))
    hy = T["mul"](o, T["tanh"](cy))
    if p[4] is not None:
        hy = TORCH["matmul"](hy, T["t"](p[4]))
    return hy, cy


def _gru(xw: Tensor, h: Tensor, p: Params) -> Tensor:
    ir, iz, in_ = T["chunk"](xw, 3, 1)
    hr, hz, hn = T["chunk"](F["linear"](h, p[1], p[3]), 3, 1)
    r = T["sigmoid"](T["add"](hr, ir))
    z = T["sigmoid"](T["add"](hz, iz))
    n = T["tanh"](T["add"](in_, T["mul"](hn, r)))
    return T["add"](T["mul"](T["sub"](h, n), z), n)


CELLS: dict[str, Callable[..., Any]] = {
    "RNN_TANH": _simple("tanh"), "RNN_RELU": _simple("relu"), "LSTM": _lstm, "GRU": _gru}
GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _run_layer(mode: str, steps: list[Tensor], hidden: Any, p: Params) -> tuple[list[Any], Any]:
    cell = CELLS[mode]
    outs = []
    for xw in steps:
        hidden = cell(xw, hidden, p)
        outs.append(hidden[0] if mode == "LSTM" else hidden)
    return outs, hidden


# -- RNN, LSTM, GRU ------------------------------------------------------------------------

def _rnn_base_init(self: ModuleInstance, mode: str, input_size: Any, hidden_size: Any,
                   num_layers: int = 1, bias: Any = True, batch_first: Any = False,
                   dropout: Any = 0.0, bidirectional: bool = False, proj_size: int = 0,
                   device: Any = None, dtype: Any = None) -> None:
    _check_device(device)
    if type(dropout) not in (int, float) or not 0 <= dropout <= 1:
        raise _value_error("dropout should be a number in range [0, 1] representing the "
                           "probability of an element being zeroed")
    for name, v in (("bias", bias), ("batch_first", batch_first)):
        if type(v) is not bool:
            raise _type_error(f"{name} should be of type bool, got: {type_name(v)}")
    for name, v in (("input_size", input_size), ("hidden_size", hidden_size)):
        if type(v) is not int:
            raise _type_error(f"{name} should be of type int, got: {type_name(v)}")
        if v <= 0:
            raise _value_error(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise _value_error("num_layers must be greater than zero")
    if proj_size < 0:
        raise _value_error("proj_size should be a positive integer or zero to disable "
                           "projections")
    if proj_size >= hidden_size:
        raise _value_error("proj_size has to be smaller than hidden_size")
    _set(self, mode=mode, input_size=input_size, hidden_size=hidden_size,
         num_layers=num_layers, bias=bias, batch_first=batch_first, dropout=float(dropout),
         bidirectional=bidirectional, proj_size=proj_size)
    gate = GATES[mode] * hidden_size
    real_hidden = proj_size if proj_size > 0 else hidden_size
    directions = 2 if bidirectional else 1
    empty = TORCH["empty"]
    names: list[list[str]] = []
    for layer in range(num_layers):
        for direction in range(directions):
            layer_in = input_size if layer == 0 else real_hidden * directions
            sfx = f"{layer}{'_reverse' if direction == 1 else ''}"
            shapes = [(f"weight_ih_l{sfx}", (gate, layer_in)),
                      (f"weight_hh_l{sfx}", (gate, real_hidden))]
            if bias:
                shapes += [(f"bias_ih_l{sfx}", (gate,)), (f"bias_hh_l{sfx}", (gate,))]
            if proj_size > 0:
                shapes.append((f"weight_hr_l{sfx}", (proj_size, hidden_size)))
            for name, shape in shapes:
                self.set_attr(name, make_parameter(empty(shape, dtype=dtype)))
            names.append([name for name, _ in shapes])
    self.attrs["_all_weights"] = names
    self.attrs["_flat_weights_names"] = [name for layer in names for name in layer]
    self.method("reset_parameters")()


def _reset_parameters(self: ModuleInstance) -> None:
    h = _get(self, "hidden_size")
    stdv = 1.0 / math.sqrt(h) if h > 0 else 0
    for w in parameters_of(self):
        nn_init.uniform_(w, -stdv, stdv)


def _rnn_extra(self: ModuleInstance) -> str:
    s = f"{_get(self, 'input_size')}, {_get(self, 'hidden_size')}"
    if _get(self, "proj_size") != 0:
        s += f", proj_size={_get(self, 'proj_size')}"
    if _get(self, "num_layers") != 1:
        s += f", num_layers={_get(self, 'num_layers')}"
    if _get(self, "bias") is not True:
        s += f", bias={_get(self, 'bias')}"
    if _get(self, "batch_first") is not False:
        s += f", batch_first={_get(self, 'batch_first')}"
    if _get(self, "dropout") != 0:
        s += f", dropout={_get(self, 'dropout')}"
    if _get(self, "bidirectional") is not False:
        s += f", bidirectional={_get(self, 'bidirectional')}"
    return s


def _layer_params(self: ModuleInstance, layer: int, direction: int) -> Params:
    sfx = f"{layer}{'_reverse' if direction == 1 else ''}"

    return (_weight(self, f"weight_ih_l{sfx}"), _weight(self, f"weight_hh_l{sfx}"),
            _weight(self, f"bias_ih_l{sfx}"), _weight(self, f"bias_hh_l{sfx}"),
            _weight(self, f"weight_hr_l{sfx}"))


def _weight(self: ModuleInstance, name: str) -> Any:
    """A weight by name: a parameter, or what weight_norm or a parametrization put in its
    place (a plain attribute, a property), or None."""
    params = self.params or {}
    if name in params:
        return params[name]
    if name in self.attrs or self.cls.find(name) is not _MISSING:
        return self.get_attr(name)
    return None


def _check_hidden(hx: Tensor, expected: tuple[int, ...], what: str) -> None:
    if tuple(hx.shape) != expected:
        raise GdRuntimeError(f"Expected {what} size {expected}, got {list(hx.shape)}")


def _check_input(self: ModuleInstance, input: Tensor) -> None:
    _check_input_dtype(self, input)
    _check_input_size(self, input)


def _check_input_dtype(self: ModuleInstance, input: Tensor) -> None:
    w = _weight(self, "weight_ih_l0")
    if w is not None and input.array.dtype != w.array.dtype:
        a, b = dtype_value(input.array.dtype), dtype_value(w.array.dtype)
        raise _value_error(f"RNN input dtype ({a}) does not match weight dtype ({b}). "
                           f"Convert input: input.to({b}), or convert model: model.to({a})")


def _check_input_size(self: ModuleInstance, input: Tensor) -> None:
    if _get(self, "input_size") != input.shape[-1]:
        raise GdRuntimeError("input.size(-1) must be equal to input_size. Expected "
                             f"{_get(self, 'input_size')}, got {input.shape[-1]}")


def _rnn_forward(self: ModuleInstance, input: Tensor, hx: Any = None) -> tuple[Any, Any]:
    mode = _get(self, "mode")
    lstm = mode == "LSTM"
    label = "RNN" if mode.startswith("RNN") else mode
    if type(input) is PackedSequence:
        return _packed_forward(self, input, hx)
    if type(input) is not Tensor:
        raise GdRuntimeError(f"{label} input must be a Tensor or a PackedSequence")
    if input.ndim not in (2, 3):
        raise _value_error(f"{label}: Expected input to be 2D or 3D, got {input.ndim}D "
                           + ("tensor instead" if label == "RNN" else "instead"))
    batched = input.ndim == 3
    batch_first = _get(self, "batch_first")
    batch_dim = 0 if batch_first else 1
    if not batched:
        input = T["unsqueeze"](input, batch_dim)
    directions = 2 if _get(self, "bidirectional") else 1
    layers = _get(self, "num_layers")
    hidden = _get(self, "hidden_size")
    proj = _get(self, "proj_size")
    batch = input.shape[0 if batch_first else 1]
    real_hidden = proj if proj > 0 else hidden
    hx = _initial_hidden(self, hx, batched, lstm, (layers * directions, batch, real_hidden),
                         (layers * directions, batch, hidden), input)
    _check_input(self, input)
    if lstm:
        _check_hidden(hx[0], (layers * directions, batch, real_hidden), "hidden[0]")
        _check_hidden(hx[1], (layers * directions, batch, hidden), "hidden[1]")
    else:
        _check_hidden(hx, (layers * directions, batch, hidden), "hidden")
    x = T["transpose"](input, 0, 1) if batch_first else input
    finals: list[Any] = []
    p_drop = _get(self, "dropout")
    for layer in range(layers):
        outs = []
        for direction in range(directions):
            k = layer * directions + direction
            h0 = (hx[0][k], hx[1][k]) if lstm else hx[k]
            p = _layer_params(self, layer, direction)
            steps = list(T["unbind"](F["linear"](x, p[0], p[2]), 0))
            if direction == 1:
                steps.reverse()
            seq, last = _run_layer(mode, steps, h0, p)
            if direction == 1:
                seq.reverse()
            outs.append(TORCH["stack"](seq, 0))
            finals.append(last)
        if directions == 2:
            x = TORCH["cat"](outs, outs[0].ndim - 1)
        elif lstm and proj == 0 and x.array.dtype == np.float32:
            # PyTorch runs a float32 LSTM layer through oneDNN: one fused node
            x = recorded_as(outs[0], "MkldnnRnnLayerBackward0")
        else:
            x = outs[0]
        if p_drop != 0 and _get(self, "training") and layer < layers - 1:
            x = F["dropout"](x, p_drop, True, False)
    output = x
    if batch_first:  # ATen's transpose_ of the result (a strided view) for GRU and RNN;
        # its lstm transposes out of place on every path (oneDNN's, projections, float64)
        output = T["transpose" if lstm or not x.requires_grad else "transpose_"](x, 0, 1)
    if lstm:
        h_n: Any = (TORCH["stack"]([h for h, _ in finals], 0),
                    TORCH["stack"]([c for _, c in finals], 0))
    else:
        h_n = TORCH["stack"](finals, 0)
    if not batched:
        output = T["squeeze"](output, batch_dim)
        h_n = tuple(T["squeeze"](t, 1) for t in h_n) if lstm else T["squeeze"](h_n, 1)
    return output, h_n


# -- over a PackedSequence (ATen's PackedLayer and ReversedPackedLayer) -------------------

def _narrow(hidden: Any, start: int, end: int) -> Any:
    if type(hidden) is tuple:
        return tuple(h[start:end] for h in hidden)
    return hidden[start:end]


def _concat(hiddens: list[Any]) -> Any:
    if type(hiddens[0]) is tuple:
        return tuple(TORCH["cat"](list(hs), 0) for hs in zip(*hiddens, strict=True))
    return TORCH["cat"](hiddens, 0)


def _packed_layer(mode: str, x: Tensor, sizes: list[int], h0: Any, p: Params,
                  reverse: bool) -> tuple[Tensor, Any]:
    """One direction of a layer over packed data: a sequence leaving the batch keeps its
    last hidden (forward), or one joining it starts from its initial hidden (reverse)."""
    cell = CELLS[mode]
    outs = []
    if not reverse:
        finals, hidden, last, offset = [], h0, sizes[0], 0
        for n in sizes:
            if n < last:
                finals.append(_narrow(hidden, n, last))
                hidden = _narrow(hidden, 0, n)
            last = n
            hidden = cell(F["linear"](x[offset:offset + n], p[0], p[2]), hidden, p)
            offset += n
            outs.append(hidden[0] if mode == "LSTM" else hidden)
        finals.append(hidden)
        finals.reverse()
        return TORCH["cat"](outs, 0), _concat(finals)
    last = sizes[-1]
    hidden, offset = _narrow(h0, 0, last), x.shape[0]
    for n in reversed(sizes):
        if n > last:
            hidden = _concat([hidden, _narrow(h0, last, n)])
        last = n
        hidden = cell(F["linear"](x[offset - n:offset], p[0], p[2]), hidden, p)
        offset -= n
        outs.append(hidden[0] if mode == "LSTM" else hidden)
    outs.reverse()
    return TORCH["cat"](outs, 0), hidden


def _permute(hx: Any, perm: Any) -> Any:
    if perm is None:
        return hx
    if type(hx) is tuple:
        return tuple(T["index_select"](h, 1, perm) for h in hx)
    return T["index_select"](hx, 1, perm)


def _packed_forward(self: ModuleInstance, packed: PackedSequence, hx: Any) -> Any:
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    mode = _get(self, "mode")
    lstm = mode == "LSTM"
    sizes = [int(n) for n in batch_sizes.array]
    directions = 2 if _get(self, "bidirectional") else 1
    layers = _get(self, "num_layers")
    hidden = _get(self, "hidden_size")
    proj = _get(self, "proj_size")
    real_hidden = proj if proj > 0 else hidden
    h_shape = (layers * directions, sizes[0], real_hidden)
    c_shape = (layers * directions, sizes[0], hidden)
    if hx is None:
        hx = _initial_hidden(self, hx, True, lstm, h_shape, c_shape, data)
    else:
        hx = _permute(tuple(hx) if lstm else hx, sorted_indices)
    if data.ndim != 2:
        raise GdRuntimeError(f"input must have 2 dimensions, got {data.ndim}")
    _check_input(self, data)
    if lstm:
        _check_hidden(hx[0], h_shape, "hidden[0]")
        _check_hidden(hx[1], c_shape, "hidden[1]")
    else:
        _check_hidden(hx, h_shape, "hidden")
    x = data
    finals: list[Any] = []
    p_drop = _get(self, "dropout")
    for layer in range(layers):
        outs = []
        for direction in range(directions):
            k = layer * directions + direction
            h0 = (hx[0][k], hx[1][k]) if lstm else hx[k]
            out, last = _packed_layer(mode, x, sizes, h0, _layer_params(self, layer, direction),
                                      direction == 1)
            outs.append(out)
            finals.append(last)
        x = TORCH["cat"](outs, 1) if directions == 2 else outs[0]
        if p_drop != 0 and _get(self, "training") and layer < layers - 1:
            x = F["dropout"](x, p_drop, True, False)
    if lstm:
        h_n: Any = (TORCH["stack"]([h for h, _ in finals], 0),
                    TORCH["stack"]([c for _, c in finals], 0))
    else:
        h_n = TORCH["stack"](finals, 0)
    output = PackedSequence(x, batch_sizes, sorted_indices, unsorted_indices)
    return output, _permute(h_n, unsorted_indices)


def _initial_hidden(self: ModuleInstance, hx: Any, batched: bool, lstm: bool,
                    h_shape: tuple[int, ...], c_shape: tuple[int, ...], input: Tensor) -> Any:
    dtype = input.array.dtype
    if hx is None:
        h = TORCH["zeros"](h_shape, dtype=dtype)
        return (h, TORCH["zeros"](c_shape, dtype=dtype)) if lstm else h
    want = 3 if batched else 2
    kind = "batched 3-D" if batched else "unbatched 2-D"
    if lstm:
        if type(hx) in (tuple, list) and len(hx) < 2:  # PyTorch reads hx[0] and hx[1]
            raise GdRuntimeError(f"{type(hx).__name__} index out of range", py_type="IndexError")
        h, c = hx
        if h.ndim != want or c.ndim != want:
            raise GdRuntimeError(f"For {kind} input, hx and cx should also be {want}-D but got "
                                 f"({h.ndim}-D, {c.ndim}-D) tensors")
        return (h, c) if batched else (T["unsqueeze"](h, 1), T["unsqueeze"](c, 1))
    if hx.ndim != want:
        raise GdRuntimeError(f"For {kind} input, hx should also be {want}-D but got "
                             f"{hx.ndim}-D tensor")
    return hx if batched else T["unsqueeze"](hx, 1)


def _rnn_init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
    if "proj_size" in kwargs:
        raise _value_error("proj_size argument is only supported for LSTM, not RNN or GRU")
    if len(args) > 3:
        nonlinearity = args[3]
        args = args[:3] + args[4:]
    else:
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
    if nonlinearity not in ("tanh", "relu"):
        raise _value_error(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                           "'relu'.")
    _rnn_base_init(self, "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)
    self.attrs["nonlinearity"] = nonlinearity


def _gru_init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
    if "proj_size" in kwargs:
        raise _value_error("proj_size argument is only supported for LSTM, not RNN or GRU")
    _rnn_base_init(self, "GRU", *args, **kwargs)


def _lstm_init(self: ModuleInstance, *args: Any, **kwargs: Any) -> None:
    _rnn_base_init(self, "LSTM", *args, **kwargs)


def _flatten_parameters(self: ModuleInstance) -> None:
    """PyTorch's cuDNN weight compaction: nothing to do on the CPU."""


# -- RNNBase's helpers (nn/modules/rnn.py): the weights by layer, the shape checks ---------

def _flat_weights(self: ModuleInstance) -> list[Any]:
    return [_weight(self, name) for name in self.get_attr("_flat_weights_names")]


def _all_weights(self: ModuleInstance) -> list[list[Any]]:
    return [[self.get_attr(name) for name in layer] for layer in self.get_attr("_all_weights")]


def _mini_batch(self: ModuleInstance, input: Tensor, batch_sizes: Any) -> int:
    if batch_sizes is not None:
        return int(batch_sizes.array.reshape(-1)[0])
    return input.shape[0 if _get(self, "batch_first") else 1]


def _expected_hidden(self: ModuleInstance, input: Tensor, batch_sizes: Any) -> tuple[int, ...]:
    proj = _get(self, "proj_size")
    return ((2 if _get(self, "bidirectional") else 1) * _get(self, "num_layers"),
            _mini_batch(self, input, batch_sizes), proj if proj > 0 else _get(self, "hidden_size"))


def _expected_cell(self: ModuleInstance, input: Tensor, batch_sizes: Any) -> tuple[int, ...]:
    return ((2 if _get(self, "bidirectional") else 1) * _get(self, "num_layers"),
            _mini_batch(self, input, batch_sizes), _get(self, "hidden_size"))


def _check_input_method(self: ModuleInstance, input: Tensor, batch_sizes: Any) -> None:
    _check_input_dtype(self, input)
    want = 2 if batch_sizes is not None else 3
    if input.ndim != want:
        raise GdRuntimeError(f"input must have {want} dimensions, got {input.ndim}")
    _check_input_size(self, input)


def _check_hidden_size(self: ModuleInstance, hx: Tensor, expected: Any,
                       msg: str = "Expected hidden size {}, got {}") -> None:
    if tuple(hx.shape) != tuple(expected):
        raise GdRuntimeError(msg.format(expected, list(hx.shape)))


def _check_forward_args(self: ModuleInstance, input: Tensor, hidden: Any,
                        batch_sizes: Any) -> None:
    _check_input_method(self, input, batch_sizes)
    if _get(self, "mode") != "LSTM":
        _check_hidden_size(self, hidden, _expected_hidden(self, input, batch_sizes))
        return
    _check_hidden_size(self, hidden[0], _expected_hidden(self, input, batch_sizes),
                       "Expected hidden[0] size {}, got {}")
    _check_hidden_size(self, hidden[1], _expected_cell(self, input, batch_sizes),
                       "Expected hidden[1] size {}, got {}")


def _permute_hidden(self: ModuleInstance, hx: Any, permutation: Any) -> Any:
    if permutation is None:
        return hx
    if _get(self, "mode") == "LSTM":
        return tuple(T["index_select"](h, 1, permutation) for h in hx[:2])
    return T["index_select"](hx, 1, permutation)


_COMMON = {"forward": _rnn_forward, "reset_parameters": _reset_parameters,
           "extra_repr": _rnn_extra, "flatten_parameters": _flatten_parameters,
           "get_expected_hidden_size": _expected_hidden, "check_input": _check_input_method,
           "check_hidden_size": _check_hidden_size, "check_forward_args": _check_forward_args,
           "permute_hidden": _permute_hidden}
# RNN, LSTM and GRU share nn.RNNBase (isinstance(m, nn.RNNBase)), which builds any mode.
RNN_BASE = _layer("RNNBase", "rnn", {"__init__": _rnn_base_init, **_COMMON})
RNN_BASE.attrs["all_weights"] = Property(_all_weights)
RNN_BASE.attrs["_flat_weights"] = Property(_flat_weights)
RNN_BASE.properties = True
for _name, _init_fn in (("RNN", _rnn_init), ("LSTM", _lstm_init), ("GRU", _gru_init)):
    _extra = {"get_expected_cell_size": _expected_cell} if _name == "LSTM" else {}
    _layer(_name, "rnn", {"__init__": _init_fn, **_extra}, base=RNN_BASE)


# -- the cells -----------------------------------------------------------------------------

def _cell_init(mode: str) -> Callable[..., None]:
    def init(self: ModuleInstance, input_size: int, hidden_size: int, bias: bool = True,
             *args: Any, device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        nonlinearity = "tanh"
        if mode == "RNN":
            nonlinearity = args[0] if args else kwargs.pop("nonlinearity", "tanh")
        elif args:
            raise _type_error(f"{mode}Cell.__init__() takes from 3 to 6 positional "
                              f"arguments but {4 + len(args)} were given")
        if kwargs:
            raise _type_error(f"{mode}Cell.__init__() got an unexpected keyword argument "
                              f"'{next(iter(kwargs))}'")
        _check_device(device)
        _set(self, input_size=input_size, hidden_size=hidden_size, bias=bias)
        if mode == "RNN":
            self.attrs["nonlinearity"] = nonlinearity
        chunks = GATES["LSTM" if mode == "LSTM" else "GRU" if mode == "GRU" else "RNN_TANH"]
        empty = TORCH["empty"]
        self.set_attr("weight_ih", make_parameter(empty(chunks * hidden_size, input_size,
                                                        dtype=dtype)))
        self.set_attr("weight_hh", make_parameter(empty(chunks * hidden_size, hidden_size,
                                                        dtype=dtype)))
        if bias:
            self.set_attr("bias_ih", make_parameter(empty(chunks * hidden_size, dtype=dtype)))
            self.set_attr("bias_hh", make_parameter(empty(chunks * hidden_size, dtype=dtype)))
        else:
            self.method("register_parameter")("bias_ih", None)
            self.method("register_parameter")("bias_hh", None)
        self.method("reset_parameters")()

    return init


def _cell_extra(self: ModuleInstance) -> str:
    s = f"{_get(self, 'input_size')}, {_get(self, 'hidden_size')}"
    if _get(self, "bias") is not True:
        s += f", bias={_get(self, 'bias')}"
    if "nonlinearity" in self.attrs and self.attrs["nonlinearity"] != "tanh":
        s += f", nonlinearity={self.attrs['nonlinearity']}"
    return s


def _cell_params(self: ModuleInstance) -> Params:
    return (_weight(self, "weight_ih"), _weight(self, "weight_hh"), _weight(self, "bias_ih"),
            _weight(self, "bias_hh"), None)


def _cell_checks(self: ModuleInstance, name: str, input: Tensor, hs: tuple[Any, ...]) -> None:
    if input.ndim not in (1, 2):
        raise _value_error(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D "
                           "instead")
    for h in hs:
        if h is not None and h.ndim not in (1, 2):
            raise _value_error(f"{name}: Expected hidden to be 1D or 2D, got {h.ndim}D "
                               "instead")


def _check_cell_sizes(self: ModuleInstance, input: Tensor, hs: tuple[Tensor, ...]) -> None:
    size = _get(self, "input_size")
    if input.shape[1] != size:
        raise GdRuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                             f"expected {size}")
    hidden = _get(self, "hidden_size")
    for i, h in enumerate(hs):
        if h.shape[0] != input.shape[0]:
            raise GdRuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{i} "
                                 f"batch size {h.shape[0]}")
        if h.shape[1] != hidden:
            raise GdRuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.shape[1]}, "
                                 f"expected {hidden}")


def _project(self: ModuleInstance, input: Tensor) -> Tensor:
    p = _cell_params(self)
    return F["linear"](input, p[0], p[2])


def _zeros(self: ModuleInstance, input: Tensor) -> Tensor:
    return TORCH["zeros"](input.shape[0], _get(self, "hidden_size"),
                          dtype=input.array.dtype)


def _rnncell_forward(self: ModuleInstance, input: Tensor, hx: Any = None) -> Tensor:
    _cell_checks(self, "RNNCell", input, (hx,))
    batched = input.ndim == 2
    if not batched:
        input = T["unsqueeze"](input, 0)
    hx = _zeros(self, input) if hx is None else hx if batched else T["unsqueeze"](hx, 0)
    _check_cell_sizes(self, input, (hx,))
    act = self.attrs.get("nonlinearity")
    if act not in ("tanh", "relu"):
        raise GdRuntimeError(f"Unknown nonlinearity: {act}")
    out = _simple(act)(_project(self, input), hx, _cell_params(self))
    return out if batched else T["squeeze"](out, 0)


def _lstmcell_forward(self: ModuleInstance, input: Tensor, hx: Any = None) -> Any:
    _cell_checks(self, "LSTMCell", input, tuple(hx) if hx is not None else ())
    batched = input.ndim == 2
    if not batched:
        input = T["unsqueeze"](input, 0)
    if hx is None:
        zeros = _zeros(self, input)
        hx = (zeros, zeros)
    elif not batched:
        hx = (T["unsqueeze"](hx[0], 0), T["unsqueeze"](hx[1], 0))
    _check_cell_sizes(self, input, tuple(hx))
    h, c = _lstm(_project(self, input), tuple(hx), _cell_params(self))
    return (h, c) if batched else (T["squeeze"](h, 0), T["squeeze"](c, 0))


def _grucell_forward(self: ModuleInstance, input: Tensor, hx: Any = None) -> Tensor:
    _cell_checks(self, "GRUCell", input, (hx,))
    batched = input.ndim == 2
    if not batched:
        input = T["unsqueeze"](input, 0)
    hx = _zeros(self, input) if hx is None else hx if batched else T["unsqueeze"](hx, 0)
    _check_cell_sizes(self, input, (hx,))
    out = _gru(_project(self, input), hx, _cell_params(self))
    return out if batched else T["squeeze"](out, 0)


CELL_BASE = _layer("RNNCellBase", "rnn", {"reset_parameters": _reset_parameters,
                                           "extra_repr": _cell_extra})
for _name, _fwd in (("RNN", _rnncell_forward), ("LSTM", _lstmcell_forward),
                    ("GRU", _grucell_forward)):
    _layer(f"{_name}Cell", "rnn", {"__init__": _cell_init(_name), "forward": _fwd},
           base=CELL_BASE)
