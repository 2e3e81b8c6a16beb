"""Samples of round 9's tensor surface (gradcli/ad/ops/tensor_extras.py and neighbours)."""

from samples import Index, Mask, X, sample, untested

for _name in ("byte", "char", "short", "half"):
    sample(f"Tensor.{_name}", X("mn", domain="int"), grad=False)
sample("Tensor.half", X("mn"), grad=False)

# in-place function spellings: the method's kernel
for _name in ("exp_", "sin_", "cos_", "tanh_", "sigmoid_", "atan_", "arctan_",
              "ceil_", "floor_", "round_", "trunc_", "fix_", "frac_", "neg_",
              "negative_", "square_", "erf_", "erfc_", "expm1_", "exp2_", "sinh_", "cosh_",
              "tan_", "deg2rad_", "rad2deg_", "sinc_", "i0_", "zero_", "nan_to_num_"):
    sample(f"torch.{_name}", X())
for _name in ("abs_", "reciprocal_"):
    sample(f"torch.{_name}", X(domain="nonzero"))
for _name in ("log_", "log2_", "log10_", "sqrt_", "rsqrt_"):
    sample(f"torch.{_name}", X(domain="positive"))
for _name in ("acos_", "arccos_", "asin_", "arcsin_"):
    sample(f"torch.{_name}", X(domain="unit"))
# x.asinh_() & co. have no derivative in PyTorch (tests/test_ops_math.py checks the error)
for _name in ("atanh_", "arctanh_"):
    sample(f"torch.{_name}", X(domain="unit"), grad=False)
for _name in ("acosh_", "arccosh_"):
    sample(f"torch.{_name}", X(domain="above1"), grad=False)
for _name in ("asinh_", "arcsinh_"):
    sample(f"torch.{_name}", X(), grad=False)
sample("torch.log1p_", X(domain="positive"))
sample("torch.logit_", X(domain="prob"))
sample("torch.clamp_", X(), -0.5, 0.5)
sample("torch.clip_", X(), -0.5, 0.5)
sample("torch.clamp_min_", X(), 0.1)
sample("torch.clamp_max_", X(), 0.1)
sample("torch.fill_", X("mn"), 0.25)
sample("torch.xlogy_", X(), X(domain="positive"))
sample("torch.ldexp_", X(), X(domain="small_int", grad=False))
sample("torch.addmv_", X("m"), X("mn"), X("n"))
sample("torch.index_put_", X("mn"), (Index("k", high="m"),), X("n"), accumulate=True)

# Tensor in-place spellings made from their functions
for _name in ("eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "greater_equal_", "less_",
              "less_equal_", "not_equal_"):
    sample(f"Tensor.{_name}", X(domain="small_int", grad=False), X(domain="small_int"))
for _name in ("logical_and_", "logical_or_", "logical_xor_"):
    sample(f"Tensor.{_name}", Mask(), Mask())
sample("Tensor.logical_not_", Mask())
for _name in ("bitwise_and_", "bitwise_or_", "bitwise_xor_"):
    sample(f"Tensor.{_name}", X(domain="int", dtype="int64"), X(domain="int", dtype="int64"))
for _name in ("bitwise_left_shift_", "bitwise_right_shift_"):
    sample(f"Tensor.{_name}", X(domain="int", dtype="int64"),
           X(domain="small_int", dtype="int64"))
sample("Tensor.bitwise_not_", X(domain="int", dtype="int64"))
sample("Tensor.divide_", X(), X(domain="nonzero"))
sample("Tensor.multiply_", X(), X())
sample("Tensor.subtract_", X(), X(), alpha=2)
sample("Tensor.negative_", X())
sample("Tensor.absolute_", X(domain="nonzero"))
sample("Tensor.clip_", X(), -0.5, 0.5)
sample("Tensor.nextafter_", X(grad=False), X(grad=False), grad=False)
sample("Tensor.ldexp_", X(), X(domain="small_int", grad=False))
sample("torch.absolute", X(domain="nonzero"))

# a real tensor's complex views
for _name in ("real", "conj", "conj_physical", "resolve_conj", "resolve_neg"):
    sample(f"torch.{_name}", X())
sample("torch.is_conj", X(), grad=False)
sample("torch.is_neg", X(), grad=False)
sample("torch.isreal", X(), grad=False)
sample("torch.angle", X(domain="nonzero"))
untested("torch.imag", "a real tensor's error: tests/test_tensor_round9.py")

# shapes and copies
sample("Tensor.sum_to_size", X("m3"), 1, 3)
sample("Tensor.sum_to_size", X("m3"), (3,))
sample("Tensor.sum_to_size", X("23"), [2, 1])
sample("torch.split_with_sizes", X("m4"), [1, 3], 1)
sample("torch.narrow_copy", X("mn"), 0, 0, 1)
sample("torch.permute_copy", X("mnk"), (2, 0, 1))
sample("torch.t_copy", X("mn"))
sample("torch.transpose_copy", X("mn"), 0, 1)
sample("torch.diagonal_copy", X("mn"))
sample("torch.select_copy", X("mn"), 0, 0)
sample("torch.squeeze_copy", X("m1n"))
sample("torch.unsqueeze_copy", X("mn"), 1)
sample("torch.unbind_copy", X("mn"), 1)
sample("torch.view_copy", X("mn"), (-1,))
sample("torch.expand_copy", X("1n"), (2, -1))
sample("torch.unfold_copy", X("m4"), 1, 2, 1)
sample("torch.split_copy", X("m4"), 2, 1)
sample("torch.split_with_sizes_copy", X("m4"), [1, 3], 1)
untested("Tensor.new", "uninitialised values for sizes: tests/test_tensor_round9.py")

