import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
y = torch.tensor([1., -1., 1.])
t = torch.tensor([[3, 0, -1, 1], [0, 1, 2, 3], [1, -1, 0, 0]])
w = torch.tensor([1., 2., 3., 4.])
outs = [F.cosine_embedding_loss(x, x * 2 + 1, y),
        F.cosine_embedding_loss(x, x.flip(0), y, reduction="none", margin=0.2),
        F.soft_margin_loss(x, torch.sign(x.detach())),
        F.soft_margin_loss(x, torch.ones(3, 4), reduction="none"),
        F.multilabel_margin_loss(x, t), F.multilabel_margin_loss(x, t, reduction="none"),
        F.multilabel_soft_margin_loss(x, (t > 0).float()),
        F.multilabel_soft_margin_loss(x, (t > 0).float(), weight=w, reduction="sum"),
        F.multi_margin_loss(x, torch.tensor([0, 2, 3])),
        F.multi_margin_loss(x, torch.tensor([0, 2, 3]), p=2, margin=0.5, weight=w, reduction="none"),
        F.triplet_margin_with_distance_loss(x, x * 2, x * 3),
        F.triplet_margin_with_distance_loss(x, x.flip(0), x * 0.5, swap=True,
                                            distance_function=lambda a, b: (a - b).abs().sum(-1))]
for o in outs:
    print(o, o.grad_fn.name())
    o.sum().backward()
    print(x.grad)
    x.grad = None
