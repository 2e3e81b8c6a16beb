"""explain's backward pass as it is observed: one step per node, held in flat columns.

A 10⁵-iteration loop makes 4·10⁵ steps. Each step's numbers go into arrays as they come
(a 0-d float cotangent as its float: 8 bytes, not an array object), and a step is built
only when it is read: an `ExplainStep` (summaries, JSON), or a run of steps as the
columns the streamed table reads (`block`, see results.StepBlock).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import chain, compress
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.tensor import Node, Tensor
from gradcli.app.rows import LoopRun, Rows
from gradcli.results import (
    ExplainFlow,
    ExplainStep,
    StepBlock,
    TensorData,
    numbered_all,
)

# The dtypes whose 0-d values are kept as floats (a float holds each of their values
# exactly), by code; code 0: the array itself is kept (in `objs`).
_FLOATS = (None, np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.float16))
_F32, _F64, _F16 = _FLOATS[1:]
_NAMES = (None, *(dtypes.name_of(d) for d in _FLOATS[1:]))


class Observed(list):  # type: ignore[type-arg]
    """The (node, incoming, cotangents) entries of a backward pass, appended by the engine
    (see ad.engine.Observer); the scalar path's numpy scalars welcome."""

    takes_scalars = True


class StepLog:
    """The steps of one observed backward pass (`observer` sees each node's cotangents).

    `number(obj)` numbers the tape's nodes and leaves (`count` of them); `labels(ks)` names
    the numbers ks. Step i: node number me[i], incoming value at position ~i, flows
    starts[i]..starts[i+1] (to, rule, value at position j, accumulates, summed note)."""

    def __init__(self, number: Callable[[Any], int], count: int,
                 labels: Callable[[Sequence[int]], list[str]],
                 by_seq: tuple[array[int], int, dict[int, int]] | None = None) -> None:
        self.number = number
        # (pos, base, leaves) when number(node) is pos[node.seq - base] and number(leaf)
        # leaves[id(leaf)] (graphing.Numbering without a gap): read inline, no call.
        self.by_seq = by_seq
        self.labels = labels
        self.me = array("q")
        self.inc = array("d")
        self.inc_code = bytearray()
        self.starts = array("q", [0])
        self.to = array("q")
        self.rule = array("l")
        self.val = array("d")
        self.val_code = bytearray()
        self.acc = bytearray()
        self.objs: dict[int, np.ndarray] = {}  # values not held as floats, by position
        self.summed: dict[int, str] = {}  # "summed over dim 0 (broadcast)", by flow
        self.rules: list[str] = []  # "grad_a = grad · b", by index
        # (rule, arity) -> the indices of its inputs' texts in `rules`
        self.rules_of: dict[tuple[Any, int], list[int]] = {}
        self.places: list[tuple[str, int | None, int | None]] = []  # (grad_fn, line, column)
        self.place_of: dict[tuple[str, int], int] = {}  # (grad_fn, id(span)) -> index
        self.received = bytearray(count)  # numbers that got a cotangent already
        self.entries = Observed()  # (node, incoming, cotangents) per node, until _decode

    def observer(self) -> Observed:
        """The engine's observer: the list the backward pass appends each node's (node,
        incoming, cotangents) to, in the order they run (no Python call per node); read
        into the columns by `_decode`."""
        return self.entries

    def _decode(self) -> None:
        """The observed entries as steps in the flat columns, once; the entries are then
        dropped. A run of entries whose values are all numpy scalars (the engine's scalar
        path) is read in a few C-level passes (`_decode_scalars`), any other one entry by
        entry (4·10⁵ nodes for a 10⁵-iteration loop)."""
        entries = self.entries
        if not entries:
            return
        self.entries = Observed()
        for lo in range(0, len(entries), DECODED):
            chunk = entries[lo:lo + DECODED]
            if not self._decode_scalars(chunk):
                self._decode_each(chunk)

    def _decode_scalars(self, entries: list[Any]) -> bool:
        """`_decode_each` of entries whose incoming values and cotangents are all numpy
        float32/float64 scalars (or None), a pass per column; False (nothing done) for
        others."""
        nodes, gs, cots = zip(*entries, strict=True)
        kinds = set(map(type, gs))
        if not kinds <= _SCALARS:
            return False
        parents = [node.parents for node in nodes]
        lens = list(map(len, parents))
        if lens != list(map(len, cots)):
            return False
        flat_c = list(chain.from_iterable(cots))
        flow_kinds = set(map(type, flat_c))
        if not flow_kinds <= _SCALARS_OR_NONE:
            return False
        flat_p = list(chain.from_iterable(parents))
        n = len(nodes)
        # the flows: each (input, cotangent) pair with neither None, its step and index
        step = np.repeat(np.arange(n), lens)
        index = np.arange(len(step)) - (np.cumsum(lens) - lens)[step]
        keep = [p is not None and c is not None for p, c in zip(flat_p, flat_c, strict=True)]
        if not all(keep):
            flat_p = list(compress(flat_p, keep))
            flat_c = list(compress(flat_c, keep))
            step = step[keep]
            index = index[keep]
        # numbers: the nodes', their inputs'
        if self.by_seq is None:
            number = self.number
            me = np.array([number(node) for node in nodes], np.int64)
            pids = np.array([number(p) for p in flat_p], np.int64)
        else:
            pos, base, leaves = self.by_seq
            me = np.frombuffer(pos, np.int64)[np.array([node.seq for node in nodes]) - base]
            pids = np.array([leaves[id(p)] if type(p) is Tensor else pos[p.seq - base]
                             for p in flat_p], np.int64)
        # each flow's rule text: its node's texts (made once per rule and arity), by index
        rules_of = self.rules_of
        keys = [(node.rule, k) for node, k in zip(nodes, lens, strict=True)]
        texts = list(map(rules_of.get, keys))
        if None in texts:
            for i, t in enumerate(texts):
                if t is None:
                    t = rules_of.get(keys[i])
                    if t is None:
                        t = rules_of[keys[i]] = self._rule_texts(nodes[i])
                    texts[i] = t
        first = np.array([t[0] if t else 0 for t in texts], np.int64)
        # whether an input got a cotangent before (an earlier flow, or an earlier chunk)
        received = np.frombuffer(self.received, np.uint8)
        acc = received[pids]
        if len(pids):
            again = np.ones(len(pids), np.uint8)
            again[np.unique(pids, return_index=True)[1]] = 0
            acc |= again
            received[pids] = 1
        _extend(self.me, me)
        _extend(self.inc, np.array(gs).astype(np.float64))
        self.inc_code += _codes(gs, kinds)
        _extend(self.starts, len(self.to) + np.cumsum(np.bincount(step, minlength=n)))
        _extend(self.to, pids)
        _extend(self.rule, first[step] + index)
        _extend(self.val, np.array(flat_c).astype(np.float64))
        self.val_code += _codes(flat_c, flow_kinds - _NONE)
        self.acc += acc.tobytes()
        return True

    def _decode_each(self, entries: list[Any]) -> None:
        """The entries as steps in the flat columns, one by one. One loop, its state in
        locals."""
        number = self.number
        me_add, inc_add, inc_code_add = self.me.append, self.inc.append, self.inc_code.append
        starts_add, to_add, rule_add = self.starts.append, self.to.append, self.rule.append
        val_add, val_code_add, acc_add = self.val.append, self.val_code.append, self.acc.append
        me, to, val = self.me, self.to, self.val
        objs, summed, received = self.objs, self.summed, self.received
        rules_of = self.rules_of
        ndarray = np.ndarray
        f32, f64, f16 = _F32, _F64, _F16
        s32, s64 = np.float32, np.float64
        pos, base, leaves = self.by_seq or (None, 0, {})
        for node, g, cots in entries:
            me_add(number(node) if pos is None else pos[node.seq - base])
            # g and cots: tensors, or numpy scalars where the engine's scalar path ran
            # (an array('d') takes those as they are)
            tg = type(g)
            if tg is s32:
                inc_add(g)
                inc_code_add(1)
            elif tg is s64:
                inc_add(g)
                inc_code_add(2)
            else:
                a = g.array
                code = 0
                if type(a) is ndarray and not a.ndim:
                    dt = a.dtype
                    code = 1 if dt is f32 else 2 if dt is f64 else 3 if dt is f16 else 0
                if code:
                    inc_add(float(a))
                else:
                    objs[~(len(me) - 1)] = a
                    inc_add(0.0)
                inc_code_add(code)
            parents = node.parents
            key = (node.rule, len(parents))
            texts = rules_of.get(key)
            if texts is None:
                texts = rules_of[key] = self._rule_texts(node)
            k = -1
            for p, c in zip(parents, cots):  # noqa: B905 (a keyword doubles zip's cost)
                k += 1
                if p is None or c is None:
                    continue
                if pos is None:
                    pid = number(p)
                elif type(p) is Tensor:
                    pid = leaves[id(p)]
                else:
                    pid = pos[p.seq - base]
                tc = type(c)
                if tc is s32 or tc is s64:
                    to_add(pid)
                    rule_add(texts[k])
                    val_add(c)
                    val_code_add(1 if tc is s32 else 2)
                    acc_add(received[pid])
                    received[pid] = 1
                    continue
                a = c.array
                inputs = node.inputs
                x = inputs[k] if inputs is not None else None
                if type(x) is Tensor and a.shape != x.array.shape:
                    c, note = _unbroadcast(c, x.array.shape)
                    a = c.array
                    if note is not None:
                        summed[len(to)] = note
                to_add(pid)
                rule_add(texts[k])
                code = 0
                if type(a) is ndarray and not a.ndim:
                    dt = a.dtype
                    code = 1 if dt is f32 else 2 if dt is f64 else 3 if dt is f16 else 0
                if code:
                    val_add(float(a))
                else:
                    objs[len(val)] = a
                    val_add(0.0)
                val_code_add(code)
                acc_add(received[pid])
                received[pid] = 1
            starts_add(len(to))

    def _rule_texts(self, node: Node) -> list[int]:
        """The rule text of each input of a node of this rule and arity, by index."""
        formula = node.rule.formula
        out = []
        for k in range(len(node.parents)):
            text = (f"grad_{_param(node, k)} = "
                    + (formula[k] if k < len(formula) else f"vjp of {node.op}"))
            out.append(len(self.rules))
            self.rules.append(text)
        return out

    def __len__(self) -> int:
        self._decode()
        return len(self.me)

    def node(self, i: int, order: list[Any]) -> Node:
        """Step i's node."""
        return order[self.me[i]]  # type: ignore[no-any-return]

    def rows(self, order: list[Any], loops: Callable[[], list[LoopRun] | None]
             ) -> Rows[ExplainStep]:
        """The steps as a listing: built when read; `block(lo, hi)` gives steps in columns."""
        self._decode()
        def key(i: int) -> tuple[Any, ...]:
            node = order[self.me[i]]
            span = node.span
            return (node.rule.name, getattr(span, "line", None), getattr(span, "column", None))

        return Rows(len(self.me), lambda i: self.step(i, order), key, loops,
                    block=lambda lo, hi: self.block(order, lo, hi))

    def _value(self, j: int, code: int, v: float) -> TensorData:
        if code:
            return TensorData((), _NAMES[code], np.array(v, _FLOATS[code]))
        a = self.objs[j]
        return TensorData(a.shape, _dtype_name(a.dtype), a)

    def step(self, i: int, order: list[Any]) -> ExplainStep:
        """Step i as an ExplainStep."""
        me = self.me[i]
        node = order[me]
        span = node.span
        a, b = self.starts[i], self.starts[i + 1]
        labels = self.labels([me, *self.to[a:b]])
        flows = [ExplainFlow(self.to[j], labels[1 + j - a], self.rules[self.rule[j]],
                             self._value(j, self.val_code[j], self.val[j]),
                             bool(self.acc[j]), self.summed.get(j))
                 for j in range(a, b)]
        return ExplainStep(me, labels[0], node.rule.name, node.name,
                           getattr(span, "line", None), getattr(span, "column", None),
                           self._value(~i, self.inc_code[i], self.inc[i]), flows)

    def block(self, order: list[Any], lo: int, hi: int) -> StepBlock:
        """Steps lo..hi in columns (results.StepBlock), from C-level passes over the
        columns' slices (no Python work per step but a label's)."""
        self._decode()
        starts = np.array(self.starts[lo:hi + 1], np.int64)
        a, b = int(starts[0]), int(starts[-1])
        starts -= a
        nodes = list(map(order.__getitem__, self.me[lo:hi].tolist()))
        # each step's place, by its node's (grad_fn, span): found once a span
        keys = [(node.name, id(node.span)) for node in nodes]
        place = list(map(self.place_of.get, keys))
        if None in place:
            for i, k in enumerate(place):
                if k is None:
                    k = self.place_of.get(keys[i])  # an earlier step of this block's
                    place[i] = self._place(keys[i], nodes[i].span) if k is None else k
        # each number's label made once: a flow's input is mostly a step soon after
        numbers, at = np.unique(np.concatenate([np.frombuffer(self.me[lo:hi], np.int64),
                                                np.frombuffer(self.to[a:b], np.int64)]),
                                return_inverse=True)
        ks = numbers.tolist()
        labels = list(map(numbered_all(ks, self.labels(ks)).__getitem__, at.tolist()))
        inc_code = np.frombuffer(self.inc_code[lo:hi], np.uint8)
        val_code = np.frombuffer(self.val_code[a:b], np.uint8)
        value = self._value
        summed = self.summed
        return StepBlock(
            labels[:hi - lo], np.array(place, np.int64), self.places,
            np.array(self.inc[lo:hi], np.float64),
            {int(i): value(~(lo + int(i)), 0, 0.0) for i in np.flatnonzero(inc_code == 0)},
            starts, labels[hi - lo:],
            list(map(self.rules.__getitem__, self.rule[a:b])),
            np.array(self.val[a:b], np.float64),
            {int(j): value(a + int(j), 0, 0.0) for j in np.flatnonzero(val_code == 0)},
            np.frombuffer(self.acc[a:b], np.uint8) != 0,
            {j - a: t for j in range(a, b) if (t := summed.get(j)) is not None}
            if summed else {})

    def _place(self, key: tuple[str, int], span: Any) -> int:
        """The index of a place (grad_fn and span) in `places`, added if new."""
        self.place_of[key] = k = len(self.places)
        self.places.append((key[0], getattr(span, "line", None), getattr(span, "column", None)))
        return k


