"""Which public names of PyTorch (and of the Python modules gd allows) gradcli knows.

    python bench/api_coverage.py [--out bench/API_COVERAGE.md] [--only NAMESPACE]

For each namespace, the public names come from the host's PyTorch 2.13 (or Python) by
dir(); for every name a small gd program reads it as real code does, `v = NS.name` (a
built-in: `v = NAME`), all run by gradcli's interpreter in this one process, so what is measured is
what a gd program sees (a refusal, "'torch.X' is not supported by gradcli", counts as
missing). Keyword arguments: for
each keyword PyTorch's signature names (inspect for Python-level functions and classes,
the `name(...) -> ...` lines of a builtin's docstring), a gd program calls
`NS.name(k=None)` (`NS.name(x, k=None)` when its first parameter is the input
tensor, since gd checks the arguments PyTorch requires first); gd refusing `k` by name
is a gap (out=, device= and layouts are left out: the README lists what gd takes of
those). bench/api_calls.py adds the simplest call of each function, compared.

Missing names are ranked by how common they are in real code: COMMON below is a judgement
of tutorials, d2l, blog and small-model code (tier 1: in most training scripts; tier 2:
regularly seen; everything else tier 3), and the count of uses in bench/realcode/ breaks
ties. The table (bench/API_COVERAGE.md) gives known/missing per namespace, all names and
the tier-1/2 ones.
"""

from __future__ import annotations

import argparse
import builtins
import importlib
import inspect
import re
import sys
import types
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_calls import call_probe

ROOT = Path(__file__).resolve().parent.parent

# (label, how a gd program reaches it, the gd import lines)
NAMESPACES: list[tuple[str, str, str]] = [
    ("torch", "torch", "import torch"),
    ("torch.Tensor", "x", "import torch\nx = torch.ones(2, 2)"),
    ("torch.nn", "nn", "import torch\nimport torch.nn as nn"),
    ("torch.nn.functional", "F", "import torch\nimport torch.nn.functional as F"),
    ("torch.nn.init", "init", "import torch\nimport torch.nn.init as init"),
    ("torch.nn.utils", "U", "import torch\nimport torch.nn.utils as U"),
    ("torch.optim", "optim", "import torch\nimport torch.optim as optim"),
    ("torch.optim.lr_scheduler", "S", "import torch\nimport torch.optim.lr_scheduler as S"),
    ("torch.linalg", "torch.linalg", "import torch"),
    ("torch.special", "torch.special", "import torch"),
    ("torch.fft", "torch.fft", "import torch"),
    ("torch.distributions", "D", "import torch\nimport torch.distributions as D"),
    ("torch.func", "torch.func", "import torch\nimport torch.func"),
    ("torch.autograd", "torch.autograd", "import torch"),
    ("torch.autograd.functional", "AF",
     "import torch\nimport torch.autograd.functional as AF"),
    ("torch.utils.data", "data", "import torch\nimport torch.utils.data as data"),
    ("builtins", "", ""),
    ("math", "math", "import math"),
    ("random", "random", "import random"),
    ("itertools", "itertools", "import itertools"),
    ("functools", "functools", "import functools"),
    ("collections", "collections", "import collections"),
    ("dataclasses", "dataclasses", "import dataclasses"),
    ("typing", "typing", "import typing"),
    ("operator", "operator", "import operator"),
    ("statistics", "statistics", "import statistics"),
    ("copy", "copy", "import copy"),
]

