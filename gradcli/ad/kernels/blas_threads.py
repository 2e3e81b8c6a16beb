"""numpy's BLAS on one thread for a program's products, its threads only for large ones.

OpenBLAS (the BLAS numpy ships) splits every product past ~65,000 multiply-adds between
its threads, and a thread that finishes its part spins waiting for the others. On a busy
machine (more runnable processes than cores) the thread it waits for is not running:
a 32×1576 by 1576×32 product, an RNN's weight gradient over a batch of 1,576, took
~20 ms of CPU and ~100 ms of wall time instead of ~0.05 ms, and the real script (50
steps of nn.RNN on a sine wave) ran past the 25 s time limit. Products up to
WIDE_PRODUCTS multiply-adds take a millisecond or two on one core, so a program's
commands run numpy's BLAS on one thread (serial(), at the start of a command) and give
it its threads back only for larger products (wide(): bench W3's 1000×1000).

Only through OpenBLAS's own entry points (openblas_set_num_threads, found in the library
numpy loaded); with another BLAS nothing changes. One thread also keeps a product's
column blocks those of the single-threaded kernel (kernels/blas_chain's probes).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Iterator
from typing import Any

#: Multiply-adds (m·n·k) from which a product takes BLAS's threads again.
WIDE_PRODUCTS = 1 << 26

_SETTERS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
            "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
            "openblas_get_num_threads")

_state = {"wide": 0}  # threads BLAS had before serial() (0: serial() not called)


@functools.cache
def _api() -> tuple[Any, Any] | None:
    """OpenBLAS's (set, get) thread-count functions in the library numpy loaded, or None."""
    import numpy  # noqa: F401 (loads its BLAS)

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            paths = sorted({line.split()[-1] for line in f
                            if "openblas" in line.rsplit("/", 1)[-1].lower()})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        setter = next((getattr(lib, s) for s in _SETTERS if hasattr(lib, s)), None)
        getter = next((getattr(lib, g) for g in _GETTERS if hasattr(lib, g)), None)
        if setter is not None and getter is not None:
            setter.restype = None
            setter.argtypes = [ctypes.c_int]
            getter.restype = ctypes.c_int
            getter.argtypes = []
            return setter, getter
    return None


def serial() -> None:
    """numpy's BLAS on one thread from now on (wide() lends the threads back)."""
    api = _api()
    if api is None or _state["wide"]:
        return
    threads = api[1]()
    if threads > 1:
        _state["wide"] = threads
        api[0](1)


@contextlib.contextmanager
def wide(products: int) -> Iterator[None]:
    """BLAS's threads for a product of this many multiply-adds, if past WIDE_PRODUCTS and
    serial() took them."""
    threads = _state["wide"]
    if not threads or products < WIDE_PRODUCTS:
        yield
        return
    api = _api()
    assert api is not None
    api[0](threads)
    try:
        yield
    finally:
        api[0](1)


@contextlib.contextmanager
def single() -> Iterator[None]:
    """numpy's BLAS on one thread for what runs inside (already so after serial())."""
    api = None if _state["wide"] else _api()
    threads = api[1]() if api is not None else 1
    if threads <= 1:
        yield
        return
    api[0](1)  # type: ignore[index]
    try:
        yield
    finally:
        api[0](threads)  # type: ignore[index]
