"""Samples: creation, dtype conversions and random numbers (seeded, bit for bit)."""

from samples import X, sample, untested

sample("torch.zeros", 2, 3)
sample("torch.ones", (2, 3), dtype="torch.float64")
sample("torch.full", (2, 2), 1.5)
sample("torch.eye", 3)
sample("torch.arange", 0.0, 1.0, 0.1)
sample("torch.arange", 5)
sample("torch.linspace", -1.0, 1.0, 7)
sample("torch.logspace", 0.0, 2.0, 5, printing=False, atol=1e-5)
sample("torch.zeros_like", X("mn"))
sample("torch.ones_like", X("mn"))
sample("torch.full_like", X("mn"), 2.0)
sample("torch.clone", X())
sample("torch.numel", X("mn"))
sample("Tensor.to", X("mn"), "torch.float32")
for name in ("float", "double", "long", "bool"):
    sample(f"Tensor.{name}", X("mn", domain="int"), grad=False)
sample("Tensor.int", X("mn", domain="int"), grad=False,
       known="x.int() is int32 in PyTorch; gd has no int32 dtype yet")
sample("Tensor.type_as", X("mn"), X("mn", dtype="float32", grad=False))
sample("Tensor.fill_", X("mn"), 0.25)
sample("Tensor.zero_", X("mn"))
sample("Tensor.copy_", X("mn"), X("mn"))
sample("Tensor.copy_", X("mn"), X("n"))
sample("Tensor.copy_", X("mn"), X("n", dtype="float32"))
untested("torch.empty", "uninitialised values: tests/test_interp.py checks its shape and dtype")
untested("torch.Tensor", "legacy constructor: tests/test_trust_builtins.py")
untested("torch.FloatTensor", "legacy constructor: tests/test_trust_builtins.py")
untested("torch.set_default_dtype", "a setting: tests/test_trust_builtins.py")
for name, args in (("rand", (2, 3)), ("randn", (3,))):
    sample(f"torch.{name}", *args, seed=0)
sample("torch.rand_like", X("mn"), seed=1)
sample("torch.randn_like", X("mn"), seed=1)
sample("torch.normal", 0.0, 1.0, (2, 2), seed=3)
sample("torch.randint", 0, 10, (5,), seed=2)
