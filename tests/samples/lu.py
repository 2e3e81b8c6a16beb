"""Samples: the LU family, index_reduce and round 10's other spellings."""

from samples import Index, X, sample, untested

sample("torch.linalg.lu", X("nn", "invertible"), method=False)
sample("torch.linalg.lu", X("b33"), method=False)
sample("torch.linalg.lu", X("23"), method=False)
sample("torch.linalg.lu", X("32"), method=False)
sample("torch.linalg.lu_factor", X("nn", "invertible"), method=False)
sample("torch.linalg.lu_factor", X("23"), method=False)
sample("torch.linalg.lu_factor", X("32"), method=False)
sample("torch.linalg.lu_factor_ex", X("bnn", "invertible"), method=False)
for _red in ("prod", "mean", "amax", "amin"):
    sample("torch.index_reduce", X("mk", domain="distinct"), 0, Index("n", high="m"),
           X("nk", domain="distinct"), _red, jvp=False)
    sample("Tensor.index_reduce", X("mk", domain="distinct"), 1, Index("n", high="k"),
           X("mn", domain="distinct"), _red, include_self=False, jvp=False)
sample("Tensor.index_reduce_", X("mk", domain="distinct"), 0, Index("n", high="m"),
       X("nk", domain="distinct"), "amax", jvp=False)
untested("torch.linalg.lu_solve", "its pivots come from lu_factor: tests/test_tensor_round10.py")
untested("torch.lu_solve", "its pivots come from lu_factor: tests/test_tensor_round10.py")
untested("Tensor.lu_solve", "its pivots come from lu_factor: tests/test_tensor_round10.py")
untested("torch.lu_unpack", "its pivots come from lu_factor: tests/test_tensor_round10.py")
untested("torch.lu", "deprecated (warns): tests/test_tensor_round10.py")
untested("Tensor.lu", "deprecated (warns): tests/test_tensor_round10.py")
untested("torch.qr", "deprecated (warns): tests/test_tensor_round10.py")
untested("Tensor.qr", "deprecated (warns): tests/test_tensor_round10.py")
for _name in ("apply_", "map_", "map2_"):
    untested(f"Tensor.{_name}", "a program's function per element: tests/test_tensor_round10.py")
# round 10's other spellings (ops.spellings10): aliases of swept ops
sample("torch.adjoint", X("bmn"))
sample("torch.concatenate", [X("mn"), X("kn")], method=False)
untested("torch.range", "deprecated (warns): tests/test_tensor_round10.py")
untested("torch.detach_", "in place on a graph: tests/test_tensor_round10.py")
untested("torch.get_device", "a constant: tests/test_tensor_round10.py")
untested("Tensor.get_device", "a constant: tests/test_tensor_round10.py")
untested("torch.asarray", "creation: tests/test_tensor_round10.py")
