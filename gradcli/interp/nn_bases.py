"""PyTorch's private base classes of its layers and the `torch.nn.modules` package.

Initialisation code tests layers by their base class: `isinstance(m,
nn.modules.batchnorm._BatchNorm)`, `isinstance(m, nn.modules.conv._ConvNd)`,
`issubclass(cls, nn.modules.loss._Loss)`. The bases here sit between the built-in layers
and nn.Module as in torch/nn/modules (BatchNorm1d -> _BatchNorm -> _NormBase -> Module);
they add no methods of their own (gd's layers carry theirs). `torch.nn.modules` and its
submodules (`torch.nn.modules.conv`, ...) hold every built-in layer under its PyTorch
path, as `from torch.nn.modules.batchnorm import _BatchNorm` reads them.
"""

from __future__ import annotations

from typing import Any

from gradcli.interp.nn_module import MODULE, ModuleClass
from gradcli.interp.values import Namespace

_PATH = "torch.nn.modules."

# (base, its module, its own base or None for Module, the layers deriving from it directly)
_BASES: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("_NormBase", "batchnorm", None, ()),
    ("_BatchNorm", "batchnorm", "_NormBase", ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d")),
    ("_InstanceNorm", "instancenorm", "_NormBase",
     ("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d")),
    ("_ConvNd", "conv", None, ("Conv1d", "Conv2d", "Conv3d")),
    ("_ConvTransposeNd", "conv", "_ConvNd",
     ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")),
    ("_Loss", "loss", None, ("BCEWithLogitsLoss", "CTCLoss", "CosineEmbeddingLoss",
                             "GaussianNLLLoss", "HingeEmbeddingLoss", "HuberLoss",
                             "KLDivLoss", "L1Loss", "MSELoss", "MarginRankingLoss",
                             "MultiLabelMarginLoss", "PoissonNLLLoss", "SmoothL1Loss",
                             "SoftMarginLoss", "TripletMarginLoss",
                             "TripletMarginWithDistanceLoss")),
    ("_WeightedLoss", "loss", "_Loss", ("BCELoss", "CrossEntropyLoss", "MultiLabelSoftMarginLoss",
                                        "MultiMarginLoss", "NLLLoss")),
    ("_DropoutNd", "dropout", None, ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d",
                                     "AlphaDropout", "FeatureAlphaDropout")),
    ("_MaxPoolNd", "pooling", None, ("MaxPool1d", "MaxPool2d", "MaxPool3d")),
    ("_AvgPoolNd", "pooling", None, ("AvgPool1d", "AvgPool2d", "AvgPool3d")),
    ("_AdaptiveAvgPoolNd", "pooling", None,
     ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d")),
    ("_AdaptiveMaxPoolNd", "pooling", None,
     ("AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d")),
    ("_LPPoolNd", "pooling", None, ("LPPool1d", "LPPool2d", "LPPool3d")),
)


def _rechain(cls: ModuleClass, done: set[int]) -> None:
    """cls's method resolution order again, after a base of it (or of its base) moved."""
    if id(cls) in done or not cls.bases:
        return
    base = cls.bases[0]
    if isinstance(base, ModuleClass):
        _rechain(base, done)
    cls.chain = (cls, *base.chain)
    done.add(id(cls))


_INSTALLED: dict[str, ModuleClass] = {}


def install(layers: dict[str, ModuleClass]) -> dict[str, ModuleClass]:
    """Put the private bases between the layers and nn.Module (once: the layers are
    shared by every run); the bases by name."""
    if _INSTALLED:
        return _INSTALLED
    bases = _INSTALLED
    for name, path, parent, children in _BASES:
        base = ModuleClass(name, f"{_PATH}{path}.{name}",
                           bases[parent] if parent else MODULE, {})
        bases[name] = base
        for child in children:
            cls = layers.get(child)
            if cls is not None and cls.bases == (MODULE,):
                cls.bases = cls.declared = (base,)
    done: set[int] = set()
    for cls in (*bases.values(), *layers.values()):
        _rechain(cls, done)
    return bases


def namespaces(layers: dict[str, ModuleClass],
               bases: dict[str, ModuleClass]) -> dict[str, Namespace]:
    """`torch.nn.modules` (its layers and submodules) and each submodule, by name."""
    parts: dict[str, dict[str, Any]] = {"module": {"Module": MODULE}}
    for name, cls in (*layers.items(), *bases.items()):
        path = cls.qualname[len(_PATH):].partition(".")[0]
        parts.setdefault(path, {})[name] = cls
    subs = {f"{_PATH}{path}": Namespace(f"{_PATH}{path}", members)
            for path, members in sorted(parts.items())}
    top = Namespace(_PATH[:-1], {"Module": MODULE, **layers,
                                 **{k.rpartition(".")[2]: ns for k, ns in subs.items()}})
    return {_PATH[:-1]: top, **subs}
