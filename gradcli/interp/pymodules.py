"""The plain-Python standard-library modules real PyTorch scripts import around their torch
code (time, sys, os, json, argparse, operator, contextlib, ...), and the third-party ones
(tqdm, matplotlib.pyplot, scikit-learn's data helpers), loaded on first import so they
cost nothing at start-up. Each is built by a function of one gd module
(pysys, pyjson, ...) returning {dotted name: Namespace}; every value kind they add is
behind an allow-list (pymethods.METHODS), as every attribute in gd is.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

#: dotted module name -> the gd module whose namespaces() builds it.
LAZY: dict[str, str] = {
    **dict.fromkeys(("time", "sys", "os", "os.path"), "pysys"),
    **dict.fromkeys(("json", "pprint", "string", "textwrap", "statistics", "io",
                     "unicodedata"), "pytextmods"),
    **dict.fromkeys(("operator", "heapq", "bisect"), "pyoperator"),
    "argparse": "pyargparse",
    "types": "pytypes",
    **dict.fromkeys(("contextlib", "abc"), "pyclassmods"),
    "enum": "pyenum",
    "re": "pyre",
    "datetime": "pydatetime",
    "cmath": "pycomplex",
    "traceback": "pytraceback",
    "logging": "pylogging",
    **dict.fromkeys(("csv", "pickle", "pathlib"), "pyfilemods"),
    # third-party modules scripts import (thirdparty: no bars, no plots; pysklearn)
    **dict.fromkeys(("tqdm", "tqdm.auto", "tqdm.notebook", "matplotlib", "matplotlib.pyplot"),
                    "thirdparty"),
    **dict.fromkeys(("sklearn", "sklearn.datasets", "sklearn.model_selection",
                     "sklearn.preprocessing", "sklearn.metrics"), "pysklearn"),
}

#: The module names, for the import hint.
NAMES = tuple(LAZY)


def load(dotted: str) -> dict[str, Any]:
    """The namespaces the gd module behind `dotted` builds (all of its modules)."""
    mod = importlib.import_module(f"gradcli.interp.{LAZY[dotted]}")
    built: dict[str, Any] = mod.namespaces()
    return built


def reset(printer: Callable[..., None]) -> None:
    """A new run: each loaded module's per-run state starts again (the clock, os.environ,
    sys.argv, where sys.stdout writes)."""
    for name in set(LAZY.values()):
        mod = sys.modules.get(f"gradcli.interp.{name}")
        fn = getattr(mod, "reset", None)
        if fn is not None:
            fn(printer)
