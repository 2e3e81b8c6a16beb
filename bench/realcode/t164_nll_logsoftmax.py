# classification loss family: log_softmax + nll_loss equals cross_entropy, class weights, ignore_index, reduction='none', BCEWithLogits pos_weight
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
logits = torch.randn(5, 4, requires_grad=True)
target = torch.tensor([1, 0, 3, 3, 2])
a = F.nll_loss(F.log_softmax(logits, dim=1), target)
b = F.cross_entropy(logits, target)
print(a, b, torch.allclose(a, b))
w = torch.tensor([1.0, 2.0, 0.5, 1.0])
print(F.cross_entropy(logits, target, weight=w), F.cross_entropy(logits, target, reduction='none'))
t2 = torch.tensor([1, -100, 3, 3, -100])
print(F.cross_entropy(logits, t2), F.cross_entropy(logits, torch.tensor([1, 0, 3, 3, 2]), ignore_index=3))
b.backward()
print(logits.grad.sum(1).abs().max() < 1e-6, logits.grad[0])
bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
z = torch.tensor([0.5, -1.0, 2.0])
yb = torch.tensor([1.0, 0.0, 1.0])
print(bce(z, yb), F.binary_cross_entropy(torch.sigmoid(z), yb), nn.SoftMarginLoss()(z, yb * 2 - 1))
probs = torch.tensor([[0.2, 0.8], [0.6, 0.4]])
print(F.cross_entropy(torch.log(probs), torch.tensor([1, 0])), F.cross_entropy(torch.randn(2, 3), torch.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])))
