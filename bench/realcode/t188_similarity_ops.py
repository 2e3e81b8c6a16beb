# embedding similarity: F.normalize, cosine_similarity matrix, cdist gradient, pairwise_distance, triplet mining with topk, one_hot, bucketize
import torch
import torch.nn.functional as F
torch.manual_seed(0)
emb = torch.randn(5, 4, requires_grad=True)
n = F.normalize(emb, dim=1)
sim = n @ n.T
print(sim.diagonal(), sim.shape)
cs = F.cosine_similarity(emb.unsqueeze(1), emb.unsqueeze(0), dim=-1)
print(torch.allclose(cs, sim, atol=1e-6))
d = torch.cdist(emb, emb)
d.sum().backward()
print(d[0], emb.grad.abs().sum() > 0)
print(F.pairwise_distance(emb[:2], emb[2:4]), F.pdist(emb[:3]))
sim2 = sim.detach().clone()
sim2.fill_diagonal_(-1)
print(sim2.topk(2, dim=1).indices)
print(F.one_hot(torch.tensor([0, 2, 1]), num_classes=4), torch.bucketize(torch.tensor([0.1, 0.5, 0.9]), torch.tensor([0.25, 0.5, 0.75])))
print(torch.bucketize(torch.tensor([0.5]), torch.tensor([0.25, 0.5, 0.75]), right=True))
