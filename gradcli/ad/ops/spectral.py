"""torch.stft and torch.istft (short-time Fourier transforms, as audio code computes
spectrograms), in numpy without autograd like torch.fft's transforms (complex_ops.py).

ATen's steps: the signal padded by n_fft // 2 on each side (`center`, with `pad_mode`),
cut into frames of n_fft samples every hop_length, each multiplied by the window (zero
padded to n_fft, centred) and transformed (one-sided for a real signal); istft undoes it by
overlap-adding the inverse transforms and dividing by the overlap-added squared window.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.graph import Tensor
from gradcli.ad.ops import complex_ops as C
from gradcli.ad.ops.creation import _as_tensor
from gradcli.ad.ops.surface import expose
from gradcli.ad.state import warn
from gradcli.errors import GdRuntimeError

_PADS = {"reflect": "reflect", "constant": "constant", "replicate": "edge",
         "circular": "wrap"}


def _window(window: Any, n_fft: int, win_length: int, real: np.dtype, op: str) -> np.ndarray:
    """The window zero padded to n_fft, centred (ones when none is given)."""
    if not 0 < win_length <= n_fft:
        raise GdRuntimeError(f"{op}: expected 0 < win_length <= n_fft, but got "
                             f"win_length={win_length}")
    if window is None:
        w = np.ones(win_length, real)
    else:
        w = _as_tensor(window).array
        if w.ndim != 1 or w.shape[0] != win_length:
            raise GdRuntimeError(f"{op}: expected a 1D window tensor of size equal to "
                                 f"win_length={win_length}, but got window with size "
                                 f"{list(w.shape)}")
    left = (n_fft - win_length) // 2
    return np.pad(w, (left, n_fft - win_length - left))


def _frames(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """(..., n_frames, n_fft): the frames of the last dim, every hop samples."""
    n = 1 + (x.shape[-1] - n_fft) // hop
    idx = np.arange(n)[:, None] * hop + np.arange(n_fft)
    return x[..., idx]


def stft(input: Tensor, n_fft: int, hop_length: int | None = None,
         win_length: int | None = None, window: Any = None, center: bool = True,
         pad_mode: str = "reflect", normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None, align_to_window: bool | None = None) -> Tensor:
    """torch.stft: (..., freq, frames) of a 1-D signal or a batch of them."""
    x = _as_tensor(input)
    C._no_grad("torch.stft", x)
    a = C._float_of(x.array)
    if return_complex is None and a.dtype.kind != "c" and (
            window is None or _as_tensor(window).dtype.kind != "c"):
        raise GdRuntimeError("stft requires the return_complex parameter be given for real "
                             "inputs, and will further require that return_complex=True in "
                             "a future PyTorch release.")
    if a.ndim not in (1, 2):
        raise GdRuntimeError(f"stft: expected a 1D or 2D tensor, but got {a.ndim}D tensor")
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    if window is None:
        warn("A window was not provided. A rectangular window will be applied,which is known "
             "to cause spectral leakage. Other windows such as torch.hann_window or "
             "torch.hamming_window are recommended to reduce spectral leakage.To suppress "
             "this warning and use a rectangular window, explicitly set `window=torch.ones("
             "n_fft, device=<device>)`.")
    real = dtypes.to_real(dtypes.to_complex(a.dtype))
    w = _window(window, n_fft, win, real, "stft")
    if center:
        if pad_mode not in _PADS:
            raise GdRuntimeError(f"stft: unsupported pad_mode {pad_mode!r}")
        pad = [(0, 0)] * (a.ndim - 1) + [(n_fft // 2, n_fft // 2)]
        a = np.pad(a, pad, mode=_PADS[pad_mode])
    if not 0 < n_fft <= a.shape[-1]:
        raise GdRuntimeError(f"stft: expected 0 < n_fft < {a.shape[-1]}, but got n_fft="
                             f"{n_fft}")
    frames = _frames(a, n_fft, hop) * w
    one_sided = (a.dtype.kind != "c" and w.dtype.kind != "c") if onesided is None else onesided
    spec = (np.fft.rfft if one_sided else np.fft.fft)(frames, axis=-1)
    spec = spec.astype(dtypes.to_complex(real))
    if normalized:
        spec = spec * spec.real.dtype.type(1 / math.sqrt(n_fft))
    spec = np.swapaxes(spec, -1, -2)
    if not return_complex:
        return C.view_as_real(C._out(spec))
    return C._out(spec)


def istft(input: Tensor, n_fft: int, hop_length: int | None = None,
          win_length: int | None = None, window: Any = None, center: bool = True,
          normalized: bool = False, onesided: bool | None = None, length: int | None = None,
          return_complex: bool = False) -> Tensor:
    """torch.istft: the signal whose stft is `input` (complex, (..., freq, frames))."""
    z = _as_tensor(input)
    C._no_grad("torch.istft", z)
    if z.dtype.kind != "c":
        raise GdRuntimeError("istft requires a complex-valued input tensor matching the "
                             "output from stft with return_complex=True.")
    spec = z.array
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    real = dtypes.to_real(spec.dtype)
    w = _window(window, n_fft, win, real, "istft")
    if normalized:
        spec = spec * real.type(math.sqrt(n_fft))
    one_sided = spec.shape[-2] != n_fft if onesided is None else onesided
    cols = np.swapaxes(spec, -1, -2)
    frames = (np.fft.irfft(cols, n=n_fft, axis=-1) if one_sided and not return_complex
              else np.fft.ifft(cols, n=n_fft, axis=-1))
    frames = frames.astype(real if frames.dtype.kind != "c" else spec.dtype) * w
    n_frames = frames.shape[-2]
    total = n_fft + hop * (n_frames - 1)
    y = np.zeros((*frames.shape[:-2], total), frames.dtype)
    envelope = np.zeros(total, real)
    for t in range(n_frames):  # overlap-add, frame by frame (as col2im adds them)
        y[..., t * hop:t * hop + n_fft] += frames[..., t, :]
        envelope[t * hop:t * hop + n_fft] += w * w
    start = n_fft // 2 if center else 0
    end = total if length is None else start + int(length)
    if length is None and center:
        end = total - n_fft // 2
    y, envelope = y[..., start:end], envelope[start:end]
    if envelope.size and np.abs(envelope).min() < 1e-11:
        raise GdRuntimeError("istft(...): window overlap add min: "
                             f"{float(np.abs(envelope).min()):g}")
    y = y / envelope
    if length is not None and y.shape[-1] < int(length):
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, int(length) - y.shape[-1])])
    return C._out(y.astype(y.dtype))


expose(stft, "torch.stft", "Tensor.stft", family="fft")
expose(istft, "torch.istft", "Tensor.istft", family="fft")
