"""Round 16's tensor-area classes against PyTorch 2.13: torch.sign of nan (0), reshape/view's
size inference (PyTorch's infer_size messages), binary_cross_entropy_with_logits through
ATen's log_sigmoid, the spellings added this round (unsafe splits, fill, the deprecated
norms, constant_pad_nd, the strided empties, nonzero_static...) and the Gumbel-softmax,
ContinuousBernoulli and NegativeBinomial distributions. The expected text is PyTorch's, as
a literal; with torch installed the same program is also run under it."""

from __future__ import annotations

import numpy as np
import pytest
from pyrun import guarded_program, literal_table

from gradcli.ad.kernels.bessel_special import BESSEL
from gradcli.ad.kernels.polynomials import POLYNOMIALS, spherical_bessel_j0

SETUP = "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"

# (name, program, PyTorch's output)
_CASES = [
    ('sign_of_nan_is_zero',
     ("x = torch.tensor([float('nan'), -2.0, 0.0, 3.0], requires_grad=True)\n"
      'print(torch.sign(x), torch.sgn(x), x.detach().sign_(), torch.sign(torch.tensor(f'
      "loat('nan'), dtype=torch.float64)))\n"
      'x.sign().sum().backward()\n'
      'print(x.grad)'),
     ('tensor([ 0., -1.,  0.,  1.], grad_fn=<SignBackward0>) tensor([ 0., -1.,  0.,  1.'
      '], grad_fn=<SgnBackward0>) tensor([ 0., -1.,  0.,  1.]) tensor(0., dtype=torch.f'
      'loat64)\n'
      'tensor([0., 0., 0., 0.])\n')),
    ('reshape_minus_one_of_zero_elements',
     'torch.zeros(0).reshape(-1, 0)',
     ('RuntimeError\n'
      'cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified d'
      'imension size -1 can be any value and is ambiguous\n')),
    ('view_minus_one_of_zero_elements',
     'torch.zeros(2, 0).view(2, -1, 0)',
     ('RuntimeError\n'
      'cannot reshape tensor of 0 elements into shape [2, -1, 0] because the unspecifie'
      'd dimension size -1 can be any value and is ambiguous\n')),
    ('reshape_negative_dim',
     'torch.zeros(6).reshape(-2, 3)',
     ('RuntimeError\n'
      'invalid shape dimension -2 at index 0 of shape [-2, 3]\n')),
    ('reshape_two_inferred',
     'torch.zeros(4).view(-1, -1)',
     ('RuntimeError\n'
      'only one dimension can be inferred\n')),
    ('reshape_minus_one_zero_of_nonempty',
     'torch.zeros(5).reshape(-1, 0)',
     ('RuntimeError\n'
      "shape '[-1, 0]' is invalid for input of size 5\n")),
    ('reshape_zero_elements_ok',
     'print(torch.zeros(2, 0).view(-1, 2).shape, torch.zeros(0, 3).reshape(3, 0).shape)',
     'torch.Size([0, 2]) torch.Size([3, 0])\n'),
    ('bce_with_logits_small_logits',
     ('x = (torch.randn(400) * 0.01).requires_grad_()\n'
      't = torch.rand(400)\n'
      "l = F.binary_cross_entropy_with_logits(x, t, reduction='none')\n"
      'print(l[:4].tolist(), l.sum().item())\n'
      'h = torch.randn(8).half()\n'
      "print(F.binary_cross_entropy_with_logits(h, torch.rand(8).half(), reduction='non"
      "e'))\n"
      'print(F.binary_cross_entropy_with_logits(torch.tensor([-0.0004]), torch.tensor(['
      '0.7])).item())'),
     ('[0.6967629194259644, 0.6935921311378479, 0.6925564408302307, 0.6951433420181274]'
      ' 277.37847900390625\n'
      'tensor([0.7183, 1.0068, 1.5273, 0.6533, 0.7549, 0.6475, 0.5376, 0.8643],\n'
      '       dtype=torch.float16)\n'
      '0.693227231502533\n')),
    ('unsafe_splits',
     ('x = torch.arange(6.).view(2, 3).requires_grad_()\n'
      'print(torch.unsafe_split(x, 2, 1), x.unsafe_chunk(2))\n'
      'print(torch.unsafe_split_with_sizes(x, [1, 2], 1)[1], x.unsafe_split_with_sizes('
      '[1, 1]))\n'
      'torch.unsafe_chunk(x, 2, 1)[1].sum().backward()\n'
      'print(x.grad)'),
     ('(tensor([[0., 1.],\n'
      '        [3., 4.]], grad_fn=<UnsafeSplitBackward0>), tensor([[2.],\n'
      '        [5.]], grad_fn=<UnsafeSplitBackward0>)) (tensor([[0., 1., 2.]], grad_fn='
      '<UnsafeSplitBackward0>), tensor([[3., 4., 5.]], grad_fn=<UnsafeSplitBackward0>))\n'
      'tensor([[1., 2.],\n'
      '        [4., 5.]], grad_fn=<UnsafeSplitWithSizesBackward0>) (tensor([[0., 1., 2.'
      ']], grad_fn=<UnsafeSplitWithSizesBackward0>), tensor([[3., 4., 5.]], grad_fn=<Un'
      'safeSplitWithSizesBackward0>))\n'
      'tensor([[0., 0., 1.],\n'
      '        [0., 0., 1.]])\n')),
    ('fill_alias_slice_copy',
     ('x = torch.arange(6.).view(2, 3).requires_grad_()\n'
      'print(torch.fill(x, 2.5), torch.fill(torch.zeros(2, dtype=torch.int64), torch.te'
      'nsor(3)))\n'
      'print(torch.alias_copy(x), torch.slice_copy(x, 1, 0, 2), torch.slice_copy(x, 0, '
      '1))\n'
      '(torch.fill(x, 1.0).sum() + torch.slice_copy(x, 1, 1).sum()).backward()\n'
      'print(x.grad)\n'
      'torch.fill(x, torch.ones(2))'),
     ('tensor([[2.5000, 2.5000, 2.5000],\n'
      '        [2.5000, 2.5000, 2.5000]], grad_fn=<FillBackward0>) tensor([3, 3])\n'
      'tensor([[0., 1., 2.],\n'
      '        [3., 4., 5.]], grad_fn=<AliasBackward0_copy>) tensor([[0., 1.],\n'
      '        [3., 4.]], grad_fn=<SliceBackward0_copy>) tensor([[3., 4., 5.]], grad_fn'
      '=<SliceBackward0_copy>)\n'
      'tensor([[0., 1., 1.],\n'
      '        [0., 1., 1.]])\n'
      'RuntimeError\n'
      'fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions.\n')),
    ('deprecated_norms',
     ('x = torch.arange(6.).view(2, 3).requires_grad_()\n'
      'print(torch.frobenius_norm(x, (1,), True), torch.frobenius_norm(x, dim=[0, 1]))\n'
      'print(torch.nuclear_norm(x), torch.nuclear_norm(x, (0, 1), keepdim=True), torch.'
      'nuclear_norm(torch.ones(2, 2, 2)))\n'
      'torch.nuclear_norm(x).backward()\n'
      'print(x.grad)'),
     ('tensor([[2.2361],\n'
      '        [7.0711]], grad_fn=<NormBackward1>) tensor(7.4162, grad_fn=<NormBackward'
      '1>)\n'
      'tensor(8.3485, grad_fn=<SumBackward1>) tensor([[8.3485]], grad_fn=<PermuteBackwa'
      'rd0>) tensor([2., 2.])\n'
      'tensor([[-0.6846,  0.0220,  0.7286],\n'
      '        [ 0.6039,  0.5769,  0.5500]])\n')),
    ('constant_pad_nd',
     ('x = torch.arange(6.).view(2, 3).requires_grad_()\n'
      'y = torch.constant_pad_nd(x, (1, 1), 3.0)\n'
      'print(y, torch.constant_pad_nd(x, [0, 0, 1, 0]))\n'
      'y.sum().backward()\n'
      'print(x.grad)'),
     ('tensor([[3., 0., 1., 2., 3.],\n'
      '        [3., 3., 4., 5., 3.]], grad_fn=<ConstantPadNdBackward0>) tensor([[0., 0.'
      ', 0.],\n'
      '        [0., 1., 2.],\n'
      '        [3., 4., 5.]], grad_fn=<ConstantPadNdBackward0>)\n'
      'tensor([[1., 1., 1.],\n'
      '        [1., 1., 1.]])\n')),
    ('strided_empties',
     ('e = torch.empty_strided((2, 3), (1, 2))\n'
      'print(e.shape, e.stride(), e.dtype, e.is_contiguous())\n'
      'print(torch.zeros(2).new_empty_strided((2, 2), (2, 1)).shape, torch.ones(1, dtyp'
      'e=torch.int64).new_empty_strided((3,), (1,)).dtype)\n'
      'p = torch.empty_permuted((2, 3, 4), (0, 2, 1))\n'
      'print(p.shape, p.stride(), torch.empty_strided((2, 2), (2, 1), dtype=torch.float'
      '64, requires_grad=True).requires_grad)'),
     ('torch.Size([2, 3]) (1, 2) torch.float32 False\n'
      'torch.Size([2, 2]) torch.int64\n'
      'torch.Size([2, 3, 4]) (12, 1, 3) True\n')),
    ('nonzero_static',
     ('print(torch.nonzero_static(torch.tensor([0, 1, 1]), size=4), torch.tensor([[0, 1'
      '], [1, 1]]).nonzero_static(size=2, fill_value=9))\n'
      'print(torch.nonzero_static(torch.zeros(3), size=2))'),
     ('tensor([[ 1],\n'
      '        [ 2],\n'
      '        [-1],\n'
      '        [-1]]) tensor([[0, 1],\n'
      '        [1, 0]])\n'
      'tensor([[-1],\n'
      '        [-1]])\n')),
    ('share_memory_set_to_storage',
     ('x = torch.arange(6.).view(2, 3)\n'
      'print(x.share_memory_() is x, x.is_set_to(x), x.is_set_to(x.clone()), x.is_set_t'
      'o(x[:]), x.is_set_to(x.t()))\n'
      'print(torch.is_storage(x), torch.is_distributed(x))'),
     ('True True False True False\n'
      'False False\n')),
    ('relaxed_one_hot_categorical',
     ('from torch.distributions import RelaxedOneHotCategorical, RelaxedBernoulli, Cont'
      'inuousBernoulli, NegativeBinomial, OneHotCategoricalStraightThrough, kl_divergen'
      'ce\n'
      'logits = torch.randn(2, 4, requires_grad=True)\n'
      'd = RelaxedOneHotCategorical(torch.tensor(0.5), logits=logits)\n'
      'print(d, d.batch_shape, d.event_shape, d.temperature, d.support, d.has_rsample)\n'
      'y = d.rsample()\n'
      'print(y, d.log_prob(y))\n'
      '(y[:, 0] * d.log_prob(y)).sum().backward()\n'
      'print(logits.grad, d.sample((3,)).shape)\n'
      'd.log_prob(torch.ones(2, 4))'),
     ('RelaxedOneHotCategorical() torch.Size([2]) torch.Size([4]) tensor(0.5000) Simple'
      'x() True\n'
      'tensor([[9.2764e-01, 6.1594e-02, 2.1182e-05, 1.0744e-02],\n'
      '        [2.5370e-03, 2.5325e-02, 8.5667e-03, 9.6357e-01]],\n'
      '       grad_fn=<ExpBackward0>) tensor([10.9807,  6.9929], grad_fn=<AddBackward0>'
      ')\n'
      'tensor([[ 6.5030e+00, -2.6530e+00, -1.8556e+00, -1.9944e+00],\n'
      '        [ 3.0370e-02, -5.4586e-03, -5.2041e-03, -1.9707e-02]]) torch.Size([3, 2,'
      ' 4])\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (2, 4)) to be within the support (Simpl'
      'ex()) of the distribution RelaxedOneHotCategorical(), but found invalid values:\n'
      'tensor([[1., 1., 1., 1.],\n'
      '        [1., 1., 1., 1.]])\n')),
    ('relaxed_bernoulli',
     ('from torch.distributions import RelaxedOneHotCategorical, RelaxedBernoulli, Cont'
      'inuousBernoulli, NegativeBinomial, OneHotCategoricalStraightThrough, kl_divergen'
      'ce\n'
      'from torch.distributions.relaxed_bernoulli import LogitRelaxedBernoulli\n'
      'b = RelaxedBernoulli(torch.tensor([0.3]), probs=torch.tensor([0.2, 0.7]))\n'
      's = b.rsample((2,))\n'
      'print(b, s, b.log_prob(s), b.logits)\n'
      'lb = LogitRelaxedBernoulli(torch.tensor(1.0), logits=torch.tensor([0.0, 1.0]))\n'
      'print(lb.rsample(), lb.log_prob(torch.tensor([0.3, -0.2])))\n'
      'RelaxedBernoulli(torch.tensor(1.0))'),
     ('RelaxedBernoulli() tensor([[9.2770e-03, 9.9891e-01],\n'
      '        [4.1370e-06, 3.0687e-02]]) tensor([[2.0992, 3.8912],\n'
      '        [8.6739, 0.1448]]) tensor([-1.3863,  0.8473])\n'
      'tensor([-0.8122,  1.5498]) tensor([-1.4087, -1.7266])\n'
      'ValueError\n'
      'Either `probs` or `logits` must be specified, but not both.\n')),
    ('straight_through',
     ('from torch.distributions import RelaxedOneHotCategorical, RelaxedBernoulli, Cont'
      'inuousBernoulli, NegativeBinomial, OneHotCategoricalStraightThrough, kl_divergen'
      'ce\n'
      'logits = torch.randn(3, requires_grad=True)\n'
      'st = OneHotCategoricalStraightThrough(logits=logits)\n'
      'r = st.rsample((2,))\n'
      'print(r, st.has_rsample, st)\n'
      '(r * torch.arange(3.)).sum().backward()\n'
      'print(logits.grad)'),
     ('tensor([[1., 0., 0.],\n'
      '        [1., 0., 0.]], grad_fn=<AddBackward0>) True OneHotCategoricalStraightThr'
      'ough()\n'
      'tensor([-0.2970,  0.2223,  0.0747])\n')),
    ('continuous_bernoulli',
     ('from torch.distributions import RelaxedOneHotCategorical, RelaxedBernoulli, Cont'
      'inuousBernoulli, NegativeBinomial, OneHotCategoricalStraightThrough, kl_divergen'
      'ce\n'
      'p = torch.tensor([0.1, 0.5, 0.4999, 0.9], requires_grad=True)\n'
      'c = ContinuousBernoulli(probs=p)\n'
      'v = torch.tensor([0.2, 0.5, 0.7, 0.99])\n'
      'print(c, c.rsample(), c.mean, c.variance, c.log_prob(v), c.entropy())\n'
      'print(c.cdf(v), c.icdf(v), c.logits)\n'
      'c.log_prob(v).sum().backward()\n'
      'print(p.grad)\n'
      'c2 = ContinuousBernoulli(logits=torch.tensor([0.3, -2.0]))\n'
      'print(c2.sample((2,)), c2.probs, kl_divergence(c2, ContinuousBernoulli(probs=tor'
      'ch.tensor([0.6, 0.5]))))\n'
      'c.log_prob(torch.tensor([1.5, 0, 0, 0]))'),
     ('ContinuousBernoulli(probs: torch.Size([4]), logits: torch.Size([4])) tensor([0.2'
      '648, 0.7682, 0.0885, 0.3281], grad_fn=<WhereBackward0>) tensor([0.3301, 0.5000, '
      '0.5000, 0.6699], grad_fn=<WhereBackward0>) tensor([0.0665, 0.0833, 0.0833, 0.066'
      '5], grad_fn=<WhereBackward0>) tensor([ 4.6553e-01,  0.0000e+00, -7.9989e-05,  8.'
      '8301e-01],\n'
      '       grad_fn=<AddBackward0>) tensor([-0.1796,  0.0000,  0.0000, -0.1796], grad'
      '_fn=<SubBackward0>)\n'
      'tensor([0.4001, 0.5000, 0.7000, 0.9756], grad_fn=<WhereBackward0>) tensor([0.089'
      '1, 0.5000, 0.7000, 0.9959], grad_fn=<WhereBackward0>) tensor([-2.1972e+00,  0.00'
      '00e+00, -3.9995e-04,  2.1972e+00],\n'
      '       grad_fn=<SubBackward0>)\n'
      'tensor([-1.4458,  0.0000,  0.8001,  3.5569])\n'
      'tensor([[0.3405, 0.3973],\n'
      '        [0.5275, 0.7461]]) tensor([0.5744, 0.1192]) tensor([0.0005, 0.1516])\n'
      'ValueError\n'
      'Expected value argument (Tensor of shape (4,)) to be within the support (Interva'
      'l(lower_bound=0.0, upper_bound=1.0)) of the distribution ContinuousBernoulli(pro'
      'bs: torch.Size([4]), logits: torch.Size([4])), but found invalid values:\n'
      'tensor([1.5000, 0.0000, 0.0000, 0.0000])\n')),
    ('negative_binomial',
     ('from torch.distributions import RelaxedOneHotCategorical, RelaxedBernoulli, Cont'
      'inuousBernoulli, NegativeBinomial, OneHotCategoricalStraightThrough, kl_divergen'
      'ce\n'
      'nb = NegativeBinomial(total_count=5, probs=torch.tensor([0.3, 0.8]))\n'
      'print(nb, nb.sample(), nb.sample((3,)), nb.mean, nb.variance, nb.mode, nb.log_pr'
      'ob(torch.tensor([2.0, 10.0])))\n'
      'nb2 = NegativeBinomial(torch.tensor([2.0, 0.0]), logits=torch.tensor([0.5, -1.0]'
      '))\n'
      'print(nb2.log_prob(torch.tensor([0.0, 0.0])), nb2.probs, nb2.sample())\n'
      'NegativeBinomial(3, probs=torch.tensor([1.0]))'),
     ('NegativeBinomial(total_count: torch.Size([2]), probs: torch.Size([2]), logits: t'
      'orch.Size([2])) tensor([ 4., 13.]) tensor([[ 2., 28.],\n'
      '        [ 1., 27.],\n'
      '        [ 1., 13.]]) tensor([ 2.1429, 20.0000]) tensor([  3.0612, 100.0000]) ten'
      'sor([ 1., 16.]) tensor([-1.4833, -3.3699])\n'
      'tensor([-1.9482, -0.0000]) tensor([0.6225, 0.2689]) tensor([1., 0.])\n'
      'ValueError\n'
      'Expected parameter probs (Tensor of shape (1,)) of distribution NegativeBinomial'
      '(total_count: tensor([3.]), probs: tensor([1.])) to satisfy the constraint HalfO'
      'penInterval(lower_bound=0.0, upper_bound=1.0), but found invalid values:\n'
      'tensor([1.])\n')),
    ('special_chebyshev_polynomial_t',
     ('fn = torch.special.chebyshev_polynomial_t\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[0.02245878241956234, -0.9918375611305237, 0.23900148272514343] [26410.9765625, '
      '51311.84375, 1.0, 1.0, 1.0] [0.08226272734661494, 0.05476688365726649] 192521768'
      '96.0\n'
      'tensor([ 1., 26.]) tensor([-0.8200,  0.3888]) False tensor([1.])\n'
      'NotImplementedError\n'
      '"chebyshev_polynomial_t_cpu" not implemented for \'Half\'\n')),
    ('special_chebyshev_polynomial_u',
     ('fn = torch.special.chebyshev_polynomial_u\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[0.029943922534585, -0.9107879996299744, -1.168087363243103] [63127.8359375, 120'
      '189.0546875, 13.0, 13.0, 1.0] [0.08972438144880657, -0.5799238583463103] 3918751'
      '7440.0\n'
      'tensor([ 4., 56.]) tensor([-0.6400,  0.0991]) False tensor([3.])\n'
      'NotImplementedError\n'
      '"chebyshev_polynomial_u_cpu" not implemented for \'Half\'\n')),
    ('special_chebyshev_polynomial_v',
     ('fn = torch.special.chebyshev_polynomial_v\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[1.0297197103500366, -1.0618748664855957, -2.8777003288269043] [88634.46875, 166'
      '136.453125, 1.0, 25.0, 0.9999996423721313] [1.0863629919648923, 0.60322149470187'
      '8] 34015260672.0\n'
      'tensor([ 1., 41.]) tensor([-1.2400,  1.0649]) False tensor([1.])\n'
      'NotImplementedError\n'
      '"chebyshev_polynomial_v_cpu" not implemented for \'Half\'\n')),
    ('special_chebyshev_polynomial_w',
     ('fn = torch.special.chebyshev_polynomial_w\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[-0.9698318839073181, -0.7597010731697083, 0.5415258407592773] [37621.2109375, 7'
      '4241.65625, 25.0, 1.0, 1.0000004768371582] [-0.9069142290672823, -1.763069211394'
      '4992] 44359774208.0\n'
      'tensor([ 7., 71.]) tensor([-0.0400, -0.8667]) False tensor([5.])\n'
      'NotImplementedError\n'
      '"chebyshev_polynomial_w_cpu" not implemented for \'Half\'\n')),
    ('special_hermite_polynomial_h',
     ('fn = torch.special.hermite_polynomial_h\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[0.08983848243951797, -5.20233678817749, 5.416273593902588] [1311343.125, 947266'
      '.6875, 280768.0, 280768.0, 665280.0] [4979.901171796997, -87084.22382825406] -13'
      '2838856.0\n'
      'tensor([-4., 40.]) tensor([-1.6400e+00,  7.0103e+03]) False tensor([2.])\n'
      'NotImplementedError\n'
      '"hermite_polynomial_h_cpu" not implemented for \'Half\'\n')),
    ('special_hermite_polynomial_he',
     ('fn = torch.special.hermite_polynomial_he\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[0.02246004156768322, -1.4549574851989746, 1.9116019010543823] [5944.16162109375'
      ', 9635.697265625, -12440.0, -12440.0, 10395.0] [77.8182258400291, -3197.21900235'
      '45854] 501490.6875\n'
      'tensor([-2.,  2.]) tensor([ -0.9100, 250.3907]) False tensor([0.])\n'
      'NotImplementedError\n'
      '"hermite_polynomial_he_cpu" not implemented for \'Half\'\n')),
    ('special_laguerre_polynomial_l',
     ('fn = torch.special.laguerre_polynomial_l\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[1.0225446224212646, -0.2034021019935608, 4.578162670135498] [339.0589904785156,'
      ' 388.3376770019531, 0.4962121546268463, 111.34500885009766, 1.0] [1.083908049347'
      '5275, -0.2503012873181704] 991.6512451171875\n'
      'tensor([-0.6667, -0.3333]) tensor([ 0.4450, -0.4179]) False tensor([-0.5000])\n'
      'NotImplementedError\n'
      '"laguerre_polynomial_l_cpu" not implemented for \'Half\'\n')),
    ('special_legendre_polynomial_p',
     ('fn = torch.special.legendre_polynomial_p\n'
      'x = torch.cat([torch.rand(40) * 2 - 1, torch.randn(20) * 3, torch.tensor([1.0, -'
      '1.0, 0.0])])\n'
      'v = [fn(x, k).tolist() for k in range(13)]\n'
      'print(v[3][:3], v[12][-5:], fn(x.double(), 11).tolist()[:2], fn(x, torch.arange('
      '63) % 13).sum().item())\n'
      'print(fn(torch.tensor([1, 2]), 3), fn(0.3, torch.tensor([2, 9])), fn(x, 3.7).req'
      'uires_grad, fn(torch.ones(1, requires_grad=True), 2))\n'
      'fn(torch.ones(2).half(), 2)'),
     ('[0.011229180730879307, -0.4187321364879608, -0.15926595032215118] [9347.76660156'
      '25, 17968.50390625, 1.0, 1.0, 0.2255859375] [0.020242450839410734, -0.0596414165'
      '13760405] 6270033920.0\n'
      'tensor([ 1., 17.]) tensor([-0.3650,  0.0637]) False tensor([1.])\n'
      'NotImplementedError\n'
      '"legendre_polynomial_p_cpu" not implemented for \'Half\'\n')),
    ('special_polynomial_arguments',
     ('print(torch.special.chebyshev_polynomial_t(torch.tensor([0.5]), torch.tensor([[2'
      '], [3]])), torch.special.hermite_polynomial_h(torch.tensor([0.5]), 200))\n'
      'torch.special.legendre_polynomial_p(0.5, 2)'),
     ('tensor([[-0.5000],\n'
      '        [-1.0000]]) tensor([nan])\n'
      'TypeError\n'
      'special_legendre_polynomial_p() received an invalid combination of arguments - g'
      'ot (float, int), but expected one of:\n'
      ' * (Tensor x, Tensor n, *, Tensor out = None)\n'
      ' * (Number x, Tensor n, *, Tensor out = None)\n'
      ' * (Tensor x, Number n, *, Tensor out = None)\n'
      '\n')),
    ('special_shifted_chebyshev',
     ('S = torch.special\n'
      'x = torch.cat([torch.rand(30), torch.randn(10) * 2, torch.tensor([0.0, 1.0, 0.5]'
      ')])\n'
      "for f in ['t', 'u', 'v', 'w']:\n"
      "    fn = getattr(S, 'shifted_chebyshev_polynomial_' + f)\n"
      '    print(fn(x, 3)[:3], fn(x.double(), 9).sum().item(), fn(x, torch.arange(43) %'
      ' 12).sum().item(), fn(torch.tensor([0, 1]), 5), fn(0.25, torch.tensor([7])))'),
     ('tensor([ 0.0225, -0.9918,  0.2390]) -136749067.19856238 -1156250112.0 tensor([-1'
      '.,  1.]) tensor([-0.5000])\n'
      'tensor([ 0.0299, -0.9108, -1.1681]) -277301480.8182403 -2361504512.0 tensor([-6.'
      ',  6.]) tensor([-1.0000])\n'
      'tensor([ 1.0297, -1.0619, -2.8777]) -419004237.17353237 -2813382656.0 tensor([-1'
      '1.,   1.]) tensor([-2.0000])\n'
      'tensor([-0.9698, -0.7597,  0.5415]) -135598724.4629479 -1909625728.0 tensor([-1.'
      ', 11.]) tensor([-7.8004e-07])\n')),
    ('special_spherical_bessel_j0',
     ('S = torch.special\n'
      "print(S.spherical_bessel_j0(torch.tensor([0.0, 0.1, -0.4, 0.5, 3.0, float('inf')"
      '])), S.spherical_bessel_j0(torch.tensor([1, 2])))\n'
      'print(S.spherical_bessel_j0(torch.ones(1, requires_grad=True)))\n'
      'S.spherical_bessel_j0(2.0)'),
     ('tensor([1.0000, 0.9983, 0.9735, 0.9589, 0.0470, 0.0000]) tensor([0.8415, 0.4546]'
      ')\n'
      'tensor([0.8415])\n'
      'TypeError\n'
      "special_spherical_bessel_j0(): argument 'x' (position 1) must be Tensor, not flo"
      'at\n')),
    ('special_modified_bessel',
     ('S = torch.special\n'
      'x = torch.cat([torch.rand(10) * 3, torch.randn(5) * 10, torch.tensor([0.0, 2.0, '
      "8.0, float('inf')])])\n"
      "for f in ['modified_bessel_i0', 'modified_bessel_i1', 'modified_bessel_k0', 'mod"
      "ified_bessel_k1', 'scaled_modified_bessel_k0', 'scaled_modified_bessel_k1']:\n"
      '    fn = getattr(S, f)\n'
      '    print(f, fn(x)[:4], fn(x.double()).sum().item(), fn(torch.tensor([1, 2])), f'
      'n(torch.ones(1, requires_grad=True)))\n'
      'S.modified_bessel_k1(2.0)'),
     ('modified_bessel_i0 tensor([1.6358, 2.8394, 1.0177, 1.0396]) nan tensor([1.2661, '
      '2.2796]) tensor([1.2661])\n'
      'modified_bessel_i1 tensor([0.9706, 2.1068, 0.1339, 0.2020]) nan tensor([0.5652, '
      '1.5906]) tensor([0.5652])\n'
      'modified_bessel_k0 tensor([0.2169, 0.0787, 1.4856, 1.1231]) nan tensor([0.4210, '
      '0.1139]) tensor([0.4210])\n'
      'modified_bessel_k1 tensor([0.2819, 0.0944, 3.5065, 2.2103]) nan tensor([0.6019, '
      '0.1399]) tensor([0.6019])\n'
      'scaled_modified_bessel_k0 tensor([0.9614, 0.7886, 1.9372, 1.6690]) nan tensor([1'
      '.1445, 0.8416]) tensor([1.1445])\n'
      'scaled_modified_bessel_k1 tensor([1.2493, 0.9462, 4.5725, 3.2845]) nan tensor([1'
      '.6362, 1.0335]) tensor([1.6362])\n'
      'TypeError\n'
      "special_modified_bessel_k1(): argument 'input' (position 1) must be Tensor, not "
      'float\n')),
    ('special_bessel_j_y',
     ('S = torch.special\n'
      'x = torch.cat([torch.rand(8) * 5, torch.randn(5) * 20, torch.tensor([0.0, 5.0, 1'
      "e-6, float('inf')])])\n"
      "for f in ['bessel_j0', 'bessel_j1', 'bessel_y0', 'bessel_y1']:\n"
      '    fn = getattr(S, f)\n'
      '    print(f, fn(x)[:4], fn(x.double()).sum().item(), fn(torch.tensor([1, 2])), f'
      'n(torch.ones(1, requires_grad=True)))\n'
      'S.bessel_y1(2.0)'),
     ('bessel_j0 tensor([-0.0390, -0.4027,  0.9517,  0.8940]) nan tensor([0.7652, 0.223'
      '9]) tensor([0.7652])\n'
      'bessel_j1 tensor([ 0.5017, -0.0038,  0.2158,  0.3124]) nan tensor([0.4401, 0.576'
      '7]) tensor([0.4401])\n'
      'bessel_y0 tensor([ 0.5007,  0.0475, -0.5338, -0.2358]) nan tensor([0.0883, 0.510'
      '4]) tensor([0.0883])\n'
      'bessel_y1 tensor([ 0.1376,  0.4120, -1.6332, -1.1611]) nan tensor([-0.7812, -0.1'
      '070]) tensor([-0.7812])\n'
      'TypeError\n'
      "special_bessel_y1(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('distribution_enumerate_support',
     ('from torch.distributions import Categorical, Bernoulli, OneHotCategorical, Binom'
      'ial\n'
      'c = Categorical(logits=torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.1, 0.1]]))\n'
      'print(c.enumerate_support(), c.enumerate_support(expand=False), c.has_enumerate_'
      'support)\n'
      'b = Bernoulli(probs=torch.tensor([0.2, 0.5, 0.7], dtype=torch.float64))\n'
      'print(b.enumerate_support(), b.enumerate_support(False), Bernoulli(0.3).enumerat'
      'e_support())\n'
      'o = OneHotCategorical(probs=torch.ones(2, 3) / 3)\n'
      'print(o.enumerate_support(), o.enumerate_support(False).shape)\n'
      'print(Binomial(3, torch.tensor([0.2, 0.4])).enumerate_support(), Categorical(tor'
      'ch.ones(4)).enumerate_support())\n'
      'v = c.enumerate_support()\n'
      'print(c.log_prob(v).exp().sum(0))\n'
      'try:\n'
      '    torch.distributions.Normal(0.0, 1.0).enumerate_support()\n'
      'except Exception as e:\n'
      '    print(type(e).__name__, e)'),
     ('tensor([[0, 0],\n'
      '        [1, 1],\n'
      '        [2, 2]]) tensor([[0],\n'
      '        [1],\n'
      '        [2]]) True\n'
      'tensor([[0., 0., 0.],\n'
      '        [1., 1., 1.]], dtype=torch.float64) tensor([[0.],\n'
      '        [1.]], dtype=torch.float64) tensor([0., 1.])\n'
      'tensor([[[1., 0., 0.],\n'
      '         [1., 0., 0.]],\n'
      '\n'
      '        [[0., 1., 0.],\n'
      '         [0., 1., 0.]],\n'
      '\n'
      '        [[0., 0., 1.],\n'
      '         [0., 0., 1.]]]) torch.Size([3, 1, 3])\n'
      'tensor([[0., 0.],\n'
      '        [1., 1.],\n'
      '        [2., 2.],\n'
      '        [3., 3.]]) tensor([0, 1, 2, 3])\n'
      'tensor([1.0000, 1.0000])\n'
      'NotImplementedError \n')),
    ('distribution_expand',
     ('from torch.distributions import Normal, Categorical, Bernoulli, Gamma, Beta, Ind'
      'ependent, Exponential\n'
      'n = Normal(torch.zeros(3), torch.ones(3))\n'
      'e = n.expand((2, 3))\n'
      'print(e, e.batch_shape, e.sample().shape, e.log_prob(torch.zeros(2, 3)), e.loc.s'
      'hape, n.batch_shape)\n'
      'print(Normal(0.0, 1.0).expand([4]).sample(), Normal(torch.tensor([0.0]), torch.t'
      'ensor([1.0])).expand(torch.Size([3, 1])).batch_shape)\n'
      'c = Categorical(logits=torch.tensor([1.0, 2.0, 0.5])).expand((2,))\n'
      'print(c.batch_shape, c.logits.shape, c.sample((3,)), c.enumerate_support().shape'
      ')\n'
      'print(Bernoulli(torch.tensor([0.3])).expand((4,)).sample(), Gamma(2.0, 1.0).expa'
      'nd((3,)).rsample(), Normal(1.0, 2.0).expand([2]).mean, Exponential(torch.ones(1)'
      ').expand((2, 1)).batch_shape)\n'
      'try:\n'
      '    n.expand((4, 2))\n'
      'except Exception as ex:\n'
      '    print(type(ex).__name__, ex)'),
     ('Normal(loc: torch.Size([2, 3]), scale: torch.Size([2, 3])) torch.Size([2, 3]) to'
      'rch.Size([2, 3]) tensor([[-0.9189, -0.9189, -0.9189],\n'
      '        [-0.9189, -0.9189, -0.9189]]) torch.Size([2, 3]) torch.Size([3])\n'
      'tensor([ 0.4033,  0.8380, -0.7193, -0.4033]) torch.Size([3, 1])\n'
      'torch.Size([2]) torch.Size([2, 3]) tensor([[1, 1],\n'
      '        [0, 1],\n'
      '        [1, 1]]) torch.Size([3, 2])\n'
      'tensor([1., 1., 1., 1.]) tensor([0.7600, 0.3790, 3.1982]) tensor([1., 1.]) torch'
      '.Size([2, 1])\n'
      'RuntimeError The expanded size of the tensor (2) must match the existing size (3'
      ') at non-singleton dimension 1.  Target sizes: [4, 2].  Tensor sizes: [3]\n')),
]

CASES = [(name, guarded_program(code, SETUP), out) for name, code, out in _CASES]
test_gd_prints_pytorchs_text, test_the_text_is_pytorchs = literal_table(CASES)


@pytest.mark.parametrize("name", sorted(POLYNOMIALS))
def test_polynomials_are_atens_bits(name: str) -> None:
    """Every degree 0..12 on 3,500 points in [-1, 1] and beyond, float32 and float64: the
    fused recurrence and the C library's trigonometric forms give PyTorch's bits."""
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(0)
    x = torch.cat([torch.rand(2000, generator=gen) * 2 - 1, torch.rand(500, generator=gen),
                   torch.randn(1000, generator=gen) * 3, torch.tensor([0.0, 0.5, 1.0, -1.0])])
    fn = getattr(torch.special, name)
    for dtype in (torch.float32, torch.float64):
        xs = x.to(dtype)
        for n in range(13):
            want = fn(xs, n).numpy()
            got = POLYNOMIALS[name](xs.numpy(), np.full(xs.shape, n, np.int64))
            np.testing.assert_array_equal(got, want, err_msg=f"{name} n={n} {dtype}")


def test_spherical_bessel_j0_is_atens_bits() -> None:
    """The fused Taylor polynomial below 1/2 and the C library's sin(x)/x above."""
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(1)
    x = torch.cat([torch.randn(3000, generator=gen) * 0.3, torch.randn(1000, generator=gen) * 40,
                   torch.tensor([0.0, -0.0, 0.5, -0.5, float("inf"), -float("inf")])])
    for dtype in (torch.float32, torch.float64):
        xs = x.to(dtype)
        np.testing.assert_array_equal(spherical_bessel_j0(xs.numpy()),
                                      torch.special.spherical_bessel_j0(xs).numpy())


@pytest.mark.parametrize("name", sorted(BESSEL))
def test_modified_bessel_are_atens_bits(name: str) -> None:
    """Both ranges of each approximation (and their boundaries), inf and nan, float32 and
    float64."""
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(2)
    x = torch.cat([torch.rand(2000, generator=gen) * 2, torch.rand(2000, generator=gen) * 10,
                   torch.randn(1000, generator=gen) * 20, torch.rand(100, generator=gen) * 1e-4,
                   torch.rand(2000, generator=gen) * 4.2 - 2.1,
                   torch.tensor([0.0, 2.0, 5.0, 8.0, -8.0, -1.0, 2.09, -2.09, 8.3203353, 103.9,
                                 float("inf"), -float("inf"), float("nan")])])
    for dtype in (torch.float32, torch.float64):
        xs = x.to(dtype)
        np.testing.assert_array_equal(BESSEL[name](xs.numpy()),
                                      getattr(torch.special, name)(xs).numpy())
