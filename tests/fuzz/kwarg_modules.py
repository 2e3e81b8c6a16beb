"""The keyword sweep's nn modules (r26): each module class's constructor keywords at
non-default values, the module printed, called on a small input and differentiated
(tests/fuzz/kwarg_sweep.py runs and classifies them)."""

from __future__ import annotations

import inspect
from typing import Any

#: Module → (its required constructor arguments, its call's inputs): source text, where
#: `X(shape)` is a float input that requires grad, `I(shape, high)` int64 indices.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Linear": ("3, 2", ("X(2, 3)",)),
    "Bilinear": ("3, 2, 4", ("X(2, 3)", "X(2, 2)")),
    "Conv1d": ("2, 3, 2", ("X(1, 2, 5)",)),
    "Conv2d": ("2, 3, 2", ("X(1, 2, 4, 4)",)),
    "Conv3d": ("2, 2, 2", ("X(1, 2, 3, 3, 3)",)),
    "ConvTranspose1d": ("2, 3, 2", ("X(1, 2, 4)",)),
    "ConvTranspose2d": ("2, 3, 2", ("X(1, 2, 3, 3)",)),
    "BatchNorm1d": ("3", ("X(4, 3)",)),
    "BatchNorm2d": ("3", ("X(2, 3, 2, 2)",)),
    "InstanceNorm1d": ("3", ("X(2, 3, 4)",)),
    "InstanceNorm2d": ("3", ("X(2, 3, 2, 2)",)),
    "LayerNorm": ("3", ("X(2, 3)",)),
    "GroupNorm": ("2, 4", ("X(2, 4, 3)",)),
    "RMSNorm": ("3", ("X(2, 3)",)),
    "LocalResponseNorm": ("2", ("X(1, 4, 3)",)),
    "Embedding": ("5, 3", ("I((2, 3), 5)",)),
    "EmbeddingBag": ("5, 3", ("I((2, 3), 5)",)),
    "Dropout": ("", ("X(2, 3)",)),
    "Flatten": ("", ("X(2, 3, 2)",)),
    "Unflatten": ("1, (2, 3)", ("X(2, 6)",)),
    "ELU": ("", ("X(2, 3)",)), "CELU": ("", ("X(2, 3)",)), "SELU": ("", ("X(2, 3)",)),
    "GELU": ("", ("X(2, 3)",)), "GLU": ("", ("X(2, 4)",)), "Hardshrink": ("", ("X(2, 3)",)),
    "Hardsigmoid": ("", ("X(2, 3)",)), "Hardswish": ("", ("X(2, 3)",)),
    "Hardtanh": ("", ("X(2, 3)",)), "LeakyReLU": ("", ("X(2, 3)",)),
    "LogSigmoid": ("", ("X(2, 3)",)), "LogSoftmax": ("", ("X(2, 3)",)),
    "Mish": ("", ("X(2, 3)",)), "PReLU": ("", ("X(2, 3)",)), "ReLU": ("", ("X(2, 3)",)),
    "ReLU6": ("", ("X(2, 3)",)), "RReLU": ("", ("X(2, 3)",)), "SiLU": ("", ("X(2, 3)",)),
    "Sigmoid": ("", ("X(2, 3)",)), "Softmax": ("", ("X(2, 3)",)),
    "Softmin": ("", ("X(2, 3)",)), "Softplus": ("", ("X(2, 3)",)),
    "Softshrink": ("", ("X(2, 3)",)), "Softsign": ("", ("X(2, 3)",)),
    "Tanh": ("", ("X(2, 3)",)), "Tanhshrink": ("", ("X(2, 3)",)),
    "Threshold": ("0.1, 20.0", ("X(2, 3)",)),
    "CosineSimilarity": ("", ("X(2, 3)", "X(2, 3)")),
    "PairwiseDistance": ("", ("X(2, 3)", "X(2, 3)")),
    "MaxPool1d": ("2", ("X(1, 2, 5)",)), "MaxPool2d": ("2", ("X(1, 2, 5, 5)",)),
    "AvgPool1d": ("2", ("X(1, 2, 5)",)), "AvgPool2d": ("2", ("X(1, 2, 5, 5)",)),
    "LPPool1d": ("2, 2", ("X(1, 2, 5)",)), "LPPool2d": ("2, 2", ("X(1, 2, 4, 4)",)),
    "AdaptiveAvgPool1d": ("2", ("X(1, 2, 5)",)), "AdaptiveMaxPool1d": ("2", ("X(1, 2, 5)",)),
    "AdaptiveMaxPool2d": ("2", ("X(1, 2, 5, 5)",)),
    "Upsample": ("None, 2.0", ("X(1, 2, 3, 3)",)),
    "PixelShuffle": ("2", ("X(1, 4, 2, 2)",)), "PixelUnshuffle": ("2", ("X(1, 1, 4, 4)",)),
    "Fold": ("(3, 3), 2", ("X(1, 4, 4)",)), "Unfold": ("2", ("X(1, 2, 3, 3)",)),
    "ZeroPad2d": ("1", ("X(1, 1, 2, 2)",)), "ConstantPad1d": ("1, 0.5", ("X(1, 2, 3)",)),
    "ReflectionPad1d": ("1", ("X(1, 2, 3)",)), "ReplicationPad1d": ("1", ("X(1, 2, 3)",)),
    "CircularPad1d": ("1", ("X(1, 2, 3)",)),
    "MSELoss": ("", ("X(2, 3)", "X(2, 3)")), "L1Loss": ("", ("X(2, 3)", "X(2, 3)")),
    "SmoothL1Loss": ("", ("X(2, 3)", "X(2, 3)")), "HuberLoss": ("", ("X(2, 3)", "X(2, 3)")),
    "CrossEntropyLoss": ("", ("X(4, 3)", "I((4,), 3)")),
    "NLLLoss": ("", ("X(4, 3)", "I((4,), 3)")),
    "BCELoss": ("", ("P(2, 3)", "P(2, 3)")), "BCEWithLogitsLoss": ("", ("X(2, 3)", "P(2, 3)")),
    "KLDivLoss": ("", ("X(2, 3)", "P(2, 3)")), "PoissonNLLLoss": ("", ("P(2, 3)", "P(2, 3)")),
    "GaussianNLLLoss": ("", ("X(2, 3)", "X(2, 3)", "P(2, 3)")),
    "SoftMarginLoss": ("", ("X(2, 3)", "S(2, 3)")),
    "HingeEmbeddingLoss": ("", ("X(2, 3)", "S(2, 3)")),
    "MultiLabelSoftMarginLoss": ("", ("X(2, 3)", "P(2, 3)")),
    "MultiMarginLoss": ("", ("X(4, 3)", "I((4,), 3)")),
    "MarginRankingLoss": ("", ("X(3)", "X(3)", "S(3)")),
    "CosineEmbeddingLoss": ("", ("X(2, 3)", "X(2, 3)", "S(2)")),
    "TripletMarginLoss": ("", ("X(2, 3)", "X(2, 3)", "X(2, 3)")),
    "RNNCell": ("3, 2", ("X(4, 3)",)), "GRUCell": ("3, 2", ("X(4, 3)",)),
    "LSTMCell": ("3, 2", ("X(4, 3)",)),
    "RNN": ("3, 2", ("X(4, 2, 3)",)), "GRU": ("3, 2", ("X(4, 2, 3)",)),
    "LSTM": ("3, 2", ("X(4, 2, 3)",)),
    "MultiheadAttention": ("4, 2", ("X(3, 2, 4)", "X(3, 2, 4)", "X(3, 2, 4)")),
    "TransformerEncoderLayer": ("4, 2, 8, 0.0", ("X(3, 2, 4)",)),
    "ChannelShuffle": ("2", ("X(1, 4, 2)",)),
}

