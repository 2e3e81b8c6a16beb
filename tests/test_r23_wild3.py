"""Round 23, real tensor-basics scripts from public repositories (tensor creation, shape
manipulation, printing, nn.Module printing): the classes they found, each as a small program
of our own compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# A container's extend takes any iterable, as PyTorch's tests it (collections.abc.Iterable):
# another ModuleList, a Sequential, a ParameterList, a generator, a string; a tensor is
# iterable too (its rows then fail as modules). Only values without __iter__ are refused.
_CONTAINER_EXTEND = """
import torch
import torch.nn as nn
blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
blocks.extend(nn.ModuleList([nn.Linear(3, 3)]))
blocks.extend(nn.Sequential(nn.ReLU(), nn.Tanh()))
blocks.extend(layer for layer in [nn.Sigmoid()])
blocks += nn.ModuleList([nn.ELU()])
print(len(blocks))
print(blocks)
seq = nn.Sequential(nn.ReLU())
seq.extend(nn.ModuleList([nn.Tanh()]))
print(seq)
plist = nn.ParameterList([nn.Parameter(torch.ones(2))])
plist.extend(nn.ParameterList([nn.Parameter(torch.zeros(3))]))
plist.extend(nn.ModuleList([nn.ReLU()]))
print(len(plist), plist[1].shape)
for bad in (torch.ones(2), nn.Linear(1, 1), nn.ModuleDict({"a": nn.ReLU()}), None, 2.5,
            True, "ab", nn.ParameterList([nn.Parameter(torch.ones(1))])):
    try:
        nn.ModuleList().extend(bad)
        print("extended")
    except TypeError as e:
        print(type(e).__name__, e)
for bad in (torch.ones(2), nn.Linear(1, 1), 3, None):
    try:
        nn.ParameterList().extend(bad)
    except TypeError as e:
        print(type(e).__name__, e)
"""


def test_container_extend_takes_what_pytorch_calls_iterable() -> None:
    assert gd_output(_CONTAINER_EXTEND) == torch_output(_CONTAINER_EXTEND)


# Their siblings ModuleDict.update and ParameterDict.update: another dict container, a
# mapping's items, pairs; PyTorch's messages for a value that is no iterable (its
# "ParametersDict" spelling), an element that is none, or one of the wrong length.
_DICT_UPDATE = """
import torch
import torch.nn as nn
heads = nn.ModuleDict({"a": nn.ReLU()})
heads.update(nn.ModuleDict({"b": nn.Tanh()}))
heads.update([("c", nn.ELU())])
heads.update({"d": nn.Sigmoid()}.items())
print(heads)
weights = nn.ParameterDict({"w": nn.Parameter(torch.ones(1))})
weights.update(nn.ParameterDict({"v": nn.Parameter(torch.zeros(2))}))
print(weights)
for D in (nn.ModuleDict, nn.ParameterDict):
    for bad in (nn.ReLU(), 3, None, torch.ones(2), "ab", [torch.ones(2)], [[1, 2, 3]], [5],
                [torch.tensor(1.0)]):
        try:
            D().update(bad)
            print("updated")
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
"""


def test_dict_containers_update_as_pytorch_checks_pairs() -> None:
    assert gd_output(_DICT_UPDATE) == torch_output(_DICT_UPDATE)
