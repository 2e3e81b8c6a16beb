import enum
import itertools
import json
import math
import operator
import string
import sys
from collections import ChainMap
from typing import Any, Callable, Iterator, NamedTuple, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F


class Split(enum.Enum):
    TRAIN = "train"
    VAL = "val"


class Stat(NamedTuple):
    mean: float
    std: float = 1.0


def summarize(t: torch.Tensor) -> Stat:
    return Stat(t.mean().item(), t.std().item())


def pipeline(*fns: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(x):
        for fn in fns:
            x = fn(x)
        return x
    return run


def windows(seq, n) -> Iterator[Tuple[int, ...]]:
    it = iter(seq)
    win = tuple(itertools.islice(it, n))
    if len(win) == n:
        yield win
    for e in it:
        win = win[1:] + (e,)
        yield win


torch.manual_seed(1)
x = torch.randn(6)
s = summarize(x)
print(s, s.mean == s[0], s._asdict().keys(), s._replace(std=2.0))
print(Split.TRAIN, Split("val"), Split.TRAIN.value, [m.name for m in Split])
f = pipeline(torch.abs, torch.sqrt, lambda t: t.sum())
print(f(x))
print(list(windows(range(5), 3)))
print(sorted(x.tolist(), reverse=True)[:2])
idx = sorted(range(len(x)), key=lambda i: x[i])
print(idx, x.argsort().tolist() == idx)
print(list(itertools.groupby([1, 1, 2, 3, 3]))[0][0], list(itertools.combinations(range(3), 2)))
print(list(itertools.zip_longest([1, 2], [3], fillvalue=0)), list(itertools.starmap(pow, [(2, 3)])))
print(operator.itemgetter(1)([5, 6]), operator.attrgetter("shape")(x), operator.mul(2, 3))
cm = ChainMap({"lr": 0.1}, {"lr": 1.0, "wd": 0.0})
print(cm["lr"], cm["wd"], len(cm))
d = {"w": x[:2].tolist(), "name": "m", "ok": True, "none": None}
print(json.dumps(d, indent=None, sort_keys=True))
print(json.loads('{"a": [1, 2.5]}'))
print(string.ascii_lowercase[:5], "-".join(map(str, range(3))))
print(np.round(x.numpy(), 3).tolist() == [round(v, 3) for v in x.tolist()])
print(F.softmax(x, dim=0).sum().item() == 1.0 or abs(F.softmax(x, dim=0).sum().item() - 1) < 1e-6)
v: Union[int, float] = 3
print(isinstance(v, (int, float)), isinstance(x, torch.Tensor), type(x).__name__)
print(sys.version_info >= (3, 8), sys.maxsize > 2**31, math.inf > 1e308)
print(any(t > 2 for t in x), all(torch.isfinite(x)), sum(x) == x.sum())
print(divmod(7, 2), abs(-x[0]), pow(2, 10), hex(255), bin(5), chr(65), ord("a"))
print(x.tolist()[::2], x[::2], x[-1], x[[0, 2]])
a, *rest = x.tolist()
print(len(rest), round(a, 4))
print({k: round(v, 2) for k, v in zip("abc", x.tolist())})
print(set(torch.tensor([1, 1, 2]).tolist()), frozenset({1}))
print(" ".join(f"{v:+.2f}" for v in x))
print(str(x.shape), list(x.shape), tuple(x.size()), x.size(0), x.shape[-1])
