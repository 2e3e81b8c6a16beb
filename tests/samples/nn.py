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
for name in ("elu_", "leaky_relu_", "hardtanh_", "selu_", "celu_", "relu_"):
    sample(F + name, X(domain="nonzero"))
for name in ("selu_", "celu_"):
    sample("torch." + name, X(domain="nonzero"))
