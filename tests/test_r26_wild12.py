"""Round 26, probabilistic / generative / RL code (torch.distributions, flows, GANs,
bandits, policy gradients): the classes the sample found, each as a small program of our
own compared with what PyTorch prints."""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

# A program's class deriving from a distribution kind (an RL head's "fixed" Normal,
# Categorical and Bernoulli): its own methods first, super() reaching the kind's, the
# kind's properties and sampling through the instance, isinstance, repr with the class
# name, gradients through log_prob, and torch.distributions functions given the instance.
_KIND_SUBCLASS = """
import torch
from torch import distributions as D
torch.manual_seed(3)

class SummedNormal(D.Normal):
    def log_probs(self, a):
        return super().log_prob(a).sum(-1, keepdim=True)

    def entropy(self):
        return super().entropy().sum(-1)

    @property
    def mode(self):
        return self.mean

class ArgmaxCategorical(torch.distributions.Categorical):
    def __init__(self, logits, temperature=1.0):
        self.temperature = temperature
        super().__init__(logits=logits / temperature)

    def greedy(self):
        return self.probs.argmax(dim=-1, keepdim=True)

mu = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
d = SummedNormal(mu, torch.tensor([[1.0, 0.5], [0.3, 2.0]]))
a = d.sample()
print(d, type(d).__name__, isinstance(d, D.Normal), isinstance(d, SummedNormal))
print(isinstance(d, D.Categorical), d.batch_shape, d.event_shape, d.has_rsample)
print(a, d.log_probs(a), d.entropy(), d.mode, d.stddev)
d.log_probs(d.rsample()).sum().backward()
print(mu.grad)
print(D.kl_divergence(d, D.Normal(torch.zeros(2), torch.ones(2))))
c = ArgmaxCategorical(torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]), temperature=0.5)
print(c, c.temperature, c.greedy(), c.sample((2,)), c.log_prob(torch.tensor([0, 2])))
print(c.entropy(), D.Independent(c, 1).log_prob(torch.tensor([1, 1])))
"""


def test_distribution_kind_subclass() -> None:
    assert gd_output(_KIND_SUBCLASS) == torch_output(_KIND_SUBCLASS)


# A program's class deriving from Distribution itself: the shapes its __init__ gives,
# sample() running the class's rsample without gradients, and register_kl's function
# found by kl_divergence for the program's classes (and a built-in kind's pair).
_BASE_SUBCLASS = """
import torch
import torch.distributions as D
torch.manual_seed(5)

class Shifted(D.Distribution):
    def __init__(self, loc):
        self.loc = loc
        super().__init__(batch_shape=loc.shape, validate_args=False)

    def rsample(self, sample_shape=torch.Size()):
        return self.loc + torch.randn(torch.Size(sample_shape) + self.loc.shape)

    def log_prob(self, x):
        return -0.5 * (x - self.loc) ** 2

@D.kl.register_kl(Shifted, Shifted)
def _kl_shifted(p, q):
    return 0.5 * (p.loc - q.loc) ** 2

@D.register_kl(D.Normal, Shifted)
def _kl_mixed(p, q):
    return p.loc - q.loc

loc = torch.tensor([1.0, -2.0], requires_grad=True)
s = Shifted(loc)
x = s.sample((3,))
print(s.batch_shape, s.event_shape, x, x.requires_grad, s.rsample().requires_grad)
print(s.log_prob(x), D.kl_divergence(s, Shifted(torch.zeros(2))))
print(D.kl_divergence(D.Normal(torch.ones(2), 1.0), s))
"""


def test_distribution_base_subclass_and_register_kl() -> None:
    assert gd_output(_BASE_SUBCLASS) == torch_output(_BASE_SUBCLASS)


