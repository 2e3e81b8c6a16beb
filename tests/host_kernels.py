"""Tests whose last bits come from kernels that differ between CPUs, and whether this host
runs the kernels gradcli's models were measured on.

gradcli reproduces PyTorch's CPU arithmetic bit for bit by modelling its kernels: SLEEF's
and MKL's vector functions, the C library's float functions, oneDNN's convolutions and
normalisations, ATen's vector loops. Which kernels PyTorch runs depends on the CPU: its
CPU capability (AVX2 or AVX-512: torch.backends.cpu.get_cpu_capability()), the oneDNN ISA
and the code path MKL picks for the processor. The models were measured on AVX2 hosts
(rounds 10-17) and, for the convolutions and vector widths, on AVX-512 too (round 18); on
an AMD EPYC host with AVX-512 (round 18's machine) the tests listed below fail because
these kernels take paths gradcli does not model yet (README, "Last bits and your CPU").

On a host whose PyTorch runs the modelled kernels (the fingerprint below) these tests run
as every other and must pass. On another host they are expected failures (xfail, not
strict: a pass is reported as XPASS), so CI stays meaningful on both kinds of machine and
the list says exactly what is not yet modelled there. Each entry is a test id (the
failures of the whole suite on round 18's host).

Round 20's host, an Intel Xeon (family 6, model 207) with AVX-512, showed that MKL picks its
code path by processor too: on Intel it runs its AVX-512 kernels for the matrix products
(BLAS, LAPACK) and the vector math functions (VML: float32 sqrt, tanh, exp, tan, pow...),
whose orders and last bits differ from the AVX2 paths gradcli models (on AMD processors,
round 18's AVX-512 one included, MKL runs those). MKL_ENABLE_INSTRUCTIONS, MKL_CBWR and
MKL_DEBUG_CPU_TYPE do not bring them back (measured: the same failures). So each kind of
kernel has its own list and its own probe: a test is an expected failure only where the
probe of its kind finds this host's PyTorch away from gradcli's model, and a test listed
under two kinds (a program that multiplies matrices and takes tanh) where either does.
Round 20 modelled MKL's AVX-512 sgemm and sdot/ddot (kernels/mkl_avx512.py) and VML's
AVX-512 sqrt (kernels/vml_avx512.py), both chosen by kernels/mkl_path.mkl_avx512(); what
it does not model yet is MKL_BLAS_AVX512's list and VML's tanh, exp, tan, ... (MKL_VML).
"""

from __future__ import annotations

import functools
import re

#: oneDNN's and ATen's kernels and the C library: test id (a bare name: all its cases) →
#: the kernel whose host path is not modelled (probe: host_difference). Round 20 made the
#: rest exact on an Intel AVX-512 host (tests/test_r20_avx512.py sweeps them): numpy's own
#: AVX-512 float64 loops had stood in for the C library's (gradcli/__init__.py turns them
#: off), and ATen runs its AVX2 build of every kernel it does not register for AVX-512
#: (kernels/vecmath.lanes).
HOST_DEPENDENT: dict[str, str] = {
    "tests/test_r18_tutorials.py::test_onednn_convolution_prints_what_pytorch_prints":
        "oneDNN's AVX-512 convolutions (fitted on AMD's: 33 input channels take another "
        "order on Intel's)",
}

