"""PyTorch's CPU random generator, reproduced bit for bit on numpy.

PyTorch's `CPUGeneratorImpl` is a 32-bit Mersenne Twister (`at::mt19937`) plus
a cached second Box–Muller value; the ATen CPU kernels turn its words into
numbers as follows (torch 2.x, x86-64 with AVX2 or AVX-512):

* `manual_seed(s)`: `s` is taken as uint64 (negative values wrap), kept whole
  for `initial_seed()`, and its low 32 bits seed mt19937 with the standard
  `init_genrand` recurrence; both cached normals are dropped.
* `random()` is one mt19937 word; `random64()` is two, the first the high half.
* `rand` float32: `(random() & 0xFFFFFF) * 2**-24`; float64:
  `(random64() & (2**53 - 1)) * 2**-53`, one element at a time.
* `randn` / `normal_` of a contiguous tensor with >= 16 elements
  (`normal_fill`): draw one uniform per element, then Box–Muller on blocks of
  16 (`u1 = 1 - d[j]`, `u2 = d[j + 8]`, cos into `d[j]`, sin into `d[j + 8]`);
  if `numel % 16 != 0` 16 fresh uniforms are drawn and the last 16 elements are
  recomputed from them.  float32 runs the AVX2 kernel (`normal_fill_16_AVX2`,
  chosen on AVX-512 machines too) whose log/sincos are the Cephes polynomials
  of `avx_mathfun.h`, built with GCC's FMA contraction, then
  `fmadd(r * cos, std, mean)`; float64 uses libm `log`, `cos`, `sin`.
* fewer than 16 elements (and 0-d): `at::normal_distribution<double>` per
  element: if the generator caches a value it is used (and cleared); else
  `u1, u2 = uniform64(), uniform64()`, `r = sqrt(-2 log1p(-u2))`,
  `theta = 2 pi u1`, return `r cos(theta)` and cache `r sin(theta)`; then
  `value * std + mean` in double (fused multiply-add) and a cast to the dtype.
  The cache survives calls (only `manual_seed` clears it) and the
  `normal_fill` path neither reads nor writes it.
* `uniform_(a, b)` (nn init): `fma(u, b - a, a)` in the dtype, u as for `rand`.
* `randint`: `random() % range + low`, or `random64()` if `range >= 2**28`
  (the public builds' threshold; fbcode builds use 2**32).
* `randperm(n)`: Fisher–Yates, `z = random() % (n - i)` swaps `i` and `i + z`.
* `random_()`: `random() % (2**24 + 1)` for float32, `random64() % (2**53 + 1)` for
  float64, `random64() % 2**63` for int64, `random() & 1` for bool; `random_(from, to)`
  is `randint`'s draw.
* `bernoulli_(p)` with a number p (so dropout's mask) and `bernoulli(p)` with a float64
  p tensor: `uniform64() < p`; a float32 (or float16) p tensor: `uniform32() < p`. (Public builds
  use this default kernel on every CPU: MKL's stream is for fbcode builds, pytorch#132395.)
* float16 (`torch.randn(..., dtype=torch.half)` & co.): the float32 draws rounded to
  float16, except `normal_fill`, which draws uniforms for the whole blocks of 16 only
  before its 16 fresh ones for the last 16 elements; `random_()`: `random() % (2**11 + 1)`.
* `exponential_(lambd)`: `-1 / lambd * log1p(-uniform64())` in double, cast to the dtype.
* `multinomial`: with replacement, one `uniform64()` per sample, a binary search in the
  row's cumulative sum (in the dtype, divided by the total, last entry 1); without
  replacement (or one sample), `topk(p / q)` with `q` an `exponential_(1)` tensor.

The engine is numpy's MT19937 loaded with torch's seeding; `get_state()` is
`torch.get_rng_state()`'s 5056-byte layout, so states move both ways.  Not
reproduced: torch on CPUs without AVX2 or on ARM (float32 `normal_fill` then
uses libm `logf`/`cosf`/`sinf`), and `randperm(n)` for n >= 2**32 / 20.

A fresh `torch.Generator()` is seeded with 67280421310721 (`DEFAULT_SEED`);
PyTorch's *default* generator in a fresh process is seeded from
`std::random_device`, so an unseeded torch program has no reproducible output.
"""

from __future__ import annotations

import math
import os
import struct
from typing import Any

import numpy as np

from gradcli.errors import GdRuntimeError

DEFAULT_SEED: int = 67280421310721