# Judgement of how common a name is in tutorials / d2l / blog / small-model code
# (tier 1: most training scripts; tier 2: regularly seen). Names not listed are tier 3.
_TIER1 = """
torch.tensor torch.zeros torch.ones torch.randn torch.rand torch.arange torch.linspace
torch.cat torch.stack torch.manual_seed torch.no_grad torch.matmul torch.sum torch.mean
torch.exp torch.log torch.sigmoid torch.tanh torch.relu torch.softmax torch.argmax torch.max
torch.where torch.clamp torch.sqrt torch.abs torch.randint torch.from_numpy torch.save
torch.load torch.device torch.float32 torch.long torch.eye torch.zeros_like torch.ones_like
torch.randn_like torch.allclose torch.randperm torch.sin torch.cos torch.pow torch.full
torch.Tensor.backward torch.Tensor.item torch.Tensor.view torch.Tensor.reshape
torch.Tensor.size torch.Tensor.shape torch.Tensor.to torch.Tensor.detach torch.Tensor.numpy
torch.Tensor.sum torch.Tensor.mean torch.Tensor.argmax torch.Tensor.max torch.Tensor.grad
torch.Tensor.zero_ torch.Tensor.unsqueeze torch.Tensor.squeeze torch.Tensor.permute
torch.Tensor.transpose torch.Tensor.float torch.Tensor.long torch.Tensor.clone
torch.Tensor.requires_grad_ torch.Tensor.tolist torch.Tensor.masked_fill torch.Tensor.exp
torch.Tensor.pow torch.Tensor.t torch.Tensor.T torch.Tensor.cpu torch.Tensor.dim
torch.Tensor.contiguous torch.Tensor.flatten torch.Tensor.eq torch.Tensor.type
torch.Tensor.fill_ torch.Tensor.uniform_ torch.Tensor.normal_ torch.Tensor.copy_
torch.Tensor.add_ torch.Tensor.mul_ torch.Tensor.sub_ torch.Tensor.abs torch.Tensor.norm
torch.Tensor.softmax torch.Tensor.expand torch.Tensor.repeat torch.Tensor.std
torch.Tensor.numel torch.Tensor.clamp torch.Tensor.data torch.Tensor.device
torch.nn.Module torch.nn.Linear torch.nn.ReLU torch.nn.Sequential torch.nn.Conv2d
torch.nn.MSELoss torch.nn.CrossEntropyLoss torch.nn.Dropout torch.nn.BatchNorm1d
torch.nn.BatchNorm2d torch.nn.MaxPool2d torch.nn.Embedding torch.nn.LSTM torch.nn.GRU
torch.nn.LayerNorm torch.nn.Parameter torch.nn.ModuleList torch.nn.Flatten torch.nn.Sigmoid
torch.nn.Tanh torch.nn.Softmax torch.nn.BCELoss torch.nn.BCEWithLogitsLoss torch.nn.RNN
torch.nn.GELU torch.nn.LeakyReLU torch.nn.Identity torch.nn.AdaptiveAvgPool2d
torch.nn.Conv1d torch.nn.NLLLoss torch.nn.MultiheadAttention torch.nn.ModuleDict
torch.nn.functional.relu torch.nn.functional.softmax torch.nn.functional.log_softmax
torch.nn.functional.cross_entropy torch.nn.functional.mse_loss torch.nn.functional.dropout
torch.nn.functional.linear torch.nn.functional.gelu torch.nn.functional.pad
torch.nn.functional.one_hot torch.nn.functional.max_pool2d torch.nn.functional.conv2d
torch.nn.functional.normalize torch.nn.functional.sigmoid torch.nn.functional.tanh
torch.nn.functional.binary_cross_entropy torch.nn.functional.nll_loss
torch.nn.functional.binary_cross_entropy_with_logits torch.nn.functional.interpolate
torch.nn.init.xavier_uniform_ torch.nn.init.kaiming_normal_ torch.nn.init.zeros_
torch.nn.init.normal_ torch.nn.init.constant_ torch.nn.init.uniform_
torch.nn.utils.clip_grad_norm_
torch.optim.SGD torch.optim.Adam torch.optim.AdamW torch.optim.lr_scheduler.StepLR
torch.optim.lr_scheduler.CosineAnnealingLR torch.utils.data.DataLoader
torch.utils.data.Dataset torch.utils.data.TensorDataset torch.utils.data.random_split
torch.autograd.grad torch.distributions.Normal torch.distributions.Categorical
"""
_TIER2 = """
torch.bmm torch.mm torch.einsum torch.norm torch.cumsum torch.prod torch.min torch.sort
torch.topk torch.gather torch.chunk torch.split torch.flatten torch.squeeze torch.unsqueeze
torch.transpose torch.permute torch.reshape torch.var torch.std torch.log_softmax torch.tril
torch.triu torch.diag torch.outer torch.cdist torch.multinomial torch.normal torch.empty
torch.full_like torch.meshgrid torch.isnan torch.isinf torch.logsumexp torch.sign torch.floor
torch.round torch.maximum torch.minimum torch.erf torch.lerp torch.set_printoptions
torch.is_tensor torch.numel torch.get_default_dtype torch.set_default_dtype
torch.enable_grad torch.set_grad_enabled torch.inference_mode torch.float64 torch.int64
torch.bool torch.float16 torch.bfloat16 torch.cuda torch.backends torch.Generator
torch.as_tensor torch.unique torch.bincount torch.histc torch.nonzero torch.masked_select
torch.index_select torch.scatter torch.scatter_add torch.repeat_interleave torch.roll
torch.flip torch.addmm torch.baddbmm torch.dot torch.inverse torch.det torch.trace
torch.logical_and torch.logical_or torch.logical_not torch.any torch.all torch.equal
torch.clip torch.square torch.rsqrt torch.reciprocal torch.atan2 torch.hypot
torch.polar torch.complex torch.view_as_real torch.view_as_complex torch.fft
torch.searchsorted torch.bucketize torch.diff torch.cumprod torch.kron torch.cross
torch.tensordot torch.broadcast_to torch.column_stack torch.hstack torch.vstack
torch.dstack torch.narrow torch.take_along_dim torch.nan_to_num torch.nansum torch.nanmean
torch.count_nonzero torch.quantile torch.median torch.mode torch.kthvalue torch.argsort
torch.amax torch.amin torch.aminmax torch.cummax torch.cummin torch.logcumsumexp
torch.addcmul torch.addcdiv torch.sinh torch.cosh torch.asin torch.acos torch.atan
torch.log1p torch.expm1 torch.log2 torch.log10 torch.exp2 torch.sigmoid torch.frac
torch.trunc torch.fmod torch.remainder torch.floor_divide torch.div torch.mul torch.add
torch.sub torch.neg torch.heaviside torch.logit torch.lgamma torch.digamma torch.erfinv
torch.clamp_min torch.clamp_max torch.rand_like torch.randint_like torch.empty_like
torch.tensor_split torch.unbind torch.movedim torch.swapaxes torch.tile torch.block_diag
torch.cartesian_prod torch.combinations torch.corrcoef torch.cov torch.histogram
torch.Tensor.view_as torch.Tensor.expand_as torch.Tensor.type_as torch.Tensor.new_zeros
torch.Tensor.new_ones torch.Tensor.new_full torch.Tensor.new_tensor torch.Tensor.new_empty
torch.Tensor.masked_fill_ torch.Tensor.scatter_ torch.Tensor.scatter_add_
torch.Tensor.index_add_ torch.Tensor.index_fill_ torch.Tensor.index_copy_
torch.Tensor.clamp_ torch.Tensor.clip_ torch.Tensor.div_ torch.Tensor.pow_
torch.Tensor.exp_ torch.Tensor.log_ torch.Tensor.sqrt_ torch.Tensor.abs_ torch.Tensor.neg_
torch.Tensor.sigmoid_ torch.Tensor.tanh_ torch.Tensor.relu_ torch.Tensor.addcmul_
torch.Tensor.addcdiv_ torch.Tensor.lerp_ torch.Tensor.bernoulli_ torch.Tensor.exponential_
torch.Tensor.random_ torch.Tensor.geometric_ torch.Tensor.log_normal_ torch.Tensor.cauchy_
torch.Tensor.apply_ torch.Tensor.map_ torch.Tensor.unfold torch.Tensor.stride
torch.Tensor.is_contiguous torch.Tensor.storage torch.Tensor.data_ptr
torch.Tensor.element_size torch.Tensor.nelement torch.Tensor.half torch.Tensor.double
torch.Tensor.int torch.Tensor.bool torch.Tensor.byte torch.Tensor.char torch.Tensor.short
torch.Tensor.bfloat16 torch.Tensor.cuda torch.Tensor.is_cuda torch.Tensor.pin_memory
torch.Tensor.share_memory_ torch.Tensor.retain_grad torch.Tensor.register_hook
torch.Tensor.split torch.Tensor.chunk torch.Tensor.topk torch.Tensor.sort
torch.Tensor.gather torch.Tensor.index_select torch.Tensor.masked_select
torch.Tensor.nonzero torch.Tensor.any torch.Tensor.all torch.Tensor.min torch.Tensor.prod
torch.Tensor.cumsum torch.Tensor.var torch.Tensor.log torch.Tensor.sqrt torch.Tensor.sin
torch.Tensor.cos torch.Tensor.tanh torch.Tensor.sigmoid torch.Tensor.relu
torch.Tensor.log_softmax torch.Tensor.matmul torch.Tensor.mm torch.Tensor.bmm
torch.Tensor.dot torch.Tensor.flip torch.Tensor.roll torch.Tensor.diag torch.Tensor.tril
torch.Tensor.triu torch.Tensor.unbind torch.Tensor.narrow torch.Tensor.select
torch.Tensor.sign torch.Tensor.round torch.Tensor.floor torch.Tensor.ceil torch.Tensor.fmod
torch.Tensor.remainder torch.Tensor.logsumexp torch.Tensor.unique torch.Tensor.bincount
torch.Tensor.histc torch.Tensor.float_power torch.Tensor.square torch.Tensor.rsqrt
torch.Tensor.reciprocal torch.Tensor.is_floating_point torch.Tensor.ndim torch.Tensor.ndimension
torch.Tensor.nbytes torch.Tensor.itemsize torch.Tensor.is_leaf torch.Tensor.grad_fn
torch.Tensor.requires_grad torch.Tensor.dtype torch.Tensor.mT torch.Tensor.H torch.Tensor.mH
torch.Tensor.real torch.Tensor.imag torch.Tensor.angle torch.Tensor.conj
torch.Tensor.sum_to_size torch.Tensor.addmm torch.Tensor.baddbmm torch.Tensor.outer
torch.Tensor.cross torch.Tensor.det torch.Tensor.inverse torch.Tensor.trace
torch.Tensor.clamp_min torch.Tensor.clamp_max torch.Tensor.nan_to_num torch.Tensor.isnan
torch.Tensor.logical_not torch.Tensor.logical_and torch.Tensor.logical_or
torch.Tensor.index_put_ torch.Tensor.put_ torch.Tensor.masked_scatter_
torch.Tensor.sub torch.Tensor.add torch.Tensor.mul torch.Tensor.div
torch.Tensor.floor_divide torch.Tensor.amax torch.Tensor.amin torch.Tensor.aminmax
torch.Tensor.count_nonzero torch.Tensor.argsort torch.Tensor.median torch.Tensor.mode
torch.Tensor.kthvalue torch.Tensor.quantile torch.Tensor.nanmean torch.Tensor.nansum
torch.Tensor.erf torch.Tensor.lgamma torch.Tensor.digamma torch.Tensor.expm1
torch.Tensor.log1p torch.Tensor.log2 torch.Tensor.log10 torch.Tensor.frac torch.Tensor.trunc
torch.Tensor.tile torch.Tensor.movedim torch.Tensor.swapaxes torch.Tensor.repeat_interleave
torch.Tensor.take_along_dim torch.Tensor.unflatten torch.Tensor.ravel torch.Tensor.logit
torch.Tensor.erfinv torch.Tensor.heaviside torch.Tensor.hypot torch.Tensor.atan2
torch.Tensor.addcmul torch.Tensor.addcdiv torch.Tensor.lerp torch.Tensor.cummax
torch.Tensor.cummin torch.Tensor.cumprod torch.Tensor.logcumsumexp torch.Tensor.diff
torch.Tensor.tensor_split torch.Tensor.split_with_sizes torch.Tensor.scatter
torch.Tensor.scatter_add torch.Tensor.index_add torch.Tensor.index_fill torch.Tensor.index_copy
torch.Tensor.masked_scatter torch.Tensor.put torch.Tensor.index_put torch.Tensor.diagonal
torch.Tensor.diag_embed torch.Tensor.fill_diagonal_ torch.Tensor.triu_ torch.Tensor.tril_
torch.Tensor.sort torch.Tensor.msort torch.Tensor.argwhere
torch.nn.Conv3d torch.nn.ConvTranspose2d torch.nn.ConvTranspose1d torch.nn.AvgPool2d
torch.nn.MaxPool1d torch.nn.AvgPool1d torch.nn.AdaptiveAvgPool1d torch.nn.AdaptiveMaxPool2d
torch.nn.GroupNorm torch.nn.InstanceNorm2d torch.nn.Dropout2d torch.nn.ELU torch.nn.SELU
torch.nn.SiLU torch.nn.Mish torch.nn.Softplus torch.nn.LogSoftmax torch.nn.PReLU
torch.nn.Hardswish torch.nn.Hardtanh torch.nn.ReLU6 torch.nn.Softsign torch.nn.Threshold
torch.nn.GLU torch.nn.L1Loss torch.nn.SmoothL1Loss torch.nn.HuberLoss torch.nn.KLDivLoss
torch.nn.CosineSimilarity torch.nn.PairwiseDistance torch.nn.TransformerEncoder
torch.nn.TransformerEncoderLayer torch.nn.Transformer torch.nn.TransformerDecoderLayer
torch.nn.TransformerDecoder torch.nn.Upsample torch.nn.PixelShuffle torch.nn.Unflatten
torch.nn.ParameterList torch.nn.ParameterDict torch.nn.LSTMCell torch.nn.GRUCell
torch.nn.RNNCell torch.nn.EmbeddingBag torch.nn.ZeroPad2d torch.nn.ConstantPad1d
torch.nn.ReflectionPad2d torch.nn.ReplicationPad2d torch.nn.Bilinear torch.nn.MarginRankingLoss
torch.nn.TripletMarginLoss torch.nn.CosineEmbeddingLoss torch.nn.CTCLoss
torch.nn.MultiLabelSoftMarginLoss torch.nn.MultiMarginLoss torch.nn.HingeEmbeddingLoss
torch.nn.PoissonNLLLoss torch.nn.GaussianNLLLoss torch.nn.Softmax2d torch.nn.Softmin
torch.nn.Hardsigmoid torch.nn.Tanhshrink torch.nn.Softshrink torch.nn.Hardshrink
torch.nn.LogSigmoid torch.nn.CELU torch.nn.RReLU torch.nn.AlphaDropout torch.nn.Dropout1d
torch.nn.LocalResponseNorm torch.nn.Fold torch.nn.Unfold torch.nn.ChannelShuffle
torch.nn.PixelUnshuffle torch.nn.UpsamplingNearest2d torch.nn.UpsamplingBilinear2d
torch.nn.LazyLinear torch.nn.Buffer torch.nn.RMSNorm torch.nn.init torch.nn.utils
torch.nn.functional.silu torch.nn.functional.elu torch.nn.functional.leaky_relu
torch.nn.functional.softplus torch.nn.functional.l1_loss torch.nn.functional.smooth_l1_loss
torch.nn.functional.kl_div torch.nn.functional.cosine_similarity
torch.nn.functional.embedding torch.nn.functional.layer_norm torch.nn.functional.batch_norm
torch.nn.functional.avg_pool2d torch.nn.functional.adaptive_avg_pool2d
torch.nn.functional.conv1d torch.nn.functional.conv_transpose2d
torch.nn.functional.scaled_dot_product_attention torch.nn.functional.unfold
torch.nn.functional.fold torch.nn.functional.grid_sample torch.nn.functional.affine_grid
torch.nn.functional.mish torch.nn.functional.glu torch.nn.functional.hardtanh
torch.nn.functional.relu6 torch.nn.functional.selu torch.nn.functional.celu
torch.nn.functional.softmin torch.nn.functional.softsign torch.nn.functional.logsigmoid
torch.nn.functional.hardswish torch.nn.functional.hardsigmoid torch.nn.functional.group_norm
torch.nn.functional.instance_norm torch.nn.functional.rms_norm torch.nn.functional.huber_loss
torch.nn.functional.pairwise_distance torch.nn.functional.triplet_margin_loss
torch.nn.functional.margin_ranking_loss torch.nn.functional.gumbel_softmax
torch.nn.functional.pixel_shuffle torch.nn.functional.max_pool1d torch.nn.functional.avg_pool1d
torch.nn.functional.adaptive_max_pool2d torch.nn.functional.embedding_bag
torch.nn.functional.ctc_loss torch.nn.functional.poisson_nll_loss
torch.nn.functional.gaussian_nll_loss torch.nn.functional.threshold
torch.nn.functional.softshrink torch.nn.functional.hardshrink torch.nn.functional.tanhshrink
torch.nn.functional.rrelu torch.nn.functional.prelu torch.nn.functional.dropout2d
torch.nn.functional.alpha_dropout torch.nn.functional.local_response_norm
torch.nn.functional.multi_head_attention_forward torch.nn.functional.upsample
torch.nn.functional.conv3d torch.nn.functional.conv_transpose1d
torch.nn.init.xavier_normal_ torch.nn.init.kaiming_uniform_ torch.nn.init.ones_
torch.nn.init.orthogonal_ torch.nn.init.trunc_normal_ torch.nn.init.eye_
torch.nn.init.calculate_gain torch.nn.init.dirac_ torch.nn.init.sparse_
torch.nn.utils.clip_grad_value_ torch.nn.utils.parameters_to_vector
torch.nn.utils.vector_to_parameters torch.nn.utils.rnn torch.nn.utils.weight_norm
torch.nn.utils.spectral_norm torch.nn.utils.parametrize
torch.optim.RMSprop torch.optim.Adagrad torch.optim.Adadelta torch.optim.Adamax
torch.optim.NAdam torch.optim.RAdam torch.optim.LBFGS torch.optim.Rprop torch.optim.ASGD
torch.optim.Optimizer torch.optim.lr_scheduler.ExponentialLR
torch.optim.lr_scheduler.ReduceLROnPlateau torch.optim.lr_scheduler.MultiStepLR
torch.optim.lr_scheduler.OneCycleLR torch.optim.lr_scheduler.LambdaLR
torch.optim.lr_scheduler.CosineAnnealingWarmRestarts torch.optim.lr_scheduler.LinearLR
torch.optim.lr_scheduler.SequentialLR torch.optim.lr_scheduler.CyclicLR
torch.optim.lr_scheduler.PolynomialLR torch.optim.lr_scheduler.ConstantLR
torch.optim.lr_scheduler.MultiplicativeLR torch.optim.lr_scheduler.ChainedScheduler
torch.optim.lr_scheduler.LRScheduler
torch.linalg.norm torch.linalg.vector_norm torch.linalg.matrix_norm torch.linalg.inv
torch.linalg.solve torch.linalg.det torch.linalg.eigh torch.linalg.eig torch.linalg.qr
torch.linalg.cholesky torch.linalg.svd torch.linalg.svdvals torch.linalg.lstsq
torch.linalg.pinv torch.linalg.slogdet torch.linalg.eigvalsh torch.linalg.eigvals
torch.linalg.matrix_rank torch.linalg.matrix_power torch.linalg.matrix_exp
torch.linalg.multi_dot torch.linalg.cross torch.linalg.cond torch.linalg.solve_triangular
torch.special.expit torch.special.logit torch.special.erf torch.special.erfc
torch.special.erfinv torch.special.gammaln torch.special.digamma torch.special.polygamma
torch.special.xlogy torch.special.xlog1py torch.special.entr torch.special.sinc
torch.special.logsumexp torch.special.softmax torch.special.log_softmax torch.special.i0
torch.special.i0e torch.special.i1 torch.special.i1e torch.special.ndtr
torch.special.ndtri torch.special.log_ndtr torch.special.log1p torch.special.expm1
torch.special.exp2 torch.special.round torch.special.multigammaln torch.special.zeta
torch.special.bessel_j0 torch.special.bessel_j1 torch.special.gammainc
torch.special.gammaincc torch.special.psi torch.special.erfcx
torch.fft.fft torch.fft.ifft torch.fft.rfft torch.fft.irfft torch.fft.fft2 torch.fft.ifft2
torch.fft.fftn torch.fft.ifftn torch.fft.rfftn torch.fft.irfftn torch.fft.fftfreq
torch.fft.rfftfreq torch.fft.fftshift torch.fft.ifftshift torch.fft.rfft2 torch.fft.irfft2
torch.distributions.Bernoulli torch.distributions.Beta torch.distributions.Binomial
torch.distributions.Dirichlet torch.distributions.Exponential torch.distributions.Gamma
torch.distributions.Laplace torch.distributions.LogNormal torch.distributions.Multinomial
torch.distributions.MultivariateNormal torch.distributions.Poisson
torch.distributions.Uniform torch.distributions.Independent
torch.distributions.kl_divergence torch.distributions.OneHotCategorical
torch.distributions.RelaxedOneHotCategorical torch.distributions.TransformedDistribution
torch.distributions.StudentT torch.distributions.Cauchy torch.distributions.Geometric
torch.distributions.Gumbel torch.distributions.HalfNormal torch.distributions.MixtureSameFamily
torch.distributions.Distribution torch.distributions.constraints
torch.distributions.transforms torch.distributions.Chi2 torch.distributions.VonMises
torch.distributions.Weibull torch.distributions.LowRankMultivariateNormal
torch.distributions.NegativeBinomial torch.distributions.ContinuousBernoulli
torch.distributions.Pareto torch.distributions.HalfCauchy torch.distributions.kl
torch.func.grad torch.func.vmap torch.func.jacrev torch.func.jacfwd torch.func.hessian
torch.func.functional_call torch.func.vjp torch.func.jvp torch.func.grad_and_value
torch.func.stack_module_state torch.func.linearize
torch.autograd.backward torch.autograd.Function torch.autograd.Variable
torch.autograd.gradcheck torch.autograd.gradgradcheck torch.autograd.functional
torch.autograd.forward_ad torch.autograd.set_detect_anomaly torch.autograd.detect_anomaly
torch.autograd.graph torch.autograd.profiler
torch.autograd.functional.jacobian torch.autograd.functional.hessian
torch.autograd.functional.vjp torch.autograd.functional.jvp torch.autograd.functional.hvp
torch.autograd.functional.vhp
torch.utils.data.Subset torch.utils.data.ConcatDataset torch.utils.data.IterableDataset
torch.utils.data.Sampler torch.utils.data.RandomSampler torch.utils.data.SequentialSampler
torch.utils.data.BatchSampler torch.utils.data.WeightedRandomSampler
torch.utils.data.SubsetRandomSampler torch.utils.data.default_collate
torch.utils.data.get_worker_info torch.utils.data.ChainDataset torch.utils.data.StackDataset
"""
_PY_TIER1 = """
builtins.print builtins.range builtins.len builtins.enumerate builtins.zip builtins.list
builtins.dict builtins.tuple builtins.set builtins.int builtins.float builtins.str
builtins.sum builtins.min builtins.max builtins.abs builtins.round builtins.sorted
builtins.isinstance builtins.map builtins.filter builtins.any builtins.all builtins.super
builtins.getattr builtins.setattr builtins.hasattr builtins.type builtins.open
builtins.reversed builtins.iter builtins.next builtins.bool builtins.object
builtins.ValueError builtins.RuntimeError builtins.TypeError builtins.Exception
builtins.KeyError builtins.IndexError builtins.NotImplementedError builtins.AssertionError
math.pi math.sqrt math.exp math.log math.cos math.sin math.ceil math.floor math.inf
math.isclose math.prod math.tanh math.e math.pow math.fabs math.atan2 math.log2
random.seed random.random random.randint random.shuffle random.choice random.sample
random.uniform random.gauss itertools.chain itertools.product itertools.count
itertools.islice itertools.cycle itertools.combinations itertools.permutations
itertools.repeat itertools.accumulate itertools.groupby itertools.zip_longest
functools.partial functools.reduce functools.wraps functools.lru_cache functools.cache
collections.defaultdict collections.OrderedDict collections.Counter collections.deque
collections.namedtuple dataclasses.dataclass dataclasses.field dataclasses.asdict
typing.List typing.Dict typing.Tuple typing.Optional typing.Union typing.Callable
typing.Any typing.Iterable operator.itemgetter operator.attrgetter operator.mul
operator.add statistics.mean statistics.stdev statistics.median copy.deepcopy copy.copy
"""


