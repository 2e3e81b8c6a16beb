"""torch.distributions.constraints: the constraint objects gd's distributions use (the
same objects, so `Normal(0., 1.).support is constraints.real`) and PyTorch's functions
making the parametrized ones, each printing as PyTorch's and with `check(value)`.
"""

from __future__ import annotations

from typing import Any

from gradcli.ad.ops.surface import SURFACE
from gradcli.errors import GdRuntimeError
from gradcli.interp.distributions import (
    BOOLEAN,
    POSITIVE,
    REAL,
    REAL_VECTOR,
    SIMPLEX,
    UNIT_INTERVAL,
    Constraint,
    _bound,
    _greater_than,
    _integer_interval,
    _interval,
    _less_than,
)
from gradcli.interp.distributions_extra import (
    LOWER_CHOLESKY,
    NONNEGATIVE,
    NONNEGATIVE_INTEGER,
    ONE_HOT,
    POSITIVE_DEFINITE,
)
from gradcli.interp.values import Builtin, Namespace

POSITIVE_INTEGER = Constraint("IntegerGreaterThan(lower_bound=1)",
                              lambda v: (v % 1 == 0) & (v >= 1))


def _greater_than_eq(lower_bound: Any) -> Constraint:
    return Constraint(f"GreaterThanEq(lower_bound={_bound(lower_bound)})",
                      lambda v: v >= lower_bound)


def _half_open_interval(lower_bound: Any, upper_bound: Any) -> Constraint:
    return Constraint(f"HalfOpenInterval(lower_bound={_bound(lower_bound)}, "
                      f"upper_bound={_bound(upper_bound)})",
                      lambda v: (lower_bound <= v) & (v < upper_bound))


def _independent(base_constraint: Any, reinterpreted_batch_ndims: Any) -> Constraint:
    """constraints.independent(c, n): c over the rightmost n dims, all of them at once."""
    if not isinstance(base_constraint, Constraint):
        raise GdRuntimeError("", py_type="AssertionError")
    if type(reinterpreted_batch_ndims) is not int or reinterpreted_batch_ndims < 0:
        raise GdRuntimeError("", py_type="AssertionError")  # PyTorch's bare asserts
    n = reinterpreted_batch_ndims

    def check(v: Any) -> Any:
        out = base_constraint.check(v)
        for _ in range(n):
            out = SURFACE["torch.all"](out, dim=-1)
        return out

    return Constraint(f"IndependentConstraint({base_constraint.text}, {n})", check)


def namespace() -> Namespace:
    """torch.distributions.constraints."""
    functions = {
        "greater_than": (_greater_than, "greater_than(lower_bound): values > lower_bound"),
        "greater_than_eq": (_greater_than_eq,
                            "greater_than_eq(lower_bound): values >= lower_bound"),
        "less_than": (_less_than, "less_than(upper_bound): values < upper_bound"),
        "interval": (_interval, "interval(lower_bound, upper_bound): a closed interval"),
        "half_open_interval": (_half_open_interval,
                               "half_open_interval(lower_bound, upper_bound): [low, high)"),
        "integer_interval": (_integer_interval,
                             "integer_interval(lower_bound, upper_bound): integers in it"),
        "independent": (_independent, "independent(base_constraint, "
                        "reinterpreted_batch_ndims): base over the rightmost dims"),
    }
    return Namespace("torch.distributions.constraints", {
        "real": REAL, "positive": POSITIVE, "nonnegative": NONNEGATIVE,
        "unit_interval": UNIT_INTERVAL, "boolean": BOOLEAN, "simplex": SIMPLEX,
        "real_vector": REAL_VECTOR, "nonnegative_integer": NONNEGATIVE_INTEGER,
        "positive_integer": POSITIVE_INTEGER, "one_hot": ONE_HOT,
        "lower_cholesky": LOWER_CHOLESKY, "positive_definite": POSITIVE_DEFINITE,
        **{name: Builtin(f"torch.distributions.constraints.{name}", fn, doc)
           for name, (fn, doc) in functions.items()},
    })