_N = 624
_U64 = (1 << 64) - 1
_STATE_BYTES = 5056  # sizeof(at::detail::CPUGeneratorImplState)
_TWO_PI = 2.0 * math.pi


def _init_key(seed: int) -> np.ndarray:
    """mt19937 `init_genrand` on the low 32 bits of `seed`."""
    s = seed & 0xFFFFFFFF
    key = [s]
    for j in range(1, _N):
        s = (1812433253 * (s ^ (s >> 30)) + j) & 0xFFFFFFFF
        key.append(s)
    return np.array(key, dtype=np.uint32)


def _numel(shape: tuple[int, ...]) -> int:
    """Number of elements of `shape`, rejecting negative sizes like torch."""
    n = 1
    for d in shape:
        if d < 0:
            raise GdRuntimeError(
                f"Trying to create tensor with negative dimension {d}: {list(shape)}"
            )
        n *= d
    return n


def _check_dtype(dtype: str) -> np.dtype:
    """The numpy dtype for "float32" / "float64" / "float16"."""
    if dtype not in ("float32", "float64", "float16"):
        raise TypeError(f"unsupported dtype for a random float tensor: {dtype!r}")
    return np.dtype(dtype)


#: A complex dtype's draws are its real dtype's over view_as_real (real, imag pairs).
_COMPLEX_PARTS = {"complex64": "float32", "complex128": "float64"}


def _as_complex(pairs: np.ndarray, dtype: str) -> np.ndarray:
    """Draws of shape (*shape, 2) read as (real, imag) pairs."""
    return np.ascontiguousarray(pairs).view(dtype)[..., 0]


def _half(a: np.ndarray, dt: np.dtype) -> np.ndarray:
    """float16's draws: the float32 ones (PyTorch's kernels compute in float), rounded."""
    return a.astype(np.float32).astype(np.float16) if dt == np.float16 else a


# ---------------------------------------------------------------- float32 FMA


def _fma32(a: np.ndarray, b: np.ndarray | np.float32, c: np.ndarray | np.float32) -> np.ndarray:
    """Exactly rounded float32 `a * b + c` (an FMA instruction), via float64."""
    p = a.astype(np.float64) * np.float64(b)  # exact: 24 + 24 bits
    s = p + c
    # s is float64-rounded; rounding it again to float32 can only go wrong when
    # s lands exactly halfway between two floats while the sum was inexact.
    flat = s.reshape(-1)
    idx = np.flatnonzero((flat.view(np.uint64) & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000))
    if idx.size:
        ps = p.reshape(-1)[idx]
        cs = np.broadcast_to(np.asarray(c, dtype=np.float64), p.shape).reshape(-1)[idx]
        ss = flat[idx]
        bv = ss - ps
        err = (ps - (ss - bv)) + (cs - bv)
        fix = err != 0
        flat[idx[fix]] = np.nextafter(ss[fix], np.copysign(np.inf, err[fix]))
    return s.astype(np.float32)


def _fma32_poly(x: np.ndarray, coeffs: tuple[np.float32, ...]) -> np.ndarray:
    """Horner `((c0 * x + c1) * x + c2) ...` with every step fused."""
    y = np.full(x.shape, coeffs[0], dtype=np.float32)
    for k in coeffs[1:]:
        y = _fma32(y, x, k)
    return y


_f = np.float32
_SQRTHF = _f(0.707106781186547524)
_LOG_P = tuple(
    _f(v)
    for v in (
        7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
        1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
        3.3333331174e-1,
    )
)  # fmt: skip
_LOG_Q1 = _f(-2.12194440e-4)
_LOG_Q2 = _f(0.693359375)
_DP = (_f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8))
_SIN_P = (_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1))
_COS_P = (_f(2.443315711809948e-005), _f(-1.388731625493765e-003), _f(4.166664568298827e-002))
_FOPI = _f(1.27323954473516)
_ONE = _f(1.0)
_HALF = _f(0.5)
_ZERO = _f(0.0)
_SIGN = np.uint32(0x80000000)


def _log256(x: np.ndarray) -> np.ndarray:
    """`log256_ps` of avx_mathfun.h for x in (0, 1] (GCC-contracted FMAs)."""
    bits = x.view(np.uint32)
    e = ((bits >> np.uint32(23)).astype(np.int32) - 127).astype(np.float32) + _ONE
    x = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(np.float32)
    mask = x < _SQRTHF
    tmp = np.where(mask, x, _ZERO)
    x = x - _ONE
    e = e - np.where(mask, _ONE, _ZERO)
    x = x + tmp
    z = x * x
    y = _fma32_poly(x, _LOG_P)
    y = y * x
    y = _fma32(y, z, e * _LOG_Q1)
    y = y - z * _HALF  # z * 0.5 is exact: fused or not, the same
    x = x + y
    return _fma32(e, _LOG_Q2, x)


