"""Round 15's tensor-area classes against PyTorch 2.13: a torch.Generator's state
(get_state / set_state / clone_state), torch.set_default_tensor_type, x.pin_memory() on a
CPU build, torch.binomial (ATen's BTRS / inversion sampler, bit for bit) and the
torch.distributions kinds built on it or on PyTorch's TransformedDistribution: Binomial,
Multinomial, Gumbel, Weibull, Pareto, HalfCauchy, TransformedDistribution with the
elementwise transforms (samples, rsample's gradients, log_prob, cdf/icdf, properties,
kl_divergence, reprs and validation messages); x ** e's bits. The expected text is
PyTorch's, as a literal; with torch installed the same program is also run under it.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import gd_output, guarded_program, torch_output

from gradcli.ad.rng import Generator

SETUP = ("import torch\nfrom torch.distributions import Gumbel, HalfCauchy, Pareto, Weibull, "
         "kl_divergence\ntorch.manual_seed(0)\n")


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


# (name, program, PyTorch's output)
CASES = [
    ('generator_state',
     ('g = torch.Generator().manual_seed(7)\n'
      's = g.get_state()\n'
      'a = torch.rand(3, generator=g)\n'
      'print(g.set_state(s) is g, torch.equal(a, torch.rand(3, generator=g)))\n'
      'twin = g.clone_state()\n'
      'print(torch.equal(torch.randn(2, generator=g), torch.randn(2, generato'
      'r=twin)), s.dtype, s.shape)\n'
      'torch.manual_seed(5)\n'
      'g.set_state(torch.get_rng_state())\n'
      'print(torch.equal(torch.rand(2, generator=g), torch.rand(2)))\n'
      'g.set_state(torch.zeros(3))'),
     ('True True\n'
      'True torch.uint8 torch.Size([5056])\n'
      'True\n'
      'TypeError\n'
      'RNG state must be a torch.ByteTensor\n')),
    ('generator_state_bad_size',
     ('g = torch.Generator()\n'
      'g.set_state(torch.zeros(10, dtype=torch.uint8))'),
     ('RuntimeError\n'
      'Expected a CPUGeneratorImplState of size 5056 but found the input RNG '
      'state size to be 10\n')),
    ('generator_state_not_tensor',
     ('torch.Generator().set_state(5)'),
     ('TypeError\n'
      'expected a torch.ByteTensor, but got int\n')),
    ('set_default_tensor_type',
     ('torch.set_default_tensor_type(torch.DoubleTensor)\n'
      'print(torch.zeros(1).dtype, torch.get_default_dtype(), torch.tensor([1'
      '.5]).dtype)\n'
      "torch.set_default_tensor_type('torch.FloatTensor')\n"
      'print(torch.zeros(1).dtype, torch.get_default_dtype())\n'
      "for t in [torch.IntTensor, 'torch.LongTensor', 'torch.cuda.FloatTensor"
      "', torch.float64, 5]:\n"
      '    try:\n'
      '        torch.set_default_tensor_type(t)\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)\n'
      'print(torch.get_default_dtype())'),
     ('torch.float64 torch.float64 torch.float64\n'
      'torch.float32 torch.float32\n'
      'TypeError only floating-point types are supported as the default type\n'
      'TypeError only floating-point types are supported as the default type\n'
      'TypeError type torch.cuda.FloatTensor not available. Torch not compile'
      'd with CUDA enabled.\n'
      'TypeError invalid type object: only floating-point types are supported'
      ' as the default type\n'
      'TypeError invalid type object: only floating-point types are supported'
      ' as the default type\n'
      'torch.float32\n')),
    ('pin_memory',
     ('x = torch.ones(3)\n'
      'print(x.is_pinned())\n'
      'x.pin_memory()'),
     ('False\n'
      'RuntimeError\n'
      'Cannot access accelerator device when none is available.\n')),
    ('binomial_draws',
     ('print(torch.binomial(torch.tensor([10., 100., 5.]), torch.tensor([0.5,'
      ' 0.3, 0.9])))\n'
      'print(torch.binomial(torch.tensor([10., 100., 5.], dtype=torch.float64'
      '), torch.tensor([0.5, 0.3, 0.9], dtype=torch.float64)))\n'
      'print(torch.binomial(torch.tensor([10., 100.]), torch.tensor([0.5])))\n'
      'print(torch.binomial(torch.full((2, 4), 1000.), torch.full((2, 4), 0.47)))\n'
      'print(torch.binomial(torch.full((8,), 37.), torch.full((8,), 0.85)))\n'
      'print(torch.binomial(torch.full((8,), 3.), torch.full((8,), 0.2)))\n'
      'print(torch.binomial(torch.tensor([0., 5., 5.]), torch.tensor([0.5, 0., 1.])))\n'
      'c = torch.tensor([10.], requires_grad=True)\n'
      'r = torch.binomial(c, torch.tensor([0.5]))\n'
      'print(r)\n'
      'r.sum().backward()'),
     ('tensor([ 7., 31.,  5.])\n'
      'tensor([ 5., 26.,  4.], dtype=torch.float64)\n'
      'tensor([ 5., 53.])\n'
      'tensor([[457., 476., 451., 497.],\n'
      '        [469., 464., 463., 468.]])\n'
      'tensor([32., 32., 34., 32., 32., 33., 33., 29.])\n'
      'tensor([1., 0., 0., 1., 0., 2., 0., 1.])\n'
      'tensor([0., 0., 5.])\n'
      'tensor([6.], grad_fn=<NotImplemented>)\n'
      'RuntimeError\n'
      'derivative for aten::binomial is not implemented\n')),
    ('binomial_dtypes',
     ('for count, prob in [(torch.tensor([10, 100]), torch.tensor([0.5, 0.2])'
      '), (torch.tensor([10., 100]), torch.tensor([0.5, 0.2], dtype=torch.float64))]:\n'
      '    try:\n'
      '        print(torch.binomial(count, prob))\n'
      '    except Exception as e:\n'
      '        print(type(e).__name__, e)'),
     ('ValueError binomial only supports floating-point dtypes for count, got: Long\n'
      'RuntimeError Found dtype Double but expected Float\n')),
    ('binomial_distribution',
     ('b = torch.distributions.Binomial(10, torch.tensor([0.2, 0.5, 0.9]))\n'
      'print(b, b.sample(), b.sample((2,)))\n'
      'print(b.log_prob(torch.tensor([2., 5., 9.])), b.mean, b.variance, b.mo'
      'de, b.entropy())\n'
      'b2 = torch.distributions.Binomial(total_count=torch.tensor([5., 50.]),'
      ' logits=torch.tensor([0.3, -1.0]))\n'
      'print(b2, b2.probs, b2.sample((3,)), b2.log_prob(torch.tensor([1., 20.])))\n'
      'b.log_prob(torch.tensor([2., 5., 11.]))'),
     ('Binomial(total_count: torch.Size([3]), probs: torch.Size([3])) tensor('
      '[5., 5., 9.]) tensor([[2., 5., 9.],\n'
      '        [4., 5., 9.]])\n'
      'tensor([-1.1974, -1.4020, -0.9482]) tensor([2., 5., 9.]) tensor([1.600'
      '0, 2.5000, 0.9000]) tensor([2., 5., 9.]) tensor([1.6219, 1.8760, 1.2779])\n'
      'Binomial(total_count: torch.Size([2]), probs: torch.Size([2]), logits:'
      ' torch.Size([2])) tensor([0.5744, 0.2689]) tensor([[ 3., 12.],\n'
      '        [ 3., 16.],\n'
      '        [ 2., 14.]]) tensor([-2.3623, -4.1792])\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (3,)) to be within the suppor'
      't (IntegerInterval(lower_bound=0, upper_bound=tensor([10., 10., 10.]))'
      ') of the distribution Binomial(total_count: torch.Size([3]), probs: to'
      'rch.Size([3]), logits: torch.Size([3])), but found invalid values:\n'
      'tensor([ 2.,  5., 11.])\n')),
    ('multinomial',
     ('m = torch.distributions.Multinomial(20, torch.tensor([0.1, 0.2, 0.7]))\n'
      'print(m, m.sample(), m.sample((3,)))\n'
      'print(m.log_prob(torch.tensor([2., 4., 14.])), m.mean, m.variance, m.b'
      'atch_shape, m.event_shape)\n'
      'm2 = torch.distributions.Multinomial(5, logits=torch.tensor([[0.0, 1.0'
      '], [2.0, -1.0]]))\n'
      'print(m2.sample(), m2.probs, m2.logits, m2.total_count)\n'
      'm.log_prob(torch.tensor([2., 4., 15.]))'),
     ('Multinomial() tensor([ 0.,  4., 16.]) tensor([[ 3.,  7., 10.],\n'
      '        [ 0.,  4., 16.],\n'
      '        [ 2.,  5., 13.]])\n'
      'tensor(-2.7632) tensor([ 2.,  4., 14.]) tensor([1.8000, 3.2000, 4.2000'
      ']) torch.Size([]) torch.Size([3])\n'
      'tensor([[2., 3.],\n'
      '        [5., 0.]]) tensor([[0.2689, 0.7311],\n'
      '        [0.9526, 0.0474]]) tensor([[-1.3133, -0.3133],\n'
      '        [-0.0486, -3.0486]]) 5\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (3,)) to be within the suppor'
      't (Multinomial()) of the distribution Multinomial(), but found invalid values:\n'
      'tensor([ 2.,  4., 15.])\n')),
    ('gumbel',
     ('g = Gumbel(1.0, 2.0)\n'
      'print(g, g.batch_shape, g.sample(), g.sample((3,)), g.rsample((2,)))\n'
      'x = torch.tensor([0.5, 1.0, 3.0])\n'
      'print(g.log_prob(x), g.cdf(x), g.icdf(torch.tensor([0.1, 0.5, 0.9])))\n'
      'print(g.mean, g.mode, g.stddev, g.variance, g.entropy())\n'
      'g2 = Gumbel(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))\n'
      'print(g2, g2.sample((2,)), g2.log_prob(torch.tensor([0.3, 0.3])), g2.c'
      'df(torch.tensor([0.3, 0.3])))\n'
      'print(kl_divergence(g2, Gumbel(torch.tensor([0.5, 0.5]), torch.tensor('
      '[2.0, 2.0]))))\n'
      'loc = torch.tensor(0.5, requires_grad=True)\n'
      's = Gumbel(loc, 1.0).rsample((3,))\n'
      's.sum().backward()\n'
      'print(s, loc.grad)\n'
      'Gumbel(0.0, -1.0)'),
     ('Gumbel(loc: 1.0, scale: 2.0) torch.Size([]) tensor(1.7115) tensor([ 3.'
      '6661, -0.7717, -0.4109]) tensor([0.6698, 2.5724])\n'
      'tensor([-1.7272, -1.6931, -2.0610]) tensor([0.2769, 0.3679, 0.6922]) t'
      'ensor([-0.6681,  1.7330,  5.5007])\n'
      'tensor(2.1544) tensor(1.) tensor(2.5651) tensor(6.5797) tensor(2.2704)\n'
      'Gumbel(loc: torch.Size([2]), scale: torch.Size([2])) tensor([[0.3381, 2.1067],\n'
      '        [0.2407, 1.3900]]) tensor([-1.0408, -1.9621]) tensor([0.4767, 0.0173])\n'
      'tensor([0.2925, 0.9093])\n'
      'tensor([ 0.4484,  0.5921, -0.8355], grad_fn=<AddBackward0>) tensor(3.)\n'
      'ValueError\n'
      'Expected parameter scale (Tensor of shape ()) of distribution Gumbel(l'
      'oc: 0.0, scale: -1.0) to satisfy the constraint GreaterThan(lower_boun'
      'd=0.0), but found invalid values:\n'
      '-1.0\n')),
    ('weibull',
     ('w = Weibull(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 0.7]))\n'
      'print(w, w.sample(), w.sample((2,)))\n'
      'print(w.log_prob(torch.tensor([0.5, 2.0])), w.cdf(torch.tensor([0.5, 2'
      '.0])), w.icdf(torch.tensor([0.2, 0.7])))\n'
      'print(w.mean, w.mode, w.variance, w.entropy())\n'
      'w1 = Weibull(1.0, 2.0)\n'
      'print(w1, w1.sample((4,)), w1.log_prob(torch.tensor(0.7)))\n'
      'sc = torch.tensor([1.0, 2.0], requires_grad=True)\n'
      'lp = Weibull(sc, 1.5).log_prob(torch.tensor([0.5, 1.0])).sum()\n'
      'lp.backward()\n'
      'print(lp, sc.grad)\n'
      'Weibull(1.0, torch.tensor([0.0]))'),
     ('Weibull(scale: torch.Size([2]), concentration: torch.Size([2])) tensor'
      '([2.3089, 2.6894]) tensor([[0.7232, 7.5539],\n'
      '        [1.0237, 3.7963]])\n'
      'tensor([-0.2947, -2.0498]) tensor([0.2978, 0.6321]) tensor([0.3679, 2.6073])\n'
      'tensor([0.9027, 2.5316]) tensor([0.4807,    nan]) tensor([ 0.3757, 13.'
      '7073]) tensor([0.7869, 1.8024])\n'
      'Weibull(scale: 1.0, concentration: 2.0) tensor([0.4436, 0.6576, 0.9331'
      ', 0.5831]) tensor(-0.1535)\n'
      'tensor(-1.2825, grad_fn=<SumBackward0>) tensor([-0.9697, -0.4848])\n'
      'ValueError\n'
      'Expected parameter concentration (Tensor of shape (1,)) of distributio'
      'n Weibull(scale: tensor([1.]), concentration: tensor([0.])) to satisfy'
      ' the constraint GreaterThan(lower_bound=0.0), but found invalid values:\n'
      'tensor([0.])\n')),
    ('pareto',
     ('p = Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 1.5]))\n'
      'print(p, p.sample(), p.rsample((2,)))\n'
      'print(p.log_prob(torch.tensor([1.5, 3.0])), p.cdf(torch.tensor([1.5, 3'
      '.0])), p.icdf(torch.tensor([0.5, 0.5])))\n'
      'print(p.mean, p.mode, p.variance, p.entropy(), p.support)\n'
      'print(kl_divergence(p, Pareto(torch.tensor([1.5, 1.0]), torch.tensor(['
      '2.0, 2.0]))))\n'
      'p.log_prob(torch.tensor([0.5, 3.0]))'),
     ('Pareto(alpha: torch.Size([2]), scale: torch.Size([2])) tensor([3.2202,'
      ' 4.5422]) tensor([[ 1.2275, 10.8398],\n'
      '        [ 1.4123,  5.6816]])\n'
      'tensor([-0.5232, -1.3013]) tensor([0.7037, 0.4557]) tensor([1.2599, 3.1748])\n'
      'tensor([1.5000, 6.0000]) tensor([1., 2.]) tensor([0.7500,    inf]) ten'
      'sor([0.2347, 1.9543]) GreaterThanEq(lower_bound=tensor([1., 2.]))\n'
      'tensor([   inf, 1.4319])\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (2,)) to be within the suppor'
      't (GreaterThanEq(lower_bound=tensor([1., 2.]))) of the distribution Pa'
      'reto(alpha: torch.Size([2]), scale: torch.Size([2])), but found invalid values:\n'
      'tensor([0.5000, 3.0000])\n')),
    ('half_cauchy',
     ('h = HalfCauchy(torch.tensor([1.0, 2.0]))\n'
      'print(h, h.sample(), h.sample((2,)), h.scale)\n'
      'print(h.log_prob(torch.tensor([0.5, 3.0])), h.cdf(torch.tensor([0.5, 3'
      '.0])), h.icdf(torch.tensor([0.5, 0.9])))\n'
      'print(h.mean, h.mode, h.variance, h.entropy(), isinstance(h, HalfCauch'
      'y), h.has_rsample)\n'
      'h.log_prob(torch.tensor([-0.5, 3.0]))'),
     ('HalfCauchy() tensor([10.5977,  1.5295]) tensor([[0.1283, 7.8661],\n'
      '        [0.4900, 2.5977]]) tensor([1., 2.])\n'
      'tensor([-0.6747, -2.3234]) tensor([0.2952, 0.6257]) tensor([ 1.0000, 12.6275])\n'
      'tensor([inf, inf]) tensor([0., 0.]) tensor([inf, inf]) tensor([1.8379,'
      ' 2.5310]) True True\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (2,)) to be within the suppor'
      't (GreaterThanEq(lower_bound=0.0)) of the distribution HalfCauchy(), b'
      'ut found invalid values:\n'
      'tensor([-0.5000,  3.0000])\n')),
]
# TransformedDistribution and its transforms (SAC's tanh-squashed Normal)
CASES += [
    ('transformed_sac',
     ('from torch.distributions import Normal, TransformedDistribution\n'
      'from torch.distributions.transforms import TanhTransform\n'
      'mu = torch.randn(4, 2, requires_grad=True)\n'
      'base = Normal(mu, (torch.randn(4, 2) * 0.1).exp())\n'
      'dist = TransformedDistribution(base, [TanhTransform(cache_size=1)])\n'
      'action = dist.rsample()\n'
      'logp = dist.log_prob(action).sum(-1)\n'
      'print(dist, dist.batch_shape, dist.event_shape, dist.support, dist.has_rsample)\n'
      'print(action, logp)\n'
      'logp.mean().backward()\n'
      'print(mu.grad)\n'
      'd2 = TransformedDistribution(Normal(torch.zeros(3), torch.ones(3)), Ta'
      'nhTransform())\n'
      'a2 = d2.sample()\n'
      'print(a2, d2.log_prob(a2))\n'
      'dist.mean'),
     ('TransformedDistribution() torch.Size([4, 2]) torch.Size([]) Interval(l'
      'ower_bound=-1.0, upper_bound=1.0) True\n'
      'tensor([[ 0.7674,  0.0648],\n'
      '        [-0.9952, -0.7480],\n'
      '        [-0.6319,  0.2235],\n'
      '        [ 0.8476,  0.9250]], grad_fn=<TanhBackward0>) tensor([-1.0624,'
      '  2.1436, -2.4307,  0.7178], grad_fn=<SumBackward1>)\n'
      'tensor([[ 0.3837,  0.0324],\n'
      '        [-0.4976, -0.3740],\n'
      '        [-0.3159,  0.1118],\n'
      '        [ 0.4238,  0.4625]])\n'
      'tensor([ 0.1895,  0.8521, -0.8592]) tensor([-0.9008, -0.4226, -0.4110])\n'
      'NotImplementedError\n'
      '\n')),
    ('transformed_chains',
     ('import torch.distributions as D\n'
      'from torch.distributions import Normal, Independent, TransformedDistribution\n'
      'ln = TransformedDistribution(Normal(0.0, 1.0), [D.ExpTransform()])\n'
      'x = ln.sample((3,))\n'
      'print(ln, x, ln.log_prob(x), ln.cdf(x), ln.icdf(torch.tensor([0.2, 0.5])))\n'
      'aff = TransformedDistribution(Normal(torch.zeros(2), torch.ones(2)), ['
      'D.AffineTransform(loc=1.0, scale=2.0), D.SigmoidTransform()])\n'
      'y = aff.rsample((2,))\n'
      'print(y, aff.log_prob(y), aff.support)\n'
      'ind = TransformedDistribution(Independent(Normal(torch.zeros(3, 2), to'
      'rch.ones(3, 2)), 1), D.TanhTransform(cache_size=1))\n'
      'a = ind.rsample()\n'
      'print(ind.batch_shape, ind.event_shape, ind.support, a, ind.log_prob(a))\n'
      'p = TransformedDistribution(D.Exponential(torch.tensor([1.0, 2.0])), ['
      'D.transforms.PowerTransform(torch.tensor(0.5))])\n'
      'v = p.sample((2,))\n'
      'print(v, p.log_prob(v), p.cdf(v))\n'
      's = TransformedDistribution(Normal(0.0, 1.0), [D.transforms.SoftplusTr'
      'ansform()])\n'
      'w = s.sample((3,))\n'
      'print(w, s.log_prob(w), s.base_dist, s.transforms)\n'
      'TransformedDistribution(ln, [5])'),
     ('TransformedDistribution() tensor([4.6692, 0.7457, 0.1132]) tensor([-3.'
      '6473, -0.6686, -1.1137]) tensor([0.9383, 0.3846, 0.0147]) tensor([0.43'
      '10, 1.0000])\n'
      'tensor([[0.8944, 0.2370],\n'
      '        [0.1422, 0.8590]]) tensor([[ 0.5863, -0.4901],\n'
      '        [-0.4862,  0.4173]]) Interval(lower_bound=0.0, upper_bound=1.0)\n'
      'torch.Size([3]) torch.Size([2]) IndependentConstraint(Interval(lower_b'
      'ound=-1.0, upper_bound=1.0), 1) tensor([[ 0.6848, -0.6164],\n'
      '        [-0.3828, -0.5347],\n'
      '        [ 0.1801, -0.6945]]) tensor([-1.3368, -1.6021, -1.5299])\n'
      'tensor([[0.8109, 0.5391],\n'
      '        [0.7232, 0.3391]]) tensor([[-0.1740,  0.1872],\n'
      '        [-0.1539,  0.0748]]) tensor([[0.4818, 0.4408],\n'
      '        [0.4073, 0.2054]])\n'
      'tensor([1.3878, 0.3435, 0.1998]) tensor([-1.2374, -0.0813, -0.3488]) N'
      'ormal(loc: 0.0, scale: 1.0) [SoftplusTransform()]\n'
      'ValueError\n'
      'transforms must be a Transform or a list of Transforms\n')),
    ('transform_objects',
     ('from torch.distributions.transforms import TanhTransform, ExpTransform'
      ', AffineTransform, AbsTransform\n'
      't = TanhTransform()\n'
      'x = torch.tensor([0.5])\n'
      'print(t, t.inv, t.inv.inv is t, t.sign, t(x), t.inv(x), t.log_abs_det_'
      'jacobian(x, t(x)))\n'
      'e = ExpTransform()\n'
      'print(e.inv, e.inv.sign, e.domain, e.codomain, type(e).__name__, isins'
      'tance(e, ExpTransform))\n'
      'print(AffineTransform(0.0, -2.0).sign, AffineTransform(torch.zeros(2),'
      ' torch.tensor([1.0, -3.0])).sign)\n'
      'print(AbsTransform()(torch.tensor([-1.0, 2.0])), e.inv.log_abs_det_jac'
      'obian(torch.tensor(2.0), torch.tensor(0.5)))\n'
      'TanhTransform(cache_size=2)'),
     ('TanhTransform() _InverseTransform(TanhTransform()) True 1 tensor([0.46'
      '21]) tensor([0.5493]) tensor([-0.2402])\n'
      '_InverseTransform(ExpTransform()) 1 Real() GreaterThan(lower_bound=0.0'
      ') ExpTransform True\n'
      '-1 tensor([ 1., -1.])\n'
      'tensor([1., 2.]) tensor(-0.5000)\n'
      'ValueError\n'
      'cache_size must be 0 or 1\n')),
]
# torch.tensor of a list holding tensors: each one a scalar (item()), dtypes promoted
CASES += [
    ('tensor_of_tensors',
     ('print(torch.tensor([torch.tensor([1.0]), torch.tensor([2.0])]))\n'
      'print(torch.tensor([[torch.tensor([1.0])], [torch.tensor([2.0])]]), to'
      'rch.tensor([torch.tensor([[1.0]]), torch.tensor([[2.0]])]))\n'
      'print(torch.tensor([torch.tensor([1]), 2.5]), torch.tensor([torch.tens'
      'or(1.0), torch.tensor([2.0])]))\n'
      'print(torch.tensor([torch.tensor([1.0]), torch.tensor([2.0])], dtype=t'
      'orch.float64), torch.tensor((torch.tensor([1.0]), 3)))\n'
      'print(torch.as_tensor([torch.tensor([1.0]), torch.tensor([2.0])]), tor'
      'ch.FloatTensor([torch.tensor([1.0]), torch.tensor([2.0])]))\n'
      'print(torch.tensor([torch.tensor(1.5, dtype=torch.float64), 2.0]), tor'
      'ch.tensor([torch.tensor(1, dtype=torch.int8), 2]))\n'
      'print(torch.tensor([torch.tensor(1, dtype=torch.uint8), torch.tensor(1'
      ', dtype=torch.int8)]), torch.tensor([torch.tensor(True), 2]))\n'
      'print(torch.tensor([torch.tensor(1, dtype=torch.int32), 2.0]), torch.t'
      'ensor([torch.tensor(1.0, dtype=torch.float16), 2]))\n'
      'losses = [torch.tensor(0.5, requires_grad=True) * 2, torch.tensor(0.25)]\n'
      'print(torch.tensor(losses), torch.tensor(losses).mean())\n'
      'torch.tensor([torch.tensor([1.0, 2.0]), torch.tensor([2.0])])'),
     ('tensor([1., 2.])\n'
      'tensor([[1.],\n'
      '        [2.]]) tensor([1., 2.])\n'
      'tensor([1.0000, 2.5000]) tensor([1., 2.])\n'
      'tensor([1., 2.], dtype=torch.float64) tensor([1., 3.])\n'
      'tensor([1., 2.]) tensor([1., 2.])\n'
      'tensor([1.5000, 2.0000], dtype=torch.float64) tensor([1, 2])\n'
      'tensor([1, 1], dtype=torch.int16) tensor([1, 2])\n'
      'tensor([1., 2.]) tensor([1., 2.], dtype=torch.float16)\n'
      'tensor([1.0000, 0.2500]) tensor(0.6250)\n'
      'ValueError\n'
      'only one element tensors can be converted to Python scalars\n')),
    ('tensor_of_empty_tensor',
     ('torch.tensor([torch.zeros(0)])'),
     ('ValueError\n'
      'only one element tensors can be converted to Python scalars\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    torch = pytest.importorskip("torch")
    try:
        assert torch_output(_program(code)) == expected
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binomial_sampler_draws_pytorchs_numbers(dtype: str) -> None:
    """torch.binomial's draws, bit for bit, in each of ATen's branches (inversion and BTRS,
    for p below and above one half, the edges 0 and 1), two calls in a row."""
    torch = pytest.importorskip("torch")
    counts = np.array([10, 100, 5, 1000, 37, 3, 0, 7, 250, 20] * 30, dtype=dtype)
    probs = np.array([0.5, 0.3, 0.9, 0.47, 0.85, 0.2, 0.5, 1.0, 0.04, 0.999] * 30,
                     dtype=dtype)
    torch.manual_seed(3)
    expected = [torch.binomial(torch.from_numpy(counts), torch.from_numpy(probs)).numpy()
                for _ in range(2)]
    gen = Generator(3)
    got = [gen.binomial(counts, probs) for _ in range(2)]
    for e, g in zip(expected, got, strict=True):
        assert g.dtype == e.dtype
        assert np.array_equal(g, e)


def test_binomial_samples_are_binomially_distributed() -> None:
    """Without PyTorch: the sampler's mean and variance are n p and n p (1 - p), in both
    of its algorithms."""
    gen = Generator(0)
    for n, p in ((20.0, 0.1), (500.0, 0.3), (60.0, 0.8)):
        s = gen.binomial(np.full(20000, n), np.full(20000, p))
        assert abs(s.mean() - n * p) < 0.02 * n * p
        assert abs(s.var() - n * p * (1 - p)) < 0.1 * n * p * (1 - p)


# float64 keeps np.power (std::pow everywhere): SLEEF's double pow emulated exactly costs
# ~1 ms a call even on 64 elements, and differs from it on ~1.2% of elements (a known gap).
@pytest.mark.parametrize("dtype", ["float32"])
def test_tensor_to_a_number_power_is_pytorchs_bits(dtype: str) -> None:
    """x ** e for a float tensor and a Python number other than PyTorch's special cases
    (2, 3, -2, 0.5, -0.5, -1): SLEEF's pow of e rounded to the dtype on whole pairs of
    vectors, std::pow(base, double e) on the tail (lengths not a multiple of the vector
    pair, a transposed view, a size past one thread's grain)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels.elementwise import _pow_scalar

    gen = torch.Generator().manual_seed(0)
    for n in (15, 17, 100, 4000, 70001):
        for e in (2.5, 1 / 3, -1.3, 4.0, 7, -0.25):
            x = torch.rand(n, generator=gen, dtype=getattr(torch, dtype)) * 3
            assert np.array_equal(_pow_scalar(x.numpy(), e), torch.pow(x, e).numpy())
            xt = torch.rand(n, 3, generator=gen, dtype=getattr(torch, dtype)).t()
            assert np.array_equal(_pow_scalar(xt.numpy(), e), torch.pow(xt, e).numpy())


def test_power_prints_pytorchs_digits() -> None:
    """The same through a program: a loss's .item() shows every digit."""
    code = ("torch.manual_seed(0)\nx = torch.rand(1000) * 3\n"
            "print((x ** 2.5).sum().item(), (x ** 0.7).mean().item(), (x[:5] ** 1.5).tolist())\n")
    assert gd_output("import torch\n" + code) == (
        "4516.7265625 1.2691960334777832 [1.8165247440338135, 3.4987411499023438, "
        "0.13675104081630707, 0.2492833137512207, 0.8856987357139587]\n")
