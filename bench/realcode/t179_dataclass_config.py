# training config with dataclasses, enum for optimizer choice, factory function returning optimizer, asdict printing, typing hints
import torch
import torch.nn as nn
from dataclasses import dataclass, field, asdict
from enum import Enum
from typing import List, Optional
class OptName(Enum):
    SGD = 'sgd'
    ADAM = 'adam'
@dataclass
class Config:
    lr: float = 1e-2
    hidden: List[int] = field(default_factory=lambda: [8, 4])
    opt: OptName = OptName.ADAM
    seed: int = 0
    clip: Optional[float] = None
def build(cfg: Config) -> nn.Module:
    layers = []
    d = 3
    for h in cfg.hidden:
        layers += [nn.Linear(d, h), nn.Tanh()]
        d = h
    layers.append(nn.Linear(d, 1))
    return nn.Sequential(*layers)
def make_opt(cfg: Config, params) -> torch.optim.Optimizer:
    if cfg.opt is OptName.SGD:
        return torch.optim.SGD(params, lr=cfg.lr)
    return torch.optim.Adam(params, lr=cfg.lr)
cfg = Config(hidden=[6])
print(cfg, asdict(cfg))
torch.manual_seed(cfg.seed)
model = build(cfg)
opt = make_opt(cfg, model.parameters())
print(model, type(opt).__name__, opt.defaults['lr'])
x, y = torch.randn(10, 3), torch.randn(10, 1)
for step in range(20):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    if cfg.clip is not None:
        nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
    opt.step()
print(f"final loss {loss.item():.5f}", cfg.opt.value, OptName('sgd'))