#: MKL's BLAS and LAPACK (gemm, gemv, dot, solvers): test id → kernel (probe: blas_difference).
MKL_BLAS: dict[str, str] = {
    # round 22: 64×1000 by 1000×100 products, past what the AVX2 models were measured on
    "tests/test_r22_lead.py::test_the_tutorials_two_layer_net_prints_pytorchs_losses":
        "MKL's matrix products",
    # round 20 (avx512): their ATen kernels are exact on AVX-512 now; nn.Linear is not
    "tests/test_nn_round14.py::test_gd_prints_what_pytorch_prints[softmax-backward-bits]":
        "MKL's matrix products",
    "tests/test_fuzz_trust.py::test_math_ops_print_torch_bits": "MKL's matrix products (addmv)",
    "tests/test_distributions_extra.py::test_expected_text_is_pytorchs[inv_solve_ex_info]":
        "MKL's matrix products",
    "tests/test_fastpath_linalg.py::test_w2_backward_is_a_plain_numpy_reverse_pass":
        "MKL's matrix products",
    "tests/test_autograd_round11.py::test_prints_what_pytorch_prints"
    "[tensordot-inner-take-along-nodes]":
        "MKL's matrix products",
    "tests/test_math_bits.py::test_addmm_from_the_scaled_input": "MKL's matrix products",
    "tests/test_math_bits.py::test_addmv_of_a_column_major_matrix": "MKL's matrix products",
    "tests/test_math_bits_walk.py::test_mv_of_a_transposed_matrix_sums_in_order":
        "MKL's matrix products",
    "tests/test_nn_breadth.py::test_pytorch_prints_the_same[batchnorm-mlp-training]":
        "MKL's matrix products",
    "tests/test_nn_round11.py::test_gd_prints_what_pytorch_prints[bmm-attention-weights]":
        "MKL's matrix products",
    "tests/test_nn_round14.py::test_gd_prints_what_pytorch_prints[custom-optimizer-setstate]":
        "MKL's matrix products",
    "tests/test_pylang_round13.py::test_the_literal_is_what_pytorch_prints[imagenet_meters]":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[gradient_penalty]":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[higher_orders_elementwise]":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[higher_orders_reductions]":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[linear_forward_bits]":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_products_by_a_transposed_matrix_are_pytorchs":
        "MKL's matrix products",
    "tests/test_r15_autograd.py::test_fma_chain_products_are_pytorchs": "MKL's matrix products",
    "tests/test_r15_autograd.py::test_calls_made_for_their_effect_are_no_result":
        "MKL's matrix products",
    "tests/test_r15_nn.py::test_gd_prints_what_pytorch_prints[cnn-loss-bits]":
        "MKL's matrix products",
    "tests/test_r16_blas.py::test_matrix_vector_products_are_pytorchs": "MKL's matrix products",
    "tests/test_r16_blas.py::test_dot_products_are_pytorchs": "MKL's matrix products",
    "tests/test_r16_blas.py::test_matrix_products_past_the_chains_are_pytorchs":
        "MKL's matrix products",
    "tests/test_r16_blas.py::test_linear_to_one_output_prints_pytorchs_digits":
        "MKL's matrix products",
    "tests/test_r16_blas.py::test_real_code_probes_print_pytorchs_digits[logreg]":
        "MKL's matrix products",
    "tests/test_r16_blas.py::test_real_code_probes_print_pytorchs_digits[pinn]":
        "MKL's matrix products",
    "tests/test_r16_nn.py::test_gd_prints_what_pytorch_prints[rnn-batch-first-layout]":
        "MKL's matrix products",
    "tests/test_r16_tensor.py::test_the_text_is_pytorchs[deprecated_norms]":
        "MKL's matrix products",
    "tests/test_r17_kernels.py::test_matrix_products_are_pytorchs": "MKL's matrix products",
    "tests/test_r17_kernels.py::test_mm_gradients_take_atens_orientation": "MKL's matrix products",
    "tests/test_r17_kernels.py::test_softmax_regression_products_print_pytorchs_digits":
        "MKL's matrix products",
    "tests/test_r17_kernels.py::test_training_loops_print_pytorchs_digits": "MKL's matrix products",
    "tests/test_r18_real_b.py::test_create_graph_program_prints_what_pytorch_prints[pinn_sums]":
        "MKL's matrix products",
    "tests/test_r18_tutorials.py::test_linear_forward_is_pytorchs": "MKL's matrix products",
    "tests/test_r18_tutorials.py::test_mnist_shaped_linear_prints_what_pytorch_prints":
        "MKL's matrix products",
    "tests/test_real_round13.py::test_prints_what_pytorch_prints[forward-mode-elementwise]":
        "MKL's matrix products",
    "tests/test_kernel_bits.py::test_small_matrix_products_are_pytorchs": "MKL's matrix products",
    "tests/test_language_protocols.py::test_program_prints_what_python_prints[makemore-layers]":
        "MKL's matrix products",
    "tests/test_language_protocols.py::test_program_prints_what_python_prints[batchnorm-class]":
        "MKL's matrix products",
    "tests/test_tensor_round9.py::test_expected_text_is_pytorchs[linalg_ex_cond_tensorinv]":
        "MKL's matrix products",
}


