"""Round 24, real model / nn.Module scripts from public repositories (layers, losses,
hooks, RNNs, attention, training steps): the classes they found, each as a small program
of our own compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, masked, torch_output

# A grad_fn's methods taken as values print with the node's own class name, as PyTorch's
# C++ node types are named for their op (`<built-in method name of DivBackward1 object>`),
# an AccumulateGrad's likewise; a Tensor's stay Tensor's.
_NODE_METHOD_REPR = """
import torch
w = torch.ones(3, requires_grad=True)
loss = (w * 2).sum() / 3
print(loss.grad_fn.name)
print(loss.grad_fn.register_hook)
print(loss.grad_fn.next_functions[0][0].name)
print(loss.grad_fn.next_functions[0][0].name())
print(w.sum)
"""


def test_grad_fn_methods_print_with_the_node_class_name() -> None:
    assert masked(gd_output(_NODE_METHOD_REPR)) == masked(torch_output(_NODE_METHOD_REPR))


# PackedSequence is a named tuple: Python's argument errors name its __new__ and count its
# cls (`PackedSequence.__new__() missing 1 required positional argument: 'data'`).
_PACKED_ARGUMENT_ERRORS = """
import torch
import torch.nn.utils.rnn as rnn_utils
for args, kwargs in (((), {}), ((torch.ones(2), torch.tensor([2]), None, None, 5), {}),
                     ((torch.ones(2),), {"bad": 1})):
    try:
        rnn_utils.PackedSequence(*args, **kwargs)
    except TypeError as e:
        print(type(e).__name__, e)
print(rnn_utils.PackedSequence(torch.ones(2), torch.tensor([2])))
"""


def test_packed_sequence_argument_errors_name_its_new() -> None:
    assert gd_output(_PACKED_ARGUMENT_ERRORS) == torch_output(_PACKED_ARGUMENT_ERRORS)


# A batch_first LSTM's output is ATen's out-of-place transpose on every path (oneDNN's
# float32 layer, projections, float64: TransposeBackward0); GRU's and RNN's stay its
# in-place transpose_ (TransposeBackward1).
_BATCH_FIRST_OUTPUT_NODE = """
import torch
import torch.nn as nn
torch.manual_seed(0)
for dtype in (torch.float32, torch.float64):
    x = torch.randn(2, 4, 3, dtype=dtype)
    for layer in (nn.LSTM(3, 4, batch_first=True), nn.LSTM(3, 4, batch_first=True, proj_size=2),
                  nn.LSTM(3, 3, 2, batch_first=True, bidirectional=True, proj_size=1),
                  nn.GRU(3, 4, batch_first=True), nn.RNN(3, 2, batch_first=True)):
        out = layer.to(dtype)(x)[0]
        print(type(layer).__name__, out.grad_fn.name(), out.is_contiguous(), tuple(out.shape))
"""


def test_batch_first_lstm_output_is_an_out_of_place_transpose() -> None:
    assert gd_output(_BATCH_FIRST_OUTPUT_NODE) == torch_output(_BATCH_FIRST_OUTPUT_NODE)
