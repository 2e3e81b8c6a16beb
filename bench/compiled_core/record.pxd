# Round 18's compiled-core experiment (bench/compiled_core/build.py): apply's fresh tensor
# and node typed as their slots' C struct, so their fields are set by direct stores.
cimport cython
from gradcli.ad._layout cimport Tensor as TensorT, Node as NodeT

@cython.locals(t=TensorT, node=NodeT)
cpdef apply(rule, tuple args, dict params=*)
