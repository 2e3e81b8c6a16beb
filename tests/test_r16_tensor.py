"""Round 16's tensor-area classes against PyTorch 2.13: torch.sign of nan (0), reshape/view's
size inference (PyTorch's infer_size messages), binary_cross_entropy_with_logits through
ATen's log_sigmoid, the spellings added this round (unsafe splits, fill, the deprecated
norms, constant_pad_nd, the strided empties, nonzero_static...) and the Gumbel-softmax,
ContinuousBernoulli and NegativeBinomial distributions. The expected text is PyTorch's, as
a literal; with torch installed the same program is also run under it."""

from __future__ import annotations

from pyrun import guarded_program, literal_table

SETUP = "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"

# (name, program, PyTorch's output)
_CASES = [
    ('sign_of_nan_is_zero',
     "x = torch.tensor([float('nan'), -2.0, 0.0, 3.0], requires_grad=True)\nprint(torch.sign(x), torch.sgn(x), x.detach().sign_(), torch.sign(torch.tensor(float('nan'), dtype=torch.float64)))\nx.sign().sum().backward()\nprint(x.grad)",
     'tensor([ 0., -1.,  0.,  1.], grad_fn=<SignBackward0>) tensor([ 0., -1.,  0.,  1.], grad_fn=<SgnBackward0>) tensor([ 0., -1.,  0.,  1.]) tensor(0., dtype=torch.float64)\ntensor([0., 0., 0., 0.])\n'),
    ('reshape_minus_one_of_zero_elements',
     'torch.zeros(0).reshape(-1, 0)',
     'RuntimeError\ncannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value and is ambiguous\n'),
    ('view_minus_one_of_zero_elements',
     'torch.zeros(2, 0).view(2, -1, 0)',
     'RuntimeError\ncannot reshape tensor of 0 elements into shape [2, -1, 0] because the unspecified dimension size -1 can be any value and is ambiguous\n'),
    ('reshape_negative_dim',
     'torch.zeros(6).reshape(-2, 3)',
     'RuntimeError\ninvalid shape dimension -2 at index 0 of shape [-2, 3]\n'),
    ('reshape_two_inferred',
     'torch.zeros(4).view(-1, -1)',
     'RuntimeError\nonly one dimension can be inferred\n'),
    ('reshape_minus_one_zero_of_nonempty',
     'torch.zeros(5).reshape(-1, 0)',
     "RuntimeError\nshape '[-1, 0]' is invalid for input of size 5\n"),
    ('reshape_zero_elements_ok',
     'print(torch.zeros(2, 0).view(-1, 2).shape, torch.zeros(0, 3).reshape(3, 0).shape)',
     'torch.Size([0, 2]) torch.Size([3, 0])\n'),
    ('bce_with_logits_small_logits',
     "x = (torch.randn(400) * 0.01).requires_grad_()\nt = torch.rand(400)\nl = F.binary_cross_entropy_with_logits(x, t, reduction='none')\nprint(l[:4].tolist(), l.sum().item())\nh = torch.randn(8).half()\nprint(F.binary_cross_entropy_with_logits(h, torch.rand(8).half(), reduction='none'))\nprint(F.binary_cross_entropy_with_logits(torch.tensor([-0.0004]), torch.tensor([0.7])).item())",
     '[0.6967629194259644, 0.6935921311378479, 0.6925564408302307, 0.6951433420181274] 277.37847900390625\ntensor([0.7183, 1.0068, 1.5273, 0.6533, 0.7549, 0.6475, 0.5376, 0.8643],\n       dtype=torch.float16)\n0.693227231502533\n'),
]

CASES = [(name, guarded_program(code, SETUP), out) for name, code, out in _CASES]
test_gd_prints_pytorchs_text, test_the_text_is_pytorchs = literal_table(CASES)