NOTES = """\
- `torch.bfloat16`, `x.bfloat16()`, `torch.uint16/32/64`: dtypes gd refuses (README, Not in
  gradcli). `torch.autograd.profiler`: timings, which a deterministic run cannot give.
  `LowRankMultivariateNormal`, `VonMises`: not yet written (tier 2, rare outside papers).
- `eval`, `exec`, `compile`, `globals`, `locals`, `input`, `breakpoint`, `memoryview`:
  built-ins that reach the host, refused by the sandbox. The exception groups are not yet.
- The tier-3 torch names are PyTorch's internals: JIT and TorchScript types, quantization,
  sparse layouts, cudnn/miopen/mkldnn entry points, autocast switches, `torch.distributed`.
- Keywords left: `torch.compile`'s compiler options, deprecated `Tensor.resize_as(tensor=)`,
  `narrow_copy`'s doc name `dimension` (PyTorch's parser takes `dim`), `nn.RNNCellBase`
  (an abstract base).
- Simplest calls that differ: `svd` of a wide matrix (the singular vectors' signs: numpy's
  LAPACK against PyTorch's MKL), `fft.ihfft2/ihfftn` (the sign of a zero imaginary part),
  `empty_like` (uninitialized memory), `torch.sym_sum` (a symbolic-shape helper),
  `F.lp_pool1d(x, x, 1)` (a tensor as norm_type: the probe's argument, not real code).
- Forward mode: `torch.norm(x, dtype=torch.float64)` gives a float64 tangent where
  PyTorch's ord-1 and ord-2 formulas leave it in the input's dtype (gd's engine casts
  every tangent to its primal's dtype)."""


