"""Samples: attention (torch.nn.functional.scaled_dot_product_attention and friends)."""

import numpy as np

from samples import Index, Mask, X, sample, untested

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

untested("torch.nn.functional.multi_head_attention_forward",
         "a dozen tensors and flags: tests/programs/attention/mha_functional.gd and every "
         "nn.MultiheadAttention program in tests/test_nn_attention.py")

F = "torch.nn.functional."


def _sign(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def _labels(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Multilabel targets: each row some class indices, then -1 and anything after it."""
    out = rng.integers(0, shape[-1], shape)
    cut = rng.integers(0, shape[-1] + 1, shape[:-1])
    out[np.arange(shape[-1]) >= cut[..., None]] = -1
    return out


sample(F + "rms_norm", X("m3"), (3,))
sample(F + "rms_norm", X("m23"), [2, 3], X("23"), eps=1e-3)
sample("torch.rms_norm", X("m4"), [4], X("4"))
# PyTorch has no derivative of _pdist_backward and no forward-mode pdist.
sample(F + "pdist", X("m3", "distinct"), order=1, jvp=False)
sample("torch.pdist", X("m3", "distinct"), 1.0, order=1, jvp=False)
sample(F + "channel_shuffle", X("m4n"), 2)
sample("torch.channel_shuffle", X("m6n"), 3)
sample(F + "gumbel_softmax", X("mn"), seed=0)
sample(F + "gumbel_softmax", X("mn"), tau=0.5, hard=True, dim=0, seed=0)
sample(F + "cosine_embedding_loss", X("mn", "nonzero"), X("mn", "nonzero"),
       X("m", _sign, grad=False))
sample(F + "cosine_embedding_loss", X("n", "nonzero"), X("n", "nonzero"),
       X("", _sign, grad=False), margin=0.1, method=False)
sample(F + "soft_margin_loss", X("mn"), X("mn", _sign, grad=False))
sample(F + "soft_margin_loss", X("mn"), X("mn", _sign, grad=False), reduction="none")
# PyTorch has no forward-mode multilabel_margin_loss or multi_margin_loss.
sample(F + "multilabel_margin_loss", X("mn", "distinct"), X("mn", _labels, dtype="int64"),
       order=1, jvp=False)
sample(F + "multilabel_soft_margin_loss", X("mn"), X("mn", "prob", grad=False))
sample(F + "multi_margin_loss", X("mn", "distinct"), Index("m", high="n"), order=1, jvp=False)
sample(F + "multi_margin_loss", X("mn", "distinct"), Index("m", high="n"), p=2, margin=0.5,
       weight=X("n", "positive", grad=False), reduction="none", order=1, jvp=False)
sample(F + "triplet_margin_with_distance_loss", X("mn"), X("mn"), X("mn"))
sample(F + "triplet_margin_with_distance_loss", X("mn"), X("mn"), X("mn"), swap=True,
       margin=0.5, reduction="sum")
untested("torch.nn.functional.embedding_bag",
         "integer index and offsets arguments; tests/test_nn_round11.py compares it with "
         "PyTorch (a composition of embedding and index_add, each swept)")
untested("torch.nn.functional.ctc_loss",
         "integer targets and length lists, and PyTorch's gradient is the logits' (not that "
         "of free log_probs): tests/test_ctc_loss.py compares it with PyTorch and "
         "tests/test_ad_rules.py sweeps its rule through log_softmax")
