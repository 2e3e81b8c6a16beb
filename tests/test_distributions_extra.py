"""torch.distributions beyond Normal/Bernoulli/Categorical/Uniform, against PyTorch 2.13:
Exponential, Laplace, Cauchy, HalfNormal, LogNormal, Poisson, Geometric, OneHotCategorical,
Independent, MultivariateNormal, Gamma, Chi2, StudentT, Beta, Dirichlet,
MixtureSameFamily and their kl_divergence: seeded
samples (PyTorch's draws, Gamma's through ATen's Marsaglia-Tsang sampler), rsample's
gradients, log_prob, entropy, the properties, reprs (MultivariateNormal's lazily derived
matrices included) and validation messages; and the LAPACK info of linalg's *_ex functions,
which MultivariateNormal's positive-definite check reads. The expected text is PyTorch's,
as a literal; with torch installed the same program is also run under it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyrun import gd_output, guarded_program, torch_output

from gradcli.ad.rng import Generator

SETUP = ("import torch\nfrom torch.distributions import Bernoulli, Beta, Cauchy, Chi2, "
         "Dirichlet, Distribution, Exponential, Gamma, Geometric, HalfNormal, Independent, "
         "Laplace, LogNormal, MultivariateNormal, Normal, OneHotCategorical, Poisson, "
         "StudentT, kl_divergence\ntorch.manual_seed(0)\n")


def _program(code: str) -> str:
    return guarded_program(code, SETUP)


# (name, program, PyTorch's output)
CASES = [
    ('exponential',
     ('d = Exponential(torch.tensor([0.5, 2.0]))\n'
      'print(d, d.sample((2,)), d.log_prob(torch.tensor([1.0, 0.25])), d.entropy())\n'
      'print(d.mean, d.stddev, d.variance, d.mode, d.support)\n'
      'print(d.cdf(torch.tensor([1.0, 2.0])), d.icdf(torch.tensor([0.5, 0.9])))\n'
      'rate = torch.tensor(1.5, requires_grad=True)\n'
      's = Exponential(rate).rsample((3,))\n'
      's.sum().backward()\n'
      'print(s, rate.grad)'),
     ('Exponential(rate: torch.Size([2])) tensor([[7.0167, 0.6152],\n'
      '        [1.2301, 1.2676]]) tensor([-1.1931,  0.1931]) tensor([1.6931, 0.3069])\n'
      'tensor([2.0000, 0.5000]) tensor([2.0000, 0.5000]) tensor([4.0000, 0.25'
      '00]) tensor([0., 0.]) GreaterThanEq(lower_bound=0.0)\n'
      'tensor([0.3935, 0.9817]) tensor([1.3863, 1.1513])\n'
      'tensor([0.6905, 1.0441, 0.1312], grad_fn=<DivBackward0>) tensor(-1.2438)\n')),
    ('laplace_cauchy',
     ('scale = torch.tensor(1.5, requires_grad=True)\n'
      'd = Laplace(torch.tensor(0.5), scale)\n'
      'v = d.rsample((4,))\n'
      'v.pow(2).mean().backward()\n'
      'print(d, v, scale.grad, d.cdf(torch.tensor(0.3)), d.icdf(torch.tensor('
      '0.3)), d.entropy(), d.variance, d.stddev)\n'
      'c = Cauchy(torch.zeros(2), torch.tensor([1.0, 2.0]))\n'
      'print(c, c.sample(), c.log_prob(torch.tensor([0.5, -1.0])), c.mean, c.'
      'variance, c.entropy(), c.cdf(torch.tensor([1.0, 1.0])), c.icdf(torch.t'
      'ensor([0.75, 0.75])))'),
     ('Laplace(loc: 0.5, scale: 1.5) tensor([ 0.4887,  1.6532, -2.0978, -1.49'
      '74], grad_fn=<SubBackward0>) tensor(3.4472) tensor(0.4376, grad_fn=<Rs'
      'ubBackward1>) tensor(-0.2662, grad_fn=<SubBackward0>) tensor(2.0986, g'
      'rad_fn=<AddBackward0>) tensor(4.5000, grad_fn=<MulBackward0>) tensor(2'
      '.1213, grad_fn=<MulBackward0>)\n'
      'Cauchy(loc: torch.Size([2]), scale: torch.Size([2])) tensor([-0.1283, '
      ' 7.8661]) tensor([-1.3679, -2.0610]) tensor([nan, nan]) tensor([inf, i'
      'nf]) tensor([2.5310, 3.2242]) tensor([0.7500, 0.6476]) tensor([1., 2.])\n')),
    ('halfnormal_lognormal',
     ('h = HalfNormal(torch.tensor([1.0, 2.0]))\n'
      'print(h, h.sample((2,)), h.log_prob(torch.tensor([0.5, 1.0])), h.cdf(t'
      'orch.tensor([0.5, 1.0])), h.icdf(torch.tensor([0.5, 0.9])), h.mean, h.'
      'variance, h.entropy())\n'
      'l = LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))\n'
      'print(l, l.sample(), l.log_prob(torch.tensor([1.0, 2.0])), l.mean, l.m'
      'ode, l.variance, l.entropy(), l.cdf(torch.tensor([1.0, 2.0])), l.support)'),
     ('HalfNormal() tensor([[1.5410, 0.5869],\n'
      '        [2.1788, 1.1369]]) tensor([-0.3508, -1.0439]) tensor([0.3829, '
      '0.3829]) tensor([0.6745, 3.2897]) tensor([0.7979, 1.5958]) tensor([0.3'
      '634, 1.4535]) tensor([0.7258, 1.4189])\n'
      'LogNormal() tensor([0.3381, 1.3508]) tensor([-0.9189, -1.1073]) tensor'
      '([1.6487, 3.0802]) tensor([0.3679, 2.1170]) tensor([4.6708, 2.6948]) t'
      'ensor([1.4189, 1.7258]) tensor([0.5000, 0.2697]) GreaterThan(lower_bound=0.0)\n')),
    ('poisson_geometric',
     ('p = Poisson(torch.tensor([3.0, 50.0]))\n'
      'print(p, p.sample((3,)), p.log_prob(torch.tensor([2.0, 48.0])), p.mode'
      ', p.support)\n'
      'g = Geometric(probs=torch.tensor([0.3, 0.8]))\n'
      'print(g, g.sample((3,)), g.log_prob(torch.tensor([0.0, 2.0])), g.entro'
      'py(), g.mean, g.variance, g.logits)\n'
      'print(Geometric(logits=torch.tensor(-1.0)).sample((2,)))'),
     ('Poisson(rate: torch.Size([2])) tensor([[ 6., 47.],\n'
      '        [ 2., 47.],\n'
      '        [ 3., 53.]]) tensor([-1.4959, -2.8968]) tensor([ 3., 50.]) Int'
      'egerGreaterThan(lower_bound=0)\n'
      'Geometric(probs: torch.Size([2]), logits: torch.Size([2])) tensor([[1., 0.],\n'
      '        [1., 2.],\n'
      '        [5., 0.]]) tensor([-1.2040, -3.4420]) tensor([2.0362, 0.6255])'
      ' tensor([2.3333, 0.2500]) tensor([7.7778, 0.3125]) tensor([-0.8473,  1.3863])\n'
      'tensor([0., 0.])\n')),
    ('geometric_not_positive',
     'Geometric(probs=torch.tensor([0.0, 0.5]))',
     ('ValueError\n'
      'Expected parameter probs (Tensor of shape (2,)) of distribution Geomet'
      'ric(probs: torch.Size([2])) to be positive but found invalid values:\n'
      'tensor([0.])\n')),
    ('one_hot_categorical',
     ('d = OneHotCategorical(logits=torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))\n'
      's = d.sample((2,))\n'
      'print(d, s, d.log_prob(s), d.entropy(), d.mode, d.mean, d.variance, d.'
      'batch_shape, d.event_shape, d.support)\n'
      'print(kl_divergence(d, OneHotCategorical(probs=torch.tensor([0.2, 0.3,'
      ' 0.5]).expand(2, 3))))'),
     ('OneHotCategorical() tensor([[[0., 0., 1.],\n'
      '         [0., 1., 0.]],\n'
      '\n'
      '        [[0., 0., 1.],\n'
      '         [0., 0., 1.]]]) tensor([[-0.4076, -1.0986],\n'
      '        [-0.4076, -1.0986]]) tensor([0.8324, 1.0986]) tensor([[0., 0., 1.],\n'
      '        [1., 0., 0.]]) tensor([[0.0900, 0.2447, 0.6652],\n'
      '        [0.3333, 0.3333, 0.3333]]) tensor([[0.0819, 0.1848, 0.2227],\n'
      '        [0.2222, 0.2222, 0.2222]]) torch.Size([2]) torch.Size([3]) OneHot()\n'
      'tensor([0.0683, 0.0702])\n')),
    ('independent',
     ('base = Normal(torch.zeros(2, 3), torch.ones(2, 3))\n'
      'd = Independent(base, 1)\n'
      'x = d.sample()\n'
      'print(d, d.batch_shape, d.event_shape, d.support, x, d.log_prob(x), d.'
      'entropy(), d.has_rsample)\n'
      'q = Independent(Normal(torch.ones(2, 3), 2 * torch.ones(2, 3)), 1)\n'
      'print(kl_divergence(d, q), d.reinterpreted_batch_ndims, d.base_dist)\n'
      'b = Independent(Bernoulli(probs=torch.full((2, 3), 0.3)), 1)\n'
      'print(b.sample(), b.mean, b.support)'),
     ('Independent(Normal(loc: torch.Size([2, 3]), scale: torch.Size([2, 3]))'
      ', 1) torch.Size([2]) torch.Size([3]) IndependentConstraint(Real(), 1) '
      'tensor([[ 1.5410, -0.2934, -2.1788],\n'
      '        [ 0.5684, -1.0845, -1.3986]]) tensor([-6.3608, -4.4845]) tenso'
      'r([4.2568, 4.2568]) True\n'
      'tensor([1.3294, 1.3294]) 1 Normal(loc: torch.Size([2, 3]), scale: torc'
      'h.Size([2, 3]))\n'
      'tensor([[1., 1., 1.],\n'
      '        [0., 0., 0.]]) tensor([[0.3000, 0.3000, 0.3000],\n'
      '        [0.3000, 0.3000, 0.3000]]) IndependentConstraint(Boolean(), 1)\n')),
    ('independent_too_many_dims',
     'Independent(Normal(torch.zeros(3), torch.ones(3)), 2)',
     ('ValueError\n'
      'Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shap'
      'e), actual 2 vs 1\n')),
    ('mvn_covariance',
     ('m = MultivariateNormal(torch.tensor([1.0, 2.0]), covariance_matrix=tor'
      'ch.tensor([[2.0, 0.5], [0.5, 1.0]]))\n'
      'print(m)\n'
      'print(m.scale_tril, m.precision_matrix)\n'
      'print(m)\n'
      'print(m.sample((3,)), m.log_prob(torch.tensor([[0.0, 0.0], [1.0, 1.0]]'
      ')), m.entropy(), m.variance, m.stddev, m.mean)\n'
      'print(kl_divergence(m, MultivariateNormal(torch.zeros(2), 2 * torch.eye(2))))'),
     ('MultivariateNormal(loc: torch.Size([2]), covariance_matrix: torch.Size([2, 2]))\n'
      'tensor([[1.4142, 0.0000],\n'
      '        [0.3536, 0.9354]]) tensor([[ 0.5714, -0.2857],\n'
      '        [-0.2857,  1.1429]])\n'
      'MultivariateNormal(loc: torch.Size([2]), covariance_matrix: torch.Size'
      '([2, 2]), precision_matrix: torch.Size([2, 2]), scale_tril: torch.Size([2, 2]))\n'
      'tensor([[ 3.1793,  2.2703],\n'
      '        [-2.0813,  1.7614],\n'
      '        [-0.5337,  0.3083]]) tensor([-4.1177, -2.6891]) tensor(3.1177)'
      ' tensor([2.0000, 1.0000]) tensor([1.4142, 1.0000]) tensor([1., 2.])\n'
      'tensor(1.4133)\n')),
    ('mvn_scale_tril_grad',
     ('mu = torch.zeros(2, requires_grad=True)\n'
      'L = torch.tensor([[1.0, 0.0], [0.3, 2.0]], requires_grad=True)\n'
      'm = MultivariateNormal(mu, scale_tril=L)\n'
      'z = m.rsample()\n'
      'lp = m.log_prob(torch.tensor([0.5, -1.0]))\n'
      '(lp + z.sum()).backward()\n'
      'print(z, lp, mu.grad, L.grad)'),
     ('tensor([ 1.5410, -0.1246], grad_fn=<AddBackward0>) tensor(-2.8213, gra'
      'd_fn=<SubBackward0>) tensor([1.5863, 0.7125]) tensor([[ 0.8341, -0.2934],\n'
      '        [ 1.3972, -0.6281]])\n')),
    ('mvn_precision_float64',
     ('m = MultivariateNormal(torch.zeros(2, dtype=torch.float64), precision_'
      'matrix=torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64))\n'
      'print(m.scale_tril, m.covariance_matrix, m.sample(), m.log_prob(torch.'
      'ones(2, dtype=torch.float64)))'),
     ('tensor([[ 0.7559,  0.0000],\n'
      '        [-0.3780,  1.0000]], dtype=torch.float64) tensor([[ 0.5714, -0.2857],\n'
      '        [-0.2857,  1.1429]], dtype=torch.float64) tensor([ 1.1649, -0.'
      '8759], dtype=torch.float64) tensor(-3.5581, dtype=torch.float64)\n')),
    ('mvn_not_positive_definite',
     'MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]]))',
     ('ValueError\n'
      'Expected parameter covariance_matrix (Tensor of shape (2, 2)) of distr'
      'ibution MultivariateNormal(loc: torch.Size([2]), covariance_matrix: to'
      'rch.Size([2, 2])) to satisfy the constraint PositiveDefinite(), but fo'
      'und invalid values:\n'
      'tensor([[1., 2.],\n'
      '        [2., 1.]])\n')),
    ('mvn_two_matrices',
     'MultivariateNormal(torch.zeros(2), torch.eye(2), scale_tril=torch.eye(2))',
     ('ValueError\n'
      'Exactly one of covariance_matrix or precision_matrix or scale_tril may'
      ' be specified.\n')),
    ('mvn_scalar_loc',
     'MultivariateNormal(torch.tensor(0.0), torch.eye(2))',
     ('ValueError\n'
      'loc must be at least one-dimensional.\n')),
    ('gamma',
     ('g = Gamma(torch.tensor([0.3, 3.0]), torch.tensor([2.0, 0.5]))\n'
      'print(g, g.sample((2,)), g.log_prob(torch.tensor([0.5, 4.0])), g.entro'
      'py(), g.mean, g.mode, g.variance)\n'
      'print(Gamma(2.0, 3.0).sample((3,)), Gamma(torch.tensor([0.5, 100.0], d'
      'type=torch.float64), 1.0).sample((2,)))\n'
      'print(kl_divergence(g, Gamma(torch.tensor([1.0, 1.0]), torch.tensor([1'
      '.0, 1.0]))))\n'
      'rate = torch.tensor(2.0, requires_grad=True)\n'
      's = Gamma(torch.tensor(3.0), rate).rsample()\n'
      's.backward()\n'
      'print(s, rate.grad)'),
     ('Gamma(concentration: torch.Size([2]), rate: torch.Size([2])) tensor([['
      '2.9535e-06, 2.5457e+00],\n'
      '        [3.8374e-03, 8.5652e+00]]) tensor([-1.4027, -2.0000]) tensor(['
      '-1.7491,  2.5407]) tensor([0.1500, 6.0000]) tensor([0., 4.]) tensor([ '
      '0.0750, 12.0000])\n'
      'tensor([0.3363, 0.6376, 0.2103]) tensor([[  0.8234, 101.1656],\n'
      '        [  0.4611, 101.5945]], dtype=torch.float64)\n'
      'tensor([1.8991, 3.4593])\n'
      'tensor(2.6543, grad_fn=<DivBackward0>) tensor(-1.3272)\n')),
    ('beta_dirichlet',
     ('b = Beta(torch.tensor([0.5, 2.0]), torch.tensor([0.5, 3.0]))\n'
      'print(b, b.sample((3,)), b.log_prob(torch.tensor([0.1, 0.9])), b.entro'
      'py(), b.mean, b.mode, b.variance, b.concentration1, b.concentration0)\n'
      'print(Beta(2.0, 3.0).sample(), kl_divergence(Beta(2.0, 1.0), Beta(3.0, 2.0)))\n'
      'd = Dirichlet(torch.tensor([[0.5, 0.5, 0.5], [2.0, 3.0, 4.0]], dtype=t'
      'orch.float64))\n'
      'print(d, d.sample(), d.mode, d.mean, d.entropy(), d.variance, d.support)\n'
      'print(d.log_prob(torch.tensor([0.2, 0.3, 0.5], dtype=torch.float64)), '
      'kl_divergence(Dirichlet(torch.tensor([1.0, 2.0])), Dirichlet(torch.ten'
      'sor([2.0, 2.0]))))'),
     ('Beta() tensor([[0.0176, 0.3438],\n'
      '        [0.4452, 0.2379],\n'
      '        [0.5656, 0.2391]]) tensor([ 0.0592, -2.2256]) tensor([-0.2416,'
      ' -0.2349]) tensor([0.5000, 0.4000]) tensor([1.0000, 0.3333]) tensor([0'
      '.1250, 0.0400]) tensor([0.5000, 2.0000]) tensor([0.5000, 3.0000])\n'
      'tensor(0.6990) tensor(0.2082)\n'
      'Dirichlet(concentration: torch.Size([2, 3])) tensor([[0.2691, 0.0087, 0.7222],\n'
      '        [0.1860, 0.2780, 0.5360]], dtype=torch.float64) tensor([[1.000'
      '0, 0.0000, 0.0000],\n'
      '        [0.1667, 0.3333, 0.5000]], dtype=torch.float64) tensor([[0.333'
      '3, 0.3333, 0.3333],\n'
      '        [0.2222, 0.3333, 0.4444]], dtype=torch.float64) tensor([-1.162'
      '1, -1.3126], dtype=torch.float64) tensor([[0.0889, 0.0889, 0.0889],\n'
      '        [0.0173, 0.0222, 0.0247]], dtype=torch.float64) Simplex()\n'
      'tensor([-0.0846,  2.0229], dtype=torch.float64) tensor(0.4014)\n')),
    ('kl_pairs',
     ('print(kl_divergence(Exponential(1.0), Exponential(2.0)), kl_divergence'
      '(Laplace(0.0, 1.0), Laplace(1.0, 2.0)), kl_divergence(Cauchy(0.0, 1.0)'
      ', Cauchy(1.0, 2.0)))\n'
      'print(kl_divergence(Poisson(torch.tensor([1.0, 2.0])), Poisson(torch.t'
      'ensor([2.0, 2.0]))), kl_divergence(Geometric(probs=torch.tensor(0.3)),'
      ' Geometric(probs=torch.tensor(0.6))))\n'
      'print(kl_divergence(LogNormal(0.0, 1.0), LogNormal(1.0, 2.0)), kl_dive'
      'rgence(HalfNormal(1.0), HalfNormal(2.0)))'),
     ('tensor(0.3069) tensor(0.3771) tensor(0.2231)\n'
      'tensor([0.3069, 0.0000]) tensor(0.6126)\n'
      'tensor(0.4431) tensor(0.3181)\n')),
    ('types',
     ('g = Gamma(1.0, 1.0)\n'
      'print(type(g), isinstance(g, Gamma), isinstance(g, Distribution), type'
      '(MultivariateNormal(torch.zeros(1), torch.eye(1))).__name__)'),
     "<class 'torch.distributions.gamma.Gamma'> True True MultivariateNormal\n"),
    ('cholesky_ex_info',
     ('A = torch.tensor([[1., 2.], [2., 4.]])\n'
      'B = torch.tensor([[4., 2., 1.], [2., 1., 3.], [1., 3., 1.]])\n'
      'print(torch.linalg.cholesky_ex(B))\n'
      'print(torch.linalg.cholesky_ex(B, upper=True))\n'
      'print(torch.linalg.cholesky_ex(torch.stack([3 * torch.eye(2), A])))\n'
      'print(torch.linalg.cholesky_ex(torch.tensor([[4., 2.], [2., 3.]], dtyp'
      'e=torch.float64)))\n'
      'torch.linalg.cholesky_ex(A, check_errors=True)'),
     ('torch.return_types.linalg_cholesky_ex(\n'
      'L=tensor([[2.0000, 0.0000, 0.0000],\n'
      '        [1.0000, 0.0000, 0.0000],\n'
      '        [0.5000, 3.0000, 1.0000]]),\n'
      'info=tensor(2, dtype=torch.int32))\n'
      'torch.return_types.linalg_cholesky_ex(\n'
      'L=tensor([[2.0000, 1.0000, 0.5000],\n'
      '        [0.0000, 0.0000, 3.0000],\n'
      '        [0.0000, 0.0000, 1.0000]]),\n'
      'info=tensor(2, dtype=torch.int32))\n'
      'torch.return_types.linalg_cholesky_ex(\n'
      'L=tensor([[[1.7321, 0.0000],\n'
      '         [0.0000, 1.7321]],\n'
      '\n'
      '        [[1.0000, 0.0000],\n'
      '         [2.0000, 0.0000]]]),\n'
      'info=tensor([0, 2], dtype=torch.int32))\n'
      'torch.return_types.linalg_cholesky_ex(\n'
      'L=tensor([[2.0000, 0.0000],\n'
      '        [1.0000, 1.4142]], dtype=torch.float64),\n'
      'info=tensor(0, dtype=torch.int32))\n'
      '_LinAlgError\n'
      'linalg.cholesky_ex: The factorization could not be completed because t'
      'he input is not positive-definite (the leading minor of order 2 is not'
      ' positive-definite).\n')),
    ('inv_solve_ex_info',
     ('A = torch.tensor([[1., 2.], [2., 4.]])\n'
      'print(torch.linalg.inv_ex(A), torch.linalg.solve_ex(A, torch.ones(2)))\n'
      'C = torch.tensor([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]])\n'
      'print(torch.linalg.inv_ex(C).info, torch.linalg.solve_ex(C, torch.ones'
      '(3, 2)).info, torch.linalg.inv_ex(torch.tensor([[2., 1.], [1., 3.]])))\n'
      'torch.linalg.inv_ex(A, check_errors=True)'),
     ('torch.return_types.linalg_inv_ex(\n'
      'inverse=tensor([[-inf, inf],\n'
      '        [inf, -inf]]),\n'
      'info=tensor(2, dtype=torch.int32)) torch.return_types.linalg_solve_ex(\n'
      'result=tensor([-inf, inf]),\n'
      'info=tensor(2, dtype=torch.int32))\n'
      'tensor(3, dtype=torch.int32) tensor(3, dtype=torch.int32) torch.return'
      '_types.linalg_inv_ex(\n'
      'inverse=tensor([[ 0.6000, -0.2000],\n'
      '        [-0.2000,  0.4000]]),\n'
      'info=tensor(0, dtype=torch.int32))\n'
      '_LinAlgError\n'
      'linalg.inv_ex: The diagonal element 2 is zero, the inversion could not'
      ' be completed because the input matrix is singular.\n')),
    ('gamma_rsample_gradients',
     ('c = torch.tensor([0.3, 2.0, 9.0, 50.0], requires_grad=True)\n'
      'r = torch.tensor([1.0, 2.0, 0.5, 1.5], requires_grad=True)\n'
      's = Gamma(c, r).rsample((3,))\n'
      '(s ** 2).sum().backward()\n'
      'print(s, c.grad, r.grad)\n'
      'c64 = torch.tensor([0.7, 4.0], dtype=torch.float64, requires_grad=True)\n'
      'gg, = torch.autograd.grad(Gamma(c64, 1.0).rsample().sum(), c64, create'
      '_graph=True)\n'
      'print(gg)\n'
      'gg.sum().backward()'),
     ('tensor([[5.9070e-06, 3.1577e-01, 1.8295e+01, 3.0343e+01],\n'
      '        [1.5799e-01, 9.5645e-01, 1.1760e+01, 3.3691e+01],\n'
      '        [2.9262e-02, 4.7097e-01, 1.3491e+01, 3.2614e+01]],\n'
      '       grad_fn=<DivBackward0>) tensor([  0.3523,   1.5390, 161.0094, 1'
      '27.1841]) tensor([-5.1631e-02, -1.2363e+00, -2.6200e+03, -4.1592e+03])\n'
      'tensor([0.7167, 0.8084], dtype=torch.float64, grad_fn=<MulBackward0>)\n'
      'NotImplementedError\n'
      "the derivative for '_standard_gamma_grad' is not implemented.\n")),
    ('chi2_student_t',
     ('c = Chi2(torch.tensor([1.0, 3.0]))\n'
      'print(c, c.df, c.sample((2,)), c.log_prob(torch.tensor([0.5, 2.0])), c'
      '.mean, c.variance, c.entropy(), c.concentration)\n'
      't = StudentT(torch.tensor([0.5, 1.5, 5.0]), torch.tensor([0.0, 1.0, -1.0]), 2.0)\n'
      'print(t, t.sample((2,)), t.log_prob(torch.tensor([0.1, 1.0, 2.0])), t.'
      'mean, t.variance, t.entropy(), t.mode)\n'
      'df = torch.tensor(4.0, requires_grad=True)\n'
      's = StudentT(df).rsample((3,))\n'
      's.sum().backward()\n'
      'print(s, df.grad, StudentT(3.0), kl_divergence(Chi2(torch.tensor(2.0))'
      ', Chi2(torch.tensor(3.0))))\n'
      'Chi2(torch.tensor(-1.0))'),
     ('Chi2() tensor([1., 3.]) tensor([[1.5787e-03, 7.0076e-01],\n'
      '        [1.4471e-01, 4.6522e+00]]) tensor([-0.8224, -1.5724]) tensor(['
      '1., 3.]) tensor([2., 6.]) tensor([0.7838, 2.0541]) tensor([0.5000, 1.5000])\n'
      'StudentT(df: torch.Size([3]), loc: torch.Size([3]), scale: torch.Size('
      '[3])) tensor([[-1.4529,  1.1876, -2.3779],\n'
      '        [ 4.1169, -2.3750, -0.6559]]) tensor([-2.0074, -1.7698, -2.776'
      '5]) tensor([nan,  1., -1.]) tensor([   nan,    inf, 6.6667]) tensor([4'
      '.3599, 2.8428, 2.3206]) tensor([ 0.,  1., -1.])\n'
      'tensor([ 0.1909,  1.4863, -2.2419], grad_fn=<AddBackward0>) tensor(-0.'
      '2517) StudentT(df: 3.0, loc: 0.0, scale: 1.0) tensor(0.1678)\n'
      'ValueError\n'
      'Expected parameter df (Tensor of shape ()) of distribution Chi2() to s'
      'atisfy the constraint GreaterThan(lower_bound=0.0), but found invalid values:\n'
      '-1.0\n')),
    ('mixture_same_family',
     ('import torch.distributions as D\n'
      'mix = D.Categorical(torch.ones(5,))\n'
      'comp = D.Normal(torch.randn(5,), torch.rand(5,))\n'
      'gmm = D.MixtureSameFamily(mix, comp)\n'
      'print(gmm)\n'
      's = gmm.sample((4,))\n'
      'print(s, gmm.log_prob(s), gmm.mean, gmm.variance, gmm.cdf(torch.tensor'
      '(0.3)), gmm.batch_shape, gmm.event_shape, gmm.support)\n'
      'g2 = D.MixtureSameFamily(D.Categorical(torch.rand(3, 5)), D.Independen'
      't(D.Normal(torch.randn(3, 5, 2), torch.rand(3, 5, 2) + 0.1), 1))\n'
      'x = g2.sample((2,))\n'
      'print(x.shape, g2.log_prob(x), g2.mean.shape, g2.variance)\n'
      'logits = torch.zeros(4, requires_grad=True)\n'
      'locs = torch.linspace(-2, 2, 4).requires_grad_()\n'
      'm = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(locs, t'
      'orch.ones(4)))\n'
      'nll = -m.log_prob(torch.tensor([0.5, -1.0, 2.5])).mean()\n'
      'nll.backward()\n'
      'print(nll, logits.grad, locs.grad)\n'
      'D.MixtureSameFamily(D.Categorical(torch.ones(3)), D.Normal(torch.zeros'
      '(4), torch.ones(4)))'),
     ('MixtureSameFamily(\n'
      '  Categorical(probs: torch.Size([5]), logits: torch.Size([5])),\n'
      '  Normal(loc: torch.Size([5]), scale: torch.Size([5])))\n'
      'tensor([-2.1006, -0.2109, -0.3323, -2.1528]) tensor([-1.1985, -0.6515,'
      ' -0.5832, -1.1847]) tensor(-0.2895) tensor(1.8318) tensor(0.6557) torc'
      'h.Size([]) torch.Size([]) MixtureSameFamilyConstraint(Real())\n'
      'torch.Size([2, 3, 2]) tensor([[-2.2564, -2.9880, -0.7626],\n'
      '        [-1.6038, -2.0478, -3.1938]]) torch.Size([3, 2]) tensor([[0.32'
      '32, 0.4345],\n'
      '        [0.8052, 2.2528],\n'
      '        [0.6450, 0.7003]])\n'
      'tensor(1.8756, grad_fn=<NegBackward0>) tensor([ 0.1306, -0.0167, -0.03'
      '02, -0.0837]) tensor([-1.3125e-01, -5.4347e-02,  3.7849e-06, -4.3417e-02])\n'
      'ValueError\n'
      '`mixture_distribution component` (3) does not equal `component_distrib'
      'ution.batch_shape[-1]` (4)\n')),
    ('dirichlet_beta_rsample_gradients',
     ('for dt in (torch.float32, torch.float64):\n'
      '    c = torch.tensor([[0.5, 2.0, 7.0], [10.0, 8.0, 30.0]], dtype=dt, r'
      'equires_grad=True)\n'
      '    x = Dirichlet(c).rsample((2,))\n'
      '    (x * torch.arange(3, dtype=dt)).sum().backward()\n'
      '    print(x, c.grad)\n'
      '    a = torch.tensor([0.3, 4.0], dtype=dt, requires_grad=True)\n'
      '    b = torch.tensor([2.0, 9.0], dtype=dt, requires_grad=True)\n'
      '    s = Beta(a, b).rsample((3,))\n'
      '    s.pow(2).sum().backward()\n'
      '    print(s, a.grad, b.grad)'),
     ('tensor([[[1.0223e-04, 8.1787e-02, 9.1811e-01],\n'
      '         [1.5574e-01, 1.3731e-01, 7.0695e-01]],\n'
      '\n'
      '        [[7.6988e-03, 2.8161e-01, 7.1069e-01],\n'
      '         [1.1305e-01, 2.0999e-01, 6.7697e-01]]], grad_fn=<_DirichletBa'
      'ckward>) tensor([[-0.0780, -0.1607,  0.0428],\n'
      '        [-0.0526, -0.0242,  0.0196]])\n'
      'tensor([[5.6541e-02, 2.8164e-01],\n'
      '        [5.9212e-05, 2.7335e-01],\n'
      '        [2.7862e-02, 1.1131e-01]], grad_fn=<SelectBackward0>) tensor(['
      '0.0626, 0.0719]) tensor([-0.0046, -0.0276])\n'
      'tensor([[[0.0176, 0.3665, 0.6158],\n'
      '         [0.2869, 0.3395, 0.3736]],\n'
      '\n'
      '        [[0.0167, 0.3139, 0.6694],\n'
      '         [0.1874, 0.1877, 0.6248]]], dtype=torch.float64,\n'
      '       grad_fn=<_DirichletBackward>) tensor([[-0.2451, -0.1870,  0.0779],\n'
      '        [-0.0562, -0.0125,  0.0266]], dtype=torch.float64)\n'
      'tensor([[3.3544e-01, 4.2994e-01],\n'
      '        [2.8241e-04, 2.9316e-01],\n'
      '        [6.0918e-01, 3.8901e-01]], dtype=torch.float64,\n'
      '       grad_fn=<SelectBackward0>) tensor([1.3539, 0.1248], dtype=torch'
      '.float64) tensor([-0.3630, -0.0637], dtype=torch.float64)\n')),
]


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_prints_what_pytorch_prints(name: str, code: str, expected: str) -> None:
    assert gd_output(_program(code)) == expected


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_text_is_pytorchs(name: str, code: str, expected: str) -> None:
    assert torch_output(_program(code)) == expected


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gamma_sampler_draws_pytorchs_numbers(dtype: str) -> None:
    """torch._standard_gamma's draws, bit for bit, over shapes below 1 (the boost), near
    1 and large, two calls in a row (the generator's state and normal cache carry over)."""
    torch = pytest.importorskip("torch")
    alphas = np.array([0.5, 5.0, 100.0, 0.01, 1.0, 2.5, 0.9, 30.0] * 40, dtype=dtype)
    torch.manual_seed(3)
    expected = [torch._standard_gamma(torch.from_numpy(alphas)).numpy() for _ in range(2)]
    gen = Generator(3)
    got = [gen.standard_gamma(alphas, alphas.dtype) for _ in range(2)]
    for e, g in zip(expected, got, strict=True):
        assert g.dtype == e.dtype
        assert np.array_equal(g, e)


def test_gamma_samples_are_gamma_distributed() -> None:
    """Without PyTorch: the sampler's mean and variance are the Gamma's (α, 1)."""
    gen = Generator(0)
    for alpha in (0.3, 2.0, 40.0):
        s = gen.standard_gamma(np.full(20000, alpha), np.dtype(np.float64))
        assert abs(s.mean() - alpha) < 0.05 * alpha
        assert abs(s.var() - alpha) < 0.1 * alpha


def test_gamma_sample_gradient_is_pytorchs() -> None:
    """torch._standard_gamma_grad's values, bit for bit, in every branch of ATen's
    approximation (series, saddle point, rational) and both dtypes."""
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels.reparam import standard_gamma_grad

    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        alpha = (rng.choice([0.05, 0.3, 1.0, 2.5, 7.9, 8.5, 20.0, 1000.0], 4000)
                 * rng.uniform(0.5, 1.5, 4000)).astype(dtype)
        x = torch._standard_gamma(torch.from_numpy(alpha))
        expected = torch._standard_gamma_grad(torch.from_numpy(alpha), x).numpy()
        got = standard_gamma_grad(alpha, x.numpy())
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected, equal_nan=True)


