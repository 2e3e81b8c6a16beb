"""Attention and transformers against PyTorch: F.scaled_dot_product_attention (math and
CPU-flash paths, masks, causal, dropout, GQA, second order), nn.MultiheadAttention and
F.multi_head_attention_forward, the Transformer encoder/decoder stacks and nn.Transformer.

Each program in tests/programs/attention/NAME.gd prints values, gradients, grad_fn names,
reprs and PyTorch's error messages; NAME.out is what PyTorch 2.13 prints for it (a literal:
the test means something without torch), and with torch installed the program is also run
live under PyTorch."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyrun import gd_output, torch_output

from gradcli.ad.session import Session
from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

HERE = Path(__file__).parent / "programs" / "attention"
NAMES = sorted(p.stem for p in HERE.glob("*.gd"))


def test_the_programs_are_there() -> None:
    assert len(NAMES) >= 16 and all((HERE / f"{n}.out").exists() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    with Session():
        assert gd_output((HERE / f"{name}.gd").read_text()) == \
            (HERE / f"{name}.out").read_text()


@pytest.mark.parametrize("name", NAMES)
def test_the_literal_is_what_pytorch_prints(name: str) -> None:
    assert torch_output((HERE / f"{name}.gd").read_text()) == \
        (HERE / f"{name}.out").read_text()


def test_flash_path_output_is_recorded_as_pytorchs_fused_node() -> None:
    text = ("import torch\nimport torch.nn.functional as F\nq = torch.ones(1, 1, 2, 2, "
            "requires_grad=True)\nprint(F.scaled_dot_product_attention(q, q, q).grad_fn.name())"
            "\nprint(F.scaled_dot_product_attention(q[0], q[0], q[0]).grad_fn.name())\n")
    with Session():
        assert gd_output(text) == ("ScaledDotProductFlashAttentionForCpuBackward0\n"
                                   "UnsafeViewBackward0\n")


def test_a_fully_masked_row_gives_zeros_and_finite_gradients() -> None:
    text = ("import torch\nimport torch.nn.functional as F\n"
            "q = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)\n"
            "m = torch.tensor([[True, True], [False, False]])\n"
            "o = F.scaled_dot_product_attention(q, q, q, attn_mask=m)\n"
            "o.sum().backward()\nprint(o[1].tolist(), bool(q.grad.isfinite().all()))\n")
    with Session():
        assert gd_output(text) == "[0.0, 0.0] True\n"


def test_dropout_draws_in_the_memory_order_of_a_transposed_input() -> None:
    text = ("import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"
            "x = torch.ones(3, 4).t()\nprint(F.dropout(x, 0.5))\n")
    expected = ("tensor([[0., 0., 0.],\n        [0., 0., 2.],\n        [2., 2., 2.],\n"
                "        [0., 2., 2.]])\n")
    with Session():
        assert gd_output(text) == expected
    assert torch_output(text) == expected


HOSTILE = [
    "nn.MultiheadAttention(4, 2).__dict__",
    "nn.MultiheadAttention(4, 2)._parameters.__class__.__dict__",
    "nn.MultiheadAttention(4, 2).forward.__self__", "nn.MultiheadAttention.__dict__",
    "nn.MultiheadAttention(4, 2).out_proj.__dict__",
    "nn.TransformerEncoderLayer(4, 2, 8).activation.fn",
    "nn.TransformerEncoderLayer(4, 2, 8).activation.__globals__",
    "nn.TransformerEncoderLayer(4, 2, 8)._modules.__class__.__dict__",
    "nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 1)"
    ".layers._modules.__class__.__dict__",
    "nn.Transformer.generate_square_subsequent_mask.__self__",
    "nn.Transformer.generate_square_subsequent_mask.fn",
    "nn.functional.scaled_dot_product_attention.__module__",
    "nn.functional.multi_head_attention_forward.__wrapped__",
    "nn.LazyLinear(2).weight.array", "nn.LazyLinear(2).weight.__class__.__dict__",
    "nn.LazyLinear(2).weight.gd_attribute", "nn.LazyLinear(2).weight.numel.fn",
    "nn.LazyLinear(2).weight.detach()", "nn.LazyLinear(2).weight.param",
    "nn.attention.SDPBackend.members", "nn.attention.SDPBackend.MATH.__class__.__dict__",
    "nn.attention.sdpa_kernel(nn.attention.SDPBackend.MATH).backends",
    "nn.attention.sdpa_kernel(nn.attention.SDPBackend.MATH).__enter__",
    "nn.attention.sdpa_kernel.fn", "nn.attention.__dict__",
]


@pytest.mark.parametrize("expr", HOSTILE)
def test_attention_values_expose_nothing_of_the_host(expr: str) -> None:
    buf = io.StringIO()
    with Session(), pytest.raises(GdError) as info:
        run(Source("p.gd", f"import torch\nimport torch.nn as nn\nprint({expr})\n"),
            AppOptions(write=buf.write))
    assert buf.getvalue() == ""
    assert "0x" not in info.value.message and "gradcli." not in info.value.message
