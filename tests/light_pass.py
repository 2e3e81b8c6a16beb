"""The engine's light backward state, for the fast-path tests' shared use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from gradcli.ad.state import State, grad_mode


@contextmanager
def light() -> Iterator[None]:
    """The state the engine runs VJPs in when nothing records the backward pass."""
    saved = State.light_backward
    State.light_backward = True
    try:
        with grad_mode(False):
            yield
    finally:
        State.light_backward = saved
