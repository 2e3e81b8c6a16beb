"""Samples: round 17's tensor-area spellings (gradcli/ad/ops/spellings17.py, spectral.py,
linalg_more.py's removed methods). Most are not elementwise-sweepable (complex results,
which gd records no derivatives of; Python numbers; errors by design): each names the
test that checks it against PyTorch's text instead."""

from samples import untested

for _m in ("cfloat", "cdouble"):
    untested(f"Tensor.{_m}", "a complex result (gd records no complex derivatives): "
             "tests/test_r17_tensor.py")
untested("Tensor.dim_order", "a tuple of dims, not a tensor: tests/test_r17_tensor.py")
for _m in ("resize", "resize_as"):
    untested(f"Tensor.{_m}", "deprecated (PyTorch warns); resize_as is resize to the "
             "other's size: tests/test_r17_tensor.py checks resize")
for _m in ("eig", "lstsq", "solve", "symeig"):
    untested(f"Tensor.{_m}", "removed from PyTorch, raising its message: "
             "tests/test_r17_tensor.py")
for _s in ("torch.stft", "Tensor.stft", "torch.istft", "Tensor.istft", "torch.fft.hfft2",
           "torch.fft.hfftn", "torch.fft.ihfft2", "torch.fft.ihfftn"):
    untested(_s, "complex spectra (no complex derivatives): tests/test_r17_tensor.py")
for _n in ("sym_float", "sym_int", "sym_ite", "sym_max", "sym_min", "sym_not", "sym_sqrt",
           "sym_sum"):
    untested(f"torch.{_n}", "Python numbers in, Python numbers out: tests/test_r17_tensor.py "
             "and tests/test_tensor_real.py")
