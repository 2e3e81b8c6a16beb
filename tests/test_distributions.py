"""torch.distributions as VAE and policy-gradient code uses them, against PyTorch 2.13.

Normal, Bernoulli, Categorical and Uniform: seeded samples (PyTorch's draws), rsample's
gradients, log_prob, entropy, cdf/icdf, the properties, the reprs, kl_divergence, and
PyTorch's validation messages. The expected text is PyTorch's, as a literal; with torch
installed the same program is also run under it.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, guarded_program, torch_output

SETUP = ("import torch\nfrom torch.distributions import Bernoulli, Categorical, Distribution, "
         "Normal, Uniform, kl_divergence\ntorch.manual_seed(0)\n")


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


# (name, program, PyTorch's output)
CASES = [
    ('normal_sample_logprob_entropy',
     ('d = Normal(torch.tensor([0.0]), torch.tensor([1.0]))\n'
      'print(d.sample())\n'
      'print(d.log_prob(torch.tensor([0.5])))\n'
      'print(d.entropy())'),
     ('tensor([1.5410])\n'
      'tensor([-1.0439])\n'
      'tensor([1.4189])\n')),
    ('normal_rsample_grad',
     ('mu = torch.tensor([0.0, 1.0], requires_grad=True)\n'
      'sigma = torch.tensor([1.0, 2.0], requires_grad=True)\n'
      'd = Normal(mu, sigma)\n'
      'z = d.rsample()\n'
      'print(z)\n'
      'd.log_prob(z).sum().backward()\n'
      'print(mu.grad, sigma.grad)\n'
      'print(d.mean, d.stddev, d.variance)'),
     ('tensor([1.5410, 0.4131], grad_fn=<AddBackward0>)\n'
      'tensor([0., 0.]) tensor([-1.0000, -0.5000])\n'
      'tensor([0., 1.], requires_grad=True) tensor([1., 2.], requires_grad=True) tensor('
      '[1., 4.], grad_fn=<PowBackward0>)\n')),
    ('normal_scalar',
     ('n = Normal(0.0, 1.0)\n'
      'print(n.sample((2, 3)))\n'
      'print(n.cdf(torch.tensor(0.0)))\n'
      'print(n.icdf(torch.tensor(0.975)))\n'
      'print(n.batch_shape, n.event_shape, n.loc)\n'
      'print(n, type(n))\n'
      'print(n.support, n.arg_constraints)'),
     ('tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.5684, -1.0845, -1.3986]])\n'
      'tensor(0.5000)\n'
      'tensor(1.9600)\n'
      'torch.Size([]) torch.Size([]) tensor(0.)\n'
      "Normal(loc: 0.0, scale: 1.0) <class 'torch.distributions.normal.Normal'>\n"
      "Real() {'loc': Real(), 'scale': GreaterThan(lower_bound=0.0)}\n")),
    ('categorical',
     ('m = Categorical(torch.tensor([0.25, 0.25, 0.5]))\n'
      'a = m.sample()\n'
      'print(a)\n'
      'print(m.log_prob(a), m.entropy(), m.probs, m.logits)\n'
      'print(m, m.support)\n'
      'print(m.mean, m.mode, m.variance, m.batch_shape)'),
     ('tensor(2)\n'
      'tensor(-0.6931) tensor(1.0397) tensor([0.2500, 0.2500, 0.5000]) tensor([-1.3863, '
      '-1.3863, -0.6931])\n'
      'Categorical(probs: torch.Size([3]), logits: torch.Size([3])) IntegerInterval(lowe'
      'r_bound=0, upper_bound=2)\n'
      'tensor(nan) tensor(2) tensor(nan) torch.Size([])\n')),
    ('categorical_logits_batched',
     ('c = Categorical(logits=torch.randn(4, 3))\n'
      'print(c.sample(), c.sample((2,)).shape)\n'
      'print(c.entropy(), c.batch_shape, c)'),
     ('tensor([0, 0, 2, 1]) torch.Size([2, 4])\n'
      'tensor([0.4925, 0.7306, 0.9476, 1.0401]) torch.Size([4]) Categorical(probs: torch'
      '.Size([4, 3]), logits: torch.Size([4, 3]))\n')),
    ('bernoulli',
     ('b = Bernoulli(torch.tensor([0.3, 0.7]))\n'
      'print(b.sample(), b.sample((2,)))\n'
      'print(b.log_prob(torch.tensor([1.0, 0.0])), b.entropy())\n'
      'print(b.mean, b.variance, b.logits, b)\n'
      'print(Bernoulli(0.3), Bernoulli(logits=torch.tensor(0.)))'),
     ('tensor([0., 0.]) tensor([[1., 1.],\n'
      '        [0., 1.]])\n'
      'tensor([-1.2040, -1.2040]) tensor([0.6109, 0.6109])\n'
      'tensor([0.3000, 0.7000]) tensor([0.2100, 0.2100]) tensor([-0.8473,  0.8473]) Bern'
      'oulli(probs: torch.Size([2]), logits: torch.Size([2]))\n'
      'Bernoulli(probs: 0.30000001192092896) Bernoulli(logits: 0.0)\n')),
    ('uniform',
     ('u = Uniform(0.0, 2.0)\n'
      'print(u.sample(), u.sample((3,)))\n'
      'print(u.log_prob(torch.tensor(1.0)), u.entropy(), u.mean, u.stddev, u.mode)\n'
      'print(u, u.support, u.cdf(torch.tensor([0.5])), u.icdf(torch.tensor([0.5])))'),
     ('tensor(0.9925) tensor([1.5364, 0.1770, 0.2641])\n'
      'tensor(-0.6931) tensor(0.6931) tensor(1.) tensor(0.5774) tensor(nan)\n'
      'Uniform(low: 0.0, high: 2.0) Interval(lower_bound=0.0, upper_bound=2.0) tensor([0'
      '.2500]) tensor([1.])\n')),
    ('kl',
     ('p = Normal(torch.zeros(2), torch.ones(2))\n'
      'q = Normal(torch.ones(2), 2 * torch.ones(2))\n'
      'print(kl_divergence(p, q), torch.distributions.kl.kl_divergence(p, q))\n'
      'print(kl_divergence(Categorical(torch.tensor([0.5, 0.5])), Categorical(torch.tens'
      'or([0.9, 0.1]))))\n'
      'print(kl_divergence(Bernoulli(torch.tensor(0.3)), Bernoulli(torch.tensor(0.6))))\n'
      'print(kl_divergence(Uniform(0., 1.), Uniform(-1., 2.)), kl_divergence(Uniform(-1.'
      ', 2.), Uniform(0., 1.)))'),
     ('tensor([0.4431, 0.4431]) tensor([0.4431, 0.4431])\n'
      'tensor(0.5108)\n'
      'tensor(0.1838)\n'
      'tensor(1.0986) tensor(inf)\n')),
    ('isinstance',
     ('print(isinstance(Normal(0., 1.), Normal), isinstance(Normal(0., 1.), Distribution'
      '), isinstance(Normal(0., 1.), Uniform))\n'
      'print(Normal, Categorical.__name__)'),
     ('True True False\n'
      "<class 'torch.distributions.normal.Normal'> Categorical\n")),
    ('bad_scale',
     'Normal(0., -1.)',
     ('ValueError\n'
      'Expected parameter scale (Tensor of shape ()) of distribution Normal(loc: 0.0, sc'
      'ale: -1.0) to satisfy the constraint GreaterThan(lower_bound=0.0), but found inva'
      'lid values:\n'
      '-1.0\n')),
    ('bad_scale_vector',
     'Normal(torch.zeros(2), torch.tensor([1., -1.]))',
     ('ValueError\n'
      'Expected parameter scale (Tensor of shape (2,)) of distribution Normal(loc: torch'
      '.Size([2]), scale: torch.Size([2])) to satisfy the constraint GreaterThan(lower_b'
      'ound=0.0), but found invalid values:\n'
      'tensor([ 1., -1.])\n')),
    ('bad_bernoulli_value',
     'Bernoulli(torch.tensor([0.3, 0.7])).log_prob(torch.tensor([0.5, 1.]))',
     ('ValueError\n'
      'Expected value argument (Tensor of shape (2,)) to be within the support (Boolean('
      ')) of the distribution Bernoulli(probs: torch.Size([2])), but found invalid values:\n'
      'tensor([0.5000, 1.0000])\n')),
    ('bad_categorical_value',
     'Categorical(torch.tensor([0.3, 0.7])).log_prob(torch.tensor(2))',
     ('ValueError\n'
      'Expected value argument (Tensor of shape ()) to be within the support (IntegerInt'
      'erval(lower_bound=0, upper_bound=1)) of the distribution Categorical(probs: torch'
      '.Size([2])), but found invalid values:\n'
      '2\n')),
    ('bad_uniform_value',
     'Uniform(0., 1.).log_prob(torch.tensor(2.))',
     ('ValueError\n'
      'Expected value argument (Tensor of shape ()) to be within the support (Interval(l'
      'ower_bound=0.0, upper_bound=1.0)) of the distribution Uniform(low: 0.0, high: 1.0'
      '), but found invalid values:\n'
      '2.0\n')),
    ('bad_uniform_bounds',
     'Uniform(1., 0.)',
     ('ValueError\n'
      'Expected parameter low (Tensor of shape ()) of distribution Uniform(low: 1.0, hig'
      'h: 0.0) to satisfy the constraint LessThan(upper_bound=0.0), but found invalid values:\n'
      '1.0\n')),
    ('no_rsample',
     'Bernoulli(torch.tensor([0.3, 0.7])).rsample()',
     ('NotImplementedError\n'
      '\n')),
    ('neither_probs_nor_logits',
     'Bernoulli()',
     ('ValueError\n'
      'Either `probs` or `logits` must be specified, but not both.\n')),
    ('zero_dim_categorical',
     'Categorical(torch.tensor(0.3))',
     ('ValueError\n'
      '`probs` parameter must be at least one-dimensional.\n')),
    ('number_log_prob',
     'Normal(0., 1.).log_prob(0.5)',
     ('ValueError\n'
      'The value argument to log_prob must be a Tensor\n')),
    ('no_validation',
     'print(Normal(torch.zeros(2), torch.ones(2), validate_args=False).log_prob(0.5))',
     'tensor([-1.0439, -1.0439])\n'),
    ('kl_mixed',
     'kl_divergence(Normal(0., 1.), Categorical(torch.tensor([0.9, 0.1])))',
     ('NotImplementedError\n'
      'No KL(p || q) is implemented for p type Normal and q type Categorical\n')),
    ('not_broadcastable',
     'Normal(torch.zeros(2), 1.).log_prob(torch.zeros(3))',
     ('ValueError\n'
      'Value is not broadcastable with batch_shape+event_shape: torch.Size([3]) vs torch'
      '.Size([2]).\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected
