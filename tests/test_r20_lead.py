"""Round 20 (lead): behaviours pinned against PyTorch 2.13 (skipped without torch)."""

from __future__ import annotations

import pytest
from pyrun import gd_output, masked, torch_output

PROGRAMS = {
    # unpack_dual's primal of a computed dual tensor is PyTorch's _fw_primal view, a C++
    # node: the tensor prints grad_fn=<Identity>, name() is torch::autograd::Identity
    "unpack_dual_primal_node": """
import torch.autograd.forward_ad as fwAD
x = torch.tensor([1.0, 2.0], requires_grad=True)
v = torch.tensor([1.0, 0.5], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(x, v)
    p, t = fwAD.unpack_dual(d)
    print(p, t, p._is_view())
    y = d.exp()
    p, t = fwAD.unpack_dual(y)
    print(p, t, p.grad_fn.name(), p.grad_fn.next_functions[0][0].name())
    (p.sum() + t.sum()).backward()
    print(x.grad, v.grad)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    pytest.importorskip("torch")
    text = "import torch\n" + PROGRAMS[name]
    assert masked(gd_output(text)) == masked(torch_output(text))


def test_wrt_name_equals_value_is_set_and_wrt() -> None:
    """`--wrt x=3` (what a newcomer types to ask for the derivative at 3) means
    `--set x=3 --wrt x`: the same bytes, in every differentiating command."""
    import json

    from click.testing import CliRunner

    from gradcli.cli import main

    prog = ["-e", "x = tensor(1.0)", "-e", "x ** 3 + sin(x)"]
    for command in (["eval"], ["grad", "--order", "2"], ["jacobian"], ["check"],
                    ["jvp", "--tangent", "1"], ["explain"]):
        fmt = [] if command == ["explain"] else ["--format", "json"]
        short = CliRunner().invoke(main, [*command, *prog, "--wrt", "x=3", *fmt])
        long = CliRunner().invoke(main, [*command, *prog, "--set", "x=3", "--wrt", "x", *fmt])
        assert short.exit_code == long.exit_code == 0, (command, short.output)
        assert short.stdout == long.stdout
    out = json.loads(CliRunner().invoke(main, ["eval", *prog, "--wrt", "x=3", "--format",
                                               "json"]).stdout)
    assert out["result"]["value"] == pytest.approx(27 + 0.14112, abs=1e-4)
    assert out["grads"]["x"]["value"] == pytest.approx(27 - 0.98999, abs=1e-4)
