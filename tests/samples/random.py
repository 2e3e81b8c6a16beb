"""Samples: random ops, seeded on both sides (values bit for bit: tests/test_ops_random.py)."""

from samples import X, sample

sample("torch.bernoulli", X("mn", domain="prob"), seed=0)
sample("torch.bernoulli", X("mn", dtype="float32", domain="prob"), seed=1)
sample("torch.bernoulli", X("mn"), 0.3, seed=2, grad=False)  # no derivative in PyTorch
sample("Tensor.bernoulli_", X("mn"), 0.4, seed=0)
sample("Tensor.bernoulli_", X("mn"), X("mn", domain="prob", grad=False), seed=0)
sample("Tensor.uniform_", X("mn"), -1.0, 2.0, seed=0)
sample("Tensor.normal_", X("mn"), 0.5, 2.0, seed=0)
sample("Tensor.exponential_", X("mn"), 1.5, seed=0)
sample("Tensor.random_", X("mn"), seed=0)
sample("Tensor.random_", X("mn"), 7, seed=0)
sample("Tensor.random_", X("mn"), -3, 7, seed=0)
sample("torch.multinomial", X("4", domain="positive", grad=False), 3, seed=0)
sample("torch.multinomial", X("m5", domain="positive", grad=False), 1, seed=1)
sample("torch.multinomial", X("m3", domain="positive", grad=False), 6, replacement=True, seed=2)
sample("torch.randperm", 7, seed=0, grad=False)
sample("torch.randint_like", X("mn"), 5, seed=0)
sample("torch.randint_like", X("mn"), -2, 9, seed=1)
# The forward-mode run of the sweep is not seeded: dropout's mask would differ there.
sample("torch.nn.functional.dropout", X("mn"), 0.5, seed=0, jvp=False)
sample("torch.nn.functional.dropout", X("mn", dtype="float32"), 0.2, seed=3, jvp=False)
sample("torch.nn.functional.dropout", X("mn"), 0.5, training=False)
sample("torch.nn.functional.dropout", X("mn"), 1.0)
sample("torch.dropout", X("mn"), 0.3, True, seed=0, jvp=False)
sample("Tensor.cauchy_", X("mn"), 0.5, 2.0, seed=0)
sample("Tensor.log_normal_", X("mn"), 0.0, 0.5, seed=0)
sample("Tensor.geometric_", X("mn"), 0.3, seed=0)
sample("torch.poisson", X("mn", domain="positive"), seed=0)
sample("torch.poisson", X("mn", domain=lambda rng, s: rng.uniform(8.0, 40.0, s)), seed=1)
sample("torch.binomial", X("mn", domain=lambda rng, s: rng.integers(1, 20, s).astype(float),
                           grad=False), X("mn", domain="prob", grad=False), seed=0, grad=False)