_SCALARS = frozenset((np.float32, np.float64))
_NONE = frozenset((type(None),))
_SCALARS_OR_NONE = _SCALARS | _NONE
DECODED = 8192  # entries decoded at a time


def _codes(values: tuple[Any, ...] | list[Any], kinds: set[type] | frozenset[type]) -> bytes:
    """Each numpy float32/float64 scalar's code (1, 2); `kinds`: their types."""
    if len(kinds) == 1:
        return bytes((_CODE[next(iter(kinds))],)) * len(values)
    return bytes(map(_CODE.__getitem__, map(type, values)))


_CODE = {np.float32: 1, np.float64: 2}


def _extend(column: array[Any], values: np.ndarray) -> None:
    """An array('q'/'l'/'d') column extended by the values."""
    column.frombytes(np.asarray(values, column.typecode).tobytes())


_DTYPE_NAMES: dict[Any, str] = {}  # dtype -> its name: numpy's dtype.name is slow per row


def _dtype_name(dtype: np.dtype) -> str:
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        _DTYPE_NAMES[dtype] = name = dtypes.name_of(dtype)
    return name


def _unbroadcast(c: Tensor, shape: tuple[int, ...] | None) -> tuple[Tensor, str | None]:
    """A cotangent as its input receives it: summed over the dims broadcasting added or
    stretched (as the engine does), with those dims in words."""
    if shape is None or c.shape == tuple(shape):
        return c, None
    lead = c.ndim - len(shape)
    dims = [*range(lead), *(lead + i for i, n in enumerate(shape)
                             if n == 1 and c.shape[lead + i] != 1)]
    if lead < 0 or not dims:
        return c, None
    words = ", ".join(str(d) for d in dims)
    return (ops.sum_to(c, tuple(shape)),
            f"summed over dim{'s' if len(dims) > 1 else ''} {words} (broadcast)")


def _param(node: Node, k: int) -> str:
    names = "ab" if len(node.parents) == 2 else "x"
    if len(node.parents) > 2:
        return f"input{k}"
    return names[k] if k < len(names) else f"input{k}"
