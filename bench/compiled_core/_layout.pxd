# C views of graph.Tensor's and graph.Node's __slots__ layout (CPython lays slots out
# after the object header in sorted-name order): compiled code reads and writes their
# fields directly.
cdef extern from *:
    """
    typedef struct { PyObject_HEAD PyObject *_tangent, *_vc, *_view, *array, *grad, *grad_fn,
                     *inference, *param, *requires_grad, *view_mode; } gradcli_TensorObject;
    typedef struct { PyObject_HEAD PyObject *freed, *hooks, *inputs, *name, *out, *out_version,
                     *params, *parents, *retained, *rule, *seq, *span, *versions; } gradcli_NodeObject;
    """
    ctypedef class gradcli.ad.graph.Tensor [object gradcli_TensorObject, check_size ignore]:
        cdef object _tangent, _vc, _view, array, grad, grad_fn, requires_grad
    ctypedef class gradcli.ad.graph.Node [object gradcli_NodeObject, check_size ignore]:
        cdef object freed, hooks, inputs, name, out, out_version, params, parents, retained, rule, seq, span, versions
