"""The few scikit-learn functions small PyTorch classification scripts start from:
`sklearn.datasets.make_moons` / `make_circles` and `sklearn.model_selection.
train_test_split`, giving scikit-learn 1.x's own numbers (the same numpy calls in the same
order: the same points, the same split).

`random_state` is an int (a RandomState seeded with it, as scikit-learn makes) or None
(numpy's global generator: in gd, this run's `np.random`, seeded 0 at the start).
train_test_split splits numpy arrays, tensors and lists (a tensor's parts are tensors);
`stratify=` is not supported.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdRuntimeError
from gradcli.interp import numpy_ns
from gradcli.interp.arrays import ArrayValue
from gradcli.interp.values import Builtin, Namespace

_MAX_SAMPLES = 10_000_000


def _generator(random_state: Any) -> Any:
    """scikit-learn's check_random_state for what gd holds: None or an int."""
    if random_state is None:
        return numpy_ns.run_state()
    if type(random_state) is int:
        return np.random.RandomState(random_state)
    raise GdRuntimeError(f"{random_state!r} cannot be used to seed a "
                         "numpy.random.RandomState instance (gd takes an int or None)",
                         py_type="ValueError")


def _halves(n_samples: Any) -> tuple[int, int]:
    if type(n_samples) is int:
        if not 0 <= n_samples <= _MAX_SAMPLES:
            raise GdRuntimeError(f"n_samples must be in [0, {_MAX_SAMPLES:,}] in gd",
                                 py_type="ValueError")
        return n_samples // 2, n_samples - n_samples // 2
    if type(n_samples) in (tuple, list) and len(n_samples) == 2 and all(
            type(k) is int and 0 <= k <= _MAX_SAMPLES for k in n_samples):
        return n_samples[0], n_samples[1]
    raise GdRuntimeError("`n_samples` can be either an int or a two-element tuple.",
                         py_type="ValueError")


def _finish(x: np.ndarray, y: np.ndarray, shuffle: bool, noise: Any,
            generator: Any) -> tuple[ArrayValue, ArrayValue]:
    if shuffle:  # sklearn.utils.shuffle: one shuffle of the row indices
        indices = np.arange(x.shape[0])
        generator.shuffle(indices)
        x, y = x[indices], y[indices]
    if noise is not None:
        x += generator.normal(scale=float(noise), size=x.shape)
    return ArrayValue(x), ArrayValue(y)


def make_moons(n_samples: Any = 100, *, shuffle: bool = True, noise: Any = None,
               random_state: Any = None) -> tuple[ArrayValue, ArrayValue]:
    """sklearn.datasets.make_moons: two interleaving half circles (X, y)."""
    n_out, n_in = _halves(n_samples)
    generator = _generator(random_state)
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    x = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _finish(x, y, shuffle, noise, generator)


