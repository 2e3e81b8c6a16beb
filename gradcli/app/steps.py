"""explain's backward pass as it is observed: one step per node, held in flat columns.

A 10⁵-iteration loop makes 4·10⁵ steps. Each step's numbers go into arrays as they come
(a 0-d float cotangent as its float: 8 bytes, not an array object), and a step is built
only when it is read: an `ExplainStep` (summaries, JSON), or the plain tuple the streamed
table reads (`raw`, see results.RawStep).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gradcli.ad import dtypes, ops
from gradcli.ad.tensor import Node, Tensor
from gradcli.app.rows import LoopRun, Rows
from gradcli.results import ExplainFlow, ExplainStep, RawStep, TensorData, numbered

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

    `number(obj)` numbers the tape's nodes and leaves (`count` of them); `label(k)` names
    number k. Step i: node number me[i], incoming value at position ~i, flows
    starts[i]..starts[i+1] (to, rule, value at position j, accumulates, summed note)."""

    def __init__(self, number: Callable[[Any], int], count: int,
                 label: Callable[[int], str],
                 by_seq: tuple[array[int], int, dict[int, int]] | None = None) -> None:
        self.number = number
        # (pos, base, leaves) when number(node) is pos[node.seq - base] and number(leaf)
        # leaves[id(leaf)] (graphing.Numbering without a gap): read inline, no call.
        self.by_seq = by_seq
        self.label = label
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
        self.received = bytearray(count)  # numbers that got a cotangent already
        self.entries = Observed()  # (node, incoming, cotangents) per node, until _decode

    def observer(self) -> Observed:
        """The engine's observer: the list the backward pass appends each node's (node,
        incoming, cotangents) to, in the order they run (no Python call per node); read
        into the columns by `_decode`."""
        return self.entries

    def _decode(self) -> None:
        """The observed entries as steps in the flat columns, once; the entries are then
        dropped. One loop, its state in locals (4·10⁵ nodes for a 10⁵-iteration loop)."""
        entries = self.entries
        if not entries:
            return
        self.entries = Observed()
        number = self.number
        me_add, inc_add, inc_code_add = self.me.append, self.inc.append, self.inc_code.append
        starts_add, to_add, rule_add = self.starts.append, self.to.append, self.rule.append
        val_add, val_code_add, acc_add = self.val.append, self.val_code.append, self.acc.append
        me, to, val = self.me, self.to, self.val
        objs, summed, received = self.objs, self.summed, self.received
        rules_of: dict[tuple[Any, int], list[int]] = {}
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
        """The steps as a listing: built when read; `raw(lo, hi)` streams plain tuples."""
        self._decode()
        def key(i: int) -> tuple[Any, ...]:
            node = order[self.me[i]]
            span = node.span
            return (node.rule.name, getattr(span, "line", None), getattr(span, "column", None))

        return Rows(len(self.me), lambda i: self.step(i, order), key, loops,
                    lambda lo, hi: self.raw(order, lo, hi))

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
        label = self.label
        flows = [ExplainFlow(self.to[j], label(self.to[j]), self.rules[self.rule[j]],
                             self._value(j, self.val_code[j], self.val[j]),
                             bool(self.acc[j]), self.summed.get(j))
                 for j in range(self.starts[i], self.starts[i + 1])]
        return ExplainStep(me, label(me), node.rule.name, node.name,
                           getattr(span, "line", None), getattr(span, "column", None),
                           self._value(~i, self.inc_code[i], self.inc[i]), flows)

    def raw(self, order: list[Any], lo: int, hi: int) -> Iterator[RawStep]:
        """Steps lo..hi as results.RawStep tuples, in order."""
        self._decode()
        me, inc, inc_code, starts = self.me, self.inc, self.inc_code, self.starts
        to, rule, val, val_code, acc = self.to, self.rule, self.val, self.val_code, self.acc
        rules, summed, label, value = self.rules, self.summed, self.label, self._value
        # A label made for a flow is the label of a step soon after: kept until then (the
        # leaves, which are no step, for good).
        labels: dict[int, str] = {}
        for i in range(lo, hi):
            k = me[i]
            node = order[k]
            span = node.span
            own = labels.pop(k, None)
            if own is None:
                own = numbered(k, label(k))
            flows = []
            for j in range(starts[i], starts[i + 1]):
                t = to[j]
                text = labels.get(t)
                if text is None:
                    text = labels[t] = numbered(t, label(t))
                flows.append((text, rules[rule[j]],
                              val[j] if val_code[j] else value(j, 0, 0.0),
                              acc[j] == 1, summed.get(j) if summed else None))
            if span is None:
                line = column = None
            else:  # a source.Span
                line = span.line
                column = span.column
            yield (own, node.name, line, column,
                   inc[i] if inc_code[i] else value(~i, 0, 0.0), flows)


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