#: Constructor keywords not swept (devices, dtypes of parameters, factory state).
SKIP = frozenset(("device", "dtype", "_weight", "_freeze", "_weight_values", "batch_first_",
                  "bias_k", "bias_v", "kdim", "vdim", "custom_encoder", "custom_decoder",
                  "_reverse_repeat_padding", "distance_function", "div_value",
                  "padding_idx_", "cutoffs"))

#: Candidate values by constructor keyword name (source text), when the function sweep's
#: table has none or a different meaning.
CTOR: dict[str, tuple[str, ...]] = {
    "bias": ("False",), "affine": ("False", "True"), "track_running_stats": ("False", "True"),
    "momentum": ("0.5", "None"), "elementwise_affine": ("False",),
    "num_layers": ("2",), "bidirectional": ("True",), "batch_first": ("True",),
    "nonlinearity": ("'relu'",), "proj_size": ("1",), "dropout": ("0.0",),
    "num_parameters": ("3",), "init": ("0.5",), "lower": ("0.2",), "upper": ("0.4",),
    "add_bias_kv": ("True",), "add_zero_attn": ("True",), "need_weights": ("False",),
    "activation": ("'gelu'",), "norm_first": ("True",), "layer_norm_eps": ("0.1",),
    "padding_mode": ("'reflect'", "'circular'", "'replicate'"), "output_size": ("(5, 5)",),
    "return_indices": ("True",), "dim": ("0", "1"), "start_dim": ("0",), "end_dim": ("1",),
    "size": ("(4, 4)",), "scale_factor": ("3.0",), "mode": ("'bilinear'", "'sum'", "'max'"),
    "full": ("True",), "log_input": ("False",), "swap": ("True",), "per_sample_weights": (),
    "include_last_offset": ("True",), "reduce": ("False",), "size_average": ("False",),
    "weight": ("torch.tensor([1.0, 2.0, 0.5])",), "pos_weight": ("torch.tensor(2.0)",),
    "k": ("1.0",),
}


