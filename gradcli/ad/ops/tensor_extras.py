"""Tensor methods and torch functions of round 9's breadth: the small-dtype conversions
(byte, char, short, half), the in-place spellings PyTorch has besides its methods
(torch.abs_, x.eq_, x.logical_and_, ...), a real tensor's complex-number views (real,
conj, angle, ...), sum_to_size, split_with_sizes, the *_copy ops, Tensor.new and the
predicates (is_conj, is_neg, isreal, ...)."""

from __future__ import annotations

from typing import Any

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.inplace import inplace_of, record_inplace
from gradcli.ad.kernels.messages import c_type_name
from gradcli.ad.ops.creation import _as_tensor, empty, tensor
from gradcli.ad.ops.devices import device_kind
from gradcli.ad.ops.elementwise import to
from gradcli.ad.ops.methods import clamp_inplace
from gradcli.ad.ops.shape import reshape
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


def byte(self: Tensor) -> Tensor:
    """x.byte(): x as uint8 (values wrap as a C cast does)."""
    return to(self, dtypes.uint8)


def char(self: Tensor) -> Tensor:
    """x.char(): x as int8."""
    return to(self, dtypes.int8)


def short(self: Tensor) -> Tensor:
    """x.short(): x as int16."""
    return to(self, dtypes.int16)


def half(self: Tensor) -> Tensor:
    """x.half(): x as float16."""
    return to(self, dtypes.float16)


expose(byte, "Tensor.byte", family="creation")
expose(char, "Tensor.char", family="creation")
expose(short, "Tensor.short", family="creation")
expose(half, "Tensor.half", family="creation")


# -- a real tensor's complex views -----------------------------------------------------------

def real(input: Tensor) -> Tensor:
    """The real part: a real tensor itself."""
    return _as_tensor(input)


def imag(input: Tensor) -> Tensor:
    """The imaginary part: PyTorch's error for a real tensor."""
    raise GdRuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def conj(input: Tensor) -> Tensor:
    """The conjugate (conj, conj_physical, resolve_conj, resolve_neg): a real tensor
    itself."""
    return _as_tensor(input)


def is_conj(input: Tensor) -> bool:
    """Whether the conjugate bit is set: never for a real tensor."""
    return False


def isreal(input: Tensor) -> Tensor:
    """True everywhere for a real tensor."""
    x = _as_tensor(input)
    return tensor(True).expand(*x.shape).clone() if x.ndim else tensor(True)


def angle(input: Tensor) -> Tensor:
    """The argument: π for negative numbers, 0 otherwise (NaN stays NaN)."""
    return apply(RULES["angle"], (_as_tensor(input),))


expose(real, "torch.real", family="elementwise")
expose(imag, "torch.imag", family="elementwise")
expose(conj, "torch.conj", "Tensor.conj", "torch.conj_physical", "Tensor.conj_physical",
       "torch.resolve_conj", "Tensor.resolve_conj", "torch.resolve_neg", "Tensor.resolve_neg",
       family="elementwise")
expose(is_conj, "torch.is_conj", "Tensor.is_conj", "torch.is_neg", "Tensor.is_neg",
       family="elementwise")
expose(isreal, "torch.isreal", "Tensor.isreal", family="comparison")
expose(angle, "torch.angle", "Tensor.angle", family="elementwise")


# -- shapes ------------------------------------------------------------------------------------

def sum_to_size(self: Tensor, *size: Any) -> Tensor:
    """x summed down to `size` (which x must expand to): x itself when it has the size."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (list, tuple)) else size
    shape = tuple(int(s) for s in shape)
    have = self.shape
    lead = len(have) - len(shape)
    if lead < 0 or any(s not in (1, h) for s, h in zip(shape, have[lead:], strict=True)):
        raise GdRuntimeError(f"size {{{list(shape)}}} is not expandable to size "
                             f"{{{list(have)}}}.".replace("[", "[").replace(",", ", ")
                             .replace(",  ", ", "))
    if shape == have:
        return self
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and have[lead + i] != 1)
    out = self.sum(dims, keepdim=True)
    return reshape(out, shape) if lead else out


def split_with_sizes(input: Tensor, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of the given sizes along dim (views)."""
    from gradcli.ad.ops.joins import split, split_sizes_argument

    return split(input, split_sizes_argument(split_sizes, 1), dim)