def test_gamma_sample_gradient_against_finite_differences() -> None:
    """Without PyTorch: d sample / d alpha at a fixed uniform quantile, by central
    differences of the Gamma cdf's inverse (scipy-free: a bisection on the series cdf)."""
    from gradcli.ad.kernels.reparam import standard_gamma_grad

    def cdf(a: float, x: float) -> float:  # regularized lower incomplete gamma, by series
        term = total = 1.0 / a
        for n in range(1, 400):
            term *= x / (a + n)
            total += term
        return total * math.exp(-x + a * math.log(x) - math.lgamma(a))

    def quantile(a: float, p: float) -> float:
        lo, hi = 1e-12, 100.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if cdf(a, mid) < p else (lo, mid)
        return (lo + hi) / 2

    for a, p in ((0.5, 0.3), (2.0, 0.6), (5.0, 0.5)):
        x = quantile(a, p)
        h = 1e-5
        numeric = (quantile(a + h, p) - quantile(a - h, p)) / (2 * h)
        analytic = float(standard_gamma_grad(np.array([a]), np.array([x]))[0])
        assert abs(analytic - numeric) < 1e-3 * max(1.0, abs(numeric))


def test_dirichlet_sample_gradient_is_pytorchs() -> None:
    """torch._dirichlet_grad's values, bit for bit, in each branch of ATen's approximation
    (near 0, near 1, both parameters large, the rational fit) and both dtypes (float32's
    series in float32 with the C library's float functions)."""
    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels.reparam import dirichlet_grad

    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        n = 3000
        scale = [0.1, 0.5, 1.0, 3.0, 8.0, 30.0]
        alpha = (rng.choice(scale, n) * rng.uniform(0.5, 1.5, n)).astype(dtype)
        other = (rng.choice(scale, n) * rng.uniform(0.5, 1.5, n)).astype(dtype)
        total = (alpha + other).astype(dtype)
        x = torch.distributions.Beta(torch.from_numpy(alpha), torch.from_numpy(other)).sample()
        expected = torch._dirichlet_grad(x, torch.from_numpy(alpha),
                                         torch.from_numpy(total)).numpy()
        got = dirichlet_grad(x.numpy(), alpha, total)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected, equal_nan=True)
