"""Samples of round 9's tensor surface (gradcli/ad/ops/tensor_extras.py and neighbours)."""

from samples import X, sample

for _name in ("byte", "char", "short", "half"):
    sample(f"Tensor.{_name}", X("mn", domain="int"), grad=False)
sample("Tensor.half", X("mn"), grad=False)
