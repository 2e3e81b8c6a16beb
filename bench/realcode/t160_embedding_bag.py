# nn.Embedding padding_idx gradient, max_norm renorm, from_pretrained freeze, EmbeddingBag mean/sum with offsets
import torch
import torch.nn as nn
torch.manual_seed(0)
emb = nn.Embedding(5, 3, padding_idx=0)
print(emb.weight[0])
idx = torch.tensor([[0, 2, 0, 4]])
out = emb(idx)
out.sum().backward()
print(emb.weight.grad)
pre = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
frozen = nn.Embedding.from_pretrained(pre)
print(frozen(torch.tensor([2, 0])), frozen.weight.requires_grad)
mn = nn.Embedding(3, 2, max_norm=1.0)
with torch.no_grad():
    mn.weight.copy_(pre)
mn(torch.tensor([1]))
print(mn.weight)
bag = nn.EmbeddingBag(5, 2, mode='mean')
with torch.no_grad():
    bag.weight.copy_(torch.arange(10.).view(5, 2))
print(bag(torch.tensor([0, 1, 2, 3, 4]), torch.tensor([0, 2])))
bag_sum = nn.EmbeddingBag.from_pretrained(torch.arange(10.).view(5, 2), mode='sum')
print(bag_sum(torch.tensor([[1, 2], [3, 4]])))
