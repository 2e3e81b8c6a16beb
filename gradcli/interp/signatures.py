"""PyTorch 2.13's Python signatures of the torch functions and Tensor methods gd checks
(argcheck.py), in PyTorch's own syntax (torch/csrc/utils/python_arg_parser.cpp) and in
the order PyTorch lists them in its messages; `|hidden` marks an overload PyTorch accepts
but never lists (its deprecated forms).

A spelling without an entry is not checked (tensor-only ops such as tanh or exp: the hot
path stays as it is).
"""

from __future__ import annotations

# Functions whose Tensor parameters also take Python numbers (should_allow_numbers_as_tensors).
NUMBERS_AS_TENSORS = frozenset((
    "add", "add_", "div", "div_", "divide", "divide_", "mul", "mul_", "multiply",
    "multiply_", "sub", "sub_", "subtract", "subtract_", "true_divide", "true_divide_", "to",
    "copy_", "floor_divide", "floor_divide_"))

_F = ("ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
      "bool? pin_memory=False, bool? requires_grad=False")
_OUT_F = "Tensor out=None, " + _F


_FUNCTION_TAILS = {"{out}": ", *, Tensor out=None", "{kout}": ", Tensor out=None",
                   "{pair}": ", *, TensorList[2] out=None", "{pair_kw}": ", TensorList[2] out=None"}


def _both(name: str, *sigs: str) -> dict[str, tuple[str, ...]]:
    """torch.NAME (`Tensor input` first) and the method Tensor.NAME (without it). The
    function's `out=` tails are written {out} (`, *, Tensor out=None`), {kout} (after
    other keyword-only parameters) and {pair}/{pair_kw} (a (values, indices) out)."""
    fn, method = [], []
    for s in sigs:
        f = "(Tensor input" + ("" if s[1] in "{)" else ", ") + s[1:]
        for key, tail in _FUNCTION_TAILS.items():
            f = f.replace(key, tail)
            s = s.replace(key, "")
        fn.append(name + f)
        method.append(name + s)
    return {f"torch.{name}": tuple(fn), f"Tensor.{name}": tuple(method)}


def _methods(name: str, *sigs: str) -> dict[str, tuple[str, ...]]:
    return {f"Tensor.{name}": tuple(f"{name}{s}" for s in sigs)}


def _functions(name: str, *sigs: str) -> dict[str, tuple[str, ...]]:
    return {f"torch.{name}": tuple(f"{name}{s}" for s in sigs)}


_ALPHA = ("(Tensor other, *, Scalar alpha=1{kout})",
          "(Scalar alpha, Tensor other{out})|hidden")
_ALPHA_ = ("(Tensor other, *, Scalar alpha=1)", "(Scalar alpha, Tensor other)|hidden")
_CLAMP = ("(Tensor? min=None, Tensor? max=None{out})",
          "(Scalar? min=None, Scalar? max=None{out})")
_DIMS = ("(*, ScalarType? dtype=None)",
         "(IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None{kout})")
_MINMAX = ("({out})", "(Tensor other{out})",
           "(int64_t dim, bool keepdim=False{pair})")
_STD = ("(IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False{out})",
        "(IntArrayRef[1]? dim=None, *, Scalar? correction=None, bool keepdim=False{kout})",
        "(bool unbiased=True)")

