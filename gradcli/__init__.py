"""gradcli: a command-line expression differentiator with PyTorch's autograd semantics."""

import os as _os
import sys as _sys

__version__ = "0.1.0"


def _numpy_avx512_features() -> str:
    """The names numpy (not yet imported) gives its AVX-512 loops in NPY_DISABLE_CPU_FEATURES:
    X86_V4 and the two past it from numpy 2.4 on, AVX512F and the Intel groups before (a
    name numpy does not dispatch on is only warned about, an ImportWarning).

    numpy's version.py is found along sys.path, as its import will find the package,
    without importlib.util (and the contextlib it imports): 4M fewer instructions in the
    first process of a command, the one that only re-executes (callgrind, round 22)."""
    before_2_4 = ("AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL "
                  "AVX512_ICL AVX512_SPR")
    try:
        for entry in _sys.path:
            path = _os.path.join(entry or _os.curdir, "numpy", "version.py")
            if _os.path.isfile(path):
                break
        else:
            raise OSError("numpy not found")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        major, minor = (int(p) for p in text.split('version = "', 1)[1].split(".")[:2])
    except (OSError, ValueError, IndexError, TypeError):
        return "X86_V4 AVX512_ICL AVX512_SPR " + before_2_4
    return "X86_V4 AVX512_ICL AVX512_SPR" if (major, minor) >= (2, 4) else before_2_4


# numpy's float64 exp, log, log1p, expm1, sinh, asinh, ... are the C library's on a CPU
# without AVX-512 (the functions PyTorch's scalar loops call: std::exp, std::log1p, ...),
# which gradcli's kernels lean on; with AVX-512 numpy takes its own vector loops (SVML's
# algorithms), whose last bits differ for 0.1-50% of inputs (measured on an Intel Xeon,
# round 20). So numpy runs its AVX2 loops in gradcli's process and those it starts, unless
# numpy was imported first or the variable is set already (kernels.vecmath.numpy_is_libm
# says which).
if "numpy" not in _sys.modules and "NPY_DISABLE_CPU_FEATURES" not in _os.environ:
    _os.environ["NPY_DISABLE_CPU_FEATURES"] = _numpy_avx512_features()
