"""Complex tensors (complex64, complex128) without autograd: making them (torch.complex,
torch.polar, view_as_complex), taking them apart (real, imag, abs, angle, conj,
view_as_real), torch.fft's transforms and frequencies, and torch.linalg.eig/eigvals.

A complex result of a tensor that requires grad is an error naming the op: gd records no
complex derivatives (PyTorch's Wirtinger calculus is not implemented). Values follow
PyTorch's dtypes: a float32 input gives complex64, float64 gives complex128, integers the
default float dtype's complex."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor, tensor_from_array
from gradcli.ad.kernels import decompositions as KD
from gradcli.ad.kernels.messages import TorchError, scalar_name
from gradcli.ad.ops import tensor_extras as TX
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.surface import SURFACE, expose
from gradcli.ad.registry import RULES
from gradcli.errors import GdRuntimeError


def _no_grad(op: str, *inputs: Tensor) -> None:
    if any(t.requires_grad for t in inputs):
        raise GdRuntimeError(f"{op} of a tensor that requires grad is not supported by "
                             "gradcli (it records no complex derivatives)")


def _out(array: np.ndarray) -> Tensor:
    return tensor_from_array(array.copy() if array.ndim and not array.flags.c_contiguous
                             else array)


def _float_of(x: np.ndarray) -> np.ndarray:
    """Integers and bools as the default float dtype; float16 as float32; floats as they
    are (the real dtype PyTorch's complex ops and transforms compute in)."""
    if x.dtype.kind in "fc" and x.dtype != dtypes.float16:
        return x
    return x.astype(dtypes.float32 if x.dtype == dtypes.float16 else dtypes.default_dtype())


# -- making and taking apart -----------------------------------------------------------------

def complex_(real: Tensor, imag: Tensor) -> Tensor:
    """torch.complex(real, imag): float tensors of one dtype, broadcast together."""
    re, im = _as_tensor(real), _as_tensor(imag)
    if re.dtype.kind != "f" or im.dtype.kind != "f":
        raise GdRuntimeError("Expected both inputs to be Half, Float or Double tensors but "
                             f"got {scalar_name(re.dtype)} and {scalar_name(im.dtype)}")
    if re.dtype != im.dtype:
        raise GdRuntimeError(f"Expected object of scalar type {scalar_name(re.dtype)} but "
                             f"got scalar type {scalar_name(im.dtype)} for second argument")
    _no_grad("torch.complex", re, im)
    a, b = np.broadcast_arrays(re.array, im.array)
    out = np.empty(a.shape, dtypes.to_complex(_float_of(a).dtype))
    out.real, out.imag = a, b
    return _out(out)


def polar(abs: Tensor, angle: Tensor) -> Tensor:
    """torch.polar(abs, angle): abs·(cos angle + i sin angle)."""
    r, t = _as_tensor(abs), _as_tensor(angle)
    if r.dtype.kind != "f" or r.dtype != t.dtype:
        raise GdRuntimeError("Expected both inputs to be Float or Double tensors but got "
                             f"{scalar_name(r.dtype)} and {scalar_name(t.dtype)}")
    _no_grad("torch.polar", r, t)
    cos, sin = SURFACE["torch.cos"](t).array, SURFACE["torch.sin"](t).array
    a, c, s = np.broadcast_arrays(r.array, cos, sin)
    out = np.empty(a.shape, dtypes.to_complex(r.dtype))
    out.real, out.imag = a * c, a * s
    return _out(out)


def view_as_real(input: Tensor) -> Tensor:
    """The complex tensor's (real, imag) pairs as a float tensor with a last dim of 2."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        raise GdRuntimeError("view_as_real is only supported for complex tensors")
    _no_grad("torch.view_as_real", z)
    out = np.empty((*z.shape, 2), dtypes.to_real(z.dtype))
    out[..., 0], out[..., 1] = z.array.real, z.array.imag
    return _out(out)


def view_as_complex(input: Tensor) -> Tensor:
    """A float tensor whose last dim of 2 holds (real, imag) pairs, as complex."""
    x = _as_tensor(input)
    if x.dtype not in (dtypes.float32, dtypes.float64, dtypes.float16):
        raise GdRuntimeError("view_as_complex is only supported for floating point tensors, "
                             f"but got a tensor of scalar type: {scalar_name(x.dtype)}")
    if not x.ndim or x.shape[-1] != 2:
        raise GdRuntimeError("Tensor must have a last dimension of size 2")
    _no_grad("torch.view_as_complex", x)
    out = np.empty(x.shape[:-1], dtypes.to_complex(_float_of(x.array).dtype))
    out.real, out.imag = x.array[..., 0], x.array[..., 1]
    return _out(out)


def real(input: Tensor) -> Tensor:
    """The real part (a real tensor itself)."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        return TX.real(z)
    return _out(z.array.real)


def imag(input: Tensor) -> Tensor:
    """The imaginary part (PyTorch's error for a real tensor)."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        return TX.imag(z)
    return _out(z.array.imag)


def conj(input: Tensor) -> Tensor:
    """The complex conjugate (a real tensor itself)."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        return TX.conj(z)
    return _out(np.conj(z.array))


def angle(input: Tensor) -> Tensor:
    """The argument, as the real dtype."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        return TX.angle(z)
    return _out(np.angle(z.array).astype(dtypes.to_real(z.dtype)))


def isreal(input: Tensor) -> Tensor:
    """Where the imaginary part is zero (everywhere for a real tensor)."""
    z = _as_tensor(input)
    if z.dtype.kind != "c":
        return TX.isreal(z)
    return _out(z.array.imag == 0)


# The real-tensor forms these widen, under the same spellings.
for _name, _fn in (("real", real), ("imag", imag), ("angle", angle), ("isreal", isreal)):
    for _spelling in (f"torch.{_name}", f"Tensor.{_name}"):
        if _spelling in SURFACE:
            SURFACE[_spelling] = _fn
for _spelling in ("torch.conj", "Tensor.conj", "torch.conj_physical", "Tensor.conj_physical",
                  "torch.resolve_conj", "Tensor.resolve_conj"):
    SURFACE[_spelling] = conj
TX.PROPERTIES["real"] = real
TX.PROPERTIES["imag"] = imag

expose(complex_, "torch.complex", family="complex")
expose(polar, "torch.polar", family="complex")
expose(view_as_real, "torch.view_as_real", family="complex")
expose(view_as_complex, "torch.view_as_complex", family="complex")


# -- ops that order values: none for complex ---------------------------------------------------

_NI = "NotImplementedError"
_CLAMP = (_NI, "clamp is not supported for complex types")
#: rule -> PyTorch's refusal of a complex input: its exception class and message, a
#: '"kernel" not implemented for' one where the message is a kernel's name (the dtype's
#: ATen name follows: 'ComplexFloat', 'ComplexDouble').
_REFUSALS: dict[str, tuple[str, str]] = {
    "amax": (_NI, "max_values_cpu"), "amin": (_NI, "min_values_cpu"),
    "aminmax_max": (_NI, "aminmax_cpu"), "aminmax_min": (_NI, "aminmax_cpu"),
    "argmax": ("RuntimeError", "argmax(): does not support complex input"),
    "argmin": ("RuntimeError", "argmin(): does not support complex input"),
    "cummax": (_NI, "cummax_cpu"), "cummin": (_NI, "cummin_cpu"),
    "kthvalue": (_NI, "kthvalue_cpu"), "max_all": (_NI, "max_all"),
    "min_all": (_NI, "min_all"),
    "max_dim": ("RuntimeError", "max(): does not support complex input"),
    "min_dim": ("RuntimeError", "min(): does not support complex input"),
    "median_all": (_NI, "median_cpu"), "median_dim": (_NI, "median_out"),
    "nanmedian_all": (_NI, "median_cpu"), "nanmedian_dim": (_NI, "median_out"),
    "mode": (_NI, "mode_cpu"),
    "sort": ("RuntimeError", " Sort does not support complex dtypes on CPU"),
    "sort_stable": ("RuntimeError", " Sort does not support complex dtypes on CPU"),
    "topk": ("RuntimeError", " topk does not support complex dtypes on CPU"),
    "sign": (_NI, "Unlike NumPy, torch.sign is not intended to support complex numbers. "
                  "Please use torch.sgn instead."),
    "clamp": _CLAMP, "clamp_min": _CLAMP, "clamp_max": _CLAMP, "clamp_tensor_both": _CLAMP,
    "clamp_tensor_min": _CLAMP, "clamp_tensor_max": _CLAMP,
    "fmax": ("RuntimeError", "fmax not implemented for complex tensors."),
    "fmin": ("RuntimeError", "fmin not implemented for complex tensors."),
    "heaviside": ("RuntimeError", "heaviside is not yet implemented for complex tensors."),
    "copysign": (_NI, "copysign_cpu"),
    "signbit": (_NI, "signbit is not implemented for complex tensors."),
    "floor": (_NI, "floor is not supported for complex inputs"),
    "ceil": (_NI, "ceil is not supported for complex inputs"),
    "trunc": (_NI, "trunc is not supported for complex inputs"),
    "round": (_NI, "round_vml_cpu"), "frac": (_NI, "frac_cpu"),
    "lt": (_NI, "lt_cpu"), "le": (_NI, "le_cpu"), "gt": (_NI, "gt_cpu"), "ge": (_NI, "ge_cpu"),
    "maximum": ("RuntimeError", "maximum not implemented for complex tensors."),
    "minimum": ("RuntimeError", "minimum not implemented for complex tensors."),
    "fmod": (_NI, "fmod_cpu"), "div_mode": (_NI, "div_{}_cpu"),
    "floordiv": (_NI, "div_floor_cpu"), "mod": (_NI, "remainder_cpu"),
}


#: The reductions PyTorch checks for an empty input before the dtype: on an empty complex
#: tensor they fail (or succeed) as on a real one.
_SHAPE_FIRST = frozenset(("max_all", "min_all", "median_all", "nanmedian_all", "cummax",
                          "cummin", "mode", "amax", "amin", "aminmax_max", "aminmax_min"))


def _refusal(name: str, dtype: np.dtype, params: dict[str, Any]) -> GdRuntimeError:
    """PyTorch's error for the rule `name` on a complex input of this dtype."""
    kind, text = _REFUSALS.get(name, ("RuntimeError", f"{name} does not support complex "
                                      "input (complex numbers have no order)"))
    if kind == _NI and " " not in text:  # a kernel's name
        text = text.format(params.get("rounding_mode", ""))
        if name == "round" and params.get("decimals") is not None:
            text = "round_cpu"  # round(decimals=...) has its own kernel
        text = f'"{text}" not implemented for \'{scalar_name(dtype)}\''
    return GdRuntimeError(text, py_type=kind)


def _refusing_complex(rule: Any) -> None:
    """Make `rule` an error for a complex input, where numpy would order complex numbers
    lexicographically (PyTorch refuses them, in its words: _REFUSALS). Only ordering ops
    are wrapped: the common ops pay nothing."""
    forward = rule.forward

    shape_first = rule.name in _SHAPE_FIRST

    def checked(*args: Any, **params: Any) -> Any:
        for a in args:
            if type(a) is np.ndarray and a.dtype.kind == "c" and (a.size or not shape_first):
                raise _refusal(rule.name, a.dtype, params)
        return forward(*args, **params)

    rule.forward = checked


#: The rules numpy would run on complex numbers with an order PyTorch does not have.
ORDERING_RULES = (
    "amax", "amin", "aminmax_max", "aminmax_min", "argmax", "argmin", "cummax", "cummin",
    "kthvalue", "max_all", "max_dim", "min_all", "min_dim", "median_all", "median_dim",
    "nanmedian_all", "nanmedian_dim", "mode", "sort", "sort_stable", "topk", "sign",
    "clamp", "clamp_min", "clamp_max", "clamp_tensor_both", "clamp_tensor_min",
    "clamp_tensor_max", "fmax", "fmin", "heaviside", "copysign", "signbit", "floor",
    "ceil", "round", "trunc", "frac", "lt", "le", "gt", "ge", "maximum", "minimum", "fmod",
    "div_mode", "floordiv", "mod")


def refuse_complex_ordering() -> None:
    """Wrap ORDERING_RULES (rules/__init__ calls this once the table is full)."""
    for name in ORDERING_RULES:
        _refusing_complex(RULES[name])


# -- torch.fft -------------------------------------------------------------------------------

_NORMS = (None, "backward", "ortho", "forward")


def _fft_input(op: str, input: Tensor, norm: Any, real_only: bool = False) -> np.ndarray:
    x = _as_tensor(input)
    _no_grad(f"torch.fft.{op}", x)
    if norm not in _NORMS:
        raise GdRuntimeError(f"Invalid normalization mode: {norm}")
    if real_only and x.dtype.kind == "c":
        raise GdRuntimeError(f"{op} expects a real input tensor, but got "
                             f"{scalar_name(x.dtype)}")
    return _float_of(x.array)


def _complex_dtype(x: np.ndarray) -> np.dtype:
    return dtypes.to_complex(x.dtype)


def _one(op: str, kernel: Any, real_out: bool = False, real_only: bool = False) -> Any:
    def transform(input: Tensor, n: int | None = None, dim: int = -1,
                  norm: str | None = None) -> Tensor:
        x = _fft_input(op, input, norm, real_only)
        out = kernel(x, n=n, axis=dim, norm=norm or "backward")
        real = dtypes.to_real(_complex_dtype(x))
        return _out(out.astype(real if real_out else dtypes.to_complex(real)))
    transform.__name__ = op
    transform.__doc__ = f"torch.fft.{op}(input, n=None, dim=-1, norm=None)."
    return transform


def _many(op: str, kernel: Any, default_dim: Any, real_out: bool = False,
          real_only: bool = False) -> Any:
    def transform(input: Tensor, s: Any = None, dim: Any = default_dim,
                  norm: str | None = None) -> Tensor:
        x = _fft_input(op, input, norm, real_only)
        axes = None if dim is None else ([dim] if isinstance(dim, int) else list(dim))
        if axes is None and s is not None:
            axes = list(range(-len(s), 0))
        out = kernel(x, s=None if s is None else list(s), axes=axes, norm=norm or "backward")
        real = dtypes.to_real(_complex_dtype(x))
        return _out(out.astype(real if real_out else dtypes.to_complex(real)))
    transform.__name__ = op
    transform.__doc__ = f"torch.fft.{op}(input, s=None, dim={default_dim}, norm=None)."
    return transform


_CONJ_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _full_from_half(x: np.ndarray, n: int | None, axis: int, norm: str) -> np.ndarray:
    """fft of a real input as PyTorch computes it: the one-sided transform (r2c), its other
    half filled in by conjugate symmetry."""
    half = np.fft.rfft(x, n=n, axis=axis, norm=norm)
    n = x.shape[axis] if n is None else n
    rest = np.take(half, np.arange(n - half.shape[axis], 0, -1), axis=axis)
    return np.concatenate([half, np.conj(rest)], axis=axis)


def _fft(x: np.ndarray, n: int | None = None, axis: int = -1, norm: str = "backward") -> Any:
    if x.dtype.kind != "c":
        return _full_from_half(x, n, axis, norm)
    return np.fft.fft(x, n=n, axis=axis, norm=norm)


def _ifft(x: np.ndarray, n: int | None = None, axis: int = -1, norm: str = "backward") -> Any:
    if x.dtype.kind != "c":  # the conjugate of the real input's forward transform
        return np.conj(_full_from_half(x, n, axis, _CONJ_NORM[norm]))
    return np.fft.ifft(x, n=n, axis=axis, norm=norm)


def _hfftn(x: np.ndarray, s: Any = None, axes: Any = None, norm: str = "backward") -> Any:
    """The n-dim transform of a Hermitian-symmetric signal's half: irfftn of the conjugate
    with the opposite normalization (PyTorch's and numpy's hfft, in n dims)."""
    return np.fft.irfftn(np.conj(x), s=s, axes=axes, norm=_CONJ_NORM[norm])


def _ihfftn(x: np.ndarray, s: Any = None, axes: Any = None, norm: str = "backward") -> Any:
    """hfftn undone: the conjugate of rfftn with the opposite normalization."""
    return np.conj(np.fft.rfftn(x, s=s, axes=axes, norm=_CONJ_NORM[norm]))


FFT: dict[str, Any] = {
    "fft": _one("fft", _fft),
    "ifft": _one("ifft", _ifft),
    "rfft": _one("rfft", np.fft.rfft, real_only=True),
    "irfft": _one("irfft", np.fft.irfft, real_out=True),
    "hfft": _one("hfft", np.fft.hfft, real_out=True),
    "ihfft": _one("ihfft", np.fft.ihfft, real_only=True),
    "fft2": _many("fft2", np.fft.fftn, (-2, -1)),
    "ifft2": _many("ifft2", np.fft.ifftn, (-2, -1)),
    "rfft2": _many("rfft2", np.fft.rfftn, (-2, -1), real_only=True),
    "irfft2": _many("irfft2", np.fft.irfftn, (-2, -1), real_out=True),
    "fftn": _many("fftn", np.fft.fftn, None),
    "ifftn": _many("ifftn", np.fft.ifftn, None),
    "rfftn": _many("rfftn", np.fft.rfftn, None, real_only=True),
    "irfftn": _many("irfftn", np.fft.irfftn, None, real_out=True),
    "hfft2": _many("hfft2", _hfftn, (-2, -1), real_out=True),
    "ihfft2": _many("ihfft2", _ihfftn, (-2, -1), real_only=True),
    "hfftn": _many("hfftn", _hfftn, None, real_out=True),
    "ihfftn": _many("ihfftn", _ihfftn, None, real_only=True),
}


def _freq_dtype(name: str, dtype: Any) -> np.dtype:
    dt = dtypes.default_dtype() if dtype is None else np.dtype(getattr(dtype, "np", dtype))
    if dt.kind not in "fc":
        raise GdRuntimeError(f"{name} requires a floating point or complex dtype")
    return dt


def _freq_out(a: np.ndarray, requires_grad: Any) -> Tensor:
    out = _out(a)
    if requires_grad:  # a factory's requires_grad=True: a leaf that requires grad
        out.requires_grad_(True)
    return out


def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, requires_grad: Any = False,
            **_: Any) -> Tensor:
    """The sample frequencies of an n-point FFT: [0, 1, ..., -(n//2), ..., -1] / (n d),
    multiplied in the dtype as PyTorch's (by the float 1/(n d))."""
    dt = _freq_dtype("fftfreq", dtype)
    k = np.concatenate([np.arange((n + 1) // 2), np.arange(-(n // 2), 0)]).astype(dt)
    return _freq_out(k * dt.type(1.0 / (n * d)), requires_grad)


def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, requires_grad: Any = False,
             **_: Any) -> Tensor:
    """The sample frequencies of rfft's n // 2 + 1 outputs."""
    dt = _freq_dtype("rfftfreq", dtype)
    return _freq_out(np.arange(n // 2 + 1).astype(dt) * dt.type(1.0 / (n * d)),
                     requires_grad)


def _shift(input: Tensor, dim: Any, inverse: bool) -> Tensor:
    x = _as_tensor(input)
    dims = list(range(x.ndim)) if dim is None else ([dim] if isinstance(dim, int) else
                                                     list(dim))
    shifts = [-(x.shape[d] // 2) if inverse else x.shape[d] // 2 for d in dims]
    return SURFACE["torch.roll"](x, shifts, dims)


def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    """The zero frequency moved to the centre (a roll by n // 2 along each dim)."""
    return _shift(input, dim, False)


def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    """fftshift undone."""
    return _shift(input, dim, True)


FFT.update(fftfreq=fftfreq, rfftfreq=rfftfreq, fftshift=fftshift, ifftshift=ifftshift)
for _name, _fn in FFT.items():
    expose(_fn, f"torch.fft.{_name}", family="fft")


# -- torch.linalg.eig ------------------------------------------------------------------------

class EigResult(NamedTuple):
    """(eigenvalues, eigenvectors) of torch.linalg.eig."""

    eigenvalues: Tensor
    eigenvectors: Tensor
    torch_kind = "linalg_eig"


def _eig(A: Tensor, op: str) -> tuple[np.ndarray, np.ndarray]:
    a = _as_tensor(A)
    _no_grad(f"torch.linalg.{op}", a)
    if a.dtype.kind in "iub":
        raise GdRuntimeError(f"Unknown Complex ScalarType for {scalar_name(a.dtype)}")
    try:  # a complex matrix is checked as its real part (numpy's eig takes either)
        KD.check_matrix(a.array.real if a.dtype.kind == "c" else a.array, f"linalg.{op}")
    except TorchError as e:
        raise GdRuntimeError(str(e), py_type=e.py_type) from None
    ct = dtypes.to_complex(a.dtype)
    x = a.array
    finite = np.isfinite(x).all(axis=(-2, -1))
    if finite.all():
        w, v = np.linalg.eig(x)
        return w.astype(ct), v.astype(ct)
    if op == "eig":
        raise GdRuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")
    # eigvals checks nothing: LAPACK's geev gives NaNs for a matrix with an inf or a NaN
    # (a 1×1 matrix its own value); the finite matrices of a batch as usual
    n = x.shape[-1]
    w = np.full(x.shape[:-1], np.nan + np.nan * 1j, ct) if n > 1 \
        else x[..., 0].astype(ct)
    if finite.any():
        w[finite] = np.linalg.eigvals(x[finite])
    return w, w


def eig(A: Tensor) -> EigResult:
    """Eigenvalues and (unit-norm) eigenvectors of a square matrix, complex."""
    w, v = _eig(A, "eig")
    return EigResult(_out(w), _out(v))


def eigvals(A: Tensor) -> Tensor:
    """Eigenvalues of a square matrix, complex."""
    return _out(_eig(A, "eigvals")[0])


expose(eig, "torch.linalg.eig", family="linalg")
expose(eigvals, "torch.linalg.eigvals", family="linalg")