SIGNATURES: dict[str, tuple[str, ...]] = {
    # arithmetic
    **_both("add", *_ALPHA), **_methods("add_", *_ALPHA_),
    **_both("sub", *_ALPHA), **_methods("sub_", *_ALPHA_),
    **_both("mul", "(Tensor other{out})"), **_methods("mul_", "(Tensor other)"),
    **_both("div", "(Tensor other{out})",
            "(Tensor other, *, c10::string_view? rounding_mode{kout})",
            "(Scalar other, *, c10::string_view? rounding_mode)"),
    **_methods("div_", "(Tensor other)", "(Tensor other, *, c10::string_view? rounding_mode)",
               "(Scalar other, *, c10::string_view? rounding_mode)"),
    **_functions("pow", "(Tensor input, Tensor exponent, *, Tensor out=None)",
                 "(Scalar self, Tensor exponent, *, Tensor out=None)",
                 "(Tensor input, Scalar exponent, *, Tensor out=None)"),
    **_methods("pow", "(Tensor exponent)", "(Scalar exponent)"),
    **_methods("pow_", "(Tensor exponent)", "(Scalar exponent)"),
    **_both("clamp", *_CLAMP),
    **_methods("clamp_", *(s.replace("{out}", "") for s in _CLAMP)),
    **_functions("where", "(Tensor condition)",
                 "(Tensor condition, Tensor input, Tensor other, *, Tensor out=None)",
                 "(Tensor condition, Scalar self, Tensor other)",
                 "(Tensor condition, Tensor input, Scalar other)",
                 "(Tensor condition, Scalar self, Scalar other)"),
    **_both("lerp", "(Tensor end, Tensor weight{out})", "(Tensor end, Scalar weight{out})"),
    **_methods("fill_", "(Tensor value)", "(Scalar value)"),
    **_methods("copy_", "(Tensor other, bool non_blocking=False)",
               "(Storage src, bool? non_blocking=None)",
               "(Tensor other, bool async=False)|hidden"),
    **_both("masked_fill", "(Tensor mask, Tensor value)", "(Tensor mask, Scalar value)"),
    **_methods("masked_fill_", "(Tensor mask, Tensor value)", "(Tensor mask, Scalar value)"),
    # shapes and dims
    **_methods("view", "(ScalarType dtype)", "(SymIntArrayRef size)"),
    **_both("reshape", "(SymIntArrayRef shape)"),
    **_methods("repeat", "(SymIntArrayRef repeats)"),
    **_methods("expand", "(SymIntArrayRef size, *, bool implicit=False)"),
    **_both("permute", "(IntArrayRef dims)"),
    **_both("transpose", "(int64_t dim0, int64_t dim1)"),
    **_both("unsqueeze", "(int64_t dim)"),
    **_both("squeeze", "()", "(int64_t dim)", "(IntArrayRef dim)"),
    **_both("flatten", "(int64_t start_dim=0, int64_t end_dim=-1)"),
    **_both("narrow", "(int64_t dim, Tensor start, SymInt length)",
            "(int64_t dim, SymInt start, SymInt length)"),
    **_both("roll", "(SymIntArrayRef[1] shifts, IntArrayRef[1] dims=None{out})"),
    **_both("flip", "(IntArrayRef dims{out})"),
    **_both("diag", "(int64_t diagonal=0{out})"),
    **_both("tril", "(SymInt diagonal=0{out})"),
    **_both("triu", "(SymInt diagonal=0{out})"),
    **_both("gather", "(int64_t dim, Tensor index, *, bool sparse_grad=False{kout})"),
    **_functions("cat", "(TensorList tensors, int64_t dim=0, *, Tensor out=None)"),
    **_functions("stack", "(TensorList tensors, int64_t dim=0, *, Tensor out=None)"),
    # conversions
    **_methods("to", "(Device? device=None, ScalarType? dtype=None, bool non_blocking=False, "
               "bool copy=False, *, MemoryFormat? memory_format=None)",
               "(ScalarType dtype, bool non_blocking=False, bool copy=False, *, "
               "MemoryFormat? memory_format=None)",
               "(Tensor tensor, bool non_blocking=False, bool copy=False, *, "
               "MemoryFormat? memory_format=None)"),
    **{k: v for n in ("float", "double", "long", "int", "bool")
       for k, v in _methods(n, "(*, MemoryFormat? memory_format=None)").items()},
    # reductions
    **_both("sum", *_DIMS),
    **_both("mean", _DIMS[0].replace(")", "{kout})"), _DIMS[1]),
    **_both("prod", "(*, ScalarType? dtype=None)",
            "(int64_t dim, bool keepdim=False, *, ScalarType? dtype=None{kout})"),
    **_both("max", *_MINMAX), **_both("min", *_MINMAX),
    **_both("argmax", "(int64_t? dim=None, bool keepdim=False{out})"),
    **_both("argmin", "(int64_t? dim=None, bool keepdim=False{out})"),
    **_both("cumsum", "(int64_t dim, *, ScalarType? dtype=None{kout})"),
    **_both("softmax", "(int64_t dim, ScalarType? dtype=None{out})"),
    **_both("log_softmax", "(int64_t dim, ScalarType? dtype=None{out})"),
    **_both("std", *_STD), **_both("var", *_STD),
    **_both("topk", "(SymInt k, int64_t dim=-1, bool largest=True, bool sorted=True{pair})"),
    **_both("sort", "(*, bool? stable, int64_t dim=-1, bool descending=False{pair_kw})",
            "(int64_t dim=-1, bool descending=False{pair})"),
    # creation
    **_functions("zeros", f"(SymIntArrayRef size, *, {_OUT_F})"),
    **_functions("ones", f"(SymIntArrayRef size, *, {_OUT_F})"),
    **_functions("empty", f"(SymIntArrayRef size, *, MemoryFormat? memory_format=None, {_OUT_F})"),
    **_functions("full", f"(SymIntArrayRef size, Scalar fill_value, *, {_OUT_F})"),
    **_functions("arange", f"(Scalar end, *, {_OUT_F})", f"(Scalar start, Scalar end, *, {_F})",
                 f"(Scalar start, Scalar end, Scalar step=1, *, {_OUT_F})"),
    **_functions("linspace", *(f"({a} start, {b} end, int64_t steps, *, {_OUT_F})" for a, b in (
        ("Tensor", "Tensor"), ("Scalar", "Tensor"), ("Tensor", "Scalar"), ("Scalar", "Scalar")))),
    **_functions("eye", f"(SymInt n, *, {_OUT_F})", f"(SymInt n, SymInt m, *, {_OUT_F})"),
    **_functions("rand", f"(SymIntArrayRef size, *, Generator? generator, {_OUT_F})",
                 f"(SymIntArrayRef size, *, {_OUT_F})"),
    **_functions("randn", f"(SymIntArrayRef size, *, Generator? generator, {_OUT_F})",
                 f"(SymIntArrayRef size, *, {_OUT_F})"),
    **_functions("randint", *(f"({lead}SymIntArrayRef size, *, {gen}{_OUT_F})"
                              for lead in ("SymInt high, ", "SymInt low, SymInt high, ")
                              for gen in ("Generator? generator, ", ""))),
    **{f"torch.{n}_like": (f"{n}_like(Tensor input, *, MemoryFormat? memory_format=None, {_F})",)
       for n in ("zeros", "ones")},
    **_functions("full_like", "(Tensor input, Scalar fill_value, *, "
                 f"MemoryFormat? memory_format=None, {_F})"),
    **{f"torch.{n}_like": (
        f"{n}_like(Tensor input, *, Generator? generator, MemoryFormat? memory_format=None, {_F})",
        f"{n}_like(Tensor input, *, MemoryFormat? memory_format=None, {_F})")
       for n in ("rand", "randn")},
    **_functions("tensor", "(PyObject* data, *, ScalarType? dtype=None, Device? device=None, "
                 "bool pin_memory=False, bool requires_grad=False, DimnameList? names=None)"),
    **_methods("new_zeros", f"(SymIntArrayRef size, *, {_F})"),
    **_methods("new_ones", f"(SymIntArrayRef size, *, {_F})"),
    **_methods("new_full", f"(SymIntArrayRef size, Scalar fill_value, *, {_F})"),
}

