"""torch.nn.init and torch.nn.utils.clip_grad_norm_/clip_grad_value_, as PyTorch computes them.

Every initialiser fills the tensor in place under no_grad from the same generator calls
PyTorch makes (uniform_ / normal_ with the same bounds, computed with the same float
operations), so a seeded program gets PyTorch's numbers bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

from gradcli.ad import ops, state
from gradcli.ad.state import grad_mode
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp.operators import set_item

T = ops.members("Tensor")


def _value_error(message: str) -> GdRuntimeError:
    return GdRuntimeError(message, py_type="ValueError")


def calculate_gain(nonlinearity: str, param: Any = None) -> float:
    """The recommended gain for a nonlinearity (nn.init.calculate_gain)."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d")
    if nonlinearity in linear or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (type(param) is int) or type(param) is float:
            slope = param
        else:
            raise _value_error(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise _value_error(f"Unsupported nonlinearity {nonlinearity}")


def fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight tensor."""
    if tensor.ndim < 2:
        raise _value_error("Fan in and fan out can not be computed for tensor with fewer "
                           "than 2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    """The fan of a weight tensor that mode ('fan_in' or 'fan_out') names."""
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise _value_error(f"Mode {mode} not supported, please use one of "
                           "['fan_in', 'fan_out']")
    fan_in, fan_out = fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with values from U(a, b)."""
    with grad_mode(False):
        return T["uniform_"](tensor, a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Any = None) -> Tensor:
    """Fill with values from N(mean, std^2)."""
    with grad_mode(False):
        return T["normal_"](tensor, mean, std, generator=generator)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with val."""
    with grad_mode(False):
        return T["fill_"](tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros."""
    with grad_mode(False):
        return T["zero_"](tensor)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan)."""
    if 0 in tensor.shape:
        return tensor
    fan = _fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He normal: N(0, std^2), std = gain / sqrt(fan)."""
    if 0 in tensor.shape:
        return tensor
    fan = _fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0, std, generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Any = None) -> Tensor:
    """N(mean, std^2) truncated to [a, b]: PyTorch's redraws of the values outside (or, for
    a narrow window, its uniform proposals accepted by the normal's density)."""
    torch = ops.members("torch")

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        state.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                   "distribution of values may be incorrect.")
    with grad_mode(False):
        p = norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std)
        if p > 0.3:
            lo = tensor.array.dtype.type(a).item()
            hi = tensor.array.dtype.type(b).item()
            result = T["normal_"](tensor, mean, std, generator=generator)
            while True:
                mask = torch["logical_or"](T["lt"](result, lo), T["gt"](result, hi))
                if not T["any"](mask).item():
                    break
                fresh = T["normal_"](torch["empty_like"](result), mean, std,
                                     generator=generator)
                result = torch["where"](mask, fresh, result)
            if result is not tensor:
                T["copy_"](tensor, result)
            return tensor
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2
        candidates = torch["empty_like"](tensor)
        accept = torch["empty_like"](tensor)

        def density(c: Tensor) -> Tensor:
            c = T["div_"](T["sub_"](c, mean), std)
            return T["sub_"](T["mul_"](T["pow_"](c, 2), -0.5), log_peak)

        T["uniform_"](tensor, a, b, generator=generator)
        T["copy_"](candidates, tensor)
        density(candidates)
        pending = T["gt"](T["log_"](T["uniform_"](accept, generator=generator)), candidates)
        if T["any"](pending).item():
            result = tensor
            while True:
                T["uniform_"](candidates, a, b, generator=generator)
                result = torch["where"](pending, candidates, result)
                density(candidates)
                drawn = T["gt"](T["log_"](T["uniform_"](accept, generator=generator)),
                                candidates)
                pending = torch["where"](pending, drawn, pending)
                if not T["any"](pending).item():
                    break
            T["copy_"](tensor, result)
        return tensor


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (a 2-D tensor)."""
    if tensor.ndim != 2:
        raise _value_error("Only tensors with 2 dimensions are supported")
    with grad_mode(False):
        eye = ops.members("torch")["eye"](*tensor.shape, dtype=tensor.dtype)
        T["copy_"](tensor, eye)
    return tensor


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The Dirac delta of a convolution weight: each input channel passed through."""
    dimensions = tensor.ndim
    if dimensions not in (3, 4, 5):
        raise _value_error("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise _value_error("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    centre = tuple(n // 2 for n in sizes[2:])
    with grad_mode(False):
        T["zero_"](tensor)
        for g in range(groups):
            for d in range(min(per_group, sizes[1])):
                set_item(tensor, (g * per_group + d, d, *centre), 1)
    return tensor


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Any = None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR decomposition of a normal draw."""
    if tensor.ndim < 2:
        raise _value_error("Only tensors with 2 or more dimensions are supported")
    if tensor.array.size == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.array.size // rows
    with grad_mode(False):
        flat = T["normal_"](T["new_empty"](tensor, (rows, cols)), 0, 1, generator=generator)
        if rows < cols:
            flat = T["t"](flat)
        q, r = ops.members("torch.linalg")["qr"](flat)
        q = T["mul"](q, T["sign"](ops.members("torch")["diag"](r, 0)))
        if rows < cols:
            q = T["t"](q)
        T["copy_"](T["view_as"](tensor, q), q)
        T["mul_"](tensor, gain)
    return tensor


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01,
            generator: Any = None) -> Tensor:
    """N(0, std^2) with a fraction `sparsity` of each column's rows zeroed."""
    if tensor.ndim != 2:
        raise _value_error("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with grad_mode(False):
        T["normal_"](tensor, 0, std, generator=generator)
        for col in range(cols):
            zero_rows = ops.members("torch")["randperm"](rows)
            set_item(tensor, (zero_rows[:num_zeros], col), 0)
    return tensor


INIT = {name: globals()[name] for name in (
    "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "trunc_normal_", "eye_", "dirac_", "orthogonal_", "sparse_")}
# The private helpers custom layers' reset_parameters copy from nn.Linear's
# (`fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)`).
INIT.update({"_calculate_fan_in_and_fan_out": fans, "_calculate_correct_fan": _fan})


def _deprecated(new_name: str) -> Any:
    meth = INIT[new_name]
    old_name = new_name[:-1]

    def deprecated_init(*args: Any, **kwargs: Any) -> Any:
        state.warn(f"`nn.init.{old_name}` is now deprecated in favor of "
                   f"`nn.init.{new_name}`.", category="FutureWarning")
        return meth(*args, **kwargs)

    deprecated_init.__name__ = old_name
    deprecated_init.__doc__ = f"{old_name}(...): deprecated spelling of {new_name}"
    return deprecated_init


INIT.update({name[:-1]: _deprecated(name) for name in (
    "uniform_", "normal_", "constant_", "eye_", "dirac_", "xavier_uniform_",
    "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_")})


# -- torch.nn.utils ----------------------------------------------------------------------

def _grads(parameters: Any) -> list[Tensor]:
    params = [parameters] if type(parameters) is Tensor else list(parameters)
    return [p.grad for p in params if type(p) is Tensor and p.grad is not None]


def get_total_norm(tensors: Any, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: Any = None) -> Tensor:
    """The norm of the tensors' norms (of all their elements together)."""
    tensors = [tensors] if type(tensors) is Tensor else list(tensors)
    torch = ops.members("torch")
    norm_type = float(norm_type)
    if not tensors:
        return ops.tensor(0.0)
    norm = ops.members("torch.linalg")["vector_norm"]
    with grad_mode(False):
        total = norm(torch["stack"]([norm(g, norm_type) for g in tensors]), norm_type)
    if error_if_nonfinite and not math.isfinite(float(total.item())):
        raise GdRuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters: Any, max_norm: float, total_norm: Any,
                          foreach: Any = None) -> None:
    """Scale the gradients by max_norm / (total_norm + 1e-6), if below 1."""
    grads = _grads(parameters)
    max_norm = float(max_norm)
    if not grads:
        return
    with grad_mode(False):
        coef = ops.members("torch")["clamp"](max_norm / (total_norm + 1e-6), max=1.0)
        for g in grads:
            T["mul_"](g, coef)


def clip_grad_norm_(parameters: Any, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """Scale the gradients so their joint norm is at most max_norm; the norm before."""
    params = [parameters] if type(parameters) is Tensor else list(parameters)
    grads = _grads(params)
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(params, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters: Any, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """The deprecated spelling of clip_grad_norm_ (with PyTorch's warning)."""
    state.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
               "`torch.nn.utils.clip_grad_norm_`.", category="FutureWarning")
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Any, clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient to [-clip_value, clip_value] in place."""
    with grad_mode(False):
        for g in _grads(parameters):
            T["clamp_"](g, -float(clip_value), float(clip_value))


def parameters_to_vector(parameters: Any) -> Tensor:
    """The parameters flattened and joined into one vector (recorded: CatBackward0)."""
    params = [parameters] if type(parameters) is Tensor else list(parameters)
    return ops.members("torch")["cat"]([T["view"](p, -1) for p in params])


def vector_to_parameters(vec: Any, parameters: Any) -> None:
    """Give each parameter, in order, the next numel() entries of vec as its data."""
    if type(vec) is not Tensor:
        raise GdRuntimeError(f"expected torch.Tensor, but got: {type(vec).__name__}",
                             py_type="TypeError")
    pointer = 0
    for p in [parameters] if type(parameters) is Tensor else list(parameters):
        n = p.array.size
        p.array = T["view_as"](vec[pointer:pointer + n], p).detach().array
        pointer += n


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """The sequences (L_i x *) padded to the longest and stacked: (L, B, *) or, batch
    first, (B, L, *); each copied into a full tensor of padding_value (CopySlices)."""
    if padding_side not in ("left", "right"):
        raise GdRuntimeError(f"Expected padding_side to be one of left or right, but got "
                             f"{padding_side}.")
    seqs = [sequences] if type(sequences) is Tensor else list(sequences)
    if not seqs:
        raise GdRuntimeError("received an empty list of sequences")
    first = seqs[0]
    longest = max(s.shape[0] for s in seqs)
    rest = tuple(first.shape[1:])
    shape = (len(seqs), longest, *rest) if batch_first else (longest, len(seqs), *rest)
    out = ops.members("torch")["full"](shape, padding_value, dtype=first.dtype)
    for i, seq in enumerate(seqs):
        n = seq.shape[0]
        start = longest - n if padding_side == "left" else 0
        rows = slice(start, start + n)
        set_item(out, (i, rows) if batch_first else (rows, i), seq)
    return out


UTILS = {"clip_grad_norm_": clip_grad_norm_, "clip_grad_value_": clip_grad_value_,
         "clip_grad_norm": clip_grad_norm, "get_total_norm": get_total_norm,
         "clip_grads_with_norm_": clip_grads_with_norm_,
         "parameters_to_vector": parameters_to_vector,
         "vector_to_parameters": vector_to_parameters}
#: torch.nn.utils's submodules gd has, with their functions.
UTILS_MODULES = {
    "rnn": {"pad_sequence": pad_sequence},
    "clip_grad": {name: UTILS[name] for name in (
        "clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
        "clip_grads_with_norm_")},
    "convert_parameters": {name: UTILS[name] for name in (
        "parameters_to_vector", "vector_to_parameters")},
}