def _sincos256(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`sincos256_ps` of avx_mathfun.h (GCC-contracted FMAs); returns (sin, cos)."""
    sign_sin = x.view(np.uint32) & _SIGN
    x = np.abs(x)
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    swap_sin = (j & 4).astype(np.uint32) << np.uint32(29)
    poly = (j & 2) == 0
    for dp in _DP:
        x = _fma32(y, dp, x)
    sign_cos = (~(j - 2) & 4).astype(np.uint32) << np.uint32(29)
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    yc = _fma32_poly(z, _COS_P)
    yc = yc * z
    yc = _fma32(yc, z, -(z * _HALF))
    yc = yc + _ONE
    ys = _fma32_poly(z, _SIN_P)
    ys = ys * z
    ys = _fma32(ys, x, x)
    ysin2 = np.where(poly, ys, _ZERO)
    ysin1 = np.where(poly, _ZERO, yc)
    ys = ys - ysin2
    yc = yc - ysin1
    s = (ysin1 + ysin2).view(np.uint32) ^ sign_sin
    c = (yc + ys).view(np.uint32) ^ sign_cos
    return s.view(np.float32), c.view(np.float32)


_TWO_PI_F = _f(_TWO_PI)
_MINUS_TWO_F = _f(-2.0)


def _normal_fill_16_avx2(data: np.ndarray, mean: np.float32, std: np.float32) -> np.ndarray:
    """`normal_fill_16_AVX2` on every block of 16 uniforms in `data` (len % 16 == 0)."""
    blocks = data.reshape(-1, 2, 8)
    radius = np.sqrt(_MINUS_TWO_F * _log256(_ONE - blocks[:, 0]))
    s, c = _sincos256(_TWO_PI_F * blocks[:, 1])
    out = np.empty_like(blocks)
    out[:, 0] = _fma32(radius * c, std, mean)
    out[:, 1] = _fma32(radius * s, std, mean)
    return out.reshape(-1)


# ---------------------------------------------------------------- float64 libm

_ufunc_log = np.frompyfunc(math.log, 1, 1)
_ufunc_cos = np.frompyfunc(math.cos, 1, 1)
_ufunc_sin = np.frompyfunc(math.sin, 1, 1)


def _libm(fn: np.ufunc, x: np.ndarray) -> np.ndarray:
    """Apply a libm function elementwise (numpy's own SIMD log differs from libm)."""
    return fn(x).astype(np.float64)


def _fma64(a: float, b: float, c: float) -> float:
    """Exactly rounded double `a * b + c`."""
    if b == 1.0 and c == 0.0:
        return a + 0.0
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    from fractions import Fraction  # here: a rare path, and fractions is slow to import

    r = float(Fraction(a) * Fraction(b) + Fraction(c))
    if r == 0.0:
        return a * b + c  # sign of an exact zero, as the hardware gives it
    return r


def _fma64_array(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """Exactly rounded double `a * b + c` elementwise."""
    if b == 1.0 and c == 0.0:
        return a + 0.0
    # Two-product and two-sum give a*b + c = s + t + e exactly, with |t + e|
    # small against s; s + (t + e) is the correctly rounded value unless the
    # tail sits next to a rounding boundary, which we settle exactly.
    split = 134217729.0  # 2**27 + 1
    p = a * b
    ah = a * split
    ah = ah - (ah - a)
    al = a - ah
    bh = b * split
    bh = bh - (bh - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    bv = s - p
    t = (p - (s - bv)) + (c - bv)
    tail = t + e
    tb = tail - t
    inexact = ((t - (tail - tb)) + (e - tb)) != 0
    r = s + tail
    # s + tail is exact unless `inexact`; then r is still right unless s + t + e
    # sits within that rounding error of a midpoint between doubles (powers of
    # two, with uneven neighbours, are settled exactly too).
    ulp = np.spacing(np.abs(r))
    near_mid = np.abs(np.abs((s - r) + tail) - 0.5 * ulp) <= ulp * 2.0**-40
    pow2 = (r.view(np.uint64) & np.uint64((1 << 52) - 1)) == 0
    hard = (inexact & (near_mid | pow2)) | ~np.isfinite(r) | ~np.isfinite(e)
    if hard.any():
        r = r.copy()
        for i in np.nonzero(hard)[0]:
            r[i] = _fma64(float(a[i]), b, c)
    return r


# ---------------------------------------------------------------- generator


#: ATen's stirling_approx_tail for k = 0..9: lgamma(k + 1) - Stirling's approximation.
_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


class Generator:
    """PyTorch's CPU generator (`torch.Generator()` / the default generator), on numpy."""

    # > 0 inside a vmap(randomness="error") (ad.func): every draw fails, as PyTorch's
    vmap_error = 0

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        """A generator seeded like `torch.Generator().manual_seed(seed)`."""
        # numpy's MT19937, made at the first draw (numpy.random takes ~5 ms to import, and
        # most programs draw nothing); `_words` waits to be loaded into it.
        self._bits: Any = None
        self._words: tuple[np.ndarray | None, int] | None = None
        self.manual_seed(seed)

    # -- seeding and state

    def manual_seed(self, seed: int) -> None:
        """Reseed like `torch.manual_seed(seed)` (negative seeds wrap to uint64)."""
        seed = int(seed)
        if not -(1 << 63) <= seed <= _U64:
            raise GdRuntimeError("Overflow when unpacking long long", py_type="ValueError")
        self._seed = seed & _U64
        self._set_words(None, _N)
        self._fresh = True  # torch's engine says left=1, next=0 until the first draw
        self._next_double: float | None = None
        self._next_float: float | None = None

    def seed(self) -> int:
        """Reseed from the OS like `torch.seed()`; returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed last given to `manual_seed` (as uint64), like `torch.initial_seed()`."""
        return self._seed

    def _set_words(self, key: np.ndarray | None, pos: int) -> None:
        """Set the 624 mt19937 words (None: `init_genrand` of the seed) and the read
        position; the bit generator takes them at its next use."""
        self._words = (key, pos)

    def _engine(self) -> Any:
        """The bit generator, holding the words last set."""
        if self._words is not None:
            key, pos = self._words
            if self._bits is None:
                from numpy.random import MT19937

                self._bits = MT19937(0)
            if key is None:
                key = _init_key(self._seed)
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
            self._words = None
        return self._bits

    def get_state(self) -> np.ndarray:
        """The state as `torch.get_rng_state()` bytes (uint8 array of 5056)."""
        st = self._engine().state["state"]
        pos = int(st["pos"])
        buf = bytearray(_STATE_BYTES)
        left, nxt = (1, 0) if self._fresh else (_N + 1 - pos, pos)
        struct.pack_into("<QiiQ", buf, 0, self._seed, left, 1, nxt)
        buf[24 : 24 + 8 * _N] = np.asarray(st["key"], dtype=np.uint64).astype("<u8").tobytes()
        nd = self._next_double
        struct.pack_into("<dddi", buf, 24 + 8 * _N, 0.0, 0.0 if nd is None else nd, 0.0,
                         int(nd is not None))  # fmt: skip
        nf = self._next_float
        struct.pack_into("<f?", buf, 5048, 0.0 if nf is None else nf, nf is not None)
        return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def set_state(self, state: object) -> None:
        """Restore a state from `get_state()` (or from `torch.get_rng_state()` bytes)."""
        raw = bytes(np.asarray(state, dtype=np.uint8).reshape(-1))
        if len(raw) != _STATE_BYTES:
            raise GdRuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} "
                f"but found the input RNG state size to be {len(raw)}"
            )
        seed, left, _seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        words = np.frombuffer(raw, dtype="<u8", count=_N, offset=24).astype(np.uint32)
        if not 1 <= left <= _N:
            raise GdRuntimeError("Invalid mt19937 state")
        _x, y, _rho, valid = struct.unpack_from("<dddi", raw, 24 + 8 * _N)
        fval, fvalid = struct.unpack_from("<f?", raw, 5048)
        self._seed = seed
        self._set_words(words, _N + 1 - left)
        self._fresh = left == 1 and nxt == 0
        self._next_double = y if valid else None
        self._next_float = fval if fvalid else None

    # -- raw draws

    def _random(self, n: int) -> np.ndarray:
        """`n` successive `random()` words (uint32)."""
        if Generator.vmap_error:
            raise GdRuntimeError(
                "vmap: called random operation while in randomness error mode. Please "
                "either use the 'same' or 'different' randomness flags on vmap or perform "
                "the randomness operation out of vmap")
        if n <= 0:
            return np.empty(0, dtype=np.uint32)
        self._fresh = False
        return self._engine().random_raw(n).astype(np.uint32)

    def _random64(self, n: int) -> np.ndarray:
        """`n` successive `random64()` values (uint64, first word high)."""
        w = self._random(2 * n).astype(np.uint64)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _uniform32(self, n: int) -> np.ndarray:
        """`uniform_real_distribution<float>(0, 1)` draws."""
        return (self._random(n) & np.uint32(0xFFFFFF)).astype(np.float32) * _f(2.0**-24)

    def _uniform64(self, n: int) -> np.ndarray:
        """`uniform_real_distribution<double>(0, 1)` draws."""
        v = self._random64(n) & np.uint64((1 << 53) - 1)
        return v.astype(np.float64) * 2.0**-53

    # -- distributions

    def rand(self, shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
        """`torch.rand(*shape, dtype=dtype)`: uniform on [0, 1)."""
        if dtype in _COMPLEX_PARTS:
            return _as_complex(self.rand((*shape, 2), _COMPLEX_PARTS[dtype]), dtype)
        dt = _check_dtype(dtype)
        n = _numel(shape)
        u = self._uniform64(n) if dt == np.float64 else self._uniform32(n)
        return _half(u, dt).reshape(shape)

    def uniform(
        self, low: float, high: float, shape: tuple[int, ...], dtype: str = "float32"
    ) -> np.ndarray:
        """`torch.empty(*shape, dtype=dtype).uniform_(low, high)`."""
        if dtype in _COMPLEX_PARTS:
            return _as_complex(self.uniform(low, high, (*shape, 2), _COMPLEX_PARTS[dtype]),
                               dtype)
        dt = _check_dtype(dtype)
        if not low <= high:
            raise GdRuntimeError(
                "uniform_ expects to return a [from, to) range, "
                f"but found from={low:g} > to={high:g}"
            )
        n = _numel(shape)
        if dt != np.float64:
            lo, hi = _f(low), _f(high)
            return _half(_fma32(self._uniform32(n), hi - lo, lo), dt).reshape(shape)
        return _fma64_array(self._uniform64(n), float(high) - float(low), float(low)).reshape(shape)

    def randn(self, shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
        """`torch.randn(*shape, dtype=dtype)`: standard normal."""
        return self.normal(0.0, 1.0, shape, dtype)

    def normal(
        self, mean: float, std: float, shape: tuple[int, ...], dtype: str = "float32",
        serial: bool = False,
    ) -> np.ndarray:
        """`torch.normal(mean, std, size=shape, dtype=dtype)` (`Tensor.normal_`; serial:
        of a non-contiguous tensor, whose kernel draws one element at a time)."""
        if dtype in _COMPLEX_PARTS:  # each part has half the variance (ATen's normal_impl_)
            return _as_complex(self.normal(mean, std / math.sqrt(2), (*shape, 2),
                                           _COMPLEX_PARTS[dtype]), dtype)
        dt = _check_dtype(dtype)
        if not std >= 0.0:
            raise GdRuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        n = _numel(shape)
        if n < 16 or serial:
            vals = self._normal_scalar(n, float(mean), float(std))
            return _half(np.array(vals, dtype=np.float64), dt).astype(dt).reshape(shape)
        if dt == np.float32:
            out = self._normal_fill32(n, _f(mean), _f(std))
        elif dt == np.float16:
            out = _half(self._normal_fill_half(n, _f(mean), _f(std)), dt)
        else:
            out = self._normal_fill64(n, float(mean), float(std))
        return out.reshape(shape)

    def _normal_fill32(self, n: int, mean: np.float32, std: np.float32) -> np.ndarray:
        """`normal_fill_AVX2` for n >= 16 float32 elements."""
        data = self._uniform32(n)
        full = n - n % 16
        data[:full] = _normal_fill_16_avx2(data[:full], mean, std)
        if n % 16:
            data[n - 16 :] = _normal_fill_16_avx2(self._uniform32(16), mean, std)
        return data

    def _normal_fill_half(self, n: int, mean: np.float32, std: np.float32) -> np.ndarray:
        """`normal_fill` for n >= 16 float16 elements, in float32: uniforms for the whole
        blocks only, then 16 fresh ones for the last 16 elements."""
        full = n - n % 16
        data = _normal_fill_16_avx2(self._uniform32(full), mean, std)
        if not n % 16:
            return data
        return np.concatenate([data[: n - 16],
                               _normal_fill_16_avx2(self._uniform32(16), mean, std)])

    def _normal_fill64(self, n: int, mean: float, std: float) -> np.ndarray:
        """`normal_fill<double>` for n >= 16 float64 elements."""

        def fill16(u: np.ndarray) -> np.ndarray:
            blocks = u.reshape(-1, 2, 8)
            radius = np.sqrt(-2.0 * _libm(_ufunc_log, 1.0 - blocks[:, 0]))
            theta = _TWO_PI * blocks[:, 1]
            out = np.empty_like(blocks)
            out[:, 0] = radius * _libm(_ufunc_cos, theta)
            out[:, 1] = radius * _libm(_ufunc_sin, theta)
            return _fma64_array(out.reshape(-1), std, mean)

        data = self._uniform64(n)
        full = n - n % 16
        data[:full] = fill16(data[:full])
        if n % 16:
            data[n - 16 :] = fill16(self._uniform64(16))
        return data

    def _normal_scalar(self, n: int, mean: float, std: float) -> list[float]:
        """`n` draws of `at::normal_distribution<double>(mean, std)`, using the cache."""
        out: list[float] = []
        if n and self._next_double is not None:
            out.append(self._next_double)
            self._next_double = None
        pairs = (n - len(out) + 1) // 2
        if pairs:
            u = self._uniform64(2 * pairs).tolist()
            for k in range(pairs):
                r = math.sqrt(-2.0 * math.log1p(-u[2 * k + 1]))
                theta = _TWO_PI * u[2 * k]
                out.append(r * math.cos(theta))
                sin_value = r * math.sin(theta)
                if len(out) < n:
                    out.append(sin_value)
                else:
                    self._next_double = sin_value
        return [_fma64(v, std, mean) for v in out]

    def randint(self, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
        """`torch.randint(low, high, shape)` as int64."""
        low, high = int(low), int(high)
        if low >= high:
            raise GdRuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )
        n = _numel(shape)
        span = high - low
        if span >= 1 << 28:  # torch's public builds: 64-bit draws from 2**28 on
            v = self._random64(n) % np.uint64(span)
        else:
            v = self._random(n).astype(np.uint64) % np.uint64(span)
        return (v.astype(np.int64) + np.int64(low)).reshape(shape)

    def random_full(self, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """`torch.empty(shape, dtype=dtype).random_()`."""
        n = _numel(shape)
        if dtype == "float32":
            v = self._random(n).astype(np.uint64) % np.uint64((1 << 24) + 1)
        elif dtype == "float16":
            v = self._random(n).astype(np.uint64) % np.uint64((1 << 11) + 1)
        elif dtype == "float64":
            v = self._random64(n) % np.uint64((1 << 53) + 1)
        elif dtype == "bool":
            return (self._random(n) & np.uint32(1)).astype(bool).reshape(shape)
        else:
            v = self._random64(n) % np.uint64(1 << 63)
        return v.astype(np.dtype(dtype)).reshape(shape)

    def bernoulli_scalar(self, p: float, shape: tuple[int, ...]) -> np.ndarray:
        """`bernoulli_(p)` for a number p: a bool array, True with probability p."""
        return (self._uniform64(_numel(shape)) < float(p)).reshape(shape)

    def bernoulli_tensor(self, p: np.ndarray) -> np.ndarray:
        """`torch.bernoulli(p)` for a float tensor of probabilities: a bool array."""
        flat = np.ascontiguousarray(p).reshape(-1)
        if p.dtype == np.float64:
            return (self._uniform64(flat.size) < flat).reshape(p.shape)
        return (self._uniform32(flat.size) < flat.astype(np.float32)).reshape(p.shape)

    def exponential(self, lambd: float, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """`torch.empty(shape, dtype=dtype).exponential_(lambd)`."""
        dt = _check_dtype(dtype)
        u = self._uniform64(_numel(shape)).tolist()
        scale = -1.0 / float(lambd)
        return _half(np.array([scale * math.log1p(-v) for v in u], dtype=np.float64), dt) \
            .astype(dt).reshape(shape)

    def cauchy(self, median: float, sigma: float, shape: tuple[int, ...],
               dtype: str) -> np.ndarray:
        """`cauchy_(median, sigma)`: median + sigma * tan(pi * (u - 0.5)), u a double."""
        u = self._uniform64(_numel(shape)).tolist()
        dt = _check_dtype(dtype)
        return _half(np.array([median + sigma * math.tan(math.pi * (v - 0.5)) for v in u],
                              dtype=np.float64), dt).astype(dt).reshape(shape)

    def log_normal(self, mean: float, std: float, shape: tuple[int, ...],
                   dtype: str) -> np.ndarray:
        """`log_normal_(mean, std)`: exp of `normal_distribution<double>` draws."""
        vals = self._normal_scalar(_numel(shape), float(mean), float(std))
        dt = _check_dtype(dtype)
        return _half(np.array([math.exp(v) for v in vals], dtype=np.float64), dt) \
            .astype(dt).reshape(shape)

    def geometric(self, p: float, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """`geometric_(p)`: ceil(log(u) / log1p(-p)), u a double."""
        u = self._uniform64(_numel(shape)).tolist()
        denom = math.log1p(-p)
        return np.array([math.ceil(math.log(v) / denom) if v > 0 else math.inf for v in u],
                        dtype=np.float64).astype(np.dtype(dtype)).reshape(shape)

    def poisson(self, rates: np.ndarray) -> np.ndarray:
        """`torch.poisson(rates)`: ATen's sample_poisson per element, in order."""
        flat = np.ascontiguousarray(rates, dtype=np.float64).reshape(-1).tolist()
        return np.array([self._poisson_one(lam) for lam in flat],
                        dtype=np.float64).astype(rates.dtype).reshape(rates.shape)

    def _poisson_one(self, lam: float) -> int:
        def uniform() -> float:
            return float(self._uniform64(1)[0])

        if lam >= 10:  # transformed rejection (Hoermann, 1993), as ATen writes it
            slam, loglam = math.sqrt(lam), math.log(lam)
            b = 0.931 + 2.53 * slam
            a = -0.059 + 0.02483 * b
            invalpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            while True:
                u = uniform() - 0.5
                v = uniform()
                us = 0.5 - abs(u)
                k = math.floor((2 * a / us + b) * u + lam + 0.43)
                if us >= 0.07 and v <= vr:
                    return k
                if k < 0 or (us < 0.013 and v > us):
                    continue
                if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                        <= -lam + k * loglam - math.lgamma(k + 1.0)):
                    return k
        if lam == 0:
            return 0
        enlam, x, prod = math.exp(-lam), 0, 1.0
        while True:
            prod *= uniform()
            if prod > enlam:
                x += 1
            else:
                return x

    def binomial(self, counts: np.ndarray, probs: np.ndarray) -> np.ndarray:
        """`torch.binomial(count, prob)`: ATen's sample_binomial per element, in order
        (BTRS when the mean of the rarer outcome is at least 10, else inversion), on
        at::uniform_real_distribution<double> draws; a float32 tensor's count and prob
        are float arithmetic where ATen's scalar_t is."""
        single = counts.dtype == np.float32
        flat_n = np.ascontiguousarray(counts).reshape(-1).tolist()
        flat_p = np.ascontiguousarray(probs).reshape(-1).tolist()
        out = [self._binomial_one(n, p, single) for n, p in zip(flat_n, flat_p, strict=True)]
        return np.array(out, dtype=np.float64).astype(counts.dtype).reshape(counts.shape)

    def _binomial_one(self, count: float, prob: float, single: bool) -> float:
        sc = (lambda v: float(np.float32(v))) if single else float  # to scalar_t
        if count <= 0.0 or prob <= 0.0:
            return 0.0
        if prob >= 1.0:
            return count
        if prob <= 0.5:
            if sc(count * prob) >= 10.0:
                return self._btrs(count, prob, sc)
            return self._binomial_inversion(count, prob, sc)
        if prob > 0.5:
            q = sc(1.0 - prob)
            if sc(count * q) >= 10.0:
                return sc(count - self._btrs(count, q, sc))
            return sc(count - self._binomial_inversion(count, q, sc))
        return math.nan

    def _binomial_inversion(self, count: float, prob: float, sc: Any) -> float:
        logprob = float(np.log1p(np.float32(-prob))) if sc is not float else math.log1p(-prob)
        geom_sum, num_geom = 0.0, 0.0
        while True:
            u = float(self._uniform64(1)[0])
            geom_sum += math.ceil(math.log(u) / logprob) if u > 0 else math.inf
            if geom_sum > count:
                return num_geom
            num_geom += 1

    def _btrs(self, count: float, prob: float, sc: Any) -> float:
        stddev = sc(math.sqrt(sc(sc(count * prob) * sc(1 - prob))))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * prob
        c = sc(count * prob) + 0.5
        v_r = 0.92 - 4.2 / b
        r = sc(prob / sc(1 - prob))
        alpha = (2.83 + 5.1 / b) * stddev
        m = float(math.floor(sc(sc(count + 1) * prob)))
        while True:
            u = float(self._uniform64(1)[0]) - 0.5
            v = float(self._uniform64(1)[0])
            us = 0.5 - abs(u)
            k = sc(math.floor((2 * a / us + b) * u + c))
            if k < 0 or k > count:
                continue
            if us >= 0.07 and v <= v_r:
                return k
            v = math.log(v * alpha / (a / (us * us) + b))
            upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                     + (count + 1) * math.log((count - m + 1) / sc(count - k + 1))
                     + (k + 0.5) * math.log(r * sc(count - k + 1) / sc(k + 1))
                     + _stirling_tail(m) + _stirling_tail(count - m)
                     - _stirling_tail(k) - _stirling_tail(sc(count - k)))
            if v <= upper:
                return k

    def standard_gamma(self, alphas: np.ndarray, out_dtype: np.dtype) -> np.ndarray:
        """`torch._standard_gamma(alphas)`: ATen's sample_gamma per element, in order,
        each at least the dtype's smallest normal number (out_dtype: float32 or float64;
        Dirichlet's samples are float64 whatever the concentration's dtype)."""
        wide = np.dtype(out_dtype) == np.float64
        flat = np.ascontiguousarray(alphas).reshape(-1)
        values = [self._gamma_one(float(a), np.dtype(flat.dtype) == np.float64)
                  for a in flat.tolist()]
        out = np.array(values, dtype=np.float64)
        if not wide:
            out = out.astype(np.float32)
        tiny = np.finfo(out.dtype).tiny
        return np.maximum(out, tiny).reshape(alphas.shape)

    def _gamma_one(self, alpha: float, double: bool) -> float:
        """sample_gamma (Marsaglia and Tsang, 2000) as ATen writes it: float32 alphas are
        boosted and shifted in float32 (`alpha += 1.0f`, `alpha - 1.0f / 3.0f`), the rest
        is double arithmetic on at::uniform_real_distribution<double> and
        at::normal_distribution<double> draws (the latter with its cached second value)."""
        f32 = np.float32
        scale = 1.0
        if alpha < 1.0:
            if alpha == 0.0:
                return 0.0
            u = float(self._uniform64(1)[0])
            if double:
                scale *= math.pow(1.0 - u, 1.0 / alpha)
                alpha += 1.0
            else:
                scale *= math.pow(1.0 - u, float(f32(1.0) / f32(alpha)))
                alpha = float(f32(alpha) + f32(1.0))
        third = float(f32(1.0) / f32(3.0))
        d = alpha - third if double else float(f32(alpha) - f32(third))
        c = 1.0 / math.sqrt(9.0 * d)
        k = float(f32(0.0331))
        while True:
            while True:
                x = self._normal_scalar(1, 0.0, 1.0)[0]
                y = 1.0 + c * x
                if y > 0:
                    break
            v = y * y * y
            u = 1.0 - float(self._uniform64(1)[0])
            xx = x * x
            if u < 1.0 - k * xx * xx:
                return scale * d * v
            if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
                return scale * d * v

    def multinomial_with_replacement(self, probs: np.ndarray, n: int) -> np.ndarray:
        """`torch.multinomial(probs, n, replacement=True)` for n > 1 (2-d probs)."""
        out = np.empty((probs.shape[0], n), dtype=np.int64)
        for i, row in enumerate(probs):
            cum = np.cumsum(row, dtype=row.dtype)
            cum = cum / cum[-1]
            cum[-1] = 1
            u = self._uniform64(n)
            out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
        return out

    def randperm(self, n: int) -> np.ndarray:
        """`torch.randperm(n)` as int64."""
        n = int(n)
        _numel((n,))
        if n >= (1 << 32) // 20:
            raise GdRuntimeError(f"randperm: n={n} is too large")
        perm = list(range(n))
        z = self._random(n - 1).astype(np.int64) % np.arange(n, 1, -1, dtype=np.int64)
        for i, zi in enumerate(z.tolist()):
            j = i + zi
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64)
