"""Samples: matrix products and linear algebra."""

from samples import X, sample

sample("torch.matmul", X("mk"), X("kn"))
sample("torch.matmul", X("bmk"), X("kn"))
sample("torch.matmul", X("k"), X("kn"))
sample("torch.mm", X("mk"), X("kn"))
sample("torch.mv", X("mk"), X("k"))
sample("torch.dot", X("k"), X("k"))
sample("torch.inner", X("mk"), X("nk"))
sample("torch.outer", X("m"), X("n"))