_GAP = "MKL's AVX-512 matrix products (sgemv 'N', float64 past one k block, odd small shapes)"
_AVX2_LITERAL = ("the expected text is the AVX2 host's digits; MKL's AVX-512 gemv, "
                 "modelled, gives PyTorch's other ones here")

#: MKL's BLAS on its AVX-512 path (Intel processors with AVX-512; round 20's host): the
#: tests whose products it takes in orders gradcli does not model yet (kernels/mkl_avx512,
#: mkl_gemv512, mkl_dgemv512: float32 Xᵀ @ g of 41-69 outputs past k = 500, mv past
#: 2,048 products; float64 Xᵀ @ g of 59-69 outputs past k = 127; float64 dgemm past one k block
#: and its addmm; x @ Wᵀ below 16 rows with n < 4 or k < 16, except 2-3 columns up to
#: k = 63 (round 22); Xᵀ @ Wᵀ below 8 rows, k ≤ n), and golden texts of the AVX2 host's digits
#: where gd now prints PyTorch's AVX-512 ones. Probe: avx512_blas_gap. On other hosts these run.
#: A '*' in an entry matches any text.
MKL_BLAS_AVX512: dict[str, str] = {
    # (round 23 made five more exact: float32 x @ Wᵀ of a small batch, 4-11 columns with
    # k < 16 and 2-3 columns from k = 24·m; float64 dgemm past one k block)
    "tests/test_distributions_extra.py::test_expected_text_is_pytorchs[inv_solve_ex_info]": _GAP,
    # round 22: MKL's AVX-512 sgetrf (kernels/mkl_lapack_lu) leaves float32 [[1..9]]
    # nonsingular (info 0, a huge inverse), as PyTorch there; the golden text is AVX2's info 3
    "tests/test_distributions_extra.py::test_prints_what_pytorch_prints[inv_solve_ex_info]": _GAP,
    # float64 gemv past 2,048 products keeps numpy's BLAS (mkl_dgemv512's emulated fused
    # multiply-adds cost ~0.3 ms a 64×64 call: bench W2 float64 went 15 -> 312 µs an op)
    "tests/test_r16_blas.py::test_matrix_vector_products_are_pytorchs[float64-(64, 64)]": _GAP,
    "tests/test_r16_blas.py::test_matrix_vector_products_are_pytorchs[float64-(3, 784)]": _GAP,
    "tests/test_r16_blas.py::test_matrix_vector_products_are_pytorchs[float64-(40, 200)]": _GAP,
    "tests/test_r17_kernels.py::test_matrix_products_are_pytorchs"
    "[(128, 1, 28, 'tn', 'float64')]": _GAP,
    "tests/test_r17_kernels.py::test_matrix_products_are_pytorchs"
    "[(20, 1, 784, 'tn', 'float64')]": _GAP,
    "tests/test_math_bits.py::test_addmm_from_the_scaled_input[*-torch.float64]": _GAP,
    "tests/test_math_bits.py::test_addmm_from_the_scaled_input"
    "[beta=0, alpha=0.7-shape4-torch.float32]": _GAP,
    "tests/test_math_bits.py::test_addmm_from_the_scaled_input"
    "[beta=1, alpha=1-shape4-torch.float32]": _GAP,
    "tests/test_math_bits.py::test_addmv_of_a_column_major_matrix": _GAP,
    "tests/test_nn_round11.py::test_gd_prints_what_pytorch_prints[bmm-attention-weights]": _GAP,
    # gd against a literal of the AVX2 host's digits: on MKL's AVX-512 path gd now prints
    # PyTorch's (its gemv, round 21), which differ from the literal there
    "tests/test_nn_breadth.py::test_prints_what_pytorch_prints[batchnorm-mlp-training]":
        _AVX2_LITERAL,
    "tests/test_pylang_round13.py::test_gd_prints_what_python_prints[imagenet_meters]":
        _AVX2_LITERAL,
    "tests/test_pylang_round13.py::test_the_literal_is_what_pytorch_prints[imagenet_meters]": _GAP,
    "tests/test_r15_autograd.py::test_products_by_a_transposed_matrix_are_pytorchs"
    "[float64-(2, 4, 8)]": _GAP,
    "tests/test_r15_autograd.py::test_products_by_a_transposed_matrix_are_pytorchs"
    "[float64-(3, 12, 16)]": _GAP,
    "tests/test_r15_autograd.py::test_products_by_a_transposed_matrix_are_pytorchs"
    "[float64-(2, 64, 4)]": _GAP,
    "tests/test_r16_blas.py::test_matrix_products_past_the_chains_are_pytorchs"
    "[(5, 3, 100, 'nt')]": _GAP,
    "tests/test_r16_tensor.py::test_the_text_is_pytorchs[deprecated_norms]": _GAP,
    "tests/test_r17_kernels.py::test_matrix_products_are_pytorchs"
    "[(1, 1, 31, 'nn', 'float64')]": _GAP,
    "tests/test_r17_kernels.py::test_matrix_products_are_pytorchs"
    "[(1, 1, 300, 'nn', 'float64')]": _GAP,
    "tests/test_r18_real_b.py::test_create_graph_program_prints_what_pytorch_prints"
    "[pinn_sums]": _GAP,
    "tests/test_r18_real_b.py::test_create_graph_program_prints_what_pytorch_prints"
    "[heat_pinn]":
        "MKL's AVX-512 matrix products (one of its create_graph products: the AVX2 model "
        "happens to match there, the AVX-512 one not; not found yet)",
    "tests/test_r18_tutorials.py::test_linear_forward_is_pytorchs[(2, 500, 784)]": _GAP,
    "tests/test_language_protocols.py::test_program_prints_what_python_prints"
    "[makemore-layers]": _GAP,
    "tests/test_language_protocols.py::test_program_prints_what_python_prints"
    "[batchnorm-class]": _GAP,
    "tests/test_tensor_round9.py::test_expected_text_is_pytorchs[linalg_ex_cond_tensorinv]": _GAP,
}


