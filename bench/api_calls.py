"""The simplest call of each known function, under PyTorch and under gd (api_coverage's
second measure: a name gd knows can still fail or print otherwise on the first call).

For each function of torch, torch.Tensor, torch.nn.functional, torch.linalg, torch.special
and torch.fft that gd knows, the first of a few argument lists PyTorch accepts (`x`, `x, x`,
`x, 1`, `x, 0`, ...; x a 2x3 float tensor in (0, 1)) is called by both, after
manual_seed(0), and what `print` shows is compared: "fails" where gd raises, "differs"
where gd prints something else.
"""

from __future__ import annotations

import io
import re
import warnings
from contextlib import redirect_stderr
from typing import Any

X = "[[0.2, 0.5, 0.7], [0.9, 0.3, 0.4]]"
ARGSETS = ("x", "x, x", "x, 1", "x, 0", "x, x, x", "x, x, 1", "")
CALLED = ("torch", "torch.Tensor", "torch.nn.functional", "torch.linalg", "torch.special",
          "torch.fft")
# State-changing, I/O or compiler entry points: not called.
_SKIP = re.compile(r"^(set_|manual_seed$|seed$|save$|load$|use_|compile$|jit|export|"
                   r"fork_rng$|get_rng_state|initial_seed$|random_$|from_file$|"
                   r"cuda$|share_memory_$|pin_memory$|backward$|register_|retain_grad$|"
                   r"requires_grad_$|apply_$|map_$|map2_$|storage|untyped_storage|data_ptr$|"
                   r"is_shared$|new$|vmap$|cond$|while_loop$|as_strided)")


def _torch_value(label: str, name: str, args: str) -> str | None:
    """What `print(NS.name(args))` shows under PyTorch, or None if it raises."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    x = torch.tensor(eval(X))
    scope = {"torch": torch, "F": F, "x": x}
    reach = {"torch.Tensor": "x", "torch.nn.functional": "F"}.get(label, label)
    try:
        with warnings.catch_warnings(), redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            value = eval(f"{reach}.{name}({args})", scope)
        text = str(value)
    except Exception:
        return None
    return None if " at 0x" in text or "<" in text[:1] else text


def _gd_value(label: str, name: str, args: str) -> tuple[str, str]:
    """("ok"|"error", what gd printed or its message)."""
    from gradcli.interp.runstate import RunOptions
    from gradcli.interp.runtime import run_source

    reach = {"torch.Tensor": "x", "torch.nn.functional": "F"}.get(label, label)
    src = (f"import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"
           f"x = torch.tensor({X})\nprint({reach}.{name}({args}))\n")
    out: list[str] = []
    try:
        run_source(src, "<call>", RunOptions(write=out.append))
    except Exception as e:
        return "error", str(e).split("\n")[0]
    return "ok", "".join(out).rstrip("\n")


def call_probe(label: str, host: dict[str, Any],
               known: dict[str, bool]) -> tuple[int, dict[str, str], dict[str, str]]:
    """(calls compared, name -> gd's error where PyTorch succeeds, name -> the call whose
    printing differs)."""
    if label not in CALLED:
        return 0, {}, {}
    compared = 0
    fails: dict[str, str] = {}
    differs: dict[str, str] = {}
    for name, obj in host.items():
        if not known.get(name) or not callable(obj) or isinstance(obj, type) or _SKIP.match(name):
            continue
        for args in ARGSETS:
            want = _torch_value(label, name, args)
            if want is None:
                continue
            compared += 1
            kind, got = _gd_value(label, name, args)
            if kind == "error":
                fails[name] = f"({args}): {got[:90]}"
            elif got != want:
                differs[name] = f"({args})"
            break
    return compared, fails, differs
