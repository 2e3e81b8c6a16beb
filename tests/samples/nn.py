"""Samples: torch.nn.functional."""

from samples import Index, X, sample

sample("torch.nn.functional.mse_loss", X("mn"), X("mn"))
sample("torch.nn.functional.mse_loss", X("mn"), X("mn"), reduction="sum")
sample("torch.nn.functional.cross_entropy", X("mc"), Index("m", high="c"))
sample("torch.nn.functional.nll_loss", X("mc"), Index("m", high="c"))
sample("torch.nn.functional.binary_cross_entropy_with_logits", X("mn"), X("mn", "prob"))

F = "torch.nn.functional."
for name in ("softplus", "gelu", "silu", "mish", "logsigmoid", "softsign", "tanhshrink",
             "selu", "celu", "elu", "leaky_relu", "hardswish", "hardtanh", "relu6", "relu",
             "sigmoid", "tanh"):
    sample(F + name, X(domain="nonzero"))
sample(F + "hardsigmoid", X(domain="nonzero"), order=1)
sample(F + "softplus", X(domain="nonzero"), beta=2.0, threshold=1.0)
sample(F + "gelu", X(domain="nonzero"), approximate="tanh")
sample(F + "leaky_relu", X(domain="nonzero"), 0.2)
sample(F + "elu", X(domain="nonzero"), alpha=0.5)
sample(F + "celu", X(domain="nonzero"), alpha=2.0)
sample(F + "hardtanh", X(domain="nonzero"), min_val=-0.5, max_val=0.7)
sample(F + "softmin", X("mn"), dim=1)
sample("torch.selu", X(domain="nonzero"))
sample("torch.celu", X(domain="nonzero"), 1.5)
sample(F + "rrelu", X(domain="nonzero"))
sample(F + "rrelu_", X(domain="nonzero"))
sample("torch.rrelu", X(domain="nonzero"), 0.1, 0.3)
sample("torch.rrelu_", X(domain="nonzero"), 0.1, 0.3)
for name in ("elu_", "leaky_relu_", "hardtanh_", "selu_", "celu_", "relu_"):
    sample(F + name, X(domain="nonzero"))
for name in ("selu_", "celu_"):
    sample("torch." + name, X(domain="nonzero"))

# losses
for red in ("mean", "sum", "none"):
    sample(F + "l1_loss", X("mn", "distinct"), X("mn", "distinct"), reduction=red)
    sample(F + "smooth_l1_loss", X("mn", "distinct"), X("mn", "distinct"), reduction=red)
    sample(F + "huber_loss", X("mn", "distinct"), X("mn", "distinct"), reduction=red,
           delta=0.5)
    sample(F + "binary_cross_entropy", X("mn", "prob"), X("mn", "prob"), reduction=red)
    sample(F + "nll_loss", X("mc"), Index("m", high="c"), X("c", "positive", grad=False),
           reduction=red)
    sample(F + "cross_entropy", X("mc"), Index("m", high="c"), reduction=red,
           label_smoothing=0.2)
    sample(F + "cross_entropy", X("mc"), X("mc", "prob"), reduction=red, label_smoothing=0.1)
    if red != "mean":  # torch warns for a mean (tests/test_ops_nn.py checks the warning)
        sample(F + "kl_div", X("mn"), X("mn", "prob"), reduction=red)
sample(F + "smooth_l1_loss", X("mn", "distinct"), X("mn", "distinct"), beta=0.5)
sample(F + "binary_cross_entropy", X("mn", "prob"), X("mn", "prob"),
       X("n", "positive", grad=False))
sample(F + "binary_cross_entropy_with_logits", X("mn"), X("mn", "prob"),
       X("n", "positive", grad=False), pos_weight=X("n", "positive", grad=False))
sample(F + "cross_entropy", X("mc"), Index("m", high="c"), X("c", "positive", grad=False),
       label_smoothing=0.3)
sample(F + "cross_entropy", X("mcd"), Index("md", high="c"))
sample(F + "nll_loss", X("c"), Index("", high="c"))
sample(F + "kl_div", X("mn"), X("mn"), reduction="batchmean", log_target=True)
sample(F + "l1_loss", X("mn", "distinct"), X("mn", "distinct"))

# layers' functions
sample(F + "linear", X("mk"), X("nk"))
sample(F + "linear", X("mk"), X("nk"), X("n"))
sample(F + "linear", X("k"), X("nk"), X("n"))
sample(F + "linear", X("bmk"), X("nk"), X("n"))
sample(F + "bilinear", X("mk"), X("mj"), X("nkj"), X("n"))
sample(F + "normalize", X("mn", "nonzero"))
sample(F + "normalize", X("mn", "nonzero"), p=1.0, dim=0)
for name in ("torch.", F):
    sample(name + "cosine_similarity", X("mn", "nonzero"), X("mn", "nonzero"))
    sample(name + "pairwise_distance", X("mn"), X("mn"))
sample(F + "one_hot", Index("m", high=4), 5, grad=False)
sample(F + "embedding", Index("mk", high="n"), X("nd"))

# normalization and padding
sample(F + "layer_norm", X("m3"), (3,))
sample(F + "layer_norm", X("m23"), (2, 3), X("23"), X("23"), eps=1e-3)
sample("torch.layer_norm", X("m4"), [4], X("4"), None)
sample(F + "batch_norm", X("3c"), X("c", grad=False), X("c", "positive", grad=False),
       X("c"), X("c"), training=True)
sample(F + "batch_norm", X("2cn"), X("c", grad=False), X("c", "positive", grad=False),
       X("c"), X("c"))
sample(F + "batch_norm", X("2cn"), None, None, training=True, momentum=0.2)
sample(F + "pad", X("mn"), (1, 2))
sample(F + "pad", X("mn"), (1, 0, 2, 1), value=1.5)
sample(F + "pad", X("m4"), (-1, 2))
sample(F + "pad", X("m4"), (2, 3), mode="reflect")
sample(F + "pad", X("kmn"), (1, 2), mode="replicate")
sample(F + "pad", X("kmn"), (1, 1, 2, 0), mode="replicate")
sample(F + "pad", X("k34"), (1, 2, 2, 1), mode="reflect")
sample(F + "pad", X("km4"), (1, 2), mode="circular")
sample("torch.bilinear", X("mk"), X("mj"), X("nkj"))
sample("torch.batch_norm", X("3c"), X("c"), X("c"), X("c", grad=False),
       X("c", "positive", grad=False), True, 0.1, 1e-5, False)
sample("torch.embedding", X("nd"), Index("mk", high="n"))
for red in ("mean", "sum", "none"):
    for name in ("mse_loss", "l1_loss", "huber_loss"):
        sample(F + name, X("mn", "distinct"), X("mn", "distinct"), reduction=red,
               weight=X("mn", "positive", grad=False))
sample(F + "embedding", Index("mk", high=3), X("3d"), padding_idx=1)