#: MKL's vector math functions (VML) on its AVX-512 path where gradcli has no exact model
#: yet (float32 tanh, exp, log, tan, asin, acos; float64 tanh: README, "Last bits and your
#: CPU"): test id → kernel (probe: vml_difference). sqrt is modelled on both paths
#: (kernels/vml_avx512.py): the optimisers' tests run everywhere. The programs below also
#: multiply matrices (MKL_BLAS): whether VML alone would fail them is not known.
MKL_VML: dict[str, str] = {
    # round 20 (avx512): their ATen kernels are exact on AVX-512 now; MKL's tanh and sqrt
    # (nn.Tanh, Adam's) are not
    "tests/test_nn_round14.py::test_gd_prints_what_pytorch_prints[softmax-backward-bits]":
        "MKL's vector math (VML)",
    "tests/test_real_round13.py::test_prints_what_pytorch_prints[batchnorm1d-bits]":
        "MKL's vector math (VML)",
    "tests/test_fuzz_trust.py::test_math_ops_print_torch_bits": "MKL's vector math (VML)",
    "tests/test_distributions_extra.py::test_expected_text_is_pytorchs[inv_solve_ex_info]":
        "MKL's vector math (VML)",
    "tests/test_autograd_round11.py::test_prints_what_pytorch_prints"
    "[tensordot-inner-take-along-nodes]":
        "MKL's vector math (VML)",
    "tests/test_nn_round11.py::test_gd_prints_what_pytorch_prints[bmm-attention-weights]":
        "MKL's vector math (VML)",
    "tests/test_pylang_round13.py::test_the_literal_is_what_pytorch_prints[imagenet_meters]":
        "MKL's vector math (VML)",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[gradient_penalty]":
        "MKL's vector math (VML)",
    "tests/test_r15_nn.py::test_gd_prints_what_pytorch_prints[cnn-loss-bits]":
        "MKL's vector math (VML)",
    "tests/test_r16_tensor.py::test_the_text_is_pytorchs[deprecated_norms]":
        "MKL's vector math (VML)",
    "tests/test_r18_real_b.py::test_create_graph_program_prints_what_pytorch_prints[pinn_sums]":
        "MKL's vector math (VML)",
    "tests/test_language_protocols.py::test_program_prints_what_python_prints[makemore-layers]":
        "MKL's vector math (VML)",
    "tests/test_language_protocols.py::test_program_prints_what_python_prints[batchnorm-class]":
        "MKL's vector math (VML)",
    "tests/test_tensor_round9.py::test_expected_text_is_pytorchs[linalg_ex_cond_tensorinv]":
        "MKL's vector math (VML)",
    "tests/test_r16_vml.py::test_tan32_against_torch":
        "MKL's AVX-512 tan (the double tan rounded: 0.5% differ)",
    "tests/test_kernel_bits.py::test_float32_unary_bits_are_pytorchs[tanh]": "MKL's AVX-512 tanh",
}


