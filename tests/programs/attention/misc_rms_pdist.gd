import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
for o in (F.rms_norm(x, (4,)), F.rms_norm(x, [4], torch.arange(4.)), torch.rms_norm(x, [4], eps=0.1),
          F.pdist(x), torch.pdist(x, p=1), F.pdist(x, p=float("inf"))):
    print(o, o.grad_fn.name())
    (o * o).sum().backward()
    print(x.grad)
    x.grad = None
print(F.rms_norm(x.double(), (4,)).dtype, F.pdist(torch.randn(1, 3)))
