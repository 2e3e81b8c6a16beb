"""Samples: reductions, extrema, norms and the softmax family."""

from samples import X, sample

for name in ("sum", "mean"):
    sample(f"torch.{name}", X())
    sample(f"torch.{name}", X("mnk"), dim=1, keepdim=True)
    sample(f"torch.{name}", X("mnk"), dim=(0, -1))
sample("torch.prod", X(domain="nonzero"))
sample("torch.prod", X("mn", domain="nonzero"), dim=0)
for name in ("max", "min"):
    sample(f"torch.{name}", X(domain="distinct"))
    sample(f"torch.{name}", X("mn", domain="distinct"), dim=1)
    sample(f"torch.{name}", X("mn", domain="distinct"), 0, keepdim=True)
for name in ("amax", "amin"):
    sample(f"torch.{name}", X("mn", domain="distinct"), dim=-1)
for name in ("argmax", "argmin"):
    sample(f"torch.{name}", X("mn", domain="distinct"))
    sample(f"torch.{name}", X("mn", domain="distinct"), dim=1)
sample("torch.norm", X(domain="nonzero"))
sample("torch.norm", X("mn", domain="nonzero"), p=1, dim=1)
sample("torch.norm", X("mn", domain="nonzero"), p=3, dim=0, keepdim=True)
sample("torch.linalg.norm", X("mn", domain="nonzero"))
sample("torch.linalg.vector_norm", X("mn", domain="nonzero"), ord=2, dim=-1)
sample("torch.logsumexp", X("mn"), dim=1)
sample("torch.softmax", X("mn"), dim=-1)
sample("torch.log_softmax", X("mn"), dim=0)
sample("torch.nn.functional.softmax", X("mn"), dim=1)
sample("torch.nn.functional.log_softmax", X("mn"), dim=1)
