"""`import random`: Python's random module in gd, the same numbers as CPython's for the
same seed (its Mersenne Twister, through one host random.Random the program never sees).

A run starts from seed 0 (a program that never seeds still prints the same every run);
sizes a call would make (`choices(k=...)`, `sample`) are checked against the caps first.
"""

from __future__ import annotations

import random as pyrandom
from typing import Any

from gradcli.ad.tensor import Tensor
from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.interp import limits, operators
from gradcli.interp.values import Builtin, Namespace, type_name
from gradcli.limits import MAX_INT_BITS

_RNG = pyrandom.Random(0)


def reset() -> None:
    """A new run: the generator from seed 0 again."""
    _RNG.seed(0)


def _seed(a: Any = None, version: int = 2) -> None:
    """random.seed(a=None): restart the generator from a (an int, float or str)."""
    if a is not None and type(a) not in (int, float, str, bool):
        raise GdRuntimeError("The only supported seed types are: None,\nint, float, str, "
                             "bytes, and bytearray.", py_type="TypeError")
    _RNG.seed(0 if a is None else a, version)


def _choice(seq: Any) -> Any:
    """random.choice(seq): one item of a non-empty sequence."""
    n = len(seq)
    if not n:
        raise GdRuntimeError("Cannot choose from an empty sequence", py_type="IndexError")
    return operators.get_item(seq, _RNG._randbelow(n))


def _shuffle(x: Any) -> None:
    """random.shuffle(x): shuffle a list in place."""
    if type(x) is not list:
        raise GdRuntimeError(f"random.shuffle of a '{type_name(x)}' value is not supported "
                             "in gd (a list only)")
    _RNG.shuffle(x)


def _sample(population: Any, k: Any, *, counts: Any = None) -> list[Any]:
    """random.sample(population, k): k distinct items of a sequence."""
    if type(population) is Tensor:
        raise GdRuntimeError("Population must be a sequence.  For dicts or sets, use "
                             "sorted(d).", py_type="TypeError")
    limits.check_length(k if type(k) is int else 0, "random.sample()")
    return _RNG.sample(population, k, counts=counts)


def _choices(population: Any, weights: Any = None, *, cum_weights: Any = None,
             k: Any = 1) -> list[Any]:
    """random.choices(population, weights=None, *, cum_weights=None, k=1): k items drawn
    with replacement."""
    limits.check_length(k if type(k) is int else 0, "random.choices()")
    return _RNG.choices(population, weights, cum_weights=cum_weights, k=k)


def _getrandbits(k: Any) -> int:
    """random.getrandbits(k): an int of k random bits."""
    if type(k) is int and k > MAX_INT_BITS:
        raise GdLimitError(f"integer too large ({k:,} bits)")
    return _RNG.getrandbits(k)


def _method(name: str) -> Any:
    fn = getattr(_RNG, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.__doc__ = f"random.{name}{_SIGNATURES[name]}, as Python's random module"
    return call


_SIGNATURES = {
    "random": "(): a float in [0, 1)", "uniform": "(a, b): a float between a and b",
    "randint": "(a, b): an int in [a, b]", "randrange": "(start, stop[, step]): an int",
    "gauss": "(mu, sigma): a normal float", "normalvariate": "(mu, sigma): a normal float",
    "expovariate": "(lambd): an exponential float",
    "triangular": "(low, high, mode): a triangular float",
    "betavariate": "(alpha, beta): a beta float",
}


def namespace() -> Namespace:
    """The `random` module."""
    members: dict[str, Any] = {name: Builtin(f"random.{name}", _method(name))
                               for name in _SIGNATURES}
    for name, fn in (("seed", _seed), ("getrandbits", _getrandbits), ("choice", _choice),
                     ("shuffle", _shuffle), ("sample", _sample), ("choices", _choices)):
        members[name] = Builtin(f"random.{name}", fn)
    return Namespace("random", members)
