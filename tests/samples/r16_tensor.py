"""Samples: round 16's tensor-area spellings (gradcli/ad/ops/spellings16.py) and
torch.special's polynomials and Bessel functions (gradcli/ad/ops/special_polys.py; their
bit-exact sweeps are in tests/test_r16_tensor.py)."""

from samples import X, sample, untested

sample("torch.unsafe_split", X("mn"), 2)
sample("Tensor.unsafe_split", X("m3"), 1, 1)
sample("torch.unsafe_chunk", X("mn"), 2, 1)
sample("Tensor.unsafe_chunk", X("mn"), 2)
sample("torch.unsafe_split_with_sizes", X("m4"), [1, 3], 1)
sample("Tensor.unsafe_split_with_sizes", X("4n"), [3, 1])
sample("torch.alias_copy", X("mn"))
sample("torch.slice_copy", X("m4"), 1, 1, 3)
sample("torch.fill", X("mn"), 2.5)
untested("torch.frobenius_norm", "deprecated (warns): tests/test_r16_tensor.py")
untested("torch.nuclear_norm", "deprecated (warns): tests/test_r16_tensor.py")
sample("torch.constant_pad_nd", X("mn"), (1, 2), 0.5)
sample("torch.nonzero_static", X("mn", "int", dtype="int64"), size=4)
sample("Tensor.nonzero_static", X("mn", "int", dtype="int64"), size=2, fill_value=7)
sample("Tensor.share_memory_", X("mn", grad=False), grad=False)
untested("torch.empty_strided", "uninitialised values: tests/test_r16_tensor.py checks "
         "shape, strides and dtype")
untested("Tensor.new_empty_strided", "uninitialised: tests/test_r16_tensor.py")
untested("torch.empty_permuted", "uninitialised: tests/test_r16_tensor.py")
untested("Tensor.is_set_to", "a bool of two tensors' memory: tests/test_r16_tensor.py")
untested("torch.is_distributed", "False on one process: tests/test_r16_tensor.py")

for name in ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
             "chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
             "laguerre_polynomial_l", "legendre_polynomial_p", "shifted_chebyshev_polynomial_t",
             "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
             "shifted_chebyshev_polynomial_w"):
    sample(f"torch.special.{name}", X(grad=False), 3, grad=False)
    sample(f"torch.special.{name}", X(dtype="float32", grad=False), 9, grad=False)
for name in ("spherical_bessel_j0", "modified_bessel_i0", "modified_bessel_i1",
             "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0",
             "scaled_modified_bessel_k1", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
             "airy_ai"):
    domain = "positive" if "k" in name.split("_")[-1] or name.endswith(("y0", "y1")) \
        else "real"
    sample(f"torch.special.{name}", X(domain=domain, grad=False), grad=False)
    sample(f"torch.special.{name}", X(domain=domain, dtype="float32", grad=False), grad=False)