# The kinds' class attributes: has_rsample read on the class, a method read unbound and
# called with the distribution, and a method assigned to the class (RL code's patches),
# seen by every distribution of the kind and by a subclass.
_CLASS_ATTRIBUTES = """
import torch
from torch.distributions import Bernoulli, Categorical, Normal
torch.manual_seed(1)
print(Normal.has_rsample, Categorical.has_rsample, Bernoulli.has_enumerate_support)
plain_log_prob = Categorical.log_prob
Categorical.log_probs = lambda self, a: plain_log_prob(self, a.squeeze(-1)).unsqueeze(-1)
Categorical.mode = lambda self: self.probs.argmax(dim=-1, keepdim=True)
old_entropy = Normal.entropy
Normal.entropy = lambda self: old_entropy(self).sum(-1)
c = Categorical(logits=torch.tensor([[0.2, 1.5, -0.3], [2.0, 0.1, 0.0]]))
print(c.log_probs(torch.tensor([[1], [0]])), c.mode())
n = Normal(torch.zeros(2, 3), torch.ones(2, 3) * 2)
print(n.entropy(), Normal.entropy(n), old_entropy(n))
class Wide(Normal):
    pass
print(Wide(torch.zeros(4), torch.ones(4)).entropy())
"""


def test_distribution_class_attributes_and_patches() -> None:
    torch = pytest.importorskip("torch")
    dists = torch.distributions
    # The program patches PyTorch's own classes when it runs under PyTorch (in this
    # process): put them back, so later tests see PyTorch's distributions.
    saved = {(cls, name): cls.__dict__.get(name)
             for cls in (dists.Categorical, dists.Normal)
             for name in ("log_probs", "mode", "entropy")}
    try:
        expected = torch_output(_CLASS_ATTRIBUTES)
    finally:
        for (cls, name), value in saved.items():
            if value is None:
                if name in cls.__dict__:
                    delattr(cls, name)
            else:
                setattr(cls, name, value)
    assert gd_output(_CLASS_ATTRIBUTES) == expected


# A program's own Transform (its _call, _inverse, log_abs_det_jacobian and class
# attributes) inside a program's subclass of TransformedDistribution: sampling, scoring,
# the cache of one pair (cache_size=1), inverting through .inv, and the subclass's own
# property reading the transforms.
_TRANSFORM_SUBCLASS = """
import math
import torch
import torch.nn.functional as F
from torch import distributions as D
torch.manual_seed(7)

class Squash(D.transforms.Transform):
    domain = D.constraints.real
    codomain = D.constraints.interval(-2.0, 2.0)
    bijective = True
    sign = +1

    def __init__(self, cache_size=1):
        super().__init__(cache_size=cache_size)

    def __eq__(self, other):
        return isinstance(other, Squash)

    def _call(self, x):
        return 2.0 * torch.tanh(x)

    def _inverse(self, y):
        return torch.atanh(y / 2.0)

    def log_abs_det_jacobian(self, x, y):
        return math.log(2.0) + 2.0 * (math.log(2.0) - x - F.softplus(-2.0 * x))

class SquashedGaussian(D.TransformedDistribution):
    def __init__(self, loc, scale):
        self.loc = loc
        super().__init__(D.Normal(loc, scale), [Squash()])

    @property
    def mean(self):
        m = self.loc
        for t in self.transforms:
            m = t(m)
        return m

loc = torch.tensor([0.3, -1.2], requires_grad=True)
d = SquashedGaussian(loc, torch.tensor([0.5, 1.0]))
a = d.rsample((3,))
lp = d.log_prob(a)
print(a, lp, d.mean, d.batch_shape, d.event_shape)
lp.sum().backward()
print(loc.grad)
t = Squash(cache_size=0)
y = t(torch.tensor([0.1, 2.0]))
print(y, t.inv(y), t.sign, t.bijective, t.codomain, t == Squash(), isinstance(t, Squash))
print(d.log_prob(torch.tensor([0.5, -1.5])), d.sample().shape)
"""


def test_transform_subclass_in_transformed_distribution() -> None:
    assert gd_output(_TRANSFORM_SUBCLASS) == torch_output(_TRANSFORM_SUBCLASS)
