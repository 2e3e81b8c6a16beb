"""Samples: transposed convolutions, conv3d, torch.convolution, fold / unfold (composites of
matmul, index_add_into and index, recorded under PyTorch's node names)."""

from samples import Index, X, sample, untested

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

# resampling and shuffles
sample(F + "interpolate", X("2345"), scale_factor=2)
sample(F + "interpolate", X("2345"), size=(5, 7), mode="nearest-exact")
sample(F + "interpolate", X("2345"), scale_factor=1.5, mode="bilinear")
sample(F + "interpolate", X("2345"), size=(6, 3), mode="bilinear", align_corners=True)
sample(F + "interpolate", X("2345"), size=(6, 7), mode="bicubic")
sample(F + "interpolate", X("235"), size=8, mode="linear")
sample(F + "interpolate", X("12234"), scale_factor=(2, 1.5, 0.5), mode="trilinear")
sample(F + "interpolate", X("12234"), size=3)
sample(F + "interpolate", X("2367"), size=(3, 2), mode="area")
for _name in ("upsample", "upsample_nearest", "upsample_bilinear"):
    untested(F + _name, "PyTorch warns (deprecated) on every call: tests/test_nn_spatial.py")
for prefix in (F, "torch."):
    sample(prefix + "pixel_shuffle", X("2823"), 2)
    sample(prefix + "pixel_unshuffle", X("2246"), 2)
    sample(prefix + "channel_shuffle", X("2623"), 3)
    sample(prefix + "native_channel_shuffle", X("2623"), 3,
           known="PyTorch has no derivative for it (a NotImplemented node); gd differentiates")

# pools
for n, shape in ((1, "237"), (2, "2357"), (3, "22456")):
    sample(F + f"max_pool{n}d_with_indices", X(shape, domain="distinct"), 2)
    sample(F + f"max_pool{n}d_with_indices", X(shape, domain="distinct"), 3, 2, 1)
    sample(F + f"adaptive_max_pool{n}d", X(shape, domain="distinct"), 3)
    sample(F + f"adaptive_max_pool{n}d_with_indices", X(shape, domain="distinct"), 2)
    sample(F + f"lp_pool{n}d", X(shape, domain="positive"), 2, 2)
sample(F + "max_pool2d", X("2357", domain="distinct"), 2, return_indices=True)
sample("torch.max_pool1d_with_indices", X("237", domain="distinct"), 2)
sample("torch.adaptive_max_pool1d", X("237", domain="distinct"), [3])
sample(F + "lp_pool1d", X("237", domain="positive"), 3, 3, 2, True)
sample(F + "lp_pool2d", X("2357", domain="distinct"), float("inf"), 2)
for prefix in (F, "torch."):
    sample(prefix + "max_pool3d", X("22456", domain="distinct"), 2, ceil_mode=True)
    sample(prefix + "adaptive_avg_pool1d", X("237"), 3)
sample(F + "avg_pool3d", X("22456"), 3, 2, 1, count_include_pad=False)
sample(F + "adaptive_avg_pool3d", X("22456"), (2, 3, 4))
sample(F + "adaptive_avg_pool3d", X("22456"), 1)
sample(F + "max_unpool1d", X("231"), Index("231", high=2), 2)
sample(F + "max_unpool2d", X("2311"), Index("2311", high=4), 2)
sample(F + "max_unpool2d", X("2311"), Index("2311", high=6), 2, output_size=(2, 3))
sample(F + "max_unpool3d", X("21111"), Index("21111", high=8), 2)

# spatial transformer
sample(F + "affine_grid", X("223"), [2, 3, 4, 5], align_corners=False)
sample(F + "affine_grid", X("223"), (2, 1, 3, 2), True)
# PyTorch has neither forward mode nor a second derivative for grid_sampler_2d
for _args, _kw in (((X("2362", domain="unit"),), {"align_corners": False}),
                   ((X("2232", domain="unit"), "bilinear", "border", True), {}),
                   ((X("2232", domain="unit"), "nearest"), {"align_corners": True})):
    sample(F + "grid_sample", X("2345"), *_args, jvp=False, order=1, **_kw)

# instance norm, local response norm
sample(F + "instance_norm", X("235"))
sample(F + "instance_norm", X("2344"), None, None, X("3"), X("3"))
sample("torch.instance_norm", X("235"), X("3"), X("3"), None, None, True, 0.1, 1e-5, False)
sample(F + "local_response_norm", X("2634"), 3)
sample(F + "local_response_norm", X("253"), 2, 1e-2, 0.5, 2.0)
sample(F + "local_response_norm", X("24322"), 3)

# channel-wise and alpha dropouts: seeded (the forward-mode run is not: no jvp)
for _n, _shape in ((1, "234"), (2, "2322"), (3, "23122")):
    sample(F + f"dropout{_n}d", X(_shape), 0.5, seed=0, jvp=False)
    sample(F + f"dropout{_n}d", X(_shape), 0.5, False)
sample(F + "dropout1d", X("34"), 0.3, seed=1, jvp=False)
sample(F + "alpha_dropout", X("34"), 0.3, True, seed=0, jvp=False)
sample(F + "alpha_dropout", X("34"), 0.3)
sample(F + "feature_alpha_dropout", X("234", dtype="float32"), 0.4, True, seed=2, jvp=False)
for _name in ("feature_dropout", "alpha_dropout", "feature_alpha_dropout"):
    sample("torch." + _name, X("234"), 0.5, True, seed=0, jvp=False)
for _name in ("feature_dropout_", "alpha_dropout_", "feature_alpha_dropout_", "dropout_"):
    sample("torch." + _name, X("234", grad=False), 0.5, True, seed=0, grad=False, jvp=False)
for _n in (2, 3):
    for _name in (f"fractional_max_pool{_n}d", f"fractional_max_pool{_n}d_with_indices"):
        untested(F + _name, "random windows (torch.rand draws): compared with PyTorch, values "
                 "and gradients, in tests/test_nn_round10.py")