# torch.nn.functional.X written in Python in PyTorch: it checks its dim and dtype by calling
# the method (`input.softmax(dim, dtype=dtype)`), so the method's schema and words apply.
FUNCTIONAL_METHODS = {"torch.nn.functional.softmax": "Tensor.softmax",
                      "torch.nn.functional.log_softmax": "Tensor.log_softmax"}

# torch functions written in Python in PyTorch: what their code does first with a tensor
# argument that is not one. (argument index, "op:name:position") is the TypeError of the
# C op it calls ("relu(): argument 'input' (position 1) must be Tensor, not float"),
# (argument index, ".attr") the AttributeError of the first tensor attribute it reads
# ("'float' object has no attribute 'size'"); checked in order.
_NN = "torch.nn.functional."
_SIZE_FIRST = ((1, ".size"), (0, ".size"))  # `if not (target.size() == input.size())`
PY_TENSOR_ARGS: dict[str, tuple[tuple[int, str], ...]] = {
    **{_NN + n: ((0, f"{n}:input:1"),) for n in (
        "relu", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "hardtanh", "relu6",
        "hardsigmoid", "hardswish", "dropout", "threshold", "layer_norm", "batch_norm", "pad",
        "hinge_embedding_loss", "poisson_nll_loss", "kl_div")},
    **{_NN + n: _SIZE_FIRST for n in (
        "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
        "binary_cross_entropy_with_logits")},
    _NN + "gaussian_nll_loss": ((0, ".size"),), _NN + "adaptive_avg_pool2d": ((0, ".size"),),
    _NN + "cross_entropy": ((0, "cross_entropy_loss:input:1"),
                            (1, "cross_entropy_loss:target:2")),
    _NN + "nll_loss": ((0, "nll_loss_nd:input:1"), (1, "nll_loss_nd:target:2")),
    _NN + "embedding": ((1, "embedding:weight:1"), (0, "embedding:indices:2")),
    _NN + "triplet_margin_loss": ((0, "triplet_margin_loss:anchor:1"),
                                  (1, "triplet_margin_loss:positive:2"),
                                  (2, "triplet_margin_loss:negative:3")),
    _NN + "rrelu": ((0, "rrelu:input:1"),), _NN + "rrelu_": ((0, "rrelu_:input:1"),),
    _NN + "softsign": ((0, ".abs"),), _NN + "tanhshrink": ((0, ".tanh"),),
    _NN + "softmin": ((0, ".dim"),), _NN + "sigmoid": ((0, ".sigmoid"),),
    _NN + "tanh": ((0, ".tanh"),), _NN + "normalize": ((0, ".norm"),),
    _NN + "glu": ((0, ".dim"),), _NN + "margin_ranking_loss": ((0, ".dim"),),
    _NN + "group_norm": ((0, ".dim"),),
    "torch.norm": ((0, ".layout"),), "torch.split": ((0, ".split"),),
    "torch.tensordot": ((0, ".dim"),), "torch.unique": ((0, "_unique2:input:1"),),
    "torch.cdist": ((0, "cdist:x1:1"), (1, "cdist:x2:2")),
    "torch.lu": ((0, "_lu_with_info:input:1"),),
    # spatial layers written in Python: their C op's TypeError, or the first attribute read
    _NN + "alpha_dropout": ((0, "alpha_dropout:input:1"),),
    _NN + "feature_alpha_dropout": ((0, "feature_alpha_dropout:input:1"),),
    _NN + "instance_norm": ((0, ".size"),),
    **{_NN + n: ((0, ".dim"),) for n in (
        "dropout1d", "dropout2d", "dropout3d", "interpolate", "upsample", "upsample_nearest",
        "upsample_bilinear")},
}