def _tier_table() -> dict[str, int]:
    tiers: dict[str, int] = {}
    for text, tier in ((_TIER2, 2), (_TIER1, 1), (_PY_TIER1, 1)):
        for name in text.split():
            tiers[name] = tier
    return tiers


def _foreign(obj: Any, label: str) -> bool:
    """True for a name a namespace merely imports (typing.Optional in torch.nn.functional,
    the os module in torch): not its API."""
    if isinstance(obj, types.ModuleType):
        return not obj.__name__.startswith(label.split(".")[0] + ".") or (
            label != "torch" and not obj.__name__.startswith(label + "."))
    module = getattr(obj, "__module__", None)
    if not isinstance(module, str) or not label.startswith("torch"):
        return False
    return not (module.startswith("torch") or module in ("builtins",))


def torch_side(label: str) -> dict[str, Any]:
    """The public names of a namespace on the host (PyTorch or Python), name -> object."""
    if label == "builtins":
        return {n: getattr(builtins, n) for n in dir(builtins)
                if not n.startswith("_") and n not in ("copyright", "credits", "license",
                                                        "exit", "quit", "help")}
    if label == "torch.Tensor":
        import torch

        return {n: getattr(torch.Tensor, n) for n in dir(torch.Tensor) if not n.startswith("_")}
    mod = importlib.import_module(label)
    names = getattr(mod, "__all__", None) if not label.startswith("torch") else None
    out: dict[str, Any] = {}
    for n in sorted(set(dir(mod)) | set(names or ())):
        if n.startswith("_"):
            continue
        try:
            obj = getattr(mod, n)
        except AttributeError:
            continue
        if label.startswith("torch") and _foreign(obj, label):
            continue
        if not label.startswith("torch") and isinstance(obj, types.ModuleType):
            continue
        out[n] = obj
    return out