@functools.cache
def host_difference() -> str | None:
    """None when PyTorch here runs the kernels gradcli models (or torch is absent: the
    tests skip); else what differs. Probes: numpy's float64 loops (the C library's, as
    gradcli asks), float32 asinh (the C library), and oneDNN's convolution of 33 input
    channels (on an AVX-512 CPU: measured on AMD's, not Intel's)."""
    import numpy as np

    from gradcli.ad.kernels import vecmath

    if not vecmath.numpy_is_libm():
        return "numpy runs its own AVX-512 float64 loops (it was imported before gradcli)"
    try:
        import torch
    except ImportError:
        return None
    from gradcli.ad import ops as F
    from gradcli.ad.ops import conv
    from gradcli.ad.ops import math as M

    x = np.linspace(-30, 30, 301, dtype=np.float32)
    if not np.array_equal(M.asinh(F.tensor(x)).array, torch.asinh(torch.from_numpy(x)).numpy()):
        return "this CPU's C library gives other float32 asinh bits"
    rng = np.random.default_rng(20)
    a = rng.standard_normal((1, 33, 7, 7)).astype(np.float32)
    w = rng.standard_normal((3, 33, 3, 3)).astype(np.float32)
    ours = conv.conv2d(F.tensor(a), F.tensor(w), padding=1).array
    theirs = torch.nn.functional.conv2d(torch.from_numpy(a), torch.from_numpy(w), padding=1)
    if not np.array_equal(ours, theirs.numpy()):
        return "oneDNN takes another convolution kernel on this CPU"
    return None


