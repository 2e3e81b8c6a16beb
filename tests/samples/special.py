"""Samples: the special functions (gradcli/ad/ops/special.py). float32 samples compare
at 1e-5 relative: the numpy kernels and PyTorch's float kernels round differently by a
few ulp (up to about 2e-5 relative near the roots of lgamma and digamma)."""

from samples import X, sample

for name in ("lgamma", "digamma", "special.gammaln", "special.digamma", "special.psi"):
    sample(f"torch.{name}", X(domain="positive"))
    sample(f"torch.{name}", X(domain="nonzero"))
sample("torch.lgamma", X(domain="above1", dtype="float32"), rtol=1e-5, atol=1e-6)
sample("torch.digamma", X(domain="above1", dtype="float32"), rtol=1e-5, atol=1e-6)
sample("torch.lgamma", X(domain="int", dtype="int64"))
sample("Tensor.lgamma_", X(domain="positive"))
sample("Tensor.digamma_", X(domain="positive"))
for n in (0, 1, 2, 3):
    sample("torch.polygamma", n, X(domain="positive"))
sample("torch.special.polygamma", 1, X(domain="nonzero"))
sample("torch.special.polygamma", 2, X(domain="above1", dtype="float32"), rtol=1e-5)
sample("Tensor.polygamma", X(domain="positive"), 2)
sample("Tensor.polygamma_", X(domain="positive"), 1)
sample("torch.special.entr", X(domain="positive"))
sample("torch.special.entr", X(domain="int", dtype="int64"))
sample("torch.special.ndtr", X())
sample("torch.special.ndtr", X(dtype="float32"))
sample("torch.special.ndtr", X(domain="int", dtype="int64"))
sample("torch.special.log_ndtr", X())
sample("torch.special.log_ndtr", X(domain=lambda rng, s: rng.uniform(-40, -5, s)))
sample("torch.special.log_ndtr", X(dtype="float32"), rtol=1e-5)
for name in ("i0", "special.i0", "special.i0e", "special.i1", "special.i1e"):
    sample(f"torch.{name}", X())
    sample(f"torch.{name}", X(domain=lambda rng, s: rng.uniform(-12, 12, s)))
sample("torch.i0", X(dtype="float32"), rtol=1e-5)
sample("Tensor.i0_", X())
# the incomplete gamma functions and zeta: differentiable in x only (a is a constant here),
# with no forward mode in PyTorch
for name in ("igamma", "igammac", "special.gammainc", "special.gammaincc"):
    sample(f"torch.{name}", X(domain="positive", grad=False), X(domain="positive"), jvp=False)
sample("Tensor.igamma_", X(domain="positive", grad=False), X(domain="positive", grad=False))
sample("Tensor.igammac_", X(domain="positive", grad=False), X(domain="positive", grad=False))
sample("torch.special.zeta", X(domain="above1", grad=False), X(domain="positive"), jvp=False)
sample("torch.special.zeta", 2.0, X(domain="positive"), jvp=False)
sample("torch.special.erfcx", X())
sample("torch.special.erfcx", X(domain=lambda rng, s: rng.uniform(2, 30, s)))
sample("torch.special.ndtri", X(domain="prob"))
sample("torch.special.xlog1py", X(), X(domain="positive"))
sample("torch.special.xlog1py", X(), 2.5)
sample("torch.special.multigammaln", X(domain="above1"), 2)
