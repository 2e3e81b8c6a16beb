# Round 18's compiled-core experiment (bench/compiled_core/build.py): the engine loop's
# current and next node typed as Node's slots' C struct.
cimport cython
from gradcli.ad._layout cimport Tensor as TensorT, Node as NodeT

@cython.locals(node=NodeT, nxt=NodeT)
cpdef _loop(run, list heap, dict pending, retain_graph)
