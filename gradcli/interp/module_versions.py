"""A module's `__version__` (`print(np.__version__)`, `sklearn.__version__`): the version
of the module Python would import here, as a notebook's or a script's first cell prints it.

numpy is the numpy gd runs (its own version string); the standard modules that carry a
`__version__` (json, csv, argparse, logging, re) give this Python's; tqdm, matplotlib and
scikit-learn, which gd stands in for, give the installed package's version, read from its
metadata (nothing of it is imported). A module Python has no `__version__` for has none
here either (Python's AttributeError).
"""

from __future__ import annotations

import functools
import importlib

#: gd's module name -> the standard module whose __version__ it reports
_STDLIB = {"json": "json", "csv": "csv", "argparse": "argparse", "logging": "logging",
           "re": "re"}
#: gd's stand-ins for third-party modules -> the distribution that installs the real one
_DISTRIBUTIONS = {"tqdm": "tqdm", "tqdm.auto": None, "tqdm.notebook": None,
                  "matplotlib": "matplotlib", "sklearn": "scikit-learn"}


@functools.cache
def version(module: str) -> str | None:
    """The `__version__` Python gives for the module gd names `module`, or None where
    Python's module has none (or the package is not installed here)."""
    if module == "numpy":
        import numpy as np

        return str(np.__version__)
    if module in _STDLIB:
        v = getattr(importlib.import_module(_STDLIB[module]), "__version__", None)
        return v if isinstance(v, str) else None
    dist = _DISTRIBUTIONS.get(module)
    if dist is None:
        return None
    from importlib import metadata  # here: ~5 ms (email, zipfile, csv) few programs need

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
