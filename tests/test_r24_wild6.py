"""Round 24, snippets from question-and-answer threads and blog posts (grad is None, leaf
tensors, in-place errors, views, dtypes, constructors, errors caught and printed): the
classes they found, each as a small program of our own compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# torch.Tensor(t) and the legacy torch.FloatTensor(t) & co. of a tensor are its alias: the
# same storage both ways (a write through either shows in the other), whatever the dtype
# for torch.Tensor, AliasBackward0 where t requires grad, a leaf otherwise.
_LEGACY_ALIAS = """
import torch
src = torch.tensor([0.5, 1.5, 2.5])
for make in (torch.Tensor, torch.FloatTensor):
    view = make(src)
    src[1] = -4.0
    view[2] = 8.0
    print(view, src, view.is_leaf, view.requires_grad)
counts = torch.tensor([3, 4])
same = torch.Tensor(counts)
same[0] = 30
print(counts, same.dtype)
longs = torch.LongTensor(counts)
longs[1] = 40
print(counts)
w = torch.full((2,), 2.0, requires_grad=True)
a = torch.Tensor(w)
print(a, a.is_leaf)
(a * a).sum().backward()
print(w.grad)
print(torch.FloatTensor(w * 3))
print(torch.Tensor(torch.arange(6.0).reshape(2, 3)[:, 1]))
"""


def test_legacy_constructor_of_a_tensor_is_its_alias() -> None:
    assert gd_output(_LEGACY_ALIAS) == torch_output(_LEGACY_ALIAS)


# An element a dtype's conversion refuses: None, a string, a complex number into a real
# dtype, a float tensor into an integer or bool dtype. PyTorch raises TypeError with its
# own words (numpy would parse the string, make None a nan, take a complex's truth).
_ELEMENTS = """
import torch
for dtype in (torch.float32, torch.float64, torch.int64, torch.int32, torch.uint8,
              torch.bool, torch.complex64):
    for data in ([2, 3j], [1.5, "7"], [4, None], [[1, 2], [0, 1j]], [torch.tensor(0.5)],
                 [torch.tensor(2)]):
        try:
            print(dtype, torch.tensor(data, dtype=dtype))
        except TypeError as e:
            print(dtype, "TypeError", e)
for make in (torch.Tensor, torch.FloatTensor, torch.LongTensor):
    for data in ([1, 2j], ["3", 4], [5, None]):
        try:
            print(make(data))
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
"""


def test_constructor_refuses_elements_as_pytorch_does() -> None:
    assert gd_output(_ELEMENTS) == torch_output(_ELEMENTS)


# An inference tensor keeps no version counter: reading x._version of one raises, inside
# inference_mode and after it; tensors made under no_grad keep theirs.
_INFERENCE_VERSION = """
import torch
p = torch.ones(3, requires_grad=True)
with torch.inference_mode():
    made = torch.zeros(2)
    doubled = p * 2
    try:
        print(made._version)
    except RuntimeError as e:
        print("RuntimeError", e)
for t in (doubled, made):
    try:
        print(t._version)
    except RuntimeError as e:
        print("RuntimeError", e)
with torch.no_grad():
    kept = p * 3
kept.mul_(2)
print(kept._version, p._version, kept.is_inference())
"""


def test_inference_tensor_has_no_version_counter() -> None:
    assert gd_output(_INFERENCE_VERSION) == torch_output(_INFERENCE_VERSION)


# torch.meshgrid and torch.cartesian_prod (a meshgrid underneath) never promote: tensors of
# two dtypes are refused, an int with a float one, float32 with float64, an empty float
# tensor beside an int one (a blog's "empty product" now raises).
_MESHGRID_DTYPES = """
import torch
pairs = [(torch.tensor([1, 2]), torch.tensor([0.5])),
         (torch.tensor([1.0]), torch.tensor([2.0], dtype=torch.float64)),
         (torch.tensor([3, 4]), torch.tensor([])),
         (torch.tensor([1.0, 2.0]), torch.tensor([5.0, 6.0]))]
for a, b in pairs:
    for name in ("meshgrid", "cartesian_prod"):
        try:
            out = torch.meshgrid(a, b, indexing="xy") if name == "meshgrid" \\
                else torch.cartesian_prod(a, b)
            print(name, out)
        except RuntimeError as e:
            print(name, "RuntimeError", e)
"""


def test_meshgrid_refuses_mixed_dtypes() -> None:
    assert gd_output(_MESHGRID_DTYPES) == torch_output(_MESHGRID_DTYPES)


# A tensor of several elements inside a list given to torch.tensor: the words depend on
# the dtype it is read into (an integer or bool one reads an index: TypeError; a float
# one reads a scalar: ValueError).
_TENSOR_OF_TENSORS = """
import torch
rows = [torch.tensor([1, 2]), torch.tensor([3, 4])]
for data, dtype in ((rows, None), (rows, torch.float32), ([torch.ones(2)], None),
                    ([torch.tensor([True, False])], None), ([torch.tensor([7])], None),
                    ([torch.ones(2)], torch.int64), ([torch.zeros(0)], None)):
    try:
        print(torch.tensor(data, dtype=dtype))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
"""


def test_tensor_of_multi_element_tensors_error_words() -> None:
    assert gd_output(_TENSOR_OF_TENSORS) == torch_output(_TENSOR_OF_TENSORS)


# An index of two dimensions to the index_* family: each op has its own words and class
# (index_fill: RuntimeError; index_copy_, index_add_, index_select: IndexError).
_INDEX_NOT_VECTOR = """
import torch
base = torch.arange(9.0).reshape(3, 3)
grid = torch.tensor([[2], [0]])
calls = {"index_fill_": lambda t: t.index_fill_(1, grid, -1.0),
         "index_fill": lambda t: t.index_fill(0, grid, 5.0),
         "index_copy_": lambda t: t.index_copy_(0, grid, torch.ones(2, 3)),
         "index_add_": lambda t: t.index_add_(1, grid, torch.ones(3, 2)),
         "index_select": lambda t: torch.index_select(t, 0, grid)}
for name, call in calls.items():
    try:
        call(base.clone())
    except (RuntimeError, IndexError) as e:
        print(name, type(e).__name__, e)
"""


def test_index_family_two_dim_index_words() -> None:
    assert gd_output(_INDEX_NOT_VECTOR) == torch_output(_INDEX_NOT_VECTOR)


# repeat_interleave's counts must be an integer tensor of at most one dimension, none
# negative: a float or bool tensor of counts (even one value) has no kernel
# (NotImplementedError, never a silent truncation), a 2-D one and a negative count are
# RuntimeErrors, with the counts-only form too.
_REPEAT_COUNTS = """
import torch
rows = torch.tensor([[1, 2], [3, 4]])
for counts in (torch.tensor([2.0, 1.0]), torch.tensor([True, True]), torch.tensor(3.0),
               torch.tensor([[1, 2]]), torch.tensor([1, -1]), torch.tensor([0, 2]),
               torch.tensor([1, 3], dtype=torch.int32)):
    for call in (lambda: torch.repeat_interleave(rows, counts, dim=0),
                 lambda: torch.repeat_interleave(counts)):
        try:
            print(call())
        except RuntimeError as e:
            print(type(e).__name__, e)
"""


def test_repeat_interleave_counts_checked() -> None:
    assert gd_output(_REPEAT_COUNTS) == torch_output(_REPEAT_COUNTS)
