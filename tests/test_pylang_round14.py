"""Round 14: more of the Python around real PyTorch scripts (classes deriving from dict,
list, set and tuple; bytes; NamedTuple classes with methods; ...): each program prints what
Python with PyTorch prints. The expected text is CPython's, held as a literal; it is also
compared live under torch.
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

CASES: list[tuple[str, str, str]] = [
    ('container_subclasses',
     'import torch, json, copy\n'
     'class AttrDict(dict):\n'
     '    def __init__(self, *a, **k):\n'
     '        super().__init__(*a, **k)\n'
     '        self.__dict__ = self\n'
     'cfg = AttrDict(lr=0.1, layers=[2, 3])\n'
     'cfg.epochs = 5\n'
     "print(cfg, cfg.lr, cfg['epochs'], len(cfg), list(cfg.keys()), 'lr' in cfg, sorte"
     'd(cfg.items(), key=lambda kv: kv[0])[0])\n'
     "print(json.dumps(cfg), dict(cfg), {**cfg, 'x': 1}, cfg == {'lr': 0.1, 'layers': "
     "[2, 3], 'epochs': 5})\n"
     'class Upper(dict):\n'
     '    def __setitem__(self, k, v):\n'
     '        super().__setitem__(k.upper(), v)\n'
     '    def __getitem__(self, k):\n'
     '        return super().__getitem__(k.upper())\n'
     "u = Upper(); u['a'] = torch.tensor([1.0, 2.0]); print(u['A'], u['a'], u, repr(u)"
     ', str(u))\n'
     'try:\n'
     "    u['zz']\n"
     'except KeyError as e:\n'
     "    print('KeyError', e)\n"
     'try:\n'
     '    hash(u)\n'
     'except TypeError as e:\n'
     '    print(e)\n'
     'class Meter(list):\n'
     '    def __init__(self, name):\n'
     '        super().__init__()\n'
     '        self.name = name\n'
     '    def avg(self):\n'
     '        return sum(self) / max(len(self), 1)\n'
     '    def __repr__(self):\n'
     '        return f"Meter({self.name}, {list.__repr__(self) if False else list(self)})"\n'
     'm = Meter("loss"); m.append(1.0); m.extend([2.0, 3.0]); m += [4.0]\n'
     'print(m, m.avg(), m[-1], m[1:3], len(m), m + [5.0], [0.0] + m, isinstance(m, lis'
     't), type(m).__name__, m.name)\n'
     'm.sort(reverse=True); print(list(m), m.pop(), m.index(3.0), m.count(2.0), sorted'
     '(m), max(m), torch.tensor(m))\n'
     'for i, v in enumerate(m):\n'
     '    print(i, v)\n'
     'class Stack(list):\n'
     '    def push(self, x):\n'
     '        self.append(x)\n'
     '    def peek(self):\n'
     '        return self[-1]\n'
     's = Stack([1, 2]); s.push(3); print(s, s.peek(), bool(Stack()), bool(s), s == [1'
     ', 2, 3], s * 2, list(reversed(s)))\n'
     'class Batch(dict):\n'
     '    def to(self, dev):\n'
     '        return Batch({k: v.to(dev) for k, v in self.items()})\n'
     '    def __getattr__(self, k):\n'
     '        try:\n'
     '            return self[k]\n'
     '        except KeyError:\n'
     '            raise AttributeError(k)\n'
     "b = Batch(x=torch.ones(2), y=torch.zeros(1)).to('cpu'); print(b.x, b, type(b).__name__)\n"
     'try:\n'
     '    b.nope\n'
     'except AttributeError as e:\n'
     "    print('AttributeError', e)\n"
     'class DD(dict):\n'
     '    def __missing__(self, key):\n'
     '        v = self[key] = []\n'
     '        return v\n'
     "d = DD(); d['a'].append(1); d['a'].append(2); print(d, d.get('b'), d.setdefault("
     "'c', 0), copy.deepcopy(d), copy.copy(d))\n"
     'class Vec(tuple):\n'
     '    def norm(self):\n'
     '        return sum(v * v for v in self) ** 0.5\n'
     'v = Vec([3, 4]); print(v, v.norm(), v[0], len(v), v + (1,), hash(v) == hash((3, '
     '4)), isinstance(v, tuple))\n'
     'class Tags(set):\n'
     '    def add_all(self, *xs):\n'
     '        for x in xs:\n'
     '            self.add(x)\n'
     "t = Tags(); t.add_all('b', 'a'); print(sorted(t), 'a' in t, len(t), t | {'c'} =="
     " {'a', 'b', 'c'})\n"
     'class Sub(AttrDict):\n'
     '    pass\n'
     'print(Sub(a=1).a, isinstance(Sub(), dict), isinstance(Sub(), AttrDict))\n'
     "print(vars(cfg)['lr'])\n",
     "{'lr': 0.1, 'layers': [2, 3], 'epochs': 5} 0.1 5 3 ['lr', 'layers', 'epochs'] Tr"
     "ue ('epochs', 5)\n"
     '{"lr": 0.1, "layers": [2, 3], "epochs": 5} {\'lr\': 0.1, \'layers\': [2, 3], \'epochs'
     "': 5} {'lr': 0.1, 'layers': [2, 3], 'epochs': 5, 'x': 1} True\n"
     "tensor([1., 2.]) tensor([1., 2.]) {'A': tensor([1., 2.])} {'A': tensor([1., 2.])"
     "} {'A': tensor([1., 2.])}\n"
     "KeyError 'ZZ'\n"
     "unhashable type: 'Upper'\n"
     'Meter(loss, [1.0, 2.0, 3.0, 4.0]) 2.5 4.0 [2.0, 3.0] 4 [1.0, 2.0, 3.0, 4.0, 5.0]'
     ' [0.0, 1.0, 2.0, 3.0, 4.0] True Meter loss\n'
     '[4.0, 3.0, 2.0, 1.0] 1.0 1 1 [2.0, 3.0, 4.0] 4.0 tensor([4., 3., 2.])\n'
     '0 4.0\n'
     '1 3.0\n'
     '2 2.0\n'
     '[1, 2, 3] 3 False True True [1, 2, 3, 1, 2, 3] [3, 2, 1]\n'
     "tensor([1., 1.]) {'x': tensor([1., 1.]), 'y': tensor([0.])} Batch\n"
     'AttributeError nope\n'
     "{'a': [1, 2], 'c': 0} None 0 {'a': [1, 2], 'c': 0} {'a': [1, 2], 'c': 0}\n"
     '(3, 4) 5.0 3 2 (3, 4, 1) True True\n'
     "['a', 'b'] True 2 True\n"
     '1 True True\n'
     '0.1\n'),
]


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_python_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_literal_is_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert torch_output(program) == expected
