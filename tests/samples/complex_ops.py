"""Samples of complex tensors' makers and torch.fft on real inputs (no derivatives: gd
records none for complex results). Complex inputs: tests/test_complex.py."""

from samples import X, sample, untested

sample("torch.complex", X("mn", grad=False), X("mn", grad=False), grad=False)
sample("torch.polar", X("n", domain="positive", grad=False), X("n", grad=False), grad=False)
sample("torch.view_as_complex", X("m2", grad=False), grad=False)
untested("torch.view_as_real", "a complex input: tests/test_complex.py")
for _name in ("fft", "ifft", "rfft", "ihfft"):
    sample(f"torch.fft.{_name}", X("mn", grad=False), grad=False, atol=1e-5, rtol=1e-5)
    sample(f"torch.fft.{_name}", X("mn", grad=False), dim=0, norm="ortho", grad=False,
           atol=1e-5, rtol=1e-5)
for _name in ("fft2", "ifft2", "rfft2", "fftn", "ifftn", "rfftn"):
    sample(f"torch.fft.{_name}", X("mn", grad=False), grad=False, atol=1e-5, rtol=1e-5)
for _name in ("irfft", "hfft", "irfft2", "irfftn"):
    untested(f"torch.fft.{_name}", "a complex input: tests/test_complex.py")
sample("torch.fft.fftshift", X("mn", grad=False), grad=False)
sample("torch.fft.ifftshift", X("mn", grad=False), dim=1, grad=False)
for _name in ("fftfreq", "rfftfreq"):
    sample(f"torch.fft.{_name}", 7, grad=False)
    sample(f"torch.fft.{_name}", 8, 0.1, grad=False)
for _name in ("eig", "eigvals"):
    untested(f"torch.linalg.{_name}", "LAPACK's eigenvector signs differ between builds: "
             "tests/test_complex.py")
