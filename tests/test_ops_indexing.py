"""Indexing and shape ops against PyTorch: values, grad_fn names, gradients, printing and
error messages of gather/scatter/index_*/masked_*/take/put/index_put, advanced indexing
(lists, ranges, tensors, masks, integers mixed with tensors, out-of-range indices),
split/chunk/repeat/roll/rot90/reorderings/joins, and PyTorch's keyword names.

Each program's expected text is what PyTorch 2.13 prints ("!Type: first line" when it
raises); the differential test checks the literals against the installed torch.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source

T = "import torch\n"

#: (key, program, what PyTorch prints, or "!ExceptionType: message's first line")
CASES: list[tuple[str, str, str]] = [
    ('gather-grad',
     'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
     'y = torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]]))\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad)\n',
     'tensor([[1., 1.],\n'
     '        [4., 3.]], grad_fn=<GatherBackward0>)\n'
     'tensor([[2., 0.],\n'
     '        [1., 1.]])\n'),
    ('gather-out-of-bounds',
     'x = torch.zeros(3, 4)\n'
     'torch.gather(x, 1, torch.tensor([[0, 1], [2, 5]]))\n',
     '!RuntimeError: index 5 is out of bounds for dimension 1 with size 4'),
    ('gather-negative-index',
     'torch.gather(torch.zeros(3), 0, torch.tensor([-1]))\n',
     '!RuntimeError: index -1 is out of bounds for dimension 0 with size 3'),
    ('gather-float-index',
     'torch.gather(torch.zeros(3), 0, torch.tensor([0.]))\n',
     '!RuntimeError: gather(): Expected dtype int32/int64 for index'),
    ('gather-ndim',
     'torch.gather(torch.zeros(3, 4), 1, torch.tensor([0]))\n',
     '!RuntimeError: Index tensor must have the same number of dimensions as input tensor'),
    ('gather-size',
     'torch.gather(torch.zeros(3, 4), 0, torch.zeros(2, 5, dtype=torch.long))\n',
     '!RuntimeError: Size does not match at dimension 1 expected index [2, 5] to be no'
     ' larger than self [3, 4] apart from dimension 0'),
    ('gather-dim',
     'torch.gather(torch.zeros(3, 4), 2, torch.zeros(1, 1, dtype=torch.long))\n',
     '!IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('scatter-forms',
     'x = torch.zeros(2, 3)\n'
     'i = torch.tensor([[2], [0]])\n'
     'print(x.scatter(1, i, torch.tensor([[1.], [2.]])))\n'
     'print(torch.scatter(x, 1, i, 7.))\n'
     'print(x.scatter(1, i, value=-1.))\n'
     "print(torch.ones(2, 3).scatter(1, torch.tensor([[0, 0]]), 3., reduce='multiply'))\n",
     'tensor([[0., 0., 1.],\n'
     '        [2., 0., 0.]])\n'
     'tensor([[0., 0., 7.],\n'
     '        [7., 0., 0.]])\n'
     'tensor([[ 0.,  0., -1.],\n'
     '        [-1.,  0.,  0.]])\n'
     'tensor([[9., 1., 1.],\n'
     '        [1., 1., 1.]])\n'),
    ('scatter-names',
     'x = torch.zeros(2, 3, requires_grad=True)\n'
     'i = torch.tensor([[2], [0]])\n'
     'print(x.scatter(1, i, 7.).grad_fn.name(), x.scatter(1, i, x[:, :1]).grad_fn.name'
     '(), x.scatter_add(1, i, x[:, :1]).grad_fn.name())\n',
     'ScatterBackward1 ScatterBackward0 ScatterAddBackward0\n'),
    ('scatter-size',
     'torch.zeros(3, 4).scatter(1, torch.tensor([[0, 1]]), torch.ones(1, 1))\n',
     '!RuntimeError: Expected index [1, 2] to be no larger than self [3, 4] apart from'
     ' dimension 1 and to be no larger size than src [1, 1]'),
    ('scatter-dtype',
     'torch.zeros(3, 4).scatter(1, torch.tensor([[0, 1]]), torch.ones(1, 2, dtype=torc'
     'h.float64))\n',
     '!RuntimeError: scatter(): Expected self.dtype to be equal to src.dtype'),
    ('scatter-reduce-name',
     "torch.zeros(3).scatter(0, torch.tensor([0]), 1., reduce='max')\n",
     '!RuntimeError: reduce argument must be either add or multiply.'),
    ('scatter-add-inplace',
     'h = torch.zeros(3)\n'
     'h.scatter_add_(0, torch.tensor([0, 2, 0]), torch.tensor([1., 2., 3.]))\n'
     'print(h)\n',
     'tensor([4., 0., 2.])\n'),
    ('scatter-reduce',
     'x = torch.tensor([1., 2., 3.], requires_grad=True)\n'
     's = torch.tensor([5., 0., 4.], requires_grad=True)\n'
     "y = x.scatter_reduce(0, torch.tensor([0, 0, 2]), s, 'amax')\n"
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad, s.grad)\n'
     "print(x.scatter_reduce(0, torch.tensor([0, 0, 2]), s, 'mean', include_self=False))\n",
     'tensor([5., 2., 4.], grad_fn=<ScatterReduceBackward0>)\n'
     'tensor([0., 1., 0.]) tensor([1., 0., 1.])\n'
     'tensor([2.5000, 2.0000, 4.0000], grad_fn=<ScatterReduceBackward0>)\n'),
    ('scatter-reduce-bad',
     "torch.zeros(3).scatter_reduce(0, torch.tensor([0]), torch.ones(1), 'foo')\n",
     '!RuntimeError: reduce argument must be either sum, prod, mean, amax or amin, got foo'),
    ('index-select-add',
     'x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True)\n'
     'y = x.index_select(0, torch.tensor([2, 0, 2]))\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad)\n'
     'z = torch.index_add(x, 1, torch.tensor([1, 1]), torch.ones(3, 2), alpha=2)\n'
     'print(z)\n',
     'tensor([[5., 6.],\n'
     '        [1., 2.],\n'
     '        [5., 6.]], grad_fn=<IndexSelectBackward0>)\n'
     'tensor([[1., 1.],\n'
     '        [0., 0.],\n'
     '        [2., 2.]])\n'
     'tensor([[ 1.,  6.],\n'
     '        [ 3.,  8.],\n'
     '        [ 5., 10.]], grad_fn=<IndexAddBackward0>)\n'),
    ('index-select-bounds',
     'torch.index_select(torch.zeros(3, 4), 1, torch.tensor([0, 4]))\n',
     '!RuntimeError: INDICES element is out of DATA bounds, id=4 axis_dim=4'),
    ('index-select-vector',
     'torch.index_select(torch.zeros(3, 4), 1, torch.tensor([[0]]))\n',
     '!IndexError: index_select(): Index is supposed to be a vector'),
    ('index-add-count',
     'torch.zeros(3, 4).index_add(1, torch.tensor([0, 1]), torch.ones(3, 3))\n',
     '!RuntimeError: index_add_(): Number of indices (2) should be equal to source.siz'
     'e(dim): (3), for dim: 1'),
    ('index-copy-fill',
     'x = torch.zeros(2, 3)\n'
     'print(x.index_copy(1, torch.tensor([2, 0]), torch.tensor([[1., 2.], [3., 4.]])))\n'
     'print(x.index_fill(1, torch.tensor([-1]), 5))\n'
     'v = torch.tensor(2., requires_grad=True)\n'
     'y = x.index_fill(0, torch.tensor([1, 1]), v)\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(v.grad)\n',
     'tensor([[2., 0., 1.],\n'
     '        [4., 0., 3.]])\n'
     'tensor([[0., 0., 5.],\n'
     '        [0., 0., 5.]])\n'
     'tensor([[0., 0., 0.],\n'
     '        [2., 2., 2.]], grad_fn=<IndexFillBackward1>)\n'
     'tensor(3.)\n'),
    ('index-copy-count',
     'torch.zeros(3, 4).index_copy(1, torch.tensor([0, 1]), torch.ones(3, 3))\n',
     '!IndexError: index_copy_(): Number of indices (2) should be equal to source.size'
     '(dim) (3)'),
    ('masked-fill',
     'x = torch.tensor([[1., -2.], [-3., 4.]], requires_grad=True)\n'
     'm = x < 0\n'
     'print(x.masked_fill(m, 0.), torch.masked_fill(x, m, torch.tensor(9.)))\n'
     'y = x.detach().clone()\n'
     'y.masked_fill_(m, -1.)\n'
     'print(y)\n',
     'tensor([[1., 0.],\n'
     '        [0., 4.]], grad_fn=<MaskedFillBackward0>) tensor([[1., 9.],\n'
     '        [9., 4.]], grad_fn=<MaskedFillBackward1>)\n'
     'tensor([[ 1., -1.],\n'
     '        [-1.,  4.]])\n'),
    ('masked-fill-float-mask',
     'torch.zeros(2).masked_fill(torch.zeros(2), 1.)\n',
     '!RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype float'),
    ('masked-fill-value-dims',
     'torch.zeros(2).masked_fill(torch.zeros(2) > 1, torch.ones(2))\n',
     '!RuntimeError: masked_fill_ only supports a 0-dimensional value tensor, but got '
     'tensor with 1 dimension(s).'),
    ('masked-select-scatter',
     'x = torch.tensor([[1., -2.], [-3., 4.]], requires_grad=True)\n'
     's = torch.masked_select(x, x > 0)\n'
     'print(s)\n'
     's.sum().backward()\n'
     'print(x.grad)\n'
     'print(x.masked_scatter(x < 0, torch.tensor([10., 20., 30.])))\n',
     'tensor([1., 4.], grad_fn=<MaskedSelectBackward0>)\n'
     'tensor([[1., 0.],\n'
     '        [0., 1.]])\n'
     'tensor([[ 1., 10.],\n'
     '        [20.,  4.]], grad_fn=<MaskedScatterBackward0>)\n'),
    ('masked-select-broadcast',
     'torch.masked_select(torch.zeros(3, 4), torch.tensor([True, False]))\n',
     '!RuntimeError: The size of tensor a (2) must match the size of tensor b (4) at n'
     'on-singleton dimension 1'),
    ('masked-scatter-short',
     'torch.zeros(3).masked_scatter(torch.ones(3) > 0, torch.ones(2))\n',
     '!RuntimeError: Number of elements of source < number of ones in mask'),
    ('take-put',
     'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
     'y = torch.take(x, torch.tensor([[3, 0], [-1, 3]]))\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad)\n'
     'print(torch.take_along_dim(x, torch.tensor([[1], [0]]), 1), torch.take_along_dim'
     '(x, torch.tensor([3, 0])))\n',
     'tensor([[4., 1.],\n'
     '        [4., 4.]], grad_fn=<TakeBackward0>)\n'
     'tensor([[1., 0.],\n'
     '        [0., 3.]])\n'
     'tensor([[2.],\n'
     '        [3.]], grad_fn=<GatherBackward0>) tensor([4., 1.], grad_fn=<GatherBackwa'
     'rd0>)\n'),
    ('take-bounds',
     'torch.take(torch.zeros(3, 4), torch.tensor([12]))\n',
     '!IndexError: out of range: tried to access index 12 on a tensor of 12 elements.'),
    ('index-put-accumulate',
     'w = torch.zeros(5)\n'
     'w.index_put_((torch.tensor([0, 0, 2]),), torch.tensor(1.), accumulate=True)\n'
     'print(w)\n'
     'print(torch.index_put(w, (torch.tensor([1]),), torch.tensor(7.)))\n',
     'tensor([2., 0., 1., 0., 0.])\n'
     'tensor([2., 7., 1., 0., 0.])\n'),
    ('nonzero-unique',
     'x = torch.tensor([[0, 3], [3, 0]])\n'
     'print(torch.nonzero(x), x.nonzero(as_tuple=True), torch.argwhere(x))\n'
     'print(torch.unique(torch.tensor([3, 1, 3, 2]), return_inverse=True, return_count'
     's=True))\n'
     'print(torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0))\n',
     'tensor([[0, 1],\n'
     '        [1, 0]]) (tensor([0, 1]), tensor([1, 0])) tensor([[0, 1],\n'
     '        [1, 0]])\n'
     '(tensor([1, 2, 3]), tensor([2, 0, 2, 1]), tensor([1, 1, 2]))\n'
     'tensor([[0, 5],\n'
     '        [1, 2]])\n'),
    ('advanced-getitem',
     'x = torch.arange(12.).reshape(3, 4)\n'
     'print(x[range(2)], x[[0, 2], 1:], x[x > 8], x[torch.tensor([-1, 0]), [1, 2]])\n'
     'y = torch.zeros(2, 3, 4, 5)\n'
     'print(y[0, :, [0, 1]].shape, y[:, [0, 1], :, [0, 1]].shape, y[[0], :, [1, 2]].sh'
     'ape, y[None, ..., [0]].shape)\n',
     'tensor([[0., 1., 2., 3.],\n'
     '        [4., 5., 6., 7.]]) tensor([[ 1.,  2.,  3.],\n'
     '        [ 9., 10., 11.]]) tensor([ 9., 10., 11.]) tensor([9., 2.])\n'
     'torch.Size([3, 2, 5]) torch.Size([2, 2, 4]) torch.Size([2, 3, 5]) torch.Size([1,'
     ' 2, 3, 4, 1])\n'),
    ('advanced-grad',
     'x = torch.arange(6.).reshape(2, 3).requires_grad_()\n'
     'y = x[[1, 1, 0], 1:]\n'
     'print(y)\n'
     'y.sum().backward()\n'
     'print(x.grad)\n',
     'tensor([[4., 5.],\n'
     '        [4., 5.],\n'
     '        [1., 2.]], grad_fn=<IndexBackward0>)\n'
     'tensor([[0., 1., 1.],\n'
     '        [0., 2., 2.]])\n'),
    ('advanced-setitem',
     'x = torch.zeros(2, 3, 4)\n'
     'x[0, :, [1, 2]] = torch.tensor([1., 2.])\n'
     'x[1][x[1] == 0] = 5.\n'
     'x[[0, 1], [2, 0], 3] = -1.\n'
     'print(x)\n',
     'tensor([[[ 0.,  1.,  2.,  0.],\n'
     '         [ 0.,  1.,  2.,  0.],\n'
     '         [ 0.,  1.,  2., -1.]],\n'
     '\n'
     '        [[ 5.,  5.,  5., -1.],\n'
     '         [ 5.,  5.,  5.,  5.],\n'
     '         [ 5.,  5.,  5.,  5.]]])\n'),
    ('setitem-mismatch',
     'x = torch.zeros(3, 4)\n'
     'x[[0, 1]] = torch.ones(3)\n',
     '!RuntimeError: shape mismatch: value tensor of shape [3] cannot be broadcast to '
     'indexing result of shape [2, 4]'),
    ('index-out-of-range',
     'x = torch.zeros(2, 3, 4)\n'
     'x[[0, 1], [5, 0]]\n',
     '!IndexError: index 5 is out of bounds for dimension 1 with size 3'),
    ('index-out-of-range-after-int',
     'x = torch.zeros(2, 3, 4)\n'
     'x[0, :, [4]]\n',
     '!IndexError: index 4 is out of bounds for dimension 0 with size 4'),
    ('split-chunk',
     'x = torch.arange(10.).requires_grad_()\n'
     'a, b, c = torch.split(x, 4)\n'
     'print(a, c)\n'
     'p, q = x.split([3, 7])\n'
     'print(q.grad_fn.name())\n'
     'print(torch.chunk(x, 3), torch.tensor_split(x, 3))\n'
     '(a.sum() + 2 * q.sum()).backward()\n'
     'print(x.grad)\n',
     'tensor([0., 1., 2., 3.], grad_fn=<SplitBackward0>) tensor([8., 9.], grad_fn=<Spl'
     'itBackward0>)\n'
     'SplitWithSizesBackward0\n'
     '(tensor([0., 1., 2., 3.], grad_fn=<SplitBackward0>), tensor([4., 5., 6., 7.], gr'
     'ad_fn=<SplitBackward0>), tensor([8., 9.], grad_fn=<SplitBackward0>)) (tensor([0.'
     ', 1., 2., 3.], grad_fn=<SliceBackward0>), tensor([4., 5., 6.], grad_fn=<SliceBac'
     'kward0>), tensor([7., 8., 9.], grad_fn=<SliceBackward0>))\n'
     'tensor([1., 1., 1., 3., 2., 2., 2., 2., 2., 2.])\n'),
    ('split-sizes-error',
     'torch.split(torch.zeros(3), [1, 1])\n',
     '!RuntimeError: split_with_sizes expects split_sizes to sum exactly to 3 (input t'
     "ensor's size at dimension 0), but got split_sizes=[1, 1]"),
    ('split-view-inplace',
     'x = torch.zeros(4, requires_grad=True)\n'
     'a, b = (x * 1).split(2)\n'
     'b.mul_(2)\n',
     '!RuntimeError: Output 1 of Split is a view and is being modified inplace. This v'
     'iew is the output of a function that returns multiple views. Such functions do n'
     'ot allow the output views to be modified inplace. You should replace the inplace'
     ' operation by an out-of-place one.'),
    ('repeat-roll-rot90',
     'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
     'r = x.repeat(1, 2, 1)\n'
     'print(r)\n'
     'r.sum().backward()\n'
     'print(x.grad)\n'
     'print(torch.roll(x, 1), torch.roll(x, shifts=(1, 1), dims=(0, 1)), torch.rot90(x'
     '), x.tile((2,)))\n'
     'print(torch.repeat_interleave(x, 2), x.repeat_interleave(torch.tensor([2, 1]), d'
     'im=0))\n',
     'tensor([[[1., 2.],\n'
     '         [3., 4.],\n'
     '         [1., 2.],\n'
     '         [3., 4.]]], grad_fn=<RepeatBackward0>)\n'
     'tensor([[2., 2.],\n'
     '        [2., 2.]])\n'
     'tensor([[4., 1.],\n'
     '        [2., 3.]], grad_fn=<RollBackward0>) tensor([[4., 3.],\n'
     '        [2., 1.]], grad_fn=<RollBackward0>) tensor([[2., 4.],\n'
     '        [1., 3.]], grad_fn=<Rot90Backward0>) tensor([[1., 2., 1., 2.],\n'
     '        [3., 4., 3., 4.]], grad_fn=<RepeatBackward0>)\n'
     'tensor([1., 1., 2., 2., 3., 3., 4., 4.], grad_fn=<ViewBackward0>) tensor([[1., 2.],\n'
     '        [1., 2.],\n'
     '        [3., 4.]], grad_fn=<IndexSelectBackward0>)\n'),
    ('repeat-error',
     'torch.zeros(2, 3).repeat(2)\n',
     '!RuntimeError: Number of dimensions of repeat dims can not be smaller than numbe'
     'r of dimensions of tensor'),
    ('roll-error',
     'torch.roll(torch.zeros(2, 3), (1, 2), 0)\n',
     '!RuntimeError: shifts and dimensions must align. shifts: 2, dims:1'),
    ('reorder',
     'x = torch.arange(6.).reshape(1, 2, 3)\n'
     'print(torch.movedim(x, 0, -1).shape, torch.moveaxis(x, (0, 1), (2, 0)).shape, x.'
     'swapaxes(1, 2).shape, x.swapdims(0, 2).shape)\n'
     'print(torch.narrow(x, 2, 1, 2), x.select(1, -1), x.unflatten(2, (3, 1)).shape, t'
     'orch.fliplr(x[0]), torch.flipud(x[0]))\n',
     'torch.Size([2, 3, 1]) torch.Size([2, 3, 1]) torch.Size([1, 3, 2]) torch.Size([3,'
     ' 2, 1])\n'
     'tensor([[[1., 2.],\n'
     '         [4., 5.]]]) tensor([[3., 4., 5.]]) torch.Size([1, 2, 3, 1]) tensor([[2.'
     ', 1., 0.],\n'
     '        [5., 4., 3.]]) tensor([[3., 4., 5.],\n'
     '        [0., 1., 2.]])\n'),
    ('narrow-error',
     'torch.narrow(torch.zeros(3), 0, 2, 2)\n',
     '!RuntimeError: start (2) + length (2) exceeds dimension size (3).'),
    ('select-error',
     'torch.zeros(3, 4).select(0, 3)\n',
     '!IndexError: select(): index 3 out of range for tensor of size [3, 4] at dimension 0'),
    ('joins',
     'a = torch.tensor([1., 2.])\n'
     'b = torch.tensor([3., 4.])\n'
     'print(torch.hstack([a, b]), torch.vstack([a, b]), torch.column_stack([a, b]), to'
     'rch.dstack([a, b]).shape, torch.row_stack((a, b)))\n'
     'print(torch.atleast_1d(torch.tensor(1.)), torch.atleast_2d(a), torch.atleast_3d('
     'a).shape)\n'
     "x, y = torch.meshgrid(a, torch.tensor([5., 6., 7.]), indexing='xy')\n"
     'print(x, y)\n'
     'print(torch.broadcast_tensors(a, torch.zeros(3, 1))[0])\n',
     'tensor([1., 2., 3., 4.]) tensor([[1., 2.],\n'
     '        [3., 4.]]) tensor([[1., 3.],\n'
     '        [2., 4.]]) torch.Size([1, 2, 2]) tensor([[1., 2.],\n'
     '        [3., 4.]])\n'
     'tensor([1.]) tensor([[1., 2.]]) torch.Size([1, 2, 1])\n'
     'tensor([[1., 2.],\n'
     '        [1., 2.],\n'
     '        [1., 2.]]) tensor([[5., 5.],\n'
     '        [6., 6.],\n'
     '        [7., 7.]])\n'
     'tensor([[1., 2.],\n'
     '        [1., 2.],\n'
     '        [1., 2.]])\n'),
    ('meshgrid-error',
     "torch.meshgrid(torch.zeros(2), indexing='ji')\n",
     '!RuntimeError: torch.meshgrid: indexing must be one of "xy" or "ij", but received: ji'),
    ('any-all-tri',
     'x = torch.tensor([[0., 1.], [0., 0.]])\n'
     'print(x.any(), torch.all(x), x.any(dim=1), torch.any(x, 0, keepdim=True), x.all('
     'dim=(0, 1)))\n'
     'print(torch.triu_indices(3, 3), torch.tril_indices(3, 2, -1))\n',
     'tensor(True) tensor(False) tensor([ True, False]) tensor([[False,  True]]) tenso'
     'r(False)\n'
     'tensor([[0, 0, 0, 1, 1, 2],\n'
     '        [0, 1, 2, 1, 2, 2]]) tensor([[1, 2, 2],\n'
     '        [0, 0, 1]])\n'),
    ('keywords',
     'x = torch.arange(6.).reshape(2, 3)\n'
     'print(torch.reshape(input=x, shape=(3, 2)).shape, x.reshape(shape=(6,)).shape, x'
     '.view(size=(3, 2)).shape)\n'
     'print(torch.transpose(input=x, dim0=0, dim1=1).shape, x.permute(dims=(1, 0)).sha'
     'pe, torch.flatten(input=x, start_dim=0, end_dim=1).shape)\n'
     'print(torch.unsqueeze(input=x, dim=0).shape, x.expand(size=(2, 2, 3)).shape, tor'
     'ch.gather(x, dim=1, index=torch.tensor([[0], [1]])))\n',
     'torch.Size([3, 2]) torch.Size([6]) torch.Size([3, 2])\n'
     'torch.Size([3, 2]) torch.Size([3, 2]) torch.Size([6])\n'
     'torch.Size([1, 2, 3]) torch.Size([2, 2, 3]) tensor([[0.],\n'
     '        [4.]])\n'),
    ('transposes',
     'x = torch.arange(6.).reshape(2, 3)\n'
     'print(x.H, torch.zeros(2, 3, 4).mT.shape, x[None].squeeze((0, 1)).shape)\n'
     'torch.zeros(3).mT\n',
     'tensor([[0., 3.],\n'
     '        [1., 4.],\n'
     '        [2., 5.]]) torch.Size([2, 4, 3]) torch.Size([2, 3])\n'
     '!RuntimeError: tensor.mT is only supported on matrices or batches of matrices. G'
     'ot 1-D tensor.'),
    ('hsplit-sections',
     'for f in [lambda: torch.hsplit(torch.zeros(4), 3), lambda: torch.hsplit(torch.zeros(4), 0),\n'
     '          lambda: torch.tensor_split(torch.zeros(5), [4, 2])]:\n'
     '    try:\n'
     '        print(f())\n'
     '    except RuntimeError as e:\n'
     '        print(e)\n',
     'torch.hsplit attempted to split along dimension 0, but the size of the dimension 4 is '
     'not divisible by the split_size 3!\n'
     'torch.hsplit attempted to split along dimension 0, but the size of the dimension 4 is '
     'not divisible by the split_size 0!\n'
     '(tensor([0., 0., 0., 0.]), tensor([]), tensor([0., 0., 0.]))\n'),
]


def run_gd(text: str) -> str:
    """What gradcli prints, then "!message" if it fails (the message's first line)."""
    printed: list[str] = []
    try:
        run(Source("prog.gd", T + text), AppOptions(write=printed.append))
    except GdError as e:
        return "".join(printed) + "!" + e.message.splitlines()[0]
    return "".join(printed)


def _strip_type(expected: str) -> str:
    # gradcli's errors carry PyTorch's message, not Python's exception type.
    at = 0 if expected.startswith("!") else expected.rfind("\n!") + 1
    if at == 0 and not expected.startswith("!"):
        return expected
    return expected[:at + 1] + expected[at + 1:].split(": ", 1)[1]


@pytest.mark.parametrize("text,expected", [pytest.param(p, e, id=k) for k, p, e in CASES])
def test_gradcli_prints_what_torch_prints(text: str, expected: str) -> None:
    assert run_gd(text) == _strip_type(expected)


@pytest.mark.parametrize("text,expected", [pytest.param(p, e, id=k) for k, p, e in CASES])
def test_literals_are_what_torch_prints(text: str, expected: str) -> None:
    torch = pytest.importorskip("torch")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(T + text, "prog.py", "exec"), {"torch": torch})
    except Exception as e:
        said = f"{out.getvalue()}!{type(e).__name__}: {str(e).splitlines()[0]}"
    else:
        said = out.getvalue()
    assert said == expected