def gd_program(label: str, reach: str, imports: str, name: str) -> str:
    """A gd program reading the name as real code does (`v = torch.X`)."""
    if label == "builtins":
        return f"v = {name}\n"
    return f"{imports}\nv = {reach}.{name}\n"


def probe(label: str, reach: str, imports: str, names: list[str]) -> dict[str, bool]:
    """name -> known: each name's probe program run by gradcli's interpreter, all in this
    one process (a refusal, "'torch.X' is not supported", is an error of the program,
    caught here, where a gd program could not catch it)."""
    from gradcli.interp.runtime import run_source

    known = {}
    for n in names:
        try:
            run_source(gd_program(label, reach, imports, n), "<probe>")
        except Exception as e:
            known[n] = not _MISSING.search(str(e))
            continue
        known[n] = True
    return known


# The errors that say a name is missing (others, x.imag of a real tensor, say it is known).
_MISSING = re.compile(r"is not supported by gradcli|has no attribute|is not defined")


# ---- keyword arguments ------------------------------------------------------------------

_SKIP_KW = {"self", "input", "out", "_stacklevel", "memory_format", "layout", "pin_memory",
            "device", "names"}  # out=, layouts and devices: README lists what gd takes


def _split_params(text: str) -> list[str]:
    depth, cur, parts = 0, "", []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    names = []
    for part in parts:
        name = re.split(r"[:=]", part.strip(), maxsplit=1)[0].strip()
        if name.isidentifier():
            names.append(name)
    return names


