# custom loss functions: focal loss, label smoothing, huber by hand vs F.*, margin ranking, KL divergence, cosine embedding
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(44)
logits = torch.randn(6, 4, requires_grad=True)
target = torch.randint(0, 4, (6,))
def focal_loss(logits, target, gamma=2.0):
    logp = F.log_softmax(logits, dim=1)
    p = logp.exp()
    lp = logp.gather(1, target.unsqueeze(1)).squeeze(1)
    pt = p.gather(1, target.unsqueeze(1)).squeeze(1)
    return (-(1 - pt) ** gamma * lp).mean()
fl = focal_loss(logits, target)
fl.backward()
print(fl, logits.grad.sum(1))
print(F.cross_entropy(logits, target, label_smoothing=0.1), nn.CrossEntropyLoss(label_smoothing=0.1)(logits, target))
a = torch.randn(5); b = torch.randn(5)
d = a - b
huber = torch.where(d.abs() < 1, 0.5 * d ** 2, d.abs() - 0.5).mean()
print(huber, F.huber_loss(a, b), F.smooth_l1_loss(a, b, beta=1.0))
print(F.margin_ranking_loss(a, b, torch.ones(5)), F.kl_div(F.log_softmax(a, 0), F.softmax(b, 0), reduction='batchmean'))
print(F.cosine_embedding_loss(torch.randn(3, 4), torch.randn(3, 4), torch.tensor([1, -1, 1])))
print(F.triplet_margin_loss(torch.randn(3, 4), torch.randn(3, 4), torch.randn(3, 4)), F.hinge_embedding_loss(a, torch.tensor([1, -1, 1, -1, 1.])))
print(nn.GaussianNLLLoss()(a, b, torch.ones(5)), F.poisson_nll_loss(a, b.abs()), F.multilabel_soft_margin_loss(torch.randn(2, 3), torch.tensor([[1, 0, 1], [0, 1, 0.]])))
