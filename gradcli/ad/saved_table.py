"""What each node saves for backward, by its grad_fn name, as PyTorch names it (the
derivative formulas' arguments in derivatives.yaml): read back by `grad_fn._saved_*`
(gradcli/interp/saved_attrs.py), and consulted when a node is recorded, since PyTorch
refuses to save an inference tensor (an input is saved only where the table says)."""

from __future__ import annotations

from typing import Any

#: grad_fn name -> its saved attributes (the tensors in the order PyTorch packs them for
#: saved_tensors_hooks), each read from the node as: an input's index and
#: the index of the input whose derivative needs it (None: always saved), "result", or a
#: string naming what else: "sizes"/"numel" (of input 0), "stridesI" (input I's strides,
#: saved only when it requires grad: () otherwise), "indices" (the positions a
#: max/min/sort/topk/kthvalue picked), "p:NAME" (a parameter as given), "dim:NAME" (a dim
#: parameter as PyTorch prints it: a negative one as the unsigned 64-bit number it wraps
#: to), "dims:NAME" (the same as a tuple, None for all dims).
_UNARY_SELF = {"self": (0, None)}
_UNARY_RESULT = {"result": "result"}
_BINARY = {"other": (1, 0), "self": (0, 1)}
_BOTH = {"other": (1, None), "self": (0, None)}
_REDUCED = {"dim": "dims:dim", "keepdim": "p:keepdim=False", "self_sym_sizes": "sizes"}
_PICKED = {"dim": "dim:dim", "indices": "indices", "keepdim": "p:keepdim=False",
           "self_sym_sizes": "sizes"}
