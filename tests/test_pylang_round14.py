"""Round 14: more of the Python around real PyTorch scripts (classes deriving from dict,
list, set and tuple; bytes; NamedTuple classes with methods; ...): each program prints what
Python with PyTorch prints. The expected text is CPython's, held as a literal; it is also
compared live under torch.
"""

from __future__ import annotations

from pyrun import gd_output, literal_table

CASES: list[tuple[str, str, str]] = [
    ('bytes_values',
     'import torch\n'
     "b = b'hello'\n"
     'print(b, len(b), b[0], b[1:3], b.decode(), repr(b), type(b).__name__, type(b))\n'
     "ba = bytearray(b'ab')\n"
     'ba.append(99)\n'
     'ba[0] = 65\n'
     "ba.extend(b'!!')\n"
     "print(ba, bytes(ba), list(b), b + b'!', b * 2, b'x' in b'xyz', b.upper(), 'é'.en"
     "code('utf-8'), 'é'.encode())\n"
     "print(bytes([65, 66]), bytes(3), b.hex(), bytes.fromhex('4142'), b == b'hello', "
     "hash(b'ab') == hash(b'ab'))\n"
     "print(b'a,b,c'.split(b','), b'-'.join([b'x', b'y']), b'  pad '.strip(), b.starts"
     "with(b'he'), b.find(b'l'), b.count(b'l'))\n"
     'print(b\'\\x00\\xff\\n\\t\\\\\', rb\'\\x00\', b\'abc\' b\'def\', b"it\'s", len(b\'\\x4'
     "1'), isinstance(b, bytes), isinstance(ba, bytearray))\n"
     "print(b'caf\\xc3\\xa9'.decode('utf-8'), b'\\xff'.decode('latin-1'), b'\\xff'.decode("
     "'utf-8', errors='replace'))\n"
     'try:\n'
     "    b'\\xff'.decode('utf-8')\n"
     'except UnicodeDecodeError as e:\n'
     '    print(type(e).__name__, e)\n'
     'try:\n'
     "    b'\\xff'.decode()\n"
     'except ValueError as e:\n'
     '    print(type(e).__name__)\n'
     "for x in b'hi':\n"
     '    print(x)\n'
     'print(sorted(b\'cab\'), max(b\'az\'), f"{b\'x\'}", str(b\'q\'), [b\'a\', b\'b\'], {b'
     "'k': 1}, (b'',))\n"
     "print(ba.pop(), ba, b'ab' < b'b', torch.tensor(list(b'ab')), bytearray(2), bytes"
     '(range(3)))\n'
     "print(bytearray('hi', 'utf-8'), bytes('hi', 'ascii'), b'%d' % 5 if False else b'"
     "x', b'abc'[::-1], b'abc'[-1])\n"
     'try:\n'
     "    bytes('x')\n"
     'except TypeError as e:\n'
     '    print(e)\n',
     "b'hello' 5 104 b'el' hello b'hello' bytes <class 'bytes'>\n"
     "bytearray(b'Abc!!') b'Abc!!' [104, 101, 108, 108, 111] b'hello!' b'hellohello' T"
     "rue b'HELLO' b'\\xc3\\xa9' b'\\xc3\\xa9'\n"
     "b'AB' b'\\x00\\x00\\x00' 68656c6c6f b'AB' True True\n"
     "[b'a', b'b', b'c'] b'x-y' b'pad' True 2 2\n"
     'b\'\\x00\\xff\\n\\t\\\\\' b\'\\\\x00\' b\'abcdef\' b"it\'s" 1 True True\n'
     'café ÿ �\n'
     "UnicodeDecodeError 'utf-8' codec can't decode byte 0xff in position 0: invalid s"
     'tart byte\n'
     'UnicodeDecodeError\n'
     '104\n'
     '105\n'
     "[97, 98, 99] 122 b'x' b'q' [b'a', b'b'] {b'k': 1} (b'',)\n"
     "33 bytearray(b'Abc!') True tensor([97, 98]) bytearray(b'\\x00\\x00') b'\\x00\\x01\\x02'\n"
     "bytearray(b'hi') b'hi' b'x' b'cba' 99\n"
     'string argument without an encoding\n'),
    ('chainmap',
     'import torch\n'
     'from collections import ChainMap\n'
     'import collections\n'
     "defaults = {'lr': 0.1, 'epochs': 10, 'w': torch.ones(2)}\n"
     "overrides = {'lr': 0.01}\n"
     'cm = ChainMap(overrides, defaults)\n'
     "print(cm['lr'], cm['epochs'], len(cm), sorted(cm), cm.maps[1]['epochs'], dict(cm"
     ")['lr'], 'w' in cm, 'x' in cm)\n"
     'print(cm)\n'
     "cm['batch'] = 32\n"
     "print(overrides, cm.get('nope', -1), cm.get('batch'))\n"
     "child = cm.new_child({'lr': 1.0})\n"
     "print(child['lr'], child.parents['lr'], len(child.maps), type(cm).__name__)\n"
     'for k, v in sorted(child.items(), key=lambda kv: kv[0]):\n'
     '    print(k, v)\n'
     "print(list(cm.keys()), [type(v).__name__ for v in cm.values()], {**cm}['lr'])\n"
     "del cm['batch']\n"
     'try:\n'
     "    del cm['epochs']\n"
     'except KeyError as e:\n'
     "    print('KeyError', e)\n"
     'try:\n'
     "    cm['missing']\n"
     'except KeyError as e:\n'
     "    print('KeyError', e)\n"
     "print(cm.pop('lr'), cm, collections.ChainMap().maps)\n"
     "print(ChainMap({'a': 1}).new_child(), cm.copy() == cm)\n",
     "0.01 10 3 ['epochs', 'lr', 'w'] 10 0.01 True False\n"
     "ChainMap({'lr': 0.01}, {'lr': 0.1, 'epochs': 10, 'w': tensor([1., 1.])})\n"
     "{'lr': 0.01, 'batch': 32} -1 32\n"
     '1.0 0.01 3 ChainMap\n'
     'batch 32\n'
     'epochs 10\n'
     'lr 1.0\n'
     'w tensor([1., 1.])\n'
     "['lr', 'epochs', 'w', 'batch'] ['float', 'int', 'Tensor', 'int'] 0.01\n"
     'KeyError "Key not found in the first mapping: \'epochs\'"\n'
     "KeyError 'missing'\n"
     "0.01 ChainMap({}, {'lr': 0.1, 'epochs': 10, 'w': tensor([1., 1.])}) [{}]\n"
     "ChainMap({}, {'a': 1}) True\n"),
    ('container_subclass_idioms',
     'import torch\n'
     'class Cfg(dict):\n'
     '    pass\n'
     'def f(a, b=2):\n'
     '    return a + b\n'
     'c = Cfg(a=1, b=5)\n'
     'print(f(**c), f(*[1]), max(c, key=c.get), sorted(c.values()), list(zip(c, c.values())))\n'
     'class Vocab(dict):\n'
     '    def __init__(self, words):\n'
     '        super().__init__()\n'
     '        for w in words:\n'
     '            self.setdefault(w, len(self))\n'
     '    def encode(self, ws):\n'
     '        return torch.tensor([self[w] for w in ws])\n'
     'v = Vocab("the cat the dog".split())\n'
     'print(v, v.encode(["cat", "dog"]), len(v), dict(sorted(v.items())), v.copy(), ty'
     'pe(v.copy()).__name__)\n'
     'class Hist(list):\n'
     '    def __str__(self):\n'
     '        return "Hist" + super().__str__()\n'
     'h = Hist([1, 2])\n'
     'print(h, str(h), repr(h), f"{h}", "%s" % h)\n'
     'class DefaultCfg(dict):\n'
     '    def __getattr__(self, name):\n'
     '        return self.get(name, None)\n'
     'd = DefaultCfg(x=1)\n'
     "print(d.x, d.y, d.get('x'), d.keys())\n"
     'class Reg(dict):\n'
     '    def register(self, name):\n'
     '        def deco(fn):\n'
     '            self[name] = fn\n'
     '            return fn\n'
     '        return deco\n'
     'R = Reg()\n'
     '@R.register("sq")\n'
     'def sq(x):\n'
     '    return x * x\n'
     'print(R["sq"](torch.tensor(3.0)), list(R))\n'
     'class Counter2(dict):\n'
     '    def __missing__(self, k):\n'
     '        return 0\n'
     'cc = Counter2()\n'
     'for ch in "abca":\n'
     '    cc[ch] += 1\n'
     "print(cc, cc['z'], 'z' in cc)\n"
     'class L2(list):\n'
     '    def __getitem__(self, i):\n'
     '        if isinstance(i, slice):\n'
     '            return L2(super().__getitem__(i))\n'
     '        return super().__getitem__(i)\n'
     'l2 = L2([1, 2, 3])\n'
     'print(l2[1:], type(l2[1:]).__name__, l2[0], torch.stack([torch.tensor(float(x)) '
     'for x in l2]))\n'
     'print(L2([3, 1]) == [3, 1], sorted(L2([3, 1])), sum(L2([1.5, 2])))\n',
     "6 3 b [1, 5] [('a', 1), ('b', 5)]\n"
     "{'the': 0, 'cat': 1, 'dog': 2} tensor([1, 2]) 3 {'cat': 1, 'dog': 2, 'the': 0} {"
     "'the': 0, 'cat': 1, 'dog': 2} dict\n"
     'Hist[1, 2] Hist[1, 2] [1, 2] Hist[1, 2] Hist[1, 2]\n'
     "1 None 1 dict_keys(['x'])\n"
     "tensor(9.) ['sq']\n"
     "{'a': 2, 'b': 1, 'c': 1} 0 False\n"
     '[2, 3] L2 1 tensor([1., 2., 3.])\n'
     'True [1, 3] 3.5\n'),
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
    ('dataclass_enum',
     'import torch\n'
     'from dataclasses import dataclass, field, asdict, fields, replace, is_dataclass\n'
     'from typing import Optional, List\n'
     'import enum\n'
     '@dataclass\n'
     'class TrainConfig:\n'
     '    lr: float = 3e-4\n'
     '    batch_size: int = 32\n'
     '    betas: tuple = (0.9, 0.999)\n'
     '    tags: List[str] = field(default_factory=lambda: ["a"])\n'
     '    device: Optional[str] = None\n'
     '    count = 0\n'
     '    def __post_init__(self):\n'
     '        self.rng = self.batch_size * 2\n'
     'cfg = TrainConfig(lr=1e-3)\n'
     'print(cfg, cfg.rng, asdict(cfg), [f.name for f in fields(cfg)], is_dataclass(cfg'
     '), TrainConfig.count)\n'
     'print(replace(cfg, batch_size=64).batch_size, cfg == TrainConfig(lr=1e-3))\n'
     '@dataclass\n'
     'class Child(TrainConfig):\n'
     '    extra: int = 1\n'
     'print(Child(), Child(extra=5).extra)\n'
     '@dataclass(eq=False)\n'
     'class Node:\n'
     '    val: torch.Tensor\n'
     '    children: list = field(default_factory=list)\n'
     '    def add(self, n):\n'
     '        self.children.append(n)\n'
     '        return self\n'
     'n = Node(torch.tensor(1.0)).add(Node(torch.tensor(2.0)))\n'
     'print(n.val, len(n.children), n.children[0].val, n == n)\n'
     '@dataclass(frozen=True, order=True)\n'
     'class Ver:\n'
     '    major: int\n'
     '    minor: int = 0\n'
     "print(sorted([Ver(1, 2), Ver(0, 5), Ver(1)]), Ver(1) < Ver(1, 1), {Ver(1): 'x'}["
     'Ver(1)])\n'
     'try:\n'
     '    Ver(1).major = 2\n'
     'except Exception as e:\n'
     '    print(type(e).__name__, e)\n'
     'class Phase(enum.Enum):\n'
     '    TRAIN = "train"\n'
     '    EVAL = "eval"\n'
     '    def is_train(self):\n'
     '        return self is Phase.TRAIN\n'
     'print(Phase("train"), Phase.TRAIN.is_train(), [p.value for p in Phase], Phase.EV'
     'AL in Phase, len(Phase))\n'
     'print(Phase.TRAIN == "train", Phase["EVAL"], f"{Phase.TRAIN}", f"{Phase.TRAIN.va'
     'lue:>8}")\n'
     'try:\n'
     '    Phase("x")\n'
     'except ValueError as e:\n'
     '    print(e)\n',
     "TrainConfig(lr=0.001, batch_size=32, betas=(0.9, 0.999), tags=['a'], device=None"
     ") 64 {'lr': 0.001, 'batch_size': 32, 'betas': (0.9, 0.999), 'tags': ['a'], 'devi"
     "ce': None} ['lr', 'batch_size', 'betas', 'tags', 'device'] True 0\n"
     '64 True\n'
     "Child(lr=0.0003, batch_size=32, betas=(0.9, 0.999), tags=['a'], device=None, extra=1) 5\n"
     'tensor(1.) 1 tensor(2.) True\n'
     '[Ver(major=0, minor=5), Ver(major=1, minor=0), Ver(major=1, minor=2)] True x\n'
     "FrozenInstanceError cannot assign to field 'major'\n"
     "Phase.TRAIN True ['train', 'eval'] True 2\n"
     'False Phase.EVAL Phase.TRAIN    train\n'
     "'x' is not a valid Phase\n"),
    ('generator_return',
     'import torch\n'
     'def gen():\n'
     '    x = yield 1\n'
     '    print("got", x)\n'
     '    yield from range(2)\n'
     '    return 5\n'
     'g = gen(); print(next(g), g.send("hi"), next(g))\n'
     'try:\n'
     '    next(g); next(g)\n'
     'except StopIteration as e:\n'
     '    print("stop", e.value, repr(e), str(e), e.args)\n'
     'def plain():\n'
     '    yield torch.ones(1)\n'
     'p = plain(); next(p)\n'
     'try:\n'
     '    next(p)\n'
     'except StopIteration as e:\n'
     '    print("stop", e.value, repr(e), e.args)\n'
     'def inner():\n'
     '    yield 1\n'
     '    return "done"\n'
     'def outer():\n'
     '    r = yield from inner()\n'
     '    print("inner returned", r)\n'
     '    return r * 2\n'
     'o = outer()\n'
     'for v in o:\n'
     '    print(v)\n'
     'try:\n'
     '    next(o)\n'
     'except StopIteration as e:\n'
     '    print(repr(e.value))\n'
     'def counter(n):\n'
     '    total = 0\n'
     '    while True:\n'
     '        x = yield total\n'
     '        if x is None:\n'
     '            return total\n'
     '        total += x\n'
     'c = counter(0); next(c); c.send(2); c.send(3)\n'
     'try:\n'
     '    c.send(None)\n'
     'except StopIteration as e:\n'
     '    print("total", e.value)\n'
     'print(next(iter([]), "default"))\n'
     'try:\n'
     '    next(iter([]))\n'
     'except StopIteration as e:\n'
     '    print(repr(e), e.value)\n',
     'got hi\n'
     '1 0 1\n'
     'stop 5 StopIteration(5) 5 (5,)\n'
     'stop None StopIteration() ()\n'
     '1\n'
     'inner returned done\n'
     'None\n'
     'total 5\n'
     'default\n'
     'StopIteration() None\n'),
    ('generic_classes',
     'import torch\n'
     'from typing import TypeVar, Generic, Optional, List, Dict, Callable\n'
     "T = TypeVar('T')\n"
     "K = TypeVar('K')\n"
     'class Box(Generic[T]):\n'
     '    def __init__(self, v: T) -> None:\n'
     '        self.v = v\n'
     '    def get(self) -> T:\n'
     '        return self.v\n'
     'class Pair(Generic[K, T]):\n'
     '    def __init__(self, k: K, v: T):\n'
     '        self.k, self.v = k, v\n'
     'class Sub(Box[int]):\n'
     '    pass\n'
     "print(Box[int](3).get(), Box(4).get(), Pair[str, torch.Tensor]('a', torch.ones(1"
     ')).v, Sub(5).get())\n'
     'b: Box[List[int]] = Box([1])\n'
     'def make(cls: Callable[..., Box[T]], v: T) -> Box[T]:\n'
     '    return cls(v)\n'
     'print(make(Box, 2.5).get(), isinstance(Sub(1), Box), b.v)\n',
     '3 4 tensor([1.]) 5\n'
     '2.5 True [1]\n'),
    ('heapq_merge',
     'import torch, heapq\n'
     'print(list(heapq.merge([1, 4, 9], [2, 3], [0])), list(heapq.merge([3, 1], [2], r'
     'everse=True)))\n'
     "print(list(heapq.merge(['bb', 'a'], ['ccc'], key=len)), next(heapq.merge(iter([5"
     ']), (x for x in [1]))))\n'
     "scores = [(0.5, 'a'), (0.9, 'b')]\n"
     "print([name for _, name in heapq.merge(sorted(scores), [(0.7, 'c')])], type(heap"
     'q.merge([])).__name__)\n',
     '[0, 1, 2, 3, 4, 9] [3, 2, 1]\n'
     "['bb', 'a', 'ccc'] 1\n"
     "['a', 'c', 'b'] generator\n"),
    ('int_bytes',
     'import torch\n'
     "print((1024).to_bytes(2, 'big'), (1024).to_bytes(4, byteorder='little'), (-1).to"
     "_bytes(2, 'big', signed=True))\n"
     "print(int.from_bytes(b'\\x04\\x00', 'big'), int.from_bytes(b'\\xff\\xff', 'little', "
     "signed=True), int.from_bytes([1, 0], 'big'))\n"
     'try:\n'
     "    (1024).to_bytes(1, 'big')\n"
     'except OverflowError as e:\n'
     "    print('OverflowError', e)\n"
     'import io\n'
     'buf = io.BytesIO()\n'
     'torch.save(torch.ones(1), buf)\n'
     "print(type(b'').__name__, bytes(4).hex(), b'ab'.zfill(4), b'ab'.center(6, b'*'))\n",
     "b'\\x04\\x00' b'\\x00\\x04\\x00\\x00' b'\\xff\\xff'\n"
     '1024 -1 256\n'
     'OverflowError int too big to convert\n'
     "bytes 00000000 b'00ab' b'**ab**'\n"),
    ('namedtuple_methods',
     'import torch\n'
     'from typing import NamedTuple\n'
     'from collections import namedtuple\n'
     'class P(NamedTuple):\n'
     '    x: float\n'
     '    y: float = 0.0\n'
     '    scale = 2\n'
     '    def norm(self):\n'
     '        return (self.x**2 + self.y**2) ** 0.5\n'
     '    @property\n'
     '    def doubled(self):\n'
     '        return P(self.x * self.scale, self.y * self.scale)\n'
     '    @classmethod\n'
     '    def origin(cls):\n'
     '        return cls(0.0, 0.0)\n'
     '    @staticmethod\n'
     '    def unit():\n'
     '        return P(1.0)\n'
     'p = P(3.0, 4.0)\n'
     'print(p, p.norm(), p.doubled, P.origin(), P.unit(), p._replace(x=0.0), p._asdict'
     '(), P.scale, p.scale)\n'
     "class Point(namedtuple('Point', ['x', 'y'])):\n"
     '    __slots__ = ()\n'
     '    def dist(self, other):\n'
     '        return ((self.x - other.x) ** 2 + (self.y - other.y) ** 2) ** 0.5\n'
     'q = Point(1, 2)\n'
     'print(q, q.dist(Point(4, 6)), q.x, isinstance(q, Point), isinstance(q, tuple), q'
     ' == (1, 2), type(q).__name__)\n'
     'class Batch(NamedTuple):\n'
     '    inputs: torch.Tensor\n'
     '    targets: torch.Tensor\n'
     '    def to(self, device):\n'
     '        return Batch(*(t.to(device) for t in self))\n'
     '    def __len__x(self):\n'
     '        return 0\n'
     'b = Batch(torch.ones(2), torch.zeros(2)).to("cpu")\n'
     'x, y = b\n'
     'print(b, x, len(b), b.inputs.sum().item())\n',
     'P(x=3.0, y=4.0) 5.0 P(x=6.0, y=8.0) P(x=0.0, y=0.0) P(x=1.0, y=0.0) P(x=0.0, y=4'
     ".0) {'x': 3.0, 'y': 4.0} 2 2\n"
     'Point(x=1, y=2) 5.0 1 True True True Point\n'
     'Batch(inputs=tensor([1., 1.]), targets=tensor([0., 0.])) tensor([1., 1.]) 2 2.0\n'),
    ('string_template',
     'import torch\n'
     'from string import Template\n'
     'import string\n'
     "t = Template('$who likes ${what}; $$5 for $who')\n"
     "print(t.substitute(who='tim', what='kung pao'), t.safe_substitute(who='x'), t.template)\n"
     "print(t.substitute({'who': 'ann', 'what': torch.tensor([1.5])}), t.substitute({'"
     "who': 1}, what=2.5))\n"
     'try:\n'
     "    t.substitute(who='a')\n"
     'except KeyError as e:\n'
     "    print('KeyError', e)\n"
     'try:\n'
     "    Template('bad $').substitute()\n"
     'except ValueError as e:\n'
     "    print('ValueError', e)\n"
     "print(sorted(t.get_identifiers()), t.is_valid(), Template('$').is_valid())\n"
     's = string.Template("epoch $epoch: loss=$loss")\n'
     'for epoch in range(2):\n'
     '    print(s.substitute(epoch=epoch, loss=round(0.5 / (epoch + 1), 3)))\n'
     'print(string.ascii_lowercase, string.digits, string.punctuation, string.capwords'
     '("hello  world"))\n',
     'tim likes kung pao; $5 for tim x likes ${what}; $5 for x $who likes ${what}; $$5'
     ' for $who\n'
     'ann likes tensor([1.5000]); $5 for ann 1 likes 2.5; $5 for 1\n'
     "KeyError 'what'\n"
     'ValueError Invalid placeholder in string: line 1, col 5\n'
     "['what', 'who'] True False\n"
     'epoch 0: loss=0.5\n'
     'epoch 1: loss=0.25\n'
     'abcdefghijklmnopqrstuvwxyz 0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ Hello World\n'),
    ('warnings_catch',
     'import torch\n'
     'import warnings\n'
     'with warnings.catch_warnings():\n'
     '    warnings.simplefilter("ignore")\n'
     '    warnings.warn("hidden")\n'
     '    print("inside")\n'
     'with warnings.catch_warnings(record=True) as w:\n'
     '    warnings.simplefilter("always")\n'
     '    for i in range(3):\n'
     '        warnings.warn(f"rec {i}", UserWarning)\n'
     '    warnings.warn("dep", DeprecationWarning)\n'
     '    print(len(w), str(w[0].message), w[0].category.__name__, w[-1].category is D'
     'eprecationWarning)\n'
     '    print(issubclass(w[-1].category, DeprecationWarning), [str(x.message) for x '
     'in w], type(w[0].message).__name__)\n'
     'with warnings.catch_warnings(record=True) as w2:\n'
     '    warnings.simplefilter("always")\n'
     '    warnings.warn("once")\n'
     'print(len(w2), repr(w2[0].message))\n'
     'def noisy():\n'
     '    warnings.warn("noisy", RuntimeWarning)\n'
     '    return 1\n'
     'with warnings.catch_warnings():\n'
     '    warnings.filterwarnings("ignore", category=RuntimeWarning)\n'
     '    print(noisy())\n'
     'with warnings.catch_warnings(record=True) as w3:\n'
     '    warnings.simplefilter("always")\n'
     '    x = torch.ones(2, requires_grad=True)\n'
     '    y = (x * 2).sum()\n'
     '    print(y.grad, len(w3), w3[0].category.__name__ if w3 else None)\n'
     'print("done")\n',
     'inside\n'
     '4 rec 0 UserWarning True\n'
     "True ['rec 0', 'rec 1', 'rec 2', 'dep'] UserWarning\n"
     "1 UserWarning('once')\n"
     '1\n'
     'None 1 UserWarning\n'
     'done\n'),
]


test_gd_prints_what_python_prints, test_the_literal_is_what_pytorch_prints = \
    literal_table(CASES)


# ClassVar fields are read from the annotation's text (gd never evaluates one). The
# expected line is CPython's running the file; under torch_output the program is compiled
# with pyrun's `from __future__ import annotations` (string annotations, which dataclasses
# cannot resolve in exec's namespace), so this one is compared with the literal only.
CLASS_VAR = (
    "import torch\nfrom dataclasses import dataclass, fields, asdict\n"
    "from typing import ClassVar\nimport typing\n"
    "@dataclass\nclass Cfg:\n    lr: float = 0.1\n    registry: ClassVar[dict] = {}\n"
    "    count: typing.ClassVar[int] = 0\n    steps: int = 3\n"
    "c = Cfg()\n"
    "print(c, [f.name for f in fields(c)], asdict(c), Cfg.count, Cfg.registry, Cfg(0.5, 7))\n")


def test_a_class_var_is_no_dataclass_field() -> None:
    assert gd_output(CLASS_VAR) == ("Cfg(lr=0.1, steps=3) ['lr', 'steps'] {'lr': 0.1, "
                                    "'steps': 3} 0 {} Cfg(lr=0.5, steps=7)\n")
