# common user errors and their messages: leaf in-place, shape mismatch in matmul, backward twice, grad of non-scalar, view on non-contiguous, item on multi-element
import torch
def attempt(label, fn):
    try:
        fn()
        print(label, 'ok')
    except Exception as e:
        print(label, type(e).__name__, str(e).split('\n')[0][:110])
w = torch.ones(3, requires_grad=True)
attempt('leaf inplace', lambda: w.add_(1))
attempt('matmul', lambda: torch.ones(2, 3) @ torch.ones(2, 3))
y = (w * 2).sum()
y.backward()
attempt('twice', lambda: y.backward())
attempt('nonscalar', lambda: (w * 2).backward())
attempt('view', lambda: torch.ones(2, 3).t().view(6))
attempt('item', lambda: torch.ones(2).item())
attempt('cat', lambda: torch.cat([torch.ones(2, 3), torch.ones(3, 2)]))
attempt('index', lambda: torch.ones(3)[5])
attempt('dtype', lambda: torch.ones(2, dtype=torch.long).requires_grad_())
attempt('broadcast', lambda: torch.ones(3) + torch.ones(4))
attempt('numpy grad', lambda: w.numpy())
attempt('ce target', lambda: torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0.0, 1.0])))
attempt('linear shape', lambda: torch.nn.Linear(3, 2)(torch.ones(4, 5)))
