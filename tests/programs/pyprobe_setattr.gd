import torch
import torch.nn as nn

class Frozen:
    def __init__(self, **kw):
        for k, v in kw.items():
            object.__setattr__(self, k, v)
    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")
    def __delattr__(self, name):
        raise AttributeError(f"cannot delete {name!r}")

f = Frozen(a=1, b=2)
print(f.a, f.b)
try:
    f.a = 3
except AttributeError as e:
    print(e)
try:
    del f.b
except AttributeError as e:
    print(e)

class Logged(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.count = 0
    def __setattr__(self, name, value):
        if name != "count" and not name.startswith("_"):
            print("set", name, type(value).__name__)
        super().__setattr__(name, value)
torch.manual_seed(0)
m = Logged()
m.scale = 2.0
print([n for n, _ in m.named_parameters()], m.scale, m.count)

class Attrs:
    def __init__(self):
        self.store = {}
    def __setattr__(self, k, v):
        if k == "store":
            super().__setattr__(k, v)
        else:
            self.store[k] = v
    def __getattr__(self, k):
        return self.store[k]
a = Attrs()
a.x = 5
print(a.x, a.store, getattr(a, "x"))
setattr(a, "y", 7)
print(a.store)
