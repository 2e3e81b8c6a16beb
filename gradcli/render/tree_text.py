"""`graph --full`'s uncoloured tree of a long tape, written as it is laid out.

The same lines as render.table's tree (graph_lines, then each line folded to the width
and stripped), for a whole tape whose rows can be read as plain tuples (`fields`, the
GraphNode fields in order) and are numbered 0..n-1: each node's label made from its
tuple (the part after the name made once per kind of node), the inputs held in two int
arrays and what was seen in a bytearray, so memory stays flat in the nodes printed.
Anything else (values shown, a summary's gaps, rows without `fields`) is None here.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable
from typing import Any

from gradcli.render.numbers import format_shape, location
from gradcli.render.plain import count
from gradcli.results import GraphResult

_FORK, _LAST, _PIPE, _SPACE = "├── ", "└── ", "│   ", "    "

Fields = tuple[Any, ...]


def tree_writer(result: GraphResult) -> Callable[[int, Any], None] | None:
    """A function writing `result`'s tree at a width into a line sink (anything with
    append_text(str), as render.stream's _Lines), or None when the fast layout does not
    apply."""
    nodes = result.nodes
    fields = getattr(nodes, "fields", None)
    n = len(nodes)
    if fields is None or result.show_values or not n or fields(0)[0] != 0 or \
            fields(n - 1)[0] != n - 1:
        return None
    inputs = _Inputs.of(result.edges, n)
    if inputs is None:
        return None
    return lambda width, sink: _Tree(result, fields, inputs, width, sink).write()


class _Inputs:
    """Each node's inputs in edge order: srcs[starts[d]:starts[d + 1]] for node d."""

    def __init__(self, starts: array[int], srcs: array[int], consumed: bytearray) -> None:
        self.starts, self.srcs, self.consumed = starts, srcs, consumed

    @staticmethod
    def of(edges: Any, n: int) -> _Inputs | None:
        """From edges grouped by the node using them, in node order (as the app records
        them); None for edges in another order."""
        starts = array("q")
        srcs = array("q")
        consumed = bytearray(n)
        for src, dst in edges:
            if dst < len(starts) - 1 or not 0 <= src < n or not 0 <= dst < n:
                return None  # not grouped by node in node order
            while len(starts) <= dst:
                starts.append(len(srcs))
            srcs.append(src)
            consumed[src] = 1
        while len(starts) <= n:
            starts.append(len(srcs))
        return _Inputs(starts, srcs, consumed)


class _Tree:
    """render.table's _TreeBuilder for this case, line for line."""

    def __init__(self, result: GraphResult, fields: Callable[[int], Fields], inputs: _Inputs,
                 width: int, sink: Any) -> None:
        self.result, self.fields, self.inputs = result, fields, inputs
        self.width = width
        self.out = sink.append_text
        self.n = len(result.nodes)
        self.seen = bytearray(self.n)
        self.max_depth = max(4, (width - 48) // 4)
        self.pending: deque[int] = deque()
        self.tails: dict[Fields, str] = {}

    def label(self, f: Fields) -> str:
        """_node_label's one line (no values) from a node's fields."""
        nid, name, op, grad_fn, shape, dtype, is_leaf, requires_grad, line, column = f[:10]
        key = f[2:10]
        tail = self.tails.get(key)
        if tail is None:
            if is_leaf:
                tail = "  leaf" + ("  requires_grad" if requires_grad else "")
            elif grad_fn:
                tail = f"  {grad_fn}"
            else:
                tail = "" if requires_grad else "  (no grad)"
            tail += f"  {format_shape(shape)} {dtype}"
            if line is not None:
                tail += f"  line {location(line, column)}"
            self.tails[key] = tail
        if is_leaf:
            return f"#{nid} {name or '(constant)'}{tail}"
        if name:
            return f"#{nid} {name} = {op}{tail}"
        return f"#{nid} {op}{tail}"

    def emit(self, text: str, first: str, rest: str) -> None:
        """_emit of a one-line label, then the sink's fold at the width, stripped."""
        if len(first) + len(text) <= self.width:
            self.out((first + text).rstrip())
            return
        from gradcli.render.table import _PlainText, fold_line

        for j, piece in enumerate(fold_line(_PlainText(text), self.width - len(first))):
            line = (first if j == 0 else rest) + piece.plain
            for part in fold_line(_PlainText(line), self.width) if len(line) > self.width \
                    else (_PlainText(line),):
                self.out(part.plain.rstrip())

    def grow(self, root: int, continued: bool) -> None:
        fields, seen, inputs = self.fields, self.seen, self.inputs
        starts, srcs = inputs.starts, inputs.srcs
        f = fields(root)
        if continued:
            self.emit(f"#{root} {f[1] or f[2]} (continued)", "", "")
        else:
            self.emit(self.label(f), "", "")
        seen[root] = 1
        kids = srcs[starts[root]:starts[root + 1]]
        stack = [(i, "", k == len(kids) - 1, 1) for k, i in reversed(list(enumerate(kids)))]
        emit, label, max_depth = self.emit, self.label, self.max_depth
        while stack:
            node_id, prefix, last, depth = stack.pop()
            if last:
                first, inner = prefix + _LAST, prefix + _SPACE
            else:
                first, inner = prefix + _FORK, prefix + _PIPE
            f = fields(node_id)
            if seen[node_id]:
                emit(f"{f[1] or f[2]} (see #{node_id})", first, inner)
                continue
            seen[node_id] = 1
            lo, hi = starts[node_id], starts[node_id + 1]
            emit(label(f), first, inner)
            if lo == hi:
                continue
            if depth >= max_depth:
                emit(f"… inputs of #{node_id} continue below", inner + _LAST, inner + _SPACE)
                self.pending.append(node_id)
                continue
            end = hi - 1
            for k in range(end, lo - 1, -1):
                stack.append((srcs[k], inner, k == end, depth + 1))

    def forest(self, roots: Any) -> None:
        for r in roots:
            if self.seen[r]:
                continue
            self.grow(r, False)
            while self.pending:
                self.grow(self.pending.popleft(), True)

    def write(self) -> None:
        result, n = self.result, self.n
        self.emit(f"graph  ·  {count(n, 'node')}, from the result down to the leaves", "", "")
        consumed = self.inputs.consumed
        newest_first = range(n - 1, -1, -1)
        if result.result_id is not None and 0 <= result.result_id < n:
            roots: Any = [result.result_id]
        else:
            roots = (i for i in newest_first if not consumed[i])
        self.forest(roots)
        rest = [i for i in newest_first if not consumed[i] and not self.seen[i]]
        if rest:
            self.out("")
            self.emit("also recorded  ·  computed but not used by the result", "", "")
            self.forest(rest)
