"""Which code path Intel MKL (PyTorch's BLAS and vector math) takes on this CPU.

MKL picks its kernels by processor, not by ATen's CPU capability: on an Intel processor
with AVX-512 (F, CD, BW, DQ, VL) it runs its AVX-512 kernels, whose summation orders and
last bits differ from its AVX2 ones; on AMD processors (AVX-512 ones included) and on
Intel ones without AVX-512 it runs the AVX2 kernels (measured on round 18's AMD EPYC and
round 20's Intel Xeon, family 6 model 207; MKL_ENABLE_INSTRUCTIONS, MKL_CBWR and
MKL_DEBUG_CPU_TYPE did not change the path there). ATEN_CPU_CAPABILITY does not move
MKL either.

GRADCLI_MKL_PATH=avx512 or avx2 overrides the detection (tests, other hosts); any other
value is ignored.
"""

from __future__ import annotations

import functools
import os
import platform

_AVX512 = ("AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ", "AVX512VL")


def _cpu_features() -> dict[str, bool]:
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as has
    except ImportError:  # pragma: no cover - numpy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as has
    return dict(has)


def _vendor() -> str:
    """The CPU's vendor string ("GenuineIntel", "AuthenticAMD", ...), or ""."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    name = platform.processor()  # Windows: "Intel64 Family 6 Model ... GenuineIntel"
    if "GenuineIntel" in name or name.startswith("Intel"):
        return "GenuineIntel"
    return ""


@functools.cache
def mkl_avx512() -> bool:
    """Whether MKL runs its AVX-512 kernels here: an Intel CPU with AVX-512 (read once:
    /proc/cpuinfo's vendor and numpy's CPU features), unless GRADCLI_MKL_PATH says."""
    wanted = os.environ.get("GRADCLI_MKL_PATH", "").strip().lower()
    if wanted in ("avx512", "avx2"):
        return wanted == "avx512"
    has = _cpu_features()
    return _vendor() == "GenuineIntel" and all(has.get(f, False) for f in _AVX512)
