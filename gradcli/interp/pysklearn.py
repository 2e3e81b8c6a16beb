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
from gradcli.interp import exceptions, numpy_ns, pymethods
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


# -- sklearn.preprocessing and sklearn.metrics ------------------------------------------------


def _host_array(x: Any) -> np.ndarray:
    if type(x) is ArrayValue:
        return np.asarray(x.value)
    if type(x) is Tensor:
        return np.array(x.array)
    if type(x) in (list, tuple):
        from gradcli.interp.arrays import plain

        return np.asarray(plain(x))
    raise GdRuntimeError(f"Expected array-like (array or non-string sequence), got {x!r}",
                         py_type="TypeError")


def _float_2d(x: Any, what: str) -> np.ndarray:
    """scikit-learn's validate_data for a scaler: a new 2-D float array (float32 and
    float64 kept, anything else made float64)."""
    a = _host_array(x)
    if a.ndim != 2:
        kind = "scalar" if a.ndim == 0 else f"{a.ndim}D"
        raise GdRuntimeError(
            f"Expected 2D array, got {kind} array instead:\narray={a}.\nReshape your data "
            "either using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample.", py_type="ValueError")
    if a.size > _MAX_SAMPLES:
        raise GdRuntimeError(f"{what} of more than {_MAX_SAMPLES:,} values is not supported "
                             "by gradcli")
    if a.dtype not in (np.float64, np.float32):
        a = a.astype(np.float64)
    return np.array(a)


#: sklearn.exceptions.NotFittedError (a ValueError and an AttributeError in scikit-learn).
NOT_FITTED = exceptions.ExceptionClass("NotFittedError", exceptions.CLASSES["ValueError"])


def _check_fitted(scaler: Any, n_features: int) -> None:
    if not hasattr(scaler, "n_features_in_"):
        raise exceptions.ExceptionValue(NOT_FITTED, (
            f"This {type(scaler).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator.",)).raised(None)
    if n_features != scaler.n_features_in_:
        raise GdRuntimeError(
            f"X has {n_features} features, but {type(scaler).__name__} is expecting "
            f"{scaler.n_features_in_} features as input.", py_type="ValueError")


class StandardScaler:
    """sklearn.preprocessing.StandardScaler on dense arrays: scikit-learn 1.x's numbers
    (its two-pass mean and variance, float64 accumulation, near-constant features kept)."""

    __slots__ = ("copy", "mean_", "n_features_in_", "n_samples_seen_", "scale_", "var_",
                 "with_mean", "with_std")

    def __init__(self, *, copy: Any = True, with_mean: Any = True, with_std: Any = True
                 ) -> None:
        self.copy, self.with_mean, self.with_std = copy, with_mean, with_std

    def __repr__(self) -> str:
        shown = [f"{k}={v!r}" for k, v in (("copy", self.copy), ("with_mean", self.with_mean),
                                          ("with_std", self.with_std)) if v is not True]
        return f"StandardScaler({', '.join(shown)})"

    def fit(self, x: Any, y: Any = None, sample_weight: Any = None) -> StandardScaler:
        if sample_weight is not None:
            raise GdRuntimeError("StandardScaler.fit(sample_weight=...) is not supported by "
                                 "gradcli")
        a = _float_2d(x, "StandardScaler.fit")
        n = a.shape[0]
        nan = np.isnan(a)
        total = np.nansum if nan.any() else np.sum
        new_sum = total(a, axis=0, dtype=np.float64)
        count = n - total(nan.astype(a.dtype), axis=0, dtype=np.float64)
        mean = (np.zeros(a.shape[1]) + new_sum) / (np.zeros(a.shape[1]) + count)
        temp = a - new_sum / count
        correction = total(temp, axis=0, dtype=np.float64)
        temp **= 2
        var = total(temp, axis=0, dtype=np.float64)
        var -= correction ** 2 / count
        var = var / count
        self.n_samples_seen_ = ArrayValue(count[0] if count.max() == count.min() else count)
        self.mean_ = ArrayValue(mean) if self.with_mean or self.with_std else None
        self.var_ = ArrayValue(var) if self.with_std else None
        self.scale_ = None
        if self.with_std:
            eps = np.finfo(np.float64).eps
            constant = var <= count * eps * var + (count * mean * eps) ** 2
            scale = np.sqrt(var)
            scale[constant] = 1.0
            self.scale_ = ArrayValue(scale)
        self.n_features_in_ = a.shape[1]
        return self

    def transform(self, x: Any, copy: Any = None) -> ArrayValue:
        a = _float_2d(x, "StandardScaler.transform")
        _check_fitted(self, a.shape[1])
        if self.with_mean:
            a -= self.mean_.value.astype(a.dtype)
        if self.with_std:
            a /= self.scale_.value.astype(a.dtype)
        return ArrayValue(a)

    def inverse_transform(self, x: Any, copy: Any = None) -> ArrayValue:
        a = _float_2d(x, "StandardScaler.inverse_transform")
        _check_fitted(self, a.shape[1])
        if self.with_std:
            a *= self.scale_.value.astype(a.dtype)
        if self.with_mean:
            a += self.mean_.value.astype(a.dtype)
        return ArrayValue(a)

    def fit_transform(self, x: Any, y: Any = None) -> ArrayValue:
        return self.fit(x, y).transform(x)


