"""Samples: transposed convolutions, conv3d, torch.convolution, fold / unfold (composites of
matmul, index_add_into and index, recorded under PyTorch's node names)."""

from samples import X, sample

F = "torch.nn.functional."
for prefix in (F, "torch."):
    sample(prefix + "conv_transpose1d", X("234"), X("322"), X("2"), 2, 1, 1)
    sample(prefix + "conv_transpose2d", X("2433"), X("4232"), X("4"), (2, 1), 1, (1, 0), 2)
    sample(prefix + "conv_transpose3d", X("12222"), X("21222"), None, 2)
    sample(prefix + "conv3d", X("12333"), X("32222"), X("3"), 1, 1)
sample(F + "conv_transpose2d", X("233"), X("2233"), None, 1, 2, 0, 1, 2)
sample(F + "unfold", X("2245"), 2, 1, 1, 2, method=False)
sample(F + "unfold", X("245"), (2, 3), 2, method=False)
sample(F + "fold", X("286"), (3, 4), 2)
sample(F + "fold", X("89"), (4, 5), 2, (1, 2))
sample(F + "fold", X("284"), (3, 3), 2, 1, 1, 2)
sample("torch.convolution", X("234"), X("322"), X("2"), [2], [1], [1], True, [1], 1)
sample("torch.convolution", X("264"), X("432"), None, [1], [0], [1], False, [0], 2)