_PICKED_AT = {"indices": "indices", "keepdim": "p:keepdim=False", "self_sym_sizes": "sizes"}
_ALPHA = {"alpha": "p:alpha=1"}
SAVED: dict[str, dict[str, Any]] = {
    "MulBackward0": _BINARY,
    "DivBackward0": {"other": (1, None), "self": (0, 1)},
    "PowBackward0": {"self": (0, None), "exponent": (1, None)},
    "PowBackward1": {"exponent": (1, None), "self": (0, None), "result": "result"},
    "PowBackward2": {"self": (0, None), "exponent": (1, None), "result": "result"},
    "MvBackward0": {"self": (0, 1), "vec": (1, 0)},
    "MmBackward0": {"mat2": (1, 0), "self": (0, 1), "self_sym_sizes": "sizes",
                    "mat2_sym_sizes": "sizes1", "self_sym_strides": "strides0",
                    "mat2_sym_strides": "strides1"},
    "BmmBackward0": {"self": (0, 1), "mat2": (1, 0)},
    "DotBackward0": {"self": (0, 1), "tensor": (1, 0)},
    "AddmmBackward0": {"mat1": (1, 2), "mat2": (2, 1), "alpha": "p:alpha=1",
                       "beta": "p:beta=1", "mat1_sym_sizes": "sizes1",
                       "mat2_sym_sizes": "sizes2", "mat1_sym_strides": "strides1",
                       "mat2_sym_strides": "strides2"},
    "AddcmulBackward0": {"tensor1": (1, 2), "tensor2": (2, 1), "value": "p:value=1"},
    "AddcdivBackward0": {"tensor1": (1, 2), "tensor2": (2, None), "value": "p:value=1"},
    **dict.fromkeys(
        ("AbsBackward0", "SinBackward0", "CosBackward0", "LogBackward0", "Log2Backward0",
         "Log10Backward0", "Log1pBackward0", "AsinBackward0", "AcosBackward0",
         "AtanBackward0", "SinhBackward0", "CoshBackward0", "AsinhBackward0",
         "AcoshBackward0", "AtanhBackward0", "ErfBackward0", "ErfcBackward0",
         "ErfinvBackward0", "LgammaBackward0", "DigammaBackward0", "SiluBackward0",
         "MishBackward0", "HardswishBackward0", "HardsigmoidBackward0", "SgnBackward0"),
        _UNARY_SELF),
    **dict.fromkeys(
        ("ExpBackward0", "Exp2Backward0", "Expm1Backward0", "TanhBackward0",
         "SigmoidBackward0", "ReluBackward0", "SqrtBackward0", "RsqrtBackward0",
         "ReciprocalBackward0", "TanBackward0"), _UNARY_RESULT),
    **dict.fromkeys(("MaximumBackward0", "MinimumBackward0", "Atan2Backward0",
                     "XlogyBackward0", "LogaddexpBackward0", "FmaxBackward0",
                     "FminBackward0"), _BOTH),
    "HypotBackward0": {**_BOTH, "result": "result"},
    "DistBackward0": {**_BOTH, "p": "p:p=2", "result": "result"},
    "MaxBackward1": {"self": (0, None), "result": "result"},
    "MinBackward1": {"self": (0, None), "result": "result"},
    "MedianBackward0": {"self": (0, None), "result": "result"},
    "ProdBackward0": {"self": (0, None), "result": "result"},
    "ProdBackward1": {"self": (0, None), "result": "result", "dim": "dim:dim",
                      "keepdim": "p:keepdim=False"},
    "AmaxBackward0": {"self": (0, None), "result": "result", "dim": "dims:dim=()",
                      "keepdim": "p:keepdim=False"},
    "AminBackward0": {"self": (0, None), "result": "result", "dim": "dims:dim=()",
                      "keepdim": "p:keepdim=False"},
    "MaxBackward0": _PICKED, "MinBackward0": _PICKED,
    **dict.fromkeys(("KthvalueBackward0", "ModeBackward0", "MedianBackward1"), _PICKED_AT),
    **dict.fromkeys(("AddBackward0", "SubBackward0", "RsubBackward0", "RsubBackward1"),
                    _ALPHA),
    "LerpBackward0": {"weight": "n:2"},
    "SortBackward0": {"indices": "indices", "self_sym_sizes": "sizes"},
    "TopkBackward0": {"indices": "indices", "self_sym_sizes": "sizes"},
    "SumBackward0": {"self_sym_sizes": "sizes"},
    "SumBackward1": _REDUCED,
    "MeanBackward0": {"self_sym_sizes": "sizes", "self_sym_numel": "numel"},
    "MeanBackward1": {**_REDUCED, "self_sym_numel": "numel"},
    "LogsumexpBackward0": {"self": (0, None), "result": "result", "dim": "dims:dim",
                           "keepdim": "p:keepdim=False"},
    "VarBackward0": {"self": (0, None), "dim": "dims:dim", "keepdim": "p:keepdim=False"},
    "StdBackward0": {"self": (0, None), "result": "result", "dim": "dims:dim",
                     "keepdim": "p:keepdim=False"},
    "SoftmaxBackward0": {"dim": "dim:dim", "result": "result"},
    "LogSoftmaxBackward0": {"dim": "dim:dim", "result": "result"},
    "CumprodBackward0": {"self": (0, None), "result": "result"},
    "WhereBackward0": {"condition": (0, None)},
    "GatherBackward0": {"self": (0, None), "index": "p:index",
                        "sparse_grad": "p:sparse_grad=False"},
    "IndexSelectBackward0": {"index": "p:index", "self_sym_sizes": "sizes"},
    "MaskedFillBackward0": {"mask": "p:mask"},
    "ScatterBackward0": {"index": "p:index"},
    "ExpandBackward0": {"self_sym_sizes": "sizes"},
    "ViewBackward0": {"self_sym_sizes": "sizes"},
    "UnsafeViewBackward0": {"self_sym_sizes": "sizes"},
    "PermuteBackward0": {"dims": "p:dims"},
    "CatBackward0": {"dim": "dim:dim"},
    "StackBackward0": {"dim": "dim:dim"},
    "ClampBackward1": {"self": (0, None), "min": "p:min=None", "max": "p:max=None"},
    "ClampMinBackward0": {"self": (0, None), "min": "p:min"},
    "ClampMaxBackward0": {"self": (0, None), "max": "p:max"},
    "LeakyReluBackward0": {"self": (0, None), "negative_slope": "p:negative_slope=0.01"},
    "HardtanhBackward0": {"self": (0, None), "min_val": "p:min_val=-1.0",
                          "max_val": "p:max_val=1.0"},
    "SoftplusBackward0": {"self": (0, None), "beta": "p:beta=1", "threshold": "p:threshold=20"},
    "GeluBackward0": {"self": (0, None), "approximate": "p:approximate=none"},
    "MseLossBackward0": {"self": (0, None), "target": (1, None), "reduction": "reduction"},
    "L1LossBackward0": {"self": (0, None), "target": (1, None), "reduction": "reduction"},
    "BinaryCrossEntropyBackward0": {"self": (0, None), "target": (1, None),
                                    "weight": "p:weight=None", "reduction": "reduction"},
    "LinalgVectorNormBackward0": {"self": (0, None), "result": "result", "ord": "p:p=2",
                                  "dim": "dims:dim", "keepdim": "p:keepdim=False"},
}

#: Ops recorded under another op's node name, with their own inputs (grad_fn.name() is
#: the key above, these inputs are not its): F.linear(x, w, b) is PyTorch's addmm(b, x,
#: wᵀ). An entry (i, j, "t") is input i transposed; "sizesTI"/"stridesTI" likewise.
SAVED_OF_OP: dict[str, dict[str, Any]] = {
    "linear": {"mat1": (0, 1), "mat2": (1, 0, "t"), "alpha": "p:alpha=1", "beta": "p:beta=1",
               "mat1_sym_sizes": "sizes0", "mat2_sym_sizes": "sizesT1",
               "mat1_sym_strides": "strides0", "mat2_sym_strides": "stridesT1"},
}


def saved_entry(op: str, name: str) -> dict[str, Any]:
    """The saved attributes of a node of op `op` named `name` (empty when unknown)."""
    entry = SAVED_OF_OP.get(op)
    return SAVED.get(name, {}) if entry is None else entry


def saved_inputs(name: str, args: tuple[Any, ...]) -> list[int] | None:
    """The indices of the inputs a node of this name saves for these args (an input's
    entry (i, j): saved when input j requires grad, or always for j None); None when the
    table does not know the node."""
    entry = SAVED.get(name)
    if entry is None:
        return None
    out = []
    for what in entry.values():
        if type(what) is tuple:
            i, j = what[:2]
            if j is None or (j < len(args) and getattr(args[j], "requires_grad", False)):
                out.append(i)
    return out
