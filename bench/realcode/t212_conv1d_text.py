# Conv1d text classifier: Embedding -> Conv1d (multiple kernel sizes) -> max over time -> Linear
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(2)
class TextCNN(nn.Module):
    def __init__(self, vocab, dim, n_filters, sizes, n_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(dim, n_filters, k) for k in sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(len(sizes) * n_filters, n_classes)
    def forward(self, text):
        emb = self.embedding(text).permute(0, 2, 1)
        conved = [F.relu(conv(emb)) for conv in self.convs]
        pooled = [F.max_pool1d(c, c.shape[2]).squeeze(2) for c in conved]
        cat = self.dropout(torch.cat(pooled, dim=1))
        return self.fc(cat)
model = TextCNN(20, 6, 3, [2, 3, 4], 2).double()
x = torch.randint(0, 20, (4, 9))
x[0, 6:] = 0
model.eval()
out = model(x)
print(out)
model.train()
loss = F.cross_entropy(model(x), torch.tensor([0, 1, 1, 0]))
loss.backward()
print(round(loss.item(), 6))
print(model.embedding.weight.grad[0])
print(model.convs[1].weight.grad.shape)
