"""Samples: bitwise & | ^ ~ << >> of integer and bool tensors (values and dtypes only)."""

from samples import Mask, X, sample

for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    sample(f"torch.{name}", X(domain="int", dtype="int64", grad=False),
           X(domain="int", dtype="int64", grad=False), grad=False)
    sample(f"torch.{name}", Mask(), Mask(), grad=False)
    sample(f"torch.{name}", X(domain="int", dtype="int64", grad=False), 6, grad=False)
    sample(f"torch.{name}", Mask(), X(domain="small_int", dtype="int64", grad=False),
           grad=False)
sample("torch.bitwise_not", X(domain="int", dtype="int64", grad=False), grad=False)
sample("torch.bitwise_not", Mask(), grad=False)
for name in ("bitwise_left_shift", "bitwise_right_shift"):
    sample(f"torch.{name}", X(domain="int", dtype="int64", grad=False),
           X(domain="small_int", dtype="int64", grad=False), grad=False)
    sample(f"torch.{name}", X(domain="int", dtype="int64", grad=False), 3, grad=False)
