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
round 18's AVX-512 one included, MKL runs those). Round 20 modelled VML's AVX-512 sqrt
(kernels/vml_avx512.py, chosen by kernels/mkl_path.py); its tanh, exp, tan, … remain.
MKL_ENABLE_INSTRUCTIONS, MKL_CBWR and MKL_DEBUG_CPU_TYPE do not bring the AVX2 paths back
(measured: the same failures). So each kind of kernel has its own list and its own probe:
a test is an expected failure only where the probe of its kind finds this host's PyTorch
away from gradcli's model, and a test listed under two kinds (a program that multiplies
matrices and takes tanh) where either does.
"""

from __future__ import annotations

import functools

#: ATen's vector kernels and the C library: test id (a bare name: all its cases) → the
#: kernel whose host path is not modelled (probe: host_difference).
HOST_DEPENDENT: dict[str, str] = {
    "tests/test_fuzz_trust.py::test_losses_print_torch_bits":
        "the losses' vector functions (fuzz class h)",
    "tests/test_fuzz_trust.py::test_math_ops_print_torch_bits":
        "the math ops' vector functions (fuzz class)",
    "tests/test_fuzz_trust.py::test_reshapes_after_transposes_agree_with_torch":
        "reductions over transposed layouts (AVX-512 order)",
    "tests/test_math_bits.py::test_c_library_float_functions_print_torch_bits[17-torch.float32]":
        "the C library's / MKL's float functions (asinh, acosh, i0, i1, digamma, log_ndtr)",
    "tests/test_math_bits.py::test_c_library_float_functions_print_torch_bits[17-torch.float64]":
        "the C library's / MKL's float functions (asinh, acosh, i0, i1, digamma, log_ndtr)",
    "tests/test_math_bits.py::test_c_library_float_functions_print_torch_bits[300-torch.float32]":
        "the C library's / MKL's float functions (asinh, acosh, i0, i1, digamma, log_ndtr)",
    "tests/test_math_bits.py::test_c_library_float_functions_print_torch_bits[300-torch.float64]":
        "the C library's / MKL's float functions (asinh, acosh, i0, i1, digamma, log_ndtr)",
    "tests/test_math_bits.py::test_c_library_float_functions_print_torch_bits[5-torch.float32]":
        "the C library's / MKL's float functions (asinh, acosh, i0, i1, digamma, log_ndtr)",
    "tests/test_math_bits.py::test_prod_in_vector_order[100-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[100-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[1000-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[1000-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[16-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[16-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[20-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[20-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[31-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[31-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[32-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[32-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[33-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[33-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[64-torch.float32]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits.py::test_prod_in_vector_order[64-torch.float64]":
        "prod's AVX-512 vector order",
    "tests/test_math_bits_walk.py::test_cdist_direct_kernel_is_pytorchs[float64]": "cdist's kernel",
    "tests/test_nn_round14.py::test_softmax_backward_kernels": "softmax's backward kernels",
    "tests/test_nn_round14.py::test_gd_prints_what_pytorch_prints[softmax-backward-bits]":
        "softmax's backward kernels",
    "tests/test_r18_tutorials.py::test_onednn_convolution_prints_what_pytorch_prints":
        "oneDNN's convolutions (measured on an AMD AVX-512 host only)",
    "tests/test_r16_bits.py::test_gd_prints_the_literal[cross_entropy_label_smoothing_gradient]":
        "log_softmax's AVX-512 lanes",
    "tests/test_r16_bits.py::test_gd_prints_the_literal[log_softmax_each_dim_and_dtype]":
        "log_softmax's AVX-512 lanes",
    "tests/test_r16_bits.py::test_the_literal_is_what_pytorch_prints"
    "[cross_entropy_label_smoothing_gradient]":
        "log_softmax's AVX-512 lanes",
    "tests/test_r16_bits.py::test_the_literal_is_what_pytorch_prints"
    "[log_softmax_each_dim_and_dtype]":
        "log_softmax's AVX-512 lanes",
    "tests/test_r16_nn.py::test_gd_prints_what_pytorch_prints[groupnorm-bits]":
        "LayerNorm's / GroupNorm's AVX-512 backward",
    "tests/test_r16_nn.py::test_gd_prints_what_pytorch_prints[layernorm-backward-bits]":
        "LayerNorm's / GroupNorm's AVX-512 backward",
    "tests/test_r16_nn.py::test_group_norm_bits": "GroupNorm's AVX-512 kernels",
    "tests/test_r16_nn.py::test_layer_norm_backward_bits": "LayerNorm's AVX-512 backward",
    "tests/test_r16_vml.py::test_program_matches_torch[gelu_noncontiguous]":
        "oneDNN's AVX-512 GELU",
    "tests/test_r16_vml.py::test_vector_erf_is_the_c_librarys[erf]": "the vector erf / erfc",
    "tests/test_r16_vml.py::test_vector_erf_is_the_c_librarys[erfc]": "the vector erf / erfc",
    "tests/test_r17_nn.py::test_batch_norm_backward_planes_bits": "batch_norm's AVX-512 backward",
    # round 19's sweeps (fitted on an AVX2 host; the kernels above differ on AVX-512 ones)
    "tests/test_r19_kernel_sweeps.py::test_softmax_along_every_dim_is_pytorchs":
        "softmax's backward kernels",
    "tests/test_r19_kernel_sweeps.py::test_log_softmax_along_every_dim_is_pytorchs":
        "log_softmax's AVX-512 lanes",
    "tests/test_r19_kernel_sweeps.py::test_layer_norm_and_group_norm_are_pytorchs":
        "LayerNorm's / GroupNorm's AVX-512 backward",
    "tests/test_r19_kernel_sweeps.py::test_batch_norm_is_pytorchs": "batch_norm's AVX-512 kernels",
    "tests/test_r19_kernel_sweeps.py::test_sums_of_permuted_views_are_pytorchs":
        "reductions over transposed layouts (AVX-512 order)",
    "tests/test_real_round13.py::test_prints_what_pytorch_prints[batchnorm1d-bits]":
        "batch_norm's AVX-512 kernels",
    "tests/test_special_ulps.py::test_erfcx_ndtri_log_ndtr_are_pytorchs_bit_for_bit[float64]":
        "float64 erfcx / ndtri / log_ndtr",
    "tests/test_special_ulps.py::test_special_function_is_within_its_measured_ulps[float64-erfcx]":
        "float64 log_ndtr",
    "tests/test_special_ulps.py::test_special_function_is_within_its_measured_ulps"
    "[float64-log_ndtr]":
        "float64 log_ndtr",
    "tests/test_special_ulps.py::test_special_function_is_within_its_measured_ulps[float64-ndtri]":
        "float64 log_ndtr",
}

#: MKL's BLAS and LAPACK (gemm, gemv, dot, solvers): test id → kernel (probe: blas_difference).
MKL_BLAS: dict[str, str] = {
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


#: MKL's vector math functions (VML) on its AVX-512 path where gradcli has no exact model
#: yet (float32 tanh, exp, log, tan, asin, acos; float64 tanh: README, "Last bits and your
#: CPU"): test id → kernel (probe: vml_difference). sqrt is modelled on both paths
#: (kernels/vml_avx512.py): the optimisers' tests run everywhere. The programs below also
#: multiply matrices (MKL_BLAS): whether VML alone would fail them is not known.
MKL_VML: dict[str, str] = {
    "tests/test_distributions_extra.py::test_expected_text_is_pytorchs[inv_solve_ex_info]":
        "MKL's vector math (VML)",
    "tests/test_autograd_round11.py::test_prints_what_pytorch_prints"
    "[tensordot-inner-take-along-nodes]":
        "MKL's vector math (VML)",
    "tests/test_nn_breadth.py::test_pytorch_prints_the_same[batchnorm-mlp-training]":
        "MKL's vector math (VML)",
    "tests/test_nn_round11.py::test_gd_prints_what_pytorch_prints[bmm-attention-weights]":
        "MKL's vector math (VML)",
    "tests/test_nn_round14.py::test_gd_prints_what_pytorch_prints[custom-optimizer-setstate]":
        "MKL's vector math (VML)",
    "tests/test_pylang_round13.py::test_the_literal_is_what_pytorch_prints[imagenet_meters]":
        "MKL's vector math (VML)",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[gradient_penalty]":
        "MKL's vector math (VML)",
    "tests/test_r15_autograd.py::test_gd_prints_what_pytorch_prints[linear_forward_bits]":
        "MKL's vector math (VML)",
    "tests/test_r15_nn.py::test_gd_prints_what_pytorch_prints[cnn-loss-bits]":
        "MKL's vector math (VML)",
    "tests/test_r16_blas.py::test_real_code_probes_print_pytorchs_digits[logreg]":
        "MKL's vector math (VML)",
    "tests/test_r16_blas.py::test_real_code_probes_print_pytorchs_digits[pinn]":
        "MKL's vector math (VML)",
    "tests/test_r16_nn.py::test_gd_prints_what_pytorch_prints[rnn-batch-first-layout]":
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
    """None when PyTorch here runs the kernels the models were measured on (or torch is
    absent: the tests skip); else what differs."""
    import numpy as np

    from gradcli.ad.kernels import vecmath

    if vecmath.lanes(np.dtype(np.float32)) != 8:
        return "this CPU has AVX-512 (gradcli and PyTorch take their AVX-512 kernels)"
    try:
        import torch
    except ImportError:
        return None
    capability = torch.backends.cpu.get_cpu_capability()
    if capability != "AVX2":
        return f"PyTorch runs its {capability} kernels on this CPU"
    from gradcli.ad import ops as F
    from gradcli.ad.ops import math as M

    x = np.linspace(-30, 30, 301, dtype=np.float32)
    if not np.array_equal(M.asinh(F.tensor(x)).array, torch.asinh(torch.from_numpy(x)).numpy()):
        return "this CPU's C library / MKL paths give other float32 asinh bits"
    return None


@functools.cache
def blas_difference() -> str | None:
    """None when this host's MKL multiplies matrices in the orders gradcli models (or torch
    is absent); else what differs. Probes: nn.Linear's x @ Wᵀ and X @ W in float32, a
    matrix-vector product in float64."""
    try:
        import torch
    except ImportError:
        return None
    import numpy as np

    from gradcli.ad.kernels import linalg

    def t(x: np.ndarray) -> torch.Tensor:  # PyTorch's own (64-byte aligned) copy
        return torch.from_numpy(np.ascontiguousarray(x)).clone()

    rng = np.random.default_rng(20)
    a32 = rng.standard_normal((8, 10)).astype(np.float32)
    b32 = rng.standard_normal((10, 10)).astype(np.float32)
    a64, v64 = rng.standard_normal((7, 29)), rng.standard_normal(29)
    probes = [
        (linalg.mm(a32, b32), t(a32) @ t(b32)),
        (linalg.mm(a32, b32.T), t(a32) @ t(b32).T),
        (linalg.mv(a64, v64), torch.mv(t(a64), t(v64))),
    ]
    for ours, theirs in probes:
        if not np.array_equal(np.asarray(ours), theirs.numpy()):
            return "this CPU's MKL takes other matrix product kernels (Intel: its AVX-512 ones)"
    return None


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
         (MKL_VML, vml_difference)]


def _listed(nodeid: str, tests: dict[str, str]) -> str | None:
    for prefix, kernels in tests.items():
        if nodeid == prefix or nodeid.startswith(prefix + "["):
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
