"""Which code path Intel MKL takes on this CPU: its AVX-512 kernels or the AVX2 ones.

MKL picks its kernels by processor, not by PyTorch's CPU capability: on an Intel CPU with
AVX-512 (F, CD, BW, DQ, VL: Skylake-SP and later) it runs its AVX-512 code, whose vector
math (VML: float32 sqrt, tanh, exp, …) gives other last bits than its AVX2 code, which it
runs on AMD processors (with or without AVX-512) and on Intel ones without AVX-512.
MKL_ENABLE_INSTRUCTIONS, MKL_CBWR and MKL_DEBUG_CPU_TYPE do not bring the AVX2 path back
(measured), so this follows the processor only.

Read once from /proc/cpuinfo (vendor_id and flags) and cached; where there is no such file
the AVX2 path is assumed. GRADCLI_MKL_PATH=avx512 or =avx2 overrides (tests).
"""

from __future__ import annotations

import functools
import os

#: The environment variable that overrides the detection: "avx512" or "avx2".
ENV = "GRADCLI_MKL_PATH"
_AVX512 = frozenset({"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"})


@functools.cache
def cpuinfo(path: str = "/proc/cpuinfo") -> tuple[str, frozenset[str]]:
    """The first processor's vendor_id and flags in a cpuinfo file ("", {} unknown); read
    once (kernels/vecmath's vector width asks too)."""
    vendor, flags = "", frozenset()
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "vendor_id" and not vendor:
                    vendor = value.strip()
                elif key == "flags":
                    flags = frozenset(value.split())
                    break
    except OSError:
        pass
    return vendor, flags


@functools.cache
def mkl_avx512() -> bool:
    """True when MKL runs its AVX-512 kernels here (an Intel CPU with AVX-512)."""
    wanted = os.environ.get(ENV, "").strip().lower()
    if wanted in ("avx512", "avx2"):
        return wanted == "avx512"
    return runs_avx512(*cpuinfo())


def runs_avx512(vendor: str, flags: frozenset[str]) -> bool:
    """Whether MKL takes its AVX-512 path on a CPU of this vendor_id and these flags."""
    return vendor == "GenuineIntel" and flags >= _AVX512
