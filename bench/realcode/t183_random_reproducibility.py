# reproducibility: manual_seed returns Generator, get_rng_state/set_rng_state replay, fork of generators, randperm/multinomial/bernoulli/normal_ in-place, seeding worker
import random
import numpy as np
import torch
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
seed_everything(42)
a = torch.rand(3)
state = torch.get_rng_state()
b = torch.randn(2)
torch.set_rng_state(state)
c = torch.randn(2)
print(a, torch.equal(b, c), random.random(), np.random.rand())
g = torch.Generator().manual_seed(7)
print(torch.randperm(6, generator=g), torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 5, replacement=True, generator=g))
t = torch.empty(4)
t.normal_(mean=2.0, std=0.5)
print(t, torch.bernoulli(torch.full((5,), 0.5)), t.uniform_(-1, 1), torch.empty(3).exponential_())
print(torch.randint(0, 10, (5,)), torch.randint_like(torch.zeros(3), 5), torch.initial_seed())