def make_circles(n_samples: Any = 100, *, shuffle: bool = True, noise: Any = None,
                 random_state: Any = None, factor: float = 0.8
                 ) -> tuple[ArrayValue, ArrayValue]:
    """sklearn.datasets.make_circles: a large circle around a small one (X, y)."""
    if not 0 <= factor < 1:
        raise GdRuntimeError("'factor' has to be between 0 and 1.", py_type="ValueError")
    n_out, n_in = _halves(n_samples)
    generator = _generator(random_state)
    lin_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    lin_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.vstack([np.append(np.cos(lin_out), np.cos(lin_in) * factor),
                   np.append(np.sin(lin_out), np.sin(lin_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _finish(x, y, shuffle, noise, generator)


def _length(a: Any) -> int:
    if type(a) is ArrayValue and isinstance(a.value, np.ndarray) and a.value.ndim:
        return int(a.value.shape[0])
    if type(a) is Tensor and a.ndim:
        return int(a.shape[0])
    if type(a) in (list, tuple):
        return len(a)
    raise GdRuntimeError("train_test_split takes numpy arrays, tensors and lists",
                         py_type="TypeError")


def _take(a: Any, indices: np.ndarray) -> Any:
    if type(a) is ArrayValue:
        return ArrayValue(a.value[indices])
    if type(a) is Tensor:
        return ops.getitem(a, Tensor(indices.astype(np.int64)))
    return [a[i] for i in indices]


def _sizes(n: int, test_size: Any, train_size: Any) -> tuple[int, int]:
    """scikit-learn's _validate_shuffle_split (its messages)."""
    if test_size is None and train_size is None:
        test_size = 0.25
    for name, v in (("test_size", test_size), ("train_size", train_size)):
        if v is None:
            continue
        if (type(v) is int and not 0 < v < n) or (type(v) is float and not 0 < v < 1):
            raise GdRuntimeError(
                f"{name}={v} should be either positive and smaller than the number of "
                f"samples {n} or a float in the (0, 1) range", py_type="ValueError")
        if type(v) not in (int, float):
            raise GdRuntimeError(f"Invalid value for {name}: {v}", py_type="ValueError")
    if type(train_size) is float and type(test_size) is float and train_size + test_size > 1:
        raise GdRuntimeError(
            f"The sum of test_size and train_size = {train_size + test_size}, should be in "
            "the (0, 1) range. Reduce test_size and/or train_size.", py_type="ValueError")
    n_test: float = 0
    n_train: float = 0
    if test_size is not None:
        n_test = math.ceil(test_size * n) if type(test_size) is float else float(test_size)
    if train_size is not None:
        n_train = (math.floor(train_size * n) if type(train_size) is float
                   else float(train_size))
    if train_size is None:
        n_train = n - n_test
    elif test_size is None:
        n_test = n - n_train
    if n_train + n_test > n:
        raise GdRuntimeError(
            f"The sum of train_size and test_size = {int(n_train + n_test)}, should be "
            f"smaller than the number of samples {n}. Reduce test_size and/or train_size.",
            py_type="ValueError")
    if int(n_train) == 0:
        raise GdRuntimeError(
            f"With n_samples={n}, test_size={test_size} and train_size={train_size}, the "
            "resulting train set will be empty. Adjust any of the aforementioned "
            "parameters.", py_type="ValueError")
    return int(n_train), int(n_test)


def train_test_split(*arrays: Any, test_size: Any = None, train_size: Any = None,
                     random_state: Any = None, shuffle: bool = True,
                     stratify: Any = None) -> list[Any]:
    """sklearn.model_selection.train_test_split: [a_train, a_test, b_train, b_test, ...]."""
    if not arrays:
        raise GdRuntimeError("At least one array required as input", py_type="ValueError")
    if stratify is not None:
        raise GdRuntimeError("train_test_split(stratify=...) is not supported by gradcli")
    n = _length(arrays[0])
    for a in arrays[1:]:
        if _length(a) != n:
            lengths = ", ".join(str(_length(b)) for b in arrays)
            raise GdRuntimeError("Found input variables with inconsistent numbers of "
                                 f"samples: [{lengths}]", py_type="ValueError")
    n_train, n_test = _sizes(n, test_size, train_size)
    if shuffle:
        permutation = _generator(random_state).permutation(n)
        train, test = permutation[n_test:n_test + n_train], permutation[:n_test]
    else:
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


def namespaces() -> dict[str, Namespace]:
    """sklearn, sklearn.datasets and sklearn.model_selection."""
    datasets = Namespace("sklearn.datasets", {
        "make_moons": Builtin("sklearn.datasets.make_moons", make_moons),
        "make_circles": Builtin("sklearn.datasets.make_circles", make_circles)})
    selection = Namespace("sklearn.model_selection", {
        "train_test_split": Builtin("sklearn.model_selection.train_test_split",
                                    train_test_split)})
    return {"sklearn": Namespace("sklearn", {"datasets": datasets,
                                             "model_selection": selection}),
            "sklearn.datasets": datasets, "sklearn.model_selection": selection}