# Their optional tensor parameters (weights, biases, running statistics) given a number:
# the same failures, after the checks above (r26's keyword sweep: a number was used as a
# weight where PyTorch fails).
for _name, _more in (
        ("binary_cross_entropy", ((2, ".size"),)),
        ("binary_cross_entropy_with_logits", (
            (2, "binary_cross_entropy_with_logits:weight:3"),
            (6, "binary_cross_entropy_with_logits:pos_weight:4"))),
        ("cross_entropy", ((2, "cross_entropy_loss:weight:3"),)),
        ("nll_loss", ((2, "nll_loss_nd:weight:3"),)),
        ("multi_margin_loss", ((4, ".dim"),)),
        ("mse_loss", ((5, ".size"),)), ("l1_loss", ((5, ".size"),)),
        ("huber_loss", ((4, ".size"),)),
        ("group_norm", ((2, "group_norm:weight:3"), (3, "group_norm:bias:4"))),
        ("layer_norm", ((2, "layer_norm:weight:3"), (3, "layer_norm:bias:4"))),
        ("rms_norm", ((2, "rms_norm:weight:3"),)),
        ("instance_norm", ((3, "instance_norm:weight:2"), (4, "instance_norm:bias:3"),
                           (1, "instance_norm:running_mean:4"),
                           (2, "instance_norm:running_var:5")))):
    PY_TENSOR_ARGS[_NN + _name] = PY_TENSOR_ARGS.get(_NN + _name, ()) + _more

# torch functions taking tensors as *args (PyTorch's Python code passes them on as one
# TensorList): each must be a tensor ("expected Tensor as element 0 in argument 0, but got
# float"). True: one list or tuple argument is the list itself (meshgrid([a, b])).
TENSOR_VARARGS = {"torch.broadcast_tensors": False, "torch.block_diag": False,
                  "torch.cartesian_prod": False, "torch.meshgrid": True,
                  "torch.atleast_1d": True, "torch.atleast_2d": True, "torch.atleast_3d": True}
