"""Real PyTorch code as tutorials write it (round 15): what float() of a tensor that
requires grad warns (d2l's `float(l.sum())` in every training loop), ..."""

from __future__ import annotations

import io

from gradcli.app import AppOptions, run
from gradcli.source import Source


def _warnings(text: str) -> list[str]:
    warnings: list[str] = []
    run(Source("prog.gd", text), AppOptions(write=io.StringIO().write, warn=warnings.append))
    return warnings


SCALAR = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
          "behavior.\nConsider using tensor.detach() first.")


def test_float_of_a_tensor_that_requires_grad_warns_once() -> None:
    # Tensor.__float__ (float(), and math's functions through it) warns, once per process
    # (TORCH_WARN_ONCE); int(), item(), bool() and f-string formats do not.
    program = ("import torch\nimport math\nx = torch.tensor(2.0, requires_grad=True)\n"
               "y = x * 3\nprint(y.item(), int(y), bool(y), f'{y:.2f}', float(y.detach()))\n"
               "print(math.sqrt(y))\nprint(float(y))\nprint(float(x))\n")
    assert _warnings(program) == [f"prog.gd:6: UserWarning: {SCALAR}\n  print(math.sqrt(y))\n"]
    assert _warnings(program.replace("print(math.sqrt(y))\n", "")) == [
        f"prog.gd:6: UserWarning: {SCALAR}\n  print(float(y))\n"]
