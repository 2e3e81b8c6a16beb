"""Samples: elementwise math, arithmetic, comparisons and logic."""

from samples import Mask, X, sample, untested

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
sample("torch.sub", X("mn"), X("n"), alpha=0.3)
sample("Tensor.add", X("mn"), X("n"), alpha=-1.5)
sample("torch.add", X(), 3.0)
sample("torch.mul", X(), 2.5)
for name in ("div", "divide"):
    sample(f"torch.{name}", X(), X(domain="nonzero"))
sample("torch.div", X("mn"), 4.0)
sample("torch.div", X(), X(domain="nonzero"), rounding_mode="floor")
sample("torch.div", X(), 0.7, rounding_mode="trunc")
sample("torch.div", 3.0, X(domain="nonzero"))
sample("torch.pow", X(domain="positive"), X())
sample("torch.pow", X(), 3)
sample("torch.pow", X(domain="positive"), 0.5)
sample("torch.clamp", X(), min=-0.5, max=0.5)
sample("torch.clamp", X(), min=0.0)
sample("torch.clip", X(), -0.3, 0.3)
sample("torch.maximum", X(domain="distinct"), X(domain="distinct"))
sample("torch.minimum", X(domain="distinct"), X(domain="distinct"))
sample("torch.remainder", X(), 0.7)
sample("torch.floor_divide", X(), X(domain="nonzero"), grad=False)
sample("torch.floor_divide", X(domain="int", dtype="int64"), 3)
sample("torch.where", Mask(), X(), X(), method=False)
untested("Tensor.where", "x.where(c, y) is torch.where(c, x, y): tests/test_tensor_real.py")
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

# -- the math family (gradcli/ad/ops/math.py) ---------------------------------------------
_DOMAIN = {"asin": "unit", "acos": "unit", "atanh": "unit", "erfinv": "unit",
           "acosh": "above1", "log2": "positive", "log10": "positive", "rsqrt": "positive",
           "logit": "prob", "frac": "nonzero", "trunc": "nonzero", "sgn": "nonzero"}
_ALIAS = {"arctan": "atan", "arcsin": "asin", "arccos": "acos", "arcsinh": "asinh",
          "arccosh": "acosh", "arctanh": "atanh", "fix": "trunc"}
for name in ("atan", "asin", "acos", "sinh", "cosh", "asinh", "acosh", "atanh", "log2",
             "log10", "expm1", "exp2", "erf", "erfc", "erfinv", "rsqrt", "sinc", "frac",
             "trunc", "rad2deg", "deg2rad", "sgn", "logit", "nan_to_num", *_ALIAS):
    domain = _DOMAIN.get(_ALIAS.get(name, name), "real")
    sample(f"torch.{name}", X(domain=domain))
    # x.asinh_() has no derivative in PyTorch (tests/test_ops_math.py checks the error)
    sample(f"Tensor.{name}_", X(domain=domain),
           grad=_ALIAS.get(name, name) not in ("asinh", "acosh", "atanh"))
for name in ("erf", "erfc", "erfinv", "expm1", "exp2", "sinc", "logit", "log1p"):
    sample(f"torch.special.{name}", X(domain=_DOMAIN.get(name, "positive")))
sample("torch.special.expit", X())
sample("torch.special.round", X(domain="nonzero"))
sample("torch.special.round", X(domain="nonzero"), decimals=1)
sample("torch.round", X(domain="nonzero"), decimals=0)
sample("torch.special.xlogy", X(), X(domain="positive"))
sample("torch.special.log_softmax", X("mn"), 1)
sample("torch.special.softmax", X("mn"), 0)
sample("torch.special.logsumexp", X("mn"), 1)
sample("torch.logit", X(domain="unit"), eps=0.2)
sample("torch.nan_to_num", X(), nan=1.0, posinf=2.0)
sample("torch.positive", X())
for name in ("atan2", "arctan2", "hypot", "logaddexp", "logaddexp2"):
    sample(f"torch.{name}", X("mn"), X("n"))
for name in ("atan2", "arctan2", "hypot"):
    sample(f"Tensor.{name}_", X(), X())
sample("torch.fmod", X(), X(domain="nonzero"))
sample("torch.fmod", X(), 0.7)
sample("Tensor.fmod_", X(), 0.7)
sample("Tensor.remainder_", X(), X(domain="nonzero"))
sample("torch.copysign", X(), X(domain="nonzero"))
sample("torch.copysign", X(domain="nonzero"), -1.0)
sample("Tensor.copysign_", X(domain="nonzero"), X(domain="nonzero"))
sample("torch.xlogy", X(), X(domain="positive"))
sample("torch.xlogy", X(), 2.5)
sample("torch.xlogy", 2.0, X(domain="positive"))
sample("Tensor.xlogy_", X(), X(domain="positive"))
sample("torch.lerp", X("mn"), X("mn"), 0.3)
sample("torch.lerp", X("mn"), X("n"), X("mn", domain="prob"))
sample("Tensor.lerp_", X(), X(), 0.7)
sample("torch.float_power", X(domain="positive"), 2)
sample("torch.float_power", X(domain="positive", dtype="float32"), X(dtype="float32"))
sample("Tensor.float_power_", X(domain="positive"), 2.5)
sample("torch.true_divide", X(), X(domain="nonzero"))
sample("Tensor.true_divide_", X(), X(domain="nonzero"))
for name in ("floor_", "ceil_", "round_", "sign_"):
    sample(f"Tensor.{name}", X(domain="nonzero"))
for name in ("reciprocal_", "log1p_"):
    sample(f"Tensor.{name}", X(domain="positive"))
sample("Tensor.tan_", X(domain="unit"))
sample("Tensor.square_", X())
sample("Tensor.floor_divide_", X(), X(domain="nonzero"), grad=False)