expose(sum_to_size, "Tensor.sum_to_size", family="shape")
expose(split_with_sizes, "torch.split_with_sizes", "Tensor.split_with_sizes", family="shape")


def _copied(out: Any) -> Any:
    """A view op's result(s) in fresh memory, the node named as PyTorch's *_copy node."""
    if isinstance(out, (tuple, list)):
        return tuple(_copied(o) for o in out)
    name = out.grad_fn.name + "_copy" if out.grad_fn is not None else "CopyBackwards"
    return apply(RULES["copy_of"], (out,), {"name": name})


def _copy_op(spelling: str) -> Any:
    view = SURFACE[spelling]

    def op(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        return _copied(view(input, *args, **kwargs))

    op.__name__ = spelling.rpartition(".")[2] + "_copy"
    op.__doc__ = f"{spelling}, copied out (a new tensor, not a view)."
    return op


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """narrow, copied out (NarrowCopyBackward0)."""
    out = SURFACE["torch.narrow"](input, dim, start, length)
    return apply(RULES["copy_of"], (out,), {"name": "NarrowCopyBackward0"})


expose(narrow_copy, "torch.narrow_copy", "Tensor.narrow_copy", family="shape")


# -- Tensor.new and the predicates -------------------------------------------------------------



def _options(dt: Any) -> str:
    """PyTorch's TensorOptions text of a CPU tensor of dtype dt."""
    return (f"TensorOptions(dtype={c_type_name(dt)}, device=cpu, "
            "layout=Strided, requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


_NO_DEVICE = object()


def new(self: Tensor, *args: Any, device: Any = _NO_DEVICE,
        requires_grad: bool = False) -> Tensor:
    """x.new(data) (a tensor of x's dtype), x.new(*sizes) / x.new(Size) (uninitialised),
    x.new() (empty); a device keyword: the CPU's, never with a tensor (PyTorch's checks)."""
    dt = self.array.dtype
    if device is not _NO_DEVICE and device is not None and device_kind(device) != "cpu":
        raise GdRuntimeError(f"legacy constructor expects device type: cpu but device type: "
                             f"{device_kind(device)} was passed")
    if len(args) == 1 and type(args[0]) is Tensor and device is not _NO_DEVICE:
        raise GdRuntimeError("Legacy tensor new of the form tensor.new(tensor, device=device) "
                             "is not supported.  Use torch.as_tensor(...) instead.")
    if len(args) == 1 and type(args[0]) in (float, bool):
        raise GdRuntimeError(f"new(): data must be a sequence (got {type(args[0]).__name__})",
                             py_type="TypeError")
    if len(args) == 1 and type(args[0]) is Tensor:
        other = args[0]
        if other.array.dtype != dt:
            raise GdRuntimeError(f"expected {_options(dt)} (got {_options(other.array.dtype)})",
                                 py_type="TypeError")
        return other.detach()
    # a list or tuple is data; a torch.Size (interp's tuple subclass) is sizes
    if len(args) == 1 and type(args[0]) in (list, tuple):
        out = tensor(list(args[0]), dtype=dt)
    else:
        out = empty(*args, dtype=dt) if args else empty(0, dtype=dt)
    return out.requires_grad_(True) if requires_grad else out


expose(new, "Tensor.new", family="creation")


#: Tensor properties a CPU strided tensor answers False (or 0) to.
PROPERTIES: dict[str, Any] = {
    **{n: (lambda x: False) for n in (
        "is_sparse", "is_sparse_csr", "is_quantized", "is_nested", "is_mkldnn",
        "is_xpu", "is_mps", "is_vulkan", "is_ipu", "is_xla", "is_mtia", "is_maia")},
    "output_nr": lambda x: 0,
    "real": real,
    "imag": imag,
}

#: Tensor methods answering False for a CPU tensor.
FALSE_METHODS = ("is_pinned", "is_shared")


# -- in-place spellings ------------------------------------------------------------------------

#: torch.X_ functions that are the method x.X_() under another spelling.
_TORCH_INPLACE = (
    "abs_", "acos_", "acosh_", "addmv_", "arccos_", "arccosh_", "arcsin_", "arcsinh_",
    "arctan_", "arctanh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_",
    "clamp_max_", "clamp_min_", "clip_", "cos_", "cosh_", "deg2rad_", "erf_", "erfc_",
    "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_", "i0_", "index_put_",
    "ldexp_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_",
    "negative_", "rad2deg_", "reciprocal_", "round_", "rsqrt_", "sigmoid_", "sin_",
    "sinc_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "zero_",
)

#: The in-place comparisons: their kernel's name.
_COMPARE_INPLACE = {"eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt", "ge": "ge",
                    "greater": "gt", "greater_equal": "ge", "less": "lt", "less_equal": "le",
                    "not_equal": "ne"}


def _compare_inplace(op: str) -> Any:
    def compare_(self: Tensor, other: Any) -> Tensor:
        if type(other) is Tensor:
            out = apply(RULES["compare_into"], (self, other), {"op": op})
        else:
            out = apply(RULES["compare_into"], (self,), {"op": op, "value": other})
        return record_inplace(self, out)

    compare_.__name__ = op + "_"
    compare_.__doc__ = f"x.{op}_(other): x holds (x {op} other) as 0/1 of its dtype."
    return compare_


#: Tensor.X_ made from Tensor.X where PyTorch has both.
_METHOD_INPLACE = (
    "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
    "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift",
    "divide", "multiply", "subtract",
    "negative", "absolute", "clip", "nextafter", "ldexp", "true_divide",
)


def _absolute(input: Tensor) -> Tensor:
    """|x| (torch.abs under another name)."""
    return SURFACE["torch.abs"](input)


def register_aliases() -> None:
    """Declare the spellings that alias other ops (run once every family is declared)."""
    if "torch.absolute" in SURFACE:
        return
    expose(_absolute, "torch.absolute", "Tensor.absolute", family="elementwise")
    for name, op in _COMPARE_INPLACE.items():
        if f"Tensor.{name}_" not in SURFACE:
            expose(_compare_inplace(op), f"Tensor.{name}_", family="comparison")
    for name in _METHOD_INPLACE:
        if f"Tensor.{name}_" not in SURFACE:
            maker = clamp_inplace if name == "clip" else inplace_of
            expose(maker(SURFACE[f"Tensor.{name}"]), f"Tensor.{name}_", family="elementwise")
    for name in _TORCH_INPLACE:
        if f"torch.{name}" not in SURFACE:
            expose(SURFACE[f"Tensor.{name}"], f"torch.{name}", family="elementwise")
    for view, spellings in (
        ("torch.permute", ("torch.permute_copy",)), ("torch.t", ("torch.t_copy",)),
        ("torch.transpose", ("torch.transpose_copy",)),
        ("torch.diagonal", ("torch.diagonal_copy",)),
        ("torch.select", ("torch.select_copy",)),
        ("torch.squeeze", ("torch.squeeze_copy",)),
        ("torch.unsqueeze", ("torch.unsqueeze_copy",)),
        ("torch.unbind", ("torch.unbind_copy",)),
        ("Tensor.view", ("torch.view_copy",)), ("Tensor.expand", ("torch.expand_copy",)),
        ("Tensor.unfold", ("torch.unfold_copy",)),
        ("torch.split", ("torch.split_copy", "torch.split_with_sizes_copy")),
    ):
        expose(_copy_op(view), *spellings, family="shape")
