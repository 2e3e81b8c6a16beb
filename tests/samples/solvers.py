"""Samples: lstsq, matrix_rank, ldexp, frexp, nextafter, group_norm
(gradcli/ad/ops/solvers.py)."""

from samples import Index, X, sample

F = "torch.nn.functional."

sample("torch.linalg.lstsq", X("52"), X("53"), rtol=1e-9, atol=1e-9)
sample("torch.linalg.lstsq", X("52"), X("53"), driver="gelsd", rtol=1e-9, atol=1e-9)
sample("torch.linalg.lstsq", X("k42"), X("k41"), rtol=1e-9, atol=1e-9)
sample("torch.linalg.lstsq", X("42", dtype="float32"), X("43", dtype="float32"),
       driver="gelsd", rtol=1e-4, atol=1e-5, grad=False)
sample("torch.linalg.matrix_rank", X("kmn"), grad=False)
sample("torch.linalg.matrix_rank", X("33"), atol=0.5, grad=False)
sample("torch.ldexp", X("*"), Index("*", high=5))
sample("torch.ldexp", X("*", dtype="float32"), X("*"), order=1)
sample("torch.frexp", X("*"))
sample("torch.nextafter", X("*"), X("*"))
sample(F + "group_norm", X("n43"), 2)
sample(F + "group_norm", X("n6"), 3, X("6"), X("6"), eps=1e-3)
sample("torch.group_norm", X("n42", dtype="float32"), 4, order=1, rtol=1e-3, atol=1e-4)
