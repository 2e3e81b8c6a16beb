"""graph --full's streamed tree (render/tree_text.py, from the app's plain `fields` tuples
and int arrays) is byte for byte the tree render_tree draws through render.table's
_TreeBuilder: deep chains cut into continuations, references to nodes seen, leaves and
constants, ops without a grad_fn, sinks the result does not use ("also recorded"), what
the program printed above the tree, and lines folded at narrow widths. Also the app's
node numbering (app/graphing.py Numbering), through seqs or a dict."""

from __future__ import annotations

import io
import textwrap

import pytest

from gradcli import app
from gradcli.app.inputs import AppOptions
from gradcli.render import render_graph
from gradcli.render.stream import stream_result
from gradcli.render.tree_text import tree_writer
from gradcli.results import GraphNode, GraphResult
from gradcli.source import Source

PROGRAMS = {
    "chain": ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(40):\n"
              "    y = y * 0.9999 + sin(x) * 0.0001\ny", ["x"]),
    "printed": ("x = tensor(0.5, requires_grad=True)\ny = x\nfor i in range(20):\n"
                "    y = tanh(y * 2.0) + x\n    if i == 3:\n        print('step', i, y)\n"
                "y", ["x"]),
    "unused_sinks": ("a = tensor([1.0, 2.0], requires_grad=True)\n"
                     "a_rather_long_variable_name_for_folding = a\nfor i in range(25):\n"
                     "    a_rather_long_variable_name_for_folding = "
                     "a_rather_long_variable_name_for_folding * a + 1.0\n"
                     "    side = (a * 3.0).sum()\n"
                     "a_rather_long_variable_name_for_folding.sum()", ["a"]),
    "two_leaves": ("w = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
                   "b = tensor([0.5, -1.0], requires_grad=True)\nt = w\n"
                   "for i in range(40):\n    t = t @ w + b\n"
                   "    u = t.detach() * 2\nt.sum() + u.sum()", ["w", "b"]),
}


def _graph(name: str) -> GraphResult:
    text, wrt = PROGRAMS[name]
    return app.graph(Source("p.gd", textwrap.dedent(text) + "\n"), AppOptions(wrt=wrt))


@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("width", [100, 60, 30, 250])
def test_streamed_tree_is_the_same_bytes(name: str, width: int) -> None:
    graph = _graph(name)
    assert tree_writer(graph) is not None  # the fast layout is the one tested
    buf = io.StringIO()
    assert stream_result(graph, "tree", buf.write, width=width, full=True)
    assert buf.getvalue() == render_graph(graph, "tree", width=width, full=True) + "\n"
    if name == "printed":
        assert buf.getvalue().startswith("output  ·  printed by")
        assert "step 3 tensor(" in buf.getvalue()


def test_fields_are_the_rows() -> None:
    graph = _graph("unused_sinks")
    nodes = graph.nodes
    assert [GraphNode(*nodes.fields(i)) for i in range(len(nodes))] == list(nodes)


def test_other_listings_take_the_general_layout() -> None:
    graph = _graph("chain")
    values = app.graph(Source("p.gd", PROGRAMS["chain"][0] + "\n"), AppOptions(wrt=["x"]),
                       values=True)
    assert tree_writer(values) is None  # values shown: two lines a node
    as_list = GraphResult(list(graph.nodes), list(graph.edges), graph.result_id)
    assert tree_writer(as_list) is None  # rows without `fields`
    for result in (values, as_list):
        buf = io.StringIO()
        assert stream_result(result, "tree", buf.write, width=80, full=True)
        assert buf.getvalue() == render_graph(result, "tree", width=80, full=True) + "\n"


class _Node:
    """What Numbering reads of a tape node."""

    def __init__(self, seq: int, parents: tuple[object, ...]) -> None:
        self.seq, self.parents = seq, parents


@pytest.mark.parametrize("seqs", [[5, 6, 7, 8], [5, 6, 9, 12]])
def test_numbering_by_seq_or_by_dict(seqs: list[int]) -> None:
    # Tape seqs without a gap are numbered through an array, with one through a dict:
    # the same numbers either way, leaves just before their first consumer.
    import numpy as np

    from gradcli.ad.graph import tensor_from_array
    from gradcli.app.graphing import Numbering

    a, b = tensor_from_array(np.zeros(())), tensor_from_array(np.ones(()))
    n0 = _Node(seqs[0], (a,))
    n1 = _Node(seqs[1], (n0, None))
    n2 = _Node(seqs[2], (n1, b))
    n3 = _Node(seqs[3], (n2, a, n0))
    numbering = Numbering([n0, n1, n2, n3])  # type: ignore[list-item]
    assert numbering.order == [a, n0, n1, b, n2, n3]
    number = numbering.function()
    assert [number(o) for o in numbering.order] == list(range(6))
    assert [numbering.get(o) for o in numbering.order] == list(range(6))
    assert numbering.get(_Node(seqs[1], ())) is None
    assert numbering.get(tensor_from_array(np.zeros(()))) is None