@functools.cache
def blas_difference() -> str | None:
    """None when this host's MKL multiplies matrices in the orders gradcli models (or torch
    is absent); else what differs. Probes: nn.Linear's x @ Wᵀ and X @ W in float32, a
    matrix-vector product in float64 (MKL's AVX2 path); on its AVX-512 path (Intel) the
    products kernels/mkl_avx512 models: x @ Wᵀ + b, X @ W, Xᵀ @ W, dot."""
    try:
        import torch
    except ImportError:
        return None
    import numpy as np

    from gradcli.ad.kernels import linalg
    from gradcli.ad.kernels import nn as KN
    from gradcli.ad.kernels.mkl_path import mkl_avx512

    def t(x: np.ndarray) -> torch.Tensor:  # PyTorch's own (64-byte aligned) copy
        return torch.from_numpy(np.ascontiguousarray(x)).clone()

    rng = np.random.default_rng(20)
    a32 = rng.standard_normal((8, 10)).astype(np.float32)
    b32 = rng.standard_normal((10, 10)).astype(np.float32)
    if mkl_avx512():
        x = rng.standard_normal((32, 784)).astype(np.float32)
        w = rng.standard_normal((10, 784)).astype(np.float32)
        bias = rng.standard_normal(10).astype(np.float32)
        v = rng.standard_normal(100)
        probes = [
            (linalg.mm(a32, b32), t(a32) @ t(b32)),
            (linalg.mm(a32.T, a32), t(a32).t() @ t(a32)),
            (KN.linear(x, w, bias), torch.nn.functional.linear(t(x), t(w), t(bias))),
            (linalg.dot(v, v), torch.dot(t(v), t(v))),
        ]
    else:
        a64, v64 = rng.standard_normal((7, 29)), rng.standard_normal(29)
        probes = [
            (linalg.mm(a32, b32), t(a32) @ t(b32)),
            (linalg.mm(a32, b32.T), t(a32) @ t(b32).T),
            (linalg.mv(a64, v64), torch.mv(t(a64), t(v64))),
        ]
    for ours, theirs in probes:
        if not np.array_equal(np.asarray(ours), theirs.numpy()):
            return "this CPU's MKL takes other matrix product kernels than gradcli models"
    return None


@functools.cache
def avx512_blas_gap() -> str | None:
    """What gradcli does not model of MKL's AVX-512 BLAS, where this host's MKL runs it
    (an Intel CPU with AVX-512, torch present); else None."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return None
    from gradcli.ad.kernels.mkl_path import mkl_avx512

    return "MKL runs its AVX-512 kernels on this Intel CPU" if mkl_avx512() else None


@functools.cache
def vml_difference() -> str | None:
    """None when this host's MKL vector math gives the bits gradcli models (or torch is
    absent); else what differs. Probes: float32 sqrt (vsSqrt, modelled on MKL's AVX2 and
    AVX-512 paths: a difference there is a path gradcli does not know) and tanh (vsTanh,
    modelled on the AVX2 path only)."""
    try:
        import torch
    except ImportError:
        return None
    import numpy as np

    from gradcli.ad import ops as F
    from gradcli.ad.kernels.mkl_path import mkl_avx512

    rng = np.random.default_rng(20)
    x = (rng.random(4096) * 10).astype(np.float32)
    if not np.array_equal(F.sqrt(F.tensor(x)).array, torch.from_numpy(x).sqrt().numpy()):
        return "this CPU's MKL takes vector math kernels gradcli does not know (sqrt differs)"
    if not np.array_equal(F.tanh(F.tensor(x - 5)).array, torch.from_numpy(x - 5).tanh().numpy()):
        if mkl_avx512():
            return "this CPU's MKL takes its AVX-512 vector math (Intel), tanh/exp/tan not modelled"
        return "this CPU's MKL takes other vector math kernels"
    return None


#: Each kind of host-dependent kernel: its tests, and its probe.
KINDS = [(HOST_DEPENDENT, host_difference), (MKL_BLAS, blas_difference),
         (MKL_BLAS_AVX512, avx512_blas_gap), (MKL_VML, vml_difference)]


def _listed(nodeid: str, tests: dict[str, str]) -> str | None:
    for prefix, kernels in tests.items():
        if "*" in prefix:
            if re.fullmatch(".*".join(map(re.escape, prefix.split("*"))), nodeid):
                return kernels
        elif nodeid == prefix or nodeid.startswith(prefix + "["):
            return kernels
    return None


def reason(nodeid: str) -> str | None:
    """Why the test `nodeid` is expected to fail on this host, or None."""
    for tests, probe in KINDS:
        kernels = _listed(nodeid, tests)
        if kernels is not None:
            why = probe()
            if why is not None:
                return f"{kernels}: {why} (not modelled)"
    return None
