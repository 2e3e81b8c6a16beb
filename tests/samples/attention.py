"""Samples: attention (torch.nn.functional.scaled_dot_product_attention and friends)."""

from samples import Mask, X, sample

SDPA = "torch.nn.functional.scaled_dot_product_attention"
# 3-D inputs take ATen's math path (twice differentiable, forward mode too).
sample(SDPA, X("bmk"), X("bnk"), X("bnv"))
sample(SDPA, X("bmk"), X("bmk"), X("bmv"), is_causal=True)
sample(SDPA, X("bmk"), X("bnk"), X("bnk"), attn_mask=X("mn"), scale=0.5)
sample(SDPA, X("mk"), X("nk"), X("nk"), attn_mask=Mask("mn"))
# 4-D inputs of one head size take the CPU flash kernel: PyTorch has no derivative of its
# backward and no forward-mode rule for it.
sample(SDPA, X("bh3k"), X("bh4k"), X("bh4k"), order=1, jvp=False)
sample(SDPA, X("bh3k"), X("bh3k"), X("bh3k"), is_causal=True, order=1, jvp=False)