def keywords(name: str) -> dict[str, str]:
    """Constructor keyword → default (source text) of nn.NAME: PyTorch's __init__'s and
    gd's own (its ModuleClass's __init__)."""
    import torch

    found: dict[str, str] = {}
    cls = getattr(torch.nn, name)
    for p in inspect.signature(cls.__init__).parameters.values():
        if p.default is not inspect.Parameter.empty and p.name not in SKIP:
            found[p.name] = repr(p.default)
    from gradcli.interp.builtins import Registry

    ours: Any = Registry().nn.members.get(name)
    init = getattr(ours, "lookup", lambda _n: None)("__init__") if ours is not None else None
    fn = getattr(init, "fn", init)
    try:
        for p in inspect.signature(fn).parameters.values():
            if p.default is not inspect.Parameter.empty and p.name not in SKIP:
                found.setdefault(p.name, repr(p.default))
    except (TypeError, ValueError):
        pass
    return found


_INPUT = {"X": "torch.randn({}, dtype=DT, requires_grad=True)",
          "P": "torch.rand({}, dtype=DT).clamp(0.05, 0.95)",
          "S": "torch.randn({}, dtype=DT).sign()"}


def _input(spec: str) -> tuple[str, bool]:
    kind, args = spec[0], spec[2:-1]
    if kind == "I":
        shape, _, high = args.rpartition(", ")
        return f"torch.randint(0, {high}, {shape})", False
    return _INPUT[kind].format(args), kind == "X"


def program(name: str, dtype: str, kw: dict[str, str]) -> str:
    """Build nn.NAME with its base arguments and `kw`, print it, call it on fresh random
    inputs, print the output, then every input's and parameter's gradient."""
    ctor, inputs = MODULES[name]
    lines = ["import torch", "import torch.nn as nn", f"DT = torch.{dtype}",
             "torch.manual_seed(0)"]
    names, grads = [], []
    for i, spec in enumerate(inputs):
        src, grad = _input(spec)
        lines.append(f"x{i} = {src}")
        names.append(f"x{i}")
        if grad:
            grads.append(f"x{i}")
    args = ", ".join([a for a in (ctor,) if a] + [f"{k}={v}" for k, v in kw.items()])
    lines += [
        "try:",
        f"    m = nn.{name}({args}).to(DT)",
        "    print(m)",
        f"    r = m({', '.join(names)})",
        "    items = list(r) if isinstance(r, (tuple, list)) else [r]",
        "    outs = []",
        "    for v in items:",
        "        if isinstance(v, tuple):",
        "            outs += list(v)",
        "        else:",
        "            outs.append(v)",
        "    for v in outs:",
        "        print(v)",
        "    total = 0",
        "    for v in outs:",
        "        if isinstance(v, torch.Tensor) and v.requires_grad and v.numel():",
        "            w = torch.linspace(0.5, 1.5, v.numel(), dtype=v.dtype).reshape(v.shape)",
        "            total = total + (v * w).sum()",
        "    if isinstance(total, torch.Tensor):",
        "        total.backward()",
        f"        for t in [{', '.join(grads)}]:",
        "            print(t.grad)",
        "        for k, p in m.named_parameters():",
        "            print(k, p.grad)",
        "except Exception as e:",
        "    print('!ERR', type(e).__name__, (str(e).splitlines() or [''])[0])",
    ]
    return "\n".join(lines) + "\n"
