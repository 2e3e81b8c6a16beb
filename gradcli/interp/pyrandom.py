"""`import random`: Python's random module in gd, the same numbers as CPython's for the
same seed (its Mersenne Twister, through one host random.Random the program never sees).

A run starts from seed 0 (a program that never seeds still prints the same every run);
sizes a call would make (`choices(k=...)`, `sample`) are checked against the caps first.
"""

from __future__ import annotations

import random as pyrandom
from typing import Any

from gradcli.ad.identity import object_repr
from gradcli.ad.tensor import Tensor
from gradcli.errors import GdLimitError, GdRuntimeError
from gradcli.interp import limits, operators, pymethods
from gradcli.interp.values import Builtin, Namespace, type_name
from gradcli.limits import MAX_INT_BITS


class Generator:
    """A random.Random instance (and, as _RNG, the module's own generator): a host
    random.Random the program reaches only through the methods below."""

    __slots__ = ("rng",)

    def __init__(self, seed: Any = None) -> None:
        self.rng = pyrandom.Random(0)
        _seed(self, seed)

    def __repr__(self) -> str:
        return object_repr("random.Random", self)


Generator.__name__ = "Random"


def reset() -> None:
    """A new run: the generator from seed 0 again."""
    _RNG.rng.seed(0)


def _seed(g: Generator, a: Any = None, version: int = 2) -> None:
    """random.seed(a=None): restart the generator from a (an int, float or str)."""
    if a is not None and type(a) not in (int, float, str, bool):
        raise GdRuntimeError("The only supported seed types are: None,\nint, float, str, "
                             "bytes, and bytearray.", py_type="TypeError")
    g.rng.seed(0 if a is None else a, version)


def _choice(g: Generator, seq: Any) -> Any:
    """random.choice(seq): one item of a non-empty sequence."""
    n = len(seq)
    if not n:
        raise GdRuntimeError("Cannot choose from an empty sequence", py_type="IndexError")
    return operators.get_item(seq, g.rng._randbelow(n))


def _shuffle(g: Generator, x: Any) -> None:
    """random.shuffle(x): shuffle a list in place."""
    if type(x) is not list:
        raise GdRuntimeError(f"random.shuffle of a '{type_name(x)}' value is not supported "
                             "in gd (a list only)")
    g.rng.shuffle(x)


def _sample(g: Generator, population: Any, k: Any, *, counts: Any = None) -> list[Any]:
    """random.sample(population, k): k distinct items of a sequence."""
    if type(population) is Tensor:
        raise GdRuntimeError("Population must be a sequence.  For dicts or sets, use "
                             "sorted(d).", py_type="TypeError")
    limits.check_length(k if type(k) is int else 0, "random.sample()")
    return g.rng.sample(population, k, counts=counts)


def _choices(g: Generator, population: Any, weights: Any = None, *, cum_weights: Any = None,
             k: Any = 1) -> list[Any]:
    """random.choices(population, weights=None, *, cum_weights=None, k=1): k items drawn
    with replacement."""
    limits.check_length(k if type(k) is int else 0, "random.choices()")
    return g.rng.choices(population, weights, cum_weights=cum_weights, k=k)


def _getrandbits(g: Generator, k: Any) -> int:
    """random.getrandbits(k): an int of k random bits."""
    if type(k) is int and k > MAX_INT_BITS:
        raise GdLimitError(f"integer too large ({k:,} bits)")
    return g.rng.getrandbits(k)


def _getstate(g: Generator) -> Any:
    """random.getstate(): the generator's state (a tuple of ints), for setstate."""
    return g.rng.getstate()


def _setstate(g: Generator, state: Any) -> None:
    """random.setstate(state): the generator back at a state getstate gave."""
    if type(state) is not tuple:
        raise GdRuntimeError("state vector must be a tuple", py_type="TypeError")
    try:
        g.rng.setstate(state)
    except (TypeError, ValueError, OverflowError) as e:
        raise GdRuntimeError(str(e), py_type=type(e).__name__) from None


def _method(name: str) -> Any:
    fn = getattr(pyrandom.Random, name)

    def call(g: Generator, *args: Any, **kwargs: Any) -> Any:
        return fn(g.rng, *args, **kwargs)

    call.__doc__ = f"random.{name}{_SIGNATURES[name]}, as Python's random module"
    return call


_SIGNATURES = {
    "random": "(): a float in [0, 1)", "uniform": "(a, b): a float between a and b",
    "randint": "(a, b): an int in [a, b]", "randrange": "(start, stop[, step]): an int",
    "gauss": "(mu, sigma): a normal float", "normalvariate": "(mu, sigma): a normal float",
    "expovariate": "(lambd): an exponential float",
    "triangular": "(low, high, mode): a triangular float",
    "betavariate": "(alpha, beta): a beta float",
    "lognormvariate": "(mu, sigma): a log-normal float",
    "gammavariate": "(alpha, beta): a gamma float",
    "vonmisesvariate": "(mu, kappa): a von Mises float",
    "paretovariate": "(alpha): a Pareto float",
    "weibullvariate": "(alpha, beta): a Weibull float",
}

#: The methods of a random.Random (each a function of the generator first).
METHODS: dict[str, Any] = {name: _method(name) for name in _SIGNATURES}
METHODS.update(seed=_seed, getrandbits=_getrandbits, choice=_choice, shuffle=_shuffle,
               sample=_sample, choices=_choices, getstate=_getstate, setstate=_setstate)
pymethods.METHODS[Generator] = METHODS
pymethods.DATA[Generator] = frozenset()
_RNG = Generator(0)  # the module's own generator


def _module_function(name: str, fn: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(_RNG, *args, **kwargs)

    call.__doc__ = fn.__doc__
    return call


def _new_random(x: Any = None) -> Generator:
    """random.Random(x=None): a generator of its own, seeded with x."""
    return Generator(x)


def namespace() -> Namespace:
    """The `random` module."""
    members: dict[str, Any] = {name: Builtin(f"random.{name}", _module_function(name, fn))
                               for name, fn in METHODS.items()}
    members["Random"] = Builtin("random.Random", _new_random)
    return Namespace("random", members)
