"""Round 25, utility functions from real projects (metrics, box ops, masks, encodings,
sampling, one-hot helpers): the classes they found, each as a small program of our own
compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# A tensor keeps the attributes a program sets on it (its __dict__): read back, removed by
# del, shadowing a method, copied by deepcopy but not by a Parameter's
# deepcopy, and absent from views, clones and detached tensors. Properties stay read-only.
_TENSOR_OWN_ATTRIBUTES = """
import copy
import torch
buf = torch.zeros(3)
buf.require_grad = False
buf.label = "table"
print(buf.require_grad, buf.label, hasattr(buf, "label"), getattr(buf, "nope", 7))
buf.label += "!"
print(buf.label)
print(hasattr(buf.unsqueeze(0), "label"), hasattr(buf.clone(), "label"),
      hasattr(buf.detach(), "label"), hasattr(buf[:2], "label"))
twin = copy.deepcopy(buf)
print(twin.label, twin is buf)
buf.sum = 11
print(buf.sum, torch.ones(2).sum())
del buf.label
print(hasattr(buf, "label"))
w = torch.nn.Parameter(torch.ones(2))
w.tag = [1]
print(w.tag, hasattr(copy.deepcopy(w), "tag"))
for name in ("shape", "T", "name"):
    try:
        setattr(buf, name, 1)
    except AttributeError as e:
        print("AttributeError", e)
try:
    del buf.missing
except AttributeError as e:
    print("AttributeError", e)
"""


def test_a_tensor_keeps_attributes_the_program_sets() -> None:
    assert gd_output(_TENSOR_OWN_ATTRIBUTES) == torch_output(_TENSOR_OWN_ATTRIBUTES)


# The legacy constructors read their arguments as PyTorch's does: a device keyword (a CPU
# one) is accepted with sizes or data but refused with a tensor; a torch.Size and a numpy
# integer are sizes; a lone float, bool or str is no data; a negative size is named.
# Tensor.new reads its arguments alike.
_LEGACY_CONSTRUCTOR_ARGUMENTS = """
import numpy as np
import torch
t = torch.tensor([3, 4])
makers = [
    lambda: torch.LongTensor(t, device="cpu"),
    lambda: torch.FloatTensor(t.float(), device=None),
    lambda: torch.Tensor(t.float(), device=torch.device("cpu")),
    lambda: torch.LongTensor([5, 6], device="cpu"),
    lambda: torch.Tensor([1.5], device="cpu"),
    lambda: torch.DoubleTensor(2, device="cpu").shape,
    lambda: torch.LongTensor(torch.Size([2, 3])).shape,
    lambda: torch.Tensor(torch.Size([4])).shape,
    lambda: torch.FloatTensor(np.int64(3)).shape,
    lambda: torch.Tensor(0.5),
    lambda: torch.IntTensor(True),
    lambda: torch.Tensor("x"),
    lambda: torch.Tensor(2, -1),
    lambda: torch.LongTensor(-3),
    lambda: torch.LongTensor(t),
    lambda: t.new(t, device="cpu"),
    lambda: t.new([7], device="cpu"),
    lambda: t.new(1.5),
    lambda: t.new(torch.Size([1, 2])).shape,
]
for make in makers:
    try:
        print(make())
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
"""


def test_legacy_constructors_read_their_arguments_as_pytorch() -> None:
    assert gd_output(_LEGACY_CONSTRUCTOR_ARGUMENTS) == torch_output(
        _LEGACY_CONSTRUCTOR_ARGUMENTS)


# The index dtype each index-taking op accepts, and its words when it refuses one:
# scatter/gather/index_select/index_add take int32 and int64, take/put/index_copy/
# index_fill/take_along_dim int64 only, embedding int32/int64; int16 and uint8 indices
# are refused everywhere (not read as integers).
_INDEX_DTYPES = """
import torch
x = torch.zeros(2, 3)
src = torch.arange(6.).reshape(2, 3)
for dt in (torch.float32, torch.int32, torch.int16, torch.uint8, torch.bool):
    i2 = torch.tensor([[2, 0, 1], [1, 1, 0]]).to(dt)
    i1 = torch.tensor([1, 0]).to(dt)
    ops = [
        ("scatter", lambda: x.scatter(1, i2, 2.0)),
        ("scatter_add", lambda: x.scatter_add(1, i2, src)),
        ("scatter_reduce", lambda: x.scatter_reduce(1, i2, src, "amax")),
        ("gather", lambda: src.gather(1, i2)),
        ("take_along_dim", lambda: torch.take_along_dim(src, i2, 1)),
        ("index_select", lambda: src.index_select(1, i1)),
        ("index_add", lambda: x.index_add(0, i1, src)),
        ("index_copy", lambda: x.index_copy(0, i1, src)),
        ("index_fill", lambda: x.index_fill(1, i1, -1.0)),
        ("take", lambda: src.take(i1)),
        ("put", lambda: x.put(i1, torch.tensor([5.0, 6.0]))),
        ("embedding", lambda: torch.nn.functional.embedding(i1, src)),
    ]
    for name, op in ops:
        try:
            print(dt, name, op().tolist())
        except (RuntimeError, IndexError) as e:
            print(dt, name, type(e).__name__, e)
"""


def test_index_ops_check_the_index_dtype_as_pytorch() -> None:
    assert gd_output(_INDEX_DTYPES) == torch_output(_INDEX_DTYPES)


# A uint8 tensor in x[...] is a mask, as a bool one (deprecated: PyTorch warns), never a
# list of integer positions; storing through one is refused; an int8/int16 index tensor
# is no index, but a 0-d one is an integer.
_UINT8_MASK_INDEX = """
import torch
x = torch.arange(12.).reshape(3, 4)
keep = torch.tensor([1, 0, 1], dtype=torch.uint8)
print(x[keep])
print(x[:, (x[0] > 1).to(torch.uint8)])
print(x[x.to(torch.uint8) > 5])
print(x[torch.tensor(1, dtype=torch.uint8)].shape, x[torch.tensor(2, dtype=torch.int16)])
try:
    x[keep] = 0.0
except RuntimeError as e:
    print("RuntimeError", e)
try:
    print(x[torch.tensor([0, 2], dtype=torch.int16)])
except IndexError as e:
    print("IndexError", e)
"""


def test_a_uint8_index_tensor_is_a_mask() -> None:
    assert gd_output(_UINT8_MASK_INDEX) == torch_output(_UINT8_MASK_INDEX)


# `numbers`: the abstract numeric classes helpers test arguments against (isinstance(x,
# numbers.Number) before scaling by it): Python's numbers and numpy's scalars are
# instances down the tower (Number, Complex, Real, Rational, Integral), a tensor, a
# numpy bool, a list and a string are not.
_NUMBERS_MODULE = """
import numbers
import numpy as np
import torch
values = [3, False, 0.25, 2j, np.float32(0.5), np.int16(4), np.bool_(True),
          torch.tensor(1.0), torch.tensor(2).item(), [1], "1", np.ones(2)]
for kind in (numbers.Number, numbers.Complex, numbers.Real, numbers.Rational,
             numbers.Integral):
    print(kind, [isinstance(v, kind) for v in values])
def scaled(x, by):
    return x * by if isinstance(by, numbers.Number) else x @ by
print(scaled(torch.ones(2), 2), scaled(torch.ones(2), torch.full((2,), 3.0)))
print(isinstance(1.5, (numbers.Integral, str)), isinstance(7, (str, numbers.Real)))
"""


def test_numbers_module_classes() -> None:
    assert gd_output(_NUMBERS_MODULE) == torch_output(_NUMBERS_MODULE)
