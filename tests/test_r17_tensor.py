"""Round 17's tensor-area classes against PyTorch 2.13: legacy tensor types in isinstance,
torch.Tensor's unbound methods, complex random draws (randn/rand/normal_/uniform_ over
view_as_real), memory formats (torch.channels_last & co. and every op taking
memory_format=; the *_like creators keeping a dense input's layout), torch.stft /
torch.istft, x.storage() / x.untyped_storage(), torch.fft's n-dim Hermitian transforms and
the removed linalg methods' messages, x.dim_order(), x.resize, x.volatile, x.cfloat() and
torch.sym_*. The expected text is PyTorch's, as a literal; with torch installed the same
program is also run under it."""

from __future__ import annotations

from pyrun import guarded_program, literal_table

SETUP = "import torch\ntorch.manual_seed(0)\n"

# (name, program, PyTorch's output)
_CASES = [
    ('legacy_type_isinstance',
     ('x = torch.tensor([1.5, 2.5])\n'
      'print(isinstance(x, torch.FloatTensor), isinstance(x.long(), torch.FloatTensor),'
      ' isinstance(x.long(), torch.LongTensor), isinstance(x.double(), (torch.FloatTens'
      'or, torch.DoubleTensor)), isinstance(3, torch.FloatTensor))'),
     'True False True True False\n'),
    ('unbound_tensor_methods',
     ('x = torch.tensor([1.5, 2.5])\n'
      'print(torch.Tensor.add(x, 1), torch.Tensor.sum(x), list(map(torch.Tensor.item, ['
      'x[0], x[1]])), torch.Tensor.view(x, 2, 1).shape)'),
     'tensor([2.5000, 3.5000]) tensor(4.) [1.5, 2.5] torch.Size([2, 1])\n'),
    ('unbound_tensor_method_of_a_number',
     'torch.Tensor.add(3, 1)',
     ('TypeError\n'
      "descriptor 'add' for 'torch._C.TensorBase' objects doesn't apply to a 'int' obje"
      'ct\n')),
    ('unbound_tensor_method_without_argument',
     'torch.Tensor.add()',
     ('TypeError\n'
      'unbound method TensorBase.add() needs an argument\n')),
    ('complex_randn_rand',
     ('print(torch.randn(2, dtype=torch.cfloat))\n'
      'print(torch.randn(20, dtype=torch.complex64))\n'
      'print(torch.rand(3, dtype=torch.cdouble))\n'
      'print(torch.randn(2, 3, dtype=torch.complex128))'),
     ('tensor([ 1.0896-0.2075j, -1.5406+0.4019j])\n'
      'tensor([-0.2518+0.3092j,  0.3474-0.1443j, -0.0626+0.3704j, -0.4708+0.6013j,\n'
      '        -0.7380-0.9513j,  0.5553+0.7020j, -0.1366-0.2185j,  0.3554-0.6077j,\n'
      '         0.3310-0.1115j,  1.0208+0.1881j,  0.1177+0.6183j, -0.1015-0.0789j,\n'
      '        -0.4759+0.6172j,  0.7463+0.1258j, -0.1629-0.2770j,  0.3842-0.2794j,\n'
      '        -0.3155+0.5261j,  1.0755+2.4116j, -1.0827-0.8727j,  1.2867-0.3900j])\n'
      'tensor([0.1959+0.1527j, 0.4815+0.9175j, 0.5720+0.4808j],\n'
      '       dtype=torch.complex128)\n'
      'tensor([[ 0.1933-0.6492j, -0.0286+0.2037j, -0.0053-0.6466j],\n'
      '        [-0.7697-0.1885j,  0.1339-0.1549j,  1.4549-0.0250j]],\n'
      '       dtype=torch.complex128)\n')),
    ('complex_inplace_draws_and_likes',
     ('z = torch.zeros(3, dtype=torch.cfloat)\n'
      'print(z.normal_(), z.uniform_(), torch.randn_like(z), torch.rand_like(z))\n'
      'print(torch.empty(17, dtype=torch.cfloat).normal_(1, 2))\n'
      'print(torch.normal(2., 3., (2,), dtype=torch.cfloat))'),
     ('tensor([0.0223+0.1689j, 0.2939+0.5185j, 0.6977+0.8000j]) tensor([0.0223+0.1689j,'
      ' 0.2939+0.5185j, 0.6977+0.8000j]) tensor([-0.1848+0.7543j,  0.2941+0.5937j, -0.5'
      '844-0.5621j]) tensor([0.3051+0.9320j, 0.1759+0.2698j, 0.1507+0.0317j])\n'
      'tensor([ 1.6218+1.1590j,  1.9062+1.6239j,  0.6947-0.0501j,  1.7958+1.3672j,\n'
      '         1.7394+4.2558j, -1.0773-1.2439j,  2.7016+1.1196j, -0.6973+0.9932j,\n'
      '         0.6743+0.4460j,  0.3309+1.4745j,  3.1342+3.9443j,  3.4137+4.3663j,\n'
      '        -0.5918+0.5517j,  0.8011+2.1395j,  1.4633-0.0758j, -1.2614+1.0261j,\n'
      '        -0.0613+1.2622j])\n'
      'tensor([ 0.5625+4.2108j, -2.1393+2.8880j])\n')),
    ('complex_randint_refused',
     'torch.randint(0, 3, (2,), dtype=torch.cfloat)',
     ('RuntimeError\n'
      'check_random_bounds handles only integral, floating-point and boolean types\n')),
    ('memory_format_values',
     ('print(torch.channels_last, type(torch.channels_last), torch.contiguous_format, t'
      'orch.preserve_format, torch.channels_last_3d)\n'
      'print(torch.channels_last == torch.channels_last, torch.channels_last == torch.c'
      'ontiguous_format, str(torch.channels_last), {torch.channels_last: 1}[torch.chann'
      'els_last])'),
     ("torch.channels_last <class 'torch.memory_format'> torch.contiguous_format torch."
      'preserve_format torch.channels_last_3d\n'
      'True False torch.channels_last 1\n')),
    ('channels_last_contiguous',
     ('x = torch.randn(2, 3, 4, 5)\n'
      'c = x.contiguous(memory_format=torch.channels_last)\n'
      'print(c.stride(), c.is_contiguous(), c.is_contiguous(memory_format=torch.channel'
      's_last), x.is_contiguous(memory_format=torch.channels_last), torch.equal(c, x))\n'
      'print(c.contiguous().stride(), c.contiguous(memory_format=torch.contiguous_forma'
      't).stride(), c.clone().stride(), c.clone(memory_format=torch.contiguous_format).'
      'stride())\n'
      'print(c.sum(), c[0, 1, 2], c.reshape(-1)[:5], c.permute(0, 2, 3, 1).is_contiguou'
      's(), c.flatten(2).stride())'),
     ('(60, 1, 15, 3) False True False True\n'
      '(60, 20, 5, 1) (60, 20, 5, 1) (60, 1, 15, 3) (60, 20, 5, 1)\n'
      'tensor(3.5755) tensor([ 0.9463, -0.8437, -0.6136,  0.0316, -0.4927]) tensor([-1.'
      '1258, -1.1524, -0.2506, -0.4339,  0.8487]) True (60, 1, 3)\n')),
    ('channels_last_to_and_creation',
     ('x = torch.randn(2, 3, 4, 5)\n'
      'c = x.to(memory_format=torch.channels_last)\n'
      'print(c.stride(), x.to(torch.float64, memory_format=torch.channels_last).stride('
      '), c.to(torch.float64).stride())\n'
      'print(torch.empty(2, 3, 4, 5, memory_format=torch.channels_last).stride(), torch'
      '.zeros_like(c).stride(), torch.ones_like(x, memory_format=torch.channels_last).s'
      'tride())\n'
      'print(torch.empty_like(c, memory_format=torch.contiguous_format).stride(), torch'
      '.full_like(c, 2.).stride(), (c + 1).stride(), c.relu().stride())'),
     ('(60, 1, 15, 3) (60, 1, 15, 3) (60, 1, 15, 3)\n'
      '(60, 1, 15, 3) (60, 1, 15, 3) (60, 1, 15, 3)\n'
      '(60, 20, 5, 1) (60, 1, 15, 3) (60, 1, 15, 3) (60, 1, 15, 3)\n')),
    ('channels_last_size_one_dims_and_3d',
     ('y = torch.randn(1, 3, 1, 1).contiguous(memory_format=torch.channels_last)\n'
      'print(y.stride(), y.is_contiguous(), y.is_contiguous(memory_format=torch.channel'
      's_last))\n'
      'z = torch.randn(2, 2, 3, 3, 3).contiguous(memory_format=torch.channels_last_3d)\n'
      'print(z.stride(), z.is_contiguous(memory_format=torch.channels_last_3d), z.is_co'
      'ntiguous(memory_format=torch.channels_last))\n'
      'print(torch.zeros(2, 1, 4, 5).contiguous(memory_format=torch.channels_last).stri'
      'de(), torch.zeros(2, 1, 4, 5).is_contiguous(memory_format=torch.channels_last), '
      'torch.zeros(2, 3, 1, 1).is_contiguous(memory_format=torch.channels_last))'),
     ('(3, 1, 1, 1) True True\n'
      '(54, 1, 18, 6, 2) True False\n'
      '(20, 20, 5, 1) True True\n')),
    ('like_creators_keep_a_transposes_layout',
     ('w = torch.randn(3, 4).t()\n'
      'print(torch.zeros_like(w).stride(), torch.ones_like(w).stride(), torch.empty_lik'
      'e(w).stride(), torch.full_like(w, 1).stride(), w.clone().stride(), torch.zeros_l'
      'ike(w, memory_format=torch.contiguous_format).stride())\n'
      'print(torch.zeros_like(torch.randn(2, 3)[:, ::2]).stride(), torch.ones_like(w, d'
      'type=torch.int64).stride(), torch.zeros_like(w))'),
     ('(1, 4) (1, 4) (1, 4) (1, 4) (1, 4) (3, 1)\n'
      '(2, 1) (1, 4) tensor([[0., 0., 0.],\n'
      '        [0., 0., 0.],\n'
      '        [0., 0., 0.],\n'
      '        [0., 0., 0.]])\n')),
    ('channels_last_grad_fns_and_gradient',
     ('x = torch.randn(2, 3, 4, 5, requires_grad=True)\n'
      'print(x.contiguous(memory_format=torch.channels_last).grad_fn.name(), x.to(memor'
      'y_format=torch.channels_last).grad_fn.name(), x.clone(memory_format=torch.channe'
      'ls_last).grad_fn.name())\n'
      'y = x.contiguous(memory_format=torch.channels_last)\n'
      '(y * torch.arange(5.)).sum().backward()\n'
      'print(x.grad[0, 0], x.grad.stride())'),
     ('CloneBackward0 ToCopyBackward0 CloneBackward0\n'
      'tensor([[0., 1., 2., 3., 4.],\n'
      '        [0., 1., 2., 3., 4.],\n'
      '        [0., 1., 2., 3., 4.],\n'
      '        [0., 1., 2., 3., 4.]]) (60, 20, 5, 1)\n')),
    ('channels_last_needs_rank_4',
     'torch.randn(2, 3).contiguous(memory_format=torch.channels_last)',
     ('RuntimeError\n'
      'required rank 4 tensor to use channels_last format\n')),
    ('channels_last_3d_needs_rank_5',
     'torch.randn(2, 3).to(memory_format=torch.channels_last_3d)',
     ('RuntimeError\n'
      'required rank 5 tensor to use channels_last_3d format\n')),
    ('empty_channels_last_needs_rank_4',
     'torch.empty(2, 3, memory_format=torch.channels_last)',
     ('RuntimeError\n'
      'required rank 4 tensor to use channels_last format\n')),
    ('empty_preserve_format',
     'torch.empty(2, 3, 4, 5, memory_format=torch.preserve_format)',
     ('RuntimeError\n'
      'unsupported memory format Preserve\n')),
    ('contiguous_preserve_format_of_a_transpose',
     'torch.randn(3, 4).t().contiguous(memory_format=torch.preserve_format)',
     ('RuntimeError\n'
      'preserve memory format is unsupported by the contiguous operator\n')),
    ('contiguous_memory_format_not_a_format',
     'torch.randn(2, 3, 4, 5).contiguous(memory_format=3)',
     ('TypeError\n'
      "contiguous(): argument 'memory_format' must be torch.memory_format, not int\n")),
    ('memory_format_has_no_name',
     'torch.channels_last.name',
     ('AttributeError\n'
      "'torch.memory_format' object has no attribute 'name'\n")),
    ('channels_last_view_across_subspaces',
     'torch.randn(2, 3, 4, 5).contiguous(memory_format=torch.channels_last).view(2, 60)',
     ('RuntimeError\n'
      "view size is not compatible with input tensor's size and stride (at least one di"
      'mension spans across two contiguous subspaces). Use .reshape(...) instead.\n')),
    ('stft_spectrogram_and_istft_roundtrip',
     ('x = torch.randn(64)\n'
      'w = torch.hann_window(16)\n'
      'S = torch.stft(x, n_fft=16, hop_length=4, window=w, return_complex=True)\n'
      'print(S.shape, S.dtype, S.abs()[:3, :4])\n'
      'print(S.abs().pow(2)[:, 0])\n'
      'y = torch.istft(S, n_fft=16, hop_length=4, window=w, length=64)\n'
      'print(y.shape, y.dtype, (y - x).abs().max() < 1e-5, y[:6])'),
     ('torch.Size([9, 17]) torch.complex64 tensor([[3.3482, 2.7832, 1.4013, 0.2161],\n'
      '        [3.6554, 0.5467, 2.6359, 2.4930],\n'
      '        [3.5339, 3.5507, 3.1838, 3.6472]])\n'
      'tensor([11.2104, 13.3620, 12.4886,  0.5281,  0.0591,  1.1045,  0.1724,  0.8643,\n'
      '         3.0740])\n'
      'torch.Size([64]) torch.float32 tensor(True) tensor([-1.1258, -1.1524, -0.2506, -'
      '0.4339,  0.8487,  0.6920])\n')),
    ('stft_batch_float64_default_hop',
     ('B = torch.randn(2, 100, dtype=torch.float64)\n'
      'S2 = torch.stft(B, 32, window=torch.hann_window(32, dtype=torch.float64), return'
      '_complex=True)\n'
      'print(S2.shape, S2.dtype, S2[1, 2:5, 3])\n'
      'print(torch.istft(S2, 32, window=torch.hann_window(32, dtype=torch.float64)).sha'
      'pe)'),
     ('torch.Size([2, 17, 13]) torch.complex128 tensor([ 0.4484+0.3192j, -1.9526+1.4847'
      'j,  1.2072-0.9918j],\n'
      '       dtype=torch.complex128)\n'
      'torch.Size([2, 96])\n')),
    ('stft_options',
     ('x = torch.randn(64)\n'
      'S3 = torch.stft(x, 16, hop_length=8, win_length=10, window=torch.hamming_window('
      '10), center=False, normalized=True, return_complex=True)\n'
      'print(S3.shape, S3.abs()[0:3, 1])\n'
      'S4 = x.stft(20, window=torch.ones(20), onesided=False, return_complex=True, pad_'
      "mode='constant')\n"
      'print(S4.shape, S4.abs()[5, :3])\n'
      'print(torch.stft(x, 16, window=torch.hann_window(16), return_complex=False).shape)'),
     ('torch.Size([9, 7]) tensor([0.2559, 0.5182, 0.9014])\n'
      'torch.Size([20, 13]) tensor([1.0274, 1.9027, 2.6988])\n'
      'torch.Size([9, 17, 2])\n')),
    ('stft_peak_frequency',
     ('spec = torch.stft(torch.sin(torch.arange(256.) * 0.3), n_fft=64, hop_length=16, '
      'window=torch.hann_window(64), return_complex=True)\n'
      'print(spec.abs().argmax(0)[:5], spec.abs().max(), spec.shape)'),
     'tensor([2, 3, 3, 3, 3]) tensor(15.9718) torch.Size([33, 17])\n'),
    ('stft_real_input_needs_return_complex',
     'torch.stft(torch.randn(64), 16)',
     ('RuntimeError\n'
      'stft requires the return_complex parameter be given for real inputs, and will fu'
      'rther require that return_complex=True in a future PyTorch release.\n')),
    ('istft_needs_a_tensor',
     'torch.istft([1.0, 2.0], 4)',
     ('TypeError\n'
      "istft(): argument 'input' (position 1) must be Tensor, not list\n")),
    ('istft_of_a_real_tensor',
     'torch.istft(torch.randn(9, 4), 16)',
     ('RuntimeError\n'
      'istft requires a complex-valued input tensor matching the output from stft with '
      'return_complex=True.\n')),
    ('storage_sharing_and_sizes',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'x = torch.arange(6.).view(2, 3)\n'
      'y = x.t()\n'
      'z = x[1]\n'
      'print(x.storage().data_ptr() == y.storage().data_ptr(), z.storage().data_ptr() ='
      '= x.storage().data_ptr(), x.clone().storage().data_ptr() == x.storage().data_ptr'
      '())\n'
      'print(x.untyped_storage().data_ptr() == z.untyped_storage().data_ptr(), x.untype'
      'd_storage().nbytes(), z.untyped_storage().size(), len(x.untyped_storage()))\n'
      'print(x.storage().size(), len(x.storage()), z.storage().size(), x.storage().dtyp'
      'e, x.storage().element_size(), x.storage().nbytes(), x.storage().tolist()[:3])\n'
      'print(z.storage()[1], x.storage()[-1], type(x.storage()), type(x.untyped_storage'
      '()), x.storage().device, x.storage().type())'),
     ('True True False\n'
      'True 24 24 24\n'
      '6 6 6 torch.float32 4 24 [0.0, 1.0, 2.0]\n'
      "1.0 5.0 <class 'torch.storage.TypedStorage'> <class 'torch.storage.UntypedStorag"
      "e'> cpu torch.FloatStorage\n")),
    ('storage_printed',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'print(torch.arange(3.).storage())\n'
      'print(torch.tensor([1, 2]).storage())\n'
      'print(torch.tensor([0.1, True]).storage(), torch.tensor([], dtype=torch.int64).s'
      'torage())\n'
      'print(torch.arange(2.).untyped_storage())'),
     (' 0.0\n'
      ' 1.0\n'
      ' 2.0\n'
      '[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 3]\n'
      ' 1\n'
      ' 2\n'
      '[torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 2]\n'
      ' 0.10000000149011612\n'
      ' 1.0\n'
      '[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 2]  \n'
      '[torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 0]\n'
      ' 0\n'
      ' 0\n'
      ' 0\n'
      ' 0\n'
      ' 0\n'
      ' 0\n'
      ' 128\n'
      ' 63\n'
      '[torch.storage.UntypedStorage(device=cpu) of size 8]\n')),
    ('storage_of_views_and_copies',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'a = torch.zeros(4)\n'
      'b = a.view(2, 2)\n'
      'c = a.reshape(2, 2).contiguous()\n'
      'd = a[::2]\n'
      'print(a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr(), c.storag'
      'e().data_ptr() == a.storage().data_ptr(), d.storage().size(), d.storage_offset()'
      ')\n'
      'e = torch.randn(3, 4).t().contiguous()\n'
      'print(e.storage().size(), e.detach().storage().data_ptr() == e.storage().data_pt'
      'r(), e.data.untyped_storage().data_ptr() == e.untyped_storage().data_ptr())'),
     ('True True 4 0\n'
      '12 True True\n')),
    ('storage_index_out_of_range',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'torch.arange(6.).storage()[10]'),
     ('IndexError\n'
      'index 10 out of range for storage of size 6\n')),
    ('hermitian_ffts_in_n_dims',
     ('x = torch.randn(3, 4)\n'
      'h = torch.fft.ihfft2(x)\n'
      'print(h, h.shape)\n'
      'print(torch.fft.hfft2(h, s=x.shape), torch.fft.hfftn(h, s=(3, 4)).shape)\n'
      "print(torch.fft.ihfftn(x, norm='ortho'), torch.fft.ihfftn(torch.randn(2, 3, 4, d"
      'type=torch.float64), dim=(0, 2)).shape)\n'
      'z = torch.randn(3, 3, dtype=torch.cfloat)\n'
      "print(torch.fft.hfft2(z), torch.fft.hfftn(z, norm='forward'), torch.fft.hfftn(z,"
      ' s=(4, 6)).shape)'),
     ('tensor([[-0.2618-0.0000j,  0.1758-0.3070j, -0.1773-0.0000j],\n'
      '        [ 0.0856+0.0213j,  0.4963-0.0528j, -0.0254+0.0703j],\n'
      '        [ 0.0856-0.0213j,  0.2579+0.1443j, -0.0254-0.0703j]]) torch.Size([3, 3])\n'
      'tensor([[ 1.5410, -0.2934, -2.1788,  0.5684],\n'
      '        [-1.0845, -1.3986,  0.4033,  0.8380],\n'
      '        [-0.7193, -0.4033, -0.5966,  0.1820]]) torch.Size([3, 4])\n'
      'tensor([[-0.9069-0.0000j,  0.6089-1.0634j, -0.6143-0.0000j],\n'
      '        [ 0.2964+0.0739j,  1.7191-0.1828j, -0.0881+0.2435j],\n'
      '        [ 0.2964-0.0739j,  0.8935+0.4998j, -0.0881-0.2435j]]) torch.Size([2, 3, '
      '3])\n'
      'tensor([[-2.2132, -1.7941,  4.1278,  2.3166],\n'
      '        [-2.0170, -1.4988, -1.0018,  1.5563],\n'
      '        [ 2.0216, -2.1742, -0.2123,  1.5106]]) tensor([[-0.1844, -0.1495,  0.344'
      '0,  0.1931],\n'
      '        [-0.1681, -0.1249, -0.0835,  0.1297],\n'
      '        [ 0.1685, -0.1812, -0.0177,  0.1259]]) torch.Size([4, 6])\n')),
    ('hfft2_of_a_number',
     'torch.fft.hfft2(2.0)',
     ('TypeError\n'
      "fft_hfft2(): argument 'input' (position 1) must be Tensor, not float\n")),
    ('removed_linalg_methods',
     ('x = torch.ones(2, 2)\n'
      "for f in ['eig', 'lstsq', 'solve', 'symeig']:\n"
      '    try:\n'
      "        getattr(x, f)(x) if f in ('lstsq', 'solve') else getattr(x, f)()\n"
      '    except RuntimeError as e:\n'
      '        print(f, str(e).splitlines()[0])'),
     ('eig This function was deprecated since version 1.9 and is now removed. `torch.li'
      'nalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than rea'
      'l tensors mimicking complex tensors.\n'
      'lstsq This function was deprecated since version 1.9 and is now removed. `torch.'
      'lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n'
      'solve This function was deprecated since version 1.9 and is now removed. `torch.'
      'solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has '
      'its arguments reversed and does not return the LU factorization.\n'
      'symeig This function was deprecated since version 1.9 and is now removed. The de'
      'fault behavior has changed from using the upper triangular portion of the matrix'
      ' by default to using the lower triangular portion.\n')),
    ('dim_order',
     ('x = torch.randn(2, 3, 4, 5)\n'
      'print(x.dim_order(), x.contiguous(memory_format=torch.channels_last).dim_order()'
      ', torch.randn(3, 4).t().dim_order(), torch.randn(1, 3, 1, 1).dim_order())\n'
      'print(torch.randn(2, 3)[:, ::2].dim_order(), torch.randn(2, 3).expand(4, 2, 3).d'
      'im_order(), torch.randn(1, 3, 1, 1).contiguous(memory_format=torch.channels_last'
      ').dim_order())\n'
      'print(torch.randn(2, 3, 4).permute(2, 0, 1).dim_order(), torch.tensor(1.).dim_or'
      'der(), torch.randn(4, 1).t().dim_order())'),
     ('(0, 1, 2, 3) (0, 2, 3, 1) (1, 0) (0, 1, 2, 3)\n'
      '(0, 1) (0, 1, 2) (0, 1, 2, 3)\n'
      '(1, 2, 0) () (0, 1)\n')),
    ('resize_volatile_sym',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'print(torch.zeros(2).volatile, torch.arange(6.).resize(2, 3), torch.arange(4.).r'
      'esize_as(torch.zeros(2, 2)), torch.randn(3, 4).t().resize(12).shape)\n'
      'print(torch.sym_int(3.7), torch.sym_float(2), torch.sym_max(2, 5), torch.sym_min'
      '(2, 5), torch.sym_not(True), torch.sym_sqrt(4), torch.sym_ite(True, 1, 2), torch'
      '.sym_sum([1, 2, 3]))'),
     ('False tensor([[0., 1., 2.],\n'
      '        [3., 4., 5.]]) tensor([[0., 1.],\n'
      '        [2., 3.]]) torch.Size([12])\n'
      '3 2.0 5 2 False 2.0 1 6\n')),
    ('resize_of_another_size',
     ('import warnings\n'
      "warnings.simplefilter('ignore')\n"
      'torch.arange(4.).resize(2, 3)'),
     ('RuntimeError\n'
      'requested resize to 2x3 (6 elements in total), but the given tensor has a size o'
      "f 4 (4 elements). autograd's resize can only change the shape of a given tensor,"
      ' while preserving the number of elements. \n')),
    ('like_creators_of_permuted_slices',
     ('import random\n'
      'random.seed(5)\n'
      'for k in range(60):\n'
      '    nd = random.randint(1, 5)\n'
      '    shape = [random.choice([2, 3, 4, 5]) for _ in range(nd)]\n'
      '    x = torch.zeros(*shape)\n'
      '    perm = list(range(nd))\n'
      '    random.shuffle(perm)\n'
      '    x = x.permute(*perm)\n'
      '    if random.random() < 0.5:\n'
      '        d = random.randrange(nd)\n'
      '        x = x.narrow(d, 0, 2) if random.random() < 0.5 else x.transpose(0, d)[::'
      '2]\n'
      '    if random.random() < 0.2 and x.ndim == 4:\n'
      '        x = x.contiguous(memory_format=torch.channels_last)\n'
      '    print(x.stride(), x.dim_order(), torch.zeros_like(x).stride(), torch.empty_l'
      'ike(x, dtype=torch.int64).stride())'),
     ('(15, 3, 1, 30, 120) (4, 3, 0, 1, 2) (6, 3, 1, 12, 48) (6, 3, 1, 12, 48)\n'
      '(3, 1) (0, 1) (2, 1) (2, 1)\n'
      '(1, 3) (1, 0) (1, 2) (1, 2)\n'
      '(4, 1) (0, 1) (4, 1) (4, 1)\n'
      '(3, 1) (0, 1) (2, 1) (2, 1)\n'
      '(4, 16, 1) (1, 0, 2) (4, 16, 1) (4, 16, 1)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(30, 1, 15, 3) (0, 2, 3, 1) (30, 1, 15, 3) (30, 1, 15, 3)\n'
      '(10, 1, 5, 50) (3, 0, 2, 1) (10, 1, 5, 50) (10, 1, 5, 50)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(1, 5, 20) (2, 1, 0) (1, 5, 20) (1, 5, 20)\n'
      '(2,) (0,) (1,) (1,)\n'
      '(1, 3, 12, 48, 192) (4, 3, 2, 1, 0) (1, 3, 12, 48, 192) (1, 3, 12, 48, 192)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(96, 16, 4, 1) (0, 1, 2, 3) (96, 16, 4, 1) (96, 16, 4, 1)\n'
      '(3, 1) (0, 1) (2, 1) (2, 1)\n'
      '(45, 3, 15, 1) (0, 2, 1, 3) (30, 3, 15, 1) (30, 3, 15, 1)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(8, 1) (0, 1) (4, 1) (4, 1)\n'
      '(64, 4, 32, 1, 8) (0, 2, 4, 1, 3) (64, 4, 32, 1, 8) (64, 4, 32, 1, 8)\n'
      '(6, 1, 2) (0, 2, 1) (6, 1, 2) (6, 1, 2)\n'
      '(32, 4, 1) (0, 1, 2) (16, 4, 1) (16, 4, 1)\n'
      '(1, 3, 9) (2, 1, 0) (1, 3, 9) (1, 3, 9)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(9, 3, 1) (0, 1, 2) (9, 3, 1) (9, 3, 1)\n'
      '(1, 5) (1, 0) (1, 2) (1, 2)\n'
      '(1, 50, 25, 5) (1, 2, 3, 0) (1, 50, 25, 5) (1, 50, 25, 5)\n'
      '(20, 1, 5) (0, 2, 1) (20, 1, 5) (20, 1, 5)\n'
      '(64, 32, 4, 8, 1) (0, 1, 3, 2, 4) (64, 32, 4, 8, 1) (64, 32, 4, 8, 1)\n'
      '(60, 1, 3, 15) (0, 3, 2, 1) (60, 1, 3, 15) (60, 1, 3, 15)\n'
      '(8, 1) (0, 1) (8, 1) (8, 1)\n'
      '(5, 1) (0, 1) (5, 1) (5, 1)\n'
      '(48, 4, 16, 1) (0, 2, 1, 3) (32, 4, 16, 1) (32, 4, 16, 1)\n'
      '(30, 1, 15, 3) (0, 2, 3, 1) (30, 1, 15, 3) (30, 1, 15, 3)\n'
      '(6, 30, 90, 6, 1) (2, 1, 3, 0, 4) (3, 15, 45, 3, 1) (3, 15, 45, 3, 1)\n'
      '(96, 48, 4, 16, 1) (0, 1, 3, 2, 4) (96, 48, 4, 16, 1) (96, 48, 4, 16, 1)\n'
      '(1, 2, 6) (2, 1, 0) (1, 2, 6) (1, 2, 6)\n'
      '(2,) (0,) (1,) (1,)\n'
      '(2, 75, 15, 3) (1, 2, 3, 0) (1, 50, 10, 2) (1, 50, 10, 2)\n'
      '(1, 3, 12) (2, 1, 0) (1, 3, 12) (1, 3, 12)\n'
      '(4, 1, 10) (2, 0, 1) (2, 1, 6) (2, 1, 6)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(20, 1, 10, 5) (0, 2, 3, 1) (20, 1, 10, 5) (20, 1, 10, 5)\n'
      '(3, 9, 1) (1, 0, 2) (3, 6, 1) (3, 6, 1)\n'
      '(2, 16, 8, 80, 1) (3, 1, 2, 0, 4) (2, 16, 8, 80, 1) (2, 16, 8, 80, 1)\n'
      '(100, 1, 20, 4) (0, 2, 3, 1) (100, 1, 20, 4) (100, 1, 20, 4)\n'
      '(1, 12, 3) (1, 2, 0) (1, 12, 3) (1, 12, 3)\n'
      '(12, 1, 4) (0, 2, 1) (8, 1, 4) (8, 1, 4)\n'
      '(60, 15, 30, 1, 3) (0, 2, 1, 4, 3) (24, 6, 12, 1, 3) (24, 6, 12, 1, 3)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(2, 1) (0, 1) (2, 1) (2, 1)\n'
      '(96, 4, 192, 16, 1) (2, 0, 3, 1, 4) (48, 4, 96, 16, 1) (48, 4, 96, 16, 1)\n'
      '(24, 1, 6, 2) (0, 2, 3, 1) (24, 1, 6, 2) (24, 1, 6, 2)\n'
      '(20, 1, 4, 2) (0, 2, 3, 1) (20, 1, 4, 2) (20, 1, 4, 2)\n'
      '(4, 1) (0, 1) (4, 1) (4, 1)\n'
      '(12, 4, 1, 96, 48) (3, 4, 0, 1, 2) (6, 2, 1, 48, 24) (6, 2, 1, 48, 24)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(3, 1, 9) (2, 0, 1) (3, 1, 9) (3, 1, 9)\n'
      '(1,) (0,) (1,) (1,)\n'
      '(1, 20, 4) (1, 2, 0) (1, 20, 4) (1, 20, 4)\n')),
    ('cfloat_cdouble',
     ('print(torch.tensor([1., 2.]).cfloat(), torch.tensor([1, 2]).cdouble(), torch.ten'
      'sor([1., 2.], dtype=torch.float64).cfloat().dtype, torch.randn(2).cdouble())'),
     ('tensor([1.+0.j, 2.+0.j]) tensor([1.+0.j, 2.+0.j], dtype=torch.complex128) torch.'
      'complex64 tensor([ 1.5410+0.j, -0.2934+0.j], dtype=torch.complex128)\n')),
]

CASES = [(name, guarded_program(code, SETUP), out) for name, code, out in _CASES]
test_gd_prints_pytorchs_text, test_the_text_is_pytorchs = literal_table(CASES)