def torch_keywords(label: str, name: str, obj: Any) -> tuple[bool, list[str]]:
    """The parameter names PyTorch's callable takes by keyword: inspect's signature for a
    Python function or class, else the `name(...) -> ...` lines of a builtin's docstring
    (every overload); and whether its first parameter is a tensor (`input`, `x`, `A`)."""
    found: list[str] = []
    target = obj.__init__ if isinstance(obj, type) else obj
    try:
        sig = inspect.signature(target)
        found = [p.name for p in sig.parameters.values()
                 if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    except (TypeError, ValueError):
        doc = getattr(obj, "__doc__", None) or ""
        for m in re.finditer(rf"(?m)^\s*(?:[\w.]+\.)?{re.escape(name)}\((.*)\)\s*->", doc):
            found += [n for n in _split_params(m.group(1)) if n not in found]
    first = bool(found) and found[0] in _TENSOR_FIRST and label != "torch.Tensor"
    return first, [k for k in found[first:] if k not in _SKIP_KW and not k.startswith("_")]


_TENSOR_FIRST = ("input", "x", "A", "self", "tensor")


def keyword_gaps(label: str, reach: str, imports: str, host: dict[str, Any],
                 known: dict[str, bool]) -> tuple[int, dict[str, list[str]]]:
    """(keywords checked, name -> PyTorch keywords gd refuses): for each keyword k of a
    callable both sides know, a gd program calls `NS.name(k=None)` (or `NS.name(x,
    k=None)`); gd refusing k by name
    ("unexpected keyword argument 'k'", or an invalid-combination message whose listed
    signatures lack k) is a gap; any other error (a missing argument, a wrong type) means
    gd took the keyword."""
    from gradcli.interp.runtime import run_source

    if label == "builtins" or not label.startswith("torch"):
        return 0, {}
    checked = 0
    gaps: dict[str, list[str]] = {}
    for name, obj in host.items():
        if not known.get(name) or not callable(obj) or isinstance(obj, types.ModuleType):
            continue
        first, keywords = torch_keywords(label, name, obj)
        for k in keywords:
            checked += 1
            lead = "x, " if first else ""
            try:
                run_source(f"{imports}\nx = torch.ones(2, 2)\nv = {reach}.{name}({lead}{k}=None)\n",
                           "<probe>")
            except Exception as e:
                if _refuses(str(e), k) and not _torch_refuses(label, name, obj, k):
                    gaps.setdefault(name, []).append(k)
    return checked, gaps


def _refuses(msg: str, k: str) -> bool:
    return f"unexpected keyword argument '{k}'" in msg or (
        "invalid combination of arguments" in msg
        and not re.search(rf"\b{k}\b", msg.split("expected one of", 1)[-1]))


def _torch_refuses(label: str, name: str, obj: Any, k: str) -> bool:
    """Whether PyTorch itself refuses `k` (a docstring's name its parser does not take:
    torch.from_numpy(ndarray=...))."""
    import torch

    try:
        if label == "torch.Tensor":
            getattr(torch.ones(2, 2), name)(**{k: None})
        elif torch_keywords(label, name, obj)[0]:
            obj(torch.ones(2, 2), **{k: None})
        else:
            obj(**{k: None})
    except Exception as e:
        msg = str(e)
        return (_refuses(msg, k) or "takes no keyword arguments" in msg
                or f"got ({k}=" in msg or "is now removed" in msg)
    return False


# ---- realcode counts and the report -----------------------------------------------------

def realcode_counts() -> dict[str, int]:
    """How often each `.name` appears in bench/realcode and examples (ties in a tier)."""
    counts: dict[str, int] = {}
    files = [*ROOT.glob("bench/realcode/**/*.py"), *ROOT.glob("examples/**/*.py")]
    for path in files:
        for word in re.findall(r"\.?([A-Za-z_][A-Za-z0-9_]*)", path.read_text(errors="ignore")):
            counts[word] = counts.get(word, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "bench" / "API_COVERAGE.md"))
    ap.add_argument("--only", help="one namespace (label)")
    ap.add_argument("--missing", action="store_true", help="print every missing name")
    args = ap.parse_args(argv)
    tiers = _tier_table()
    counts = realcode_counts()
    rows = []
    missing_all: list[tuple[int, int, str]] = []
    kw_all: list[tuple[int, str, list[str]]] = []
    calls: list[tuple[str, int, dict[str, str], dict[str, str]]] = []
    for label, reach, imports in NAMESPACES:
        if args.only and label != args.only:
            continue
        host = torch_side(label)
        names = sorted(host)
        known = probe(label, reach, imports, names)
        full = {n: f"{label}.{n}" for n in names}
        common = [n for n in names if tiers.get(full[n], 3) <= 2]
        miss = [n for n in names if not known.get(n)]
        checked, gaps = keyword_gaps(label, reach, imports, host, known)
        compared, fails, differs = call_probe(label, host, known)
        calls.append((label, compared, fails, differs))
        rows.append((label, len(names), len(names) - len(miss), len(miss), len(common),
                     sum(1 for n in common if known.get(n)), checked,
                     sum(len(v) for v in gaps.values()), len(gaps)))
        for n in miss:
            missing_all.append((tiers.get(full[n], 3), -counts.get(n, 0), full[n]))
        for n, kws in gaps.items():
            kw_all.append((tiers.get(full[n], 3), full[n], kws))
    missing_all.sort()
    kw_all.sort()
    out = ["# API coverage: the public names gd knows", "",
           "Generated by `python bench/api_coverage.py` (see its docstring: a gd program "
           "reads `v = NS.name` for every public name of the host's PyTorch 2.13 / "
           "Python 3; tiers are a judgement of how common a name is in real code).", "",
           "| namespace | names | known | missing | tier 1-2 names | tier 1-2 known | "
           "keywords checked | keywords refused | names with refused keywords |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    tot = [0] * 8
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
        tot = [a + b for a, b in zip(tot, row[1:], strict=True)]
    out.append("| **total** | " + " | ".join(str(c) for c in tot) + " |")
    out += ["", "## Missing tier-1/2 names (most common first)", ""]
    common_missing = [m for m in missing_all if m[0] <= 2]
    out += [f"- tier {t}: `{name}`" + (f" ({-c} uses in realcode)" if c else "")
            for t, c, name in common_missing] or ["(none)"]
    out += ["", "## Keyword arguments PyTorch takes that gd refuses", ""]
    out += [f"- `{name}`: {', '.join(kws)}" for _, name, kws in kw_all] or ["(none)"]
    out += ["", "## The simplest call, PyTorch against gd (bench/api_calls.py)", "",
            "| namespace | calls compared | gd fails | gd prints otherwise |",
            "|---|---:|---:|---:|"]
    out += [f"| {lbl} | {n} | {len(f)} | {len(d)} |" for lbl, n, f, d in calls if n]
    out.append(f"| **total** | {sum(c[1] for c in calls)} | "
               f"{sum(len(c[2]) for c in calls)} | {sum(len(c[3]) for c in calls)} |")
    for lbl, _, f, d in calls:
        out += [f"- fails: `{lbl}.{name}`{why}" for name, why in sorted(f.items())]
        out += [f"- differs: `{lbl}.{name}`{why}" for name, why in sorted(d.items())]
    out += ["", "## Notes: what stays missing or different, and why", "", *NOTES.splitlines()]
    out += ["", "## Missing tier-3 names, by namespace", ""]
    by_ns: dict[str, list[str]] = {}
    for _, _, name in missing_all:
        if tiers.get(name, 3) == 3:
            ns = next(lbl for lbl, _, _ in sorted(NAMESPACES, key=lambda r: -len(r[0]))
                      if name.startswith(lbl + "."))
            by_ns.setdefault(ns, []).append(name[len(ns) + 1:])
    for ns, names in by_ns.items():
        out += [f"- **{ns}** ({len(names)}): " + ", ".join(names), ""]
    text = "\n".join(out) + "\n"
    if args.only:
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print("\n".join(out[:8 + len(rows) + 1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