# tensor_math: integer math, composites, windows, histograms, scatters
sample("torch.gcd", X(domain="int", dtype="int64"), X(domain="int", dtype="int64"))
sample("torch.lcm", X(domain="int", dtype="int64"), X(domain="int", dtype="int64"))
sample("torch.gcd_", X(domain="int", dtype="int64"), X(domain="int", dtype="int64"))
sample("torch.lcm_", X(domain="int", dtype="int64"), X(domain="int", dtype="int64"))
sample("torch.mvlgamma", X(domain="above1"), 2)
sample("torch.mvlgamma", X(domain="positive"), 1)
sample("Tensor.mvlgamma_", X(domain="above1"), 2)
sample("torch.rsub", X(), X())
sample("torch.rsub", X(), 2.0)
sample("torch.rsub", X(), X(), alpha=3)
sample("torch.scalar_tensor", 2.5, grad=False)
sample("torch.vdot", X("n"), X("n"))
sample("torch.addr", X("mn"), X("m"), X("n"), beta=2, alpha=0.5)
sample("Tensor.addr_", X("mn"), X("m"), X("n"))
sample("torch.addbmm", X("mn"), X("bmk"), X("bkn"), beta=0.5, alpha=2)
sample("Tensor.addbmm_", X("mn"), X("bmk"), X("bkn"))
untested("torch.chain_matmul", "its deprecation warning: tests/test_tensor_round9.py")
for _kind in ("hann", "hamming", "blackman", "bartlett", "kaiser"):
    sample(f"torch.{_kind}_window", 7, grad=False, atol=1e-6)
    sample(f"torch.{_kind}_window", 6, False, dtype="torch.float32", grad=False, atol=1e-6)
sample("torch.isin", X(domain="small_int", dtype="int64"), X("k", domain="small_int",
                                                             dtype="int64"), grad=False)
sample("torch.unravel_index", Index("n", high=6), (2, 3), grad=False)
sample("torch.histogram", X("n", grad=False), 4, grad=False)
sample("torch.histogram", X("5", grad=False), 3, range=(-1.0, 1.0), density=True, grad=False)
sample("torch.histogramdd", X("n2", grad=False), [2, 3], grad=False)
sample("torch.select_scatter", X("mn"), X("n"), 0, 0)
sample("torch.slice_scatter", X("4n"), X("2n"), 0, 1, 3)
sample("torch.diagonal_scatter", X("nn"), X("n"))
sample("torch.diagonal_scatter", X("3n3"), X("n3"), 0, 0, 2)
sample("Tensor.fill_diagonal_", X("mn", grad=False), 2.0, grad=False)
sample("torch.renorm", X("mn"), 2, 0, 0.5)
sample("Tensor.renorm_", X("mn"), 1, 1, 0.5)

# linalg_more: triangular solves and what is written with them, the *_ex forms
def _lower(rng, shape):
    """A well-conditioned lower-triangular matrix."""
    import numpy as np

    a = np.tril(rng.standard_normal(shape)) * 0.3
    idx = np.arange(shape[-1])
    a[..., idx, idx] = rng.uniform(1.0, 2.0, shape[:-1])
    return a


sample("torch.linalg.solve_triangular", X("nn", _lower), X("nk"), upper=False)
sample("torch.linalg.solve_triangular", X("nn", _lower), X("kn"), upper=False, left=False)
sample("torch.linalg.solve_triangular", X("nn", _lower), X("nk"), upper=False,
       unitriangular=True)
sample("torch.cholesky_solve", X("nk"), X("nn", _lower))
# (PyTorch's forward mode reads only the factor's triangle of the tangent, its reverse
# mode the whole factor: gd follows the reverse mode in both)
sample("torch.cholesky_inverse", X("nn", _lower), jvp=False)
sample("torch.linalg.cholesky_ex", X("nn", "spd"))
sample("torch.linalg.inv_ex", X("nn", "invertible"), grad=False)
sample("torch.linalg.solve_ex", X("nn", "invertible"), X("nk"))
sample("torch.linalg.cond", X("nn", "invertible"))
sample("torch.linalg.cond", X("nn", "invertible"), "fro", grad=False)
sample("torch.linalg.tensorinv", X("nn", "invertible"), ind=1)
sample("torch.linalg.tensorsolve", X("nn", "invertible"), X("n"))
untested("torch.triangular_solve", "its deprecation warning: tests/test_tensor_round9.py")
untested("Tensor.triangular_solve", "its deprecation warning: tests/test_tensor_round9.py")
for _name in ("solve", "lstsq", "symeig", "eig", "matrix_rank"):
    untested(f"torch.{_name}", "removed in PyTorch (its message): tests/test_tensor_round9.py")

# losses_torch: the functional losses in the torch namespace (int reductions)
sample("torch.kl_div", X("mn"), X("mn", "prob", grad=False), 1)
sample("torch.kl_div", X("mn"), X("mn", "prob", grad=False))
sample("torch.binary_cross_entropy_with_logits", X("mn"), X("mn", "prob", grad=False), None,
       None, 2)
sample("torch.margin_ranking_loss", X("n"), X("n"), X("n", "int", grad=False), 0.1, 1)
sample("torch.hinge_embedding_loss", X("n"), X("n", "int", grad=False), 1.0, 1)
sample("torch.poisson_nll_loss", X("n"), X("n", "positive", grad=False), True, False, 1e-8, 1)
sample("torch.triplet_margin_loss", X("mn"), X("mn"), X("mn"), 1.0, 2.0, 1e-6, False, 1)
