"""Samples: torch.nn.functional."""

from samples import Index, X, sample

sample("torch.nn.functional.mse_loss", X("mn"), X("mn"))
sample("torch.nn.functional.mse_loss", X("mn"), X("mn"), reduction="sum")
sample("torch.nn.functional.cross_entropy", X("mc"), Index("m", high="c"))
sample("torch.nn.functional.nll_loss", X("mc"), Index("m", high="c"))
sample("torch.nn.functional.binary_cross_entropy_with_logits", X("mn"), X("mn", "prob"))