class MinMaxScaler:
    """sklearn.preprocessing.MinMaxScaler on dense arrays, with scikit-learn's numbers."""

    __slots__ = ("clip", "copy", "data_max_", "data_min_", "data_range_", "feature_range",
                 "min_", "n_features_in_", "n_samples_seen_", "scale_")

    def __init__(self, feature_range: Any = (0, 1), *, copy: Any = True, clip: Any = False
                 ) -> None:
        if type(feature_range) not in (tuple, list) or len(feature_range) != 2:
            raise GdRuntimeError("The 'feature_range' parameter of MinMaxScaler must be an "
                                 f"instance of 'tuple'. Got {feature_range!r} instead.",
                                 py_type="ValueError")
        self.feature_range, self.copy, self.clip = feature_range, copy, clip

    def __repr__(self) -> str:
        shown = [f"{k}={v!r}" for k, v, d in (("feature_range", self.feature_range, (0, 1)),
                                             ("copy", self.copy, True),
                                             ("clip", self.clip, False)) if v != d]
        return f"MinMaxScaler({', '.join(shown)})"

    def fit(self, x: Any, y: Any = None) -> MinMaxScaler:
        low, high = self.feature_range
        if low >= high:
            raise GdRuntimeError("Minimum of desired feature range must be smaller than "
                                 f"maximum. Got {tuple(self.feature_range)!r}.",
                                 py_type="ValueError")
        a = _float_2d(x, "MinMaxScaler.fit")
        lo, hi = np.asarray(low, dtype=a.dtype), np.asarray(high, dtype=a.dtype)
        data_min, data_max = np.nanmin(a, axis=0), np.nanmax(a, axis=0)
        data_range = data_max - data_min
        safe = data_range.copy()
        safe[safe < 10 * np.finfo(safe.dtype).eps] = 1.0
        scale = (hi - lo) / safe
        self.scale_, self.min_ = ArrayValue(scale), ArrayValue(lo - data_min * scale)
        self.data_min_, self.data_max_ = ArrayValue(data_min), ArrayValue(data_max)
        self.data_range_ = ArrayValue(data_range)
        self.n_samples_seen_ = a.shape[0]
        self.n_features_in_ = a.shape[1]
        return self

    def transform(self, x: Any) -> ArrayValue:
        a = _float_2d(x, "MinMaxScaler.transform")
        _check_fitted(self, a.shape[1])
        a *= self.scale_.value
        a += self.min_.value
        if self.clip:
            np.clip(a, np.asarray(self.feature_range[0], dtype=a.dtype),
                    np.asarray(self.feature_range[1], dtype=a.dtype), out=a)
        return ArrayValue(a)

    def inverse_transform(self, x: Any) -> ArrayValue:
        a = _float_2d(x, "MinMaxScaler.inverse_transform")
        _check_fitted(self, a.shape[1])
        a -= self.min_.value
        a /= self.scale_.value
        return ArrayValue(a)

    def fit_transform(self, x: Any, y: Any = None) -> ArrayValue:
        return self.fit(x, y).transform(x)


_SCALER_METHODS = ("fit", "transform", "fit_transform", "inverse_transform")


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: Any = True,
                   sample_weight: Any = None) -> float:
    """sklearn.metrics.accuracy_score for labels (1-D arrays, lists or tensors)."""
    a, b = _host_array(y_true), _host_array(y_pred)
    if a.ndim != 1 or b.ndim != 1:
        raise GdRuntimeError("accuracy_score of multilabel or 2-D targets is not supported "
                             "by gradcli")
    if len(a) != len(b):
        raise GdRuntimeError("Found input variables with inconsistent numbers of samples: "
                             f"[{len(a)}, {len(b)}]", py_type="ValueError")
    score = a == b
    if sample_weight is not None:
        w = _host_array(sample_weight)
        return float(np.average(score, weights=w) if normalize else np.dot(score, w))
    return float(np.average(score) if normalize else score.sum())


def namespaces() -> dict[str, Namespace]:
    """sklearn, sklearn.datasets and sklearn.model_selection."""
    datasets = Namespace("sklearn.datasets", {
        "make_moons": Builtin("sklearn.datasets.make_moons", make_moons),
        "make_circles": Builtin("sklearn.datasets.make_circles", make_circles)})
    selection = Namespace("sklearn.model_selection", {
        "train_test_split": Builtin("sklearn.model_selection.train_test_split",
                                    train_test_split)})
    preprocessing = Namespace("sklearn.preprocessing", {
        "StandardScaler": Builtin("sklearn.preprocessing.StandardScaler", StandardScaler),
        "MinMaxScaler": Builtin("sklearn.preprocessing.MinMaxScaler", MinMaxScaler)})
    metrics = Namespace("sklearn.metrics", {
        "accuracy_score": Builtin("sklearn.metrics.accuracy_score", accuracy_score)})
    return {"sklearn": Namespace("sklearn", {"datasets": datasets,
                                             "model_selection": selection,
                                             "preprocessing": preprocessing,
                                             "metrics": metrics}),
            "sklearn.datasets": datasets, "sklearn.model_selection": selection,
            "sklearn.preprocessing": preprocessing, "sklearn.metrics": metrics}


for _cls, _names in ((StandardScaler, ("mean_", "var_", "scale_", "n_samples_seen_",
                                       "n_features_in_", "copy", "with_mean", "with_std")),
                     (MinMaxScaler, ("min_", "scale_", "data_min_", "data_max_",
                                     "data_range_", "n_samples_seen_", "n_features_in_",
                                     "feature_range", "copy", "clip"))):
    # the fitted attributes hold gd values (ArrayValue, int): read as they are
    pymethods.METHODS[_cls] = {name: getattr(_cls, name) for name in _SCALER_METHODS}
    pymethods.DATA[_cls] = frozenset(_names)
