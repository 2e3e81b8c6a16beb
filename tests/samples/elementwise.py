"""Samples: elementwise math, arithmetic, comparisons and logic."""

from samples import Mask, X, sample

for name in ("exp", "sin", "cos", "tanh", "sigmoid", "neg", "square", "negative"):
    sample(f"torch.{name}", X())
for name in ("log", "sqrt", "log1p", "reciprocal"):
    sample(f"torch.{name}", X(domain="positive"))
sample("torch.tan", X(domain="unit"))
for name in ("relu", "abs", "sign", "floor", "ceil", "round"):
    sample(f"torch.{name}", X(domain="nonzero"))
sample("torch.relu_", X(domain="nonzero"), grad=False)
for name in ("add", "sub", "mul", "subtract", "multiply"):
    sample(f"torch.{name}", X(), X())
    sample(f"torch.{name}", X("mn"), X("n"))
sample("torch.add", X(), X(), alpha=2.0)
sample("torch.add", X(), 3.0)
sample("torch.mul", X(), 2.5)
for name in ("div", "divide"):
    sample(f"torch.{name}", X(), X(domain="nonzero"))
sample("torch.div", X("mn"), 4.0)
sample("torch.div", X(), X(domain="nonzero"), rounding_mode="floor",
       known="PyTorch records DivBackward2 (a zero derivative); gd records nothing")
sample("torch.pow", X(domain="positive"), X())
sample("torch.pow", X(), 3)
sample("torch.pow", X(domain="positive"), 0.5)
sample("torch.clamp", X(), min=-0.5, max=0.5)
sample("torch.clamp", X(), min=0.0)
sample("torch.clip", X(), -0.3, 0.3)
sample("torch.maximum", X(domain="distinct"), X(domain="distinct"))
sample("torch.minimum", X(domain="distinct"), X(domain="distinct"))
sample("torch.remainder", X(), 0.7)
sample("torch.floor_divide", X(), X(domain="nonzero"),
       known="PyTorch prints grad_fn=<NotImplemented>; gd records nothing")
sample("torch.where", Mask(), X(), X())
sample("torch.clamp_min", X(), 0.1)
sample("torch.clamp_max", X(), 0.1)
for name in ("add_", "sub_", "mul_"):
    sample(f"Tensor.{name}", X(), X())
sample("Tensor.div_", X(), X(domain="nonzero"))
sample("Tensor.pow_", X(domain="positive"), 2)
sample("Tensor.clamp_", X(), -0.5, 0.5)
sample("Tensor.clamp_min_", X(), 0.1)
sample("Tensor.clamp_max_", X(), 0.1)
for name in ("neg_", "exp_", "sin_", "cos_", "tanh_", "sigmoid_"):
    sample(f"Tensor.{name}", X())
for name in ("log_", "sqrt_"):
    sample(f"Tensor.{name}", X(domain="positive"))
for name in ("relu_", "abs_"):
    sample(f"Tensor.{name}", X(domain="nonzero"))

# comparisons and logic: values only
for name in ("eq", "ne", "lt", "le", "gt", "ge"):
    sample(f"Tensor.{name}", X(domain="small_int", dtype="float64"), X(domain="small_int"))
sample("torch.logical_not", Mask())
sample("torch.logical_and", Mask(), Mask())
sample("torch.logical_or", Mask(), Mask())
sample("torch.isnan", X())
sample("torch.isfinite", X())
sample("torch.allclose", X(), X())
sample("torch.isclose", X(), X())
sample("torch.equal", X(), X())
