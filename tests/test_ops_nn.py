"""torch.nn.functional beyond the sweep: PyTorch's messages, edge points of the
activations, in-place forms, running statistics, node names of derivatives, and gd
programs through the interpreter and the CLI. Expected texts are PyTorch 2.13's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pyrun import unaddressed

from gradcli.ad.session import Session
from gradcli.errors import GdError
from gradcli.interp import RunOptions, run_source

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_a_session() -> Iterator[None]:
    with Session():
        yield


def output(text: str) -> str:
    """What a gd program prints (with F bound to torch.nn.functional)."""
    out: list[str] = []
    source = "import torch\nimport torch.nn.functional as F\n" + textwrap.dedent(text)
    run_source(source, "prog.gd", RunOptions(write=out.append))
    return unaddressed("".join(out))


def message(text: str) -> str:
    with pytest.raises(GdError) as info:
        output(text)
    return info.value.message


# -- PyTorch's messages -------------------------------------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 2]), label_smoothing=1.5)",
     "label_smoothing must be between 0.0 and 1.0. Got: 1.5"),
    ("F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 2]), reduction='avg')",
     "avg is not a valid value for reduction"),
    ("F.nll_loss(torch.randn(2, 3), torch.tensor([0, 3]))", "Target 3 is out of bounds."),
    ("F.nll_loss(torch.randn(2, 3), torch.tensor([0, 1, 2]))",
     "Expected input batch_size (2) to match target batch_size (3)."),
    ("F.nll_loss(torch.randn(2, 3), torch.tensor([0., 1.]))",
     "expected target dtype to be Long or Byte, but got Float"),
    ("F.cross_entropy(torch.randn(2, 3), torch.rand(2, 4))",
     "0D or 1D target tensor expected, multi-target not supported"),
    ("F.binary_cross_entropy(torch.rand(2), torch.rand(2, 1))",
     "Using a target size (torch.Size([2, 1])) that is different to the input size "
     "(torch.Size([2])) is deprecated. Please ensure they have the same size."),
    ("F.binary_cross_entropy(torch.tensor([1.5]), torch.rand(1))",
     "all elements of input should be between 0 and 1"),
    ("F.binary_cross_entropy_with_logits(torch.rand(2), torch.rand(3))",
     "Target size (torch.Size([3])) must be the same as input size (torch.Size([2]))"),
    ("F.one_hot(torch.tensor([1.0]))",
     "one_hot is only applicable to index tensor of type LongTensor."),
    ("F.one_hot(torch.tensor([3]), 2)", "Class values must be smaller than num_classes."),
    ("F.one_hot(torch.tensor([-1]))", "Class values must be non-negative."),
    ("F.linear(torch.randn(2, 3), torch.randn(4, 2), torch.randn(4))",
     "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x4)"),
    ("F.gelu(torch.randn(2), approximate='foo')",
     "approximate argument must be either none or tanh."),
    ("F.embedding(torch.tensor([5]), torch.randn(2, 3))", "index out of range in self"),
    ("F.hardtanh(torch.randn(2), 2., 1.)", "min_val cannot be greater than max_val"),
    ("F.softplus(torch.tensor([1, 2]))", "\"softplus_cpu\" not implemented for 'Long'"),
    ("F.gelu(torch.tensor([1, 2]))", "\"GeluKernelImpl\" not implemented for 'Long'"),
    ("F.selu(torch.tensor([1, 2]))", "\"elu_cpu\" not implemented for 'Long'"),
    ("F.layer_norm(torch.randn(2, 3), (4,))",
     "Given normalized_shape=[4], expected input with shape [*, 4], but got input of "
     "size[2, 3]"),
    ("F.batch_norm(torch.randn(1, 3), torch.zeros(3), torch.ones(3), training=True)",
     "Expected more than 1 value per channel when training, got input size "
     "torch.Size([1, 3])"),
    ("F.pad(torch.randn(1, 2, 3), (3, 3), mode='reflect')",
     "Argument #4: Padding size should be less than the corresponding input dimension, "
     "but got: padding (3, 3) at dimension 2 of input [1, 2, 3]"),
    ("F.pad(torch.randn(1, 2, 3), (4, 0), mode='circular')",
     "Padding value causes wrapping around more than once."),
    ("F.pad(torch.randn(3), (1,))", "Padding length must be divisible by 2"),
])
def test_messages_are_pytorchs(code: str, expected: str) -> None:
    assert message(code) == expected


def test_hardsigmoid_has_no_second_derivative_as_in_pytorch() -> None:
    text = """
    x = torch.tensor([-1.5, 0.3, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad(F.hardsigmoid(x).sum(), x, create_graph=True)
    print(g)
    torch.autograd.grad(g.sum(), x)
    """
    assert message(text) == "derivative for aten::hardsigmoid_backward is not implemented"


# -- values at the kinks and node names --------------------------------------------------

def test_derivatives_at_zero_follow_pytorchs_branches() -> None:
    out = output("""
    x = torch.tensor([-3.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    for f in [F.elu, F.leaky_relu, F.relu6, F.hardtanh, F.hardswish, F.hardsigmoid]:
        (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
        print(g.tolist())
    (g,) = torch.autograd.grad(F.elu(x).sum(), x, create_graph=True)
    print(torch.autograd.grad(g.sum(), x)[0].tolist())
    """)
    assert out.splitlines() == [
        "[0.049787068367863944, 1.0, 1.0]",
        "[0.01, 0.01, 1.0]",
        "[0.0, 0.0, 1.0]",
        "[0.0, 1.0, 0.0]",
        "[0.0, 0.5, 1.0]",
        "[0.0, 0.1666666716337204, 0.0]",
        "[0.049787068367863944, 0.0, 0.0]",
    ]


def test_backward_functions_are_nodes_of_their_own() -> None:
    out = output("""
    x = torch.tensor([-1.5, 0.3, 2.0], requires_grad=True)
    for y in [F.softplus(x), F.gelu(x), F.leaky_relu(x), F.elu(x), F.celu(x), F.selu(x),
              F.logsigmoid(x), F.hardtanh(x), F.relu6(x), F.hardswish(x), F.silu(x)]:
        (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        print(y.grad_fn.name(), g.grad_fn.name())
    """)
    assert out.splitlines() == [
        "SoftplusBackward0 SoftplusBackwardBackward0",
        "GeluBackward0 GeluBackwardBackward0",
        "LeakyReluBackward0 LeakyReluBackwardBackward0",
        "EluBackward0 EluBackwardBackward0",
        "CeluBackward0 EluBackwardBackward0",
        "EluBackward0 EluBackwardBackward0",
        "LogSigmoidBackward0 LogSigmoidBackwardBackward0",
        "HardtanhBackward0 HardtanhBackwardBackward0",
        "HardtanhBackward0 HardtanhBackwardBackward0",
        "HardswishBackward0 HardswishBackwardBackward0",
        "SiluBackward0 MulBackward0",
    ]


def test_inplace_forms_change_the_input_and_save_the_result() -> None:
    out = output("""
    x = torch.tensor([-1.5, 0.3, 2.0], requires_grad=True)
    for f in [lambda h: F.elu(h, inplace=True), F.elu_, torch.celu_, torch.selu_,
              lambda h: F.leaky_relu(h, 0.2, True), F.hardtanh_, F.relu_,
              lambda h: F.relu(h, inplace=True), lambda h: F.silu(h, inplace=True)]:
        h = x * 1
        y = f(h)
        print(y is h, y.grad_fn)
    """)
    names = [line.split(" ", 1) for line in out.splitlines()]
    assert [n[0] for n in names] == ["True"] * 9
    assert [n[1] for n in names] == [
        "<EluBackward1 object>", "<EluBackward1 object>", "<CeluBackward1 object>",
        "<EluBackward1 object>", "<LeakyReluBackward1 object>", "<HardtanhBackward0 object>",
        "<ReluBackward0 object>", "<ReluBackward0 object>", "<SiluBackward0 object>"]


def test_loss_node_names_are_pytorchs() -> None:
    out = output("""
    x = torch.randn(2, 3, requires_grad=True)
    t = torch.tensor([2, 0])
    y = torch.randn(2, 3)
    for l in [F.l1_loss(x, y), F.l1_loss(x, y, reduction='none'), F.smooth_l1_loss(x, y),
              F.smooth_l1_loss(x, y, beta=0.0), F.huber_loss(x, y),
              F.cross_entropy(x, t, label_smoothing=0.1), F.cross_entropy(x, x.softmax(1)),
              F.kl_div(x, y.softmax(1), reduction='batchmean'),
              F.kl_div(x, y.softmax(1), reduction='none'),
              F.binary_cross_entropy(x.sigmoid(), y.sigmoid()),
              F.cosine_similarity(x, y), F.normalize(x), F.linear(x, y),
              F.linear(x, y, torch.zeros(2)), F.linear(x[0], y, torch.zeros(2)),
              F.cross_entropy(torch.randn(2, 3, 4, requires_grad=True),
                              torch.tensor([[0, 1, 2, 0], [1, 1, 0, 2]])),
              F.pad(x, (1, 1)), F.pad(x[None], (1, 1), mode='reflect'),
              F.pad(x[None], (1, 1), mode='replicate'), F.pad(x[None], (1, 1), mode='circular'),
              F.layer_norm(x, (3,)),
              F.batch_norm(x, torch.zeros(3), torch.ones(3), training=True),
              F.embedding(t, x.t()), F.softmin(x, dim=1)]:
        print(l.grad_fn.name())
    """)
    assert out.split() == [
        "MeanBackward0", "AbsBackward0", "SmoothL1LossBackward0", "MeanBackward0",
        "HuberLossBackward0", "AddBackward0", "DivBackward1", "DivBackward0", "SubBackward0",
        "BinaryCrossEntropyBackward0", "SumBackward1", "DivBackward0", "MmBackward0",
        "AddmmBackward0", "ViewBackward0", "NllLoss2DBackward0", "ConstantPadNdBackward0",
        "ReflectionPad1DBackward0", "ReplicationPad1DBackward0", "torch::autograd::CopySlices",
        "NativeLayerNormBackward0", "NativeBatchNormBackward0", "EmbeddingBackward0",
        "SoftmaxBackward0"]


def test_batch_norm_updates_running_statistics_in_place() -> None:
    out = output("""
    x = torch.tensor([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]])
    rm = torch.zeros(2)
    rv = torch.ones(2)
    y = F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    print(rm)
    print(rv)
    print(F.batch_norm(x, rm, rv))
    """)
    # batch mean [3, 3], unbiased variance [4, 7]: running = 0.5 · old + 0.5 · batch
    assert out.splitlines() == [
        "tensor([1.5000, 1.5000])",
        "tensor([2.5000, 4.0000])",
        "tensor([[-0.3162,  0.2500],",
        "        [ 0.9487,  2.2500],",
        "        [ 2.2136, -0.2500]])",
    ]


def test_cross_entropy_label_smoothing_gradient_is_softmax_minus_smoothed_target() -> None:
    out = output("""
    z = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], dtype=torch.float64,
                     requires_grad=True)
    t = torch.tensor([1, 2])
    F.cross_entropy(z, t, label_smoothing=0.3).backward()
    target = F.one_hot(t, 3).double() * 0.7 + 0.1
    print(torch.allclose(z.grad, (z.softmax(1) - target) / 2))
    """)
    assert out == "True\n"


def test_legacy_size_average_and_reduce_warn_and_pick_the_reduction() -> None:
    warned: list[str] = []
    with Session(warn=warned.append):
        out = output("""
        x = torch.tensor([1.0, 2.0])
        print(F.mse_loss(x, torch.zeros(2), size_average=False))
        print(F.l1_loss(x, torch.zeros(2), reduce=False))
        print(F.kl_div(x.log(), torch.tensor([0.5, 0.5])))
        """)
    assert out.splitlines() == ["tensor(5.)", "tensor([1., 2.])", "tensor(-0.5199)"]
    text = "".join(warned)
    assert "UserWarning: size_average and reduce args will be deprecated, please use " \
        "reduction='sum' instead." in text
    assert "reduction='none' instead." in text
    assert "UserWarning: reduction: 'mean' divides the total loss by both the batch size " \
        "and the support size." in text


def test_cli_runs_a_program_with_functional_ops(tmp_path: Path) -> None:
    prog = tmp_path / "p.gd"
    prog.write_text(textwrap.dedent("""
        import torch
        import torch.nn.functional as F
        x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        y = F.gelu(x, approximate="tanh").sum() + F.softplus(x, beta=2.0).sum()
        y.backward()
        print(y)
        print(x.grad)
    """))
    res = subprocess.run([sys.executable, "-m", "gradcli", "run", str(prog)],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("tensor(4.8707, grad_fn=<AddBackward0>)\n"
                          "tensor([0.0362, 1.5984, 2.0681])\n")


def test_against_torch_on_random_points() -> None:
    torch = pytest.importorskip("torch")
    from gradcli.ad import ops
    from gradcli.ad.ops import SURFACE
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 5))
    for name, kw in [("softplus", {"beta": 0.5, "threshold": 1.0}), ("gelu", {}),
                     ("mish", {}), ("celu", {"alpha": 0.3}), ("logsigmoid", {})]:
        ours = SURFACE[f"torch.nn.functional.{name}"](ops.tensor(x), **kw)
        theirs = getattr(torch.nn.functional, name)(torch.from_numpy(x), **kw)
        np.testing.assert_allclose(ours.array, theirs.numpy(), rtol=1e-12, atol=1e-14)


def test_loss_backward_functions_are_nodes_of_their_own() -> None:
    out = output("""
    x = torch.tensor([0.2, 0.6, 0.9], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.5, 0.1, 2.0], dtype=torch.float64)
    for l in [F.smooth_l1_loss(x, y), F.huber_loss(x, y, delta=0.5, reduction='sum'),
              F.binary_cross_entropy(x, y.clamp(0, 1))]:
        (g,) = torch.autograd.grad(l, x, create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), x)
        print(g.grad_fn.name(), h.tolist())
    """)
    # torch 2.13: the same names and second derivatives
    assert out.splitlines() == [
        "SmoothL1LossBackwardBackward0 [0.3333333333333333, 0.3333333333333333, 0.0]",
        "HuberLossBackwardBackward0 [1.0, 0.0, 0.0]",
        "BinaryCrossEntropyBackwardBackward0 "
        "[4.427083333277993, 1.967592592576196, 0.4115226337357116]",
    ]
