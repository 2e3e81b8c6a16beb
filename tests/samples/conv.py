"""Samples: torch.nn.functional's convolutions and pools (composites of index, matmul and
reductions, recorded under PyTorch's node names)."""

from samples import X, sample

F = "torch.nn.functional."
for prefix in (F, "torch."):
    sample(prefix + "conv1d", X("235"), X("232"))
    sample(prefix + "conv2d", X("2344"), X("2322"), X("2"))
    sample(prefix + "max_pool1d", X("236", domain="nonzero"), 2)
    sample(prefix + "max_pool2d", X("2255", domain="nonzero"), 2)
    sample(prefix + "avg_pool1d", X("237"), 3, 2)
sample(F + "conv2d", X("1455"), X("4232"), None, 2, 1, 1, 2)
sample(F + "conv1d", X("238"), X("233"), padding="same", dilation=2)
sample(F + "max_pool2d", X("2255", domain="nonzero"), 3, 2, 1)
sample(F + "avg_pool2d", X("2255"), 2)
sample(F + "avg_pool2d", X("2255"), 3, 2, 1, True, False)
sample(F + "adaptive_avg_pool2d", X("2357"), (2, 3))
