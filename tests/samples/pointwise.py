"""Samples: addcmul/addcdiv and the shrink family (gradcli/ad/ops/pointwise.py)."""

from samples import X, sample

sample("torch.addcmul", X(), X(), X())
sample("torch.addcmul", X("mn"), X("n"), X("m1"), value=0.5)
sample("torch.addcmul", X("mn", dtype="float32"), X("mn", dtype="float32"),
       X("mn", dtype="float32"), value=-2.0)
sample("torch.addcmul", X("n", domain="int", dtype="int64"), X("n", domain="int", dtype="int64"),
       X("n", domain="int", dtype="int64"), value=2)
sample("torch.addcdiv", X(), X(), X(domain="nonzero"))
sample("torch.addcdiv", X("mn"), X("n"), X("m1", domain="nonzero"), value=0.5)
sample("Tensor.addcmul_", X("mn"), X("n"), X("mn"), value=3.0)
sample("Tensor.addcdiv_", X("mn"), X("mn"), X("n", domain="nonzero"))
sample("torch.hardshrink", X())
sample("torch.hardshrink", X(dtype="float32"), 0.3)
sample("torch.nn.functional.hardshrink", X(), lambd=1.0)
sample("torch.nn.functional.softshrink", X())
sample("torch.nn.functional.softshrink", X(dtype="float32"), lambd=0.2)
sample("torch.threshold", X(), 0.1, -2.0)
sample("torch.nn.functional.threshold", X(), threshold=-0.2, value=3.0)
sample("torch.nn.functional.threshold", X(domain="int", dtype="int64"), 1, 7)
sample("torch.threshold_", X(), 0.1, -2.0)
sample("torch.nn.functional.threshold_", X(), 0.3, 20.0)
sample("torch.prelu", X("mn"), X("1"))
sample("torch.prelu", X("mnk"), X("n"))
sample("torch.prelu", X("m"), X("1"))
sample("torch.prelu", X(""), X(""))
sample("torch.nn.functional.prelu", X("mnk", dtype="float32"), X("n", dtype="float32"))
sample("torch.nn.functional.glu", X("m4"))
sample("torch.nn.functional.glu", X("2n"), 0)
sample("torch.nn.functional.glu", X("m6k"), dim=1)
